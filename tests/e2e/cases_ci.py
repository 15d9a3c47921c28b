"""End-to-end cases of the CI templates of contrib/ci/ (issue 16, item 3),
registered by run.py.

Each template's YAML is parsed (python3-yaml) and what it runs is run here,
as its CI system would run it: the GitHub composite action's steps with the
variables a runner sets (GITHUB_WORKSPACE, GITHUB_OUTPUT, RUNNER_TEMP, the
INPUT_* the action passes, ...), its `${{ }}` expressions evaluated and the
actions it uses (upload-artifact, attest-sbom) checked against what they
would be given; the GitLab job's script with CI_PROJECT_DIR, CI_COMMIT_TAG
and the rest; the Makefile snippet's dist-sbom in a small C project. The
SBOM each writes is validated and must describe the release.
"""
import glob
import json
import os
import re
import shlex
import shutil
import stat
import subprocess

import validate

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CI = os.path.join(ROOT, "contrib", "ci")
SCRIPT = os.path.join(CI, "bindep-sbom-ci")
CC = os.environ.get("CC", "cc")
# Where `make install PREFIX=/usr` (the Dockerfile, the .deb) puts the
# script: the GitLab template calls it there.
INSTALLED_SCRIPT = "/usr/share/bindep-sbom/ci/bindep-sbom-ci"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def register(case, h):
    check = h.check

    def load_yaml(path):
        import yaml  # python3-yaml (contrib/install-deps --test)
        with open(path) as f:
            return yaml.safe_load(f)

    def executable(path, text):
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)

    def tool_dir(t):
        """A directory holding `bindep-sbom`: the program under test,
        through the run's wrapper (valgrind) when there is one."""
        d = h.fresh_dir(t, "ci-bin")
        cmd = " ".join(shlex.quote(w) for w in t.wrapper + [t.binary])
        executable(os.path.join(d, "bindep-sbom"),
                   "#!/bin/sh\nexec %s \"$@\"\n" % cmd)
        return d

    def release(t, name):
        """A workspace whose dist/ holds a program and the library it
        loads through its RUNPATH, built here."""
        ws = h.fresh_dir(t, name)
        dist = os.path.join(ws, "dist")
        os.makedirs(os.path.join(dist, "lib"))
        src = os.path.join(ws, "src")
        os.makedirs(src)
        with open(os.path.join(src, "w.c"), "w") as f:
            f.write("int widget(void) { return 42; }\n")
        with open(os.path.join(src, "app.c"), "w") as f:
            f.write("int widget(void);\nint main(void) { return widget(); }\n")
        subprocess.run([CC, "-shared", "-fPIC", "-o",
                        os.path.join(dist, "lib", "libwidget.so.1"),
                        "-Wl,-soname,libwidget.so.1",
                        os.path.join(src, "w.c")], check=True)
        subprocess.run([CC, "-o", os.path.join(dist, "widget"),
                        os.path.join(src, "app.c"),
                        os.path.join(dist, "lib", "libwidget.so.1"),
                        "-Wl,--enable-new-dtags,-rpath,$ORIGIN/lib"],
                       check=True)
        shutil.rmtree(src)
        return ws

    def sbom_of(path, kind="cyclonedx"):
        check(os.path.isfile(path), "no SBOM at %s" % path)
        errs = validate.errors(kind, path)
        check(not errs, "%s: schema errors:\n%s" % (path, "\n".join(errs[:10])))
        with open(path) as f:
            return json.load(f)

    def check_describes_release(doc, name, version, where="dist"):
        meta = doc["metadata"]["component"]
        check(meta["name"] == name and meta.get("version") == version,
              "described: %r %r" % (meta["name"], meta.get("version")))
        locs = {loc for c in h.comps(doc) for loc in h.locations(c)}
        for want in ("%s/widget" % where, "%s/lib/libwidget.so.1" % where):
            check(want in locs, "%s not in the SBOM: %r" % (want, sorted(locs)))
        app = [c for c in h.comps(doc) if "%s/widget" % where in h.locations(c)]
        check("libwidget.so.1" in h.depends(doc, app[0]),
              "widget -> libwidget.so.1: %r" % h.depends(doc, app[0]))

    # ---- a GitHub Actions runner, as far as a composite action needs ------

    def evaluate(expr, ctx):
        """The value of an expression of the forms the templates use:
        inputs.NAME, steps.ID.outputs.NAME, X == 'literal', and
        always() && X (the step runs after a failure too)."""
        if expr.startswith("always() && "):
            return evaluate(expr[len("always() && "):], ctx)
        m = re.fullmatch(r"(.+?)\s*==\s*'([^']*)'", expr)
        if m:
            return "true" if evaluate(m.group(1), ctx) == m.group(2) else ""
        parts = expr.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            check(parts[1] in ctx["inputs"], "no input %r" % parts[1])
            return ctx["inputs"][parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return ctx["steps"].get(parts[1], {}).get(parts[3], "")
        if parts[0] == "github" and len(parts) == 2:
            return ctx["github"][parts[1]]
        raise h.Failure("expression not understood: %r" % expr)

    def substitute(value, ctx):
        if not isinstance(value, str):
            return value
        return EXPR.sub(lambda m: evaluate(m.group(1), ctx), value)

    def read_outputs(path):
        """GITHUB_OUTPUT's name=value and name<<DELIMITER lines."""
        out, lines = {}, open(path).read().split("\n")
        i = 0
        while i < len(lines):
            line = lines[i]
            m = re.match(r"([\w-]+)<<(\S+)$", line)
            if m:
                end = lines.index(m.group(2), i + 1)
                out[m.group(1)] = "\n".join(lines[i + 1:end])
                i = end
            elif "=" in line:
                k, v = line.split("=", 1)
                out[k] = v
            i += 1
        return out

    def runner_env(t, ws, temp, extra=None, path=None):
        """The variables a GitHub-hosted runner sets for a step, for a
        tag push of acme/widget v1.4.2."""
        env = {
            "PATH": path or os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": ws,
            "GITHUB_REPOSITORY": "acme/widget",
            "GITHUB_REPOSITORY_OWNER": "acme",
            "GITHUB_REF": "refs/tags/v1.4.2",
            "GITHUB_REF_NAME": "v1.4.2",
            "GITHUB_REF_TYPE": "tag",
            "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_RUN_ID": "1",
            "GITHUB_JOB": "release",
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "RUNNER_TEMP": temp,
            "SOURCE_DATE_EPOCH": h.SDE_DEFAULT,
        }
        env.update(extra or {})
        return env

    def run_composite(t, action_dir, with_, ws, path=None, github=None,
                      failed=None):
        """Run the composite action of action_dir/action.yml as a runner
        would: its steps in order, each `run` in its shell with the step's
        env, GITHUB_ACTION_PATH and a fresh GITHUB_OUTPUT; the `uses`
        steps are recorded with their inputs. After a step fails, only
        the steps whose `if` starts with always() run, and then the
        failure is raised (or appended to the list failed, when given).
        Returns (outputs of the action, {step id: outputs}, [(uses,
        with)], runner files)."""
        action = load_yaml(os.path.join(action_dir, "action.yml"))
        check(action["runs"]["using"] == "composite", "not composite")
        unknown = set(with_) - set(action["inputs"])
        check(not unknown, "inputs the action does not have: %r" % unknown)
        inputs = {k: str(v.get("default", "")) for k, v in
                  action["inputs"].items()}
        inputs.update(with_)
        temp = h.fresh_dir(t, "runner-temp")
        files = {k: os.path.join(temp, "_" + k.lower()) for k in
                 ("GITHUB_PATH", "GITHUB_ENV", "GITHUB_STEP_SUMMARY")}
        for f in files.values():
            open(f, "w").close()
        ctx = {"inputs": inputs, "steps": {}, "github": github or {}}
        used, failure = [], None
        for n, step in enumerate(action["runs"]["steps"]):
            if failure and not step.get("if", "").startswith("always()"):
                continue
            if "if" in step and not evaluate(step["if"], ctx):
                continue
            if "uses" in step:
                used.append((step["uses"], {k: substitute(v, ctx) for k, v
                                            in step.get("with", {}).items()}))
                continue
            check(step.get("shell") == "sh", "step %d: shell %r (the "
                  "script is POSIX sh)" % (n, step.get("shell")))
            out = os.path.join(temp, "_output_%d" % n)
            open(out, "w").close()
            env = runner_env(t, ws, temp, path=path)
            env.update(files)
            env.update({"GITHUB_ACTION_PATH": action_dir,
                        "GITHUB_OUTPUT": out})
            env.update({k: substitute(str(v), ctx)
                        for k, v in step.get("env", {}).items()})
            proc = subprocess.run(["sh", "-e", "-c", step["run"]], cwd=ws,
                                  env=env, capture_output=True, text=True)
            if proc.returncode and not failure:
                failure = "step %r: exit %d\n%s%s" % (
                    step.get("name"), proc.returncode, proc.stdout,
                    proc.stderr)
            if "id" in step:
                ctx["steps"][step["id"]] = read_outputs(out)
        if failure and failed is None:
            raise h.Failure(failure)
        if failure:
            failed.append(failure)
        outputs = {k: substitute(v["value"], ctx)
                   for k, v in action.get("outputs", {}).items()}
        return outputs, ctx["steps"], used, files, temp

    GITHUB = os.path.join(CI, "github")
    UPLOAD_ARTIFACT = ("actions/upload-artifact@"
                       "ea165f8d65b6e75b540449e92b4886f43607fa02")

    @case
    def ci_github_actions_pinned(t):
        """Every action the templates (and the README's example) use from
        elsewhere is pinned to a commit, with its release in a comment: a
        tag can be moved to other code after review. bindep-sbom's own
        action (OWNER/...) is the user's to pin."""
        uses = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
        seen = []
        for path in sorted(glob.glob(os.path.join(GITHUB, "*.yml"))) + [
                os.path.join(ROOT, "README.md")]:
            with open(path) as f:
                for n, line in enumerate(f, 1):
                    m = uses.match(line)
                    if not m or m.group(1).startswith("OWNER/"):
                        continue
                    seen.append(m.group(1))
                    check(re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}",
                                       m.group(1)) and
                          re.fullmatch(r"\s+# v\d+\.\d+\.\d+", m.group(2)),
                          "%s:%d: not pinned to a commit with its release: "
                          "%r" % (path, n, line.strip()))
        check(sum(u.startswith("actions/upload-artifact@") for u in seen) == 1
              and sum(u.startswith("actions/attest-sbom@") for u in seen) == 2
              and sum(u.startswith("actions/checkout@") for u in seen) == 1,
              "uses seen: %r" % seen)

    @case
    def ci_github_action(t):
        ws = release(t, "gh-ws")
        path = tool_dir(t) + ":" + os.environ["PATH"]
        outputs, steps, used, files, temp = run_composite(
            t, GITHUB, {}, ws, path=path)
        want = os.path.join(temp, "bindep-sbom", "widget-1.4.2.cdx.json")
        check(outputs["sbom"] == want, "outputs.sbom %r" % outputs)
        doc = sbom_of(want)
        check_describes_release(doc, "widget", "1.4.2")
        check(used == [(UPLOAD_ARTIFACT, {
            "name": "sbom", "path": want, "if-no-files-found": "error"})],
            "uses %r" % used)
        with open(files["GITHUB_STEP_SUMMARY"]) as f:
            summary = f.read()
        check("widget-1.4.2.cdx.json" in summary and "dist/" in summary,
              "step summary %r" % summary)

    @case
    def ci_github_action_inputs(t):
        """SPDX into the workspace, two paths on two lines, a version and
        a supplier given, --strict, no upload; a path that does not exist
        fails the step."""
        ws = release(t, "gh-ws-inputs")
        os.rename(os.path.join(ws, "dist", "lib"), os.path.join(ws, "lib"))
        os.symlink("../lib", os.path.join(ws, "dist", "lib"))
        path = tool_dir(t) + ":" + os.environ["PATH"]
        outputs, _, used, _, _ = run_composite(t, GITHUB, {
            "paths": "dist/widget\nlib/",
            "format": "spdx",
            "output": "out/widget.spdx.json",
            "source-version": "2.0 rc1",
            "supplier": "Acme Corp",
            "strict": "true",
            "upload": "false",
        }, ws, path=path)
        check(outputs["sbom"] == "out/widget.spdx.json", repr(outputs))
        check(used == [], "uploaded: %r" % used)
        doc = sbom_of(os.path.join(ws, "out", "widget.spdx.json"), "spdx")
        target = [p for p in doc["packages"]
                  if p["SPDXID"] == "SPDXRef-Target"][0]
        check(target["name"] == "widget" and
              target.get("versionInfo") == "2.0 rc1", "target %r" % target)
        check("Organization: Acme Corp" in doc["creationInfo"]["creators"],
              repr(doc["creationInfo"]["creators"]))
        names = {p["name"] for p in doc["packages"]}
        check({"widget", "libwidget.so.1"} <= names, repr(sorted(names)))
        try:
            run_composite(t, GITHUB, {"paths": "no-such-dir/",
                                      "upload": "false"}, ws, path=path)
            failed = None
        except h.Failure as e:
            failed = str(e)
        check(failed and "no-such-dir" in failed, "a missing path: %r" % failed)

    @case
    def ci_github_action_strict_keeps_the_sbom(t):
        """--strict and a needed library missing: the scan step fails
        with exit 3, but the SBOM it wrote is the step's output and is
        uploaded (it shows what is missing); the GitLab job keeps its
        artifacts then too. Before, the script exited 1 without the
        output, and the upload did not run."""
        ws = release(t, "gh-ws-strict")
        os.unlink(os.path.join(ws, "dist", "lib", "libwidget.so.1"))
        path = tool_dir(t) + ":" + os.environ["PATH"]
        failed = []
        outputs, _, used, _, _ = run_composite(t, GITHUB, {
            "strict": "true", "upload": "true"}, ws, path=path,
            failed=failed)
        check(failed and "exit 3" in failed[0], "failed: %r" % failed)
        check(outputs.get("sbom") and os.path.exists(
            os.path.join(ws, outputs["sbom"])), repr(outputs))
        check(len(used) == 1 and used[0][1]["path"] == outputs["sbom"],
              "uploaded: %r" % used)
        gitlab = load_yaml(os.path.join(CI, "gitlab",
                                        "bindep-sbom.gitlab-ci.yml"))
        jobs = [v for v in gitlab.values()
                if isinstance(v, dict) and "artifacts" in v]
        check(jobs and all(j["artifacts"].get("when") == "always"
                           for j in jobs), "gitlab: %r" % jobs)

    def stubs(t, *names):
        """A PATH whose first directory holds stubs of these commands
        (each logs its arguments to LOG, one line per call) and the
        system's directories, but no bindep-sbom."""
        d = h.fresh_dir(t, "ci-stubs")
        log = os.path.join(d, "LOG")
        for name in names:
            body = 'echo "%s $*" >> %s\n' % (name, shlex.quote(log))
            if name == "curl":  # curl ... -o FILE URL: FILE's directory
                body += ('while [ $# -gt 1 ]; do [ "$1" = -o ] && { echo '
                         'deb > "$2"; echo "mode $(stat -c %%a "${2%%/*}")" '
                         '>> %s; }; shift; done\n' % shlex.quote(log))
            if name == "make":  # make ... PREFIX=P install: a program in P
                body += ('for a; do case $a in PREFIX=*) p=${a#PREFIX=} ;; '
                         'esac; done\necho "mode $(stat -c %%a "${p%%/*}")" '
                         '>> %s\nmkdir -p "$p/bin" && : > '
                         '"$p/bin/bindep-sbom"\n' % shlex.quote(log))
            executable(os.path.join(d, name), "#!/bin/sh\n" + body)
        path = d + ":/usr/bin:/bin"
        check(shutil.which("bindep-sbom", path=path) is None,
              "bindep-sbom is installed on this machine")
        return path, log

    @case
    def ci_github_action_installs(t):
        """bindep-sbom not on PATH: the action installs it from a .deb (a
        path or a URL) with apt-get, or builds it from its own checkout
        into RUNNER_TEMP and puts it on GITHUB_PATH."""
        ws = release(t, "gh-ws-install")
        open(os.path.join(ws, "bindep-sbom_0.1.0_amd64.deb"), "w").close()
        # Only the install step: the scan needs the real program.
        action = load_yaml(os.path.join(GITHUB, "action.yml"))
        step = action["runs"]["steps"][0]
        check("install" in step["run"], "first step %r" % step)

        def install(how):
            path, log = stubs(t, "apt-get", "curl", "make", "sudo")
            temp = h.fresh_dir(t, "runner-temp")
            gh_path = os.path.join(temp, "_github_path")
            open(gh_path, "w").close()
            env = runner_env(t, ws, temp, path=path, extra={
                "GITHUB_ACTION_PATH": GITHUB, "GITHUB_PATH": gh_path,
                "GITHUB_OUTPUT": os.path.join(temp, "_out"),
                "INPUT_INSTALL": how})
            proc = subprocess.run(["sh", "-e", "-c", step["run"]], cwd=ws,
                                  env=env, capture_output=True, text=True)
            check(proc.returncode == 0, "install %s: %s" % (how, proc.stderr))
            with open(log) as f, open(gh_path) as g:
                return f.read().splitlines(), g.read().split(), temp

        calls, _, _ = install("bindep-sbom_0.1.0_amd64.deb")
        check(calls == ["apt-get install -y --no-install-recommends "
                        "./bindep-sbom_0.1.0_amd64.deb"], repr(calls))
        calls, _, temp = install("https://example.org/x/bindep-sbom.deb")
        # Into a private directory of its own, over https only, removed
        # after the install.
        m = re.fullmatch(r"curl -fsSL --proto =https --proto-redir =https "
                         r"-o (%s/bindep-sbom-deb\.\w{6}/bindep-sbom\.deb) "
                         r"https://example.org/x/bindep-sbom.deb"
                         % re.escape(temp), calls[0])
        check(m and calls[1:] == [
            "mode 700",
            "apt-get install -y --no-install-recommends " + m.group(1)],
            repr(calls))
        check(not os.path.exists(os.path.dirname(m.group(1))),
              "%s left behind" % m.group(1))
        calls, gh_path, temp = install("build")
        # Into a directory of its own (mktemp -d), not a fixed name that
        # another user may have made first, and which was used as found.
        makes = [c for c in calls if c.startswith("make ")]
        m = re.search(r" PREFIX=(%s/bindep-sbom-install\.\w{6})/prefix "
                      % re.escape(temp), makes[0] if makes else "")
        check(m, "make: %r" % makes)
        top = m.group(1)
        check(calls[calls.index(makes[0]) + 1] == "mode 700",
              "the build's directory: %r" % calls)
        check(len(makes) == 1 and makes[0].split()[1:3] == ["-C", ROOT] and
              "O=%s/build" % top in makes[0] and
              "PREFIX=%s/prefix" % top in makes[0] and
              makes[0].endswith(" install"), repr(calls))
        # contrib/install-deps ran first (its apt-get, stubbed here).
        check(calls[0].startswith("apt-get update"), repr(calls))
        check(gh_path == [os.path.join(top, "prefix", "bin")],
              "GITHUB_PATH %r" % gh_path)

    @case
    def ci_github_example_workflow(t):
        """The example release workflow: on a tag, make dist, our action,
        then actions/attest-sbom given the SBOM our action wrote and the
        artifacts; with the permissions attest-sbom needs."""
        wf = load_yaml(os.path.join(GITHUB, "example-release.yml"))
        on = wf.get("on", wf.get(True))  # YAML 1.1 reads `on` as true
        check(on and on["push"]["tags"] == ["v*"], "on: %r" % on)
        (job,) = wf["jobs"].values()
        check(job["permissions"].get("id-token") == "write" and
              job["permissions"].get("attestations") == "write",
              "permissions %r" % job["permissions"])
        ws = release(t, "gh-ws-example")
        with open(os.path.join(ws, "Makefile"), "w") as f:
            f.write(".PHONY: dist\ndist:\n\ttar -czf dist/widget-1.4.2.tar.gz "
                    "-C dist widget lib\n")
        path = tool_dir(t) + ":" + os.environ["PATH"]
        ctx = {"steps": {}, "inputs": {}, "github": {"ref_name": "v1.4.2"}}
        attested = None
        for step in job["steps"]:
            uses = step.get("uses", "")
            if "run" in step:
                proc = subprocess.run(["sh", "-e", "-c", step["run"]], cwd=ws,
                                      env=runner_env(t, ws, ws, path=path),
                                      capture_output=True, text=True)
                check(proc.returncode == 0, "%r: %s" % (step, proc.stderr))
            elif uses.startswith("actions/checkout@"):
                pass
            elif re.fullmatch(r"[\w-]+/bindep-sbom/contrib/ci/github@\S+", uses):
                with_ = {k: substitute(str(v), ctx)
                         for k, v in step.get("with", {}).items()}
                outputs, _, used, _, _ = run_composite(t, GITHUB, with_, ws,
                                                       path=path)
                ctx["steps"][step["id"]] = outputs
            elif uses.startswith("actions/attest-sbom@"):
                attested = {k: substitute(str(v), ctx)
                            for k, v in step["with"].items()}
            else:
                raise h.Failure("step not expected: %r" % step)
        check(attested, "no attest-sbom step")
        subjects = glob.glob(os.path.join(ws, attested["subject-path"]))
        check(os.path.join(ws, "dist", "widget-1.4.2.tar.gz") in subjects,
              "subject-path %r: %r" % (attested["subject-path"], subjects))
        sbom = attested["sbom-path"]
        check(os.path.isabs(sbom) and os.path.getsize(sbom) < 16 << 20,
              "sbom-path %r (attest-sbom takes 16 MB at most)" % sbom)
        check_describes_release(sbom_of(sbom), "widget", "1.4.2")

    # ---- GitLab -------------------------------------------------------------

    def expand(value, env):
        """GitLab's expansion of $VAR and ${VAR} in variables."""
        return re.sub(r"\$\{(\w+)\}|\$(\w+)",
                      lambda m: env.get(m.group(1) or m.group(2), ""), value)

    @case
    def ci_gitlab_template(t):
        doc = load_yaml(os.path.join(CI, "gitlab", "bindep-sbom.gitlab-ci.yml"))
        job = doc[".bindep-sbom"]
        check(job["image"]["entrypoint"] == [""], "entrypoint %r" % job["image"])
        out = job["variables"]["BINDEP_SBOM_OUTPUT"]
        check(job["artifacts"]["reports"]["cyclonedx"] == [out] and
              job["artifacts"]["paths"] == [out], "artifacts %r" % job["artifacts"])
        # The script the job calls is where the image has it.
        # A make of its own: under make check's sanitizer lane the parent
        # make's command-line variables (O, BIN, DATADIR=$(CURDIR)) reach us
        # through MAKEFLAGS and the environment, and would win.
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES",
                            "O", "BIN", "DATADIR", "SANITIZE", "PREFIX",
                            "BINDIR", "MANDIR", "DESTDIR")}
        proc = subprocess.run(["make", "-s", "-n", "install", "PREFIX=/usr",
                               "DESTDIR=/image"], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        check(any(w[-2:] == ["contrib/ci/bindep-sbom-ci", "/image%s/" %
                             os.path.dirname(INSTALLED_SCRIPT)]
                  for w in (shlex.split(line) for line in
                            proc.stdout.splitlines()
                            if "bindep-sbom-ci" in line)),
            "make install does not put the script at %s:\n%s"
            % (INSTALLED_SCRIPT, proc.stdout[-1500:]))
        ws = release(t, "gl-project")
        env = {
            "PATH": tool_dir(t) + ":" + os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "CI": "true",
            "GITLAB_CI": "true",
            "CI_PROJECT_DIR": ws,
            "CI_PROJECT_NAME": "widget",
            "CI_PROJECT_PATH": "acme/widget",
            "CI_PROJECT_NAMESPACE": "acme",
            "CI_REGISTRY_IMAGE": "registry.example.org/acme/widget",
            "CI_COMMIT_TAG": "v2.0.1",
            "CI_COMMIT_REF_NAME": "v2.0.1",
            "CI_COMMIT_SHA": "0123456789abcdef0123456789abcdef01234567",
            "CI_JOB_NAME": "sbom",
            "CI_JOB_ID": "7",
            "CI_PIPELINE_ID": "3",
            "SOURCE_DATE_EPOCH": h.SDE_DEFAULT,
        }
        for k, v in job["variables"].items():
            env[k] = expand(str(v), env)
        check(env["BINDEP_SBOM_IMAGE"] ==
              "registry.example.org/acme/widget/bindep-sbom:0.1.0",
              "image %r" % env["BINDEP_SBOM_IMAGE"])
        for line in job["script"]:
            line = line.replace(INSTALLED_SCRIPT, SCRIPT)
            proc = subprocess.run(["sh", "-e", "-c", line], cwd=ws, env=env,
                                  capture_output=True, text=True)
            check(proc.returncode == 0, "%r: exit %d: %s"
                  % (line, proc.returncode, proc.stderr))
        doc = sbom_of(os.path.join(ws, out))
        check_describes_release(doc, "widget", "2.0.1")
        check(doc["specVersion"] == "1.6", "GitLab reads CycloneDX 1.4 to 1.6")

    # ---- make dist ------------------------------------------------------------

    PROJECT_MAKEFILE = """\
PACKAGE = widget
VERSION = 3.1
PREFIX = /usr/local
all: widget libwidget.so.1
libwidget.so.1: w.c
\t$(CC) -shared -fPIC -o $@ -Wl,-soname,$@ w.c
widget: app.c libwidget.so.1
\t$(CC) -o $@ app.c libwidget.so.1 -Wl,--enable-new-dtags,-rpath,'$$ORIGIN/../lib'
install: all
\tmkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib
\tcp widget $(DESTDIR)$(PREFIX)/bin/
\tcp libwidget.so.1 $(DESTDIR)$(PREFIX)/lib/
dist:
\ttar -czf $(PACKAGE)-$(VERSION).tar.gz Makefile w.c app.c
include %s
"""

    def c_project(t, name="c-project"):
        """A small C project including the snippet: (its directory, the
        environment to run make in)."""
        proj = h.fresh_dir(t, name)
        with open(os.path.join(proj, "Makefile"), "w") as f:
            f.write(PROJECT_MAKEFILE % os.path.join(CI, "make", "bindep-sbom.mk"))
        with open(os.path.join(proj, "w.c"), "w") as f:
            f.write("int widget(void) { return 42; }\n")
        with open(os.path.join(proj, "app.c"), "w") as f:
            f.write("int widget(void);\nint main(void) { return widget(); }\n")
        env = dict(os.environ, SOURCE_DATE_EPOCH=h.SDE_DEFAULT, CC=CC,
                   PATH=tool_dir(t) + ":" + os.environ["PATH"])
        env.pop("MAKEFLAGS", None)
        return proj, env

    @case
    def ci_make_dist_sbom(t):
        proj, env = c_project(t)
        proc = subprocess.run(["make", "dist-sbom"], cwd=proj, env=env,
                              capture_output=True, text=True)
        check(proc.returncode == 0, "make dist-sbom: %s%s"
              % (proc.stdout, proc.stderr))
        left = sorted(os.listdir(proj))
        check(left == ["Makefile", "app.c", "libwidget.so.1", "w.c", "widget",
                       "widget-3.1.cdx.json", "widget-3.1.tar.gz"],
              "the project holds %r" % left)
        doc = sbom_of(os.path.join(proj, "widget-3.1.cdx.json"))
        meta = doc["metadata"]["component"]
        check(meta["name"] == "widget" and meta["version"] == "3.1", repr(meta))
        staged = "widget-3.1-sbom-staging/usr/local"
        app = [c for c in h.comps(doc)
               if staged + "/bin/widget" in h.locations(c)]
        check(app and h.depends(doc, app[0]) == sorted(
            ["ld-linux-x86-64.so.2", "libc.so.6", "libwidget.so.1"]),
            "the installed program and its needs: %r"
            % (app and h.depends(doc, app[0])))
        lib = h.by_name(doc, "libwidget.so.1")
        check(h.locations(lib) == [staged + "/lib/libwidget.so.1"],
              "libwidget found in the staging tree: %r" % h.locations(lib))
        proc = subprocess.run(["make", "dist-sbom", "BINDEP_SBOM_FORMAT=spdx"],
                              cwd=proj, env=env, capture_output=True, text=True)
        check(proc.returncode == 0, "spdx: %s" % proc.stderr)
        sbom_of(os.path.join(proj, "widget-3.1.spdx.json"), "spdx")

    @case
    def ci_make_dist_sbom_installed_search(t):
        """The staged program finds the staged library where the installed
        system's loader would: through an absolute RUNPATH
        ($(PREFIX)/lib), and with none (ldconfig's directories). The
        staging tree was scanned as plain files: /usr/local/lib was the
        build machine's, libwidget.so.1 not found there (or another copy
        found). Each staging directory holding a shared object is searched
        first, as LD_LIBRARY_PATH is; one whose name has a ':' cannot be
        in that list and is left out."""
        for name, link in (("runpath", "-Wl,--enable-new-dtags,-rpath,$(PREFIX)/lib"),
                           ("rpath", "-Wl,--disable-new-dtags,-rpath,$(PREFIX)/lib"),
                           ("none", "")):
            proj, env = c_project(t, "c-project-" + name)
            path = os.path.join(proj, "Makefile")
            with open(path) as f:
                text = f.read()
            text = text.replace("-Wl,--enable-new-dtags,-rpath,'$$ORIGIN/../lib'",
                                link)
            # A directory of the staging tree whose name the list cannot
            # hold: its library is scanned, not searched.
            text = text.replace("\tcp libwidget.so.1 $(DESTDIR)$(PREFIX)/lib/\n",
                                "\tcp libwidget.so.1 $(DESTDIR)$(PREFIX)/lib/\n"
                                "\tmkdir -p '$(DESTDIR)$(PREFIX)/lib/a:b'\n"
                                "\t$(CC) -shared -fPIC -Wl,-soname,libother.so "
                                "-o '$(DESTDIR)$(PREFIX)/lib/a:b/libother.so' w.c\n")
            with open(path, "w") as f:
                f.write(text)
            proc = subprocess.run(["make", "dist-sbom"], cwd=proj, env=env,
                                  capture_output=True, text=True)
            check(proc.returncode == 0, "%s: make dist-sbom: %s%s"
                  % (name, proc.stdout, proc.stderr))
            check("not found" not in proc.stderr,
                  "%s: %s" % (name, proc.stderr))
            doc = sbom_of(os.path.join(proj, "widget-3.1.cdx.json"))
            staged = "widget-3.1-sbom-staging/usr/local"
            app = [c for c in h.comps(doc)
                   if staged + "/bin/widget" in h.locations(c)]
            check(app and h.depends(doc, app[0]) == sorted(
                ["ld-linux-x86-64.so.2", "libc.so.6", "libwidget.so.1"]),
                "%s: the installed program's needs: %r"
                % (name, app and h.depends(doc, app[0])))
            lib = h.by_name(doc, "libwidget.so.1")
            check(h.locations(lib) == [staged + "/lib/libwidget.so.1"],
                  "%s: libwidget at %r" % (name, h.locations(lib)))
            check(h.prop(lib, "bindep:resolved-via") == "library-path",
                  "%s: found by %r" % (name, h.prop(lib, "bindep:resolved-via")))
            check(h.by_name(doc, "libother.so"), "the ':' directory's file")

    @case
    def ci_make_dist_sbom_project_path_with_a_colon(t):
        """A project whose directory's path has a ':' (a checkout in
        build:2) makes its SBOM, as before the library path: the staging
        tree is named to it as make's current directory has it
        (relative), which has no ':'. Its absolute name was, and the
        project was refused."""
        proj, env = c_project(t, "c-project:2")
        proc = subprocess.run(["make", "dist-sbom"], cwd=proj, env=env,
                              capture_output=True, text=True)
        check(proc.returncode == 0, "make dist-sbom: %s%s"
              % (proc.stdout, proc.stderr))
        doc = sbom_of(os.path.join(proj, "widget-3.1.cdx.json"))
        lib = h.by_name(doc, "libwidget.so.1")
        check(h.locations(lib) ==
              ["widget-3.1-sbom-staging/usr/local/lib/libwidget.so.1"],
              "libwidget at %r" % h.locations(lib))
        check(h.prop(lib, "bindep:resolved-via") == "library-path",
              "found by %r" % h.prop(lib, "bindep:resolved-via"))

    @case
    def ci_make_dist_sbom_staging_anywhere(t):
        """An absolute BINDEP_SBOM_STAGING was installed into
        $(CURDIR)/$(BINDEP_SBOM_STAGING), scanned where it said, and the
        copy left in the project; one starting with '-' was read as
        options by rm and bindep-sbom. Both work now: installed, scanned
        and removed where they name."""
        outside = os.path.join(h.fresh_dir(t, "staging-outside"), "stage")
        for staging, where in ((outside, outside + "/usr/local"),
                               ("-staging", "-staging/usr/local")):
            proj, env = c_project(t)
            proc = subprocess.run(["make", "dist-sbom",
                                   "BINDEP_SBOM_STAGING=" + staging],
                                  cwd=proj, env=env, capture_output=True,
                                  text=True)
            check(proc.returncode == 0, "%s: make dist-sbom: %s%s"
                  % (staging, proc.stdout, proc.stderr))
            left = sorted(os.listdir(proj))
            check(left == ["Makefile", "app.c", "libwidget.so.1", "w.c",
                           "widget", "widget-3.1.cdx.json",
                           "widget-3.1.tar.gz"],
                  "%s: the project holds %r" % (staging, left))
            check(not os.path.exists(os.path.join(proj, staging)) and
                  not os.path.exists(outside), "%s: left" % staging)
            doc = sbom_of(os.path.join(proj, "widget-3.1.cdx.json"))
            lib = h.by_name(doc, "libwidget.so.1")
            check(h.locations(lib) == [where + "/lib/libwidget.so.1"],
                  "%s: libwidget at %r" % (staging, h.locations(lib)))
        # A name with a space: make's words would install into one
        # directory and remove another; refused before anything is done.
        proj, env = c_project(t)
        keep = os.path.join(proj, "stage")
        os.makedirs(keep)
        proc = subprocess.run(["make", "dist-sbom",
                               "BINDEP_SBOM_STAGING=stage area"],
                              cwd=proj, env=env, capture_output=True, text=True)
        check(proc.returncode != 0 and "holds a space" in proc.stderr and
              os.path.isdir(keep), "a space: %d %s" % (proc.returncode,
                                                       proc.stderr[-300:]))
        # A ':' cannot be in the library path the staging tree is
        # searched by: refused the same way.
        proc = subprocess.run(["make", "dist-sbom",
                               "BINDEP_SBOM_STAGING=stage:area"],
                              cwd=proj, env=env, capture_output=True, text=True)
        check(proc.returncode != 0 and "holds a ':'" in proc.stderr and
              not os.path.exists(os.path.join(proj, "stage:area")),
              "a ':': %d %s" % (proc.returncode, proc.stderr[-300:]))

    # ---- the script itself ------------------------------------------------------

    @case
    def ci_script_is_posix_sh(t):
        """shellcheck -s sh finds nothing; it runs under dash (Debian's
        sh) and bash --posix alike; without a command it says how to use
        it; a FORMAT it does not know is an error."""
        proc = subprocess.run(["shellcheck", "-s", "sh", SCRIPT],
                              capture_output=True, text=True)
        check(proc.returncode == 0, "shellcheck:\n" + proc.stdout)
        check(os.stat(SCRIPT).st_mode & stat.S_IXUSR, "not executable")
        ws = release(t, "sh-ws")
        for shell in (["dash"], ["bash", "--posix"]):
            env = {"PATH": tool_dir(t) + ":/usr/bin:/bin",
                   "BINDEP_SBOM_SOURCE_NAME": "widget",
                   "BINDEP_SBOM_SOURCE_VERSION": "9",
                   "SOURCE_DATE_EPOCH": h.SDE_DEFAULT}
            proc = subprocess.run(shell + [SCRIPT, "scan"], cwd=ws, env=env,
                                  capture_output=True, text=True)
            check(proc.returncode == 0, "%s: %s" % (shell, proc.stderr))
            check_describes_release(sbom_of(os.path.join(ws, "widget-9.cdx.json")),
                                    "widget", "9")
            os.unlink(os.path.join(ws, "widget-9.cdx.json"))
            proc = subprocess.run(shell + [SCRIPT], cwd=ws, env=env,
                                  capture_output=True, text=True)
            check(proc.returncode == 2 and "usage:" in proc.stderr,
                  "no command: %d %r" % (proc.returncode, proc.stderr))
            proc = subprocess.run(shell + [SCRIPT, "scan"], cwd=ws, env=dict(
                env, BINDEP_SBOM_FORMAT="xml"), capture_output=True, text=True)
            check(proc.returncode == 1 and "FORMAT wants" in proc.stderr,
                  "FORMAT=xml: %d %r" % (proc.returncode, proc.stderr))

    def script_env(t, ws, temp, **settings):
        """A runner's variables for the script run alone (not through
        the action): GITHUB_OUTPUT and the step summary in temp, the
        program on PATH, settings as INPUT_<NAME>."""
        env = runner_env(t, ws, temp, path=tool_dir(t) + ":/usr/bin:/bin",
                         extra={k: v for k, v in settings.items()})
        env["GITHUB_OUTPUT"] = os.path.join(temp, "_output")
        env["GITHUB_STEP_SUMMARY"] = os.path.join(temp, "_summary")
        for k in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
            open(env[k], "w").close()
        return env

    @case
    def ci_script_github_output_is_not_forged(t):
        """A value the script writes to $GITHUB_OUTPUT is written as it
        is: under dash, echo took the version's '\\n' for a newline and
        '\\c' for the end, so '1.0\\nsbom=forged\\c' made the step's sbom
        output 'forged'. A value holding a real newline or carriage
        return is refused (exit 2), and nothing is written."""
        ws = release(t, "sh-ws-output")
        temp = h.fresh_dir(t, "runner-temp-output")
        env = script_env(t, ws, temp,
                         INPUT_SOURCE_VERSION="1.0\\nsbom=forged\\c")
        proc = subprocess.run(["dash", SCRIPT, "scan"], cwd=ws, env=env,
                              capture_output=True, text=True)
        check(proc.returncode == 0, "exit %d: %s"
              % (proc.returncode, proc.stderr))
        want = os.path.join(temp, "bindep-sbom",
                            "widget-1.0\\nsbom=forged\\c.cdx.json")
        check(os.path.isfile(want), "not written: %r" % os.listdir(
            os.path.join(temp, "bindep-sbom")))
        with open(env["GITHUB_OUTPUT"]) as f:
            text = f.read()
        check(text == "sbom=%s\n" % want, "GITHUB_OUTPUT holds %r" % text)
        for bad in ("1.0\nsbom=forged", "1.0\rsbom=forged"):
            env = script_env(t, ws, temp, INPUT_SOURCE_VERSION=bad)
            proc = subprocess.run(["dash", SCRIPT, "scan"], cwd=ws, env=env,
                                  capture_output=True, text=True)
            check(proc.returncode == 2 and "newline" in proc.stderr,
                  "version %r: exit %d: %r" % (bad, proc.returncode,
                                               proc.stderr))
            with open(env["GITHUB_OUTPUT"]) as f:
                text = f.read()
            check(text == "", "version %r: GITHUB_OUTPUT holds %r"
                  % (bad, text))

    def serve(directory):
        """An HTTP server of directory on 127.0.0.1 in a thread: (its
        URL, a function that stops it)."""
        import functools
        import http.server
        import threading

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                              functools.partial(
                                                  Quiet, directory=directory))
        threading.Thread(target=srv.serve_forever, daemon=True).start()

        def stop():
            srv.shutdown()
            srv.server_close()
        return "http://127.0.0.1:%d" % srv.server_address[1], stop

    @case
    def ci_script_install_deb_private_and_checked(t):
        """INSTALL=URL of a .deb: downloaded into a private directory
        (mktemp -d), not to ${TMPDIR:-/tmp}/<the URL's base name>, where
        another user could plant a symlink that curl writes through, or
        a .deb that apt-get installs as root. Only https (plain http from
        127.0.0.1 only when BINDEP_SBOM_TEST_LOCAL_HTTP=1, as here); with
        INSTALL_SHA256, the .deb's SHA-256 must be that one, else
        apt-get is not run."""
        import hashlib
        srv = h.fresh_dir(t, "deb-server")
        with open(os.path.join(srv, "bindep-sbom_0.1.0_amd64.deb"), "wb") as f:
            f.write(b"!<arch>\nnot really a package\n")
        with open(os.path.join(srv, "bindep-sbom_0.1.0_amd64.deb"), "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        url, stop = serve(srv)
        tmp = h.fresh_dir(t, "gl-tmp")
        victim = os.path.join(t.work, "victim")
        with open(victim, "w") as f:
            f.write("precious\n")
        os.symlink(victim, os.path.join(tmp, "bindep-sbom_0.1.0_amd64.deb"))
        ws = h.fresh_dir(t, "gl-ws-install")

        def install(how, **extra):
            path, log = stubs(t, "apt-get", "sudo")
            env = {"PATH": path, "HOME": os.environ.get("HOME", "/root"),
                   "GITLAB_CI": "true", "CI_PROJECT_DIR": ws, "TMPDIR": tmp,
                   "BINDEP_SBOM_INSTALL": how}
            env.update(extra)
            proc = subprocess.run(["sh", SCRIPT, "install"], cwd=ws, env=env,
                                  capture_output=True, text=True)
            calls = []
            if os.path.exists(log):
                with open(log) as f:
                    calls = f.read().splitlines()
            return proc, calls

        deb = url + "/bindep-sbom_0.1.0_amd64.deb"
        try:
            proc, calls = install(deb, BINDEP_SBOM_TEST_LOCAL_HTTP="1")
            check(proc.returncode == 0, "exit %d: %s"
                  % (proc.returncode, proc.stderr))
            with open(victim) as f:
                check(f.read() == "precious\n", "curl wrote through the "
                      "symlink planted in $TMPDIR")
            check(len(calls) == 1 and re.fullmatch(
                r"apt-get install -y --no-install-recommends "
                r"%s/bindep-sbom-deb\.\w{6}/bindep-sbom\.deb" % re.escape(tmp),
                calls[0]), "apt-get: %r" % calls)
            check(sorted(os.listdir(tmp)) == ["bindep-sbom_0.1.0_amd64.deb"],
                  "left in $TMPDIR: %r" % os.listdir(tmp))
            proc, calls = install(deb, BINDEP_SBOM_TEST_LOCAL_HTTP="1",
                                  BINDEP_SBOM_INSTALL_SHA256=sha.upper())
            check(proc.returncode == 0 and len(calls) == 1,
                  "the right SHA-256: exit %d: %r %s"
                  % (proc.returncode, calls, proc.stderr))
            proc, calls = install(deb, BINDEP_SBOM_TEST_LOCAL_HTTP="1",
                                  BINDEP_SBOM_INSTALL_SHA256="0" * 64)
            check(proc.returncode == 1 and "SHA-256" in proc.stderr and
                  not calls, "a wrong SHA-256: exit %d: %r %s"
                  % (proc.returncode, calls, proc.stderr))
            proc, calls = install(deb, BINDEP_SBOM_INSTALL_SHA256="abc")
            check(proc.returncode == 2 and "INSTALL_SHA256" in proc.stderr
                  and not calls, "a SHA-256 of 3 digits: exit %d: %s"
                  % (proc.returncode, proc.stderr))
            for how in (deb, "http://example.org/bindep-sbom.deb",
                        "ftp://example.org/bindep-sbom.deb"):
                proc, calls = install(how)
                check(proc.returncode == 2 and "https" in proc.stderr and
                      not calls, "%s: exit %d: %r %s"
                      % (how, proc.returncode, calls, proc.stderr))
            # A .deb on disk is checked too.
            local = os.path.join(srv, "bindep-sbom_0.1.0_amd64.deb")
            proc, calls = install(local, BINDEP_SBOM_INSTALL_SHA256="1" * 64)
            check(proc.returncode == 1 and not calls, "a local .deb: %d %r"
                  % (proc.returncode, calls))
            proc, calls = install(local, BINDEP_SBOM_INSTALL_SHA256=sha)
            check(proc.returncode == 0 and calls == [
                "apt-get install -y --no-install-recommends " + local],
                "a local .deb: %d %r" % (proc.returncode, calls))
        finally:
            stop()

    def gitlab_env(t, ws, **settings):
        """The variables of a GitLab job of the template, for a tag
        v2.0.1 of widget, the program on PATH, settings given as
        BINDEP_SBOM_<NAME>."""
        env = {"PATH": tool_dir(t) + ":/usr/bin:/bin",
               "HOME": os.environ.get("HOME", "/root"),
               "CI": "true", "GITLAB_CI": "true", "CI_PROJECT_DIR": ws,
               "CI_PROJECT_NAME": "widget", "CI_COMMIT_TAG": "v2.0.1",
               "SOURCE_DATE_EPOCH": h.SDE_DEFAULT,
               "BINDEP_SBOM_OUTPUT": "gl-sbom-bindep-sbom.cdx.json"}
        env.update({"BINDEP_SBOM_" + k: v for k, v in settings.items()})
        return env

    def scan(env, ws):
        return subprocess.run(["sh", "-e", "-c", SCRIPT + " scan"], cwd=ws,
                              env=env, capture_output=True, text=True)

    @case
    def ci_script_every_path_must_exist(t):
        """Each of several PATHS must exist: bindep-sbom only warns of a
        missing one when another is there, and the job passed with an
        SBOM that left out what the missing one should have held. Now
        the script names it and exits 2 before scanning. A scheme
        (dir:, oci-dir:, ...) is not part of the path."""
        ws = release(t, "gl-ws-paths")
        out = os.path.join(ws, "gl-sbom-bindep-sbom.cdx.json")
        proc = scan(gitlab_env(t, ws, PATHS="dist/ wheelhouse/"), ws)
        check(proc.returncode == 2 and "'wheelhouse/'" in proc.stderr and
              "dist/'" not in proc.stderr, "a missing path: exit %d: %r"
              % (proc.returncode, proc.stderr))
        check(not os.path.exists(out), "an SBOM was written")
        proc = scan(gitlab_env(t, ws, PATHS="dist/\nfile:dist/widget"), ws)
        check(proc.returncode == 0, "dist/ and file:dist/widget: exit %d: %s"
              % (proc.returncode, proc.stderr))
        check_describes_release(sbom_of(out), "widget", "2.0.1")

    @case
    def ci_script_empty_sbom_is_loud(t):
        """An SBOM that lists no component (a dist/ with nothing built in
        it) is a warning, and with STRICT a failure (exit 3, the SBOM
        written and published, as when --strict finds a library
        missing), in CycloneDX and SPDX alike."""
        ws = h.fresh_dir(t, "gl-ws-empty")
        os.makedirs(os.path.join(ws, "dist"))
        with open(os.path.join(ws, "dist", "README"), "w") as f:
            f.write("no binaries\n")
        for fmt, out in (("cyclonedx", "gl-sbom-bindep-sbom.cdx.json"),
                         ("spdx", "widget.spdx.json")):
            env = gitlab_env(t, ws, OUTPUT=out)
            if fmt == "spdx":
                env.pop("GITLAB_CI")
                env["BINDEP_SBOM_FORMAT"] = "spdx"
            proc = scan(env, ws)
            check(proc.returncode == 0 and "no component" in proc.stderr,
                  "%s: exit %d: %r" % (fmt, proc.returncode, proc.stderr))
            env["BINDEP_SBOM_STRICT"] = "true"
            proc = scan(env, ws)
            check(proc.returncode == 3 and "no component" in proc.stderr and
                  os.path.getsize(os.path.join(ws, out)),
                  "%s, STRICT: exit %d: %r" % (fmt, proc.returncode,
                                               proc.stderr))
        # With something in it, no such warning.
        ws = release(t, "gl-ws-not-empty")
        proc = scan(gitlab_env(t, ws), ws)
        check(proc.returncode == 0 and "no component" not in proc.stderr,
              "exit %d: %r" % (proc.returncode, proc.stderr))

    @case
    def ci_script_args_with_quotes_refused(t):
        """ARGS is split at spaces, and quotes are not read: ARGS='--supplier
        "Acme Corp"' gave --supplier '"Acme', and 'Corp"' as a PATH that
        bindep-sbom only warned of. A quote in ARGS is refused, exit 2,
        pointing at the setting to use."""
        ws = release(t, "gl-ws-args")
        for args in ('--supplier "Acme Corp"', "--author 'A B <a@b>'"):
            proc = scan(gitlab_env(t, ws, ARGS=args), ws)
            check(proc.returncode == 2 and "ARGS" in proc.stderr and
                  "quote" in proc.stderr, "ARGS=%s: exit %d: %r"
                  % (args, proc.returncode, proc.stderr))
        serial = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
        proc = scan(gitlab_env(t, ws, ARGS="--serial %s  -q" % serial), ws)
        check(proc.returncode == 0, "exit %d: %s" % (proc.returncode,
                                                    proc.stderr))
        doc = sbom_of(os.path.join(ws, "gl-sbom-bindep-sbom.cdx.json"))
        check(doc["serialNumber"] == serial, doc["serialNumber"])

    @case
    def ci_script_failed_scan_leaves_no_stale_sbom(t):
        """GitLab publishes the report file even when the job failed
        (artifacts: when: always): one already at OUTPUT (an earlier
        job's artifact, a cache) was published as this pipeline's when
        the scan failed and wrote nothing. The script removes it first,
        whatever then fails: a missing path, bindep-sbom itself, no
        program."""
        ws = release(t, "gl-ws-stale")
        out = os.path.join(ws, "gl-sbom-bindep-sbom.cdx.json")
        for what, env in (
                ("a missing path", gitlab_env(t, ws, PATHS="no-such-dist/")),
                ("bindep-sbom failed", gitlab_env(t, ws, ARGS="--no-such")),
                ("no program", dict(gitlab_env(t, ws), PATH="/usr/bin:/bin"))):
            with open(out, "w") as f:
                f.write('{"bomFormat": "CycloneDX", "specVersion": "1.6"}\n')
            proc = scan(env, ws)
            check(proc.returncode not in (0, 3), "%s: exit %d: %s"
                  % (what, proc.returncode, proc.stderr))
            check(not os.path.exists(out), "%s: the stale SBOM is left"
                  % what)

    @case
    def ci_gitlab_publishes_cyclonedx_only(t):
        """The GitLab template publishes the file as a CycloneDX report
        (artifacts:reports:cyclonedx): FORMAT=spdx, or a --format in
        ARGS, wrote SPDX (or text) under the .cdx.json name, which GitLab
        then failed to parse. On GitLab (GITLAB_CI set) the script now
        refuses any format but cyclonedx, exit 2, and writes nothing; and
        a --spec-version GitLab cannot read (1.7)."""
        ws = release(t, "gl-ws-format")
        out = os.path.join(ws, "gl-sbom-bindep-sbom.cdx.json")
        for settings in ({"FORMAT": "spdx"}, {"ARGS": "--format spdx"},
                         {"ARGS": "-q --format=spdx3"}, {"ARGS": "-f text"},
                         {"ARGS": "--form=spdx"}, {"ARGS": "-qfspdx"},
                         # GitLab reads CycloneDX up to 1.6.
                         {"ARGS": "--spec-version 1.7"},
                         {"ARGS": "--spec-version=1.7"},
                         {"ARGS": "-q --spec 1.7"}):
            proc = scan(gitlab_env(t, ws, **settings), ws)
            check(proc.returncode == 2 and "CycloneDX" in proc.stderr,
                  "%r: exit %d: %r" % (settings, proc.returncode,
                                       proc.stderr))
            check(not os.path.exists(out), "%r: %s written"
                  % (settings, out))
        proc = scan(gitlab_env(t, ws, FORMAT="cyclonedx"), ws)
        check(proc.returncode == 0, "cyclonedx: %s" % proc.stderr)
        check_describes_release(sbom_of(out), "widget", "2.0.1")
        proc = scan(gitlab_env(t, ws, ARGS="--spec-version 1.6"), ws)
        check(proc.returncode == 0 and sbom_of(out)["specVersion"] == "1.6",
              "--spec-version 1.6: %s" % proc.stderr)

    @case
    def ci_script_strict_values(t):
        """STRICT was compared with the word "true": 1, yes, TRUE or on
        (usual in GitLab variables) turned --strict off without a word.
        It now takes true/false, 1/0, yes/no, on/off in any case, and
        anything else is an error (exit 2), as a FORMAT it does not know
        is; INSTALL_DEPS the same."""
        ws = release(t, "gl-ws-strict")
        os.unlink(os.path.join(ws, "dist", "lib", "libwidget.so.1"))
        out = os.path.join(ws, "gl-sbom-bindep-sbom.cdx.json")
        for v, want in (("true", 3), ("1", 3), ("yes", 3), ("TRUE", 3),
                        ("On", 3), ("false", 0), ("0", 0), ("No", 0),
                        ("OFF", 0), ("", 0), ("maybe", 2), ("tru", 2),
                        ("true ", 2)):
            proc = scan(gitlab_env(t, ws, STRICT=v), ws)
            check(proc.returncode == want, "STRICT=%r: exit %d (not %d): %r"
                  % (v, proc.returncode, want, proc.stderr))
            if want == 2:
                check("STRICT" in proc.stderr and not os.path.exists(out),
                      "STRICT=%r: %r" % (v, proc.stderr))
        for v, deps in (("NO", False), ("off", False), ("Yes", True),
                        ("maybe", None)):
            path, log = stubs(t, "apt-get", "make", "sudo")
            proc = subprocess.run(
                ["sh", SCRIPT, "install"], cwd=ws, capture_output=True,
                text=True, env={"PATH": path, "HOME": os.environ.get(
                    "HOME", "/root"), "TMPDIR": h.fresh_dir(t, "deps-tmp"),
                    "BINDEP_SBOM_INSTALL_DEPS": v})
            calls = open(log).read() if os.path.exists(log) else ""
            if deps is None:
                check(proc.returncode == 2 and "INSTALL_DEPS" in proc.stderr
                      and not calls, "INSTALL_DEPS=%r: exit %d: %r %r"
                      % (v, proc.returncode, calls, proc.stderr))
            else:
                check(proc.returncode == 0 and ("apt-get" in calls) == deps,
                      "INSTALL_DEPS=%r: exit %d: %r %r"
                      % (v, proc.returncode, calls, proc.stderr))
