//! The document's tables as objects again (docs/document.md, "Tables as rows"), so the tests
//! compare field by field with what the interpreters reported: the rules are those of the
//! page's web/document-tables.js, and the tests of both check them against the interpreters.

use serde_json::{json, Map, Value};

/// A file's document, parsed, with every code node's rows turned into objects.
pub fn document(pyc: &pyclens::Pyc) -> Value {
    let mut doc: Value = serde_json::from_str(&pyc.to_json()).expect("document is JSON");
    expand_document(&mut doc);
    doc
}

/// One code object's document (`Pyc::code_json`), parsed, its rows turned into objects.
pub fn code_document(pyc: &pyclens::Pyc, index: usize) -> Option<Value> {
    let mut doc: Value = serde_json::from_str(&pyc.code_json(index)?).expect("document is JSON");
    let summary: Value = serde_json::from_str(&pyc.summary_json()).expect("summary is JSON");
    doc["header"] = summary["header"].clone();
    expand_document(&mut doc);
    Some(doc)
}

/// Turns the rows of every code node of a parsed document into objects, in place.
pub fn expand_document(doc: &mut Value) {
    let keys = Keys::of(doc);
    if let Some(code) = doc.get_mut("code") {
        expand_tree(code, &keys);
    }
}

/// What the document says once for all its rows.
struct Keys {
    code_fields: Vec<String>,
    /// GraalPy: the fields of its nested code units.
    code_unit_fields: Vec<String>,
    /// GraalPy: no caches, positions per byte.
    graalpy: bool,
    instruction_fields: Vec<String>,
    opnames: Vec<String>,
    version: (u64, u64),
}

impl Keys {
    fn of(doc: &Value) -> Keys {
        let strings = |key: &str| -> Vec<String> {
            doc[key].as_array().into_iter().flatten().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
        };
        let python = doc["header"]["python"].as_str().unwrap_or_default();
        let digits: String = python.chars().skip_while(|c| !c.is_ascii_digit()).collect();
        let mut parts = digits.split('.').map(|p| p.parse().unwrap_or(0));
        Keys {
            code_fields: strings("code_fields"),
            code_unit_fields: strings("code_unit_fields"),
            graalpy: doc["header"]["implementation"] == "GraalPy",
            instruction_fields: strings("instruction_fields"),
            opnames: strings("opnames"),
            version: (parts.next().unwrap_or(0), parts.next().unwrap_or(0)),
        }
    }

    fn at_least(&self, major: u64, minor: u64) -> bool {
        self.version >= (major, minor)
    }
}

fn expand_tree(node: &mut Value, keys: &Keys) {
    if node["type"] == "code" {
        expand_code(node, keys);
        if let Some(consts) = node.get_mut("co_consts").and_then(Value::as_array_mut) {
            consts.iter_mut().for_each(|c| expand_tree(c, keys));
        }
    } else if let Some(items) = node.get_mut("items").and_then(Value::as_array_mut) {
        items.iter_mut().for_each(|c| expand_tree(c, keys));
    }
}

fn expand_code(code: &mut Value, keys: &Keys) {
    let Some(obj) = code.as_object_mut() else { return };
    if let Some(bounds) = obj.remove("field_offsets") {
        let bounds = bounds.as_array().cloned().unwrap_or_default();
        let unit = !keys.code_unit_fields.is_empty() && bounds.len() == keys.code_unit_fields.len() + 1;
        let fields = if unit { &keys.code_unit_fields } else { &keys.code_fields };
        let spans: Map<String, Value> = fields
            .iter()
            .zip(bounds.windows(2))
            .map(|(field, pair)| (field.clone(), json!([pair[0], pair[1]])))
            .collect();
        obj.insert("spans".into(), Value::Object(spans));
    }
    if let Some(rows) = obj.get("instructions").and_then(Value::as_array) {
        let expanded = instructions(rows, obj, keys);
        obj.insert("instructions".into(), Value::Array(expanded));
    }
    obj.remove("bytecode_at");
    if let Some(rows) = obj.get_mut("lines").and_then(Value::as_array_mut) {
        let mut start = json!(0);
        for row in rows.iter_mut() {
            let end = row[0].clone();
            *row = json!([start, end, row[1]]);
            start = end;
        }
    }
    rename_rows(obj, "exception_table", &["start", "end", "target", "depth", "lasti"]);
    rename_rows(obj, "blocks", &["start", "end", "first", "count", "stack_depth"]);
    rename_rows(obj, "edges", &["from", "to", "kind", "depth", "lasti"]);
}

