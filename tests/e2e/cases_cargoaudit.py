"""End-to-end cases of cargo-auditable data (registered by run.py): the
crates a Rust binary was built from, read from the .dep-v0 section `cargo
auditable build` puts in it. No Rust toolchain is needed: the section is
written here (tests/cargoaudit.py) into programs and extension modules
compiled here, and into elfgen files of other classes and byte orders.
Every output format; the list found whether its section is allocated or
not, in a file read in part, and not without section headers (as
cargo-auditable's own reader); inside a wheel and an npm tarball; hostile
sections, one warning each."""
import os
import shutil
import zlib

import artifact_fixtures as A
import cargoaudit as C
import elfgen as E

# A program as `cargo auditable build` lists it: its own crate from a path,
# crates.io crates compiled in (one named in capitals, as crates.io's
# Inflector), a fork from git, a crate of another registry; build
# dependencies: a proc macro, openssl-src (whose OpenSSL openssl-sys
# compiles in) and cc.
PACKAGES = [
    C.package("tool", "0.3.1", "local", deps=[1, 2, 3, 4, 5, 6], root=True),
    C.package("serde", "1.0.197", deps=[7]),
    C.package("openssl-sys", "0.9.102", deps=[8, 9]),
    C.package("Inflector", "0.11.4"),
    C.package("hyper", "0.14.28", "git"),
    C.package("internal-auth", "2.1.0", "registry"),
    C.package("libc", "0.2.153"),
    C.package("serde_derive", "1.0.197", kind="build"),
    C.package("openssl-src", "300.2.3+3.2.1", kind="build", deps=[9]),
    C.package("cc", "1.0.90", kind="build"),
]
LIST = C.document(PACKAGES)

# What the binary holds and what its build used: {name: (version, purl)}.
COMPILED_IN = {
    "tool": ("0.3.1", "pkg:cargo/tool@0.3.1"),
    "serde": ("1.0.197", "pkg:cargo/serde@1.0.197"),
    "openssl-sys": ("0.9.102", "pkg:cargo/openssl-sys@0.9.102"),
    "Inflector": ("0.11.4", "pkg:cargo/Inflector@0.11.4"),
    "hyper": ("0.14.28", "pkg:cargo/hyper@0.14.28"),
    "internal-auth": ("2.1.0", "pkg:cargo/internal-auth@2.1.0"),
    "libc": ("0.2.153", "pkg:cargo/libc@0.2.153"),
}
BUILT_WITH = {
    "serde_derive": ("1.0.197", "pkg:cargo/serde_derive@1.0.197"),
    "openssl-src": ("300.2.3+3.2.1", "pkg:cargo/openssl-src@300.2.3%2B3.2.1"),
    "cc": ("1.0.90", "pkg:cargo/cc@1.0.90"),
}
WHAT = "cargo-auditable dependency list: "
BUILD_SAID = "used by the build, not in the file"


