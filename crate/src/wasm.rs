//! The WebAssembly boundary, kept thin: bytes in, the document out as one JSON string
//! (JavaScript's `JSON.parse` builds a large tree about twice as fast as a structured
//! conversion would), small structured values through serde-wasm-bindgen, and one helper
//! that turns a [`DecodeError`] into a JavaScript `Error` carrying kind and offset.

use crate::error::DecodeError;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What the page may ask of `decode`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Options {
    /// Indent the document (for "download JSON").
    pretty: bool,
}

/// A decoded file: the document and how long each step took, so the page can show (and
/// the browser benchmark can record) where the time went.
#[wasm_bindgen]
pub struct Decoded {
    json: String,
    decode_ms: f64,
    json_ms: f64,
}

#[wasm_bindgen]
impl Decoded {
    /// Moves the document out (it can be tens of megabytes: no copy is kept).
    #[wasm_bindgen(js_name = takeJson)]
    pub fn take_json(&mut self) -> String {
        std::mem::take(&mut self.json)
    }

    /// Milliseconds spent decoding bytes into the model.
    #[wasm_bindgen(getter, js_name = decodeMs)]
    pub fn decode_ms(&self) -> f64 {
        self.decode_ms
    }

    /// Milliseconds spent writing the document.
    #[wasm_bindgen(getter, js_name = jsonMs)]
    pub fn json_ms(&self) -> f64 {
        self.json_ms
    }
}

/// Decodes a `.pyc`. On a bad file, throws an `Error` whose `kind`, `offset` and
/// `message` say what was wrong and where (the page marks the byte in its hex view).
#[wasm_bindgen]
pub fn decode(bytes: &js_sys::Uint8Array, options: JsValue) -> Result<Decoded, JsValue> {
    let options: Options = if options.is_undefined() || options.is_null() {
        Options::default()
    } else {
        serde_wasm_bindgen::from_value(options)?
    };
    let data = bytes.to_vec();
    let clock = Clock::new();
    let t0 = clock.now();
    let pyc = crate::decode(&data).map_err(|e| js_error(&e))?;
    let t1 = clock.now();
    let json = if options.pretty {
        let mut out = Vec::new();
        pyc.write_json(&mut out, true).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
        String::from_utf8(out).unwrap_or_default()
    } else {
        pyc.to_json()
    };
    let t2 = clock.now();
    Ok(Decoded { json, decode_ms: t1 - t0, json_ms: t2 - t1 })
}

/// The crate version, shown in the page footer and written into every document.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Which versions the page can promise: `verified` are decoded and checked against real
/// interpreters; `recognised` are named from their magic number.
#[derive(Serialize)]
struct Versions {
    verified: Vec<String>,
    recognised: Vec<String>,
}

/// The versions pyclens knows, for the page's "supported versions" list.
#[wasm_bindgen(js_name = supportedVersions)]
pub fn supported_versions() -> Result<JsValue, JsValue> {
    let known = crate::version::known_versions();
    let recognised = known.iter().map(|v| v.to_string()).collect();
    let verified = known.iter().filter(|v| v.is_verified()).map(|v| v.to_string()).collect();
    Ok(serde_wasm_bindgen::to_value(&Versions { verified, recognised })?)
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
