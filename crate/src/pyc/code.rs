//! Code objects: which fields each era writes, in which order and width.
//!
//! The on-disk layout changed eight times between 1.0 and 3.11 and not since. Each layout is
//! a table of `(field, width)` rows read by one loop in the marshal reader, so an era is
//! added by adding a table, never by another reader.

use crate::pyc::object::{ObjId, Span};
use crate::pyc::version::{CodeFormat, Implementation, Magic, PyVersion};

/// A field of a code object as it is stored on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Number of positional parameters (including positional-only ones).
    Argcount,
    /// Positional-only parameters (3.8+).
    Posonlyargcount,
    /// Keyword-only parameters (3.0+).
    Kwonlyargcount,
    /// Number of local variables (on disk until 3.10; derived afterwards).
    Nlocals,
    /// Maximum evaluation-stack depth.
    Stacksize,
    /// `CO_*` flag bits.
    Flags,
    /// The bytecode.
    Code,
    /// Constants.
    Consts,
    /// Global and attribute names.
    Names,
    /// Local variable names (on disk until 3.10).
    Varnames,
    /// Free variable names (2.1–3.10 on disk).
    Freevars,
    /// Cell variable names (2.1–3.10 on disk).
    Cellvars,
    /// 3.11+: locals, cells and free variables in one tuple.
    Localsplusnames,
    /// 3.11+: one kind byte per entry of `Localsplusnames`.
    Localspluskinds,
    /// Source file name as the compiler saw it.
    Filename,
    /// Function, class or module name.
    Name,
    /// Dotted qualified name (3.11+).
    Qualname,
    /// First source line.
    Firstlineno,
    /// Address-to-line table up to 3.9.
    Lnotab,
    /// 3.10 line table or 3.11+ location table.
    Linetable,
    /// 3.11+ exception table.
    Exceptiontable,
    /// RustPython: (line, zero-based column) of each instruction, two `u32`s apiece.
    Locations,
    /// RustPython and GraalPy: the argument each cell variable starts as (`-1`: none).
    Cell2arg,
    /// GraalPy: the flags of the outer code record (`PCode`), beside its code unit's own
    /// `co_flags`.
    GraalOuterFlags,
    /// GraalPy: the byte count of the serialized code unit inside the outer code record.
    GraalUnitSize,
    /// GraalPy 3.12 (25.0): the type byte (`U`) that starts the serialized code unit.
    GraalUnitType,
    /// GraalPy: `Compiler.BYTECODE_VERSION`, the first byte of a code unit.
    GraalBytecodeVersion,
    /// GraalPy: the source-offset table, start and end line and column of every instruction.
    GraalSrcOffsetTable,
    /// GraalPy: `primitiveConstants`, the 64-bit ints and float bits LOAD_INT, LOAD_LONG
    /// and LOAD_DOUBLE index.
    GraalPrimitiveConstants,
    /// GraalPy: `exceptionHandlerRanges`, (start, end, handler, stack depth) quadruples.
    GraalExceptionHandlerRanges,
    /// GraalPy: how many branch profiles the conditional jumps number.
    GraalConditionProfileCount,
    /// GraalPy: the line the code unit's source starts at.
    GraalStartLine,
    /// GraalPy: the column it starts at.
    GraalStartColumn,
    /// GraalPy: the line it ends at.
    GraalEndLine,
    /// GraalPy: the column it ends at.
    GraalEndColumn,
    /// GraalPy: quickening data, one byte per bytecode byte.
    GraalOutputCanQuicken,
    /// GraalPy: quickening data, one byte per local variable.
    GraalVariableShouldUnbox,
    /// GraalPy: quickening data, a sparse table by bytecode offset.
    GraalGeneralizeInputsMap,
    /// GraalPy: quickening data, a sparse table by bytecode offset.
    GraalGeneralizeVarsMap,
}

