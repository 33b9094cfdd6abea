//! The WebAssembly boundary, kept thin: bytes in, documents out as JSON text (JavaScript's
//! `JSON.parse` builds a large tree about twice as fast as a structured conversion would),
//! small structured values as plain objects read and built with `Reflect` (serde-wasm-bindgen
//! cost the module for dropped pycs 12 KB for two small values), and one helper that turns a
//! [`DecodeError`] into a JavaScript `Error` carrying kind and offset.

use crate::error::DecodeError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// One file the page is looking at. It keeps only the bytes and decodes them again for
/// each request (a few milliseconds even for a multi-megabyte file), so the page can ask
/// for a summary and then one code object at a time, and never has to receive, parse or
/// hold the whole document of a large file.
#[wasm_bindgen]
pub struct Session {
    data: Vec<u8>,
    name: String,
    /// The version the file was read as when not the one its magic names (chosen by the
    /// caller, or inferred for headerless data), and how: every later decode reads it so too,
    /// without inferring again.
    reading: Option<(crate::Python, crate::pyc::reading::Reading)>,
    /// Set for a file decrypted when opened (Dropbox's 2.5 pycs): `data` is then its plaintext.
    decrypted: Option<crate::pyc::dropbox::Decrypted>,
    decode_ms: f64,
}

#[wasm_bindgen]
impl Session {
    /// Takes a copy of the bytes and decodes them once. `name` is the file's name (a PyPy
    /// 3.8 file is told from CPython 3.8's by its `.pypy38.` cache tag); `python` ("3.12",
    /// "pypy3.9"), when given, reads the file as that version whatever its header says.
    /// Headerless data is read as the version inferred from its code, and a header whose
    /// version the code cannot be is refused naming the one it fits. On a bad file, throws an
    /// `Error` whose `kind`, `offset` and `message` say what was wrong and where (the page
    /// marks the byte in its hex view).
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &js_sys::Uint8Array, name: String, python: Option<String>) -> Result<Session, JsValue> {
        let mut data = bytes.to_vec();
        let clock = Clock::new();
        let started = clock.now();
        let asked = match python.filter(|p| !p.is_empty()) {
            Some(text) => Some(text.parse::<crate::Python>().map_err(|e| JsValue::from(js_sys::Error::new(&e)))?),
            None => None,
        };
        let mut decrypted = None;
        // The viewer module (no `foreign` feature) leaves these to the analysis module.
        if cfg!(feature = "foreign") && crate::pyc::dropbox::is_encrypted(&data) {
            let plain = crate::pyc::dropbox::decrypt(&data).map_err(|e| js_error(&e))?;
            data = plain.bytes;
            decrypted = Some(plain.decrypted);
        }
        let pyc = match decrypted {
            Some(d) => crate::pyc::dropbox::decode(&data, d, asked),
            None => crate::open(&data, &name, asked),
        };
        let pyc = pyc.map_err(|e| js_error(&e))?;
        let reading = match &pyc.reading {
            crate::pyc::reading::Reading::Magic => None,
            how => {
                let python = crate::Python { implementation: pyc.header.magic.implementation, version: pyc.version() };
                Some((python, how.clone()))
            }
        };
        drop(pyc);
        let decode_ms = clock.now() - started;
        Ok(Session { data, name, reading, decrypted, decode_ms })
    }

    /// The plaintext a decrypted file was decoded from (every span points into it), for the
    /// page's byte view; `undefined` for any other file, whose spans point into its own bytes.
    /// Only a build that decrypts (the `foreign` feature) has it.
    #[cfg(feature = "foreign")]
    pub fn plaintext(&self) -> Option<js_sys::Uint8Array> {
        self.decrypted.map(|_| js_sys::Uint8Array::from(&self.data[..]))
    }

    /// Milliseconds the first decode took.
    #[wasm_bindgen(getter, js_name = decodeMs)]
    pub fn decode_ms(&self) -> f64 {
        self.decode_ms
    }

    /// The file decoded again, read as the constructor settled it.
    fn pyc(&self) -> Result<crate::Pyc<'_>, JsValue> {
        // Only a build with the `foreign` feature decrypts (`new`); the viewer module's
        // `decrypted` is always `None`, which the constant lets the compiler see.
        let pyc = match (&self.reading, self.decrypted.filter(|_| cfg!(feature = "foreign"))) {
            (None, Some(d)) => crate::pyc::dropbox::decode(&self.data, d, None),
            (Some((python, _)), Some(d)) => crate::pyc::dropbox::decode(&self.data, d, Some(*python)),
            (None, None) => crate::decode_named(&self.data, &self.name),
            (Some((python, how)), None) => {
                crate::open(&self.data, &self.name, Some(*python)).map(|pyc| crate::Pyc { reading: how.clone(), ..pyc })
            }
        };
        pyc.map_err(|e| js_error(&e))
    }

    /// Header, diagnostics and the tree of code objects (JSON text).
    pub fn summary(&self) -> Result<String, JsValue> {
        Ok(self.pyc()?.summary_json())
    }

    /// One code object by tree index, nested code objects as stubs (JSON text).
    pub fn code(&self, index: usize) -> Result<Option<String>, JsValue> {
        Ok(self.pyc()?.code_json(index))
    }

    /// What owns the byte at `offset` (JSON text).
    pub fn owner(&self, offset: u32) -> Result<String, JsValue> {
        Ok(self.pyc()?.owner_json(offset))
    }

    /// The whole document (JSON text), for copying or downloading.
    pub fn document(&self, pretty: bool) -> Result<String, JsValue> {
        let pyc = self.pyc()?;
        Ok(if pretty { pyc.to_pretty_json() } else { pyc.to_json() })
    }
}

