//! The document of every fixture validates against docs/document.schema.json.
//!
//! A small validator for the JSON Schema keywords that schema uses (type, const, enum,
//! properties, required, additionalProperties, items, prefixItems, min/maxItems, minimum,
//! anyOf, if/then, $ref, boolean schemas); `pattern` is checked only for the hex strings
//! the schema defines. An unknown keyword fails the test, so the schema cannot silently
//! outgrow the validator.

mod common;

use serde_json::Value;

struct Validator<'s> {
    root: &'s Value,
}

const KNOWN: &[&str] = &[
    "$schema",
    "$id",
    "title",
    "description",
    "type",
    "const",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "minimum",
    "anyOf",
    "if",
    "then",
    "$ref",
    "$defs",
    "pattern",
];

impl<'s> Validator<'s> {
    fn check(&self, schema: &'s Value, v: &Value, path: &str, errors: &mut Vec<String>) {
        let s = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => return errors.push(format!("{path}: not allowed")),
            Value::Object(s) => s,
            _ => return errors.push(format!("{path}: bad schema")),
        };
        for key in s.keys() {
            assert!(KNOWN.contains(&key.as_str()), "schema keyword {key} is not supported by the validator");
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let target = r.strip_prefix("#/").unwrap_or(r).split('/').fold(self.root, |node, part| &node[part]);
            self.check(target, v, path, errors);
        }
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                Value::String(one) => vec![one],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !types.iter().any(|t| has_type(v, t)) {
                return errors.push(format!("{path}: {v} is not {types:?}"));
            }
        }
        if let Some(c) = s.get("const") {
            if c != v {
                errors.push(format!("{path}: {v} is not {c}"));
            }
        }
        if let Some(options) = s.get("enum").and_then(Value::as_array) {
            if !options.contains(v) {
                errors.push(format!("{path}: {v} is not one of {options:?}"));
            }
        }
        if let Some(min) = s.get("minimum").and_then(Value::as_i64) {
            if v.as_i64().is_some_and(|n| n < min) {
                errors.push(format!("{path}: {v} < {min}"));
            }
        }
        if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
            if let (Some(text), true) = (v.as_str(), pattern.contains("[0-9a-f]")) {
                let hex = text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) && text.len() % 2 == 0;
                if !hex {
                    errors.push(format!("{path}: {text:?} is not lowercase hex"));
                }
            }
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            for req in s.get("required").and_then(Value::as_array).into_iter().flatten() {
                if !obj.contains_key(req.as_str().unwrap_or("")) {
                    errors.push(format!("{path}: missing {req}"));
                }
            }
            for (key, value) in obj {
                match props.and_then(|p| p.get(key)) {
                    Some(sub) => self.check(sub, value, &format!("{path}.{key}"), errors),
                    None => {
                        if let Some(extra) = s.get("additionalProperties") {
                            self.check(extra, value, &format!("{path}.{key}"), errors);
                        }
                    }
                }
            }
        }
        if let Some(arr) = v.as_array() {
            let prefix = s.get("prefixItems").and_then(Value::as_array);
            for (i, item) in arr.iter().enumerate() {
                let sub = prefix.and_then(|p| p.get(i)).or(s.get("items"));
                if let Some(sub) = sub {
                    self.check(sub, item, &format!("{path}[{i}]"), errors);
                }
            }
            let len = arr.len() as u64;
            if s.get("minItems").and_then(Value::as_u64).is_some_and(|m| len < m)
                || s.get("maxItems").and_then(Value::as_u64).is_some_and(|m| len > m)
            {
                errors.push(format!("{path}: {len} items"));
            }
        }
        if let Some(options) = s.get("anyOf").and_then(Value::as_array) {
            let ok = options.iter().any(|o| {
                let mut e = Vec::new();
                self.check(o, v, path, &mut e);
                e.is_empty()
            });
            if !ok {
                errors.push(format!("{path}: matches none of anyOf"));
            }
        }
        if let Some(cond) = s.get("if") {
            let mut e = Vec::new();
            self.check(cond, v, path, &mut e);
            if e.is_empty() {
                if let Some(then) = s.get("then") {
                    self.check(then, v, path, errors);
                }
            }
        }
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => false,
    }
}

