//! Per-version CPython opcode tables, measured from the interpreters themselves.
//!
//! Opcode numbers, the "has an argument" rule, inline cache sizes and the small tables `dis`
//! uses to spell arguments all change between releases (3.13, 3.14 and 3.15 each renumbered
//! almost every opcode: pyc-format.md §9). To print what each version's `dis` prints,
//! pyclens carries one [`OpcodeTable`] per minor version. `tools/gen_opcodes.py` asks the
//! real interpreter's `opcode` and `dis` modules for them and writes `vX_Y.rs`; the header
//! of each file names the exact interpreter (PyPy 2.7, 3.7 and 3.9 included). No interpreter
//! of CPython 1.0–2.6 or 3.0–3.5, nor of the other PyPy releases, runs here: their tables
//! (`v1_0.rs` … `v3_5.rs`, the other `pypyX_Y.rs`) are written by `tools/gen_opcodes_xdis.py`
//! from the opcode modules of xdis, and their headers say so. Those are checked against
//! xdis, not against an interpreter.

mod graal3_10;
mod graal3_11;
mod graal3_12;
mod names;
mod pypy2_7;
mod pypy3_10;
mod pypy3_11;
mod pypy3_2;
mod pypy3_5;
mod pypy3_6;
mod pypy3_7;
mod pypy3_8;
mod pypy3_9;
pub mod rustpython;
mod v1_0;
mod v1_1;
mod v1_2;
mod v1_3;
mod v1_4;
mod v1_5;
mod v1_6;
mod v2_0;
mod v2_1;
mod v2_2;
mod v2_3;
mod v2_4;
mod v2_5;
mod v2_6;
mod v2_7;
mod v3_0;
mod v3_1;
mod v3_10;
mod v3_11;
mod v3_12;
mod v3_13;
mod v3_14;
mod v3_15;
mod v3_2;
mod v3_3;
mod v3_4;
mod v3_5;
mod v3_6;
mod v3_7;
mod v3_8;
mod v3_9;

use crate::pyc::version::{Implementation, PyVersion};

/// Bits of [`OpcodeTable::flags`]: which of `dis`'s opcode lists an opcode number is in.
/// `dis` always tests the de-specialised number ([`OpcodeTable::deopt`]).
pub mod flags {
    /// `dis` reads the argument byte: `op in hasarg` in 3.12+, `op >= HAVE_ARGUMENT` before
    /// (for every number, assigned or not). 3.13+ has no-argument ops above HAVE_ARGUMENT's
    /// neighbour (WITH_EXCEPT_START sits at it), so never compare with `have_argument`.
    pub const HAS_ARG: u16 = 1 << 0;
    /// `hasconst`: the argument indexes `co_consts`.
    pub const CONST: u16 = 1 << 1;
    /// `hasname`: the argument indexes `co_names` (shifted for LOAD_GLOBAL 3.11+, LOAD_ATTR
    /// 3.12+, LOAD_SUPER_ATTR, IMPORT_NAME 3.15: pyc-format.md §6.5).
    pub const NAME: u16 = 1 << 2;
    /// `hasjrel`: relative jump (in 3.13+ `hasjrel` is `hasjump`).
    pub const JREL: u16 = 1 << 3;
    /// `hasjabs`: absolute jump (empty from 3.11 on).
    pub const JABS: u16 = 1 << 4;
    /// `hasjump` (3.13+): dis shows the target as a label.
    pub const JUMP: u16 = 1 << 5;
    /// `haslocal`: the argument indexes the local variables.
    pub const LOCAL: u16 = 1 << 6;
    /// `hasfree`: the argument indexes cell and free variables.
    pub const FREE: u16 = 1 << 7;
    /// `hascompare`: the argument selects from [`super::OpcodeTable::cmp_op`].
    pub const COMPARE: u16 = 1 << 8;
    /// `hasexc` (3.12+; only pseudo-ops are in it, so no number below 256 has this yet).
    pub const EXC: u16 = 1 << 9;
    /// `dis._is_backward_jump` (3.11+): the relative argument is subtracted. Includes
    /// END_ASYNC_FOR in 3.14+, which dis prints as "from L…".
    pub const BACKWARD: u16 = 1 << 10;
}

