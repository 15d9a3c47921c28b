/* SPDX-License-Identifier: MIT */
/*
 * A small scheduler over libcurl's multi interface: a queue of requests,
 * at most N transfers at once, and retries that wait (Retry-After, RFC 9110
 * 10.2.3, or exponential backoff) without holding a transfer slot.
 */
#include "bindep/fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct bd_fetch_state {
	struct bd_request *req;
	CURL *easy;
	struct curl_slist *headers;
	long long deadline;   /* ms, set when the first attempt starts */
	long long not_before; /* ms: a retry waits until then */
	bool started, done, too_big;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct bd_fetch_state *s = ctx;
	size_t len = size * nmemb;

	if (s->req->body.len + len > BD_FETCH_MAX_BODY) {
		s->too_big = true;
		return 0; /* libcurl aborts the transfer */
	}
	bd_buf_add(&s->req->body, data, len);
	return bd_buf_ok(&s->req->body) ? len : 0;
}

static void fail(struct bd_fetch_state *s, const char *why)
{
	snprintf(s->req->error, sizeof(s->req->error), "%s", why);
	s->req->rc = BD_EIO;
	s->done = true;
}

/* ---- one attempt -------------------------------------------------------- */

static int setup(struct bd_fetch_state *s, const struct bd_fetch_options *o,
		 long long now)
{
	CURL *e = s->easy;
	long left = (long)(s->deadline - now);

	curl_easy_reset(e);
	bd_buf_reset(&s->req->body);
	s->too_big = false;
	if (curl_easy_setopt(e, CURLOPT_URL, s->req->url) ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L) ||
	    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L) ||
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) ||
	    curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent) ||
	    curl_easy_setopt(e, CURLOPT_HTTPHEADER, s->headers) ||
	    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") ||
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			     o->connect_timeout_ms) ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left > 1 ? left : 1L) ||
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data) ||
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, s) ||
	    curl_easy_setopt(e, CURLOPT_PRIVATE, s))
		return BD_ENOMEM;
	if (s->req->post_json &&
	    curl_easy_setopt(e, CURLOPT_POSTFIELDS, s->req->post_json))
		return BD_ENOMEM;
	s->req->attempts++;
	return 0;
}

static bool retryable(long status)
{
	return status == 429 || (status >= 500 && status <= 599);
}

/* How long to wait before the next attempt: Retry-After, else 0.5 s
 * doubled each time, capped. */
static long long backoff(const struct bd_fetch_state *s,
			 const struct bd_fetch_options *o)
{
	curl_off_t after = 0;
	long long wait = 500LL
			 << (s->req->attempts - 1 < 10 ? s->req->attempts - 1
						       : 10);

	if (curl_easy_getinfo(s->easy, CURLINFO_RETRY_AFTER, &after) ==
		    CURLE_OK &&
	    after > 0)
		return (long long)after * 1000;
	return wait < o->max_backoff_ms ? wait : o->max_backoff_ms;
}

/* An attempt ended: the answer, a retry later, or the failure. */
static void finished(struct bd_fetch_state *s, CURLcode code,
		     const struct bd_fetch_options *o, long long now)
{
	long status = 0;
	long long wait;

	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	s->req->status = status;
	if (s->too_big)
		return fail(s, "answer larger than 32 MiB");
	if (!bd_buf_ok(&s->req->body))
		return fail(s, "out of memory");
	if (code != CURLE_OK)
		return fail(s, curl_easy_strerror(code));
	if (!retryable(status) || s->req->attempts >= o->max_attempts) {
		s->done = true;
		return;
	}
	wait = backoff(s, o);
	if (now + wait >= s->deadline) {
		snprintf(s->req->error, sizeof(s->req->error),
			 "HTTP %ld, and waiting %lld ms more would pass the "
			 "timeout",
			 status, wait);
		s->req->rc = BD_EIO;
		s->done = true;
		return;
	}
	s->not_before = now + wait;
	s->started = false;
}

/* ---- the loop --------------------------------------------------------------
 */

