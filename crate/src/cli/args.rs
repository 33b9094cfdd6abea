//! The command line, declared for clap: subcommands and their flags.

use clap::{Parser, Subcommand, ValueEnum};
use pyclens::Python;

/// Decode CPython .pyc files: the JSON document, dis text, control flow or a summary; pycs
/// inside zips and PyInstaller executables too.
#[derive(Parser, Debug)]
#[command(name = "pyclens", version, about, disable_help_subcommand = true)]
#[command(after_help = "A FILE may be a pyc, bare marshal data (no header), a zip (.zip, .whl, .egg, .pyz, \
PyZipFile's pythonXY.zip), a PyInstaller executable, or a directory (walked recursively, __pycache__ \
included, for .pyc, .pyo, .zip, .whl, .egg and .pyz files). Members of an archive are listed as \
ARCHIVE::MEMBER; --member MEMBER picks one. The status is 1 when any file failed.")]
pub struct Cli {
    /// Read every file as this version (3.12, pypy3.9), whatever its header says; a file with
    /// no header is otherwise read as the newest version its code fits.
    #[arg(long, global = true, value_parser = parse_python)]
    pub python: Option<Python>,
    /// In an archive, decode only this member (as `info ARCHIVE` lists it after `::`).
    #[arg(long, global = true)]
    pub member: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// The JSON document of each file (several files: one `{"path", "document"}` per line).
    Json {
        /// Indent the document.
        #[arg(long)]
        pretty: bool,
        /// Files, archives or directories.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// The instructions, as that version's dis.dis prints them.
    Dis {
        /// Show the cache entries of 3.11+ instructions.
        #[arg(long)]
        show_caches: bool,
        /// Show offsets in 3.13+ listings.
        #[arg(long)]
        show_offsets: bool,
        /// Instructions with the stack depth before each instead.
        #[arg(long)]
        stack: bool,
        /// Files, archives or directories.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Basic blocks and edges of one file.
    Cfg {
        /// Only the code object with this qualified name.
        #[arg(long)]
        code: Option<String>,
        /// Graphviz dot or JSON.
        #[arg(long, value_enum, default_value_t = CfgFormat::Dot)]
        format: CfgFormat,
        /// The file.
        file: String,
    },
    /// The header and what a file defines; with several files, one line each.
    Info {
        /// One line of text per file, or one JSON object per line.
        #[arg(long, value_enum, default_value_t = InfoFormat::Text)]
        format: InfoFormat,
        /// Files, archives or directories.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Every recognised version and how far its reading was checked.
    Versions,
}

/// `cfg --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CfgFormat {
    /// Graphviz.
    Dot,
    /// JSON.
    Json,
}

/// `info --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InfoFormat {
    /// For people.
    Text,
    /// For machines: one JSON object per line.
    Json,
}

fn parse_python(text: &str) -> Result<Python, String> {
    text.parse()
}
