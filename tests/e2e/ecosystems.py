"""A stand-in for the ecosyste.ms APIs on 127.0.0.1, for the online tests.

Answers are shaped like the OpenAPI specs (packages and repos); a mode makes
it misbehave: 500, a body that is not JSON, the wrong shape, 429 with
Retry-After before the real answer, or an answer slower than any timeout.
The hardening modes: "retry-after" answers each path first with 503 and
Retry-After: <arg>; "redirect" answers every request not under /moved with
a redirect to <arg> followed by the request's path and query (307 for a
POST, 302 for a GET): arg "" (a relative Location, the same host), another
host, port or scheme; "redirect-loop" redirects every request to itself.
"status" answers every request with arg's (status, headers); "delay"
answers each after arg seconds. Every
request is logged (method, path, query, User-Agent, Host, body, when).
"""
import json
import os
import shutil
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MADLER = {"login": "madler", "name": "Mark Adler", "html_url": "https://github.com/madler",
          "uuid": "1", "email": None, "url": None, "role": "owner"}

PACKAGES = {
    "pkg:github/madler/zlib": {
        "name": "madler/zlib", "ecosystem": "actions", "purl": "pkg:github/madler/zlib",
        "licenses": "Zlib", "normalized_licenses": ["Zlib"],
        "repository_url": "https://github.com/madler/zlib", "homepage": "https://zlib.net",
        "funding_links": ["https://zlib.net/donate"], "maintainers": [MADLER],
    },
    "pkg:github/google/brotli": {
        "name": "brotli", "ecosystem": "pypi", "purl": "pkg:pypi/brotli",
        "licenses": "MIT", "normalized_licenses": ["MIT"],
        "repository_url": "https://github.com/google/brotli", "homepage": None,
        "funding_links": [], "dependent_repos_count": 10,
        "maintainers": [{"login": "eustas", "name": None, "html_url": None}],
    },
}
DISTRO = {
    ("debian", "libzstd"): {
        "name": "libzstd", "ecosystem": "debian", "purl": "pkg:deb/debian/libzstd",
        "licenses": "BSD-3-Clause, GPL-2.0-only",
        "normalized_licenses": ["BSD-3-Clause", "GPL-2.0-only"],
        "repository_url": "https://github.com/facebook/zstd",
        "homepage": "https://facebook.github.io/zstd/", "funding_links": [],
        "maintainers": [{"login": "debian-maint", "name": "Debian", "html_url": None}],
    },
}
REPOS = {
    "https://github.com/madler/zlib": {
        "full_name": "madler/zlib", "owner": "madler",
        "metadata": {"funding": {"github": ["madler"], "custom": ["https://zlib.net/donate"],
                                 "open_collective": "zlib"}},
        "owner_url": "https://repos.ecosyste.ms/api/v1/hosts/GitHub/owners/madler",
    },
    "https://github.com/facebook/zstd": {
        "full_name": "facebook/zstd", "owner": "facebook", "metadata": {},
        "owner_url": "https://repos.ecosyste.ms/api/v1/hosts/GitHub/owners/facebook",
    },
}
OWNERS = {"GitHub/madler": {"login": "madler", "funding_links": ["https://github.com/sponsors/madler"]},
          "GitHub/facebook": {"login": "facebook", "funding_links": []}}


