//! The analysis against what the real interpreters recorded: the simulated maximum stack
//! depth against the `co_stacksize` each compiler wrote, for every code object of every
//! fixture (tests/fixtures) and corpus file (target/corpus) of every version that records it
//! (CPython 1.5–3.15, PyPy 2.7, 3.2 and 3.5–3.11, GraalPy 3.10–3.12, RustPython 3.13
//! at commit 1aea1467; no 2.0 file is at hand), equal except in the named cases of [`NAMED`], each recognised by
//! its own predicate and counted per version in the output; each instruction's
//! `stack_effect` against the depths it moves; CPython 1.0–1.4, which record no
//! `co_stacksize`, against the balance of their statements; 3.14+'s `co_branches()`
//! against the truth pyodide 3.14/3.15 recorded (tests/fixtures/3.1x/branches.json.gz,
//! tests/fixtures/generate/branches.mjs); and the invariants of the blocks and edges.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every pyc of both fetched corpora (uncompyle6's and xdis's test folders).
fn corpus_pycs() -> Vec<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/corpus");
    let mut out = Vec::new();
    let mut stack = vec![corpus.join("uncompyle6-3.9.3/test"), corpus.join("xdis-6.3.0/test")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "pyc") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn codes<'v>(node: &'v Value, out: &mut Vec<&'v Value>) {
    if node["type"] == "code" && node.get("co_code").is_some() {
        out.push(node);
        for c in node["co_consts"].as_array().into_iter().flatten() {
            codes(c, out);
        }
    }
}

#[derive(Default)]
struct Count {
    files: usize,
    codes: usize,
    equal: usize,
    named: BTreeMap<&'static str, usize>,
    unchecked: usize,
    unrecorded: usize,
}

/// A case where a compiler's own `co_stacksize` differs from the depth of the code the file
/// holds, because the compiler computed it over instructions that were rewritten or
/// removed afterwards, or counted slots it never popped: its name, the versions it applies
/// to, why (with the compiler source that proves it) and a predicate that recognises exactly
/// that case in one code object of the document (`label` the implementation and version, `max`
/// the simulated depth, `co` the recorded one).
struct Named {
    name: &'static str,
    versions: &'static [&'static str],
    holds: fn(code: &Value, label: &str, max: i64, co: i64) -> bool,
}

