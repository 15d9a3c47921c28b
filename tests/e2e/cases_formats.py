"""End-to-end cases of the output formats: SPDX 2.3, the text view, and
golden files of all three (registered by run.py).

Golden files live in tests/e2e/golden/. They are made from a root built here
by elfgen, byte for byte the same on every machine. After an intended change
of the output, regenerate them with BD_UPDATE_GOLDEN=1 and review the diff.
"""
import collections
import difflib
import os
import pty
import re
import shutil
import select
import subprocess
import urllib.parse

import elfgen as E

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
SDE = {"SOURCE_DATE_EPOCH": "1700000000"}
SDE_TIME = "2023-11-14T22:13:20Z"
ESC = b"\x1b["


def register(case, h):
    check = h.check

    # ---- reading SPDX ----------------------------------------------------

    def packages(doc):
        return [p for p in doc["packages"] if p["SPDXID"] != "SPDXRef-Target"]

    def refs(pkg, rtype):
        return [r["referenceLocator"] for r in pkg.get("externalRefs", [])
                if r["referenceType"] == rtype]

    def sha256_of(pkg):
        return [c["checksumValue"] for c in pkg.get("checksums", [])
                if c["algorithm"] == "SHA256"]

    def annotations(pkg):
        return [a["comment"] for a in pkg.get("annotations", [])]

    def relations(doc):
        return {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
                for r in doc["relationships"]}

    # ---- one CycloneDX component, one SPDX package --------------------

    def cdx_key(c):
        hashes = [x["content"] for x in c.get("hashes", [])]
        locs = h.locations(c)
        return (c["name"], c.get("version"), hashes[0] if hashes else None,
                c.get("purl"), locs[0] if locs else None)

    def spdx_key(p):
        purls = refs(p, "purl")
        shas = sha256_of(p)
        # NTIA (issue 15): SPDX says NOASSERTION where CycloneDX omits it.
        version = p["versionInfo"]
        return (p["name"], None if version == "NOASSERTION" else version,
                shas[0] if shas else None,
                purls[0] if purls else None, p.get("packageFileName"))

    def pair_up(cdx, spdx):
        """bom-ref -> SPDX package, checking the match is one to one."""
        by_key = collections.defaultdict(list)
        for p in packages(spdx):
            by_key[spdx_key(p)].append(p)
        pairs = {}
        for c in h.comps(cdx):
            found = by_key.get(cdx_key(c), [])
            check(len(found) == 1, "%r: %d SPDX packages" % (cdx_key(c), len(found)))
            pairs[c["bom-ref"]] = found[0]
        check(len(packages(spdx)) == len(h.comps(cdx)),
              "%d packages for %d components" % (len(packages(spdx)), len(h.comps(cdx))))
        return pairs

    def same_facts(c, p):
        """Everything CycloneDX says of a component, SPDX says of its package."""
        name = c["name"]
        check(len(refs(p, "purl")) == (1 if "purl" in c else 0), "purl of %s" % name)
        check(refs(p, "cpe23Type") == ([c["cpe"]] if "cpe" in c else []), "cpe of %s" % name)
        lic = [x["expression"] for x in c.get("licenses", [])]
        check(p["licenseDeclared"] == (lic[0] if lic else "NOASSERTION"),
              "licence of %s: %r" % (name, p["licenseDeclared"]))
        ext = {(r["type"], r["url"]) for r in c.get("externalReferences", [])}
        check({("vcs", u) for u in refs(p, "vcs")} == {e for e in ext if e[0] == "vcs"},
              "vcs of %s" % name)
        check(p.get("homepage") == dict(ext).get("website"), "homepage of %s" % name)
        props = ["%s=%s" % (x["name"], x["value"]) for x in c.get("properties", [])]
        paths = ["bindep:path=%s" % loc for loc in h.locations(c)]
        check(annotations(p) == paths + props,
              "annotations of %s:\n%r\n%r" % (name, annotations(p), paths + props))
        for i in c.get("evidence", {}).get("identity", []):
            m = i["methods"][0]
            line = "%s %s: %s, confidence %g, from %s" % (
                i["field"], i["concludedValue"], m["technique"], m["confidence"],
                m["value"])
            check(line in p.get("sourceInfo", "").split("\n"),
                  "evidence of %s: %r not in %r" % (name, line, p.get("sourceInfo")))

    def same_edges(cdx, spdx, pairs):
        rel = relations(spdx)
        target = cdx["metadata"]["component"]["bom-ref"]
        ids = dict((ref, p["SPDXID"]) for ref, p in pairs.items())
        ids[target] = "SPDXRef-Target"
        said = set()
        listed = set()
        for d in cdx["dependencies"]:
            a = ids[d["ref"]]
            listed.add(d["ref"])
            if d["ref"] != target and not d["dependsOn"]:
                check((a, "DEPENDS_ON", "NONE") in rel, "%s needs nothing" % a)
            for to in d["dependsOn"]:
                b = ids[to]
                found = {x for x in ((a, "CONTAINS", b), (a, "DYNAMIC_LINK", b),
                                     (a, "DEPENDS_ON", b),
                                     (b, "OPTIONAL_DEPENDENCY_OF", a)) if x in rel}
                check(found, "edge %s -> %s missing from SPDX" % (d["ref"], to))
                if d["ref"] == target:
                    check(found == {(a, "CONTAINS", b)}, "target contains %s" % to)
                said |= found
        # Components without an entry have unknown dependencies.
        for ref, p in pairs.items():
            if ref not in listed:
                check((p["SPDXID"], "DEPENDS_ON", "NOASSERTION") in rel,
                      "%s: unknown dependencies" % p["name"])
        extra = {r for r in rel if r not in said and r[1] != "DESCRIBES" and
                 r[2] not in ("NONE", "NOASSERTION")}
        check(not extra, "SPDX edges CycloneDX lacks: %r" % sorted(extra)[:5])
        # Optional in CycloneDX: only OPTIONAL_DEPENDENCY_OF leads there.
        for c in h.comps(cdx):
            into = {r[1] for r in rel if (r[2] == ids[c["bom-ref"]] and r[1] != "CONTAINS")
                    or (r[0] == ids[c["bom-ref"]] and r[1] == "OPTIONAL_DEPENDENCY_OF")}
            if c.get("scope") == "optional":
                check(into == {"OPTIONAL_DEPENDENCY_OF"}, "%s optional" % c["name"])

    def ntia_unknown(cdx, element):
        """The bom-refs a CycloneDX composition says lack an NTIA element."""
        return {r for c in cdx.get("compositions", [])
                if c.get("bom-ref") == "ntia-%s-unknown" % element
                for r in c["assemblies"]}

    def ntia_elements(cdx, spdx, pairs):
        """NTIA's minimum elements (issue 15): in SPDX every package has a
        supplier and a version, a value or NOASSERTION; in CycloneDX a
        component has them or is named in the composition that says which is
        unknown; both formats say the same."""
        for p in spdx["packages"]:
            for key in ("supplier", "versionInfo"):
                check(p.get(key), "SPDX %s: no %s" % (p["name"], key))
        no_version = ntia_unknown(cdx, "version")
        no_supplier = ntia_unknown(cdx, "supplier")
        comps = h.comps(cdx) + [cdx["metadata"]["component"]]
        for c in comps:
            ref = c["bom-ref"]
            check(("version" in c) != (ref in no_version),
                  "%s: version %r, in the unknown-version composition: %s"
                  % (ref, c.get("version"), ref in no_version))
            check(("supplier" in c) != (ref in no_supplier),
                  "%s: supplier %r, in the unknown-supplier composition: %s"
                  % (ref, c.get("supplier"), ref in no_supplier))
        for ref, p in pairs.items():
            c = [x for x in h.comps(cdx) if x["bom-ref"] == ref][0]
            want = ("Organization: " + c["supplier"]["name"] if "supplier" in c
                    else "NOASSERTION")
            check(p["supplier"] == want, "%s: supplier %r, CycloneDX %r"
                  % (ref, p["supplier"], want))

    def formats_agree(t, *args, cwd=None):
        cdx = t.run("--format", "cyclonedx", *args, env=SDE, cwd=cwd)
        spdx = t.run("--format", "spdx", *args, env=SDE, cwd=cwd)
        check(cdx.code == 0 and spdx.code == 0, spdx.err)
        check(cdx.err == spdx.err, "the same warnings")
        pairs = pair_up(cdx.sbom, spdx.sbom)
        for c in h.comps(cdx.sbom):
            same_facts(c, pairs[c["bom-ref"]])
        same_edges(cdx.sbom, spdx.sbom, pairs)
        ntia_elements(cdx.sbom, spdx.sbom, pairs)
        cdx_purls = sorted(c["purl"] for c in h.comps(cdx.sbom) if "purl" in c)
        spdx_purls = sorted(u for p in packages(spdx.sbom) for u in refs(p, "purl"))
        check(cdx_purls == spdx_purls, "purls differ")
        return cdx.sbom, spdx.sbom

    # ---- SPDX -------------------------------------------------------------

    @case
    def spdx_document(t):
        out = os.path.join(t.work, "out.spdx.json")
        r = t.run("--format", "spdx", "-o", out, "/usr/bin/curl", "dist/", cwd=t.work)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        s = r.sbom  # validated against the schema and the spec's rules
        check(s["spdxVersion"] == "SPDX-2.3" and s["dataLicense"] == "CC0-1.0", "header")
        check(s["creationInfo"]["creators"] == ["Tool: bindep-sbom-%s" % version(t)],
              s["creationInfo"])
        ns = urllib.parse.urlsplit(s["documentNamespace"])
        check(ns.scheme == "https" and re.search(
            r"/curl-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
            ns.path), s["documentNamespace"])
        rel = relations(s)
        check(("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Target") in rel, "DESCRIBES")
        target = [p for p in s["packages"] if p["SPDXID"] == "SPDXRef-Target"][0]
        check(target["name"] == "curl", target)
        curl = [p for p in packages(s) if p["name"] == "curl"][0]
        libcurl = [p for p in packages(s) if p["name"] == "libcurl.so.4"][0]
        check((curl["SPDXID"], "DYNAMIC_LINK", libcurl["SPDXID"]) in rel, "curl links libcurl")
        check(("SPDXRef-Target", "CONTAINS", curl["SPDXID"]) in rel, "target contains curl")
        check(refs(libcurl, "purl")[0].startswith("pkg:deb/debian/libcurl4@"), libcurl)
        check(libcurl["supplier"] == "Organization: Debian", libcurl.get("supplier"))
        check(sha256_of(curl) == [h.sha256("/usr/bin/curl")], "curl's hash")
        for p in packages(s):
            for r_ in p.get("externalRefs", []):
                if r_["referenceType"] == "purl":
                    check(r_["referenceCategory"] == "PACKAGE-MANAGER", r_)
        # The fixture tree's dlopen notes: optional dependencies.
        plugin = [p for p in packages(s) if p["name"] == "libplugin.so.1"][0]
        loader = [p for p in packages(s) if p["name"] == "libloader.so.1"][0]
        check((plugin["SPDXID"], "OPTIONAL_DEPENDENCY_OF", loader["SPDXID"]) in rel,
              "dlopen note")
        missing = [p for p in packages(s) if p["name"] == "libmissing.so.2"][0]
        check((missing["SPDXID"], "DEPENDS_ON", "NOASSERTION") in rel, "unresolved")
        check("bindep:resolved=false" in annotations(missing), annotations(missing))
        # Another input, another namespace.
        other = t.run("--format", "spdx", "dist/", cwd=t.work).sbom
        check(other["documentNamespace"] != s["documentNamespace"], "unique namespace")

    def version(t):
        return subprocess.run([t.binary, "--version"], capture_output=True,
                              text=True).stdout.split()[1]

    @case
    def formats_agree_on_fixtures_and_system(t):
        formats_agree(t, "dist", cwd=t.work)
        formats_agree(t, "/usr/bin/curl", "dist/", cwd=t.work)
        formats_agree(t, "/usr/lib/systemd/systemd")
        formats_agree(t, "--root", golden_root(t))
        # Licences, CPEs, references, vendored and bundled-in copies.
        cdx, spdx = formats_agree(t, h.wheel_tree(t))
        z = [p for p in packages(spdx) if p["name"] == "libz-7e2a72b4.so.1.2.13"][0]
        check(z["licenseDeclared"] == "Zlib" and
              z["downloadLocation"] == "https://github.com/madler/zlib", z)
        check("bindep:bundled-in=pkg:pypi/demo-pkg@1.0" in annotations(z), annotations(z))

    @case
    def spdx_and_text_are_deterministic(t):
        for fmt in ("spdx", "text"):
            a = t.run("--format", fmt, "/usr/bin/curl", "dist", env=SDE, cwd=t.work)
            b = t.run("--format", fmt, "/usr/bin/curl", "dist", env=SDE, cwd=t.work)
            check(a.code == 0 and a.raw == b.raw, "%s: same input, same bytes" % fmt)
            check(b"\n" in a.raw, fmt)
        s = t.run("--format", "spdx", "dist", env=SDE, cwd=t.work).sbom
        check(s["creationInfo"]["created"] == SDE_TIME, s["creationInfo"])
        check({a["annotationDate"] for p in packages(s)
               for a in p.get("annotations", [])} == {SDE_TIME}, "annotation dates")
        serial = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
        given = t.run("--format", "spdx", "--serial", serial, "dist", cwd=t.work).sbom
        check(given["documentNamespace"].endswith("/dist-" + serial[9:]),
              given["documentNamespace"])

    # ---- text ---------------------------------------------------------------

    def text(t, *args, env=None, cwd=None):
        r = t.run("--format", "text", "-o", "-", *args, env=env, cwd=cwd)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        return r.out.decode()

    @case
    def text_view_of_curl(t):
        purls = {c["name"]: c["purl"] for c in h.comps(t.run("/usr/bin/curl").sbom)}
        out = text(t, "/usr/bin/curl")
        lines = out.splitlines()
        check(lines[0] == "/usr/bin/curl  " + purls["curl"], lines[0])
        check(lines[1].startswith("    ld-linux-x86-64.so.2 => /lib64/ld-linux-x86-64.so.2"
                                  "  [interpreter]"), lines[1])
        want = re.compile(r"    libcurl\.so\.4 => /\S+/libcurl\.so\.4  \[ld\.so\.cache\]  "
                          + re.escape(purls["libcurl.so.4"]))
        check(any(want.fullmatch(x) for x in lines), out[:2000])
        check(ESC.decode() not in out, "no colour into a pipe")
        check(re.fullmatch(r"1 file scanned, %d components, 0 not found, 0 unidentified"
                           % len(purls), lines[-1]), lines[-1])

    @case
    def text_view_marks_optional_and_missing(t):
        out = text(t, "dist/lib", cwd=t.work)
        check("\n    libmissing.so.2 => not found  [dlopen, optional: recommended, "
              "feature compression]\n" in out, out)
        check(re.search(r"\n    libplugin\.so\.1 => dist/lib/libplugin\.so\.1  "
                        r"\[dlopen, optional: \w+", out), out)
        check(re.search(r"\n5 files scanned, 8 components, 2 not found, 4 unidentified\n$",
                        out), out[-200:])

    def on_terminal(t, *args, env=None):
        """Run with standard output a pseudo-terminal; return its bytes."""
        pid, fd = pty.fork()
        if pid == 0:
            os.environ.pop("NO_COLOR", None)
            os.environ["TERM"] = "xterm"
            os.environ.update(env or {})
            os.chdir(t.work)
            os.execv(t.binary, [t.binary] + list(args))
        out = b""
        while True:
            ready, _, _ = select.select([fd], [], [], 60)
            try:
                chunk = os.read(fd, 65536) if ready else b""
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                break
            out += chunk
        _, status = os.waitpid(pid, 0)
        check(os.waitstatus_to_exitcode(status) == 0, out[-500:])
        return out

    @case
    def text_colour_only_on_a_terminal(t):
        args = ("--format", "text", "dist/lib")
        check(ESC in on_terminal(t, *args), "auto: colour on a terminal")
        check(ESC not in on_terminal(t, *args, env={"NO_COLOR": "1"}), "NO_COLOR")
        check(ESC not in on_terminal(t, *args, env={"TERM": "dumb"}), "TERM=dumb")
        check(ESC not in on_terminal(t, "--color=never", *args), "never")
        check(ESC not in on_terminal(t, "-o", "view.txt", *args), "to a file")
        with open(os.path.join(t.work, "view.txt"), "rb") as f:
            check(ESC not in f.read(), "the file has no colour")
        piped = text(t, "--color=always", "dist/lib", cwd=t.work).encode()
        check(b"\x1b[1;31mnot found\x1b[0m" in piped, "always: colour into a pipe")
        check(b"\x1b[" not in t.run("--color=always", "dist/lib", cwd=t.work).raw,
              "no colour in JSON")

    # ---- golden files -----------------------------------------------------

    STATUS = """Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u4

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.13.dfsg-1

Package: libzstd1
Status: install ok installed
Architecture: amd64
Source: libzstd
Version: 1.5.4+dfsg2-5
"""
    LISTS = {
        "libc6:amd64": ["/lib/x86_64-linux-gnu/libc.so.6",
                        "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                        "/lib64/ld-linux-x86-64.so.2"],
        "zlib1g:amd64": ["/lib/x86_64-linux-gnu/libz.so.1",
                         "/lib/x86_64-linux-gnu/libz.so.1.2.13"],
        "libzstd1:amd64": ["/lib/x86_64-linux-gnu/libzstd.so.1",
                           "/lib/x86_64-linux-gnu/libzstd.so.1.5.4"],
    }
    MAPPING = """# The golden root's own registry: the output must not follow the
# shipped one.
libraries:
  - name: "zlib"
    purl: "pkg:github/madler/zlib"
    repository: "https://github.com/madler/zlib"
    homepage: "https://zlib.net/"
    license: "Zlib"
    cpe: "cpe:2.3:a:zlib:zlib"
    files: ["libz.so.*"]
    version:
      - filename: "libz.so.{version}"
    sources:
      debian: ["zlib"]
    examples: ["libz.so.1.2.13"]
    example-version: "1.2.13"
  - name: "brotli"
    purl: "pkg:github/google/brotli"
    repository: "https://github.com/google/brotli"
    license: "MIT"
    files: ["libbrotlicommon.so.*"]
    version:
      - filename: "libbrotlicommon.so.{version}"
    examples: ["libbrotlicommon.so.1.1.0"]
    example-version: "1.1.0"
"""

    def put(root, path, data):
        full = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w" if isinstance(data, str) else "wb") as f:
            f.write(data)

    def link(root, path, target):
        full = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        os.symlink(target, full)

    def golden_root(t):
        """An app, its own libraries, one vendored copy, a Debian base."""
        root = os.path.join(t.work, "roots", "golden")
        if os.path.isdir(root):
            return root
        lib = "/lib/x86_64-linux-gnu"
        loader = "/lib64/ld-linux-x86-64.so.2"
        build_id = ("GNU", E.NT_GNU_BUILD_ID, bytes(range(20)))
        pkg_note = E.json_note(E.NT_FDO_PACKAGING_METADATA,
                               '{"type":"deb","os":"debian","name":"golden-app",'
                               '"version":"2.0-1","architecture":"amd64"}')
        dlopen_note = E.json_note(
            E.NT_FDO_DLOPEN_METADATA,
            '[{"soname":["libzstd.so.1"],"feature":"zstd","priority":"recommended",'
            '"description":"zstd compression"},'
            '{"soname":["libfido2.so.1","libfido2.so.0"],"feature":"fido2",'
            '"priority":"suggested"}]')
        put(root, "/usr/bin/app", E.build(
            etype=E.ET_DYN, interp=loader, runpath="$ORIGIN/../lib/app",
            needed=["libfoo.so.1", "libz.so.1", "libc.so.6"],
            notes=[build_id, pkg_note, dlopen_note])[0])
        put(root, "/usr/lib/app/libfoo.so.1", E.build(
            soname="libfoo.so.1", runpath="$ORIGIN",
            needed=["libbrotlicommon.so.1", "libmissing.so.3", "libc.so.6"])[0])
        put(root, "/usr/lib/app/libbrotlicommon.so.1.1.0", E.build(
            soname="libbrotlicommon.so.1", needed=["libc.so.6"])[0])
        link(root, "/usr/lib/app/libbrotlicommon.so.1", "libbrotlicommon.so.1.1.0")
        put(root, lib + "/libc.so.6", E.build(
            soname="libc.so.6", needed=["ld-linux-x86-64.so.2"], interp=loader)[0])
        put(root, lib + "/ld-linux-x86-64.so.2",
            E.build(soname="ld-linux-x86-64.so.2")[0])
        link(root, loader, lib + "/ld-linux-x86-64.so.2")
        put(root, lib + "/libz.so.1.2.13",
            E.build(soname="libz.so.1", needed=["libc.so.6"])[0])
        link(root, lib + "/libz.so.1", "libz.so.1.2.13")
        put(root, lib + "/libzstd.so.1.5.4",
            E.build(soname="libzstd.so.1", needed=["libc.so.6"])[0])
        link(root, lib + "/libzstd.so.1", "libzstd.so.1.5.4")
        put(root, "/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n")
        put(root, "/etc/ld.so.conf.d/x86_64-linux-gnu.conf", lib + "\n")
        put(root, "/etc/os-release", 'ID=debian\nVERSION_ID="12"\n')
        put(root, "/var/lib/dpkg/status", STATUS)
        for pkg, files in LISTS.items():
            put(root, "/var/lib/dpkg/info/%s.list" % pkg, "\n".join(files) + "\n")
        put(root, "/mappings/golden.yml", MAPPING)
        return root

    h.golden_root = golden_root  # the online cases scan it too

    def normalise(data):
        """What changes with each release without the output being wrong:
        the version, and the document UUIDs derived from it."""
        data = data.replace(b"bindep-sbom-" + version(h.T).encode(),
                            b"bindep-sbom-@VERSION@")
        data = re.sub(rb'("name":\s+"bindep-sbom",\s+"version":\s+)"[^"]+"',
                      rb'\1"@VERSION@"', data)
        return re.sub(rb"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                      rb"[0-9a-f]{12}", b"@UUID@", data)

    def compare_golden(name, data):
        path = os.path.join(GOLDEN, name)
        data = normalise(data)
        if os.environ.get("BD_UPDATE_GOLDEN"):
            os.makedirs(GOLDEN, exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            return
        check(os.path.exists(path), "%s missing: run with BD_UPDATE_GOLDEN=1" % path)
        with open(path, "rb") as f:
            want = f.read()
        if want != data:
            diff = difflib.unified_diff(
                want.decode().splitlines(), data.decode().splitlines(),
                "golden/" + name, "output", lineterm="", n=2)
            raise h.Failure("%s differs (BD_UPDATE_GOLDEN=1 to accept):\n%s"
                            % (name, "\n".join(list(diff)[:60])))

    h.compare_golden = compare_golden  # the views' cases have theirs too

    @case
    def golden_outputs(t):
        h.T = t
        root = golden_root(t)
        # Relative paths: nothing of this machine's may be in the output.
        common = ("--root", ".", "--mappings-dir", "mappings", "--source-name",
                  "golden", "--source-version", "2.0", "usr")
        for fmt, name in (("cyclonedx", "golden.cdx.json"),
                          ("spdx", "golden.spdx.json"), ("text", "golden.txt")):
            r = t.run("--format", fmt, "-o", "-", *common, env=SDE, cwd=root,
                      validate_sbom=fmt != "text")
            check(r.code == 0 and not r.err, "%s: exit %d: %s" % (fmt, r.code, r.err))
            check((r.sbom is not None) == (fmt != "text"), "validated by t.run")
            compare_golden(name, r.out)
        with open(os.path.join(GOLDEN, "golden.txt"), encoding="utf-8") as f:
            view = f.read()
        check(view.startswith("/usr/bin/app  pkg:deb/debian/golden-app@2.0-1"), view[:200])
        check("libmissing.so.3 => not found" in view, "missing shown")
        check("libfido2.so.1 => not found  [dlopen, optional: suggested, feature fido2]"
              in view, "optional missing shown")

    # ---- no machine paths (issue 15, point 4) -----------------------------

    @case
    def same_bytes_from_two_install_prefixes(t):
        """The program and its registry installed under two prefixes, as
        `make install` lays them out beside each other: the same input
        with the same SOURCE_DATE_EPOCH gives the same bytes, in both
        formats. Evidence names the registry file inside the registry
        ("mappings/compression.yml:6"), and a relative input stays
        relative: nothing of either prefix or of the work directory."""
        repo_mappings = os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                     "mappings")
        progs = []
        for prefix in ("p1/bin", "p2/opt/tool/libexec"):
            d = os.path.join(t.work, "prefixes", prefix)
            os.makedirs(d)
            shutil.copy2(t.binary, d)
            shutil.copytree(repo_mappings, os.path.join(d, "mappings"))
            progs.append(os.path.join(d, os.path.basename(t.binary)))
        vendor = os.path.join(t.work, "prefix-input", "vendor")
        os.makedirs(vendor)
        shutil.copy2(os.path.realpath("/usr/lib/x86_64-linux-gnu/libz.so.1"),
                     os.path.join(vendor, "libz.so.1.2.13"))
        cwd = os.path.dirname(vendor)
        for fmt in ("cyclonedx", "spdx"):
            a, b = (t.run("--format", fmt, "vendor", env=SDE, cwd=cwd,
                          binary=p) for p in progs)
            check(a.code == 0 and b.code == 0, a.err + b.err)
            check(a.raw == b.raw, "%s: the install prefix shows" % fmt)
            text = a.raw.decode()
            for leak in (t.work, os.path.join(t.work, "prefixes")):
                check(leak not in text, "%s: %r in the output" % (fmt, leak))
            check(re.search(r"mappings/compression\.yml:[0-9]+: zlib: files",
                            text), "%s: evidence names no registry line" % fmt)
            check('"vendor/libz.so.1.2.13"' in text or
                  "bindep:path=vendor/libz.so.1.2.13" in text,
                  "%s: the relative input is not relative" % fmt)
