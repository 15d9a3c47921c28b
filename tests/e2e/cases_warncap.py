"""End-to-end cases of the cap on warnings shown (registered by run.py).

A hostile archive or root of a million broken ELF files printed a million
warning lines (a CI log flooded) and kept every one's text in memory. The
first 1,000 are shown, the rest counted in one line at the end; -v shows
every one, -q none; the SBOM lists every bad file whatever was shown.
"""
import os

import elfgen as E

CAP = 1000
MORE = ("bindep-sbom: warning: %d more warning%s not shown "
        "(--verbose shows every one)")


def register(case, h):
    check = h.check

    def put_broken(d, i):
        """An ELF file cut short after its magic, its bytes its own (files
        alike are one component): "'…/bad0001.so': truncated ELF
        identification"."""
        with open(os.path.join(d, "bad%04d.so" % i), "wb") as f:
            f.write(b"\x7fELF%d" % i)

    def broken_dir(t, name, n):
        """n broken files: n distinct warnings."""
        d = h.fresh_dir(t, "warncap", name)
        for i in range(n):
            put_broken(d, i)
        return d

    def more_line(n):
        return MORE % (n, "" if n == 1 else "s")

    def truncated(r):
        return [w for w in r.warnings() if "truncated ELF" in w]

    def every_file_listed(r, d, n):
        """Each bad file is in the SBOM, marked bindep:error as always."""
        check(r.sbom is not None, "an SBOM is written")
        bad = [c for c in h.comps(r.sbom) if c["name"].startswith("bad")]
        check(len(bad) == n, "%d of %d files in the SBOM" % (len(bad), n))
        unmarked = [c["name"] for c in bad
                    if not h.props(c, "bindep:error")]
        check(not unmarked, "not marked bindep:error: %r" % unmarked[:3])

    @case
    def warncap_shows_the_first_1000(t):
        """1,005 broken files: 1,000 warnings, then one line counting the
        5 not shown, last; exit 0; every file in the SBOM."""
        d = broken_dir(t, "over", CAP + 5)
        r = t.run(d)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        w = r.warnings()
        check(len(truncated(r)) == CAP, "%d warnings shown"
              % len(truncated(r)))
        check(len(set(truncated(r))) == CAP, "a warning shown twice")
        check(w[-1] == more_line(5) and len(w) == CAP + 1,
              "%d lines, the last %r" % (len(w), w[-1:]))
        check(r.err.decode().splitlines()[-1] == more_line(5),
              "the count is not the last line: %r" % r.err[-300:])
        every_file_listed(r, d, CAP + 5)

    @case
    def warncap_verbose_shows_every_one(t):
        """-v: all 1,005 warnings, no count of hidden ones; the summary
        counts every warning."""
        d = broken_dir(t, "verbose", CAP + 5)
        r = t.run("-v", d)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        check(len(truncated(r)) == CAP + 5, "%d warnings shown"
              % len(truncated(r)))
        check(not [w for w in r.warnings() if "not shown" in w],
              "a count of hidden warnings: %r" % r.warnings()[-2:])
        check(b", %d warnings\n" % (CAP + 5) in r.err,
              "the summary: %r" % r.err[-300:])
        every_file_listed(r, d, CAP + 5)

    @case
    def warncap_quiet_shows_none(t):
        """-q: no warning, and no count of them."""
        d = broken_dir(t, "quiet", CAP + 5)
        r = t.run("-q", d)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        check(r.err == b"", "stderr: %r" % r.err[:300])
        every_file_listed(r, d, CAP + 5)

    @case
    def warncap_at_the_cap_and_one_past(t):
        """Exactly 1,000: all shown, no count line. 1,001: one more,
        said in the singular."""
        d = broken_dir(t, "exact", CAP)
        r = t.run(d)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        check(len(r.warnings()) == CAP and len(truncated(r)) == CAP,
              "%d lines: %r" % (len(r.warnings()), r.warnings()[-2:]))
        every_file_listed(r, d, CAP)
        put_broken(d, 9999)
        r = t.run(d)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        w = r.warnings()
        check(len(w) == CAP + 1 and w[-1] == more_line(1),
              "%d lines, the last %r" % (len(w), w[-1:]))
        every_file_listed(r, d, CAP + 1)

    @case
    def warncap_count_said_when_the_run_fails(t):
        """--strict fails the run after the SBOM (a needed library not
        found): the count of hidden warnings is still said, before the
        error, which stays the last line (the reason a CI log shows)."""
        d = broken_dir(t, "strict", CAP + 5)
        data, _ = E.build(soname="libneeds.so", needed=["libnowhere.so.9"])
        with open(os.path.join(d, "libneeds.so"), "wb") as f:
            f.write(data)
        r = t.run("--strict", d)
        check(r.code == 3, "exit %d: %s" % (r.code, r.err[-400:]))
        w = r.warnings()
        check(len(truncated(r)) == CAP, "%d warnings shown"
              % len(truncated(r)))
        check(w[-1] == more_line(5), "the last warning: %r" % w[-1:])
        lines = r.err.decode("utf-8", "replace").splitlines()
        check(lines[-1].startswith("bindep-sbom: error: --strict")
              and lines[-2] == more_line(5),
              "the last two lines: %r" % lines[-2:])
        every_file_listed(r, d, CAP + 5)
