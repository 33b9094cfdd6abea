"""Record what real CPython interpreters say about line, location and exception tables.

pyclens decodes ``co_lnotab`` (<= 3.9), the 3.10 ``co_linetable``, the 3.11+ location table
and the 3.11+ exception table itself. Its tests must not trust expectations typed in by hand,
so this script asks each installed interpreter. For every code object of a set of small
source snippets (below), and for a few hand-made tables put into a code object with
``replace()`` / ``types.CodeType``, it records:

* the raw tables (hex), ``co_firstlineno`` and ``len(co_code)``;
* ``dis.findlinestarts()``, ``co_lines()`` (3.10+), ``co_positions()`` (3.11+,
  run-length encoded as ``[count, line, end_line, col, end_col]``) and
  ``dis._parse_exception_table()`` (3.11+).

Usage (from the repository root, with any Python 3)::

    python3 tools/gen_line_table_cases.py [--out crate/tests/data/line_table_cases.json]

Interpreters are looked for in ``~/.pyenv/versions/<version>/bin/python``; missing ones are
skipped with a note. The same file runs inside each interpreter (``--worker``), so it is
written in the subset of Python that 2.7 and 3.6+ share.
"""
from __future__ import print_function

import binascii
import json
import os
import subprocess
import sys

VERSIONS = ["2.7.18", "3.6.15", "3.7.16", "3.8.18", "3.9.18",
            "3.10.13", "3.11.7", "3.12.1", "3.13.0"]

DEFAULT_OUT = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), os.pardir,
    "crate", "tests", "data", "line_table_cases.json"))


# ---------------------------------------------------------------------------------------
# Source snippets: (name, oldest (major, minor) that can compile it, source)

def _gap(n):
    return "def gap%d():\n    x = 1\n%s    y = 2\n    return x + y\n" % (n, "\n" * n)


def _gap_backwards(n):
    # The call's own instruction belongs to line 2, its argument sits n lines below.
    return "def gap_back%d(a):\n    return combine(\n%s        a)\n" % (n, "\n" * n)


def _long_line(terms):
    return "def long_line%d(a):\n    return %s\n" % (terms, " + ".join(["a"] * terms))


def _big_try(statements):
    body = "".join("        v%d = f(%d)\n" % (i, i) for i in range(statements))
    return ("def big_try(f):\n    try:\n%s    except ValueError:\n"
            "        try:\n            f()\n        finally:\n            f()\n"
            "    return 0\n" % body)


