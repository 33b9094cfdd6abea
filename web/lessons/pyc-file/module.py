"""A small module, compiled by each Python version into a .pyc."""

TOTAL = 0


def risky(values):
    total = 0
    for v in values:
        total += 100 / v
    return total


def describe(x):
    if x > 0:
        return "positive"
    return "not positive"