/// Every named case. CPython 3.6.15's Python/compile.c `makecode()` computes
/// `stackdepth(c)` over the compiler's basic blocks (`c->u->u_blocks`), while the bytes it
/// stores are `PyCode_Optimize(a->a_bytecode, ...)`, rewritten by Python/peephole.c after
/// the blocks were assembled. What the walk can rebuild from the file it rebuilds
/// (crate/src/analysis/folded.rs); these are the rewrites the file keeps no trace of.
const NAMED: &[Named] = &[
    // peephole.c `fold_binops_on_constants` / `fold_unaryops_on_constants` (3.6.15; every
    // optimizer from 2.5's to 3.6's has the same `fold_binops_on_constants`; 3.7 moved
    // folding to the AST, before the stack is counted)
    // replace `LOAD_CONST a; LOAD_CONST b; BINARY_*` by one `LOAD_CONST a∘b` (its operands
    // stay behind in co_consts, unused): the compiler counted the second operand, one slot
    // above the folded constant, which can sit in a tuple folded from its elements too.
    // Recognised as: the recorded depth is exactly one above a LOAD_CONST of a number or
    // string (or a tuple's k-th element: k above the tuple's depth).
    Named {
        name: "2.5–3.6 constant expression folded by the peephole optimizer",
        versions: &[
            "CPython 2.5",
            "CPython 2.6",
            "CPython 2.7",
            "CPython 3.0",
            "CPython 3.1",
            "CPython 3.2",
            "CPython 3.3",
            "CPython 3.4",
            "CPython 3.5",
            "CPython 3.6",
        ],
        holds: folded_operand,
    },
    // peephole.c (3.6.15) `case RETURN_VALUE`: the unreachable ops after a return up to
    // the next jump target become NOPs and are dropped, so a handler whose SETUP_* was
    // removed stays behind without it; the compiler walked the removed code. Recognised
    // as: the walk, entering that fragment at the return's depth, pops below zero there.
    Named {
        name: "3.6 unreachable code removed after a return",
        versions: &["CPython 3.6"],
        holds: fragment_after_return,
    },
    // Python 3.1–3.3 Python/compile.c `compiler_comprehension_generator` (`compiler_listcomp_generator`
    // before 3.3) emits one `POP_JUMP_IF_FALSE if_cleanup` per `if` of a comprehension, while
    // `compiler_boolop` compiles `a and b` as `JUMP_IF_FALSE_OR_POP end`, which the walk
    // counts with its operand kept, and peephole.c turns into `POP_JUMP_IF_FALSE if_cleanup`.
    // So `[x for x in r if a if b]` and `[x for x in r if a and b]` leave the same bytes,
    // the first counted one lower: pyclens reads them as the second
    // (crate/src/analysis/rewritten.rs). Recognised as: one above the recorded depth, and two
    // POP_JUMP_IF_FALSE back to the same loop start with no line starting between them.
    Named {
        name: "3.1–3.3 two `if`s of a comprehension on one line, read as `and`",
        versions: &["CPython 3.1", "CPython 3.2", "CPython 3.3"],
        holds: comprehension_ifs,
    },
    // 1.5–2.4's compilers counted while emitting (Python/compile.c `com_push`/`com_pop`), and
    // three statements push a slot they never pop, so every later depth counts one more:
    // - a class (1.5–2.1): `com_classdef` pushes the name, the bases and the code, then
    //   "com_addbyte(c, BUILD_CLASS); com_pop(c, 2);" and stores the class without a
    //   `com_pop` (1.5, 2.0, 2.1 source; 2.4's adds "com_pop(c, 1);" after the store);
    // - a closure (2.1–2.4): `com_make_closure` emits a LOAD_CLOSURE per free variable and
    //   "com_push(c, free);", and MAKE_CLOSURE is followed by "com_pop(c, ndefs);" alone,
    //   while ceval.c pops the cells (2.1 and 2.4 source; 2.4's `com_classdef` alone adds
    //   "com_pop(c, PyCode_GetNumFree(co));");
    // - `print >>f, ...` (2.0–2.4): `com_print_stmt` compiles the stream ("com_node(c,
    //   stream);", which counts it) and then "com_push(c, 1);" again, and pops one.
    // Recognised as: recounting the depths with those slots kept reaches exactly the recorded
    // depth.
    Named {
        name: "1.5–2.4 slots the compiler counted and never popped",
        versions: &[
            "CPython 1.5",
            "CPython 1.6",
            "CPython 2.0",
            "CPython 2.1",
            "CPython 2.2",
            "CPython 2.3",
            "CPython 2.4",
        ],
        holds: unpopped_slots,
    },
];

/// Versions whose every code object must match `co_stacksize`, or a [`NAMED`] case.
const CHECKED: &[&str] = &[
    "CPython 1.5",
    "CPython 1.6",
    "CPython 2.1",
    "CPython 2.2",
    "CPython 2.3",
    "CPython 2.4",
    "CPython 2.5",
    "CPython 2.6",
    "CPython 2.7",
    "CPython 3.0",
    "CPython 3.1",
    "CPython 3.2",
    "CPython 3.3",
    "CPython 3.4",
    "CPython 3.5",
    "CPython 3.6",
    "CPython 3.7",
    "CPython 3.8",
    "CPython 3.9",
    "CPython 3.10",
    "CPython 3.11",
    "CPython 3.12",
    "CPython 3.13",
    "CPython 3.14",
    "CPython 3.15",
    "PyPy 2.7",
    "PyPy 3.2",
    "PyPy 3.5",
    "PyPy 3.6",
    "PyPy 3.7",
    "PyPy 3.8",
    "PyPy 3.9",
    "PyPy 3.10",
    "PyPy 3.11",
    // xdis's bytecode_rust-40-313 samples (the corpus only): its `max_stackdepth` walk,
    // crate/src/analysis/rustpython.rs.
    "RustPython 3.13",
    "GraalPy 3.10",
    "GraalPy 3.11",
    "GraalPy 3.12",
];

