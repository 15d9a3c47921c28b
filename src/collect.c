/* SPDX-License-Identifier: MIT */
#include "bindep/collect.h"
#include "bindep/resolve.h"
#include "bindep/scan.h"

#include <fnmatch.h>
#include <string.h>

/* Counts the warnings a scan reports, passing them on. */
struct counting_diag {
	const struct bd_diag *next;
	size_t warnings;
};

static void count_report(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct counting_diag *cd = ctx;

	if (level == BD_DIAG_WARNING)
		cd->warnings++;
	if (cd->next && cd->next->report)
		cd->next->report(cd->next->ctx, level, msg);
}

/* A name a shared object would have: "libx.so" or "libx.so.1.2". */
static bool looks_like_shared_object(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !fnmatch("*.so", base, 0) || !fnmatch("*.so.*", base, 0);
}

static int add_scanned(struct bd_resolver *r, const struct bd_walk_file *wf,
		       const char *sha256, const struct bd_elf_info *info,
		       const char *error)
{
	struct bd_scanned_file f = { wf->path, wf->dev, wf->ino, wf->mtime,
				     sha256,   info,	error };
	uint32_t id;

	return bd_resolver_add_file(r, &f, &id);
}

static int collect_one(struct bd_resolver *r, const struct bd_walk_file *wf,
		       struct counting_diag *cd, struct bd_collect_stats *st)
{
	struct bd_diag diag = { count_report, cd };
	struct bd_elf_info info;
	struct bd_error e;
	char sha256[65];
	int rc;

	bd_elf_info_init(&info);
	rc = bd_scan_file(wf->path, wf->path, &info, sha256, &diag, &e);
	if (rc == BD_ENOTELF) {
		st->non_elf++;
		/* Only counted, unless a library's name is on a file that is
		 * no ELF: that is worth a word. */
		if (looks_like_shared_object(wf->path))
			bd_diag_report(&diag, BD_DIAG_WARNING, "%s, skipping",
				       e.msg);
		rc = 0;
	} else if (rc == BD_ENOMEM) {
		/* nothing to add */
	} else {
		/* Read, broken or unreadable: the file stays in the SBOM. */
		const char *error = rc ? e.msg : info.problem;

		if (rc)
			bd_diag_report(&diag, BD_DIAG_WARNING, "%s", e.msg);
		st->elf_files++;
		if (wf->mtime > st->newest_mtime)
			st->newest_mtime = wf->mtime;
		rc = add_scanned(r, wf, sha256, &info, error);
	}
	bd_elf_info_release(&info);
	return rc;
}

int bd_collect(struct bd_graph *g, const struct bd_walk *w,
	       const struct bd_diag *diag, struct bd_collect_stats *stats,
	       struct bd_error *err)
{
	struct counting_diag cd = { diag, 0 };
	struct bd_resolver r;
	size_t i;
	int rc = 0;

	memset(stats, 0, sizeof(*stats));
	bd_resolver_init(&r, g);
	for (i = 0; i < w->nfiles && !rc; i++) {
		const struct bd_walk_file *wf = &w->files[i];
		uint32_t id;

		stats->files++;
		if (bd_resolver_known(&r, wf->dev, wf->ino, &id))
			rc = bd_resolver_add_path(&r, id, wf->dev, wf->ino,
						  wf->path);
		else
			rc = collect_one(&r, wf, &cd, stats);
	}
	if (rc)
		bd_error_set(err, rc, "out of memory");
	else
		rc = bd_resolver_link(&r, err);
	bd_resolver_release(&r);
	stats->problems = cd.warnings;
	return rc;
}
