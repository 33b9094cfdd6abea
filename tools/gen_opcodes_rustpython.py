#!/usr/bin/env python3
"""Generate crate/src/bytecode/opcodes/rustpython.rs from RustPython's own bytecode.rs.

Why: RustPython compiles Python to bytecode of its own. Its instruction set is a Rust enum,
`Instruction` in `compiler/core/src/bytecode.rs`, whose variant index is the opcode byte a
pyc stores (`#[repr(u8)]`, `TryFrom<u8>` transmutes any number up to the last variant). The
enum changes from commit to commit, and xdis 6.3.0's RustPython tables do not match the
pycs it ships (they name 0x0a STORE_LOCAL without a name and 0x2e BINARY_SUBCR where the
source has `is not None`), so the table is read from the enum of the commit that wrote the
samples. RustPython's importer makes the magic of its pycs the first four characters of its
own git commit hash (`vm/src/import.rs`, `init_importlib`): the samples in xdis's
test/bytecode_rust-40-313 start with `1aea`, and the commit of that prefix whose marshal
format they follow (qualname, line and exception tables) is PINNED below (2025-09-21; the
other `1aea` commit, 1aeaf4af of 2023, predates the source files' modification times).

What it reads from bytecode.rs, all by the variant's position in the enum:
  - the name (`LoadNameAny`, spelled as dis spells opcodes: LOAD_NAME_ANY);
  - whether it has an argument (a field of type `Arg<T>`; ExtendedArg too, whose byte the
    VM shifts into the next argument);
  - what the argument indexes, from `fmt_dis`, RustPython's own disassembler: `name = idx`
    (co_names), `varname = idx` (co_varnames), `cell_name = idx` (cellvars + freevars),
    `fmt_const` (co_consts);
  - jumps, from `label_arg` (a `Label` is an instruction index: absolute, in code units);
  - the names of enumerated arguments (`op_arg_enum!` enums, `ConversionFlag`) by value,
    as RustPython's `fmt_dis` prints them (their Rust variant names), and the bits of
    `MakeFunctionFlags` and of `CodeFlags` (co_flags has RustPython's own bits).

Usage (from the repository root):
  python3 tools/gen_opcodes_rustpython.py --git-dir PATH/RustPython.git   # read the pinned commit
  python3 tools/gen_opcodes_rustpython.py --source bytecode.rs            # a file of that commit
  ... --check                                                             # exit 1 if stale
"""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_opcodes import GenError, OUT_DIR, render, rs, write_outputs, _wrap  # noqa: E402

PINNED = "1aea1467da5269922feb6cdc099f2112b3ac90db"
PATH = "compiler/core/src/bytecode.rs"
URL = "https://github.com/RustPython/RustPython/blob/%s/%s" % (PINNED, PATH)
# The magic RustPython writes at that commit: its first four hex digits, as bytes.
MAGIC = PINNED[:4]
# The Python version RustPython implemented then (`vm/src/version.rs`: 3.13.0).
PYTHON = "3.13"
OUT = os.path.join(OUT_DIR, "rustpython.rs")


def strip_comments(text):
    return re.sub(r"//[^\n]*", "", text)


def block(text, opener):
    """The text between the `{` after `opener` and its matching `}`."""
    at = text.find(opener)
    if at < 0:
        raise GenError("%r not found in bytecode.rs" % opener)
    start = text.index("{", at) + 1
    depth, i = 1, start
    while depth:
        c = text[i]
        depth += c == "{"
        depth -= c == "}"
        i += 1
    return text[start:i - 1]


def split_top(body):
    """Comma-separated items at bracket depth 0."""
    items, depth, cur = [], 0, ""
    for c in body:
        if c in "({<[":
            depth += 1
        elif c in ")}>]":
            depth -= 1
        if c == "," and depth == 0:
            items.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        items.append(cur.strip())
    return [re.sub(r"#\[[^\]]*\]", "", it).strip() for it in items if it.strip()]


def snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def instructions(text):
    """[(variant, argument type or None)] in enum order."""
    out = []
    for item in split_top(block(text, "pub enum Instruction")):
        m = re.match(r"(\w+)\s*(.*)$", item, re.S)
        name, rest = m.group(1), m.group(2)
        arg = re.search(r"Arg<(\w+)>", rest)
        out.append((name, arg.group(1) if arg else None))
    return out


def enum_values(text, name):
    """{value: variant} of `enum name` (literal ints, `b'c' as i8`, negative ints as u8)."""
    body = block(text, "pub enum %s " % name)
    values = {}
    for item in split_top(body):
        m = re.match(r"(\w+)\s*=\s*(.+)$", item)
        if not m:
            raise GenError("enum %s: cannot read %r" % (name, item))
        expr = m.group(2).strip()
        c = re.match(r"b'(.)' as i8$", expr)
        if c:
            v = ord(c.group(1))
        else:
            v = int(expr, 0) & 0xFF
        values[v] = m.group(1)
    return values


def bitflags(text, struct):
    """[(bit value, NAME)] of a bitflags struct."""
    body = block(text, "pub struct %s" % struct)
    return [(int(v, 0), n) for n, v in re.findall(r"const (\w+) = (0x[0-9a-fA-F]+|\d+);", body)]


def arg_kinds(text):
    """{variant: kind} from fmt_dis: 'name', 'varname', 'cell_name', 'const' or 'debug'."""
    body = block(text, "fn fmt_dis(")
    kinds = {}
    for variant, inner in re.findall(r"(\w+)(?:\s*\{[^{}]*\}|\([^()]*\))?\s*=>\s*w!\((\w+(?:,[^)]*)?)\)", body):
        parts = [p.strip() for p in inner.split(",", 1)]
        if len(parts) == 2:
            m = re.match(r"(\w+)\s*=", parts[1])
            if m:
                kinds[variant] = m.group(1)
            elif parts[1].startswith("?"):
                kinds[variant] = "debug"
    for variant in re.findall(r"(\w+)\s*\{[^{}]*\}\s*=>\s*fmt_const\(", body):
        kinds[variant] = "const"
    return kinds