fn scalar(constant: &Value) -> bool {
    matches!(constant["type"].as_str(), Some("int" | "float" | "complex" | "str" | "bytes"))
}

fn folded_operand(code: &Value, _label: &str, max: i64, co: i64) -> bool {
    let consts = code["co_consts"].as_array();
    max < co
        && code["instructions"].as_array().into_iter().flatten().any(|i| {
            let (Some(depth), Some(arg)) = (i["stack_depth"].as_i64(), i["arg"].as_u64()) else { return false };
            let Some(c) = consts.and_then(|c| c.get(arg as usize)) else { return false };
            i["opname"] == "LOAD_CONST"
                && if c["type"] == "tuple" {
                    c["items"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .enumerate()
                        .any(|(k, e)| scalar(e) && depth + k as i64 + 2 == co)
                } else {
                    scalar(c) && depth + 2 == co
                }
        })
}

fn fragment_after_return(code: &Value, _label: &str, max: i64, co: i64) -> bool {
    let ins = code["instructions"].as_array().map_or(&[][..], |v| v.as_slice());
    max < co
        && ins.iter().enumerate().any(|(k, i)| {
            i["stack_depth"].as_i64().is_some_and(|d| d < 0)
                && ins[..k]
                    .iter()
                    .rev()
                    .find(|p| p["is_jump_target"] == true || p["opname"] == "RETURN_VALUE")
                    .is_some_and(|p| p["opname"] == "RETURN_VALUE")
        })
}

fn comprehension_ifs(code: &Value, _label: &str, max: i64, co: i64) -> bool {
    let ins = code["instructions"].as_array().map_or(&[][..], |v| v.as_slice());
    let back = |i: &Value| {
        i["opname"] == "POP_JUMP_IF_FALSE" && i["jump_target"].as_i64().is_some_and(|t| Some(t) < i["offset"].as_i64())
    };
    max == co + 1
        && ins.iter().enumerate().filter(|(_, i)| back(i)).any(|(k, first)| {
            ins[k + 1..]
                .iter()
                .take_while(|i| i["starts_line"] != true)
                .any(|i| back(i) && i["jump_target"] == first["jump_target"])
        })
}

fn unpopped_slots(code: &Value, label: &str, max: i64, co: i64) -> bool {
    let ins = code["instructions"].as_array().map_or(&[][..], |v| v.as_slice());
    let name = |k: usize| ins[k]["opname"].as_str().unwrap_or("");
    let depth = |k: usize| ins[k]["stack_depth"].as_i64();
    let classes = ["CPython 1.5", "CPython 1.6", "CPython 2.0", "CPython 2.1"].contains(&label);
    let closures = ["CPython 2.1", "CPython 2.2", "CPython 2.3", "CPython 2.4"].contains(&label);
    let print_to = label.starts_with("CPython 2.");
    // The slots the compiler still counts at each instruction, in code order (its emission
    // order), and the deepest recount.
    let mut kept = 0;
    let mut recount = 0;
    for k in 0..ins.len() {
        let first_of_print_to = match name(k) {
            "PRINT_NEWLINE_TO" => true,
            // An item's DUP_TOP: the stack comes back to its depth right after a PRINT_ITEM_TO.
            "DUP_TOP" => depth(k).is_some_and(|d| {
                (k + 1..ins.len()).find(|&j| depth(j) == Some(d)).is_some_and(|j| name(j - 1) == "PRINT_ITEM_TO")
            }),
            _ => false,
        };
        if print_to && first_of_print_to && (k == 0 || name(k - 1) != "PRINT_ITEM_TO") {
            kept += 1;
        }
        if let Some(d) = depth(k) {
            recount = recount.max(d + kept);
            if let Some(e) = ins[k]["stack_effect"].as_i64() {
                recount = recount.max(d + e + kept);
            }
        }
        if classes && name(k) == "BUILD_CLASS" {
            kept += 1;
        }
        let class_body = k + 2 < ins.len() && name(k + 2) == "BUILD_CLASS";
        if closures && name(k) == "MAKE_CLOSURE" && !(label == "CPython 2.4" && class_body) {
            // Its effect pops the defaults (the argument) and the cells.
            let cells = -ins[k]["stack_effect"].as_i64().unwrap_or(0) - ins[k]["arg"].as_i64().unwrap_or(0);
            kept += cells;
        }
    }
    max < co && recount == co
}

#[test]
fn max_stack_depth_is_co_stacksize() {
    let mut files: Vec<PathBuf> = common::all_pycs();
    let corpus = corpus_pycs();
    println!("{} corpus files (target/corpus; `node scripts/fetch-corpus.mjs` fetches them)", corpus.len());
    files.extend(corpus);
    let mut counts: BTreeMap<String, Count> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(pyc) = pyclens::decode_named(&data, &name) else { continue };
        let doc = common::document(&pyc);
        let label = format!(
            "{} {}",
            doc["header"]["implementation"].as_str().unwrap(),
            doc["header"]["python"].as_str().unwrap()
        );
        let source = if path.starts_with(common::fixtures_dir()) { "fixtures" } else { "corpus" };
        let c = counts.entry(format!("{label:12} {source}")).or_default();
        c.files += 1;
        let mut list = Vec::new();
        codes(&doc["code"], &mut list);
        for code in list {
            c.codes += 1;
            let Some(max) = code["max_stack_depth"].as_i64() else {
                c.unchecked += 1;
                continue;
            };
            // 1.0–1.4 record none: [`statements_leave_the_stack_as_they_found_it`] checks them.
            let Some(co) = code["co_stacksize"].as_i64() else {
                c.unrecorded += 1;
                continue;
            };
            if max == co {
                c.equal += 1;
                continue;
            }
            let what = format!(
                "{label} {} {}: simulated {max}, co_stacksize {co}",
                path.display(),
                code["co_qualname"].as_str().or(code["co_name"].as_str()).unwrap_or("?")
            );
            match NAMED.iter().find(|n| n.versions.contains(&label.as_str()) && (n.holds)(code, &label, max, co)) {
                Some(n) => {
                    println!("named case {:?}: {what}", n.name);
                    *c.named.entry(n.name).or_default() += 1;
                }
                None => failures.push(what),
            }
        }
    }
    for (label, c) in &counts {
        let named: usize = c.named.values().sum();
        let differ = c.codes - c.equal - c.unchecked - c.unrecorded - named;
        println!(
            "{label} files {:5} codes {:6} equal {:6} named {:3} differ {:4} unchecked (no table) {:6} no co_stacksize {:4}",
            c.files, c.codes, c.equal, named, differ, c.unchecked, c.unrecorded
        );
        for (name, n) in &c.named {
            println!("    {n:4} {name}");
        }
    }
    for label in CHECKED {
        let seen = ["fixtures", "corpus"].map(|s| counts.get(&format!("{label:12} {s}")));
        assert!(seen.iter().flatten().all(|c| c.unchecked == 0), "{label} has code objects without a depth");
        // 1.5–2.6, 3.0–3.5 and RustPython have no fixtures; their files come with the corpus.
        assert!(seen[0].or(seen[1]).is_some_and(|c| c.equal > 0), "{label} compared nothing");
    }
    let unchecked: Vec<&String> =
        failures.iter().filter(|f| !CHECKED.iter().any(|l| f.starts_with(&format!("{l} ")))).collect();
    assert!(unchecked.is_empty(), "differences in versions without a table: {unchecked:#?}");
    assert!(failures.is_empty(), "{} code objects differ:\n{:#?}", failures.len(), failures);
}

