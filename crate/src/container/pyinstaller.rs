//! PyInstaller executables (ELF, PE, Mach-O alike): the CArchive ("PKG") that the bootloader
//! finds by the cookie at its end, and the PYZ archive of modules inside it.
//!
//! The facts, as PyInstaller's own `PyInstaller/archive/readers.py`, `writers.py` and
//! `loader/pyimod01_archive.py` (6.11) state them:
//! - the cookie is `MEI\x0c\x0b\x0a\x0b\x0e`, then big-endian u32 archive length, TOC offset,
//!   TOC length and Python version (`major * 100 + minor`), then 64 bytes of the libpython
//!   name (2.1 and later; PyInstaller 2.0's cookie ends after the version, which was
//!   `major * 10 + minor`); the archive ends with the cookie, so it starts at the cookie's end
//!   minus the archive length;
//! - each TOC entry is big-endian u32 entry length, data offset, data length, uncompressed
//!   length, a compression flag byte (zlib), a type code byte and the NUL-padded name;
//! - type codes: `s` the entry scripts, `m`/`M` modules and packages (marshal data of a
//!   code object, without a pyc header since 5.x), `z` a PYZ archive, `Z` a zip file (a zipped
//!   egg, `ZIPFILE` in a spec's TOC: the bootloader extracts it under `eggs/` and the bootstrap
//!   puts it on `sys.path`, so its members are listed as a zip's), `b` binaries,
//!   `x` data, `d` dependencies, `l` splash resources, `n` symlinks, `o` runtime options (not
//!   files; left out of the listing as PyInstaller's reader leaves them out of its TOC);
//! - a PYZ is `PYZ\0`, the pyc magic of the interpreter that built it, a big-endian i32 TOC
//!   offset; the TOC is a marshalled list (a dict before 5.x) of
//!   `(name, (typecode, offset, length))`, typecode 0 module, 1 package, 2 data, 3 namespace
//!   package; each entry is zlib-compressed marshal data of a code object without a header,
//!   encrypted too by PyInstaller 3.x–5.x when built with a key ([`super::pyz_crypto`]).

use super::pyz_crypto::{self, Key, Mode};
use super::{inflate, Budget, Container, Format, Limits, Member, MemberKind, Role};
use crate::error::{DecodeError, ErrorKind, Result};
use crate::pyc::object::{ObjId, Objects, Value};
use crate::pyc::reading::Python;
use crate::pyc::version::{Implementation, Magic, PyVersion};

/// The cookie's signature.
const COOKIE: &[u8] = b"MEI\x0c\x0b\x0a\x0b\x0e";

/// PyInstaller 2.1+'s cookie: signature, four u32 and the 64-byte libpython name.
const COOKIE_LEN: usize = 88;

/// PyInstaller 2.0's: signature and four u32.
const OLD_COOKIE_LEN: usize = 24;

/// A TOC entry's fixed part.
const ENTRY_LEN: usize = 18;

/// Which kind of executable `data` is by its first bytes ("an ELF", "a PE (Windows)", "a Mach-O",
/// universal ones too), with its article for a message: one without a cookie is refused as one that
/// cannot hold a PyInstaller archive whole, rather than read as a pyc with a strange magic.
pub fn executable(data: &[u8]) -> Option<&'static str> {
    const MACH_O: [&[u8]; 5] =
        [b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"];
    if data.starts_with(b"\x7fELF") {
        Some("an ELF")
    } else if data.starts_with(b"MZ") {
        Some("a PE (Windows)")
    } else if MACH_O.iter().any(|m| data.starts_with(m)) {
        Some("a Mach-O")
    } else {
        None
    }
}

/// The error for an executable with no cookie: PyInstaller writes it last, so a download cut
/// short loses it first.
pub fn no_cookie(format: &str, data: &[u8]) -> DecodeError {
    DecodeError::new(
        ErrorKind::Truncated,
        data.len(),
        format!(
            "{format} executable with no PyInstaller archive (cut short, or not built by PyInstaller): the file \
             ends without the cookie (MEI\\x0c\\x0b\\x0a\\x0b\\x0e) that closes one"
        ),
    )
}

/// Where the last cookie starts (the bootloader, too, takes the last one).
pub fn find_cookie(data: &[u8]) -> Option<usize> {
    data.windows(COOKIE.len()).rposition(|w| w == COOKIE)
}

/// The big-endian u32 at `at`, or a truncation error naming `what`.
fn be32(data: &[u8], at: usize, what: &str) -> Result<u32> {
    data.get(at..at.saturating_add(4))
        .and_then(|b| b.try_into().ok())
        .map(u32::from_be_bytes)
        .ok_or_else(|| DecodeError::new(ErrorKind::Truncated, at, format!("the file ends inside {what}")))
}