/// One inline cache layout as `dis --show-caches` prints it: the opcode's name and its
/// fields with their sizes in code units, in order.
pub type CacheFormat = (&'static str, &'static [(&'static str, u8)]);

/// One row of a generated table: (number, base opcode name or "", flags, cache entries).
type Row = (u8, &'static str, u16, u8);

/// Everything `dis` of one Python version needs to decode and spell instructions.
#[derive(Debug)]
pub struct OpcodeTable {
    /// The version these tables describe.
    pub version: PyVersion,
    /// `sys.version` of the interpreter the tables were taken from (whitespace folded);
    /// "Python X.Y" / "PyPy X.Y" for tables taken from xdis, where none was run.
    pub python: &'static str,
    /// Where that interpreter came from (Debian package, pyenv build, pyodide package), or
    /// the xdis module the table was read from.
    pub source: &'static str,
    /// `opcode.HAVE_ARGUMENT`: the split point of ≤3.5 variable-length instructions (a
    /// 2-byte argument follows opcodes at or above it). Not the has-argument test of 3.13+.
    pub have_argument: u8,
    /// `opcode.EXTENDED_ARG`: prefixes that widen the next instruction's argument. 1.x
    /// had no such opcode: 0 there (STOP_CODE); use [`Self::extended_arg_op`].
    pub extended_arg: u8,
    /// Base opcode names by number, as indices into one list shared by every table
    /// (`names.rs`; 0 = "", not a base opcode). Base opcodes are the only ones a `.pyc`
    /// contains (no specialised, instrumented or pseudo ops); for other numbers see
    /// [`Self::other_names`], else dis prints `<N>`. Read through [`Self::name`].
    pub names: [u16; 256],
    /// Per-number bit set of [`flags`], for every number 0–255 (not just base opcodes).
    pub flags: [u16; 256],
    /// Inline `CACHE` code units that follow each opcode (3.11+; all zero before). dis
    /// skips `caches[deopt(op)]` units after an instruction, and 3.12+ jump targets count
    /// them.
    pub caches: [u8; 256],
    /// Numbers that are not base opcodes but that dis still names (3.11+ specialised ops,
    /// 3.12+ instrumented ops, ENTER_EXECUTOR / TRACE_RECORD in 3.14+): (number, name,
    /// the base number dis de-specialises it to for argument and cache handling; the
    /// number itself when there is none). Never written to a `.pyc`, so only crafted
    /// files show them.
    pub other_names: &'static [(u8, &'static str, u8)],
    /// `opcode.cmp_op`: COMPARE_OP's operators (≤3.8 also 'in' … 'exception match', 'BAD').
    pub cmp_op: &'static [&'static str],
    /// `opcode._nb_ops` (3.11+): BINARY_OP's argument → (NB_* name, symbol dis prints).
    pub nb_ops: &'static [(&'static str, &'static str)],
    /// `opcode._intrinsic_1_descs` (3.12+): CALL_INTRINSIC_1's argrepr by argument.
    pub intrinsic1: &'static [&'static str],
    /// `opcode._intrinsic_2_descs` (3.12+): CALL_INTRINSIC_2's argrepr by argument.
    pub intrinsic2: &'static [&'static str],
    /// `opcode._cache_format` (3.11+), in its order: what `dis --show-caches` prints.
    pub cache_format: &'static [CacheFormat],
    /// LOAD_COMMON_CONSTANT's argrepr by argument (3.14+), as dis prints it: type names
    /// (`tuple`), reprs of other objects (`<built-in function all>`, `None`, `''`, `-1`).
    pub common_constants: &'static [&'static str],
    /// `repr()` of each of LOAD_COMMON_CONSTANT's objects (3.14+): what 3.15's dis shows as
    /// the argval (`<class 'tuple'>`, `<built-in function all>`, `None`, ...).
    pub common_constant_reprs: &'static [&'static str],
    /// `opcode._special_method_names` (3.14+): LOAD_SPECIAL's argrepr by argument.
    pub special_methods: &'static [&'static str],
    /// Flag names dis joins with ", " for the bits of MAKE_FUNCTION (3.8–3.12,
    /// `MAKE_FUNCTION_FLAGS`) or SET_FUNCTION_ATTRIBUTE (3.13+, `FUNCTION_ATTR_FLAGS`);
    /// bit i is entry i. Empty where dis prints no argrepr for them (2.7, 3.6, 3.7).
    pub function_flags: &'static [&'static str],
    /// Conversion names of FORMAT_VALUE (`arg & 3`, 3.6–3.12) or CONVERT_VALUE (3.13+),
    /// as dis prints them: "", "str", "repr", "ascii". Empty in 2.7.
    pub format_converters: &'static [&'static str],
}

impl OpcodeTable {
    /// The EXTENDED_ARG prefix opcode, `None` for versions without one (1.x), so that
    /// decoders need not know which versions lack it.
    pub fn extended_arg_op(&self) -> Option<u8> {
        (self.name(self.extended_arg) == Some("EXTENDED_ARG")).then_some(self.extended_arg)
    }

    /// Reads the instruction of ≤3.5 variable-length bytecode at `code[i]`: its argument as
    /// stored and as widened by a preceding EXTENDED_ARG (when the opcode takes one), and its
    /// size, 1 or 3 bytes. `ext` carries an EXTENDED_ARG's value to the next instruction; a
    /// file cut short reads as zero bytes. The one walk the disassembler and the SET_LINENO
    /// line starts share.
    pub fn variable_arg(&self, code: &[u8], i: usize, ext: &mut i64) -> (Option<(i64, i64)>, usize) {
        let op = code.get(i).copied().unwrap_or(0);
        if op < self.have_argument {
            return (None, 1);
        }
        let byte = |k: usize| i64::from(code.get(i + k).copied().unwrap_or(0));
        let raw = byte(1) | (byte(2) << 8);
        let arg = raw.wrapping_add(*ext);
        *ext = if Some(op) == self.extended_arg_op() { arg.wrapping_mul(65536) } else { 0 };
        (Some((raw, arg)), 3)
    }

