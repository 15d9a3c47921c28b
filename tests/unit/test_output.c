/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/output.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Every umask call in this program, the library's too, counted: the mode
 * of a new file is read without setting the mask, for a file another
 * thread makes between umask(0) and umask(old) would get 0666. */
static unsigned umask_calls;

mode_t umask(mode_t mask)
{
	umask_calls++;
	return (mode_t)syscall(SYS_umask, mask);
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	while (d && (de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_atomic_replace(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", path[64], buf[64] = "";
	struct bd_error e;
	struct stat st;
	mode_t old = umask(022);
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sbom.json", dir);
	f = fopen(path, "w");
	fputs("old and longer contents", f);
	fclose(f);
	CU_ASSERT_EQUAL(bd_output_write(path, "{}\n", 3, &e), 0);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "{}\n");
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0644);
	CU_ASSERT_EQUAL(count_entries(dir), 1); /* no temporary left */
	snprintf(path, sizeof(path), "%s/no/such/dir.json", dir);
	CU_ASSERT_EQUAL(bd_output_write(path, "{}", 2, &e), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cannot open its directory"));
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "/no/such'"));
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(path), 0);
	umask(old);
}

/* A run killed while it writes (SIGKILL: no handler runs) leaves nothing
 * beside the output: the temporary has no name until it is whole (a named
 * one was left, half written, by a signal at the wrong time). Seen from
 * the directory while it is written, and after an abort. */
static void test_unnamed_while_written(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", path[64], chunk[4096];
	struct bd_output o;
	struct bd_error e;

	memset(chunk, 'x', sizeof(chunk));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sbom.json", dir);
	CU_ASSERT_EQUAL_FATAL(bd_output_open(&o, path, &e), 0);
	for (int i = 0; i < 64; i++)
		CU_ASSERT_EQUAL(bd_output_add(&o, chunk, sizeof(chunk)), 0);
	CU_ASSERT_EQUAL(count_entries(dir), 0);
	bd_output_abort(&o);
	CU_ASSERT_EQUAL(count_entries(dir), 0);
	CU_ASSERT_EQUAL_FATAL(bd_output_open(&o, path, &e), 0);
	CU_ASSERT_EQUAL(bd_output_add(&o, "{}", 2), 0);
	CU_ASSERT_EQUAL(bd_output_commit(&o, &e), 0);
	CU_ASSERT_EQUAL(count_entries(dir), 1);
	CU_ASSERT_EQUAL(unlink(path), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* A name of 250 bytes, valid, leaves no room for "<name>.<12>": the
 * temporary is named otherwise (it was refused, or failed at the end). */
static void test_long_name(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", path[512];
	struct bd_error e;
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	n = snprintf(path, sizeof(path), "%s/", dir);
	memset(path + n, 'n', 250);
	path[n + 250] = '\0';
	CU_ASSERT_EQUAL(bd_output_write(path, "{}", 2, &e), 0);
	CU_ASSERT_EQUAL(count_entries(dir), 1);
	CU_ASSERT_EQUAL(unlink(path), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* A symlink stays a symlink: the file it names gets the document. */
static void test_through_symlink(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", link[64], file[64], buf[16] = "";
	struct bd_error e;
	struct stat st;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/real.json", dir);
	snprintf(link, sizeof(link), "%s/link.json", dir);
	f = fopen(file, "w");
	fclose(f);
	CU_ASSERT_EQUAL(symlink("real.json", link), 0);
	CU_ASSERT_EQUAL(bd_output_write(link, "{}", 2, &e), 0);
	CU_ASSERT_EQUAL(lstat(link, &st), 0);
	CU_ASSERT_TRUE(S_ISLNK(st.st_mode));
	f = fopen(file, "r");
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "{}");
	CU_ASSERT_EQUAL(count_entries(dir), 2);
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(file), 0);
}

static char *slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return NULL;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	return buf;
}

/* A dangling link names the file to create: it is made where the link
 * points (relative to the link's directory, not the working directory)
 * and the links of the chain stay links. */
static void test_dangling_symlink(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", link[64], hop[64], file[64], buf[16];
	struct bd_error e;
	struct stat st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/real", dir);
	CU_ASSERT_EQUAL(mkdir(file, 0700), 0);
	snprintf(link, sizeof(link), "%s/out.json", dir);
	snprintf(hop, sizeof(hop), "%s/hop", dir);
	CU_ASSERT_EQUAL(symlink("hop", link), 0);
	CU_ASSERT_EQUAL(symlink("real/sbom.json", hop), 0);
	CU_ASSERT_EQUAL(bd_output_write(link, "{}", 2, &e), 0);
	CU_ASSERT_TRUE(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	CU_ASSERT_TRUE(lstat(hop, &st) == 0 && S_ISLNK(st.st_mode));
	snprintf(file, sizeof(file), "%s/real/sbom.json", dir);
	CU_ASSERT_PTR_NOT_NULL(slurp(file, buf, sizeof(buf)));
	CU_ASSERT_STRING_EQUAL(buf, "{}");
	snprintf(file, sizeof(file), "%s/real", dir);
	CU_ASSERT_EQUAL(count_entries(file), 1);
	CU_ASSERT_EQUAL(count_entries(dir), 3);
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(file), 0);
}

/* A loop is an error that names the path, and nothing is written. */
static void test_symlink_loop(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", a[64], b[64];
	struct bd_error e;
	struct stat st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	CU_ASSERT_EQUAL(symlink("b", a), 0);
	CU_ASSERT_EQUAL(symlink("a", b), 0);
	CU_ASSERT_EQUAL(bd_output_write(a, "{}", 2, &e), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "symbolic links"));
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, a));
	CU_ASSERT_TRUE(lstat(a, &st) == 0 && S_ISLNK(st.st_mode));
	CU_ASSERT_EQUAL(count_entries(dir), 2);
	snprintf(a, sizeof(a), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(a), 0);
}

