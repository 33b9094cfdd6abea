//! Pycs inside containers: zips (`.zip`, `.whl`, `.egg`, `.pyz`, `zipfile.PyZipFile`'s
//! `pythonXY.zip`) and PyInstaller executables (ELF, PE, Mach-O: the CArchive found by its
//! cookie, and the PYZ archive inside it).
//!
//! A container is read into a flat list of [`Member`]s, each a pyc (with its header), bare
//! marshal data of a code object with the version the container names for it, or anything
//! else (listed, not decoded). Containers are untrusted input that says how large its
//! contents are: every length is checked against the data before it is used, and inflating
//! is bounded by [`Limits`] (entries, total bytes, ratio), so a zip bomb or a lying size
//! ends in a [`DecodeError`] naming the member and the limit, never in exhausted memory.

mod inflate;
pub mod pyinstaller;
pub mod pyz_crypto;
pub mod zip;

use crate::error::{DecodeError, ErrorKind, Result};
use crate::pyc::reading::Python;
use crate::Pyc;

/// What a member holds, which decides how it is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    /// A `.pyc` file with its header (zip entries).
    Pyc,
    /// Marshal data of a code object without a header (PyInstaller's scripts and modules);
    /// `python` is the version the container records for it, when pyclens knows it.
    Code {
        /// The version to read it as.
        python: Option<Python>,
    },
    /// Anything else: listed with its size, not decoded (its bytes are not read).
    Other,
}

/// What a member is to its container, for a listing that tells a program's entry script
/// from the standard library modules beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An entry of a zip.
    ZipEntry,
    /// A PyInstaller entry script (type `s`): run in their order, the program's own last.
    Script,
    /// A module stored in PyInstaller's CArchive itself (types `m`, `M`: its bootstrap).
    Module,
    /// A PyInstaller PYZ archive (type `z`), whose modules follow it.
    Pyz,
    /// A module of a PYZ archive.
    PyzModule,
    /// Anything else PyInstaller bundles (binaries, data, dependencies).
    File,
}

impl Role {
    /// The role in words, as the page's module list shows it.
    pub fn name(self) -> &'static str {
        match self {
            Role::ZipEntry => "zip member",
            Role::Script => "entry script",
            Role::Module => "archive module",
            Role::Pyz => "PYZ archive",
            Role::PyzModule => "PYZ module",
            Role::File => "bundled file",
        }
    }
}

/// One file inside a container.
#[derive(Debug, Clone)]
pub struct Member {
    /// Its name as the listing shows it after `ARCHIVE::` (`--member` takes it).
    pub name: String,
    /// How it is decoded.
    pub kind: MemberKind,
    /// What it is to its container.
    pub role: Role,
    /// The uncompressed bytes for [`MemberKind::Pyc`] and [`MemberKind::Code`]; empty for
    /// [`MemberKind::Other`].
    pub data: Vec<u8>,
    /// The uncompressed size the container states.
    pub size: u64,
    /// Where the member's entry starts in the container, for messages.
    pub offset: usize,
}

impl Member {
    /// What a pyc reader is given for this member: its bytes and the version the container
    /// names for them (none for a pyc, whose header names it). Other members are refused with
    /// a message saying what they are. [`Member::decode`] reads it so, and the page hands the
    /// same two to the decoder it opens dropped pycs with.
    pub fn readable(&self) -> Result<(&[u8], Option<Python>)> {
        match self.kind {
            MemberKind::Pyc => Ok((&self.data, None)),
            MemberKind::Code { python } => Ok((&self.data, python)),
            MemberKind::Other => Err(DecodeError::new(
                ErrorKind::UnknownMagic,
                0,
                format!("{} is not Python bytecode (a data file or a binary of the container)", self.name),
            )),
        }
    }

    /// Decodes the member as a pyc; `python` (the reader's `--python`) overrides the version
    /// the container gives.
    pub fn decode(&self, python: Option<Python>) -> Result<Pyc<'_>> {
        let (data, given) = self.readable()?;
        crate::open(data, &self.name, python.or(given))
    }

    /// The version the member is written for, when known without decoding it: the
    /// container's for headerless code, the magic's for a pyc; a listing shows it.
    pub fn python(&self) -> Option<Python> {
        match self.kind {
            MemberKind::Pyc => crate::pyc::header::parse(&self.data)
                .ok()
                .map(|h| Python { implementation: h.magic.implementation, version: h.version() }),
            MemberKind::Code { python } => python,
            MemberKind::Other => None,
        }
    }
}

/// Which kind of container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A zip archive (any of its names).
    Zip,
    /// A PyInstaller executable or a bare CArchive.
    PyInstaller,
}

impl Format {
    /// The name the listing uses.
    pub fn name(self) -> &'static str {
        match self {
            Format::Zip => "zip",
            Format::PyInstaller => "PyInstaller",
        }
    }
}

/// A container's members in their order in it.
#[derive(Debug, Clone)]
pub struct Container {
    /// What it was read as.
    pub format: Format,
    /// Everything inside, PYZ modules after their PYZ archive.
    pub members: Vec<Member>,
}

impl Container {
    /// The member called `name` (as the listing names it), for `--member` and the page.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// Bounds on what reading one container may inflate, against zip bombs and lying sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most members in one container (PYZ modules included).
    pub entries: usize,
    /// Most uncompressed bytes in all members together.
    pub total: u64,
    /// Most uncompressed bytes per compressed byte of one member.
    pub ratio: u64,
}