SNIPPETS = [
    ("straight", (2, 7), """
def straight(a, b):
    x = a + b
    y = x * 2
    return y
"""),
    ("backwards_call", (2, 7), """
def backwards_call(a, b):
    return combine(
        a,
        b,
        a * b,
    )
"""),
    ("backwards_cond", (2, 7), """
def backwards_cond(a):
    return (a
            if a > 0
            else -a)
"""),
    ("loops", (2, 7), """
def loops(n):
    total = 0
    for i in range(n):
        if i % 2:
            total += i
            continue
        elif i > 50:
            break
        else:
            total -= 1
    else:
        total = -total
    while total > 100:
        total //= 2
    return total
"""),
    ("gap300", (2, 7), _gap(300)),
    ("gap5000", (2, 7), _gap(5000)),
    ("gap_back200", (2, 7), _gap_backwards(200)),
    ("long_line40", (2, 7), _long_line(40)),
    ("long_line300", (2, 7), _long_line(300)),
    ("multiline", (2, 7), """
def multiline(a, b):
    value = (a +
             b *
             (a - b))
    d = {
        'a': a,
        'b': b,
    }
    return [value,
            d]
"""),
    ("try_except_finally", (2, 7), """
def tef(f):
    try:
        f()
    except ValueError as e:
        return e
    except (TypeError, KeyError):
        return 2
    else:
        return 3
    finally:
        f()
"""),
    ("try_loop", (2, 7), """
def try_loop(items):
    for item in items:
        try:
            item()
        except Exception:
            continue
        finally:
            items = None
    return items
"""),
    ("big_try", (2, 7), _big_try(60)),
    ("nested_with", (2, 7), """
def nested_with(a, b):
    with a as x:
        with b as y, a:
            return x + y
"""),
    ("generators", (2, 7), """
def gen(n):
    for i in range(n):
        yield i * 2
    squares = [i * i for i in range(n)]
    evens = dict((k, v) for k, v in enumerate(squares)
                 if v % 2 == 0)
    yield sum(x for x in squares)
"""),
    ("yield_from", (3, 3), """
def delegate(g):
    result = yield from g
    return result
"""),
    ("async", (3, 6), """
async def fetch(session, urls):
    async with session as s:
        async for u in s.iter(urls):
            await s.get(u)
    return [x async for x in s]
"""),
    ("match", (3, 10), """
def m(cmd):
    match cmd:
        case [x, y]:
            return x + y
        case {"k": v}:
            return v
        case Point(x=0) | None:
            return 0
        case str() as s if len(s) > 3:
            return s
        case _:
            return -1
"""),
    ("except_star", (3, 11), """
def es(f):
    try:
        f()
    except* ValueError as eg:
        f(eg)
    except* TypeError:
        pass
    return 0
"""),
    ("fstring_walrus", (3, 8), """
def fw(data):
    if (n := len(data)) > 10:
        return f"{n} items: {data[0]!r:>{n}}"
    return f'''{
        n
    }'''
"""),
    ("class_decorators", (2, 7), """
@decorate
class C(object):
    attr = 1

    @staticmethod
    def method(
            a,
            b):
        return a
"""),
    ("small", (2, 7), """
f = lambda: 0
def empty():
    pass
def doc():
    '''doc'''
def semi(): a = 1; b = 2; return a + b
"""),
    ("module_level", (2, 7), """
import os
x = 1
if x:
    y = [os.sep for _ in range(3)]
else:
    y = None
for i in range(2):
    x += i
"""),
]


# ---------------------------------------------------------------------------------------
# Hand-made tables, run through the real interpreter's decoder. Only inputs that CPython
# decodes deterministically (no read past the end of the table) are listed.

# (co_firstlineno, co_lnotab hex, len(co_code)) for <= 3.9
LNOTAB_SYNTH = [
    (1, "", 8),
    (5, "020103", 8),              # odd length: zip() drops the last byte
    (5, "00050401", 8),            # address delta 0
    (5, "04ff04fe0401", 16),       # 0xff is -1 from 3.6 on, +255 before
    (0, "02ff02ff", 8),            # negative lines (3.6+)
    (5, "020104010401", 4),        # addresses past the code: 3.8+ stops
    (5, "04010401", 8),            # ends exactly at the code length
    (5, "02000200020104", 8),      # repeated line, odd tail
    (3, "ff00ff000a01", 600),      # address steps > 255
    (3, "007f007f0a05", 20),       # line steps > 127
    (3, "0a800a80", 40),           # -128 / +128
]

# (co_firstlineno, co_linetable hex) for 3.10
LINETABLE310_SYNTH = [
    (5, ""),
    (5, "04"),                     # odd length: CPython reads the bytes' NUL terminator
    (0, "020002ff02ff0201"),       # negative lines are reported as None
    (1, "02ff"),                   # line 0 stays 0
    (5, "040100800001040103"),
    (5, "0480048002016400"),       # ranges past the code are still reported
    (5, "00050401"),               # zero-width entries only move the line
    (0, "027f027f02810281"),
    (5, "fe01fe010401"),
    (5, "02800280"),               # no line at all
]


def _entry(code, units):
    """First byte of a location-table entry."""
    return [0x80 | code << 3 | (units - 1)]


def _varint(value):
    """Location-table varint: 6-bit groups, least significant first, 0x40 = more."""
    out = []
    while value >= 64:
        out.append(0x40 | (value & 63))
        value >>= 6
    return out + [value]


def _svarint(value):
    return _varint((-value) << 1 | 1 if value < 0 else value << 1)


