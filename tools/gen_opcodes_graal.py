#!/usr/bin/env python3
"""Generate crate/src/bytecode/opcodes/graal3_10.rs, graal3_11.rs and graal3_12.rs from GraalPy's own
Java sources.

Why: GraalPy compiles Python to a bytecode of its own (the `OpCodes` enum of its compiler:
an opcode's number is its position in the enum, and each declares how many argument bytes
follow it), and numbers them differently in every release that added one. pyclens reads
GraalPy pycs with the table of the release that wrote them, taken from that release's
source rather than typed by hand or taken from xdis (whose GraalPy tables are hand-written).

What it reads, at the pinned commits of https://github.com/oracle/graalpython below:
  compiler/OpCodes.java      the opcodes in order, each one's argument length (a quickened
                             variant takes its base opcode's);
  compiler/CodeUnit.java     (BytecodeCodeUnit.java's `dumpBytecode` from 25.0) the `toString` disassembler:
                             which opcodes' argument indexes the constants, the names, the
                             locals, the cells, the primitive constants, which ones jump
                             (forwards or backwards), which name a binary or unary operator,
                             a collection kind or a FORMAT_VALUE conversion;
  nodes/bytecode/PBytecodeRootNode.java   the interpreter loop: every opcode that moves
                             `bci` by its argument is a jump (24.0's toString leaves out THROW);
  compiler/BinaryOps.java and UnaryOps.java   the operator names those arguments index.
A magic number names the bytecode version, not the release: 21280 (version 28) was written
by GraalPy 23.1 and 24.0 (Python 3.10: the same opcode numbers, but 23.1's
CALL_METHOD_VARARGS takes a name-index byte that 24.0's does not; the table is 24.0's, and a
23.1 file that uses it shows as a source-offset table not read to its end), 21290 (version
29) by 24.1 and 24.2 (3.11, identical tables) and by 25.0 (3.12, which inserted opcodes), so
3.11 and 3.12 get a table each.

Usage (from the repository root):
  python3 tools/gen_opcodes_graal.py                 # fetch from GitHub and write the files
  python3 tools/gen_opcodes_graal.py --check         # exit 1 if a committed file is stale
  python3 tools/gen_opcodes_graal.py --git DIR       # read a local clone instead of fetching
"""

import argparse
import os
import re
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_opcodes import OUT_DIR, write_outputs  # noqa: E402  (the shared writer)

REPO_URL = "https://github.com/oracle/graalpython"
RAW = "https://raw.githubusercontent.com/oracle/graalpython/%s/%s"
PKG = "graalpython/com.oracle.graal.python/src/com/oracle/graal/python/"
SRC = PKG + "compiler/"

# (Python version, GraalPy release tag, its commit, the file holding the disassembler).
RELEASES = [
    ("3.10", "graal-24.0.0", "dd84460f5042bde971ed6df37565f171c853360c", "CodeUnit.java"),
    ("3.11", "graal-24.2.0", "875be24f018563e373e3da5452e4ea725c6108fa", "CodeUnit.java"),
    ("3.12", "graal-25.0.0", "f36b74a9f27dc18153ea59bf528a17c1134277ae", "BytecodeCodeUnit.java"),
]

# What an argument means, from the body of its `case` group in toString: (pattern, kind).
# Earlier patterns win (LOAD_DOUBLE reads primitiveConstants too).
KINDS = [
    (r"longBitsToDouble\(primitiveConstants\[oparg\]\)", "Double"),
    (r"primitiveConstants\[oparg\]", "Primitive"),
    (r"\(double\[\]\) constants\[oparg\]", "Complex"),
    (r"constants\[oparg\]", "Const"),
    (r"cellvars\[oparg\]", "Cell"),
    (r"varnames\[oparg\]", "Local"),
    (r"names\[oparg\]", "Name"),
    (r"FormatOptions\.FVC_MASK", "Format"),
    (r"UnaryOps\.values\(\)\[oparg\]", "Unary"),
    (r"BinaryOps\.values\(\)\[oparg\]", "Binary"),
    (r"collectionKindToString\(oparg\)", "Collection"),
    (r"bcBCI - oparg", "JumpBack"),
    (r"bcBCI \+ oparg", "Jump"),
    (r"\(byte\) oparg", "SignedByte"),
    (r'"%d, %d", oparg', "UnpackEx"),
]

# The OpcodeTable flags each kind sets (dis's opcode lists, as the listings read them).
FLAGS = {
    "Const": ["CONST"],
    "Name": ["NAME"],
    "Local": ["LOCAL"],
    "Cell": ["FREE"],
    "Jump": ["JREL"],
    "JumpBack": ["JREL", "BACKWARD"],
}


