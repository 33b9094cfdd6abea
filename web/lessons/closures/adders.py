_results = {}


def cached_by_code(func):
    """A cache with a bug: it keys results on the function's code object."""
    def wrapper(*args):
        key = (func.__code__, args)
        if key not in _results:
            _results[key] = func(*args)
        return _results[key]
    return wrapper


def make_adder(n):
    def add(x):
        return x + n
    return add


add5 = cached_by_code(make_adder(5))
add7 = cached_by_code(make_adder(7))


def shout(func):
    def loud(*args):
        return str(func(*args)).upper()
    return loud


@shout
def hello(name):
    return "hello " + name