def _hexof(byte_list):
    return binascii.hexlify(bytes(bytearray(byte_list))).decode("ascii")


_SHORT_FORMS = sum([_entry(c, c % 8 + 1) + [(c % 8) << 4 | c] for c in range(10)], [])
_ONE_LINE_FORMS = (_entry(10, 1) + [0, 5] + _entry(11, 2) + [127, 127] +
                   _entry(12, 1) + [19, 20] + _entry(10, 3) + [1, 2])
_LONG_UP = (_entry(14, 1) + _svarint(5000) + _varint(1) + _varint(2001) + _varint(2002) +
            _entry(14, 2) + _svarint(1) + _varint(0) + _varint(130) + _varint(1001))
_LONG_DOWN = (_entry(14, 1) + _svarint(-5000) + _varint(0) + _varint(0) + _varint(0) +
              _entry(13, 1) + _svarint(0))

# (co_firstlineno, location table hex) for 3.11+
LOCATIONS_SYNTH = [
    (1, ""),
    (0, "e803e803e903e802"),       # lines -1, -2, -3, -2 (no columns)
    (5, "f8f9e800e800f8e800"),     # None runs between line 5 runs
    (5, "ef00ef00ef00"),           # table longer than the code
    (0, "f002000000"),             # long form, columns stored 0 -> None
    (2, "f005000304"),             # long form: line 0
    (1, "f005000000f8f9"),         # line -1 next to no-location entries
    (7, _hexof(_SHORT_FORMS)),     # short forms 0-9
    (7, _hexof(_ONE_LINE_FORMS)),  # one-line forms 10-12
    (7, _hexof(_LONG_UP)),         # long form: +5000 lines, columns past 1000
    (9000, _hexof(_LONG_DOWN)),    # long form: -5000 lines
    (3, _hexof(_entry(0, 8) + [0x13] + _entry(15, 8) + _entry(13, 8) + _svarint(-3))),
]


def _exc_varint(value, first):
    """Exception-table varint: 6-bit groups, most significant first, 0x80 = entry start."""
    groups = [value & 63]
    value >>= 6
    while value:
        groups.append(0x40 | (value & 63))
        value >>= 6
    groups.reverse()
    if first:
        groups[0] |= 0x80
    return groups


def _exc_entry(start, size, target, depth, lasti):
    return (_exc_varint(start, True) + _exc_varint(size, False) +
            _exc_varint(target, False) + _exc_varint(depth << 1 | lasti, False))


# co_exceptiontable hex for 3.11+
EXCTABLE_SYNTH = [
    "",
    "9408412406",                  # the example in InternalDocs/exception_handling.md
    "820e110091091d039c011d03",
    _hexof(_exc_entry(5000, 5000, 129, 0, 0) + _exc_entry(10000, 64, 4095, 63, 1)),
    _hexof(_exc_entry(0, 0, 0, 0, 0)),                       # empty range
    _hexof(_exc_entry(2 ** 30, 2 ** 29, 2 ** 31 - 1, 2 ** 30, 1)),  # large values
]


# ---------------------------------------------------------------------------------------
# Worker: runs inside each interpreter

def _hex(b):
    return binascii.hexlify(b).decode("ascii")


def _rle(items):
    out = []
    for item in items:
        item = list(item)
        if out and out[-1][1:] == item:
            out[-1][0] += 1
        else:
            out.append([1] + item)
    return out


def _record(code, case_id):
    import dis
    v = sys.version_info
    rec = {"id": case_id, "first": code.co_firstlineno, "code_len": len(code.co_code)}
    if v < (3, 10):
        rec["lnotab"] = _hex(code.co_lnotab)
    else:
        rec["linetable"] = _hex(code.co_linetable)
        rec["lines"] = [list(t) for t in code.co_lines()]
    rec["starts"] = [list(t) for t in dis.findlinestarts(code)]
    if v >= (3, 11):
        rec["positions"] = _rle(code.co_positions())
        rec["exctable"] = _hex(code.co_exceptiontable)
        rec["exc"] = [[e.start, e.end, e.target, e.depth, int(e.lasti)]
                      for e in dis._parse_exception_table(code)]
    return rec


