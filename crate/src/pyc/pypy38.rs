//! Telling PyPy 3.8's files from CPython 3.8's: PyPy 3.8 writes CPython 3.8's own magic
//! number, so the header cannot say; its bytecode (PyPy-only opcodes) or its file name (the
//! PEP 3147 cache tag `pypy38`) can.

use crate::bytecode::opcodes;
use crate::pyc::code;
use crate::pyc::object::Value;
use crate::pyc::version::{Implementation, PyVersion};
use crate::Pyc;

/// CPython 3.8's final magic, which PyPy 3.8 writes as well.
const PYPY38_MAGIC: u16 = 3413;

/// PyPy's own opcode numbers (LOOKUP_METHOD 201 … LOAD_REVDB_VAR 205 in PyPy 2.7–3.9's
/// tables), none of which CPython 3.8 assigns: one at an instruction start marks PyPy 3.8.
const PYPY_ONLY_OPCODES: std::ops::RangeInclusive<u8> = 201..=205;

/// True when the file name's last component carries the tag as a dotted part after the
/// module's name: `<module>.<tag>.pyc` (PEP 3147), pytest's `<module>.<tag>-pytest-<version>.pyc`
/// (its assertion-rewrite cache), or `<module>.py.<tag>.pyc` as xdis's test corpus names them.
fn has_cache_tag(name: &str, tag: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.match_indices('.').any(|(i, _)| {
        let rest = &base[i + 1..];
        i > 0 && rest.strip_prefix(tag).is_some_and(|r| r.starts_with('.') || r.starts_with("-pytest-"))
    })
}

/// True when a 3413 file is named as PyPy 3.8's importer (or pytest under it) names it.
pub(crate) fn is_named_pypy38(pyc: &Pyc, name: &str) -> bool {
    pyc.header.magic.number == Some(PYPY38_MAGIC) && has_cache_tag(name, "pypy38")
}

/// True when some code object's bytecode has a PyPy-only opcode at an instruction start
/// (2-byte units from 3.6 on) and every other opcode is one CPython 3.8 has: how a PyPy
/// 3.8 file is told from CPython 3.8's. Damaged bytecode (opcodes neither has) stays
/// CPython's, so it is still listed with CPython 3.8's table.
pub(crate) fn has_pypy_opcodes(pyc: &Pyc) -> bool {
    if pyc.header.magic.number != Some(PYPY38_MAGIC) {
        return false;
    }
    let Some(cpython) = opcodes::table_for(PyVersion::new(3, 8), Implementation::CPython) else {
        return false;
    };
    let (mut pypy_only, mut foreign) = (false, false);
    for id in pyc.code_objects() {
        let Value::Code(code) = &pyc.objects.get(id).value else { continue };
        let bytes = code.object(code::Field::Code).and_then(|c| pyc.objects.str_bytes(c)).unwrap_or(&[]);
        for &op in bytes.iter().step_by(2) {
            pypy_only |= PYPY_ONLY_OPCODES.contains(&op);
            foreign |= !PYPY_ONLY_OPCODES.contains(&op) && !cpython.is_base(op);
        }
    }
    pypy_only && !foreign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_tag_is_the_dotted_part_before_the_extension() {
        assert!(has_cache_tag("__pycache__/01_callback.pypy38.pyc", "pypy38"));
        assert!(has_cache_tag("C:\\x\\m.pypy38.pyc", "pypy38"));
        assert!(!has_cache_tag("pypy38.pyc", "pypy38"));
        assert!(!has_cache_tag("m.cpython-38.pyc", "pypy38"));
        assert!(!has_cache_tag("pypy38.d/m.pyc", "pypy38"));
        assert!(has_cache_tag("__pycache__/test_empty.pypy38-pytest-6.2.5.pyc", "pypy38"));
        assert!(!has_cache_tag("m.pypy389.pyc", "pypy38"));
        assert!(has_cache_tag("10_fstring.py.pypy38.pyc", "pypy38"));
        assert!(!has_cache_tag(".pypy38.pyc", "pypy38"));
    }
}
