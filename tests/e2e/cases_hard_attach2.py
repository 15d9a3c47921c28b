"""End-to-end cases of --attach under attack, second round (registered by
run.py): what it may write, and the wheels it writes.

- the wheel's name replaced by a symlink once it was opened (a dist/
  others can write to): the new wheel went to the file the link named,
  wherever it was, with that file's owner and mode. The name replaced is
  now the file read, or nothing is written.
- RECORD is CSV: a quoted path may hold a newline (a file name may). It
  was read line by line: such a file was said not to be listed, and when
  the text after the newline began with our SBOM's path and a comma, that
  "line" was dropped as our old one, leaving RECORD with an open quote
  that swallowed the rest (`wheel unpack` failed). A RECORD ending inside
  a quoted field, which would swallow our line, is refused.
- with --attach-dir, the input wheel's mode, and whether it is the wheel
  to write, were taken by stat() of its name, not of the file read: a
  name swapped once the wheel was open gave the new wheel another file's
  mode, and let it replace the file read where it has another name.
- a write that fails (a full disk, RLIMIT_FSIZE) while a deflated entry
  was being written: said as libarchive's "Write error", without the
  system's reason, and the writer it left fatal leaked its deflate
  stream (256 KiB, LeakSanitizer). Said with the reason now, nothing
  leaked.
"""
import base64
import csv
import hashlib
import io
import os
import subprocess
import zipfile

CC = os.environ.get("CC", "cc")
SYSTEM_PYTHON = "/usr/bin/python3"
OURS = "sboms/bindep-sbom.cdx.json"

# The swap both shims make, once: SWAP_PATH replaced by a symlink to
# SWAP_TARGET, and SWAP_MARK created.
SWAP_ONCE = r"""
static int fired;

static void swap_once(const char *sp, const char *tg)
{
	char tmp[PATH_MAX];

	fired = 1;
	snprintf(tmp, sizeof(tmp), "%s.swap", sp);
	if (!symlink(tg, tmp) && !rename(tmp, sp)) {
		FILE *f = fopen(getenv("SWAP_MARK"), "w");
		if (f)
			fclose(f);
	}
}
"""

# realpath() of SWAP_PATH while the process has that file open (the
# attach's own descriptor, not the scan's look-up before it): the name is
# replaced by a symlink to SWAP_TARGET, once, and SWAP_MARK created.
SWAP_SHIM = r"""
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef char *(*realpath_fn)(const char *, char *);
""" + SWAP_ONCE + r"""

static int open_here(realpath_fn real, const char *p)
{
	char want[PATH_MAX], link[64], got[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int found = 0;

	if (!real(p, want) || !(d = opendir("/proc/self/fd")))
		return 0;
	while ((e = readdir(d))) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		n = readlink(link, got, sizeof(got) - 1);
		if (n > 0) {
			got[n] = 0;
			found |= !strcmp(got, want);
		}
	}
	closedir(d);
	return found;
}

char *realpath(const char *p, char *out)
{
	realpath_fn real = (realpath_fn)dlsym(RTLD_NEXT, "realpath");
	const char *sp = getenv("SWAP_PATH"), *tg = getenv("SWAP_TARGET");

	if (!fired && sp && tg && !strcmp(p, sp) && open_here(real, p))
		swap_once(sp, tg);
	return real(p, out);
}
"""

# The attach's reader opened on the descriptor of SWAP_PATH's file (the
# scan reads wheels through its own reader, never this call): the name is
# replaced by a symlink to SWAP_TARGET, once, and SWAP_MARK created.
READER_SWAP_SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct archive;
typedef int (*open_fd_fn)(struct archive *, int, size_t);
""" + SWAP_ONCE + r"""

