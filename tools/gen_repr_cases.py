#!/usr/bin/env python3
"""Generate crate/tests/data/repr_cases.tsv: what real interpreters print for constants.

Why: the unit tests of crate/src/values/repr.rs must compare against what CPython itself
prints, not against expectations typed from memory. Every expected value in the
file was produced by `repr(marshal.loads(payload))` in the interpreter named on
its line, so the test also covers how marshal decodes the payload (for example
2.7 merging a UTF-8 surrogate pair on dump but not on load).

Interpreters: the same as tools/gen_unicode_printable.py (pyenv 3.x CPythons,
pyodide 3.14/3.15 under node; see its docstring and options), plus
`<pyenv>/2.7*/bin/python` (a UCS-4 build is required).

Usage:
  python3 tools/gen_repr_cases.py [same options as gen_unicode_printable.py]
      [--out FILE] [--check]

File format (UTF-8, one case per line, `#` lines are comments; fields are separated
by one TAB; no repr contains TAB, CR or LF, since repr escapes them):
  VERSIONS  KIND  INPUT  EXPECTED
VERSIONS  comma-separated `major.minor` of every interpreter that printed EXPECTED.
KIND/INPUT:
  float    16 hex digits: the IEEE-754 bits, big-endian.
  complex  two such bit patterns joined by `,` (real, imag).
  int      `+:` or `-:` then the magnitude's base-2**15 digits, least significant
           first, comma-separated decimal (marshal's layout); 3.x int or 2.x int.
  long     same, for a 2.x long (repr ends in `L`).
  bytes    hex of the payload of a byte string: 3.x bytes, or 2.x str on a 2.x line.
  str      hex of the marshal payload of a text string (UTF-8, surrogates passed
           through): 3.x str, or 2.x unicode on a 2.x line.
           EXPECTED `!invalid@N`: marshal.loads refused the payload with a
           UnicodeDecodeError whose start offset is N.
  sweep    `0-10ffff`: EXPECTED is `crc32:XXXXXXXX count:N`, the CRC-32 of the UTF-8
           of "\\n".join(repr(chr(c)) for every code point c) - one line covering
           the printable table and all escapes of the version.
"""

import argparse
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_unicode_printable as gup  # noqa: E402

DEFAULT_OUT = os.path.join(gup.REPO, "crate", "tests", "data", "repr_cases.tsv")

INF = float("inf")
NAN = float("nan")


def bits(x):
    return struct.pack(">d", x).hex()


def float_inputs():
    vals = [0.1, 1 / 3, 1e16, 1e15, 123456789012345680.0, 1e-4, 1e-5, 5e-324,
            1.7976931348623157e308, -0.0, 0.0, INF, -INF, NAN, 2.5, 1e22, 100.0, 1.0,
            -1.0, 9999999999999998.0, 0.00001234, 123.456, 1e100, 1.5e300, 2.0 ** 53,
            2.0 ** 53 + 2, 1e23, 2.2250738585072014e-308, 0.3, 1.1, 3.141592653589793,
            -1.5e-7, 12345678.9, 1e-310, 0.5, 1e-4 * 0.99, 9.999999999999999e15,
            1e16 - 2, 1234567890123456.8, 0.001, 1e-3 / 3, 4.35, 2.675, 1e300 * 10,
            -2.0 ** 1023, 1e21, 1e-7, 6.02214076e23, 1.602176634e-19]
    out = [bits(v) for v in vals]
    out += ["fff8000000000000", "7ff0000000000001", "7ff4000000000000", "8000000000000001",
            "0010000000000000", "000fffffffffffff", "7fefffffffffffff", "3ff0000000000001"]
    rng = random.Random(20240611)
    for _ in range(60):
        out.append("%016x" % rng.getrandbits(64))
    for _ in range(40):
        k = rng.randint(-8, 20)
        out.append(bits(round(rng.random() * 10.0 ** k, rng.randint(0, 6))))
    seen = set()
    return [b for b in out if not (b in seen or seen.add(b))]


def complex_inputs():
    comps = [0.0, -0.0, 1.0, -1.0, 2.5, 1e16, 1e-05, INF, -INF, NAN, 1e22, 123456789012345680.0]
    out = [(bits(a), bits(b)) for a in comps for b in comps]
    out += [(bits(1.0), "fff8000000000000"), ("fff8000000000000", bits(-1.0)), (bits(0.1), bits(-0.2))]
    return out


