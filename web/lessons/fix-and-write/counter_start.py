# Write make_counter(n): it returns a function `tick` that uses n,
# so that tick's code object has n as its only free variable.
def make_counter(n):
    pass
