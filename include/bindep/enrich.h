/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_ENRICH_H
#define BINDEP_ENRICH_H

#include "bindep/cache.h"
#include "bindep/error.h"
#include "bindep/graph.h"

/*
 * The online stage (--online): what ecosyste.ms knows of each identified
 * component's project, added to the graph. Three rounds of lookups, each
 * answer cached on disk:
 *
 *   1. packages: POST /packages/bulk_lookup, 100 upstream purls at a time;
 *      GET /packages/lookup?ecosystem=debian&name=<source package> for
 *      distribution packages (their purls are not indexed);
 *   2. repositories: GET /repositories/lookup?url=<repository>, for the
 *      FUNDING.yml under metadata.funding;
 *   3. owners: GET /hosts/<host>/owners/<login>, for their funding links.
 *
 * A failed lookup is a warning and marks its components incomplete; the
 * stage itself fails only when memory runs out.
 */
struct bd_enrich_options {
	const char *packages_api; /* "https://packages.ecosyste.ms/api/v1" */
	const char *repos_api;	  /* "https://repos.ecosyste.ms/api/v1" */
	const char *user_agent;
	long timeout_ms;
	struct bd_cache cache;
};

struct bd_enrich_stats {
	size_t lookups, from_cache, fetched, failed;
};

int bd_enrich(struct bd_graph *g, const struct bd_enrich_options *opts,
	      const struct bd_diag *diag, struct bd_enrich_stats *stats,
	      struct bd_error *err);

/* Funding links and maintainers kept for one component from the answers:
 * a package has a handful; one answer with 160,000 took minutes and
 * repeated them on every component. */
#define BD_ENRICH_MAX_LIST 64u
/* The longest URL kept from an answer. */
#define BD_ENRICH_MAX_URL 2048u
/* The longest free text kept from an answer: a licence text is cut there
 * (between two UTF-8 characters), a login, name, purl or licence
 * expression that is longer is left out. Each was copied as it came to
 * every component of its project: a 30 MB licence text and 200
 * components made a 6 GB SBOM. */
#define BD_ENRICH_MAX_TEXT 4096u
/* Lookups in a row that failed (no answer, timed out, refused, an HTTP
 * error, an answer that is no JSON of the expected shape) after which the
 * rest are not asked: each would cost a whole --timeout, or a warning. */
#define BD_ENRICH_MAX_FAILING 8u
/* The whole online stage's time limit, in --timeout: each lookup has its
 * own, but a server that answers each just in time made a run of 300
 * lookups take 40 minutes at the default 30 s. Past it, the lookups left
 * are not asked and those in flight are cut (one warning). */
#define BD_ENRICH_STAGE_TIMEOUTS 10
/* JSON values (an upper bound: commas and openings) read from one answer,
 * and from all of a run's: a real answer holds some thousands. Each costs
 * cJSON some 64 bytes: 31 MiB of "0,0,0..." took 1 GB, and five of them
 * 5 GB, from 155 KiB of gzip (and again from the cache). */
#define BD_ENRICH_MAX_VALUES	 250000u
#define BD_ENRICH_MAX_RUN_VALUES 2500000u

/* Appends the URLs a FUNDING.yml (as JSON: ecosyste.ms's metadata.funding)
 * stands for, the way ecosyste.ms expands them, to out: those bd_url_ok
 * takes, up to BD_ENRICH_MAX_LIST in out; *dropped counts the others. */
struct cJSON;
int bd_enrich_funding_urls(const struct cJSON *funding, struct bd_graph *g,
			   struct bd_strlist *out, size_t *dropped);

#endif
