"""End-to-end cases of the views for people (issue 17): the summary, the
DOT graph, the progress line on a terminal, the text view's --depth
(registered by run.py).

Golden files live in tests/e2e/golden/ (regenerate with BD_UPDATE_GOLDEN=1,
as cases_formats.py says). The terminal cases run the tool on a
pseudo-terminal, as the colour cases do.
"""
import fcntl
import os
import pty
import re
import select
import shutil
import socket
import struct
import subprocess
import termios
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

import artifact_fixtures as A
import elfgen as E

SDE = {"SOURCE_DATE_EPOCH": "1700000000"}
# No width from the environment: the golden files are unwrapped.
WIDE = dict(SDE, COLUMNS="")
GOLDEN_ARGS = ("--root", ".", "--mappings-dir", "mappings", "--source-name",
               "golden", "--source-version", "2.0", "usr")
NPM_FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), ".fixtures", "npm", "node_modules")

# A Debian base for the npm packages: glibc's and GCC's libraries, as the
# prebuilt addons need them.
NPM_STATUS = """Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4

Package: libstdc++6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: gcc-12
Version: 12.2.0-14

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: gcc-12
Version: 12.2.0-14
"""
LIB = "/lib/x86_64-linux-gnu"
LOADER = "/lib64/ld-linux-x86-64.so.2"
NPM_LIBS = {
    "libc6:amd64": ["libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2",
                    "librt.so.1", "libresolv.so.2", "ld-linux-x86-64.so.2"],
    "libstdc++6:amd64": ["libstdc++.so.6"],
    "libgcc-s1:amd64": ["libgcc_s.so.1"],
}