/// The crate version, shown in the page footer and written into every document.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A plain JavaScript object with these properties: how the small structured answers are
/// built without a serialisation library.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// Every version pyclens recognises, with its evidence ([`crate::pyc::support`]), for the page's
/// version list and for what it tells a reader about how far to trust a listing: an array of
/// `{implementation, python, checked, description}`.
#[wasm_bindgen(js_name = supportedVersions)]
pub fn supported_versions() -> js_sys::Array {
    crate::pyc::support::support()
        .into_iter()
        .map(|(i, v, c)| {
            object(&[
                ("implementation", i.name().into()),
                ("python", v.to_string().into()),
                ("checked", c.name().into()),
                ("description", c.description().into()),
            ])
        })
        .collect()
}

/// What reading a dropped container may inflate in the page: [`crate::container::Limits`]'s
/// defaults but a quarter of their total, since a tab's WebAssembly memory (4 GiB at most)
/// holds the container, every member inflated and the copies handed to JavaScript at once.
#[cfg(feature = "containers")]
const PAGE_LIMITS: crate::container::Limits =
    crate::container::Limits { entries: 100_000, total: 256 << 20, ratio: 1000 };

/// Whether `bytes` are a container (a zip, `.whl`, `.egg`, `.pyz`, PyZipFile zip, a
/// PyInstaller executable or bare PYZ) and what is inside, so that the page can list a file
/// that is not a pyc instead of refusing it: `null` for anything else, else `{format,
/// members: [{name, role, python, size, bytecode}]}` (`python` is null when unknown,
/// `bytecode` false for members that are listed only). A damaged container or one past the
/// limits (a zip bomb) throws its error.
#[cfg(feature = "containers")]
#[wasm_bindgen(js_name = containerMembers)]
pub fn container_members(bytes: &[u8]) -> Result<JsValue, JsValue> {
    // A file with a pyc's magic is a pyc, damaged or not: `open` says it is no container.
    let Some(container) = crate::container::open(bytes, PAGE_LIMITS).map_err(|e| js_error(&e))? else {
        return Ok(JsValue::NULL);
    };
    let members: js_sys::Array = container
        .members
        .iter()
        .map(|m| {
            object(&[
                ("name", m.name.as_str().into()),
                ("role", m.role.name().into()),
                ("python", m.python().map_or(JsValue::NULL, |p| p.to_string().into())),
                ("size", (m.size as f64).into()),
                ("bytecode", (m.kind != crate::container::MemberKind::Other).into()),
            ])
        })
        .collect();
    Ok(object(&[("format", container.format.name().into()), ("members", members.into())]))
}

