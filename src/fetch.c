/* SPDX-License-Identifier: MIT */
/*
 * A small scheduler over libcurl's multi interface: a queue of requests,
 * at most N transfers at once, and retries that wait (Retry-After, RFC 9110
 * 10.2.3, or exponential backoff) without holding a transfer slot.
 * Redirects are followed here, not by libcurl, so that each hop is checked
 * against the API the request was made to.
 */
#include "bindep/fetch.h"

#include "curl_api.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Redirects followed for one request, retries included: as many as
 * libcurl's own default would be absurd for an API; five is plenty. A
 * server that sends more fails the lookup ("more than 5 redirects"). */
#define MAX_REDIRECTS 5

struct bd_fetch_state {
	struct bd_request *req;
	CURL *easy;
	struct curl_slist *headers;
	char *url;	      /* after a redirect: where to; else NULL */
	long long deadline;   /* ms, set when the first attempt starts */
	long long not_before; /* ms: a retry waits until then */
	unsigned long long retry_after; /* s, from this answer; 0: none */
	unsigned hops;			/* redirects followed */
	bool started, done, too_big;
	bool as_get;	/* a POST that a 301, 302 or 303 turned into a GET */
	bool following; /* the next start follows a redirect: no new attempt */
};

long long bd_fetch_clock_ms(void)
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
		/* Not kept until the round ends: 24 of them were 800 MB. */
		bd_buf_release(&s->req->body);
		return 0; /* libcurl aborts the transfer */
	}
	bd_buf_add(&s->req->body, data, len);
	return bd_buf_ok(&s->req->body) ? len : 0;
}

/*
 * Retry-After (RFC 9110 10.2.3) as delay-seconds: digits only between
 * optional blanks, saturating rather than overflowing. An HTTP-date, a
 * sign or anything else is ignored (0): the usual backoff applies.
 */
unsigned long long bd_fetch_parse_retry_after(const char *v, size_t len)
{
	unsigned long long secs = 0;
	size_t i = 0;

	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
		       v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	if (i == len)
		return 0;
	for (; i < len; i++) {
		unsigned d = (unsigned)(v[i] - '0');

		if (d > 9)
			return 0;
		secs = secs > (ULLONG_MAX - d) / 10 ? ULLONG_MAX
						    : secs * 10 + d;
	}
	return secs;
}

/* Each header line of each answer (redirects' too): a status line starts
 * an answer and forgets the last one's Retry-After. */
static size_t on_header(char *line, size_t size, size_t nmemb, void *ctx)
{
	static const char name[] = "retry-after:";
	struct bd_fetch_state *s = ctx;
	size_t len = size * nmemb;

	if (len >= 5 && !memcmp(line, "HTTP/", 5))
		s->retry_after = 0;
	else if (len >= sizeof(name) - 1 &&
		 !strncasecmp(line, name, sizeof(name) - 1))
		s->retry_after = bd_fetch_parse_retry_after(
			line + sizeof(name) - 1, len - (sizeof(name) - 1));
	return len;
}

/* ---- redirects ----------------------------------------------------------- */

struct url_parts {
	char *scheme, *host, *port;
};

static bool parse_url(const char *url, struct url_parts *p)
{
	struct bd_error e;
	CURLU *u = bd_curl_load(&e) ? NULL : curl_url();
	bool ok;

	memset(p, 0, sizeof(*p));
	ok = u &&
	     !curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) &&
	     !curl_url_get(u, CURLUPART_SCHEME, &p->scheme, 0);
	/* No host (file:///x), or no port, not even the scheme's default (a
	 * scheme libcurl does not know): NULL, which matches nothing. */
	if (ok && curl_url_get(u, CURLUPART_HOST, &p->host, 0))
		p->host = NULL;
	if (ok && curl_url_get(u, CURLUPART_PORT, &p->port, CURLU_DEFAULT_PORT))
		p->port = NULL;
	if (u)
		curl_url_cleanup(u);
	return ok;
}

static void free_parts(struct url_parts *p)
{
	/* Nothing was parsed when libcurl could not be loaded. */
	if (p->scheme)
		curl_free(p->scheme);
	if (p->host)
		curl_free(p->host);
	if (p->port)
		curl_free(p->port);
}

static bool same(const char *a, const char *b)
{
	return a && b && !strcasecmp(a, b);
}

/* The scheme may stay or go from http to https, never back, never
 * elsewhere; the host and port stay the configured API's (the origin's),
 * but for http's default port 80 becoming https's 443. */
static const char *judge(const struct url_parts *origin,
			 const struct url_parts *from,
			 const struct url_parts *to)
{
	bool upgrade = same(from->scheme, "http") && same(to->scheme, "https");

	if (!(same(to->scheme, "http") || same(to->scheme, "https")) ||
	    !(same(to->scheme, from->scheme) || upgrade))
		return "another scheme";
	if (!same(to->host, origin->host))
		return "another host";
	if (!same(to->port, origin->port) &&
	    !(same(origin->scheme, "http") && same(origin->port, "80") &&
	      same(to->scheme, "https") && same(to->port, "443")))
		return "another port";
	return NULL;
}

