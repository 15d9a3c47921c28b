/* SPDX-License-Identifier: MIT */
/*
 * Scan and resolve over a walk. Distinct files are scanned in parallel by
 * a small pool of threads (hashing dominates, and it is per file); the
 * results are merged into the graph by the calling thread in walk order,
 * with each file's warnings replayed then, so that the graph and stderr
 * are the same whatever the number of threads. Workers run at most
 * WINDOW files ahead of the merge, which bounds memory. Each thread reads
 * with its own scanner (a buffer and a digest, reused).
 */
#include "bindep/collect.h"
#include "bindep/buf.h"
#include "bindep/resolve.h"
#include "bindep/scan.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WINDOW	    64
#define MAX_THREADS 16

/* One distinct file (device and inode) to scan. */
struct job {
	size_t file; /* index of its first path in the walk */
	bool done;
	int rc;
	struct stat st; /* of the file as opened */
	char sha256[65];
	struct bd_elf_info info;
	struct bd_error err;
	struct bd_buf msgs; /* buffered warnings: level byte, text, NUL */
};

struct pool {
	const struct bd_walk *walk;
	/* Where the files are opened: the walk's root, or the overlay of
	 * the artifacts over it (bindep/input.h). */
	const struct bd_root *root;
	size_t *first_of; /* per job: the walk index of its first path */
	size_t njobs;
	struct job slots[WINDOW];
	pthread_mutex_t lock;
	pthread_cond_t done_cv, space_cv;
	size_t next, merged;
};

static void buffer_report(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct bd_buf *b = ctx;

	bd_buf_addc(b, (char)('0' + level));
	bd_buf_add(b, msg, strlen(msg) + 1);
}

static void run_job(struct job *j, struct bd_scanner *sc,
		    const struct bd_root *root, const struct bd_walk_file *wf)
{
	struct bd_diag diag = { buffer_report, &j->msgs };

	bd_elf_info_init(&j->info);
	bd_buf_reset(&j->msgs);
	bd_error_clear(&j->err);
	j->rc = sc ? bd_scan_file(sc, root, wf->host, wf->path, &j->info,
				  j->sha256, &j->st, &diag, &j->err)
		   : bd_error_set(&j->err, BD_ENOMEM, "out of memory");
}

/* Takes the next job, waiting while the window is full; false at the end. */
static bool take_job(struct pool *p, size_t *k)
{
	bool ok;

	pthread_mutex_lock(&p->lock);
	while (p->next < p->njobs && p->next >= p->merged + WINDOW)
		pthread_cond_wait(&p->space_cv, &p->lock);
	ok = p->next < p->njobs;
	if (ok)
		*k = p->next++;
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct bd_scanner sc;
	bool have_sc = !bd_scanner_init(&sc);
	size_t k;

	while (take_job(p, &k)) {
		struct job *j = &p->slots[k % WINDOW];

		run_job(j, have_sc ? &sc : NULL, p->root,
			&p->walk->files[p->first_of[k]]);
		pthread_mutex_lock(&p->lock);
		j->done = true;
		pthread_cond_broadcast(&p->done_cv);
		pthread_mutex_unlock(&p->lock);
	}
	if (have_sc)
		bd_scanner_release(&sc);
	return NULL;
}

static struct job *wait_job(struct pool *p, size_t k)
{
	struct job *j = &p->slots[k % WINDOW];

	pthread_mutex_lock(&p->lock);
	while (!j->done)
		pthread_cond_wait(&p->done_cv, &p->lock);
	pthread_mutex_unlock(&p->lock);
	return j;
}

static void release_job(struct pool *p, struct job *j, size_t k)
{
	bd_elf_info_release(&j->info);
	pthread_mutex_lock(&p->lock);
	j->done = false;
	p->merged = k + 1;
	pthread_cond_broadcast(&p->space_cv);
	pthread_mutex_unlock(&p->lock);
}

/* ---- merging --------------------------------------------------------- */

