# pyclens: min-version 3.8
def only_positional(x, y, /, z):
    return x + y + z


def keywords_too(a, /, b, *, c):
    return a, b, c
