#!/usr/bin/env python3
"""Generate crate/src/analysis/effects/pypy2_7.rs, pypy3_7.rs, ...: PyPy's stack effects
read from PyPy's own compiler source, for the PyPy releases without `dis.stack_effect`.

Why: PyPy 2.7, PyPy3 up to 3.8 and PyPy 3.10 have no `dis.stack_effect` to ask (the PyPy 3.9 and
3.11 tables come from the real interpreters, tools/gen_stack_effects_pypy.py). The best
public source left is the compiler that wrote their `co_stacksize`:
pypy/interpreter/astcompiler/assemble.py of the matching PyPy branch, which holds
  - `_static_opcode_stack_effects`, a dict opcode -> effect,
  - `_compute_<OPNAME>(arg)`, tiny pure functions of the argument,
  - `_do_stack_depth_walk`, the walk: how a jump target's depth and the fall-through
    depth follow from the effect (FOR_ITER, SETUP_*, JUMP_IF_*_OR_POP adjustments).

How: the file is read from a git mirror of pypy/pypy at a PINNED commit (SOURCES below;
the branch each came from is printed with its current `git rev-parse` for reference). Its
syntax tree is parsed, never imported: only the static dict, the `_compute_*` functions
(and module-level helpers they call) and the `_do_stack_depth_walk` method are compiled
and executed, in a namespace whose builtins are a handful of pure functions and whose
`ops` is a stub mapping each opcode name to its number from PyPy's own
lib-python/<2.7|3>/opcode.py at the same commit (executed without its imports; named as
rpython/tool/stdlib_opcode.py's `to_globals` names them, 'SLICE+0' as `SLICE`); `consts`
is the branch's astcompiler/consts.py's integer constants. RPython is Python 2: `/` on
ints is floor division, so every `/` is compiled as `//`. A failed `assert` in a
`_compute_*` (CALL_FUNCTION_EX's argument must be 0 or 1) counts as an argument the
compiler never emits, as a rejected one in tools/gen_stack_effects.py.

The effect of each opcode is computed over gen_stack_effects.PROBE_ARGS, and the walk is
run on a one-instruction block (a stub `self`, block and instruction) for every opcode and
probe: the depth the walk hands the jump target and the depth it returns (the
fall-through's), both relative to the depth before the instruction, are the two columns
pyclens's tables hold (crate/src/analysis/effects/mod.rs), fitted with
gen_stack_effects.fit. The generator checks that the maximum the walk records is the
larger of the two, which is what crate/src/analysis/stack.rs `linear` counts.

Nothing of PyPy's is copied into the repository: the generated tables are data, each
file's header naming the branch and commit it was computed from.

Usage (from the repository root):
  python3 tools/gen_stack_effects_pypy_source.py            # regenerate every file
  python3 tools/gen_stack_effects_pypy_source.py --check    # exit 1 if a committed file is stale
  PYPY_MIRROR=/path/to/pypy.git python3 tools/gen_stack_effects_pypy_source.py
"""

import argparse
import ast
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_opcodes import GenError  # noqa: E402
from gen_stack_effects import OUT_DIR, PROBE_ARGS, REPO, fit, table_rs, write_outputs  # noqa: E402

MIRROR = os.environ.get("PYPY_MIRROR", "/work/.mirror/pypy+pypy/repo")

# PyPy's Python version -> (git ref, pinned commit, lib-python opcode.py). Where one magic
# number was written by releases whose walks differ, the ref is the release whose walk gives
# every corpus file's co_stacksize (3.6: v7.0.0, magic 160; its successor at magic 192
# agrees on the one such file; 3.10: v7.3.19, as every release since 7.3.17, where SETUP_EXCEPT's
# and SETUP_FINALLY's handlers lost the extra slot earlier 3.10 releases counted).
SOURCES = {
    "2.7": ("main", "4eeb73ca9598d4743be0c8e452bf7850b7a17630", "lib-python/2.7/opcode.py"),
    # PyPy3 2.3-2.4 (Python 3.2.5): the mirror has no branch or tag of them; the parent of
    # f23899dfe51, which bumped pypy_incremental_magic from 48 to 64, is the last commit that
    # writes their magic 48.
    "3.2": ("f23899dfe51^", "a347e8c88d8b7c56f3cf1f247f39954adb94c5dc", "lib-python/3/opcode.py"),
    "3.5": ("release-pypy3.5-v5.10.1", "9f51a559f7443024faa7cddc2c30d8194a6413cf", "lib-python/3/opcode.py"),
    "3.6": ("release-pypy3.6-v7.0.0", "ffb7a4989c7af02a1343e91e78b2eef7b52cb5ba", "lib-python/3/opcode.py"),
    "3.7": ("branch/py3.7", "2cdd4f004bf9e407ca9c14e0bd1d9d0e573eb710", "lib-python/3/opcode.py"),
    "3.8": ("branch/py3.8", "c060712c7f01e3fbbb5b82d93c0291c6f128bf88", "lib-python/3/opcode.py"),
    "3.10": ("release-pypy3.10-v7.3.19", "64367dfeb2639a9eabdcf1659f804efc47a783ce", "lib-python/3/opcode.py"),
}
ASSEMBLE = "pypy/interpreter/astcompiler/assemble.py"
CONSTS = "pypy/interpreter/astcompiler/consts.py"

