"""End-to-end cases found by a large differential run (registered by
run.py): what bindep-sbom gives against what the real loader, chrooted,
maps (ld.so --list) for two Debian roots of packages, one finding a case.
"""
import elfgen as E


def register(case, h):

    @case
    def diff2_interpreter_needs_judged_alone(t):
        """The interpreter's own needs are linked in no program's process
        (a loader maps itself): given too, it is judged alone. What it
        finds stays its edge, what it misses is reported."""
        root = h.fresh_dir(t, "roots", "diff2-interp-needs")
        h.put_elf(root, "/usr/bin/app", None, etype=E.ET_EXEC, needed=["libq.so"],
                  interp="/lib64/ld-odd.so.2")
        h.put_elf(root, "/lib64/ld-odd.so.2", "ld-odd.so.2",
                  needed=["libq.so", "libgone.so"])
        h.put_elf(root, "/lib64/libq.so", "libq.so")
        r = t.run("-v", "--root", root)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(h.depends(r.sbom, h.by_name(r.sbom, "ld-odd.so.2"))
                == ["libgone.so", "libq.so"],
                h.depends(r.sbom, h.by_name(r.sbom, "ld-odd.so.2")))
        h.check(b"'/lib64/ld-odd.so.2': needed library 'libgone.so' not found"
                in r.err and b"1 needed library not found" in r.err, r.err[-600:])
