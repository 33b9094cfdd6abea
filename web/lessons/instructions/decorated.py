@announce
def greet():
    return "hi"
