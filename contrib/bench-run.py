#!/usr/bin/python3
"""make bench: bindep-sbom against floors measured in the same run (issue 13).

usage: bench-run.py BINDEP-SBOM HASHFLOOR

Each case runs bindep-sbom and its floor interleaved, best of BENCH_RUNS
(3) each, warm cache, both on BENCH_JOBS (2) threads, and ends with one
table: case, bindep-sbom, floor, ratio (of wall-clock times), cpu ratio
(of user + system times), target, verdict.

The floors (contrib/hashfloor.c; README, "Performance"):
  hash   the files bindep-sbom must read: the regular files of its inputs
         (of the root when --root has no PATH) and every file the SBOM
         lists, each once (by inode); an ELF file read in 64 KiB chunks and
         SHA-256'd, any other file opened and its 4 magic bytes read
         (`hashfloor -e`);
  magic  open, read 4 bytes, close, for each file (`hashfloor -m`);
  scanelf -RyBnL (pax-utils) on the same directory, for reference.
Peak memory per component: the maximum RSS of a run (GNU time's %M) minus
that of a baseline run, divided by the components the run adds.

The trees made for the run (the small ELF files, the tiny files, the
image and wheels) are made in /dev/shm when it is a tmpfs with room:
making and removing 200,000 files on this machine's disk takes minutes
(a tmpfs: seconds), and each floor reads the same files in the same place.
The Debian root is hard-linked from this machine's files, so in TMPDIR.

Environment: BENCH_RUNS, BENCH_JOBS, BENCH_QUICK=1 (small sizes, one run),
BENCH_BUDGET (seconds: a command whose runs reach it is not run again;
default 30), BENCH_LIBDIR (/usr/lib/x86_64-linux-gnu), BENCH_DEBIAN_ROOT
(a Debian root to use, e.g. made by debootstrap; default: one built here
by contrib/bench-trees.py), BENCH_IMAGE_MIB (128), BENCH_TMPDIR (where the
trees are made), TMPDIR, BENCH_CASES (some of libdir, debroot, usrbin,
determinism, scale-flat, scale-spread, tiny, artifacts; comma-separated).
"""
import hashlib
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
RUNS = int(os.environ.get("BENCH_RUNS") or (1 if QUICK else 3))
JOBS = os.environ.get("BENCH_JOBS") or "2"
BUDGET = float(os.environ.get("BENCH_BUDGET") or 30)
LIBDIR = os.environ.get("BENCH_LIBDIR") or "/usr/lib/x86_64-linux-gnu"
DEBROOT = os.environ.get("BENCH_DEBIAN_ROOT") or ""
IMAGE_MIB = os.environ.get("BENCH_IMAGE_MIB") or ("32" if QUICK else "128")
SCALE = (500, 2000) if QUICK else (4000, 16000)
TINY = 20000 if QUICK else 200000
EPOCH = "1700000000"

# Targets (issue 13, "Done when"; issue 12, point 8 for the image).
HASH_TARGET = 1.2
SCALE_TARGET = 4.4
MAGIC_TARGET = 1.5
KIB_TARGET = 4.0
IMAGE_TARGET = 1.3

BIN = HF = WORK = DEBWORK = None
ROWS = []
FAILED = []


def say(text):
    print("bench: " + text, flush=True)


def gnu_time():
    """GNU time, if it is there. The peak RSS that wait4() reports for a
    child of this process is at least this process's own: the child
    execs from a vfork()ed copy, and Linux keeps the larger high-water
    mark across exec. GNU time forks its own child from a small process,
    so its %M is the command's alone."""
    for t in ("/usr/bin/time",):
        try:
            ok = subprocess.run([t, "-f", "%M", "-o", os.devnull, "true"],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL).returncode == 0
        except OSError:
            ok = False
        if ok:
            return t
    return None


TIME = gnu_time()


