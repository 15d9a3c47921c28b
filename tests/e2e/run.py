#!/usr/bin/python3
"""End-to-end tests: run bindep-sbom on fixtures and real system binaries.

usage: run.py --bin ./bindep-sbom [--wrapper "valgrind ..."] [-k PATTERN,...]
              [--cases-from FILE] [-j N] [--no-schema] [--times]
              [--shuffle SEED]
       run.py --bin ./bindep-sbom --list

Fixtures are compiled here from tests/fixtures/*.c (and tests/elfgen.py for
foreign architectures) into a fresh temporary tree. Every SBOM written is
validated against the vendored schemas, and each purl in it checked to be
canonical by the project's own parser (tests/purl_check.c), unless
--no-schema. The cases run on N workers at once
(-j, default one per CPU; see run_cases), their verdicts printed in the
order they are registered. The last line is "N passed, N failed".
"""
import argparse
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
ROOT = os.path.dirname(TESTS)
sys.path.insert(0, TESTS)
import elfgen  # noqa: E402
import validate  # noqa: E402


class Consumers:
    """The independent consumers of tests/consumers/check.cjs (issue 15):
    the CycloneDX JavaScript library's validator, packageurl-js and
    spdx-expression-parse, installed by contrib/fetch-consumers. One node
    process per worker, started at the first SBOM, asked a path at a time."""

    MODULES = os.path.join(ROOT, ".fixtures", "consumers", "node_modules")
    SCRIPT = os.path.join(ROOT, "tests", "consumers", "check.cjs")

    def __init__(self):
        self.proc = None
        self.pid = None

    def start(self):
        if not os.path.isdir(self.MODULES):
            raise Failure("the independent consumers are not installed: run "
                          "contrib/fetch-consumers (install-deps --test does)")
        self.proc = subprocess.Popen(
            ["node", self.SCRIPT, "--serve"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=dict(os.environ, NODE_PATH=self.MODULES),
            text=True)
        self.pid = os.getpid()

    def errors(self, path):
        # A forked worker starts its own: a pipe is not shared across fork.
        if self.proc is None or self.pid != os.getpid():
            self.start()
        self.proc.stdin.write(path + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise Failure("the consumers' node process died")
        return json.loads(line)["errors"]


consumers = Consumers()

CC = os.environ.get("CC", "cc")
NOTE_JSON = ('{"type":"deb","os":"debian","osVersion":"12","name":"fixture",'
             '"version":"1:1.2-3+b1","architecture":"amd64"}')


# The SOURCE_DATE_EPOCH every run gets unless its case says otherwise
# (2023-11-14T22:13:20Z).
SDE_DEFAULT = "1700000000"

class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


# ---- running the tool --------------------------------------------------


# valgrind's own notes ("--1234-- WARNING: unhandled amd64-linux syscall:
# 437": valgrind 3.19 does not know openat2, which the tool then does
# without) are not the tool's output.
VALGRIND_NOTE = re.compile(rb"^--[0-9]+-- .*\n?", re.M)


class Result:
    def __init__(self, proc, sbom_path=None):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = VALGRIND_NOTE.sub(b"", proc.stderr or b"")
        self.sbom = None
        self.raw = None
        if sbom_path and os.path.isfile(sbom_path):
            with open(sbom_path, "rb") as f:
                self.raw = f.read()
        elif self.code == 0 and proc.stdout.startswith(b"{"):
            self.raw = proc.stdout
        if self.raw is not None and self.raw.startswith(b"{"):
            self.sbom = json.loads(self.raw)

    def warnings(self):
        return [line for line in self.err.decode().splitlines()
                if line.startswith("bindep-sbom: warning: ")]


class Runner:
    def __init__(self, binary, wrapper, work, schema=True, purl_check=None):
        self.binary = os.path.abspath(binary)
        self.wrapper = shlex.split(wrapper) if wrapper else []
        self.work = work
        self.count = 0
        # False: the SBOMs are not checked against the schemas (run.py
        # --no-schema, for the passes after the plain one).
        self.schema = schema
        # tests/purl_check.c, compiled: every purl of every SBOM checked
        # with the schemas must be canonical (parse, then build, gives the
        # same bytes; issue 15, item 1).
        self.purl_check = purl_check

    def run(self, *args, env=None, cwd=None, validate_sbom=True, prefix=(),
            binary=None, timeout=600, bare=False):
        """Run the tool; write to a file unless -o is given; validate."""
        self.count += 1
        args = list(args)
        out = None
        if "-o" not in args and "--help" not in args and "--version" not in args:
            out = os.path.join(self.work, "sbom-%d.json" % self.count)
            args = ["-o", out] + args
        elif "-o" in args and args[args.index("-o") + 1] != "-":
            out = args[args.index("-o") + 1]
            if not os.path.isabs(out):
                out = os.path.join(cwd or os.getcwd(), out)
        # Reproducible by default, as a release pipeline runs it: a case
        # that wants the time of the run passes SOURCE_DATE_EPOCH=None.
        full_env = dict(os.environ, SOURCE_DATE_EPOCH=SDE_DEFAULT)
        for key, value in (env or {}).items():
            if value is None:
                full_env.pop(key, None)
            else:
                full_env[key] = value
        # bare: a resource case, run without the wrapper (valgrind).
        wrapper = [] if bare else self.wrapper
        cmd = list(prefix) + wrapper + [binary or self.binary] + args
        proc = subprocess.run(cmd, capture_output=True, env=full_env,
                              cwd=cwd or self.work, timeout=timeout)
        if wrapper:
            check(proc.returncode != 99,
                  "valgrind found errors:\n" + proc.stderr.decode())
        res = Result(proc, out)
        report = "--format" in args and args[args.index("--format") + 1] == "funding"
        if res.sbom is not None and validate_sbom and not report and \
                self.schema:
            path = out or os.path.join(self.work, "stdout-%d.json" % self.count)
            if not out:
                with open(path, "wb") as f:
                    f.write(res.raw)
            kind = validate.kind_of(res.sbom)
            errs = validate.errors(kind, path)
            check(not errs, "schema errors:\n" + "\n".join(errs[:10]))
            if self.purl_check:
                errs = validate.purl_errors(res.sbom, self.purl_check)
                check(not errs, "purls not canonical:\n" + "\n".join(errs[:10]))
            errs = consumers.errors(path)
            check(not errs, "independent consumers:\n" + "\n".join(errs[:10]))
        return res


# ---- fixtures ------------------------------------------------------------


def sh(*cmd, cwd=None):
    subprocess.run(cmd, check=True, cwd=cwd)


def purl_check_path(work):
    return os.path.join(work, "purl-check")


def compile_purl_check(work):
    """tests/purl_check.c with the project's purl parser and builder (and
    what they use), outside the fixtures no case scans."""
    sh(CC, "-std=c11", "-D_GNU_SOURCE", "-O1", "-I" + os.path.join(ROOT, "include"),
       "-o", purl_check_path(work), os.path.join(TESTS, "purl_check.c"),
       *(os.path.join(ROOT, "src", f) for f in
         ("purl.c", "utf8.c", "buf.c", "error.c", "util.c")))


def compile_fixtures(work):
    """dist/: an app with RPATH, a RUNPATH app, libraries, dlopen notes,
    symlinks of every kind and files that are not ELF."""
    src = os.path.join(TESTS, "fixtures")
    dist = os.path.join(work, "dist")
    for d in ("bin", "lib", "share", "foreign"):
        os.makedirs(os.path.join(dist, d))
    lib, bindir = os.path.join(dist, "lib"), os.path.join(dist, "bin")

    def so(name, soname, source, *extra):
        sh(CC, "-shared", "-fPIC", "-O1", "-o", os.path.join(lib, name),
           os.path.join(src, source), "-Wl,-soname," + soname, *extra)

    so("libdep.so.1", "libdep.so.1", "libdep.c")
    so("libfoo.so.1", "libfoo.so.1", "libfoo.c", "-L" + lib, "-l:libdep.so.1",
       "-Wl,--enable-new-dtags,-rpath,$ORIGIN")
    so("libplugin.so.1", "libplugin.so.1", "libplugin.c")
    so("libloader.so.1", "libloader.so.1", "libloader.c", "-I" + src,
       "-Wl,--enable-new-dtags,-rpath,$ORIGIN")
    os.symlink("libfoo.so.1", os.path.join(lib, "libfoo.so"))
    app = os.path.join(src, "app.c")
    sh(CC, "-O1", "-o", os.path.join(bindir, "app"), app, "-L" + lib,
       "-l:libfoo.so.1", "-Wl,--disable-new-dtags,-rpath,$ORIGIN/../lib",
       "-Xlinker", "--package-metadata=" + NOTE_JSON)
    sh(CC, "-O1", "-o", os.path.join(bindir, "app-runpath"), app, "-L" + lib,
       "-l:libfoo.so.1", "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib")
    shutil.copy(os.path.join(bindir, "app-runpath"),
                os.path.join(bindir, "app-runpath-copy"))
    with open(os.path.join(dist, "share", "readme.txt"), "w") as f:
        f.write("not a binary\n")
    open(os.path.join(lib, "empty.so"), "w").close()
    with open(os.path.join(lib, "libscript.so"), "w") as f:
        f.write("/* GNU ld script */\nGROUP ( libdep.so.1 )\n")
    os.symlink("does-not-exist.so.3", os.path.join(lib, "dangling.so"))
    os.symlink("loop2", os.path.join(lib, "loop1"))
    os.symlink("loop1", os.path.join(lib, "loop2"))
    os.symlink("../bin", os.path.join(lib, "bin-link"))
    os.symlink("/usr/lib", os.path.join(lib, "outside-link"))
    os.mkfifo(os.path.join(dist, "share", "fifo"))
    foreign = os.path.join(dist, "foreign")
    for name, kw in FOREIGN.items():
        data, _ = elfgen.build(**kw)
        with open(os.path.join(foreign, name), "wb") as f:
            f.write(data)
    return dist


FOREIGN = {
    "libppc.so.1": dict(cls=32, msb=True, machine=elfgen.EM_PPC,
                        soname="libppc.so.1", needed=["libc.so.6"]),
    "libarm-nosections.so.2": dict(cls=32, msb=False, machine=elfgen.EM_ARM,
                                   soname="libarm.so.2",
                                   needed=["libm.so.6", "libc.so.6"],
                                   sections=False),
    "libs390.so.6": dict(cls=64, msb=True, machine=elfgen.EM_S390,
                         soname="libs390.so.6", needed=["libz.so.1"],
                         runpath="$ORIGIN"),
}


# ---- helpers on SBOMs -------------------------------------------------------


def comps(sbom):
    return sbom.get("components", [])


def loaded_closure(sbom, location):
    """The components the file at location loads, directly or not: its
    needed libraries and interpreter (resolved or not; an unresolved one
    ends its branch), not dlopen notes (optional) nor what is compiled
    in (no file the loader maps)."""
    byref = {c["bom-ref"]: c for c in comps(sbom)}
    deps = {d["ref"]: d.get("dependsOn", []) for d in sbom["dependencies"]}
    start = [c for c in comps(sbom) if location in locations(c)][0]
    seen, todo, found = set(), [start["bom-ref"]], []
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        for dep in deps.get(ref, []):
            c = byref[dep]
            if c.get("scope") in ("optional", "excluded") or \
                    props(c, "bindep:linkage") == ["static"]:
                continue
            found.append(c)
            if not props(c, "bindep:resolved"):
                todo.append(dep)
    return found


def by_name(sbom, name):
    found = [c for c in comps(sbom) if c["name"] == name]
    check(len(found) == 1, "expected one component named %r, found %d"
          % (name, len(found)))
    return found[0]


def identity(comp, field):
    """The evidence.identity entry of one field."""
    found = [i for i in comp.get("evidence", {}).get("identity", [])
             if i["field"] == field]
    check(len(found) == 1, "%s: %d identity entries for %s"
          % (comp["name"], len(found), field))
    return found[0]


def props(comp, name):
    return [p["value"] for p in comp.get("properties", []) if p["name"] == name]


def prop(comp, name):
    values = props(comp, name)
    check(len(values) == 1, "%s: expected one %s, found %r"
          % (comp["name"], name, values))
    return values[0]


def locations(comp):
    return sorted(o["location"] for o in comp.get("evidence", {}).get("occurrences", []))


def depends(sbom, comp):
    refs = [d for d in sbom["dependencies"] if d["ref"] == comp["bom-ref"]]
    check(len(refs) == 1, "%s: %d dependency entries" % (comp["name"], len(refs)))
    names = {c["bom-ref"]: c["name"] for c in comps(sbom)}
    return sorted(names[r] for r in refs[0].get("dependsOn", []))


def held_where(sbom, comp, keep):
    """{name: component} of the components comp depends on that keep
    (a function of a component) keeps."""
    comps_ = {c["bom-ref"]: c for c in sbom.get("components", [])}
    deps = {d["ref"]: d.get("dependsOn", []) for d in sbom["dependencies"]}
    return {comps_[ref]["name"]: comps_[ref]
            for ref in deps.get(comp["bom-ref"], []) if keep(comps_[ref])}


def statically_held(sbom, comp):
    """{name: component} of what comp has compiled in (the components it
    depends on whose bindep:linkage is static)."""
    return held_where(sbom, comp,
                      lambda c: props(c, "bindep:linkage") == ["static"])


def built_with(sbom, comp):
    """{name: component} of what only comp's build used (the components
    it depends on of scope excluded: a Rust build dependency)."""
    return held_where(sbom, comp, lambda c: c.get("scope") == "excluded")


def one_warning_each(r, d, files):
    """The run over the directory d succeeded and said one warning for
    each of files ({file name in d: the message its warning ends with}),
    naming the file, and nothing else; each file is in the SBOM, marked
    with that message (bindep:error). Returns the SBOM."""
    check(r.code == 0, "exit %d: %s" % (r.code, r.err.decode()[-800:]))
    warnings = r.warnings()
    for name, msg in files.items():
        mine = [w for w in warnings if "'%s': " % os.path.join(d, name) in w]
        check(len(mine) == 1 and mine[0].endswith(msg),
              "%s: %r, not %r" % (name, mine, msg))
    check(len(warnings) == len(files), "one each: %r" % warnings)
    for name, msg in files.items():
        check(prop(by_name(r.sbom, name), "bindep:error") == msg,
              "%s marked" % name)
    return r.sbom


def need_found(sbom, requester, name):
    """(sorted locations, resolved-via) of the component requester's need
    name, (None, None) when it was not found."""
    comp = [c for c in comps(sbom) if c["name"] == requester]
    check(len(comp) >= 1, "no component %s" % requester)
    refs = [d for d in sbom["dependencies"] if d["ref"] == comp[0]["bom-ref"]]
    byref = {c["bom-ref"]: c for c in comps(sbom)}
    for ref in refs[0].get("dependsOn", []):
        c = byref[ref]
        if c["name"] != name:
            continue
        if props(c, "bindep:resolved"):
            return None, None
        via = props(c, "bindep:resolved-via")
        return locations(c), via[0] if via else None
    raise Failure("%s does not depend on %s" % (requester, name))


def incomplete(sbom):
    result = {"assemblies": set(), "dependencies": set()}
    for c in sbom.get("compositions", []):
        if c["aggregate"] == "incomplete":
            for key in result:
                result[key].update(c.get(key, []))
    return result


def put_file(root, path, data):
    """Write data (bytes or text) at path inside root, making its
    directories; return the full path."""
    full = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb" if isinstance(data, (bytes, bytearray)) else "w") as f:
        f.write(data)
    return full


def put_elf(root, path, soname=None, **kw):
    """A generated ELF file (tests/elfgen.py) at path inside root."""
    data, _ = elfgen.build(soname=soname, **kw)
    return put_file(root, path, data)


def debian_root(root, n, source=None):
    """Fills root with a Debian root of n packages libq<i>, each one
    library (tests/elfgen.py) its .list names, built from its own source
    package srcq<i>, or all from source; source False: no Source field."""
    info = os.path.join(root, "var/lib/dpkg/info")
    libdir = os.path.join(root, "usr/lib/x86_64-linux-gnu")
    os.makedirs(info)
    os.makedirs(libdir)
    put_file(root, "etc/os-release", "ID=debian\nVERSION_ID=12\n")
    status = []
    for i in range(n):
        lib = "libq%d" % i
        with open(os.path.join(libdir, lib + ".so.1"), "wb") as f:
            f.write(elfgen.build(soname=lib + ".so.1")[0])
        with open(os.path.join(info, lib + ".list"), "w") as f:
            f.write("/usr/lib/x86_64-linux-gnu/%s.so.1\n" % lib)
        src = "" if source is False else \
            "Source: %s\n" % (source or "srcq%d" % i)
        status.append("Package: %s\nStatus: install ok installed\n"
                      "Architecture: amd64\n%sVersion: 1.0-1\n\n" % (lib, src))
    put_file(root, "var/lib/dpkg/status", "".join(status))
    return root


def put_link(root, path, target):
    full = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    os.symlink(target, full)
    return full


# The tool's peak memory, printed by a shim around it (scan_root_bare).
MAXRSS_SHIM = ("import resource, subprocess, sys\n"
               "p = subprocess.run(sys.argv[1:])\n"
               "sys.stderr.write('\\nmaxrss=%d\\n' % resource.getrusage("
               "resource.RUSAGE_CHILDREN).ru_maxrss)\n"
               "sys.exit(p.returncode)\n")


def scan_root_bare(t, root, *paths, timeout, measure=False):
    """A whole-root scan for the resource-limit cases: never under the
    wrapper (valgrind on gigabytes of input would take an hour; the
    ASan/UBSan pass covers these paths), bounded by timeout. With measure,
    stderr ends with the run's peak memory, "maxrss=KiB"."""
    out = os.path.join(t.work, "bare-%s.json" % os.path.basename(root))
    cmd = [t.binary, "-o", out, "--root", root] + \
        [os.path.join(root, p.lstrip("/")) for p in paths]
    if measure:
        cmd = [sys.executable, "-c", MAXRSS_SHIM] + cmd
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout,
                              cwd=t.work)
    except subprocess.TimeoutExpired:
        raise Failure("no result within %d s" % timeout)
    r = Result(proc, out)
    check(r.code in (0, 3), "exit %d: %s" % (r.code, r.err[-600:]))
    check(r.sbom is not None, "an SBOM is written")
    return r


def fresh_dir(t, *parts):
    """An empty directory under the run's work directory."""
    d = os.path.join(t.work, *parts)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def root_of_debs(t, name, packages, cache):
    """A root made of Debian packages, downloaded through apt into cache
    (under build/) once, extracted with dpkg-deb, its ld.so.cache written
    by ldconfig -r."""
    debs = os.path.join(ROOT, "build", cache)
    os.makedirs(debs, exist_ok=True)
    root = fresh_dir(t, "roots", name)
    # Cases run in parallel (-j): one at a time downloads into the cache,
    # and nobody extracts a .deb another is still writing.
    with open(debs + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        have = os.listdir(debs)
        missing = [p for p in packages
                   if not any(f.startswith(p + "_") for f in have)]
        if missing:
            proc = subprocess.run(["apt-get", "download", *missing], cwd=debs,
                                  capture_output=True, text=True)
            check(proc.returncode == 0,
                  "apt-get download: " + proc.stderr[-500:])
        for deb in sorted(os.listdir(debs)):
            if deb.endswith(".deb"):
                subprocess.run(["dpkg-deb", "-x", os.path.join(debs, deb),
                                root], check=True)
    put_file(root, "/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n")
    subprocess.run(["ldconfig", "-r", root], check=True)
    return root


def remembered(oracle, paths, compute, depends_on=()):
    """What a reference tool (dpkg-shlibdeps, ld.so --list) says of files of
    this machine, as {path: compute(path)}, kept in
    build/e2e-oracles/ORACLE.json: the passes of one make check after the
    plain one ask the same of the same files, and dpkg-shlibdeps takes a
    second a file. Keyed by the identity of the file and of each of
    depends_on (its databases); compute gives a JSON value."""
    def identity(p):
        st = os.stat(p)
        return [p, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]
    deps = [identity(p) for p in depends_on]
    keys = {p: json.dumps([identity(p)] + deps) for p in paths}
    store = os.path.join(ROOT, "build", "e2e-oracles")
    os.makedirs(store, exist_ok=True)
    db = os.path.join(store, oracle + ".json")

    def read():
        try:
            with open(db, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}
    with open(db + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        known = read()
    new = {keys[p]: compute(p) for p in paths if keys[p] not in known}
    if new:
        with open(db + ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            known = read()
            known.update(new)
            with open(db + ".tmp", "w", encoding="utf-8") as f:
                json.dump(known, f)
            os.replace(db + ".tmp", db)
    return {p: known[keys[p]] for p in paths}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def readelf_build_id(path):
    out = subprocess.run(["readelf", "-n", path], capture_output=True,
                         text=True).stdout
    m = re.search(r"Build ID: ([0-9a-f]+)", out)
    return m.group(1) if m else None


# ---- cases ------------------------------------------------------------------

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def serial(fn):
    """Mark a case to run with nothing beside it (see run_cases): write
    @case then @h.serial above it. For a case that times itself or loads
    the whole machine."""
    fn.serial = True
    return fn


def waits(fn):
    """Mark a case that spends its time waiting, not computing (on a
    server's timeout, a backoff, a signal): write @case then @h.waits above
    it. Such cases run on workers of their own, beside the -j ones (see
    run_cases)."""
    fn.waits = True
    return fn


@case
def fixture_tree_components(t):
    r = t.run("dist", cwd=t.work)
    check(r.code == 0, "exit %d: %s" % (r.code, r.err))
    s = r.sbom
    check(s["bomFormat"] == "CycloneDX" and s["specVersion"] == "1.6", "header")
    check(s["metadata"]["component"]["name"] == "dist", "default source name")
    check(s["metadata"]["component"]["type"] == "application", "target type")
    tool = s["metadata"]["tools"]["components"][0]
    check(tool["name"] == "bindep-sbom" and tool["version"], "tool")
    app = by_name(s, "app")
    check(app["type"] == "application", "app is an application")
    check(locations(app) == ["dist/bin/app"], locations(app))
    check(app["hashes"] == [{"alg": "SHA-256",
                             "content": sha256(os.path.join(t.work, "dist/bin/app"))}],
          "app hash")
    check(prop(app, "bindep:rpath") == "$ORIGIN/../lib", "rpath")
    check(not props(app, "bindep:runpath"), "app has no runpath")
    check(prop(app, "bindep:interpreter") == "/lib64/ld-linux-x86-64.so.2", "interp")
    check(prop(app, "bindep:elf:class") == "ELF64", "class")
    check(prop(app, "bindep:elf:machine") == "x86_64", "machine")
    check(prop(app, "bindep:build-id") ==
          readelf_build_id(os.path.join(t.work, "dist/bin/app")), "build-id")
    check(prop(app, "bindep:imports-dlopen") == "false", "app does not dlopen")
    check(depends(s, app) == ["ld-linux-x86-64.so.2", "libc.so.6", "libfoo.so.1"],
          depends(s, app))
    rp = by_name(s, "app-runpath")
    check(prop(rp, "bindep:runpath") == "$ORIGIN/../lib", "runpath")
    check(not props(rp, "bindep:rpath"), "no rpath with new dtags")
    check(locations(rp) == ["dist/bin/app-runpath", "dist/bin/app-runpath-copy"],
          "same content is one component: %r" % locations(rp))
    foo = by_name(s, "libfoo.so.1")
    check(foo["type"] == "library", "libfoo is a library")
    check(prop(foo, "bindep:soname") == "libfoo.so.1", "soname")
    check(locations(foo) == ["dist/lib/libfoo.so", "dist/lib/libfoo.so.1"],
          "symlink is another occurrence: %r" % locations(foo))
    check(depends(s, foo) == ["libdep.so.1"], depends(s, foo))
    # libdep needs nothing: an entry with no dependsOn, unlike "unknown".
    check(depends(s, by_name(s, "libdep.so.1")) == [], "libdep has no needs")
    # The system's libc, found as the loader finds it. (The foreign PPC
    # and ARM libraries need a libc.so.6 too, which nothing of their
    # machines provides: one component for each.)
    libcs = [c for c in comps(s) if c["name"] == "libc.so.6"]
    check(len(libcs) == 3, "one found, two unresolved: %r" % libcs)
    check(sorted(prop(c, "bindep:elf:machine") for c in libcs
                 if props(c, "bindep:resolved")) == ["arm", "ppc"], libcs)
    libc = [c for c in libcs if not props(c, "bindep:resolved")][0]
    check(prop(libc, "bindep:resolved-via") == "ld.so.cache", "libc via the cache")
    check("/lib/x86_64-linux-gnu/libc.so.6" in locations(libc), locations(libc))
    check(not props(libc, "bindep:resolved"), "libc is resolved")
    check(prop(foo, "bindep:resolved-via") == "rpath", "app finds libfoo by RPATH")
    target = [d for d in s["dependencies"] if d["ref"] == s["metadata"]["component"]["bom-ref"]]
    check(len(target) == 1 and app["bom-ref"] in target[0]["dependsOn"],
          "the target lists the scanned files")
    check(libc["bom-ref"] not in target[0]["dependsOn"], "not what they load")
    missing = by_name(s, "libmissing.so.2")
    check(missing["bom-ref"] not in [d["ref"] for d in s["dependencies"]],
          "unresolved components have unknown dependencies")
    inc = incomplete(s)
    check(missing["bom-ref"] in inc["assemblies"], "unresolved is incomplete")
    check(by_name(s, "libloader.so.1")["bom-ref"] in inc["dependencies"],
          "the loader's dependencies are incomplete")
    check(app["bom-ref"] not in inc["dependencies"], "app's are complete")
    names = {c["name"] for c in comps(s)}
    check("readme.txt" not in names and "fifo" not in names, "non-ELF skipped")


@case
def package_note_purl(t):
    s = t.run("dist/bin/app", cwd=t.work).sbom
    app = by_name(s, "app")
    # The note names the source package (dh_package_notes): its purl.
    check(app["purl"] == "pkg:deb/debian/fixture@1:1.2-3%2Bb1?arch=source&distro=debian-12",
          app.get("purl"))
    check(app["version"] == "1:1.2-3+b1", "version from the note")
    check(prop(app, "bindep:package-note:name") == "fixture", "note name")
    check(prop(app, "bindep:package-note:osVersion") == "12", "note osVersion")


@case
def dlopen_notes(t):
    s = t.run("dist/lib", cwd=t.work).sbom
    loader = by_name(s, "libloader.so.1")
    check(prop(loader, "bindep:imports-dlopen") == "true", "imports dlopen")
    check(depends(s, loader) == ["libc.so.6", "libmissing.so.2", "libplugin.so.1",
                                 "libregex-none.so.0"], depends(s, loader))
    check(prop(by_name(s, "libplugin.so.1"), "bindep:resolved-via") == "runpath",
          "dlopen resolved from the object carrying the note")
    plugin = by_name(s, "libplugin.so.1")
    check(plugin["scope"] == "optional", "plugin reached only by dlopen")
    check(locations(plugin) == ["dist/lib/libplugin.so.1"], "plugin is the file")
    check(prop(plugin, "bindep:dlopen:priority") == "required", "plugin priority")
    check(prop(plugin, "bindep:dlopen:feature") == "plugin", "plugin feature")
    check(prop(plugin, "bindep:dlopen:description") == "Load the plugin.", "descr")
    missing = by_name(s, "libmissing.so.2")
    check(missing["scope"] == "optional", "missing is optional")
    check(prop(missing, "bindep:dlopen:priority") == "recommended", "default priority")
    check(prop(missing, "bindep:dlopen:alternatives") == "libmissing.so.1", "alternatives")
    check(prop(missing, "bindep:resolved") == "false", "missing unresolved")
    regex = by_name(s, "libregex-none.so.0")
    check(prop(regex, "bindep:dlopen:priority") == "suggested", "suggested")
    check(prop(regex, "bindep:dlopen:feature") == "regex", "second entry of a note")
    check("scope" not in by_name(s, "libc.so.6"), "libc is required")


@case
def shared_dlopen_entry_listed_once(t):
    """Two files declaring the same dlopen entry: one set of properties."""
    # In a root of their own, so that nothing of this machine resolves.
    root = os.path.join(t.work, "seed-root")
    if not os.path.isdir(root):
        shutil.copytree(os.path.join(TESTS, "fuzz", "corpus", "scan"),
                        os.path.join(root, "usr", "lib"))
    s = t.run("--root", root).sbom
    # Its two files are an x86-64 and an ARM one: a component for each
    # machine's libfido2.so.1, each with one set of properties.
    fidos = [c for c in comps(s) if c["name"] == "libfido2.so.1"]
    check(sorted(prop(c, "bindep:elf:machine") for c in fidos) == ["arm", "x86_64"],
          fidos)
    for fido in fidos:
        check(props(fido, "bindep:dlopen:feature") == ["fido2"], fido)
        users = [d["ref"] for d in s["dependencies"]
                 if fido["bom-ref"] in d.get("dependsOn", [])]
        check(len(users) == 1, "its machine's file depends on it: %r" % users)
    lz4s = [c for c in comps(s) if c["name"] == "liblz4.so.1"]
    check(lz4s, "liblz4.so.1 missing")
    for lz4 in lz4s:
        check(prop(lz4, "bindep:dlopen:alternatives") == "liblz4.so.0", "alts")
        check(prop(lz4, "bindep:dlopen:priority") == "recommended", "default")


@case
def bad_input_warnings(t):
    r = t.run("dist", cwd=t.work)
    check(r.code == 0, "exit %d" % r.code)
    w = r.warnings()
    # dist/foreign's files are of machines this root holds nothing for.
    nothing = ("needs libraries no %s file of the root provides (%s): the "
               "root holds nothing for that machine; give --root of such a "
               "system to search them")
    expected = {
        "'dist/lib/empty.so': empty file, skipping",
        "'dist/lib/dangling.so': dangling symlink",
        "'dist/lib/loop1': symlink loop",
        "'dist/lib/loop2': symlink loop",
        "'dist/foreign/libppc.so.1': " + nothing % ("ppc (ELF32, big-endian)",
                                                    "libc.so.6"),
        "'dist/foreign/libs390.so.6': " + nothing % ("s390 (ELF64, big-endian)",
                                                     "libz.so.1"),
        "'dist/foreign/libarm-nosections.so.2': " + nothing % (
            "arm (ELF32, little-endian)", "libc.so.6, libm.so.6"),
    }
    got = {line[len("bindep-sbom: warning: "):] for line in w}
    check(got == expected, "warnings: %r" % w)
    check(len(w) == len(expected), "one line each: %r" % w)
    q = t.run("-q", "dist", cwd=t.work)
    check(q.err == b"", "-q prints nothing: %r" % q.err)
    v = t.run("-v", "dist", cwd=t.work)
    # readme.txt and the GNU ld script libscript.so: counted, not warned.
    check(re.search(rb"\b3 non-ELF files skipped", v.err), v.err)
    check(b"'dist/lib/bin-link': symlink to a directory, skipped" in v.err, v.err)


@case
def malformed_corpus(t):
    corpus = os.path.join(TESTS, "malformed", "corpus")
    good = os.path.join(t.work, "dist", "lib", "libdep.so.1")
    r = t.run(corpus, good)
    check(r.code == 0, "exit %d: %s" % (r.code, r.err))
    with open(os.path.join(TESTS, "malformed", "expected-warnings.txt")) as f:
        expected = [line.rstrip("\n").replace("CORPUS", corpus) for line in f]
    got = r.err.decode().splitlines()
    check(got == expected, "warnings differ:\n" + "\n".join(
        "-%s\n+%s" % (e, g) for e, g in zip(expected, got) if e != g)
        + "\n(%d expected, %d got)" % (len(expected), len(got)))
    s = r.sbom
    check(locations(by_name(s, "libdep.so.1")) == [good], "good file kept")
    named = {os.path.basename(l) for c in comps(s) for l in locations(c)}
    for f in os.listdir(corpus):
        if f in ("empty.so", "not-elf.so.1"):
            check(f not in named, "%s is not a component" % f)
        else:
            check(f in named, "%s is still in the SBOM" % f)
    errors = [c for c in comps(s) if props(c, "bindep:error")]
    check(len(errors) == len(os.listdir(corpus)) - 2, "each has bindep:error")
    inc = incomplete(s)
    check(all(c["bom-ref"] in inc["assemblies"] for c in errors), "incomplete")
    broken = [c for c in comps(s)
              if any(l.endswith("/phoff-beyond-eof.so") for l in locations(c))][0]
    check(prop(broken, "bindep:soname") == "libgood.so.1",
          "the rest of a file with broken program headers is still read")


@case
def foreign_architectures(t):
    s = t.run("dist/foreign", cwd=t.work).sbom
    ppc = by_name(s, "libppc.so.1")
    check(prop(ppc, "bindep:elf:class") == "ELF32", "ppc class")
    check(prop(ppc, "bindep:elf:machine") == "ppc", "ppc machine")
    check(prop(ppc, "bindep:elf:byte-order") == "big-endian", "ppc msb")
    arm = by_name(s, "libarm.so.2")
    check(prop(arm, "bindep:elf:machine") == "arm", "arm")
    check(depends(s, arm) == ["libc.so.6", "libm.so.6"],
          "needed read through PT_DYNAMIC without sections: %r" % depends(s, arm))
    check(not props(arm, "bindep:imports-dlopen"), "unknown without .dynsym")
    s390 = by_name(s, "libs390.so.6")
    check(prop(s390, "bindep:elf:class") == "ELF64", "s390x class")
    check(prop(s390, "bindep:runpath") == "$ORIGIN", "s390x runpath")
    check(depends(s, s390) == ["libz.so.1"], "s390x needs")


def run_time_stamps(t, *args, **kw):
    """A run without SOURCE_DATE_EPOCH, and the UTC seconds before and after
    it: its timestamp is when it ran (issue 15: NTIA's timestamp is when the
    SBOM data was assembled)."""
    before = int(time.time())
    r = t.run(*args, env={"SOURCE_DATE_EPOCH": None}, **kw)
    after = int(time.time()) + 1
    return r, before, after


def within(stamp, before, after):
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return (time.strftime(fmt, time.gmtime(before)) <= stamp
            <= time.strftime(fmt, time.gmtime(after)))


@case
def determinism(t):
    a = t.run("dist", cwd=t.work)
    b = t.run("dist", cwd=t.work)
    check(a.raw == b.raw, "same input, same SOURCE_DATE_EPOCH, same bytes")
    check(a.sbom["metadata"]["timestamp"] == "2023-11-14T22:13:20Z", "SDE")
    sde = t.run("dist", cwd=t.work, env={"SOURCE_DATE_EPOCH": "1600000000"})
    check(sde.sbom["metadata"]["timestamp"] == "2020-09-13T12:26:40Z", "SDE")
    check(sde.sbom["serialNumber"] != a.sbom["serialNumber"], "serial follows content")
    check(re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                       a.sbom["serialNumber"]), a.sbom["serialNumber"])
    # Without SOURCE_DATE_EPOCH: the time of the run, in both formats, not
    # the inputs' modification time.
    now, before, after = run_time_stamps(t, "dist", cwd=t.work)
    check(within(now.sbom["metadata"]["timestamp"], before, after),
          "%s not within the run" % now.sbom["metadata"]["timestamp"])
    now, before, after = run_time_stamps(t, "--format", "spdx", "dist",
                                         cwd=t.work)
    check(within(now.sbom["creationInfo"]["created"], before, after),
          "%s not within the run" % now.sbom["creationInfo"]["created"])
    # The number of scanning threads changes nothing, warnings included.
    one = t.run("-j", "1", "dist", cwd=t.work)
    many = t.run("--jobs", "7", "dist", cwd=t.work)
    check(one.raw == a.raw == many.raw, "-j changes the output")
    check(one.err == a.err == many.err and len(one.warnings()) == 7, one.err)
    serial = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    given = t.run("--serial", serial, "dist", cwd=t.work)
    check(given.sbom["serialNumber"] == serial, "--serial")
    bad = t.run("dist", cwd=t.work, env={"SOURCE_DATE_EPOCH": "yesterday"})
    check(bad.code == 1 and b"SOURCE_DATE_EPOCH" in bad.err, "bad SDE")


@case
def system_curl_and_systemd(t):
    for path in ("/usr/bin/curl", "/usr/lib/systemd/systemd"):
        if not os.path.exists(path):
            raise Failure("%s missing: install curl and systemd" % path)
    out = os.path.join(t.work, "out.json")
    r = t.run("--format", "cyclonedx", "-o", out, "/usr/bin/curl", "/usr/lib/systemd")
    check(r.code == 0, "exit %d: %s" % (r.code, r.err))
    s = r.sbom
    curl = by_name(s, "curl")
    check(depends(s, curl) == ["ld-linux-x86-64.so.2", "libc.so.6", "libcurl.so.4",
                               "libz.so.1"], depends(s, curl))
    noted = [c for c in comps(s) if props(c, "bindep:package-note:name")]
    check(len(noted) >= 10, "systemd's files carry package notes (%d)" % len(noted))
    # dpkg owns them: the database's binary package is the purl; the note
    # names the source package, which must agree.
    for c in noted:
        name = prop(c, "bindep:package-note:name")
        version = prop(c, "bindep:package-note:version")
        check(c.get("purl", "").startswith("pkg:deb/debian/"), c.get("purl"))
        check(prop(c, "bindep:source-package") == name, "source package of %s" % c["name"])
        check(prop(c, "bindep:source-version") == version, "version of %s" % c["name"])
        check(not props(c, "bindep:package-note-mismatch"), "note agrees")
    systemd = [c for c in comps(s) if "/usr/lib/systemd/systemd" in locations(c)][0]
    check(systemd["purl"].startswith("pkg:deb/debian/systemd@"), systemd["purl"])
    again = t.run("--format", "cyclonedx", "-o", out + "2", "/usr/bin/curl", "/usr/lib/systemd")
    check(again.raw == r.raw, "byte-identical on a second run")


@case
def command_line(t):
    h = t.run("--help")
    check(h.code == 0 and h.out.startswith(b"usage: bindep-sbom"), "--help")
    for opt in (b"--format", b"--output", b"--jobs", b"--source-name", b"--source-version",
                b"--serial", b"--quiet", b"--verbose"):
        check(opt in h.out, "--help lists %s" % opt)
    v = t.run("--version")
    check(v.code == 0 and re.fullmatch(rb"bindep-sbom \d+\.\d+\.\d+\n", v.out), v.out)
    none = t.run(validate_sbom=False)
    check(none.code == 2 and b"usage:" in none.err and b"no PATH" in none.err, none.err)
    color = t.run("--format", "text", "--color=sometimes", "dist", cwd=t.work)
    check(color.code == 2 and b"--color wants auto, always or never" in color.err,
          color.err)
    bogus = t.run("--format", "bogus", "dist", cwd=t.work)
    check(bogus.code == 2 and b"unknown format 'bogus'" in bogus.err, bogus.err)
    unknown = t.run("--frobnicate", "dist", cwd=t.work)
    check(unknown.code == 2 and b"usage:" in unknown.err, unknown.err)
    serial = t.run("--serial", "nope", "dist", cwd=t.work)
    check(serial.code == 2, "bad --serial")
    for jobs in ("0", "x", "-1"):
        bad = t.run("-j", jobs, "dist", cwd=t.work)
        check(bad.code == 2 and b"--jobs wants a number" in bad.err, bad.err)
    named = t.run("--source-name", "myapp", "--source-version", "2.0", "dist", cwd=t.work)
    mc = named.sbom["metadata"]["component"]
    check(mc["name"] == "myapp" and mc["version"] == "2.0", mc)
    trailing = t.run("dist/", cwd=t.work)
    check(trailing.sbom["metadata"]["component"]["name"] == "dist", "dist/ -> dist")
    check("dist/bin/app" in locations(by_name(trailing.sbom, "app")), "no double slash")


@case
def missing_paths(t):
    gone = t.run("no-such-dir", cwd=t.work)
    check(gone.code == 1 and b"error: none of the paths given exists" in gone.err,
          gone.err)
    check(gone.raw is None, "no SBOM written")
    some = t.run("no-such-dir", "dist/lib/libdep.so.1", cwd=t.work)
    check(some.code == 0, "one path exists")
    check(some.warnings() == ["bindep-sbom: warning: 'no-such-dir': no such file or directory"],
          some.warnings())


@case
def output_is_atomic(t):
    out = os.path.join(t.work, "atomic.json")
    with open(out, "w") as f:
        f.write("old contents")
    r = t.run("-o", out, "dist/lib/libdep.so.1", cwd=t.work)
    check(r.code == 0 and r.sbom is not None, "replaced")
    check([f for f in os.listdir(t.work) if f.startswith("atomic.json.")] == [],
          "no temporary file left")
    bad = t.run("-o", "/nonexistent-dir/x.json", "dist/lib/libdep.so.1", cwd=t.work)
    check(bad.code == 1 and b"'/nonexistent-dir/x.json': cannot open its directory '/nonexistent-dir'" in bad.err,
          bad.err)
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(t.wrapper + [t.binary, "dist/lib/libdep.so.1"], stdout=full,
                              stderr=subprocess.PIPE, cwd=t.work)
    check(proc.returncode == 1 and b"cannot write" in proc.stderr, proc.stderr)
    # A FIFO (or a device) is written in place, never replaced by a file.
    fifo = os.path.join(t.work, "sbom.fifo")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    r = t.run("-o", fifo, "dist/lib/libdep.so.1", cwd=t.work, validate_sbom=False)
    reader.join(60)
    check(r.code == 0 and stat.S_ISFIFO(os.lstat(fifo).st_mode), "fifo kept")
    check(got and json.loads(got[0])["bomFormat"] == "CycloneDX", "fifo got the SBOM")
    # A document larger than a pipe buffer, to stdout, whole.
    r = t.run("-o", "-", "dist", cwd=t.work)
    check(r.code == 0 and r.sbom is not None, "stdout")


def as_nobody(t):
    """A directory d to work in as nobody (root reads every file, so a
    case about unreadable files drops to nobody with setpriv), and a copy
    of the tool nobody can run in d/out (the clone may sit where nobody
    cannot reach, as /root), its registry beside it as in the source tree.
    Returns (d, out, tool, prefix); the caller removes d."""
    setpriv = shutil.which("setpriv")
    check(setpriv, "setpriv (util-linux) is needed")
    d = tempfile.mkdtemp(prefix="bd-unreadable-")
    os.chmod(d, 0o755)
    out = os.path.join(d, "out")
    os.mkdir(out)
    os.chmod(out, 0o777)
    tool = os.path.join(out, "bindep-sbom")
    shutil.copy(t.binary, tool)
    os.chmod(tool, 0o755)
    shutil.copytree(os.path.join(ROOT, "mappings"), os.path.join(out, "mappings"))
    return d, out, tool, (setpriv, "--reuid=65534", "--regid=65534",
                          "--clear-groups")


@case
def unreadable_file(t):
    d, out, tool, nobody = as_nobody(t)
    try:
        scanned = os.path.join(d, "scanned")
        os.mkdir(scanned)
        os.chmod(scanned, 0o755)
        shutil.copy(os.path.join(t.work, "dist/lib/libdep.so.1"), scanned)
        secret = os.path.join(scanned, "libsecret.so.1")
        shutil.copy(os.path.join(t.work, "dist/lib/libfoo.so.1"), secret)
        os.chmod(secret, 0)
        r = t.run("-o", os.path.join(out, "sbom.json"), scanned, cwd=d, binary=tool,
                  prefix=nobody)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        check(r.warnings() == ["bindep-sbom: warning: '%s': cannot open: Permission denied"
                               % secret], r.warnings())
        sec = [c for c in comps(r.sbom) if locations(c) == [secret]]
        check(len(sec) == 1 and sec[0]["type"] == "file", "unreadable file kept")
        check("Permission denied" in prop(sec[0], "bindep:error"), "error property")
        check(sec[0]["bom-ref"] in incomplete(r.sbom)["assemblies"], "incomplete")
        by_name(r.sbom, "libdep.so.1")
        # The rest of the tree was seen: the target is complete.
        target = r.sbom["metadata"]["component"]
        check(target["bom-ref"] not in incomplete(r.sbom)["assemblies"] and
              not props(target, "bindep:unread-path"), "target incomplete")
    finally:
        shutil.rmtree(d, ignore_errors=True)


@case
def unreadable_directory(t):
    """A directory below a PATH the walk cannot open hides what is in it:
    besides the warning, every format says the target's inventory is
    incomplete there. CycloneDX: the target in an incomplete composition,
    and its path as a property of metadata.component; SPDX 2.3: the target
    CONTAINS NOASSERTION, and an annotation; SPDX 3: the target's
    "contains" is incomplete; the summary and text views name it."""
    d, out, tool, nobody = as_nobody(t)
    try:
        scanned = os.path.join(d, "scanned")
        private = os.path.join(scanned, "private")
        os.makedirs(private)
        os.chmod(scanned, 0o755)
        shutil.copy(os.path.join(t.work, "dist/lib/libdep.so.1"), scanned)
        shutil.copy(os.path.join(t.work, "dist/lib/libfoo.so.1"), private)
        os.chmod(private, 0)
        warning = ("bindep-sbom: warning: '%s': cannot open directory: "
                   "Permission denied" % private)

        def scan(*args):
            r = t.run("-o", os.path.join(out, "sbom.out"), *args, scanned,
                      cwd=d, binary=tool, prefix=nobody)
            check(r.code == 0, "%s: exit %d: %s" % (args, r.code, r.err))
            check(r.warnings() == [warning], r.warnings())
            return r

        cdx = scan().sbom
        target = cdx["metadata"]["component"]
        check(target["bom-ref"] in incomplete(cdx)["assemblies"],
              "target not incomplete: %s" % cdx.get("compositions"))
        check(props(target, "bindep:unread-path") == [private],
              target.get("properties"))
        by_name(cdx, "libdep.so.1")
        check(not [c for c in comps(cdx) if c["name"] == "libfoo.so.1"],
              "libfoo.so.1 was read")

        spdx = scan("--format", "spdx").sbom
        tp = [p for p in spdx["packages"] if p["SPDXID"] == "SPDXRef-Target"][0]
        notes = [a["comment"] for a in tp.get("annotations", [])]
        check(notes == ["bindep:unread-path=" + private], notes)
        check([r for r in spdx["relationships"]
               if r["spdxElementId"] == "SPDXRef-Target" and
               r["relationshipType"] == "CONTAINS" and
               r["relatedSpdxElement"] == "NOASSERTION"],
              "no CONTAINS NOASSERTION")

        spdx3 = scan("--format", "spdx3").sbom
        graph = spdx3["@graph"]
        target3 = [e for e in graph if e.get("spdxId", "").endswith("SPDXRef-Target")][0]
        contains = [e for e in graph if e.get("type") == "Relationship" and
                    e.get("from") == target3["spdxId"] and
                    e.get("relationshipType") == "contains"]
        check(contains and all(e.get("completeness") == "incomplete"
                               for e in contains), contains)
        ext = [p for x in target3.get("extension", [])
               for p in x.get("extension_cdxProperty", [])]
        check({"type": "extension_CdxPropertyEntry",
               "extension_cdxPropName": "bindep:unread-path",
               "extension_cdxPropValue": private} in ext, ext)

        for fmt in ("summary", "text"):
            scan("--format", fmt)
            with open(os.path.join(out, "sbom.out")) as f:
                view = f.read()
            check(private in view, "%s view:\n%s" % (fmt, view))

        # Under --root the same: a link into the directory nobody may
        # search, and a PATH below it, are not read. They were a
        # dangling link (a note) and "no such file or directory".
        os.symlink("private/libfoo.so.1", os.path.join(scanned, "libfoo.so"))
        r = t.run("-o", os.path.join(out, "sbom.json"), "--root", scanned,
                  scanned, os.path.join(private, "libfoo.so.1"), cwd=d,
                  binary=tool, prefix=nobody)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        check(sorted(r.warnings()) == [
            "bindep-sbom: warning: '/libfoo.so': cannot follow symlink: "
            "Permission denied",
            "bindep-sbom: warning: '/private': cannot open directory: "
            "Permission denied",
            "bindep-sbom: warning: '/private/libfoo.so.1': cannot stat: "
            "Permission denied"], r.warnings())
        check(sorted(props(r.sbom["metadata"]["component"], "bindep:unread-path")) ==
              ["/libfoo.so", "/private", "/private/libfoo.so.1"],
              r.sbom["metadata"]["component"].get("properties"))
    finally:
        shutil.rmtree(d, ignore_errors=True)


@case
def symlinked_argument_is_followed(t):
    link = os.path.join(t.work, "dist-link")
    if not os.path.islink(link):
        os.symlink("dist/lib", link)
    s = t.run("dist-link", cwd=t.work).sbom
    check(locations(by_name(s, "libdep.so.1")) == ["dist-link/libdep.so.1"], "followed")


import cases_formats  # noqa: E402
import cases_hard_text  # noqa: E402
import cases_hard_online  # noqa: E402
import cases_hard_online2  # noqa: E402
import cases_hard_limits  # noqa: E402
import cases_ident  # noqa: E402
import cases_rpmbdb  # noqa: E402
import cases_online  # noqa: E402
import cases_resolve  # noqa: E402
import cases_hard_open  # noqa: E402
import cases_hard_resolve  # noqa: E402
import cases_hard_review2  # noqa: E402
import cases_hard_review3  # noqa: E402
import cases_hard_review4  # noqa: E402
import cases_hard_budget  # noqa: E402
import cases_hard_review  # noqa: E402
import cases_artifacts  # noqa: E402
import cases_hard_archives  # noqa: E402
import cases_hard_pkgs  # noqa: E402
import cases_images  # noqa: E402
import cases_hard_input  # noqa: E402
import cases_registry_real  # noqa: E402
import cases_views  # noqa: E402
import cases_install  # noqa: E402
import cases_ci  # noqa: E402
import cases_static  # noqa: E402
import cases_attach  # noqa: E402
import cases_embedded_sbom  # noqa: E402
import cases_musl  # noqa: E402
import cases_hard_attach2  # noqa: E402
import cases_hard_images2  # noqa: E402
import cases_diff2  # noqa: E402
import cases_review6  # noqa: E402
import cases_review5  # noqa: E402
import cases_warncap  # noqa: E402
import cases_dpkg  # noqa: E402
import cases_license_strings  # noqa: E402
import cases_exclude  # noqa: E402
import cases_preload  # noqa: E402
import cases_gobuildinfo  # noqa: E402
import cases_divert  # noqa: E402
import cases_cargoaudit  # noqa: E402
import cases_machines  # noqa: E402

cases_resolve.register(case, sys.modules[__name__])
cases_ident.register(case, sys.modules[__name__])
cases_rpmbdb.register(case, sys.modules[__name__])
cases_formats.register(case, sys.modules[__name__])
cases_online.register(case, sys.modules[__name__])
cases_hard_open.register(case, sys.modules[__name__])
cases_hard_text.register(case, sys.modules[__name__])
cases_hard_online.register(case, sys.modules[__name__])
cases_hard_online2.register(case, sys.modules[__name__])
cases_hard_limits.register(case, sys.modules[__name__])
cases_hard_resolve.register(case, sys.modules[__name__])
cases_hard_review2.register(case, sys.modules[__name__])
cases_hard_review3.register(case, sys.modules[__name__])
cases_hard_review4.register(case, sys.modules[__name__])
cases_hard_budget.register(case, sys.modules[__name__])
cases_hard_review.register(case, sys.modules[__name__])
cases_artifacts.register(case, sys.modules[__name__])
cases_hard_archives.register(case, sys.modules[__name__])
cases_hard_pkgs.register(case, sys.modules[__name__])
cases_images.register(case, sys.modules[__name__])
cases_hard_input.register(case, sys.modules[__name__])
cases_registry_real.register(case, sys.modules[__name__])
cases_views.register(case, sys.modules[__name__])
cases_install.register(case, sys.modules[__name__])
cases_ci.register(case, sys.modules[__name__])
cases_static.register(case, sys.modules[__name__])
cases_attach.register(case, sys.modules[__name__])
cases_embedded_sbom.register(case, sys.modules[__name__])
cases_musl.register(case, sys.modules[__name__])
cases_hard_attach2.register(case, sys.modules[__name__])
cases_hard_images2.register(case, sys.modules[__name__])
cases_diff2.register(case, sys.modules[__name__])
cases_review6.register(case, sys.modules[__name__])
cases_review5.register(case, sys.modules[__name__])
cases_warncap.register(case, sys.modules[__name__])
cases_dpkg.register(case, sys.modules[__name__])
cases_license_strings.register(case, sys.modules[__name__])
cases_exclude.register(case, sys.modules[__name__])
cases_preload.register(case, sys.modules[__name__])
cases_gobuildinfo.register(case, sys.modules[__name__])
cases_divert.register(case, sys.modules[__name__])
cases_cargoaudit.register(case, sys.modules[__name__])
cases_machines.register(case, sys.modules[__name__])


# ---- running the cases, in parallel ----------------------------------------
#
# -j N workers, each a process forked from this one, with a work directory of
# its own holding a copy of the compiled fixtures (dist/). A worker runs one
# case at a time and keeps what a module builds once per run (an image, the
# artifacts' dist/, an HTTP server on a free port of 127.0.0.1), so a worker
# asks first for the next case of the module it ran last; another takes the
# first case of a module nobody runs yet. Each case's output (its prints, and
# its children's) is captured and printed with its verdict, in the order the
# cases were registered, whatever the order they finished in. A case marked
# @serial runs alone, after the others: it times itself or loads the machine.
# The cases marked @waits run on WAITING_WORKERS more workers: they take a
# CPU slot for seconds and use almost none of it. A -j worker takes them
# too, once no other case is left.


WAITING_WORKERS = 4


class Worker:
    def __init__(self, ctx, index, args, fixtures, work, waiting=False):
        self.index = index
        self.waiting = waiting  # takes only the @waits cases
        self.work = os.path.join(work, "w%d" % index)
        self.capture = self.work + ".out"
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker_main, daemon=True, args=(
            child, Runner(args.bin, args.wrapper, self.work,
                          not args.no_schema,
                          None if args.no_schema else purl_check_path(work)),
            fixtures, self.capture))
        self.proc.start()
        child.close()
        self.case = None  # (position, function, start) while busy
        self.module = None

    def send(self, pos, fn):
        self.case = (pos, fn, time.monotonic())
        self.module = fn.__module__
        self.conn.send(pos)

    def stop(self):
        """End the worker: when idle, by asking; when busy (an interrupted
        run), at once."""
        if self.case is None:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


def worker_main(conn, t, fixtures, capture):
    subprocess.run(["cp", "-a", fixtures, t.work], check=True)
    while True:
        pos = conn.recv()
        if pos is None:
            return
        conn.send(run_captured(t, CASES[pos], capture))


def run_captured(t, fn, capture):
    """Run one case, its standard output and error (file descriptors 1
    and 2, which its children inherit) into the file capture; return
    (passed, failure text, output, CPU seconds of it and its children)."""
    sys.stdout.flush()
    sys.stderr.flush()
    before = os.times()
    saved = os.dup(1), os.dup(2)
    with open(capture, "w+b") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        try:
            fn(t)
            passed, detail = True, ""
        except Exception as e:  # noqa: BLE001 - report every failure
            passed = False
            detail = str(e) if isinstance(e, Failure) else traceback.format_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        out.seek(0)
        text = out.read().decode(errors="replace")
    after = os.times()
    cpu = sum(after[:4]) - sum(before[:4])
    return passed, detail, text, cpu


def pick(worker, pending, workers):
    """The next case for an idle worker: the next of the module it ran
    last, else the first of a module nobody is running, else the first.
    A serial case only when nothing else is pending or running. A waiting
    worker takes only the @waits cases; a -j worker those last."""
    busy = {w.module for w in workers if w.case and w is not worker}
    parallel = [p for p in pending if not getattr(CASES[p], "serial", False)]
    computing = [p for p in parallel if not getattr(CASES[p], "waits", False)]
    if worker.waiting:
        parallel = [p for p in parallel if p not in computing]
    elif computing:
        parallel = computing
    if parallel:
        for want in (lambda p: CASES[p].__module__ == worker.module,
                     lambda p: CASES[p].__module__ not in busy,
                     lambda p: True):
            for p in parallel:
                if want(p):
                    return p
    if pending and not worker.waiting and not any(w.case for w in workers):
        return pending[0]
    return None


def run_cases(args, selected, fixtures, work, jobs):
    """Run the selected cases (positions in CASES) on jobs workers; print
    each verdict in order; return (passed, failed, durations, CPU seconds)."""
    import multiprocessing
    import multiprocessing.connection
    ctx = multiprocessing.get_context("fork")
    pending = list(selected)
    if args.shuffle is not None:
        import random
        random.Random(args.shuffle).shuffle(pending)
    waiting = sum(1 for p in pending if getattr(CASES[p], "waits", False))
    workers = [Worker(ctx, i, args, fixtures, work)
               for i in range(min(jobs, len(pending)))]
    workers += [Worker(ctx, len(workers) + i, args, fixtures, work, True)
                for i in range(min(WAITING_WORKERS, waiting))]
    spawned = len(workers)
    results, durations = {}, {}
    order = list(selected)
    printed = 0
    try:
        while pending or any(w.case for w in workers):
            for w in workers:
                if w.case is None:
                    p = pick(w, pending, workers)
                    if p is not None:
                        pending.remove(p)
                        w.send(p, CASES[p])
            busy = [w for w in workers if w.case]
            for conn in multiprocessing.connection.wait([w.conn for w in busy]):
                w = [w for w in busy if w.conn is conn][0]
                pos, fn, start = w.case
                try:
                    results[pos] = conn.recv()
                except EOFError:
                    results[pos] = died(w)
                    workers[workers.index(w)] = w = Worker(
                        ctx, spawned, args, fixtures, work, w.waiting)
                    spawned += 1
                durations[fn.__name__] = time.monotonic() - start
                w.case = None
            while printed < len(order) and order[printed] in results:
                fn = CASES[order[printed]]
                report(fn, *results[order[printed]],
                       seconds=durations[fn.__name__] if args.times else None)
                printed += 1
    finally:
        for w in workers:
            w.stop()
    passed = sum(1 for r in results.values() if r[0])
    cpu = sum(r[3] for r in results.values())
    return passed, len(results) - passed, durations, cpu


def died(w):
    w.proc.join(10)
    try:
        with open(w.capture, "rb") as f:
            text = f.read().decode(errors="replace")
    except OSError:
        text = ""
    return False, "the worker running it died (exit status %s)" \
        % w.proc.exitcode, text, 0.0


def report(fn, passed, detail, text, cpu, seconds=None):
    sys.stdout.write(text if not text or text.endswith("\n") else text + "\n")
    took = "" if seconds is None else " (%.1f s, %.1f s CPU)" % (seconds, cpu)
    if passed:
        print("ok - %s%s" % (fn.__name__, took))
    else:
        print("FAIL - %s%s: %s" % (fn.__name__, took, detail))
    sys.stdout.flush()


def read_case_list(path):
    """The case names of a list such as tests/e2e/VALGRIND_SUBSET: the
    first word of each line; '#' starts a comment."""
    names = []
    with open(path) as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if words:
                names.append(words[0])
    return names


def select(args):
    """Positions in CASES of the cases asked for, or an error text."""
    known = {fn.__name__ for fn in CASES}
    listed = set()
    if args.cases_from:
        listed = set(read_case_list(args.cases_from))
        unknown = sorted(listed - known)
        if unknown:
            return "%s: no such case: %s" % (args.cases_from, ", ".join(unknown))
    pats = [k for k in args.k.split(",") if k]
    return [i for i, fn in enumerate(CASES)
            if (not listed or fn.__name__ in listed) and
            (not pats or any(k in fn.__name__ for k in pats))]


def cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# ---- main ---------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--wrapper", default="")
    ap.add_argument("-k", default="",
                    help="run the cases whose name holds one of these "
                    "comma-separated patterns")
    ap.add_argument("--cases-from", metavar="FILE",
                    help="run only the cases FILE names (the first word of "
                    "each line; # starts a comment), e.g. VALGRIND_SUBSET")
    ap.add_argument("-j", "--jobs", type=int, default=cpus(),
                    help="cases run at once (default: the CPUs, %%(default)s); "
                    "the cases marked @waits on up to %d workers more"
                    % WAITING_WORKERS)
    ap.add_argument("--shuffle", type=int, metavar="SEED",
                    help="hand the cases out in a random order (to find "
                    "a case that depends on another); output order is kept")
    ap.add_argument("--no-schema", action="store_true",
                    help="do not validate the SBOMs against the schemas "
                    "(a pass that repeats one which does, e.g. under a "
                    "sanitizer or valgrind)")
    ap.add_argument("--times", action="store_true",
                    help="print how long each case took")
    ap.add_argument("--list", action="store_true",
                    help="list the cases (those -k and --cases-from select)")
    args = ap.parse_args()
    if args.jobs < 1:
        ap.error("-j wants a number above 0")
    selected = select(args)
    if isinstance(selected, str):
        print("run.py: " + selected, file=sys.stderr)
        return 2
    if args.list:
        print("\n".join(CASES[p].__name__ for p in selected))
        return 0
    work = tempfile.mkdtemp(prefix="bindep-e2e-")
    os.chmod(work, 0o755)
    start = time.monotonic()
    try:
        fixtures = os.path.join(work, "fixtures")
        os.mkdir(fixtures)
        os.chmod(fixtures, 0o755)
        compile_fixtures(fixtures)
        if not args.no_schema:
            compile_purl_check(work)
        passed, failed, durations, cpu = run_cases(args, selected, fixtures,
                                                   work, args.jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    slow = sorted(durations.items(), key=lambda kv: -kv[1])[:3]
    print("e2e: %.0f s on %d jobs, %.0f s of CPU in the cases; slowest: %s"
          % (time.monotonic() - start, args.jobs, cpu,
             ", ".join("%s %.1f s" % kv for kv in slow)))
    print("e2e: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
