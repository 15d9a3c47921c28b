/* SPDX-License-Identifier: MIT */
/*
 * bindep-sbom: scan -> resolve -> identify -> emit. Only this file prints.
 */
#include "bindep/attach.h"
#include "bindep/cli.h"
#include "bindep/collect.h"
#include "bindep/emit.h"
#include "bindep/enrich.h"
#include "bindep/ident.h"
#include "bindep/input.h"
#include "bindep/map.h"
#include "bindep/manifest.h"
#include "bindep/mapping.h"
#include "bindep/output.h"
#include "bindep/progress.h"
#include "bindep/utf8.h"
#include "bindep/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,
	EXIT_USAGE = 2,
	EXIT_POLICY = 3,
};

/* A terminal that takes colours and redrawn lines: not when NO_COLOR
 * (no-color.org) or TERM=dumb say otherwise. */
static bool fancy_terminal(int fd)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	return isatty(fd) && !(no_color && *no_color) &&
	       !(term && !strcmp(term, "dumb"));
}

/* ---- progress on a terminal (issue 17) ------------------------------- */

/* The line is redrawn at most this often, and first shown after the run
 * has taken as long: a quick run shows none. */
#define PROGRESS_PERIOD_NS 100000000L

/*
 * The progress line on standard error, drawn by a thread of its own from
 * the counters the stages keep (bindep/progress.h), which print nothing.
 * Every message goes through the lock: the line is cleared, the message
 * printed, and the line drawn again at the next tick, so that they never
 * mix.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool on, stop;
	bool shown;  /* a line is on the terminal */
	size_t cols; /* its columns */
	const char *phase;
	struct bd_buf line; /* the one shown */
} progress = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void put_stderr(const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(STDERR_FILENO, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

/* The width of the terminal on fd (TIOCGWINSZ) when it is one, else
 * COLUMNS, else fallback. */
static unsigned columns_of(int fd, bool tty, unsigned fallback)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	unsigned long n;
	char *end;

	if (tty && !ioctl(fd, TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	if (env && *env) {
		errno = 0;
		n = strtoul(env, &end, 10);
		if (!*end && !errno && n > 0 && n <= 100000)
			return (unsigned)n;
	}
	return fallback;
}

/* The terminal's width (TIOCGWINSZ), else COLUMNS, else 80. */
static unsigned terminal_columns(int fd)
{
	return columns_of(fd, true, 80);
}

static void blanks(struct bd_buf *b, size_t n)
{
	while (n--)
		bd_buf_addc(b, ' ');
}

/* Under the lock. A carriage return, the line, and blanks over what a
 * longer one left: no escape sequence, so that the terminal needs none
 * (and --color=never output has none). */
static void progress_draw(void)
{
	struct bd_progress_snapshot snap;
	struct bd_buf b = BD_BUF_INIT;
	size_t cols;

	bd_progress_snapshot(&snap);
	bd_buf_addc(&b, '\r');
	cols = bd_progress_line(&b, &snap, progress.phase,
				terminal_columns(STDERR_FILENO));
	if (progress.shown && progress.cols > cols)
		blanks(&b, progress.cols - cols);
	if (bd_buf_ok(&b) && (!progress.shown || b.len != progress.line.len ||
			      memcmp(b.data, progress.line.data, b.len))) {
		put_stderr(b.data, b.len);
		bd_buf_reset(&progress.line);
		bd_buf_add(&progress.line, b.data, b.len);
		progress.shown = true;
		progress.cols = cols;
	}
	bd_buf_release(&b);
}

/* Under the lock: the line blanked, the cursor at its start. */
static void progress_clear(void)
{
	struct bd_buf b = BD_BUF_INIT;

	if (!progress.shown)
		return;
	bd_buf_addc(&b, '\r');
	blanks(&b, progress.cols);
	bd_buf_addc(&b, '\r');
	if (bd_buf_ok(&b))
		put_stderr(b.data, b.len);
	bd_buf_release(&b);
	progress.shown = false;
}

static void add_ns(struct timespec *t, long ns)
{
	t->tv_nsec += ns;
	while (t->tv_nsec >= 1000000000L) {
		t->tv_nsec -= 1000000000L;
		t->tv_sec++;
	}
}

static void *progress_thread(void *arg)
{
	struct timespec next;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &next);
	add_ns(&next, PROGRESS_PERIOD_NS);
	pthread_mutex_lock(&progress.lock);
	while (!progress.stop) {
		if (pthread_cond_timedwait(&progress.wake, &progress.lock,
					   &next) != ETIMEDOUT)
			continue;
		progress_draw();
		clock_gettime(CLOCK_MONOTONIC, &next);
		add_ns(&next, PROGRESS_PERIOD_NS);
	}
	progress_clear();
	pthread_mutex_unlock(&progress.lock);
	return NULL;
}

/* Only where standard error is a terminal that takes redrawn lines, and
 * -q was not given. Without a thread, simply no progress. */
static void progress_start(const struct bd_options *o)
{
	pthread_condattr_t attr;

	if (o->verbosity < 0 || !fancy_terminal(STDERR_FILENO))
		return;
	progress.phase = "scanning";
	if (pthread_condattr_init(&attr))
		return;
	if (!pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) &&
	    !pthread_cond_init(&progress.wake, &attr)) {
		progress.on = !pthread_create(&progress.thread, NULL,
					      progress_thread, NULL);
		if (!progress.on)
			pthread_cond_destroy(&progress.wake);
	}
	pthread_condattr_destroy(&attr);
}

static void progress_phase(const char *phase)
{
	pthread_mutex_lock(&progress.lock);
	progress.phase = phase;
	pthread_mutex_unlock(&progress.lock);
}

/* The thread stopped, the line erased. */
static void progress_stop(void)
{
	if (!progress.on)
		return;
	pthread_mutex_lock(&progress.lock);
	progress.stop = true;
	pthread_cond_signal(&progress.wake);
	pthread_mutex_unlock(&progress.lock);
	pthread_join(progress.thread, NULL);
	pthread_cond_destroy(&progress.wake);
	bd_buf_release(&progress.line);
	progress.on = false;
}

/* Messages name files and quote their contents: control bytes are shown
 * as "\x1b", never sent to the terminal (bindep/utf8.h). */
static void print_message(const char *what, const char *msg)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_utf8_escape(&b, msg, strlen(msg));
	pthread_mutex_lock(&progress.lock);
	progress_clear();
	fprintf(stderr, "%s: %s%s\n", BD_PROGRAM, what,
		bd_buf_ok(&b) ? bd_buf_str(&b) : "(out of memory)");
	pthread_mutex_unlock(&progress.lock);
	bd_buf_release(&b);
}

/* A usage error names what was given, PATHs too: escaped as every
 * message is (print_message). */