/// The bytes `[start, start + len)`, or an error naming `what` and its claimed extent.
fn slice<'a>(data: &'a [u8], start: usize, len: usize, what: &str) -> Result<&'a [u8]> {
    start.checked_add(len).and_then(|end| data.get(start..end)).ok_or_else(|| {
        DecodeError::new(
            ErrorKind::Truncated,
            start.min(data.len()),
            format!("{what} claims {len} bytes at byte {start}, past the end of the data ({} bytes)", data.len()),
        )
    })
}

/// The version the cookie records, as pyclens names it: `major * 100 + minor` in PyInstaller
/// 5.13's writers.py (Python 3.10 needed it), `major * 10 + minor` in 3.6's and 4.0's (with the 88-byte
/// cookie too), told apart by size: no Python had a minor of 10 while the older form was written.
fn cookie_python(pyvers: u32) -> Option<Python> {
    let (major, minor) = if pyvers >= 100 { (pyvers / 100, pyvers % 100) } else { (pyvers / 10, pyvers % 10) };
    format!("{major}.{minor}").parse().ok()
}

/// Reads the CArchive whose cookie starts at `cookie`, and the PYZ archives in it.
pub fn read(data: &[u8], cookie: usize, limits: Limits) -> Result<Container> {
    let pkg_length = be32(data, cookie + 8, "the PyInstaller cookie")? as usize;
    let toc_offset = be32(data, cookie + 12, "the PyInstaller cookie")? as usize;
    let toc_length = be32(data, cookie + 16, "the PyInstaller cookie")? as usize;
    let pyvers = be32(data, cookie + 20, "the PyInstaller cookie")?;
    let new_cookie = data
        .get(cookie + OLD_COOKIE_LEN..cookie + COOKIE_LEN)
        .is_some_and(|name| name.windows(6).any(|w| w.eq_ignore_ascii_case(b"python")));
    let cookie_end = cookie + if new_cookie { COOKIE_LEN } else { OLD_COOKIE_LEN };
    let start = cookie_end.checked_sub(pkg_length).ok_or_else(|| {
        DecodeError::new(
            ErrorKind::BadLength,
            cookie + 8,
            format!(
                "the PyInstaller archive claims {pkg_length} bytes, more than the {cookie_end} before its cookie's end"
            ),
        )
    })?;
    let archive = &data[start..cookie_end];
    let python = cookie_python(pyvers);
    let toc = slice(archive, toc_offset, toc_length, "the PyInstaller archive's table of contents")?;
    let mut budget = Budget::new(limits);
    let mut members = Vec::new();
    // The key of an encrypted PYZ, from the bootstrap module PyInstaller writes before it.
    let mut key: Option<Result<Key>> = None;
    let mut pos = 0;
    while pos < toc.len() {
        let at = start + toc_offset + pos;
        let fixed = slice(toc, pos, ENTRY_LEN, "a table-of-contents entry").map_err(|e| moved(e, at - pos))?;
        let entry_length = be32(fixed, 0, "a table-of-contents entry")? as usize;
        if entry_length < ENTRY_LEN {
            return Err(DecodeError::new(
                ErrorKind::BadLength,
                at,
                format!("a table-of-contents entry claims {entry_length} bytes, less than its fixed {ENTRY_LEN}"),
            ));
        }
        let entry = slice(toc, pos, entry_length, "a table-of-contents entry").map_err(|e| moved(e, at - pos))?;
        pos += entry_length;
        let offset = be32(entry, 4, "")? as usize;
        let length = be32(entry, 8, "")? as usize;
        let size = u64::from(be32(entry, 12, "")?);
        let compressed = entry[16] != 0;
        let typecode = entry[17];
        let name = String::from_utf8_lossy(&entry[ENTRY_LEN..]).trim_end_matches('\0').to_string();
        if typecode == b'o' {
            continue;
        }
        budget.entry(at)?;
        let kind = match typecode {
            b's' | b'm' | b'M' => MemberKind::Code { python },
            b'z' | b'Z' => MemberKind::Other,
            _ => {
                let (kind, role, offset) = (MemberKind::Other, Role::File, start + offset);
                members.push(Member { name, kind, role, data: Vec::new(), size, offset });
                continue;
            }
        };
        let raw = slice(archive, offset, length, &name).map_err(|e| moved(e, start))?;
        let bytes = contents(raw, compressed, size, &name, start + offset, &mut budget)?;
        if typecode == b'z' {
            let (role, offset) = (Role::Pyz, start + offset);
            members.push(Member { name: name.clone(), kind, role, data: Vec::new(), size, offset });
            let pyz = Pyz { prefix: format!("{name}/"), base: offset, key: key.clone() };
            read_pyz(&bytes, &pyz, &mut budget, &mut members)?;
        } else if typecode == b'Z' {
            let (role, offset) = (Role::File, start + offset);
            members.push(Member { name: name.clone(), kind, role, data: Vec::new(), size, offset });
            read_zipfile(&bytes, &name, offset, compressed, &mut budget, &mut members)?;
        } else {
            let role = if typecode == b's' { Role::Script } else { Role::Module };
            let member = Member { name, kind, role, data: bytes, size, offset: start + offset };
            if member.name == pyz_crypto::KEY_MODULE {
                key = pyz_crypto::key_of(&member).transpose();
            }
            members.push(member);
        }
    }
    Ok(Container { format: Format::PyInstaller, members })
}

