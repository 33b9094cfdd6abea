"""What the compiler worker asks of the real CPython it has loaded (pyodide, 3.10-3.15).

Every answer comes from this interpreter's own machinery, so the page never has to know
what a version does: compile() and importlib's pyc writer make the pyc exactly as
py_compile would, dis prints the listing the differential tests compare against, and
running the program leaves the specialised (adaptive) instructions of 3.11+ behind.
Results cross to JavaScript as JSON text plus raw bytes.
"""
import ast
import builtins
import dis
import io
import json
import sys
import time
import traceback
import types
import warnings
from importlib._bootstrap_external import _code_to_timestamp_pyc

FILENAME = "main.py"

# What the last run left: the module's code object and its namespace (the functions whose
# adaptive instructions the page may ask for).
_last_run = {}


def _syntax_error(e):
    """A SyntaxError (or IndentationError, TabError) as the page marks it in the editor."""
    return {
        "type": type(e).__name__,
        "msg": e.msg,
        "lineno": e.lineno,
        "offset": e.offset,
        "end_lineno": getattr(e, "end_lineno", None),
        "end_offset": getattr(e, "end_offset", None),
        "text": e.text,
        "display": "".join(traceback.format_exception_only(type(e), e)),
    }


def _compile(source):
    """The module code object as py_compile makes it (bytes in, optimize=-1), or the error,
    with the warnings (SyntaxWarning, DeprecationWarning) the compiler gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code = compile(source.encode("utf-8"), FILENAME, "exec", dont_inherit=True, optimize=-1)
            error = None
        except SyntaxError as e:
            code, error = None, _syntax_error(e)
        except (ValueError, OverflowError, MemoryError, RecursionError) as e:
            code, error = None, {"type": type(e).__name__, "msg": str(e), "lineno": None,
                                 "display": "%s: %s\n" % (type(e).__name__, e)}
    notes = [{"category": w.category.__name__, "message": str(w.message), "lineno": w.lineno}
             for w in caught]
    return code, error, notes


def compile_pyc(source, mtime):
    """(JSON text, pyc bytes): the pyc this interpreter writes for `source` as main.py."""
    code, error, notes = _compile(source)
    meta = {"python": sys.version.split()[0], "warnings": notes, "error": error}
    if code is None:
        return json.dumps(meta), b""
    size = len(source.encode("utf-8")) & 0xFFFFFFFF
    return json.dumps(meta), bytes(_code_to_timestamp_pyc(code, mtime, size))


def _walk(code):
    """Every code object in pre-order, as dis.dis(module) lists them."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _walk(const)


def _line_start(ins):
    """The line an instruction starts, or None: 3.13 made starts_line a flag."""
    if sys.version_info >= (3, 13):
        return ins.line_number if ins.starts_line else None
    return ins.starts_line


def _instruction(ins):
    return {"offset": ins.offset, "opname": ins.opname, "arg": ins.arg, "argrepr": ins.argrepr,
            "starts_line": _line_start(ins), "is_jump_target": ins.is_jump_target}


def disassemble(source):
    """JSON text: dis.dis(module) as this interpreter prints it, and every code object's
    instructions from dis.get_instructions, for comparing with pyclens's reading."""
    code, error, _ = _compile(source)
    if code is None:
        return json.dumps({"error": error})
    out = io.StringIO()
    dis.dis(code, file=out)
    codes = [{"qualname": getattr(c, "co_qualname", c.co_name),
              "instructions": [_instruction(i) for i in dis.get_instructions(c)]} for c in _walk(code)]
    return json.dumps({"text": out.getvalue(), "codes": codes})


class _Output:
    """Where a run's stdout and stderr go: one queue, so the page receives the two streams'
    text in the order it was written, in batches (at most every 50 ms); past `limit`
    characters the rest is dropped with a note."""

    def __init__(self, send, limit):
        self.send, self.limit = send, limit
        self.pending, self.written, self.last = [], 0, time.monotonic()

    def write(self, name, text):
        if self.written < self.limit:
            room = self.limit - self.written
            self.pending.append((name, text[:room]))
            if len(text) > room:
                self.pending.append(("stderr", "\n[pyclens: output cut after %d characters]\n" % self.limit))
        self.written += len(text)
        if time.monotonic() - self.last > 0.05:
            self.flush()

    def flush(self):
        # Consecutive pieces of one stream travel as one message.
        runs = []
        for name, text in self.pending:
            if runs and runs[-1][0] == name:
                runs[-1][1].append(text)
            else:
                runs.append((name, [text]))
        for name, texts in runs:
            self.send(name, "".join(texts))
        self.pending = []
        self.last = time.monotonic()


class _Stream(io.TextIOBase):
    """sys.stdout or sys.stderr during a run, writing into the run's shared _Output."""

    def __init__(self, name, output):
        self.name, self.output = name, output

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        self.output.write(self.name, text)
        return len(text)

    def flush(self):
        self.output.flush()