/// CPython 1.0–1.4 record no `co_stacksize` (their frames grew the value stack on demand), so
/// their tables (tools/gen_stack_effects_old.py) and the walk's entry depth are checked against
/// what their compilers guarantee instead: every statement leaves the stack as it found it, so
/// each code object ends, as their compile.c ends every module, function, lambda and class
/// body, with the RETURN_VALUE of the one value pushed for it (at depth 1), and no instruction
/// pops below the bottom of the stack. One wrong effect on any path to the end, or a function
/// entered without its argument tuple, breaks one or the other.
#[test]
fn statements_leave_the_stack_as_they_found_it() {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for path in corpus_pycs() {
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(pyc) = pyclens::decode_named(&data, &name) else { continue };
        let doc = common::document(&pyc);
        let python = doc["header"]["python"].as_str().unwrap().to_owned();
        if doc["header"]["implementation"] != "CPython"
            || !["1.0", "1.1", "1.2", "1.3", "1.4"].contains(&python.as_str())
        {
            continue;
        }
        let mut list = Vec::new();
        codes(&doc["code"], &mut list);
        for code in list {
            let what = format!("{python} {} {}", path.display(), code["co_name"]);
            let ins = code["instructions"].as_array().unwrap();
            assert!(code["max_stack_depth"].is_i64(), "{what}: no depth");
            for i in ins {
                if let (Some(depth), Some(effect)) = (i["stack_depth"].as_i64(), i["stack_effect"].as_i64()) {
                    assert!(depth + effect >= 0, "{what}: pops below the bottom at {}", i["offset"]);
                }
            }
            let last = ins.last().unwrap();
            assert_eq!(doc["opnames"][last["opcode"].as_u64().unwrap() as usize], "RETURN_VALUE", "{what}");
            assert_eq!(last["stack_depth"], 1, "{what}: the stack at the final RETURN_VALUE");
            *counts.entry(python.clone()).or_default() += 1;
        }
    }
    println!("code objects that end balanced: {counts:?}");
    for v in ["1.0", "1.1", "1.3", "1.4"] {
        assert!(counts.get(v).is_some_and(|&n| n > 0), "no {v} code object in the corpus");
    }
}