def register(case, h):
    check = h.check

    def named(found):
        """{name: (version, purl)} of {name: component}."""
        return {name: (c.get("version"), c.get("purl"))
                for name, c in found.items()}

    def crates(sbom, comp):
        """(compiled in, built with) of a component."""
        return (named(h.statically_held(sbom, comp)),
                named(h.built_with(sbom, comp)))

    def at(sbom, location):
        found = [c for c in h.comps(sbom) if location in h.locations(c)]
        check(len(found) == 1, "one component at %s: %d" % (location, len(found)))
        return found[0]

    def run_ok(t, *args, **kw):
        r = t.run(*args, **kw)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err.decode()[-800:]))
        check(not r.warnings(), "warnings: %r" % r.warnings())
        return r

    def tool_dir(t, name):
        d = h.fresh_dir(t, "cargo", name)
        C.elf_with_payload(d, "rstool", C.payload(LIST))
        return d

    def check_cyclonedx(s):
        tool = h.by_name(s, "rstool")
        check(crates(s, tool) == (COMPILED_IN, BUILT_WITH),
              "crates: %r" % (crates(s, tool),))
        check(h.props(tool, "bindep:cargo-root") == ["tool@0.3.1"] and
              h.prop(tool, "bindep:cargo-format") == "1",
              "the binary's cargo properties: %r" % tool.get("properties"))
        own = [c for c in h.comps(s) if c.get("purl") == "pkg:cargo/tool@0.3.1"][0]
        check(h.prop(own, "bindep:cargo-source") == "local", "its own crate")
        hyper = h.by_name(s, "hyper")
        check(h.prop(hyper, "bindep:cargo-source") == "git" and
              h.prop(hyper, "bindep:cargo-kind") == "runtime" and
              h.prop(hyper, "bindep:linkage") == "static", "git: %r" % hyper)
        src = h.by_name(s, "openssl-src")
        check(src.get("scope") == "excluded" and
              h.prop(src, "bindep:cargo-kind") == "build" and
              not h.props(src, "bindep:linkage"), "build: %r" % src)
        method = h.identity(src, "version")["methods"][0]
        check(method == {"technique": "manifest-analysis", "confidence": 1,
                         "value": WHAT + "openssl-src 300.2.3+3.2.1 from "
                                         "crates.io, a build dependency"},
              "evidence: %r" % method)
        for name in list(COMPILED_IN) + list(BUILT_WITH):
            c = [x for x in h.comps(s) if x["name"] == name and
                 x.get("purl", "").startswith("pkg:cargo/")][0]
            check(c["type"] == "library" and
                  c["bom-ref"].startswith("cargo"), "%s: %r" % (name, c))

    @case
    def cargo_crates_in_every_format(t):
        """A program whose .dep-v0 section (added by objcopy, of no
        flags, as cargo-auditable's object file gives it) holds a
        dependency list: the crates compiled in and those only its build
        used, purls by purl-spec's cargo type whatever the source, the
        source, kind, root and format kept, in CycloneDX 1.6 and 1.7,
        SPDX 2.3 and 3.0.1, text, summary, dot and funding; the same bytes
        twice; every format says the same, fact for fact."""
        d = tool_dir(t, "formats")
        r = run_ok(t, d)
        check_cyclonedx(r.sbom)
        check(run_ok(t, d).raw == r.raw, "the same SBOM twice")
        check_cyclonedx(run_ok(t, d, "--spec-version", "1.7").sbom)
        # SPDX 2.3: STATIC_LINK and BUILD_DEPENDENCY_OF.
        s = run_ok(t, d, "--format", "spdx").sbom
        ids = {p["SPDXID"]: p for p in s["packages"]}
        tool = [p for p in s["packages"] if p["name"] == "rstool"][0]
        linked = sorted(ids[x["relatedSpdxElement"]]["name"]
                        for x in s["relationships"]
                        if x["relationshipType"] == "STATIC_LINK" and
                        x["spdxElementId"] == tool["SPDXID"])
        check(linked == sorted(COMPILED_IN), "STATIC_LINK: %r" % linked)
        built = sorted(ids[x["spdxElementId"]]["name"]
                       for x in s["relationships"]
                       if x["relationshipType"] == "BUILD_DEPENDENCY_OF" and
                       x["relatedSpdxElement"] == tool["SPDXID"] and
                       x["comment"] == BUILD_SAID)
        check(built == sorted(BUILT_WITH), "BUILD_DEPENDENCY_OF: %r" % built)
        # SPDX 3.0.1: hasStaticLink, and dependsOn in the scope build.
        s = run_ok(t, d, "--format", "spdx3").sbom
        els = {e["spdxId"]: e for e in s["@graph"] if "spdxId" in e}
        rels = [e for e in s["@graph"] if "relationshipType" in e and
                els[e["from"]].get("name") == "rstool"]
        built = sorted(els[to]["name"] for e in rels
                       if e["relationshipType"] == "dependsOn" and
                       e.get("scope") == "build" for to in e["to"])
        check(built == sorted(BUILT_WITH), "dependsOn build: %r" % built)
        linked = sorted(els[to]["name"] for e in rels
                        if e["relationshipType"] == "hasStaticLink"
                        for to in e["to"])
        check(linked == sorted(COMPILED_IN), "hasStaticLink: %r" % linked)
        # The views.
        text = run_ok(t, d, "--format", "text").raw.decode()
        check("    openssl-src => (built with)  [build dependency: " + BUILD_SAID +
              "]  pkg:cargo/openssl-src@300.2.3%2B3.2.1\n" in text and
              "    Inflector => (compiled in)  [statically linked]  "
              "pkg:cargo/Inflector@0.11.4\n" in text, text)
        summary = run_ok(t, d, "--format", "summary").raw.decode()
        lines = {line.split()[0]: line for line in summary.splitlines() if line}
        check(" static " in lines.get("serde", "") and
              " build " in lines.get("openssl-src", ""), summary)
        dot = run_ok(t, d, "--format", "dot").raw.decode()
        check(dot.count('tooltip="build dependency"') == len(BUILT_WITH), dot)
        fund = run_ok(t, d, "--format", "funding").sbom
        how = {p["name"]: p["how"] for p in fund["projects"]}
        check(how.get("cc") == ["build"] and how.get("serde") == ["direct"],
              "funding: %r" % how)
        h.formats_agree(t, d)

    @case
    def cargo_list_found_every_way(t):
        """The same list in a section the compiler allocated (as rustc's
        #[link_section] places a static), in a 32-bit big-endian PowerPC
        library, in a program of 700 KiB read in part; without section
        headers it is not found and nothing is said, as cargo-auditable's
        reader, which looks for the section by name, finds nothing
        there."""
        d = tool_dir(t, "every-way")
        C.elf_with_payload(d, "allocated", C.payload(LIST), how="attribute")
        C.elf_with_payload(d, "big", C.payload(LIST), pad=700 * 1024)
        ppc, _ = E.build(cls=32, msb=True, machine=E.EM_PPC, soname="librs.so",
                         depdata=C.payload(LIST))
        A.put(os.path.join(d, "librs.so"), bytes(ppc))
        shutil.copy(os.path.join(d, "rstool"), os.path.join(d, "stripped"))
        C.strip_section_headers(os.path.join(d, "stripped"))
        check(os.path.getsize(os.path.join(d, "big")) > 512 * 1024,
              "large enough to be read in part")
        s = run_ok(t, d).sbom
        for name in ("rstool", "allocated", "big", "librs.so"):
            got = crates(s, h.by_name(s, name))
            check(got == (COMPILED_IN, BUILT_WITH), "%s: %r" % (name, got))
        stripped = h.by_name(s, "stripped")
        check(crates(s, stripped) == ({}, {}) and
              not h.props(stripped, "bindep:cargo-root"), "without sections")
        check(h.prop(h.by_name(s, "librs.so"), "bindep:elf:byte-order") ==
              "big-endian", "big-endian")

    def hostile_files(d):
        """{file: the warning it gives}, each an ELF file of its own, and
        what of each is kept {file: (compiled in names, built names)}."""
        files, kept = {}, {}

        def put(name, data, msg, keep=((), ())):
            raw, _ = E.build(etype=E.ET_EXEC, depdata=data)
            A.put(os.path.join(d, name), bytes(raw))
            files[name] = WHAT + msg
            kept[name] = (sorted(keep[0]), sorted(keep[1]))

        good = C.payload(LIST)
        put("bad-header", b"\x78\x9d" + good[2:],
            "not a zlib stream (its header check fails)")
        put("gzip", b"\x1f\x8b\x08\x00" + good,
            "not a zlib stream of deflate data (compression method 15)")
        put("cut", good[:len(good) // 2], "its zlib stream is corrupt or cut short")
        put("bomb", zlib.compress(b" " * (9 << 20), 9),
            "it decompresses to more than 8 MiB, not read")
        put("not-json", C.payload(b'{"packages":[{"name":"a",}]}'),
            "its text is not valid JSON (at byte 26)")
        put("no-packages", C.payload({"format": 1}),
            'its text has no "packages" array')
        put("bad-index", C.payload(C.document([
            C.package("app", "1.0.0", "local", deps=[1, 7], root=True),
            C.package("serde", "1.0.0")])),
            "packages[0]: a dependency that is not the index of a package "
            "(0 to 1), skipping it", (["app", "serde"], []))
        put("self-and-twice", C.payload(C.document([
            C.package("app", "1.0.0", "local", deps=[0, 1, 1], root=True),
            C.package("serde", "1.0.0")])),
            "packages[0]: it depends on itself, skipping that (and 1 more "
            "problem)", (["app", "serde"], []))
        # Bytes after the stream: not the list's, said; the list read.
        put("trailing", C.payload(C.document([C.package("ok", "1.0.0")])) +
            b"garbage", "7 bytes after its zlib stream, ignored", (["ok"], []))
        put("not-utf8", C.payload(
            b'{"packages":[{"name":"a\xff","version":"1","source":"local"},'
            b'{"name":"ok","version":"1.0.0","source":"crates.io"}]}'),
            "packages[0]: its name is not UTF-8 text, skipping it", (["ok"], []))
        put("escape", C.payload(C.document([
            C.package("a\x1b]0;pwned\x07", "1"),
            C.package("ok", "1.0.0")])),
            "packages[0]: its name is not UTF-8 text, skipping it", (["ok"], []))
        put("two-roots", C.payload(C.document([
            C.package("a", "1.0.0", "local", root=True),
            C.package("b", "2.0.0", "local", root=True)])),
            "packages[0] and packages[1] are both root packages, which a "
            "list has one of", (["a", "b"], []))
        put("cycle-and-kind", C.payload(
            b'{"packages":[{"name":"a","version":"1","source":"local",'
            b'"dependencies":[1]},{"name":"b","version":"2","source":'
            b'"crates.io","kind":"dev","dependencies":[0]}]}'),
            'packages[1]: its kind is neither "runtime" nor "build", taken '
            'as runtime', (["a", "b"], []))
        # The zlib stream is a list; after its Adler-32 and 4 bytes, a
        # gzip member holds another. auditable-info reads the one stream;
        # a gzip filter would go on to the next member, and the text
        # would be no JSON.
        first = C.json_text(C.document([C.package("first", "1.0.0")]))
        rest = C.json_text(C.document([C.package("evil", "6.6.6")]))
        deflate = zlib.compressobj(7, zlib.DEFLATED, -15)
        member = (b"\x1f\x8b\x08\0\0\0\0\0\0\xff" + deflate.compress(rest) +
                  deflate.flush() + b"\0" * 8)
        put("two-members", zlib.compress(first) + b"\0" * 4 + member,
            "%d bytes after its zlib stream, ignored" % (4 + len(member)),
            (["first"], []))
        put("packages-twice", C.payload(
            b'{"packages":[{"name":"a","version":"1","source":"local"}],'
            b'"packages":[{"name":"b","version":"1","source":"local"}]}'),
            "its packages is given twice, the first taken", (["a"], []))
        return files, kept

    @case
    def cargo_crate_graph_and_a_crate_of_both_kinds(t):
        """The crates' own dependencies, as the list's indices give them:
        CycloneDX dependsOn, SPDX 2.3 DEPENDS_ON (BUILD_DEPENDENCY_OF for
        a crate only a build used), SPDX 3 dependsOn, the text view's
        "(crate dependency)" from --depth 2; a cycle kept and harmless;
        every file still holds each crate it lists. serde_derive, which
        rstool's build ran and host compiles in, is one component of the
        kind runtime, each file's edge its own; the same bytes twice."""
        d = tool_dir(t, "graph")
        C.elf_with_payload(d, "host", C.payload(C.document([
            C.package("host-crate", "1.0.0", "local", deps=[1, 2], root=True),
            C.package("serde_derive", "1.0.197", deps=[2]),
            C.package("cyclic", "0.1.0", deps=[1])])))
        r = run_ok(t, d)
        s = r.sbom
        check(run_ok(t, d).raw == r.raw, "the same SBOM twice")
        refs = {c["bom-ref"]: c["name"] for c in h.comps(s)}
        deps = {refs[e["ref"]]: sorted(refs[x] for x in e.get("dependsOn", []))
                for e in s["dependencies"] if e["ref"] in refs}
        for name, want in (("tool", ["Inflector", "hyper", "internal-auth",
                                     "libc", "openssl-sys", "serde"]),
                           ("serde", ["serde_derive"]),
                           ("openssl-sys", ["cc", "openssl-src"]),
                           ("openssl-src", ["cc"]), ("cc", []),
                           ("serde_derive", ["cyclic"]),
                           ("cyclic", ["serde_derive"])):
            check(deps.get(name) == want, "%s: %r" % (name, deps.get(name)))
        derive = [c for c in h.comps(s) if c["name"] == "serde_derive"]
        check(len(derive) == 1 and "scope" not in derive[0] and
              h.prop(derive[0], "bindep:cargo-kind") == "runtime",
              "one serde_derive: %r" % derive)
        check(sorted(named(h.statically_held(s, h.by_name(s, "host")))) ==
              ["cyclic", "host-crate", "serde_derive"], "host's crates")
        # Each file's edge to serde_derive is its own.
        s2 = run_ok(t, d, "--format", "spdx").sbom
        ids = {p["name"]: p["SPDXID"] for p in s2["packages"]}
        rel = {(x["spdxElementId"], x["relationshipType"],
                x["relatedSpdxElement"]) for x in s2["relationships"]}
        for want in ((ids["serde_derive"], "BUILD_DEPENDENCY_OF", ids["rstool"]),
                     (ids["host"], "STATIC_LINK", ids["serde_derive"]),
                     (ids["serde"], "DEPENDS_ON", ids["serde_derive"]),
                     (ids["openssl-src"], "BUILD_DEPENDENCY_OF",
                      ids["openssl-sys"]),
                     (ids["cyclic"], "DEPENDS_ON", ids["serde_derive"])):
            check(want in rel, "SPDX 2.3: %r" % (want,))
        check((ids["rstool"], "STATIC_LINK", ids["serde_derive"]) not in rel,
              "rstool's build ran serde_derive")
        text = run_ok(t, d, "--format", "text", "--depth", "2").raw.decode()
        check("    serde => (compiled in)  [statically linked]  "
              "pkg:cargo/serde@1.0.197\n"
              "        serde_derive => (crate dependency)  "
              "pkg:cargo/serde_derive@1.0.197\n" in text, text)
        check("crate dependency" not in
              run_ok(t, d, "--format", "text").raw.decode(), "depth 1")
        h.formats_agree(t, d)

    @case
    def cargo_many_packages_capped(t):
        """A list of 5,000 packages: the first 4,096 are components, one
        warning says the rest are dropped. (Not checked against the
        schemas: 4,000 components cost seconds there, and a crate's
        component is checked in every other case.)"""
        d = h.fresh_dir(t, "cargo", "many")
        raw, _ = E.build(etype=E.ET_EXEC, depdata=C.payload(C.document([
            C.package("c%d" % i, "1.0.%d" % i) for i in range(5000)])))
        A.put(os.path.join(d, "many"), bytes(raw))
        r = t.run(d, validate_sbom=False)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err.decode()[-800:]))
        check(r.warnings() == [
            "bindep-sbom: warning: '%s': %smore than 4096 packages, keeping "
            "the first 4096" % (os.path.join(d, "many"), WHAT)], r.warnings())
        got = crates(r.sbom, h.by_name(r.sbom, "many"))
        check(len(got[0]) == 4096 and "c4095" in got[0] and
              "c4096" not in got[0] and not got[1], "%d kept" % len(got[0]))

    @case
    def cargo_hostile_lists_one_warning_each(t):
        """Sections not zlib, cut short, a bomb over 8 MiB, text not JSON or
        without packages, a dependency index out of range, a package its
        own dependency and one given twice, bytes after the stream (text,
        a gzip member), names not UTF-8
        text or holding a terminal's escape, two roots, a cycle and a kind
        of no meaning: one warning each, naming the file
        and the problem; every file in the SBOM, marked (bindep:error);
        the good packages kept; the run succeeds."""
        d = h.fresh_dir(t, "cargo", "hostile")
        files, kept = hostile_files(d)
        s = h.one_warning_each(t.run(d), d, files)
        for name in files:
            got = crates(s, h.by_name(s, name))
            got = (sorted(got[0]), sorted(got[1]))
            check(got == kept[name], "%s: %r kept, not %r"
                  % (name, got, kept[name]))

    @case
    def cargo_dropped_dependencies_not_claimed_whole(t):
        """A list whose app names serde and an index out of range (7): app
        keeps serde and is not said to need nothing more (CycloneDX: its
        entry and the incomplete composition's dependencies; SPDX 2.3:
        DEPENDS_ON NOASSERTION; SPDX 3: dependsOn NoAssertionElement;
        the summary's incomplete line), while serde, whose list was whole, still needs nothing (an empty
        entry, NONE, NoneElement); every document valid."""
        d = h.fresh_dir(t, "cargo", "dropped")
        C.elf_with_payload(d, "rsapp", C.payload(C.document([
            C.package("app", "1.0.0", "local", deps=[1, 7], root=True),
            C.package("serde", "1.0.0")])))
        r = t.run(d)
        check(r.code == 0 and len(r.warnings()) == 1, r.err.decode())
        s = r.sbom
        ref = {c["name"]: c["bom-ref"] for c in h.comps(s)
               if c.get("purl", "").startswith("pkg:cargo/")}
        deps = {x["ref"]: x.get("dependsOn") for x in s["dependencies"]}
        check(deps.get(ref["app"]) == [ref["serde"]] and
              deps.get(ref["serde"]) == [], "dependencies: %r" % deps)
        cut = [x for c in s.get("compositions", [])
               if c["aggregate"] == "incomplete"
               for x in c.get("dependencies", [])]
        check(ref["app"] in cut and ref["serde"] not in cut,
              "incomplete: %r" % cut)
        s = t.run(d, "--format", "spdx").sbom
        ids = {p["name"]: p["SPDXID"] for p in s["packages"]}
        said = {(x["spdxElementId"], x["relatedSpdxElement"])
                for x in s["relationships"]
                if x["relationshipType"] == "DEPENDS_ON"}
        check((ids["app"], "NOASSERTION") in said and
              (ids["app"], ids["serde"]) in said and
              (ids["app"], "NONE") not in said and
              (ids["serde"], "NONE") in said, "DEPENDS_ON: %r" % said)
        s = t.run(d, "--format", "spdx3").sbom
        els = {e["spdxId"]: e for e in s["@graph"] if "spdxId" in e}
        to = {}
        for e in s["@graph"]:
            if e.get("relationshipType") == "dependsOn":
                to.setdefault(els[e["from"]].get("name"), []).extend(
                    x.rsplit("/", 1)[-1] for x in e["to"])
        check("NoAssertionElement" in to.get("app", []) and
              "NoneElement" in to.get("serde", []), "dependsOn: %r" % to)
        check(t.run(d, "--spec-version", "1.7").code == 0, "CycloneDX 1.7")
        summary = t.run(d, "--format", "summary").raw.decode()
        check("crate dependencies cut" in summary, summary)

    @case
    def cargo_extension_in_wheel_and_npm_tarball(t):
        """A Python extension module maturin built (an abi3 .so in a
        wheel) and a Node addon napi-rs built (a .node in an npm tarball),
        each with its list: read from inside the artifact, the crates
        compiled into the file it holds; a broken list inside a wheel is
        one warning that names the file in the wheel."""
        base = h.fresh_dir(t, "cargo", "artifacts")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        shared = ["-shared", "-fPIC"]
        ext = C.elf_with_payload(base, "ext", C.payload(LIST), extra=shared)
        bad = C.elf_with_payload(base, "bad", good_cut(), extra=shared)
        addon = C.elf_with_payload(base, "addon", C.payload(LIST), extra=shared)
        wheel = A.wheel_name("rstool", "1.0", "cp38-abi3-manylinux_2_17_x86_64")
        A.put(os.path.join(dist, wheel), A.wheel_bytes("rstool", "1.0", [
            ("rstool/__init__.py", b"from ._rs import *\n", 0o644),
            ("rstool/_rs.abi3.so", read(ext), 0o755),
            ("rstool/_bad.abi3.so", read(bad), 0o755)],
            tag="cp38-abi3-manylinux_2_17_x86_64"))
        A.put(os.path.join(dist, "rstool-linux-x64-gnu-1.0.0.tgz"),
              A.npm_tarball("rstool-linux-x64-gnu", "1.0.0", [
                  ("rstool.linux-x64-gnu.node", read(addon), 0o755)]))
        r = t.run("dist", cwd=base)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err.decode()[-800:]))
        check(r.warnings() == [
            "bindep-sbom: warning: 'dist/%s!/rstool/_bad.abi3.so': %sits zlib "
            "stream is corrupt or cut short" % (wheel, WHAT)], r.warnings())
        s = r.sbom
        in_wheel = at(s, "dist/%s!/rstool/_rs.abi3.so" % wheel)
        check(crates(s, in_wheel) == (COMPILED_IN, BUILT_WITH), "in the wheel")
        check(h.prop(in_wheel, "bindep:bundled-in") == "pkg:pypi/rstool@1.0",
              "bundled in the wheel")
        in_npm = at(s, "dist/rstool-linux-x64-gnu-1.0.0.tgz!/package/"
                    "rstool.linux-x64-gnu.node")
        check(crates(s, in_npm) == (COMPILED_IN, BUILT_WITH), "in the tarball")
        check(len([c for c in h.comps(s) if c.get("purl") ==
                   "pkg:cargo/serde@1.0.197"]) == 1,
              "one component for the crate both hold")

    @case
    def cargo_crates_named_by_the_wheels_sbom(t):
        """A Rust extension's wheel that ships an SBOM of its crates (as
        maturin writes one into .dist-info/sboms/): a crate compiled in
        and one its build used, which that SBOM lists too, are one
        component each, the SBOM's licence joining what the list says;
        not a second component that only the SBOM names."""
        import json
        base = h.fresh_dir(t, "cargo", "carried")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        ext = C.elf_with_payload(base, "ext", C.payload(LIST),
                                 extra=["-shared", "-fPIC"])
        doc = json.dumps({
            "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
            "components": [
                {"type": "library", "name": name, "version": version,
                 "purl": purl, "licenses": [{"license": {"id": "MIT"}}]}
                for name, (version, purl) in (
                    ("serde", COMPILED_IN["serde"]),
                    ("cc", BUILT_WITH["cc"]))]}).encode()
        tag = "cp38-abi3-manylinux_2_17_x86_64"
        wheel = A.wheel_name("rsx", "1.0", tag)
        A.put(os.path.join(dist, wheel), A.wheel_bytes("rsx", "1.0", [
            ("rsx/_rs.abi3.so", read(ext), 0o755),
            ("rsx-1.0.dist-info/sboms/rsx.cdx.json", doc, 0o644)], tag))
        s = run_ok(t, "dist", cwd=base).sbom
        for name, (version, purl) in (("serde", COMPILED_IN["serde"]),
                                      ("cc", BUILT_WITH["cc"])):
            same = [c for c in h.comps(s) if c.get("name") == name]
            check(len(same) == 1 and same[0].get("purl") == purl,
                  "%s: %r" % (name, same))
            check([x["expression"] for x in same[0].get("licenses", [])] ==
                  ["MIT"] and h.props(same[0], "bindep:embedded-sbom"),
                  "%s: %r" % (name, same[0]))
        ext_comp = at(s, "dist/%s!/rsx/_rs.abi3.so" % wheel)
        check(crates(s, ext_comp) == (COMPILED_IN, BUILT_WITH), "its crates")

    def good_cut():
        good = C.payload(LIST)
        return good[:len(good) - 10]

    def read(path):
        with open(path, "rb") as f:
            return f.read()
