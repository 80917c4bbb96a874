/* The signer's hash-chained journal (see journal.h). */
#include "pki/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#define LINE_MAX_BYTES 8192 /* an ocsp record carries a certificate */
#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

void journal_sha256_hex(const void *data, size_t len, char out[JOURNAL_HASH_HEX + 1])
{
	unsigned char md[32];
	unsigned int ml = 0;
	EVP_Digest(data, len, md, &ml, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[JOURNAL_HASH_HEX] = '\0';
}

/* SHA-256 over prev (hex) followed by body. */
static void chain_hash(const char *prev, const char *body, size_t len,
		       char out[JOURNAL_HASH_HEX + 1])
{
	unsigned char md[32];
	unsigned int ml = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c == NULL || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(c, prev, JOURNAL_HASH_HEX) != 1 ||
	    EVP_DigestUpdate(c, body, len) != 1 || EVP_DigestFinal_ex(c, md, &ml) != 1) {
		memset(out, 'x', JOURNAL_HASH_HEX); /* never matches a hex hash */
		out[JOURNAL_HASH_HEX] = '\0';
		EVP_MD_CTX_free(c);
		return;
	}
	EVP_MD_CTX_free(c);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[JOURNAL_HASH_HEX] = '\0';
}

static int clean(const char *s)
{
	return strpbrk(s, "\t\n\r") == NULL;
}