def spawn(argv, stdin=None, env=None):
    """Run argv: (seconds, peak RSS in KiB or None, exit status, stderr's
    end, CPU seconds). Every command runs under GNU time alike, when it is
    there (its own CPU time, about a millisecond, is counted in)."""
    with tempfile.NamedTemporaryFile() as rss, tempfile.TemporaryFile() as \
            err, open(stdin or os.devnull, "rb") as inp:
        if TIME:
            argv = [TIME, "-f", "%M", "-o", rss.name] + argv
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=inp, stderr=err, env=env,
                             stdout=subprocess.DEVNULL)
        _, status, use = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-1500:].decode(errors="replace")
        if TIME:
            # The last line; a non-zero exit adds a line before it.
            lines = rss.read().decode().split()
            kib = int(lines[-1]) if lines and lines[-1].isdigit() else None
        else:
            kib = use.ru_maxrss
            if kib <= resource.getrusage(resource.RUSAGE_SELF).ru_maxrss:
                kib = None  # this process's own peak, not the command's
    return dt, kib, p.returncode, tail, use.ru_utime + use.ru_stime


class Best:
    """The runs of one command: the best time, the least peak RSS."""

    def __init__(self, label):
        self.label, self.secs, self.rss, self.bad = label, [], [], None
        self.cpus = []

    def add(self, sample):
        dt, rss, rc, tail, cpu = sample
        self.cpus.append(cpu)
        if rc != 0 and self.bad is None:
            self.bad = "exit %d: %s" % (rc, tail.strip()[-300:])
            FAILED.append("%s: %s" % (self.label, self.bad))
        self.secs.append(dt)
        self.rss.append(rss)

    def wants_more(self):
        return len(self.secs) < RUNS and sum(self.secs) < BUDGET

    @property
    def ms(self):
        return min(self.secs) * 1000.0

    @property
    def cpu_ms(self):
        """CPU time (user + system): on a shared machine, the work done."""
        return min(self.cpus) * 1000.0

    @property
    def kib(self):
        known = [k for k in self.rss if k is not None]
        return min(known) if known else None


def best_of(cmds, seeded=None):
    """cmds: [(key, label, argv, stdin)], run in interleaved rounds so that
    the machine's load falls on each alike. seeded: {key: Best} already run
    once. A command stops after RUNS runs, or once its runs reach BUDGET
    seconds (one run at least)."""
    res = dict(seeded or {})
    for key, label, _, _ in cmds:
        res.setdefault(key, Best(label))
    while True:
        ran = False
        for key, _, argv, stdin in cmds:
            if res[key].wants_more():
                res[key].add(spawn(argv, stdin))
                ran = True
        if not ran:
            return res


def row(case, ours, floor, ratio, target, unit="", cpu=None):
    if ratio is None:
        verdict = "-"
    elif target is None:
        verdict = "info"
    else:
        verdict = "ok" if ratio <= target else "over"
    ROWS.append((case, ours, floor,
                 "-" if ratio is None else "%.2f%s" % (ratio, unit),
                 "-" if cpu is None else "%.2f" % cpu,
                 "-" if target is None else "%g%s" % (target, unit),
                 verdict))


def ms(b):
    return "%.0f ms" % b.ms if b.bad is None else "failed"


def ratio_of(a, b):
    if a.bad or b.bad or b.ms <= 0:
        return None
    return a.ms / b.ms


def cpu_ratio_of(a, b):
    if a.bad or b.bad or b.cpu_ms <= 0:
        return None
    return a.cpu_ms / b.cpu_ms


# ---- the files a run must read --------------------------------------------

def regular_files(paths):
    """The regular files under each path (symlinks not followed)."""
    out = []
    for p in paths:
        st = os.lstat(p)
        if stat.S_ISREG(st.st_mode):
            out.append(p)
            continue
        for d, dirs, files in os.walk(p):
            dirs.sort()
            for f in sorted(files):
                q = os.path.join(d, f)
                if stat.S_ISREG(os.lstat(q).st_mode):
                    out.append(q)
    return out


def in_root(root, path):
    """path (absolute, inside root) resolved as the loader would inside
    root: an absolute symlink starts again from root, '..' stops there."""
    parts = [c for c in path.split("/") if c]
    done, hops = [], 0
    while parts:
        c = parts.pop(0)
        if c == ".":
            continue
        if c == "..":
            if done:
                done.pop()
            continue
        host = os.path.join(root, *done, c)
        if os.path.islink(host) and hops < 40:
            hops += 1
            target = os.readlink(host)
            if target.startswith("/"):
                done = []
            parts = [x for x in target.split("/") if x] + parts
            continue
        done.append(c)
    return os.path.join(root, *done)