def _input(prompt=""):
    """input() on the page: answers from the text the learner gave, line by line, echoing
    the prompt and the answer as a terminal would; EOFError once it runs out."""
    sys.stdout.write(str(prompt))
    line = sys.stdin.readline()
    if not line:
        sys.stdout.write("\n")
        raise EOFError("no more input: the program asked for more lines than the input box holds")
    sys.stdout.write(line if line.endswith("\n") else line + "\n")
    return line.rstrip("\n")


def _execute(source, stdin_text, send, limit):
    """Runs `source` as __main__ with output going through `send(stream, text)`: the result
    (how it ended, the exception's last line, seconds) and the namespace it left."""
    code, error, _ = _compile(source)
    if code is None:
        return {"status": "error", "error": error}, None
    namespace = {"__name__": "__main__", "__file__": FILENAME, "__builtins__": builtins}
    output = _Output(send, limit)
    out, err = _Stream("stdout", output), _Stream("stderr", output)
    saved = sys.stdin, sys.stdout, sys.stderr, builtins.input
    sys.stdin, sys.stdout, sys.stderr, builtins.input = io.StringIO(stdin_text), out, err, _input
    result = {"status": "ok"}
    started = time.monotonic()
    try:
        exec(code, namespace)
    except SystemExit as e:
        result = {"status": "exit", "code": e.code if isinstance(e.code, (int, type(None))) else str(e.code)}
    except BaseException as e:
        # The traceback without this helper's own frame: what `python main.py` prints.
        traceback.print_exception(type(e), e, e.__traceback__.tb_next, file=err)
        result = {"status": "exception", "exception": "".join(traceback.format_exception_only(type(e), e)).strip()}
    finally:
        output.flush()
        sys.stdin, sys.stdout, sys.stderr, builtins.input = saved
    result["seconds"] = time.monotonic() - started
    _last_run.clear()
    _last_run.update(code=code, namespace=namespace)
    result["adaptive"] = sys.version_info >= (3, 11)
    return result, namespace


def run(source, stdin_text, send, limit=200000):
    """Runs `source` as __main__, streaming output through `send(stream, text)`. JSON text:
    how it ended (ok, exception, exit, syntax error), the exception's last line, seconds."""
    return json.dumps(_execute(source, stdin_text, send, limit)[0])


def _check(expr, namespace):
    """One property a lesson states about the learner's program, as a Python expression
    evaluated in what the program left: whether it holds, its value as JSON where it has
    one, and, when a comparison fails, what its left side really is."""
    try:
        tree = ast.parse(expr, mode="eval")
        value = eval(compile(tree, "<check>", "eval"), namespace)
        ok = bool(value)
    except BaseException as e:
        return {"expr": expr, "ok": False, "detail": "raised " + "".join(traceback.format_exception_only(type(e), e)).strip()}
    try:
        as_json = json.dumps(value)
    except (TypeError, ValueError):
        as_json = None
    detail = None
    if not ok and isinstance(tree.body, ast.Compare):
        try:
            left = eval(compile(ast.Expression(tree.body.left), "<check>", "eval"), namespace)
            detail = "%s is %r" % (ast.get_source_segment(expr, tree.body.left), left)
        except BaseException:
            detail = None
    return {"expr": expr, "ok": ok, "detail": detail, "json": as_json}


def run_checked(source, stdin_text, checks_json, send, limit=200000):
    """Runs `source` like run(), then evaluates each expression of `checks_json` (a JSON
    list) in its namespace. JSON text: run()'s result plus `checks`."""
    result, namespace = _execute(source, stdin_text, send, limit)
    checks = json.loads(checks_json)
    if namespace is None:
        result["checks"] = [{"expr": c, "ok": False, "detail": "the program does not compile"} for c in checks]
    else:
        result["checks"] = [_check(c, namespace) for c in checks]
    return json.dumps(result)


def _functions(namespace, seen, prefix=""):
    """(qualname, code object) of the functions the run defined in main.py, methods too."""
    for value in list(namespace.values()):
        if id(value) in seen:
            continue
        seen.add(id(value))
        func = getattr(value, "__func__", value)
        code = getattr(func, "__code__", None)
        if isinstance(code, types.CodeType) and code.co_filename == FILENAME:
            yield getattr(code, "co_qualname", func.__qualname__), code
        elif isinstance(value, type) and getattr(value, "__module__", None) == "__main__":
            yield from _functions(vars(value), seen)


def adaptive():
    """JSON text: after a run (3.11+), every code object of the program with its plain and
    its adaptive instructions, as dis.get_instructions(x, adaptive=False/True) list them."""
    if sys.version_info < (3, 11) or not _last_run:
        return json.dumps([])
    codes = [("<module>", _last_run["code"])] + list(_functions(_last_run["namespace"], set()))
    out = []
    for name, code in codes:
        plain = [i.opname for i in dis.get_instructions(code)]
        specialised = [(i.offset, i.opname) for i in dis.get_instructions(code, adaptive=True)]
        text = io.StringIO()
        dis.dis(code, adaptive=True, file=text, depth=0)
        out.append({"qualname": name, "firstlineno": code.co_firstlineno,
                    "instructions": [{"offset": o, "opname": p, "adaptive": a}
                                     for (o, a), p in zip(specialised, plain)],
                    "text": text.getvalue()})
    return json.dumps(out)