/* Replacing a name in a directory replaces a symlink there, never the
 * file it names, and gives the mode asked for. */
static void test_replace_at_symlink(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", victim[64], name[64], buf[16];
	struct bd_error e;
	struct stat st;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(name, sizeof(name), "%s/entry", dir);
	fd = open(victim, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, "keep", 4), 4);
	close(fd);
	CU_ASSERT_EQUAL(symlink(victim, name), 0);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	CU_ASSERT_EQUAL(
		bd_output_replace_at(fd, name, "entry", "new", 3, 0600, &e), 0);
	close(fd);
	CU_ASSERT_TRUE(lstat(name, &st) == 0 && S_ISREG(st.st_mode));
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	CU_ASSERT_STRING_EQUAL(slurp(name, buf, sizeof(buf)), "new");
	CU_ASSERT_STRING_EQUAL(slurp(victim, buf, sizeof(buf)), "keep");
	CU_ASSERT_TRUE(stat(victim, &st) == 0 && (st.st_mode & 0777) == 0600);
	CU_ASSERT_EQUAL(count_entries(dir), 2);
	snprintf(name, sizeof(name), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(name), 0);
}

/* A file that is replaced keeps its permission bits, whether named
 * directly or through a symlink; a new one gets 0666 less the umask. */
static void test_keeps_mode(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", file[64], link[64], fresh[64];
	struct bd_error e;
	struct stat st;
	mode_t old = umask(022);
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/v", dir);
	snprintf(link, sizeof(link), "%s/l", dir);
	snprintf(fresh, sizeof(fresh), "%s/new.json", dir);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_EQUAL(symlink(file, link), 0);
	CU_ASSERT_EQUAL(bd_output_write(link, "{}", 2, &e), 0);
	CU_ASSERT_TRUE(stat(file, &st) == 0 && (st.st_mode & 0777) == 0600);
	CU_ASSERT_EQUAL(chmod(file, 0640), 0);
	CU_ASSERT_EQUAL(bd_output_write(file, "{}", 2, &e), 0);
	CU_ASSERT_TRUE(stat(file, &st) == 0 && (st.st_mode & 0777) == 0640);
	CU_ASSERT_EQUAL(bd_output_write(fresh, "{}", 2, &e), 0);
	CU_ASSERT_TRUE(stat(fresh, &st) == 0 && (st.st_mode & 0777) == 0644);
	/* A umask that takes the owner's bits: the temporary was made 0600
	 * less it (0400), and a file of 0600, taken to be the temporary's
	 * mode, was not given it again. */
	umask(0277);
	CU_ASSERT_EQUAL(chmod(file, 0600), 0);
	CU_ASSERT_EQUAL(bd_output_write(file, "{}", 2, &e), 0);
	CU_ASSERT_TRUE(stat(file, &st) == 0 && (st.st_mode & 0777) == 0600);
	umask(old);
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(file), 0);
}

