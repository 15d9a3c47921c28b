"""A Debian package version's upstream part, as bindep-sbom's
bd_upstream_version reads it (src/mapping.c), for the cases that compare
what it says of this machine's packages with dpkg's versions."""
import re

_PRE = re.compile(r"(alpha|beta|rc|pre|a|b)(\d|[+.]|$)", re.I)
_REPACK_TILDE = re.compile(r"(dfsg|ds|repack)", re.I)
_SNAPSHOT = re.compile(r"[+.]?(git|svn|hg|bzr|cvs|darcs|snapshot|nightly|"
                       r"\d{8})", re.I)


def upstream(version):
    """No epoch, revision or repack marker. After a tilde: a pre-release
    word is kept ("2.0~rc1" is "2.0-rc1"), a snapshot ("0~20171227",
    "~git...") has no upstream version (""), anything else (the
    distribution's build: "~deb12u1", "~22.04") is cut."""
    if ":" in version and version.split(":", 1)[0].isdigit():
        version = version.split(":", 1)[1]
    if "-" in version:
        version = version.rsplit("-", 1)[0]
    out = []
    for i, c in enumerate(version):
        rest = version[i + 1:]
        if (c == "+" and re.match(r"(ds|dfsg)", rest, re.I)) or \
                (c == "." and re.match(r"dfsg", rest, re.I)) or \
                (c == "~" and _REPACK_TILDE.match(rest)):
            break
        if c == "~":
            if _SNAPSHOT.match(rest):
                return ""
            if not _PRE.match(rest):
                break
            c = "-"
        out.append(c)
    return "".join(out)
