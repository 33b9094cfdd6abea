import functools

_results = {}


def remember(func):
    """Caches func's results: a call with the same arguments is answered from _results."""
    @functools.wraps(func)
    def wrapper(*args):
        key = (func.__code__, args)
        if key not in _results:
            _results[key] = func(*args)
        return _results[key]
    return wrapper


def make_adder(n):
    @remember
    def add(x):
        return x + n
    return add


add5 = make_adder(5)
add10 = make_adder(10)
print(add5(3))
print(add10(3))
