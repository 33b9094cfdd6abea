//! The documents a viewer asks for one at a time — the summary, one code object, the owner
//! of a byte — say the same as the whole document, for every fixture.

mod common;

use serde_json::Value;

/// The whole document's code objects in pre-order (references and stubs skipped).
fn code_nodes(doc: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut stack = vec![&doc["code"]];
    while let Some(code) = stack.pop() {
        out.push(code);
        let nested: Vec<&Value> = code["co_consts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["type"] == "code" && c.get("ref").is_none())
            .collect();
        stack.extend(nested.into_iter().rev());
    }
    out
}

#[test]
fn summary_and_code_documents_agree_with_the_whole_document() {
    let mut checked = 0;
    for path in common::all_pycs() {
        let data = std::fs::read(&path).unwrap();
        let pyc = pyclens::decode(&data).unwrap();
        let doc = common::document(&pyc);
        let summary: Value = serde_json::from_str(&pyc.summary_json()).unwrap();
        assert_eq!(summary["header"], doc["header"], "{}", path.display());
        let codes = code_nodes(&doc);
        let entries = summary["codes"].as_array().unwrap();
        assert_eq!(entries.len(), codes.len(), "{}", path.display());
        for (i, (entry, whole)) in entries.iter().zip(&codes).enumerate() {
            assert_eq!(entry["index"], i);
            assert_eq!(entry["span"], whole["span"]);
            assert_eq!(entry["co_name"], whole["co_name"]);
            assert_eq!(entry["consts"], whole["co_consts"].as_array().map_or(0, |c| c.len()));
            let one = common::code_document(&pyc, i).unwrap();
            let one = &one["code"];
            for (key, value) in whole.as_object().unwrap() {
                if key == "co_consts" {
                    for (c, w) in one[key].as_array().unwrap().iter().zip(value.as_array().unwrap()) {
                        if let Some(target) = c.get("code_index") {
                            // A stub: same type, repr and span as the nested code object it names.
                            assert_eq!((&c["type"], &c["repr"], &c["span"]), (&w["type"], &w["repr"], &w["span"]));
                            assert_eq!(entries[target.as_u64().unwrap() as usize]["span"], w["span"]);
                        } else {
                            assert_eq!(c, w, "{} code {i}", path.display());
                        }
                    }
                } else {
                    assert_eq!(&one[key], value, "{} code {i} {key}", path.display());
                }
            }
        }
        assert!(pyc.code_json(codes.len()).is_none());
        checked += 1;
    }
    println!("{checked} files: summary and every code document compared with the whole document");
}

#[test]
fn owner_of_a_byte_is_the_innermost_node() {
    let path = common::fixtures_dir().join("3.12/snippets/closures.pyc");
    let data = std::fs::read(&path).unwrap();
    let pyc = pyclens::decode(&data).unwrap();
    let doc = common::document(&pyc);
    let owner = |offset: u32| -> Value { serde_json::from_str(&pyc.owner_json(offset)).unwrap() };
    assert_eq!(owner(3)["label"], "header");
    let module = &doc["code"];
    let code_span = &module["spans"]["co_code"];
    let inside = code_span[0].as_u64().unwrap() as u32 + 1;
    assert_eq!(owner(inside)["label"], "<module>.co_code");
    assert_eq!(owner(inside)["span"], *code_span);
    // A byte of a nested function's name belongs to that function.
    let nested = module["co_consts"].as_array().unwrap().iter().find(|c| c["type"] == "code").unwrap();
    let name_span = &nested["spans"]["co_name"];
    let hit = owner(name_span[0].as_u64().unwrap() as u32);
    assert_eq!(hit["code_index"], 1);
    assert_eq!(hit["label"], format!("{}.co_name", nested["co_qualname"].as_str().unwrap()));
    // Constants are found down to container items.
    let tuple_item = module["co_consts"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["type"] == "tuple" && c.get("ref").is_none() && !c["items"].as_array().unwrap().is_empty())
        .unwrap();
    let item_span = &module["co_consts"][tuple_item]["items"][0]["span"];
    let hit = owner(item_span[0].as_u64().unwrap() as u32);
    assert_eq!(hit["label"], format!("<module>.co_consts[{tuple_item}][0]"));
    assert_eq!(owner(data.len() as u32), Value::Null);
}
