"""End-to-end cases of container images, read as the container's root
filesystem is merged (image-spec layer.md); registered by run.py.

Each case writes small OCI layouts at test time (input_image_fixtures'
tar() and layout()) and compares the SBOM's files, by location and
content digest, with the tree the layers make in the container.
"""
import hashlib
import os
import shutil

import elfgen
import input_image_fixtures as F

SDE = "1700000000"
LIB = "usr/lib/x86_64-linux-gnu"


def digest(data):
    return hashlib.sha256(data).hexdigest()


def lib(tag, soname="libfoo.so.1"):
    """A library told apart by the bytes after its end."""
    return elfgen.build(soname=soname)[0] + b"\0" + tag.encode()


def base_layer():
    """/usr/bin/app needing libfoo.so.1, found in LIB (a default
    directory of the loader)."""
    app, _ = elfgen.build(etype=elfgen.ET_EXEC, needed=["libfoo.so.1"])
    return [("usr/", "d", None), ("usr/bin/", "d", None),
            ("usr/bin/app", "f", app), ("usr/lib/", "d", None),
            (LIB + "/", "d", None), (LIB + "/libfoo.so.1", "f", lib("base"))]


def layout(root, layers):
    """An OCI layout of the layers (lists of F.tar entries), gzip'd."""
    files = {}
    F.layout(files, [(F.tar(entries), True) for entries in layers], "1.0")
    shutil.rmtree(root, ignore_errors=True)
    F.write_dir(root, files)


def files_of(sbom):
    """{location: content digest} of the components with a file."""
    return {o["location"]: c["hashes"][0]["content"]
            for c in sbom.get("components", []) if c.get("hashes")
            for o in c.get("evidence", {}).get("occurrences", [])}


def expected_files(paths, data):
    """{location: digest} of an image of base_layer() whose paths (no
    leading '/') hold data."""
    return dict({"/" + k: digest(data) for k in paths},
                **{"/usr/bin/app": digest(base_layer()[2][2]),
                   "/" + LIB + "/libfoo.so.1": digest(lib("base"))})