struct merge {
	struct bd_resolver r;
	const struct bd_root *root;
	const struct bd_diag *diag;
	struct bd_collect_stats *st;
	uint32_t *comp_of; /* per job: its component, or UINT32_MAX */
	/* The merging thread's scanner, for the files the search finds. */
	struct bd_scanner sc;
	bool have_sc;
};

static void report(struct merge *m, enum bd_diag_level level, const char *msg)
{
	if (level == BD_DIAG_WARNING)
		m->st->problems++;
	bd_diag_report(m->diag, level, "%s", msg);
}

static void replay(struct merge *m, const struct bd_buf *msgs)
{
	size_t off = 0;

	while (off < msgs->len) {
		const char *msg = msgs->data + off + 1;

		report(m, (enum bd_diag_level)(msgs->data[off] - '0'), msg);
		off += 2 + strlen(msg);
	}
}

/* A name a shared object would have: "libx.so" or "libx.so.1.2", the
 * version made of digits and dots; not "ld.so.cache" or "ld.so.conf". */
static bool looks_like_shared_object(const char *path)
{
	const char *base = strrchr(path, '/'), *so;

	base = base ? base + 1 : path;
	for (so = strstr(base, ".so"); so; so = strstr(so + 1, ".so")) {
		const char *v = so + 3;

		if (!*v)
			return so > base;
		if (*v == '.' && v[1] && so > base &&
		    strspn(v + 1, "0123456789.") == strlen(v + 1) &&
		    isdigit((unsigned char)v[1]))
			return true;
	}
	return false;
}

/* The canonical path of an input inside the root (links resolved). */
static int inside_path(const struct bd_root *root,
		       const struct bd_walk_file *wf, struct bd_buf *out)
{
	struct bd_buf lexical = BD_BUF_INIT;
	int rc;

	if (wf->inside) {
		bd_buf_adds(&lexical, wf->inside); /* a file of an artifact */
		rc = bd_buf_ok(&lexical) ? 0 : BD_ENOMEM;
	} else if (bd_root_is_host(bd_root_base(root))) {
		rc = bd_root_inside(root, wf->host, &lexical);
	} else {
		bd_buf_adds(&lexical, wf->path); /* inside already */
		rc = bd_buf_ok(&lexical) ? 0 : BD_ENOMEM;
	}
	if (!rc)
		rc = bd_root_resolve(root, "/", lexical.data, true, out);
	bd_buf_release(&lexical);
	return rc;
}

static int add_input(struct merge *m, const struct bd_walk_file *wf,
		     struct job *j, uint32_t *id)
{
	struct bd_scanned_file f = { wf->path, NULL,	  wf->dev,
				     wf->ino,  wf->mtime, j->sha256,
				     &j->info, NULL,	  wf->host };
	struct bd_buf inside = BD_BUF_INIT;
	struct bd_component *c;
	int rc = inside_path(m->root, wf, &inside);

	if (rc == BD_ENOMEM)
		return rc;
	f.inside = rc ? NULL : inside.data;
	f.error = j->rc ? j->err.msg : j->info.problem;
	rc = bd_resolver_add_file(&m->r, &f, id);
	if (!rc) {
		c = bd_graph_comp(m->r.graph, *id);
		c->is_input = true;
		if (!c->inside && f.inside)
			c->inside = bd_graph_strdup(m->r.graph, f.inside);
	}
	bd_buf_release(&inside);
	return rc;
}