static int usage_error(const char *msg)
{
	struct bd_buf b = BD_BUF_INIT;

	bd_utf8_escape(&b, msg, strlen(msg));
	fprintf(stderr, "%s: %s\nusage: %s [OPTIONS] PATH...  (see --help)\n",
		BD_PROGRAM, bd_buf_ok(&b) ? bd_buf_str(&b) : "(out of memory)",
		BD_PROGRAM);
	bd_buf_release(&b);
	return EXIT_USAGE;
}

/* --help or --version could not be written: said, as the SBOM's is. */
static int stdout_failed(void)
{
	fprintf(stderr, "%s: error: '<stdout>': cannot write: %s\n", BD_PROGRAM,
		strerror(errno ? errno : EIO));
	return EXIT_RUNTIME;
}

static int print_help(void)
{
	struct bd_buf b = BD_BUF_INIT;
	int ok;

	bd_cli_help(&b);
	ok = bd_buf_ok(&b) && fputs(bd_buf_str(&b), stdout) >= 0 &&
	     fflush(stdout) == 0;
	bd_buf_release(&b);
	return ok ? EXIT_OK : stdout_failed();
}

/* 9999-12-31T23:59:59Z: the last second that a date-time of RFC 3339 (and
 * xsd:dateTime in SPDX) can write with its four-digit year. */
#define SOURCE_DATE_EPOCH_MAX 253402300799ULL

/*
 * The document's creation time: SOURCE_DATE_EPOCH (reproducible-builds.org)
 * when set, a decimal count of seconds, anything else an error as the
 * specification asks; else now. NTIA's "timestamp" minimum element is when
 * the SBOM data was assembled (issue 15), not when the inputs were last
 * changed. Returns 0, -1 for no number, -2 for a date past
 * SOURCE_DATE_EPOCH_MAX.
 */
static int source_date_epoch(time_t *out)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	unsigned long long v;
	char *end;

	*out = time(NULL);
	if (!s)
		return 0;
	/* Digits only (reproducible-builds.org's spec: an ASCII decimal
	 * integer): strtoull took " 1700000000" and "+1700000000", not
	 * "1700000000 ". */
	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > (unsigned long long)INT64_MAX)
		return -1;
	if (v > SOURCE_DATE_EPOCH_MAX)
		return -2;
	*out = (time_t)v;
	return 0;
}

/* SOURCE_DATE_EPOCH as source_date_epoch reads it: 0, or -1 with err
 * set. */
static int check_epoch(struct bd_error *err)
{
	time_t ts;

	switch (source_date_epoch(&ts)) {
	case 0: return 0;
	case -1:
		bd_error_set(err, BD_EUSAGE,
			     "SOURCE_DATE_EPOCH is not a number of seconds");
		return -1;
	default:
		bd_error_set(err, BD_EUSAGE,
			     "SOURCE_DATE_EPOCH is past 9999-12-31T23:59:59Z "
			     "(253402300799)");
		return -1;
	}
}

/* "dist/" -> "dist"; the described target's default name. */
static const char *default_source_name(const char *path, char *buf, size_t size)
{
	size_t len = strlen(path);
	const char *base;

	while (len > 1 && path[len - 1] == '/')
		len--;
	snprintf(buf, size, "%.*s", (int)len, path);
	base = strrchr(buf, '/');
	return base && base[1] ? base + 1 : buf;
}

/* Distinct manifest names the registry reads (the shipped one has one,
 * versions.json); more are not kept from archives. */
#define MAX_COMPANIONS 16

struct run {
	struct bd_options opts;
	struct bd_enrich_stats online;
	struct bd_root root;
	struct bd_diag diag;
	struct bd_input input;
	struct bd_walk walk;
	struct bd_exclude exclude; /* --exclude, matched by the walk and the
				      artifacts' reading */
	struct bd_graph graph;
	struct bd_ident_options ident;
	struct bd_ident_load *load; /* the databases, read during the scan */
	char mappings_buf[4096];
	/* Where the tree scanned is shown relative to (bindep/root.h). */
	char cwd[PATH_MAX];
	struct bd_relative relative;
	char **tops; /* relative.tops, malloc'd */
	struct bd_collect_stats stats;
	size_t nwarnings; /* warnings reported, whether shown or not */
	size_t nhidden;	  /* of them, those past WARNINGS_SHOWN, not shown */
	bool hidden_said; /* say_hidden's line was written */
	/* The warnings reported, by their text: one (the same file, the same
	 * problem) is said once, whichever stages met it: a directory whose
	 * listing fails is listed by the walk, the wheel search and the SBOM
	 * search alike. Past WARNINGS_SHOWN no more are kept (capped). */
	struct bd_map warned;
	struct bd_arena warned_text;
	struct bd_error err;
	/* The manifests an archive keeps beside its libraries. */
	const char *companions[MAX_COMPANIONS];
};

/*
 * Warnings shown without -v. A hostile archive or root of a million
 * broken ELF files printed a million lines (100 MB of a CI log) and kept
 * every one's text: the SBOM marks each bad file (bindep:error) whatever
 * stderr says, so the rest are counted in one line at the end (hidden).
 */
#define WARNINGS_SHOWN 1000

/* Whether the cap is reached: -v shows and remembers every warning, as
 * it was asked to; otherwise past the first WARNINGS_SHOWN. */
static bool capped(const struct run *r)
{
	return r->opts.verbosity <= 0 && r->nwarnings >= WARNINGS_SHOWN;
}

/*
 * Whether this warning was reported already; noted if not (when out of
 * memory, it is reported again rather than lost). Past the cap a text is
 * looked up among those kept but no longer kept itself, so that memory
 * stays bounded whatever the input holds: a text first met past the cap
 * is counted each time a stage reports it (a directory whose listing
 * fails counts up to three). The count of those not shown is then one of
 * reports, at least the distinct problems; its line says "warnings", not
 * "files" or "problems", and the SBOM lists each bad file once.
 */
static bool warned_before(struct run *r, const char *msg)
{
	uint32_t unused;
	char *key;

	if (bd_map_get(&r->warned, msg, &unused))
		return true;
	if (capped(r))
		return false;
	key = bd_arena_strdup(&r->warned_text, msg);
	if (key)
		(void)bd_map_put(&r->warned, key, 0);
	return false;
}

/* Counted here, where every stage's warnings pass: the walk's, the
 * scan's, the artifacts' and the databases' alike. */
static void warn(struct run *r, const char *msg)
{
	if (warned_before(r, msg))
		return;
	if (capped(r))
		r->nhidden++;
	else if (r->opts.verbosity >= 0)
		print_message("warning: ", msg);
	r->nwarnings++;
}

static void report(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct run *r = ctx;

	if (level == BD_DIAG_WARNING)
		warn(r, msg);
	else if (level == BD_DIAG_INFO && r->opts.verbosity > 0)
		print_message("", msg);
}