def register(case, h):
    check = h.check

    def ok(t, root):
        tmp = h.fresh_dir(t, "images2-tmp")
        r = t.run(root, env={"TMPDIR": tmp, "SOURCE_DATE_EPOCH": SDE})
        check(r.code == 0 and r.sbom is not None,
              "%s: exit %d: %s" % (root, r.code, r.err))
        check(not os.listdir(tmp), "left in TMPDIR: %r" % os.listdir(tmp))
        return r

    @case
    def image_hard_link_to_a_lower_layer(t):
        """A hard link in an upper layer to a file of a lower one: the
        container's tree is the lower tree with the upper changeset
        applied on it (layer.md, "Applying Changesets"; containerd links
        to the file the lower layers left there), so the link is the
        lower file's content, even when the same layer then whites out
        the target (which would otherwise hide the library from the
        SBOM); a middle layer's copy, not the bottom's, when a middle
        layer replaced it; nothing, with a warning, when a middle layer
        removed it."""
        d = h.fresh_dir(t, "images2-lower-link")
        base = digest(lib("base"))
        hidden, mid = digest(lib("hidden")), digest(lib("middle"))
        opt = [("opt/", "d", None)]
        link = [("usr/", "d", None), ("usr/lib/", "d", None),
                (LIB + "/", "d", None),
                (LIB + "/libbar.so.1", "h", "opt/x.so.1")]
        app = digest(base_layer()[2][2])
        for tag, layers, want, warn in (
                ("plain", [base_layer(), [
                    ("usr/", "d", None), ("usr/lib/", "d", None),
                    (LIB + "/", "d", None),
                    (LIB + "/libbar.so.1", "h", LIB + "/libfoo.so.1")]],
                 {LIB + "/libbar.so.1": base}, None),
                ("whited-out", [
                    base_layer() + opt + [("opt/x.so.1", "f", lib("hidden"))],
                    link + opt + [("opt/.wh.x.so.1", "f", b"")]],
                 {LIB + "/libbar.so.1": hidden}, None),
                ("replaced", [
                    base_layer() + opt + [("opt/x.so.1", "f", lib("hidden"))],
                    opt + [("opt/x.so.1", "f", lib("middle"))],
                    link, opt + [("opt/.wh.x.so.1", "f", b"")]],
                 {LIB + "/libbar.so.1": mid}, None),
                ("removed", [
                    base_layer() + opt + [("opt/x.so.1", "f", lib("hidden"))],
                    opt + [("opt/.wh.x.so.1", "f", b"")], link],
                 {}, "!/" + LIB + "/libbar.so.1': hard link to "
                 "'opt/x.so.1', which no layer below it holds, skipped")):
            root = os.path.join(d, tag)
            layout(root, layers)
            r = ok(t, root)
            want = dict(want, **{"/usr/bin/app": app,
                                 "/" + LIB + "/libfoo.so.1": base})
            want = {("/" + k).replace("//", "/"): v for k, v in want.items()}
            got = files_of(r.sbom)
            check(got == want, "%s: %r, not %r" % (tag, got, want))
            w = r.warnings()
            if warn:
                check(len(w) == 1 and w[0].endswith(warn), "%s: %r"
                      % (tag, w))
            else:
                check(not w, "%s: %r" % (tag, w))

    @case
    def image_hard_links_to_lower_layers_capped(t):
        """README's limit: 256 hard links to files of lower layers are
        made; the 257th is skipped with one warning naming its layer and
        entry, and the rest of the image is read."""
        d = h.fresh_dir(t, "images2-lower-link-cap")
        root = os.path.join(d, "img")
        links = [("opt/l%03d" % i, "h", LIB + "/libfoo.so.1")
                 for i in range(258)]
        layout(root, [base_layer(),
                      [("opt/", "d", None)] + links +
                      [("opt/after.so.1", "f", lib("after"))]])
        r = ok(t, root)
        w = r.warnings()
        check(len(w) == 1 and w[0].startswith(
            "bindep-sbom: warning: '%s/blobs/sha256/" % root) and
            w[0].endswith("!/opt/l256': more than 256 hard links to files "
                          "of lower layers, the rest skipped"),
            "one warning: %r" % w[:3])
        got = files_of(r.sbom)
        base = digest(lib("base"))
        made = {k for k in got if k.startswith("/opt/l")}
        check(made == {"/opt/l%03d" % i for i in range(256)} and
              all(got[k] == base for k in made),
              "the first 256 made, each the lower file: %d, %r"
              % (len(made), sorted(made)[-3:]))
        check(got.get("/opt/after.so.1") == digest(lib("after")),
              "the layer read on: %r" % got.get("/opt/after.so.1"))

    @case
    def image_hard_link_to_a_link_to_a_lower_layer(t):
        """A hard link to a hard link of its own layer, itself to a file
        of a lower layer: applied in order (layer.md, "Applying
        Changesets"), the first link is the lower file, and so is the
        second, whose target it is; also when an upper layer hides the
        first link's path (whited out), as the second was made before.
        The second was skipped without a word: a library the container
        has was missing from the SBOM."""
        d = h.fresh_dir(t, "images2-link-chain")
        x = lib("lower")
        opt = [("opt/", "d", None)]
        middle = opt + [("opt/y.so.1", "h", "opt/x.so.1"),
                        ("usr/", "d", None), ("usr/lib/", "d", None),
                        (LIB + "/", "d", None),
                        (LIB + "/libbar.so.1", "h", "opt/y.so.1")]
        for tag, layers, want in (
                ("plain", [base_layer() + opt + [("opt/x.so.1", "f", x)],
                           middle],
                 {"opt/x.so.1", "opt/y.so.1", LIB + "/libbar.so.1"}),
                ("hidden", [base_layer() + opt + [("opt/x.so.1", "f", x)],
                            middle, opt + [("opt/.wh.y.so.1", "f", b"")]],
                 {"opt/x.so.1", LIB + "/libbar.so.1"})):
            root = os.path.join(d, tag)
            layout(root, layers)
            r = ok(t, root)
            got = files_of(r.sbom)
            want = expected_files(want, x)
            check(got == want, "%s: %r, not %r" % (tag, got, want))
            check(not r.warnings(), "%s: %r" % (tag, r.warnings()))

    @case
    def image_hard_link_to_a_hidden_link_of_its_layer(t):
        """A hard link to a hard link of its own layer, itself to a file of
        that layer, when an upper layer whites out the middle link (and
        the file too): applied in order, the last link was made to the
        file before any whiteout, so it is that file's content. It was
        skipped without a word, its target not being in the tree."""
        d = h.fresh_dir(t, "images2-hidden-link")
        f = lib("file")
        layer = [("opt/", "d", None), ("opt/f.so.1", "f", f),
                 ("opt/x.so.1", "h", "opt/f.so.1"), ("usr/", "d", None),
                 ("usr/lib/", "d", None), (LIB + "/", "d", None),
                 (LIB + "/libbar.so.1", "h", "opt/x.so.1")]
        opt = [("opt/", "d", None)]
        for tag, top, want in (
                ("link", opt + [("opt/.wh.x.so.1", "f", b"")],
                 {"opt/f.so.1", LIB + "/libbar.so.1"}),
                ("both", opt + [("opt/.wh.x.so.1", "f", b""),
                                ("opt/.wh.f.so.1", "f", b"")],
                 {LIB + "/libbar.so.1"})):
            root = os.path.join(d, tag)
            layout(root, [base_layer() + layer, top])
            r = ok(t, root)
            got = files_of(r.sbom)
            want = expected_files(want, f)
            check(got == want, "%s: %r, not %r" % (tag, got, want))
            check(not r.warnings(), "%s: %r" % (tag, r.warnings()))

    @case
    def image_docker_archive_compressed_layer_tar(t):
        """A docker-archive whose layer.tar is gzip'd: docker load
        decompresses it (moby's tarexport loadLayer) and checks what it
        decompresses to against the config's diffID, the layer's only
        digest. It was refused, its compressed bytes hashed against the
        diffID ("digest mismatch"). A gzip'd tar that is not the diffID's
        is still refused."""
        import gzip
        import json
        d = h.fresh_dir(t, "images2-docker-gz")
        good = F.tar(base_layer())
        other = F.tar(base_layer()[:2])
        for tag, data, code in (("good", good, 0), ("bad", other, 1)):
            lid = digest(b"id" + data)
            files = {lid + "/layer.tar": gzip.compress(data, mtime=0)}
            cfg = F.config([good])
            files[F.sha(cfg)[7:] + ".json"] = cfg
            files["manifest.json"] = json.dumps([{
                "Config": F.sha(cfg)[7:] + ".json", "RepoTags": ["x:1"],
                "Layers": [lid + "/layer.tar"]}]).encode()
            path = os.path.join(d, tag + ".tar")
            F.write(path, F.tar_of(files, sorted(files)))
            tmp = h.fresh_dir(t, "images2-docker-gz-tmp")
            r = t.run(path, env={"TMPDIR": tmp, "SOURCE_DATE_EPOCH": SDE})
            check(r.code == code, "%s: exit %d: %s" % (tag, r.code, r.err))
            if code:
                check(b"is not its diffID in the config" in r.err,
                      "%s: %r" % (tag, r.err))
                continue
            got = files_of(r.sbom)
            want = {"/usr/bin/app": digest(base_layer()[2][2]),
                    "/" + LIB + "/libfoo.so.1": digest(lib("base"))}
            check(got == want, "%s: %r, not %r" % (tag, got, want))

    @case
    def image_whiteout_below_a_lower_symlink(t):
        """A whiteout whose directory a lower layer made a symlink (lib ->
        usr/lib, relative, absolute or climbing past the root; then
        lib/app/.wh.libbar.so.1, or the opaque marker there): the name is
        a path of the layer's own tree, which overlayfs (docker's and
        containerd's default) makes a directory of that layer, hiding the
        symlink. The link is not followed: /usr/lib/app/libbar.so.1 stays,
        and /opt/bin/app2, whose runpath is /lib/app, no longer finds it
        there. The symlink was kept and the whiteout named nothing, so
        the library was found through a path the container does not
        have."""
        d = h.fresh_dir(t, "images2-whiteout-below-link")
        bar = lib("bar", soname="libbar.so.1")
        app2, _ = elfgen.build(etype=elfgen.ET_EXEC, needed=["libbar.so.1"],
                               runpath="/lib/app")
        lower = base_layer() + [
            ("usr/lib/app/", "d", None), ("usr/lib/app/libbar.so.1", "f", bar),
            ("opt/", "d", None), ("opt/bin/", "d", None),
            ("opt/bin/app2", "f", app2)]
        want = expected_files(["usr/lib/app/libbar.so.1"], bar)
        want["/opt/bin/app2"] = digest(app2)
        for target in ("usr/lib", "/usr/lib", "../../../../usr/lib"):
            for marker in (".wh.libbar.so.1", ".wh..wh..opq"):
                tag = "%s %s" % (target, marker)
                root = os.path.join(d, "%d%s" % (len(target), marker))
                layout(root, [lower + [("lib", "l", target)],
                              [("lib/app/" + marker, "f", b"")]])
                r = ok(t, root)
                got = files_of(r.sbom)
                check(got == want, "%s: %r, not %r" % (tag, got, want))
                check(h.need_found(r.sbom, "app2", "libbar.so.1") ==
                      (None, None), "%s: %r" % (tag, h.need_found(
                          r.sbom, "app2", "libbar.so.1")))
                check(not r.warnings(), "%s: %r" % (tag, r.warnings()))
        # The symlink alone, no whiteout: found through it.
        root = os.path.join(d, "plain")
        layout(root, [lower + [("lib", "l", "usr/lib")]])
        r = ok(t, root)
        loc, _ = h.need_found(r.sbom, "app2", "libbar.so.1")
        check(loc == ["/lib/app/libbar.so.1", "/usr/lib/app/libbar.so.1"],
              "plain: %r" % loc)

    def quick(t, root):
        """ok() without the schemas' check, for the cases of many small
        images whose SBOMs only give their files: each run is a few tens
        of milliseconds, the check half a second."""
        tmp = h.fresh_dir(t, "images2-tmp")
        r = t.run(root, env={"TMPDIR": tmp, "SOURCE_DATE_EPOCH": SDE},
                  validate_sbom=False)
        check(r.code == 0 and r.sbom is not None,
              "%s: exit %d: %s" % (root, r.code, r.err))
        check(not os.listdir(tmp), "left in TMPDIR: %r" % os.listdir(tmp))
        return r

    def bar_image():
        """base_layer() with /opt/bin/app2, whose runpath /lib/app is to
        find libbar.so.1 wherever a symlink lib leads; and libbar."""
        bar = lib("bar", soname="libbar.so.1")
        app2, _ = elfgen.build(etype=elfgen.ET_EXEC, needed=["libbar.so.1"],
                               runpath="/lib/app")
        lower = base_layer() + [("opt/", "d", None), ("opt/bin/", "d", None),
                                ("opt/bin/app2", "f", app2)]
        return lower, bar, digest(app2)

    @case
    def image_file_below_its_own_layers_symlink(t):
        """A layer holding lib -> usr/lib, then lib/app/libbar.so.1: its
        applier follows the link (containerd resolves an entry's
        directory with fs.RootPath in the layer's own tree, moby with
        os.Root, umoci with securejoin), so the file is at
        /usr/lib/app/libbar.so.1, which the SBOM says, and app2's runpath
        /lib/app finds it through the link, as in the container. It was
        skipped ('a parent is a symlink or a file'), and app2's library
        said missing. The link relative, absolute, climbing past the
        root ('..' stops there), through a second link of the layer; a
        hard link of the layer through it is to the same file."""
        d = h.fresh_dir(t, "images2-below-own-link")
        lower, bar, app2 = bar_image()
        below = [("lib/app/", "d", None), ("lib/app/libbar.so.1", "f", bar)]
        for tag, links in (
                ("relative", [("lib", "l", "usr/lib")]),
                ("absolute", [("lib", "l", "/usr/lib")]),
                ("climbing", [("lib", "l", "../../../usr/lib")]),
                ("chain", [("lib", "l", "l2"), ("l2", "l", "/usr/./lib/")]),
                ("hard link", [("lib", "l", "usr/lib")])):
            root = os.path.join(d, tag.replace(" ", "-"))
            upper = links + below
            want = {"/usr/lib/app/libbar.so.1": digest(bar)}
            if tag == "hard link":
                upper += [("opt/", "d", None),
                          ("opt/h.so.1", "h", "lib/app/libbar.so.1")]
                want["/opt/h.so.1"] = digest(bar)
            layout(root, [lower, upper])
            r = quick(t, root)
            got = files_of(r.sbom)
            want = dict(expected_files([], b""), **want)
            want["/opt/bin/app2"] = app2
            # Found through the link, at paths the container has: the
            # loader's /lib/x86_64-linux-gnu, app2's runpath.
            want["/lib/" + LIB[8:] + "/libfoo.so.1"] = digest(lib("base"))
            want["/lib/app/libbar.so.1"] = digest(bar)
            check(got == want, "%s: %r, not %r" % (tag, got, want))
            check(not r.warnings(), "%s: %r" % (tag, r.warnings()))
            loc, _ = h.need_found(r.sbom, "app2", "libbar.so.1")
            check(loc is not None and "/lib/app/libbar.so.1" in loc and
                  "/usr/lib/app/libbar.so.1" in loc, "%s: %r" % (tag, loc))

    @case
    def image_file_below_a_lower_layers_symlink(t):
        """lib -> usr/lib in a lower layer, lib/app/libbar.so.1 in an
        upper one: overlayfs, docker's and containerd's default, applies
        the upper layer to a tree of its own, where lib is a directory
        its applier makes; that directory hides the lower link. So the
        file is /lib/app/libbar.so.1, /usr/lib/app holds none, and app2
        finds it there only (umoci, unpacking every layer into one tree,
        would follow the lower link). The same through links of two
        layers: lib64 -> usr/lib64 over a lower usr/lib64 -> lib gives
        /usr/lib64/app/libbar.so.1, a directory of the upper layer. And
        the file of a layer's own link, whited out above by its real
        path, is gone; whited out by the path through the link, stays
        (the whiteout's directory is its layer's: /lib, a directory,
        hides the link)."""
        d = h.fresh_dir(t, "images2-below-lower-link")
        lower, bar, app2 = bar_image()
        below = [("lib/app/", "d", None), ("lib/app/libbar.so.1", "f", bar)]
        own = [("lib", "l", "usr/lib")] + below
        for tag, layers, want, found in (
                ("lower link", [lower + [("lib", "l", "usr/lib")], below],
                 {"/lib/app/libbar.so.1": digest(bar)},
                 ["/lib/app/libbar.so.1"]),
                ("two layers' links", [
                    lower + [("usr/lib64", "l", "lib")],
                    [("lib64", "l", "usr/lib64"),
                     ("lib64/app/libbar.so.1", "f", bar)]],
                 {"/usr/lib64/app/libbar.so.1": digest(bar)}, None),
                ("whited out", [lower, own,
                                [("usr/lib/app/.wh.libbar.so.1", "f", b"")]],
                 {"/lib/" + LIB[8:] + "/libfoo.so.1": digest(lib("base"))},
                 None),
                ("whited out through the link", [
                    lower, own, [("lib/app/.wh.libbar.so.1", "f", b"")]],
                 {"/usr/lib/app/libbar.so.1": digest(bar)}, None)):
            root = os.path.join(d, tag.replace(" ", "-").replace("'", ""))
            layout(root, layers)
            r = quick(t, root)
            got = files_of(r.sbom)
            want = dict(expected_files([], b""), **want)
            want["/opt/bin/app2"] = app2
            check(got == want, "%s: %r, not %r" % (tag, got, want))
            check(not r.warnings(), "%s: %r" % (tag, r.warnings()))
            loc, _ = h.need_found(r.sbom, "app2", "libbar.so.1")
            check(loc == found, "%s: %r" % (tag, loc))

    @case
    def image_symlinks_out_of_the_root_and_round(t):
        """A layer's links that leave its root or loop, with a file below
        each: an absolute link to a directory of this machine and a
        relative one climbing past the root lead inside the image's root
        (containerd resolves them so; nothing is written outside, where
        the directory named stays empty), the file shown where the
        container has it; a loop of two links and a link to itself are
        skipped, one warning each (containerd, moby and umoci refuse
        such a layer whole); the rest of the layer is kept."""
        d = h.fresh_dir(t, "images2-links-out")
        outside = os.path.join(d, "outside")
        os.makedirs(outside)
        lower, bar, app2 = bar_image()
        x, y, z = lib("x"), lib("y"), lib("z")
        upper = [("out", "l", outside), ("out/x.so.1", "f", x),
                 ("esc", "l", "../" * 12 + outside.lstrip("/") + "/sub"),
                 ("esc/y.so.1", "f", y),
                 ("a", "l", "b"), ("b", "l", "a"), ("a/z.so.1", "f", z),
                 ("c", "l", "./c"), ("c/z.so.1", "f", z),
                 ("lib", "l", "usr/lib")] + [
                     ("lib/app/", "d", None), ("lib/app/libbar.so.1", "f", bar)]
        layout(os.path.join(d, "img"), [lower, upper])
        r = quick(t, os.path.join(d, "img"))
        inside = "/" + outside.lstrip("/")
        want = dict(expected_files([], b""), **{
            inside + "/x.so.1": digest(x), inside + "/sub/y.so.1": digest(y),
            "/usr/lib/app/libbar.so.1": digest(bar), "/opt/bin/app2": app2,
            "/lib/app/libbar.so.1": digest(bar),
            "/lib/" + LIB[8:] + "/libfoo.so.1": digest(lib("base"))})
        got = files_of(r.sbom)
        check(got == want, "%r, not %r" % (got, want))
        check(os.listdir(outside) == [], "written outside: %r"
              % os.listdir(outside))
        # The walk of the tree says the links that loop, as in any root.
        w = sorted(r.warnings())
        check(w[:3] == ["bindep-sbom: warning: '/%s': symlink loop" % n
                        for n in "abc"], w)
        check(len(w) == 5 and all(
            x.endswith("!/%s/z.so.1': more than 255 symlinks on its path "
                       "(a loop), skipped" % n) for x, n in zip(w[3:], "ac")),
              w)

    def loads_the_upper_libfoo(r, want):
        """The SBOM names want's files ({location: digest}) and says
        nothing, and app finds libfoo.so.1 where the loader looks, the
        upper layer's there."""
        got = files_of(r.sbom)
        check(got == want, "%r, not %r" % (got, want))
        check(not r.warnings(), r.warnings())
        loc, _ = h.need_found(r.sbom, "app", "libfoo.so.1")
        check(loc == ["/" + LIB + "/libfoo.so.1"], loc)

    @case
    def image_links_followed_as_containerd_reads_their_dots(t):
        """containerd places an entry below its layer's links with
        fs.RootPath, whose filepath.Join reads a relative target's '..'
        lexically: a/l -> x/../../usr/lib/x86_64-linux-gnu, a/x ->
        /usr/lib/decoy, is /usr/lib/x86_64-linux-gnu from /a, where the
        kernel would climb from /usr/lib/decoy. So a/l/libfoo.so.1 of the
        upper layer replaces the lower layer's libfoo.so.1, and app loads
        it: the SBOM says so. It said the lower copy, and put the upper
        one at /usr/usr/lib/x86_64-linux-gnu, a path the container does
        not have. A link the kernel resolves in the middle of a path
        RootPath looks up (p -> a/b, in /p/c/e) is resolved there: its
        target joined to the path as RootPath held it (/z, not /a/z)."""
        d = h.fresh_dir(t, "images2-links-dots")
        lower = base_layer()
        evil, z = lib("evil"), lib("z")
        upper = [("a/", "d", None), ("a/x", "l", "/usr/lib/decoy"),
                 ("a/l", "l", "x/../../" + LIB),
                 ("a/l/libfoo.so.1", "f", evil),
                 ("p", "l", "a/b"), ("a/b/", "d", None),
                 ("a/b/c/", "d", None), ("a/b/c/e", "l", "../../z"),
                 ("d/", "d", None), ("d/t", "l", "/p/c"),
                 ("d/t/e/libz.so.1", "f", z)]
        layout(os.path.join(d, "img"), [lower, upper])
        r = quick(t, os.path.join(d, "img"))
        want = {"/usr/bin/app": digest(base_layer()[2][2]),
                "/" + LIB + "/libfoo.so.1": digest(evil),
                "/z/libz.so.1": digest(z)}
        loads_the_upper_libfoo(r, want)

    @case
    def image_whiteout_of_a_link_its_own_layer_made(t):
        """A whiteout of a symlink its own layer made before it
        (opt/lib -> /usr/lib/x86_64-linux-gnu, then opt/.wh.lib) removes
        it, as containerd's naive applier does (os.RemoveAll; its
        overlayfs snapshotter refuses the layer, mknod failing with
        EEXIST), so opt/lib/libfoo.so.1 after it is written at
        /opt/lib, a directory, and the lower libfoo.so.1 is what app
        loads; one warning. The link was kept, and the upper copy shown
        replacing the lower one. A whiteout before the layer's own
        entry leaves it (bin/x.so)."""
        d = h.fresh_dir(t, "images2-whiteout-own-link")
        top, x = lib("top"), lib("x", soname="libx.so.1")
        upper = [("opt/", "d", None), ("opt/lib", "l", "/" + LIB),
                 ("opt/.wh.lib", "f", b""),
                 ("opt/lib/libfoo.so.1", "f", top),
                 ("bin/", "d", None), ("bin/.wh.x.so", "f", b""),
                 ("bin/x.so", "f", x)]
        root = os.path.join(d, "img")
        layout(root, [base_layer(), upper])
        r = quick(t, root)
        want = expected_files([], b"")
        want.update({"/opt/lib/libfoo.so.1": digest(top),
                     "/bin/x.so": digest(x)})
        got = files_of(r.sbom)
        check(got == want, "%r, not %r" % (got, want))
        w = r.warnings()
        check(len(w) == 1 and w[0].startswith(
            "bindep-sbom: warning: '%s/blobs/sha256/" % root) and
            w[0].endswith("!/opt/.wh.lib': whiteout of 'opt/lib', which its "
                          "own layer made before it: removed, as "
                          "containerd's naive applier removes it (its "
                          "overlayfs snapshotter refuses the layer)"), w)
        loc, _ = h.need_found(r.sbom, "app", "libfoo.so.1")
        check(loc == ["/" + LIB + "/libfoo.so.1"], loc)

    @case
    def image_entry_names_climbing_past_the_root(t):
        """A layer's entry name whose '..' climbs past its root is taken
        from the root, as an absolute one is: containerd's applier cleans
        the name (filepath.Clean keeps the leading '..') and resolves its
        directory with fs.RootPath, where '..' stops at the root, so
        ../usr/lib/x86_64-linux-gnu/libfoo.so.1 replaces the lower
        layer's libfoo.so.1, which app then loads; a directory, a hard
        link's target and a whiteout of a lower layer's file the same.
        It was skipped with a warning, and the SBOM said the lower copy
        (moby refuses such a layer whole)."""
        d = h.fresh_dir(t, "images2-names-climbing")
        evil, other = lib("evil"), lib("other", soname="libo.so.1")
        upper = [("../" + LIB + "/libfoo.so.1", "f", evil),
                 ("a/../../../opt/", "d", None),
                 ("../../opt/libo.so.1", "f", other),
                 ("opt/h.so.1", "h", "../../opt/libo.so.1"),
                 ("../../opt/.wh.gone.so.1", "f", b"")]
        lower = base_layer() + [("opt/", "d", None),
                                ("opt/gone.so.1", "f", other)]
        layout(os.path.join(d, "img"), [lower, upper])
        r = quick(t, os.path.join(d, "img"))
        want = {"/usr/bin/app": digest(base_layer()[2][2]),
                "/" + LIB + "/libfoo.so.1": digest(evil),
                "/opt/libo.so.1": digest(other),
                "/opt/h.so.1": digest(other)}
        loads_the_upper_libfoo(r, want)

    @case
    def image_whiteout_of_any_type(t):
        """A whiteout is its name, whatever its entry (layer.md: a
        filesystem cannot have a ".wh." name; umoci and containerd look
        at the name only): a directory, a file with content (an ELF file
        even), a symlink, a hard link, a FIFO, a device node named
        .wh.libfoo.so.1 each white out the lower libfoo.so.1, and none
        is in the tree. Nothing is warned: a FIFO or device whiteout was
        said to be 'a FIFO, skipped' though it was applied, and so was a
        device node an upper layer replaced, which the container does
        not have either."""
        d = h.fresh_dir(t, "images2-whiteout-types")
        dirs = [("usr/", "d", None), ("usr/lib/", "d", None),
                (LIB + "/", "d", None)]
        wh = LIB + "/.wh.libfoo.so.1"
        app = {"/usr/bin/app": digest(base_layer()[2][2])}
        for tag, entries in (
                ("dir", [(wh + "/", "d", None)]),
                ("elf", [(wh, "f", lib("planted"))]),
                ("symlink", [(wh, "l", "libfoo.so.1")]),
                ("hard", [(LIB + "/x", "f", b"x"), (wh, "h", LIB + "/x")]),
                ("fifo", [(wh, "p", None)]),
                ("device", [(wh, "c", None)])):
            root = os.path.join(d, tag)
            layout(root, [base_layer(), dirs + entries])
            r = ok(t, root)
            got = files_of(r.sbom)
            check(got == app, "%s: %r" % (tag, got))
            check(not r.warnings(), "%s: %r" % (tag, r.warnings()))
        # A lower device node, FIFO replaced by an upper layer's file.
        root = os.path.join(d, "replaced")
        layout(root, [base_layer() + [("opt/", "d", None),
                                      ("opt/x.so.1", "c", None),
                                      ("opt/y.so.1", "p", None)],
                      [("opt/", "d", None), ("opt/x.so.1", "f", lib("x")),
                       ("opt/y.so.1", "f", lib("y"))]])
        r = ok(t, root)
        want = expected_files([], b"")
        want.update({"/opt/x.so.1": digest(lib("x")),
                     "/opt/y.so.1": digest(lib("y"))})
        check(files_of(r.sbom) == want, "replaced: %r" % files_of(r.sbom))
        check(not r.warnings(), "replaced: %r" % r.warnings())

    @case
    def image_directory_and_file_at_one_path_in_a_layer(t):
        """One path given in one layer as a directory and as another
        kind: tar, moby, containerd and umoci apply entries in order, and
        unless both are directories the path is removed first (layer.md,
        "Changeset over existing files"), so the last entry is the
        container's. A file then a directory: the directory and what the
        layer put in it. A directory (with a library in it) then a file
        or a symlink: that file or link, nothing below it, of this layer
        or of the layers below. Where an upper layer makes the directory
        again, only its own entries are there. The first was kept with a
        warning ('duplicate entry, the first is kept'), and a library
        the container has was missing, or one it has not was listed."""
        d = h.fresh_dir(t, "images2-dir-and-file")
        x, inner, low = lib("x"), lib("inner"), lib("low")
        up = lib("upper")
        lower = base_layer() + [("opt/", "d", None), ("opt/x/", "d", None),
                                ("opt/x/low.so.1", "f", low)]
        opt = [("opt/", "d", None)]
        tree = opt + [("opt/x/", "d", None), ("opt/x/in.so.1", "f", inner)]
        for tag, layers, want in (
                ("file then dir", [lower, opt + [
                    ("opt/x", "f", x), ("opt/x/", "d", None),
                    ("opt/x/in.so.1", "f", inner)]],
                 {"opt/x/in.so.1": inner}),
                ("dir then file", [lower, tree + [("opt/x", "f", x)]],
                 {"opt/x": x}),
                ("dir then symlink", [lower, tree + [
                    ("opt/x", "l", "/" + LIB)]], {}),
                ("file, dir, file", [lower, opt + [
                    ("opt/x", "f", inner), ("opt/x/", "d", None),
                    ("opt/x/in.so.1", "f", inner), ("opt/x", "f", x)]],
                 {"opt/x": x}),
                ("dir then file, below a directory", [
                    lower, tree + [("opt/x", "f", x)],
                    opt + [("opt/x/", "d", None),
                           ("opt/x/up.so.1", "f", up)]],
                 {"opt/x/up.so.1": up}),
                ("one layer", [base_layer() + tree + [("opt/x", "f", x)]],
                 {"opt/x": x})):
            root = os.path.join(d, tag.replace(" ", "-").replace(",", ""))
            layout(root, layers)
            r = ok(t, root)
            got = files_of(r.sbom)
            want = {"/" + k: digest(v) for k, v in want.items()}
            want.update(expected_files([], b""))
            check(got == want, "%s: %r, not %r" % (tag, got, want))
            check(not r.warnings(), "%s: %r" % (tag, r.warnings()))

    @case
    def image_docker_save_without_manifest_json(t):
        """A docker save of docker 1.9 or older: 'repositories', and
        <id>/json, <id>/VERSION, <id>/layer.tar, but no manifest.json
        (Docker's image spec v1.2: "older implementations will use the
        legacy */json files and repositories"). It is not read as an
        image (its layers' order is in each json's parent, no digest
        checks them): read as a tarball, its layer.tar files as the
        tarballs they are, with one warning saying so, where it was read
        so without a word. Asked for as docker-archive:, it is an error
        naming what is missing."""
        import json
        d = h.fresh_dir(t, "images2-docker-legacy")
        layer = F.tar(base_layer())
        lid = digest(b"legacy" + layer)
        files = {lid + "/VERSION": b"1.0",
                 lid + "/json": json.dumps({"id": lid}).encode(),
                 lid + "/layer.tar": layer,
                 "repositories": json.dumps(
                     {"legacy": {"1.0": lid}}).encode()}
        path = os.path.join(d, "legacy.tar")
        F.write(path, F.tar_of(files, sorted(files)))
        tmp = h.fresh_dir(t, "images2-docker-legacy-tmp")
        env = {"TMPDIR": tmp, "SOURCE_DATE_EPOCH": SDE}
        r = t.run(path, env=env)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        w = r.warnings()
        check(w == ["bindep-sbom: warning: '%s': a docker save without "
                    "manifest.json (docker 1.9 or older), read as a "
                    "tarball: its layers are not merged" % path], w)
        inside = path + "!/" + lid + "/layer.tar!/"
        got = {k: v for k, v in files_of(r.sbom).items()
               if k.startswith(inside)}
        check(got == {inside + "usr/bin/app": digest(base_layer()[2][2]),
                      inside + LIB + "/libfoo.so.1": digest(lib("base"))},
              got)
        r = t.run("docker-archive:" + path, env=env, validate_sbom=False)
        check(r.code == 1 and r.raw is None, "exit %d" % r.code)
        check(b"'%s': no manifest.json (a docker save of docker 1.9 or "
              b"older), not a docker-archive image" % path.encode()
              in r.err, r.err)
        check(not os.listdir(tmp), "left in TMPDIR: %r" % os.listdir(tmp))

    @case
    def image_blob_fifo_or_link_out_of_the_layout(t):
        """A layout whose layer blob is a FIFO, whose index.json is one,
        or whose blob is a symlink out of the layout to a file holding
        the very bytes its digest names: an error naming the file (a
        FIFO is not opened to block; the link is resolved inside the
        layout, where nothing is), no SBOM, never read outside. A blob
        that is a symlink to another file of the layout is read."""
        d = h.fresh_dir(t, "images2-blob-special")
        want = expected_files([], b"")

        def fresh(tag):
            root = os.path.join(d, tag)
            layout(root, [base_layer()])
            blob = [n for n in os.listdir(os.path.join(root, "blobs/sha256"))
                    if open(os.path.join(root, "blobs/sha256", n),
                            "rb").read(2) == b"\x1f\x8b"][0]
            return root, os.path.join(root, "blobs/sha256", blob)

        outside = os.path.join(d, "outside")
        os.makedirs(outside, exist_ok=True)
        for tag in ("fifo", "index-fifo", "link-out", "link-in"):
            root, blob = fresh(tag)
            if tag == "fifo":
                os.unlink(blob)
                os.mkfifo(blob)
                what = "'%s': a FIFO" % blob
            elif tag == "index-fifo":
                os.unlink(os.path.join(root, "index.json"))
                os.mkfifo(os.path.join(root, "index.json"))
                what = "'%s/index.json': a FIFO" % root
            else:
                target = os.path.join(outside if tag == "link-out"
                                      else root, "the-blob")
                os.rename(blob, target)
                os.symlink(target if tag == "link-out" else "../../the-blob",
                           blob)
                what = "'%s': missing from the image" % blob
            tmp = h.fresh_dir(t, "images2-blob-special-tmp")
            r = t.run(root, env={"TMPDIR": tmp, "SOURCE_DATE_EPOCH": SDE},
                      validate_sbom=tag == "link-in", timeout=60)
            check(not os.listdir(tmp), "%s: left %r" % (tag, os.listdir(tmp)))
            if tag == "link-in":
                check(r.code == 0 and files_of(r.sbom) == want,
                      "%s: exit %d: %s" % (tag, r.code, r.err))
                continue
            check(r.code == 1 and r.raw is None, "%s: exit %d: %s"
                  % (tag, r.code, r.err))
            check(what.encode() in r.err, "%s: %r" % (tag, r.err))

    @case
    def image_reference_not_a_name(t):
        """A tag or ref.name of invalid UTF-8, of controls, or of
        non-ASCII letters (docker's reference grammar is ASCII): one
        warning, without the bytes, the image read and named by its
        file, without a purl."""
        import json
        d = h.fresh_dir(t, "images2-bad-ref")
        # In index.json as written: raw bytes, a JSON escape, UTF-8.
        escape = json.dumps("\x1b[31mapp:1")[1:-1].encode()
        for tag, name in (("utf8", b"\xff\xfeapp:1"), ("esc", escape),
                          ("letters", "caf\u00e9:1".encode())):
            root = os.path.join(d, tag)
            layout(root, [base_layer()])
            idx = os.path.join(root, "index.json")
            with open(idx, "rb") as f:
                text = f.read()
            # "1.0": the ref.name layout() writes.
            with open(idx, "wb") as f:
                f.write(text.replace(b'"1.0"', b'"' + name + b'"'))
            r = ok(t, root)
            w = r.warnings()
            check(w == ["bindep-sbom: warning: '%s': image reference is "
                        "not a valid name, ignored" % root], "%s: %r"
                  % (tag, w))
            target = r.sbom["metadata"]["component"]
            check(target["name"] == tag and "purl" not in target,
                  "%s: %r" % (tag, target))
            check(files_of(r.sbom) == expected_files([], b""), tag)

    @case
    def image_links_to_one_deep_chain(t):
        """An image whose 300 links lead to one chain of 39 links, each
        to a name 100 directories deep (30-byte names): every link leads
        to the library at the chain's end, as in the container, and the
        chain is followed once (each link walked the chain's 39 targets
        again: the case took 7.6 s, 1.1 s now). One more link before the
        chain makes 41: a loop, as the kernel says."""
        d = h.fresh_dir(t, "images2-link-chain")
        deep = "/".join(["d" * 30] * 100)
        entries = base_layer() + [("c/", "d", None), ("l/", "d", None)]
        entries += [("/".join(["d" * 30] * (i + 1)) + "/", "d", None)
                    for i in range(100)]
        entries += [("%s/n%d" % (deep, i), "l",
                     "/%s/%s" % (deep, "n%d" % (i + 1) if i < 38 else "f"))
                    for i in range(1, 39)]
        entries += [(deep + "/f", "f", lib("deep", "libdeep.so.1")),
                    ("c/s", "l", "/%s/n1" % deep), ("c/t", "l", "/l/0/x")]
        entries += [("l/%d/" % i, "d", None) for i in range(300)]
        entries += [("l/%d/x" % i, "l", "/c/s") for i in range(300)]
        root = os.path.join(d, "img")
        layout(root, [entries])
        tmp = h.fresh_dir(t, "images2-link-chain-tmp")
        r = t.run(root, env={"TMPDIR": tmp, "SOURCE_DATE_EPOCH": SDE})
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        check(r.warnings() == ["bindep-sbom: warning: '/c/t': symlink loop"],
              r.warnings())
        want = dict(expected_files([], b""),
                    **{"/" + deep + "/f": digest(lib("deep", "libdeep.so.1"))})
        for i in range(1, 39):
            want["/%s/n%d" % (deep, i)] = want["/" + deep + "/f"]
        want["/c/s"] = want["/" + deep + "/f"]
        for i in range(300):
            want["/l/%d/x" % i] = want["/" + deep + "/f"]
        got = files_of(r.sbom)
        check(got == want, sorted(set(got.items()) ^ set(want.items()))[:5])

    @case
    def image_links_past_the_walk_budget(t):
        """An image of 5,000 links, each to a file 100 directories deep
        (30-byte names): resolving them walks more than the run's 64 MiB
        of path (~19 KB a link), past which links are not followed: one
        warning naming the image as given, the file itself still found,
        and the SBOM's inventory incomplete, not a silent drop."""
        d = h.fresh_dir(t, "images2-link-budget")
        deep = "/".join(["d" * 30] * 100)
        entries = base_layer() + [("m/", "d", None)]
        entries += [("/".join(["d" * 30] * (i + 1)) + "/", "d", None)
                    for i in range(100)]
        entries += [(deep + "/f", "f", lib("deep", "libdeep.so.1"))]
        entries += [("m/%d" % i, "l", "/%s/f" % deep) for i in range(5000)]
        root = os.path.join(d, "img")
        layout(root, [entries])
        r = ok(t, root)
        check(r.warnings() == ["bindep-sbom: warning: '%s': symlinks past "
                               "67108864 bytes of path walked resolving "
                               "them are not followed" % root],
              r.warnings())
        got = files_of(r.sbom)
        check(got.get("/" + deep + "/f") ==
              digest(lib("deep", "libdeep.so.1")), "the file not found")
        links = [k for k in got if k.startswith("/m/")]
        check(1000 < len(links) < 5000, len(links))
        check(any(c.get("aggregate") == "incomplete"
                  for c in r.sbom.get("compositions", [])),
              r.sbom.get("compositions"))
