#!/usr/bin/env python3
"""Generate crate/src/analysis/effects/graal3_10.rs, graal3_11.rs and graal3_12.rs: GraalPy's
stack effect rules, from GraalPy's own OpCodes.java.

Why: pyclens computes the value-stack depth before every instruction and each code object's
maximum, which must equal the `co_stacksize` GraalPy's compiler recorded. GraalPy has no
`dis.stack_effect` to measure; its compiler declares each opcode's effect in the `OpCodes`
enum itself: the second and third constructor arguments are the stack items it consumes and
produces, each a number or a lambda `(oparg, followingArgs, withJump) -> ...` of the
argument, the argument bytes after it and whether the jump is taken. `getStackEffect` is
produced minus consumed, and compiler/CompilationUnit.java `computeStackLevels()` walks the
blocks with it (crate/src/analysis/stack.rs follows that walk). A quickened opcode
(`LOAD_FAST_I(LOAD_FAST, ...)`) takes its base opcode's effects.

What it does: reads OpCodes.java at the release each GraalPy opcode table comes from
(tools/gen_opcodes_graal.py's RELEASES: the same tags and commits), translates each lambda's
Java expression into Python (the constants and `CollectionBits` helpers it names are read from
OpCodes.java and FormatOptions.java, `Integer.bitCount` and `Byte.toUnsignedInt` are Java's),
evaluates it for a wide set of arguments and following bytes in both directions, and finds the
simplest rule `constant + sum of k * term(arg)` (TERMS below) that reproduces every value
exactly (no rule, no file: the generator aborts). The argument a rule reads is pyclens's
encoding of a GraalPy instruction's operands (crate/src/analysis/mod.rs `graal_effect_arg`):
the 32-bit oparg in the low bits, `followingArgs[0]` (the first argument byte after the
oparg) in bits 32-39.

Usage (from the repository root):
  python3 tools/gen_stack_effects_graal.py --git /work/.mirror/oracle+graalpython/repo
  python3 tools/gen_stack_effects_graal.py --check [--git DIR]   # exit 1 if a file is stale
Without --git the sources are fetched from GitHub (as tools/gen_opcodes_graal.py does).
"""

import argparse
import itertools
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_opcodes_graal import RELEASES, REPO_URL, GenError, fetch, opcodes, split_top, strip_comments  # noqa: E402
from gen_stack_effects import OUT_DIR, _solve, table_rs, write_outputs  # noqa: E402

# The operands as one number: the oparg (a Java int, probed non-negative) in bits 0-31 and
# followingArgs[0] in bits 32-39.
FOLLOWING_SHIFT = 32
PROBE_OPARGS = list(range(0, 70)) + [95, 96, 127, 128, 129, 130, 159, 160, 161, 191, 192, 255, 256,
                                     257, 383, 511, 512, 1023, 4095, 65535, 65536, 1048579]
PROBE_FOLLOWING = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 31, 64, 127, 128, 200, 255]