impl Field {
    /// The key in the JSON document: CPython's attribute name where CPython exposes the
    /// field as an attribute, the bare name for the 3.11+ on-disk tables it does not expose.
    pub fn key(self) -> &'static str {
        match self {
            Field::Argcount => "co_argcount",
            Field::Posonlyargcount => "co_posonlyargcount",
            Field::Kwonlyargcount => "co_kwonlyargcount",
            Field::Nlocals => "co_nlocals",
            Field::Stacksize => "co_stacksize",
            Field::Flags => "co_flags",
            Field::Code => "co_code",
            Field::Consts => "co_consts",
            Field::Names => "co_names",
            Field::Varnames => "co_varnames",
            Field::Freevars => "co_freevars",
            Field::Cellvars => "co_cellvars",
            Field::Localsplusnames => "localsplusnames",
            Field::Localspluskinds => "localspluskinds",
            Field::Filename => "co_filename",
            Field::Name => "co_name",
            Field::Qualname => "co_qualname",
            Field::Firstlineno => "co_firstlineno",
            Field::Lnotab => "co_lnotab",
            Field::Linetable => "co_linetable",
            Field::Exceptiontable => "co_exceptiontable",
            Field::Locations => "locations",
            Field::Cell2arg => "cell2arg",
            Field::GraalOuterFlags => "code_flags",
            Field::GraalUnitSize => "code_unit_size",
            Field::GraalUnitType => "code_unit_type",
            Field::GraalBytecodeVersion => "bytecode_version",
            Field::GraalSrcOffsetTable => "src_offset_table",
            Field::GraalPrimitiveConstants => "primitive_constants",
            Field::GraalExceptionHandlerRanges => "exception_handler_ranges",
            Field::GraalConditionProfileCount => "condition_profile_count",
            Field::GraalStartLine => "start_line",
            Field::GraalStartColumn => "start_column",
            Field::GraalEndLine => "end_line",
            Field::GraalEndColumn => "end_column",
            Field::GraalOutputCanQuicken => "output_can_quicken",
            Field::GraalVariableShouldUnbox => "variable_should_unbox",
            Field::GraalGeneralizeInputsMap => "generalize_inputs_map",
            Field::GraalGeneralizeVarsMap => "generalize_vars_map",
        }
    }
}

/// How a field is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// A little-endian `i16` (1.3–2.2 counts).
    I16,
    /// A little-endian `i32`.
    I32,
    /// One byte (GraalPy's code-unit type and bytecode version).
    U8,
    /// A full marshal object.
    Object,
}

use Field::*;
use Width::{Object as Obj, I16, I32};

/// 1.0–1.2, type code `C`.
const LAYOUT_1_0: &[(Field, Width)] = &[(Code, Obj), (Consts, Obj), (Names, Obj), (Filename, Obj), (Name, Obj)];

/// 1.3–1.4.
const LAYOUT_1_3: &[(Field, Width)] = &[
    (Argcount, I16),
    (Nlocals, I16),
    (Flags, I16),
    (Code, Obj),
    (Consts, Obj),
    (Names, Obj),
    (Varnames, Obj),
    (Filename, Obj),
    (Name, Obj),
];

/// 1.5–2.0.
const LAYOUT_1_5: &[(Field, Width)] = &[
    (Argcount, I16),
    (Nlocals, I16),
    (Stacksize, I16),
    (Flags, I16),
    (Code, Obj),
    (Consts, Obj),
    (Names, Obj),
    (Varnames, Obj),
    (Filename, Obj),
    (Name, Obj),
    (Firstlineno, I16),
    (Lnotab, Obj),
];

/// 2.1–2.2: adds free and cell variables.
const LAYOUT_2_1: &[(Field, Width)] = &[
    (Argcount, I16),
    (Nlocals, I16),
    (Stacksize, I16),
    (Flags, I16),
    (Code, Obj),
    (Consts, Obj),
    (Names, Obj),
    (Varnames, Obj),
    (Freevars, Obj),
    (Cellvars, Obj),
    (Filename, Obj),
    (Name, Obj),
    (Firstlineno, I16),
    (Lnotab, Obj),
];