int archive_read_open_fd(struct archive *a, int fd, size_t block)
{
	open_fd_fn real = (open_fd_fn)dlsym(RTLD_NEXT, "archive_read_open_fd");
	const char *sp = getenv("SWAP_PATH"), *tg = getenv("SWAP_TARGET");
	char want[PATH_MAX], link[64], got[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if (!fired && sp && tg && realpath(sp, want) &&
	    (n = readlink(link, got, sizeof(got) - 1)) > 0 &&
	    (got[n] = 0, !strcmp(got, want)))
		swap_once(sp, tg);
	return real(a, fd, block);
}
"""


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def wheel_unpacks(h, t, path):
    """Debian's `wheel unpack` checks every hash of RECORD: (ok, why)."""
    d = h.fresh_dir(t, "unpacked")
    p = subprocess.run([SYSTEM_PYTHON, "-m", "wheel", "unpack", "-d", d,
                        path], capture_output=True)
    return p.returncode == 0, p.stderr.decode()[-600:]


def register(case, h):
    check = h.check

    def new_dir(t, name):
        return h.fresh_dir(t, "hard-attach2", name)

    def wheel(path, name, files=(), record=None):
        """A pure wheel at path: name/__init__.py, its METADATA and WHEEL,
        files ((entry, bytes)), and RECORD listing them all (or record,
        its text, when given)."""
        di = "%s-1.0.dist-info/" % name
        files = [(name + "/__init__.py", b"x = 1\n"),
                 (di + "METADATA", ("Metadata-Version: 2.1\nName: %s\n"
                                    "Version: 1.0\n\n" % name).encode()),
                 (di + "WHEEL", b"Wheel-Version: 1.0\nGenerator: t\n"
                  b"Root-Is-Purelib: true\nTag: py3-none-any\n\n")] + \
            list(files)
        lines = []
        with zipfile.ZipFile(path, "w") as z:
            for n, d in files:
                z.writestr(n, d, compress_type=zipfile.ZIP_DEFLATED)
                lines.append("%s,%s,%d\n" % (n, record_hash(d), len(d)))
            lines.append(di + "RECORD,,\n")
            z.writestr(di + "RECORD", "".join(lines) if record is None
                       else record)
        return path

    def unpacks(t, path):
        return wheel_unpacks(h, t, path)

    def swap_run(t, d, source, args, path, target):
        """args run in d with the shim of source preloaded, which replaces
        the name path by a symlink to target once (SWAP_SHIM: at the
        attach's realpath() of the open wheel; READER_SWAP_SHIM: when its
        reader opens the wheel's descriptor): the result, the swap seen
        made."""
        shim = os.path.join(d, "swap.so")
        with open(shim + ".c", "w") as f:
            f.write(source)
        h.sh(CC, "-shared", "-fPIC", "-o", shim, shim + ".c", "-ldl")
        mark = os.path.join(d, "swapped")
        asan = os.environ.get("ASAN_OPTIONS", "")
        r = t.run(*args, cwd=d, validate_sbom=False,
                  env={"LD_PRELOAD": shim,
                       # the shim before ASan's runtime: said, not fatal
                       "ASAN_OPTIONS": (asan + ":" if asan else "") +
                       "verify_asan_link_order=0",
                       "SWAP_PATH": path, "SWAP_TARGET": target,
                       "SWAP_MARK": mark})
        check(os.path.exists(mark),
              "the name was not swapped: %s" % r.err.decode())
        return r

    def attach_dir_wheel(t, tag, pkg):
        """d/dist/<pkg> wheel, an empty d/out and d/other, a file that is
        no wheel: (d, out, the wheel's name, its path, other)."""
        d = new_dir(t, tag)
        dist, out = os.path.join(d, "dist"), os.path.join(d, "out")
        os.makedirs(dist)
        os.makedirs(out)
        name = "%s-1.0-py3-none-any.whl" % pkg
        path = wheel(os.path.join(dist, name), pkg)
        other = os.path.join(d, "other")
        with open(other, "wb") as f:
            f.write(b"not a wheel\n")
        return d, out, name, path, other

    @case
    def hard_attach2_name_swapped_for_a_symlink(t):
        """dist/ scanned; once --attach has the wheel open, its name is
        replaced by a symlink to a file elsewhere (as anyone who can write
        to dist/ can). The wheel read was written over that file, as
        root anyone's. Now: an error naming the wheel, the file elsewhere
        as it was, nothing written beside either."""
        d = new_dir(t, "swap")
        dist = os.path.join(d, "dist")
        victim = os.path.join(d, "victim")
        os.makedirs(dist)
        os.makedirs(victim)
        name = "swp-1.0-py3-none-any.whl"
        wheel(os.path.join(dist, name), "swp")
        secret = os.path.join(victim, "secret")
        with open(secret, "wb") as f:
            f.write(b"not a wheel\n")
        os.chmod(secret, 0o600)
        r = swap_run(t, d, SWAP_SHIM, ["--attach", "-o", os.devnull, "dist/"],
                     "dist/" + name, secret)
        err = r.err.decode()
        with open(secret, "rb") as f:
            kept = f.read()
        check(kept == b"not a wheel\n" and
              os.stat(secret).st_mode & 0o777 == 0o600,
              "the file the link names was written: %r" % kept[:40])
        check(r.code == 1 and "'dist/%s': changed since it was scanned" %
              name in err, "exit %d: %s" % (r.code, err))
        check(sorted(os.listdir(dist)) == [name] and
              sorted(os.listdir(victim)) == ["secret"],
              "%r %r" % (os.listdir(dist), os.listdir(victim)))

    @case
    def hard_attach2_attach_dir_mode_of_the_file_read(t):
        """--attach-dir OUT dist/x.whl (0640); once the wheel is open, its
        name is replaced by a symlink to a file of mode 0606. The wheel
        written in OUT is the one read, with its mode 0640 (it had the
        other file's 0606: stat() of the name)."""
        d, out, name, path, other = attach_dir_wheel(t, "dirmode", "dmode")
        os.chmod(path, 0o640)
        os.chmod(other, 0o606)
        r = swap_run(t, d, READER_SWAP_SHIM,
                     ["--attach", "--attach-dir", out, "-o", os.devnull,
                      "dist/" + name], "dist/" + name, other)
        err = r.err.decode()
        written = os.path.join(out, name)
        check(r.code == 0 and os.path.exists(written),
              "exit %d: %s" % (r.code, err))
        mode = os.stat(written).st_mode & 0o777
        check(mode == 0o640, "the new wheel's mode: %o" % mode)
        ok, why = unpacks(t, written)
        check(ok, "attached: %s" % why)
        with open(other, "rb") as f:
            check(f.read() == b"not a wheel\n" and
                  os.stat(other).st_mode & 0o777 == 0o606, "other changed")

    @case
    def hard_attach2_attach_dir_is_the_file_read(t):
        """OUT/x.whl is another name (a hard link) of dist/x.whl, given;
        once the wheel is open, dist/x.whl is replaced by a symlink to
        another file. OUT/x.whl is still the file read: refused, left as
        it is (it was replaced: the name's stat() was the other file's)."""
        d, out, name, path, other = attach_dir_wheel(t, "dirsame", "dsame")
        linked = os.path.join(out, name)
        os.link(path, linked)
        before = sha(linked)
        ino = os.stat(linked).st_ino
        r = swap_run(t, d, READER_SWAP_SHIM,
                     ["--attach", "--attach-dir", out, "-o", os.devnull,
                      "dist/" + name], "dist/" + name, other)
        err = r.err.decode()
        check(r.code == 1 and "'dist/%s': --attach-dir is where it is"
              % name in err, "exit %d: %s" % (r.code, err))
        check(os.stat(linked).st_ino == ino and sha(linked) == before and
              sorted(os.listdir(out)) == [name],
              "OUT/x.whl replaced: %r" % os.listdir(out))

    @case
    def hard_attach2_record_quoted_newline(t):
        """A file whose name holds a newline followed by our SBOM's path
        and a comma, listed by RECORD as CSV quotes it: attached, RECORD
        keeps its line, the wheel unpacks (hashes checked), no warning.
        A RECORD whose last field is an open quote: refused, as it was."""
        d = new_dir(t, "quoted")
        di = "qnl-1.0.dist-info/"
        odd = "qnl/a\n" + di + OURS + ",x"
        rows = []
        files = [(odd, b"odd"), ("qnl/b.py", b"b")]
        path = os.path.join(d, "qnl-1.0-py3-none-any.whl")
        text = io.StringIO()
        w = csv.writer(text, lineterminator="\n")
        meta = b"Metadata-Version: 2.1\nName: qnl\nVersion: 1.0\n\n"
        with zipfile.ZipFile(path, "w") as z:
            for n, data in [("qnl/__init__.py", b""),
                            (di + "METADATA", meta)] + files:
                z.writestr(n, data, compress_type=zipfile.ZIP_DEFLATED)
                rows.append((n, record_hash(data), len(data)))
            rows.append((di + "RECORD", "", ""))
            w.writerows(rows)
            z.writestr(di + "RECORD", text.getvalue())
        ok, why = unpacks(t, path)
        check(ok, "the fixture: %s" % why)
        open_quote = wheel(os.path.join(d, "opq-1.0-py3-none-any.whl"),
                           "opq", record="opq/__init__.py,%s,6\n\"opq/"
                           % record_hash(b"x = 1\n"))
        before = sha(open_quote)
        r = t.run("--attach", "-o", os.devnull, path, open_quote, cwd=d,
                  validate_sbom=False)
        err = r.err.decode()
        check(r.code == 1 and sha(open_quote) == before and
              "'%s!/opq-1.0.dist-info/RECORD': ends inside a quoted field"
              % open_quote in err, "exit %d: %s" % (r.code, err))
        check("does not list" not in err, err)
        ok, why = unpacks(t, path)
        check(ok, "attached: %s" % why)
        with zipfile.ZipFile(path) as z:
            got = list(csv.reader(io.StringIO(
                z.read(di + "RECORD").decode())))
        check([r[0] for r in got] == [r[0] for r in rows] + [di + OURS],
              "RECORD's paths: %r" % [r[0] for r in got])

    @case
    def hard_attach2_write_fails_midway(t):
        """The new wheel cannot grow past 96 KiB (ulimit -f, SIGXFSZ
        ignored: write(2) fails with EFBIG, as ENOSPC on a full disk)
        while a deflated entry of 160 KiB is written: one error naming
        the wheel and the reason, the wheel as it was, nothing beside it,
        nothing leaked."""
        d = new_dir(t, "efbig")
        path = wheel(os.path.join(d, "fbig-1.0-py3-none-any.whl"), "fbig",
                     [("fbig/blob.bin", os.urandom(160 << 10))])
        before = sha(path)
        r = t.run("--attach", "-o", os.devnull, path, cwd=d,
                  validate_sbom=False,
                  prefix=["sh", "-c", 'ulimit -f 192; trap "" XFSZ; '
                          'exec "$@"', "sh"])
        err = r.err.decode()
        check(r.code == 1 and err == "bindep-sbom: error: '%s': cannot "
              "write: %s\n" % (path, os.strerror(27)),
              "exit %d: %s" % (r.code, err[-1500:]))
        check(sha(path) == before and os.listdir(d) == [
            os.path.basename(path)], "%r" % os.listdir(d))

    @case
    def hard_attach2_backslash_name_not_renamed(t):
        """bsl\\b.txt, a Unix entry (no "/" in it), listed so in RECORD
        (the wheel unpacks): refused, named, the wheel as it was; a good
        wheel of the run is still done."""
        d = new_dir(t, "backslash")
        info = zipfile.ZipInfo("bsl\\b.txt")
        info.create_system = 3
        info.external_attr = 0o644 << 16
        path = os.path.join(d, "bsl-1.0-py3-none-any.whl")
        di = "bsl-1.0.dist-info/"
        meta = b"Metadata-Version: 2.1\nName: bsl\nVersion: 1.0\n\n"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr(info, b"b")
            z.writestr(di + "METADATA", meta)
            z.writestr(di + "RECORD", "bsl\\b.txt,%s,1\n%sMETADATA,%s,%d\n"
                       "%sRECORD,,\n" % (record_hash(b"b"), di,
                                         record_hash(meta), len(meta), di))
        ok, why = unpacks(t, path)
        check(ok, "the fixture: %s" % why)
        good = wheel(os.path.join(d, "gd-1.0-py3-none-any.whl"), "gd")
        before = sha(path)
        r = t.run("--attach", "-o", os.devnull, path, good, cwd=d,
                  validate_sbom=False)
        err = r.err.decode()
        check(r.code == 1 and sha(path) == before and
              "'%s!/bsl/b.txt': read with '/' where RECORD lists its "
              "name with a backslash" % path in err,
              "exit %d: %s" % (r.code, err))
        ok, why = unpacks(t, good)
        check(ok and sha(good) != before, "the good wheel: %s" % why)
