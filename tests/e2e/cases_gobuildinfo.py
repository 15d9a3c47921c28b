"""End-to-end cases of Go build information (registered by run.py): the Go
modules and the standard library a Go binary is built from, read from the
blob the Go linker writes into it. No Go compiler is needed: the blob is
written here (tests/gobuildinfo.py) into programs compiled here, and into
elfgen files of other classes and byte orders. Every output format; the
blob found without section headers, in the pointer format of Go 1.17, in
a large file read in part, inside a wheel and an npm tarball; hostile
blobs, one warning each."""
import json
import os
import shutil
import struct

import artifact_fixtures as A
import elfgen as E
import gobuildinfo as G

TOML_SUM = "h1:o7IhLm0Msx3BaB+n3Ag7L8EVlByGnpq14hFpYlGK0mA="
COBRA_SUM = "h1:7aJaZx1B85qltLMc546zn58BxxfZdR/W22ej9CFoEf0="
SYS_VERSION = "v0.0.0-20231201000000-abcdef123456"

# `go version -m` of a real build: the main module from its source tree,
# a +incompatible module, a fork replacing a module, a directory
# replacing another, a pseudo-version; the settings a build records.
LIST = G.modinfo(
    path="example.com/tool/cmd/tool",
    main=("example.com/tool", "(devel)", ""),
    deps=[("github.com/BurntSushi/toml", "v1.3.2+incompatible", TOML_SUM),
          ("github.com/spf13/cobra", "v1.8.0", COBRA_SUM,
           ("github.com/fork/cobra", "v1.8.1-fork", "h1:fork=")),
          ("example.com/local", "v0.1.0", "", ("../local", "", "")),
          ("golang.org/x/sys", SYS_VERSION, "h1:sys=")],
    settings=[("-buildmode", "exe"), ("-compiler", "gc"),
              ("-ldflags", "-s -w -X main.version=1.0"),
              ("CGO_ENABLED", "1"), ("GOARCH", "amd64"), ("GOOS", "linux"),
              ("vcs", "git"),
              ("vcs.revision", "0123456789abcdef0123456789abcdef01234567"),
              ("vcs.modified", "false")])

# What the binary holds: {name: (version, purl)}.
MODULES = {
    "example.com/tool": (None, "pkg:golang/example.com/tool"),
    "github.com/BurntSushi/toml": (
        "v1.3.2+incompatible",
        "pkg:golang/github.com/BurntSushi/toml@v1.3.2%2Bincompatible"),
    "github.com/fork/cobra": (
        "v1.8.1-fork", "pkg:golang/github.com/fork/cobra@v1.8.1-fork"),
    "example.com/local": (None, "pkg:golang/example.com/local"),
    "golang.org/x/sys": (SYS_VERSION,
                         "pkg:golang/golang.org/x/sys@" + SYS_VERSION),
    "stdlib": ("1.21.5", "pkg:golang/stdlib@1.21.5"),
}


# What a binary named after its main module holds: the main module is
# the binary itself, no component compiled into it.
DEPS = {name: v for name, v in MODULES.items() if name != "example.com/tool"}

# A program `go install golang.org/x/tools/gopls@v0.14.2` built: its main
# module at a release, with its go.sum hash.
GOPLS = G.modinfo(
    path="golang.org/x/tools/gopls",
    main=("golang.org/x/tools/gopls", "v0.14.2", "h1:gopls="),
    deps=[("github.com/BurntSushi/toml", "v1.3.2+incompatible", TOML_SUM)],
    settings=[("-buildmode", "exe"), ("GOOS", "linux")])
GOPLS_DEPS = {"github.com/BurntSushi/toml": MODULES["github.com/BurntSushi/toml"],
              "stdlib": MODULES["stdlib"]}

# `go build main.go`: a file, no package; Go names its main module
# command-line-arguments, which no purl can name.
ADHOC = G.modinfo(
    path="command-line-arguments",
    main=("command-line-arguments", "(devel)", ""),
    deps=[("github.com/BurntSushi/toml", "v1.3.2+incompatible", TOML_SUM)])


def with_stdlib(version, modules=DEPS):
    """modules built by another toolchain."""
    out = dict(modules)
    out["stdlib"] = (version, "pkg:golang/stdlib@" + version)
    return out


