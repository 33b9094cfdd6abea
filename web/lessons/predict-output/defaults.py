def scale(value, factor=3):
    scaled = value * factor
    return scaled


info = scale.__code__
print(info.co_argcount)
print(info.co_varnames)
print(info.co_consts)