    /// The base opcode named `op`, if any.
    pub fn name(&self, op: u8) -> Option<&'static str> {
        let name = names::OPNAMES[self.names[op as usize] as usize];
        (!name.is_empty()).then_some(name)
    }

    /// The name dis prints for `op` (base or not); `None` means dis prints `<op>`.
    pub fn dis_name(&self, op: u8) -> Option<&'static str> {
        self.name(op).or_else(|| self.other(op).map(|(_, name, _)| name))
    }

    /// The number dis uses for arguments, flags and caches of `op`: its base opcode for
    /// specialised numbers, else `op` itself.
    pub fn deopt(&self, op: u8) -> u8 {
        // Base opcodes (every opcode a real file holds) are never in `other_names`, whose
        // search would otherwise run for each instruction analysed.
        if self.is_base(op) {
            return op;
        }
        self.other(op).map_or(op, |(_, _, base)| base)
    }

    /// True when `op` is a base opcode (one a `.pyc` can contain).
    pub fn is_base(&self, op: u8) -> bool {
        self.names[op as usize] != 0
    }

    /// True when `op`'s flags include all bits of `flag`.
    pub fn has(&self, op: u8, flag: u16) -> bool {
        self.flags[op as usize] & flag == flag
    }

    /// True when dis reads an argument for `op` (after de-specialising it).
    pub fn has_arg(&self, op: u8) -> bool {
        self.has(self.deopt(op), flags::HAS_ARG)
    }

    /// Inline cache units dis skips after `op` (after de-specialising it).
    pub fn cache_entries(&self, op: u8) -> u8 {
        self.caches[self.deopt(op) as usize]
    }

    /// The number of the base opcode called `name`.
    pub fn opcode(&self, name: &str) -> Option<u8> {
        (0..=255u8).find(|&op| !name.is_empty() && self.name(op) == Some(name))
    }

    /// The cache fields of `op` (after de-specialising it), empty when it has none.
    pub fn cache_fields(&self, op: u8) -> &'static [(&'static str, u8)] {
        let Some(name) = self.name(self.deopt(op)) else { return &[] };
        self.cache_format.iter().find(|(n, _)| *n == name).map_or(&[], |(_, fields)| *fields)
    }

    /// Number of base opcodes (pyc-format.md §9 "Base").
    pub fn base_count(&self) -> usize {
        self.names.iter().filter(|&&n| n != 0).count()
    }

    fn other(&self, op: u8) -> Option<(u8, &'static str, u8)> {
        self.other_names.iter().find(|(n, _, _)| *n == op).copied()
    }
}

/// The opcode table of `version` as `implementation` writes it, if pyclens has one.
pub fn table_for(version: PyVersion, implementation: Implementation) -> Option<&'static OpcodeTable> {
    match implementation {
        Implementation::PyPy => return pypy_table_for(version),
        // Only the pinned commit's instruction set; its files name 3.13.
        Implementation::RustPython => {
            return (cfg!(feature = "foreign") && version == rustpython::TABLE.version).then_some(&rustpython::TABLE)
        }
        Implementation::GraalPy => return graal_ops_for(version).map(|ops| ops.table),
        Implementation::CPython => {}
    }
    Some(match (version.major, version.minor) {
        (1, 0) => &v1_0::TABLE,
        (1, 1) => &v1_1::TABLE,
        (1, 2) => &v1_2::TABLE,
        (1, 3) => &v1_3::TABLE,
        (1, 4) => &v1_4::TABLE,
        (1, 5) => &v1_5::TABLE,
        (1, 6) => &v1_6::TABLE,
        (2, 0) => &v2_0::TABLE,
        (2, 1) => &v2_1::TABLE,
        (2, 2) => &v2_2::TABLE,
        (2, 3) => &v2_3::TABLE,
        (2, 4) => &v2_4::TABLE,
        (2, 5) => &v2_5::TABLE,
        (2, 6) => &v2_6::TABLE,
        (2, 7) => &v2_7::TABLE,
        (3, 0) => &v3_0::TABLE,
        (3, 1) => &v3_1::TABLE,
        (3, 2) => &v3_2::TABLE,
        (3, 3) => &v3_3::TABLE,
        (3, 4) => &v3_4::TABLE,
        (3, 5) => &v3_5::TABLE,
        (3, 6) => &v3_6::TABLE,
        (3, 7) => &v3_7::TABLE,
        (3, 8) => &v3_8::TABLE,
        (3, 9) => &v3_9::TABLE,
        (3, 10) => &v3_10::TABLE,
        (3, 11) => &v3_11::TABLE,
        (3, 12) => &v3_12::TABLE,
        (3, 13) => &v3_13::TABLE,
        (3, 14) => &v3_14::TABLE,
        (3, 15) => &v3_15::TABLE,
        _ => return None,
    })
}

/// The variant RustPython's own disassembler prints for the enumerated argument `arg` of
/// `op` (a `BinaryOperator`, `ComparisonOperator`, ...); `None` for a value its enum does not
/// have, which RustPython's VM would refuse.
pub fn rustpython_arg_name(op: u8, arg: i64) -> Option<&'static str> {
    let (_, values) = rustpython::ARG_NAMES.iter().find(|(o, _)| *o == op)?;
    values.iter().find(|(v, _)| i64::from(*v) == arg).map(|(_, name)| *name)
}

