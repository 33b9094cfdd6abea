import math


def multiply(a, b):
    result = a * b
    return result


def greet(name, *, punctuation="!"):
    message = "Hello, " + name + punctuation
    return message


def counter():
    count = 0

    def increment(step=1):
        nonlocal count
        count += step
        return count

    return increment


def squares(n):
    for i in range(n):
        yield i * i


async def fetch_twice(fetch):
    first = await fetch()
    second = await fetch()
    return first, second


def area(radius):
    return math.pi * radius * radius
