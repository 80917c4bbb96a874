/* `eimza ca reconcile`: the signer's journal against the certificates
 * table. */
#include "pki/journal.h"
#include "pki/internal.h"
#include "pki/pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct signed_cert {
	char serial[84];
	char sha256[JOURNAL_HASH_HEX + 1];
	char *subject;
	int seen;
};

struct signed_set {
	struct signed_cert *v;
	size_t len, cap;
	int64_t last_crl;
};

/* journal_read() callback: keeps every certificate record. OCSP
 * responder certificates (ocsp records) are the signer's own and never in
 * the certificates table: not compared. */
static int collect(const struct journal_rec *r, void *arg)
{
	struct signed_set *s = arg;
	if (r->kind == JOURNAL_OCSP)
		return 0;
	if (r->kind == JOURNAL_CRL) {
		s->last_crl = r->number;
		return 0;
	}
	if (r->kind != JOURNAL_CERT)
		return 0;
	if (s->len == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct signed_cert *v = realloc(s->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	struct signed_cert *c = &s->v[s->len];
	memset(c, 0, sizeof *c);
	memcpy(c->serial, r->serial_hex, sizeof c->serial);
	memcpy(c->sha256, r->sha256, sizeof c->sha256);
	c->subject = strdup(r->subject);
	if (c->subject == NULL)
		return -1;
	s->len++;
	return 0;
}

static int by_serial(const void *a, const void *b)
{
	return strcmp(((const struct signed_cert *)a)->serial,
		      ((const struct signed_cert *)b)->serial);
}

/* Walks the certificates table; prints the rows the journal does not know
 * (or knows with other bytes) and marks the ones it does. Returns the
 * number of rows printed, or -1. */
static long check_rows(db *d, struct signed_set *s, FILE *out)
{
	long bad = 0;
	int r;
	db_stmt *st = db_prepare(d, "SELECT serial_hex, der FROM certificates ORDER BY serial_hex");
	if (st == NULL)
		return -1;
	while ((r = db_step(st)) == DB_ROW) {
		struct signed_cert key = {0}, *c;
		char h[JOURNAL_HASH_HEX + 1];
		size_t len = 0;
		const void *der = db_col_blob(st, 1, &len);
		snprintf(key.serial, sizeof key.serial, "%s", db_col_text(st, 0));
		c = s->len ? bsearch(&key, s->v, s->len, sizeof *s->v, by_serial) : NULL;
		journal_sha256_hex(der ? der : "", len, h);
		if (c == NULL) {
			fprintf(out, "recorded but never signed: %s\n", key.serial);
			bad++;
		} else if (strcmp(c->sha256, h) != 0) {
			fprintf(out, "recorded but never signed (other bytes than signed): %s\n",
				key.serial);
			bad++;
		}
		if (c != NULL)
			c->seen = 1;
	}
	db_finalize(st);
	return r == DB_DONE ? bad : -1;
}

long pki_reconcile(db *d, const char *ca_dir, FILE *out, char *err, size_t n)
{
	struct signed_set s = {0};
	char path[4096];
	long bad = -1;
	if (pki_path(path, sizeof path, ca_dir, JOURNAL_FILE) != 0) {
		snprintf(err, n, "CA directory path too long");
		return -1;
	}
	int rc = journal_read(path, collect, &s, err, n);
	if (rc != 0) {
		if (rc > 0 || err[0] == '\0')
			snprintf(err, n, "journal %s: out of memory", path);
		goto out;
	}
	if (s.len > 0) /* qsort wants an array, even of nothing */
		qsort(s.v, s.len, sizeof *s.v, by_serial);
	bad = check_rows(d, &s, out);
	if (bad < 0) {
		snprintf(err, n, "certificates table not readable");
		goto out;
	}
	for (size_t i = 0; i < s.len; i++)
		if (!s.v[i].seen) {
			fprintf(out, "signed but unknown to the database: %s %s\n", s.v[i].serial,
				s.v[i].subject);
			bad++;
		}
	fprintf(out, "journal: %zu certificates, last CRL number %lld; %ld discrepancies\n", s.len,
		(long long)s.last_crl, bad);
out:
	for (size_t i = 0; i < s.len; i++)
		free(s.v[i].subject);
	free(s.v);
	return bad;
}
