#!/usr/bin/env python3
"""Generate crate/src/analysis/effects/rustpython.rs: RustPython's stack effects, read from
its own `Instruction::stack_effect` at the commit pyclens decodes.

Why: RustPython records in `max_stackdepth` (co_stacksize) what its code generator's walk
computes (compiler/codegen/src/ir.rs, `CodeInfo::max_stackdepth`) with
`Instruction::stack_effect(arg, jump)` of compiler/core/src/bytecode.rs. There is no
interpreter here to ask, and the effects are plain Rust arithmetic of the instruction's
argument fields and of `jump`, so they are read from that function at the commit
tools/gen_opcodes_rustpython.py pins (PINNED, the one whose `Instruction` enum numbers the
opcodes of crate/src/bytecode/opcodes/rustpython.rs).

How: the `match self { ... }` of `stack_effect` is split into arms; each arm's patterns
name the variants it covers (`LoadFast(_) | StoreFast(_)`, `BuildMap { size }`) and its
body is translated to a Python expression: `field.get(arg)` becomes that field's value
decoded as the field's `OpArgType` does (`u32`/`Label`: the argument; `bool`: `x != 0`;
`UnpackExArgs`: its little-endian bytes `before`, `after`; an `op_arg_enum!` enum: its
value, or rejected (None) when no variant has it, as `from_op_arg` returns None and `get`
would panic), `if jump { a } else { b }` a conditional, `let Struct { a, b } = e;` the
bindings, `!`/`as` casts Python's `not`/nothing. Each variant's effect is evaluated over
gen_stack_effects.PROBE_ARGS (or 0 without an argument) with jump False and True, and fitted
with gen_stack_effects.fit to a Rule (bool fields need the NonZero term). Every variant of
the enum must have an arm and the arms no unknown variant, else the generator stops.

Nothing of RustPython's is copied into the repository: the generated table is data whose
header names the file and commit it was computed from.

Usage (from the repository root):
  python3 tools/gen_stack_effects_rustpython.py --git-dir /work/.mirror/RustPython+RustPython/repo
  python3 tools/gen_stack_effects_rustpython.py --source bytecode.rs     # a file of that commit
  ... --check                                                             # exit 1 if stale
(RUSTPYTHON_GIT may name the git directory instead of --git-dir.)
"""

import argparse
import os
import re
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_opcodes import GenError  # noqa: E402
from gen_opcodes_rustpython import PATH, PINNED, URL, block, enum_values, read_source, snake, split_top, strip_comments  # noqa: E402
from gen_stack_effects import OUT_DIR, PROBE_ARGS, TERMS, fit, table_rs, write_outputs  # noqa: E402

OUT = os.path.join(OUT_DIR, "rustpython.rs")
# RustPython's `bool` arguments (`OpArgType for bool`: `Some(x != 0)`) need one more term.
RP_TERMS = TERMS + [("NonZero", lambda a: 1 if a != 0 else 0)]


def variants(text):
    """[(variant, {field: type})] of `enum Instruction` in order (a tuple field is `0`)."""
    out = []
    for item in split_top(block(text, "pub enum Instruction")):
        m = re.match(r"(\w+)\s*(.*)$", item, re.S)
        name, rest = m.group(1), m.group(2).strip()
        fields = {}
        if rest.startswith("{"):
            for f in split_top(rest[1:-1]):
                fm = re.match(r"(\w+)\s*:\s*Arg<(\w+)>$", f)
                if not fm:
                    raise GenError("Instruction::%s: cannot read field %r" % (name, f))
                fields[fm.group(1)] = fm.group(2)
        elif rest.startswith("("):
            for k, f in enumerate(split_top(rest[1:-1])):
                fm = re.match(r"Arg<(\w+)>$", f)
                if not fm:
                    raise GenError("Instruction::%s: cannot read field %r" % (name, f))
                fields[str(k)] = fm.group(1)
        elif rest:
            raise GenError("Instruction::%s: cannot read %r" % (name, rest))
        out.append((name, fields))
    return out


def arms(body):
    """[(pattern text, body text)] of a `match` body (arms end at a `,` or after a block)."""
    out, i, n = [], 0, len(body)
    while i < n:
        while i < n and body[i] in " \t\n,":
            i += 1
        if i >= n:
            break
        j = body.index("=>", i)
        pattern = body[i:j].strip()
        i = j + 2
        while body[i] in " \t\n":
            i += 1
        depth, start = 0, i
        while i < n:
            c = body[i]
            if c in "({[":
                depth += 1
            elif c in ")}]":
                depth -= 1
                if depth == 0 and body[start] == "{" and c == "}":
                    i += 1
                    break
            elif c == "," and depth == 0:
                break
            i += 1
        out.append((pattern, body[start:i].strip()))
    return out


def decoder(kind, enums, aliases):
    """How `Arg<kind>::get` turns the argument into a value (None: `from_op_arg` rejects it);
    a kind it cannot decode stops the generator when an arm reads it."""
    kind = aliases.get(kind, kind)
    if kind in ("u32", "Label"):
        return lambda a: a
    if kind == "bool":
        return lambda a: 1 if a != 0 else 0
    if kind == "UnpackExArgs":
        return lambda a: SimpleNamespace(before=a & 0xFF, after=(a >> 8) & 0xFF)
    if kind in enums:
        values = enums[kind]
        return lambda a: a if a <= 0xFF and a in values else None

    def unknown(a):
        raise GenError("no decoding for an argument of type %s" % kind)

    return unknown