/*
 * fs.protected_symlinks, emulated: a link in a sticky world-writable
 * directory is followed only when it is ours or the directory owner's.
 * Needs root to give the link to another user.
 */
static void test_sticky_link_refused(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", file[64], link[64], buf[16];
	struct bd_error e;
	int fd;

	if (geteuid() != 0)
		return;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(chmod(dir, 01777), 0);
	snprintf(file, sizeof(file), "%s/victim", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, "keep", 4), 4);
	close(fd);
	CU_ASSERT_EQUAL(symlink(file, link), 0);
	CU_ASSERT_EQUAL(lchown(link, 65534, 65534), 0);
	CU_ASSERT_EQUAL(bd_output_write(link, "{}", 2, &e), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg,
				      "link': a symbolic link in a "
				      "sticky world-writable directory"));
	CU_ASSERT_STRING_EQUAL(slurp(file, buf, sizeof(buf)), "keep");
	CU_ASSERT_EQUAL(count_entries(dir), 2);
	/* The directory's owner's own link is followed. */
	CU_ASSERT_EQUAL(lchown(link, 0, 0), 0);
	CU_ASSERT_EQUAL(bd_output_write(link, "{}", 2, &e), 0);
	CU_ASSERT_STRING_EQUAL(slurp(file, buf, sizeof(buf)), "{}");
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(file), 0);
}

/* Another user's FIFO in a sticky world-writable directory takes no
 * SBOM (the kernel's protected_fifos guards only an open that may
 * create); the directory owner's own is written. */
static void test_sticky_fifo_refused(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", fifo[64], buf[16] = "";
	struct bd_error e;
	int rd;

	if (geteuid() != 0)
		return;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(chmod(dir, 01777), 0);
	snprintf(fifo, sizeof(fifo), "%s/sbom.json", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0666), 0);
	CU_ASSERT_EQUAL(chown(fifo, 65534, 65534), 0);
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	CU_ASSERT_TRUE_FATAL(rd >= 0);
	CU_ASSERT_EQUAL(bd_output_write(fifo, "{}", 2, &e), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "a FIFO or device in a sticky"));
	CU_ASSERT(read(rd, buf, sizeof(buf) - 1) <= 0); /* nothing came */
	CU_ASSERT_EQUAL(chown(fifo, 0, 0), 0);
	CU_ASSERT_EQUAL(bd_output_write(fifo, "{}", 2, &e), 0);
	CU_ASSERT_EQUAL(read(rd, buf, sizeof(buf) - 1), 2);
	close(rd);
	snprintf(fifo, sizeof(fifo), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(fifo), 0);
}

/* A file of nobody's (65534), holding text, of mode (fchmod after the
 * chown, which may clear bits). */
static void plant(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	CU_ASSERT_EQUAL(fchown(fd, 65534, 65534), 0);
	CU_ASSERT_EQUAL(fchmod(fd, mode), 0);
	close(fd);
}

/* Another user's file in a sticky world-writable directory is not
 * replaced (as fs.protected_regular): root's rename passes the sticky
 * bit, and the SBOM took the planted file's 0666. The directory owner's
 * own file is replaced. */
static void test_sticky_file_refused(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", file[64], buf[16];
	struct bd_error e;
	struct stat st;

	if (geteuid() != 0)
		return;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(chmod(dir, 01777), 0);
	snprintf(file, sizeof(file), "%s/sbom.json", dir);
	plant(file, "keep", 0666);
	CU_ASSERT_EQUAL(bd_output_write(file, "{}", 2, &e), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "sbom.json': a file in a sticky "
					     "world-writable directory"));
	CU_ASSERT_STRING_EQUAL(slurp(file, buf, sizeof(buf)), "keep");
	CU_ASSERT_TRUE(stat(file, &st) == 0 && st.st_uid == 65534);
	CU_ASSERT_EQUAL(count_entries(dir), 1);
	CU_ASSERT_EQUAL(chown(file, 0, 0), 0);
	CU_ASSERT_EQUAL(bd_output_write(file, "{}", 2, &e), 0);
	CU_ASSERT_STRING_EQUAL(slurp(file, buf, sizeof(buf)), "{}");
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(file), 0);
}

