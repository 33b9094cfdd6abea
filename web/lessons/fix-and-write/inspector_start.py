import types


def inspect_code(func):
    """Report what func's code object is made of, as a dict:
    kind       'function', 'generator', 'coroutine', 'async generator' or 'lambda'
    globals    the global names it loads or stores, in first-use order
    free       its free variables
    nested     [name, kind] of each code object directly in its constants
               ('comprehension' for a comprehension's own code object)
    constants  how many constants it and every code object nested in it hold
    """
    code = func.__code__
    return {
        "kind": "function",
        "globals": [],
        "free": list(code.co_freevars),
        "nested": [],
        "constants": len(code.co_consts),
    }


def outer(limit):
    evens = [i for i in range(limit) if i % 2 == 0]

    async def fetch(address):
        return address

    return len(evens), fetch