/// 2.3–2.7: the counts become 32-bit.
const LAYOUT_2_3: &[(Field, Width)] = &[
    (Argcount, I32),
    (Nlocals, I32),
    (Stacksize, I32),
    (Flags, I32),
    (Code, Obj),
    (Consts, Obj),
    (Names, Obj),
    (Varnames, Obj),
    (Freevars, Obj),
    (Cellvars, Obj),
    (Filename, Obj),
    (Name, Obj),
    (Firstlineno, I32),
    (Lnotab, Obj),
];

/// 3.0–3.7 (and 3.8 alphas before 3410): keyword-only arguments.
const LAYOUT_3_0: &[(Field, Width)] = &[
    (Argcount, I32),
    (Kwonlyargcount, I32),
    (Nlocals, I32),
    (Stacksize, I32),
    (Flags, I32),
    (Code, Obj),
    (Consts, Obj),
    (Names, Obj),
    (Varnames, Obj),
    (Freevars, Obj),
    (Cellvars, Obj),
    (Filename, Obj),
    (Name, Obj),
    (Firstlineno, I32),
    (Lnotab, Obj),
];

/// 3.8–3.9: positional-only arguments (magic 3410+).
const LAYOUT_3_8: &[(Field, Width)] = &[
    (Argcount, I32),
    (Posonlyargcount, I32),
    (Kwonlyargcount, I32),
    (Nlocals, I32),
    (Stacksize, I32),
    (Flags, I32),
    (Code, Obj),
    (Consts, Obj),
    (Names, Obj),
    (Varnames, Obj),
    (Freevars, Obj),
    (Cellvars, Obj),
    (Filename, Obj),
    (Name, Obj),
    (Firstlineno, I32),
    (Lnotab, Obj),
];

/// 3.10: same fields, the last one is the PEP 626 line table.
const LAYOUT_3_10: &[(Field, Width)] = &[
    (Argcount, I32),
    (Posonlyargcount, I32),
    (Kwonlyargcount, I32),
    (Nlocals, I32),
    (Stacksize, I32),
    (Flags, I32),
    (Code, Obj),
    (Consts, Obj),
    (Names, Obj),
    (Varnames, Obj),
    (Freevars, Obj),
    (Cellvars, Obj),
    (Filename, Obj),
    (Name, Obj),
    (Firstlineno, I32),
    (Linetable, Obj),
];

/// 3.11–3.15: localsplus, qualname, location and exception tables.
const LAYOUT_3_11: &[(Field, Width)] = &[
    (Argcount, I32),
    (Posonlyargcount, I32),
    (Kwonlyargcount, I32),
    (Stacksize, I32),
    (Flags, I32),
    (Code, Obj),
    (Consts, Obj),
    (Names, Obj),
    (Localsplusnames, Obj),
    (Localspluskinds, Obj),
    (Filename, Obj),
    (Name, Obj),
    (Qualname, Obj),
    (Firstlineno, I32),
    (Linetable, Obj),
    (Exceptiontable, Obj),
];

/// PyPy 3.11 ([`CodeFormat::PyPyPositions`]): 3.10's fields with `co_qualname` after
/// `co_name`; `co_linetable` is PyPy's position table. Read from PyPy 3.11.11's own pycs.
const LAYOUT_PYPY_3_11: &[(Field, Width)] = &[
    (Argcount, I32),
    (Posonlyargcount, I32),
    (Kwonlyargcount, I32),
    (Nlocals, I32),
    (Stacksize, I32),
    (Flags, I32),
    (Code, Obj),
    (Consts, Obj),
    (Names, Obj),
    (Varnames, Obj),
    (Freevars, Obj),
    (Cellvars, Obj),
    (Filename, Obj),
    (Name, Obj),
    (Qualname, Obj),
    (Firstlineno, I32),
    (Linetable, Obj),
];

