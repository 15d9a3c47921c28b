"""End-to-end cases of issue 11's text hardening (registered by run.py):
invalid UTF-8 in every kind of name, control bytes that would drive the
terminal, and YAML alias bombs in --mapping and --registry.

Fixtures are made here: ELF files by tests/elfgen.py with placeholder
strings then patched to hostile bytes, files named with raw bytes.
"""
import copy
import csv
import io
import json
import os

import ecosystems
import elfgen as E

# Placeholders of the same length as the hostile bytes they become.
BAD = [
    (b"libQ1.so", b"lib\xff1.so"),              # a stray byte
    (b"libR1.so", b"lib\xfe1.so"),              # another, same U+FFFD
    (b"libQQQ2.so", b"lib\xc0\xaf\xed2.so"),    # overlong '/', truncated
    (b"SONAMEQQQ.so", b"SONAME\xed\xa0\x80.so"),  # a surrogate
    (b"/rpQQQQ", b"/rp\xf4\x90\x80\x80"),        # above U+10FFFF
]

BOMB_LEVELS = 9  # 10**9 leaves: far more than memory, if expanded


def billion_laughs(head, leaf):
    """A YAML text whose last alias expands to 10**BOMB_LEVELS leaves."""
    lines = [head, "a0: &a0 " + leaf]
    for i in range(1, BOMB_LEVELS + 1):
        prev = "*a%d" % (i - 1)
        lines.append("a%d: &a%d [%s]" % (i, i, ", ".join([prev] * 10)))
    return "\n".join(lines) + "\n"