/* The warnings past the cap, in one line after the warnings shown, once:
 * the end of a CI log tells its reader that there were more, and how to
 * see them. A run that fails says it before its error, which stays the
 * last line, as the reason the run failed. -q shows none. */
static void say_hidden(struct run *r)
{
	char line[128];

	if (!r->nhidden || r->opts.verbosity < 0 || r->hidden_said)
		return;
	r->hidden_said = true;
	snprintf(line, sizeof(line),
		 "%zu more warning%s not shown (--verbose shows every one)",
		 r->nhidden, r->nhidden == 1 ? "" : "s");
	print_message("warning: ", line);
}

static int fail(struct run *r)
{
	say_hidden(r);
	print_message("error: ", r->err.msg);
	return EXIT_RUNTIME;
}

/* A usage error met once the run began (which image of several): after
 * the warnings it met, as fail. */
static int usage_failure(struct run *r)
{
	say_hidden(r);
	return usage_error(r->err.msg);
}

/* ", 1 file walked", ", 2 files walked": a count and its noun, singular
 * or plural. */
static void count(struct bd_buf *b, size_t n, const char *one, const char *many,
		  const char *rest)
{
	bd_buf_printf(b, "%s%zu %s%s", b->len ? ", " : "", n,
		      n == 1 ? one : many, rest);
}

/* --strict's one line: the needed libraries and the dlopen entries of
 * priority "required" (spec 12: the binary does not work without them)
 * that nothing meets. */
static void strict_failure(const struct run *r)
{
	size_t n = r->stats.unresolved_needed,
	       dl = r->stats.unresolved_required_dlopen;
	struct bd_buf b = BD_BUF_INIT;

	if (n)
		bd_buf_printf(&b, "%zu needed %s", n,
			      n == 1 ? "library" : "libraries");
	if (dl)
		bd_buf_printf(&b, "%s%zu required dlopen %s", n ? " and " : "",
			      dl, dl == 1 ? "library" : "libraries");
	fprintf(stderr, "%s: error: --strict: %s not found%s\n", BD_PROGRAM,
		bd_buf_ok(&b) ? bd_buf_str(&b) : "libraries",
		r->opts.verbosity > 0 ? "" : " (run with -v to list them)");
	bd_buf_release(&b);
}

/* -v: a pattern that left nothing out, a typo as often as not (a
 * relative pattern under --root, whose paths are absolute). */
static void unmatched_excludes(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->exclude.n; i++) {
		struct bd_buf b = BD_BUF_INIT;

		if (r->exclude.pattern[i].matched)
			continue;
		bd_buf_printf(&b, "--exclude '%s' matched nothing",
			      r->exclude.pattern[i].given);
		print_message("",
			      bd_buf_ok(&b) ? bd_buf_str(&b) : "out of memory");
		bd_buf_release(&b);
	}
}

static void summary(const struct run *r)
{
	struct bd_buf b = BD_BUF_INIT;

	if (r->opts.verbosity <= 0)
		return;
	unmatched_excludes(r);
	count(&b, r->stats.files, "file", "files", " walked");
	count(&b, r->stats.elf_files, "ELF file", "ELF files", "");
	count(&b, r->stats.non_elf, "non-ELF file", "non-ELF files",
	      " skipped");
	if (bd_exclude_active(&r->exclude))
		count(&b, r->exclude.nexcluded, "path", "paths", " excluded");
	count(&b, r->stats.discovered, "file", "files",
	      " found by the loader search");
	count(&b, r->graph.ncomps, "component", "components", "");
	count(&b, r->stats.unresolved_needed, "needed library",
	      "needed libraries", " not found");
	if (r->stats.unresolved_required_dlopen)
		count(&b, r->stats.unresolved_required_dlopen,
		      "required dlopen library", "required dlopen libraries",
		      " not found");
	/* Not counted as not found, nor failing --strict: glibc's loader
	 * meets them once the program has loaded their library by path. */
	if (r->stats.preloaded_needed)
		count(&b, r->stats.preloaded_needed, "needed library",
		      "needed libraries",
		      " matched by soname, loaded by path first");
	count(&b, r->nwarnings, "warning", "warnings", "");
	/* One write: stderr is unbuffered, and may be shared. */
	fprintf(stderr, "%s: %s\n", BD_PROGRAM, bd_buf_str(&b));
	bd_buf_release(&b);
	if (r->opts.online)
		fprintf(stderr,
			"%s: online: %zu lookup%s, %zu answered from the "
			"cache, %zu fetched, %zu failed\n",
			BD_PROGRAM, r->online.lookups,
			r->online.lookups == 1 ? "" : "s", r->online.from_cache,
			r->online.fetched, r->online.failed);
}

/*
 * The shipped registry: "mappings" beside the program when it runs from
 * its source tree, else the installed one.
 */
static const char *mappings_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;
	struct stat st;

	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash &&
		    (size_t)(slash - buf) + sizeof("/mappings") < size) {
			strcpy(slash, "/mappings");
			if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
				return buf;
		}
	}
	return BD_DATADIR "/mappings";
}

/* The registry's string rules, for the readers ahead of the walk (the
 * load's thread reads them while the walk begins). */
static const struct bd_strrules *walk_strings(void *load)
{
	return bd_ident_strings(load);
}

/*
 * The files the compiled-in registry reads beside a library, by the last
 * part of their path (sharp-libvips's "../versions.json"), for the
 * archives to keep: they are read before the registry is loaded. A
 * manifest only a --mapping file names is read on disk alone.
 */
static size_t registry_companions(const char **out, size_t max)
{
	const struct bd_mapping_builtin *b;
	size_t nb, i, k, n = 0;
	unsigned j;

	b = bd_mapping_builtins(&nb);
	for (i = 0; i < nb; i++)
		for (j = 0; j < b[i].libraries_count; j++) {
			const struct bd_mapping_manifest *m =
				b[i].libraries[j].manifest;
			const char *slash = m ? strrchr(m->path, '/') : NULL;
			const char *base = !m	   ? NULL
					   : slash ? slash + 1
						   : m->path;

			for (k = 0; base && k < n && strcmp(out[k], base); k++)
				;
			if (base && k == n && n < max)
				out[n++] = base;
		}
	return n;
}

/* Reading ahead of the walk, from the root it runs in, with the sniff
 * bd_input_walked will give bd_collect_prepare. */
static int start_early(struct run *r)
{
	struct bd_collect_prepare_options po = {
		r->opts.jobs, bd_input_walk_sniff(&r->input)
	};

	if (!bd_collect_early_start(&r->walk, &r->root, &po, walk_strings,
				    r->load))
		return 0;
	bd_error_set(&r->err, BD_ENOMEM, "out of memory");
	return -1;
}

/* The PATH arguments that are artifacts are read now, the rest walked
 * (a whole root when there are none); then the artifacts among the walked
 * files. */
