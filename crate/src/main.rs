//! The `pyclens` command: the JSON document or a readable summary of a `.pyc` from a shell.

use pyclens::pyc::code::Field;
use pyclens::{Pyc, Python};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: pyclens json FILE [--pretty]
       pyclens dis FILE [--show-caches] [--show-offsets]
       pyclens dis --stack FILE          instructions with the stack depth before each
       pyclens cfg FILE [--code QUALNAME] [--format dot|json]   basic blocks and edges
       pyclens info FILE
       pyclens versions
       pyclens --version
Every command that reads a FILE takes --python X.Y (or pypyX.Y): read it as that version,
whatever its header says; a file with no header (bare marshal data) is otherwise read as the
newest version its code fits.";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let python = match take_python(&mut args) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("pyclens: --python: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    PYTHON.with(|p| p.set(python));
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["--version" | "-V"] => {
            println!("pyclens {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        ["json", rest @ ..] => {
            let pretty = rest.contains(&"--pretty");
            let files: Vec<&str> = rest.iter().copied().filter(|a| *a != "--pretty").collect();
            run_on_one(&files, |pyc, out| {
                pyc.write_json(&mut *out, pretty)?;
                out.write_all(b"\n")
            })
        }
        ["dis", rest @ ..] if rest.contains(&"--stack") => {
            let files: Vec<&str> = rest.iter().copied().filter(|a| *a != "--stack").collect();
            run_on_one(&files, |pyc, out| out.write_all(pyclens::analysis::render::stack_listing(pyc).as_bytes()))
        }
        ["cfg", rest @ ..] => cfg(rest),
        ["dis", rest @ ..] => {
            let opts = pyclens::output::dis_text::DisOptions {
                show_caches: rest.contains(&"--show-caches"),
                show_offsets: rest.contains(&"--show-offsets"),
            };
            let files: Vec<&str> = rest.iter().copied().filter(|a| !a.starts_with("--")).collect();
            if files.len() + usize::from(opts.show_caches) + usize::from(opts.show_offsets) != rest.len() {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
            run_on_one(&files, |pyc, out| {
                // Refused options and unsupported versions are the file's problem, not the
                // output's: reported as InvalidInput (see run_on_one).
                pyclens::output::dis_text::check(pyc, opts)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.0))?;
                pyclens::output::dis_text::write_dis(pyc, &mut *out, opts)
            })
        }
        ["info", rest @ ..] => run_on_one(rest, |pyc, out| out.write_all(summary(pyc).as_bytes())),
        ["versions"] => {
            print!("{}", versions());
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `pyclens cfg FILE [--code QUALNAME] [--format dot|json]`.
fn cfg(rest: &[&str]) -> ExitCode {
    let mut files = Vec::new();
    let mut code = None;
    let mut json = false;
    let mut it = rest.iter();
    while let Some(&a) = it.next() {
        match a {
            "--code" => code = it.next().copied(),
            "--format" => match it.next().copied() {
                Some("json") => json = true,
                Some("dot") => json = false,
                _ => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ => files.push(a),
        }
    }
    run_on_one(&files, |pyc, out| {
        if json {
            out.write_all(pyclens::analysis::render::cfg_json(pyc, code).as_bytes())
        } else {
            out.write_all(pyclens::analysis::render::cfg_dot(pyc, code).as_bytes())
        }
    })
}

thread_local! {
    /// `--python`, which every command that reads a file honours.
    static PYTHON: std::cell::Cell<Option<Python>> = const { std::cell::Cell::new(None) };
}

/// Removes `--python X.Y` (or `--python=X.Y`) from `args` and parses it.
fn take_python(args: &mut Vec<String>) -> Result<Option<Python>, String> {
    let Some(i) = args.iter().position(|a| a == "--python" || a.starts_with("--python=")) else { return Ok(None) };
    let flag = args.remove(i);
    let value = match flag.strip_prefix("--python=") {
        Some(v) => v.to_string(),
        None if i < args.len() => args.remove(i),
        None => return Err("needs a version, like 3.12".into()),
    };
    value.parse().map(Some)
}

/// Decodes the single FILE argument and writes what `render` makes of it to stdout; on a
/// bad file prints one line to stderr and nothing to stdout.
fn run_on_one(files: &[&str], render: impl Fn(&Pyc, &mut dyn Write) -> std::io::Result<()>) -> ExitCode {
    let [path] = files else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("pyclens: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match pyclens::open(&data, path, PYTHON.with(|p| p.get())) {
        Ok(pyc) => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match render(&pyc, &mut out).and_then(|_| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                // A reader that went away (`| head`) is not worth a message.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                    eprintln!("pyclens: {path}: {e}");
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!("pyclens: {path}: writing the output failed: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("pyclens: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The header and what the file defines, for a person.
fn summary(pyc: &Pyc) -> String {
    let h = &pyc.header;
    let mut out = String::new();
    let magic_hex: String = h.magic.bytes.iter().map(|b| format!("{b:02x}")).collect();
    let number = h.magic.number.map(|n| format!("magic {n}, ")).unwrap_or_default();
    let unicode = if h.magic.unicode_literals { " -U (unicode literals)" } else { "" };
    let pypy = if h.magic.implementation == pyclens::pyc::version::Implementation::PyPy { "PyPy " } else { "" };
    out += &format!("python:       {pypy}{}{unicode} ({number}bytes {magic_hex})\n", h.version());
    out += &format!("header:       {} bytes, {}\n", h.size, kind_name(h.kind));
    out += &reading(pyc);
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
fn reading(pyc: &Pyc) -> String {
    match &pyc.reading {
        pyclens::pyc::reading::Reading::Magic => String::new(),
        pyclens::pyc::reading::Reading::Given { found } => {
            let said = found.map(|m| format!(" (the header says {})", m.version)).unwrap_or_default();
            format!("reading:      as {}, chosen with --python{said}\n", pyc.version())
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

fn kind_name(kind: pyclens::PycKind) -> &'static str {
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
fn versions() -> String {
    let mut out = String::new();
    for (implementation, version, checked) in pyclens::pyc::support::support() {
        let how = checked.description();
        out.push_str(&format!("{:<8} {:<5} {how}\n", implementation.name(), version.to_string()));
    }
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
