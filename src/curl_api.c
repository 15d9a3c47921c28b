/* SPDX-License-Identifier: MIT */
/* libcurl, loaded when --online first needs it (curl_api.h says why). */
#define BD_CURL_API_IMPL
#include "curl_api.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* The soname of libcurl's ABI 4, which every libcurl 7 and 8 keeps. */
#define CURL_SONAME "libcurl.so.4"

struct bd_curl_api bd_curl;

/* .note.dlopen (https://systemd.io/ELF_DLOPEN_METADATA/): the binary says
 * which library it may dlopen, for packagers and for SBOM tools, this one
 * included. Owner "FDO", type 0x407c0c0a, a JSON array as the payload. */
#define NOTE_JSON                                                              \
	"[{\"feature\":\"online\",\"description\":\"ecosyste.ms "              \
	"lookups (--online)\",\"priority\":\"recommended\","                   \
	"\"soname\":[\"" CURL_SONAME "\"]}]"
struct dlopen_note {
	unsigned namesz, descsz, type;
	char name[4];
	char desc[(sizeof(NOTE_JSON) + 3) & ~3u];
};
__attribute__((used, section(".note.dlopen"),
	       aligned(4))) static const struct dlopen_note dlopen_note = {
	4, sizeof(NOTE_JSON), 0x407c0c0a, "FDO", NOTE_JSON
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256];

/* Each entry: where its pointer goes, and the symbol. */
#define SYM(field, name)                                                       \
	{                                                                      \
		(void **)&bd_curl.field, name                                  \
	}
static const struct {
	void **slot;
	const char *name;
} symbols[] = {
	SYM(global_init, "curl_global_init"),
	SYM(global_cleanup, "curl_global_cleanup"),
	SYM(easy_init, "curl_easy_init"),
	SYM(easy_reset, "curl_easy_reset"),
	SYM(easy_cleanup, "curl_easy_cleanup"),
	SYM(easy_setopt, "curl_easy_setopt"),
	SYM(easy_getinfo, "curl_easy_getinfo"),
	SYM(easy_strerror, "curl_easy_strerror"),
	SYM(multi_init, "curl_multi_init"),
	SYM(multi_cleanup, "curl_multi_cleanup"),
	SYM(multi_add_handle, "curl_multi_add_handle"),
	SYM(multi_remove_handle, "curl_multi_remove_handle"),
	SYM(multi_perform, "curl_multi_perform"),
	SYM(multi_poll, "curl_multi_poll"),
	SYM(multi_info_read, "curl_multi_info_read"),
	SYM(slist_append, "curl_slist_append"),
	SYM(slist_free_all, "curl_slist_free_all"),
	SYM(url, "curl_url"),
	SYM(url_cleanup, "curl_url_cleanup"),
	SYM(url_get, "curl_url_get"),
	SYM(url_set, "curl_url_set"),
	SYM(free, "curl_free"),
};
#undef SYM

/* Never closed: libcurl keeps global state (its TLS back end's) until the
 * process ends. */
static void load(void)
{
	void *h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!h) {
		snprintf(load_error, sizeof(load_error), "%s", dlerror());
		return;
	}
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		/* POSIX: a data pointer from dlsym converts to a function
		 * pointer (dlsym(3)); stored through void ** for that. */
		*symbols[i].slot = dlsym(h, symbols[i].name);
		if (!*symbols[i].slot) {
			snprintf(load_error, sizeof(load_error),
				 "'%s': no symbol %s", CURL_SONAME,
				 symbols[i].name);
			return;
		}
	}
}

int bd_curl_load(struct bd_error *err)
{
	pthread_once(&once, load);
	if (!load_error[0])
		return 0;
	return bd_error_set(err, BD_EIO, "cannot load libcurl for --online: %s",
			    load_error);
}