const char *bd_fetch_redirect_refused(const char *origin, const char *from,
				      const char *to)
{
	struct url_parts o, f, t;
	const char *why = "a URL that cannot be parsed";

	if (parse_url(origin, &o) && parse_url(from, &f) && parse_url(to, &t))
		why = judge(&o, &f, &t);
	free_parts(&o);
	free_parts(&f);
	free_parts(&t);
	return why;
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
	s->retry_after = 0;
	/* FOLLOWLOCATION off: finished() checks and follows each redirect. */
	if (curl_easy_setopt(e, CURLOPT_URL, s->url ? s->url : s->req->url) ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) ||
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) ||
	    curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent) ||
	    curl_easy_setopt(e, CURLOPT_HTTPHEADER, s->headers) ||
	    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") ||
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			     o->connect_timeout_ms) ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left > 1 ? left : 1L) ||
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data) ||
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, s) ||
	    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) ||
	    curl_easy_setopt(e, CURLOPT_HEADERDATA, s) ||
	    curl_easy_setopt(e, CURLOPT_PRIVATE, s))
		return BD_ENOMEM;
	if (s->req->post_json && !s->as_get &&
	    curl_easy_setopt(e, CURLOPT_POSTFIELDS, s->req->post_json))
		return BD_ENOMEM;
	if (!s->following)
		s->req->attempts++;
	s->following = false;
	return 0;
}

static bool retryable(long status)
{
	return status == 429 || (status >= 500 && status <= 599);
}

/* 0.5 s doubled each time, capped. */
static long long backoff(const struct bd_fetch_state *s,
			 const struct bd_fetch_options *o)
{
	long long wait = 500LL
			 << (s->req->attempts - 1 < 10 ? s->req->attempts - 1
						       : 10);

	return wait < o->max_backoff_ms ? wait : o->max_backoff_ms;
}

static bool redirect(long status)
{
	return status == 301 || status == 302 || status == 303 ||
	       status == 307 || status == 308;
}

/* A 3xx with a Location: the next hop, if it stays on the configured
 * API's host, port and scheme (or goes to https); else the failure. */
static void follow(struct bd_fetch_state *s, long status, const char *to,
		   long long now)
{
	const char *from = s->url ? s->url : s->req->url, *why;
	char *copy;

	if (s->hops >= MAX_REDIRECTS) {
		snprintf(s->req->error, sizeof(s->req->error),
			 "more than %d redirects", MAX_REDIRECTS);
		s->req->rc = BD_EIO;
		s->done = true;
		return;
	}
	why = bd_fetch_redirect_refused(s->req->url, from, to);
	if (why) {
		snprintf(s->req->error, sizeof(s->req->error),
			 "refused a redirect to %s: '%s'", why, to);
		s->req->rc = BD_EIO;
		s->done = true;
		return;
	}
	copy = strdup(to);
	if (!copy)
		return fail(s, "out of memory");
	free(s->url);
	s->url = copy;
	s->hops++;
	/* RFC 9110 15.4: 303 asks for a GET; after 301 and 302 a POST
	 * becomes a GET too, as libcurl and browsers do; 307 and 308 keep
	 * the method and the body. */
	if (status == 301 || status == 302 || status == 303)
		s->as_get = true;
	s->following = true;
	s->not_before = now;
	s->started = false;
}

/* Why a transfer failed. libcurl says CURLE_OUT_OF_MEMORY, and nothing
 * more (not in its error buffer either), of an answer whose header line
 * passes 100 KiB, or whose headers pass 300 KiB: the server's doing far
 * more often than this machine's memory, which its bare "Out of memory"
 * blamed. */
static const char *why_failed(CURLcode code)
{
	if (code == CURLE_OUT_OF_MEMORY)
		return "libcurl ran out of room: a header of the answer longer "
		       "than it takes (100 KiB a line), or no memory left";
	return curl_easy_strerror(code);
}

/* An attempt ended: the answer, a redirect, a retry later, or the
 * failure. */
static void finished(struct bd_fetch_state *s, CURLcode code,
		     const struct bd_fetch_options *o, long long now)
{
	long status = 0;
	long long wait, left = s->deadline - now;
	char *location = NULL;

	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	s->req->status = status;
	if (s->too_big)
		return fail(s, "answer larger than 32 MiB");
	if (!bd_buf_ok(&s->req->body))
		return fail(s, "out of memory");
	if (code != CURLE_OK)
		return fail(s, why_failed(code));
	if (redirect(status) &&
	    curl_easy_getinfo(s->easy, CURLINFO_REDIRECT_URL, &location) ==
		    CURLE_OK &&
	    location)
		return follow(s, status, location, now);
	if (!retryable(status) || s->req->attempts >= o->max_attempts) {
		s->done = true;
		return;
	}
	/* Compared in seconds, never multiplied: a Retry-After of any size
	 * beyond what the timeout leaves fails now. */
	if (s->retry_after > (unsigned long long)(left > 0 ? left : 0) / 1000) {
		snprintf(s->req->error, sizeof(s->req->error),
			 "HTTP %ld, and its Retry-After of %llu s%s would "
			 "pass the timeout",
			 status, s->retry_after,
			 s->retry_after == ULLONG_MAX ? " or more" : "");
		s->req->rc = BD_EIO;
		s->done = true;
		return;
	}
	wait = s->retry_after ? (long long)s->retry_after * 1000
			      : backoff(s, o);
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
	/* Too many requests: the others would get the same answer. */
	if (status == 429 && o->paused_until &&
	    s->not_before > *o->paused_until)
		*o->paused_until = s->not_before;
}