static int walk_inputs(struct run *r)
{
	const char *whole[1];
	const char *const *paths = (const char *const *)r->opts.paths;
	size_t n = r->opts.npaths;

	/* With no PATH too: its checks of the image options. */
	if (bd_input_paths(&r->input, paths, n, &r->err))
		return -1;
	paths = r->input.rest;
	n = r->input.nrest;
	/* The artifacts among them were found and read: a bad PATH beside
	 * them is one warning, as beside a directory. */
	r->walk.nargs_found += r->opts.npaths - n;
	r->walk.nargs_scanned += r->opts.npaths - n;
	if (r->input.have_image && r->opts.root) {
		bd_error_set(
			&r->err, BD_EUSAGE,
			"'%s': an image is its own root: no --root with it",
			r->input.image_display);
		return -1;
	}
	if (bd_root_init(&r->root,
			 r->input.have_image ? r->input.image.rootfs
					     : r->opts.root,
			 &r->err))
		return -1;
	if (r->input.have_image)
		r->walk.root_shown = r->input.image_display;
	/* The registry, then the package databases, are read while the
	 * files are walked and scanned; bd_identify waits for them. */
	if (bd_ident_load_start(&r->load, &r->root, &r->ident)) {
		bd_error_set(&r->err, BD_ENOMEM, "out of memory");
		return -1;
	}
	if (!r->opts.npaths || (!n && r->input.have_image)) {
		/* --root alone scans the whole root, by its canonical path:
		 * the name given may be a symlink to it ("" is the host's
		 * "/"). */
		whole[0] = r->root.hostlen ? r->root.host : "/";
		paths = whole;
		n = 1;
	}
	/* The files are read as the walk lists them (not from an image:
	 * its files are opened in its overlay). */
	if (n && !r->input.have_image && start_early(r))
		return -1;
	if (n && bd_walk_paths(&r->walk, paths, n, &r->diag, &r->err))
		return -1;
	bd_collect_early_finish(&r->walk);
	/* Every ELF file read is searched for the registry's strings: read
	 * while the files were walked. */
	r->walk.strings = bd_ident_strings(r->load);
	return bd_input_walked(&r->input, &r->walk, &r->root, &r->err);
}

/* The walked files are read, then in the graph: the package databases
 * are searched for them while bd_collect merges them, then searches for
 * what they need. */
static void prepared(void *ctx, const struct bd_walk *w)
{
	bd_ident_prepared(ctx, w);
}

static void merged(void *ctx, const struct bd_graph *g)
{
	bd_ident_merged(ctx, g);
}

/* The resolve stage asks who owns the files a need may be met in by
 * soname; identification's databases say it (bd_ident_owners). */
static int owners(void *ctx, const char *const *paths, size_t n,
		  struct bd_resolve_owner *out)
{
	struct bd_ident_source *src = calloc(n ? n : 1, sizeof(*src));
	size_t i;
	int rc = src ? bd_ident_owners(ctx, paths, n, src) : BD_ENOMEM;

	for (i = 0; !rc && i < n; i++)
		out[i] = (struct bd_resolve_owner){ src[i].type, src[i].name,
						    src[i].version };
	free(src);
	return rc;
}

/* The top directory a relative PATH lies in, canonical ("dist" of
 * "dist/x.whl", "./dist/" or "dist"; the current directory for a file
 * "app", or "."), malloc'd; NULL when it has none below the current
 * directory ("../x", a link out). */
static char *relative_top(const char *path, const char *cwd)
{
	size_t n, c = strlen(cwd);
	struct stat st;
	char *first, *top;

	while (path[0] == '.' && path[1] == '/')
		path += 2 + strspn(path + 2, "/");
	n = strcspn(path, "/");
	if (!n || (n == 1 && path[0] == '.') ||
	    (!path[n] && (stat(path, &st) || !S_ISDIR(st.st_mode))))
		return strdup(cwd); /* ".", or a file here: its directory */
	first = strndup(path, n);
	top = first ? realpath(first, NULL) : NULL;
	free(first);
	if (top && c > 1 &&
	    (strncmp(top, cwd, c) || (top[c] && top[c] != '/'))) {
		free(top);
		top = NULL;
	}
	return top;
}

/* Where the tree scanned is shown relative to: when every PATH given is
 * relative and no --root is, the current directory, for files below the
 * PATHs' top directories (the SBOM then says nothing of this machine's
 * directories, and a library the loader finds in /usr/lib stays there).
 * NULL: absolute paths. */
static const struct bd_relative *relative_base(struct run *r)
{
	size_t i;

	if (r->opts.root || !r->opts.npaths)
		return NULL;
	for (i = 0; i < r->opts.npaths; i++)
		if (r->opts.paths[i][0] == '/')
			return NULL;
	if (!getcwd(r->cwd, sizeof(r->cwd)) ||
	    !(r->tops = calloc(r->opts.npaths, sizeof(*r->tops))))
		return NULL;
	r->relative.cwd = r->cwd;
	r->relative.tops = (const char *const *)r->tops;
	for (i = 0; i < r->opts.npaths; i++) {
		char *top = relative_top(r->opts.paths[i], r->cwd);

		if (top)
			r->tops[r->relative.ntops++] = top;
	}
	return &r->relative;
}

/* Walk, scan, resolve and identify into r->graph. */
static int build_graph(struct run *r)
{
	struct bd_collect_options co = { 0 };
	struct bd_ident_options *io = &r->ident;

	io->mappings_dir = r->opts.mappings_dir
				   ? r->opts.mappings_dir
				   : mappings_dir(r->mappings_buf,
						  sizeof(r->mappings_buf));
	io->mapping_files = r->opts.mapping_files;
	io->nmapping_files = r->opts.nmapping_files;
	io->registry_dir = r->opts.registry_dir;
	/* The shipped registry's files, compiled in: taken from there when
	 * the files read are they, byte for byte (registry_data.c). */
	io->builtin = bd_mapping_builtins(&io->nbuiltin);
	io->relative = relative_base(r);
	co.jobs = r->opts.jobs;
	co.resolve.library_path = r->opts.library_path;
	co.resolve.display = bd_input_display;
	co.resolve.display_ctx = &r->input;
	co.resolve.relative = io->relative;
	co.prepared = prepared;
	co.merged = merged;
	r->walk.root = &r->root;
	r->walk.rooted = r->opts.root != NULL;
	r->walk.exclude = &r->exclude;
	/* set once the image is read (walk_inputs): what a warning about
	 * the whole tree names */
	r->walk.root_shown = r->opts.root;
	if (walk_inputs(r))
		return -1;
	co.merged_ctx = r->load;
	co.resolve.owners = owners;
	co.resolve.owners_ctx = r->load;
	co.resolve.root = bd_input_root(&r->input, &r->root);
	if (bd_collect(&r->graph, &r->walk, &co, &r->diag, &r->stats, &r->err))
		return -1;
	progress_phase("identifying");
	/* The SBOMs the artifacts carry meet what we identified. */
	if (bd_input_graph(&r->input, &r->graph, &r->err) ||
	    bd_identify(&r->graph, r->load, &r->diag, &r->err) ||
	    bd_input_carried(&r->input, &r->graph, &r->err))
		return -1;
	bd_ident_package_licenses(&r->graph);
	return 0;
}

