"""End-to-end cases of the sixth review (registered by run.py).

- RECORD with CR line ends (Python's csv, which `wheel` reads it with, and
  pip's splitlines() end a record at a lone "\\r" too) was read as one
  record: when it began with our SBOM's line, the whole of it was dropped
  as our old line, and `wheel unpack` refused the wheel written.
- our RECORD line was written with its path unquoted: a .dist-info name
  with a comma or a quote (a wheel `wheel` and pip take, RECORD quoting
  its paths) gave a line CSV reads as another path and more fields
  (`wheel unpack` failed), and attaching again refused the wheel (our
  SBOM "not listed").
- RECORD's first field was not read as Python's csv reads it: text after
  a closing quote ("a"b is ab) was dropped, and a record without a comma
  (a path and no hash) named no path. Our old line so written was kept
  beside the new one, or the wheel refused (our SBOM "not listed"), and
  a file so listed was said not to be.
"""
import csv
import io
import os
import subprocess
import zipfile

from cases_hard_attach2 import (OURS, SYSTEM_PYTHON, record_hash, sha,  # noqa: F401
                                wheel_unpacks)


def register(case, h):
    check = h.check

    def new_dir(t, name):
        return h.fresh_dir(t, "review6", name)

    def unpacks(t, path):
        return wheel_unpacks(h, t, path)

    def cr_wheel(path, name, eol):
        """A pure wheel whose RECORD lines end with eol, the first one
        our SBOM's (attached before)."""
        di = "%s-1.0.dist-info/" % name
        old = b'{"old": true}'
        files = [(name + "/__init__.py", b"x = 1\n"),
                 (di + "METADATA", ("Metadata-Version: 2.1\nName: %s\n"
                                    "Version: 1.0\n\n" % name).encode()),
                 (di + "WHEEL", b"Wheel-Version: 1.0\nGenerator: t\n"
                  b"Root-Is-Purelib: true\nTag: py3-none-any\n\n"),
                 (di + OURS, old)]
        rows = ["%s,%s,%d" % (di + OURS, record_hash(old), len(old))]
        rows += ["%s,%s,%d" % (n, record_hash(d), len(d))
                 for n, d in files[:3]]
        rows.append(di + "RECORD,,")
        with zipfile.ZipFile(path, "w") as z:
            for n, d in files:
                z.writestr(n, d, compress_type=zipfile.ZIP_DEFLATED)
            z.writestr(di + "RECORD", eol.join(rows) + eol)
        return path

    @case
    def review6_attach_record_cr_line_ends(t):
        """RECORD's lines end with "\\r" (and "\\r\\n"), our SBOM's line
        first: the wheel unpacks before and after, RECORD lists every file
        once and our SBOM once, no file said unlisted."""
        d = new_dir(t, "cr")
        paths = [cr_wheel(os.path.join(d, "crw-1.0-py3-none-any.whl"),
                          "crw", "\r"),
                 cr_wheel(os.path.join(d, "crn-1.0-py3-none-any.whl"),
                          "crn", "\r\n")]
        for p in paths:
            ok, why = unpacks(t, p)
            check(ok, "the fixture %s: %s" % (p, why))
        before = [sha(p) for p in paths]
        r = t.run("--attach", "-o", os.devnull, *paths, cwd=d,
                  validate_sbom=False)
        err = r.err.decode()
        check(r.code == 0 and "does not list" not in err,
              "exit %d: %s" % (r.code, err))
        for p, b in zip(paths, before):
            check(sha(p) != b, "%s not attached" % p)
            ok, why = unpacks(t, p)
            check(ok, "attached %s: %s" % (p, why))
            name = os.path.basename(p).split("-")[0]
            di = "%s-1.0.dist-info/" % name
            with zipfile.ZipFile(p) as z:
                text = z.read(di + "RECORD").decode()
            got = sorted(line.split(",")[0] for line in text.splitlines())
            want = sorted([name + "/__init__.py", di + "METADATA",
                           di + "WHEEL", di + "RECORD", di + OURS])
            check(got == want, "%s RECORD: %r" % (p, text))

    @case
    def review6_attach_distinfo_name_with_comma(t):
        """A wheel whose .dist-info is "c,m-1.0.dist-info" (and one with
        a quote), RECORD quoting its paths as CSV: attached twice, each
        time the wheel unpacks (hashes checked) and RECORD lists our SBOM
        once, by its path read as CSV."""
        d = new_dir(t, "comma")
        paths = []
        for name in ("c,m", 'q"m'):
            di = name + "-1.0.dist-info/"
            files = [("cm/__init__.py", b"x = 1\n"),
                     (di + "METADATA",
                      b"Metadata-Version: 2.1\nName: cm\nVersion: 1.0\n\n"),
                     (di + "WHEEL", b"Wheel-Version: 1.0\nGenerator: t\n"
                      b"Root-Is-Purelib: true\nTag: py3-none-any\n\n")]
            text = io.StringIO()
            w = csv.writer(text, lineterminator="\n")
            path = os.path.join(d, name + "-1.0-py3-none-any.whl")
            with zipfile.ZipFile(path, "w") as z:
                for n, data in files:
                    z.writestr(n, data, compress_type=zipfile.ZIP_DEFLATED)
                    w.writerow((n, record_hash(data), len(data)))
                w.writerow((di + "RECORD", "", ""))
                z.writestr(di + "RECORD", text.getvalue())
            ok, why = unpacks(t, path)
            check(ok, "the fixture %s: %s" % (path, why))
            paths.append((path, di))
        for n in (1, 2):
            r = t.run("--attach", "-o", os.devnull, *[p for p, _ in paths],
                      cwd=d, validate_sbom=False)
            err = r.err.decode()
            check(r.code == 0, "attach %d: exit %d: %s" % (n, r.code, err))
            for p, di in paths:
                ok, why = unpacks(t, p)
                check(ok, "attach %d, %s: %s" % (n, p, why))
                with zipfile.ZipFile(p) as z:
                    rows = list(csv.reader(io.StringIO(
                        z.read(di + "RECORD").decode())))
                check([r[0] for r in rows].count(di + OURS) == 1 and
                      all(len(r) == 3 for r in rows),
                      "attach %d, %s RECORD: %r" % (n, p, rows))

    @case
    def review6_attach_record_fields_as_python_reads_them(t):
        """Our SBOM attached before, RECORD listing it as Python's csv
        reads it but as we did not: '"<path to .cdx>".json,hash,size'
        (text after the closing quote is the field's), or its path alone
        (no comma: one field); and a file listed as '"pf/a"b.py,...'.
        Attached: RECORD lists our SBOM once, no file said unlisted, the
        wheel unpacks (hashes checked)."""
        d = new_dir(t, "fields")
        old = b'{"old": true}'
        paths = []
        for name, how in (("qa", "after"), ("qb", "alone")):
            di = "%s-1.0.dist-info/" % name
            files = [(name + "/__init__.py", b"x = 1\n"),
                     (name + "/ab.py", b"y = 2\n"),
                     (di + "METADATA", ("Metadata-Version: 2.1\nName: %s\n"
                                        "Version: 1.0\n\n" % name).encode()),
                     (di + "WHEEL", b"Wheel-Version: 1.0\nGenerator: t\n"
                      b"Root-Is-Purelib: true\nTag: py3-none-any\n\n"),
                     (di + OURS, old)]
            rows = ["%s,%s,%d" % (n, record_hash(data), len(data))
                    for n, data in files[:4]]
            rows[1] = '"%s/a"b.py,%s,%d' % (name, record_hash(b"y = 2\n"), 6)
            if how == "after":
                rows.append('"%s".json,%s,%d' % (di + OURS[:-5],
                                                 record_hash(old), len(old)))
            else:
                rows.append(di + OURS)
            rows.append(di + "RECORD,,")
            path = os.path.join(d, name + "-1.0-py3-none-any.whl")
            with zipfile.ZipFile(path, "w") as z:
                for n, data in files:
                    z.writestr(n, data, compress_type=zipfile.ZIP_DEFLATED)
                z.writestr(di + "RECORD", "\n".join(rows) + "\n")
            with zipfile.ZipFile(path) as z:
                got = [r[0] for r in csv.reader(io.StringIO(
                    z.read(di + "RECORD").decode(), newline=""))]
            check(got.count(di + OURS) == 1 and name + "/ab.py" in got,
                  "the fixture as Python reads it: %r" % got)
            paths.append((path, di))
        r = t.run("--attach", "-o", os.devnull, *[p for p, _ in paths],
                  cwd=d, validate_sbom=False)
        err = r.err.decode()
        check(r.code == 0 and "does not list" not in err,
              "exit %d: %s" % (r.code, err))
        for p, di in paths:
            ok, why = unpacks(t, p)
            check(ok, "%s: %s" % (p, why))
            with zipfile.ZipFile(p) as z:
                rows = list(csv.reader(io.StringIO(
                    z.read(di + "RECORD").decode(), newline="")))
            check([r[0] for r in rows].count(di + OURS) == 1,
                  "%s RECORD: %r" % (p, rows))