class GenError(Exception):
    pass


def fetch(commit, name, git):
    """A file of the compiler package (or `PKG`-relative when `name` has a folder)."""
    path = (PKG if "/" in name else SRC) + name
    if git:
        return subprocess.run(["git", "-C", git, "show", "%s:%s" % (commit, path)], check=True,
                              capture_output=True, text=True).stdout
    with urllib.request.urlopen(RAW % (commit, path), timeout=60) as r:
        return r.read().decode("utf-8")


def strip_comments(java):
    java = re.sub(r"/\*.*?\*/", "", java, flags=re.S)
    return re.sub(r"//[^\n]*", "", java)


def split_top(text, stop=None):
    """Splits at commas outside parentheses; stops at `stop` outside them."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if depth == 0 and ch == stop:
            break
        if depth == 0 and ch == ",":
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def opcodes(java):
    """[(name, argument length, base name or None)] in enum order."""
    body = strip_comments(java).split("public enum OpCodes {", 1)[1]
    out, lengths = [], {}
    for entry in split_top(body, stop=";"):
        m = re.match(r"([A-Z_0-9]+)\((.*)\)$", entry, re.S)
        if not m:
            raise GenError("unexpected enum entry %r" % entry[:60])
        name, args = m.group(1), split_top(m.group(2))
        if re.fullmatch(r"\d+", args[0]):
            length, base = int(args[0]), None
        elif args[0] in lengths:
            length, base = lengths[args[0]], args[0]
        else:
            raise GenError("%s: unknown first argument %r" % (name, args[0]))
        lengths[name] = length
        out.append((name, length, base))
    if len(out) > 256:
        raise GenError("%d opcodes do not fit a byte" % len(out))
    return out


def argument_kinds(java):
    """{opcode name: kind} from the `switch (opcode)` of toString(byte[])."""
    text = strip_comments(java)
    # `toString(byte[])` until 24.2; `dumpBytecode` in 25.0's BytecodeCodeUnit.
    starts = [text.find(s) for s in ("public String toString(byte[] bytecode)", "void dumpBytecode(")]
    start = max(starts)
    if start < 0:
        raise GenError("no disassembler (toString or dumpBytecode) found")
    switch = text[text.index("switch (opcode) {", start):]
    switch = switch[:switch.index("default:")]
    kinds, labels, body = {}, [], []

    def flush():
        joined = "\n".join(body)
        kind = next((k for pattern, k in KINDS if re.search(pattern, joined)), "Plain")
        for label in labels:
            kinds[label] = kind

    for line in switch.splitlines():
        m = re.match(r"\s*case ([A-Z_0-9]+):", line)
        if m:
            # Labels with nothing between them share the body that follows.
            if any(b.strip() for b in body):
                flush()
                labels, body = [], []
            labels.append(m.group(1))
            body.append(line[m.end():])
        else:
            body.append(line)
    if labels:
        flush()
    return kinds


def interpreter_jumps(java):
    """{opcode name: Jump or JumpBack} from the interpreter loop (PBytecodeRootNode.java):
    every `case OpCodesConstants.X:` whose block moves `bci` by the argument. OpCodes has no
    getNextBci before 24.1, and 24.0's toString does not print THROW as the jump it is."""
    text = strip_comments(java)
    jumps = {}
    blocks = re.split(r"case OpCodesConstants\.([A-Z_0-9]+):", text)
    for name, block in zip(blocks[1::2], blocks[2::2]):
        if "bci -= oparg" in block:
            jumps[name] = "JumpBack"
        elif "bci += oparg" in block:
            jumps[name] = "Jump"
    return jumps


def enum_names(java, enum):
    body = strip_comments(java).split("public enum %s {" % enum, 1)[1]
    return [n for n in split_top(body.split("}", 1)[0], stop=";") if n]


def rs(s):
    return '"%s"' % s


