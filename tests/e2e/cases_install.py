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
import urllib.parse

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
        check(bash_complete(t, d, "--fo") == {"--format", "--force"},
              "--fo<TAB>")
        check(bash_complete(t, d, "--form") == {"--format"}, "--form<TAB>")

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
        check(bash_complete(t, d, "--format", "=", "sp") == {"spdx", "spdx3"},
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

    # ---- the man page and the README ----------------------------------------

    MDOC_MACROS = {"Op", "Oo", "Oc", "Ns", "Ar", "Fl", "Cm", "Pq"}

    def arg_words(text):
        """The words of an option's argument, upper case, whatever the
        markup: "'NAME <EMAIL>'", "name Op < Ns Ar email Ns >" and
        "NAME <EMAIL>" are all ["NAME", "EMAIL"]."""
        return [w.upper() for w in re.findall(r"[A-Za-z]+", text or "")
                if w not in MDOC_MACROS]

    def man_options():
        """{long name: (short letter or None, its argument's words, the
        text of its entry)} from the man page's Options list."""
        with open(os.path.join(ROOT, "doc", "bindep-sbom.1")) as f:
            man = f.read()
        body = man.split(".Ss Options", 1)[1].split(".Sh ", 1)[0]
        opts = {}
        for entry in re.split(r"(?m)^\.It ", body)[1:]:
            head, _, text = entry.partition("\n")
            short = None
            for part in head.split(" , "):
                m = re.match(r"Fl (\w)$", part.strip())
                if m:
                    short = m.group(1)
                    continue
                m = re.match(r"Fl Fl ([a-z0-9-]+)(.*)$", part.strip())
                check(m, "man page: an entry %r" % head)
                opts[m.group(1)] = (short, arg_words(m.group(2)), text)
        synopsis = man.split(".Sh SYNOPSIS", 1)[1].split(".Sh ", 1)[0]
        return opts, synopsis

    def readme_options():
        """{long name: (short letter or None, its argument's words, the
        text of its row)} from the README's table of options."""
        with open(os.path.join(ROOT, "README.md")) as f:
            usage = f.read().split("\n## Usage\n", 1)[1]
        usage = usage.split("\n#", 1)[0]
        opts = {}
        for row in re.findall(r"(?m)^\| (`-.*)$", usage):
            first, _, text = row.partition(" | ")
            for form in re.findall(r"`([^`]+)`", first):
                short = None
                for part in form.split(", "):
                    m = re.match(r"-(\w)$", part)
                    if m:
                        short = m.group(1)
                        continue
                    m = re.match(r"--([a-z0-9-]+)(.*)$", part)
                    check(m, "README: an option %r" % part)
                    opts[m.group(1)] = (short, arg_words(m.group(2)), text)
        return opts

    @case
    def docs_list_every_option(t):
        """The man page's Options and the README's table of options name
        the options of --help, no more, with the same short letters and
        argument words, and every value --help names for an enumerated
        one; the man page's SYNOPSIS shows each but --help and
        --version."""
        opts = help_options(t)
        r = t.run("--help", bare=True)
        help_args = {}
        for line in r.out.decode().splitlines():
            m = re.match(r"^  (?:-\w, )?\s*--([a-z0-9-]+)(?:\[=|\s)(\S.*?)"
                         r"(?:\]|\s{2,})", line)
            if m:
                help_args[m.group(1)] = arg_words(m.group(2))
        man, synopsis = man_options()
        readme = readme_options()
        for where, got in (("man page", man), ("README", readme)):
            check(set(got) == set(opts), "%s: missing %r, extra %r"
                  % (where, sorted(set(opts) - set(got)),
                     sorted(set(got) - set(opts))))
            for name, (short, kind, line) in opts.items():
                gshort, gargs, text = got[name]
                check(gshort == short, "%s: --%s: short option %r, --help "
                      "says %r" % (where, name, gshort, short))
                check(gargs == help_args.get(name, []),
                      "%s: --%s takes %r, --help says %r"
                      % (where, name, gargs, help_args.get(name, [])))
                for word in help_values(t, name, kind, line) or ():
                    check(re.search(r"(?<![\w.-])%s(?![\w-])"
                                    % re.escape(word), text),
                          "%s: --%s does not name %r" % (where, name, word))
        for name, (short, _, _) in opts.items():
            if name in ("help", "version"):
                continue
            shown = "Fl Fl " + name in synopsis or (
                short and re.search(r"Fl \w*%s" % short, synopsis))
            check(shown, "man page: --%s is not in the SYNOPSIS" % name)

    @case
    def readme_counts_the_registry(t):
        """The README's count of the libraries the registry names is the
        number of entries in mappings/*.yml (it said 293 when there were
        307)."""
        d = os.path.join(ROOT, "mappings")
        n = 0
        for name in sorted(os.listdir(d)):
            if name.endswith(".yml"):
                with open(os.path.join(d, name)) as f:
                    n += len(re.findall(r"(?m)^  - name:", f.read()))
        with open(os.path.join(ROOT, "README.md")) as f:
            m = re.search(r"\(\[`mappings/`\]\(mappings/README\.md\), (\d+)\s+"
                          r"C/C\+\+ libraries\)", f.read())
        check(m, "README: no count of the registry's libraries")
        check(int(m.group(1)) == n, "README: %s libraries in the registry, "
              "mappings/*.yml has %d" % (m.group(1), n))

    # ---- the Dockerfile and debian/control -------------------------------

    def dockerfile_stages():
        """The Dockerfile's stages: [{"from", "name", "RUN": [...],
        "COPY": [...], ...}], continuation lines joined."""
        with open(os.path.join(ROOT, "Dockerfile")) as f:
            text = re.sub(r"\\\n", " ", f.read())
        stages = []
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            word, _, rest = line.partition(" ")
            if word == "FROM":
                m = re.match(r"(\S+)(?: AS (\S+))?$", rest.strip())
                check(m, "FROM %r" % rest)
                stages.append({"from": m.group(1), "name": m.group(2)})
            else:
                check(stages, "%s before FROM" % word)
                stages[-1].setdefault(word, []).append(rest.strip())
        return stages

    def apt_installs(runs):
        """The packages of every apt-get install in these RUN commands."""
        pkgs = []
        for run in runs:
            for part in re.split(r"&&|;", run):
                words = part.split()
                if words[:2] == ["apt-get", "install"]:
                    pkgs += [w for w in words[2:] if not w.startswith("-")]
        return pkgs

    def install_deps_list(name):
        with open(os.path.join(ROOT, "contrib", "install-deps")) as f:
            m = re.search(r'^%s="([^"]*)"' % name, f.read(), re.M)
        check(m, "no %s= in contrib/install-deps" % name)
        return m.group(1).split()

    def deb_package(purl):
        m = re.match(r"pkg:deb/debian/([^@?]+)@", purl or "")
        return urllib.parse.unquote(m.group(1)) if m else None

    # The runtime libraries of a sanitized build (make SANITIZE=...), which
    # the Dockerfile's plain build does not load.
    SANITIZER_RUNTIMES = re.compile(r"^lib(asan|ubsan|lsan|tsan)[0-9]+$")

    @case
    def dockerfile_runtime_packages_are_what_the_program_needs(t):
        stages = dockerfile_stages()
        check(len(stages) == 2, "%d stages" % len(stages))
        build, runtime = stages
        check(build["from"] == runtime["from"] == "debian:12-slim",
              "FROM %s, %s" % (build["from"], runtime["from"]))
        check(build["name"] == "build" and runtime["name"] is None,
              "stage names %r %r" % (build["name"], runtime["name"]))
        # The build stage installs what contrib/install-deps does.
        want = install_deps_list("build")
        check(sorted(apt_installs(build["RUN"])) == sorted(want),
              "build stage %r, install-deps %r"
              % (sorted(apt_installs(build["RUN"])), sorted(want)))
        check(any("make install PREFIX=/usr DESTDIR=/out" in r
                  for r in build["RUN"]), "build stage: %r" % build["RUN"])
        check(runtime.get("COPY") == ["--from=build /out/ /"],
              "runtime COPY %r" % runtime.get("COPY"))
        check(runtime.get("ENTRYPOINT") == ['["bindep-sbom"]'],
              "ENTRYPOINT %r" % runtime.get("ENTRYPOINT"))
        # The runtime stage: the packages of the libraries the program
        # needs directly, as bindep-sbom itself says (apt brings theirs).
        r = t.run(t.binary)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        prog = [c for c in h.comps(r.sbom)
                if t.binary in h.locations(c)]
        check(len(prog) == 1, "the program's component: %d" % len(prog))
        deps = [d for d in r.sbom["dependencies"]
                if d["ref"] == prog[0]["bom-ref"]][0]["dependsOn"]
        purls = {c["bom-ref"]: c.get("purl") for c in h.comps(r.sbom)}
        needed = {deb_package(purls[d]) for d in deps}
        check(None not in needed, "a library of no Debian package: %r"
              % sorted(purls[d] or d for d in deps))
        needed = {p for p in needed if not SANITIZER_RUNTIMES.match(p)}
        listed = apt_installs(runtime["RUN"])
        check(len(listed) == len(set(listed)), "listed twice: %r" % listed)
        listed = set(listed) - {"ca-certificates"}
        check(listed == needed, "runtime stage: extra %r, missing %r"
              % (sorted(listed - needed), sorted(needed - listed)))
        # Each is a package of Debian 12: apt installs the list on an
        # empty system (simulated).
        empty = os.path.join(t.work, "empty-dpkg-status")
        open(empty, "w").close()
        proc = subprocess.run(
            ["apt-get", "-s", "-o", "Dir::State::status=" + empty,
             "-o", "APT::Install-Recommends=false", "install",
             *sorted(listed | {"ca-certificates"})],
            capture_output=True, text=True)
        check(proc.returncode == 0, "apt-get -s install: %s" % proc.stderr)
        with open(os.path.join(ROOT, ".dockerignore")) as f:
            ignored = set(f.read().split())
        check({"build", ".fixtures", "bindep-sbom", ".git"} <= ignored,
              ".dockerignore: %r" % sorted(ignored))

    @case
    def debian_build_depends_are_the_pkg_config_packages(t):
        """debian/control's Build-Depends: the packages that ship the .pc
        file of each module of the Makefile's PKGS (and libyaml-dev, which
        libcyaml.pc links), as install-deps installs them."""
        with open(os.path.join(ROOT, "debian", "control")) as f:
            control = f.read()
        m = re.search(r"^Build-Depends:((?:\n .*)+)", control, re.M)
        check(m, "no Build-Depends")
        deps = {re.split(r"[ (<\[]", d.strip())[0]
                for d in m.group(1).split(",") if d.strip()}
        with open(os.path.join(ROOT, "Makefile")) as f:
            mods = re.search(r"^PKGS := (.*)$", f.read(), re.M).group(1).split()
        owners = set()
        for mod in mods + ["cunit"]:
            pc = subprocess.run(["pkg-config", "--variable=pcfiledir", mod],
                                capture_output=True, text=True).stdout.strip()
            proc = subprocess.run(["dpkg", "-S", os.path.join(pc, mod + ".pc")],
                                  capture_output=True, text=True)
            check(proc.returncode == 0, "dpkg -S %s.pc: %s" % (mod, proc.stderr))
            owners.add(proc.stdout.split(":")[0])
        missing = owners - deps
        check(not missing, "Build-Depends lacks %r" % sorted(missing))
        want = set(install_deps_list("build")) - {"build-essential"}
        check(deps - {"debhelper-compat", "libcunit1-dev"} == want,
              "Build-Depends %r, install-deps %r" % (sorted(deps), sorted(want)))

    # ---- make install and uninstall --------------------------------------

    def make_install(t, *args):
        """make -f Makefile ARGS (install, uninstall) with the program and
        completions under test, never rebuilt (-o), run in a directory of
        its own that links to what install copies (doc/, mappings/,
        contrib/): what a split DESTDIR would create lands there, not in
        the tree. Returns (the process, that directory)."""
        comp = completion_dir(t)
        o = os.path.dirname(comp)
        binary = os.path.abspath(t.binary)
        scratch = h.fresh_dir(t, "make-install-cwd")
        for name in ("doc", "mappings", "contrib"):
            os.symlink(os.path.join(ROOT, name), os.path.join(scratch, name))
        # A make of its own: not the parent make's variables (make check).
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL",
                            "MAKEOVERRIDES", "O", "BIN", "DATADIR", "SANITIZE",
                            "PREFIX", "BINDIR", "MANDIR", "DESTDIR")}
        proc = subprocess.run(
            ["make", "-s", "-f", os.path.join(ROOT, "Makefile"),
             "-o", binary, "-o", os.path.join(comp, BASH_NAME),
             "-o", os.path.join(comp, ZSH_NAME), "O=" + o, "BIN=" + binary,
             *args], cwd=scratch, env=env, capture_output=True, text=True)
        return proc, scratch

    def files_under(d):
        return sorted(os.path.relpath(os.path.join(top, f), d)
                      for top, _, files in os.walk(d) for f in files)

    def installed_files(prefix, datadir):
        """What make install puts under PREFIX, DATADIR relative to /."""
        share = prefix + "/share"
        want = [prefix + "/bin/bindep-sbom",
                share + "/man/man1/bindep-sbom.1",
                share + "/bash-completion/completions/bindep-sbom",
                share + "/zsh/site-functions/_bindep-sbom",
                datadir + "/ci/bindep-sbom-ci",
                datadir + "/mappings/README.md"]
        want += [datadir + "/mappings/" + f
                 for f in os.listdir(os.path.join(ROOT, "mappings"))
                 if f.endswith(".yml")]
        return sorted(w.lstrip("/") for w in want)

    @case
    def install_uninstall_removes_only_what_it_installed(t):
        """make uninstall ran rm -rf $(DESTDIR)$(DATADIR): with DATADIR
        given its GNU meaning, /usr/local/share, that is every package's
        files. It now removes the files install copied, then the
        directories of its own (DATADIR/mappings, DATADIR/ci, DATADIR)
        when they are empty."""
        for datadir in ("/usr/local/share", "/usr/local/share/bindep-sbom"):
            d = h.fresh_dir(t, "destdir")
            others = ["usr/local/share/other-package/data",
                      "usr/local/share/man/man1/other.1",
                      "usr/local/share/bash-completion/completions/other",
                      "usr/local/bin/other"]
            if datadir.endswith("bindep-sbom"):
                # A mapping file of the user's own, beside the shipped ones.
                others.append(datadir.lstrip("/") + "/mappings/local.yml")
            for f in others:
                os.makedirs(os.path.dirname(os.path.join(d, f)), exist_ok=True)
                with open(os.path.join(d, f), "w") as fh:
                    fh.write("not ours\n")
            proc, _ = make_install(t, "install", "DESTDIR=" + d,
                                   "DATADIR=" + datadir)
            check(proc.returncode == 0, "install: %s" % proc.stderr)
            want = installed_files("/usr/local", datadir)
            check(files_under(d) == sorted(want + others),
                  "installed: extra %r, missing %r"
                  % (sorted(set(files_under(d)) - set(want + others)),
                     sorted(set(want + others) - set(files_under(d)))))
            proc, _ = make_install(t, "uninstall", "DESTDIR=" + d,
                                   "DATADIR=" + datadir)
            check(proc.returncode == 0, "uninstall: %s" % proc.stderr)
            check(files_under(d) == sorted(others),
                  "DATADIR=%s: after uninstall %r" % (datadir, files_under(d)))
        # Ours, left empty, are gone; one the user's file is in stays.
        check(os.path.isdir(os.path.join(d, "usr/local/share/bindep-sbom"
                                            "/mappings")), "mappings/")
        check(not os.path.exists(os.path.join(d, "usr/local/share/bindep-sbom"
                                                 "/ci")), "ci/ left")
        d = h.fresh_dir(t, "destdir")
        make_install(t, "install", "DESTDIR=" + d)
        proc, _ = make_install(t, "uninstall", "DESTDIR=" + d)
        check(proc.returncode == 0 and not os.path.exists(
            os.path.join(d, "usr/local/share/bindep-sbom")),
            "DATADIR left: %s" % proc.stderr)

    @case
    def install_destdir_and_prefix_with_spaces(t):
        """DESTDIR and PREFIX holding a space: every $(DESTDIR)$(...) of
        install and uninstall was unquoted, so install failed, after
        making directories named by the words it split into, one of them
        relative to where make ran."""
        d = os.path.join(h.fresh_dir(t, "space-root"), "stage area")
        prefix = "/opt/my tools"
        args = ["DESTDIR=" + d, "PREFIX=" + prefix]
        proc, scratch = make_install(t, "install", *args)
        check(proc.returncode == 0, "install: exit %d: %s"
              % (proc.returncode, proc.stderr))
        want = installed_files(prefix, prefix + "/share/bindep-sbom")
        check(files_under(d) == want, "installed %r" % files_under(d))
        check(os.access(os.path.join(d, "opt/my tools/bin/bindep-sbom"),
                        os.X_OK), "the program is not executable")
        check(sorted(os.listdir(scratch)) == ["contrib", "doc", "mappings"],
              "made where make ran: %r" % os.listdir(scratch))
        proc, _ = make_install(t, "uninstall", *args)
        check(proc.returncode == 0 and files_under(d) == [],
              "uninstall: %s %r" % (proc.stderr, files_under(d)))
