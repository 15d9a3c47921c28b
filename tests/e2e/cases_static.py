"""End-to-end cases of the string pass (issue 14): libraries linked
statically into programs built at test time against Debian's .a archives,
Debian's shared libraries copied under other names, and the false positives
a whole system directory could show (registered by run.py)."""
import json
import os
import shutil
import subprocess
import sys

import artifact_fixtures as A
import debversion
import elfgen as E

LIBDIR = "/usr/lib/x86_64-linux-gnu"

# Each program does what programs do with the library and prints its
# version, as `curl -V` or `ffmpeg -version` do: the text that carries a
# version is linked in only where it is used (zstd_common.o holds
# ZSTD_versionString, libsodium's version.o sodium_version_string).
PROGRAMS = {
    "z": ("""#include <zlib.h>
#include <stdio.h>
int main(void){unsigned char in[]="hello hello hello",out[128],back[128];
uLongf n=sizeof out,m=sizeof back;
if(compress2(out,&n,in,sizeof in,9)!=Z_OK||uncompress(back,&m,out,n)!=Z_OK)return 1;
printf("zlib %s\\n",zlibVersion());return 0;}
""", ["-lz"], []),
    "png": ("""#include <png.h>
#include <stdio.h>
int main(void){png_structp p=png_create_write_struct(PNG_LIBPNG_VER_STRING,NULL,NULL,NULL);
png_infop i=png_create_info_struct(p);printf("libpng %s\\n",png_get_libpng_ver(p));
png_destroy_write_struct(&p,&i);return 0;}
""", ["-lpng16"], ["-lz", "-lm"]),
    "sqlite": ("""#include <sqlite3.h>
#include <stdio.h>
int main(void){sqlite3*db;if(sqlite3_open(":memory:",&db))return 1;
sqlite3_exec(db,"create table t(x); insert into t values(1);",0,0,0);
printf("SQLite %s\\n",sqlite3_libversion());sqlite3_close(db);return 0;}
""", ["-lsqlite3"], ["-lm"]),
    "ssl": ("""#include <openssl/ssl.h>
#include <stdio.h>
int main(void){SSL_CTX*c=SSL_CTX_new(TLS_method());
printf("%s\\n",OpenSSL_version(OPENSSL_VERSION));SSL_CTX_free(c);return 0;}
""", ["-lssl", "-lcrypto"], []),
    "zstd": ("""#include <zstd.h>
#include <stdio.h>
int main(void){char in[]="hello hello hello",out[128];
size_t n=ZSTD_compress(out,sizeof out,in,sizeof in,3);
if(ZSTD_isError(n)){puts(ZSTD_getErrorName(n));return 1;}
printf("zstd %s\\n",ZSTD_versionString());return 0;}
""", ["-lzstd"], []),
    "jpeg": ("""#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
int main(void){struct jpeg_compress_struct c;struct jpeg_error_mgr e;
unsigned char px[12]={0},*buf=NULL;unsigned long n=0;JSAMPROW row=px;
c.err=jpeg_std_error(&e);jpeg_create_compress(&c);jpeg_mem_dest(&c,&buf,&n);
c.image_width=4;c.image_height=1;c.input_components=3;c.in_color_space=JCS_RGB;
jpeg_set_defaults(&c);jpeg_start_compress(&c,TRUE);jpeg_write_scanlines(&c,&row,1);
jpeg_finish_compress(&c);printf("libjpeg %d %lu\\n",JPEG_LIB_VERSION,n);
jpeg_destroy_compress(&c);free(buf);return 0;}
""", ["-ljpeg"], []),
    "expat": ("""#include <expat.h>
#include <stdio.h>
int main(void){XML_Parser p=XML_ParserCreate(NULL);XML_Parse(p,"<a/>",4,1);
printf("%s\\n",XML_ExpatVersion());XML_ParserFree(p);return 0;}
""", ["-lexpat"], []),
    "webp": ("""#include <webp/encode.h>
#include <webp/decode.h>
#include <stdio.h>
int main(void){unsigned char rgb[12]={0},*out;size_t n=WebPEncodeRGB(rgb,2,2,6,80,&out);
int v=WebPGetDecoderVersion();printf("libwebp %d.%d.%d %zu\\n",v>>16,(v>>8)&255,v&255,n);
WebPFree(out);return 0;}
""", ["-lwebp"], ["-lm", "-lpthread"]),
    "lz4": ("""#include <lz4.h>
#include <lz4frame.h>
#include <stdio.h>
int main(void){char in[]="hello hello hello",out[256];
size_t n=LZ4F_compressFrame(out,sizeof out,in,sizeof in,NULL);
if(LZ4F_isError(n)){puts(LZ4F_getErrorName(n));return 1;}
printf("lz4 %s %d\\n",LZ4_versionString(),LZ4_compress_default(in,out,sizeof in,sizeof out));
return 0;}
""", ["-llz4"], []),
    "pcre2": ("""#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
int main(void){int e;PCRE2_SIZE o;char v[64];
pcre2_code*c=pcre2_compile((PCRE2_SPTR)"a+b",PCRE2_ZERO_TERMINATED,0,&e,&o,NULL);
pcre2_config(PCRE2_CONFIG_VERSION,v);printf("pcre2 %s\\n",v);pcre2_code_free(c);return 0;}
""", ["-lpcre2-8"], []),
    "xml2": ("""#include <libxml/parser.h>
#include <stdio.h>
int main(void){LIBXML_TEST_VERSION;xmlDocPtr d=xmlReadMemory("<a/>",4,"a.xml",NULL,0);
printf("libxml2 %s\\n",xmlParserVersion);xmlFreeDoc(d);xmlCleanupParser();return 0;}
""", ["-lxml2"], ["-licuuc", "-llzma", "-lz", "-lm"]),
    "sodium": ("""#include <sodium.h>
#include <stdio.h>
int main(void){unsigned char k[crypto_secretbox_KEYBYTES],
n[crypto_secretbox_NONCEBYTES]={0},c[crypto_secretbox_MACBYTES+4];
if(sodium_init()<0)return 1;randombytes_buf(k,sizeof k);
crypto_secretbox_easy(c,(const unsigned char*)"abcd",4,n,k);
printf("libsodium %s\\n",sodium_version_string());return 0;}
""", ["-lsodium"], ["-lpthread"]),
}