struct run {
	struct bd_fetch_state *states;
	size_t n, active;
	CURLM *multi;
	const struct bd_fetch_options *o;
};

static int start_ready(struct run *r, long long now, long long *next_wake)
{
	size_t i;
	int rc;

	for (i = 0; i < r->n && r->active < r->o->max_parallel; i++) {
		struct bd_fetch_state *s = &r->states[i];

		if (s->done || s->started)
			continue;
		if (s->not_before > now) {
			if (!*next_wake || s->not_before < *next_wake)
				*next_wake = s->not_before;
			continue;
		}
		if (!s->deadline)
			s->deadline = now + r->o->timeout_ms;
		rc = setup(s, r->o, now);
		if (rc)
			return rc;
		if (curl_multi_add_handle(r->multi, s->easy))
			return BD_ENOMEM;
		s->started = true;
		r->active++;
	}
	return 0;
}

static void collect(struct run *r)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(r->multi, &left))) {
		struct bd_fetch_state *s;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &s);
		curl_multi_remove_handle(r->multi, msg->easy_handle);
		r->active--;
		finished(s, msg->data.result, r->o, now_ms());
	}
}

static bool all_done(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (!r->states[i].done)
			return false;
	}
	return true;
}

static int loop(struct run *r)
{
	int running, rc;

	while (!all_done(r)) {
		long long now = now_ms(), wake = 0;
		int wait_ms = 1000;

		rc = start_ready(r, now, &wake);
		if (rc)
			return rc;
		if (curl_multi_perform(r->multi, &running))
			return BD_ENOMEM;
		collect(r);
		if (wake && wake - now < wait_ms)
			wait_ms = wake > now ? (int)(wake - now) : 0;
		if (r->active &&
		    curl_multi_poll(r->multi, NULL, 0, wait_ms, NULL))
			return BD_ENOMEM;
		if (!r->active && wake) {
			struct timespec ts = { wait_ms / 1000,
					       (wait_ms % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		}
	}
	return 0;
}

static int prepare(struct run *r, struct bd_request *reqs)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct bd_fetch_state *s = &r->states[i];

		s->req = &reqs[i];
		reqs[i].state = s;
		reqs[i].rc = 0;
		reqs[i].status = 0;
		reqs[i].error[0] = '\0';
		bd_buf_init(&reqs[i].body);
		s->easy = curl_easy_init();
		s->headers =
			curl_slist_append(NULL, "Accept: application/json");
		if (s->headers && reqs[i].post_json) {
			struct curl_slist *h = curl_slist_append(
				s->headers, "Content-Type: application/json");

			if (h)
				s->headers = h;
			else
				return BD_ENOMEM;
		}
		if (!s->easy || !s->headers)
			return BD_ENOMEM;
	}
	return 0;
}

static void cleanup(struct run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct bd_fetch_state *s = &r->states[i];

		if (s->easy && s->started)
			curl_multi_remove_handle(r->multi, s->easy);
		curl_easy_cleanup(s->easy);
		curl_slist_free_all(s->headers);
		if (s->req)
			s->req->state = NULL;
	}
	free(r->states);
	if (r->multi)
		curl_multi_cleanup(r->multi);
	curl_global_cleanup();
}

int bd_fetch_all(struct bd_request *reqs, size_t n,
		 const struct bd_fetch_options *opts, struct bd_error *err)
{
	struct run r = { calloc(n + 1, sizeof(*r.states)), n, 0, NULL, opts };
	int rc;

	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		free(r.states);
		return bd_error_set(err, BD_EIO, "cannot initialise libcurl");
	}
	r.multi = curl_multi_init();
	rc = r.states && r.multi ? prepare(&r, reqs) : BD_ENOMEM;
	if (!rc)
		rc = loop(&r);
	cleanup(&r);
	return rc ? bd_error_set(err, rc, "out of memory fetching") : 0;
}

void bd_request_release(struct bd_request *r)
{
	bd_buf_release(&r->body);
}