def int_inputs():
    vals = [0, 1, -1, 2 ** 15 - 1, 2 ** 15, -2 ** 15, 2 ** 30, 2 ** 30 - 1, 2 ** 31, -2 ** 31,
            2 ** 31 - 1, 2 ** 32, 2 ** 63 - 1, 2 ** 63, -2 ** 63, -2 ** 63 - 1, 2 ** 64,
            -2 ** 100, 10 ** 50, -10 ** 50, 10 ** 9, 10 ** 9 - 1, 10 ** 18, 10 ** 19 - 1,
            10 ** 19, 123456789012345678901234567890, 10 ** 4, 10 ** 8, 10 ** 36 + 1,
            3 ** 1000, -7 ** 5000, 3 ** 20959 + 17, 12345]
    rng = random.Random(99)
    for _ in range(30):
        n = rng.getrandbits(rng.randint(1, 400))
        vals.append(-n if rng.random() < 0.5 else n)
    return vals


def bytes_inputs():
    allb = bytes(range(256))
    out = [b"", b"hello world", b"it's", b'say "hi"', b"both ' and \"", b"back\\slash",
           b"tab\there\nnew\rret", b"\x00\x7f\x80\xff", b"'", b'"', b"\\", allb]
    out += [allb[i:i + 32] for i in range(0, 256, 32)]
    out += [b"'" + allb[i:i + 32] for i in range(0, 256, 64)]
    return [b.hex() for b in out]


def cps(s):
    return [ord(c) for c in s]


def str_inputs(diff_points):
    """Lists of code points (dumped by marshal) or {"raw": hex payload} (loaded as is)."""
    strs = ["", "hello", "it's", 'say "hi"', "both ' and \"", "back\\slash", "tab\tnl\ncr\r",
            "'", '"', "\\", "\x00\x01\x1f\x7f\x80\x9f\xa0\xad\xe9\xff", "caf\xe9 na\xefve",
            "\u4e2d\u6587\u5b57", "e\u0301", "\U0001F468\u200d\U0001F469", "\u00ad",
            "\u2028\u2029\u0085", "\u3000\u00a0 ", "\ufeff", "\ue000\uf8ff", "\uffff\ufffe\ufffd",
            "\U0010ffff\U000f0000\U000e0001", "\U0001f600", "\u20ac", "\u0378", "\u0100\u07ff\u0800",
            "it's \u20ac", "'\u2028\"", "\U0001d400\U0002a700", "\u00a7\u00b6\u02c6",
            "".join(chr(c) for c in range(0x80, 0x100)), "".join(chr(c) for c in range(0x20)),
            "\u200b\u200c\u200e\u202e\u2060\u2066", "\u1680\u2000\u205f", "\u0600\u06dd\u070f\u08e2",
            "\U000110bd\U0001d173\U000e0020", "\ud800", "\udbff", "\udc00", "\udfff",
            "\ud83d\ude00", "a\ud800b", "\ud800'\"", "\udfff\ud800"]
    out = [cps(s) for s in strs]
    for i in range(0, len(diff_points), 4):
        out.append(diff_points[i:i + 4])
    raws = ["eda0bdedb880", "eda080", "edbfbf", "f48fbfbf", "f0908080", "e0a080", "c280",
            # invalid: overlong, truncated, out of range, stray continuation, bad lead bytes
            "c080", "c1bf", "e08080", "eda0", "61e282", "e28241", "f4908080", "f5808080", "80",
            "ff", "fe", "f8888080", "6162c3", "e2", "f09f98", "f09f9841", "616263ff"]
    out += [{"raw": h} for h in raws]
    return out