def sbom_files(sbom, root):
    """Every file the CycloneDX SBOM lists, as a host path."""
    out = []
    for comp in sbom.get("components", []):
        for occ in comp.get("evidence", {}).get("occurrences", []):
            loc = occ.get("location", "")
            if "!/" in loc or not loc.startswith("/"):
                continue
            out.append(in_root(root, loc) if root else loc)
    return out


def write_list(name, paths):
    """paths, each file once (by inode), regular files only, to a list."""
    seen, keep = set(), []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            keep.append(p)
    path = os.path.join(WORK, name + ".list")
    with open(path, "w") as f:
        f.write("".join(p + "\n" for p in keep))
    return path, len(keep)


def floor_summary(flag, listfile):
    """One untimed floor run (it also warms the cache): its summary."""
    out = subprocess.run([HF, flag, "-j", JOBS], stdin=open(listfile),
                         capture_output=True, text=True)
    return out.stdout.strip()


def load_sbom(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


# ---- the cases ------------------------------------------------------------

def bindep(out, inputs, root=None, jobs=None):
    argv = [BIN, "-q", "-j", jobs or JOBS, "-o", out]
    if root:
        argv += ["--root", root]
    return argv + inputs


def scan_case(key, label, inputs, root=None, scanelf=None):
    """bindep-sbom on inputs (in root) against the hash floor of the files
    it must read, and scanelf on the same tree. Returns (Best of ours,
    components)."""
    out = os.path.join(WORK, key + ".json")
    walked = regular_files(inputs or [root])
    lst, _ = write_list(key, walked)
    floor_summary("-e", lst)
    first = Best("bindep-sbom " + label)
    first.add(spawn(bindep(out, inputs, root)))
    sbom = load_sbom(out)
    comps = len(sbom.get("components", []))
    lst, n = write_list(key, walked + sbom_files(sbom, root))
    summary = floor_summary("-e", lst)
    cmds = [("ours", first.label, bindep(out, inputs, root), None),
            ("floor", "hashfloor -e " + label, [HF, "-e", "-j", JOBS], lst)]
    if scanelf:
        cmds.append(("scanelf", "scanelf " + label,
                     ["scanelf", "-RyBnL", scanelf], None))
    res = best_of(cmds, {"ours": first})
    say("%s: %d components; floor list %d files (%s)" %
        (label, comps, n, summary))
    say("%s: bindep-sbom %s, hash floor %s%s, peak RSS %s" %
        (label, ms(res["ours"]), ms(res["floor"]),
         ", scanelf " + ms(res["scanelf"]) if scanelf else "",
         kib(res["ours"])))
    return res, comps


def kib(b):
    return "n/a" if b.kib is None else "%d KiB" % b.kib


def per_component(run, base, added):
    """The peak RSS a run adds over its baseline, per component added."""
    if added <= 0 or run.bad or base.bad or None in (run.kib, base.kib):
        return None
    return (run.kib - base.kib) / added


def memory_row(label, res, comps, base_argv, base_out):
    """Peak RSS per component against a baseline: the least of as many
    runs as the scan had, as the scan's is (a single run's varies by a
    few hundred KiB with the threads' timing, a tenth of a small root's
    whole difference)."""
    base = Best("baseline " + label)
    while len(base.rss) < max(1, len(res["ours"].rss)):
        base.add(spawn(base_argv))
    added = comps - len(load_sbom(base_out).get("components", []))
    row("memory " + label + " (%d comp. added)" % added, kib(res["ours"]),
        kib(base) + " base", per_component(res["ours"], base, added),
        KIB_TARGET, " KiB")


def hash_rows(label, res, target):
    row(label + " / hash floor", ms(res["ours"]), ms(res["floor"]),
        ratio_of(res["ours"], res["floor"]), target,
        cpu=cpu_ratio_of(res["ours"], res["floor"]))
    if "scanelf" in res:
        row(label + " / scanelf", ms(res["ours"]), ms(res["scanelf"]),
            ratio_of(res["ours"], res["scanelf"]), None,
            cpu=cpu_ratio_of(res["ours"], res["scanelf"]))


def tiny_elf(path):
    """A directory holding one small ELF library: the baseline's input."""
    subprocess.run([sys.executable, os.path.join(HERE, "bench-trees.py"),
                    "elf", path, "1", "flat"], check=True,
                   stdout=subprocess.DEVNULL)
    return path


def case_libdir():
    res, comps = scan_case("libdir", LIBDIR, [LIBDIR], scanelf=LIBDIR)
    hash_rows(LIBDIR, res, HASH_TARGET)
    out = os.path.join(WORK, "base-libdir.json")
    memory_row(LIBDIR, res, comps,
               bindep(out, [tiny_elf(os.path.join(WORK, "one"))]), out)


def case_debian_root():
    if DEBROOT:
        root, how = DEBROOT, "given by BENCH_DEBIAN_ROOT"
    else:
        root, how = os.path.join(DEBWORK, "debroot"), "built by hand"
        t0 = time.perf_counter()
        n = trees("debroot", root)
        how += " (%s files hard-linked or copied in %.1f s)" % (
            n, time.perf_counter() - t0)
    say("Debian root %s: %s" % (root, how))
    res, comps = scan_case("debroot", "--root DEBIAN-ROOT", [], root=root,
                           scanelf=root)
    hash_rows("--root DEBIAN-ROOT", res, HASH_TARGET)
    out = os.path.join(WORK, "base-debroot.json")
    memory_row("--root DEBIAN-ROOT", res, comps,
               bindep(out, [os.path.join(root, "usr/bin/true")], root), out)


def case_usr_bin():
    res, comps = scan_case("usrbin", "--root / /usr/bin", ["/usr/bin"],
                           root="/", scanelf="/usr/bin")
    hash_rows("--root / /usr/bin", res, HASH_TARGET)
    out = os.path.join(WORK, "base-usrbin.json")
    memory_row("--root / /usr/bin", res, comps,
               bindep(out, ["/usr/bin/true"], "/"), out)


def trees(what, path, *args):
    out = subprocess.run([sys.executable, os.path.join(HERE,
                                                       "bench-trees.py"),
                          what, path] + [str(a) for a in args],
                         check=True, capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def case_scale(shape):
    small, big = SCALE
    got = {}
    for n in (small, big):
        d = os.path.join(WORK, "%s%d" % (shape, n))
        t0 = time.perf_counter()
        trees("elf", d, n, shape)
        say("%d small ELF files, %s, made in %.1f s" %
            (n, shape, time.perf_counter() - t0))
        label = "%d ELF %s" % (n, "in one dir" if shape == "flat"
                               else "spread")
        got[n] = scan_case("%s%d" % (shape, n), label, [d]) + (label,)
        res, _, label = got[n]
        hash_rows(label, res, None)
    (rs, cs, _), (rb, cb, _) = got[small], got[big]
    what = "one dir" if shape == "flat" else "spread"
    row("scale %s: %d / %d files" % (what, big, small), ms(rb["ours"]),
        ms(rs["ours"]) + " (%d)" % small, ratio_of(rb["ours"], rs["ours"]),
        SCALE_TARGET, cpu=cpu_ratio_of(rb["ours"], rs["ours"]))
    row("memory %s %d vs %d (%d comp. added)" % (what, big, small, cb - cs),
        kib(rb["ours"]), kib(rs["ours"]) + " (%d)" % small,
        per_component(rb["ours"], rs["ours"], cb - cs), KIB_TARGET, " KiB")
    for n in (small, big):
        shutil.rmtree(os.path.join(WORK, "%s%d" % (shape, n)))


def case_tiny():
    d = os.path.join(WORK, "tiny")
    t0 = time.perf_counter()
    trees("tiny", d, TINY)
    say("%d tiny non-ELF files made in %.1f s" %
        (TINY, time.perf_counter() - t0))
    lst, n = write_list("tiny", regular_files([d]))
    summary = floor_summary("-m", lst)
    out = os.path.join(WORK, "tiny.json")
    res = best_of([("ours", "bindep-sbom tiny", bindep(out, [d]), None),
                   ("floor", "hashfloor -m tiny", [HF, "-m", "-j", JOBS],
                    lst)])
    say("%d tiny files: bindep-sbom %s, open-and-read-magic floor %s (%s)"
        % (n, ms(res["ours"]), ms(res["floor"]), summary))
    row("%d tiny non-ELF / magic floor" % TINY, ms(res["ours"]),
        ms(res["floor"]), ratio_of(res["ours"], res["floor"]), MAGIC_TARGET,
        cpu=cpu_ratio_of(res["ours"], res["floor"]))
    shutil.rmtree(d)


def case_determinism():
    """The /usr/bin SBOM (its whole closure) for -j1, -j2 and -j4, with
    SOURCE_DATE_EPOCH set: the same bytes (issue 13: for any -j)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    sums = []
    for j in ("1", "2", "4"):
        out = os.path.join(WORK, "det-j%s.json" % j)
        argv = bindep(out, ["/usr/bin"], "/", jobs=j)
        _, _, rc, tail, _ = spawn(argv, env=env)
        if rc != 0:
            FAILED.append("determinism -j%s: exit %d: %s" % (j, rc, tail))
        with open(out, "rb") as f:
            sums.append(hashlib.sha256(f.read()).hexdigest())
    same = len(set(sums)) == 1
    say("determinism: --root / /usr/bin with SOURCE_DATE_EPOCH=%s: -j1 %s,"
        " -j2 %s, -j4 %s: %s" % (EPOCH, sums[0][:16], sums[1][:16],
                                 sums[2][:16],
                                 "identical" if same else "DIFFERENT"))
    ROWS.append(("determinism: /usr/bin -j1, -j2, -j4", sums[0][:12],
                 sums[1][:12] if same else "/".join(s[:8] for s in sums[1:]),
                 "-", "-", "same", "ok" if same else "DIFFERENT"))


def case_artifacts():
    """Issue 12, point 8: an OCI image read in place against decompressing
    its layers plus a --root scan of the merged tree; twenty wheels
    against the same wheels unzipped."""
    art = os.path.join(WORK, "art")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, os.path.join(HERE, "bench-artifacts.py"),
                    art, IMAGE_MIB], check=True)
    layers = sorted(os.path.join(art, "layers", f)
                    for f in os.listdir(os.path.join(art, "layers")))
    mib = sum(os.path.getsize(p) for p in layers) / 1048576.0
    say("image of %.0f MiB of gzip'd layers and 20 wheels made in %.1f s"
        % (mib, time.perf_counter() - t0))
    out = os.path.join(WORK, "art.json")
    res = best_of([
        ("image", "bindep-sbom image", bindep(out, [art + "/image"]), None),
        ("gunzip", "gzip -dc layers", ["gzip", "-dc"] + layers, None),
        ("tree", "bindep-sbom --root tree",
         bindep(out, [], art + "/tree"), None),
        ("wheels", "bindep-sbom dist", bindep(out, [art + "/dist"]), None),
        ("unzipped", "bindep-sbom unpacked",
         bindep(out, [art + "/unpacked"]), None)])
    img, gz, tree = res["image"], res["gunzip"], res["tree"]
    both = cpu = None
    if not (img.bad or gz.bad or tree.bad):
        both = img.ms / (gz.ms + tree.ms)
        cpu = img.cpu_ms / max(gz.cpu_ms + tree.cpu_ms, 1e-3)
    say("image: bindep-sbom %s; gzip -dc %s + --root tree %s" %
        (ms(img), ms(gz), ms(tree)))
    row("image %.0f MiB / (gunzip + --root tree)" % mib, ms(img),
        "%.0f ms" % (gz.ms + tree.ms), both, IMAGE_TARGET, cpu=cpu)
    row("20 wheels / same unzipped", ms(res["wheels"]), ms(res["unzipped"]),
        ratio_of(res["wheels"], res["unzipped"]), None,
        cpu=cpu_ratio_of(res["wheels"], res["unzipped"]))
    shutil.rmtree(art)


def table():
    head = ("case", "bindep-sbom", "floor", "ratio", "cpu ratio", "target",
            "verdict")
    width = [max(len(r[i]) for r in ROWS + [head]) for i in range(7)]
    line = "  ".join("%-*s" if i == 0 else "%*s" for i in range(7))
    print()
    print(line % sum(zip(width, head), ()))
    for r in ROWS:
        print(line % sum(zip(width, r), ()))
    over = [r[0] for r in ROWS if r[6] in ("over", "DIFFERENT")]
    print()
    say("ratio: of the best wall-clock times; cpu ratio: of the least CPU "
        "times (user + system), the steadier on a shared machine; the "
        "verdict is the ratio's")
    say("%d of %d targets met%s" %
        (sum(1 for r in ROWS if r[6] == "ok"),
         sum(1 for r in ROWS if r[6] in ("ok", "over", "DIFFERENT")),
         "; over: " + "; ".join(over) if over else ""))


def header():
    ver = subprocess.run([BIN, "--version"], capture_output=True,
                         text=True).stdout.strip()
    up = subprocess.run(["uptime"], capture_output=True,
                        text=True).stdout.strip()
    say("%s; hashfloor %s; %d CPUs; -j %s; best of %d (a command whose "
        "runs reach %g s is not repeated)%s" %
        (ver, HF, os.cpu_count() or 0, JOBS, RUNS, BUDGET,
         "; QUICK sizes" if QUICK else ""))
    say("peak RSS: " + ("by %s -f %%M" % TIME if TIME else
                        "by wait4(), n/a where not above this script's own "
                        "(no GNU time: apt-get install time)"))
    say("uptime: " + up)


CASES = (("libdir", case_libdir), ("debroot", case_debian_root),
         ("usrbin", case_usr_bin), ("determinism", case_determinism),
         ("scale-flat", lambda: case_scale("flat")),
         ("scale-spread", lambda: case_scale("spread")),
         ("tiny", case_tiny), ("artifacts", case_artifacts))
ONLY = [c for c in os.environ.get("BENCH_CASES", "").split(",") if c]


def scratch():
    """Where the trees are made: BENCH_TMPDIR, else /dev/shm when it is a
    tmpfs with 4 GiB free, else TMPDIR."""
    given = os.environ.get("BENCH_TMPDIR")
    if given:
        return given
    try:
        st = os.statvfs("/dev/shm")
        with open("/proc/mounts") as f:
            tmpfs = any(ln.split()[1:3] == ["/dev/shm", "tmpfs"] for ln in f)
        if tmpfs and st.f_bavail * st.f_frsize >= 4 << 30 and \
                os.access("/dev/shm", os.W_OK):
            return "/dev/shm"
    except OSError:
        pass
    return tempfile.gettempdir()


def main():
    global BIN, HF, WORK, DEBWORK
    if len(sys.argv) != 3:
        sys.exit("usage: bench-run.py BINDEP-SBOM HASHFLOOR")
    unknown = set(ONLY) - set(name for name, _ in CASES)
    if unknown:
        sys.exit("bench: no case %s" % ", ".join(sorted(unknown)))
    BIN, HF = (os.path.abspath(a) for a in sys.argv[1:])
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    t0 = time.perf_counter()
    WORK = tempfile.mkdtemp(prefix="bindep-bench.", dir=scratch())
    DEBWORK = tempfile.mkdtemp(prefix="bindep-bench-root.")
    try:
        header()
        say("trees made in %s; the Debian root in %s" % (WORK, DEBWORK))
        for name, case in CASES:
            if ONLY and name not in ONLY:
                continue
            try:
                case()
            except (OSError, subprocess.SubprocessError, ValueError) as e:
                FAILED.append("%s: %s" % (name, e))
                say("FAILED " + FAILED[-1])
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
        shutil.rmtree(DEBWORK, ignore_errors=True)
    table()
    say("uptime: " + subprocess.run(["uptime"], capture_output=True,
                                    text=True).stdout.strip())
    say("the whole bench took %.0f s" % (time.perf_counter() - t0))
    for f in FAILED:
        say("FAILED " + f)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
