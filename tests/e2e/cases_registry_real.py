"""End-to-end check of the registry against real files (registered by
run.py): libraries from Debian 12 packages and npm packages, fetched by
contrib/fetch-real-fixtures (install-deps --test), none of them owned by
this machine's dpkg database, so the registry alone names them."""
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
    (TB + "libmozavcodec.so", "pkg:github/FFmpeg/FFmpeg", None, False),
    (TB + "libmozavutil.so", "pkg:github/FFmpeg/FFmpeg", None, False),
    (TB + "liblgpllibs.so", "pkg:generic/soundtouch", "2.4.0", False),
    (TB + "librnp.so", "pkg:github/rnpgp/rnp", "0.18.1", False),
    ("debs-real/openjdk-17-jre-headless/usr/lib/jvm/java-17-openjdk-amd64/lib/server/"
     "libjvm.so", "pkg:github/openjdk/jdk", "17.0.21.1+2-1-deb12u1-Debian", True),
    # Debian's own builds.
    ("debs-real/libnss3" + LIB + "libnss3.so", "pkg:generic/nss", "3.87.1", True),
    ("debs-real/libnss3" + LIB + "libnssutil3.so", "pkg:generic/nss", "3.87.1", True),
    ("debs-real/libnss3" + LIB + "libfreebl3.so", "pkg:generic/nss", "3.87.1", False),
    ("debs-real/libnspr4" + LIB + "libnspr4.so", "pkg:generic/nspr", "4.35", False),
    ("debs-real/libnspr4" + LIB + "libplc4.so", "pkg:generic/nspr", "4.35", False),
    ("debs-real/libvpx7" + LIB + "libvpx.so.7.1.0", "pkg:github/webmproject/libvpx",
     "1.12.0", True),
    ("debs-real/libopus0" + LIB + "libopus.so.0.8.0", "pkg:github/xiph/opus", "1.3.1", True),
    ("debs-real/libmp3lame0" + LIB + "libmp3lame.so.0.0.0", "pkg:generic/lame", "3.100",
     True),
    ("debs-real/libsrtp2-1" + LIB + "libsrtp2.so.1", "pkg:github/cisco/libsrtp", "2.5.0",
     True),
    ("debs-real/libsoundtouch1" + LIB + "libSoundTouch.so.1.0.0", "pkg:generic/soundtouch",
     "2.3.2", False),
    ("debs-real/libbotan-2-19" + LIB + "libbotan-2.so.19.19.3", "pkg:github/randombit/botan",
     "2.19.3", True),
    ("debs-real/libtbb12" + LIB + "libtbb.so.12.8", "pkg:github/oneapi-src/oneTBB", "2021.8",
     True),
    ("debs-real/libhdf5-103-1" + LIB + "libhdf5_serial.so.103.3.1",
     "pkg:github/HDFGroup/hdf5", "1.10.8", True),
    ("debs-real/libnetcdf19" + LIB + "libnetcdf.so.19", "pkg:github/Unidata/netcdf-c", "4.9.0",
     False),
    ("debs-real/libgdal32" + LIB + "libgdal.so.32.3.6.2", "pkg:github/OSGeo/gdal", "3.6.2",
     False),
    ("debs-real/libproj25" + LIB + "libproj.so.25.9.1.1", "pkg:github/OSGeo/PROJ", "9.1.1",
     True),
    ("debs-real/libgeos3.11.1" + LIB + "libgeos.so.3.11.1", "pkg:github/libgeos/geos",
     "3.11.1", True),
    ("debs-real/libgeos-c1v5" + LIB + "libgeos_c.so.1.17.1", "pkg:github/libgeos/geos",
     "3.11.1", False),
    ("debs-real/libopenblas0-pthread" + LIB + "openblas-pthread/libopenblasp-r0.3.21.so",
     "pkg:github/OpenMathLib/OpenBLAS", "0.3.21", True),
    # node-llama-cpp 3.22.1, built from llama.cpp v0.5.0 (its
    # _nlcBuildMetadata.json) with ggml 0.25.1 (ggml_version()).
    (NLC + "libllama.v0.5.0.so", "pkg:github/ggml-org/llama.cpp", "0.5.0", True),
    (NLC + "libllama-common.so", "pkg:github/ggml-org/llama.cpp", "0.5.0", False),
    (NLC + "libggml.v0.5.0.so", "pkg:github/ggml-org/ggml", "0.25.1", False),
    (NLC + "libggml-base.so", "pkg:github/ggml-org/ggml", "0.25.1", False),
    (NLC + "libggml-cpu-haswell.so", "pkg:github/ggml-org/ggml", "0.25.1", False),
    ("npm-real/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so",
     "pkg:github/duckdb/duckdb", "1.5.6", False),
]

# What some of these files contain, for the strings pass on every ELF file
# (issue 14, items 1 and 2); not checked here: the registry's file names
# cannot say it.
CONTAINS = {
    TB + "librnp.so": [("botan", "3.11.1")],
    TB + "libgkcodecs.so": [("libvorbis", "1.3.7"), ("aom", None), ("dav1d", None),
                            ("opus", None)],
    "npm-real/node_modules/better-sqlite3/prebuilds/linux-x64.node": [("sqlite", "3.54.1")],
}


def register(case, h):

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
        missing = [p for p, _, _, _ in REAL if not os.path.isfile(os.path.join(top, p))]
        h.check(not missing, "missing real files (rerun contrib/fetch-real-fixtures): %s"
                % missing[:3])
        r = t.run("-q", os.path.join(top, "debs-real"), os.path.join(top, "npm-real"))
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
        h.check(not bad, "\n".join(bad))
        print("  %d real files named, %d with a version" % (len(REAL), read))
