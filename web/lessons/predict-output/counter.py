def make_counter():
    clicks = 0

    def click():
        nonlocal clicks
        clicks += 1
        return clicks

    return click


button = make_counter()
print(button.__code__.co_freevars)
print(button.__code__.co_varnames)
print(make_counter.__code__.co_cellvars)