def register(case, h):

    def new_dir(t, name):
        return h.fresh_dir(t, "hard-text", name)

    def write(path, data):
        h.put_file("/", path, data)

    def hostile_elf(**kw):
        data, _ = E.build(**kw)
        for old, new in BAD:
            assert len(old) == len(new)
            data = data.replace(old, new)
        return data

    def utf8_tree(t):
        d = new_dir(t, "utf8")
        write(os.path.join(d, "app"), hostile_elf(
            etype=E.ET_EXEC, needed=["libQ1.so", "libR1.so", "libQQQ2.so"],
            rpath="/rpQQQQ"))
        write(os.path.join(d, "libs.so"), hostile_elf(soname="SONAMEQQQ.so"))
        # A file name in Latin-1, not UTF-8: "libé.so".
        write(os.fsdecode(os.path.join(d.encode(), b"lib\xe9.so")),
              hostile_elf(soname="libfine.so"))
        return d

    def strings_of(doc):
        out = []

        def walk(v):
            if isinstance(v, dict):
                for x in v.values():
                    walk(x)
            elif isinstance(v, list):
                for x in v:
                    walk(x)
            elif isinstance(v, str):
                out.append(v)
        walk(doc)
        return out

    @case
    def hardtext_utf8_invalid_names_cyclonedx(t):
        """Invalid UTF-8 in DT_NEEDED, SONAME, RPATH and a file name: the
        SBOM parses (strict UTF-8) and validates; U+FFFD stands in; the
        raw bytes are kept percent-encoded."""
        d = utf8_tree(t)
        r = t.run(d)
        h.check(r.code == 0, r.err)
        h.check(r.sbom is not None, "CycloneDX output does not parse")
        json.loads(r.raw.decode("utf-8", "strict"))
        names = {c["name"] for c in h.comps(r.sbom)}
        h.check("lib\ufffd1.so" in names, names)
        # Overlong C0 AF: two bytes, two U+FFFD; ED then '2': one.
        h.check("lib\ufffd\ufffd\ufffd2.so" in names, names)
        raws = {p["name"]: p["value"] for c in h.comps(r.sbom)
                for p in c.get("properties", [])
                if p["name"].startswith("bindep:raw-")}
        h.check(raws.get("bindep:raw-name") is not None, raws)
        vals = set()
        for c in h.comps(r.sbom):
            for p in c.get("properties", []):
                if p["name"].startswith("bindep:raw-"):
                    vals.add((p["name"], p["value"]))
        h.check(("bindep:raw-name", "lib%FF1.so") in vals, vals)
        h.check(("bindep:raw-name", "lib%C0%AF%ED2.so") in vals, vals)
        h.check(any(n == "bindep:raw-location" and v.endswith("/lib%E9.so")
                    for n, v in vals), vals)
        h.check(any(n == "bindep:raw-rpath" and v == "/rp%F4%90%80%80"
                    for n, v in vals), vals)
        h.check(not any("\udcff" in s for s in strings_of(r.sbom)), "clean")
        # lib\xff1.so and lib\xfe1.so: one name, still two components
        # with their own bom-refs, which the dependencies name.
        refs = [c["bom-ref"] for c in h.comps(r.sbom)]
        h.check(len(refs) == len(set(refs)), "bom-refs unique: %r" % refs)
        h.check([c["name"] for c in h.comps(r.sbom)].count("lib\ufffd1.so")
                == 2, names)
        x86_64 = "soname:x86_64:ELF64:little-endian:"
        h.check({x86_64 + "lib%FF1.so", x86_64 + "lib%FE1.so"} <= set(refs), refs)
        for d in r.sbom["dependencies"]:
            for ref in [d["ref"]] + d.get("dependsOn", []):
                h.check(ref in refs or ref == "target", "dangling %r" % ref)

    @case
    def hardtext_utf8_invalid_names_spdx(t):
        d = utf8_tree(t)
        r = t.run("--format", "spdx", d)
        h.check(r.code == 0, r.err)
        h.check(r.sbom is not None, "SPDX output does not parse")
        json.loads(r.raw.decode("utf-8", "strict"))
        notes = [a["comment"] for p in r.sbom["packages"]
                 for a in p.get("annotations", [])]
        h.check("bindep:raw-name=lib%FF1.so" in notes, notes)
        h.check(any(n.startswith("bindep:raw-path=") and
                    n.endswith("/lib%E9.so") for n in notes), notes)
        names = {p["name"] for p in r.sbom["packages"]}
        h.check("SONAME\ufffd\ufffd\ufffd.so" in names, names)

    @case
    def hardtext_utf8_text_and_funding_outputs(t):
        """The other formats take the same names without failing."""
        d = utf8_tree(t)
        r = t.run("--format", "text", d, validate_sbom=False)
        h.check(r.code == 0, r.err)
        h.check(b"lib\\xff1.so" in r.raw, r.raw)
        r.raw.decode("utf-8", "strict")
        r = t.run("--format", "funding", d)
        h.check(r.code == 0, r.err)
        json.loads(r.raw.decode("utf-8", "strict"))

    @case
    def hardtext_control_bytes_never_reach_the_terminal(t):
        """A file named with ESC [ 31m, corrupt, gives a warning; one named
        with an OSC title sequence is drawn in the text view: neither
        output holds a raw ESC, BEL or C1 byte."""
        d = new_dir(t, "ctl")
        bad = os.path.join(d.encode(), b"\x1b[31mred\x07.so")
        write(os.fsdecode(bad), b"\x7fELF\x02\x01\x01" + b"\0" * 9 + b"junk")
        title = os.path.join(d.encode(), b"\x1b]0;owned\x07\xc2\x9bx.so")
        write(os.fsdecode(title), hostile_elf(soname="lib\x1bQ.so"))
        r = t.run("--format", "text", "--color=never", d, validate_sbom=False)
        h.check(r.code == 0, r.err)
        for name, out in (("text", r.raw), ("stderr", r.err)):
            for b in (b"\x1b", b"\x07", b"\xc2\x9b"):
                h.check(b not in out, "%s holds %r: %r" % (name, b, out))
        w = r.warnings()
        h.check(len(w) == 1 and "\\x1b[31mred\\x07.so'" in w[0], w)
        h.check(b"\\x1b]0;owned\\x07\\xc2\\x9bx.so" in r.raw, r.raw)
        # With colours, only our own SGR sequences.
        r = t.run("--format", "text", "--color=always", d, validate_sbom=False)
        h.check(b"\x1b]" not in r.raw and b"\x1b[31mred" not in r.raw, r.raw)
        h.check(b"\x1b[" in r.raw, "colours are still drawn")

    @case
    def hardtext_yaml_alias_bomb_in_mapping(t):
        d = new_dir(t, "bomb-mapping")
        bomb = os.path.join(d, "bomb.yml")
        # The mapping schema allows no stray keys: the bomb multiplies a
        # library of 2,000 file names by 2,000 aliases (4 million names).
        files = ", ".join("f%d" % i for i in range(2000))
        with open(bomb, "w") as f:
            f.write("libraries:\n  - &lib\n    name: bomb\n"
                    "    purl: pkg:generic/bomb\n    files: [%s]\n" % files)
            f.write("  - *lib\n" * 2000)
        write(os.path.join(d, "lib", "libx.so.1"), hostile_elf(soname="libx.so.1"))
        r = t.run("--mapping", bomb, os.path.join(d, "lib"))
        h.check(r.code == 0, r.err)
        h.check(r.sbom is not None, "the SBOM is written")
        w = r.warnings()
        h.check(w == ["bindep-sbom: warning: '%s:6:5': YAML aliases are "
                      "not allowed, skipping" % bomb], w)

    @case
    def hardtext_yaml_alias_bomb_in_registry(t):
        d = new_dir(t, "bomb-registry")
        write(os.path.join(d, "lib", "libbomb.so.1"),
              hostile_elf(soname="libbomb.so.1"))
        mapping = os.path.join(d, "map.yml")
        with open(mapping, "w") as f:
            f.write("libraries:\n  - name: bomb\n    purl: pkg:generic/bomb\n"
                    "    registry: bomb/bomb\n    files: [libbomb.so.*]\n")
        pkg = os.path.join(d, "reg", "registry", "purl", "bomb", "bomb",
                           "package.yml")
        write(pkg, billion_laughs("namespace: bomb\nname: bomb",
                                  "lol").encode())
        r = t.run("--mapping", mapping, "--registry", os.path.join(d, "reg"),
                  os.path.join(d, "lib"))
        h.check(r.code == 0, r.err)
        h.check(r.sbom is not None, "the SBOM is written")
        w = r.warnings()
        h.check(w == ["bindep-sbom: warning: '%s:4:10': YAML aliases are "
                      "not allowed" % pkg], w)
        c = h.by_name(r.sbom, "libbomb.so.1")
        h.check(c.get("purl") == "pkg:generic/bomb", c)

    @case
    def hardtext_yaml_messages_read_well(t):
        """libcyaml's "STRING length < 1" no longer comes out "sTRING"."""
        d = new_dir(t, "yaml-msg")
        m = os.path.join(d, "empty-name.yml")
        with open(m, "w") as f:
            f.write('libraries:\n  - name: ""\n    purl: pkg:generic/x\n'
                    "    files: [a]\n")
        r = t.run("--mapping", m, "/bin/true")
        w = r.warnings()
        h.check(w == ["bindep-sbom: warning: '%s:2:11': string length < 1, "
                      "skipping" % m], w)

    @case
    def hardtext_csv_formula_and_hostile_online_answers(t):
        """Maintainers that a spreadsheet would run as formulas go into
        the CSV neutralised (OWASP: a leading "'", quoted); a funding
        "link" that is a formula is no URL and left out (one warning); a
        control character in the answers leaves every output
        well-formed."""
        saved = copy.deepcopy(ecosystems.PACKAGES)
        z = ecosystems.PACKAGES["pkg:github/madler/zlib"]
        z["funding_links"] = ['=HYPERLINK("https://evil.example/","x")',
                              "https://zlib.net/donate"]
        z["maintainers"] = [{"login": "@SUM(1+1)", "name": None, "html_url": None},
                            {"login": "-2+3\u001b[31m", "name": None,
                             "html_url": None}]
        srv = ecosystems.Server()
        try:
            cache = os.path.join(t.work, "cache-hardtext")

            def run(*extra):
                return srv.scan_golden(t, h, cache, *extra)
            r = run("--format", "funding", "--funding-format", "csv")
            h.check(r.code == 0, r.err)
            text = r.raw.decode("utf-8", "strict")
            rows = list(csv.DictReader(io.StringIO(text)))
            zlib = [row for row in rows if row["project"] == "zlib"][0]
            h.check("HYPERLINK" not in text and
                    "https://zlib.net/donate" in zlib["funding"], zlib)
            h.check(any("1 URL in the online answers left out" in w
                        for w in r.warnings()), r.warnings())
            h.check(zlib["maintainers"].startswith("'@SUM(1+1)"), zlib)
            for row in rows:
                for cell in row.values():
                    h.check(not cell or cell[0] not in "=+-@\t\r",
                            "formula cell %r" % cell)
            for fmt in ("cyclonedx", "spdx"):
                r = run("--format", fmt)
                h.check(r.code == 0 and r.sbom is not None, r.err)
                json.loads(r.raw.decode("utf-8", "strict"))
        finally:
            srv.stop()
            ecosystems.PACKAGES.clear()
            ecosystems.PACKAGES.update(saved)