def register(case, h):
    check = h.check

    # ---- running -------------------------------------------------------------

    def view(t, fmt, *args, env=None, cwd=None):
        r = t.run("--format", fmt, "-o", "-", *args, env=env, cwd=cwd,
                  validate_sbom=False)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        return r.out.decode()

    def pty_run(t, args, env=None, stdout=None, cols=None, cwd=None):
        """The tool with standard error (and output, unless stdout names a
        file) a pseudo-terminal cols wide; its exit code and the bytes the
        terminal got."""
        pid, fd = pty.fork()
        if pid == 0:
            try:
                os.environ.pop("NO_COLOR", None)
                os.environ.pop("COLUMNS", None)
                os.environ["TERM"] = "xterm"
                os.environ.update(env or {})
                os.chdir(cwd or t.work)
                if cols:
                    fcntl.ioctl(2, termios.TIOCSWINSZ,
                                struct.pack("HHHH", 24, cols, 0, 0))
                if stdout:
                    out = os.open(stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                                  0o644)
                    os.dup2(out, 1)
                os.execv(t.binary, [t.binary] + list(args))
            finally:
                os._exit(127)
        got = b""
        while True:
            ready, _, _ = select.select([fd], [], [], 120)
            try:
                chunk = os.read(fd, 65536) if ready else b""
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                break
            got += chunk
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        return os.waitstatus_to_exitcode(status), got

    def screen(data):
        """The lines a terminal shows after data: carriage return, line
        feed, ECMA-48 EL (erase to the end of the line) understood."""
        lines, col = [""], 0
        # Colours change no character.
        text = re.sub(r"\x1b\[[0-9;]*m", "", data.decode("utf-8", "replace"))
        text = text.replace("\x1b[K", "\x00")
        i = 0
        while i < len(text):
            if text[i] == "\x00":  # ECMA-48 EL, erase to the end of the line
                lines[-1] = lines[-1][:col]
                i += 1
                continue
            c = text[i]
            if c == "\r":
                col = 0
            elif c == "\n":
                lines.append("")
                col = 0
            else:
                line = lines[-1].ljust(col)
                lines[-1] = line[:col] + c + line[col + 1:]
                col += 1
            i += 1
        return lines

    # ---- what the CycloneDX document names -----------------------------

    def purl_name(purl):
        """The summary's name of a project (bd_emit_purl_name)."""
        base = re.split(r"[@?#]", purl, 1)[0]
        kind, _, rest = base[4:].lstrip("/").partition("/")
        parts = rest.split("/")
        name = "/".join(parts[-2:]) if kind == "npm" and len(parts) > 1 \
            else parts[-1]
        return urllib.parse.unquote(name)

    def cdx_projects(sbom):
        """The projects of a CycloneDX document: each component's upstream
        purl, else its purl, else its language package's, without version;
        artifacts and what is not found are no projects."""
        keys = set()
        for c in h.comps(sbom):
            if h.props(c, "bindep:artifact-type") or \
                    h.props(c, "bindep:resolved") == ["false"]:
                continue
            purl = (h.props(c, "bindep:upstream-purl") + [c.get("purl")] +
                    h.props(c, "bindep:bundled-in"))
            purl = [p for p in purl if p]
            if purl:
                keys.add(re.split(r"[@?#]", purl[0], 1)[0])
        return keys

    def summary_rows(text):
        """The project names of an unwrapped summary table."""
        lines = text.splitlines()
        head = [i for i, x in enumerate(lines) if x.startswith("PROJECT ")]
        check(len(head) == 1, text)
        width = lines[head[0]].index("VERSION")
        rows = []
        for x in lines[head[0] + 1:]:
            if not x:
                break
            check(x[width - 2:width] == "  ", "one line a row: %r" % x)
            rows.append(x[:width].strip())
        return rows

    def same_projects(summary, sbom):
        """Every project of the SBOM is a row, and nothing else is."""
        keys = cdx_projects(sbom)
        rows = summary_rows(summary)
        check(len(rows) == len(keys) and
              sorted(rows) == sorted(purl_name(k) for k in keys),
              "summary rows %r, CycloneDX projects %r" % (rows, sorted(keys)))
        counts = [int(x.rsplit(None, 1)[1]) for x in summary.splitlines()
                  if x.split(" ", 1)[0] in rows and x[-1].isdigit()]
        check(counts == sorted(counts, reverse=True), "most used first")
        return rows

    # ---- the summary -----------------------------------------------------

    @case
    def views_summary_golden_root(t):
        h.T = t
        root = h.golden_root(t)
        text = view(t, "summary", *GOLDEN_ARGS, env=WIDE, cwd=root)
        h.compare_golden("golden.summary.txt", text.encode())
        sbom = t.run(*GOLDEN_ARGS, env=SDE, cwd=root).sbom
        rows = same_projects(text, sbom)
        check(rows[:2] == ["brotli", "libc6"], rows)
        check("\nmissing       2: libfido2.so.1 (dlopen: suggested), "
              "libmissing.so.3\n" in text, text)
        check("\nunidentified  1: /usr/lib/app/libfoo.so.1\n" in text, text)
        check(text.endswith("\nincomplete    none\n"), text[-200:])
        check(re.search(r"\nlibzstd1 +1\.5\.4\+dfsg2-5 +dlopen: recommended +"
                        r"deb libzstd1 ", text), text)
        check(re.search(r"\nbrotli +1\.1\.0 +linked, vendored +- +MIT +3\n",
                        text), text)
        # The same bytes each run, and no colour into a pipe.
        check(view(t, "summary", *GOLDEN_ARGS, env=WIDE, cwd=root) == text,
              "deterministic")
        check("\x1b" not in text, "no colour into a pipe")

    def npm_root(t):
        """The npm fixtures installed in a small Debian root."""
        root = os.path.join(t.work, "roots", "npm")
        if os.path.isdir(root):
            return root
        check(os.path.isdir(NPM_FIXTURES),
              "run contrib/fetch-npm-fixtures (install-deps --test)")
        for pkg, names in NPM_LIBS.items():
            for name in names:
                interp = LOADER if name == "libc.so.6" else None
                needed = [] if name.startswith("ld-") else ["libc.so.6"]
                if name == "libc.so.6":
                    needed = ["ld-linux-x86-64.so.2"]
                h.put_elf(root, LIB + "/" + name, soname=name, needed=needed,
                          interp=interp)
            h.put_file(root, "/var/lib/dpkg/info/%s.list" % pkg,
                       "".join("%s/%s\n" % (LIB, n) for n in names) +
                       (LOADER + "\n" if pkg == "libc6:amd64" else ""))
        h.put_link(root, LOADER, LIB + "/ld-linux-x86-64.so.2")
        h.put_file(root, "/etc/ld.so.conf", LIB + "\n")
        h.put_file(root, "/etc/os-release", 'ID=debian\nVERSION_ID="12"\n')
        h.put_file(root, "/var/lib/dpkg/status", NPM_STATUS)
        shutil.copytree(NPM_FIXTURES,
                        os.path.join(root, "srv", "app", "node_modules"),
                        ignore=shutil.ignore_patterns(".fetched-*"))
        return root

    @case
    def views_summary_npm_fixtures(t):
        """Real npm packages (sharp, onnxruntime-node) on a Debian base:
        their vendored libraries, GCC's and glibc's, by project."""
        h.T = t
        root = npm_root(t)
        args = ("--root", ".", "--source-name", "app", "srv/app")
        text = view(t, "summary", *args, env=WIDE, cwd=root)
        h.compare_golden("npm.summary.txt", text.encode())
        sbom = t.run(*args, env=SDE, cwd=root).sbom
        rows = same_projects(text, sbom)
        check(set(rows) >= {"gcc", "glibc", "libvips", "onnxruntime"}, rows)
        check(re.search(r"\nlibvips +8\.18\.7 +linked, vendored +"
                        r"npm @img/sharp-libvips-linux-x64 +LGPL-2\.1-or-later"
                        r" +2\n", text), text)
        check(re.search(r"\ngcc +12\.2\.0 +linked +deb libgcc-s1, "
                        r"deb libstdc\+\+6 ", text), text)

    @case
    def views_summary_is_the_default_on_a_terminal(t):
        """bindep-sbom dist/ on a terminal: the summary, coloured; into a
        pipe or with -o: JSON, as always; --format wins."""
        code, out = pty_run(t, ["dist"])
        check(code == 0, out[-500:])
        text = out.decode()
        check("PROJECT" in text and "\nmissing" in text.replace("\x1b[1;31m", ""),
              text[:800])
        check("\x1b[1m" in text, "coloured")
        check(not text.lstrip().startswith("{"), "no JSON")
        code, out = pty_run(t, ["dist"], env={"NO_COLOR": "1"})
        check(code == 0 and b"PROJECT" in out and b"\x1b[" not in out,
              out[:300])
        piped = subprocess.run([t.binary, "-q", "dist"], cwd=t.work,
                               capture_output=True)
        check(piped.returncode == 0 and piped.stdout.startswith(b"{"),
              "JSON into a pipe")
        code, out = pty_run(t, ["-o", "sbom.json", "dist"])
        check(code == 0 and b"PROJECT" not in out, out[:300])
        with open(os.path.join(t.work, "sbom.json"), "rb") as f:
            check(f.read().startswith(b"{"), "JSON into -o")
        code, out = pty_run(t, ["--format", "cyclonedx", "dist"])
        check(code == 0 and b'"bomFormat"' in out, "--format wins")
        code, out = pty_run(t, ["-o", "-", "dist"])
        check(code == 0 and b'"bomFormat"' in out, "-o - is JSON")
        # --spec-version asks for CycloneDX: it was dropped for the summary
        # in silence (--format summary with it is a usage error).
        code, out = pty_run(t, ["--spec-version", "1.7", "dist"])
        check(code == 0 and b'"specVersion":\t"1.7"' in out,
              "--spec-version is CycloneDX: %r" % out[:300])

    def widest(text):
        return max(len(x) for x in text.splitlines())

    @case
    def views_summary_fits_the_terminal(t):
        """The terminal's width (TIOCGWINSZ), else COLUMNS: every line
        fits; a narrow one gets a block a project; nothing is lost."""
        root = npm_root(t)
        args = ("--root", ".", "--source-name", "app", "srv/app")
        wide = view(t, "summary", *args, env=WIDE, cwd=root)
        check(widest(wide) > 100, "the fixture's table is wide")
        def cells(text):
            """Each row's cells of a table, their wrapped lines joined."""
            lines = text.splitlines()
            head = [x for x in lines if x.startswith("PROJECT ")][0]
            starts = [m.start() for m in re.finditer(r"\S+", head)]
            rows, i = [], lines.index(head) + 1
            while lines[i]:
                parts = [lines[i][a:b].strip() for a, b in
                         zip(starts, starts[1:] + [None])]
                if lines[i][0] != " ":
                    rows.append(parts)
                else:
                    rows[-1] = [a + ("" if not b or a.endswith(("-", "/"))
                                     else " ") + b if b else a
                                for a, b in zip(rows[-1], parts)]
                i += 1
            return rows

        for cols in (100, 80, 60, 40):
            text = view(t, "summary", *args, env=dict(SDE, COLUMNS=str(cols)),
                        cwd=root)
            check(widest(text) <= cols, "%d columns:\n%s" % (cols, text))
            # Wrapped, but nothing lost.
            if "\nPROJECT " in text:
                check(cells(text) == cells(wide), "%d columns:\n%s\n%r"
                      % (cols, text, cells(text)))
                continue
            for w in ("libvips", "8.18.7", "LGPL-2.1-or-later",
                      "npm@img/sharp-libvips-linux-x64", "linked,vendored",
                      "GPL-3.0-or-laterWITHGCC-exception-3.1"):
                check(w in re.sub(r"\s+", "", text),
                      "%s at %d columns" % (w, cols))
        narrow = view(t, "summary", *args, env=dict(SDE, COLUMNS="60"),
                      cwd=root)
        check("\nlibvips  (2 files)\n  version   8.18.7\n" in narrow, narrow)
        # On a terminal the terminal says: COLUMNS does not.
        code, out = pty_run(t, ["--root", ".", "srv/app"], cols=70,
                            env={"COLUMNS": "200", "NO_COLOR": "1"}, cwd=root)
        lines = out.decode().replace("\r\n", "\n")
        check(code == 0 and widest(lines) <= 70 and "PROJECT" in lines,
              lines)
        # -o /dev/stdout is the terminal as -o - is: fitted and coloured.
        for o in ("-", "/dev/stdout", "/dev/fd/1"):
            code, out = pty_run(t, ["--format", "summary", "-o", o,
                                    "--root", ".", "srv/app"], cols=70,
                                cwd=root)
            lines = re.sub(r"\x1b\[[0-9;]*m", "",
                           out.decode().replace("\r\n", "\n"))
            check(code == 0 and widest(lines) <= 70 and b"\x1b[1m" in out,
                  "-o %s: %d columns, coloured %s" % (o, widest(lines),
                                                      b"\x1b[1m" in out))

    # ---- the graph ----------------------------------------------------------

    def render(t, dot_text, name):
        """dot -Tsvg: no warning, an SVG; its node and edge counts."""
        check(shutil.which("dot"), "Graphviz's dot is needed "
              "(contrib/install-deps --test)")
        path = os.path.join(t.work, name + ".dot")
        with open(path, "w", encoding="utf-8") as f:
            f.write(dot_text)
        p = subprocess.run(["dot", "-Tsvg", path], capture_output=True)
        check(p.returncode == 0 and not p.stderr,
              "dot: exit %d: %s" % (p.returncode, p.stderr[:600]))
        svg = ET.fromstring(p.stdout)
        ns = "{http://www.w3.org/2000/svg}"
        groups = [g.get("class") for g in svg.iter(ns + "g")]
        return groups.count("node"), groups.count("edge"), p.stdout

    def cdx_counts(sbom):
        """CycloneDX's components, and its dependsOn entries but the
        target's: what the DOT output draws."""
        target = sbom["metadata"]["component"]["bom-ref"]
        return (len(h.comps(sbom)),
                sum(len(d.get("dependsOn", [])) for d in sbom["dependencies"]
                    if d["ref"] != target))

    def dot_counts(text):
        return (len(re.findall(r'^\t+"n\d+" \[label=', text, re.M)),
                len(re.findall(r'^\t"n\d+" -> "n\d+" \[', text, re.M)))

    @case
    def views_dot_golden_root(t):
        root = h.golden_root(t)
        text = view(t, "dot", *GOLDEN_ARGS, env=SDE, cwd=root)
        sbom = t.run(*GOLDEN_ARGS, env=SDE, cwd=root).sbom
        want = cdx_counts(sbom)
        check(dot_counts(text) == want, "DOT %r, CycloneDX %r"
              % (dot_counts(text), want))
        check(text.startswith("// bindep-sbom: %d nodes (CycloneDX's "
                              "components), %d edges" % want), text[:200])
        nodes, edges, svg = render(t, text, "golden")
        check((nodes, edges) == want, "SVG %r" % ((nodes, edges),))
        print("  golden root: %d nodes, %d edges (CycloneDX: %d components, "
              "%d dependsOn entries)" % ((nodes, edges) + want))
        check(view(t, "dot", *GOLDEN_ARGS, env=SDE, cwd=root) == text,
              "deterministic")
        # Styled by kind, clustered by package, unresolved marked.
        check('label="deb libc6";' in text and 'label="brotli 1.1.0";' in text,
              text)
        check(re.search(r'"libmissing\.so\.3\\nnot found", shape=box, '
                        r'style="dashed", color=red', text), text)
        check('tooltip="dlopen: recommended"' in text and
              'tooltip="dlopen: suggested"' in text and
              'tooltip="interpreter"' in text, text)

    @case
    def views_dot_artifacts(t):
        """Every kind of artifact: each a cluster with its files, contained-
        in edges; the counts still CycloneDX's."""
        base = h.fresh_dir(t, "views", "artifacts")
        A.build_all(os.path.join(base, "dist"), os.path.join(base, "scratch"))
        text = view(t, "dot", "dist", env=SDE, cwd=base)
        sbom = t.run("dist", env=SDE, cwd=base).sbom
        check(dot_counts(text) == cdx_counts(sbom),
              "DOT %r, CycloneDX %r" % (dot_counts(text), cdx_counts(sbom)))
        check(render(t, text, "artifacts")[:2] == cdx_counts(sbom), "SVG")
        check('tooltip="contains"' in text, "contained-in edges")
        check(re.search(r'label="dist/[^"]+\.whl\\npkg:pypi/', text), text)

    @case
    def views_usage_errors_escaped(t):
        """A usage error that names a PATH (-o naming a PATH given) shows
        its control bytes escaped, as warnings and errors do: a glob over
        downloaded files put OSC and CSI sequences on the terminal."""
        d = h.fresh_dir(t, "views", "usage")
        name = os.path.join(d.encode(), b"x\x1b]0;pwned\x07\x1b[2J\x9b")
        with open(name, "wb") as f:
            f.write(b"x")
        r = t.run("-o", name, name)
        check(r.code == 2, "exit %d" % r.code)
        check(b"\x1b" not in r.err and b"\x07" not in r.err and
              b"\x9b" not in r.err and b"\\x1b]0;pwned\\x07" in r.err,
              "raw: %r" % r.err)

    @case
    def views_dot_hostile_names(t):
        """File names and sonames with quotes, backslashes, newlines, braces,
        entities and invalid UTF-8: valid DOT, rendered without a warning,
        the names shown as text."""
        d = h.fresh_dir(t, "views", "hostile")
        names = [b'q"uote', b"back\\slash\\N", b"new\nline",
                 b"brace}; x -> y {", b"amp&lt;", b"bad\xff\xfe",
                 b"tab\tand\x1b[31m", b"trail\\", b"<TABLE><TR>",
                 b"subgraph"]
        for i, n in enumerate(names):
            path = os.path.join(d.encode(), b"lib%d-%s.so" % (i, n))
            # The sonames it needs, never found: hostile text in labels.
            needed = ["libc.so.6", 'libx%d"\\\n{%s}' % (i, "x" * i),
                      "lib}\\l%d&amp;" % i]
            with open(path, "wb") as f:
                f.write(E.build(soname="lib%d.so" % i, needed=needed)[0])
        text = view(t, "dot", d, env=SDE)
        sbom = t.run(d, env=SDE).sbom
        check(dot_counts(text) == cdx_counts(sbom), "counts")
        nodes, edges, svg = render(t, text, "hostile")
        check((nodes, edges) == cdx_counts(sbom), "SVG counts")
        check("\x1b" not in text and
              all("\t" not in x.lstrip("\t") for x in text.splitlines()),
              "no control bytes in the DOT text")
        shown = svg.decode("utf-8")
        check('q&quot;uote' in shown or 'q"uote' in shown, "the quote is text")
        # A backslash is doubled (bindep/utf8.h): the text "\x0a" is not
        # taken for an escaped newline.
        check("back\\\\slash\\\\N" in shown, "backslashes doubled")
        check("new\\x0aline" in shown and "bad\\xff\\xfe" in shown and
              "tab\\x09and\\x1b[31m" in shown, shown[:3000])
        check("amp&amp;lt;" in shown and "&amp;amp;" in shown,
              "entities shown, not read")
        # A name ending in a backslash does not escape the closing quote,
        # HTML-like markup is no HTML label, a keyword is no keyword.
        check("trail\\\\.so" in shown and "&lt;TABLE&gt;&lt;TR&gt;" in shown
              and "lib9&#45;subgraph.so" in shown, shown[:3000])
        check('libx1&quot;\\\\\\x0a{x}' in shown or
              'libx1"\\\\\\x0a{x}' in shown, "a hostile soname shown")

    # ---- progress on a terminal -----------------------------------------

    def silent_server():
        """A port that takes connections and never answers."""
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        return s, "http://127.0.0.1:%d/api/v1" % s.getsockname()[1]

    @case
    @h.waits
    def views_progress_on_a_terminal(t):
        """A run of a few seconds (lookups that time out): progress on a
        terminal, redrawn at most ten times a second; warnings never mixed
        with it; nothing left behind; none on a pipe, with -q, NO_COLOR or
        TERM=dumb."""
        root = h.golden_root(t)
        srv, api = silent_server()
        try:
            def args(name):
                cache = os.path.join(t.work, "cache-progress-" + name)
                shutil.rmtree(cache, ignore_errors=True)
                return ["--online", "--timeout", "1", "--packages-api", api,
                        "--repos-api", api, "--cache-dir", cache, "--root",
                        root, "--mappings-dir", os.path.join(root, "mappings"),
                        "-o", os.path.join(t.work, "progress-%s.json" % name),
                        os.path.join(root, "usr")]
            start = time.monotonic()
            code, out = pty_run(t, args("tty"))
            took = time.monotonic() - start
            check(code == 0, out[-600:])
            check(b"files walked" in out and b"looking up online: " in out,
                  "progress shown: %r" % out[:600])
            draws = out.count(b"files walked")
            check(draws <= 10 * took + 2, "%d draws in %.1f s" % (draws, took))
            warnings = [m.start() for m in
                        re.finditer(rb"bindep-sbom: warning: ", out)]
            check(warnings, "the lookups failed: %r" % out[-600:])
            for at in warnings:
                # At the start of a line: the progress line blanked first.
                check(re.search(rb"(\A|\n|\r *\r)\Z", out[:at]),
                      "a warning in the progress line: %r" % out[at - 80:at + 40])
            check(b"\x1b" not in out, "no escape sequence: %r" % out[:300])
            lines = [x.rstrip(" ") for x in screen(out)]
            check(lines[-1] == "", "the cursor at the start of an empty line")
            for x in lines[:-1]:
                check(x.startswith("bindep-sbom: warning: "),
                      "left on the terminal: %r" % x)
            # Standard output the same terminal: the summary comes after
            # the progress line is erased.
            no_o = args("summary")
            del no_o[no_o.index("-o"):no_o.index("-o") + 2]
            code, out = pty_run(t, no_o)
            lines = screen(out)
            check(code == 0 and any(x.startswith("PROJECT") for x in lines)
                  and not any("files walked" in x for x in lines), lines)
            # Never on a pipe; not with -q, NO_COLOR or TERM=dumb (run at
            # once: each takes the lookups' timeout).
            runs = {"quiet": (["-q"], None), "no-color": ([], {"NO_COLOR": "1"}),
                    "dumb": ([], {"TERM": "dumb"})}
            got = {}

            def one(name, extra, env):
                got[name] = pty_run(t, extra + args(name), env=env)

            threads = [threading.Thread(target=one, args=(k,) + v)
                       for k, v in runs.items()]
            for th in threads:
                th.start()
            p = subprocess.run([t.binary] + args("pipe"), capture_output=True)
            for th in threads:
                th.join()
            check(p.returncode == 0 and b"files walked" not in p.stderr and
                  b"\r" not in p.stderr and b"warning" in p.stderr, p.stderr)
            check(got["quiet"] == (0, b""), "-q: %r" % (got["quiet"],))
            for name in ("no-color", "dumb"):
                code, out = got[name]
                check(code == 0 and b"files walked" not in out and
                      b"\x1b" not in out and b"warning" in out,
                      "%s: %r" % (name, out[:300]))
        finally:
            srv.close()

    # ---- the text view's depth -------------------------------------------

    @case
    def views_text_depth(t):
        h.T = t
        root = h.golden_root(t)
        one = view(t, "text", *GOLDEN_ARGS, env=SDE, cwd=root)
        check(view(t, "text", "--depth", "1", *GOLDEN_ARGS, env=SDE,
                   cwd=root) == one, "--depth 1 is the default")
        check(not re.search(r"^        ", one, re.M), "direct needs only")
        every = view(t, "text", "--depth", "all", *GOLDEN_ARGS, env=SDE,
                     cwd=root)
        h.compare_golden("golden.depth-all.txt", every.encode())
        check("(see above)" not in every, "nothing repeated")
        # Each tree names each library once.
        for tree in every.split("\n\n")[:-1]:
            names = [x.split(" => ")[0].strip() for x in tree.splitlines()[1:]
                     if " => " in x and "[dlopen" not in x]
            check(len(names) == len(set(names)), tree)
        two = view(t, "text", "--depth", "2", *GOLDEN_ARGS, env=SDE, cwd=root)
        check(re.search(r"^        libbrotlicommon", two, re.M) and
              not re.search(r"^            ", two, re.M), two)
        r = t.run("--format", "text", "--depth", "0", "usr", cwd=root)
        check(r.code == 2 and b"--depth wants a number from 1 to 1000, or all"
              in r.err, r.err)
