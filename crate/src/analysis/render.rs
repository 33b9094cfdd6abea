//! Text views of the analysis for the command line: a listing with a stack-depth column
//! (`pyclens dis --stack`) and the control-flow graph as Graphviz DOT or JSON
//! (`pyclens cfg`).
//!
//! `dis --stack` is pyclens's own listing, not any version's `dis` text: `dis` has no depth
//! column, and the exact `dis` text stays what `pyclens dis` prints without it.

use super::{analyse, flow::EdgeKind, Analysis};
use crate::bytecode::disasm::{Disassembler, Disassembly};
use crate::bytecode::tables;
use crate::output::json::JsonWriter;
use crate::pyc::code::{Code, Field};
use crate::pyc::object::Value;
use crate::Pyc;
use std::fmt::Write as _;

/// One code object's name, instructions and analysis.
pub struct Analysed {
    /// `co_qualname` where the version has it, else `co_name`.
    pub name: String,
    /// Its instructions.
    pub dis: Disassembly,
    /// What the analysis found.
    pub analysis: Analysis,
    /// `co_stacksize` as recorded in the file.
    pub co_stacksize: Option<i64>,
}

/// Every code object of the file in pre-order, analysed; empty when pyclens has no opcode
/// table for the version.
pub fn analyse_file(pyc: &Pyc) -> Vec<Analysed> {
    let implementation = pyc.header.magic.implementation;
    let Some(dis) = Disassembler::new(&pyc.objects, pyc.version(), implementation) else { return Vec::new() };
    let mut out = Vec::new();
    for entry in pyc.code_tree() {
        let Value::Code(code) = &pyc.objects.get(entry.id).value else { continue };
        out.push(analyse_code(pyc, &dis, code));
    }
    out
}

fn analyse_code(pyc: &Pyc, dis: &Disassembler, code: &Code) -> Analysed {
    let t = tables::derive(&pyc.objects, code, &pyc.header.magic);
    let d = dis.disassemble(code, &t);
    let analysis = analyse(
        &d.instructions,
        &pyc.objects,
        dis.table(),
        dis.version(),
        &pyc.header.magic,
        t.exception_table.as_deref(),
        code,
    );
    let name = [Field::Qualname, Field::Name]
        .iter()
        .find_map(|&f| code.object(f).and_then(|o| pyc.objects.str_bytes(o)))
        .unwrap_or_default();
    Analysed {
        name: String::from_utf8_lossy(name).into_owned(),
        dis: d,
        analysis,
        co_stacksize: code.int(Field::Stacksize),
    }
}

/// The listing of `pyclens dis --stack`: per code object a header with `co_stacksize` and
/// the computed maximum, then `depth effect offset opname arg` per instruction (`-` where
/// unreachable or unknown). The effect is `dis.stack_effect`'s fall-through, followed by
/// `/` and the jump's where a jump moves the stack differently (`-1/+1`).
pub fn stack_listing(pyc: &Pyc) -> String {
    let implementation = pyc.header.magic.implementation;
    let Some(dis) = Disassembler::new(&pyc.objects, pyc.version(), implementation) else { return String::new() };
    let mut out = String::new();
    let mut name = String::new();
    for (i, a) in analyse_file(pyc).iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let max = a.analysis.max_depth.map_or("-".to_string(), |m| m.to_string());
        let size = a.co_stacksize.map_or("-".to_string(), |m| m.to_string());
        let _ = writeln!(out, "Disassembly of {}: co_stacksize {size}, max stack depth {max}", a.name);
        let _ = writeln!(out, "depth  effect  offset  opname");
        for ((ins, depth), effect) in a.dis.instructions.iter().zip(&a.analysis.depths).zip(&a.analysis.effects) {
            name.clear();
            dis.opname_into(ins.opcode, &mut name);
            let depth = depth.map_or("-".to_string(), |d| d.to_string());
            let effect = effect_text(*effect);
            let arg = ins.arg.map_or(String::new(), |a| a.to_string());
            let _ = writeln!(out, "{depth:>5}  {effect:>6}  {:>6}  {name:<24} {arg}", ins.offset).map(|_| ());
        }
    }
    out.lines().map(str::trim_end).collect::<Vec<_>>().join("\n") + "\n"
}

/// An instruction's stack effect as `dis --stack` shows it: signed fall-through, then
/// `/` and the signed jump effect where it differs; `-` without a measured effect.
fn effect_text(effect: Option<(i64, Option<i64>)>) -> String {
    let signed = |v: i64| if v > 0 { format!("+{v}") } else { v.to_string() };
    match effect {
        None => "-".to_string(),
        Some((fall, None)) => signed(fall),
        Some((fall, Some(jump))) => format!("{}/{}", signed(fall), signed(jump)),
    }
}

