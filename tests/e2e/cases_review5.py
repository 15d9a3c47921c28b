"""End-to-end cases from a review of the day's resolve, archive and image
changes; registered by run.py."""
import json
import os
import shutil

import elfgen
import elfgen as E
import input_image_fixtures as F
from cases_hard_images2 import (LIB, SDE, base_layer, digest,  # noqa: F401
                                expected_files, files_of, layout, lib)


def register(case, h):
    check = h.check

    @case
    def review5_image_hard_link_chain_across_three_layers(t):
        """A hard link of the top layer to a middle layer's hard link,
        itself to a file of the bottom layer: containerd links each to the
        file below, so both names are the bottom file. The top link was
        dropped ("which no layer below it holds") as if the middle layer's
        link removed the target; with both the middle link's target and the
        top link's target whited out after them, the library was in the
        SBOM under no name."""
        d = h.fresh_dir(t, "review5-chain")
        x = lib("bottom")
        opt = [("opt/", "d", None)]
        top = [("usr/", "d", None), ("usr/lib/", "d", None),
               (LIB + "/", "d", None),
               (LIB + "/libbar.so.1", "h", "opt/y.so.1")]
        for tag, layers, want in (
                ("plain", [base_layer() + opt + [("opt/x.so.1", "f", x)],
                           opt + [("opt/y.so.1", "h", "opt/x.so.1")], top],
                 {"opt/x.so.1", "opt/y.so.1", LIB + "/libbar.so.1"}),
                ("whited-out", [
                    base_layer() + opt + [("opt/x.so.1", "f", x)],
                    opt + [("opt/y.so.1", "h", "opt/x.so.1"),
                           ("opt/.wh.x.so.1", "f", b"")],
                    top + opt + [("opt/.wh.y.so.1", "f", b"")]],
                 {LIB + "/libbar.so.1"})):
            root = os.path.join(d, tag)
            layout(root, layers)
            tmp = h.fresh_dir(t, "review5-tmp")
            r = t.run(root, env={"TMPDIR": tmp, "SOURCE_DATE_EPOCH": SDE})
            check(r.code == 0 and r.sbom is not None,
                  "%s: exit %d: %s" % (tag, r.code, r.err))
            got = files_of(r.sbom)
            want = expected_files(want, x)
            check(got == want, "%s: %r, not %r" % (tag, got, want))
            check(not r.warnings(), "%s: %r" % (tag, r.warnings()))

    @case
    def review5_dlopen_note_judged_where_loaded_not_by_its_own_origin(t):
        """libx.so.1 (RUNPATH $ORIGIN, a .note.dlopen for libplug.so.1)
        lives in /opt/real beside libplug; the program finds it through a
        link in /usr/lib, where its $ORIGIN is /usr/lib (dlopen() searches
        by the caller's RUNPATH there) and no libplug is. Scanned whole,
        libx's own process, where $ORIGIN is /opt/real, made its entry
        both "not found" and found in /opt/real, a file no process of the
        program maps: judged as a DT_NEEDED is, it is only not found."""
        root = h.fresh_dir(t, "review5-dlopen-origin")

        def put(path, data):
            os.makedirs(os.path.dirname(root + path), exist_ok=True)
            with open(root + path, "wb") as f:
                f.write(data)

        note = E.json_note(E.NT_FDO_DLOPEN_METADATA, json.dumps(
            [{"soname": ["libplug.so.1"], "feature": "f",
              "priority": "recommended"}]))
        put("/opt/real/libx.so.1",
            E.build(soname="libx.so.1", runpath="$ORIGIN", notes=[note])[0])
        put("/opt/real/libplug.so.1", E.build(soname="libplug.so.1")[0])
        os.makedirs(root + "/usr/lib")
        os.symlink("/opt/real/libx.so.1", root + "/usr/lib/libx.so.1")
        put("/usr/bin/app", E.build(etype=E.ET_EXEC, needed=["libx.so.1"],
                                    runpath="/usr/lib")[0])
        r = t.run("--root", root, "--format", "text", "-o", "-")
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        out = r.out.decode()
        check("libplug.so.1 => not found  [dlopen" in out and
              "libplug.so.1 => /opt/real/libplug.so.1" not in out, out)
        # Given with the program only, libx's own search's file is
        # reached by nothing else, and stays its entry's.
        r = t.run("--root", root, root + "/usr/bin/app",
                  root + "/opt/real/libx.so.1", "--format", "text", "-o", "-")
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        check("libplug.so.1 => /opt/real/libplug.so.1" in r.out.decode(),
              r.out.decode())
