import types


def doubled():
    return [n * 2 for n in range(4)]


inner = [c for c in doubled.__code__.co_consts if isinstance(c, types.CodeType)]
print(len(inner))
print(inner[0].co_name)
