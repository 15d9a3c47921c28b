"""A Debian package version's upstream part, as bindep-sbom's
bd_upstream_version reads it (src/mapping.c), for the cases that compare
what it says of this machine's packages with dpkg's versions."""
import re

_PRE = re.compile(r"(alpha|beta|rc|pre|a|b)(\d|[+.]|$)", re.I)
_REPACK_TILDE = re.compile(r"(dfsg|ds|repack)", re.I)


def upstream(version):
    """No epoch, revision or repack marker; a tilde before a pre-release
    word is '-' ("2.0~rc1" is "2.0-rc1"), before anything else (a
    snapshot, "0~20171227") there is no upstream version: ""."""
    if ":" in version and version.split(":", 1)[0].isdigit():
        version = version.split(":", 1)[1]
    if "-" in version:
        version = version.rsplit("-", 1)[0]
    out = []
    i = 0
    while i < len(version):
        c, rest = version[i], version[i + 1:]
        if (c == "+" and re.match(r"(ds|dfsg)", rest, re.I)) or \
                (c == "." and re.match(r"dfsg", rest, re.I)) or \
                (c == "~" and _REPACK_TILDE.match(rest)):
            break
        if c == "~":
            if not _PRE.match(rest):
                return ""
            c = "-"
        out.append(c)
        i += 1
    return "".join(out)
