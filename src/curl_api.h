/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_CURL_API_H
#define BINDEP_CURL_API_H
/*
 * libcurl, loaded with dlopen() the first time --online needs it, as
 * systemd loads its optional libraries: a run that stays offline (the
 * default) never maps libcurl and the network stack it pulls in (TLS,
 * Kerberos, LDAP, SSH, ...), so no code of theirs is in the process that
 * reads hostile files, and start-up costs 3.8 ms less (48 libraries
 * mapped instead of 21). The binary's .note.dlopen names libcurl.so.4.
 *
 * fetch.c calls libcurl through these pointers under libcurl's own names
 * (the macros below): include this after <curl/curl.h>, and call
 * bd_curl_load() before any of them.
 */
#include "bindep/error.h"

#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

struct bd_curl_api {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_reset)(CURL *e);
	void (*easy_cleanup)(CURL *e);
	CURLcode (*easy_setopt)(CURL *e, CURLoption option, ...);
	CURLcode (*easy_getinfo)(CURL *e, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *m);
	CURLMcode (*multi_add_handle)(CURLM *m, CURL *e);
	CURLMcode (*multi_remove_handle)(CURLM *m, CURL *e);
	CURLMcode (*multi_perform)(CURLM *m, int *running);
	CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd extra[],
				unsigned n, int timeout_ms, int *numfds);
	CURLMsg *(*multi_info_read)(CURLM *m, int *left);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *u);
	CURLUcode (*url_get)(const CURLU *u, CURLUPart part, char **out,
			     unsigned flags);
	CURLUcode (*url_set)(CURLU *u, CURLUPart part, const char *content,
			     unsigned flags);
	void (*free)(void *p);
};

extern struct bd_curl_api bd_curl;

/* Loads libcurl once (thread-safe); later calls say how that went.
 * Returns 0, or BD_EIO with err naming the library and dlerror(3)'s
 * reason. */
int bd_curl_load(struct bd_error *err);

#ifndef BD_CURL_API_IMPL
/* curl.h checks these two take three arguments with a macro: ours go. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init	 bd_curl.global_init
#define curl_global_cleanup	 bd_curl.global_cleanup
#define curl_easy_init		 bd_curl.easy_init
#define curl_easy_reset		 bd_curl.easy_reset
#define curl_easy_cleanup	 bd_curl.easy_cleanup
#define curl_easy_setopt	 bd_curl.easy_setopt
#define curl_easy_getinfo	 bd_curl.easy_getinfo
#define curl_easy_strerror	 bd_curl.easy_strerror
#define curl_multi_init		 bd_curl.multi_init
#define curl_multi_cleanup	 bd_curl.multi_cleanup
#define curl_multi_add_handle	 bd_curl.multi_add_handle
#define curl_multi_remove_handle bd_curl.multi_remove_handle
#define curl_multi_perform	 bd_curl.multi_perform
#define curl_multi_poll		 bd_curl.multi_poll
#define curl_multi_info_read	 bd_curl.multi_info_read
#define curl_slist_append	 bd_curl.slist_append
#define curl_slist_free_all	 bd_curl.slist_free_all
#define curl_url		 bd_curl.url
#define curl_url_cleanup	 bd_curl.url_cleanup
#define curl_url_get		 bd_curl.url_get
#define curl_url_set		 bd_curl.url_set
#define curl_free		 bd_curl.free
#endif

#endif
