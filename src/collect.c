/* SPDX-License-Identifier: MIT */
/*
 * Scan and resolve over a walk. Each walked file is opened once, and an
 * ELF file read whole then, hashed and parsed, in parallel by a small pool
 * of threads (bd_collect_prepare, below: hashing dominates, and it is per
 * file); the results are merged into the graph by the calling thread in
 * walk order, with each file's warnings replayed then, so that the graph
 * and stderr are the same whatever the number of threads. What waits for
 * the merge is what the graph keeps of a file anyway (its hash, its parse
 * and its first bytes); of a file that is no ELF, nothing. The workers
 * then find each input's canonical path, at most WINDOW ahead of the
 * merge.
 *
 * The libraries the loader search finds are read by the same threads:
 * each file scanned says where the search will likely find what it
 * needs (bd_resolver_predict), and those files are read ahead, while the
 * inputs are still being scanned. The search, which runs on the calling
 * thread in its own order, then takes what was read ahead of it (with
 * its warnings, replayed there) and reads itself only what nobody
 * foresaw: the result is the same as reading every file where the search
 * meets it, and each file is still opened and read once.
 *
 * The one open of a walked file also tells whether it is an archive, for
 * the input stage, which reads those before anything is resolved (the
 * overlay must be complete). Any other file is done with then: it is
 * never opened again.
 */
#include "bindep/collect.h"
#include "bindep/buf.h"
#include "bindep/inodes.h"
#include "bindep/resolve.h"
#include "bindep/scan.h"