def wrapped(items, indent="    ", width=100):
    lines, cur = [], indent
    for item in items:
        piece = item + ","
        if len(cur) + len(piece) + 1 > width and cur.strip():
            lines.append(cur.rstrip())
            cur = indent
        cur += piece + " "
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def render(version, tag, commit, unit_file, ops, kinds, binary, unary):
    major, minor = version.split(".")
    L = ["// generated by tools/gen_opcodes_graal.py from GraalPy's OpCodes.java, %s, BinaryOps.java and "
         "UnaryOps.java at %s (commit %s, %s); do not edit" % (unit_file, tag, commit, REPO_URL), ""]
    L += ["use super::flags::*;",
          "use super::{caches_of, flags_of, names_of, OpcodeTable};",
          "use crate::bytecode::graal::{arg_kinds_of, arg_lengths_of, GraalArg, GraalOps};",
          "use crate::pyc::version::PyVersion;", ""]
    L += ["/// Every GraalPy opcode: (number, name, flags, inline cache entries: none in GraalPy).",
          "#[rustfmt::skip]", "const OPS: &[(u8, &str, u16, u8)] = &["]
    args = []
    extended = None
    for n, (name, length, base) in enumerate(ops):
        kind = kinds.get(name) or kinds.get(base) or "Plain"
        if name == "EXTENDED_ARG":
            extended = n
        flags = (["HAS_ARG"] if length else []) + (FLAGS.get(kind, []) if length else [])
        L.append("    (%d, %s, %s, 0)," % (n, rs(name), " | ".join(flags) or "0"))
        args.append("(%d, %d, GraalArg::%s)" % (n, length, kind if length else "Plain"))
    L.append("];")
    L.append("")
    L += ["/// Each opcode's argument bytes (`OpCodes.argLength`) and what its first one means.",
          "#[rustfmt::skip]", "const ARGS: &[(u8, u8, GraalArg)] = &["]
    L += wrapped(args)
    L += ["];", ""]
    L += ["/// The GraalPy %s opcode table, as the shared listings read it." % version,
          "#[rustfmt::skip]", "pub static TABLE: OpcodeTable = OpcodeTable {",
          "    version: PyVersion::new(%s, %s)," % (major, minor),
          '    python: "GraalPy %s",' % tag.replace("graal-", ""),
          '    source: "GraalPy %s OpCodes.java (%s)",' % (tag, commit[:12]),
          "    have_argument: 0,",
          "    extended_arg: %d," % extended,
          "    names: names_of(OPS),", "    flags: flags_of(OPS),", "    caches: caches_of(OPS),",
          "    other_names: &[],", "    cmp_op: &[],", "    nb_ops: &[],", "    intrinsic1: &[],",
          "    intrinsic2: &[],", "    cache_format: &[],", "    common_constants: &[],",
          "    common_constant_reprs: &[],", "    special_methods: &[],", "    function_flags: &[],",
          "    format_converters: &[],", "};", ""]
    L += ["/// Argument lengths and meanings, and the operator names BINARY_OP and UNARY_OP index.",
          "#[rustfmt::skip]", "pub static OPS_GRAAL: GraalOps = GraalOps {",
          "    table: &TABLE,", "    arg_lengths: arg_lengths_of(ARGS),", "    args: arg_kinds_of(ARGS),",
          "    extended_arg: %d," % extended, "    binary_ops: &["]
    L += wrapped([rs(b) for b in binary], "        ")
    L += ["    ],", "    unary_ops: &["]
    L += wrapped([rs(u) for u in unary], "        ")
    L += ["    ],", "};"]
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    ap.add_argument("--git", help="a clone of %s to read instead of fetching" % REPO_URL)
    ap.add_argument("--out-dir", default=OUT_DIR, help="where the files go (default %(default)s)")
    args = ap.parse_args()
    outputs = {}
    for version, tag, commit, unit_file in RELEASES:
        ops = opcodes(fetch(commit, "OpCodes.java", args.git))
        kinds = argument_kinds(fetch(commit, unit_file, args.git))
        loop = fetch(commit, "nodes/bytecode/PBytecodeRootNode.java", args.git)
        for name, kind in interpreter_jumps(loop).items():
            if kinds.get(name, "Plain") not in ("Plain", kind):
                raise GenError("%s: %s is a %s in the interpreter but %s in toString" % (tag, name, kind, kinds[name]))
            kinds[name] = kind
        unknown = sorted(set(kinds) - {name for name, _, _ in ops})
        if unknown:
            raise GenError("%s: toString names opcodes the enum lacks: %s" % (tag, unknown))
        binary = enum_names(fetch(commit, "BinaryOps.java", args.git), "BinaryOps")
        unary = enum_names(fetch(commit, "UnaryOps.java", args.git), "UnaryOps")
        name = "graal%s.rs" % version.replace(".", "_")
        outputs[os.path.join(args.out_dir, name)] = render(version, tag, commit, unit_file, ops, kinds, binary, unary)
        print("graalpy %-4s %3d opcodes, %d with arguments (%s)" % (
            version, len(ops), sum(1 for _, n, _ in ops if n), tag), file=sys.stderr)
    return write_outputs(outputs, args.out_dir, args.check, "tools/gen_opcodes_graal.py")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_opcodes_graal: %s" % e, file=sys.stderr)
        sys.exit(2)