/// Rows of a fixed table as objects; `lasti` becomes a boolean, absent trailing values are left out.
fn rename_rows(obj: &mut Map<String, Value>, key: &str, fields: &[&str]) {
    let Some(rows) = obj.get_mut(key).and_then(Value::as_array_mut) else { return };
    for row in rows.iter_mut() {
        let values = row.as_array().cloned().unwrap_or_default();
        let mut out = Map::new();
        for (field, value) in fields.iter().zip(values) {
            let value = if *field == "lasti" { Value::Bool(value == 1) } else { value };
            out.insert((*field).into(), value);
        }
        *row = Value::Object(out);
    }
}

fn instructions(rows: &[Value], code: &Map<String, Value>, keys: &Keys) -> Vec<Value> {
    let units = code.get("positions").and_then(Value::as_array).map(|runs| {
        let mut out = Vec::new();
        for run in runs {
            let run = run.as_array().unwrap();
            for _ in 0..run[0].as_u64().unwrap() {
                out.push(Value::Array(run[1..].to_vec()));
            }
        }
        out
    });
    let code_len = code.get("co_code").and_then(Value::as_str).map_or(0, |h| h.len() as i64 / 2);
    let at = code.get("bytecode_at").and_then(Value::as_i64).unwrap_or(0);
    let offset_of = |row: &Value| row[0].as_i64().unwrap();
    let mut prefix_start: Option<i64> = None;
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let mut ins = Map::new();
        for (k, field) in keys.instruction_fields.iter().enumerate() {
            ins.insert(field.clone(), row.get(k).cloned().unwrap_or(Value::Null));
        }
        let offset = offset_of(row);
        let end = rows.get(i + 1).map_or(code_len.max(offset), offset_of);
        let opcode = ins["opcode"].as_u64().unwrap() as usize;
        let opname = keys.opnames.get(opcode).cloned().unwrap_or_else(|| format!("<{opcode}>"));
        if ins["argval"].is_null() {
            let repr = ins["argrepr"].clone();
            ins.insert("argval".into(), repr);
        }
        let label = ins["label"].as_i64().unwrap_or(0);
        ins.insert("is_jump_target".into(), Value::Bool(label > 0));
        let label = if keys.at_least(3, 13) && label > 0 { json!(label) } else { Value::Null };
        ins.insert("label".into(), label);
        ins.insert("starts_line".into(), Value::Bool(ins["starts_line"] == 1));
        let prefix = opname == "EXTENDED_ARG";
        let start = if prefix { offset } else { prefix_start.unwrap_or(offset) };
        ins.insert("start_offset".into(), json!(start));
        prefix_start = if prefix { Some(prefix_start.unwrap_or(offset)) } else { None };
        let caches = if keys.at_least(3, 11) && !keys.graalpy { ((end - offset) / 2 - 1).max(0) } else { 0 };
        ins.insert("caches".into(), json!(caches));
        let positions = match &units {
            Some(units) => {
                let unit = if keys.graalpy { offset } else { offset / 2 };
                units.get(unit as usize).cloned().unwrap_or(json!([null, null, null, null]))
            }
            None => Value::Null,
        };
        ins.insert("positions".into(), positions);
        ins.insert("span".into(), json!([at + offset, at + end]));
        ins.insert("opname".into(), Value::String(opname));
        out.push(Value::Object(ins));
    }
    out
}