/// The error `e` about bytes of a part, placed in the whole file (the part starts at `base`).
fn moved(mut e: DecodeError, base: usize) -> DecodeError {
    e.offset += base;
    e
}

/// An entry's bytes: inflated within the budget when flagged, else as stored.
fn contents(
    raw: &[u8],
    compressed: bool,
    size: u64,
    name: &str,
    offset: usize,
    budget: &mut Budget,
) -> Result<Vec<u8>> {
    if !compressed {
        budget.allowance(name, offset, raw.len() as u64, Some(raw.len() as u64))?;
        budget.spend(raw.len() as u64);
        return Ok(raw.to_vec());
    }
    let allowance = budget.allowance(name, offset, raw.len() as u64, Some(size))?;
    let out =
        inflate::zlib(raw, allowance, name, offset)?.ok_or_else(|| budget.exceeded(name, offset, raw.len() as u64))?;
    if out.len() as u64 > size {
        return Err(DecodeError::new(
            ErrorKind::BadLength,
            offset,
            format!("{name} inflates to {} bytes, but the archive says {size}: a lying size", out.len()),
        ));
    }
    budget.spend(out.len() as u64);
    Ok(out)
}

/// The members of a `Z` entry, a zip file (at file offset `base`; `compressed` when the
/// CArchive stored it deflated, whose offsets inside cannot then be placed in the file): each
/// named `<entry name>/<zip member>`.
fn read_zipfile(
    zip: &[u8],
    name: &str,
    base: usize,
    compressed: bool,
    budget: &mut Budget,
    members: &mut Vec<Member>,
) -> Result<()> {
    let place = |offset: usize| if compressed { base } else { base + offset };
    let inner = super::zip::members(zip, budget).map_err(|e| {
        let at = place(e.offset);
        DecodeError { message: format!("{name} (a zip file in the archive): {}", e.message), offset: at, ..e }
    })?;
    for m in inner {
        members.push(Member { name: format!("{name}/{}", m.name), offset: place(m.offset), ..m });
    }
    Ok(())
}

/// Reads a PYZ archive on its own (`PYZ-00.pyz` as PyInstaller's build folder or an
/// extractor leaves it): its modules, named as in its table of contents. An encrypted one
/// cannot be read: its key is in the executable, not in the PYZ.
pub fn read_bare_pyz(data: &[u8], limits: Limits) -> Result<Container> {
    let mut budget = Budget::new(limits);
    let mut members = Vec::new();
    read_pyz(data, &Pyz { prefix: String::new(), base: 0, key: None }, &mut budget, &mut members)?;
    Ok(Container { format: Format::PyInstaller, members })
}

/// Where a PYZ archive is and what reading it needs.
struct Pyz {
    /// What its modules' names start with (`PYZ-00.pyz/` inside a CArchive, else empty).
    prefix: String,
    /// Its offset in the file.
    base: usize,
    /// The key bundled beside it, if any (or why the key module could not be read).
    key: Option<Result<Key>>,
}

