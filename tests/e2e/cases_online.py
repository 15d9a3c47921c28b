"""End-to-end cases of --online, against a stand-in for ecosyste.ms on
127.0.0.1 (ecosystems.py), with the golden root's libraries."""
import csv
import io
import json
import os
import shutil
import socket

import ecosystems

CONTACT = ecosystems.CONTACT


def register(case, h):
    check = h.check
    state = {}

    def server():
        if "server" not in state:
            state["server"] = ecosystems.Server()
        return state["server"]

    def closed_port():
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now: connections are refused
        return "http://127.0.0.1:%d/api/v1" % port

    def online(t, api, cache, *extra, **kw):
        return ecosystems.run_online(t, h, api, cache, *extra, **kw)

    def fresh_cache(t, name):
        path = os.path.join(t.work, "cache-" + name)
        shutil.rmtree(path, ignore_errors=True)
        return path

    def props(s, name, prop):
        return h.props(h.by_name(s, name), prop)

    def funding_refs(c):
        return [r["url"] for r in c.get("externalReferences", []) if r["type"] == "other"]

    def enriched(s):
        z = h.by_name(s, "libz.so.1")
        check(funding_refs(z) == ["https://zlib.net/donate", "https://github.com/sponsors/madler",
                                  "https://opencollective.com/zlib"], funding_refs(z))
        check(props(s, "libz.so.1", "bindep:maintainer") ==
              ["madler <https://github.com/madler>"], props(s, "libz.so.1", "bindep:maintainer"))
        zstd = h.by_name(s, "libzstd.so.1")
        check(zstd["licenses"] == [{"expression": "BSD-3-Clause AND GPL-2.0-only",
                                    "acknowledgement": "declared"}], zstd.get("licenses"))
        check(h.prop(zstd, "bindep:license-source") == "ecosyste.ms", "licence evidence")
        vcs = [r for r in zstd["externalReferences"] if r["type"] == "vcs"]
        check(vcs == [{"type": "vcs", "url": "https://github.com/facebook/zstd",
                       "comment": "from ecosyste.ms"}], vcs)
        check(not props(s, "libzstd.so.1", "bindep:maintainer"),
              "a distribution's maintainers are not the project's")
        brotli = h.by_name(s, "libbrotlicommon.so.1")
        check(h.props(brotli, "bindep:maintainer") == ["eustas"], "matched by repository")

    @case
    def offline_makes_no_connection(t):
        """Without --online nothing is asked: the APIs given without it
        are a usage error (they were ignored in silence), and a run opens
        no network socket (seen by strace, where it is installed)."""
        srv = server()
        srv.reset()
        root = h.golden_root(t)
        r = t.run("--packages-api", srv.api, "--repos-api", srv.api, "--root", root,
                  os.path.join(root, "usr"))
        check(r.code == 2 and b"--packages-api is an option of --online" in r.err,
              "exit %d: %s" % (r.code, r.err))
        check(srv.log == [], "requests without --online: %r" % srv.log)
        strace = shutil.which("strace")
        trace = os.path.join(t.work, "offline.strace")
        prefix = (strace, "-f", "-qq", "-e", "trace=socket,connect", "-o", trace) \
            if strace else ()
        # LeakSanitizer cannot run under ptrace: the sanitized pass's
        # leak check is the other cases'.
        env = {"ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") +
               ":detect_leaks=0"} if strace else None
        r = t.run("--root", root, os.path.join(root, "usr"), prefix=prefix,
                  bare=True, env=env)
        check(r.code == 0, r.err)
        check(not any(p["name"].startswith("bindep:online") or p["name"] == "bindep:funding"
                      for c in h.comps(r.sbom) for p in c.get("properties", [])), "no online facts")
        if strace:
            with open(trace) as f:
                net = [line for line in f if "AF_INET" in line]
            check(not net, "network sockets without --online: %r" % net[:5])

    @case
    def online_enrichment(t):
        srv = server()
        srv.reset()
        r = online(t, srv.api, fresh_cache(t, "a"))
        check(r.code == 0 and not r.warnings(), "exit %d: %s" % (r.code, r.err))
        enriched(r.sbom)
        check(not [c for c in r.sbom.get("compositions", [])
                   if c.get("bom-ref") == "online-enrichment"], "complete")
        check(srv.log and all(e["ua"].endswith("(mailto:%s)" % CONTACT) and
                              e["ua"].startswith("bindep-sbom/") for e in srv.log),
              [e["ua"] for e in srv.log])
        bulk = [e for e in srv.log if e["path"].endswith("/packages/bulk_lookup")]
        check(len(bulk) == 1 and '"pkg:github/madler/zlib"' in bulk[0]["body"], bulk)
        distro = sorted(e["query"]["name"][0] for e in srv.log
                        if e["path"].endswith("/packages/lookup"))
        # The app's package note names a Debian package too.
        check(distro == ["glibc", "golden-app", "libzstd", "zlib"], distro)
        spdx = online(t, srv.api, fresh_cache(t, "a"), "--format", "spdx").sbom
        z = [p for p in spdx["packages"] if p["name"] == "libz.so.1"][0]
        check({"referenceCategory": "OTHER", "referenceType": "funding",
               "referenceLocator": "https://github.com/sponsors/madler"} in z["externalRefs"], z)
        # SPDX 3.0.1 says the same (its own type for funding).
        spdx3 = online(t, srv.api, fresh_cache(t, "a"), "--format", "spdx3").sbom
        h.same_as_spdx2(spdx, spdx3)
        z = [p for p in spdx3["@graph"] if p.get("name") == "libz.so.1"][0]
        check({"type": "ExternalRef", "externalRefType": "funding", "comment":
               "from ecosyste.ms", "locator": ["https://github.com/sponsors/madler"]}
              in z["externalRef"], z)

    @case
    def online_keeps_the_declared_licence_text(t):
        """A package whose own package.json declares "UNLICENSED" (kept as
        bindep:license-text, no SPDX expression) keeps it with --online:
        ecosyste.ms's MIT for a package of that name is not the package's
        word (it replaced it)."""
        import artifact_fixtures as A
        srv = server()
        srv.reset()
        d = os.path.join(t.work, "declared")
        shutil.rmtree(d, ignore_errors=True)
        b = A.Build(os.path.join(d, "scratch"))
        lib = b.lib("libq.so.1", tag="online declared")
        pj = b'{"name": "secret-app", "version": "1.0.0", "license": "UNLICENSED"}'
        tgz = A.put(os.path.join(d, "secret-app-1.0.0.tgz"), A.tar_bytes(
            [("package/package.json", pj, 0o644),
             ("package/lib/libq.so.1", lib, 0o755)], "gz"))
        mit = {"name": "secret-app", "ecosystem": "npm",
               "licenses": "MIT", "normalized_licenses": ["MIT"],
               "repository_url": None, "homepage": None,
               "funding_links": [], "maintainers": []}
        added = ["pkg:npm/secret-app", "pkg:npm/secret-app@1.0.0"]
        for p in added:
            ecosystems.PACKAGES[p] = dict(mit, purl=p)
        try:
            r = t.run("--online", "--packages-api", srv.api, "--repos-api",
                      srv.api, "--contact", CONTACT, "--cache-dir",
                      fresh_cache(t, "declared"), tgz)
        finally:
            for p in added:
                ecosystems.PACKAGES.pop(p, None)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        asked = [e for e in srv.log if "secret-app" in (e.get("body") or "") +
                 json.dumps(e.get("query", {}))]
        check(asked, "secret-app was not looked up: %r" % srv.log)
        for c in h.comps(r.sbom):
            if c.get("purl", "").startswith("pkg:npm/secret-app"):
                check("licenses" not in c and
                      h.prop(c, "bindep:license-text") == "UNLICENSED",
                      "%s: %r %r" % (c["name"], c.get("licenses"),
                                     c.get("properties")))

    @case
    def online_npm_name_case_kept_in_lookup(t):
        """An npm name is case-sensitive (purl-spec types/npm-definition.json:
        mixed-case names like "JSONStream" were grandfathered in), and
        ecosyste.ms looks a purl's name up as it is: the bulk lookup asks
        for pkg:npm/JSONStream, not pkg:npm/jsonstream, another package
        whose licence and maintainers went into the SBOM. (Not given to the
        independent consumers: packageurl-js lowercases npm names, as the
        spec said before the names were found case-sensitive.)"""
        import artifact_fixtures as A
        srv = server()
        srv.reset()
        d = os.path.join(t.work, "mixedcase")
        shutil.rmtree(d, ignore_errors=True)
        b = A.Build(os.path.join(d, "scratch"))
        lib = b.lib("libjs.so.1", tag="online mixed case")
        pj = b'{"name": "JSONStream", "version": "1.3.5"}'
        tgz = A.put(os.path.join(d, "JSONStream-1.3.5.tgz"), A.tar_bytes(
            [("package/package.json", pj, 0o644),
             ("package/lib/libjs.so.1", lib, 0o755)], "gz"))
        record = {"ecosystem": "npm", "repository_url": None, "homepage": None,
                  "funding_links": []}
        added = {
            "pkg:npm/JSONStream": dict(record, name="JSONStream", purl="pkg:npm/JSONStream",
                                       licenses="MIT OR Apache-2.0",
                                       normalized_licenses=["MIT", "Apache-2.0"],
                                       maintainers=[{"login": "dominictarr"}]),
            "pkg:npm/jsonstream": dict(record, name="jsonstream", purl="pkg:npm/jsonstream",
                                       licenses="ISC", normalized_licenses=["ISC"],
                                       maintainers=[{"login": "squatter"}]),
        }
        ecosystems.PACKAGES.update(added)
        try:
            r = t.run("--online", "--packages-api", srv.api, "--repos-api",
                      srv.api, "--contact", CONTACT, "--cache-dir",
                      fresh_cache(t, "mixedcase"), tgz, validate_sbom=False)
        finally:
            for p in added:
                ecosystems.PACKAGES.pop(p, None)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        bodies = [e["body"] for e in srv.log if e["path"].endswith("/bulk_lookup")]
        check(any('"pkg:npm/JSONStream"' in x for x in bodies) and
              not any('"pkg:npm/jsonstream"' in x for x in bodies), bodies)
        js = [c for c in h.comps(r.sbom)
              if c.get("purl", "").startswith("pkg:npm/JSONStream@")]
        check(js, [c.get("purl") for c in h.comps(r.sbom)])
        for c in js:
            check(c.get("licenses") == [{"expression": "MIT AND Apache-2.0",
                                         "acknowledgement": "declared"}] and
                  h.props(c, "bindep:maintainer") == ["dominictarr"],
                  "%s: %r %r" % (c["name"], c.get("licenses"), c.get("properties")))

    @case
    def online_go_modules_looked_up(t):
        """The Go modules a Go program's build information names are
        looked up by their purls, as ecosyste.ms indexes the Go proxy
        (pkg:golang/<module path>, its case kept): their licence,
        repository and maintainers come into the SBOM. Go's standard
        library (pkg:golang/stdlib) is no module of the proxy and is not
        asked for."""
        import gobuildinfo as G
        srv = server()
        srv.reset()
        d = h.fresh_dir(t, "go", "online")
        text = G.modinfo(path="example.com/tool", main=("example.com/tool",
                                                        "(devel)", ""),
                         deps=[("github.com/BurntSushi/toml", "v1.3.2",
                                "h1:toml=")])
        G.elf_with_blob(d, "tool", G.inline_blob("go1.21.5", G.framed(text)))
        record = {"ecosystem": "go", "homepage": None, "funding_links": [],
                  "name": "github.com/BurntSushi/toml",
                  "purl": "pkg:golang/github.com/BurntSushi/toml",
                  "repository_url": "https://github.com/BurntSushi/toml",
                  "licenses": "MIT", "normalized_licenses": ["MIT"],
                  "maintainers": [{"login": "arp242"}]}
        key = "pkg:golang/github.com/BurntSushi/toml"
        ecosystems.PACKAGES[key] = record
        try:
            r = t.run("--online", "--packages-api", srv.api, "--repos-api",
                      srv.api, "--contact", CONTACT, "--cache-dir",
                      fresh_cache(t, "go"), os.path.join(d, "tool"))
        finally:
            ecosystems.PACKAGES.pop(key, None)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        bodies = [e["body"] for e in srv.log
                  if e["path"].endswith("/bulk_lookup")]
        check(any('"%s"' % key in x for x in bodies) and
              not any("pkg:golang/stdlib" in x for x in bodies), bodies)
        toml = h.by_name(r.sbom, "github.com/BurntSushi/toml")
        check(toml.get("licenses") == [{"expression": "MIT",
                                         "acknowledgement": "declared"}] and
              h.props(toml, "bindep:maintainer") == ["arp242"],
              "%r %r" % (toml.get("licenses"), toml.get("properties")))
        check("licenses" not in h.by_name(r.sbom, "stdlib"),
              "the standard library looked up by nothing")

    @case
    def online_cargo_crates_looked_up(t):
        """The crates a Rust program's cargo-auditable data names are
        looked up by their purls (pkg:cargo/<name>, case kept), as
        ecosyste.ms indexes crates.io: their licence, repository and
        maintainers come into the SBOM, a build dependency's too (its
        project is one the release relies on)."""
        import cargoaudit as C
        srv = server()
        srv.reset()
        d = h.fresh_dir(t, "cargo", "online")
        C.elf_with_payload(d, "rstool", C.payload(C.document([
            C.package("rstool", "0.1.0", "local", deps=[1, 2], root=True),
            C.package("Inflector", "0.11.4"),
            C.package("cc", "1.0.90", kind="build")])))
        records = {
            "pkg:cargo/Inflector": {
                "ecosystem": "cargo", "homepage": None, "funding_links": [],
                "name": "Inflector", "purl": "pkg:cargo/Inflector",
                "repository_url": "https://github.com/whatisinternet/inflector",
                "licenses": "BSD-2-Clause",
                "normalized_licenses": ["BSD-2-Clause"],
                "maintainers": [{"login": "whatisinternet"}]},
            "pkg:cargo/cc": {
                "ecosystem": "cargo", "homepage": None, "funding_links": [],
                "name": "cc", "purl": "pkg:cargo/cc",
                "repository_url": "https://github.com/rust-lang/cc-rs",
                "licenses": "MIT OR Apache-2.0",
                "normalized_licenses": ["MIT", "Apache-2.0"],
                "maintainers": [{"login": "alexcrichton"}]},
        }
        ecosystems.PACKAGES.update(records)
        try:
            r = t.run("--online", "--packages-api", srv.api, "--repos-api",
                      srv.api, "--contact", CONTACT, "--cache-dir",
                      fresh_cache(t, "cargo"), os.path.join(d, "rstool"))
        finally:
            for key in records:
                ecosystems.PACKAGES.pop(key, None)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        bodies = [e["body"] for e in srv.log
                  if e["path"].endswith("/bulk_lookup")]
        for key in records:
            check(any('"%s"' % key in x for x in bodies), bodies)
        inflector = h.by_name(r.sbom, "Inflector")
        check(inflector.get("licenses") == [{"expression": "BSD-2-Clause",
                                              "acknowledgement": "declared"}] and
              h.props(inflector, "bindep:maintainer") == ["whatisinternet"],
              "%r %r" % (inflector.get("licenses"), inflector.get("properties")))
        cc = h.by_name(r.sbom, "cc")
        check(cc.get("scope") == "excluded" and
              h.props(cc, "bindep:maintainer") == ["alexcrichton"],
              "%r" % cc)

    @case
    def online_distro_name_from_purl_decoded(t):
        """A Debian package known only by its purl (a .note.package, no
        source package) is looked up by the purl's name as the purl spec
        decodes it (how-to-parse.md: each part percent-decoded):
        name=libsigc++-2.0-0v5, not the encoded libsigc%2B%2B-2.0-0v5, which
        the query then encoded again (%252B) and ecosyste.ms never found."""
        srv = server()
        srv.reset()
        d = os.path.join(t.work, "plusname")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        pkg = "libsigc++-2.0-0v5"
        note = ('{"type":"deb","os":"debian","osVersion":"12","name":"%s",'
                '"version":"2.12.0-1","architecture":"amd64"}' % pkg)
        lib = bytes(h.elfgen.build(soname="libsigc-2.0.so.0", notes=[
            h.elfgen.json_note(h.elfgen.NT_FDO_PACKAGING_METADATA, note)])[0])
        with open(os.path.join(d, "libsigc-2.0.so.0"), "wb") as f:
            f.write(lib)
        key = ("debian", pkg)
        ecosystems.DISTRO[key] = {
            "name": pkg, "ecosystem": "debian", "purl": "pkg:deb/debian/libsigc%2B%2B-2.0-0v5",
            "licenses": "LGPL-2.1+", "normalized_licenses": ["LGPL-2.1-or-later"],
            "repository_url": None, "homepage": None, "funding_links": [],
            "maintainers": []}
        try:
            r = t.run("--online", "--packages-api", srv.api, "--repos-api",
                      srv.api, "--contact", CONTACT, "--cache-dir",
                      fresh_cache(t, "plusname"), d)
        finally:
            ecosystems.DISTRO.pop(key, None)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        asked = [e["query"].get("name", [""])[0] for e in srv.log
                 if e["path"].endswith("/packages/lookup")]
        check(asked == [pkg], asked)
        c = h.by_name(r.sbom, "libsigc-2.0.so.0")
        check(c.get("purl", "").startswith("pkg:deb/debian/libsigc%2B%2B-2.0-0v5@") and
              c.get("licenses") == [{"expression": "LGPL-2.1-or-later",
                                     "acknowledgement": "declared"}],
              "%r %r" % (c.get("purl"), c.get("licenses")))

    @case
    def online_packages_404_is_a_failure(t):
        """The packages API answers a package it does not know with an
        empty array (packages-openapi.yaml: 200 and an array for both
        lookups, 400 and 422 for errors): a 404 there is no answer (here a
        wrong --packages-api), a failed lookup said and marked, not
        "known not to exist": silent, complete and cached. The
        repositories API's 404 (an unknown repository or owner) still
        means none."""
        srv = server()
        srv.reset()
        root = h.golden_root(t)
        cache = fresh_cache(t, "p404")

        def run():
            return t.run("--online", "--packages-api", srv.api + "/v0",
                         "--repos-api", srv.api, "--contact", CONTACT,
                         "--cache-dir", cache, "--root", root, "--mappings-dir",
                         os.path.join(root, "mappings"), os.path.join(root, "usr"))
        for n in range(2):
            srv.reset()
            r = run()
            check(r.code == 0 and r.sbom, "exit %d: %s" % (r.code, r.err))
            w = r.warnings()
            check(len(w) == 2 and "/v0/packages/bulk_lookup': HTTP 404" in w[0] and
                  "and 4 more: HTTP 404" in w[1], w)
            check(props(r.sbom, "libz.so.1", "bindep:online-incomplete") == ["true"],
                  h.by_name(r.sbom, "libz.so.1").get("properties"))
            # Not cached: asked again.
            check(any(e["path"].endswith("/v0/packages/bulk_lookup") for e in srv.log),
                  "run %d: %r" % (n, srv.log))
            # The repository's 404 (facebook/zstd is known, a glibc one
            # is not) is no failure; madler/zlib's FUNDING.yml is read.
            z = h.by_name(r.sbom, "libz.so.1")
            check("https://github.com/sponsors/madler" in funding_refs(z), funding_refs(z))

    @case
    @h.waits
    def online_failures_are_warnings(t):
        srv = server()
        for mode, words in (("500", "HTTP 500"), ("notjson", "not JSON"),
                            ("shape", "unexpected answer"), ("slow", "imeout")):
            srv.reset(mode)
            r = online(t, srv.api, fresh_cache(t, "f"), "--timeout", "2")
            check(r.code == 0 and r.sbom, "%s: exit %d" % (mode, r.code))
            w = r.warnings()
            # After 8 in a row failed, the rest are not asked: one
            # warning counts them.
            check(w and all("ecosyste.ms lookup 'http://127.0.0.1:" in x or
                            x.endswith("not asked: the 8 before them failed; the SBOM "
                                       "is written without them") for x in w) and
                  any(words in x for x in w), "%s: %r" % (mode, w))
            check(props(r.sbom, "libz.so.1", "bindep:online-incomplete") == ["true"], mode)
            comp = [c for c in r.sbom["compositions"]
                    if c.get("bom-ref") == "online-enrichment"]
            check(len(comp) == 1 and comp[0]["aggregate"] == "incomplete" and
                  h.by_name(r.sbom, "libz.so.1")["bom-ref"] in comp[0]["assemblies"],
                  "%s: compositions %r" % (mode, r.sbom["compositions"]))
            check(h.by_name(r.sbom, "libz.so.1")["purl"].startswith("pkg:deb/"), "nothing lost")
        gone = online(t, closed_port(), fresh_cache(t, "f"))
        check(gone.code == 0 and gone.sbom and gone.warnings(), gone.err)
        check(any("onnect" in w for w in gone.warnings()), gone.warnings())

    @case
    @h.waits
    def online_retries_429(t):
        srv = server()
        srv.reset("429")
        r = online(t, srv.api, fresh_cache(t, "r"))
        check(r.code == 0 and not r.warnings(), r.err)
        enriched(r.sbom)
        check(all(n == 2 for n in srv.seen.values()), "each asked twice: %r" % srv.seen)

    @case
    def online_cache(t):
        srv = ecosystems.Server()  # its own: it goes away in the end
        cache = fresh_cache(t, "c")
        first = online(t, srv.api, cache)
        asked = len(srv.log)
        check(first.code == 0 and asked, first.err)
        # Fresh entries: nothing asked.
        srv.reset()
        hit = online(t, srv.api, cache)
        check(hit.raw == first.raw and srv.log == [], "from the cache: %r" % srv.log)
        # Expired entries are asked again.
        online(t, srv.api, cache, "--cache-ttl", "0")
        check(len(srv.log) == asked, "expired: %d of %d asked" % (len(srv.log), asked))
        # Corrupt entries are ignored and fetched again, quietly.
        entries = sorted(os.listdir(cache))
        check(len(entries) == asked and all(e.endswith(".json") for e in entries), entries)
        for e in entries:
            with open(os.path.join(cache, e), "r+b") as f:
                f.seek(-2, os.SEEK_END)
                f.write(b"#")
        srv.reset()
        fixed = online(t, srv.api, cache)
        check(fixed.raw == first.raw and not fixed.warnings() and len(srv.log) == asked,
              "corrupt entries refetched: %d of %d" % (len(srv.log), asked))
        # The server gone: the same SBOM from the cache, quietly.
        srv.stop()
        again = online(t, srv.api, cache)
        check(again.code == 0 and not again.warnings(), again.err)
        check(again.raw == first.raw, "the same SBOM from the cache")
        # Expired, and the server gone: the old answers, with a warning.
        stale = online(t, srv.api, cache, "--cache-ttl", "0")
        check(stale.code == 0 and stale.warnings() and
              all("using the expired cached answer" in w for w in stale.warnings()),
              stale.warnings())
        enriched(stale.sbom)

    @case
    def funding_report(t):
        srv = server()
        srv.reset()
        cache = fresh_cache(t, "fund")
        r = online(t, srv.api, cache, "--format", "funding", "-o", "-")
        check(r.code == 0 and not r.warnings(), r.err)
        rep = json.loads(r.out)
        names = [p["name"] for p in rep["projects"]]
        zlib = [p for p in rep["projects"] if p["name"] == "zlib"][0]
        check(zlib["funding"] == ["https://zlib.net/donate", "https://github.com/sponsors/madler",
                                  "https://opencollective.com/zlib"], zlib)
        check(zlib["maintainers"] == ["madler <https://github.com/madler>"], zlib)
        check(zlib["used_by"] == [{"artifact": "/usr/bin/app", "how": ["direct"]}], zlib)
        brotli = [p for p in rep["projects"] if p["name"] == "brotli"][0]
        # Bundled in the scanned tree, and needed by libfoo (needed by app).
        check(brotli["artifacts"] == 3 and brotli["how"] == ["bundled", "direct", "transitive"],
              brotli)
        zstd = [p for p in rep["projects"] if p["purl"] == "pkg:deb/debian/libzstd1"][0]
        check(zstd["how"] == ["dlopen"], zstd)
        counts = [p["artifacts"] for p in rep["projects"]]
        check(counts == sorted(counts, reverse=True), "most used first: %r" % names)
        md = online(t, srv.api, cache, "--format", "funding", "--funding-format", "markdown",
                    "-o", "-").out.decode()
        check("| zlib | https://github.com/madler/zlib | 1 | direct | Zlib | "
              "https://zlib.net/donate<br>https://github.com/sponsors/madler<br>"
              "https://opencollective.com/zlib | madler <https://github.com/madler> |" in md, md)
        csv_text = online(t, srv.api, cache, "--format", "funding", "--funding-format", "csv",
                          "-o", "-").out.decode()
        rows = list(csv.DictReader(io.StringIO(csv_text)))
        check([row["project"] for row in rows] == names, "csv rows in the same order")
        check(rows[names.index("zlib")]["funding"].split() == zlib["funding"], rows)

    @case
    def online_libcurl_loaded_only_for_online(t):
        """libcurl is dlopen()ed by --online alone: the binary does not
        need it (no DT_NEEDED), its .note.dlopen names it (read by the tool
        itself), an offline run never maps it (LD_DEBUG=files), an online
        run does. One that cannot load it (not ELF, or no curl_* symbols,
        first on LD_LIBRARY_PATH) fails saying why, with no SBOM."""
        import subprocess
        dyn = subprocess.run(["readelf", "-dW", t.binary], capture_output=True,
                             text=True, check=True).stdout
        check("libcurl" not in dyn and "(NEEDED)" in dyn, dyn)
        own = t.run("--mappings-dir", os.path.join(h.golden_root(t), "mappings"),
                    t.binary)
        curl = h.by_name(own.sbom, "libcurl.so.4")
        check(own.code == 0 and curl, own.err.decode())
        check(h.props(curl, "bindep:dlopen:feature") == ["online"],
              [p for p in curl.get("properties", []) if "dlopen" in p["name"]])
        offline = t.run("--mappings-dir", os.path.join(h.golden_root(t), "mappings"),
                        "--root", h.golden_root(t), os.path.join(h.golden_root(t), "usr"),
                        env={"LD_DEBUG": "files"})
        check(offline.code == 0 and "file=libc.so.6" in offline.err.decode(), offline.err.decode()[-400:])
        check("libcurl" not in offline.err.decode(), "offline: libcurl mapped")
        srv = server()
        srv.reset()
        up = online(t, srv.api, fresh_cache(t, "l"), env={"LD_DEBUG": "files"})
        check(up.code == 0 and "file=libcurl.so.4" in up.err.decode(), up.err.decode()[-400:])
        fake = os.path.join(t.work, "fakecurl")
        os.makedirs(fake, exist_ok=True)
        with open(os.path.join(fake, "libcurl.so.4"), "wb") as f:
            f.write(b"not a library\n" * 100)
        bad = online(t, srv.api, fresh_cache(t, "l"),
                     env={"LD_LIBRARY_PATH": fake})
        check(bad.code == 1 and bad.sbom is None, "exit %d" % bad.code)
        check("error: cannot load libcurl for --online: " in bad.err.decode() and
              "libcurl.so.4" in bad.err.decode(), bad.err.decode())
        src = os.path.join(fake, "empty.c")
        with open(src, "w") as f:
            f.write("int not_curl(void) { return 0; }\n")
        subprocess.run([os.environ.get("CC", "cc"), "-shared", "-fPIC", "-o",
                        os.path.join(fake, "libcurl.so.4"),
                        "-Wl,-soname,libcurl.so.4", src], check=True)
        stub = online(t, srv.api, fresh_cache(t, "l"),
                      env={"LD_LIBRARY_PATH": fake})
        check(stub.code == 1 and stub.sbom is None, "exit %d" % stub.code)
        check("cannot load libcurl for --online: 'libcurl.so.4': no symbol "
              "curl_global_init" in stub.err.decode(), stub.err.decode())
