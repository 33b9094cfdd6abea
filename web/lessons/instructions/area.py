def area(width, height):
    size = width * height
    return size