/// The modules of the PYZ archive `pyz`, each named the [`Pyz`]'s prefix and its module name
/// (`PYZ-00.pyz/json` inside a CArchive), read as the version of the PYZ's magic.
fn read_pyz(pyz: &[u8], at: &Pyz, budget: &mut Budget, members: &mut Vec<Member>) -> Result<()> {
    let (prefix, base) = (at.prefix.as_str(), at.base);
    let name = prefix.strip_suffix('/').unwrap_or("the PYZ archive");
    if !pyz.starts_with(b"PYZ\0") || pyz.len() < 12 {
        return Err(DecodeError::new(ErrorKind::BadHeader, base, format!("{name} does not start with PYZ\\0")));
    }
    let magic = Magic::identify([pyz[4], pyz[5], pyz[6], pyz[7]]).ok();
    let python = magic.map(|m| Python { implementation: Implementation::CPython, version: m.version });
    let toc_offset = be32(pyz, 8, "the PYZ header")? as usize;
    if toc_offset < 12 || toc_offset >= pyz.len() {
        return Err(DecodeError::new(
            ErrorKind::BadLength,
            base + 8,
            format!(
                "{name}'s table of contents is said to start at byte {toc_offset}, outside its {} bytes",
                pyz.len()
            ),
        ));
    }
    let layout_magic = magic
        .or_else(|| Magic::of(PyVersion::new(3, 12), Implementation::CPython))
        .ok_or_else(|| DecodeError::new(ErrorKind::UnknownMagic, base + 4, "no magic to read the PYZ with"))?;
    let layout = crate::pyc::code::layout_for(&layout_magic);
    let toc = crate::pyc::marshal::read(pyz, toc_offset, layout, layout_magic.version.major >= 3)
        .map_err(|e| moved(e, base))?;
    let entries = toc_entries(&toc.objects, toc.root).ok_or_else(|| {
        DecodeError::new(
            ErrorKind::BadValue,
            base + toc_offset,
            format!("{name}'s table of contents is not a list of (name, (type, offset, length))"),
        )
    })?;
    for (module, typecode, pos, len) in entries {
        let full = format!("{prefix}{module}");
        budget.entry(base + pos)?;
        let raw = slice(pyz, pos, len, &full).map_err(|e| moved(e, base))?;
        let data = entry_data(raw, &at.key, &full, base + pos, budget)?;
        budget.spend(data.len() as u64);
        let size = data.len() as u64;
        let (kind, role, data) = match typecode {
            2 => (MemberKind::Other, Role::File, Vec::new()),
            _ => (MemberKind::Code { python }, Role::PyzModule, data),
        };
        members.push(Member { name: full, kind, role, data, size, offset: base + pos });
    }
    Ok(())
}

/// A PYZ entry's marshal data: inflated as stored, or, when that is not zlib data and the
/// archive bundles a key, decrypted first in the mode that gives zlib data (PyInstaller 4.0–5.x's
/// CTR, then 3.x's CFB-8). Without a key, the error says the entry is likely encrypted.
fn entry_data(raw: &[u8], key: &Option<Result<Key>>, name: &str, offset: usize, budget: &Budget) -> Result<Vec<u8>> {
    let allowance = budget.allowance(name, offset, raw.len() as u64, None)?;
    let inflate = |bytes: &[u8]| {
        inflate::zlib(bytes, allowance, name, offset)
            .map(|out| out.ok_or_else(|| budget.exceeded(name, offset, raw.len() as u64)))
    };
    let plain_error = match inflate(raw) {
        Ok(out) => return out,
        Err(e) => e,
    };
    let key = match key {
        None => {
            return Err(DecodeError {
                message: format!(
                    "{}: encrypted? PyInstaller 3.x-5.x encrypted PYZ entries when built with a key, but no {} \
                     module bundled beside this PYZ holds one",
                    plain_error.message,
                    pyz_crypto::KEY_MODULE
                ),
                ..plain_error
            })
        }
        Some(Err(e)) => return Err(e.clone()),
        Some(Ok(key)) => key,
    };
    for mode in [Mode::Ctr, Mode::Cfb8] {
        if let Some(Ok(out)) = pyz_crypto::decrypt(raw, key, mode).map(|plain| inflate(&plain)) {
            return out;
        }
    }
    Err(DecodeError::new(
        ErrorKind::BadValue,
        offset,
        format!(
            "{name}: not zlib data as stored, nor once decrypted with the bundled key (AES-CTR as PyInstaller \
             4.0-5.x, AES-CFB as 3.x)"
        ),
    ))
}

/// The `(name, typecode, offset, length)` of every entry of a PYZ table of contents: a
/// list of pairs (PyInstaller 5+) or a dict (before).
fn toc_entries(objects: &Objects<'_>, root: ObjId) -> Option<Vec<(String, i64, usize, usize)>> {
    let pairs: Vec<(ObjId, ObjId)> = match &objects.resolve(root).value {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|&item| objects.seq(item).and_then(|p| Some((*p.first()?, *p.get(1)?))))
            .collect::<Option<_>>()?,
        Value::Dict(pairs) => pairs.to_vec(),
        _ => return None,
    };
    let int = |id: ObjId| match objects.resolve(id).value {
        Value::Int(n) => Some(n),
        _ => None,
    };
    pairs
        .into_iter()
        .map(|(key, value)| {
            let name = String::from_utf8_lossy(objects.str_bytes(key)?).into_owned();
            let [typecode, pos, len] = objects.seq(value)? else { return None };
            Some((name, int(*typecode)?, usize::try_from(int(*pos)?).ok()?, usize::try_from(int(*len)?).ok()?))
        })
        .collect()
}