# The terms a rule may combine: (Rust name, Python function of the encoded operands), in order
# of preference. Each is one of crate/src/analysis/effects/mod.rs's `Term`s.
TERMS = [
    ("Int32", lambda a: ((a & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000),
    ("Low5", lambda a: a & 0x1F),
    ("Bit2", lambda a: (a >> 2) & 1),
    ("Ge3", lambda a: 1 if (((a & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000) >= 3 else 0),
    ("DictKind", lambda a: 1 if (a & 0xFFFFFFFF) & ~0x1F == 0x80 else 0),
    ("Next", lambda a: (a >> FOLLOWING_SHIFT) & 0xFF),
    ("NextBits", lambda a: bin(((((a >> FOLLOWING_SHIFT) & 0xFF) ^ 0x80) - 0x80) & 0xFFFFFFFF).count("1")),
]

LAMBDA = re.compile(r"^\(oparg, followingArgs, withJump\) -> (.*)$", re.S)


def int_constants(java):
    """{NAME: value} of every `static final int|byte NAME = literal;` in a Java file."""
    out = {}
    for m in re.finditer(r"static final (?:int|byte) ([A-Z_0-9]+) = (0b[01]+|0x[0-9a-fA-F]+|\d+);",
                         strip_comments(java)):
        out[m.group(1)] = int(m.group(2), 0)
    return out


def helpers(java):
    """{CollectionBits.name: return expression} of the one-line static int helpers."""
    out = {}
    text = strip_comments(java)
    for m in re.finditer(r"public static int ([a-zA-Z]+)\(int oparg\) \{\s*return ([^;]+);\s*\}", text):
        out["CollectionBits." + m.group(1)] = m.group(2)
    return out


def to_python(expr, consts, calls):
    """A lambda body as a Python expression of `oparg`, `following` and `withJump`."""
    e = " ".join(expr.split())
    for name, body in calls.items():
        e = e.replace(name + "(oparg)", "(" + body + ")")
    e = e.replace("Byte.toUnsignedInt(followingArgs[0])", "(following & 0xFF)")
    # Java widens the byte to an int: its sign extends over 32 bits.
    e = e.replace("Integer.bitCount(followingArgs[0])", "bit_count_int(((following ^ 0x80) - 0x80))")
    e = re.sub(r"\b(?:CollectionBits|FormatOptions|MakeTypeParamKind)\.([A-Z_0-9]+)\b",
               lambda m: str(consts[m.group(1)]), e)
    e = re.sub(r"\b([A-Z_][A-Z_0-9]+)\b", lambda m: str(consts[m.group(1)]), e)
    m = re.fullmatch(r"(.+?) \? (.+?) : (.+)", e)
    if m:
        e = "((%s) if (%s) else (%s))" % (m.group(2), m.group(1), m.group(3))
    if "?" in e or "followingArgs" in e or "." in e:
        raise GenError("cannot translate %r" % expr)
    return e


def side(value, consts, calls):
    """A consumed/produced argument as a function (oparg, following, withJump) -> int."""
    value = " ".join(value.split())
    if re.fullmatch(r"\d+", value):
        return lambda o, f, j, n=int(value): n
    m = LAMBDA.match(value)
    if not m:
        raise GenError("unexpected stack effect %r" % value)
    code = compile(to_python(m.group(1), consts, calls), "<OpCodes.java>", "eval")
    env = {"__builtins__": {}, "bit_count_int": lambda x: bin(x & 0xFFFFFFFF).count("1")}
    return lambda o, f, j: eval(code, env, {"oparg": o, "following": f, "withJump": j})


def effects(java, consts):
    """{name: (consumed, produced)} for the opcodes that state them (not the quickened ones)."""
    calls = helpers(java)
    body = strip_comments(java).split("public enum OpCodes {", 1)[1]
    out = {}
    for entry in split_top(body, stop=";"):
        m = re.match(r"([A-Z_0-9]+)\((.*)\)$", entry, re.S)
        args = split_top(m.group(2))
        if re.fullmatch(r"\d+", args[0]):
            if len(args) != 3:
                raise GenError("%s: expected (argLength, consumes, produces)" % m.group(1))
            out[m.group(1)] = (side(args[1], consts, calls), side(args[2], consts, calls))
    return out


def fit(points):
    """The simplest rule (constant, [(term, k)]) matching every (encoded operands, effect)."""
    for size in range(0, 3):
        for terms in itertools.combinations(range(len(TERMS)), size):
            rows = [[1] + [TERMS[t][1](a) for t in terms] for a, _ in points]
            sol = _solve(rows, [v for _, v in points])
            if sol is None:
                continue
            if all(sum(c * x for c, x in zip(sol, r)) == v for r, (_, v) in zip(rows, points)):
                ks = [(TERMS[t][0], k) for t, k in zip(terms, sol[1:]) if k != 0]
                if len(ks) == size:
                    return (sol[0], ks)
    return None


def build(version, java, format_options):
    consts = int_constants(java)
    consts.update(int_constants(format_options))
    stated = effects(java, consts)
    rows = []
    for n, (name, length, base) in enumerate(opcodes(java)):
        consumed, produced = stated[base or name]
        rules = []
        for jump in (False, True):
            pts = []
            for o in (PROBE_OPARGS if length else [0]):
                for f in (PROBE_FOLLOWING if length >= 2 else [0]):
                    pts.append((o | f << FOLLOWING_SHIFT, produced(o, f, jump) - consumed(o, f, jump)))
            rule = fit(pts)
            if rule is None:
                raise GenError("%s: no rule fits %s" % (version, name))
            rules.append(rule)
        rows.append((n, name, rules[0], rules[1]))
    return rows


def render(version, tag, commit, rows):
    header = ["generated by tools/gen_stack_effects_graal.py from GraalPy's OpCodes.java and FormatOptions.java "
              "at %s (commit %s, %s); do not edit" % (tag, commit, REPO_URL)]
    doc = ["Stack effect of every opcode of GraalPy %s (%s): (opcode, name, fall-through, jump taken)," % (
               version, tag),
           "`getStackEffect(oparg, followingArgs, withJump)` of OpCodes.java, produced minus consumed; a",
           "rule's argument is the oparg with `followingArgs[0]` in bits 32-39."]
    return table_rs(header, doc, rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    ap.add_argument("--git", help="a clone of %s to read instead of fetching" % REPO_URL)
    args = ap.parse_args()
    outputs = {}
    for version, tag, commit, _ in RELEASES:
        java = fetch(commit, "OpCodes.java", args.git)
        rows = build(version, java, fetch(commit, "FormatOptions.java", args.git))
        path = os.path.join(OUT_DIR, "graal%s.rs" % version.replace(".", "_"))
        outputs[path] = render(version, tag, commit, rows)
        varying = sum(1 for r in rows if r[2][1] or r[3][1])
        split = sum(1 for r in rows if r[2] != r[3])
        print("graalpy %-4s %3d opcodes, %3d depend on the operands, %2d on the direction (%s)" % (
            version, len(rows), varying, split, tag), file=sys.stderr)
    return write_outputs(outputs, args.check, "tools/gen_stack_effects_graal.py", "GraalPy stack-effect tables")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_stack_effects_graal: %s" % e, file=sys.stderr)
        sys.exit(2)
