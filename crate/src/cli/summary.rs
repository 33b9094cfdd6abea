//! `info` for one file, for a person, and `versions`: the texts the CLI prints that are not
//! the JSON document or dis.

use pyclens::pyc::code::Field;
use pyclens::Pyc;

/// The header and what the file defines, for a person.
pub fn summary(pyc: &Pyc, given_by: &str) -> String {
    let h = &pyc.header;
    let mut out = String::new();
    let magic_hex: String = h.magic.bytes.iter().map(|b| format!("{b:02x}")).collect();
    let number = h.magic.number.map(|n| format!("magic {n}, ")).unwrap_or_default();
    let unicode = if h.magic.unicode_literals { " -U (unicode literals)" } else { "" };
    let pypy = match h.magic.implementation {
        pyclens::pyc::version::Implementation::CPython => "",
        other => &format!("{} ", other.name()),
    };
    out += &format!("python:       {pypy}{}{unicode} ({number}bytes {magic_hex})\n", h.version());
    out += &format!("header:       {} bytes, {}\n", h.size, kind_name(h.kind));
    out += &reading(pyc, given_by);
    if let Some(d) = &h.decrypted {
        out += &format!(
            "decrypted:    {}, {} code objects, opcodes renumbered to CPython's ({}-byte file; offsets are in \
             the {}-byte plaintext)\n",
            d.writer,
            d.code_objects,
            d.encrypted_size,
            pyc.data.len()
        );
    }
    if let Some(mtime) = h.mtime {
        out += &format!("mtime:        {} ({mtime})\n", utc_date(mtime as i64));
    }
    if let Some(size) = h.source_size {
        out += &format!("source size:  {size} bytes\n");
    }
    if let Some(hash) = h.source_hash {
        out += &format!("source hash:  {}\n", hash.iter().map(|b| format!("{b:02x}")).collect::<String>());
    }
    let codes = pyc.code_objects();
    out += &format!("code objects: {}\n", codes.len());
    let names: Vec<String> = codes.iter().skip(1).map(|&id| code_name(pyc, id)).collect();
    if !names.is_empty() {
        out += &format!("defines:      {}\n", names.join(", "));
    }
    if pyc.end < pyc.data.len() {
        out += &format!("trailing:     {} bytes after the code object\n", pyc.data.len() - pyc.end);
    }
    out
}

/// How the version was settled, when not by the magic: the lines `info` adds.
fn reading(pyc: &Pyc, given_by: &str) -> String {
    match &pyc.reading {
        pyclens::pyc::reading::Reading::Magic => String::new(),
        pyclens::pyc::reading::Reading::Given { found } => {
            let said = found.map(|m| format!(" (the header says {})", m.version)).unwrap_or_default();
            format!("reading:      as {}, chosen with {given_by}{said}\n", pyc.version())
        }
        pyclens::pyc::reading::Reading::Inferred { tried } => {
            let fits: Vec<String> = tried.iter().filter(|(_, m)| m.is_none()).map(|(v, _)| v.to_string()).collect();
            let mut out = format!(
                "reading:      inferred: the code fits {}; read as the newest (--python X.Y picks another)\n",
                fits.join(", ")
            );
            for (v, m) in tried {
                if let Some(m) = m {
                    out += &format!(
                        "  not {v}:{} {} at byte {}\n",
                        " ".repeat(5 - v.to_string().len()),
                        m.reason,
                        m.offset
                    );
                }
            }
            out
        }
    }
}

/// The header kind in words, as `info` prints it.
pub fn kind_name(kind: pyclens::PycKind) -> &'static str {
    match kind {
        pyclens::PycKind::Timestamp => "timestamp-based",
        pyclens::PycKind::HashChecked => "hash-based, checked against the source",
        pyclens::PycKind::HashUnchecked => "hash-based, not checked",
        pyclens::PycKind::Legacy => "timestamp (before PEP 552)",
        pyclens::PycKind::Headerless => "none: bare marshal data",
    }
}

/// The qualified name where the version has one, else the plain name.
fn code_name(pyc: &Pyc, id: pyclens::pyc::object::ObjId) -> String {
    let pyclens::pyc::object::Value::Code(code) = &pyc.objects.get(id).value else { return String::new() };
    let name = [Field::Qualname, Field::Name]
        .iter()
        .find_map(|&f| code.object(f).and_then(|o| pyc.objects.str_bytes(o)))
        .unwrap_or_default();
    String::from_utf8_lossy(name).into_owned()
}

/// `YYYY-MM-DD HH:MM:SS UTC` for seconds since the epoch (civil-from-days, proleptic
/// Gregorian), so the CLI needs no date crate.
fn utc_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Every recognised version and how far pyclens's reading of it was checked, one line each
/// (the same evidence the page's header card shows).
pub fn versions() -> String {
    let mut out = String::new();
    for (implementation, version, checked) in pyclens::pyc::support::support() {
        let how = checked.description();
        out.push_str(&format!("{:<8} {:<5} {how}\n", implementation.name(), version.to_string()));
    }
    out.push_str(&format!("{:<8} {:<5} {}\n", "Dropbox", "2.5", pyclens::pyc::dropbox::EVIDENCE));
    for foreign in pyclens::pyc::foreign::writers() {
        out.push_str(&format!("{}: recognised, not decoded: {}\n", foreign.writer, foreign.why));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::utc_date(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(super::utc_date(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(super::utc_date(951_782_400), "2000-02-29 00:00:00 UTC");
    }
}
