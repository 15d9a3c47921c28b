#!/usr/bin/python3
"""Trees for make bench's scale and root cases (issue 13), into OUTDIR:

  elf OUTDIR COUNT flat|spread
      COUNT distinct small ELF libraries (tests/elfgen.py: each its own
      soname, so its own bytes and hash; each needs libc.so.6), no package
      database owns them: all in OUTDIR (flat), or 100 to a directory,
      three levels down (spread: OUTDIR/a00/b00/c000/)
  tiny OUTDIR COUNT
      COUNT tiny non-ELF files (a line of text each), 1,000 to a directory
  debroot OUTDIR
      a Debian root by hand, from this machine's files: /usr/bin,
      /usr/lib/x86_64-linux-gnu, /usr/lib64, ld.so.cache and ld.so.conf*,
      os-release and /var/lib/dpkg, hard-linked (copied when OUTDIR is on
      another file system), with the usr-merge links /bin, /lib, /lib64

Each prints the number of files it made.
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
import elfgen  # noqa: E402

PER_DIR = 100


def elf_tree(out, count, shape):
    for i in range(count):
        name = "libbench%06d.so" % i
        data, _ = elfgen.build(soname=name, needed=("libc.so.6",))
        if shape == "flat":
            d = out
        else:
            j = i // PER_DIR
            d = os.path.join(out, "a%02d" % (j // 100),
                             "b%02d" % (j // 10 % 10), "c%03d" % j)
        if i % PER_DIR == 0 or shape == "flat":
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    return count


def tiny_tree(out, count):
    for i in range(count):
        d = os.path.join(out, "d%04d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(d)
        fd = os.open(os.path.join(d, "f%06d.txt" % i),
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, b"tiny file %d\n" % i)
        os.close(fd)
    return count


def link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def debian_root(out):
    made = 0
    for d in ("usr/bin", "usr/lib/x86_64-linux-gnu", "usr/lib64",
              "var/lib/dpkg"):
        src = os.path.join("/", d)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(out, d), symlinks=True,
                            copy_function=link_or_copy)
    os.makedirs(os.path.join(out, "etc"), exist_ok=True)
    for f in ("etc/ld.so.cache", "etc/ld.so.conf", "etc/ld.so.conf.d",
              "usr/lib/os-release", "etc/os-release"):
        src = os.path.join("/", f)
        dst = os.path.join(out, f)
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)
        elif os.path.isdir(src):
            shutil.copytree(src, dst, symlinks=True)
        elif os.path.exists(src):
            shutil.copy2(src, dst)
    for name, target in (("bin", "usr/bin"), ("lib", "usr/lib"),
                         ("lib64", "usr/lib64")):
        os.symlink(target, os.path.join(out, name))
    for _, _, files in os.walk(out):
        made += len(files)
    return made


def main():
    what, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    if what == "elf":
        n = elf_tree(out, int(sys.argv[3]), sys.argv[4])
    elif what == "tiny":
        n = tiny_tree(out, int(sys.argv[3]))
    elif what == "debroot":
        n = debian_root(out)
    else:
        sys.exit("usage: bench-trees.py elf|tiny|debroot OUTDIR [COUNT] "
                 "[flat|spread]")
    print(n)


if __name__ == "__main__":
    main()