# What the registry names in each program, and the Debian package whose
# upstream version it must read; None: named without a version.
EXPECTED = {
    "z": {"zlib": "zlib1g-dev"},
    "png": {"libpng": "libpng-dev"},
    "sqlite": {"sqlite": "libsqlite3-dev"},
    "ssl": {"openssl": "libssl-dev"},
    "zstd": {"zstd": "libzstd-dev"},
    "jpeg": {"libjpeg-turbo": "libjpeg62-turbo-dev"},
    "expat": {"expat": "libexpat1-dev"},
    # libwebp's decoder message "null VP8Io passed to VP8GetHeaders()"
    # (vp8_dec.o, which WebPGetDecoderVersion() links in) names it; it has
    # no version text: its version is what WebPGetDecoderVersion()
    # returns, read from the code the program's symbol table points at
    # (a "function" rule). An encoder alone holds no text of libwebp's:
    # not named (mappings/README.md).
    "webp": {"libwebp": "libwebp-dev"},
    "lz4": {"lz4": "liblz4-dev"},
    "pcre2": {"pcre2": "libpcre2-dev"},
    # libxml2's version is the number "20914" (xmlParserVersion), read
    # as 2.9.14 by its rule's format ("{version:20|M.mm.pp}").
    "xml2": {"libxml2": "libxml2-dev"},
    "sodium": {"libsodium": "libsodium-dev"},
}

