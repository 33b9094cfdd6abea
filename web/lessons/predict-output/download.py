async def download(address):
    return address


flags = download.__code__.co_flags
print(hex(flags & 0x80))
print(hex(flags & 0x100))
print(hex(flags & 0x20))