#include <ctype.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* How far the workers may run ahead of the merge, in inputs. What a job
 * holds (a file's parse) was read before the pool starts and waits for the
 * merge anyway, so a wider window costs only its slots (1.2 KB each), while a
 * narrow one put the workers to sleep every few jobs: 64 gave a Debian
 * root ~980 context switches a run, 256 ~460 (issue 13). */
#define WINDOW	    256
#define MAX_THREADS 16

/* The inputs by device and inode, to their job (bindep/inodes.h): made
 * once before the workers start (index_inputs), and only read after. */

/* One distinct input file (device and inode) to scan. */
struct job {
	size_t file;	  /* index of its first path in the walk */
	atomic_bool done; /* set by its worker, cleared by the merge */
	int rc;
	struct stat st; /* of the file as opened */
	char sha256[65];
	struct bd_elf_info info;
	struct bd_error err;
	struct bd_buf msgs;   /* buffered warnings: level byte, text, NUL */
	struct bd_buf inside; /* its canonical path in the root */
	int inside_rc;	      /* 0 when inside is known */
	struct bd_resolve_cand head; /* its first bytes */
	/* What the file's one open kept, emptied by take_scan: freed with
	 * the rest by the merge (release_job), on the thread that frees the
	 * parse, not by the workers (see release_job). */
	struct bd_walk_scan *shell;
};

enum ahead_state { AHEAD_QUEUED, AHEAD_RUNNING, AHEAD_DONE, AHEAD_TAKEN };

/* A candidate path the prediction tried: whether it exists, and for the
 * search (reader_look), where it leads and the lstat taken on the way. */
struct tried_path {
	const char *real; /* canonical inside path; NULL: leads nowhere */
	dev_t dev;
	ino_t ino;
	mode_t mode; /* 0: no lstat taken */
	bool exists;
	bool shared; /* a definite answer, as the search's own would be */
};

/* A file the search will likely find, read ahead of it by a worker. */
struct ahead {
	const char *inside; /* canonical path in the root */
	const char *host;   /* where it is opened */
	/* The class of the file that foresaw it: a file of another is
	 * not read whole (the search would skip it). */
	unsigned ei_class, ei_data, e_machine;
	enum ahead_state state;
	bool opened;  /* open and head read: cand is valid */
	bool scanned; /* read whole: what follows is valid, not taken yet */
	struct bd_resolve_cand cand;
	int rc;
	char sha256[65];
	struct bd_elf_info info;
	struct bd_error err;
	struct bd_buf msgs;
};

struct pool {
	struct bd_walk *walk;
	/* Where the walked files are opened: the walk's root, or the
	 * overlay of the artifacts over it (bindep/input.h). */
	const struct bd_root *open_root;
	/* Where the search resolves and opens what it finds. */
	const struct bd_root *root;
	const struct bd_resolver *resolver; /* only predicts: read-only */
	/* The inputs a worker reads, by device and inode (index_inputs). */
	const struct bd_inodes *inputs;
	uint32_t *first_of; /* per job: its first path's index */
	size_t njobs;
	/* The jobs a worker finishes (an ELF file, or one that could not be
	 * read: its canonical path, and what it will make the search read),
	 * in order; the others are merged as their open left them. */
	uint32_t *work;
	size_t nwork;
	struct job slots[WINDOW];
	pthread_mutex_t lock;
	pthread_cond_t work_cv, done_cv;
	size_t next; /* under lock */
	/* The merge's progress, and who waits for whom, without the lock
	 * (each side takes it only when the other waits): release_job,
	 * wait_job, take_work and finish_job say how. */
	atomic_size_t merged;
	atomic_uint idle;	 /* workers waiting for work */
	atomic_bool merge_waits; /* the merge waits for a job */
	bool stop;

	/* Reading ahead, all under lock. */
	struct bd_arena arena; /* the keys and paths below */
	struct bd_map tried;   /* candidate path -> paths[] */
	struct tried_path *paths;
	size_t npaths, apaths;
	struct bd_map ahead_of;		 /* canonical path -> index in aheads */
	struct bd_inodes ahead_inodes;	 /* the files read ahead */
	struct ahead **aheads;		 /* in the order foreseen */
	size_t naheads, aaheads, queued; /* aheads[queued..] not taken */
};

static void buffer_report(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct bd_buf *b = ctx;

	bd_buf_addc(b, (char)('0' + level));
	bd_buf_add(b, msg, strlen(msg) + 1);
}

/*
 * What a walked file's one open read, kept on the walk until the merge
 * takes it (the file is not opened again): an ELF file's scan, why a file
 * could not be read, or a non-ELF file with a library's name (a warning).
 * Of any other file nothing is kept.
 */
struct bd_walk_scan {
	int rc;
	char sha256[65];
	unsigned char head[BD_RESOLVE_HEAD];
	size_t nhead;
	struct bd_elf_info info;
	struct bd_buf msgs; /* buffered warnings, as a job's */
	char *err;	    /* the message when rc, malloc'd */
};

/* Kept when nothing more could be: the merge stops the run. */
static struct bd_walk_scan no_memory = { .rc = BD_ENOMEM };

static void drop_scan(struct bd_walk_scan *s)
{
	if (!s || s == &no_memory)
		return;
	bd_elf_info_release(&s->info);
	bd_buf_release(&s->msgs);
	free(s->err);
	free(s);
}

/* The directory of a path, for $ORIGIN ("/a/b/libx.so" -> "/a/b"). */
static void dir_of(const char *path, struct bd_buf *out)
{
	const char *slash = strrchr(path, '/');

	bd_buf_reset(out);
	if (!slash)
		bd_buf_addc(out, '.');
	else
		bd_buf_add(out, path,
			   slash == path ? 1 : (size_t)(slash - path));
}

/* ---- canonical directories ------------------------------------------- */

/*
 * A thread's directories and their canonical forms: the walk hands out a
 * directory's files together, and the candidates the search will try lie
 * in a few directories; resolving each path from "/" cost a system call
 * per component and link (13,000 on /usr/lib, issue 13), and a memo of
 * the last directory alone missed whenever the files or the candidates
 * went from one directory to another. Past DIR_MEMO_MAX directories the
 * memo starts again (a hostile tree may have any number).
 */
#define DIR_MEMO_MAX 4096
/* Directories deeper than this are resolved from "/", not from their
 * parent's canonical form (which recurses once per component). */
#define DIR_MEMO_DEPTH 64

struct dir_entry {
	const char *lexical; /* inside the root, as walked or searched */
	size_t len;
	const char *canon; /* its canonical form; NULL: rc */
	int rc;
	int links; /* symlinks followed from "/" to resolve it */
};

struct dir_memo {
	struct bd_map index; /* lexical -> dirs[] */
	struct dir_entry *dirs;
	size_t n, alloc;
	size_t last; /* the entry asked for last, when n */
	struct bd_arena arena;
	struct bd_buf canon; /* scratch */
};

static void dir_memo_init(struct dir_memo *d)
{
	memset(d, 0, sizeof(*d));
	bd_map_init(&d->index);
	bd_arena_init(&d->arena);
	bd_buf_init(&d->canon);
}

static void dir_memo_release(struct dir_memo *d)
{
	bd_map_release(&d->index);
	free(d->dirs);
	bd_arena_release(&d->arena);
	bd_buf_release(&d->canon);
	d->dirs = NULL;
	d->n = d->alloc = 0;
}

/* A root's memo, or an overlay's: one for each of its trees. */
struct tree_memos {
	struct dir_memo one; /* a plain root's, or an overlay's upper tree's */
	struct dir_memo lower;
};

static const struct dir_entry *memo_dir_at(const struct bd_root *root,
					   struct dir_memo *d, const char *dir,
					   size_t len, int depth, int *rc);

/*
 * Resolves directory dir (len bytes, absolute) as the kernel would: its
 * parent's canonical form (memoised, so that a tree's directories cost
 * one look each, not one per component), then its last component from
 * there, the links followed counted from "/" as in one walk; a last
 * component "." or "..", or a directory too deep, from "/".
 */
static int resolve_dir(const struct bd_root *root, struct dir_memo *d,
		       const char *lexical, size_t len, int depth, int *links)
{
	const char *slash = memrchr(lexical, '/', len), *name;
	const struct dir_entry *parent;
	int rc;

	*links = 0;
	name = slash ? slash + 1 : lexical;
	if (!slash || slash == lexical || depth >= DIR_MEMO_DEPTH ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return bd_root_resolve_links(root, "/", lexical, true,
					     &d->canon, NULL, links);
	parent = memo_dir_at(root, d, lexical, (size_t)(slash - lexical),
			     depth + 1, &rc);
	if (!parent || !parent->canon)
		return parent ? parent->rc : rc;
	*links = parent->links;
	return bd_root_resolve_links(root, parent->canon, name, true, &d->canon,
				     NULL, links);
}

/* Resolves directory dir (len bytes) and keeps it; NULL with *rc set on
 * failure (not kept when out of memory). */
static const struct dir_entry *learn_dir(const struct bd_root *root,
					 struct dir_memo *d, const char *dir,
					 size_t len, uint64_t hash, int depth,
					 int *rc)
{
	struct dir_entry *e;
	char *lexical;
	int got, links;

	if (d->n >= DIR_MEMO_MAX && !depth) {
		dir_memo_release(d);
		dir_memo_init(d);
	}
	lexical = bd_arena_strndup(&d->arena, dir, len);
	if (!lexical) {
		*rc = BD_ENOMEM;
		return NULL;
	}
	got = resolve_dir(root, d, lexical, len, depth, &links);
	if (BD_GROW(d->dirs, d->alloc, d->n + 1)) {
		*rc = BD_ENOMEM;
		return NULL;
	}
	e = &d->dirs[d->n];
	e->lexical = lexical;
	e->len = len;
	e->rc = got;
	e->links = links;
	e->canon = e->rc ? NULL : bd_arena_strdup(&d->arena, d->canon.data);
	if (e->rc == BD_ENOMEM || (!e->rc && !e->canon) ||
	    bd_map_puth(&d->index, lexical, hash, (uint32_t)d->n)) {
		*rc = BD_ENOMEM;
		return NULL;
	}
	d->last = d->n++;
	*rc = e->rc;
	return e;
}

/* Directory dir (len bytes, inside the root) as kept, or resolved now:
 * NULL (out of memory) with *rc set. The entry lasts until the next
 * call. */
static const struct dir_entry *memo_dir_at(const struct bd_root *root,
					   struct dir_memo *d, const char *dir,
					   size_t len, int depth, int *rc)
{
	const struct dir_entry *e = d->n ? &d->dirs[d->last] : NULL;
	uint64_t hash;
	uint32_t i;

	if (!e || e->len != len || memcmp(e->lexical, dir, len)) {
		hash = bd_map_hash(dir, len);
		if (!bd_map_geth(&d->index, dir, len, hash, &i))
			return learn_dir(root, d, dir, len, hash, depth, rc);
		d->last = i;
		e = &d->dirs[i];
	}
	*rc = e->rc;
	return e;
}

/* The canonical form of directory dir (len bytes, inside the root): NULL
 * with *rc set when it cannot be resolved. */
static const char *memo_dir(const struct bd_root *root, struct dir_memo *d,
			    const char *dir, size_t len, int *rc)
{
	const struct dir_entry *e = memo_dir_at(root, d, dir, len, 0, rc);

	return e ? e->canon : NULL;
}

/*
 * The canonical path of a lexical path inside the root: its directory's
 * (memoised), then its last component from there, as resolve.c does a
 * candidate's. A last component that the directory's listing said is a
 * regular file (listed) is no link to follow: it is not looked at again.
 * A last component "", "." or "..", or an overlay root (see
 * resolve_inside), is resolved whole. *st (may be NULL) as
 * bd_root_resolve_stat's.
 */
static int resolve_in_tree(const struct bd_root *root, struct dir_memo *d,
			   const char *lexical, bool listed, struct bd_buf *out,
			   struct stat *st)
{
	const char *slash = strrchr(lexical, '/'), *name, *canon;
	int rc;

	if (st)
		st->st_mode = 0;
	name = slash ? slash + 1 : lexical;
	if (root->lower || lexical[0] != '/' || !*name || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return bd_root_resolve_stat(root, "/", lexical, true, out, st);
	canon = memo_dir(root, d, lexical,
			 slash == lexical ? 1 : (size_t)(slash - lexical), &rc);
	if (!canon)
		return rc;
	if (!listed)
		return bd_root_resolve_stat(root, canon, name, true, out, st);
	/* As the walk joins a name to "/" and to any other directory. */
	bd_buf_reset(out);
	bd_buf_adds(out, canon);
	if (out->len > 1)
		bd_buf_addc(out, '/');
	bd_buf_adds(out, name);
	return bd_buf_ok(out) ? 0 : BD_ENOMEM;
}

/*
 * resolve_in_tree over an overlay as bd_root_resolve_links resolves a
 * path whole in one: in its upper tree, else (not there) in its lower
 * one, each tree with a memo of its own; a plain root in m->one. Whole,
 * an artifact's file 127 directories deep cost 130 lstat(2)s, each of a
 * path one component longer. Nothing is listed in both trees: every last
 * component is looked at. *st as bd_root_resolve_stat's over an overlay.
 */
static int resolve_inside(const struct bd_root *root, struct tree_memos *m,
			  const char *lexical, bool listed, struct bd_buf *out,
			  struct stat *st)
{
	struct bd_root up;
	int rc;

	if (!root->lower)
		return resolve_in_tree(root, &m->one, lexical, listed, out, st);
	if (st)
		st->st_mode = 0;
	up = *root;
	up.lower = NULL;
	rc = resolve_in_tree(&up, &m->one, lexical, false, out, NULL);
	if (rc == BD_ENOENT)
		rc = resolve_in_tree(root->lower, &m->lower, lexical, false,
				     out, NULL);
	return rc;
}

/* ---- reading ahead ---------------------------------------------------- */

/* What a thread needs to foresee: the pool and its own buffers. */
struct seer {
	struct pool *p;
	const struct bd_elf_info *info;
	struct bd_buf canon, host, origin;
	/* The answers this thread had from p->tried: asked again without
	 * the lock (the same few candidates come up for every file, and
	 * the lock taken for each was most of the contention). */
	struct bd_map known;
	struct bd_arena arena;
	/* The thread's canonical directories: of the candidates, and of a
	 * worker's inputs. */
	struct tree_memos dirs;
};

static void seer_init(struct seer *s, struct pool *p)
{
	memset(s, 0, sizeof(*s));
	s->p = p;
	bd_buf_init(&s->canon);
	bd_buf_init(&s->host);
	bd_buf_init(&s->origin);
	bd_map_init(&s->known);
	bd_arena_init(&s->arena);
	dir_memo_init(&s->dirs.one);
	dir_memo_init(&s->dirs.lower);
}

static void seer_release(struct seer *s)
{
	bd_buf_release(&s->canon);
	bd_buf_release(&s->host);
	bd_buf_release(&s->origin);
	bd_map_release(&s->known);
	bd_arena_release(&s->arena);
	dir_memo_release(&s->dirs.one);
	dir_memo_release(&s->dirs.lower);
}

/* Keeps an answer of p->tried in the thread's own copy. */
static void seer_keep(struct seer *s, const char *path, bool exists)
{
	const char *key;

	if (s->known.count >= BD_COLLECT_MAX_TRIED)
		return;
	key = bd_arena_strdup(&s->arena, path);
	if (key)
		bd_map_put(&s->known, key, exists);
}

/* Queues a file to read ahead; under lock. */
static void queue_ahead(struct pool *p, const struct seer *s)
{
	struct ahead *a;

	if (p->naheads >= BD_COLLECT_MAX_AHEAD ||
	    bd_map_get(&p->ahead_of, s->canon.data, NULL) ||
	    BD_GROW(p->aheads, p->aaheads, p->naheads + 1))
		return;
	a = bd_arena_alloc(&p->arena, sizeof(*a));
	if (!a)
		return;
	a->inside = bd_arena_strdup(&p->arena, s->canon.data);
	a->host = bd_arena_strdup(&p->arena, s->host.data);
	if (!a->inside || !a->host ||
	    bd_map_put(&p->ahead_of, a->inside, (uint32_t)p->naheads))
		return;
	a->ei_class = s->info->ei_class;
	a->ei_data = s->info->ei_data;
	a->e_machine = s->info->e_machine;
	a->state = AHEAD_QUEUED;
	bd_elf_info_init(&a->info);
	bd_buf_init(&a->msgs);
	p->aheads[p->naheads++] = a;
	pthread_cond_signal(&p->work_cv);
}

/* Whether the file at a canonical path is an input (read anyway): by
 * the lstat its resolution took (*st), else one now (nothing is opened,
 * and the path has no link left to follow). */
static bool is_input(const struct pool *p, const char *host, struct stat *st)
{
	if (!st->st_mode && lstat(host, st))
		return false;
	return S_ISREG(st->st_mode) &&
	       bd_inodes_get(p->inputs, st->st_dev, st->st_ino, NULL);
}

/*
 * Keeps what resolving a candidate path gave (rc, the canonical path, the
 * lstat taken on the way); under lock. The search may take it as its own
 * answer (reader_look): it resolves a path the same way (its directory's
 * canonical form, links counted from "/", then its last component), but
 * not under an overlay, whose layers it tries for the directory and the
 * name apart.
 */
static int keep_tried(struct pool *p, const char *key, int rc,
		      const struct bd_buf *canon, const struct stat *st)
{
	struct tried_path *t;

	if (p->npaths >= UINT32_MAX ||
	    BD_GROW(p->paths, p->apaths, p->npaths + 1))
		return BD_ENOMEM;
	t = &p->paths[p->npaths];
	memset(t, 0, sizeof(*t));
	t->exists = !rc;
	t->real = t->exists && bd_buf_ok(canon)
			  ? bd_arena_strdup(&p->arena, canon->data)
			  : NULL;
	/* A symlink loop is no answer the search takes: it is not a file
	 * missing to the loader (resolve.c, look_up). */
	t->shared = rc != BD_ENOMEM && rc != BD_ELIMIT &&
		    (!t->exists || t->real) && !p->root->lower;
	t->dev = st->st_dev;
	t->ino = st->st_ino;
	t->mode = t->exists ? st->st_mode : 0;
	if (bd_map_put(&p->tried, key, (uint32_t)p->npaths))
		return BD_ENOMEM;
	p->npaths++;
	return 0;
}

/* bd_resolver_predict's question: does this path exist? The answer is
 * kept, and a file that does is queued unless it is an input. Nothing
 * here reports: only the speed depends on it. */
static int try_ahead(void *ctx, const char *path, bool *exists)
{
	struct seer *s = ctx;
	struct pool *p = s->p;
	const char *key;
	struct stat st;
	uint32_t v;
	bool known, full, queue;
	int rc;

	if (bd_map_get(&s->known, path, &v)) {
		*exists = v;
		return 0;
	}
	pthread_mutex_lock(&p->lock);
	known = bd_map_get(&p->tried, path, &v);
	*exists = known && p->paths[v].exists;
	full = p->tried.count >= BD_COLLECT_MAX_TRIED;
	pthread_mutex_unlock(&p->lock);
	if (known)
		seer_keep(s, path, *exists);
	if (known || full)
		return 0;
	rc = resolve_inside(p->root, &s->dirs, path, false, &s->canon, &st);
	*exists = !rc;
	if (*exists)
		bd_root_host(p->root, s->canon.data, &s->host);
	queue = *exists && bd_buf_ok(&s->host) &&
		!is_input(p, s->host.data, &st);
	pthread_mutex_lock(&p->lock);
	/* Another thread may have tried it meanwhile. */
	key = bd_map_get(&p->tried, path, NULL)
		      ? NULL
		      : bd_arena_strdup(&p->arena, path);
	if (key && !keep_tried(p, key, rc, &s->canon, &st) && queue)
		queue_ahead(p, s);
	pthread_mutex_unlock(&p->lock);
	if (key)
		seer_keep(s, path, *exists);
	return 0;
}

/* Foresees the files a scanned file will make the search read. */
static void foresee(struct seer *s, const struct bd_elf_info *info,
		    const char *path)
{
	if (!info->ei_class || !s->p->resolver)
		return;
	s->info = info;
	dir_of(path, &s->origin);
	if (bd_buf_ok(&s->origin))
		bd_resolver_predict(s->p->resolver, info, s->origin.data,
				    try_ahead, s);
}

/* Whether a file is read ahead for the first time: not an input (read
 * anyway), nor a hard link of a file read ahead by another path (the
 * search reads a file once, and so do we). */
static bool first_read(struct pool *p, const struct stat *st)
{
	bool first;

	if (bd_inodes_get(p->inputs, st->st_dev, st->st_ino, NULL))
		return false;
	pthread_mutex_lock(&p->lock);
	first = !bd_inodes_get(&p->ahead_inodes, st->st_dev, st->st_ino,
			       NULL) &&
		!bd_inodes_add(&p->ahead_inodes, st->st_dev, st->st_ino, 0);
	pthread_mutex_unlock(&p->lock);
	return first;
}

/* Reads a foreseen file: its head, and the rest when the search would
 * take it (the right class, and read for the first time). */
static void run_ahead(struct pool *p, struct bd_scanner *sc, struct ahead *a)
{
	struct bd_diag diag = { buffer_report, &a->msgs };
	struct bd_scan_head h;

	bd_error_clear(&a->err);
	a->opened = sc && !bd_scan_open(sc, p->root, a->host, 0, a->inside, &h,
					&a->err);
	if (!a->opened)
		return;
	a->cand.st = h.st;
	a->cand.n = h.n < BD_RESOLVE_HEAD ? h.n : BD_RESOLVE_HEAD;
	memcpy(a->cand.head, sc->buf, a->cand.n);
	if (bd_resolve_cand_fits(&a->cand, a->ei_class, a->ei_data,
				 a->e_machine) &&
	    first_read(p, &h.st)) {
		a->rc = bd_scan_rest(sc, &h, a->inside, &a->info, a->sha256,
				     &diag, &a->err);
		a->scanned = true;
	}
	bd_scan_close(&h);
}

/* ---- the workers ------------------------------------------------------ */

/* The canonical path of an input inside the root (links resolved). */
static int inside_path(const struct bd_root *root, struct tree_memos *d,
		       const struct bd_walk_file *wf, struct bd_buf *out)
{
	struct bd_buf lexical = BD_BUF_INIT;
	int rc;

	/* A link's target the walk resolved in the root: its host path is
	 * the root's and the canonical path (issue 13: 516 links in a Debian
	 * root, each resolved again from its directory). */
	if (wf->host_canonical && !wf->inside)
		return bd_root_inside(root, wf->host, out);
	if (wf->inside) {
		bd_buf_adds(&lexical, wf->inside); /* a file of an artifact */
		rc = bd_buf_ok(&lexical) ? 0 : BD_ENOMEM;
	} else if (bd_root_is_host(bd_root_base(root))) {
		rc = bd_root_inside(root, wf->host, &lexical);
	} else {
		bd_buf_adds(&lexical, wf->path); /* inside already */
		rc = bd_buf_ok(&lexical) ? 0 : BD_ENOMEM;
	}
	/* A file the listing vouched for, reached by no link. */
	if (!rc)
		rc = resolve_inside(root, d, lexical.data,
				    wf->listed_regular && !wf->via_symlink &&
					    !wf->inside,
				    out, NULL);
	bd_buf_release(&lexical);
	return rc;
}

/* Takes what the file's one open kept: the job owns it from now on. The
 * job is empty: release_job freed what its slot held last (or the slot
 * is new). */
static void take_scan(struct job *j, struct bd_walk_file *wf)
{
	struct bd_walk_scan *s = wf->scan;

	bd_elf_info_init(&j->info);
	bd_error_clear(&j->err);
	j->sha256[0] = '\0';
	j->head.n = 0;
	wf->scan = NULL;
	if (!s || s == &no_memory) {
		j->rc = bd_error_set(&j->err, BD_ENOMEM, "out of memory");
		return;
	}
	j->rc = s->rc;
	memcpy(j->sha256, s->sha256, sizeof(j->sha256));
	j->head.n = s->nhead;
	memcpy(j->head.head, s->head, s->nhead);
	j->info = s->info;
	j->msgs = s->msgs;
	if (s->err)
		bd_error_set(&j->err, s->rc, "%s", s->err);
	free(s->err);
	j->shell = s;
}

/* Input k of the work list, in its slot j, by whichever thread runs it
 * (a worker, or the merge: next_job): the file read at its open, its
 * canonical path found, the files it will make the search read foreseen
 * (with that thread's seer). */
static void run_job(struct pool *p, struct seer *s, struct job *j, size_t k)
{
	struct bd_walk_file *wf = &p->walk->files[p->first_of[p->work[k]]];

	take_scan(j, wf);
	bd_buf_reset(&j->inside);
	j->inside_rc = j->rc == BD_ENOTELF || j->rc == BD_ENOMEM
			       ? BD_ENOENT
			       : inside_path(p->root, &s->dirs, wf, &j->inside);
	if (!j->inside_rc)
		foresee(s, &j->info, j->inside.data);
}

/* Inputs a worker claims at once (one lock for them), each finished on
 * its own so that the merge goes on as soon as the first is. */
#define CLAIM 4

/* Whether an input can be claimed (under lock): at most WINDOW ahead of
 * the merge. */
static size_t claimable(const struct pool *p, size_t merged)
{
	size_t end = merged + WINDOW < p->nwork ? merged + WINDOW : p->nwork;

	return p->next < end ? end - p->next : 0;
}

/* The next piece of work, waiting for one: inputs (first, in order, at
 * most WINDOW ahead of the merge: *k and up to CLAIM after it, *n in
 * all), else a file to read ahead. False when the pool stops. */
static bool take_work(struct pool *p, struct bd_scanner *sc, size_t *k,
		      size_t *n, struct ahead **a)
{
	bool ok = false;
	size_t merged;

	*a = NULL;
	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		merged = atomic_load(&p->merged);
		*n = claimable(p, merged);
		if (*n) {
			*n = *n < CLAIM ? *n : CLAIM;
			*k = p->next;
			p->next += *n;
			ok = true;
			break;
		}
		while (p->queued < p->naheads &&
		       p->aheads[p->queued]->state != AHEAD_QUEUED)
			p->queued++; /* taken by the search itself */
		if (p->queued < p->naheads) {
			*a = p->aheads[p->queued++];
			(*a)->state = AHEAD_RUNNING;
			ok = true;
			break;
		}
		/* Idle said before the merge's progress is looked at again:
		 * release_job then either sees it and wakes us (it takes
		 * the lock, which we hold until we wait), or has moved on
		 * before we look. */
		atomic_fetch_add(&p->idle, 1);
		/* Every input taken, only files read ahead are left, now and
		 * then: the read buffer is not kept while waiting for one
		 * (issue 13: 256 KiB a thread at the peak of the run). */
		if (sc && p->next >= p->nwork)
			bd_scanner_idle(sc);
		if (atomic_load(&p->merged) == merged)
			pthread_cond_wait(&p->work_cv, &p->lock);
		atomic_fetch_sub(&p->idle, 1);
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

/* A file read ahead is done: the search may be waiting for it. */
static void finish(struct pool *p, struct ahead *a)
{
	pthread_mutex_lock(&p->lock);
	a->state = AHEAD_DONE;
	pthread_cond_broadcast(&p->done_cv);
	pthread_mutex_unlock(&p->lock);
}

/* An input is done: the lock only when the merge waits (wait_job). */
static void finish_job(struct pool *p, struct job *j)
{
	atomic_store(&j->done, true);
	if (atomic_load(&p->merge_waits)) {
		pthread_mutex_lock(&p->lock);
		pthread_cond_broadcast(&p->done_cv);
		pthread_mutex_unlock(&p->lock);
	}
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct seer s;
	struct bd_scanner sc;
	bool have_sc = !bd_scanner_init(&sc);
	struct ahead *a;
	size_t k, n;

	sc.strings = p->walk->strings;
	seer_init(&s, p);
	while (take_work(p, have_sc ? &sc : NULL, &k, &n, &a)) {
		if (a) {
			run_ahead(p, have_sc ? &sc : NULL, a);
			if (a->scanned)
				foresee(&s, &a->info, a->inside);
			finish(p, a);
			continue;
		}
		for (; n; n--, k++) {
			struct job *j = &p->slots[k % WINDOW];

			run_job(p, &s, j, k);
			finish_job(p, j);
		}
	}
	seer_release(&s);
	if (have_sc)
		bd_scanner_release(&sc);
	return NULL;
}

static struct job *wait_job(struct pool *p, size_t k)
{
	struct job *j = &p->slots[k % WINDOW];

	if (atomic_load(&j->done))
		return j;
	/* Waiting said before done is looked at again: finish_job then
	 * either sees it and wakes us, or has set done before we look. */
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->merge_waits, true);
	/* Workers asleep may not have been told of the room made since
	 * (release_job wakes them now and then): one may have to claim k. */
	if (atomic_load(&p->idle))
		pthread_cond_broadcast(&p->work_cv);
	while (!atomic_load(&j->done))
		pthread_cond_wait(&p->done_cv, &p->lock);
	atomic_store(&p->merge_waits, false);
	pthread_mutex_unlock(&p->lock);
	return j;
}

/*
 * Workers asleep for want of room in the window are woken once it has
 * WAKE_ROOM more slots, not at every job merged: each wake-up was a
 * futex call on both sides and a context switch for a slot or two of
 * work (issue 13: ~500 of them on /usr/lib). wait_job wakes them too.
 */
#define WAKE_ROOM (WINDOW / 4)

/* What a job holds of its file: the parse, the warnings, the shell. */
static void job_drop_held(struct job *j)
{
	bd_elf_info_release(&j->info);
	bd_buf_release(&j->msgs);
	free(j->shell);
	j->shell = NULL;
}

/*
 * What a merged job held is freed here, by the merge alone: it was
 * allocated by the readers ahead of the walk, and a free into another
 * thread's heap takes that heap's lock. Freed by the workers too, the
 * lock was contended (issue 13: ~170 futex calls a run on a Debian root).
 */
static void release_job(struct pool *p, struct job *j, size_t k)
{
	job_drop_held(j);
	atomic_store(&j->done, false);
	atomic_store(&p->merged, k + 1);
	/* The lock only when a worker waits (take_work). */
	if ((k + 1) % WAKE_ROOM == 0 && atomic_load(&p->idle)) {
		pthread_mutex_lock(&p->lock);
		pthread_cond_broadcast(&p->work_cv);
		pthread_mutex_unlock(&p->lock);
	}
}

/* ---- merging --------------------------------------------------------- */

struct merge {
	struct bd_resolver r;
	struct pool *p;
	const struct bd_diag *diag;
	struct bd_collect_stats *st;
	uint32_t *comp_of; /* per job: its component, or UINT32_MAX */
	/* The merging thread's own reading, of files nobody foresaw. */
	struct bd_scanner sc;
	bool have_sc;
	struct seer seer;
	/* The candidate the search opened last (bd_resolve_reader). */
	const char *host, *inside;
	struct bd_resolve_cand cand; /* its stat and first bytes */
	struct ahead *cur;	     /* read ahead, or NULL */
	struct bd_scan_head head;    /* else opened here (fd >= 0) */
	const struct bd_collect_options *opts;
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

/* A name a shared object would have (bd_scan_so_name): "libx.so" or
 * "libx.so.1.2"; not "ld.so.cache" or "ld.so.conf". */
static bool looks_like_shared_object(const char *path)
{
	const char *base = strrchr(path, '/');

	return bd_scan_so_name(base ? base + 1 : path);
}

static int add_input(struct merge *m, const struct bd_walk_file *wf,
		     struct job *j, uint32_t *id)
{
	struct bd_scanned_file f = { wf->path, NULL,	  wf->dev,
				     wf->ino,  j->sha256, &j->info,
				     NULL,     wf->host,  NULL };
	struct bd_component *c;
	int rc;

	if (j->inside_rc == BD_ENOMEM || !bd_buf_ok(&j->inside))
		return BD_ENOMEM;
	f.inside = j->inside_rc ? NULL : j->inside.data;
	f.error = j->rc ? j->err.msg : j->info.problem;
	f.head = &j->head;
	rc = bd_resolver_add_file(&m->r, &f, id);
	if (!rc) {
		c = bd_graph_comp(m->r.graph, *id);
		c->is_input = true;
		if (!c->inside && f.inside)
			c->inside = bd_graph_strdup(m->r.graph, f.inside);
	}
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
		 * no ELF: that is worth a word; debug information or another
		 * system's binary, a note. */
		if (j->info.debug_only || j->info.foreign) {
			char msg[BD_ERROR_MSG_MAX + 16];

			snprintf(msg, sizeof(msg), "%s, skipped", j->err.msg);
			report(m, BD_DIAG_INFO, msg);
		} else if (looks_like_shared_object(wf->path) &&
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
	return add_input(m, wf, j, id);
}

/* ---- the search's reader ---------------------------------------------- */

/* The entry read ahead for a canonical path, waited for if a worker is
 * reading it; NULL when there is none (or it was not started: the search
 * reads it itself, now). */
static struct ahead *claim_ahead(struct pool *p, const char *inside)
{
	struct ahead *a = NULL;
	uint32_t i;

	pthread_mutex_lock(&p->lock);
	if (bd_map_get(&p->ahead_of, inside, &i)) {
		a = p->aheads[i];
		if (a->state == AHEAD_QUEUED || a->state == AHEAD_TAKEN) {
			a->state = AHEAD_TAKEN;
			a = NULL;
		}
		while (a && a->state != AHEAD_DONE)
			pthread_cond_wait(&p->done_cv, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return a;
}

static int reader_open(void *ctx, const char *host, const char *inside,
		       struct bd_resolve_cand *c, bool *ok)
{
	struct merge *m = ctx;
	struct bd_error e;

	m->host = host;
	m->inside = inside;
	m->cur = claim_ahead(m->p, inside);
	m->head.fd = -1;
	if (m->cur) {
		*ok = m->cur->opened;
		m->cand = m->cur->cand;
	} else {
		*ok = m->have_sc && !bd_scan_open(&m->sc, m->p->root, host, 0,
						  inside, &m->head, &e);
		if (*ok) {
			m->cand.st = m->head.st;
			m->cand.n = m->head.n < BD_RESOLVE_HEAD
					    ? m->head.n
					    : BD_RESOLVE_HEAD;
			memcpy(m->cand.head, m->sc.buf, m->cand.n);
		}
	}
	if (*ok)
		*c = m->cand;
	return 0;
}

static void reader_close(void *ctx)
{
	struct merge *m = ctx;

	bd_scan_close(&m->head);
	m->cur = NULL;
}

/* Where a candidate path leads, as a worker's prediction found it. */
static bool reader_look(void *ctx, const char *path, struct bd_buf *real,
			struct stat *st, bool *exists)
{
	struct merge *m = ctx;
	struct pool *p = m->p;
	const struct tried_path *t;
	bool known = false;
	uint32_t i;

	pthread_mutex_lock(&p->lock);
	if (bd_map_get(&p->tried, path, &i) && p->paths[i].shared) {
		t = &p->paths[i];
		*exists = t->exists;
		st->st_mode = t->mode;
		st->st_dev = t->dev;
		st->st_ino = t->ino;
		if (t->exists) {
			bd_buf_reset(real);
			bd_buf_adds(real, t->real);
		}
		known = !t->exists || bd_buf_ok(real);
	}
	pthread_mutex_unlock(&p->lock);
	return known;
}

/* How the candidate the search opened last is shown: a file of an
 * artifact that is no input (left out by --exclude, found all the same)
 * by its location, never by the private tree it was laid out in. */
static const char *found_name(const struct merge *m)
{
	const struct bd_resolve_options *o = &m->r.opts;
	const char *shown =
		o->display ? o->display(o->display_ctx, m->inside) : NULL;

	return shown ? shown : m->inside;
}

/* A found file read here: the rest of the one open, or all of it (read
 * ahead, it was of another class then, or an input's hard link). */
static void read_found(struct merge *m, struct job *j)
{
	struct bd_diag diag = { buffer_report, &j->msgs };
	const char *name = found_name(m);

	if (!m->have_sc) {
		j->rc = bd_error_set(&j->err, BD_ENOMEM, "out of memory");
	} else if (m->head.fd >= 0) {
		j->st = m->head.st;
		j->rc = bd_scan_rest(&m->sc, &m->head, name, &j->info,
				     j->sha256, &diag, &j->err);
	} else {
		j->rc = bd_scan_file(&m->sc, m->p->root, m->host, name,
				     &j->info, j->sha256, &j->st, &diag,
				     &j->err);
	}
	reader_close(m);
	if (j->rc != BD_ENOTELF && j->rc != BD_ENOMEM)
		foresee(&m->seer, &j->info, m->inside);
}

/* Takes what a worker read ahead: the job owns it from now on. */
static void take_ahead(struct ahead *a, struct job *j)
{
	j->rc = a->rc;
	j->st = a->cand.st;
	memcpy(j->sha256, a->sha256, sizeof(j->sha256));
	j->info = a->info;
	j->err = a->err;
	j->msgs = a->msgs;
	bd_elf_info_init(&a->info);
	bd_buf_init(&a->msgs);
	a->scanned = false; /* a second time, the search reads it itself */
}

/* The search found a new file: read it (or take it as read ahead), with
 * its warnings told now, and add it. */
static int reader_scan(void *ctx, uint32_t *id)
{
	struct merge *m = ctx;
	struct bd_scanned_file f = { found_name(m), m->inside, 0,    0,
				     NULL,	    NULL,      NULL, m->host,
				     NULL };
	struct job j;
	int rc;

	*id = UINT32_MAX;
	memset(&j, 0, sizeof(j));
	bd_elf_info_init(&j.info);
	bd_buf_init(&j.msgs);
	if (m->cur && m->cur->scanned) {
		take_ahead(m->cur, &j);
		reader_close(m);
	} else {
		read_found(m, &j);
	}
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
		f.sha256 = j.sha256;
		f.info = &j.info;
		f.error = j.rc ? j.err.msg : j.info.problem;
		f.head = &m->cand;
		rc = bd_resolver_add_file(&m->r, &f, id);
		m->st->discovered++;
	}
	bd_elf_info_release(&j.info);
	bd_buf_release(&j.msgs);
	return rc;
}

/* A job no worker had: the file's open left all there is to merge (a
 * non-ELF file, counted; one with a library's name, a warning). */
static int merge_direct(struct merge *m, struct bd_walk_file *wf, uint32_t *id)
{
	struct job j;
	int rc;

	*id = UINT32_MAX;
	if (!wf->scan) {
		m->st->non_elf++;
		return 0;
	}
	memset(&j, 0, sizeof(j));
	bd_buf_init(&j.msgs);
	bd_buf_init(&j.inside);
	take_scan(&j, wf);
	j.inside_rc = BD_ENOENT;
	rc = merge_job(m, wf, &j, id);
	job_drop_held(&j);
	return rc;
}

/* Claims input k for the merge itself when no worker has claimed it. */
static bool claim_next(struct pool *p, size_t k)
{
	bool mine;

	pthread_mutex_lock(&p->lock);
	mine = p->next == k;
	if (mine)
		p->next = k + 1;
	pthread_mutex_unlock(&p->lock);
	return mine;
}

/*
 * Input k, done by a worker, or by the merge itself when none has claimed
 * it yet, rather than waiting for one: a worker just started may not run
 * for a millisecond or two while both cores are busy (2.6 ms before the
 * first input on the hand-built Debian root, issue 13), and where the
 * merge is the faster, each wait was a sleep and a wake-up.
 */
static struct job *next_job(struct pool *p, struct merge *m, size_t k)
{
	struct job *j = &p->slots[k % WINDOW];

	if (atomic_load(&j->done) || !claim_next(p, k))
		return wait_job(p, k);
	run_job(p, &m->seer, j, k);
	return j;
}

/* Walk order; a later path of the same file only adds an occurrence. */
static int merge_all(struct pool *p, struct merge *m, const uint32_t *job_of)
{
	struct bd_walk *w = p->walk;
	size_t i, next = 0; /* in the work list */
	int rc = 0;

	for (i = 0; i < w->nfiles && !rc; i++) {
		struct bd_walk_file *wf = &w->files[i];
		size_t k = job_of[i];

		m->st->files++;
		if (p->first_of[k] == i && next < p->nwork &&
		    p->work[next] == k) {
			struct job *j = next_job(p, m, next);

			rc = merge_job(m, wf, j, &m->comp_of[k]);
			release_job(p, j, next++);
		} else if (p->first_of[k] == i) {
			rc = merge_direct(m, wf, &m->comp_of[k]);
		} else if (m->comp_of[k] != UINT32_MAX) {
			rc = bd_resolver_add_path(&m->r, m->comp_of[k], wf->dev,
						  wf->ino, wf->path);
		}
	}
	return rc;
}

/* ---- setup ------------------------------------------------------------ */

/* Numbers the distinct files: job_of[file] and first_of[job]; seen gets
 * the device and inode of each. */
static int plan_jobs(const struct bd_walk *w, struct bd_inodes *seen,
		     uint32_t *job_of, uint32_t *first_of, size_t *njobs)
{
	size_t i;

	*njobs = 0;
	for (i = 0; i < w->nfiles; i++) {
		const struct bd_walk_file *f = &w->files[i];
		uint32_t k;

		if (i >= UINT32_MAX || *njobs >= UINT32_MAX - 1)
			return BD_ENOMEM;
		if (f->dev || f->ino) {
			if (bd_inodes_get(seen, f->dev, f->ino, &k)) {
				job_of[i] = k;
				continue;
			}
			bd_inodes_put(seen, f->dev, f->ino, (uint32_t)*njobs);
		}
		/* (Never reached, gone since the walk: a job of its own.) */
		job_of[i] = (uint32_t)*njobs;
		first_of[(*njobs)++] = (uint32_t)i;
	}
	return 0;
}

/* The jobs a worker takes: those whose open kept a file to resolve (not
 * one only counted or warned about as not ELF). */
static void plan_work(struct pool *p)
{
	size_t k;

	for (k = 0; k < p->njobs; k++) {
		const struct bd_walk_scan *s =
			p->walk->files[p->first_of[k]].scan;

		if (s && s->rc != BD_ENOTELF && s->rc != BD_ENOMEM)
			p->work[p->nwork++] = (uint32_t)k;
	}
}

/*
 * The inputs a search may meet among its candidates, by device and inode:
 * the files a worker reads (ELF, or unreadable). A file that is no ELF is
 * never a library the search takes, so it is left out: on a real Debian
 * root that is nine files in ten, and the table of all of them was a
 * tenth of the run's peak memory (issue 13).
 */
static int index_inputs(const struct pool *p, struct bd_inodes *inputs)
{
	size_t i;

	if (bd_inodes_init(inputs, p->nwork))
		return BD_ENOMEM;
	for (i = 0; i < p->nwork; i++) {
		const struct bd_walk_file *f =
			&p->walk->files[p->first_of[p->work[i]]];

		if (f->dev || f->ino)
			bd_inodes_put(inputs, f->dev, f->ino, p->work[i]);
	}
	return 0;
}

/* One per CPU, or as asked: even for a single input, a second thread
 * reads ahead what the search will find. */
static size_t thread_count(unsigned jobs)
{
	long n = jobs ? (long)jobs : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	return (size_t)n;
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

static void pool_init(struct pool *p, struct bd_walk *w)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->walk = w;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work_cv, NULL);
	pthread_cond_init(&p->done_cv, NULL);
	for (i = 0; i < WINDOW; i++) {
		bd_buf_init(&p->slots[i].msgs);
		bd_buf_init(&p->slots[i].inside);
	}
	bd_arena_init(&p->arena);
	bd_map_init(&p->tried);
	bd_map_init(&p->ahead_of);
	p->ahead_inodes = (struct bd_inodes){ NULL, 0, 0 };
}

static void pool_release(struct pool *p)
{
	size_t i;

	for (i = 0; i < WINDOW; i++) {
		job_drop_held(&p->slots[i]);
		bd_buf_release(&p->slots[i].inside);
	}
	for (i = 0; i < p->naheads; i++) {
		bd_elf_info_release(&p->aheads[i]->info);
		bd_buf_release(&p->aheads[i]->msgs);
	}
	free(p->aheads);
	bd_map_release(&p->tried);
	free(p->paths);
	bd_map_release(&p->ahead_of);
	bd_inodes_release(&p->ahead_inodes);
	bd_arena_release(&p->arena);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->work_cv);
	pthread_cond_destroy(&p->done_cv);
}

/* ---- the one open of each walked file ---------------------------------- */

/* Files a preparing thread claims at once: one atomic add for them. */
#define PREPARE_BATCH 8

/*
 * A file the walk stated (a link followed, an argument) may be one the
 * walk listed unstated as well (the link's target in the same tree): it
 * is read once, under the name of whichever path comes first in the walk,
 * which is the one bd_collect merges, its warnings naming it as before.
 * So the unstated files are opened first: one that turns out to be a
 * stated file's, later in the walk, is read for it (owner), and one
 * earlier makes it needless (covered); then the stated files not read
 * yet, the first of each inode.
 */
struct prep {
	struct bd_walk *w;
	const struct bd_root *root;
	const struct bd_collect_prepare_options *o;
	atomic_size_t next;
	bool stated;		 /* the second pass */
	struct bd_inodes firsts; /* the first stated file of each inode */
	atomic_size_t *owner;	 /* per file: 1 + the file read for it, or 0 */
	atomic_bool *covered;	 /* per file: not to be read (see above) */
	/* Unstated files with more than one link: the first in the walk of
	 * each inode met so far, which is the one read (under lock). */
	struct bd_inodes links;
	pthread_mutex_t links_lock;
	bool links_failed;
};

/* Device and inode from the open; when it did not reach the file (no
 * inode), from lstat as the walk would have; else none: the file is then
 * a job of its own (plan_jobs). */
static void fill_ids(struct bd_walk_file *f, dev_t dev, ino_t ino)
{
	struct stat l;

	if (f->stated)
		return;
	if (!ino && !lstat(f->host, &l)) {
		dev = l.st_dev;
		ino = l.st_ino;
	}
	f->dev = dev;
	f->ino = ino;
	f->stated = true;
}

/* What the open read, kept for the merge (no_memory when it cannot be). */
static struct bd_walk_scan *make_scan(int rc, const char *sha256,
				      const unsigned char *head, size_t nhead,
				      struct bd_elf_info *info,
				      struct bd_buf *msgs,
				      const struct bd_error *err)
{
	struct bd_walk_scan *s = calloc(1, sizeof(*s));

	if (s && rc && !(s->err = strdup(err->msg))) {
		free(s);
		s = NULL;
	}
	if (!s) {
		bd_elf_info_release(info);
		bd_buf_release(msgs);
		return &no_memory;
	}
	s->rc = rc;
	memcpy(s->sha256, sha256, sizeof(s->sha256));
	s->nhead = nhead;
	memcpy(s->head, head, nhead);
	s->info = *info;
	s->msgs = *msgs;
	return s;
}

/* Under which name file i is read: its own, or the stated file's whose
 * inode it is, earlier in the walk (*owned then; NULL when another file
 * is read for that one already: nothing to read). */
static const char *read_as(struct prep *pp, size_t i, bool *owned)
{
	const struct bd_walk_file *f = &pp->w->files[i];
	uint32_t s;
	size_t none = 0;

	*owned = false;
	if (pp->stated || !pp->firsts.slots || (!f->dev && !f->ino) ||
	    !bd_inodes_get(&pp->firsts, f->dev, f->ino, &s))
		return f->path;
	if (s > i) {
		atomic_store(&pp->covered[s], true);
		return f->path;
	}
	if (!atomic_compare_exchange_strong(&pp->owner[s], &none, i + 1))
		return NULL;
	*owned = true;
	return pp->w->files[s].path;
}

/* Whether file index is the first name of hard link dev/ino met so far,
 * then kept as it (under links_lock while the passes run). The map grows
 * with the links met: most trees have none, and a table made for every
 * unstated file was 12 MB for 200,000 tiny files, and a tenth of a real
 * Debian root's peak memory (issue 13). Out of memory, links_failed is
 * set (bd_collect_prepare fails) and the file is read all the same. */
static bool first_name(struct prep *pp, dev_t dev, ino_t ino, size_t index)
{
	uint32_t seen;

	if (bd_inodes_get(&pp->links, dev, ino, &seen) && seen <= index)
		return false;
	if (bd_inodes_add(&pp->links, dev, ino, (uint32_t)index))
		pp->links_failed = true;
	return true;
}

/*
 * Whether unstated file i is the one to read of its inode: a hard link
 * (st_nlink > 1) is read under the first of its names in the walk, the
 * one bd_collect merges, as when the walk stated every file. A name met
 * before an earlier one is read all the same and dropped by settle().
 */
static bool first_link(struct prep *pp, const struct bd_walk_file *f,
		       const struct stat *st, size_t i)
{
	bool first;

	if (pp->stated || st->st_nlink < 2)
		return true;
	pthread_mutex_lock(&pp->links_lock);
	first = first_name(pp, f->dev, f->ino, i);
	pthread_mutex_unlock(&pp->links_lock);
	return first;
}

/* Whether what bd_scan_rest would say of a file is dropped unsaid: its
 * head is not ELF, it is within the size limit and it is not named like
 * a shared object (see below). Then it is not called: 200,000 tiny files
 * each cost a message formatted and a search for a linker script's marks
 * that nobody reads. */
static bool only_counted(const struct bd_scan_head *h, const void *head,
			 bool so_named)
{
	return h->n && (uint64_t)h->st.st_size <= BD_SCAN_MAX_FILE &&
	       !bd_scan_is_elf(head, h->n) && !so_named;
}

/* Whether the walk found f a regular file: its directory's listing said
 * so, or it stated it (a link followed: only regular files are kept).
 * Such a file is opened for reading at once, not first by O_PATH then
 * again through /proc (BD_OPEN_LISTED_REGULAR: a file that is no longer
 * regular by then is refused unread). A file of an artifact is not. */
static bool walked_regular(const struct bd_walk_file *f)
{
	return f->listed_regular || (f->stated && !f->inside);
}

/* How a walked file is opened: at once when the walk found it regular,
 * and by its name in its directory when the listing named it so. */
static unsigned walked_open_flags(const struct bd_walk_file *f)
{
	if (!walked_regular(f))
		return 0;
	return BD_OPEN_LISTED_REGULAR |
	       (f->listed_regular && !f->inside ? BD_OPEN_LISTED_NAME : 0);
}

/* One file's one open, as the walk listed it (in), and what it read
 * (out). */
struct one_read {
	const char *host, *path;
	unsigned open_flags; /* walked_open_flags */
	/* From the open; zeros if it failed. Not the whole struct stat:
	 * 200,000 tiny files are held until the walk ends. */
	dev_t dev;
	ino_t ino;
	nlink_t nlink;
	bool reached; /* the open succeeded (else what it stated, if any, is
			 not a file to name: read_as is not asked) */
	unsigned char kind;	   /* the sniff's answer */
	struct bd_walk_scan *scan; /* NULL: nothing to keep */
};

/* Under which name a file that opened (st) is read; NULL: not at all. */
typedef const char *(*read_name_fn)(void *ctx, const struct stat *st);

/* The one open of a walked file: its first bytes (an archive?), and an
 * ELF file read whole. */
static void read_one(const struct bd_root *root, bd_collect_sniff_fn sniff,
		     struct bd_scanner *sc, struct one_read *r,
		     read_name_fn name_of, void *ctx)
{
	struct bd_buf msgs = BD_BUF_INIT;
	struct bd_diag diag = { buffer_report, &msgs };
	unsigned char head[BD_RESOLVE_HEAD];
	struct bd_elf_info info;
	struct bd_scan_head h;
	struct bd_error err;
	char sha256[65] = "";
	const char *name = r->path;
	size_t nhead = 0;
	bool so_named = false; /* name looks like a shared object's */
	bool parsed = false;   /* info made ready (not for a file only
				* counted: 200,000 tiny files) */
	int rc;

	if (!sc) {
		r->scan = &no_memory;
		return;
	}
	bd_error_clear(&err);
	rc = bd_scan_open(sc, root, r->host, r->open_flags, r->path, &h, &err);
	r->dev = h.st.st_dev;
	r->ino = h.st.st_ino;
	r->nlink = h.st.st_nlink;
	r->reached = !rc;
	if (!rc) {
		nhead = h.n < BD_RESOLVE_HEAD ? h.n : BD_RESOLVE_HEAD;
		memcpy(head, sc->buf, nhead);
		if (sniff && !bd_scan_is_elf(sc->buf, h.n))
			r->kind = sniff(h.fd, sc->buf, h.n, h.st.st_size);
		name = name_of(ctx, &h.st);
		so_named = name && looks_like_shared_object(name);
		parsed = name && !only_counted(&h, sc->buf, so_named);
		if (parsed)
			bd_elf_info_init(&info);
		rc = parsed ? bd_scan_rest(sc, &h, name, &info, sha256, &diag,
					   &err)
			    : BD_ENOTELF;
		bd_scan_close(&h);
	}
	/* Only counted by the merge: nothing to keep (debug information is
	 * noted: merge_job). */
	if (!name || (rc == BD_ENOTELF && !msgs.len && !so_named &&
		      !(parsed && info.debug_only))) {
		if (parsed)
			bd_elf_info_release(&info);
		bd_buf_release(&msgs);
		return;
	}
	if (!parsed)
		bd_elf_info_init(&info); /* kept empty */
	r->scan = make_scan(rc, sha256, head, nhead, &info, &msgs, &err);
}

struct prep_name {
	struct prep *pp;
	size_t i;
};

/* The name of file i in a pass: as read_as and first_link say. */
static const char *prep_name(void *ctx, const struct stat *st)
{
	struct prep_name *c = ctx;
	struct bd_walk_file *f = &c->pp->w->files[c->i];
	bool owned;
	const char *name;

	fill_ids(f, st->st_dev, st->st_ino);
	name = read_as(c->pp, c->i, &owned);
	if (name == f->path && !first_link(c->pp, f, st, c->i))
		name = NULL; /* read under an earlier name */
	return name;
}

static void prepare_one(struct prep *pp, struct bd_scanner *sc, size_t i)
{
	struct bd_walk_file *f = &pp->w->files[i];
	struct one_read r = { .host = f->host,
			      .path = f->path,
			      .open_flags = walked_open_flags(f) };
	struct prep_name c = { pp, i };

	f->opened = true;
	read_one(pp->root, pp->o->sniff, sc, &r, prep_name, &c);
	fill_ids(f, r.dev, r.ino);
	if (r.kind)
		f->kind = r.kind;
	f->scan = r.scan;
}

/* ---- reading ahead of the walk --------------------------------------- */

/*
 * While the walk lists the tree on one thread, the others read the files
 * it has listed so far (200,000 tiny files: the walk is a fifth of the
 * run, and the second core idled through it). Only the files the walk
 * did not stat are read ahead, each under the name bd_collect_prepare
 * would read it under: its own, or that of the stated file listed before
 * it whose inode it turns out to be (a link met before its target), the
 * first to claim that file reading it for it; a hard link only under
 * the first of its names read ahead. What needs the whole walk
 * (a stated file listed later, a hard link's first name) is settled by
 * bd_collect_prepare (apply_early), on one thread.
 *
 * A stated file no file claims is read for itself, by the second pass
 * (a link to a file outside the walk: /usr/lib/x86_64-linux-gnu's link
 * to llvm's 58 MB libclang-cpp.so.14, hashed alone after everything
 * else). The readers read it ahead instead (early_self), once the walk
 * is over and every file listed before it is read, if none of those
 * turned out to be its inode and no listing gave its inode number to a
 * file after it (which would read it for it). Should a file after it be
 * its inode all the same (a listing's numbers are a hint), that file
 * finds it claimed, as by the first such file, and reads nothing.
 */
struct early_file {
	struct one_read r;
	size_t index; /* in the walk */
	/* 1 + the stated file it was read for (in stateds), or 0; or
	 * EARLY_UNNAMED: read under no name (another read it). */
	size_t for_stated;
	bool self;   /* the stated file for_stated itself, read for itself */
	bool unused; /* a stated file's entry that was not read: another
			name is its inode's, or it was never its turn */
};

/* An early_file's for_stated when early_name gave it no name: a stated
 * file's inode claimed by another reader, or a hard link read under an
 * earlier name. */
#define EARLY_UNNAMED SIZE_MAX
/* An early_file's index when it is not to be used: its file, or the
 * stated file it was read for, has left the walk (early_relist). */
#define EARLY_GONE SIZE_MAX

/*
 * The files the walk told of at once, handed over together, and claimed
 * by the readers in runs (early_take): the next files of the first batch
 * (claimed), and the one that finishes its last (left) marks the batch
 * read. Claimed by whole batches, the last was one reader's while the
 * other had nothing left (issue 13: 40 ms at the end of /usr/bin's 1,100
 * files, 64 to the batch).
 */
struct early_batch {
	struct early_batch *next;
	size_t n;
	size_t seq;	/* the order it was handed over in */
	size_t claimed; /* f[0..claimed) taken by a reader (under the lock) */
	size_t left;	/* taken or not, not finished (under the lock) */
	struct early_file f[];
};

/* A stated file told of, the first of its inode. */
struct early_stated {
	size_t index;
	const char *path;
	dev_t dev;
	ino_t ino;
	size_t owner; /* 1 + the file that claimed its read, or 0 */
};

/* A stated file's entry whose turn waits for its batch, and the batches
 * before it, to be read. */
struct early_wait {
	struct early_batch *b;
	size_t k;
};

/* The inodes of the files read ahead, as a filter: a stated file whose
 * bit is clear is no such file's (a set bit, maybe: it is left to the
 * pass). 16 KiB: 4% of bits set by /usr/lib/x86_64-linux-gnu. */
#define EARLY_SEEN_BITS (1u << 17)

/*
 * The batches' memory: bumped from mappings of their own, all unmapped
 * together (early_free). From the heap, the batches (88 bytes a file) were
 * freed at the prepare among the walk's arena blocks, which stay: holes
 * the graph's larger blocks could not use, and a debootstrap root's peak
 * memory was 320 KB higher (issue 13). Only the walk's thread takes.
 */
#define SLAB_SIZE (256u * 1024u)
#define SLAB_HEAD 32u /* the header, rounded to keep what follows aligned */
/* Left between two pieces, and guarded (below). */
#define SLAB_REDZONE 16u

/*
 * A slab is no heap block that ASan or valgrind would watch: what is not
 * handed out is marked unusable for them, so that a batch overrun is seen
 * as on the heap (ASan's poisoning; valgrind's client requests, where its
 * header is installed, which cost nothing outside valgrind).
 */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define SLAB_GUARD(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define SLAB_OPEN(p, n)	 ASAN_UNPOISON_MEMORY_REGION(p, n)
#elif defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define SLAB_GUARD(p, n) ((void)VALGRIND_MAKE_MEM_NOACCESS(p, n))
#define SLAB_OPEN(p, n)	 ((void)VALGRIND_MAKE_MEM_UNDEFINED(p, n))
#endif
#endif
#ifndef SLAB_GUARD
#define SLAB_GUARD(p, n) ((void)(p), (void)(n))
#define SLAB_OPEN(p, n)	 ((void)(p), (void)(n))
#endif

struct slab {
	struct slab *next;
	size_t used, size; /* bytes of the mapping */
};

_Static_assert(sizeof(struct slab) <= SLAB_HEAD, "a slab's header fits");

/* n bytes, aligned to 16; NULL when out of memory. */
static void *slab_take(struct slab **head, size_t n)
{
	struct slab *s = *head;
	size_t size;
	void *m;

	if (n > SIZE_MAX / 2)
		return NULL;
	n = ((n + 15) & ~(size_t)15) + SLAB_REDZONE;
	if (!s || s->size - s->used < n) {
		size = n + SLAB_HEAD > SLAB_SIZE ? n + SLAB_HEAD : SLAB_SIZE;
		m = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return NULL;
		s = m;
		s->next = *head;
		s->used = SLAB_HEAD;
		s->size = size;
		*head = s;
		SLAB_GUARD((unsigned char *)s + SLAB_HEAD, size - SLAB_HEAD);
	}
	m = (unsigned char *)s + s->used;
	s->used += n;
	SLAB_OPEN(m, n - SLAB_REDZONE);
	return m;
}

/* Gives back p, the last n bytes taken (a batch not handed over). */
static void slab_untake(struct slab *s, void *p, size_t n)
{
	n = ((n + 15) & ~(size_t)15) + SLAB_REDZONE;
	if (s && (unsigned char *)p + n == (unsigned char *)s + s->used) {
		s->used -= n;
		SLAB_GUARD(p, n);
	}
}

static void slab_release(struct slab *s)
{
	while (s) {
		struct slab *next = s->next;
		size_t size = s->size;

		/* Usable again for whatever is mapped there next: ASan's
		 * shadow would outlive the mapping. Not the header, which is
		 * never guarded (valgrind would take it as undefined). */
		SLAB_OPEN((unsigned char *)s + SLAB_HEAD, size - SLAB_HEAD);
		munmap(s, size);
		s = next;
	}
}

struct bd_collect_early {
	const struct bd_root *root;
	bd_collect_sniff_fn sniff;
	const struct bd_strrules *(*strings)(void *ctx);
	void *strings_ctx;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct early_batch *todo, **todo_end, *done;
	size_t unclaimed; /* files of the batches in todo not claimed */
	size_t readers;	  /* the threads, and the walk's after it: set once */
	bool walk_done;
	/* Out of memory keeping a stated file: what was read ahead cannot
	 * be trusted to be under the right name, and is not used. */
	bool broken;
	struct bd_inodes stated; /* an inode -> its index in stateds */
	/* Hard links read ahead: an inode -> the first in the walk so far
	 * of its names that were read (as first_link's). */
	struct bd_inodes links;
	struct early_stated *stateds;
	size_t nstateds, astateds;
	atomic_size_t any_stated; /* nstateds, read without the lock */
	/* For a stated file read for itself (early_self): how many batches
	 * were handed over, which are read (ndone_first: the first that is
	 * not), whether an unstated file was not handed over (then none is:
	 * the pass may read it as the first of the inode), the entries
	 * waiting for their turn, and the inodes read. */
	size_t nseq, ndone_first;
	unsigned char *bdone;
	size_t abdone;
	bool not_handed;
	struct early_wait *waiting; /* a queue: [whead, nwaiting) */
	size_t whead, nwaiting, awaiting;
	uint64_t seen[EARLY_SEEN_BITS / 64];
	uint64_t listed[BD_WALK_INO_BITS / 64]; /* bd_walk.listed_inos */
	/* The stated files' inodes, as a filter (seen_bit) read without the
	 * lock: a file whose bit is clear is no stated file's, and is named
	 * without a look-up in `stated` (under the lock). A stated file listed
	 * before a file is in it before that file is handed over (early_told).
	 */
	_Atomic uint64_t stated_bits[EARLY_SEEN_BITS / 64];
	pthread_t tids[MAX_THREADS];
	size_t nthreads;
	struct slab *slab; /* the batches' memory */
};

/* The filters' bit of an inode (struct bd_collect_early's seen and
 * stated_bits). */
static size_t seen_bit(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15u ^
		     (uint64_t)dev * 0xc2b2ae3d27d4eb4fu;

	return (size_t)((h ^ h >> 31) & (EARLY_SEEN_BITS - 1));
}

static void stated_add(struct bd_collect_early *e, dev_t dev, ino_t ino)
{
	size_t bit = seen_bit(dev, ino);

	atomic_fetch_or_explicit(&e->stated_bits[bit / 64],
				 (uint64_t)1 << (bit % 64),
				 memory_order_relaxed);
}

static bool stated_maybe(struct bd_collect_early *e, dev_t dev, ino_t ino)
{
	size_t bit = seen_bit(dev, ino);

	return atomic_load_explicit(&e->stated_bits[bit / 64],
				    memory_order_relaxed) >>
		       (bit % 64) &
	       1;
}

/* Keeps the first stated file of each inode (under the lock); *first:
 * it was the first. */
static int early_stated(struct bd_collect_early *e,
			const struct bd_walk_file *f, size_t i, bool *first)
{
	*first = false;
	if (bd_inodes_get(&e->stated, f->dev, f->ino, NULL))
		return 0;
	if (e->nstateds >= UINT32_MAX - 1 ||
	    BD_GROW(e->stateds, e->astateds, e->nstateds + 1) ||
	    bd_inodes_add(&e->stated, f->dev, f->ino, (uint32_t)e->nstateds))
		return BD_ENOMEM;
	e->stateds[e->nstateds++] =
		(struct early_stated){ i, f->path, f->dev, f->ino, 0 };
	stated_add(e, f->dev, f->ino);
	atomic_store(&e->any_stated, e->nstateds);
	*first = true;
	return 0;
}

/* An entry of batch b for walk file f (index i); for_stated: 1 + the
 * stated file it is, for one read for itself. */
static void early_entry(struct early_batch *b, const struct bd_walk_file *f,
			size_t i, size_t for_stated)
{
	struct early_file *ef = &b->f[b->n++];

	memset(ef, 0, sizeof(*ef));
	ef->r.host = f->host;
	ef->r.path = f->path;
	ef->r.open_flags = walked_open_flags(f);
	ef->index = i;
	ef->for_stated = for_stated;
	ef->self = ef->unused = for_stated != 0;
}

/* Hands batch b over (under the lock); false when out of memory. */
static bool early_queue(struct bd_collect_early *e, struct early_batch *b)
{
	if (BD_GROW(e->bdone, e->abdone, e->nseq + 1))
		return false;
	e->bdone[e->nseq] = 0;
	b->seq = e->nseq++;
	b->claimed = 0;
	b->left = b->n;
	e->unclaimed += b->n;
	b->next = NULL;
	*e->todo_end = b;
	e->todo_end = &b->next;
	pthread_cond_signal(&e->cv);
	return true;
}

/* The walk's w->added: its new files handed to the readers, its stated
 * ones kept first (a reader of a later file may need them). A file not
 * handed over (no memory for the batch) is read by bd_collect_prepare. */
static void early_told(void *ctx, struct bd_walk *w)
{
	struct bd_collect_early *e = ctx;
	size_t size = sizeof(struct early_batch) +
		      (w->nfiles - w->ntold) * sizeof(struct early_file);
	struct early_batch *b = slab_take(&e->slab, size);
	size_t i;
	bool first;

	if (b)
		b->n = 0;
	pthread_mutex_lock(&e->lock);
	for (i = w->ntold; i < w->nfiles && !e->broken; i++) {
		const struct bd_walk_file *f = &w->files[i];

		if (f->stated) {
			e->broken = early_stated(e, f, i, &first) != 0;
			if (first && b && !e->not_handed && !f->inside)
				early_entry(b, f, i, e->nstateds);
		} else if (b && !f->opened && !f->inside) {
			early_entry(b, f, i, 0);
		} else {
			e->not_handed = true;
		}
	}
	if (b && b->n && !e->broken) {
		if (early_queue(e, b))
			b = NULL;
		else
			e->broken = true;
	}
	pthread_mutex_unlock(&e->lock);
	if (b)
		slab_untake(e->slab, b, size);
}

/*
 * How many files of a batch a reader claims at once (under the lock). The
 * rest of the batch while the walk goes on; after it, as guided
 * scheduling does, a share of what is left that shrinks to one file
 * (each reader's last runs end together). One at a time throughout was a
 * lock taken twice a file: 200,000 tiny files took 1.43 times their
 * floor, not 1.2.
 */
static size_t early_run(const struct bd_collect_early *e,
			const struct early_batch *b)
{
	size_t rest = b->n - b->claimed, share;

	if (!e->walk_done)
		return rest;
	share = e->unclaimed / (2 * e->readers);
	return share < 1 ? 1 : share < rest ? share : rest;
}

/* The next files to read, entries [*k, *k + *n) of their batch; NULL
 * when there are none and none to come (or, without wait, none now). A
 * batch leaves the queue when its last file is claimed. */
static struct early_batch *early_take(struct bd_collect_early *e, bool wait,
				      size_t *k, size_t *n)
{
	struct early_batch *b;

	pthread_mutex_lock(&e->lock);
	while (!e->todo && wait && !e->walk_done && !e->broken)
		pthread_cond_wait(&e->cv, &e->lock);
	b = e->broken ? NULL : e->todo;
	if (b) {
		*k = b->claimed;
		*n = early_run(e, b);
		b->claimed += *n;
		e->unclaimed -= *n;
		if (b->claimed == b->n) {
			e->todo = b->next;
			if (!e->todo)
				e->todo_end = &e->todo;
		}
	}
	pthread_mutex_unlock(&e->lock);
	return b;
}

struct early_name_ctx {
	struct bd_collect_early *e;
	struct early_file *f;
};

/* As first_link: whether a hard link (by key) is read under this name,
 * the first of its names met (under the lock). */
static bool early_first_link(struct bd_collect_early *e, dev_t dev, ino_t ino,
			     size_t index)
{
	uint32_t seen;

	if (bd_inodes_get(&e->links, dev, ino, &seen) && seen < index)
		return false;
	/* Out of memory: read all the same, and nothing read ahead used. */
	if (index >= UINT32_MAX ||
	    bd_inodes_add(&e->links, dev, ino, (uint32_t)index))
		e->broken = true;
	return true;
}

/* As read_as for a file listed after the stated files told of so far:
 * the first to claim a stated file of its inode listed before it reads
 * it for it, under its name; the others read nothing. Then as
 * first_link. */
static const char *early_name(void *ctx, const struct stat *st)
{
	struct early_name_ctx *c = ctx;
	struct bd_collect_early *e = c->e;
	const char *name = c->f->r.path;
	uint32_t k;
	bool stated = atomic_load(&e->any_stated) &&
		      stated_maybe(e, st->st_dev, st->st_ino);

	if ((!stated && st->st_nlink < 2) || (!st->st_dev && !st->st_ino))
		return name;
	pthread_mutex_lock(&e->lock);
	if (stated && bd_inodes_get(&e->stated, st->st_dev, st->st_ino, &k) &&
	    e->stateds[k].index < c->f->index) {
		if (!e->stateds[k].owner) {
			e->stateds[k].owner = c->f->index + 1;
			c->f->for_stated = k + 1;
			name = e->stateds[k].path;
		} else {
			name = NULL;
		}
	} else if (st->st_nlink > 1 &&
		   !early_first_link(e, st->st_dev, st->st_ino, c->f->index)) {
		name = NULL; /* read under an earlier name */
	}
	if (!name)
		c->f->for_stated = EARLY_UNNAMED;
	pthread_mutex_unlock(&e->lock);
	return name;
}

static bool seen_maybe(const struct bd_collect_early *e, dev_t dev, ino_t ino)
{
	size_t bit = seen_bit(dev, ino);

	return e->seen[bit / 64] >> (bit % 64) & 1;
}

/* Whether no listing named a regular file with this inode number (after
 * the walk; a hint: a file of a listing whose numbers are not its own
 * then finds the stated file read, and is opened only to learn that). */
static bool listed_never(const struct bd_collect_early *e, ino_t ino)
{
	size_t bit = bd_walk_ino_bit(ino);

	return !(e->listed[bit / 64] >> (bit % 64) & 1);
}

/* Whether the stated file of entry k of batch b is to be read for
 * itself, now that the walk is over and every file before it is read
 * (under the lock): no file before it was its inode, nor has one after
 * it claimed it, and no file listed after it looks to be its target
 * (that one reads it for it). */
static bool early_claim_self(struct bd_collect_early *e, struct early_batch *b,
			     size_t k)
{
	struct early_stated *st = &e->stateds[b->f[k].for_stated - 1];
	size_t j;

	if (st->owner || seen_maybe(e, st->dev, st->ino) ||
	    !listed_never(e, st->ino))
		return false;
	for (j = 0; j < k; j++)
		if (!b->f[j].self && b->f[j].r.reached &&
		    b->f[j].r.dev == st->dev && b->f[j].r.ino == st->ino)
			return false;
	st->owner = b->f[k].index + 1;
	return true;
}

static const char *early_own_name(void *ctx, const struct stat *st)
{
	(void)st;
	return ((struct early_file *)ctx)->r.path;
}

/* Entry k of batch b, a stated file, waits for its turn: the end of the
 * walk, and its batch and the batches before it read (other readers may
 * still read the files before it in its own batch). It is then read by
 * the reader that finishes the last of them, or that finds the walk over
 * (early_self). Without room to wait, it is left to the pass. */
static void early_defer(struct bd_collect_early *e, struct early_batch *b,
			size_t k)
{
	pthread_mutex_lock(&e->lock);
	if (!BD_GROW(e->waiting, e->awaiting, e->nwaiting + 1))
		e->waiting[e->nwaiting++] = (struct early_wait){ b, k };
	pthread_mutex_unlock(&e->lock);
}

/* A waiting stated file whose turn has come: read for itself if no other
 * name has its inode. */
static void early_self(struct bd_collect_early *e, struct bd_scanner *sc,
		       struct early_batch *b, size_t k)
{
	struct early_file *ef = &b->f[k];
	bool claimed;

	pthread_mutex_lock(&e->lock);
	claimed = early_claim_self(e, b, k);
	pthread_mutex_unlock(&e->lock);
	if (!claimed)
		return;
	ef->unused = false;
	read_one(e->root, e->sniff, sc, &ef->r, early_own_name, ef);
}

/* The first waiting entry, taken off the queue if its turn has come;
 * false when it has not (or there is none). Entries come in nearly in
 * their batches' order: one behind an entry whose turn has not come
 * waits for it, and all have come once the walk is over and every batch
 * read (a linear look for any that may go, under the lock, was quadratic
 * in the links of a tree). */
static bool early_next_waiting(struct bd_collect_early *e,
			       struct early_wait *out)
{
	bool found;

	pthread_mutex_lock(&e->lock);
	found = e->whead < e->nwaiting && e->walk_done &&
		e->waiting[e->whead].b->seq < e->ndone_first;
	if (found)
		*out = e->waiting[e->whead++];
	pthread_mutex_unlock(&e->lock);
	return found;
}

/* Batch b is read: its inodes go into the filter, and the entries whose
 * turn it was waiting for are read. */
static void early_batch_done(struct bd_collect_early *e, struct bd_scanner *sc,
			     struct early_batch *b)
{
	struct early_wait wt;
	size_t k, bit;

	pthread_mutex_lock(&e->lock);
	b->next = e->done;
	e->done = b;
	for (k = 0; k < b->n; k++) {
		if (b->f[k].self || !b->f[k].r.reached)
			continue;
		bit = seen_bit(b->f[k].r.dev, b->f[k].r.ino);
		e->seen[bit / 64] |= (uint64_t)1 << (bit % 64);
	}
	e->bdone[b->seq] = 1;
	while (e->ndone_first < e->nseq && e->bdone[e->ndone_first])
		e->ndone_first++;
	pthread_mutex_unlock(&e->lock);
	while (early_next_waiting(e, &wt))
		early_self(e, sc, wt.b, wt.k);
}

/* n files of batch b are read (or wait): the batch is read when they were
 * its last. */
static void early_files_done(struct bd_collect_early *e, struct bd_scanner *sc,
			     struct early_batch *b, size_t n)
{
	bool last;

	pthread_mutex_lock(&e->lock);
	b->left -= n;
	last = b->left == 0;
	pthread_mutex_unlock(&e->lock);
	if (last)
		early_batch_done(e, sc, b);
}

/* Reads the files as they come (wait), or those left (no wait). */
static void early_read(struct bd_collect_early *e, bool wait)
{
	struct bd_scanner sc;
	bool have_sc = !bd_scanner_init(&sc);
	struct bd_scanner *scp = have_sc ? &sc : NULL;
	struct early_batch *b;
	struct early_wait wt;
	size_t k, n, i;

	/* The registry's strings: read while the walk began. */
	sc.strings = e->strings ? e->strings(e->strings_ctx) : NULL;
	while ((b = early_take(e, wait, &k, &n))) {
		for (i = k; i < k + n; i++) {
			struct early_name_ctx c = { e, &b->f[i] };

			if (b->f[i].self)
				early_defer(e, b, i);
			else
				read_one(e->root, e->sniff, scp, &b->f[i].r,
					 early_name, &c);
		}
		early_files_done(e, scp, b, n);
	}
	while (early_next_waiting(e, &wt))
		early_self(e, scp, wt.b, wt.k);
	if (have_sc)
		bd_scanner_release(&sc);
}

static void *early_thread(void *arg)
{
	early_read(arg, true);
	return NULL;
}

static void early_drop_batches(struct early_batch *b)
{
	size_t k;

	while (b) {
		struct early_batch *next = b->next;

		for (k = 0; k < b->n; k++)
			drop_scan(b->f[k].r.scan);
		b = next;
	}
}

/* The walk is over: a reader with nothing left to read stops. */
static void early_walk_done(struct bd_collect_early *e)
{
	pthread_mutex_lock(&e->lock);
	e->walk_done = true;
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->lock);
}

/* Stops and joins the readers. */
static void early_join(struct bd_collect_early *e)
{
	early_walk_done(e);
	while (e->nthreads)
		pthread_join(e->tids[--e->nthreads], NULL);
}

static void early_free(struct bd_collect_early *e)
{
	if (!e)
		return;
	early_join(e);
	early_drop_batches(e->todo);
	early_drop_batches(e->done);
	bd_inodes_release(&e->stated);
	bd_inodes_release(&e->links);
	free(e->stateds);
	free(e->bdone);
	free(e->waiting);
	slab_release(e->slab);
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->cv);
	free(e);
}

int bd_collect_early_start(struct bd_walk *w, const struct bd_root *root,
			   const struct bd_collect_prepare_options *opts,
			   const struct bd_strrules *(*strings)(void *ctx),
			   void *ctx)
{
	size_t n = thread_count(opts->jobs) - 1;
	struct bd_collect_early *e;
	sigset_t all, old;

	if (!n)
		return 0;
	e = calloc(1, sizeof(*e));
	if (!e)
		return BD_ENOMEM;
	e->root = root ? root : w->root;
	e->sniff = opts->sniff;
	e->strings = strings;
	e->strings_ctx = ctx;
	e->todo_end = &e->todo;
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->cv, NULL);
	e->stated = (struct bd_inodes){ NULL, 0, 0 };
	e->links = (struct bd_inodes){ NULL, 0, 0 };
	atomic_init(&e->any_stated, 0);
	/* Signals are the main thread's (input.c blocks them there while it
	 * starts the private directory's sentinel): the readers take none. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (; e->nthreads < n; e->nthreads++)
		if (pthread_create(&e->tids[e->nthreads], NULL, early_thread,
				   e))
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!e->nthreads) {
		early_free(e);
		return 0; /* read after the walk, as without */
	}
	/* Before the readers take a batch: early_join counts nthreads
	 * down while they may still run. */
	pthread_mutex_lock(&e->lock);
	e->readers = e->nthreads + 1;
	pthread_mutex_unlock(&e->lock);
	w->early = e;
	w->drop_early = early_free;
	w->listed_inos = e->listed;
	w->added = early_told;
	w->added_ctx = e;
	w->ntold = w->nfiles;
	return 0;
}

void bd_collect_early_finish(struct bd_walk *w)
{
	struct bd_collect_early *e = w->early;

	w->added = NULL;
	w->listed_inos = NULL;
	if (!e)
		return;
	early_walk_done(e);
	early_read(e, false);
	early_join(e);
}

/* An unstated file read ahead, in the pass's terms: as read_as and
 * first_link would have had it. False: to be read again by the pass
 * (read under its own name though a stated file before it had its
 * inode, which early_name should have seen: never expected). */
static bool early_settles(struct prep *pp, const struct bd_collect_early *e,
			  const struct early_file *ef)
{
	dev_t dev = ef->r.dev;
	ino_t ino = ef->r.ino;
	uint32_t s;

	if (ef->self) {
		/* Its own owner: settle() moves nothing, the pass passes it. */
		atomic_store(&pp->owner[ef->index], ef->index + 1);
		return true;
	}
	if (ef->for_stated && ef->for_stated != EARLY_UNNAMED) {
		atomic_store(&pp->owner[e->stateds[ef->for_stated - 1].index],
			     ef->index + 1);
		return true;
	}
	if (!ef->r.reached)
		return true; /* the open failed: nothing read */
	if (pp->firsts.slots && bd_inodes_get(&pp->firsts, dev, ino, &s)) {
		if (s < ef->index)
			return !ef->r.scan; /* claimed by another: none */
		atomic_store(&pp->covered[s], true);
	}
	if (ef->r.nlink > 1)
		first_name(pp, dev, ino, ef->index);
	return true;
}

/* Whether the files read ahead are still where the walk listed them.
 * The input stage drops the walked files of its private directory
 * (a PATH holding TMPDIR reaches it) before they are prepared, which
 * moves every later file down the list: an index kept by the readers
 * then names another file (and so may that of a stated file one was read
 * for, which is before it: when it moved, so did the file). Paths are the
 * walk's own copies, one per file. */
static bool early_still_listed(const struct bd_walk *w,
			       const struct bd_collect_early *e)
{
	const struct early_batch *b;
	size_t k;

	for (b = e->done; b; b = b->next)
		for (k = 0; k < b->n; k++)
			if (!b->f[k].unused &&
			    (b->f[k].index >= w->nfiles ||
			     w->files[b->f[k].index].path != b->f[k].r.path))
				return false;
	return true;
}

/* Where a path of the walk is now (its own copy: one per file), or
 * EARLY_GONE. */
static size_t relisted(const struct bd_inodes *at, const char *path)
{
	uint32_t i;

	return bd_inodes_get(at, (dev_t)(uintptr_t)path, 0, &i) ? i
								: EARLY_GONE;
}

/*
 * The files read ahead found again in the walk's list, which lost files
 * (early_still_listed) but kept its order: each takes its new index, as
 * does each stated file one was read for. A file that left the list, or
 * was read for one that left it, is not used: the pass opens those again,
 * under the names -j1 would give them (one read under no name waits for
 * the others: early_unnamed_holds). Rare (a walk of the private
 * directory), so a table of all the paths will do.
 */
static int early_relist(const struct bd_walk *w, struct bd_collect_early *e)
{
	struct bd_inodes at;
	struct early_batch *b;
	size_t i, k;

	if (w->nfiles >= UINT32_MAX || bd_inodes_init(&at, w->nfiles))
		return BD_ENOMEM;
	for (i = 0; i < w->nfiles; i++)
		bd_inodes_put(&at, (dev_t)(uintptr_t)w->files[i].path, 0,
			      (uint32_t)i);
	for (k = 0; k < e->nstateds; k++)
		e->stateds[k].index = relisted(&at, e->stateds[k].path);
	for (b = e->done; b; b = b->next) {
		for (k = 0; k < b->n; k++) {
			struct early_file *ef = &b->f[k];
			size_t s = ef->for_stated;

			ef->index = relisted(&at, ef->r.path);
			if (s && s != EARLY_UNNAMED &&
			    e->stateds[s - 1].index == EARLY_GONE)
				ef->index = EARLY_GONE;
		}
	}
	bd_inodes_release(&at);
	return 0;
}

/* After the walk lost files, whether a file read ahead under no name
 * would get none from the pass either, now that the others are put on
 * their files: the stated file of its inode before it was read for by
 * another (read_as), or an earlier name of its hard link read
 * (first_link). Else the one it left its read to has left the walk, and
 * the pass reads it. */
static bool early_unnamed_holds(struct prep *pp, const struct early_file *ef)
{
	uint32_t s, seen;

	if (!ef->r.reached)
		return true; /* the open failed: nothing to name */
	if (pp->firsts.slots &&
	    bd_inodes_get(&pp->firsts, ef->r.dev, ef->r.ino, &s) &&
	    s < ef->index)
		return atomic_load(&pp->owner[s]) != 0;
	return ef->r.nlink > 1 && pp->links.slots &&
	       bd_inodes_get(&pp->links, ef->r.dev, ef->r.ino, &seen) &&
	       seen < ef->index;
}

/* Puts early_file ef on its file, if it settles; the scans put, counted. */
static void early_put(struct prep *pp, const struct bd_collect_early *e,
		      struct early_file *ef, size_t *scans)
{
	struct bd_walk_file *f = &pp->w->files[ef->index];

	if (!early_settles(pp, e, ef))
		return; /* still unopened: the pass reads it */
	fill_ids(f, ef->r.dev, ef->r.ino);
	f->opened = true;
	f->kind = ef->r.kind;
	f->scan = ef->r.scan;
	*scans += ef->r.scan != NULL;
	ef->r.scan = NULL;
}

/* What was read ahead of the walk, put on its files (before the pass,
 * which reads only the files not opened). The readers' memory freed, the
 * heap is trimmed once when they parsed ELF files: what libelf and the
 * parse freed stayed resident until the graph's peak otherwise (0.4 MB
 * of it on a Debian root of 2,670 libraries). */
static void apply_early(struct prep *pp)
{
	struct bd_collect_early *e = pp->w->early;
	struct early_batch *b;
	size_t k, scans = 0;
	bool relisted = false;

	if (!e)
		return;
	pp->w->early = NULL;
	pp->w->listed_inos = NULL;
	early_join(e);
	/* The list lost files since (a walk of the private directory): each
	 * found again, or nothing read ahead used when out of memory. */
	if (!e->broken && !early_still_listed(pp->w, e)) {
		relisted = true;
		e->broken = early_relist(pp->w, e) != 0;
	}
	for (b = e->broken ? NULL : e->done; b; b = b->next)
		for (k = 0; k < b->n; k++)
			if (b->f[k].index != EARLY_GONE && !b->f[k].unused &&
			    !(relisted && b->f[k].for_stated == EARLY_UNNAMED))
				early_put(pp, e, &b->f[k], &scans);
	/* Those read under no name, once the others are on their files. */
	for (b = e->broken || !relisted ? NULL : e->done; b; b = b->next)
		for (k = 0; k < b->n; k++)
			if (b->f[k].index != EARLY_GONE &&
			    b->f[k].for_stated == EARLY_UNNAMED &&
			    early_unnamed_holds(pp, &b->f[k]))
				early_put(pp, e, &b->f[k], &scans);
	early_free(e);
	if (scans)
		malloc_trim(0);
}

/* Whether file i is for this pass: the first pass reads the files the
 * walk did not stat, the second the first stated file of each inode not
 * read in the first. */
static bool for_this_pass(struct prep *pp, size_t i)
{
	const struct bd_walk_file *f = &pp->w->files[i];
	uint32_t s;

	if (f->opened || f->stated != pp->stated)
		return false;
	if (!pp->stated)
		return true;
	if (atomic_load(&pp->covered[i]) || atomic_load(&pp->owner[i]) ||
	    (bd_inodes_get(&pp->firsts, f->dev, f->ino, &s) && s != i)) {
		atomic_store(&pp->covered[i], true);
		return false;
	}
	return true;
}

static void prepare_some(struct prep *pp)
{
	struct bd_scanner sc;
	bool have_sc = !bd_scanner_init(&sc);
	size_t i, end, n = pp->w->nfiles;

	sc.strings = pp->w->strings;
	while ((i = atomic_fetch_add(&pp->next, PREPARE_BATCH)) < n) {
		end = n - i < PREPARE_BATCH ? n : i + PREPARE_BATCH;
		for (; i < end; i++)
			if (for_this_pass(pp, i))
				prepare_one(pp, have_sc ? &sc : NULL, i);
	}
	if (have_sc)
		bd_scanner_release(&sc);
}

static void *prepare_thread(void *arg)
{
	prepare_some(arg);
	return NULL;
}

/* One pass over the files from first, on n threads (this one too). */
static void prepare_pass(struct prep *pp, size_t first, size_t n)
{
	pthread_t tids[MAX_THREADS];
	size_t started;

	atomic_store(&pp->next, first);
	for (started = 0;
	     started + 1 < n && started + 1 < pp->w->nfiles - first; started++)
		if (pthread_create(&tids[started], NULL, prepare_thread, pp))
			break;
	prepare_some(pp);
	while (started)
		pthread_join(tids[--started], NULL);
}

/* The stated files of the passes, the first of each inode in firsts.
 * False when out of memory. */
static bool plan_stated(struct prep *pp, size_t first)
{
	struct bd_walk *w = pp->w;
	size_t i, nstated = 0;

	for (i = first; i < w->nfiles; i++)
		nstated += !w->files[i].opened && w->files[i].stated;
	pp->owner = calloc(w->nfiles, sizeof(*pp->owner));
	pp->covered = calloc(w->nfiles, sizeof(*pp->covered));
	if (!pp->owner || !pp->covered ||
	    (nstated && bd_inodes_init(&pp->firsts, nstated)))
		return false;
	for (i = first; i < w->nfiles && nstated; i++) {
		const struct bd_walk_file *f = &w->files[i];

		if (!f->opened && f->stated &&
		    !bd_inodes_get(&pp->firsts, f->dev, f->ino, NULL))
			bd_inodes_put(&pp->firsts, f->dev, f->ino, (uint32_t)i);
	}
	return true;
}

/* After the passes: what was read for a stated file is moved to it, and a
 * file not read takes the archive kind of the one read for its inode
 * (each path of an archive is one, as when each was opened). */
static int settle(struct prep *pp, size_t first)
{
	struct bd_walk *w = pp->w;
	struct bd_inodes kinds = { NULL, 0, 0 };
	size_t i, o, nkinds = 0;
	uint32_t k;

	for (i = first; i < w->nfiles && pp->o->sniff; i++)
		nkinds += w->files[i].kind != 0;
	if (nkinds && bd_inodes_init(&kinds, nkinds))
		return BD_ENOMEM;
	for (i = first; i < w->nfiles && kinds.slots; i++)
		if (w->files[i].kind && !bd_inodes_get(&kinds, w->files[i].dev,
						       w->files[i].ino, NULL))
			bd_inodes_put(&kinds, w->files[i].dev, w->files[i].ino,
				      w->files[i].kind);
	for (i = first; i < w->nfiles; i++) {
		struct bd_walk_file *f = &w->files[i];

		if (f->scan && pp->links.slots &&
		    bd_inodes_get(&pp->links, f->dev, f->ino, &k) && k != i) {
			drop_scan(f->scan); /* an earlier link was read too */
			f->scan = NULL;
		}
		o = atomic_load(&pp->owner[i]);
		if (o && o - 1 != i) { /* else read for itself ahead */
			f->scan = w->files[o - 1].scan;
			w->files[o - 1].scan = NULL;
		}
		if (atomic_load(&pp->covered[i]) || o) {
			f->opened = true;
			if (kinds.slots &&
			    bd_inodes_get(&kinds, f->dev, f->ino, &k))
				f->kind = (unsigned char)k;
		}
	}
	bd_inodes_release(&kinds);
	return 0;
}

int bd_collect_prepare(struct bd_walk *w, const struct bd_root *root,
		       const struct bd_collect_prepare_options *opts,
		       struct bd_error *err)
{
	struct prep pp = { .w = w, .root = root ? root : w->root, .o = opts };
	size_t n = thread_count(opts->jobs), first = 0;
	int rc = 0;

	w->drop_scan = drop_scan;
	while (first < w->nfiles && w->files[first].opened)
		first++;
	if (first == w->nfiles)
		return 0;
	pthread_mutex_init(&pp.links_lock, NULL);
	if (!plan_stated(&pp, first)) {
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	} else {
		apply_early(&pp);
		prepare_pass(&pp, first, n);
		pp.stated = true;
		prepare_pass(&pp, first, n);
		if (settle(&pp, first) || pp.links_failed)
			rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	free(pp.owner);
	free(pp.covered);
	bd_inodes_release(&pp.firsts);
	bd_inodes_release(&pp.links);
	pthread_mutex_destroy(&pp.links_lock);
	return rc;
}

/* Tells the workers to stop after their current file and joins them. */
static void stop_workers(struct pool *p, pthread_t *tids, size_t n)
{
	size_t i;

	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->work_cv);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
}

/* The inputs merged, then the search over them, while the workers read
 * ahead of both. */
static int run(struct pool *p, struct merge *m, const uint32_t *job_of,
	       unsigned jobs, struct bd_error *err)
{
	pthread_t tids[MAX_THREADS];
	size_t started = 0;
	int rc;

	rc = start_workers(p, tids, thread_count(jobs), &started);
	if (!rc)
		rc = merge_all(p, m, job_of);
	/* Every file is in the graph now, and every job merged (no worker
	 * looks at a file again): the search needs none of them. */
	if (!rc)
		bd_walk_drop_files(p->walk);
	if (!rc && m->opts->merged)
		m->opts->merged(m->opts->merged_ctx, m->r.graph);
	if (rc)
		bd_error_set(err, rc, "out of memory");
	else
		rc = bd_resolver_link(&m->r, err);
	reader_close(m);
	stop_workers(p, tids, started);
	return rc;
}

static int collect(struct pool *p, struct merge *m, struct bd_walk *w,
		   const struct bd_collect_options *opts, struct bd_error *err)
{
	struct bd_collect_prepare_options po = { opts->jobs, NULL };
	struct bd_resolve_reader rd = { reader_open, reader_scan, reader_close,
					m, reader_look };
	/* A file's index, a job's: 32 bits (plan_jobs refuses more), 8
	 * bytes a file less than at 64 in these two and p->work. */
	uint32_t *job_of = calloc(w->nfiles + 1, sizeof(*job_of));
	uint32_t *first_of = calloc(w->nfiles + 1, sizeof(*first_of));
	struct bd_inodes seen = { NULL, 0, 0 };
	int rc = BD_ENOMEM;

	m->comp_of = calloc(w->nfiles + 1, sizeof(*m->comp_of));
	p->work = calloc(w->nfiles + 1, sizeof(*p->work));
	p->open_root = opts->resolve.root ? opts->resolve.root : w->root;
	if (job_of && first_of && m->comp_of && p->work)
		rc = bd_collect_prepare(w, p->open_root, &po, err);
	if (!rc && opts->prepared)
		opts->prepared(opts->merged_ctx, w);
	/* Made after the prepare's own tables are freed: the peak is less. */
	if (!rc)
		rc = bd_inodes_init(&seen, w->nfiles);
	if (!rc)
		rc = plan_jobs(w, &seen, job_of, first_of, &p->njobs);
	if (!rc) {
		p->first_of = first_of;
		plan_work(p);
		bd_inodes_release(&seen);
		rc = index_inputs(p, &seen);
	}
	if (!rc) {
		p->root = opts->resolve.root;
		p->resolver = opts->resolve.root ? &m->r : NULL;
		p->inputs = &seen;
		bd_resolver_set_reader(&m->r, &rd);
		rc = run(p, m, job_of, opts->jobs, err);
	} else {
		bd_error_set(err, rc, "out of memory");
	}
	bd_inodes_release(&seen);
	free(m->comp_of);
	free(p->work);
	free(first_of);
	free(job_of);
	return rc;
}

int bd_collect(struct bd_graph *g, struct bd_walk *w,
	       const struct bd_collect_options *opts,
	       const struct bd_diag *diag, struct bd_collect_stats *stats,
	       struct bd_error *err)
{
	struct pool *p = malloc(sizeof(*p));
	struct merge m;
	int rc;

	memset(stats, 0, sizeof(*stats));
	memset(&m, 0, sizeof(m));
	m.diag = diag;
	m.st = stats;
	m.opts = opts;
	m.head.fd = -1;
	if (!p)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	pool_init(p, w);
	m.p = p;
	seer_init(&m.seer, p);
	m.have_sc = !bd_scanner_init(&m.sc);
	m.sc.strings = w->strings;
	rc = bd_resolver_init(&m.r, g, &opts->resolve, diag, err);
	if (!rc)
		rc = collect(p, &m, w, opts, err);
	stats->unresolved_needed = m.r.unresolved_needed;
	stats->unresolved_required_dlopen = m.r.unresolved_required_dlopen;
	stats->preloaded_needed = m.r.preloaded_needed;
	bd_resolver_release(&m.r);
	seer_release(&m.seer);
	if (m.have_sc)
		bd_scanner_release(&m.sc);
	pool_release(p);
	free(p);
	return rc;
}