/* ---- the loop --------------------------------------------------------------
 */

struct run {
	struct bd_fetch_state *states;
	size_t n, active;
	CURLM *multi;
	const struct bd_fetch_options *o;
};

/* Whether so many requests in a row failed that the server is taken
 * for one that will fail the rest too: each more would cost a timeout
 * (a run of 200 lookups at 30 s, 25 minutes), or a warning. */
static bool too_many_failed(const struct bd_fetch_options *o)
{
	return o->max_failing && o->failing && *o->failing >= o->max_failing;
}

/* Not asked: the stage's time limit has passed. */
static void too_late(struct bd_fetch_state *s)
{
	snprintf(s->req->error, sizeof(s->req->error),
		 "not asked: the online stage's time limit passed");
	s->req->rc = BD_ELIMIT;
	s->req->late = true;
	s->done = true;
}

static void not_asked(struct bd_fetch_state *s,
		      const struct bd_fetch_options *o)
{
	snprintf(s->req->error, sizeof(s->req->error),
		 "not asked: the %u lookups before it failed", o->max_failing);
	s->req->rc = BD_ELIMIT;
	s->done = true;
}

/* Whether a request that is done got a useful answer: a 404 (known not
 * to exist, unless not_found_fails), or a 2xx whose body opens as its
 * shape says. */
static bool useful(const struct bd_request *r)
{
	size_t i = 0;

	if (r->rc)
		return false;
	if (r->status == 404)
		return !r->not_found_fails;
	if (r->status < 200 || r->status > 299)
		return false;
	if (!r->shape)
		return true;
	while (i < r->body.len &&
	       (r->body.data[i] == ' ' || r->body.data[i] == '\t' ||
		r->body.data[i] == '\r' || r->body.data[i] == '\n'))
		i++;
	return i < r->body.len && r->body.data[i] == r->shape;
}

/* An attempt's end, as the run of failures counts it: a useful answer
 * ends the run; a request that failed, or an attempt to be tried again
 * (a 429 or 5xx), adds to it; a redirect is neither. */
static void count_failure(const struct bd_fetch_options *o,
			  const struct bd_fetch_state *s)
{
	if (!o->failing || (!s->done && s->following))
		return;
	if (s->done && useful(s->req))
		*o->failing = 0;
	else
		(*o->failing)++;
}

static int start_ready(struct run *r, long long now, long long *next_wake)
{
	size_t i;
	int rc;

	for (i = 0; i < r->n && r->active < r->o->max_parallel; i++) {
		struct bd_fetch_state *s = &r->states[i];

		long long after = s->not_before;

		if (s->done || s->started)
			continue;
		if (!s->deadline && r->o->stage_deadline &&
		    now >= r->o->stage_deadline) {
			too_late(s);
			continue;
		}
		if (!s->deadline && too_many_failed(r->o)) {
			not_asked(s, r->o);
			continue;
		}
		/* A redirect's next hop is part of an answer: not held back. */
		if (!s->following && r->o->paused_until &&
		    *r->o->paused_until > after)
			after = *r->o->paused_until;
		if (after > now) {
			if (!*next_wake || after < *next_wake)
				*next_wake = after;
			continue;
		}
		/* Its own timeout, or what is left of the stage's. */
		if (!s->deadline)
			s->deadline = now + r->o->timeout_ms;
		if (r->o->stage_deadline && s->deadline > r->o->stage_deadline)
			s->deadline = r->o->stage_deadline;
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
		finished(s, msg->data.result, r->o, bd_fetch_clock_ms());
		count_failure(r->o, s);
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
		long long now = bd_fetch_clock_ms(), wake = 0;
		int wait_ms = 1000;

		rc = start_ready(r, now, &wake);
		if (rc)
			return rc;
		if (curl_multi_perform(r->multi, &running))
			return BD_ENOMEM;
		collect(r);
		/* A redirect's next hop starts now, not after the poll. */
		rc = start_ready(r, bd_fetch_clock_ms(), &wake);
		if (rc)
			return rc;
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
		reqs[i].late = false;
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
		free(s->url);
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

	if (bd_curl_load(err)) {
		free(r.states);
		return err->code;
	}
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