fn schema() -> Value {
    let path = common::fixtures_dir().join("../../docs/document.schema.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("schema file")).expect("schema is JSON")
}

#[test]
fn every_fixture_document_follows_the_schema() {
    let schema = schema();
    let validator = Validator { root: &schema };
    let mut checked = 0;
    for path in common::all_pycs() {
        let data = std::fs::read(&path).unwrap();
        let doc: Value = serde_json::from_str(&pyclens::decode(&data).unwrap().to_json()).unwrap();
        let mut errors = Vec::new();
        validator.check(&schema, &doc, "$", &mut errors);
        assert!(errors.is_empty(), "{}: {:?}", path.display(), &errors[..errors.len().min(10)]);
        checked += 1;
    }
    assert!(checked > 0);
    println!("{checked} documents validated");
}

/// A decrypted Dropbox 2.5 pyc's document (its header's `decrypted`) follows it too.
#[test]
fn a_decrypted_dropbox_document_follows_the_schema() {
    let schema = schema();
    let validator = Validator { root: &schema };
    let path = common::fixtures_dir().join("../../target/corpus/xdis-6.3.0/test/bytecode_2.5dropbox/codeop.pyc");
    let data = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `node scripts/fetch-corpus.mjs`)", path.display()));
    let doc: Value =
        pyclens::open_with(&data, "codeop.pyc", None, |pyc| serde_json::from_str(&pyc.unwrap().to_json()).unwrap());
    assert!(doc["header"]["decrypted"].is_object());
    let mut errors = Vec::new();
    validator.check(&schema, &doc, "$", &mut errors);
    assert!(errors.is_empty(), "{:?}", &errors[..errors.len().min(10)]);
}

/// GraalPy's pycs (xdis's samples, GPL, fetched into target/corpus/ by
/// scripts/fetch-corpus.mjs) follow the same schema.
#[test]
fn graalpy_sample_documents_follow_the_schema() {
    let schema = schema();
    let validator = Validator { root: &schema };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/corpus/xdis-6.3.0/test");
    assert!(root.is_dir(), "{} is missing: run `node scripts/fetch-corpus.mjs`", root.display());
    let mut checked = 0;
    for dir in ["bytecode_graal310", "bytecode_graal311", "bytecode_graal312"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).unwrap();
            let doc: Value = serde_json::from_str(&pyclens::decode(&data).unwrap().to_json()).unwrap();
            let mut errors = Vec::new();
            validator.check(&schema, &doc, "$", &mut errors);
            assert!(errors.is_empty(), "{}: {:?}", path.display(), &errors[..errors.len().min(10)]);
            checked += 1;
        }
    }
    assert_eq!(checked, 150);
    println!("{checked} GraalPy documents validated");
}

#[test]
fn the_validator_rejects_a_broken_document() {
    let schema = schema();
    let validator = Validator { root: &schema };
    let path = &common::all_pycs()[0];
    let mut doc: Value =
        serde_json::from_str(&pyclens::decode(&std::fs::read(path).unwrap()).unwrap().to_json()).unwrap();
    doc["header"]["kind"] = Value::from("sometimes");
    doc["code"]["co_code"] = Value::from("XYZ");
    doc["code"].as_object_mut().unwrap().remove("co_consts");
    let mut errors = Vec::new();
    validator.check(&schema, &doc, "$", &mut errors);
    assert_eq!(errors.len(), 3, "{errors:?}");
}

#[test]
fn rustpython_documents_follow_the_schema() {
    let schema = schema();
    let validator = Validator { root: &schema };
    let dir = common::fixtures_dir().join("../../target/corpus/xdis-6.3.0/test/bytecode_rust-40-313");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}: run `node scripts/fetch-corpus.mjs`", dir.display()))
    {
        let path = entry.unwrap().path();
        let doc: Value =
            serde_json::from_str(&pyclens::decode(&std::fs::read(&path).unwrap()).unwrap().to_json()).unwrap();
        let mut errors = Vec::new();
        validator.check(&schema, &doc, "$", &mut errors);
        assert!(errors.is_empty(), "{}: {:?}", path.display(), &errors[..errors.len().min(10)]);
        checked += 1;
    }
    assert_eq!(checked, 6);
    println!("{checked} RustPython documents validated");
}