/* A file replaced keeps its owner and group (root gives both), as a
 * wheel --attach replaces does; a new file is ours. */
static void test_keeps_owner(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", file[64], fresh[64];
	struct bd_error e;
	struct stat st;

	if (geteuid() != 0)
		return;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/sbom.json", dir);
	snprintf(fresh, sizeof(fresh), "%s/new.json", dir);
	plant(file, "", 0660);
	CU_ASSERT_EQUAL(bd_output_write(file, "{}", 2, &e), 0);
	CU_ASSERT_TRUE(stat(file, &st) == 0 && st.st_uid == 65534 &&
		       st.st_gid == 65534 && (st.st_mode & 07777) == 0660);
	CU_ASSERT_EQUAL(bd_output_write(fresh, "{}", 2, &e), 0);
	CU_ASSERT_TRUE(stat(fresh, &st) == 0 && st.st_uid == 0);
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(file), 0);
}

/* -o /dev/stdout, /dev/fd/N or /proc/self/fd/N: the descriptor is written
 * where it stands (an appended log keeps what was before it), not the
 * file behind it replaced; a closed one is an error. */
static void test_own_descriptor(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", path[64], name[64], buf[32] = "";
	const char *const dirs[] = { "/dev/fd", "/proc/self/fd" };
	struct bd_error e;
	struct stat before, after;
	size_t i;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	for (i = 0; i < 2; i++) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
		CU_ASSERT_TRUE_FATAL(fd >= 0);
		CU_ASSERT_EQUAL(write(fd, "before;", 7), 7);
		CU_ASSERT_EQUAL(fstat(fd, &before), 0);
		snprintf(name, sizeof(name), "%s/%d", dirs[i], fd);
		CU_ASSERT_EQUAL(bd_output_write(name, "{}", 2, &e), 0);
		CU_ASSERT_EQUAL(write(fd, ";after", 6), 6);
		CU_ASSERT_EQUAL(stat(path, &after), 0);
		CU_ASSERT_EQUAL(before.st_ino, after.st_ino);
		CU_ASSERT_STRING_EQUAL(slurp(path, buf, sizeof(buf)),
				       "before;{};after");
		close(fd);
		CU_ASSERT_EQUAL(bd_output_write(name, "{}", 2, &e), BD_EIO);
	}
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* A FIFO nobody reads is an error at once, never a wait (the alarm ends
 * the suite if it blocks); with a reader the document goes through. */
static void test_fifo(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", fifo[64], buf[16] = "";
	struct bd_error e;
	int rd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	alarm(20);
	CU_ASSERT_EQUAL(bd_output_write(fifo, "{}", 2, &e), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "fifo': a FIFO with no reader"));
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	CU_ASSERT_TRUE_FATAL(rd >= 0);
	CU_ASSERT_EQUAL(bd_output_write(fifo, "{}", 2, &e), 0);
	CU_ASSERT_EQUAL(read(rd, buf, sizeof(buf) - 1), 2);
	CU_ASSERT_STRING_EQUAL(buf, "{}");
	close(rd);
	alarm(0);
	snprintf(fifo, sizeof(fifo), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(fifo), 0);
}

/* bd_output_try: said as bd_output_open would say it, nothing made or
 * changed; a FIFO not opened (its reader would see an end). */
