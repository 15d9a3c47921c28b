"""End-to-end cases of the licence a build states in its own strings
(mappings/README.md, license-strings), registered by run.py.

FFmpeg's configure writes FFMPEG_LICENSE from --enable-gpl,
--enable-version3 and --enable-nonfree, and each library keeps it after
its name for avcodec_license() and its siblings: "libavcodec license: GPL
version 2 or later" in Debian's build, whose registry licence
(LGPL-2.1-or-later, the default build's) was wrong for it. The libraries
and programs here are compiled at test time, the string laid out as
FFmpeg's libavcodec/utils.c lays it out; Debian's own libavcodec is read
from contrib/fetch-real-fixtures' files or this machine's, where there.
"""
import json
import os
import re
import subprocess

import artifact_fixtures as A

CC = os.environ.get("CC", "cc")
LIB = "/usr/lib/x86_64-linux-gnu"
# The words configure writes, and the expression each means.
WORDS = {
    "LGPL version 2.1 or later": "LGPL-2.1-or-later",
    "GPL version 2 or later": "GPL-2.0-or-later",
    "LGPL version 3 or later": "LGPL-3.0-or-later",
    "GPL version 3 or later": "GPL-3.0-or-later",
    "nonfree and unredistributable": "LicenseRef-FFmpeg-nonfree-unredistributable",
}
NONFREE = WORDS["nonfree and unredistributable"]
# The planned read of a file past 256 KiB (BD_SCAN_WHOLE) streams it after
# its first 4 KiB (BD_SCAN_HEAD) in pieces of 64 KiB (BD_SCAN_CHUNK).
HEAD, CHUNK = 4096, 65536


def library_source(lib, words, version="5.1.9-0+deb12u1", tail=""):
    """A library as FFmpeg's lays out its licence and version: the
    licence string whole in the read-only data (its function returns
    the words after the prefix), words None for none."""
    short = lib[3:]
    src = ['const char %s_ffversion[] = "FFmpeg version %s";' % (short, version),
           "const char *%s_version_string(void) { return %s_ffversion; }"
           % (short, short)]
    if words is not None:
        src += ['#define LICENSE_PREFIX "%s license: "' % lib,
                "const char *%s_license(void)" % short,
                "{ return &LICENSE_PREFIX \"%s%s\"[sizeof(LICENSE_PREFIX) - 1]; }"
                % (words, tail)]
    return "\n".join(src) + "\n"


