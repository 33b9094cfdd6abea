def make_getter(value):
    def get():
        return value
    return get


def zero():
    return 0


try:
    zero.__code__ = make_getter(1).__code__
    print("swapped")
except ValueError as err:
    print(type(err).__name__)
    print(err)