static int merge_job(struct merge *m, const struct bd_walk_file *wf,
		     struct job *j, uint32_t *id)
{
	*id = UINT32_MAX;
	replay(m, &j->msgs);
	if (!bd_buf_ok(&j->msgs) || j->rc == BD_ENOMEM)
		return BD_ENOMEM;
	if (j->rc == BD_ENOTELF) {
		m->st->non_elf++;
		/* Only counted, unless a library's name is on a file that is
		 * no ELF: that is worth a word. */
		if (looks_like_shared_object(wf->path) &&
		    !j->info.linker_script) {
			char msg[BD_ERROR_MSG_MAX + 16];

			snprintf(msg, sizeof(msg), "%s, skipping", j->err.msg);
			report(m, BD_DIAG_WARNING, msg);
		}
		return 0;
	}
	/* Read, broken or unreadable: the file stays in the SBOM. */
	if (j->rc)
		report(m, BD_DIAG_WARNING, j->err.msg);
	m->st->elf_files++;
	if (wf->mtime > m->st->newest_mtime)
		m->st->newest_mtime = wf->mtime;
	return add_input(m, wf, j, id);
}

/* A file the loader search found: read here, in order, by the merging
 * thread. Warnings go out as they come, which is deterministic too. */
static int scan_found(void *ctx, const char *host, const char *inside,
		      uint32_t *id)
{
	struct merge *m = ctx;
	struct bd_scanned_file f = { inside, inside, 0,	   0,	0,
				     NULL,   NULL,   NULL, host };
	struct job j;
	int rc;

	*id = UINT32_MAX;
	memset(&j, 0, sizeof(j));
	bd_buf_init(&j.msgs);
	run_job(&j, m->have_sc ? &m->sc : NULL, m->root,
		&(struct bd_walk_file){ .path = inside, .host = host });
	replay(m, &j.msgs);
	rc = j.rc == BD_ENOMEM || !bd_buf_ok(&j.msgs) ? BD_ENOMEM : 0;
	/* Gone since the search saw it, or never opened: not found. */
	if (!rc && (j.rc == BD_ENOENT || !j.st.st_ino))
		j.rc = BD_ENOTELF;
	if (!rc && j.rc != BD_ENOTELF) {
		if (j.rc)
			report(m, BD_DIAG_WARNING, j.err.msg);
		f.dev = j.st.st_dev;
		f.ino = j.st.st_ino;
		f.mtime = j.st.st_mtime;
		f.sha256 = j.sha256;
		f.info = &j.info;
		f.error = j.rc ? j.err.msg : j.info.problem;
		rc = bd_resolver_add_file(&m->r, &f, id);
		m->st->discovered++;
	}
	bd_elf_info_release(&j.info);
	bd_buf_release(&j.msgs);
	return rc;
}

/* Walk order; a later path of the same file only adds an occurrence. */
static int merge_all(struct pool *p, struct merge *m, const size_t *job_of)
{
	const struct bd_walk *w = p->walk;
	size_t i;
	int rc = 0;

	for (i = 0; i < w->nfiles && !rc; i++) {
		const struct bd_walk_file *wf = &w->files[i];
		size_t k = job_of[i];

		m->st->files++;
		if (p->first_of[k] == i) {
			struct job *j = wait_job(p, k);

			rc = merge_job(m, wf, j, &m->comp_of[k]);
			release_job(p, j, k);
		} else if (m->comp_of[k] != UINT32_MAX) {
			rc = bd_resolver_add_path(&m->r, m->comp_of[k], wf->dev,
						  wf->ino, wf->path);
		}
	}
	return rc;
}

/* ---- setup ------------------------------------------------------------ */

/* Numbers the distinct files: job_of[file] and first_of[job]. */
static int plan_jobs(const struct bd_walk *w, size_t *job_of, size_t *first_of,
		     size_t *njobs)
{
	struct bd_arena keys;
	struct bd_map seen;
	size_t i;
	int rc = 0;

	bd_arena_init(&keys);
	bd_map_init(&seen);
	*njobs = 0;
	for (i = 0; i < w->nfiles && !rc; i++) {
		char *key = bd_arena_printf(
			&keys, "%llx:%llx", (unsigned long long)w->files[i].dev,
			(unsigned long long)w->files[i].ino);
		uint32_t k;

		if (!key || *njobs >= UINT32_MAX) {
			rc = BD_ENOMEM;
		} else if (bd_map_get(&seen, key, &k)) {
			job_of[i] = k;
		} else {
			job_of[i] = *njobs;
			first_of[(*njobs)++] = i;
			rc = bd_map_put(&seen, key, (uint32_t)job_of[i]);
		}
	}
	bd_map_release(&seen);
	bd_arena_release(&keys);
	return rc;
}