def jumps(text):
    body = block(text, "pub const fn label_arg(")
    return set(re.findall(r"(\w+)\s*\{\s*\w+\s*:\s*l\s*\}", body))


def build(source):
    text = strip_comments(source)
    ins = instructions(text)
    kinds = arg_kinds(text)
    jump = jumps(text)
    enums = {n: enum_values(text, n) for _, n in ins if n and re.search(r"pub enum %s " % n, text)}
    func_flags = bitflags(text, "MakeFunctionFlags")
    code_flags = bitflags(text, "CodeFlags")
    names, flags = [""] * 256, [[] for _ in range(256)]
    arg_names = []
    ext = None
    if len(ins) > 256:
        raise GenError("%d variants do not fit a byte" % len(ins))
    for op, (name, arg) in enumerate(ins):
        names[op] = snake(name)
        if name == "ExtendedArg":
            ext = op
        if arg is None and name != "ExtendedArg":
            continue
        flags[op].append("HAS_ARG")
        kind = kinds.get(name)
        if name in jump:
            flags[op].append("JABS")
        elif kind == "name":
            flags[op].append("NAME")
        elif kind == "varname":
            flags[op].append("LOCAL")
        elif kind == "cell_name":
            flags[op].append("FREE")
        elif kind == "const":
            flags[op].append("CONST")
        elif arg in enums:
            arg_names.append((op, sorted(enums[arg].items())))
    if ext is None:
        raise GenError("no ExtendedArg variant")
    bits = [n for v, n in sorted(func_flags)]
    if [v for v, _ in sorted(func_flags)] != [1 << i for i in range(len(bits))]:
        raise GenError("MakeFunctionFlags bits are not 1, 2, 4, ...")
    set_attr = [op for op, (n, a) in enumerate(ins) if a == "MakeFunctionFlags"]
    table = {
        "minor": PYTHON, "python": "RustPython %s (commit %s)" % (PYTHON, PINNED[:10]),
        "names": names, "flags": flags, "caches": [0] * 256, "have_argument": 0,
        "extended_arg": ext, "other": [], "cmp_op": [], "nb_ops": [], "intrinsic1": [],
        "intrinsic2": [], "cache_format": [], "common": [], "common_reprs": [], "special": [],
        "func_flags": bits, "converters": [],
    }
    header = ("// generated by tools/gen_opcodes_rustpython.py from RustPython's %s at commit %s (%s); "
              "do not edit" % (PATH, PINNED, URL))
    title = "/// RustPython's instruction set at the pinned commit (its pycs carry magic `%s`)." % MAGIC
    out = render(table, "RustPython %s at %s" % (PATH, PINNED), header=header, title=title)
    out += "\n/// The commit whose `Instruction` enum this is.\npub const COMMIT: &str = %s;\n" % rs(PINNED)
    out += "\n/// The four magic bytes RustPython writes at that commit (its hash's first digits).\n"
    out += "pub const MAGIC: [u8; 4] = *b%s;\n" % rs(MAGIC)
    out += "\n/// Opcodes whose argument RustPython's `fmt_dis` prints as an enum variant:\n"
    out += "/// (opcode, [(argument value, variant name)]).\n#[rustfmt::skip]\n"
    out += "pub const ARG_NAMES: &[(u8, &[(u32, &str)])] = &[\n"
    for op, values in arg_names:
        out += "    (%d, &[%s]),\n" % (op, ", ".join("(%d, %s)" % (v, rs(n)) for v, n in values))
    out += "];\n"
    out += "\n/// Opcodes whose argument is `MakeFunctionFlags` (bit i is `function_flags[i]`).\n"
    out += "pub const FUNCTION_FLAG_OPS: &[u8] = &[%s];\n" % ", ".join(map(str, set_attr))
    out += "\n/// RustPython's `CodeFlags` (its co_flags, 16 bits on disk): (bit, name).\n#[rustfmt::skip]\n"
    out += "pub const CODE_FLAGS: &[(u16, &str)] = &[\n%s\n];\n" % _wrap(
        ["(%#04x, %s)" % (v, rs(n)) for v, n in code_flags], "    ")
    out += "\n/// Number of opcodes: every number below it is an `Instruction` variant.\n"
    out += "pub const COUNT: u16 = %d;\n" % len(ins)
    counts = (len(ins), sum(1 for f in flags if "JABS" in f), len(arg_names))
    return out, counts


def read_source(args):
    if args.source:
        with open(args.source, encoding="utf-8") as f:
            return f.read()
    git_dir = args.git_dir or os.environ.get("RUSTPYTHON_GIT")
    if not git_dir:
        raise GenError("give --source FILE or --git-dir DIR (a clone of RustPython with commit %s)" % PINNED)
    return subprocess.run(["git", "--git-dir", git_dir, "show", "%s:%s" % (PINNED, PATH)],
                          check=True, capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", help="bytecode.rs of commit %s" % PINNED)
    ap.add_argument("--git-dir", help="a RustPython git directory holding that commit")
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file is stale")
    args = ap.parse_args()
    out, (n, jumps_, enums) = build(read_source(args))
    print("RustPython %s: %d opcodes, %d jumps, %d with enumerated arguments" % (PINNED[:10], n, jumps_, enums),
          file=sys.stderr)
    return write_outputs({OUT: out}, OUT_DIR, args.check, "tools/gen_opcodes_rustpython.py")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_opcodes_rustpython: %s" % e, file=sys.stderr)
        sys.exit(2)