int journal_format(const struct journal_rec *r, char *out, size_t n)
{
	int w;
	if (r->kind == JOURNAL_CERT) {
		if (!clean(r->serial_hex) || !clean(r->subject) || !clean(r->sha256) ||
		    r->serial_hex[0] == '\0')
			return -1;
		w = snprintf(out, n, "cert\t%s\t%" PRId64 "\t%" PRId64 "\t%s\t%s", r->serial_hex,
			     r->not_before, r->not_after, r->sha256, r->subject);
	} else if (r->kind == JOURNAL_OCSP) {
		if (!clean(r->serial_hex) || !clean(r->subject) || !clean(r->sha256) ||
		    !clean(r->der_b64) || r->serial_hex[0] == '\0' || r->der_b64[0] == '\0')
			return -1;
		w = snprintf(out, n, "ocsp\t%s\t%" PRId64 "\t%" PRId64 "\t%s\t%s\t%s",
			     r->serial_hex, r->not_before, r->not_after, r->sha256, r->subject,
			     r->der_b64);
	} else if (r->kind == JOURNAL_CHECKPOINT) {
		if (!clean(r->head) || !clean(r->signature))
			return -1;
		w = snprintf(out, n, "checkpoint\t%" PRId64 "\t%s\t%" PRId64 "\t%s", r->count,
			     r->head, r->at, r->signature);
	} else {
		if (!clean(r->sha256))
			return -1;
		w = snprintf(out, n, "crl\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%s", r->number,
			     r->this_update, r->entries, r->sha256);
	}
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int parse_i64(const char *s, int64_t *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

static int copy_field(char *dst, size_t n, const char *s)
{
	size_t l = strlen(s);
	if (l >= n)
		return -1;
	memcpy(dst, s, l + 1);
	return 0;
}

/* Splits body (modified) at tabs into at most max fields; returns the count. */
static int split(char *body, char **f, int max)
{
	int k = 0;
	f[k++] = body;
	for (char *p = body; *p; p++)
		if (*p == '\t') {
			if (k == max)
				return -1;
			*p = '\0';
			f[k++] = p + 1;
		}
	return k;
}

/* The fields a cert and an ocsp record share: serial, validity, SHA-256,
 * subject (f[1] to f[5]). 0 or -1. */
static int parse_cert_fields(char **f, struct journal_rec *r)
{
	return copy_field(r->serial_hex, sizeof r->serial_hex, f[1]) ||
			       parse_i64(f[2], &r->not_before) || parse_i64(f[3], &r->not_after) ||
			       strlen(f[4]) != JOURNAL_HASH_HEX ||
			       copy_field(r->sha256, sizeof r->sha256, f[4]) ||
			       copy_field(r->subject, sizeof r->subject, f[5]) ||
			       r->serial_hex[0] == '\0'
		       ? -1
		       : 0;
}

/* Parses a body (modified) into r. 0 or -1. */
static int parse_body(char *body, struct journal_rec *r)
{
	char *f[7];
	int k = split(body, f, 7);
	memset(r, 0, sizeof *r);
	if (k == 6 && strcmp(f[0], "cert") == 0) {
		r->kind = JOURNAL_CERT;
		return parse_cert_fields(f, r);
	}
	if (k == 7 && strcmp(f[0], "ocsp") == 0) {
		r->kind = JOURNAL_OCSP;
		return parse_cert_fields(f, r) || copy_field(r->der_b64, sizeof r->der_b64, f[6]) ||
				       r->der_b64[0] == '\0'
			       ? -1
			       : 0;
	}
	if (k == 5 && strcmp(f[0], "crl") == 0) {
		r->kind = JOURNAL_CRL;
		return parse_i64(f[1], &r->number) || parse_i64(f[2], &r->this_update) ||
				       parse_i64(f[3], &r->entries) ||
				       strlen(f[4]) != JOURNAL_HASH_HEX ||
				       copy_field(r->sha256, sizeof r->sha256, f[4]) ||
				       r->number <= 0
			       ? -1
			       : 0;
	}
	if (k == 5 && strcmp(f[0], "checkpoint") == 0) {
		r->kind = JOURNAL_CHECKPOINT;
		return parse_i64(f[1], &r->count) || strlen(f[2]) != JOURNAL_HASH_HEX ||
				       copy_field(r->head, sizeof r->head, f[2]) ||
				       parse_i64(f[3], &r->at) || strlen(f[4]) != JOURNAL_SIG_HEX ||
				       copy_field(r->signature, sizeof r->signature, f[4]) ||
				       r->count < 0
			       ? -1
			       : 0;
	}
	return -1;
}

/* Checks one line (no newline, modified) against head; on success moves
 * head to its hash and fills r. 0 or -1. */
static int check_line(char *line, char head[JOURNAL_HASH_HEX + 1], struct journal_rec *r)
{
	char want[JOURNAL_HASH_HEX + 1];
	char *tab = strrchr(line, '\t');
	if (tab == NULL || strlen(tab + 1) != JOURNAL_HASH_HEX)
		return -1;
	chain_hash(head, line, (size_t)(tab - line), want);
	if (memcmp(want, tab + 1, JOURNAL_HASH_HEX) != 0)
		return -1;
	memcpy(head, want, sizeof want);
	*tab = '\0';
	return parse_body(line, r);
}

/* Reads fd from *end to EOF, verifying each line against head and calling
 * fn. A last line without its newline is a broken journal. 0, fn's value,
 * or -1 (err). */
static int scan(int fd, off_t *end, long *line, char head[JOURNAL_HASH_HEX + 1],
		int (*fn)(const struct journal_rec *, void *), void *arg, char *err, size_t n)
{
	struct stat st;
	char *data = NULL;
	int rc = -1;
	if (fstat(fd, &st) != 0) {
		snprintf(err, n, "journal: %s", strerror(errno));
		return -1;
	}
	if (st.st_size < *end) {
		snprintf(err, n, "journal is shorter than already read (truncated)");
		return -1;
	}
	size_t len = (size_t)(st.st_size - *end), got = 0;
	if (len == 0)
		return 0;
	data = malloc(len + 1);
	if (data == NULL) {
		snprintf(err, n, "journal: out of memory");
		return -1;
	}
	while (got < len) {
		ssize_t r = pread(fd, data + got, len - got, *end + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, n, "journal: read failed");
			goto out;
		}
		got += (size_t)r;
	}
	data[len] = '\0';
	char *p = data;
	while (p < data + len) {
		char *nl = memchr(p, '\n', (size_t)(data + len - p));
		struct journal_rec r;
		if (nl == NULL || nl - p > LINE_MAX_BYTES) {
			snprintf(err, n, "journal line %ld is incomplete (truncated)", *line + 1);
			goto out;
		}
		*nl = '\0';
		if (check_line(p, head, &r) != 0) {
			snprintf(err, n, "journal line %ld breaks the hash chain (edited)",
				 *line + 1);
			goto out;
		}
		(*line)++;
		*end += nl + 1 - p;
		p = nl + 1;
		int f = fn ? fn(&r, arg) : 0;
		if (f != 0) {
			rc = f;
			goto out;
		}
	}
	rc = 0;
out:
	free(data);
	return rc;
}

/* ---- the serial set ---- */

static size_t str_hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static int set_add(struct journal *j, const char *s);

static int set_grow(struct journal *j)
{
	char **old = j->serials;
	size_t oldcap = j->cap;
	j->cap = oldcap ? oldcap * 2 : 1024;
	j->serials = calloc(j->cap, sizeof *j->serials);
	j->used = 0;
	if (j->serials == NULL) {
		j->serials = old;
		j->cap = oldcap;
		return -1;
	}
	for (size_t i = 0; i < oldcap; i++)
		if (old[i] != NULL) {
			set_add(j, old[i]);
			free(old[i]);
		}
	free(old);
	return 0;
}

static int set_add(struct journal *j, const char *s)
{
	if ((j->used + 1) * 2 > j->cap && set_grow(j) != 0)
		return -1;
	size_t i = str_hash(s) & (j->cap - 1);
	while (j->serials[i] != NULL) {
		if (strcmp(j->serials[i], s) == 0)
			return 0;
		i = (i + 1) & (j->cap - 1);
	}
	j->serials[i] = strdup(s);
	if (j->serials[i] == NULL)
		return -1;
	j->used++;
	return 0;
}

int journal_has_serial(const struct journal *j, const char *serial_hex)
{
	if (j->cap == 0)
		return 0;
	size_t i = str_hash(serial_hex) & (j->cap - 1);
	while (j->serials[i] != NULL) {
		if (strcmp(j->serials[i], serial_hex) == 0)
			return 1;
		i = (i + 1) & (j->cap - 1);
	}
	return 0;
}

/* Keeps the newest OCSP responder certificate (by notBefore; the later
 * record of two with the same). 0 or -1 (out of memory). */
static int note_ocsp(struct journal *j, const struct journal_rec *r)
{
	if (r->kind != JOURNAL_OCSP || (j->ocsp_b64 != NULL && r->not_before < j->ocsp_not_before))
		return 0;
	char *copy = strdup(r->der_b64);
	if (copy == NULL)
		return -1;
	free(j->ocsp_b64);
	j->ocsp_b64 = copy;
	j->ocsp_not_before = r->not_before;
	return 0;
}

/* scan() callback: what the signer keeps of each record. */
static int learn(const struct journal_rec *r, void *arg)
{
	struct journal *j = arg;
	if (note_ocsp(j, r) != 0)
		return -3;
	if (r->kind == JOURNAL_CRL) {
		if (r->number <= j->last_crl)
			return -2; /* numbers must strictly increase */
		j->last_crl = r->number;
		return 0;
	}
	if (r->kind == JOURNAL_CHECKPOINT) {
		j->cp_count = r->count;
		memcpy(j->cp_head, r->head, sizeof j->cp_head);
		return 0;
	}
	return set_add(j, r->serial_hex) == 0 ? 0 : -3;
}

static int catch_up(struct journal *j, char *err, size_t n)
{
	int rc = scan(j->fd, &j->end, &j->line, j->head, learn, j, err, n);
	if (rc == -2)
		snprintf(err, n, "journal line %ld: CRL number does not increase", j->line);
	else if (rc == -3)
		snprintf(err, n, "journal: out of memory");
	return rc == 0 ? 0 : -1;
}

/* ---- the signer's side ---- */

int journal_open(struct journal *j, const char *path, char *err, size_t n)
{
	memset(j, 0, sizeof *j);
	memcpy(j->head, GENESIS, sizeof j->head);
	j->cp_count = -1;
	j->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (j->fd < 0) {
		snprintf(err, n, "journal %s: %s", path, strerror(errno));
		return -1;
	}
	if (journal_lock(j, err, n) != 0) {
		journal_close(j);
		return -1;
	}
	journal_unlock(j);
	return 0;
}

int journal_lock(struct journal *j, char *err, size_t n)
{
	while (flock(j->fd, LOCK_EX) != 0)
		if (errno != EINTR) {
			snprintf(err, n, "journal lock: %s", strerror(errno));
			return -1;
		}
	if (catch_up(j, err, n) != 0) {
		journal_unlock(j);
		return -1;
	}
	return 0;
}

void journal_unlock(struct journal *j)
{
	flock(j->fd, LOCK_UN);
}

int journal_append(struct journal *j, const struct journal_rec *r, char *err, size_t n)
{
	char line[LINE_MAX_BYTES + 1], hash[JOURNAL_HASH_HEX + 1];
	if (journal_format(r, line, sizeof line - JOURNAL_HASH_HEX - 2) != 0) {
		snprintf(err, n, "journal: record does not fit");
		return -1;
	}
	if (r->kind == JOURNAL_CRL && r->number <= j->last_crl) {
		snprintf(err, n, "journal: CRL number %" PRId64 " not above %" PRId64, r->number,
			 j->last_crl);
		return -1;
	}
	if (r->kind == JOURNAL_CHECKPOINT && r->count < j->cp_count) {
		snprintf(err, n, "journal: checkpoint count %" PRId64 " below %" PRId64, r->count,
			 j->cp_count);
		return -1;
	}
	size_t l = strlen(line);
	chain_hash(j->head, line, l, hash);
	l += (size_t)snprintf(line + l, sizeof line - l, "\t%s\n", hash);
	ssize_t w = write(j->fd, line, l);
	if (w != (ssize_t)l || fsync(j->fd) != 0) {
		snprintf(err, n, "journal write: %s", w < 0 ? strerror(errno) : "short write");
		/* Whatever reached the file is read back (and checked) next time. */
		return -1;
	}
	j->end += (off_t)l;
	j->line++;
	memcpy(j->head, hash, sizeof hash);
	if (r->kind == JOURNAL_CRL)
		j->last_crl = r->number;
	else if (r->kind == JOURNAL_CHECKPOINT)
		learn(r, j);
	else if (set_add(j, r->serial_hex) != 0 || note_ocsp(j, r) != 0)
		return -1;
	return 0;
}

void journal_close(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	for (size_t i = 0; i < j->cap; i++)
		free(j->serials[i]);
	free(j->serials);
	j->serials = NULL;
	j->cap = j->used = 0;
	free(j->ocsp_b64);
	j->ocsp_b64 = NULL;
}

/* scan() callback of journal_find_cert: stops at the serial. */
struct find_cert {
	const char *serial;
	struct journal_rec *out;
};

static int find_cert(const struct journal_rec *r, void *arg)
{
	struct find_cert *f = arg;
	if (r->kind != JOURNAL_CERT || strcmp(r->serial_hex, f->serial) != 0)
		return 0;
	*f->out = *r;
	return 1;
}

int journal_find_cert(struct journal *j, const char *serial_hex, struct journal_rec *out, char *err,
		      size_t n)
{
	char head[JOURNAL_HASH_HEX + 1] = GENESIS;
	off_t end = 0;
	long line = 0;
	struct find_cert f = {serial_hex, out};
	if (!journal_has_serial(j, serial_hex))
		return 1;
	int rc = scan(j->fd, &end, &line, head, find_cert, &f, err, n);
	if (rc == 0) {
		snprintf(err, n, "journal: serial %s not found on reading", serial_hex);
		return -1;
	}
	return rc == 1 ? 0 : -1;
}

/* ---- readers (ca reconcile) ---- */

int journal_read(const char *path, int (*fn)(const struct journal_rec *, void *), void *arg,
		 char *err, size_t n)
{
	char head[JOURNAL_HASH_HEX + 1] = GENESIS;
	off_t end = 0;
	long line = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0) {
		snprintf(err, n, "journal %s: %s", path, strerror(errno));
		return -1;
	}
	flock(fd, LOCK_SH);
	int rc = scan(fd, &end, &line, head, fn, arg, err, n);
	close(fd);
	return rc;
}