def register(case, h):
    check = h.check

    def go_static(sbom, comp):
        """{name: (version, purl)} of what the component has compiled in."""
        return {name: (c.get("version"), c.get("purl"))
                for name, c in h.statically_held(sbom, comp).items()}

    def at(sbom, location):
        found = [c for c in h.comps(sbom) if location in h.locations(c)]
        check(len(found) == 1, "one component at %s: %d" % (location, len(found)))
        return found[0]

    def blob(version="go1.21.5", text=LIST):
        return G.inline_blob(version, G.framed(text))

    def tool_dir(t, name):
        d = h.fresh_dir(t, "go", name)
        G.elf_with_blob(d, "tool", blob())
        return d

    def run_ok(t, *args, **kw):
        r = t.run(*args, **kw)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err.decode()[-800:]))
        check(not r.warnings(), "warnings: %r" % r.warnings())
        return r

    def check_cyclonedx(s):
        # The program, named after its main module (no component of its
        # own: it is the program).
        tool = h.by_name(s, "example.com/tool")
        check(h.locations(tool)[0].endswith("/tool") and
              tool.get("purl") == "pkg:golang/example.com/tool" and
              "version" not in tool, "the program: %r" % tool)
        got = go_static(s, tool)
        check(got == DEPS, "compiled in: %r" % got)
        settings = {p["name"]: p["value"] for p in tool["properties"]
                    if p["name"].startswith("bindep:go-")}
        check(settings == {
            "bindep:go-version": "go1.21.5",
            "bindep:go-path": "example.com/tool/cmd/tool",
            "bindep:go-build:-buildmode": "exe",
            "bindep:go-build:CGO_ENABLED": "1",
            "bindep:go-build:GOARCH": "amd64",
            "bindep:go-build:GOOS": "linux",
            "bindep:go-build:vcs.revision":
                "0123456789abcdef0123456789abcdef01234567"},
              "the binary's Go properties: %r" % settings)
        std = h.by_name(s, "stdlib")
        check(std.get("cpe") == "cpe:2.3:a:golang:go:1.21.5:*:*:*:*:*:*:*",
              "stdlib's CPE: %r" % std.get("cpe"))
        toml = h.by_name(s, "github.com/BurntSushi/toml")
        check(h.prop(toml, "bindep:go-sum") == TOML_SUM, "go.sum hash")
        check("hashes" not in toml, "no h1 algorithm in CycloneDX")
        method = h.identity(toml, "version")["methods"][0]
        check(method == {"technique": "manifest-analysis", "confidence": 1,
                         "value": "Go build information: "
                                  "github.com/BurntSushi/toml "
                                  "v1.3.2+incompatible"},
              "evidence: %r" % method)
        fork = h.by_name(s, "github.com/fork/cobra")
        check(h.prop(fork, "bindep:go-replaces") ==
              "github.com/spf13/cobra@v1.8.0", "what the fork replaces")
        check(h.prop(fork, "bindep:go-sum") == "h1:fork=", "the fork's hash")
        local = h.by_name(s, "example.com/local")
        check(h.prop(local, "bindep:go-replaced-by") == "../local" and
              "version" not in local, "a directory's: %r" % local)
        for name in DEPS:
            c = h.by_name(s, name)
            check(c["type"] == "library" and
                  c["bom-ref"].startswith("golang:"), "%s: %r" % (name, c))

    @case
    def go_modules_in_every_format(t):
        """A program whose .go.buildinfo holds the blob of Go 1.18 and
        later (inline strings), put there by objcopy --update-section:
        every module, the standard library of its toolchain, purls by
        purl-spec's golang type, replacements, the go.sum hashes and the
        build settings kept, in CycloneDX 1.6 and 1.7, SPDX 2.3 and 3.0.1,
        text and summary; the same bytes twice."""
        d = tool_dir(t, "formats")
        r = run_ok(t, d)
        check_cyclonedx(r.sbom)
        again = run_ok(t, d)
        check(again.raw == r.raw, "the same SBOM twice")
        check_cyclonedx(run_ok(t, d, "--spec-version", "1.7").sbom)
        # SPDX 2.3: STATIC_LINK, the purl and CPE as references, the
        # go.sum hash as an annotation (its checksums are a fixed list).
        s = run_ok(t, d, "--format", "spdx").sbom
        ids = {p["SPDXID"]: p for p in s["packages"]}
        links = sorted(ids[x["relatedSpdxElement"]]["name"]
                       for x in s["relationships"]
                       if x["relationshipType"] == "STATIC_LINK" and
                       ids[x["spdxElementId"]]["name"] == "example.com/tool")
        check(links == sorted(DEPS), "STATIC_LINK: %r" % links)
        toml = [p for p in s["packages"]
                if p["name"] == "github.com/BurntSushi/toml"][0]
        refs = {r["referenceType"]: r["referenceLocator"]
                for r in toml["externalRefs"]}
        check(refs == {"purl": DEPS[toml["name"]][1]}, "refs: %r" % refs)
        check("bindep:go-sum=" + TOML_SUM in
              [a["comment"] for a in toml["annotations"]], "hash annotated")
        # SPDX 3.0.1: hasStaticLink; the go.sum hash a Hash of algorithm
        # "other" that says which.
        s = run_ok(t, d, "--format", "spdx3").sbom
        els = {e["spdxId"]: e for e in s["@graph"] if "spdxId" in e}
        by = {e.get("name"): e for e in els.values()}
        toml = by["github.com/BurntSushi/toml"]
        check([(v["algorithm"], v["hashValue"]) for v in toml["verifiedUsing"]]
              == [("other", TOML_SUM)] and
              "dirhash" in toml["verifiedUsing"][0]["comment"],
              "verifiedUsing: %r" % toml["verifiedUsing"])
        linked = [els[to]["name"] for e in els.values()
                  if e.get("relationshipType") == "hasStaticLink" and
                  els[e["from"]].get("name") == "example.com/tool"
                  for to in e["to"]]
        check(sorted(linked) == sorted(DEPS), "hasStaticLink: %r" % linked)
        # The views.
        text = run_ok(t, d, "--format", "text").raw.decode()
        check("    github.com/BurntSushi/toml => (compiled in)  "
              "[statically linked]  pkg:golang/github.com/BurntSushi/"
              "toml@v1.3.2%2Bincompatible\n" in text, text)
        summary = run_ok(t, d, "--format", "summary").raw.decode()
        for name in ("github.com/BurntSushi/toml", "golang.org/x/sys",
                     "stdlib  "):
            check(name in summary, "%s in the summary:\n%s" % (name, summary))
        # And every format says the same, fact for fact.
        h.formats_agree(t, d)

    @case
    def go_modules_found_every_way(t):
        """The same modules without section headers (found by the magic in
        the writable segment, as debug/buildinfo finds them), in the
        pointer format of Go 1.17 (a program whose pointers the static
        linker wrote, and a 32-bit big-endian PowerPC file), and in a
        program of 700 KiB, read in part."""
        d = tool_dir(t, "every-way")
        shutil.copy(os.path.join(d, "tool"), os.path.join(d, "stripped"))
        G.strip_section_headers(os.path.join(d, "stripped"))
        G.elf_with_pointer_blob(d, "go117", "go1.17.13", G.framed(LIST))
        G.elf_with_blob(d, "large", blob("go1.22.0"), pad=700 * 1024)
        ppc, _ = E.build(cls=32, msb=True, machine=E.EM_PPC, etype=E.ET_EXEC,
                         sections=False, godata=lambda a: G.pointer_blob(
                             a, "go1.16.15", G.framed(LIST), 4, True))
        A.put(os.path.join(d, "ppc"), bytes(ppc))
        check(os.path.getsize(os.path.join(d, "large")) > 512 * 1024,
              "large enough to be read in part")
        r = run_ok(t, d)
        s = r.sbom
        want = {"tool": DEPS, "stripped": DEPS,
                "go117": with_stdlib("1.17.13"),
                "large": with_stdlib("1.22.0"),
                "ppc": with_stdlib("1.16.15")}
        for name, modules in want.items():
            c = at(s, os.path.join(d, name))
            got = go_static(s, c)
            check(got == modules, "%s: %r" % (name, got))
            check(c["name"] == "example.com/tool", "%s: %r" % (name, c["name"]))
        stripped = at(s, os.path.join(d, "stripped"))
        check(h.prop(stripped, "bindep:go-path") ==
              "example.com/tool/cmd/tool", "the stripped one's path")
        check(h.prop(at(s, os.path.join(d, "ppc")), "bindep:elf:byte-order")
              == "big-endian", "big-endian")

    def hostile_files(d):
        """{file: the warning it gives}, each an ELF file of its own."""
        def put(name, godata, **kw):
            data, _ = E.build(etype=E.ET_EXEC, godata=godata, **kw)
            A.put(os.path.join(d, name), bytes(data))

        inline = blob()
        header = inline[:32]
        files = {}
        # A section cut before its module list ends.
        put("cut", inline[:len(inline) - 64])
        files["cut"] = ("Go build info: its module list of %d bytes runs "
                        "past the end of section .go.buildinfo"
                        % len(G.framed(LIST)))
        # Varint lengths huge, and overflowing 64 bits.
        put("huge", header + b"\xff" * 8 + b"\x7f" + bytes(64))
        files["huge"] = ("Go build info: its version of 9223372036854775807 "
                         "bytes runs past the end of section .go.buildinfo")
        put("overflow", header + b"\xff" * 11 + bytes(64))
        files["overflow"] = "Go build info: the length of its version overflows"
        # Go 1.17's pointers, out of every segment; a pointer size Go never
        # wrote.
        put("pointers-out", G.MAGIC + bytes([8, 0]) +
            struct.pack("<QQ", 0xDEAD0000, 0xDEAD0010))
        files["pointers-out"] = ("Go build info: its version's string header "
                                 "at 0xdead0000 is in no segment")
        put("pointer-size", G.MAGIC + bytes([3, 0]) + bytes(16))
        files["pointer-size"] = "Go build info: pointer size 3, not 4 or 8"
        # Module lines not UTF-8 text, missing tab fields: skipped, the
        # good one kept.
        put("bad-lines", blob(text=b"dep\tgithub.com/good/one\tv1.0.0\n"
                                   b"dep\tgithub.com/\xff\xfe/bad\tv1.0.0\n"
                                   b"dep\tgithub.com/no/version\n"
                                   b"=>\tgithub.com/r\tv2\th1:x=\n"))
        files["bad-lines"] = ("Go build info: module list line 2: a field "
                              "that is not UTF-8 text, skipping it (and 2 "
                              "more lines)")
        # Thousands of modules: the first 4,096.
        put("many", blob(text="".join(
            "dep\texample.com/m%d\tv1.0.%d\th1:x=\n" % (i, i)
            for i in range(5000))))
        files["many"] = ("Go build info: more than 4096 modules, keeping "
                         "the first 4096")
        # A module list over 1 MiB: not read; the toolchain is.
        big = blob(text="".join("dep\texample.com/long/module/path/%07d\t"
                                "v1.0.0\th1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                "aaaaaaaaaa=\n" % i for i in range(12000)))
        put("too-large", big)
        size = len(G.framed("".join(
            "dep\texample.com/long/module/path/%07d\tv1.0.0\th1:"
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=\n" % i
            for i in range(12000))))
        files["too-large"] = ("Go build info: its module list of %d bytes is "
                              "over the limit of 1 MiB, not read" % size)
        return files

    @case
    def go_hostile_blobs_one_warning_each(t):
        """Blobs cut short, varint lengths huge or overflowing, Go 1.17's
        pointers out of the file, a pointer size Go never wrote, module
        lines not UTF-8 text or missing fields, 5,000 modules, a module
        list over 1 MiB: one warning each, naming the file and the
        problem; every file in the SBOM, marked (bindep:error); what could
        be read is kept; the run succeeds."""
        d = h.fresh_dir(t, "go", "hostile")
        files = hostile_files(d)
        # The document of the 5,000 modules is not validated (4,096
        # components of one shape took the two validators 10 to 15 s):
        # the same directory without that file is, below (in the pass
        # that validates), and this one's bom-refs are found unique.
        s = h.one_warning_each(t.run(d, validate_sbom=False), d, files)
        refs = [c["bom-ref"] for c in h.comps(s)]
        check(len(refs) == len(set(refs)) > 4096, "%d bom-refs, %d unique"
              % (len(refs), len(set(refs))))
        good = go_static(s, h.by_name(s, "bad-lines"))
        check(good == {"github.com/good/one": (
            "v1.0.0", "pkg:golang/github.com/good/one@v1.0.0"),
            "stdlib": MODULES["stdlib"]}, "the good line kept: %r" % good)
        many = go_static(s, h.by_name(s, "many"))
        check(len(many) == 4096 + 1 and "example.com/m4095" in many and
              "example.com/m4096" not in many, "%d kept" % len(many))
        check(go_static(s, h.by_name(s, "too-large")) ==
              {"stdlib": MODULES["stdlib"]}, "the toolchain still named")
        for name in ("cut", "huge", "overflow", "pointers-out",
                     "pointer-size"):
            check(go_static(s, h.by_name(s, name)) == {},
                  "%s: nothing from a broken blob" % name)
        if not t.schema:
            return  # a pass that validates nothing runs it once
        few = h.fresh_dir(t, "go", "hostile-few")
        for name in files:
            if name != "many":
                shutil.copy(os.path.join(d, name), few)
        h.one_warning_each(t.run(few), few,
                           {k: v for k, v in files.items() if k != "many"})

    @case
    def go_binary_in_wheel_and_npm_tarball(t):
        """A Go program shipped in a wheel (as ruff's or a CLI's binary
        wheels ship one) and in an npm tarball (as esbuild's or turbo's
        platform packages do): read from inside each, its modules
        compiled into the file the artifact holds."""
        base = h.fresh_dir(t, "go", "artifacts")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        G.elf_with_blob(base, "wheeltool", blob())
        G.elf_with_blob(base, "npmtool", blob("go1.22.3"))
        with open(os.path.join(base, "wheeltool"), "rb") as f:
            wheeltool = f.read()
        with open(os.path.join(base, "npmtool"), "rb") as f:
            npmtool = f.read()
        wheel = A.wheel_name("gotool", "1.0")
        A.put(os.path.join(dist, wheel), A.wheel_bytes("gotool", "1.0", [
            ("gotool/__init__.py", b"", 0o644),
            ("gotool/bin/gotool", wheeltool, 0o755)]))
        A.put(os.path.join(dist, "gotool-linux-x64-1.0.0.tgz"),
              A.npm_tarball("gotool-linux-x64", "1.0.0", [
                  ("bin/gotool", npmtool, 0o755)]))
        r = run_ok(t, "dist", cwd=base)
        s = r.sbom
        # Named after its main module, not its wheel's or tarball's purl,
        # which stays what holds it (bindep:bundled-in).
        in_wheel = at(s, "dist/%s!/gotool/bin/gotool" % wheel)
        check(go_static(s, in_wheel) == DEPS, "in the wheel")
        check(h.prop(in_wheel, "bindep:bundled-in") == "pkg:pypi/gotool@1.0",
              "bundled in the wheel")
        check(in_wheel.get("purl") == "pkg:golang/example.com/tool" and
              in_wheel["name"] == "example.com/tool" and
              "version" not in in_wheel, "in the wheel: %r" % in_wheel)
        in_npm = at(s, "dist/gotool-linux-x64-1.0.0.tgz!/package/bin/gotool")
        check(go_static(s, in_npm) == with_stdlib("1.22.3"), "in the tarball")
        check(in_npm.get("purl") == "pkg:golang/example.com/tool",
              "in the tarball: %r" % in_npm.get("purl"))
        check(len([c for c in h.comps(s) if c.get("purl") ==
                   MODULES["github.com/BurntSushi/toml"][1]]) == 1,
              "one component for the module both hold")

    def identity_of(comp, field):
        """(technique, value) of the evidence of comp's field."""
        method = h.identity(comp, field)["methods"][0]
        return method["technique"], method["value"]

    @case
    def go_binary_named_by_its_main_module(t):
        """A Go program no package database owns and no registry entry
        names is named after its main module, as syft names it: the
        program built from its tree ((devel), with vcs.revision, vcs.time
        and -ldflags -X main.version=1.0 in its settings: none of them is
        its version, the build information says none) is
        pkg:golang/example.com/tool without a version; one go install
        built is pkg:golang/golang.org/x/tools/gopls@v0.14.2. Its name is
        the module path, its main package kept (bindep:go-path), and the
        main module is no component compiled into it: it is the program.
        A program built from a file (command-line-arguments, no purl) is
        named by its file as before. In every format, the text view and
        the summary."""
        d = h.fresh_dir(t, "go", "main-module", "bin")
        devel = G.modinfo(
            path="example.com/tool/cmd/tool",
            main=("example.com/tool", "(devel)", ""),
            deps=[("github.com/BurntSushi/toml", "v1.3.2+incompatible",
                   TOML_SUM)],
            settings=[("-ldflags", "-X main.version=1.0"),
                      ("vcs.revision", "0123456789abcdef0123"),
                      ("vcs.time", "2024-01-02T03:04:05Z")])
        G.elf_with_blob(d, "tool", blob(text=devel))
        G.elf_with_blob(d, "gopls", blob(text=GOPLS))
        G.elf_with_blob(d, "adhoc", blob(text=ADHOC))
        base = os.path.dirname(d)
        s = run_ok(t, "bin", cwd=base).sbom
        tool = at(s, "bin/tool")
        check((tool["name"], tool.get("purl"), tool.get("version")) ==
              ("example.com/tool", "pkg:golang/example.com/tool", None),
              "(devel): %r" % tool)
        check(identity_of(tool, "name") == identity_of(tool, "purl") ==
              ("manifest-analysis", "Go build information: main module "
               "example.com/tool (devel)"), tool["evidence"])
        check(h.prop(tool, "bindep:go-path") == "example.com/tool/cmd/tool",
              "its main package kept")
        check(go_static(s, tool) == GOPLS_DEPS, go_static(s, tool))
        gopls = at(s, "bin/gopls")
        check((gopls["name"], gopls.get("purl"), gopls.get("version")) ==
              ("golang.org/x/tools/gopls",
               "pkg:golang/golang.org/x/tools/gopls@v0.14.2", "v0.14.2"),
              "a release: %r" % gopls)
        check(identity_of(gopls, "version") ==
              ("manifest-analysis", "Go build information: main module "
               "golang.org/x/tools/gopls v0.14.2"), gopls["evidence"])
        check(go_static(s, gopls) == GOPLS_DEPS, go_static(s, gopls))
        check(not [c for c in h.comps(s)
                   if c["bom-ref"].startswith(("golang:example.com/tool",
                                               "golang:golang.org/x/tools"))],
              "no component of a main module that names its program")
        adhoc = at(s, "bin/adhoc")
        check(adhoc["name"] == "adhoc" and "purl" not in adhoc,
              "command-line-arguments: %r" % adhoc)
        check(identity_of(adhoc, "name") == ("filename", "file name"),
              adhoc["evidence"])
        held = go_static(s, adhoc)
        check(held.get("command-line-arguments") == (None, None),
              "its main module compiled in, without a purl: %r" % held)
        text = run_ok(t, "bin", "--format", "text", cwd=base).raw.decode()
        check("bin/tool  pkg:golang/example.com/tool\n" in text and
              "bin/gopls  pkg:golang/golang.org/x/tools/gopls@v0.14.2\n"
              in text, text)
        summary = run_ok(t, "bin", "--format", "summary",
                         cwd=base).raw.decode()
        rows = [line.split() for line in summary.splitlines()]
        check(["golang.org/x/tools/gopls", "v0.14.2", "scanned", "go",
               "golang.org/x/tools/gopls", "unknown", "1"] in rows and
              ["example.com/tool", "-", "scanned", "go", "example.com/tool",
               "unknown", "1"] in rows, summary)
        h.formats_agree(t, "bin", cwd=base)

    def dpkg_root(root, owned):
        """A Debian root whose dpkg database owns each path of owned,
        {path: (package, version)}."""
        info = os.path.join(root, "var/lib/dpkg/info")
        os.makedirs(info)
        h.put_file(root, "etc/os-release", "ID=debian\nVERSION_ID=12\n")
        status = ""
        for path, (package, version) in sorted(owned.items()):
            h.put_file(root, "var/lib/dpkg/info/%s.list" % package,
                       path + "\n")
            status += ("Package: %s\nStatus: install ok installed\n"
                       "Architecture: amd64\nVersion: %s\n\n"
                       % (package, version))
        h.put_file(root, "var/lib/dpkg/status", status)

    def copy_built(scratch, name, text, version, to):
        with open(G.elf_with_blob(scratch, name, blob(version, text)),
                  "rb") as f:
            h.put_file(os.path.dirname(to), os.path.basename(to), f.read())

    @case
    def go_binary_owner_wins_over_its_main_module(t):
        """Under --root, a Go program a dpkg package owns is that
        package's (pkg:deb/...), named by its file, its main module a
        component compiled into it, (devel) or released; one beside it
        no package owns is named after its main module."""
        base = h.fresh_dir(t, "go", "owned")
        root, scratch = os.path.join(base, "root"), os.path.join(base, "s")
        os.makedirs(scratch)
        dpkg_root(root, {"/usr/bin/tool": ("gotool", "1.2-1"),
                         "/usr/bin/gopls": ("gopls", "0.14.2-1")})
        copy_built(scratch, "tool", LIST, "go1.21.5",
                   os.path.join(root, "usr/bin/tool"))
        copy_built(scratch, "gopls", GOPLS, "go1.21.5",
                   os.path.join(root, "usr/bin/gopls"))
        copy_built(scratch, "tool2", LIST, "go1.22.0",
                   os.path.join(root, "usr/local/bin/tool2"))
        s = run_ok(t, "--root", root).sbom
        distro = "?arch=amd64&distro=debian-12"
        tool = at(s, "/usr/bin/tool")
        check((tool["name"], tool.get("purl")) ==
              ("tool", "pkg:deb/debian/gotool@1.2-1" + distro), tool)
        check(go_static(s, tool) == MODULES, go_static(s, tool))
        gopls = at(s, "/usr/bin/gopls")
        check((gopls["name"], gopls.get("purl")) ==
              ("gopls", "pkg:deb/debian/gopls@0.14.2-1" + distro), gopls)
        want = dict(GOPLS_DEPS)
        want["golang.org/x/tools/gopls"] = (
            "v0.14.2", "pkg:golang/golang.org/x/tools/gopls@v0.14.2")
        check(go_static(s, gopls) == want, go_static(s, gopls))
        tool2 = at(s, "/usr/local/bin/tool2")
        check((tool2["name"], tool2.get("purl")) ==
              ("example.com/tool", "pkg:golang/example.com/tool"), tool2)
        check(go_static(s, tool2) == with_stdlib("1.22.0"),
              go_static(s, tool2))

    @case
    def go_binary_carried_sbom_wins_over_its_main_module(t):
        """An SBOM an npm tarball carries (package/sbom.cdx.json) that
        names its Go programs by SHA-256 gives them its purl and version,
        as it does a file the tarball's own purl only named; the main
        module's name stays, and the main module is then a component
        compiled in, as in a program a package owns: gopls's
        pkg:golang/golang.org/x/tools/gopls@v0.14.2 is still in the SBOM
        for a scanner to match."""
        base = h.fresh_dir(t, "go", "carried")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        programs = {}
        for name, text in (("gotool", LIST), ("gopls", GOPLS)):
            with open(G.elf_with_blob(base, name, blob(text=text)),
                      "rb") as f:
                programs[name] = f.read()
        doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
               "components": [{
                   "type": "application", "name": name + "-core",
                   "version": "2.0.0",
                   "purl": "pkg:generic/%s-core@2.0.0" % name,
                   "hashes": [{"alg": "SHA-256",
                               "content": A.sha256_bytes(program)}]}
                   for name, program in sorted(programs.items())]}
        A.put(os.path.join(dist, "gotool-2.0.0.tgz"), A.npm_tarball(
            "gotool", "2.0.0",
            [("bin/" + name, program, 0o755)
             for name, program in sorted(programs.items())] +
            [("sbom.cdx.json", json.dumps(doc).encode(), 0o644)]))
        s = run_ok(t, "dist", cwd=base).sbom
        gopls_main = {"golang.org/x/tools/gopls": (
            "v0.14.2", "pkg:golang/golang.org/x/tools/gopls@v0.14.2")}
        for name, main, modules in (
                ("gotool", "example.com/tool", MODULES),
                ("gopls", "golang.org/x/tools/gopls",
                 dict(GOPLS_DEPS, **gopls_main))):
            c = at(s, "dist/gotool-2.0.0.tgz!/package/bin/" + name)
            check((c.get("purl"), c.get("version")) ==
                  ("pkg:generic/%s-core@2.0.0" % name, "2.0.0"), c)
            check(identity_of(c, "purl")[0] == "attestation", c["evidence"])
            check(not h.props(c, "bindep:embedded:purl") and
                  not h.props(c, "bindep:conflict:version"),
                  "ours was the main module's only: %r" % c.get("properties"))
            check(c["name"] == main, c["name"])
            check(go_static(s, c) == modules, go_static(s, c))

    @case
    def go_crlf_module_list_read_as_go_reads_it(t):
        """A module list written with CRLF line ends and control
        characters, as no toolchain writes one: each module line keeps
        the '\\r' in its last field as Go's ParseBuildInfo keeps it (the
        program's main module version v1.0.0\\r, a go.sum hash h1:...=\\r),
        an ESC in a module path stays; every document is valid, a purl
        percent-encodes them (%0D, %1B), the text view and the summary
        show them escaped ("\\x0d"). The build line, which Go refuses
        with the whole list, is skipped with one warning that says so."""
        d = h.fresh_dir(t, "go", "crlf")
        text = (b"path\texample.com/tool/cmd/tool\r\n"
                b"mod\texample.com/tool\tv1.0.0\r\n"
                b"dep\tgithub.com/BurntSushi/toml\tv1.3.2\th1:toml=\r\n"
                b"dep\tgolang.org/x/sys\tv0.1.0\r\n"
                b"dep\tgithub.com/esc\x1b[31m/mod\tv1.2.0\th1:esc=\n"
                b"build\tGOOS=linux\r\n")
        G.elf_with_blob(d, "tool", blob(text=text))
        base = os.path.dirname(d)
        r = t.run("crlf", cwd=base)
        check(r.code == 0, r.err.decode()[-600:])
        check(r.warnings() == [
            "bindep-sbom: warning: 'crlf/tool': Go build info: module list "
            "line 6: a build setting with an unquoted carriage return, "
            "which Go refuses with the whole list, skipping it"],
            r.warnings())
        s = r.sbom
        tool = at(s, "crlf/tool")
        check((tool["name"], tool.get("version"), tool.get("purl")) ==
              ("example.com/tool", "v1.0.0\r",
               "pkg:golang/example.com/tool@v1.0.0%0D"), tool)
        check(h.prop(tool, "bindep:go-path") ==
              "example.com/tool/cmd/tool\r", "the path as Go reads it")
        check(not h.props(tool, "bindep:go-build:GOOS"), "the line skipped")
        held = {name: (c.get("version"), c.get("purl"), h.props(
            c, "bindep:go-sum")) for name, c in
            h.statically_held(s, tool).items()}
        check(held == {
            "github.com/BurntSushi/toml": (
                "v1.3.2", "pkg:golang/github.com/BurntSushi/toml@v1.3.2",
                ["h1:toml=\r"]),
            "golang.org/x/sys": (
                "v0.1.0\r", "pkg:golang/golang.org/x/sys@v0.1.0%0D", []),
            "github.com/esc\x1b[31m/mod": (
                "v1.2.0", "pkg:golang/github.com/esc%1B%5B31m/mod@v1.2.0",
                ["h1:esc="]),
            "stdlib": ("1.21.5", "pkg:golang/stdlib@1.21.5", [])}, held)
        text = run_ok_warned(t, "crlf", "--format", "text", cwd=base)
        summary = run_ok_warned(t, "crlf", "--format", "summary", cwd=base)
        for out in (text, summary):
            check(b"\r" not in out and b"\x1b" not in out, out)
        check(b"crlf/tool  pkg:golang/example.com/tool@v1.0.0%0D\n" in text
              and b"    github.com/esc\\x1b[31m/mod => (compiled in)"
              in text, text.decode())
        rows = [line.split() for line in summary.decode().splitlines()]
        check(["example.com/tool", "v1.0.0\\x0d", "scanned", "go",
               "example.com/tool", "unknown", "1"] in rows and
              ["golang.org/x/sys", "v0.1.0\\x0d", "static", "go",
               "golang.org/x/sys", "unknown", "1"] in rows, summary.decode())
        cdx, _ = h.formats_agree(t, "crlf", cwd=base)
        check(at(cdx, "crlf/tool")["version"] == "v1.0.0\r", "CycloneDX")

    def run_ok_warned(t, *args, **kw):
        """The output of a run that succeeds with warnings."""
        r = t.run(*args, **kw)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err.decode()[-800:]))
        return r.raw
