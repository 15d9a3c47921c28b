"""rpm package headers as rpm's databases store them (lib/header.c,
headerExport(): no magic, big-endian), for the tests and fuzz seeds of the
rpm database readers."""
import struct

INT32, STRING, STRING_ARRAY = 4, 6, 8


def blob(tags):
    """A header blob: tags are (tag, type, value), value an int32 list
    (INT32), a string (STRING) or a list of strings (STRING_ARRAY), each
    as bytes; an int32 array is aligned to 4 bytes in the data store."""
    store, index = b"", b""
    for tag, typ, value in tags:
        if typ == INT32:
            store += bytes(-len(store) % 4)
            off, count = len(store), len(value)
            store += b"".join(struct.pack(">I", v) for v in value)
        elif typ == STRING_ARRAY:
            off, count = len(store), len(value)
            store += b"".join(v + b"\0" for v in value)
        else:
            off, count = len(store), 1
            store += value + b"\0"
        index += struct.pack(">IIII", tag, typ, off, count)
    return struct.pack(">II", len(tags), len(store)) + index + store