# Several libraries in one program: zstd's and lz4's versions are both
# strings of their own starting "1.", told apart by their minors ("1.5."
# and "1.9."); zlib's ZLIB_VERSION "1.2.13" is a string of its own too.
COMBINED = ("combined", ["z", "png", "sqlite", "expat", "zstd", "lz4"],
            {"zlib": "zlib1g-dev", "libpng": "libpng-dev",
             "sqlite": "libsqlite3-dev", "expat": "libexpat1-dev",
             "zstd": "libzstd-dev", "lz4": "liblz4-dev"})


upstream = debversion.upstream


def dpkg_version(pkg):
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                       capture_output=True, text=True)
    if r.returncode or not r.stdout:
        raise AssertionError("%s is not installed (contrib/install-deps "
                             "--test installs it)" % pkg)
    return upstream(r.stdout)


def register(case, h):

    def build_programs(t):
        d = h.fresh_dir(t, "static")
        for name, (src, static, dynamic) in PROGRAMS.items():
            with open(os.path.join(d, name + ".c"), "w") as f:
                f.write(src)
        jobs = []
        for name, (_, static, dynamic) in PROGRAMS.items():
            jobs.append((name, [name + ".c"], static, dynamic))
        name, parts, _ = COMBINED
        main = "".join("int main_%s(void);\n" % p for p in parts)
        main += "int main(void){return %s;}\n" % "|".join(
            "main_%s()" % p for p in parts)
        srcs = []
        for p in parts:
            renamed = "c_%s.c" % p
            with open(os.path.join(d, renamed), "w") as f:
                f.write(PROGRAMS[p][0].replace("int main(void)",
                                               "int main_%s(void)" % p))
            srcs.append(renamed)
        with open(os.path.join(d, "c_main.c"), "w") as f:
            f.write(main)
        jobs.append((name, srcs + ["c_main.c"],
                     sum((PROGRAMS[p][1] for p in parts), []),
                     sorted(set(sum((PROGRAMS[p][2] for p in parts), [])))))
        for name, srcs, static, dynamic in jobs:
            compile_program(d, name, srcs, static, dynamic)
        return d

    def compile_program(d, name, srcs, static, dynamic):
        cmd = (["gcc", "-O1", "-o", name] + srcs +
               ["-I/usr/include/libxml2", "-Wl,-Bstatic"] + static +
               ["-Wl,-Bdynamic"] + dynamic)
        r = subprocess.run(cmd, cwd=d, capture_output=True, text=True)
        h.check(r.returncode == 0, "%s: %s (contrib/install-deps --test "
                "installs the -dev packages)" % (name, r.stderr[-800:]))
        r = subprocess.run(["./" + name], cwd=d, capture_output=True)
        h.check(r.returncode == 0, "%s runs" % name)

    def static_of(sbom, comp):
        """{library: version} of what the component has compiled in."""
        return {name: c.get("version")
                for name, c in h.statically_held(sbom, comp).items()}

    def program(sbom, name):
        return [c for c in h.comps(sbom) if
                any(loc.endswith("/" + name) or loc == name
                    for loc in h.locations(c))][0]

    @case
    def static_links_named_exactly(t):
        d = build_programs(t)
        r = t.run(d)
        h.check(r.code == 0, r.err)
        s = r.sbom
        expected = dict(EXPECTED)
        expected[COMBINED[0]] = COMBINED[2]
        for name, want in expected.items():
            want = {lib: dpkg_version(pkg) if pkg else None
                    for lib, pkg in want.items()}
            got = static_of(s, program(s, name))
            h.check(got == want, "%s: %r, not %r" % (name, got, want))
        # One component per library and version, an edge from each
        # program that holds it; purl, linkage and evidence said.
        zlib = [c for c in h.comps(s) if c["name"] == "zlib" and
                h.props(c, "bindep:linkage") == ["static"]]
        h.check(len(zlib) == 1, "one zlib: %d" % len(zlib))
        users = [dep["ref"] for dep in s["dependencies"]
                 if zlib[0]["bom-ref"] in dep.get("dependsOn", [])]
        h.check(len(users) == 2, "zlib in z and combined: %r" % users)
        v = dpkg_version("zlib1g-dev")
        h.check(zlib[0]["purl"] == "pkg:github/madler/zlib@" + v,
                zlib[0]["purl"])
        ident = h.identity(zlib[0], "version")
        method = ident["methods"][0]
        h.check(method["technique"] == "binary-analysis" and
                ('matched "deflate %s Copyright"' % v) in method["value"],
                "evidence: %r" % ident)
        h.check(zlib[0]["type"] == "library", "a library")
        # SPDX: the same, as STATIC_LINK.
        r = t.run(d, "--format", "spdx")
        h.check(r.code == 0, r.err)
        ids = {p["SPDXID"]: p for p in r.sbom["packages"]}
        links = [(ids[x["spdxElementId"]]["name"],
                  ids[x["relatedSpdxElement"]]["name"])
                 for x in r.sbom["relationships"]
                 if x["relationshipType"] == "STATIC_LINK"]
        for lib in ("zlib", "libpng", "sqlite", "openssl", "zstd",
                    "libjpeg-turbo", "expat", "lz4", "pcre2", "libxml2",
                    "libsodium"):
            h.check(any(to == lib for _, to in links), "STATIC_LINK " + lib)
        h.check(("z", "zlib") in links, "z STATIC_LINK zlib: %r" % links)
        # The text view says it too.
        r = t.run(os.path.join(d, "z"), "--format", "text", "-o", "-")
        h.check(b"zlib => (compiled in)  [statically linked]" in r.out,
                r.out.decode())

    @case
    def static_link_in_spdx3_as_in_spdx2(t):
        """SPDX 3.0.1 says of a library compiled in what SPDX 2.3 says:
        the file hasStaticLink it (2.3's STATIC_LINK, not a dependsOn),
        and what the library needs is not known (NoAssertionElement, 2.3's
        NOASSERTION, not NoneElement)."""
        d = h.fresh_dir(t, "static3")
        src, static, dynamic = PROGRAMS["z"]
        with open(os.path.join(d, "z.c"), "w") as f:
            f.write(src)
        compile_program(d, "z", ["z.c"], static, dynamic)
        s2 = t.run(d, "--format", "spdx")
        s3 = t.run(d, "--format", "spdx3")
        h.check(s2.code == 0 and s3.code == 0, s2.err + s3.err)
        h.check(any(r["relationshipType"] == "STATIC_LINK"
                    for r in s2.sbom["relationships"]), "a STATIC_LINK")
        h.same_as_spdx2(s2.sbom, s3.sbom)

    @case
    def static_renamed_copies_named(t):
        d = h.fresh_dir(t, "renamed")
        copies = [
            # (Debian's file, the copy's name, library, package)
            ("libsqlite3.so.0", "libsqlite3-vendor.so", "sqlite",
             "libsqlite3-0"),
            ("libsqlite3.so.0", "libmozsqlite3.so", "sqlite", "libsqlite3-0"),
            ("libzstd.so.1", "libzstd-1a2b3c4d.so.1", "zstd", "libzstd1"),
            ("liblz4.so.1", "liblz4-0a1b2c3d.so.1", "lz4", "liblz4-1"),
            ("libcrypto.so.3", "libcrypto-0123abcd.so.3", "openssl",
             "libssl3"),
            ("libexpat.so.1", "libexpat-deadbeef.so.1", "expat", "libexpat1"),
            ("libpcre2-8.so.0", "libpcre2-8-abcdef01.so.0", "pcre2",
             "libpcre2-8-0"),
            ("libsodium.so.23", "libsodium-0badcafe.so.23", "libsodium",
             "libsodium23"),
            # Versions that are strings of their own, read by bare rules
            # (ARES_VERSION_STR, NGHTTP2_VERSION, dav1d_version()); the
            # copies' names carry the libraries' versions (2, 14, 6).
            ("libcares.so.2", "libcares-5a6b7c8d.so.2", "c-ares",
             "libc-ares2"),
            ("libnghttp2.so.14", "libnghttp2-9e8d7c6b.so.14", "nghttp2",
             "libnghttp2-14"),
            ("libdav1d.so.6", "libdav1d-0f1e2d3c.so.6", "dav1d",
             "libdav1d6"),
            # ICU's full version, U_ICU_VERSION "72.1", not the name's 72.
            ("libicuuc.so.72", "libicuuc-4b5c6d7e.so.72", "icu", "libicu72"),
            # No version text at all: what its exported
            # WebPGetDecoderVersion() returns, (1 << 16) | (2 << 8) | 4.
            ("libwebp.so.7", "libwebp-6c5d4e3f.so.7", "libwebp", "libwebp7"),
        ]
        for src, dst, _, _ in copies:
            shutil.copyfile(os.path.join(LIBDIR, src), os.path.join(d, dst))
        # Copies no pattern of the registry's matches, soname included:
        # one whose name says SQLite is SQLite by its strings; one whose
        # name says nothing of it holds it (a bundle, as Thunderbird's
        # libgkcodecs.so holds aom).
        shutil.copyfile(os.path.join(LIBDIR, "libsqlite3.so.0"),
                        os.path.join(d, "libfoobundle.so"))
        for name in ("libsqlite3-vendor.so", "libfoobundle.so"):
            h.sh("patchelf", "--set-soname", name, os.path.join(d, name))
        r = t.run(d)
        h.check(r.code == 0, r.err)
        for _, dst, lib, pkg in copies:
            c = program(r.sbom, dst)
            v = dpkg_version(pkg)
            h.check(h.prop(c, "bindep:upstream") == lib and
                    c.get("version") == v and
                    c.get("purl", "").endswith("@" + v),
                    "%s: %s %s %s" % (dst, h.prop(c, "bindep:upstream"),
                                      c.get("version"), c.get("purl")))
            # Its own strings are its own: nothing compiled into it.
            h.check(static_of(r.sbom, c) == {}, "%s contains %r" %
                    (dst, static_of(r.sbom, c)))
        bundle = program(r.sbom, "libfoobundle.so")
        h.check(bundle.get("purl") is None and static_of(r.sbom, bundle) ==
                {"sqlite": dpkg_version("libsqlite3-0")},
                "the bundle: %r %r" % (bundle.get("purl"),
                                       static_of(r.sbom, bundle)))
        named = h.identity(program(r.sbom, "libsqlite3-vendor.so"), "purl")
        h.check(named["methods"][0]["technique"] == "binary-analysis" and
                "database disk image is malformed" in
                named["methods"][0]["value"], "named by its marker: %r" % named)

    @case
    def static_guards(t):
        """A file that links the library dynamically does not contain it
        ("OpenSSL 3.0.2 15 Mar 2022" in a program that needs libcrypto is
        a message, not a copy); a version a program merely names is not
        a library's; an executable with one library's strings holds it,
        and is not that library."""
        d = h.fresh_dir(t, "guards")
        banner = b"\0OpenSSL 3.0.2 15 Mar 2022\0"
        for name, needed, rodata in (
                ("needs-crypto", ["libcrypto.so.3"], banner),
                ("holds-crypto", [], banner),
                ("names-a-version", [],
                 b"\0requires OpenSSL 1.1.1 or later\0enable OpenSSL 3.0 "
                 b"legacy provider\0libgpg: SQL database disk image is "
                 b"malformed\0")):
            h.put_file(d, name, bytes(E.build(
                etype=E.ET_EXEC, interp="/lib64/ld-linux-x86-64.so.2",
                needed=needed, rodata=rodata)[0]))
        r = t.run(d)
        h.check(r.code == 0, r.err)
        s = r.sbom
        h.check(static_of(s, program(s, "needs-crypto")) == {},
                "needs-crypto: %r" % static_of(s, program(s, "needs-crypto")))
        h.check(static_of(s, program(s, "holds-crypto")) ==
                {"openssl": "3.0.2"}, "holds-crypto")
        h.check(program(s, "holds-crypto").get("purl") is None,
                "an executable is not its library")
        h.check(static_of(s, program(s, "names-a-version")) == {},
                "names-a-version: %r" % static_of(s, program(s, "names-a-version")))
        # A placeholder a build writes (Mozilla's aom configuration says
        # "v0.1.0") names the library without a version; a release is read.
        d = h.fresh_dir(t, "placeholder")
        for name, text in (("aom-placeholder", b"0.1.0"), ("aom-release", b"3.6.0")):
            h.put_file(d, name, bytes(E.build(
                etype=E.ET_EXEC, interp="/lib64/ld-linux-x86-64.so.2",
                rodata=b"\0AOMedia Project AV1 Decoder v" + text + b"\0")[0]))
        r = t.run(d)
        h.check(r.code == 0, r.err)
        for name, want in (("aom-placeholder", None), ("aom-release", "3.6.0")):
            got = static_of(r.sbom, program(r.sbom, name))
            h.check(got == {"aom": want}, "%s: %r" % (name, got))
        # A bare version that is the program's own (bun 1.4.5's npm
        # package holds zstd, whose version is read only as a bare
        # "1.4.x", and bun's own "1.4.5") is not the library's: zstd
        # without a version. Beside another package's, it is read.
        for pkg, want in (("1.4.5", None), ("2.0.0", "1.4.5")):
            d = h.fresh_dir(t, "own-version-" + pkg)
            h.put_file(d, "package/package.json",
                       '{"name": "app", "version": "%s"}' % pkg)
            h.put_file(d, "package/bin/app", bytes(E.build(
                etype=E.ET_EXEC, interp="/lib64/ld-linux-x86-64.so.2",
                rodata=b"\0Frame requires too much memory for decoding\0"
                       b"1.4.5\0")[0]))
            r = t.run(d)
            h.check(r.code == 0, r.err)
            got = static_of(r.sbom, program(r.sbom, "app"))
            h.check(got == {"zstd": want}, "package %s: %r" % (pkg, got))

    @case
    def static_libzmq_in_node_addon(t):
        """zeromq.js 6.8.0's addon.node links libzmq 4.3.5 in (built by
        vcpkg): its zmq_strerror() text "Context was terminated" names
        ZeroMQ, without a version (libzmq states none as text); a
        library that needs libzmq.so.5 and says the same is not said to
        hold it. ZeroMQ had no marker: the addon named only libsodium."""
        d = h.fresh_dir(t, "libzmq")
        text = b"\0Context was terminated\0"
        h.put_file(d, "zeromq/build/addon.node", bytes(E.build(
            soname="addon.node", rodata=text)[0]))
        h.put_file(d, "client/libclient.so.1", bytes(E.build(
            soname="libclient.so.1", needed=["libzmq.so.5"],
            rodata=text + b"client\0")[0]))
        r = t.run(d)
        h.check(r.code == 0, r.err)
        got = static_of(r.sbom, program(r.sbom, "addon.node"))
        h.check(got == {"zeromq": None}, "addon: %r" % got)
        got = static_of(r.sbom, program(r.sbom, "libclient.so.1"))
        h.check(got == {}, "client: %r" % got)

    @case
    def static_hostile_matches_capped(t):
        """A million matches, each of another version: the run stays
        small, says the cap, and names zlib without a version (which of
        them is its own cannot be told). Small (read whole) and large
        (streamed) files alike."""
        d = h.fresh_dir(t, "hostile")
        many = b"".join(b"\0deflate 1.%d Copyright\0" % i
                        for i in range(1000000))
        few = many[:200000]
        for name, rodata in (("many", many), ("few", few)):
            h.put_file(d, name, bytes(E.build(
                etype=E.ET_EXEC, interp="/lib64/ld-linux-x86-64.so.2",
                rodata=rodata)[0]))
        r = t.run(d, prefix=[sys.executable, "-c", h.MAXRSS_SHIM], bare=True)
        h.check(r.code == 0, r.err)
        maxrss = int(r.err.decode().rsplit("maxrss=", 1)[1])
        h.check(maxrss < 150 * 1024, "peak memory %d KiB" % maxrss)
        h.check(any("'%s': more than 65536 string matches" %
                    os.path.join(d, "many") in w for w in r.warnings()),
                r.err.decode())
        for name in ("many", "few"):
            got = static_of(r.sbom, program(r.sbom, name))
            h.check(got == {"zlib": None}, "%s: %r" % (name, got))

    @case
    def static_system_libraries_no_false_positives(t):
        """Every library of the machine's /usr/lib/x86_64-linux-gnu: none
        is said to hold a library it links dynamically (directly or
        through what it loads). What real static copies the directory
        holds are listed."""
        # Not checked against the schemas here: the same directory's SBOM
        # is, by purls_round_trip_on_real_inputs (3 s of the validators).
        r = t.run(LIBDIR, timeout=1200, validate_sbom=False)
        h.check(r.code == 0, r.err[-2000:])
        s = r.sbom
        comps = {c["bom-ref"]: c for c in h.comps(s)}
        deps = {x["ref"]: x.get("dependsOn", []) for x in s["dependencies"]}

        def is_static(ref):
            return h.props(comps[ref], "bindep:linkage") == ["static"]

        found = []
        for c in h.comps(s):
            held = [comps[x] for x in deps.get(c["bom-ref"], [])
                    if is_static(x)]
            if not held:
                continue
            seen, todo, linked = set(), [c["bom-ref"]], set()
            while todo:
                ref = todo.pop()
                if ref in seen:
                    continue
                seen.add(ref)
                for x in deps.get(ref, []):
                    if not is_static(x):
                        linked.add(h.prop(comps[x], "bindep:upstream"))
                        todo.append(x)
            where = h.locations(c)[0]
            for lib in held:
                h.check(lib["name"] not in linked,
                        "%s links %s dynamically and is said to hold it" %
                        (where, lib["name"]))
                found.append("%s holds %s %s" % (where, lib["name"],
                                                 lib.get("version")))
        # libwebp's decoder message is in libwebp.so.7 alone here: no
        # library that links it (GDAL, libtiff, ...) is said to hold it.
        h.check(not [f for f in found if " holds libwebp " in f],
                "libwebp found statically: %r" % found)
        print("  %s: %d static copies found%s" % (
            LIBDIR, len(found), "".join("\n    " + f for f in found)))

    @case
    def manifest_read_in_npm_tarball(t):
        """sharp-libvips given as its npm tarball, as `npm pack` makes it
        (@img/sharp-libvips-linux-x64 1.3.5 in a dist/): the versions.json
        beside lib/ is read as from the unpacked package, and what it
        lists is named. The tarball kept only its ELF files and
        package.json: libvips-cpp.so's twenty-three listed libraries were
        missing, found only once unpacked."""
        d = h.fresh_dir(t, "manifest-npm")
        vips = bytes(E.build(soname="libvips-cpp.so.42",
                             rodata=b"\0tarball libvips\0")[0])
        listed = b'{"png": "1.6.40", "vips": "8.16.0", "lcms": "2.16"}'
        tgz = A.npm_tarball("@img/sharp-libvips-linux-x64", "1.3.5", [
            ("lib/libvips-cpp.so.8.16.0", vips, 0o644),
            ("versions.json", listed, 0o644)])
        h.put_file(d, "dist/img-sharp-libvips-linux-x64-1.3.5.tgz", tgz)
        r = t.run("dist/", cwd=d)
        h.check(r.code == 0 and not r.warnings(), r.err)
        c = program(r.sbom, "libvips-cpp.so.8.16.0")
        h.check(static_of(r.sbom, c) == {"libpng": "1.6.40", "lcms2": "2.16"},
                "from the tarball: %r" % static_of(r.sbom, c))
        # Kept beside the library, never scanned as a file of its own.
        h.check(not [x for x in h.comps(r.sbom)
                     if any(loc.endswith("versions.json") for loc in h.locations(x))],
                "versions.json a component")

    @case
    def manifest_hostile_refused(t):
        """A manifest the registry names (libvips's ../versions.json) is
        read bounded: one that is not a JSON object of names and versions,
        too large, too many names, a name twice, a FIFO, nested past
        cJSON's limit, is said once (per manifest, however many files
        name it) and adds nothing; a good one adds what the registry
        knows (not libvips itself, not mozjpeg); under --root a symlink
        out of the root is not followed out."""
        d = h.fresh_dir(t, "manifests")

        def lib(name):
            """A libvips of its own per directory: files of the same
            bytes are one component."""
            return bytes(E.build(soname="libvips-cpp.so.42",
                                 rodata=b"\0%s\0" % name.encode())[0])
        cases = {
            "good": '{"png": "1.6.40", "vips": "8.16.0", "mozjpeg": "0826579",'
                    ' "lcms": "2.16"}',
            "notjson": "{not json",
            "array": '["png", "1.6.40"]',
            "number": '{"png": 1}',
            "badversion": '{"png": "1.6 beta; rm -rf /"}',
            "badname": '{"p ng": "1.6.40"}',
            "twice": '{"png": "1.6.40", "png": "1.6.41"}',
            "many": json.dumps({"l%d" % i: "1.0" for i in range(300)}),
            "huge": '{"png": "1.6.40", "pad": "' + "1" * 70000 + '"}',
            "nul": '{"png": "1.6.40"}\0{"tiff": "4.0"}',
            "deep": "[" * 20000 + "]" * 20000,
        }
        why = {
            "notjson": "not a JSON object", "array": "not a JSON object",
            "number": "'png': the version is not a version",
            "badversion": "'png': the version is not a version",
            "badname": "a library's name is not a name",
            "twice": "'png' listed twice", "many": "more than 256 libraries",
            "nul": "not a JSON object", "deep": "not a JSON object",
        }
        for name, text in cases.items():
            h.put_file(d, name + "/lib/libvips-cpp.so.8.16.0", lib(name))
            h.put_file(d, name + "/versions.json", text)
        # Two files name one broken manifest: said once.
        h.put_file(d, "notjson/lib/libvips.so.42", lib("notjson2"))
        os.makedirs(os.path.join(d, "fifo", "lib"))
        h.put_file(d, "fifo/lib/libvips-cpp.so.8.16.0", lib("fifo"))
        os.mkfifo(os.path.join(d, "fifo", "versions.json"))
        r = t.run(d, timeout=120)
        h.check(r.code == 0, r.err)
        warned = sorted(w for w in r.warnings() if "manifest" in w)
        want = sorted(
            "bindep-sbom: warning: '%s': %s, not read as libvips's manifest"
            % (os.path.join(d, name, "versions.json"), text)
            for name, text in why.items())
        h.check(all(w in warned for w in want), "\n".join(warned))
        rest = [w for w in warned if w not in want]
        # The reader's own words for the large file and the FIFO.
        h.check(len(rest) == 2 and
                any("/huge/versions.json" in w for w in rest) and
                any("/fifo/versions.json" in w and "FIFO" in w for w in rest),
                "\n".join(rest))
        for name in list(cases) + ["fifo"]:
            c = program(r.sbom, name + "/lib/libvips-cpp.so.8.16.0")
            got = static_of(r.sbom, c)
            h.check(got == ({"libpng": "1.6.40", "lcms2": "2.16"}
                            if name == "good" else {}),
                    "%s: %r" % (name, got))
        # Under --root: an absolute symlink is the root's path, not the
        # machine's: nothing read, nothing said.
        root = h.fresh_dir(t, "manifest-root")
        outside = h.put_file(t.work, "outside/versions.json", '{"png": "9.9.9"}')
        h.put_file(root, "pkg/lib/libvips-cpp.so.8.16.0", lib("root"))
        os.symlink(outside, os.path.join(root, "pkg", "versions.json"))
        r = t.run("--root", root, os.path.join(root, "pkg"))
        h.check(r.code == 0 and not r.warnings(), r.err)
        c = program(r.sbom, "libvips-cpp.so.8.16.0")
        h.check(static_of(r.sbom, c) == {}, "followed out: %r" % static_of(r.sbom, c))
