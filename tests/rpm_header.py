"""rpm package headers as rpm's databases store them (lib/header.c,
headerExport(): no magic, big-endian), for the tests and fuzz seeds of the
rpm database readers."""
import os
import struct
import subprocess

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


def bdb_load(path, records, order="<", pagesize=4096):
    """A Berkeley DB hash database at path written by db5.3_load
    (db5.3-util), holding records (hnum, blob) and rpm's record under key
    0 (the next instance number), as rpm < 4.16 wrote Packages; order "<"
    or ">" is the writing machine's byte order, for the keys and for
    libdb's own numbers (db_lorder). Returns path."""
    dump = path + ".dump"
    with open(dump, "w") as f:
        f.write("VERSION=3\nformat=bytevalue\ntype=hash\n"
                "db_pagesize=%d\ndb_lorder=%s\nHEADER=END\n"
                % (pagesize, "1234" if order == "<" else "4321"))
        top = max(n for n, _ in records) + 1
        for n, blob in [(0, struct.pack(order + "I", top))] + records:
            f.write(" %s\n %s\n" % (struct.pack(order + "I", n).hex(),
                                    blob.hex()))
        f.write("DATA=END\n")
    if os.path.exists(path):
        os.unlink(path)
    subprocess.run(["db5.3_load", "-f", dump, path], check=True)
    os.unlink(dump)
    return path
