def tally(words):
    lengths = [len(w) for w in words]
    unique = {w.lower() for w in words}
    index = {w: i for i, w in enumerate(words)}
    longest = max(words, key=lambda w: len(w))
    return lengths, unique, index, longest


def lazy_squares(numbers):
    return (n * n for n in numbers)


def countdown(n):
    while n > 0:
        yield n
        n -= 1


async def gather(items):
    async for item in items:
        yield item


def make_scaler(factor):
    def scale(value):
        return value * factor
    return scale