/// PyPy's tables. PyPy keeps CPython's opcode numbers for what it shares and adds its own
/// (LOOKUP_METHOD, CALL_METHOD, BUILD_LIST_FROM_ARG, ...), so a CPython table would misname
/// them. 2.7, 3.7 and 3.9 come from real Debian PyPy interpreters, the others from xdis.
fn pypy_table_for(version: PyVersion) -> Option<&'static OpcodeTable> {
    Some(match (version.major, version.minor) {
        (2, 7) => &pypy2_7::TABLE,
        (3, 2) => &pypy3_2::TABLE,
        (3, 5) => &pypy3_5::TABLE,
        (3, 6) => &pypy3_6::TABLE,
        (3, 7) => &pypy3_7::TABLE,
        (3, 8) => &pypy3_8::TABLE,
        (3, 9) => &pypy3_9::TABLE,
        (3, 10) => &pypy3_10::TABLE,
        (3, 11) => &pypy3_11::TABLE,
        _ => return None,
    })
}

/// GraalPy's opcodes by the Python version its release implements (tools/gen_opcodes_graal.py,
/// from each release's own `OpCodes.java`): 3.10 from GraalPy 24.0, 3.11 from 24.2, 3.12
/// from 25.0.
pub fn graal_ops_for(version: PyVersion) -> Option<&'static crate::bytecode::graal::GraalOps> {
    // The viewer module (no `foreign` feature) never reads a GraalPy file (lib.rs `decode`).
    if !cfg!(feature = "foreign") {
        return None;
    }
    Some(match (version.major, version.minor) {
        (3, 10) => &graal3_10::OPS_GRAAL,
        (3, 11) => &graal3_11::OPS_GRAAL,
        (3, 12) => &graal3_12::OPS_GRAAL,
        _ => return None,
    })
}

// Builders the generated files use to spread their rows into the 256-entry arrays at
// compile time (rows keep the generated files readable: one line per opcode).

const fn names_of(rows: &[Row]) -> [u16; 256] {
    let mut out = [0; 256];
    let mut i = 0;
    while i < rows.len() {
        out[rows[i].0 as usize] = name_index(rows[i].1);
        i += 1;
    }
    out
}

/// Where `name` sits in [`names::OPNAMES`] (binary search over bytes); a name that is not
/// there stops the build (regenerate with tools/gen_opnames.py).
const fn name_index(name: &str) -> u16 {
    let (mut lo, mut hi) = (0, names::OPNAMES.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        match compare_bytes(names::OPNAMES[mid].as_bytes(), name.as_bytes()) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return mid as u16,
        }
    }
    panic!("opcode name missing from names.rs: run tools/gen_opnames.py")
}

const fn compare_bytes(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return if a[i] < b[i] { std::cmp::Ordering::Less } else { std::cmp::Ordering::Greater };
        }
        i += 1;
    }
    if a.len() < b.len() {
        std::cmp::Ordering::Less
    } else if a.len() > b.len() {
        std::cmp::Ordering::Greater
    } else {
        std::cmp::Ordering::Equal
    }
}

const fn flags_of(rows: &[Row]) -> [u16; 256] {
    let mut out = [0; 256];
    let mut i = 0;
    while i < rows.len() {
        out[rows[i].0 as usize] = rows[i].2;
        i += 1;
    }
    out
}