/// DOT string literal text: quotes and backslashes escaped, other characters kept.
fn dot_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// The control-flow graph of the code objects named `qualname` (all when `None`) as one
/// Graphviz `digraph`: a box per block listing its instructions with their depths, an
/// arrow per edge labelled with its kind.
pub fn cfg_dot(pyc: &Pyc, qualname: Option<&str>) -> String {
    let implementation = pyc.header.magic.implementation;
    let Some(dis) = Disassembler::new(&pyc.objects, pyc.version(), implementation) else {
        return "digraph cfg {\n}\n".into();
    };
    let mut out = String::from("digraph cfg {\n  node [shape=box, fontname=\"monospace\"];\n");
    let mut name = String::new();
    for (c, a) in analyse_file(pyc).iter().enumerate() {
        if qualname.is_some_and(|q| q != a.name) {
            continue;
        }
        let _ = writeln!(out, "  subgraph cluster_{c} {{");
        out.push_str("    label=\"");
        dot_escape(&a.name, &mut out);
        out.push_str("\";\n");
        for (b, block) in a.analysis.blocks.iter().enumerate() {
            let _ = write!(out, "    c{c}b{b} [label=\"");
            for i in block.first..block.end {
                let ins = &a.dis.instructions[i];
                name.clear();
                dis.opname_into(ins.opcode, &mut name);
                let depth = a.analysis.depths[i].map_or("-".to_string(), |d| d.to_string());
                let arg = ins.arg.map_or(String::new(), |a| format!(" {a}"));
                let mut line = String::new();
                dot_escape(&format!("[{depth}] {} {name}{arg}", ins.offset), &mut line);
                out.push_str(&line);
                out.push_str("\\l");
            }
            out.push_str("\"];\n");
        }
        for e in &a.analysis.edges {
            let style = match e.kind {
                EdgeKind::Exception { .. } | EdgeKind::Setup => ", style=dashed",
                _ => "",
            };
            let _ = writeln!(out, "    c{c}b{} -> c{c}b{} [label=\"{}\"{style}];", e.from, e.to, e.kind.name());
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

/// `max_stack_depth`, `blocks` and `edges` of one code object, as the document has them
/// (docs/document.md, Control flow): one writer for the document and `pyclens cfg`.
pub fn write_flow<W: std::io::Write>(j: &mut JsonWriter<W>, d: &Disassembly, a: &Analysis) {
    let offset = |i: usize| d.instructions.get(i).map_or(0, |ins| ins.offset);
    j.key("max_stack_depth");
    j.opt_int(a.max_depth);
    j.key("blocks");
    j.begin_array();
    for b in &a.blocks {
        j.begin_row();
        j.int(i64::from(offset(b.first)));
        j.int(i64::from(d.instructions.get(b.end - 1).map_or(0, |ins| ins.end)));
        j.int(b.first as i64);
        j.int((b.end - b.first) as i64);
        j.opt_int(a.depths.get(b.first).copied().flatten());
        j.end_row();
    }
    j.end_array();
    j.key("edges");
    j.begin_array();
    for e in &a.edges {
        j.begin_row();
        j.int(e.from as i64);
        j.int(e.to as i64);
        j.string(e.kind.name());
        if let EdgeKind::Exception { depth, lasti } = e.kind {
            j.int(i64::from(depth));
            j.int(i64::from(lasti));
        }
        j.end_row();
    }
    j.end_array();
}

/// The control-flow graph as JSON: `{"codes": [{name, co_stacksize, max_stack_depth,
/// blocks, edges}]}` with blocks and edges as in the document (docs/document.md).
pub fn cfg_json(pyc: &Pyc, qualname: Option<&str>) -> String {
    let mut j = JsonWriter::in_memory(4096, true);
    j.begin_object();
    j.key("codes");
    j.begin_array();
    for a in analyse_file(pyc) {
        if qualname.is_some_and(|q| q != a.name) {
            continue;
        }
        j.begin_object();
        j.key("name");
        j.string(&a.name);
        j.key("co_stacksize");
        j.opt_int(a.co_stacksize);
        write_flow(&mut j, &a.dis, &a.analysis);
        j.end_object();
    }
    j.end_array();
    j.end_object();
    let mut bytes = j.into_bytes();
    bytes.push(b'\n');
    String::from_utf8(bytes).unwrap_or_default()
}
