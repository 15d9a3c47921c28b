"""Hardening cases of --online, second round (registered by run.py): a
server that misbehaves below HTTP's surface (raw bytes on the socket:
huge, endless, compressed, cut short or dripping answers), answers whose
strings hold what no SBOM may carry raw, and a hostile cache directory
beyond hard_online's (an entry that is a directory, sparse, or from
the future; a full disk; a cache directory given empty, or too long).

RawServer answers each request with what a case's function writes on the
socket itself, so that the answer may be anything at all; the answers'
data are ecosystems.py's.
"""
import gzip
import copy
import hashlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import zlib

import ecosystems
import elfgen as E

CONTACT = ecosystems.CONTACT
MAGIC = b"bindep-sbom cache 1\n"
TIMED_OUT = 124  # timeout(1)'s exit status


class RawServer:
    """HTTP/1.1 on 127.0.0.1, one thread a connection. behave(sock, req)
    writes the answer as bytes, or returns None to get the normal one
    (ecosystems.py's data). req: method, path, query, body, headers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.api = "http://127.0.0.1:%d/api/v1" % self.port
        self.behave = None
        self.log = []
        self.lock = threading.Lock()
        self.stopped = False
        threading.Thread(target=self.accept, daemon=True).start()

    def stop(self):
        self.stopped = True
        self.sock.close()

    def reset(self, behave=None):
        with self.lock:
            self.behave = behave
            self.log = []

    def accept(self):
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def read_request(self, f):
        line = f.readline()
        if not line:
            return None
        method, target, _ = line.decode("latin-1").split(" ", 2)
        headers = {}
        while True:
            h = f.readline()
            if h in (b"\r\n", b"\n", b""):
                break
            k, v = h.decode("latin-1").split(":", 1)
            headers[k.strip().lower()] = v.strip()
        body = f.read(int(headers.get("content-length", "0"))) or None
        url = urllib.parse.urlsplit(target)
        return {"method": method, "target": target, "path": url.path,
                "query": urllib.parse.parse_qs(url.query), "headers": headers,
                "body": body, "time": time.monotonic()}

    def serve(self, conn):
        f = conn.makefile("rb")
        try:
            while True:
                req = self.read_request(f)
                if req is None:
                    break
                with self.lock:
                    self.log.append(req)
                    behave = self.behave
                if behave is None or behave(conn, req) is None:
                    conn.sendall(self.normal(req))
                elif req.get("close", True):
                    break
        except (OSError, ValueError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    @staticmethod
    def answer(req):
        """(status, JSON bytes) of the stand-in for ecosyste.ms."""
        status, doc = ecosystems.Server.answer(None, req["path"], req["query"], req["body"])
        return status, json.dumps(doc).encode()

    def normal(self, req):
        status, data = self.answer(req)
        return head(status, [("Content-Length", str(len(data)))]) + data


def head(status, headers=(), version="HTTP/1.1"):
    lines = ["%s %d X" % (version, status), "Content-Type: application/json"]
    lines += ["%s: %s" % kv for kv in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def register(case, h):
    check = h.check
    state = {}

    def server():
        if "server" not in state:
            state["server"] = RawServer()
        return state["server"]

    def online(t, api, cache, *extra, **kw):
        return ecosystems.run_online(t, h, api, cache, *extra, **kw)

    def fresh(t, name):
        return ecosystems.free_path(t, "hard2-" + name)

    def offline_like(t, r, what):
        """Every lookup failed: the SBOM is the one with no answers, each
        component that would have been looked up marked incomplete."""
        check(r.code == 0 and r.sbom, "%s: exit %d: %s" % (what, r.code, r.err))
        check(b"runtime error" not in r.err and b"Sanitizer" not in r.err,
              "%s: %s" % (what, r.err))
        check(not any(p["name"] in ("bindep:maintainer", "bindep:online-source")
                      for c in h.comps(r.sbom) for p in c.get("properties", [])),
              "%s: enriched" % what)
        check(h.prop(h.by_name(r.sbom, "libz.so.1"), "bindep:online-incomplete") == "true",
              "%s: lookups did not fail" % what)

    def timed(t, srv, behave, *extra, limit=60):
        srv.reset(behave)
        start = time.monotonic()
        r = online(t, srv.api, fresh(t, "c"), *extra,
                   prefix=("timeout", str(limit * (10 if t.wrapper else 1))))
        return r, time.monotonic() - start

    def send(sock, data):
        try:
            sock.sendall(data)
            return True
        except OSError:
            return False

    def enriched(r):
        return h.props(h.by_name(r.sbom, "libz.so.1"), "bindep:maintainer") == \
            ["madler <https://github.com/madler>"]

    # ---- answers that do not end, or end too late --------------------

    @case
    def hard2_answer_huge(t):
        """An answer past 32 MiB, with a length, chunked, or HTTP/1.0 up
        to the close: each lookup fails saying so, at once, and the SBOM
        is written without it."""
        block = b" " * (1 << 20)

        def sized(sock, req):
            send(sock, head(200, [("Content-Length", str(48 << 20))]) + b"[")
            for _ in range(48):
                if not send(sock, block):
                    break
            return True

        def chunked(sock, req):
            send(sock, head(200, [("Transfer-Encoding", "chunked")]))
            for _ in range(4096):
                if not send(sock, b"%x\r\n%s\r\n" % (len(block), block)):
                    break
            return True

        def unsized(sock, req):
            send(sock, head(200, version="HTTP/1.0"))
            for _ in range(4096):
                if not send(sock, block):
                    break
            return True

        for behave in (sized, chunked, unsized):
            r, took = timed(t, server(), behave)
            offline_like(t, r, behave.__name__)
            # Timed only without a wrapper: under valgrind, reading the
            # 32 MiB before the cap took 32 s of a loaded check-full.
            check(r.code != TIMED_OUT and (t.wrapper or took < 30),
                  "%s: took %.1f s" % (behave.__name__, took))
            w = r.warnings()
            check(w and all("larger than 32 MiB" in x or "not asked" in x for x in w),
                  "%s: %r" % (behave.__name__, w))

    @case
    @h.waits
    def hard2_answer_drip(t):
        """A server that sends its answer a byte at a time and never ends
        it, in the body or in the headers: --timeout holds for the whole
        answer, not between two bytes."""
        def body(sock, req):
            send(sock, head(200, [("Content-Length", "100000000")]) + b"[")
            while send(sock, b" "):
                time.sleep(0.2)
            return True

        def headers(sock, req):
            send(sock, b"HTTP/1.1 200 OK\r\n")
            while send(sock, b"X-Drip: 1\r\n"):
                time.sleep(0.2)
            return True

        def interim(sock, req):
            while send(sock, b"HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"):
                time.sleep(0.2)
            return True

        # The same run answered at once: what the scan itself takes, slow
        # under valgrind on a busy machine.
        first, base = timed(t, server(), None, "--timeout", "1")
        check(first.code == 0 and not first.warnings(), first.err)
        for behave in (body, headers, interim):
            r, took = timed(t, server(), behave, "--timeout", "1")
            offline_like(t, r, behave.__name__)
            # Five lookups of at most 1 s, four at once: about 2 s more;
            # a timeout between two bytes only would wait out the 10 s
            # deadline. Under valgrind curl's work on the drip alone comes
            # near that (8 s more in a check-full): not timed there.
            check(t.wrapper or took < base + 5,
                  "%s: took %.1f s, %.1f s answered at once"
                  % (behave.__name__, took, base))
            w = r.warnings()
            check(w and any("imeout" in x or "imed out" in x for x in w),
                  "%s: %r" % (behave.__name__, w))

    # ---- compressed answers --------------------------------------------

    @case
    def hard2_answer_compression_bomb(t):
        """An answer that inflates past 32 MiB (gzip, deflate, gzip twice)
        fails like a long one; a small compressed answer is read as any
        other; a broken stream fails with a warning."""
        bomb = b"[" + b" " * (100 << 20) + b"]"
        gz = gzip.compress(bomb, 9)
        variants = {
            "gzip": (gz, "gzip"),
            "deflate": (zlib.compress(bomb, 9), "deflate"),
            "gzip, gzip": (gzip.compress(gz, 9), "gzip, gzip"),
        }
        for name, (data, enc) in variants.items():
            def behave(sock, req, data=data, enc=enc):
                send(sock, head(200, [("Content-Encoding", enc),
                                      ("Content-Length", str(len(data)))]) + data)
                return True
            r, took = timed(t, server(), behave)
            offline_like(t, r, name)
            # As hard2_answer_huge: not timed under a wrapper.
            check(t.wrapper or took < 30, "%s: took %.1f s" % (name, took))
            w = r.warnings()
            check(w and all("larger than 32 MiB" in x or "not asked" in x for x in w),
                  "%s: %r" % (name, w))

        def small(sock, req):
            status, data = RawServer.answer(req)
            data = gzip.compress(data)
            send(sock, head(status, [("Content-Encoding", "gzip"),
                                     ("Content-Length", str(len(data)))]) + data)
            return True
        r, _ = timed(t, server(), small)
        check(r.code == 0 and not r.warnings() and enriched(r), r.err)

        def broken(sock, req):
            data = b"\x1f\x8b\x08\x00garbage that does not inflate"
            send(sock, head(200, [("Content-Encoding", "gzip"),
                                  ("Content-Length", str(len(data)))]) + data)
            return True
        r, _ = timed(t, server(), broken)
        offline_like(t, r, "broken")
        check(r.warnings(), "broken: no warning")

    # ---- answers cut short ---------------------------------------------

    @case
    def hard2_answer_cut_short(t):
        """A connection closed before the answer's end (its length not
        reached, a chunk cut, no answer at all) fails each lookup with a
        warning; an HTTP/1.0 answer without a length ends at the close
        and is read."""
        def short(sock, req):
            send(sock, head(200, [("Content-Length", "1000")]) + b"[{\"purl\":")
            return True

        def chunk_cut(sock, req):
            send(sock, head(200, [("Transfer-Encoding", "chunked")]) + b"100\r\n[{")
            return True

        def nothing(sock, req):
            return True

        def garbage(sock, req):
            send(sock, b"\x1b[2J\x00\xff garbage, not HTTP\r\n\r\n")
            return True

        for behave in (short, chunk_cut, nothing, garbage):
            r, _ = timed(t, server(), behave, "--timeout", "5")
            offline_like(t, r, behave.__name__)
            w = r.warnings()
            check(w and len(w) <= 3, "%s: %r" % (behave.__name__, w))
            check(b"\x1b" not in r.err, "%s: an escape printed raw" % behave.__name__)

        def http10(sock, req):
            status, data = RawServer.answer(req)
            send(sock, head(status, version="HTTP/1.0") + data)
            return True
        r, _ = timed(t, server(), http10)
        check(r.code == 0 and not r.warnings() and enriched(r), r.err)

    @case
    def hard2_answer_header_too_long(t):
        """A header line longer than libcurl takes (100 KiB: a Location, or
        any other) fails the lookup with a warning that says so, not
        libcurl's "Out of memory", which blames this machine."""
        for name in ("Location", "X-Junk"):
            def behave(sock, req, name=name):
                send(sock, head(302 if name == "Location" else 200,
                                [(name, "/" + "a" * 200000), ("Content-Length", "0")]))
                return True
            r, _ = timed(t, server(), behave)
            offline_like(t, r, name)
            w = r.warnings()
            check(w and not any("Out of memory" in x for x in w), "%s: %r" % (name, w))
            check(any("header" in x for x in w), "%s: %r" % (name, w))

    # ---- what the answers say ------------------------------------------

    # Raw in the JSON text: 0xff 0xfe, a C1 CSI, U+202E, an encoded
    # surrogate; and as JSON escapes: ESC, BEL, CR LF, a C1.
    RAW = b"r\xff\xfe\xc2\x9b1m\xe2\x80\xae\xed\xa0\x80w"
    ESCAPED = "e\u001b]0;t\u0007\u001b[31m\r\n\u009b2J"

    def hostile_answer(req):
        """The normal answer, its strings hostile: maintainers' logins and
        names, licence texts, a licence ID, FUNDING.yml names."""
        status, doc = ecosystems.Server.answer(None, req["path"], req["query"], req["body"])
        doc = copy.deepcopy(doc)
        for rec in doc if isinstance(doc, list) else []:
            rec["maintainers"] = [{"login": "RAW", "html_url": None},
                                  {"login": ESCAPED, "html_url": None}]
            rec["licenses"] = rec["licenses"] + " RAW " + ESCAPED
            rec["normalized_licenses"] = rec["normalized_licenses"] + ["RAW", ESCAPED]
        if isinstance(doc, dict) and "metadata" in doc:
            doc["metadata"]["funding"] = {"github": ["RAW", ESCAPED], "custom": ["RAW"]}
        if isinstance(doc, dict) and "funding_links" in doc:
            doc["funding_links"] = ["https://x.example/RAW", ESCAPED]
        return status, json.dumps(doc).encode().replace(b"RAW", RAW)

    @case
    def hard2_answer_hostile_bytes(t):
        """Answers whose strings hold terminal escapes, invalid UTF-8, C1
        and bidi controls, an encoded surrogate and CR LF: every format
        written (the SBOMs validated by run.py) carries none of those
        bytes raw, nor does standard error."""
        def behave(sock, req):
            status, data = hostile_answer(req)
            send(sock, head(status, [("Content-Length", str(len(data)))]) + data)
            return True
        srv = server()
        cache = fresh(t, "hostile")
        raw_bad = (b"\x1b", b"\x07", b"\r", b"\xff", b"\xfe", b"\xc2\x9b",
                   b"\xe2\x80\xae", b"\xed\xa0\x80")
        for extra in ((), ("--format", "spdx"), ("--format", "spdx3"),
                      ("--format", "funding", "-o", "-"),
                      ("--format", "funding", "--funding-format", "markdown", "-o", "-"),
                      ("--format", "funding", "--funding-format", "csv", "-o", "-"),
                      ("--format", "text", "-o", "-"), ("--format", "summary", "-o", "-"),
                      ("--format", "dot", "-o", "-")):
            srv.reset(behave)
            r = online(t, srv.api, cache, *extra)
            what = " ".join(extra) or "cyclonedx"
            check(r.code == 0, "%s: exit %d: %s" % (what, r.code, r.err))
            out = r.raw if r.raw is not None else r.out
            check(out, "%s: nothing written" % what)
            if "csv" in extra:
                out = out.replace(b"\r\n", b"\n")
            for b in raw_bad:
                check(b not in out, "%s: %r written raw" % (what, b))
                check(b not in r.err, "%s: %r in a message" % (what, b))
            if extra[:2] == ("--format", "funding") and len(extra) == 4:
                json.loads(out)
            if not extra:
                check(ESCAPED in h.props(h.by_name(r.sbom, "libz.so.1"), "bindep:maintainer"),
                      "the hostile login was not kept, escaped")

    # ---- answers of the wrong shape ------------------------------------

    @case
    def hard2_answer_wrong_types(t):
        """Answers whose every field has the wrong type, an array nested
        past cJSON's limit, duplicate keys, numbers past any range: no
        crash (the sanitized build aborts on undefined behaviour), the
        SBOM written and the first of a duplicate key taken."""
        nested = b"[" * 5000 + b"]" * 5000

        def wrong(req):
            status, doc = ecosystems.Server.answer(None, req["path"], req["query"], req["body"])
            if isinstance(doc, list) and doc:
                weird = [1, "x", None, [], True, {"purl": 5}, {"purl": ["a"]},
                         {"purl": "pkg:github/madler/zlib", "maintainers": {"login": "x"},
                          "funding_links": "https://x.example/", "licenses": 7,
                          "normalized_licenses": [1, None, {}, [], "MIT"],
                          "repository_url": ["https://github.com/madler/zlib"],
                          "homepage": {"u": 1}, "dependent_repos_count": "9"},
                         {"repository_url": "https://github.com/madler/zlib",
                          "dependent_repos_count": 1e999, "purl": "pkg:pypi/x",
                          "maintainers": [{"login": "inf"}]},
                         {"repository_url": "https://github.com/madler/zlib",
                          "dependent_repos_count": -1e999, "purl": "pkg:pypi/y"}]
                return status, json.dumps(weird).replace("Infinity", "1e999").encode()
            if isinstance(doc, dict) and "metadata" in doc:
                d = dict(doc, metadata={"funding": {"github": {"a": 1}, "custom": [1, None],
                                                    "patreon": ["x", 5], "ko_fi": 1e999}},
                         owner_url=["x"])
                return status, json.dumps(d).replace("Infinity", "1e999").encode()
            if isinstance(doc, dict):
                return status, b'{"funding_links": [1], "funding_links": ["https://a.example/"]}'
            return status, json.dumps(doc).encode()

        def dup(req):
            status, data = RawServer.answer(req)
            doc = json.loads(data)
            if isinstance(doc, list) and doc:
                # Each record twice, and each key of it twice: the first
                # counts.
                recs = []
                for rec in doc:
                    again = dict(rec, maintainers=[{"login": "second"}], licenses="X")
                    recs.append(b"{" + json.dumps(rec).encode()[1:-1] + b", " +
                                json.dumps(again).encode()[1:-1] + b"}")
                data = b"[" + b", ".join(recs + recs) + b"]"
            return status, data

        for name, make in (("wrong", wrong), ("dup", dup),
                           ("nested", lambda req: (200, nested)),
                           ("nested-object",
                            lambda req: (200, b'{"a":' * 5000 + b"1" + b"}" * 5000))):
            def behave(sock, req, make=make):
                status, data = make(req)
                send(sock, head(status, [("Content-Length", str(len(data)))]) + data)
                return True
            r, _ = timed(t, server(), behave)
            check(r.code == 0 and r.sbom, "%s: exit %d: %s" % (name, r.code, r.err))
            check(b"runtime error" not in r.err and b"Sanitizer" not in r.err, r.err)
            if name == "dup":
                check(enriched(r), "dup: %r" % h.props(h.by_name(r.sbom, "libz.so.1"),
                                                       "bindep:maintainer"))

    def answered(t, path_end, body, *args, **kw):
        """A run whose requests to a path ending in path_end get body (the
        rest the server's normal answers), and how long it took."""
        def behave(sock, req):
            if not req["path"].endswith(path_end):
                return None
            send(sock, head(200, [("Content-Length", str(len(body)))]) + body)
            return True
        srv = server()
        srv.reset(behave)
        start = time.monotonic()
        r = t.run("--online", "--packages-api", srv.api, "--repos-api", srv.api,
                  "--contact", CONTACT, *args, **kw)
        return r, time.monotonic() - start

    @case
    def hard2_answer_many_records_many_components(t):
        """A bulk answer of 60,000 records (within the 250,000 values an
        answer may hold), shared by 2,000 components of one project: each
        was matched by a walk through every record (a purl copied and
        lowered each time), 2,000 x 60,000 after the stage's time limit,
        23 s here for an answer of 21 MB, and 10 times that for 20,000
        components. The records are indexed once: the same match (the
        same purl first, else the repository's most depended-upon
        record, the first of equals), in a moment."""
        n = 2000
        tree = fresh(t, "many")
        for i in range(n):
            d = os.path.join(tree, "d%04d" % i)
            os.makedirs(d)
            with open(os.path.join(d, "libbrotlicommon.so.1"), "wb") as f:
                f.write(E.build(soname="libbrotlicommon.so.1", rodata=b"copy %d" % i)[0])
        brotli = ecosystems.PACKAGES["pkg:github/google/brotli"]
        junk = b'{"purl":"pkg:npm/' + b"j" * 160 + b'","repository_url":"https://x.example/"}'
        same_repo = [dict(brotli, purl="pkg:pypi/lower", dependent_repos_count=5,
                          maintainers=[{"login": "lower"}]),
                     dict(brotli, purl="pkg:pypi/minus", dependent_repos_count=-5,
                          maintainers=[{"login": "minus"}])]
        tie = dict(brotli, purl="pkg:pypi/tie", maintainers=[{"login": "tie"}])
        body = (b"[" + b",".join([junk] * 30000 + [json.dumps(x).encode() for x in
                                                   same_repo + [brotli, tie]] +
                                 [junk] * 30000) + b"]")
        root = h.golden_root(t)
        # Neither run's document is checked against the schemas (as
        # hard2_answer_many_records_one_source's): 2,000 components of one
        # shape took the two validators 4 to 8 s, inside both timings; an
        # enriched component is checked in every other online case.
        r, took = answered(t, "/bulk_lookup", body, "--cache-dir",
                           fresh(t, "many-cache"), "--mappings-dir",
                           os.path.join(root, "mappings"), tree,
                           validate_sbom=False)
        check(r.code == 0 and not r.warnings(), "exit %d: %s" % (r.code, r.err))
        comps = [c for c in h.comps(r.sbom) if c["name"] == "libbrotlicommon.so.1"]
        check(len(comps) == n, "%d components" % len(comps))
        wrong = [h.props(c, "bindep:maintainer") for c in comps
                 if h.props(c, "bindep:maintainer") != ["eustas"]]
        check(not wrong, "%d not matched to the most depended-upon record: %r" %
              (len(wrong), wrong[:3]))
        # Against the same scan offline, as loaded as it: the walk
        # through every record took 23 s more; indexed, a moment (the
        # 21 MB answer read and parsed). A bound of 10 s in all failed
        # on a machine shared with a check-full (13 s).
        start = time.monotonic()
        base_run = t.run("--mappings-dir", os.path.join(root, "mappings"),
                         tree, validate_sbom=False)
        base = time.monotonic() - start
        check(base_run.code == 0, base_run.err)
        check(t.wrapper or took < base + 8,
              "took %.1f s, %.1f s offline" % (took, base))

    @case
    def hard2_answer_many_records_one_source(t):
        """A distribution's answer of 120,000 records for a source of
        6,000 packages: each package walked every record for its name,
        11 s here; the answer is walked once for the source, and every
        package gets the first record of its name."""
        n = 6000
        root = h.debian_root(fresh(t, "source"), n, "bigsrc")
        junk = b'{"name":"' + b"n" * 200 + b'"}'
        mine = {"name": "bigsrc", "licenses": "MIT", "normalized_licenses": ["MIT"]}
        later = dict(mine, licenses="Zlib", normalized_licenses=["Zlib"])
        body = b"[" + b",".join([junk] * 120000 + [json.dumps(mine).encode(),
                                                   json.dumps(later).encode()]) + b"]"
        r, took = answered(t, "/packages/lookup", body, "--cache-dir",
                           fresh(t, "source-cache"), "--root", root,
                           validate_sbom=False)
        check(r.code == 0 and not r.warnings(), "exit %d: %s" % (r.code, r.err))
        comps = [c for c in h.comps(r.sbom) if c["name"].startswith("libq")]
        check(len(comps) == n, "%d components" % len(comps))
        wrong = [c.get("licenses") for c in comps
                 if c.get("licenses") != [{"expression": "MIT", "acknowledgement": "declared"}]]
        check(not wrong, "%d without the first record's licence: %r" % (len(wrong), wrong[:3]))
        # Against the same scan offline, as loaded as it (see
        # hard2_answer_many_records_many_components): 11 s more before.
        start = time.monotonic()
        base_run = t.run("--root", root, validate_sbom=False)
        base = time.monotonic() - start
        check(base_run.code == 0, base_run.err)
        check(t.wrapper or took < base + 4,
              "took %.1f s, %.1f s offline" % (took, base))

    # ---- the cache -----------------------------------------------------

    def baseline(t, name):
        srv = server()
        srv.reset()
        cache = fresh(t, name)
        r = online(t, srv.api, cache)
        check(r.code == 0 and not r.warnings() and enriched(r), r.err)
        return r, cache, sorted(os.listdir(cache))

    @case
    def hard2_cache_entry_directory(t):
        """An entry that is a directory (empty, or holding a file) is a
        miss: the answer fetched, the SBOM the same; it cannot be
        replaced, so one warning says answers are not cached, naming
        it, and the directory keeps what it held."""
        first, cache, names = baseline(t, "dir")
        for i, n in enumerate(names):
            p = os.path.join(cache, n)
            os.remove(p)
            os.mkdir(p, 0o700)
            if i % 2:
                with open(os.path.join(p, "kept"), "wb") as f:
                    f.write(b"kept\n")
        not_cached(t, cache, first)
        check(sorted(os.listdir(cache)) == names, "left: %r" % os.listdir(cache))
        for i, n in enumerate(names):
            p = os.path.join(cache, n)
            check(os.path.isdir(p) and os.listdir(p) == (["kept"] if i % 2 else []), n)

    def not_cached(t, cache, first):
        """A run with the normal answers whose cache cannot be written: the
        SBOM of the first run, and one warning naming the cache."""
        srv = server()
        srv.reset()
        r = online(t, srv.api, cache)
        check(r.code == 0 and r.raw == first.raw, "exit %d: %s" % (r.code, r.err))
        w = r.warnings()
        check(len(w) == 1 and "answers are not cached" in w[0] and cache in w[0], w)

    @case
    def hard2_cache_sparse_entry(t):
        """An entry of 8 GiB (sparse) is not read: a miss, fetched and
        replaced at once."""
        first, cache, names = baseline(t, "sparse")
        for n in names:
            with open(os.path.join(cache, n), "r+b") as f:
                f.truncate(8 << 30)
        srv = server()
        srv.reset()
        start = time.monotonic()
        r = online(t, srv.api, cache)
        took = time.monotonic() - start
        check(r.code == 0 and not r.warnings() and r.raw == first.raw, r.err)
        check(took < 20, "took %.1f s" % took)
        check(all(os.path.getsize(os.path.join(cache, n)) < (1 << 20) for n in names),
              "not replaced")

    @case
    def hard2_cache_full_disk(t):
        """A cache directory on a full file system (a tmpfs of 64 KiB, as
        root): one warning that answers are not cached, the SBOM the one
        fetched, no temporary left."""
        if os.geteuid() != 0:
            return
        first, _, _ = baseline(t, "full-src")
        mnt = fresh(t, "full")
        os.mkdir(mnt, 0o700)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mnt],
                          capture_output=True).returncode:
            return  # no mount here (a container without the right)
        try:
            fd = os.open(os.path.join(mnt, "fill"), os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                while os.write(fd, b"x" * 512):
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
            not_cached(t, mnt, first)
            check(os.listdir(mnt) == ["fill"], "left: %r" % os.listdir(mnt))
        finally:
            subprocess.run(["umount", mnt])

    @case
    def hard2_cache_home_too_long(t):
        """XDG_CACHE_HOME (or HOME) longer than a path may be: no cache,
        one warning naming it, never a directory made at a path cut
        short of the one named."""
        srv = server()
        top = fresh(t, "long")
        os.mkdir(top)
        deep = top + "/" + "/".join(["d" * 200] * 21)
        for var, value, made in (("XDG_CACHE_HOME", deep, deep + "/bindep-sbom"),
                                 ("HOME", deep, deep + "/.cache/bindep-sbom")):
            srv.reset()
            env = {"XDG_CACHE_HOME": value if var == "XDG_CACHE_HOME" else None,
                   "HOME": value if var == "HOME" else "/nonexistent"}
            root = h.golden_root(t)
            r = t.run("--online", "--packages-api", srv.api, "--repos-api", srv.api,
                      "--contact", CONTACT, "--root", root,
                      "--mappings-dir", os.path.join(root, "mappings"),
                      os.path.join(root, "usr"), env=env)
            check(r.code == 0 and enriched(r), "%s: exit %d: %s" % (var, r.code, r.err))
            made_dirs = [d for d, _, _ in os.walk(top)]
            check(made_dirs == [top],
                  "%s: made %r" % (var, [d[len(top):][-40:] for d in made_dirs]))
            w = r.warnings()
            check(len(w) == 1 and var in w[0], "%s: %r" % (var, w))

    @case
    def hard2_cache_dir_empty(t):
        """--cache-dir '' (an unset variable's expansion) is a usage error,
        as -o '' is: it read past the end of its copy (the sanitized build
        aborts) and then asked to create what it found there."""
        srv = server()
        srv.reset()
        r = online(t, srv.api, "")
        check(b"AddressSanitizer" not in r.err, r.err)
        check(r.code == 2 and b"--cache-dir wants a directory" in r.err,
              "exit %d: %s" % (r.code, r.err))
        check(srv.log == [], "asked: %r" % srv.log)

    @case
    def hard2_cache_entry_from_the_future(t):
        """Valid entries that lie, stored 10 years from now: not fresh
        (asked again, the SBOM the one fetched, the entries replaced);
        the server gone, they are the expired answers used, with the
        warning that says so."""
        first, cache, names = baseline(t, "future")
        later = int(time.time()) + 10 * 365 * 86400
        for n in names:
            p = os.path.join(cache, n)
            with open(p, "rb") as f:
                data = f.read()
            headline, body = data[len(MAGIC):].split(b"\n", 1)
            body = body.replace(b"madler", b"mallory")
            fields = headline.split()
            entry = MAGIC + b"%d %s %d %s\n" % (later, fields[1], len(body),
                                                 hashlib.sha256(body).hexdigest().encode())
            with open(p, "wb") as f:
                f.write(entry + body)
        srv = server()
        srv.reset()
        r = online(t, srv.api, cache)
        check(r.code == 0 and not r.warnings() and r.raw == first.raw, r.err)
        check(len(srv.log) == len(names), "asked %d of %d" % (len(srv.log), len(names)))
        for n in names:
            with open(os.path.join(cache, n), "rb") as f:
                check(b"mallory" not in f.read(), "%s: not replaced" % n)

    return None