static size_t thread_count(unsigned jobs, size_t njobs)
{
	long n = jobs ? (long)jobs : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	return (size_t)n < njobs ? (size_t)n : (njobs ? njobs : 1);
}

static int start_workers(struct pool *p, pthread_t *tids, size_t n,
			 size_t *started)
{
	for (*started = 0; *started < n; ++*started) {
		if (pthread_create(&tids[*started], NULL, worker, p) != 0)
			return *started ? 0 : BD_ENOMEM; /* fewer will do */
	}
	return 0;
}

static void pool_init(struct pool *p, const struct bd_walk *w)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->walk = w;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->done_cv, NULL);
	pthread_cond_init(&p->space_cv, NULL);
	for (i = 0; i < WINDOW; i++)
		bd_buf_init(&p->slots[i].msgs);
}

static void pool_release(struct pool *p)
{
	size_t i;

	for (i = 0; i < WINDOW; i++) {
		bd_elf_info_release(&p->slots[i].info);
		bd_buf_release(&p->slots[i].msgs);
	}
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->done_cv);
	pthread_cond_destroy(&p->space_cv);
}

/* Tells the workers to stop after their current file and joins them. */
static void stop_workers(struct pool *p, pthread_t *tids, size_t n)
{
	size_t i;

	pthread_mutex_lock(&p->lock);
	p->njobs = p->next; /* nothing more is taken */
	p->merged = p->next;
	pthread_cond_broadcast(&p->space_cv);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
}

static int run(struct pool *p, struct merge *m, const size_t *job_of,
	       unsigned jobs)
{
	pthread_t tids[MAX_THREADS];
	size_t started = 0;
	int rc;

	rc = start_workers(p, tids, thread_count(jobs, p->njobs), &started);
	if (!rc)
		rc = merge_all(p, m, job_of);
	stop_workers(p, tids, started);
	return rc;
}

int bd_collect(struct bd_graph *g, const struct bd_walk *w,
	       const struct bd_collect_options *opts,
	       const struct bd_diag *diag, struct bd_collect_stats *stats,
	       struct bd_error *err)
{
	struct pool *p = malloc(sizeof(*p));
	size_t *job_of = calloc(w->nfiles + 1, sizeof(*job_of));
	size_t *first_of = calloc(w->nfiles + 1, sizeof(*first_of));
	uint32_t *comp_of = calloc(w->nfiles + 1, sizeof(*comp_of));
	struct merge m = { .root = opts->resolve.root,
			   .diag = diag,
			   .st = stats,
			   .comp_of = comp_of };
	int rc = BD_ENOMEM;

	memset(stats, 0, sizeof(*stats));
	m.have_sc = !bd_scanner_init(&m.sc);
	rc = bd_resolver_init(&m.r, g, &opts->resolve, diag, err);
	if (rc)
		goto out;
	bd_resolver_set_scan(&m.r, scan_found, &m);
	rc = BD_ENOMEM;
	if (p && job_of && first_of && comp_of) {
		pool_init(p, w);
		p->root = opts->resolve.root ? opts->resolve.root : w->root;
		p->first_of = first_of;
		rc = plan_jobs(w, job_of, first_of, &p->njobs);
		if (!rc)
			rc = run(p, &m, job_of, opts->jobs);
		pool_release(p);
	}
	if (rc)
		bd_error_set(err, rc, "out of memory");
	else
		rc = bd_resolver_link(&m.r, err);
	stats->unresolved_needed = m.r.unresolved_needed;
	bd_resolver_release(&m.r);
out:
	if (m.have_sc)
		bd_scanner_release(&m.sc);
	free(comp_of);
	free(first_of);
	free(job_of);
	free(p);
	return rc;
}
