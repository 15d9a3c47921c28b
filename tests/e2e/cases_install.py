"""End-to-end cases of how bindep-sbom is installed (issue 16, item 4): the
bash and zsh completions written at build time from the option table, and
the Dockerfile's runtime packages. Registered by run.py.

The completions are looked for in $BD_COMPLETION_DIR (the Makefile's e2e
targets set it to $(O)/completion), else in build/completion beside a
program at the top of the tree, else in completion/ beside the program
(build/san/bindep-sbom).
"""
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BASH_NAME = "bindep-sbom.bash"
ZSH_NAME = "_bindep-sbom"

# "  -f, --format FORMAT   ..." / "      --color[=WHEN]  ...": an option line
# of --help.
HELP_LINE = re.compile(r"^  (?:-(\w), )?\s*--([a-z0-9-]+)(\[=)?(?: (\S+))?")
# A word of an option's help that may be one of its values: "spdx", "csv".
HELP_WORD = re.compile(r"\b[a-z][a-z0-9-]*[a-z0-9]\b")


def register(case, h):
    check = h.check

    def completion_dir(t):
        d = os.environ.get("BD_COMPLETION_DIR")
        if not d:
            top = os.path.dirname(t.binary)
            d = os.path.join(top, "build", "completion")
            if not os.path.isdir(d):
                d = os.path.join(top, "completion")
        for name in (BASH_NAME, ZSH_NAME):
            check(os.path.isfile(os.path.join(d, name)),
                  "no %s in %s: run make (or set BD_COMPLETION_DIR)"
                  % (name, d))
        return os.path.abspath(d)

    def help_options(t):
        """{long name: (short letter or None, 'required'|'optional'|None,
        its help text)} from --help."""
        r = t.run("--help", bare=True)
        check(r.code == 0, "--help: exit %d" % r.code)
        opts = {}
        for line in r.out.decode().splitlines():
            m = HELP_LINE.match(line)
            if m:
                kind = "optional" if m.group(3) else \
                    "required" if m.group(4) else None
                opts[m.group(2)] = (m.group(1), kind, line[m.end():])
        check(len(opts) > 20, "options of --help: %r" % sorted(opts))
        return opts

    def accepted(t, name, kind, word):
        """Whether the program takes word as the value of --name."""
        arg = "--%s=%s" % (name, word)
        r = t.run(arg, "--version", bare=True)
        return r.code == 0

    def help_values(t, name, kind, text):
        """The words of an option's help text the program takes as its
        value, when it looks enumerated (a made-up word is refused, and
        two words of its help are taken); else None."""
        if not kind or accepted(t, name, kind, "bogus-value-x"):
            return None
        words = sorted(set(HELP_WORD.findall(text)))
        took = {w for w in words if accepted(t, name, kind, w)}
        return took if len(took) >= 2 else None

    # ---- bash ---------------------------------------------------------------

    BASH_DRIVER = ('source "$1" || exit 9; shift; '
                   'complete -p bindep-sbom >&2 || exit 8; '
                   'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); '
                   '_bindep_sbom; printf "%s\\n" "${COMPREPLY[@]}"')

    def bash_complete(t, d, *words, cwd=None):
        """What bash offers for the line "bindep-sbom WORDS", the last one
        being completed, each word as bash splits the line (at '=' and
        ':' too, as COMP_WORDBREAKS says)."""
        proc = subprocess.run(
            ["bash", "--norc", "-c", BASH_DRIVER, "bash",
             os.path.join(d, BASH_NAME), "bindep-sbom", *words],
            capture_output=True, text=True, cwd=cwd or t.work)
        check(proc.returncode == 0, "bash: exit %d: %s"
              % (proc.returncode, proc.stderr))
        check("-F _bindep_sbom bindep-sbom" in proc.stderr,
              "complete -p: %r" % proc.stderr)
        return {w for w in proc.stdout.split("\n") if w}

    def tree(t):
        d = h.fresh_dir(t, "completion-tree")
        os.makedirs(os.path.join(d, "subdir"))
        for name in ("sbom.json", "my file.txt"):
            open(os.path.join(d, name), "w").close()
        return d

    @case
    def completion_bash_every_option(t):
        d = completion_dir(t)
        opts = help_options(t)
        want = set()
        for name, (short, kind, _) in opts.items():
            want.add("--" + name)
            if kind == "optional":
                want.add("--%s=" % name)
            if short:
                want.add("-" + short)
        got = bash_complete(t, d, "-")
        check(got == want, "-<TAB>: missing %r, extra %r"
              % (sorted(want - got), sorted(got - want)))
        check(bash_complete(t, d, "--fo") == {"--format"}, "--fo<TAB>")

    @case
    def completion_bash_values(t):
        """Every value the program takes is offered, and nothing it does
        not take: for --format, --funding-format, --color and any option
        added with words."""
        d = completion_dir(t)
        checked = 0
        for name, (short, kind, line) in help_options(t).items():
            values = help_values(t, name, kind, line)
            if kind == "required":
                got = bash_complete(t, d, "--" + name, "")
                check(bash_complete(t, d, "--" + name, "=", "") == got,
                      "--%s=<TAB> differs from --%s <TAB>" % (name, name))
            elif kind == "optional":
                got = bash_complete(t, d, "--" + name, "=")
            else:
                continue
            if values is None:
                continue
            checked += 1
            for w in got:
                check(accepted(t, name, kind, w),
                      "--%s: %r is offered, the program refuses it" % (name, w))
            check(values <= got,
                  "--%s: offers %r, its help names %r"
                  % (name, sorted(got), sorted(values)))
            if short and kind == "required":
                check(bash_complete(t, d, "-" + short, "") == got,
                      "-%s differs from --%s" % (short, name))
        check(checked >= 3, "%d enumerated options" % checked)
        check(bash_complete(t, d, "--format", "=", "sp") == {"spdx"},
              "--format=sp")
        # --color takes its value attached only: "--color never" is a PATH.
        check(bash_complete(t, d, "--color", "=", "ne") == {"never"},
              "--color=ne")
        w = tree(t)
        check(bash_complete(t, d, "--color", "", cwd=w) ==
              {"subdir", "sbom.json", "my file.txt"}, "--color PATH")

    @case
    def completion_bash_files_and_dirs(t):
        d = completion_dir(t)
        w = tree(t)
        every = {"subdir", "sbom.json", "my file.txt"}
        check(bash_complete(t, d, "", cwd=w) == every, "PATH")
        check(bash_complete(t, d, "--online", "s", cwd=w) ==
              {"subdir", "sbom.json"}, "PATH after a flag")
        check(bash_complete(t, d, "-o", "", cwd=w) == every, "-o FILE")
        check(bash_complete(t, d, "--output", "=", "sb", cwd=w) ==
              {"sbom.json"}, "--output=FILE")
        check(bash_complete(t, d, "--mapping", "", cwd=w) == every,
              "--mapping FILE")
        check(bash_complete(t, d, "--root", "", cwd=w) == {"subdir"},
              "--root DIR")
        check(bash_complete(t, d, "--library-path", "/x", ":", "", cwd=w) ==
              {"subdir"}, "--library-path DIRS, after the colon")
        check(bash_complete(t, d, "--source-name", "", cwd=w) == set(),
              "--source-name NAME: nothing to offer")
        check(bash_complete(t, d, "--", "-", cwd=w) == set(),
              "after --, no options")
        check(bash_complete(t, d, "oci-dir", ":", "sub", cwd=w) ==
              {"subdir"}, "oci-dir:PATH")

    # ---- zsh ----------------------------------------------------------------

    def zsh_complete(t, d, line, cwd=None):
        """What an interactive zsh offers for the line (TAB at its end),
        through tests/e2e/zsh_capture.zsh: (matches, descriptions)."""
        proc = subprocess.run(
            ["zsh", "-f", os.path.join(HERE, "zsh_capture.zsh"), d, line],
            capture_output=True, text=True, cwd=cwd or t.work, timeout=60)
        check(proc.returncode == 0, "zsh: exit %d: %s"
              % (proc.returncode, proc.stderr))
        out = proc.stdout.splitlines()
        bad = [x for x in out if not x.startswith(("MATCH:", "DESC:"))]
        check(not bad, "zsh printed %r for %r" % (bad[:5], line))
        return ({x[6:] for x in out if x.startswith("MATCH:")},
                [x[5:] for x in out if x.startswith("DESC:")])

    @case
    def completion_zsh(t):
        d = completion_dir(t)
        proc = subprocess.run(["zsh", "-n", os.path.join(d, ZSH_NAME)],
                              capture_output=True, text=True)
        check(proc.returncode == 0, "zsh -n: %s" % proc.stderr)
        opts = help_options(t)
        got, descs = zsh_complete(t, d, "bindep-sbom --")
        want = {"--" + n for n in opts}
        check(got == want, "--<TAB>: missing %r, extra %r"
              % (sorted(want - got), sorted(got - want)))
        # The descriptions are the help lines, unescaped.
        fmt = [x for x in descs if x.startswith("--format ")]
        check(fmt and "-- output format: " in fmt[0], "description %r" % fmt)
        shorts = {"-" + s for s, _, _ in opts.values() if s}
        got, _ = zsh_complete(t, d, "bindep-sbom -")
        check(shorts <= got, "-<TAB>: %r" % sorted(got))
        for name, (short, kind, line) in opts.items():
            values = help_values(t, name, kind, line)
            if values is None:
                continue
            sep = "=" if kind == "optional" else " "
            got, _ = zsh_complete(t, d, "bindep-sbom --%s%s" % (name, sep))
            got = {w.split("=", 1)[-1] for w in got}
            check(values <= got and all(accepted(t, name, kind, w)
                                        for w in got),
                  "--%s: zsh offers %r, the help names %r"
                  % (name, sorted(got), sorted(values)))
        w = tree(t)
        got, _ = zsh_complete(t, d, "bindep-sbom --root ", cwd=w)
        check(got == {"subdir/"} or got == {"subdir"}, "--root: %r" % got)
        got, _ = zsh_complete(t, d, "bindep-sbom -o sb", cwd=w)
        check(got == {"sbom.json"}, "-o: %r" % got)
        got, _ = zsh_complete(t, d, "bindep-sbom --online ", cwd=w)
        check({"sbom.json", "subdir/"} <= got or
              {"sbom.json", "subdir"} <= got, "PATH: %r" % got)
        # --help and --version stand alone.
        got, _ = zsh_complete(t, d, "bindep-sbom --help --")
        check(not got, "after --help: %r" % sorted(got))