impl Default for Limits {
    /// 100,000 entries, 1 GiB in total and 1000:1: far above any real archive of Python
    /// code (a PYZ of a large application holds a few thousand modules at 3–5:1).
    fn default() -> Self {
        Limits { entries: 100_000, total: 1 << 30, ratio: 1000 }
    }
}

/// The running account of one container's reading against its [`Limits`].
#[derive(Debug)]
pub(crate) struct Budget {
    limits: Limits,
    entries: usize,
    total: u64,
}

impl Budget {
    pub(crate) fn new(limits: Limits) -> Self {
        Budget { limits, entries: 0, total: 0 }
    }

    /// Counts one more member; fails past the entry limit.
    pub(crate) fn entry(&mut self, offset: usize) -> Result<()> {
        self.entries += 1;
        if self.entries > self.limits.entries {
            return Err(DecodeError::new(
                ErrorKind::BadLength,
                offset,
                format!("more than {} members: past the limit on entries (a zip bomb?)", self.limits.entries),
            ));
        }
        Ok(())
    }

    /// How many bytes `name`, stored as `compressed` bytes, may inflate to: the ratio limit
    /// and what is left of the total, checked against `claimed` (its stated size, when the
    /// container states one) before anything is inflated.
    pub(crate) fn allowance(&self, name: &str, offset: usize, compressed: u64, claimed: Option<u64>) -> Result<u64> {
        let by_ratio = compressed.max(1).saturating_mul(self.limits.ratio);
        let left = self.limits.total - self.total;
        if let Some(size) = claimed {
            if size > by_ratio {
                return Err(DecodeError::new(
                    ErrorKind::BadLength,
                    offset,
                    format!(
                        "{name} claims {size} bytes from {compressed} compressed: past the {}:1 limit on the \
                         compression ratio (a zip bomb?)",
                        self.limits.ratio
                    ),
                ));
            }
            if size > left {
                return Err(self.total_error(name, offset));
            }
        }
        Ok(by_ratio.min(left))
    }

    /// Adds `size` inflated bytes of a member to the total.
    pub(crate) fn spend(&mut self, size: u64) {
        self.total += size;
    }

    /// The error for a member that inflated past its allowance: whichever limit set it.
    pub(crate) fn exceeded(&self, name: &str, offset: usize, compressed: u64) -> DecodeError {
        let by_ratio = compressed.max(1).saturating_mul(self.limits.ratio);
        if by_ratio <= self.limits.total - self.total {
            self.ratio_error(name, offset, compressed)
        } else {
            self.total_error(name, offset)
        }
    }

    fn total_error(&self, name: &str, offset: usize) -> DecodeError {
        DecodeError::new(
            ErrorKind::BadLength,
            offset,
            format!(
                "{name} takes the container past the {} bytes limit on its total uncompressed size",
                self.limits.total
            ),
        )
    }

    fn ratio_error(&self, name: &str, offset: usize, compressed: u64) -> DecodeError {
        DecodeError::new(
            ErrorKind::BadLength,
            offset,
            format!(
                "{name} inflates past {}:1 from {compressed} compressed bytes: past the limit on the compression \
                 ratio (a zip bomb?)",
                self.limits.ratio
            ),
        )
    }
}

/// Reads `data` as a container, or `Ok(None)` when it is none (a pyc or anything else). Data with a
/// pyc's magic is a pyc, damaged or not, never a container (its constants may hold a zip's end
/// record or PyInstaller's cookie). A zip starts with a local header, a bare PYZ with `PYZ\0`; a
/// PyInstaller executable carries its cookie; a zip with something before it (a `.pyz` with a `#!`
/// line, a self-extractor) has its end record near the end. An executable with none of these is
/// refused (cut short, or not PyInstaller's) rather than left to be read as a pyc.
pub fn open(data: &[u8], limits: Limits) -> Result<Option<Container>> {
    if is_pyc(data) {
        return Ok(None);
    }
    if data.starts_with(b"PK\x03\x04") || data.starts_with(b"PK\x05\x06") {
        return zip::read(data, limits).map(Some);
    }
    if data.starts_with(b"PYZ\0") {
        return pyinstaller::read_bare_pyz(data, limits).map(Some);
    }
    if let Some(cookie) = pyinstaller::find_cookie(data) {
        return pyinstaller::read(data, cookie, limits).map(Some);
    }
    if zip::has_end_record(data) {
        return zip::read(data, limits).map(Some);
    }
    if let Some(format) = pyinstaller::executable(data) {
        return Err(pyinstaller::no_cookie(format, data));
    }
    Ok(None)
}

/// Whether the data says container (or executable, which should hold one) and not pyc, for
/// a file that fails as a pyc: the CLI's message names the container it could not read
/// rather than a magic number.
pub fn looks_like(data: &[u8]) -> bool {
    !is_pyc(data)
        && (data.starts_with(b"PK")
            || data.starts_with(b"PYZ\0")
            || pyinstaller::find_cookie(data).is_some()
            || zip::has_end_record(data)
            || pyinstaller::executable(data).is_some())
}

/// Whether `data` starts with a pyc's header: [`open`] and [`looks_like`] leave it alone.
fn is_pyc(data: &[u8]) -> bool {
    crate::pyc::header::parse(data).is_ok()
}