def _walk(code, path, out):
    path = path + "/" + code.co_name
    out.append(_record(code, path))
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            _walk(const, path, out)


def _template():
    def template(a):
        return a
    return template.__code__


def _with_lnotab(code, first, lnotab, code_len):
    import types
    raw = bytes(bytearray(code_len))
    if sys.version_info >= (3, 8):
        return code.replace(co_firstlineno=first, co_lnotab=lnotab, co_code=raw)
    if sys.version_info >= (3, 0):
        return types.CodeType(code.co_argcount, code.co_kwonlyargcount, code.co_nlocals,
                              code.co_stacksize, code.co_flags, raw, code.co_consts,
                              code.co_names, code.co_varnames, code.co_filename,
                              code.co_name, first, lnotab, code.co_freevars,
                              code.co_cellvars)
    return types.CodeType(code.co_argcount, code.co_nlocals, code.co_stacksize,
                          code.co_flags, raw, code.co_consts, code.co_names,
                          code.co_varnames, code.co_filename, code.co_name, first, lnotab,
                          code.co_freevars, code.co_cellvars)


def _synthetic(out):
    v = sys.version_info
    code = _template()
    if v < (3, 10):
        for i, (first, tab, code_len) in enumerate(LNOTAB_SYNTH):
            c = _with_lnotab(code, first, binascii.unhexlify(tab), code_len)
            out.append(_record(c, "synthetic/lnotab/%d" % i))
        return
    if v < (3, 11):
        for i, (first, tab) in enumerate(LINETABLE310_SYNTH):
            c = code.replace(co_firstlineno=first, co_linetable=binascii.unhexlify(tab))
            out.append(_record(c, "synthetic/linetable/%d" % i))
        return
    for i, (first, tab) in enumerate(LOCATIONS_SYNTH):
        c = code.replace(co_firstlineno=first, co_linetable=binascii.unhexlify(tab))
        out.append(_record(c, "synthetic/locations/%d" % i))
    for i, tab in enumerate(EXCTABLE_SYNTH):
        c = code.replace(co_exceptiontable=binascii.unhexlify(tab))
        out.append(_record(c, "synthetic/exctable/%d" % i))


def worker():
    out = []
    for name, oldest, source in SNIPPETS:
        if sys.version_info[:2] < oldest:
            continue
        _walk(compile(source, name + ".py", "exec"), name, out)
    _synthetic(out)
    json.dump({"version": sys.version.split()[0], "cases": out}, sys.stdout,
              separators=(",", ":"))


# ---------------------------------------------------------------------------------------
# Driver

def main(argv):
    out_path = DEFAULT_OUT
    if "--out" in argv:
        out_path = argv[argv.index("--out") + 1]
    results = []
    for version in VERSIONS:
        exe = os.path.expanduser("~/.pyenv/versions/%s/bin/python" % version)
        if not os.path.exists(exe):
            print("skipping %s: %s not found" % (version, exe), file=sys.stderr)
            continue
        text = subprocess.check_output([exe, os.path.abspath(__file__), "--worker"])
        data = json.loads(text.decode("utf-8"))
        print("%s: %d code objects" % (data["version"], len(data["cases"])),
              file=sys.stderr)
        results.append(data)
    # One case per line keeps the committed file diffable.
    lines = ['{"generator":"tools/gen_line_table_cases.py","interpreters":[']
    for i, data in enumerate(results):
        lines.append('{"version":%s,"cases":[' % json.dumps(data["version"]))
        cases = [json.dumps(c, separators=(",", ":")) for c in data["cases"]]
        lines.append(",\n".join(cases))
        lines.append("]}" + ("," if i + 1 < len(results) else ""))
    lines.append("]}")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %s (%d bytes)" % (out_path, os.path.getsize(out_path)), file=sys.stderr)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        main(sys.argv[1:])
