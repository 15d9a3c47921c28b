/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_FETCH_H
#define BINDEP_FETCH_H

#include "bindep/buf.h"
#include "bindep/error.h"

#include <stddef.h>

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
	/* Requests in a row that failed (no answer, timed out, refused, or
	 * an answer that is no use: see bd_request.shape) before the rest
	 * are not asked (rc BD_ELIMIT); 0: no such limit. The count is kept
	 * in *failing, across calls. */
	unsigned max_failing;
	unsigned *failing;
	/* When given: a 429 makes every request wait (CLOCK_MONOTONIC ms
	 * until then, kept across calls), not the one that got it alone. */
	long long *paused_until;
	/* When not 0: the bd_fetch_clock_ms() after which no request starts
	 * (rc BD_ELIMIT, late set) and none goes on (its timeout cut there):
	 * the whole online stage's time limit. */
	long long stage_deadline;
};

struct bd_fetch_state; /* fetch.c's bookkeeping for one request */

struct bd_request {
	const char *url;
	const char *post_json; /* NULL: GET */
	/* '[' or '{': what a useful answer's JSON opens with (counted as a
	 * failure in a row otherwise, as a 404 is not unless
	 * not_found_fails); 0: any. */
	char shape;
	/* A 404 is no answer either (counted as a failure in a row): for an
	 * API that answers "none" in its JSON. false: a 404 is an answer
	 * (known not to exist). */
	bool not_found_fails;

	/* Results. rc 0: an answer came (status holds it, 2xx or not); else
	 * BD_EIO and error says why none did. */
	int rc;
	long status;
	struct bd_buf body;
	char error[256];
	unsigned attempts;
	bool late; /* not asked: the stage's deadline had passed */

	struct bd_fetch_state *state;
};

/* Answers larger than this are cut off as errors. */
#define BD_FETCH_MAX_BODY (32u << 20)

/*
 * Runs every request, at most max_parallel at a time. HTTP 429 and 5xx are
 * retried with exponential backoff, waiting Retry-After when the server
 * sends one, as long as the request's timeout allows (a longer Retry-After
 * fails the request at once); a 429 holds back every request for as long
 * (paused_until). A redirect is followed only to the host and
 * port of the request's own URL (the configured API), with the same
 * scheme or http upgraded to https, at most 5 times; another fails the
 * request, its error naming the refused target. Each request's own
 * failure is in its rc and error; the call fails only when libcurl cannot
 * be set up or memory runs out.
 */
int bd_fetch_all(struct bd_request *reqs, size_t n,
		 const struct bd_fetch_options *opts, struct bd_error *err);

/* Why a redirect from the URL from to the URL to is refused, for a request
 * made to origin ("another host", "another port", "another scheme"), or
 * NULL when it may be followed. */
const char *bd_fetch_redirect_refused(const char *origin, const char *from,
				      const char *to);

/* The seconds of a Retry-After value (RFC 9110 10.2.3): digits between
 * optional blanks, saturating at ULLONG_MAX; 0 for anything else, an
 * HTTP-date included. */
unsigned long long bd_fetch_parse_retry_after(const char *value, size_t len);

/* CLOCK_MONOTONIC in milliseconds, as stage_deadline counts. */
long long bd_fetch_clock_ms(void);

/* Releases what bd_fetch_all() left in a request. */
void bd_request_release(struct bd_request *r);

#endif