/// A GraalPy code unit (`U`, nested functions and classes), as `readBytecodeCodeUnit` reads
/// it in GraalPy 24.0–25.0 (bytecode versions 28 and 29). Arrays and sparse tables are
/// objects of their own (`crate::pyc::graal` reads them); the outer record adds its fields
/// around these.
pub const LAYOUT_GRAALPY_UNIT: &[(Field, Width)] = &[
    (GraalBytecodeVersion, Width::U8),
    (Name, Obj),
    (Qualname, Obj),
    (Argcount, I32),
    (Kwonlyargcount, I32),
    (Posonlyargcount, I32),
    (Stacksize, I32),
    (Code, Obj),
    (GraalSrcOffsetTable, Obj),
    (Flags, I32),
    (Names, Obj),
    (Varnames, Obj),
    (Cellvars, Obj),
    (Freevars, Obj),
    (Cell2arg, Obj),
    (Consts, Obj),
    (GraalPrimitiveConstants, Obj),
    (GraalExceptionHandlerRanges, Obj),
    (GraalConditionProfileCount, I32),
    (GraalStartLine, I32),
    (GraalStartColumn, I32),
    (GraalEndLine, I32),
    (GraalEndColumn, I32),
    (GraalOutputCanQuicken, Obj),
    (GraalVariableShouldUnbox, Obj),
    (GraalGeneralizeInputsMap, Obj),
    (GraalGeneralizeVarsMap, Obj),
];

/// A GraalPy module: the outer code record (`C`, `readCode`) around its serialized unit.
const LAYOUT_GRAALPY: &[(Field, Width)] = &[
    (Filename, Obj),
    (GraalOuterFlags, I32),
    (GraalUnitSize, I32),
    (GraalBytecodeVersion, Width::U8),
    (Name, Obj),
    (Qualname, Obj),
    (Argcount, I32),
    (Kwonlyargcount, I32),
    (Posonlyargcount, I32),
    (Stacksize, I32),
    (Code, Obj),
    (GraalSrcOffsetTable, Obj),
    (Flags, I32),
    (Names, Obj),
    (Varnames, Obj),
    (Cellvars, Obj),
    (Freevars, Obj),
    (Cell2arg, Obj),
    (Consts, Obj),
    (GraalPrimitiveConstants, Obj),
    (GraalExceptionHandlerRanges, Obj),
    (GraalConditionProfileCount, I32),
    (GraalStartLine, I32),
    (GraalStartColumn, I32),
    (GraalEndLine, I32),
    (GraalEndColumn, I32),
    (GraalOutputCanQuicken, Obj),
    (GraalVariableShouldUnbox, Obj),
    (GraalGeneralizeInputsMap, Obj),
    (GraalGeneralizeVarsMap, Obj),
    (Firstlineno, I32),
    (Lnotab, Obj),
];

/// GraalPy 25.0 (3.12): its serialized unit starts with the unit's type byte.
const LAYOUT_GRAALPY_312: &[(Field, Width)] = &[
    (Filename, Obj),
    (GraalOuterFlags, I32),
    (GraalUnitSize, I32),
    (GraalUnitType, Width::U8),
    (GraalBytecodeVersion, Width::U8),
    (Name, Obj),
    (Qualname, Obj),
    (Argcount, I32),
    (Kwonlyargcount, I32),
    (Posonlyargcount, I32),
    (Stacksize, I32),
    (Code, Obj),
    (GraalSrcOffsetTable, Obj),
    (Flags, I32),
    (Names, Obj),
    (Varnames, Obj),
    (Cellvars, Obj),
    (Freevars, Obj),
    (Cell2arg, Obj),
    (Consts, Obj),
    (GraalPrimitiveConstants, Obj),
    (GraalExceptionHandlerRanges, Obj),
    (GraalConditionProfileCount, I32),
    (GraalStartLine, I32),
    (GraalStartColumn, I32),
    (GraalEndLine, I32),
    (GraalEndColumn, I32),
    (GraalOutputCanQuicken, Obj),
    (GraalVariableShouldUnbox, Obj),
    (GraalGeneralizeInputsMap, Obj),
    (GraalGeneralizeVarsMap, Obj),
    (Firstlineno, I32),
    (Lnotab, Obj),
];

