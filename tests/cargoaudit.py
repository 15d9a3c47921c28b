"""cargo-auditable data, written as `cargo auditable build` writes it, for
the tests (no Rust toolchain is needed): the dependency list as
auditable-serde serialises its VersionInfo (compact JSON, a package's
"kind", "dependencies" and "root" left out at their defaults), compressed
into a zlib stream (RFC 1950) as cargo-auditable compresses it (level 7),
which the linker keeps in a section named .dep-v0. cargo-auditable's
sources: auditable-serde/src/lib.rs, cargo-auditable/src/
collect_audit_data.rs and object_file.rs (the section of no flags: in no
segment), cargo-auditable.schema.json.

Then ways to put a payload into an ELF file: a C program compiled here,
the section added by objcopy --add-section as cargo-auditable's object
file gives it (not allocated), or placed by the compiler as
#[link_section = ".dep-v0"] places a Rust static (allocated, in a
segment) (elf_with_payload); elfgen builds files of other classes and
byte orders with one (depdata)."""
import json
import os
import subprocess
import zlib

from gobuildinfo import strip_section_headers  # noqa: F401 (re-exported)

SECTION = ".dep-v0"


def package(name, version, source="crates.io", kind="runtime", deps=(),
            root=False):
    """One package, its defaults left out as auditable-serde leaves them
    (skip_serializing_if = "is_default")."""
    p = {"name": name, "version": version, "source": source}
    if kind != "runtime":
        p["kind"] = kind
    if deps:
        p["dependencies"] = list(deps)
    if root:
        p["root"] = True
    return p


def document(packages, fmt=1):
    """VersionInfo: format 0 is left out, as auditable-serde leaves it."""
    doc = {"packages": list(packages)}
    if fmt:
        doc["format"] = fmt
    return doc


def json_text(doc):
    """serde_json's compact form."""
    if isinstance(doc, (bytes, str)):
        return doc if isinstance(doc, bytes) else doc.encode()
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()


def payload(doc, level=7):
    """The section's bytes: the JSON in a zlib stream."""
    return zlib.compress(json_text(doc), level)


# ---- into ELF files ------------------------------------------------------------

PROGRAM = """int main(void) { return 0; }
__attribute__((used)) const char rs_text[%d] = { 1 };
"""

ATTRIBUTE = """__attribute__((section(".dep-v0"), used))
static const unsigned char dep_v0[%d] = { %s };
"""


def elf_with_payload(work, name, data, how="objcopy", cc="cc", extra=(),
                     pad=1):
    """A program compiled here that holds data in its .dep-v0 section:
    added by objcopy (how="objcopy", the section of no flags, as
    cargo-auditable's object file has it), or a static array the compiler
    places there (how="attribute", allocated, as rustc's #[link_section]
    places one). pad: bytes of read-only data (a large program's code);
    extra: more options for cc ("-shared", "-fPIC": an extension
    module)."""
    src = os.path.join(work, name + ".c")
    out = os.path.join(work, name)
    with open(src, "w") as f:
        f.write(PROGRAM % pad)
        if how == "attribute":
            f.write(ATTRIBUTE % (len(data), ",".join(map(str, data))))
    subprocess.run([cc, "-O1", "-o", out, src, *extra], check=True)
    os.unlink(src)
    if how == "objcopy":
        raw = os.path.join(work, name + ".dep")
        with open(raw, "wb") as f:
            f.write(data)
        subprocess.run(["objcopy", "--add-section", SECTION + "=" + raw,
                        out], check=True)
        os.unlink(raw)
    return out