/* Whether the output is standard output: "-", or a name of the same file
 * (/dev/stdout, /dev/fd/1, the terminal's own path), which is written as
 * "-" is (bindep/output.h). */
static bool to_stdout(const struct bd_options *o)
{
	struct stat out, std;

	if (!o->output || !strcmp(o->output, "-"))
		return true;
	return !stat(o->output, &out) && !fstat(STDOUT_FILENO, &std) &&
	       out.st_dev == std.st_dev && out.st_ino == std.st_ino;
}

/*
 * With no --format: the summary for a person at a terminal (standard
 * output a terminal, no -o), else CycloneDX for a pipe or a file, so that
 * `bindep-sbom dist/ | jq .` and scripts get JSON as they always did.
 */
static void default_format(struct bd_options *o)
{
	/* --spec-version asks for CycloneDX: on a terminal it was dropped in
	 * silence for the summary, where --format summary with it is a
	 * usage error. */
	if (!o->format_given && !o->output && !o->spec_version &&
	    isatty(STDOUT_FILENO))
		o->format = BD_FORMAT_SUMMARY;
}

/* --color=auto: a terminal that takes colours. Only the summary and the
 * text view have colours. */
static bool use_color(const struct bd_options *o)
{
	if ((o->format != BD_FORMAT_TEXT && o->format != BD_FORMAT_SUMMARY) ||
	    o->color == BD_COLOR_NEVER)
		return false;
	if (o->color == BD_COLOR_ALWAYS)
		return true;
	return to_stdout(o) && fancy_terminal(STDOUT_FILENO);
}

/* The width the summary fits: the terminal's (TIOCGWINSZ), else COLUMNS,
 * else 80 on a terminal and no limit elsewhere. */
static unsigned output_columns(const struct bd_options *o)
{
	bool tty = to_stdout(o) && isatty(STDOUT_FILENO);

	return columns_of(STDOUT_FILENO, tty, tty ? 80 : 0);
}

/* The formats to read are made whole, then written; the JSON ones are
 * written as they are made. */
static int emit_text(struct run *r, const struct bd_emit_options *eo,
		     const struct bd_emit_sink *sink)
{
	struct bd_buf doc = BD_BUF_INIT;
	int rc;

	switch (r->opts.format) {
	case BD_FORMAT_TEXT:
		rc = bd_emit_text(&r->graph, eo, &doc, &r->err);
		break;
	case BD_FORMAT_SUMMARY:
		rc = bd_emit_summary(&r->graph, eo, &doc, &r->err);
		break;
	case BD_FORMAT_DOT:
		rc = bd_emit_dot(&r->graph, eo, &doc, &r->err);
		break;
	default: rc = bd_emit_funding(&r->graph, eo, &doc, &r->err);
	}

	if (!rc)
		rc = sink->write(sink->ctx, doc.data ? doc.data : "", doc.len);
	bd_buf_release(&doc);
	return rc;
}

static int emit(struct run *r, const struct bd_emit_options *eo,
		const struct bd_emit_sink *sink)
{
	switch (r->opts.format) {
	case BD_FORMAT_SPDX:
		return bd_emit_spdx_to(&r->graph, eo, sink, &r->err);
	case BD_FORMAT_SPDX3:
		return bd_emit_spdx3_to(&r->graph, eo, sink, &r->err);
	case BD_FORMAT_TEXT:
	case BD_FORMAT_SUMMARY:
	case BD_FORMAT_DOT:
	case BD_FORMAT_FUNDING: return emit_text(r, eo, sink);
	default: return bd_emit_cyclonedx_to(&r->graph, eo, sink, &r->err);
	}
}

/* ---- a signal while a file is written ------------------------------- */

/* The signal that asked to stop while a file was being written (the
 * SBOM's temporary, --attach's wheels), 0: none. The handler only sets
 * it; the writer stops at its next block, removes its temporary, and the
 * signal is raised again, so that the run still ends by it. */
static volatile sig_atomic_t stop_signal;
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NSTOP BD_ARRAY_SIZE(stop_signals)

static void note_stop(int sig)
{
	stop_signal = sig;
}

/* A signal ignored when we started (nohup, a shell's background job)
 * stays ignored: it would not have stopped the run. */
static void catch_stop_signals(struct sigaction old[NSTOP])
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = note_stop;
	for (i = 0; i < NSTOP; i++) {
		sigaction(stop_signals[i], NULL, &old[i]);
		if (old[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &sa, NULL);
	}
}

static void restore_stop_signals(const struct sigaction old[NSTOP])
{
	size_t i;

	for (i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &old[i], NULL);
}

/* The regular file -o names (through its links), in *out; false for
 * standard output, none yet, or another kind of file. */
static bool output_file(const struct bd_options *o, struct stat *out)
{
	return o->output && strcmp(o->output, "-") && !stat(o->output, out) &&
	       S_ISREG(out->st_mode);
}

/*
 * Whether -o names a file the SBOM describes (a link to it too): one the
 * scan read in a directory given (-o dist/mytool dist/, a slip of tab
 * completion), or one the search found (a library of the root). The SBOM
 * would replace the release file it lists, as cp refuses to copy a file
 * onto itself; known only once the scan has read them. Our own earlier
 * SBOM there is no component (carried.c skips it), so it is replaced.
 */
static bool described(const struct run *r, const char *what,
		      struct bd_error *err)
{
	if (!strcmp(what, r->opts.output))
		bd_error_set(err, BD_EUSAGE,
			     "-o '%s' is a file the SBOM describes: not "
			     "replaced, nothing written",
			     what);
	else
		bd_error_set(err, BD_EUSAGE,
			     "-o '%s' is '%s', a file the SBOM describes: not "
			     "replaced, nothing written",
			     r->opts.output, what);
	return true;
}

static bool output_is_described(const struct run *r, struct bd_error *err)
{
	const struct bd_graph *g = &r->graph;
	struct stat out;
	size_t i;

	if (!output_file(&r->opts, &out))
		return false;
	for (i = 0; i < g->ncomps; i++) {
		const struct bd_component *c = &g->comps[i];

		if (c->ino == out.st_ino && c->dev == out.st_dev && c->paths.n)
			return described(r, c->paths.items[0], err);
	}
	/* A release artifact given or walked (a nested one is no file). */
	for (i = 0; i < r->input.narts; i++) {
		const struct bd_input_artifact *a = &r->input.arts[i];
		struct stat st;

		if (a->parent == SIZE_MAX && !stat(a->host, &st) &&
		    st.st_ino == out.st_ino && st.st_dev == out.st_dev)
			return described(r, a->display, err);
	}
	return false;
}

