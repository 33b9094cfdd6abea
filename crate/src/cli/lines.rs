//! `info` of many files: one line per file, for people or (`--format json`) for machines.

use super::many::Outcome;
use super::summary::kind_name;
use pyclens::container::Member;
use pyclens::output::json::JsonWriter;
use pyclens::pyc::reading::Reading;
use pyclens::Pyc;

/// A JSON string literal.
fn quoted(text: &str) -> String {
    let mut w = JsonWriter::in_memory(text.len() + 2, false);
    w.string(text);
    String::from_utf8_lossy(&w.into_bytes()).into_owned()
}

/// `CPython 3.12` (or PyPy's), and how the version was settled when not by the magic.
fn python(pyc: &Pyc) -> (String, String) {
    let implementation = pyc.header.magic.implementation.name().to_string();
    (implementation, pyc.version().to_string())
}

/// The line for one decoded file or member, or its error; `given_by` is
/// [`super::many::given_by`]'s.
pub fn info_line(label: &str, pyc: Result<&Pyc, String>, given_by: &str, json: bool, outcome: &mut Outcome) {
    match pyc {
        Ok(pyc) => {
            let (implementation, version) = python(pyc);
            let codes = pyc.code_objects().len();
            let header = kind_name(pyc.header.kind);
            let from_archive = given_by == "the archive" && matches!(pyc.reading, Reading::Given { .. });
            let reading = if from_archive { "archive" } else { pyc.reading.name() };
            if json {
                outcome.out += &format!(
                    "{{\"path\":{},\"implementation\":{},\"python\":{},\"reading\":{},\"header\":{},\"code_objects\":{codes}}}\n",
                    quoted(label),
                    quoted(&implementation),
                    quoted(&version),
                    quoted(reading),
                    quoted(header)
                );
            } else {
                let how = match pyc.reading {
                    Reading::Magic => "",
                    Reading::Given { .. } if from_archive => " (as the archive says)",
                    Reading::Given { .. } => " (as given)",
                    Reading::Inferred { .. } => " (inferred)",
                };
                outcome.out +=
                    &format!("{label}: {implementation} {version}{how}, header {header}, {codes} code objects\n");
            }
        }
        Err(e) => {
            outcome.failed = true;
            if json {
                outcome.out += &format!("{{\"path\":{},\"error\":{}}}\n", quoted(label), quoted(&e));
            } else {
                outcome.out += &format!("{label}: error: {e}\n");
            }
        }
    }
}

/// The line for a member that is not bytecode: listed with its size, not a failure.
pub fn other_line(label: &str, member: &Member, json: bool, outcome: &mut Outcome) {
    if json {
        outcome.out += &format!("{{\"path\":{},\"other\":true,\"size\":{}}}\n", quoted(label), member.size);
    } else {
        outcome.out += &format!("{label}: not bytecode, {} bytes\n", member.size);
    }
}
