"""Hostile ELF files against the scan and the resolver (issue 11): caps
that must not cost the SBOM, search work that must stay bounded, notes
parsed once, and libraries judged in the process that loads them.
Registered by run.py; every fixture is generated here with elfgen."""
import os
import shutil

import elfgen as E


def register(case, h):
    def new_dir(t, name):
        d = os.path.join(t.work, "hard-resolve", name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d

    def put(root, path, data):
        full = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
        return full

    def lib(root, path, soname, **kw):
        data, _ = E.build(soname=soname, **kw)
        return put(root, path, data)

    def warnings_about(r, text):
        return [w for w in r.warnings() if text in w]

    # ---- caps never end the run -----------------------------------------

    @case
    def hard_resolve_too_many_needed_keeps_the_sbom(t):
        d = new_dir(t, "many-needed")
        big = lib(d, "big.so", "big.so",
                  needed=["libn%d.so" % i for i in range(5000)])
        small = lib(d, "small.so", "small.so", needed=["libc.so.6"])
        r = t.run(big, small)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        h.check(r.sbom is not None, "the SBOM is written")
        names = {c["name"] for c in h.comps(r.sbom)}
        h.check({"big.so", "small.so"} <= names, "both files listed: %r"
                % sorted(names)[:5])
        w = warnings_about(r, "DT_NEEDED")
        h.check(len(w) == 1, "one warning: %r" % w)
        h.check("'%s': more than 4096 DT_NEEDED entries, keeping the first "
                "4096" % big in w[0] or
                "more than 4096 DT_NEEDED entries, keeping the first 4096"
                in w[0], w[0])
        bigc = h.by_name(r.sbom, "big.so")
        h.check(len(h.depends(r.sbom, bigc)) == 4096,
                "the first 4096 kept: %d" % len(h.depends(r.sbom, bigc)))
        h.check(h.props(bigc, "bindep:error"), "marked incomplete")
        h.check(bigc["bom-ref"] in h.incomplete(r.sbom)["assemblies"],
                "in the incomplete composition")