SAFE_BUILTINS = {"bool": bool, "abs": abs, "min": min, "max": max, "len": len, "range": range,
                 "AssertionError": AssertionError, "True": True, "False": False, "None": None}
BASE = 1 << 40  # the depth before the instruction in the one-instruction walks (never below 0)


def git_show(commit, path):
    try:
        return subprocess.run(["git", "-C", MIRROR, "show", "%s:%s" % (commit, path)], check=True,
                              capture_output=True).stdout.decode("utf-8")
    except (OSError, subprocess.CalledProcessError) as e:
        raise GenError("cannot read %s:%s from %s (%s)" % (commit, path, MIRROR, e))


def python2_parsable(source):
    """RPython is Python 2. Two of its statements that Python 3 cannot parse occur in
    assemble.py, away from the functions used here: a debugging `print x` (read as `pass`)
    and `except E, e:` (read as `except E as e:`)."""
    source = re.sub(r"(?m)^(\s*)print\b(?!\s*\().*$", r"\1pass", source)
    return re.sub(r"(?m)^(\s*except\s+[\w.()]+)\s*,\s*(\w+)\s*:", r"\1 as \2:", source)


def rev_parse(ref):
    try:
        return subprocess.run(["git", "-C", MIRROR, "rev-parse", ref], check=True,
                              capture_output=True).stdout.decode().strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


class FloorDiv(ast.NodeTransformer):
    """RPython is Python 2: `/` between ints floors."""

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Div):
            node.op = ast.FloorDiv()
        return node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Div):
            node.op = ast.FloorDiv()
        return node


def run(nodes, namespace, what):
    mod = ast.fix_missing_locations(FloorDiv().visit(ast.Module(body=nodes, type_ignores=[])))
    try:
        exec(compile(mod, what, "exec"), namespace)
    except Exception as e:  # noqa: BLE001 - the source is data: any failure is a GenError
        raise GenError("%s: %s: %s" % (what, type(e).__name__, e))


def opcodes(commit, path):
    """PyPy's opcode.py at `commit`, executed without its imports: (opmap, HAVE_ARGUMENT,
    jump opcodes)."""
    tree = ast.parse(git_show(commit, path))
    body = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom, ast.Try))]
    ns = {"__builtins__": dict(SAFE_BUILTINS, list=list, set=set, dict=dict, tuple=tuple,
                               sorted=sorted, enumerate=enumerate, isinstance=isinstance)}
    run(body, ns, path)
    return ns["opmap"], ns["HAVE_ARGUMENT"], set(ns["hasjrel"]) | set(ns["hasjabs"])


def int_constants(commit, path):
    out = {}
    for n in ast.parse(git_show(commit, path)).body:
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            try:
                v = ast.literal_eval(n.value)
            except ValueError:
                continue
            if isinstance(v, int):
                out[n.targets[0].id] = v
    return out


