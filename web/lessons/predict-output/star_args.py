def collect(*items, **options):
    pass


info = collect.__code__
print(info.co_argcount)
print(info.co_varnames)
