/* SPDX-License-Identifier: MIT */
/*
 * hashfloor: what reading a set of files costs at the least, the floor
 * `make bench` measures bindep-sbom against (issue 13, point 4).
 *
 *   hashfloor [-e | -m] [-v] [-j N] [FILE...]   (no FILE: one path a line on
 * stdin)
 *
 * default  each file read in 64 KiB chunks and SHA-256'd by OpenSSL EVP:
 *          every SBOM needs the SHA-256 of each file it lists;
 * -e       as a scanner must: open, read the 4 magic bytes, and hash the
 *          whole file only if it is ELF (a non-ELF file costs what -m does);
 * -m       open, read 4 bytes, close: the open-and-read-magic floor;
 * -j N     on N threads (default 2), each with one buffer and one hash
 *          context, reused; files taken in list order from a shared index;
 * -v       also print each hash as sha256sum does (to check the floor does
 *          the work; not timed).
 *
 * Prints "files F hashed H bytes B" (B: the bytes hashed) on stdout; a file
 * that cannot be read is named on stderr and makes the exit status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	    (64 * 1024)
#define MAX_THREADS 64

enum mode { HASH_ALL, HASH_ELF, MAGIC_ONLY };

struct job {
	char **paths;
	size_t n;
	enum mode mode;
	int verbose;
	EVP_MD *sha256;
	atomic_size_t next;
	atomic_size_t hashed;
	atomic_ullong bytes;
	atomic_int failed;
};

/* read() until len bytes or the end of the file; -1 on an error. */
static ssize_t read_full(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* The rest of the file after the first `have` bytes already in buf. */
static void print_digest(const unsigned char *md, unsigned int len,
			 const char *path)
{
	unsigned int i;

	flockfile(stdout);
	for (i = 0; i < len; i++)
		printf("%02x", md[i]);
	printf("  %s\n", path);
	funlockfile(stdout);
}

static int hash_rest(struct job *job, EVP_MD_CTX *ctx, const char *path, int fd,
		     unsigned char *buf, ssize_t have)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned long long total = 0;
	unsigned int mdlen;

	if (!EVP_DigestInit_ex(ctx, job->sha256, NULL))
		return -1;
	while (have > 0) {
		if (!EVP_DigestUpdate(ctx, buf, (size_t)have))
			return -1;
		total += (unsigned long long)have;
		have = read_full(fd, buf, CHUNK);
	}
	if (have < 0 || !EVP_DigestFinal_ex(ctx, md, &mdlen))
		return -1;
	if (job->verbose)
		print_digest(md, mdlen, path);
	atomic_fetch_add(&job->hashed, 1);
	atomic_fetch_add(&job->bytes, total);
	return 0;
}

static int one_file(struct job *job, EVP_MD_CTX *ctx, unsigned char *buf,
		    const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t have;
	int rc = 0;

	if (fd < 0)
		return -errno;
	/* The default mode reads whole chunks from the start; the others
	 * first read only what a magic check needs. */
	errno = 0;
	have = read_full(fd, buf, job->mode == HASH_ALL ? CHUNK : 4);
	if (have < 0)
		rc = -1;
	else if (job->mode == HASH_ALL || (job->mode == HASH_ELF && have == 4 &&
					   memcmp(buf, "\177ELF", 4) == 0))
		rc = hash_rest(job, ctx, path, fd, buf, have);
	if (rc < 0)
		rc = errno ? -errno : -EIO;
	close(fd);
	return rc;
}

static void *worker(void *arg)
{
	struct job *job = arg;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *buf = malloc(CHUNK);
	size_t i;

	if (!ctx || !buf) {
		atomic_store(&job->failed, 1);
		fputs("hashfloor: out of memory\n", stderr);
	} else {
		while ((i = atomic_fetch_add(&job->next, 1)) < job->n) {
			int rc = one_file(job, ctx, buf, job->paths[i]);

			if (rc < 0) {
				atomic_store(&job->failed, 1);
				fprintf(stderr, "hashfloor: '%s': %s\n",
					job->paths[i], strerror(-rc));
			}
		}
	}
	EVP_MD_CTX_free(ctx);
	free(buf);
	return NULL;
}

/* One path a line from stdin into a growing array; 0 or -1. */
static int read_list(char ***paths, size_t *n)
{
	size_t cap = 0, len = 0;
	char *line = NULL;
	ssize_t got;

	while ((got = getline(&line, &len, stdin)) >= 0) {
		if (got > 0 && line[got - 1] == '\n')
			line[--got] = '\0';
		if (got == 0)
			continue;
		if (*n == cap) {
			size_t ncap = cap ? 2 * cap : 1024;
			char **p = realloc(*paths, ncap * sizeof(*p));

			if (!p)
				return -1;
			*paths = p;
			cap = ncap;
		}
		(*paths)[*n] = strdup(line);
		if (!(*paths)[(*n)++])
			return -1;
	}
	free(line);
	return ferror(stdin) ? -1 : 0;
}

static void free_list(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static int usage(void)
{
	fputs("usage: hashfloor [-e | -m] [-v] [-j N] [FILE...]\n", stderr);
	return 2;
}

static int run(struct job *job, long threads)
{
	pthread_t tid[MAX_THREADS];
	long i, started = 0;

	for (i = 0; i < threads; i++)
		if (pthread_create(&tid[i], NULL, worker, job) == 0)
			started++;
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	if (!started)
		return -1;
	printf("files %zu hashed %zu bytes %llu\n", job->n,
	       atomic_load(&job->hashed), atomic_load(&job->bytes));
	return atomic_load(&job->failed) ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct job job = { .mode = HASH_ALL };
	long threads = 2;
	int c, rc = 0;
	char *end;

	while ((c = getopt(argc, argv, "emvj:")) != -1) {
		if (c == 'e')
			job.mode = HASH_ELF;
		else if (c == 'v')
			job.verbose = 1;
		else if (c == 'm')
			job.mode = MAGIC_ONLY;
		else if (c == 'j') {
			errno = 0;
			threads = strtol(optarg, &end, 10);
			if (errno || *end || threads < 1 ||
			    threads > MAX_THREADS)
				return usage();
		} else
			return usage();
	}
	if (optind < argc) {
		job.paths = argv + optind;
		job.n = (size_t)(argc - optind);
	} else if (read_list(&job.paths, &job.n) < 0) {
		perror("hashfloor: reading the list");
		rc = 1;
	}
	/* Fetched once: an implicit fetch per EVP_DigestInit_ex costs a
	 * lookup per file in OpenSSL 3. */
	if (!rc && !(job.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL))) {
		fputs("hashfloor: no SHA-256 in OpenSSL\n", stderr);
		rc = 1;
	}
	if (!rc && run(&job, threads) < 0)
		rc = 1;
	EVP_MD_free(job.sha256);
	if (optind == argc)
		free_list(job.paths, job.n);
	return rc;
}