static void test_try(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", path[96], buf[16] = "";
	struct bd_error e;
	FILE *f;
	int rd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(bd_output_try(NULL, &e), 0);
	CU_ASSERT_EQUAL(bd_output_try("-", &e), 0);
	snprintf(path, sizeof(path), "%s/new.json", dir);
	CU_ASSERT_EQUAL(bd_output_try(path, &e), 0);
	CU_ASSERT_EQUAL(count_entries(dir), 0);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("old", f);
	fclose(f);
	CU_ASSERT_EQUAL(bd_output_try(path, &e), 0);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "old");
	CU_ASSERT_EQUAL(count_entries(dir), 1);
	CU_ASSERT_EQUAL(bd_output_try(dir, &e), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "Is a directory"));
	snprintf(path, sizeof(path), "%s/no/such.json", dir);
	CU_ASSERT_EQUAL(bd_output_try(path, &e), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cannot open its directory"));
	/* A FIFO with a reader: not opened, so the reader sees no end. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	rd = open(path, O_RDONLY | O_NONBLOCK);
	CU_ASSERT_TRUE_FATAL(rd >= 0);
	CU_ASSERT_EQUAL(bd_output_try(path, &e), 0);
	CU_ASSERT_EQUAL(bd_output_write(path, "{}", 2, &e), 0);
	CU_ASSERT_EQUAL(read(rd, buf, sizeof(buf) - 1), 2);
	close(rd);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* A document written as it is made: the file appears whole at the commit
 * (before it, the old contents stay), with bytes given early rewritten in
 * place; an abort leaves nothing; a FIFO cannot be rewritten; a write that
 * fails is said at the commit. */
static void test_stream(void)
{
	char dir[] = "/tmp/bd-out-XXXXXX", path[64], buf[32] = "";
	struct bd_output o;
	struct bd_error e;
	FILE *f;
	int rd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sbom.json", dir);
	bd_test_write(dir, "sbom.json", "old");
	CU_ASSERT_EQUAL_FATAL(bd_output_open(&o, path, &e), 0);
	CU_ASSERT_TRUE(o.patchable);
	CU_ASSERT_EQUAL(bd_output_add(&o, "hello ", 6), 0);
	CU_ASSERT_EQUAL(bd_output_add(&o, "world", 5), 0);
	CU_ASSERT_EQUAL(bd_output_patch(&o, 0, "H", 1), 0);
	CU_ASSERT_EQUAL(count_entries(dir), 1); /* the temporary has no name */
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "old");
	CU_ASSERT_EQUAL(bd_output_commit(&o, &e), 0);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "Hello world");
	CU_ASSERT_EQUAL(count_entries(dir), 1);
	CU_ASSERT_EQUAL_FATAL(bd_output_open(&o, path, &e), 0);
	CU_ASSERT_EQUAL(bd_output_add(&o, "partial", 7), 0);
	bd_output_abort(&o);
	CU_ASSERT_EQUAL(count_entries(dir), 1);
	/* A FIFO: written in place, never rewritten. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	rd = open(path, O_RDONLY | O_NONBLOCK);
	CU_ASSERT_TRUE_FATAL(rd >= 0);
	CU_ASSERT_EQUAL_FATAL(bd_output_open(&o, path, &e), 0);
	CU_ASSERT_FALSE(o.patchable);
	CU_ASSERT_EQUAL(bd_output_add(&o, "{}", 2), 0);
	CU_ASSERT_EQUAL(bd_output_commit(&o, &e), 0);
	CU_ASSERT_EQUAL(read(rd, buf, sizeof(buf) - 1), 2);
	close(rd);
	/* A device that takes nothing. */
	CU_ASSERT_EQUAL_FATAL(bd_output_open(&o, "/dev/full", &e), 0);
	CU_ASSERT_EQUAL(bd_output_add(&o, "{}", 2), BD_EIO);
	CU_ASSERT_TRUE(bd_output_failed(&o));
	CU_ASSERT_EQUAL(bd_output_commit(&o, &e), BD_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "'/dev/full': cannot write: "));
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(path), 0);
}

/* 0666 less the umask, read without umask(0) in between (above). */
static void test_default_mode_reads_umask(void)
{
	mode_t old = umask(027);

	umask_calls = 0;
	CU_ASSERT_EQUAL(bd_output_default_mode(), 0640);
	CU_ASSERT_EQUAL(umask_calls, 0);
	umask(0);
	CU_ASSERT_EQUAL(bd_output_default_mode(), 0666);
	umask(old);
}

void bd_test_register_output(void)
{
	BD_SUITE("output", BD_TEST(test_atomic_replace),
		 BD_TEST(test_sticky_fifo_refused),
		 BD_TEST(test_sticky_file_refused), BD_TEST(test_keeps_owner),
		 BD_TEST(test_own_descriptor),
		 BD_TEST(test_unnamed_while_written), BD_TEST(test_long_name),
		 BD_TEST(test_through_symlink), BD_TEST(test_dangling_symlink),
		 BD_TEST(test_symlink_loop), BD_TEST(test_replace_at_symlink),
		 BD_TEST(test_keeps_mode), BD_TEST(test_sticky_link_refused),
		 BD_TEST(test_fifo), BD_TEST(test_stream), BD_TEST(test_try),
		 BD_TEST(test_default_mode_reads_umask));
}