/// One member of the container `bytes` as `Session` opens it, so that a member is shown
/// exactly as the same pyc dropped on its own: `{bytes, python}`, its bytes (a pyc, or
/// headerless code) and the version the container states for them (null for a pyc, whose
/// header says it), as [`crate::container::Member::readable`] gives them to the CLI's
/// `--member`. A name that is not there, or a member that is not bytecode, throws.
#[cfg(feature = "containers")]
#[wasm_bindgen(js_name = containerMember)]
pub fn container_member(bytes: &[u8], name: &str) -> Result<JsValue, JsValue> {
    let missing =
        || DecodeError::new(crate::ErrorKind::BadValue, 0, format!("the container has no member named {name}"));
    let container =
        crate::container::open(bytes, PAGE_LIMITS).map_err(|e| js_error(&e))?.ok_or_else(|| js_error(&missing()))?;
    let member = container.member(name).ok_or_else(|| js_error(&missing()))?;
    let (data, python) = member.readable().map_err(|e| js_error(&e))?;
    Ok(object(&[
        ("bytes", js_sys::Uint8Array::from(data).into()),
        ("python", python.map_or(JsValue::NULL, |p| p.to_string().into())),
    ]))
}

/// Checks a learner's answer: `{answer, expected, form, subject}` in (`form` and `subject` may
/// be left out), `{correct, explanation}` out (see [`crate::answer`]). Lessons take `expected`
/// from the decoded file. A request without the two texts, or with a form no lesson uses,
/// throws.
#[wasm_bindgen(js_name = checkAnswer)]
pub fn check_answer(request: JsValue) -> Result<JsValue, JsValue> {
    let field = |name: &str| js_sys::Reflect::get(&request, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let text = |name: &str| field(name).as_string().ok_or_else(|| bad_request(&format!("`{name}` must be text")));
    let optional = |name: &str| match field(name) {
        v if v.is_undefined() || v.is_null() => Ok(None),
        v => v.as_string().map(Some).ok_or_else(|| bad_request(&format!("`{name}` must be text"))),
    };
    let form = match optional("form")? {
        None => crate::answer::Form::default(),
        Some(name) => {
            crate::answer::Form::from_name(&name).ok_or_else(|| bad_request(&format!("no answer form '{name}'")))?
        }
    };
    let check = crate::answer::Check {
        answer: text("answer")?,
        expected: text("expected")?,
        form,
        subject: optional("subject")?.unwrap_or_default(),
    };
    let verdict = crate::answer::check(&check);
    Ok(object(&[("correct", verdict.correct.into()), ("explanation", verdict.explanation.into())]))
}

/// The error a malformed `checkAnswer` request throws: a JavaScript `TypeError`, as a wrong
/// argument to a built-in would.
fn bad_request(message: &str) -> JsValue {
    js_sys::TypeError::new(&format!("checkAnswer: {message}")).into()
}

/// The one conversion of a decode error into JavaScript: an `Error` with `kind` and
/// `offset` properties beside its message.
fn js_error(e: &DecodeError) -> JsValue {
    let error = js_sys::Error::new(&e.message);
    let _ = js_sys::Reflect::set(&error, &"kind".into(), &e.kind.name().into());
    let _ = js_sys::Reflect::set(&error, &"offset".into(), &(e.offset as f64).into());
    error.into()
}

/// `performance.now()` of whatever global scope the module runs in (page or worker).
struct Clock(Option<web_sys::Performance>);

impl Clock {
    fn new() -> Self {
        let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok();
        Clock(performance.and_then(|p| p.dyn_into::<web_sys::Performance>().ok()))
    }

    fn now(&self) -> f64 {
        self.0.as_ref().map_or(0.0, |p| p.now())
    }
}