/// Every instruction in exactly one block, blocks in code order, every jump target starts
/// a block, and each block ending in a jump has an edge to its target's block.
#[test]
fn blocks_partition_and_edges_follow_jump_targets() {
    let mut checked = 0;
    for path in common::all_pycs() {
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let pyc = pyclens::decode_named(&data, &name).unwrap();
        let doc = common::document(&pyc);
        let mut list = Vec::new();
        codes(&doc["code"], &mut list);
        for code in list {
            let Some(ins) = code["instructions"].as_array() else { continue };
            let blocks = code["blocks"].as_array().unwrap();
            let mut next = 0;
            let mut starts = BTreeMap::new();
            for (b, block) in blocks.iter().enumerate() {
                assert_eq!(block["first"].as_u64().unwrap() as usize, next, "{}", path.display());
                starts.insert(ins[next]["offset"].as_i64().unwrap(), b);
                next += block["count"].as_u64().unwrap() as usize;
            }
            assert_eq!(next, ins.len(), "{}: blocks cover every instruction", path.display());
            let edges = code["edges"].as_array().unwrap();
            for (b, block) in blocks.iter().enumerate() {
                let last =
                    &ins[block["first"].as_u64().unwrap() as usize + block["count"].as_u64().unwrap() as usize - 1];
                let Some(target) = last["jump_target"].as_i64() else { continue };
                if last["opname"] == "END_ASYNC_FOR" {
                    continue;
                }
                let to = starts
                    .get(&target)
                    .unwrap_or_else(|| panic!("{}: jump target {target} starts no block", path.display()));
                assert!(
                    edges.iter().any(|e| e["from"] == b
                        && e["to"] == *to
                        && e["kind"] != "fall"
                        && e["kind"] != "not_taken"
                        && e["kind"] != "exception"),
                    "{}: block {b} has no edge to its jump target {target}",
                    path.display()
                );
            }
            for i in ins {
                if let (Some(t), false) = (i["jump_target"].as_i64(), i["opname"] == "END_ASYNC_FOR") {
                    assert!(starts.contains_key(&t), "{}: jump target {t} starts no block", path.display());
                }
            }
            checked += 1;
        }
    }
    println!("blocks and edges of {checked} code objects checked");
    assert!(checked > 1000);
}

