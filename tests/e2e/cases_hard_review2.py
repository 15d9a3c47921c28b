"""End-to-end cases of the second adversarial review of issue 11
(registered by run.py): -o through a symlink keeps the file's mode and obeys
fs.protected_symlinks, -o to a FIFO nobody reads fails at once, the funding
report's CSV and markdown carry no raw control bytes and no javascript:
links, YAML reader errors have a real position, the mapping count caps, and
a FIFO at a registry's purls.yml.

Fixtures are made here, in the run's work directory.
"""
import copy
import os
import stat
import subprocess

import ecosystems

# Bytes that drive a terminal: an OSC title, a screen clear, a BEL, C1 CSI.
RAW_CONTROLS = (b"\x1b", b"\x07", b"\xc2\x9b")


def register(case, h):

    def new_dir(t, name):
        return h.fresh_dir(t, "review2", name)

    def lib(t):
        return os.path.join(t.work, "dist/lib/libdep.so.1")

    @case
    def review2_output_symlink_keeps_mode(t):
        """echo S>v; chmod 600 v; ln -s $PWD/v l; -o l: v stays 0600 (it
        became 0644 when the new inode took the umask's mode)."""
        d = new_dir(t, "mode")
        v = h.put_file(d, "v", "S\n")
        os.chmod(v, 0o600)
        link = h.put_link(d, "l", v)
        r = t.run("-o", link, lib(t))
        h.check(r.code == 0 and r.sbom is not None, r.err)
        h.check(os.path.islink(link), "the link stays a link")
        h.check(stat.S_IMODE(os.stat(v).st_mode) == 0o600,
                "mode %o" % stat.S_IMODE(os.stat(v).st_mode))
        os.chmod(v, 0o640)
        r = t.run("-o", v, lib(t))
        h.check(r.code == 0 and stat.S_IMODE(os.stat(v).st_mode) == 0o640,
                "direct: mode %o" % stat.S_IMODE(os.stat(v).st_mode))

    @case
    def review2_output_sticky_foreign_link_refused(t):
        """A link in a sticky world-writable directory owned by someone
        else (uid 65534) is not followed, as the kernel's
        fs.protected_symlinks would not: exit 1, nothing written."""
        h.check(os.geteuid() == 0, "needs root to give a link away")
        d = new_dir(t, "sticky")
        os.chmod(d, 0o1777)
        victim = h.put_file(t.work, "review2/victim-%d" % os.getpid(), "keep")
        os.chmod(victim, 0o600)
        link = h.put_link(d, "out.json", victim)
        os.lchown(link, 65534, 65534)
        r = t.run("-o", link, lib(t))
        h.check(r.code == 1, "exit %d: %s" % (r.code, r.err))
        h.check(("bindep-sbom: error: '%s': a symbolic link in a sticky "
                 "world-writable directory" % link).encode() in r.err, r.err)
        with open(victim) as f:
            h.check(f.read() == "keep", "victim overwritten")
        h.check(sorted(os.listdir(d)) == ["out.json"], os.listdir(d))
        h.check(os.path.islink(link), "link kept")
        # The directory owner's own link (root's, here) is followed.
        os.lchown(link, 0, 0)
        r = t.run("-o", link, lib(t))
        h.check(r.code == 0 and r.sbom is not None, r.err)

    @case
    def review2_output_fifo_without_reader(t):
        """-o to a FIFO nobody reads: an error at once, not a hang."""
        d = new_dir(t, "fifo")
        fifo = os.path.join(d, "x")
        os.mkfifo(fifo)
        try:
            r = t.run("-o", fifo, lib(t), validate_sbom=False,
                      timeout=300 if t.wrapper else 20)
        except subprocess.TimeoutExpired:
            h.check(False, "blocked on a FIFO with no reader")
        h.check(r.code == 1, "exit %d" % r.code)
        h.check(("bindep-sbom: error: '%s': a FIFO with no reader"
                 % fifo).encode() in r.err, r.err)
        h.check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "FIFO kept")

    @case
    def review2_funding_hostile_online_answers(t):
        """Control bytes in a maintainer reach neither the CSV nor the
        markdown raw; a funding link or html_url that is no http(s) URL
        (a control, javascript:) is left out of every output, with one
        warning (it was kept as text, and made CycloneDX and SPDX
        invalid); http(s) links are kept and linked."""
        saved = copy.deepcopy(ecosystems.PACKAGES)
        z = ecosystems.PACKAGES["pkg:github/madler/zlib"]
        z["funding_links"] = ["x\u001b[2J", "javascript:alert(2)",
                              "https://zlib.net/donate"]
        z["maintainers"] = [
            {"login": "m\u001b]0;t\u0007", "name": None,
             "html_url": "javascript:alert(1)"},
            {"login": "c1\u009bx", "name": None, "html_url": None},
            {"login": "madler", "name": None,
             "html_url": "https://github.com/madler"}]
        srv = ecosystems.Server()
        try:
            cache = os.path.join(t.work, "cache-review2")

            def run(fmt):
                r = srv.scan_golden(t, h, cache, "--format", "funding",
                                    "--funding-format", fmt)
                h.check(r.code == 0, r.err)
                w = r.warnings()
                h.check(len(w) == 1 and "3 URLs in the online answers left "
                        "out" in w[0], "%s: %r" % (fmt, w))
                for raw in RAW_CONTROLS:
                    h.check(raw not in r.raw, "%s: raw %r in %r"
                            % (fmt, raw, r.raw))
                return r.raw.decode("utf-8", "strict")

            csv_text = run("csv")
            h.check("x\\x1b[2J" not in csv_text, csv_text)
            h.check("javascript:" not in csv_text, csv_text)
            h.check("m\\x1b]0;t\\x07;" in csv_text, csv_text)
            h.check("c1\\xc2\\x9bx" in csv_text, csv_text)
            body = csv_text.replace("\r\n", "")
            h.check(not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f
                            for c in body), "controls in %r" % csv_text)
            md = run("markdown")
            # "\\<" is an escaped "<": text, not the start of a link.
            h.check("javascript:" not in md, md)
            h.check("madler <https://github.com/madler>" in md, md)
            h.check("https://zlib.net/donate" in md, md)
            h.check("x\\\\x1b" not in md, md)
            h.check(not any(ord(c) < 0x20 and c != "\n" or
                            0x7f <= ord(c) <= 0x9f for c in md),
                    "controls in %r" % md)
        finally:
            srv.stop()
            ecosystems.PACKAGES.clear()
            ecosystems.PACKAGES.update(saved)

    @case
    def review2_online_licences_kept_as_expressions(t):
        """normalized_licenses from an answer are joined with AND as one
        expression: one that holds OR is parenthesised (AND binds
        tighter, SPDX 2.3 D.4.1), one that is no expression is left out
        of it (the answer's text stays in bindep:license-text), and
        the result reads as an expression to every consumer."""
        saved = copy.deepcopy(ecosystems.DISTRO)
        z = ecosystems.DISTRO[("debian", "libzstd")]
        z["licenses"] = "BSD or GPL, see COPYING"
        z["normalized_licenses"] = ["BSD-3-Clause OR GPL-2.0-only",
                                    "not a licence!", "Zlib",
                                    "LicenseRef-x", "MIT) OR (X"]
        srv = ecosystems.Server()
        try:
            r = srv.scan_golden(
                t, h, os.path.join(t.work, "cache-review2-licences"))
            h.check(r.code == 0, r.err)
            zstd = h.by_name(r.sbom, "libzstd.so.1")
            h.check(zstd.get("licenses") == [
                {"expression": "(BSD-3-Clause OR GPL-2.0-only) AND Zlib",
                 "acknowledgement": "declared"}], zstd.get("licenses"))
            h.check(h.prop(zstd, "bindep:license-text") ==
                    "BSD or GPL, see COPYING", "the answer's text")
        finally:
            srv.stop()
            ecosystems.DISTRO.clear()
            ecosystems.DISTRO.update(saved)

    @case
    def review2_yaml_reader_errors_placed(t):
        """Invalid UTF-8 and control characters in --mapping are placed at
        the byte, never reported at 0:0."""
        d = new_dir(t, "yaml")
        bad = h.put_file(d, "bad.yml", b"libraries:\n  - name: z\xff\n")
        ctl = h.put_file(d, "ctl.yml", b"libraries:\n  - name: z\x01a\n")
        r = t.run("--mapping", bad, "--mapping", ctl, lib(t))
        h.check(r.code == 0, r.err)
        h.check(r.warnings() == [
            "bindep-sbom: warning: '%s:2:12': invalid leading UTF-8 octet, "
            "skipping" % bad,
            "bindep-sbom: warning: '%s:2:12': control characters are not "
            "allowed, skipping" % ctl], r.warnings())

    @case
    def review2_mapping_count_caps(t):
        """20,000 strings patterns in one library took 4 s on a 2.5 MB
        file: more than 48 version rules, or more than 10,000 libraries,
        and the file is refused with one warning naming file:line."""
        d = new_dir(t, "caps")
        rules = ("libraries:\n  - name: x\n    purl: pkg:generic/x\n"
                 "    files: ['libdep.so.*']\n    version:\n" +
                 "".join('      - strings: "v%d {version}"\n' % i
                         for i in range(20000)))
        many_rules = h.put_file(d, "rules.yml", rules)
        entries = "libraries:\n" + "".join(
            "  - name: x%d\n    purl: pkg:generic/x\n    files: [a]\n" % i
            for i in range(10001))
        many_entries = h.put_file(d, "entries.yml", entries)
        r = t.run("--mapping", many_rules, "--mapping", many_entries, lib(t),
                  timeout=600 if t.wrapper else 60)
        h.check(r.code == 0, r.err)
        h.check(r.warnings() == [
            "bindep-sbom: warning: '%s:54:9': more than 48 version rules in "
            "one library, skipping" % many_rules,
            "bindep-sbom: warning: '%s:30002:5': more than 10000 libraries "
            "in one file, skipping" % many_entries], r.warnings())

    @case
    def review2_registry_purls_fifo(t):
        """A FIFO at a registry package's purls.yml: one warning, no hang,
        never silence."""
        d = new_dir(t, "registry")
        h.put_elf(d, "lib/libfifo.so.1", soname="libfifo.so.1")
        mapping = h.put_file(
            d, "map.yml", "libraries:\n  - name: fifo\n"
            "    purl: pkg:generic/fifo\n    registry: ff/ff\n"
            "    files: [libfifo.so.*]\n")
        pkg = os.path.join(d, "reg", "registry", "purl", "ff", "ff")
        h.put_file(pkg, "package.yml", "namespace: ff\nname: ff\n")
        os.mkfifo(os.path.join(pkg, "purls.yml"))
        r = t.run("--mapping", mapping, "--registry", os.path.join(d, "reg"),
                  os.path.join(d, "lib"), timeout=600 if t.wrapper else 60)
        h.check(r.code == 0 and r.sbom is not None, r.err)
        h.check(r.warnings() == [
            "bindep-sbom: warning: '%s': a FIFO" % os.path.join(pkg, "purls.yml")],
            r.warnings())
