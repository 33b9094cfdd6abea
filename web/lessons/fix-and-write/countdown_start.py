# Write countdown(n), a generator that yields n, n - 1, ..., 1.
def countdown(n):
    pass