/// `stack_effect` is what moves the depth: inside a block, the next instruction's
/// `stack_depth` is this one's plus its fall-through effect; where a jump's effect differs
/// (`stack_effect_jump`) the instruction is one that jumps. Null exactly where the depth is.
#[test]
fn stack_effect_moves_the_depth_within_blocks() {
    let (mut steps, mut jumps) = (0, 0);
    for path in common::all_pycs() {
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let pyc = pyclens::decode_named(&data, &name).unwrap();
        let doc = common::document(&pyc);
        let mut list = Vec::new();
        codes(&doc["code"], &mut list);
        for code in list {
            let Some(ins) = code["instructions"].as_array() else { continue };
            let has_table = code["max_stack_depth"].is_i64();
            for i in ins {
                assert_eq!(i["stack_effect"].is_i64(), has_table, "{}: {i}", path.display());
                if i["stack_effect_jump"].is_i64() {
                    assert!(i["jump_target"].is_i64(), "{}: {i}", path.display());
                    assert_ne!(i["stack_effect_jump"], i["stack_effect"]);
                    jumps += 1;
                }
            }
            for block in code["blocks"].as_array().unwrap() {
                let first = block["first"].as_u64().unwrap() as usize;
                let end = first + block["count"].as_u64().unwrap() as usize;
                for k in first + 1..end {
                    let (Some(before), Some(effect), Some(after)) = (
                        ins[k - 1]["stack_depth"].as_i64(),
                        ins[k - 1]["stack_effect"].as_i64(),
                        ins[k]["stack_depth"].as_i64(),
                    ) else {
                        continue;
                    };
                    assert_eq!(
                        before + effect,
                        after,
                        "{}: {} at {}",
                        path.display(),
                        code["co_name"],
                        ins[k]["offset"]
                    );
                    steps += 1;
                }
            }
        }
    }
    println!("{steps} fall-through steps agree with stack_effect; {jumps} jumps with their own effect");
    assert!(steps > 10_000 && jumps > 100);
}

/// 3.14+: `branches` is exactly what `co_branches()` yielded in the real 3.14 and 3.15.
#[test]
fn branches_are_co_branches() {
    for minor in ["3.14", "3.15"] {
        let dir = common::fixtures_dir().join(minor);
        let truth = common::read_gz_json(&dir.join("branches.json.gz"));
        let (mut files, mut codes_seen, mut branches) = (0, 0, 0);
        for (file, expected) in truth["files"].as_object().unwrap() {
            let data = std::fs::read(dir.join(file)).unwrap();
            let pyc = pyclens::decode_named(&data, file).unwrap();
            let doc = common::document(&pyc);
            let mut list = Vec::new();
            codes(&doc["code"], &mut list);
            let expected = expected.as_array().unwrap();
            assert_eq!(list.len(), expected.len(), "{minor} {file}: code objects");
            for (code, want) in list.iter().zip(expected) {
                assert_eq!(&code["branches"], want, "{minor} {file} {}", code["co_qualname"]);
                branches += want.as_array().unwrap().len();
                codes_seen += 1;
            }
            files += 1;
        }
        println!("{minor}: {files} files, {codes_seen} code objects, {branches} branches equal to co_branches()");
        assert!(branches > 0);
    }
}