static int add_unless_stopped(void *out, const char *data, size_t len)
{
	return stop_signal ? BD_EINTR : bd_output_add(out, data, len);
}

/* bd_output_try with the stop signals held: a named temporary (no
 * O_TMPFILE) lives between its creation and its removal, and one that
 * came then would leave it. Said once it is gone. */
static int try_output(const struct bd_options *o, struct bd_error *err)
{
	sigset_t stop, old;
	size_t i;
	int rc;

	sigemptyset(&stop);
	for (i = 0; i < NSTOP; i++)
		sigaddset(&stop, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &stop, &old);
	rc = bd_output_try(o->output, err);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/*
 * The SBOM to its destination as it is made (bindep/output.h): a file
 * through a temporary renamed over it, standard output as it comes. A
 * write that fails is said as the output's error, not the emitter's.
 * A signal while the SBOM is written: its temporary is removed, the file
 * it replaces left as it was (a named temporary, where the file system
 * has no O_TMPFILE, was left half written beside it), and the signal
 * raised again. One after the last block: the SBOM is whole.
 */
static int write_sbom(struct run *r, const struct bd_emit_options *eo)
{
	struct bd_output out;
	struct bd_emit_sink sink = { add_unless_stopped, NULL, &out };
	struct sigaction old[NSTOP];
	bool temp, stopped;
	int rc;

	if (output_is_described(r, &r->err))
		return -1;
	if (bd_output_open(&out, r->opts.output, &r->err))
		return -1;
	if (out.patchable)
		sink.patch = bd_output_patch;
	/* Written in place (standard output, a FIFO): no temporary to
	 * remove, and a signal must still end a write a reader holds up. */
	temp = out.dirfd >= 0;
	if (temp)
		catch_stop_signals(old);
	rc = emit(r, eo, &sink);
	stopped = stop_signal != 0;
	if (stopped || (rc && !bd_output_failed(&out))) {
		bd_output_abort(&out);
		rc = -1;
	} else {
		rc = bd_output_commit(&out, &r->err) ? -1 : 0;
	}
	if (temp)
		restore_stop_signals(old);
	if (stopped) {
		say_hidden(r);
		print_message("error: ", "interrupted: the SBOM was not "
					 "written, nor any file replaced");
	}
	if (stop_signal)
		raise(stop_signal);
	return rc;
}

/* $XDG_CACHE_HOME/bindep-sbom, else ~/.cache/bindep-sbom (XDG Base
 * Directory); NULL (no cache) when neither is known, or when the path
 * does not fit in buf (then *too_long names the variable): cut short, it
 * named another directory, which was made and written to. */
static const char *cache_dir(const struct bd_options *o, char *buf, size_t size,
			     const char **too_long)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	*too_long = NULL;
	if (o->cache_dir)
		return o->cache_dir;
	if (xdg && xdg[0] == '/') {
		*too_long = "XDG_CACHE_HOME";
		n = snprintf(buf, size, "%s/bindep-sbom", xdg);
	} else if (home && home[0] == '/') {
		*too_long = "HOME";
		n = snprintf(buf, size, "%s/.cache/bindep-sbom", home);
	} else {
		return NULL;
	}
	if (n < 0 || (size_t)n >= size)
		return NULL;
	*too_long = NULL;
	return buf;
}

/* "https://x/api/v1/" -> "https://x/api/v1" */
static const char *api_base(const char *given, const char *fallback, char *buf,
			    size_t size)
{
	size_t len;

	snprintf(buf, size, "%s", given ? given : fallback);
	len = strlen(buf);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	return buf;
}

/* --online: ecosyste.ms, after identification. Without it nothing here
 * runs and no connection is ever made. */
static int enrich_online(struct run *r)
{
	struct bd_enrich_options eo = { 0 };
	char ua[512], dir[4096], packages[2048], repos[2048];
	const char *too_long;

	if (!r->opts.online)
		return 0;
	if (r->opts.contact)
		snprintf(ua, sizeof(ua), "%s/%s (mailto:%s)", BD_PROGRAM,
			 BD_VERSION, r->opts.contact);
	else
		snprintf(ua, sizeof(ua), "%s/%s", BD_PROGRAM, BD_VERSION);
	eo.user_agent = ua;
	eo.packages_api = api_base(r->opts.packages_api,
				   "https://packages.ecosyste.ms/api/v1",
				   packages, sizeof(packages));
	eo.repos_api =
		api_base(r->opts.repos_api, "https://repos.ecosyste.ms/api/v1",
			 repos, sizeof(repos));
	eo.timeout_ms = r->opts.timeout * 1000;
	eo.cache.dir = cache_dir(&r->opts, dir, sizeof(dir), &too_long);
	if (too_long)
		bd_diag_report(&r->diag, BD_DIAG_WARNING,
			       "'%s' ($%s): the cache directory in it would "
			       "be longer than %zu bytes; answers are not "
			       "cached",
			       getenv(too_long), too_long, sizeof(dir) - 1);
	eo.cache.now = time(NULL);
	eo.cache.ttl = r->opts.cache_ttl;
	return bd_enrich(&r->graph, &eo, &r->diag, &r->online, &r->err);
}

/* An image is the target: its name, its manifest's digest (docker
 * save's has none: the image ID), its pkg:oci purl. */
static void describe_image(const struct bd_image *img,
			   const struct bd_options *o,
			   struct bd_emit_options *eo)
{
	if (!o->source_name)
		eo->source_name = img->name;
	if (!o->source_version)
		eo->source_version = img->manifest_digest[0]
					     ? img->manifest_digest
					     : img->config_digest;
	eo->source_purl = img->purl;
	eo->source_type = "container";
}

/* ---- --attach (issue 16, item 1) ------------------------------------- */

/* The SBOM of one wheel: what it holds, what that needs, what is
 * vendored, the wheel itself the described target. The graph's index is
 * made for the first (*ix), and serves every other. */
static int wheel_sbom(struct run *r, struct bd_attach_index **ix,
		      const struct bd_input_artifact *a,
		      const struct bd_emit_options *eo, struct bd_buf *doc)
{
	struct bd_emit_options o = *eo;
	struct bd_graph view;
	char key[96];
	char *within = NULL;
	int rc = BD_ENOMEM;

	snprintf(key, sizeof(key), "artifact:sha256:%s", a->sha256);
	bd_graph_init(&view);
	if (!*ix && bd_attach_index_new(&r->graph, ix))
		within = NULL;
	else if (asprintf(&within, "%s!/", a->display) >= 0)
		rc = bd_attach_index_view(*ix, key, within, &view);
	else
		within = NULL;
	free(within);
	if (rc) {
		bd_graph_release(&view);
		return bd_error_set(&r->err, rc, "'%s': %s", a->display,
				    rc == BD_ENOENT ? "not in the graph"
						    : "out of memory");
	}
	o.source_name = a->name;
	o.source_version = a->version;
	o.source_purl = a->purl;
	o.source_type = "library";
	o.serial = NULL; /* each document its own */
	/* The wheel was read whole: what the walk missed is not in it. */
	o.unread = NULL;
	o.nunread = o.unread_total = 0;
	rc = bd_emit_cyclonedx(&view, &o, doc, &r->err);
	bd_graph_release(&view);
	return rc;
}