class Server:
    def __init__(self):
        self.mode = "normal"
        self.arg = None
        self.log = []
        self.seen = {}
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                owner.handle(self, None)

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                owner.handle(self, self.rfile.read(n))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.api = "http://127.0.0.1:%d/api/v1" % self.port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def scan_golden(self, t, h, cache, *extra):
        """bindep-sbom --online against this server, on the golden root's
        usr with its registry; the answers cached in cache, emptied
        first."""
        root = h.golden_root(t)
        shutil.rmtree(cache, ignore_errors=True)
        return t.run("--online", "--packages-api", self.api,
                     "--repos-api", self.api, "--cache-dir", cache,
                     "--root", root, "--mappings-dir",
                     os.path.join(root, "mappings"), *extra,
                     os.path.join(root, "usr"))

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self, mode="normal", arg=None):
        with self.lock:
            self.mode = mode
            self.arg = arg
            self.log = []
            self.seen = {}

    def send(self, h, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            h.send_response(status)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the slow mode's timeout)

    def handle(self, h, body):
        url = urllib.parse.urlsplit(h.path)
        query = urllib.parse.parse_qs(url.query)
        with self.lock:
            self.log.append({"method": h.command, "path": url.path, "query": query,
                             "time": time.monotonic(),
                             "ua": h.headers.get("User-Agent", ""),
                             "host": h.headers.get("Host", ""),
                             "body": body.decode() if body else None})
            count = self.seen[h.path] = self.seen.get(h.path, 0) + 1
            mode, arg = self.mode, self.arg
        if mode == "redirect" and not url.path.startswith("/moved/"):
            return self.send(h, 307 if body is not None else 302, {"moved": True},
                             [("Location", arg + "/moved" + h.path)])
        if mode == "redirect-loop":
            return self.send(h, 302, {"moved": True}, [("Location", h.path)])
        if url.path.startswith("/moved/"):
            url = url._replace(path=url.path[len("/moved"):])
        if mode == "retry-after" and count == 1:
            return self.send(h, 503, {"error": "later"}, [("Retry-After", arg)])
        if mode == "status":  # arg: (status, headers), every time
            return self.send(h, arg[0], {"error": "no"}, arg[1])
        if mode == "500":
            return self.send(h, 500, {"error": "boom"})
        if mode == "notjson":
            return self.send(h, 200, b"<html>maintenance</html>")
        if mode == "shape":
            return self.send(h, 200, {"unexpected": True} if "packages" in url.path else [])
        if mode == "429" and count == 1:
            return self.send(h, 429, {"error": "slow down"}, [("Retry-After", "1")])
        if mode == "slow":
            time.sleep(4)
        if mode == "delay":  # arg: seconds before each answer
            time.sleep(arg)
        self.send(h, *self.answer(url.path, query, body))

    def answer(self, path, query, body):
        if path == "/api/v1/packages/bulk_lookup":
            purls = json.loads(body)["purls"]
            if len(purls) > 100:
                return 400, {"error": "Maximum 100 PURLs allowed per request"}
            return 200, [PACKAGES[p] for p in purls if p in PACKAGES]
        if path == "/api/v1/packages/lookup":
            key = (query.get("ecosystem", [""])[0], query.get("name", [""])[0])
            return 200, [DISTRO[key]] if key in DISTRO else []
        if path == "/api/v1/repositories/lookup":
            repo = REPOS.get(query.get("url", [""])[0])
            return (200, repo) if repo else (404, {"error": "not found"})
        if path.startswith("/api/v1/hosts/"):
            parts = path.split("/")  # '', api, v1, hosts, GitHub, owners, login
            owner = OWNERS.get("%s/%s" % (parts[4], parts[6]))
            return (200, owner) if owner else (404, {"error": "not found"})
        return 404, {"error": "no such endpoint"}


CONTACT = "me@example.org"


def run_online(t, h, api, cache, *extra, prefix=(), env=None):
    """bindep-sbom --online against api (both APIs) on the golden root's
    /usr, its answers cached in cache."""
    root = h.golden_root(t)
    return t.run("--online", "--packages-api", api, "--repos-api", api,
                 "--contact", CONTACT, "--cache-dir", cache, "--root", root,
                 "--mappings-dir", os.path.join(root, "mappings"), *extra,
                 os.path.join(root, "usr"), prefix=prefix, env=env)


def free_path(t, name):
    """A path under the run's work directory with nothing at it."""
    path = os.path.join(t.work, name)
    if os.path.islink(path) or os.path.isfile(path):
        os.remove(path)
    shutil.rmtree(path, ignore_errors=True)
    return path