class Namespace:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def compiler(minor):
    """The opcode table and a function computing (fall, jump, max) of one instruction from
    that branch's assemble.py."""
    branch, commit, opcode_path = SOURCES[minor]
    opmap, have_argument, jumps = opcodes(commit, opcode_path)
    # rpython/tool/stdlib_opcode.py `BytecodeSpec.to_globals`: 'SLICE+0' is `ops.SLICE`,
    # 'SLICE+1'..'+3' are written `ops.SLICE+1`...
    ops = Namespace(**{k[:-2] if k.endswith("+0") else k: v for k, v in opmap.items()
                       if not k.endswith(("+1", "+2", "+3"))})
    consts = Namespace(**int_constants(commit, CONSTS))
    tree = ast.parse(python2_parsable(git_show(commit, ASSEMBLE)))
    top = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    static = [n for n in tree.body if isinstance(n, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == "_static_opcode_stack_effects" for t in n.targets)]
    if len(static) != 1:
        raise GenError("%s: no single _static_opcode_stack_effects in %s" % (minor, ASSEMBLE))
    compute = [f for name, f in top.items() if name.startswith("_compute_")]
    # Module-level helpers the _compute_* functions call (2.7's _num_args).
    called = {c.func.id for f in compute for c in ast.walk(f)
              if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
    helpers = [top[name] for name in sorted(called) if name in top and not name.startswith("_compute_")]
    walks = [m for c in tree.body if isinstance(c, ast.ClassDef) for m in c.body
             if isinstance(m, ast.FunctionDef) and m.name == "_do_stack_depth_walk"]
    if len(walks) != 1:
        raise GenError("%s: no single _do_stack_depth_walk in %s" % (minor, ASSEMBLE))
    # 3.10's walk asks `_opcode_stack_effect_jump(op)` for a jump target's effect.
    jump_effect = [top[name] for name in ["_opcode_stack_effect_jump"] if name in top]
    # `we_are_translated()` guards only the untranslated walk's debugging notes.
    ns = {"__builtins__": dict(SAFE_BUILTINS), "ops": ops, "consts": consts, "we_are_translated": lambda: True}
    run(static + helpers + compute + jump_effect + walks, ns, "%s@%s" % (ASSEMBLE, commit[:12]))
    table = ns["_static_opcode_stack_effects"]
    computers = {}
    for f in compute:
        name = f.name[len("_compute_"):]
        if name not in opmap:
            raise GenError("%s: _compute_%s names no opcode of %s" % (minor, name, opcode_path))
        computers[opmap[name]] = ns[f.name]

    def effect(op, arg):
        # assemble.py `_opcode_stack_effect` (untranslated): the static dict first.
        if op in table:
            return table[op]
        return computers[op](arg)

    walk = ns["_do_stack_depth_walk"]
    target, after = object(), object()

    def one(op, arg):
        handed = {}

        def next_walk(nextblock, depth, source=None):  # 3.8 adds `source`
            if isinstance(nextblock, tuple):  # 3.x: instr.jump is (block, ...)
                nextblock = nextblock[0]
            handed[nextblock] = max(handed.get(nextblock, depth), depth)

        def stack_effect(o, a):
            return effect(o, a)

        ns["_opcode_stack_effect"] = stack_effect
        ns["os"] = Namespace(write=lambda fd, s: None)
        is_jump = op in jumps
        instr = Namespace(opcode=op, arg=arg, has_jump=is_jump, jump=(target,) if is_jump else None)
        if minor == "2.7" and is_jump:
            instr.jump = target
        block = Namespace(initial_depth=BASE, instructions=[instr], next_block=after)
        # 3.10 checks that a return leaves an empty stack (`_stacksize_error_pos`), which
        # the one-instruction walk from BASE never does: that check is not an effect.
        me = Namespace(_max_depth=0, _next_stack_depth_walk=next_walk, _stacksize_error_pos=lambda *a: None,
                       compile_info=Namespace(filename="?"), name="?", first_lineno=0)
        takes_blocks = walk.__code__.co_argcount == 3  # 3.10: (self, block, blocks)
        try:
            returned = walk(me, block, [block]) if takes_blocks else walk(me, block)
            # PyPy3 2.x's walk returns nothing: it hands the fall-through depth to the next
            # block, and after an unconditional jump nothing falls through.
            if returned is None:
                returned = handed.get(after, handed.get(target))
            fall = returned - BASE
        except AssertionError:
            return None
        jump = handed[target] - BASE if is_jump else fall
        if after in handed and handed[after] - BASE != fall:
            raise GenError("%s: opcode %d hands the next block another depth than it returns" % (minor, op))
        if me._max_depth - BASE != max(fall, jump):
            raise GenError("%s: opcode %d: the walk's maximum %d is not the larger of fall %d, jump %d" % (
                minor, op, me._max_depth - BASE, fall, jump))
        return fall, jump

    known = set(table) | set(computers)
    names = {v: k for k, v in opmap.items()}
    rows = []
    for op in sorted(known):
        if op not in names:
            raise GenError("%s: assemble.py has an effect for opcode %d, which opcode.py does not name" % (minor, op))
        if op < have_argument:
            got = one(op, 0)
            if got is None:
                raise GenError("%s: %s rejects no argument" % (minor, names[op]))
            fall, jump = (got[0], []), (got[1], [])
        else:
            got = [one(op, a) for a in PROBE_ARGS]
            fall = fit([g and g[0] for g in got], PROBE_ARGS)
            jump = fit([g and g[1] for g in got], PROBE_ARGS)
            if fall is None or jump is None:
                raise GenError("%s: no rule fits %s" % (minor, names[op]))
        rows.append((op, names[op], fall, jump))
    return branch, commit, rows


def render(minor, branch, commit, rows):
    return table_rs(
        ["generated by tools/gen_stack_effects_pypy_source.py from PyPy's compiler source "
         "(assemble.py at %s %s), not measured from an interpreter; do not edit" % (branch, commit)],
        ["Stack effect of every opcode of PyPy %s: (opcode, name, fall-through, jump taken), both" % minor,
         "relative to the depth before the instruction, as pypy/interpreter/astcompiler/assemble.py's",
         "`_opcode_stack_effect` and `_do_stack_depth_walk` compute them (%s, %s)." % (branch, commit)],
        rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    args = ap.parse_args()
    outputs = {}
    for minor in SOURCES:
        branch, commit, rows = compiler(minor)
        now = rev_parse(branch)
        path = os.path.join(OUT_DIR, "pypy%s.rs" % minor.replace(".", "_"))
        outputs[path] = render(minor, branch, commit, rows)
        split = sum(1 for r in rows if r[2] != r[3])
        print("PyPy %-4s %3d opcodes, %2d depend on the direction (%s %s; %s is now %s)" % (
            minor, len(rows), split, branch, commit[:12], branch, now[:12]), file=sys.stderr)
    return write_outputs(outputs, args.check, "tools/gen_stack_effects_pypy_source.py", "PyPy source stack effect tables")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_stack_effects_pypy_source: %s" % e, file=sys.stderr)
        sys.exit(2)