static int attach_one(struct run *r, struct bd_attach_index **ix,
		      const struct bd_input_artifact *a,
		      const struct bd_emit_options *eo)
{
	struct bd_attach_options ao = {
		.dest_dir = r->opts.attach_dir,
		.force = r->opts.force,
		.mtime = eo->timestamp,
		.max_size = r->opts.max_unpacked ? r->opts.max_unpacked
						 : BD_ARCHIVE_MAX_UNPACKED,
		.stop = &stop_signal,
		.sha256 = a->sha256[0] ? a->sha256 : NULL,
	};
	struct bd_buf doc = BD_BUF_INIT;
	int rc = wheel_sbom(r, ix, a, eo, &doc);

	if (!rc)
		rc = bd_attach_wheel(a->host, a->display, doc.data, doc.len,
				     &ao, &r->diag, &r->err);
	bd_buf_release(&doc);
	if (!rc)
		bd_diag_report(&r->diag, BD_DIAG_INFO,
			       "'%s': its SBOM attached%s%s", a->display,
			       r->opts.attach_dir ? " in " : "",
			       r->opts.attach_dir ? r->opts.attach_dir : "");
	return rc;
}

static bool is_wheel(const struct bd_input_artifact *a)
{
	return a->type && !strcmp(a->type, "wheel");
}

/* A wheel given as an input (nested ones are their artifact's bytes, not
 * files to replace), or one named so that its METADATA was never reached. */
static bool attach_wanted(const struct bd_input_artifact *a)
{
	size_t n = strlen(a->display);

	return a->parent == SIZE_MAX &&
	       (is_wheel(a) || (n > 4 && !strcmp(a->display + n - 4, ".whl")));
}

static bool attach_readable(const struct bd_input_artifact *a)
{
	return is_wheel(a) && !a->failed;
}

/*
 * Each wheel among the inputs gets its SBOM. A wheel that fails, or that
 * could not be read, is said and the others go on; the run then fails.
 * A signal stops it all.
 */
/* With --attach-dir, whether a wheel of the same name was written there
 * before in this run: the second would replace it (a/x.whl, b/x.whl).
 * The name is the one bd_attach_wheel writes: its file's, not the
 * PATH's (a link named otherwise). */
static bool written_before(struct run *r, const struct bd_input_artifact *a,
			   struct bd_map *names)
{
	const char *slash = strrchr(a->host, '/');
	const char *base = slash ? slash + 1 : a->host;

	if (!r->opts.attach_dir)
		return false;
	if (bd_map_get(names, base, NULL))
		return true;
	(void)bd_map_put(names, base, 0);
	return false;
}

/* Whether the file a was attached already: one wheel given twice ("W W",
 * "./W W") is one wheel, attached once. Kept by its real path in seen
 * (the strings in arena). */
static bool attached_before(const struct bd_input_artifact *a,
			    struct bd_map *seen, struct bd_arena *arena)
{
	char *real = realpath(a->host, NULL);
	const char *key;
	bool before;

	if (!real)
		return false;
	before = bd_map_get(seen, real, NULL);
	key = before ? NULL : bd_arena_strdup(arena, real);
	if (key)
		(void)bd_map_put(seen, key, 0);
	free(real);
	return before;
}

static int attach_wheels(struct run *r, const struct bd_emit_options *eo)
{
	struct bd_attach_index *ix = NULL;
	struct bd_map names, seen;
	struct bd_arena arena;
	struct sigaction old[NSTOP];
	size_t i, done = 0, skipped = 0;
	int failed = 0, rc = 0;

	bd_map_init(&names);
	bd_map_init(&seen);
	bd_arena_init(&arena);
	catch_stop_signals(old);
	for (i = 0; i < r->input.narts && !stop_signal; i++) {
		const struct bd_input_artifact *a = &r->input.arts[i];

		if (!attach_wanted(a) || attached_before(a, &seen, &arena))
			continue;
		/* dist/x.whl -> ../elsewhere/x.whl: what was asked for is
		 * dist/, not the file it names, which is someone's else. */
		if (a->via_link) {
			bd_diag_report(&r->diag, BD_DIAG_WARNING,
				       "'%s': a symlink below the PATH: the "
				       "wheel it names is not replaced (give "
				       "it as a PATH)",
				       a->display);
			skipped++;
			continue;
		}
		/* Its warning said why; it is not left out in silence. */
		if (written_before(r, a, &names))
			rc = bd_error_set(&r->err, BD_EUSAGE,
					  "'%s': not attached: a wheel of its "
					  "name was written into '%s' already",
					  a->display, r->opts.attach_dir);
		else if (attach_readable(a))
			rc = attach_one(r, &ix, a, eo);
		else
			rc = bd_error_set(&r->err, BD_EFORMAT,
					  "'%s': not attached: the wheel "
					  "could not be read",
					  a->display);
		if (rc == BD_EINTR)
			break;
		if (rc) {
			print_message("error: ", r->err.msg);
			failed = 1;
		} else {
			done++;
		}
	}
	restore_stop_signals(old);
	bd_attach_index_free(ix);
	bd_map_release(&names);
	bd_map_release(&seen);
	bd_arena_release(&arena);
	if (stop_signal) {
		/* The signal may come after the last rename: then no wheel was
		 * being written, and none was left half done. */
		say_hidden(r);
		print_message("error: ",
			      rc == BD_EINTR
				      ? "interrupted: the wheel being written "
					"was left as it was"
				      : "interrupted: the wheels done are "
					"attached, no other was begun");
		raise(stop_signal);
		return -1;
	}
	if (!done && !failed && !skipped) {
		bd_diag_report(&r->diag, BD_DIAG_WARNING,
			       "--attach: no wheel among the inputs");
	}
	return failed ? -1 : 0;
}