def compile_so(d, path, soname, source):
    """Compiles source into the shared object path (under d) named
    soname; returns its full path."""
    full = os.path.join(d, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    src = full + ".c"
    with open(src, "w") as f:
        f.write(source)
    subprocess.run([CC, "-shared", "-fPIC", "-O1", "-o", full, src,
                    "-Wl,-soname," + soname], check=True)
    os.unlink(src)
    return full


def ffmpeg_lib(d, path, words, lib="libavcodec", soname="libavcodec.so.59",
               tail=""):
    return compile_so(d, path, soname, library_source(lib, words, tail=tail))


def expressions(c):
    return [x.get("expression") for x in c.get("licenses", [])]


def register(case, h):
    check = h.check

    def one_at(sbom, path):
        found = [c for c in h.comps(sbom)
                 if any(loc.endswith(path) for loc in h.locations(c))]
        check(len(found) == 1, "%s: %d components" % (path, len(found)))
        return found[0]

    def stated(c, expr, lib="libavcodec", words=None):
        """c's licence is expr, read from its own string."""
        words = words or [w for w, e in WORDS.items() if e == expr][0]
        check(expressions(c) == [expr] and
              c["licenses"][0].get("acknowledgement") == "declared",
              "%s: licences %r, want %s" % (c["name"], c.get("licenses"), expr))
        source = h.prop(c, "bindep:license-source") or ""
        want = r'mappings/media\.yml:\d+: %s: license-strings "%s license: %s"$' % (
            lib, lib, re.escape(words))
        check(re.match(want, source), "%s: source %r" % (c["name"], source))
        check(c.get("evidence", {}).get("licenses") == [{"expression": expr}],
              "%s: evidence %r" % (c["name"], c.get("evidence")))

    def defaulted(c, expr):
        """c's licence is the registry's, with no word of a string."""
        check(expressions(c) == [expr], "%s: licences %r, want the registry's %s"
              % (c["name"], c.get("licenses"), expr))
        check(not h.props(c, "bindep:license-source"),
              "%s: %r" % (c["name"], c.get("properties")))
        check("licenses" not in c.get("evidence", {}), c.get("evidence"))

    @case
    def license_strings_say_the_build(t):
        """A libavcodec.so.59 whose read-only data says "libavcodec
        license: GPL version 2 or later" is GPL-2.0-or-later (the
        string's, bindep:license-source naming the rule and the string,
        CycloneDX evidence.licenses), not the registry's
        LGPL-2.1-or-later; each of configure's words gives its licence,
        the LGPL build's stays LGPL, now said by its string; a nonfree
        build is the registry's LicenseRef-, which SPDX defines in the
        document. A build without the string, or one whose string goes
        on past the words, keeps the registry's licence; libpostproc's
        is GPL-2.0-or-later, which it is built under only."""
        d = h.fresh_dir(t, "licence", "builds")
        for i, words in enumerate(WORDS):
            ffmpeg_lib(d, "w%d/libavcodec.so.59" % i, words)
        ffmpeg_lib(d, "none/libavcodec.so.59", None)
        ffmpeg_lib(d, "runon/libavcodec.so.59", "GPL version 2 or later",
                   tail=" and more")
        ffmpeg_lib(d, "util/libavutil.so.57", "GPL version 3 or later",
                   lib="libavutil", soname="libavutil.so.57")
        compile_so(d, "pp/libpostproc.so.56", "libpostproc.so.56",
                   "int pp_nothing(void) { return 0; }\n")
        r = t.run("-q", d)
        check(r.code == 0 and not r.err, r.err)
        for i, (words, expr) in enumerate(WORDS.items()):
            c = one_at(r.sbom, "w%d/libavcodec.so.59" % i)
            stated(c, expr, words=words)
            check(c.get("version") == "5.1.9", "%s: version %r" % (words, c.get("version")))
        stated(one_at(r.sbom, "util/libavutil.so.57"), "GPL-3.0-or-later",
               lib="libavutil")
        defaulted(one_at(r.sbom, "none/libavcodec.so.59"), "LGPL-2.1-or-later")
        defaulted(one_at(r.sbom, "runon/libavcodec.so.59"), "LGPL-2.1-or-later")
        defaulted(one_at(r.sbom, "pp/libpostproc.so.56"), "GPL-2.0-or-later")
        # SPDX 2.3: the declared licence; the source as an annotation;
        # the LicenseRef- defined once.
        r = t.run("-q", "--format", "spdx", d)
        check(r.code == 0, r.err)
        pkgs = {p["packageFileName"]: p for p in r.sbom["packages"]
                if p.get("packageFileName")}
        gpl = [p for f, p in pkgs.items() if f.endswith("w1/libavcodec.so.59")][0]
        check(gpl["licenseDeclared"] == "GPL-2.0-or-later", gpl)
        notes = [a["comment"] for a in gpl.get("annotations", [])]
        check(any(n.startswith("bindep:license-source=mappings/media.yml:")
                  for n in notes), notes)
        nonfree = [p for f, p in pkgs.items() if f.endswith("w4/libavcodec.so.59")][0]
        check(nonfree["licenseDeclared"] == NONFREE, nonfree)
        refs = [x["licenseId"] for x in r.sbom.get("hasExtractedLicensingInfos", [])]
        check(refs.count(NONFREE) == 1, refs)

    @case
    def license_string_after_a_long_run_of_another(t):
        """A library whose read-only data says one licence string 70,000
        times, then another: the run is read as one match, not 70,000 of
        BD_STRHITS_MAX_READ's 65,536, so the second licence is found
        (their AND, the strings' disagreement said, no cap) where it was
        lost past the cap. (Strings taking turns still meet the cap:
        unit test_run_of_one_string_read_once.)"""
        d = h.fresh_dir(t, "licence", "runs")
        gpl2, gpl3 = ("libavcodec license: %s" % w for w in
                      ("GPL version 2 or later", "GPL version 3 or later"))
        lib = compile_so(d, "run/libavcodec.so.59", "libavcodec.so.59",
                         library_source("libavcodec", None) +
                         '__asm__(".section .rodata\\n.rept 70000\\n'
                         '.asciz \\"%s\\"\\n.endr\\n.asciz \\"%s\\"\\n'
                         '.previous\\n");\n' % (gpl2, gpl3))
        r = t.run(os.path.join(d, "run"))
        check(r.code == 0, r.err)
        c = one_at(r.sbom, "run/libavcodec.so.59")
        check(expressions(c) == ["GPL-2.0-or-later AND GPL-3.0-or-later"] and
              not h.props(c, "bindep:error"), c)
        check(r.warnings() == [
            "bindep-sbom: warning: '%s': libavcodec's licence strings disagree "
            "('GPL-2.0-or-later', 'GPL-3.0-or-later'): taking both, "
            "GPL-2.0-or-later AND GPL-3.0-or-later" % lib], r.warnings())

    @case
    def license_string_across_read_chunks(t):
        """A library past 256 KiB is read in pieces of 64 KiB as it
        streams: its licence string cut by a piece's end, the words in
        one piece and their NUL in the next, or the prefix in one and the
        words in the next, is read as a whole."""
        d = h.fresh_dir(t, "licence", "chunks")
        words = "GPL version 3 or later"
        text = "libavcodec license: " + words

        def build(name, pad):
            src = ("struct blob { char pad[%d]; char text[%d]; };\n"
                   "const struct blob av_blob = { { 0 }, \"%s\" };\n"
                   "const char *avcodec_license(void) "
                   "{ return av_blob.text + 20; }\n" % (pad, len(text) + 1, text))
            path = compile_so(d, name, "libavcodec.so.59", src)
            with open(path, "rb") as f:
                data = f.read()
            return path, data.find(text.encode() + b"\0"), len(data)

        cuts = [1, 20, len(text)]  # bytes of the string before the cut
        pad = 300 * 1024
        _, at, size = build("probe/libavcodec.so.59", pad)
        check(at > HEAD and size > 256 * 1024, "laid out at %d of %d" % (at, size))
        for k, cut in enumerate(cuts):
            # The next piece's start past the string's, then the string
            # moved so that cut of its bytes come before it.
            edge = HEAD + ((at - HEAD) // CHUNK + 1 + k) * CHUNK
            path, got, _ = build("cut%d/libavcodec.so.59" % cut, pad + edge - cut - at)
            check(got == edge - cut, "cut %d: the string at %d, want %d"
                  % (cut, got, edge - cut))
        r = t.run("-q", d)
        check(r.code == 0 and not r.err, r.err)
        stated(one_at(r.sbom, "probe/libavcodec.so.59"), "GPL-3.0-or-later")
        for cut in cuts:
            stated(one_at(r.sbom, "cut%d/libavcodec.so.59" % cut), "GPL-3.0-or-later")

    @case
    def license_string_of_a_static_copy(t):
        """A program that holds FFmpeg's libavcodec (its "FFmpeg version
        5.1.9" string) and its licence string has a static component of
        that licence: a GPL build and an LGPL build of the same version
        are two components, each with an edge from its program; a copy
        that states none keeps the registry's."""
        d = h.fresh_dir(t, "licence", "static")
        progs = {"ffmpeg-gpl3": "GPL version 3 or later",
                 "ffmpeg-lgpl": "LGPL version 2.1 or later",
                 "ffmpeg-plain": None}
        for name, words in progs.items():
            src = os.path.join(d, name + ".c")
            with open(src, "w") as f:
                f.write(library_source("libavcodec", words, version="5.1.9")
                        + "#include <stdio.h>\nint main(void) { puts("
                        "avcodec_version_string()); %s return 0; }\n"
                        % ("puts(avcodec_license());" if words else ""))
            subprocess.run([CC, "-O1", "-o", os.path.join(d, name), src], check=True)
            os.unlink(src)
        r = t.run("-q", d)
        check(r.code == 0 and not r.err, r.err)
        comps = {c["bom-ref"]: c for c in h.comps(r.sbom)}
        deps = {x["ref"]: x.get("dependsOn", []) for x in r.sbom["dependencies"]}
        held = {}
        for name in progs:
            prog = one_at(r.sbom, "/" + name)
            statics = [comps[x] for x in deps.get(prog["bom-ref"], [])
                       if h.props(comps[x], "bindep:linkage") == ["static"]]
            check(len(statics) == 1 and statics[0]["name"] == "libavcodec",
                  "%s holds %r" % (name, [c["name"] for c in statics]))
            held[name] = statics[0]
        stated(held["ffmpeg-gpl3"], "GPL-3.0-or-later")
        stated(held["ffmpeg-lgpl"], "LGPL-2.1-or-later")
        defaulted(held["ffmpeg-plain"], "LGPL-2.1-or-later")
        refs = {c["bom-ref"] for c in held.values()}
        check(len(refs) == 3, "three copies: %r" % refs)
        check(held["ffmpeg-plain"]["bom-ref"] == "static:libavcodec@5.1.9",
              held["ffmpeg-plain"]["bom-ref"])
        for c in held.values():
            check(c.get("version") == "5.1.9" and
                  c.get("purl") == "pkg:github/ffmpeg/ffmpeg@5.1.9", c)

    @case
    def license_string_names_a_static_copy(t):
        """A licence string names its library as a marker does: a
        program that holds "libswscale license: LGPL version 2.1 or
        later" and no version of it holds libswscale, without a version,
        LGPL-2.1-or-later by that string (evidence: the string). A
        program that only links libswscale.so.6 holds none: the string
        is in the library."""
        d = h.fresh_dir(t, "licence", "named")
        src = os.path.join(d, "scaler.c")
        with open(src, "w") as f:
            f.write('#include <stdio.h>\n#define LICENSE_PREFIX "libswscale '
                    'license: "\nconst char *swscale_license(void) { return '
                    '&LICENSE_PREFIX "LGPL version 2.1 or later"'
                    '[sizeof(LICENSE_PREFIX) - 1]; }\n'
                    'int main(void) { puts(swscale_license()); return 0; }\n')
        subprocess.run([CC, "-O1", "-o", os.path.join(d, "scaler"), src], check=True)
        os.unlink(src)
        lib = ffmpeg_lib(d, "lib/libswscale.so.6", "GPL version 2 or later",
                         lib="libswscale", soname="libswscale.so.6")
        src = os.path.join(d, "user.c")
        with open(src, "w") as f:
            f.write("#include <stdio.h>\nconst char *swscale_license(void);\n"
                    "int main(void) { puts(swscale_license()); return 0; }\n")
        subprocess.run([CC, "-O1", "-o", os.path.join(d, "user"), src, lib,
                        "-Wl,-rpath,$ORIGIN/lib"], check=True)
        os.unlink(src)
        r = t.run("-q", d)
        check(r.code == 0 and not r.err, r.err)
        comps = {c["bom-ref"]: c for c in h.comps(r.sbom)}
        deps = {x["ref"]: x.get("dependsOn", []) for x in r.sbom["dependencies"]}

        def statics(name):
            prog = one_at(r.sbom, "/" + name)
            return [comps[x] for x in deps.get(prog["bom-ref"], [])
                    if h.props(comps[x], "bindep:linkage") == ["static"]]

        held = statics("scaler")
        check([c["name"] for c in held] == ["libswscale"], held)
        sws = held[0]
        check("version" not in sws and sws.get("purl") == "pkg:github/ffmpeg/ffmpeg",
              sws)
        stated(sws, "LGPL-2.1-or-later", lib="libswscale")
        how = h.identity(sws, "purl")["methods"][0]
        check(how["technique"] == "binary-analysis" and
              how["value"].endswith('libswscale: license-strings "libswscale license: '
                                    'LGPL version 2.1 or later"'), how)
        check(statics("user") == [], statics("user"))
        stated(one_at(r.sbom, "lib/libswscale.so.6"), "GPL-2.0-or-later", lib="libswscale")

    @case
    def license_strings_of_a_real_static_ffmpeg(t):
        """The static ffmpeg of @ffmpeg-installer/linux-x64 4.1.0 (John
        Van Sickle's build of the snapshot N-47683-g0e8eb07980,
        --enable-gpl --enable-version3): its "FFmpeg version N-..." names
        no release, and its eight libraries' licence strings name each,
        GPL-3.0-or-later. Skipped without contrib/fetch-real-fixtures."""
        path = os.path.join(h.ROOT, ".fixtures", "npm-real", "node_modules",
                            "@ffmpeg-installer", "linux-x64", "ffmpeg")
        if not os.path.isfile(path):
            print("  skipped: no %s (contrib/fetch-real-fixtures)" % path)
            return
        r = t.run("-q", path)
        check(r.code == 0, r.err)
        comps = {c["bom-ref"]: c for c in h.comps(r.sbom)}
        prog = one_at(r.sbom, "/linux-x64/ffmpeg")
        held = {comps[x]["name"]: comps[x]
                for x in [d.get("dependsOn", []) for d in r.sbom["dependencies"]
                          if d["ref"] == prog["bom-ref"]][0]
                if h.props(comps[x], "bindep:linkage") == ["static"]}
        libs = ["libavcodec", "libavdevice", "libavfilter", "libavformat",
                "libavutil", "libpostproc", "libswresample", "libswscale"]
        check(all(lib in held for lib in libs), sorted(held))
        for lib in libs:
            stated(held[lib], "GPL-3.0-or-later", lib=lib)
            check("version" not in held[lib] and
                  held[lib]["bom-ref"] == "static:%s@#GPL-3.0-or-later" % lib,
                  held[lib]["bom-ref"])

    @case
    def license_string_beside_a_carried_sbom(t):
        """A release tarball whose SPDX document says its libavcodec is
        LGPL-2.1-or-later, while the file says "GPL version 2 or later":
        the file's own word stays its licence, and the document's is kept
        beside it as bindep:conflict:license, never resolved silently. A
        file whose own strings disagree, and the document names one of
        them: that conflict is said once. A document that says their AND
        in the other order, and in lower case, adds no conflict (AND
        commutes, SPDX 2.3 D.4)."""
        d = h.fresh_dir(t, "licence", "carried")
        lib = ffmpeg_lib(os.path.join(d, "scratch"), "libavcodec.so.59",
                         "GPL version 2 or later")
        with open(lib, "rb") as f:
            data = f.read()
        lib = compile_so(os.path.join(d, "scratch2"), "libavcodec.so.59",
                         "libavcodec.so.59",
                         library_source("libavcodec", "GPL version 2 or later")
                         + licence_function("libavcodec", "avcodec_license_2",
                                            "LGPL version 2.1 or later"))
        with open(lib, "rb") as f:
            both = f.read()
        doc = {
            "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT", "name": "rel",
            "documentNamespace": "https://example.org/rel-1.0",
            "creationInfo": {"created": "2024-01-01T00:00:00Z",
                             "creators": ["Tool: test"]},
            "documentDescribes": ["SPDXRef-rel"],
            "packages": [{"SPDXID": "SPDXRef-rel", "name": "rel",
                          "versionInfo": "1.0", "downloadLocation": "NOASSERTION"}],
            "files": [{"SPDXID": "SPDXRef-av", "fileName": "./lib/libavcodec.so.59",
                       "checksums": [{"algorithm": "SHA1", "checksumValue": "0" * 40}],
                       "licenseConcluded": "LGPL-2.1-or-later"},
                      {"SPDXID": "SPDXRef-av2", "fileName": "./lib2/libavcodec.so.59",
                       "checksums": [{"algorithm": "SHA1", "checksumValue": "0" * 40}],
                       "licenseConcluded": "GPL-2.0-or-later"}],
        }
        A.put(os.path.join(d, "dist", "rel-1.0.tar.gz"), A.tar_bytes([
            ("rel-1.0/lib/libavcodec.so.59", data, 0o755),
            ("rel-1.0/lib2/libavcodec.so.59", both, 0o755),
            ("rel-1.0/sbom.spdx.json", json.dumps(doc).encode(), 0o644)], "gz"))
        r = t.run("dist/rel-1.0.tar.gz", cwd=d)
        check(r.code == 0, r.err)
        check(r.warnings() == [
            "bindep-sbom: warning: 'dist/rel-1.0.tar.gz!/rel-1.0/lib2/"
            "libavcodec.so.59': libavcodec's licence strings disagree "
            "('LGPL-2.1-or-later', 'GPL-2.0-or-later'): taking both, "
            "LGPL-2.1-or-later AND GPL-2.0-or-later"], r.warnings())
        c = one_at(r.sbom, "!/rel-1.0/lib2/libavcodec.so.59")
        check(expressions(c) == ["LGPL-2.1-or-later AND GPL-2.0-or-later"] and
              h.props(c, "bindep:conflict:license") ==
              ["LGPL-2.1-or-later", "GPL-2.0-or-later"], c.get("properties"))
        c = one_at(r.sbom, "!/rel-1.0/lib/libavcodec.so.59")
        check(h.prop(c, "bindep:embedded-sbom") ==
              "dist/rel-1.0.tar.gz!/rel-1.0/sbom.spdx.json", c.get("properties"))
        stated(c, "GPL-2.0-or-later")
        check(h.prop(c, "bindep:conflict:license") == "LGPL-2.1-or-later",
              c.get("properties"))
        doc["files"] = [dict(doc["files"][1], licenseConcluded=
                             "GPL-2.0-or-later AND lgpl-2.1-or-later")]
        A.put(os.path.join(d, "dist", "rel-2.0.tar.gz"), A.tar_bytes([
            ("rel-1.0/lib2/libavcodec.so.59", both, 0o755),
            ("rel-1.0/sbom.spdx.json", json.dumps(doc).encode(), 0o644)], "gz"))
        r = t.run("dist/rel-2.0.tar.gz", cwd=d)
        check(r.code == 0, r.err)
        c = one_at(r.sbom, "!/rel-1.0/lib2/libavcodec.so.59")
        check(h.prop(c, "bindep:embedded-sbom") ==
              "dist/rel-2.0.tar.gz!/rel-1.0/sbom.spdx.json" and
              h.props(c, "bindep:conflict:license") ==
              ["LGPL-2.1-or-later", "GPL-2.0-or-later"], c.get("properties"))

    @case
    def license_string_of_debian_libavcodec(t):
        """Debian 12's libavcodec59 and libavutil57 (FFmpeg 5.1.9, built
        with --enable-gpl) say "GPL version 2 or later": GPL-2.0-or-later.
        Thunderbird's libmozavcodec.so says "LGPL version 2.1 or later";
        its libmozavutil.so states none, and keeps the registry's. Read
        from contrib/fetch-real-fixtures' files and from this machine's
        libavcodec.so.59, where there; skipped when neither is."""
        top = os.path.join(h.ROOT, ".fixtures", "debs-real")
        real = {
            "libavcodec59" + LIB + "/libavcodec.so.59.37.100":
                ("GPL-2.0-or-later", "libavcodec"),
            "libavutil57" + LIB + "/libavutil.so.57.28.100":
                ("GPL-2.0-or-later", "libavutil"),
            "thunderbird/usr/lib/thunderbird/libmozavcodec.so":
                ("LGPL-2.1-or-later", "libavcodec"),
            "thunderbird/usr/lib/thunderbird/libmozavutil.so":
                ("LGPL-2.1-or-later", None),
        }
        paths = [os.path.join(top, p) for p in real
                 if os.path.isfile(os.path.join(top, p))]
        host = sorted(os.path.join(LIB, n) for n in os.listdir(LIB)
                      if n.startswith("libavcodec.so.59"))
        host = [p for p in host if os.path.isfile(p) and not os.path.islink(p)]
        if not paths and not host:
            print("  skipped: no Debian libavcodec (contrib/fetch-real-fixtures, "
                  "or libavcodec59 installed)")
            return
        r = t.run("-q", *(paths + host[:1]))
        check(r.code == 0, r.err)
        for p, (expr, lib) in real.items():
            if not os.path.isfile(os.path.join(top, p)):
                continue
            c = one_at(r.sbom, p.split("/", 1)[1])
            if lib:
                stated(c, expr, lib=lib)
            else:
                defaulted(c, expr)
        for p in host[:1]:
            c = one_at(r.sbom, p)
            with open(p, "rb") as f:
                m = re.search(rb"\0libavcodec license: ([^\0]*)\0", f.read())
            words = m.group(1).decode() if m else None
            check(words in WORDS, "%s says %r" % (p, words))
            stated(c, WORDS[words], words=words)
        print("  %d real files, %d of this machine" % (len(paths), len(host[:1])))

    @case
    def mapping_license_not_spdx_refused(t):
        """An entry's license: that is no SPDX expression ("GPL v2", the
        purl registry's misspelt "Linux-syscall-notes") refuses its file,
        one warning at file:line:column of the entry's own key, never a
        license-strings item's before it: a --mapping file, and a file of
        the shipped registry read from --mappings-dir. The files beside
        it load; a LicenseRef- of the registry's own and an exception
        after WITH are expressions."""
        d = h.fresh_dir(t, "licence", "mapping")
        for name in ("good", "bad"):
            compile_so(d, "lib/lib%s.so.1" % name, "lib%s.so.1" % name,
                       "int %s_nothing(void) { return 0; }\n" % name)
        good = h.put_file(d, "good.yml", (
            "libraries:\n"
            "  - name: good\n    purl: pkg:generic/good\n"
            "    license: GPL-2.0-only WITH Linux-syscall-note AND "
            "LicenseRef-good\n"
            "    files: [libgood.so*]\n"))
        bad = h.put_file(d, "bad.yml", (
            "libraries:\n"
            "  - name: bad\n    purl: pkg:generic/bad\n"
            "    license-strings:\n"
            "      - strings: \"libbad license: GPL version 2\"\n"
            "        license: GPL-2.0-only\n"
            "    license: GPL-2.0-only WITH Linux-syscall-notes\n"
            "    files: [libbad.so*]\n"))
        r = t.run("--mapping", good, "--mapping", bad,
                  os.path.join(d, "lib"))
        check(r.code == 0, r.err)
        check(r.warnings() == [
            "bindep-sbom: warning: '%s:7:5': library 'bad': license: "
            "'GPL-2.0-only WITH Linux-syscall-notes' is no SPDX licence "
            "expression (the SPDX License List's identifiers, or "
            "LicenseRef-), skipping" % bad], r.warnings())
        named = one_at(r.sbom, "lib/libgood.so.1")
        check(named.get("purl") == "pkg:generic/good" and
              expressions(named) == [
                  "GPL-2.0-only WITH Linux-syscall-note AND LicenseRef-good"],
              named)
        check(one_at(r.sbom, "lib/libbad.so.1").get("purl") is None,
              "the refused file names nothing")
        # The shipped registry's file, its licence broken, from a copy.
        maps = os.path.join(d, "mappings")
        os.makedirs(maps)
        media = os.path.join(maps, "media.yml")
        with open(os.path.join(h.ROOT, "mappings", "media.yml")) as f:
            lines = f.read().split("\n")
        at = lines.index('    license: "LGPL-2.1-or-later"')
        lines[at] = '    license: "LGPL 2.1 or later"'
        with open(media, "w") as f:
            f.write("\n".join(lines))
        r = t.run("--mappings-dir", maps, os.path.join(d, "lib"))
        check(r.code == 0, r.err)
        check(r.warnings() == [
            "bindep-sbom: warning: '%s:%d:5': library 'libavcodec': license: "
            "'LGPL 2.1 or later' is no SPDX licence expression (the SPDX "
            "License List's identifiers, or LicenseRef-), skipping"
            % (media, at + 1)], r.warnings())

    def licence_function(lib, name, words):
        """A function that returns words as FFmpeg's *_license() does:
        the licence string whole in the read-only data."""
        return ('const char *%s(void) { return &"%s license: %s"[%d]; }\n'
                % (name, lib, words, len(lib) + len(" license: ")))

    def holder(d, name, versions, words):
        """A program holding libavcodec at each version, and a licence
        string of it for each of words."""
        src = os.path.join(d, name + ".c")
        body = ["#include <stdio.h>"]
        body += ['const char v%d[] = "FFmpeg version %s";' % (i, v)
                 for i, v in enumerate(versions)]
        body += [licence_function("libavcodec", "lic%d" % i, w)
                 for i, w in enumerate(words)]
        body.append("int main(void) { %s%s return 0; }" % (
            "".join("puts(v%d); " % i for i in range(len(versions))),
            "".join("puts(lic%d()); " % i for i in range(len(words)))))
        with open(src, "w") as f:
            f.write("\n".join(body) + "\n")
        subprocess.run([CC, "-O1", "-o", os.path.join(d, name), src], check=True)
        os.unlink(src)

    def held(sbom, name):
        """The copies of libavcodec the program name holds (several:
        statically_held names one)."""
        comps = {c["bom-ref"]: c for c in h.comps(sbom)}
        deps = {x["ref"]: x.get("dependsOn", []) for x in sbom["dependencies"]}
        return [comps[ref] for ref in deps[one_at(sbom, "/" + name)["bom-ref"]]
                if comps[ref]["name"] == "libavcodec" and
                h.props(comps[ref], "bindep:linkage") == ["static"]]

    @case
    def license_strings_disagree_in_one_file(t):
        """A file whose strings state two licences of one library (a
        static program holding two builds of FFmpeg, a hostile file): its
        licence is their AND in the registry's order, whatever the
        file's, so that no policy reading the licence is told less than
        the file may oblige to; each licence is a bindep:conflict:license
        in every format, bindep:license-source names each string, and one
        warning names the file and the licences, however many copies of
        the library take them (a program holding FFmpeg 5.1.9 and 4.4.2,
        and three licences). The same library's strings in two files are
        no disagreement: a GPL and an LGPL ffmpeg, each its own copy."""
        d = h.fresh_dir(t, "licence", "disagree")
        lib = compile_so(d, "lib/libavcodec.so.59", "libavcodec.so.59",
                         library_source("libavcodec", "GPL version 2 or later")
                         + licence_function("libavcodec", "avcodec_license_2",
                                            "LGPL version 2.1 or later"))
        three = ["nonfree and unredistributable", "GPL version 3 or later",
                 "LGPL version 3 or later"]
        holder(d, "ffmpeg-two", ["5.1.9", "4.4.2"], three)
        holder(d, "ffmpeg-gpl", ["5.1.9"], ["GPL version 2 or later"])
        holder(d, "ffmpeg-lgpl", ["5.1.9"], ["LGPL version 2.1 or later"])
        both = "LGPL-2.1-or-later AND GPL-2.0-or-later"
        every = ("LGPL-3.0-or-later AND GPL-3.0-or-later AND " + NONFREE)
        cdx, spdx = h.formats_agree(t, d)
        # The library: both, each a conflict, each string named.
        c = one_at(cdx, "lib/libavcodec.so.59")
        check(expressions(c) == [both], c.get("licenses"))
        check(h.props(c, "bindep:conflict:license") ==
              ["LGPL-2.1-or-later", "GPL-2.0-or-later"], c.get("properties"))
        check(c.get("evidence", {}).get("licenses") == [{"expression": both}],
              c.get("evidence"))
        sources = (h.prop(c, "bindep:license-source") or "").split("; ")
        check(len(sources) == 2 and
              sources[0].endswith('license-strings "libavcodec license: LGPL '
                                  'version 2.1 or later"') and
              sources[1].endswith('license-strings "libavcodec license: GPL '
                                  'version 2 or later"'), sources)
        # The program of two copies: each its component, all three.
        two = held(cdx, "ffmpeg-two")
        check(sorted(x.get("version") for x in two) == ["4.4.2", "5.1.9"],
              [x["bom-ref"] for x in two])
        for x in two:
            check(expressions(x) == [every] and
                  x["bom-ref"] == "static:libavcodec@%s#%s" % (x["version"], every),
                  (x["bom-ref"], x.get("licenses")))
            check(h.props(x, "bindep:conflict:license") ==
                  ["LGPL-3.0-or-later", "GPL-3.0-or-later", NONFREE],
                  x.get("properties"))
        # Two files, one licence each: no conflict.
        gpl, lgpl = held(cdx, "ffmpeg-gpl"), held(cdx, "ffmpeg-lgpl")
        check(len(gpl) == 1 and len(lgpl) == 1 and gpl[0] != lgpl[0],
              (gpl, lgpl))
        stated(gpl[0], "GPL-2.0-or-later")
        stated(lgpl[0], "LGPL-2.1-or-later")
        for x in gpl + lgpl:
            check(not h.props(x, "bindep:conflict:license"), x.get("properties"))
        # SPDX 2.3: the AND declared, the conflicts annotated, the
        # LicenseRef- defined once.
        pkg = [p for p in spdx["packages"]
               if p.get("packageFileName", "").endswith("lib/libavcodec.so.59")][0]
        check(pkg["licenseDeclared"] == both, pkg)
        notes = [a["comment"] for a in pkg.get("annotations", [])]
        check([n for n in notes if n.startswith("bindep:conflict:license=")] ==
              ["bindep:conflict:license=LGPL-2.1-or-later",
               "bindep:conflict:license=GPL-2.0-or-later"], notes)
        refs = [x["licenseId"] for x in spdx.get("hasExtractedLicensingInfos", [])]
        check(refs == [NONFREE], refs)
        # One warning a file and library, in the summary's run too.
        r = t.run("--format", "summary", d)
        check(r.code == 0, r.err)
        check(sorted(r.warnings()) == sorted([
            "bindep-sbom: warning: '%s': libavcodec's licence strings "
            "disagree ('LGPL-2.1-or-later', 'GPL-2.0-or-later'): taking "
            "both, %s" % (lib, both),
            "bindep-sbom: warning: '%s': libavcodec's licence strings "
            "disagree ('LGPL-3.0-or-later', 'GPL-3.0-or-later', '%s'): "
            "taking all, %s" % (os.path.join(d, "ffmpeg-two"), NONFREE, every)]),
            r.warnings())
        check(both in r.raw.decode(), r.raw.decode())

    @case
    def registry_package_license_not_spdx_left_out(t):
        """A purl-registry package (--registry) whose license: is no SPDX
        expression, as package-url/purl-registry's linux/kernel spells
        Linux-syscall-note with an s: the licence alone is left out with
        one warning at file:line:column, the package still gives its
        homepage, repository and purls; spelt right, its licence too."""
        d = h.fresh_dir(t, "licence", "registry")
        compile_so(d, "lib/libkern.so.1", "libkern.so.1",
                   "int kern_nothing(void) { return 0; }\n")
        mapping = h.put_file(d, "map.yml", (
            "libraries:\n  - name: kern\n    purl: pkg:generic/kern\n"
            "    registry: linux/kernel\n    files: [libkern.so*]\n"))
        reg = os.path.join(d, "reg")
        pkg = os.path.join(reg, "registry", "purl", "linux", "kernel")
        text = ("namespace: linux\nname: kernel\n"
                "description: The Linux kernel\n"
                "homepage_url: https://www.kernel.org/\n"
                "vcs_url: https://git.kernel.org/\n"
                "download_url: https://www.kernel.org/pub/\n"
                "license: GPL-2.0-only WITH Linux-syscall-notes\n"
                "alternative_purls: [pkg:github/torvalds/linux]\n")
        h.put_file(pkg, "package.yml", text)
        args = ("--mapping", mapping, "--registry", reg, os.path.join(d, "lib"))
        r = t.run(*args)
        check(r.code == 0, r.err)
        check(r.warnings() == [
            "bindep-sbom: warning: '%s:7:1': license: 'GPL-2.0-only WITH "
            "Linux-syscall-notes' is no SPDX licence expression (the SPDX "
            "License List's identifiers, or LicenseRef-), leaving it out"
            % os.path.join(pkg, "package.yml")], r.warnings())
        c = one_at(r.sbom, "lib/libkern.so.1")
        refs = {e["type"]: e["url"] for e in c.get("externalReferences", [])}
        check(c.get("purl") == "pkg:generic/kern" and "licenses" not in c and
              refs.get("website") == "https://www.kernel.org/" and
              refs.get("vcs") == "https://git.kernel.org/" and
              h.props(c, "bindep:registry-package") ==
              [os.path.join(pkg, "package.yml")] and
              h.props(c, "bindep:alternative-purl") ==
              ["pkg:github/torvalds/linux"], c)
        h.put_file(pkg, "package.yml", text.replace("notes", "note"))
        r = t.run(*args)
        check(r.code == 0 and not r.warnings(), r.err)
        c = one_at(r.sbom, "lib/libkern.so.1")
        check(expressions(c) == ["GPL-2.0-only WITH Linux-syscall-note"] and
              h.props(c, "bindep:registry-package") ==
              [os.path.join(pkg, "package.yml")], c)
