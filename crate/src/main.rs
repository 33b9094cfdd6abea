//! The `pyclens` command: the JSON document or a readable summary of a `.pyc` from a shell,
//! for one file, a member of an archive, or many files and directories at once.

mod cli;

use clap::Parser;
use cli::args::{CfgFormat, Cli, Command, InfoFormat};
use cli::many::{self, Each, Other, Outcome};
use cli::{lines, summary};
use pyclens::container::{self, Limits};
use pyclens::output::dis_text::{self, DisOptions};
use pyclens::{Pyc, Python};
use std::io::Write;
use std::process::ExitCode;

/// What a command does with one decoded file, writing to stdout; the `&str` says who chose
/// the version when no magic did (`--python`, or the archive: see [`many::given_by`]).
type Render<'r> = &'r dyn Fn(&Pyc, &str, &mut dyn Write) -> std::io::Result<()>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (python, member) = (cli.python, cli.member.as_deref());
    match cli.command {
        Command::Versions => {
            print!("{}", summary::versions());
            ExitCode::SUCCESS
        }
        Command::Cfg { code, format, file } => one(&file, member, python, &|pyc, _, out| {
            let code = code.as_deref();
            match format {
                CfgFormat::Json => out.write_all(pyclens::analysis::render::cfg_json(pyc, code).as_bytes()),
                CfgFormat::Dot => out.write_all(pyclens::analysis::render::cfg_dot(pyc, code).as_bytes()),
            }
        }),
        Command::Json { pretty, files } => dispatch(
            &files,
            member,
            python,
            &|pyc, _, out| {
                pyc.write_json(&mut *out, pretty)?;
                out.write_all(b"\n")
            },
            &|label, pyc, _, outcome| match pyc {
                Ok(pyc) => {
                    let doc = if pretty { pyc.to_pretty_json() } else { pyc.to_json() };
                    outcome.out += &format!("{{\"path\":{},\"document\":{doc}}}\n", json_string(label));
                }
                Err(e) => failed(outcome, label, &e),
            },
            &|_, _, _| {},
        ),
        Command::Dis { stack: true, files, .. } => dispatch(
            &files,
            member,
            python,
            &|pyc, _, out| out.write_all(pyclens::analysis::render::stack_listing(pyc).as_bytes()),
            &|label, pyc, _, outcome| match pyc {
                Ok(pyc) => outcome.out += &format!("{label}:\n{}\n", pyclens::analysis::render::stack_listing(pyc)),
                Err(e) => failed(outcome, label, &e),
            },
            &|_, _, _| {},
        ),
        Command::Dis { show_caches, show_offsets, files, .. } => {
            let opts = DisOptions { show_caches, show_offsets };
            dispatch(
                &files,
                member,
                python,
                &|pyc, _, out| {
                    // Refused options and unsupported versions are the file's problem, not the
                    // output's: reported as InvalidInput (see one).
                    dis_text::check(pyc, opts)
                        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.0))?;
                    dis_text::write_dis(pyc, &mut *out, opts)
                },
                &|label, pyc, _, outcome| match pyc.and_then(|pyc| dis_text::dis_text(pyc, opts).map_err(|e| e.0)) {
                    Ok(text) => outcome.out += &format!("{label}:\n{text}\n"),
                    Err(e) => failed(outcome, label, &e),
                },
                &|_, _, _| {},
            )
        }
        Command::Info { format, files } => {
            let json = format == InfoFormat::Json;
            dispatch(
                &files,
                member,
                python,
                &|pyc, by, out| out.write_all(summary::summary(pyc, by).as_bytes()),
                &|label, pyc, by, outcome| lines::info_line(label, pyc, by, json, outcome),
                &|label, member, outcome| lines::other_line(label, member, json, outcome),
            )
        }
    }
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut w = pyclens::output::json::JsonWriter::in_memory(text.len() + 2, false);
    w.string(text);
    String::from_utf8_lossy(&w.into_bytes()).into_owned()
}

/// Records a file that failed: one line on stderr, and the exit status.
fn failed(outcome: &mut Outcome, label: &str, error: &str) {
    outcome.failed = true;
    outcome.err += &format!("pyclens: {label}: {error}\n");
}

/// One file (or one archive member) the way the command always printed it; several files,
/// a directory or an archive without `--member`, each in turn.
fn dispatch(
    files: &[String],
    member: Option<&str>,
    python: Option<Python>,
    render: Render,
    each: Each,
    other: Other,
) -> ExitCode {
    if member.is_some() {
        let [file] = files else {
            eprintln!("pyclens: --member picks a member of one archive; give exactly one FILE");
            return ExitCode::from(2);
        };
        return one(file, member, python, render);
    }
    if let [file] = files {
        if !std::path::Path::new(file).is_dir() {
            // Read once: a multi-megabyte pyc is not read again to be decoded.
            let data = match std::fs::read(file) {
                Ok(data) => data,
                Err(e) => {
                    eprintln!("pyclens: {file}: {e}");
                    return ExitCode::FAILURE;
                }
            };
            // An archive, readable or not, is listed (or its error reported), not decoded.
            if !container::looks_like(&data) {
                return one_read(file, &data, None, python, render);
            }
        }
    }
    let files = many::expand(files);
    if many::run(&files, |file| many::each_pyc(file, python, each, other)) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Decodes FILE (or its `member`) and writes what `render` makes of it to stdout; on a bad
/// file prints one line to stderr and nothing to stdout.
fn one(path: &str, member: Option<&str>, python: Option<Python>, render: Render) -> ExitCode {
    match std::fs::read(path) {
        Ok(data) => one_read(path, &data, member, python, render),
        Err(e) => {
            eprintln!("pyclens: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// [`one`] once the file's `data` is read.
fn one_read(path: &str, data: &[u8], member: Option<&str>, python: Option<Python>, render: Render) -> ExitCode {
    let Some(name) = member else {
        return pyclens::open_with(data, path, python, |pyc| decoded(path, pyc, "--python", render));
    };
    let label = format!("{path}::{name}");
    match container::open(data, Limits::default()) {
        Ok(Some(archive)) => match archive.member(name) {
            Some(m) => decoded(&label, m.decode(python), many::given_by(m, python), render),
            None => {
                eprintln!("pyclens: {path}: no member named {name} (pyclens info {path} lists them)");
                ExitCode::FAILURE
            }
        },
        Ok(None) => {
            eprintln!("pyclens: {path}: not a zip or a PyInstaller executable, so it has no members");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("pyclens: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Standard output without its line buffering, which searches every write for the last
/// line break (a 64 KiB chunk of a compact document, which has none, scanned to its
/// start: 4% of `pyclens json`'s writing thread): a duplicate of the descriptor, written
/// straight to. The output is buffered by the caller, as before.
fn unbuffered_stdout() -> Box<dyn Write> {
    #[cfg(unix)]
    if let Ok(fd) = std::os::fd::AsFd::as_fd(&std::io::stdout()).try_clone_to_owned() {
        return Box::new(std::fs::File::from(fd));
    }
    Box::new(std::io::stdout().lock())
}

/// Writes a decoded file through `render`, or its error, for [`one`].
fn decoded(label: &str, pyc: pyclens::error::Result<Pyc>, given_by: &str, render: Render) -> ExitCode {
    match pyc {
        Ok(pyc) => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, unbuffered_stdout());
            match render(&pyc, given_by, &mut out).and_then(|_| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                // A reader that went away (`| head`) is not worth a message.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                    eprintln!("pyclens: {label}: {e}");
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!("pyclens: {label}: writing the output failed: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("pyclens: {label}: {e}");
            ExitCode::FAILURE
        }
    }
}