static int run_pipeline(struct run *r)
{
	struct bd_emit_options eo = { 0 };
	char namebuf[4096];
	time_t ts;

	int rc;
	bool usage;

	/* A bad SOURCE_DATE_EPOCH is said before the scan, not after it. */
	if (check_epoch(&r->err))
		return fail(r);
	/* The progress line, until the output is written. */
	progress_start(&r->opts);
	rc = build_graph(r);
	/* A choice the command line must make (which image of several) is
	 * a usage error. */
	usage = rc && r->err.code == BD_EUSAGE;
	if (!rc && bd_graph_sort(&r->graph))
		rc = bd_error_set(&r->err, BD_ENOMEM, "out of memory");
	if (!rc && r->opts.online)
		progress_phase("looking up online");
	if (!rc)
		rc = enrich_online(r);
	progress_stop();
	if (rc)
		return usage ? usage_failure(r) : fail(r);
	source_date_epoch(&ts); /* checked by check_epoch */
	eo.source_name =
		r->opts.source_name
			? r->opts.source_name
			: default_source_name(r->opts.npaths ? r->opts.paths[0]
							     : r->opts.root,
					      namebuf, sizeof(namebuf));
	eo.source_version = r->opts.source_version;
	eo.authors = r->opts.authors;
	eo.nauthors = r->opts.nauthors;
	eo.supplier = r->opts.supplier;
	if (r->input.have_image)
		describe_image(&r->input.image.meta, &r->opts, &eo);
	eo.timestamp = ts;
	eo.serial = r->opts.serial;
	eo.color = use_color(&r->opts);
	eo.depth = r->opts.depth;
	if (r->opts.format == BD_FORMAT_SUMMARY)
		eo.columns = output_columns(&r->opts);
	eo.funding_format = (enum bd_funding_format)r->opts.funding_format;
	eo.cdx_version = (enum bd_cdx_version)r->opts.cdx_version;
	eo.unread = r->walk.unread;
	eo.nunread = r->walk.nunread_kept;
	eo.unread_total = r->walk.nunread;
	eo.excludes = r->opts.excludes;
	eo.nexcludes = r->opts.nexcludes;
	if (write_sbom(r, &eo))
		return r->err.code == BD_EUSAGE ? usage_failure(r) : fail(r);
	rc = r->opts.attach ? attach_wheels(r, &eo) : 0;
	summary(r);
	if (rc)
		return EXIT_RUNTIME;
	/* --strict: a required library missing fails the policy, after the
	 * SBOM that shows it was written. */
	if (r->opts.strict && (r->stats.unresolved_needed ||
			       r->stats.unresolved_required_dlopen)) {
		say_hidden(r);
		strict_failure(r);
		return EXIT_POLICY;
	}
	return EXIT_OK;
}

/*
 * Memory freed by the scanning threads goes back to the system: each file's
 * buffers and parse are freed when it is done, but glibc raises its trim
 * threshold each time a large block is freed (mallopt(3), "dynamic mmap
 * threshold") and then keeps that much free in every heap: 4 to 5 MB more
 * at the peak of a 2,000-file scan. Setting the threshold fixes it at
 * 128 KiB. (A lower mmap threshold returned as much but doubled the system
 * time in page faults.) Setting it also fixes the mmap threshold, at
 * 128 KiB unless set: each file's parse blocks of 128 KiB to 1 MiB
 * (libelf's tables, the lists read) were then mapped and unmapped file
 * after file, 1,100 page faults and 3-4% of the CPU time on a Debian
 * root; at 1 MiB they are reused from the heap (1.4 MB more at its peak).
 */
static void return_freed_memory(void)
{
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
	mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
}

/* Whether -o names one of the PATHs given (a link to it too): the SBOM
 * would replace the release file it describes, as cp refuses to copy a
 * file onto itself. */
static bool output_is_input(const struct bd_options *o, struct bd_error *err)
{
	struct stat out, in;
	size_t i;

	if (!output_file(o, &out))
		return false;
	for (i = 0; i < o->npaths; i++) {
		if (!stat(o->paths[i], &in) && in.st_dev == out.st_dev &&
		    in.st_ino == out.st_ino) {
			bd_error_set(err, BD_EUSAGE,
				     "-o '%s' is the PATH '%s': the SBOM "
				     "would replace it",
				     o->output, o->paths[i]);
			return true;
		}
	}
	return false;
}

/*
 * Descriptors 0, 1 and 2 that whoever started us left closed (`<&- >&-
 * 2>&-`, as some daemons and job runners do) are taken by /dev/null
 * before anything is opened, read-only, as gnulib's stdopen does: a write
 * to them still fails (the SBOM to a closed standard output is still
 * "cannot write"), and no file or pipe of ours gets their numbers. The
 * sentinel's pipe had been descriptor 2: the warnings were written into
 * it, the sentinel took the first byte for our end and left, and the next
 * line (-v's summary, after the SBOM was written) raised SIGPIPE: exit
 * 141, the private directory left behind.
 */
static void hold_standard_descriptors(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", O_RDONLY) < 0)
			return;
}

int main(int argc, char **argv)
{
	struct run r;
	int status;

	hold_standard_descriptors();
	return_freed_memory();
	memset(&r, 0, sizeof(r));
	if (bd_cli_parse(argc, argv, &r.opts, &r.err))
		return usage_error(r.err.msg);
	if (r.opts.help)
		return print_help();
	if (r.opts.version) {
		printf("%s %s\n", BD_PROGRAM, BD_VERSION);
		return fflush(stdout) == 0 ? EXIT_OK : stdout_failed();
	}
	default_format(&r.opts);
	if (output_is_input(&r.opts, &r.err))
		return usage_error(r.err.msg);
	/* Before a scan that may be long, not after it. */
	if (try_output(&r.opts, &r.err)) {
		print_message("error: ", r.err.msg);
		return EXIT_RUNTIME;
	}
	if (bd_exclude_init(&r.exclude, r.opts.excludes, r.opts.nexcludes,
			    &r.err)) {
		print_message("error: ", r.err.msg);
		return EXIT_RUNTIME;
	}
	bd_map_init(&r.warned);
	bd_arena_init(&r.warned_text);
	r.diag.report = report;
	r.diag.ctx = &r;
	bd_input_init(&r.input,
		      &(struct bd_input_options){
			      .max_unpacked = r.opts.max_unpacked,
			      .scan_walked = r.opts.npaths > 0,
			      .platform = r.opts.platform,
			      .image_ref = r.opts.image_ref,
			      .jobs = r.opts.jobs,
			      .companions = r.companions,
			      .ncompanions = registry_companions(
				      r.companions, MAX_COMPANIONS),
			      .companion_max = BD_MANIFEST_MAX_BYTES,
			      .exclude = &r.exclude },
		      &r.diag);
	bd_walk_init(&r.walk);
	bd_graph_init(&r.graph);
	status = run_pipeline(&r);
	say_hidden(&r);
	/* The walk's readers wait on the load for its string rules: stopped
	 * first (a walk that failed left them running). */
	bd_walk_drop_early(&r.walk);
	bd_ident_load_free(r.load);
	bd_graph_release(&r.graph);
	for (size_t i = 0; i < r.relative.ntops; i++)
		free(r.tops[i]);
	free(r.tops);
	bd_walk_release(&r.walk);
	bd_input_release(&r.input);
	bd_root_release(&r.root);
	bd_map_release(&r.warned);
	bd_arena_release(&r.warned_text);
	bd_exclude_release(&r.exclude);
	return status;
}