/// RustPython ([`CodeFormat::RustPython`]): its code-object record in file order, as
/// `pyc::rustpython` reads it (`deserialize_code` of the pinned commit). Names, counts and
/// tables are length-prefixed there, not marshal objects; the reader makes nodes of them.
const LAYOUT_RUSTPYTHON: &[(Field, Width)] = &[
    (Code, Obj),
    (Locations, Obj),
    (Flags, I16),
    (Posonlyargcount, I32),
    (Argcount, I32),
    (Kwonlyargcount, I32),
    (Filename, Obj),
    (Firstlineno, I32),
    (Stacksize, I32),
    (Name, Obj),
    (Qualname, Obj),
    (Cell2arg, Obj),
    (Consts, Obj),
    (Names, Obj),
    (Varnames, Obj),
    (Cellvars, Obj),
    (Freevars, Obj),
    (Linetable, Obj),
    (Exceptiontable, Obj),
];

/// Magic numbers at which a layout starts inside a minor version's alphas.
const POSONLY_MAGIC: u16 = 3410;
const LINETABLE_310_MAGIC: u16 = 3431;

/// The layout of the code objects of a file with this magic: GraalPy's module record, else
/// its [`CodeFormat`] first, then CPython's layout by version and magic number.
pub fn layout_for(magic: &Magic) -> &'static [(Field, Width)] {
    if magic.implementation == Implementation::GraalPy {
        return if magic.version == PyVersion::new(3, 12) { LAYOUT_GRAALPY_312 } else { LAYOUT_GRAALPY };
    }
    match magic.code_format() {
        CodeFormat::PyPyPositions => LAYOUT_PYPY_3_11,
        CodeFormat::RustPython => LAYOUT_RUSTPYTHON,
        CodeFormat::CPython => layout(magic.version, magic.number_or_zero()),
    }
}

/// The layout a file's code objects use, chosen from its version and magic number.
pub fn layout(version: PyVersion, magic: u16) -> &'static [(Field, Width)] {
    match (version.major, version.minor) {
        (1, 0..=2) => LAYOUT_1_0,
        (1, 3..=4) => LAYOUT_1_3,
        (1, _) | (2, 0) => LAYOUT_1_5,
        (2, 1..=2) => LAYOUT_2_1,
        (2, _) => LAYOUT_2_3,
        (3, 0..=7) => LAYOUT_3_0,
        (3, 8) if magic < POSONLY_MAGIC => LAYOUT_3_0,
        (3, 8..=9) => LAYOUT_3_8,
        (3, 10) if magic < LINETABLE_310_MAGIC => LAYOUT_3_8,
        (3, 10) => LAYOUT_3_10,
        _ => LAYOUT_3_11,
    }
}

/// A field's value: an inline integer or a marshal object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValue {
    /// An `i16`/`i32` stored inline, with its bytes.
    Int {
        /// The value, sign-extended (marshal writes these fields as 16 or 32 bits; kept
        /// narrow, as thousands of code objects hold a dozen each).
        value: i32,
        /// Where its bytes are.
        span: Span,
    },
    /// A marshal object in the arena.
    Object(ObjId),
}

/// A code object as read: its fields in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// `(field, value)` in the order the layout stores them.
    pub fields: Vec<(Field, FieldValue)>,
}

impl Code {
    /// The value of `field`, if this era stores it.
    pub fn get(&self, field: Field) -> Option<FieldValue> {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, v)| *v)
    }

    /// An integer field's value.
    pub fn int(&self, field: Field) -> Option<i64> {
        match self.get(field)? {
            FieldValue::Int { value, .. } => Some(i64::from(value)),
            FieldValue::Object(_) => None,
        }
    }

    /// An object field's id.
    pub fn object(&self, field: Field) -> Option<ObjId> {
        match self.get(field)? {
            FieldValue::Object(id) => Some(id),
            FieldValue::Int { .. } => None,
        }
    }
}

/// `localspluskinds` bits (3.11+), from `Include/internal/pycore_code.h`.
pub mod kinds {
    /// A local variable (arguments included).
    pub const LOCAL: u8 = 0x20;
    /// A cell: a local captured by an inner scope.
    pub const CELL: u8 = 0x40;
    /// A free variable: captured from an enclosing scope.
    pub const FREE: u8 = 0x80;
}