class Rejected(Exception):
    """An argument the field's `from_op_arg` rejects."""


def python_of(expr):
    """The Rust body of an arm as a Python function body of `arg`, `jump` and `get`."""
    e = expr.strip()
    if e.startswith("{") and e.endswith("}"):
        e = e[1:-1].strip()
    # if jump { a } else { b }  ->  (a) if jump else (b)
    e = re.sub(r"if\s+(\w+)\s*\{([^{}]*)\}\s*else\s*\{([^{}]*)\}", r"((\2) if \1 else (\3))", e)
    e = re.sub(r"\(!(\w+)\)", r"(not \1)", e)
    e = re.sub(r"\s+as\s+(i32|u8|u32|usize)\b", "", e)
    e = re.sub(r"(\w+)\.get\(arg\)", r"get('\1')", e)
    lines = []
    stmts = [s.strip() for s in e.split(";")]
    for s in stmts[:-1]:
        m = re.match(r"let\s+(\w+)\s*\{([^}]*)\}\s*=\s*(.+)$", s, re.S)
        if m:
            lines.append("_t = %s" % m.group(3))
            lines += ["%s = _t.%s" % (f.strip(), f.strip()) for f in m.group(2).split(",") if f.strip()]
            continue
        m = re.match(r"let\s+(\w+)\s*=\s*(.+)$", s, re.S)
        if not m:
            raise GenError("cannot translate statement %r" % s)
        lines.append("%s = %s" % (m.group(1), m.group(2)))
    lines.append("return %s" % stmts[-1])
    return "\n".join("    " + line.replace("\n", " ") for line in lines)


def effects_of(text):
    """{variant: (fields, function(arg, jump) -> int or None)} from `stack_effect`."""
    fn = block(text, "pub fn stack_effect(")
    body = block(fn, "match self")
    enums = {}
    for m in re.finditer(r"pub enum (\w+) ", text):
        if m.group(1) != "Instruction":
            try:
                enums[m.group(1)] = enum_values(text, m.group(1))
            except GenError:
                pass
    aliases = dict(re.findall(r"pub type (\w+) = (\w+);", text))
    fields_of = dict(variants(text))
    out = {}
    for pattern, expr in arms(body):
        names = [re.match(r"(\w+)", p).group(1) for p in split_top(pattern.replace("|", ","))]
        src = "def effect(arg, jump, get):\n" + python_of(expr) + "\n"
        ns = {}
        exec(compile(src, "stack_effect arm %s" % pattern, "exec"), {"__builtins__": {}}, ns)
        for name in names:
            if name not in fields_of:
                raise GenError("stack_effect names %s, no Instruction variant" % name)
            if name in out:
                raise GenError("stack_effect has two arms for %s" % name)
            # The arm binds field names of its own variant (`BuildTuple { size, .. }`).
            decoders = {f: decoder(k, enums, aliases) for f, k in fields_of[name].items()}
            out[name] = (fields_of[name], ns["effect"], decoders)
    missing = [v for v in fields_of if v not in out]
    if missing:
        raise GenError("stack_effect has no arm for %s" % ", ".join(missing))
    return out


def evaluate(effect, decoders, arg, jump):
    def get(field):
        value = decoders[field](arg)
        if value is None:
            raise Rejected()
        return value

    try:
        return int(effect(arg, jump, get))
    except Rejected:
        return None


def build(source):
    text = strip_comments(source)
    found = effects_of(text)
    rows = []
    for op, (name, fields) in enumerate(variants(text)):
        _, effect, decoders = found[name]
        args = PROBE_ARGS if fields else [0]
        rules = []
        for jump in (False, True):
            values = [evaluate(effect, decoders, a, jump) for a in args]
            rule = fit(values, args, RP_TERMS) if fields else (values[0], [])
            if rule is None:
                raise GenError("no rule fits %s (jump=%s): %r" % (name, jump, values[:20]))
            rules.append(rule)
        rows.append((op, snake(name), rules[0], rules[1]))
    return rows


def render(rows):
    header = ["generated by tools/gen_stack_effects_rustpython.py from RustPython's %s at commit %s "
              "(%s), `Instruction::stack_effect`; do not edit" % (PATH, PINNED, URL)]
    doc = ["Stack effect of every RustPython instruction at commit %s: (opcode, name, fall-through," % PINNED[:10],
           "jump taken), both relative to the depth before it, as `Instruction::stack_effect(arg, false)`",
           "and `(arg, true)` compute them (compiler/core/src/bytecode.rs)."]
    return table_rs(header, doc, rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", help="bytecode.rs of commit %s" % PINNED)
    ap.add_argument("--git-dir", help="a RustPython git directory holding that commit")
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file is stale")
    args = ap.parse_args()
    rows = build(read_source(args))
    varying = sum(1 for r in rows if r[2][1] or r[3][1])
    split = sum(1 for r in rows if r[2] != r[3])
    print("RustPython %s: %d opcodes, %d depend on the argument, %d on the direction" % (
        PINNED[:10], len(rows), varying, split), file=sys.stderr)
    return write_outputs({OUT: render(rows)}, args.check, "tools/gen_stack_effects_rustpython.py",
                         "RustPython effect tables")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_stack_effects_rustpython: %s" % e, file=sys.stderr)
        sys.exit(2)