const fn caches_of(rows: &[Row]) -> [u8; 256] {
    let mut out = [0; 256];
    let mut i = 0;
    while i < rows.len() {
        out[rows[i].0 as usize] = rows[i].3;
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    //! Facts restated from pyc-format.md (§6, §9) and checked against the generated tables.
    use super::flags::*;
    use super::*;

    const ALL: [(u8, u8); 11] =
        [(2, 7), (3, 6), (3, 7), (3, 8), (3, 9), (3, 10), (3, 11), (3, 12), (3, 13), (3, 14), (3, 15)];

    fn t(major: u8, minor: u8) -> &'static OpcodeTable {
        table_for(PyVersion::new(major, minor), Implementation::CPython).expect("table")
    }

    fn op(table: &OpcodeTable, name: &str) -> u8 {
        table.opcode(name).unwrap_or_else(|| panic!("{name} missing in {}", table.version))
    }

    /// CPython versions whose tables come from xdis (tools/gen_opcodes_xdis.py).
    const FROM_XDIS: [(u8, u8); 20] = [
        (1, 0),
        (1, 1),
        (1, 2),
        (1, 3),
        (1, 4),
        (1, 5),
        (1, 6),
        (2, 0),
        (2, 1),
        (2, 2),
        (2, 3),
        (2, 4),
        (2, 5),
        (2, 6),
        (3, 0),
        (3, 1),
        (3, 2),
        (3, 3),
        (3, 4),
        (3, 5),
    ];

    /// PyPy versions whose tables come from xdis (2.7, 3.7 and 3.9 come from real PyPys).
    const PYPY: [(u8, u8); 6] = [(3, 2), (3, 5), (3, 6), (3, 8), (3, 10), (3, 11)];

    #[test]
    fn only_generated_versions_have_tables() {
        for (major, minor) in ALL.into_iter().chain(FROM_XDIS) {
            assert_eq!(t(major, minor).version, PyVersion::new(major, minor));
        }
        for (major, minor) in [(0, 9), (1, 7), (2, 8), (3, 16), (4, 0)] {
            assert!(table_for(PyVersion::new(major, minor), Implementation::CPython).is_none());
        }
        for (major, minor) in PYPY {
            let tab = table_for(PyVersion::new(major, minor), Implementation::PyPy).expect("PyPy table");
            assert_eq!(tab.version, PyVersion::new(major, minor));
            assert!(tab.source.starts_with("xdis "));
        }
        for minor in [(2, 7), (3, 7), (3, 9)] {
            let tab = table_for(PyVersion::new(minor.0, minor.1), Implementation::PyPy).expect("PyPy table");
            assert!(tab.source.starts_with("debian "), "{}", tab.source);
        }
        for (major, minor) in [(2, 6), (3, 3), (3, 12)] {
            assert!(table_for(PyVersion::new(major, minor), Implementation::PyPy).is_none());
        }
    }

    #[test]
    fn xdis_tables_follow_the_variable_length_format() {
        for (major, minor) in FROM_XDIS {
            let tab = t(major, minor);
            let v = tab.version;
            assert_eq!(tab.have_argument, 90, "{v}");
            assert!(tab.source.starts_with("xdis 6.3.0 opcode_"), "{v}");
            // EXTENDED_ARG came with 2.0; SETUP_WITH took 143 in 3.2 and moved it to 144.
            let ext = match (major, minor) {
                (1, _) => None,
                (2, _) | (3, 0..=1) => Some(143),
                _ => Some(144),
            };
            assert_eq!(tab.extended_arg_op(), ext, "{v}");
            // SET_LINENO (127) until 2.2.
            assert_eq!(tab.opcode("SET_LINENO").is_some(), !v.at_least(2, 3), "{v}");
            assert_eq!(tab.cmp_op, t(2, 7).cmp_op, "{v}");
            assert!(tab.has(op(tab, "LOAD_CONST"), HAS_ARG | CONST));
            assert!(tab.has(op(tab, "JUMP_FORWARD"), HAS_ARG | JREL));
            assert!(tab.has(op(tab, "JUMP_ABSOLUTE"), HAS_ARG | JABS));
            assert!(tab.caches.iter().all(|&c| c == 0) && tab.other_names.is_empty());
            for n in 0..=255u8 {
                assert_eq!(tab.has_arg(n), n >= 90, "{v} {n}");
            }
        }
        assert_eq!(t(1, 5).name(30), Some("SLICE+0"));
        assert!(t(2, 7).extended_arg_op() == Some(145));
    }

    #[test]
    fn pypy_tables_add_method_calls() {
        for (major, minor) in PYPY {
            let tab = table_for(PyVersion::new(major, minor), Implementation::PyPy).expect("table");
            // LOOKUP_METHOD 201 / CALL_METHOD 202 until 3.6; 3.7+ moved CALL_METHOD to
            // CPython's 161 (and 3.10 LOOKUP_METHOD to LOAD_METHOD 160).
            let (lookup, call) = match minor {
                _ if major == 2 || minor <= 6 => (201, 202),
                7..=8 => (201, 161),
                _ => (160, 161),
            };
            assert!(tab.has(lookup, NAME), "{major}.{minor}");
            assert_eq!(tab.name(call), Some("CALL_METHOD"), "{major}.{minor}");
            // PyPy ships CPython's dis.py: 3.6+ spell FORMAT_VALUE as CPython does.
            let conv: &[&str] = if major == 3 && minor >= 6 { &["", "str", "repr", "ascii"] } else { &[] };
            assert_eq!(tab.format_converters, conv, "{major}.{minor}");
        }
    }

    #[test]
    fn counts_and_numbers_match_section_9() {
        // (version, base opcodes, HAVE_ARGUMENT, EXTENDED_ARG, highest base opcode)
        let rows = [
            ((2, 7), 119, 90, 145, 147),
            ((3, 6), 118, 90, 144, 158),
            ((3, 7), 119, 90, 144, 161),
            ((3, 8), 120, 90, 144, 163),
            ((3, 9), 119, 90, 144, 165),
            ((3, 10), 127, 90, 144, 165),
            ((3, 11), 110, 90, 144, 176),
            ((3, 12), 111, 90, 144, 176),
            ((3, 13), 119, 44, 71, 149),
            ((3, 14), 121, 43, 69, 128),
            ((3, 15), 120, 41, 67, 128),
        ];
        for ((major, minor), base, have_arg, ext, max) in rows {
            let tab = t(major, minor);
            assert_eq!(tab.base_count(), base, "{major}.{minor} base count");
            assert_eq!(tab.have_argument, have_arg, "{major}.{minor} HAVE_ARGUMENT");
            assert_eq!(tab.extended_arg, ext, "{major}.{minor} EXTENDED_ARG");
            assert_eq!(tab.name(ext), Some("EXTENDED_ARG"));
            assert!(tab.has_arg(ext));
            let highest = (0..=255u8).rev().find(|&n| tab.is_base(n));
            assert_eq!(highest, Some(max), "{major}.{minor} highest base opcode");
        }
        assert_eq!(op(t(3, 13), "RESUME"), 149);
        assert_eq!(op(t(3, 14), "RESUME"), 128);
        assert_eq!(op(t(3, 15), "RESUME"), 128);
    }

    #[test]
    fn has_arg_follows_have_argument_until_3_12_only() {
        for (major, minor) in ALL {
            let tab = t(major, minor);
            for n in 0..=255u8 {
                if !tab.version.at_least(3, 13) && tab.is_base(n) {
                    assert_eq!(tab.has_arg(n), n >= tab.have_argument, "{} {n}", tab.version);
                }
            }
        }
        // 3.13+: WITH_EXCEPT_START sits at HAVE_ARGUMENT and takes no argument (§6.2).
        for minor in 13..=15 {
            let tab = t(3, minor);
            assert_eq!(tab.name(tab.have_argument), Some("WITH_EXCEPT_START"));
            assert!(!tab.has_arg(tab.have_argument));
            assert!(tab.has_arg(tab.have_argument + 1));
            assert!((1..tab.have_argument).filter(|&n| tab.is_base(n)).all(|n| !tab.has_arg(n)));
        }
    }

    #[test]
    fn renumbering_between_versions_matches_section_9() {
        // (from, to, renumbered, common names where the sheet gives them)
        let steps = [
            ((2, 7), (3, 6), 2, Some(89)),
            ((3, 6), (3, 7), 0, None),
            ((3, 7), (3, 8), 0, None),
            ((3, 8), (3, 9), 0, None),
            ((3, 9), (3, 10), 1, Some(119)),
            ((3, 10), (3, 11), 5, Some(81)),
            ((3, 11), (3, 12), 1, Some(91)),
            ((3, 12), (3, 13), 106, Some(108)),
            ((3, 13), (3, 14), 110, Some(112)),
            ((3, 14), (3, 15), 103, Some(120)),
        ];
        for ((a1, a2), (b1, b2), renumbered, common) in steps {
            let (a, b) = (t(a1, a2), t(b1, b2));
            let shared: Vec<(u8, u8)> =
                (0..=255u8).filter_map(|n| a.name(n).and_then(|name| b.opcode(name)).map(|m| (n, m))).collect();
            let moved = shared.iter().filter(|(n, m)| n != m).count();
            let step = format!("{} -> {}", a.version, b.version);
            assert_eq!(moved, renumbered, "{step}");
            assert_eq!(common.unwrap_or(shared.len()), shared.len(), "{step}");
        }
        assert_eq!((op(t(2, 7), "LIST_APPEND"), op(t(3, 6), "LIST_APPEND")), (94, 145));
        assert_eq!((op(t(3, 9), "RERAISE"), op(t(3, 10), "RERAISE")), (48, 119));
        assert_eq!((op(t(3, 11), "YIELD_VALUE"), op(t(3, 12), "YIELD_VALUE")), (86, 150));
    }

    #[test]
    fn ids_from_3_13_are_alphabetical_around_fixed_slots() {
        for minor in 13..=15 {
            let tab = t(3, minor);
            assert_eq!(tab.name(0), Some("CACHE"));
            assert_eq!(tab.name(17), Some("RESERVED"));
            let resume = op(tab, "RESUME");
            let names = |range: std::ops::Range<u8>| -> Vec<&str> {
                range.filter(|&n| n != 17).filter_map(|n| tab.name(n)).collect()
            };
            for group in [names(1..tab.have_argument), names(tab.have_argument + 1..resume)] {
                let mut sorted = group.clone();
                sorted.sort_unstable();
                assert_eq!(group, sorted, "3.{minor}");
            }
        }
    }

    #[test]
    fn inline_caches_match_section_6_4() {
        // opcode: caches in 3.11, 3.12, 3.13, 3.14, 3.15 (None: not a base opcode there)
        let rows: [(&str, [Option<u8>; 5]); 24] = [
            ("BINARY_OP", [Some(1), Some(1), Some(1), Some(5), Some(5)]),
            ("BINARY_SUBSCR", [Some(4), Some(1), Some(1), None, None]),
            ("CALL", [Some(4), Some(3), Some(3), Some(3), Some(3)]),
            ("CALL_FUNCTION_EX", [Some(0), Some(0), Some(0), Some(0), Some(1)]),
            ("CALL_KW", [None, None, Some(0), Some(3), Some(3)]),
            ("COMPARE_OP", [Some(2), Some(1), Some(1), Some(1), Some(1)]),
            ("CONTAINS_OP", [Some(0), Some(0), Some(1), Some(1), Some(1)]),
            ("FOR_ITER", [Some(0), Some(1), Some(1), Some(1), Some(1)]),
            ("GET_ITER", [Some(0), Some(0), Some(0), Some(0), Some(1)]),
            ("JUMP_BACKWARD", [Some(0), Some(0), Some(1), Some(1), Some(1)]),
            ("LOAD_ATTR", [Some(4), Some(9), Some(9), Some(9), Some(9)]),
            ("LOAD_GLOBAL", [Some(5), Some(4), Some(4), Some(4), Some(4)]),
            ("LOAD_METHOD", [Some(10), None, None, None, None]),
            ("LOAD_SUPER_ATTR", [None, Some(1), Some(1), Some(1), Some(1)]),
            ("POP_JUMP_IF_FALSE", [None, Some(0), Some(1), Some(1), Some(1)]),
            ("POP_JUMP_IF_TRUE", [None, Some(0), Some(1), Some(1), Some(1)]),
            ("POP_JUMP_IF_NONE", [None, Some(0), Some(1), Some(1), Some(1)]),
            ("POP_JUMP_IF_NOT_NONE", [None, Some(0), Some(1), Some(1), Some(1)]),
            ("PRECALL", [Some(1), None, None, None, None]),
            ("RESUME", [Some(0), Some(0), Some(0), Some(0), Some(1)]),
            ("SEND", [Some(0), Some(1), Some(1), Some(1), Some(1)]),
            ("STORE_ATTR", [Some(4), Some(4), Some(4), Some(4), Some(4)]),
            ("STORE_SUBSCR", [Some(1), Some(1), Some(1), Some(1), Some(1)]),
            ("TO_BOOL", [None, None, Some(3), Some(3), Some(3)]),
        ];
        let mut listed = vec![("UNPACK_SEQUENCE", [Some(1); 5])];
        listed.extend(rows);
        for (i, minor) in (11..=15).enumerate() {
            let tab = t(3, minor);
            for (name, sizes) in &listed {
                let got = tab.opcode(name).map(|n| tab.cache_entries(n));
                assert_eq!(got, sizes[i], "{name} in 3.{minor}");
                // _cache_format agrees with the counts.
                if let Some(n) = tab.opcode(name) {
                    let total: u32 = tab.cache_fields(n).iter().map(|&(_, s)| u32::from(s)).sum();
                    assert_eq!(total, u32::from(tab.cache_entries(n)), "{name} fields in 3.{minor}");
                }
            }
            // The sheet's list is complete: no other base opcode has caches.
            for n in 0..=255u8 {
                if tab.cache_entries(n) > 0 && tab.is_base(n) {
                    let name = tab.name(n).unwrap_or_default();
                    assert!(listed.iter().any(|(l, _)| *l == name), "{name} in 3.{minor}");
                }
            }
        }
        // 3.11 has FORWARD/BACKWARD pop-jumps without caches; no 3.11 jump has caches.
        let t311 = t(3, 11);
        assert_eq!(t311.cache_entries(op(t311, "POP_JUMP_BACKWARD_IF_NONE")), 0);
        assert!((0..=255u8).filter(|&n| t311.has(n, JREL)).all(|n| t311.cache_entries(n) == 0));
        for (major, minor) in &ALL[..6] {
            assert!(t(*major, *minor).caches.iter().all(|&c| c == 0));
        }
    }

    #[test]
    fn jumps_match_section_6_3() {
        let backward = |tab: &OpcodeTable| -> Vec<&str> {
            let mut v: Vec<&str> = (0..=255u8).filter(|&n| tab.has(n, BACKWARD)).filter_map(|n| tab.name(n)).collect();
            v.sort_unstable();
            v
        };
        for (major, minor) in &ALL[..6] {
            let tab = t(*major, *minor);
            assert!(backward(tab).is_empty());
            assert!(tab.has(op(tab, "JUMP_ABSOLUTE"), JABS));
            assert!(tab.has(op(tab, "JUMP_FORWARD"), JREL));
            assert!(tab.has(op(tab, "FOR_ITER"), JREL));
        }
        assert_eq!(
            backward(t(3, 11)),
            [
                "JUMP_BACKWARD",
                "JUMP_BACKWARD_NO_INTERRUPT",
                "POP_JUMP_BACKWARD_IF_FALSE",
                "POP_JUMP_BACKWARD_IF_NONE",
                "POP_JUMP_BACKWARD_IF_NOT_NONE",
                "POP_JUMP_BACKWARD_IF_TRUE"
            ]
        );
        for minor in 12..=13 {
            assert_eq!(backward(t(3, minor)), ["JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"]);
        }
        for minor in 14..=15 {
            let tab = t(3, minor);
            assert_eq!(backward(tab), ["END_ASYNC_FOR", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"]);
            assert!(tab.has(op(tab, "END_ASYNC_FOR"), JUMP | JREL));
        }
        for minor in 11..=15 {
            let tab = t(3, minor);
            assert!((0..=255u8).all(|n| !tab.has(n, JABS)), "3.{minor} has no absolute jumps");
        }
    }

    #[test]
    fn argument_tables_match_section_6_5() {
        let six = ["<", "<=", "==", "!=", ">", ">="];
        for (major, minor) in ALL {
            let tab = t(major, minor);
            assert_eq!(tab.cmp_op[..6], six);
            let expect = if (major, minor) <= (3, 8) { 12 } else { 6 };
            assert_eq!(tab.cmp_op.len(), expect, "{major}.{minor}");
        }
        assert_eq!(t(3, 8).cmp_op[6..], ["in", "not in", "is", "is not", "exception match", "BAD"]);

        let symbols = ["+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^"];
        for minor in 11..=15 {
            let nb = t(3, minor).nb_ops;
            assert_eq!(nb.len(), if minor >= 14 { 27 } else { 26 });
            for (i, s) in symbols.iter().enumerate() {
                assert_eq!(nb[i].1, *s);
                assert_eq!(nb[i + 13].1, format!("{s}="));
            }
            assert_eq!(nb[0].0, "NB_ADD");
        }
        assert_eq!(t(3, 14).nb_ops[26], ("NB_SUBSCR", "[]"));
        assert!(t(3, 10).nb_ops.is_empty());

        let i1 = [
            "INVALID",
            "PRINT",
            "IMPORT_STAR",
            "STOPITERATION_ERROR",
            "ASYNC_GEN_WRAP",
            "UNARY_POSITIVE",
            "LIST_TO_TUPLE",
            "TYPEVAR",
            "PARAMSPEC",
            "TYPEVARTUPLE",
            "SUBSCRIPT_GENERIC",
            "TYPEALIAS",
        ];
        let i2 = [
            "INVALID",
            "PREP_RERAISE_STAR",
            "TYPEVAR_WITH_BOUND",
            "TYPEVAR_WITH_CONSTRAINTS",
            "SET_FUNCTION_TYPE_PARAMS",
            "SET_TYPEPARAM_DEFAULT",
        ];
        let ends = |descs: &[&str], tails: &[&str]| {
            descs.len() == tails.len() && descs.iter().zip(tails).all(|(d, t)| d.ends_with(t))
        };
        for minor in 12..=15 {
            let tab = t(3, minor);
            assert!(ends(tab.intrinsic1, &i1), "3.{minor}");
            let n2 = if minor == 12 { 5 } else { 6 };
            assert!(ends(tab.intrinsic2, &i2[..n2]), "3.{minor}");
        }
        assert!(t(3, 11).intrinsic1.is_empty());

        // What dis prints for LOAD_COMMON_CONSTANT: type names, else reprs (all, any are
        // builtin functions, so dis shows "<built-in function all>").
        let c314 =
            ["AssertionError", "NotImplementedError", "tuple", "<built-in function all>", "<built-in function any>"];
        assert_eq!(t(3, 14).common_constants, c314);
        assert_eq!(t(3, 15).common_constants[..5], c314);
        assert_eq!(t(3, 15).common_constants[5..], ["list", "set", "None", "''", "True", "False", "-1"]);
        assert!(t(3, 13).common_constants.is_empty());
        for minor in 14..=15 {
            assert_eq!(t(3, minor).special_methods, ["__enter__", "__exit__", "__aenter__", "__aexit__"]);
        }

        let four = ["defaults", "kwdefaults", "annotations", "closure"];
        for (major, minor) in ALL {
            let tab = t(major, minor);
            let flags = tab.function_flags;
            match minor {
                _ if major == 2 || minor <= 7 => assert!(flags.is_empty(), "{major}.{minor}"),
                8..=13 => assert_eq!(flags, four),
                _ => assert_eq!(flags, ["defaults", "kwdefaults", "annotations", "closure", "annotate"]),
            }
            let conv: &[&str] = if major == 2 { &[] } else { &["", "str", "repr", "ascii"] };
            assert_eq!(tab.format_converters, conv);
        }
    }

    #[test]
    fn argument_kinds_match_section_6_5() {
        for minor in 13..=15 {
            let tab = t(3, minor);
            for name in ["LOAD_FAST_LOAD_FAST", "STORE_FAST_LOAD_FAST", "STORE_FAST_STORE_FAST"] {
                assert!(tab.has(op(tab, name), HAS_ARG | LOCAL), "{name} 3.{minor}");
            }
            assert!(tab.has(op(tab, "COMPARE_OP"), COMPARE));
        }
        for minor in 14..=15 {
            let tab = t(3, minor);
            for name in ["LOAD_SMALL_INT", "LOAD_COMMON_CONSTANT", "LOAD_SPECIAL"] {
                assert!(tab.has_arg(op(tab, name)) && !tab.has(op(tab, name), CONST), "{name}");
            }
        }
        for (major, minor) in ALL {
            let tab = t(major, minor);
            assert!(tab.has(op(tab, "LOAD_CONST"), HAS_ARG | CONST));
            assert!(tab.has(op(tab, "LOAD_FAST"), HAS_ARG | LOCAL));
            // 3.14+ lists LOAD_DEREF in haslocal, not hasfree; dis treats both alike.
            let deref = op(tab, "LOAD_DEREF");
            assert!(tab.has(deref, HAS_ARG | FREE) != tab.has(deref, HAS_ARG | LOCAL));
            assert_eq!(tab.has(deref, LOCAL), tab.version.at_least(3, 14));
            assert!(tab.has(op(tab, "LOAD_GLOBAL"), HAS_ARG | NAME));
            assert!((0..=255u8).all(|n| !tab.has(n, EXC)));
        }
        for (minor, has) in [(11, true), (12, true), (13, false)] {
            let tab = t(3, minor);
            assert_eq!(tab.opcode("KW_NAMES").is_some_and(|n| tab.has(n, CONST)), has);
        }
        for (minor, has) in [(11, false), (12, true), (13, true), (14, false)] {
            let tab = t(3, minor);
            assert_eq!(tab.opcode("RETURN_CONST").is_some_and(|n| tab.has(n, CONST)), has);
        }
    }

    #[test]
    fn other_names_only_cover_non_base_numbers() {
        for (major, minor) in ALL {
            let tab = t(major, minor);
            for &(n, name, base) in tab.other_names {
                assert!(!tab.is_base(n) && !name.is_empty(), "{name}");
                assert!(base == n || tab.is_base(base), "{name}");
                assert_eq!(tab.dis_name(n), Some(name));
            }
            if minor <= 10 {
                assert!(tab.other_names.is_empty());
            }
        }
        let t312 = t(3, 12);
        let slot = t312.other_names.iter().find(|o| o.1 == "LOAD_ATTR_SLOT").expect("specialised");
        assert_eq!(t312.deopt(slot.0), op(t312, "LOAD_ATTR"));
        assert_eq!(t312.cache_entries(slot.0), 9);
        assert_eq!(t(3, 14).dis_name(255), Some("ENTER_EXECUTOR"));
        assert_eq!(t(3, 15).dis_name(254), Some("ENTER_EXECUTOR"));
        assert_eq!(t(3, 10).dis_name(200), None);
    }
}
