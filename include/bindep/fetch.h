/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_FETCH_H
#define BINDEP_FETCH_H

#include "bindep/buf.h"
#include "bindep/error.h"

/*
 * HTTP(S) requests through libcurl, several at once. Only the enrich stage
 * calls this, and only with --online: nothing else in bindep-sbom touches
 * the network.
 */

struct bd_fetch_options {
	const char *user_agent;
	long timeout_ms;	 /* per request, retries and waits included */
	long connect_timeout_ms; /* per attempt */
	unsigned max_parallel;	 /* transfers at once */
	unsigned max_attempts;	 /* 429 and 5xx answers are tried again */
	long max_backoff_ms;	 /* the longest wait between attempts */
};

struct bd_fetch_state; /* fetch.c's bookkeeping for one request */

struct bd_request {
	const char *url;
	const char *post_json; /* NULL: GET */

	/* Results. rc 0: an answer came (status holds it, 2xx or not); else
	 * BD_EIO and error says why none did. */
	int rc;
	long status;
	struct bd_buf body;
	char error[256];
	unsigned attempts;

	struct bd_fetch_state *state;
};

/* Answers larger than this are cut off as errors. */
#define BD_FETCH_MAX_BODY (32u << 20)

/*
 * Runs every request, at most max_parallel at a time. HTTP 429 and 5xx are
 * retried with exponential backoff, waiting Retry-After when the server
 * sends one, as long as the request's timeout allows. Each request's own
 * failure is in its rc and error; the call fails only when libcurl cannot
 * be set up or memory runs out.
 */
int bd_fetch_all(struct bd_request *reqs, size_t n,
		 const struct bd_fetch_options *opts, struct bd_error *err);

/* Releases what bd_fetch_all() left in a request. */
void bd_request_release(struct bd_request *r);

#endif