def diff_points(tables):
    """A few code points from each change of the printable set between measured versions."""
    vs = sorted(tables)
    pts = []
    for a, b in zip(vs, vs[1:]):
        sa = set()
        for lo, hi in tables[a]:
            sa.update(range(lo, hi + 1))
        sb = set()
        for lo, hi in tables[b]:
            sb.update(range(lo, hi + 1))
        d = sorted(sa ^ sb)
        if not d:
            continue
        step = max(1, len(d) // 7)
        pts += d[::step][:8] + [d[-1]]
    seen = set()
    return [p for p in pts if not (p in seen or seen.add(p))]


# Runs in 2.7 and 3.x: prints repr(marshal.loads(...)) for every input in SPEC.
PROBE = r"""
import sys, json, struct, binascii, marshal, zlib
PY2 = sys.version_info[0] == 2
if hasattr(sys, 'set_int_max_str_digits'):
    sys.set_int_max_str_digits(0)
uchr = unichr if PY2 else chr
rows = []
def unhex(h):
    return binascii.unhexlify(h.encode('ascii'))
def fl(h):
    return struct.unpack('>d', unhex(h))[0]
def rt(v):
    return repr(marshal.loads(marshal.dumps(v)))
def digits(v):
    a = abs(v)
    d = []
    while a:
        d.append(str(a & 0x7fff))
        a >>= 15
    return ('-' if v < 0 else '+') + ':' + ','.join(d)
for h in SPEC['floats']:
    rows.append(['float', h, rt(fl(h))])
for a, b in SPEC['complexes']:
    rows.append(['complex', a + ',' + b, rt(complex(fl(a), fl(b)))])
for s in SPEC['ints']:
    v = int(s)
    if PY2:
        if type(v) is int:
            rows.append(['int', digits(v), rt(v)])
        rows.append(['long', digits(v), rt(long(v))])
    else:
        rows.append(['int', digits(v), rt(v)])
for h in SPEC['bytes']:
    rows.append(['bytes', h, rt(unhex(h))])
def payload(m):
    code = ord(m[0:1]) & 0x7f
    if code in (ord('z'), ord('Z')):
        return m[2:2 + ord(m[1:2])]
    n = struct.unpack('<i', m[1:5])[0]
    return m[5:5 + n]
for item in SPEC['strs']:
    if isinstance(item, list):
        s = u''.join(uchr(c) for c in item)
        m = marshal.dumps(s)
    else:
        p = unhex(item['raw'])
        m = b'u' + struct.pack('<i', len(p)) + p
    h = binascii.hexlify(payload(m)).decode('ascii')
    try:
        r = repr(marshal.loads(m))
    except UnicodeDecodeError as e:
        r = '!invalid@%d' % e.start
    rows.append(['str', h, r])
parts = [repr(uchr(c)) for c in range(0x110000)]
blob = u'\n'.join(parts).encode('utf-8')
rows.append(['sweep', '0-10ffff', 'crc32:%08x count:%d' % (zlib.crc32(blob) & 0xffffffff, len(parts))])
RESULT = json.dumps(rows)
"""


def main():
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # the cases include a 10,000-digit int
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    gup.add_common_args(ap)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="exit 1 if --out differs from what would be generated")
    args = ap.parse_args()
    interps = gup.find_interpreters(args, want_py2=True)
    py3 = [it for it in interps if it.version[0] == 3]
    tables = gup.measure(py3)
    spec = {
        "floats": float_inputs(),
        "complexes": complex_inputs(),
        "ints": [str(v) for v in int_inputs()],
        "bytes": bytes_inputs(),
        "strs": str_inputs(diff_points(tables)),
    }
    import json
    code = "SPEC = json.loads(%r)\n" % json.dumps(spec) + PROBE
    code = "import json\n" + code
    order = []
    versions = {}
    for it in interps:
        print("running cases in %s (%s)" % (it.label, it.full_version), file=sys.stderr)
        for kind, inp, exp in it.run_json(code):
            key = (kind, inp, exp)
            for ch in "\t\r\n":
                if ch in exp:
                    sys.exit("unexpected control character in repr %r" % exp)
            if key not in versions:
                versions[key] = []
                order.append(key)
            label = "%d.%d" % it.version
            if label not in versions[key]:  # the same input may be listed twice
                versions[key].append(label)
    lines = ["# generated by tools/gen_repr_cases.py from %s; do not edit" %
             ", ".join("Python %s" % it.full_version for it in interps),
             "# VERSIONS<TAB>KIND<TAB>INPUT<TAB>EXPECTED - format described in the script's docstring"]
    for key in order:
        lines.append("\t".join([",".join(versions[key])] + list(key)))
    text = "\n".join(lines) + "\n"
    print("%d lines" % len(order), file=sys.stderr)
    if args.check:
        with open(args.out, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit("%s is out of date" % args.out)
        print("%s is up to date" % args.out, file=sys.stderr)
        return
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %s" % args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
