/* The audit trail against its newest signed checkpoint (see audit_check.h).
 *
 * The chain alone proves that no record was changed, removed or inserted
 * *between* records; it cannot tell a trail whose newest records were cut
 * off, or one rewritten and re-chained from some record on, from an honest
 * one: its hash is unkeyed. The checkpoint, signed by the signer's audit
 * key, fixes how many records there were and what the newest one's hash
 * was. */
#include "app/audit_check.h"

#include <stdio.h>
#include <string.h>

#include "domain/date.h"
#include "pki/checkpoint.h"
#include "store/audit.h"
#include "store/audit_checkpoint.h"

/* One checkpoint and where it was read from. */
struct candidate {
	struct audit_checkpoint c;
	const char *source; /* "imzalayıcı günlüğü" or "veritabanı" */
};

/* Checks one checkpoint's signature with audit.pub. AUDIT_CP_OK, or
 * AUDIT_CP_BAD / AUDIT_CP_UNCHECKED with r->cp_msg written. */
static enum audit_cp_result check_signature(const char *ca_dir, const struct candidate *k,
					    struct audit_report *r)
{
	char when[17], err[256] = "";
	int v = pki_checkpoint_verify(ca_dir, &k->c, err, sizeof err);
	if (v < 0) {
		snprintf(r->cp_msg, sizeof r->cp_msg,
			 "Kontrol noktası doğrulanamadı: denetim açık anahtarı okunamadı (%s).",
			 err);
		return AUDIT_CP_UNCHECKED;
	}
	if (v != 0) {
		date_format_tr_time(k->c.at, when);
		snprintf(r->cp_msg, sizeof r->cp_msg,
			 "Kontrol noktasının imzası geçersiz (%s, %s, %lld kayıt): denetim açık "
			 "anahtarıyla doğrulanmıyor, kontrol noktası sahte ya da değiştirilmiş.",
			 k->source, when, (long long)k->c.count);
		return AUDIT_CP_BAD;
	}
	return AUDIT_CP_OK;
}

/* Checks a (validly signed) checkpoint against the verified chain of
 * r->records records: none missing after it, and the record at its count
 * has its head. AUDIT_CP_OK, or AUDIT_CP_BAD / AUDIT_CP_UNCHECKED with
 * r->cp_msg written. */
static enum audit_cp_result check_chain(db *d, const struct candidate *k, struct audit_report *r)
{
	char when[17], have[AUDIT_HEAD_HEX + 1], range[64];
	const struct audit_checkpoint *c = &k->c;
	date_format_tr_time(c->at, when);
	if (c->count > r->records) {
		if (c->count == r->records + 1)
			snprintf(range, sizeof range, "kayıt %lld", (long long)c->count);
		else
			snprintf(range, sizeof range, "kayıt %lld-%lld", (long long)r->records + 1,
				 (long long)c->count);
		snprintf(r->cp_msg, sizeof r->cp_msg,
			 "Kayıtlar eksik: %s tarihli kontrol noktası %lld kaydı imzalamış, "
			 "veritabanında %lld kayıt var; %s silinmiş.",
			 when, (long long)c->count, (long long)r->records, range);
		return AUDIT_CP_BAD;
	}
	if (c->count == 0)
		return AUDIT_CP_OK;
	int h = audit_hash_at(d, c->count, have);
	if (h < 0) {
		snprintf(r->cp_msg, sizeof r->cp_msg, "Kontrol noktası doğrulanamadı: %s",
			 db_errmsg(d));
		return AUDIT_CP_UNCHECKED;
	}
	if (h != 0 || strcmp(have, c->head) != 0) {
		snprintf(r->cp_msg, sizeof r->cp_msg,
			 "Kayıt %lld, %s tarihli kontrol noktasında imzalanan özetle tutmuyor: "
			 "kayıtlar değiştirilip zincir yeniden hesaplanmış.",
			 (long long)c->count, when);
		return AUDIT_CP_BAD;
	}
	return AUDIT_CP_OK;
}

/* The newest checkpoint of the journal and of the table into k[]; returns
 * how many were found, or -1 with r->cp set (broken journal, database). */
static int gather(db *d, const char *ca_dir, struct candidate k[2], int *journal_unreadable,
		  struct audit_report *r)
{
	char err[256] = "";
	int n = 0;
	int j = pki_checkpoint_from_journal(ca_dir, &k[n].c, err, sizeof err);
	*journal_unreadable = j == -2;
	if (j == -1) {
		snprintf(r->cp_msg, sizeof r->cp_msg, "İmzalayıcı günlüğü bozuk: %s", err);
		r->cp = AUDIT_CP_BAD;
		return -1;
	}
	if (j == 1)
		k[n++].source = "imzalayıcı günlüğü";
	int t = audit_checkpoint_newest(d, &k[n].c);
	if (t < 0) {
		snprintf(r->cp_msg, sizeof r->cp_msg, "Kontrol noktaları okunamadı: %s",
			 db_errmsg(d));
		r->cp = AUDIT_CP_UNCHECKED;
		return -1;
	}
	if (t == 1)
		k[n++].source = "veritabanı";
	return n;
}

static void report_ok(const struct candidate *newest, int journal_unreadable,
		      struct audit_report *r)
{
	char when[17];
	date_format_tr_time(newest->c.at, when);
	r->cp_count = newest->c.count;
	r->cp_at = newest->c.at;
	snprintf(r->cp_msg, sizeof r->cp_msg,
		 "%s tarihli imzalı kontrol noktasına kadar %lld kayıt doğrulandı; sonrasında "
		 "%lld kayıt var.%s",
		 when, (long long)newest->c.count, (long long)(r->records - newest->c.count),
		 journal_unreadable ? " (İmzalayıcı günlüğü okunamadı: kontrol noktası "
				      "veritabanından alındı.)"
				    : "");
}

int app_audit_check(db *d, const char *ca_dir, struct audit_report *r)
{
	struct candidate k[2];
	int journal_unreadable = 0;
	memset(r, 0, sizeof *r);
	r->cp = AUDIT_CP_NONE;
	r->chain = audit_verify(d, r->chain_msg, sizeof r->chain_msg, &r->records);
	if (r->chain < 0 && r->chain_msg[0] == '\0')
		snprintf(r->chain_msg, sizeof r->chain_msg,
			 "Zincir doğrulanamadı (veritabanı hatası: %s).", db_errmsg(d));
	if (r->chain != 0)
		return r->chain;
	int n = gather(d, ca_dir, k, &journal_unreadable, r);
	if (n < 0)
		return r->cp == AUDIT_CP_BAD ? 1 : -1;
	if (n == 0) {
		snprintf(r->cp_msg, sizeof r->cp_msg,
			 "Henüz imzalı kontrol noktası yok: son kayıtların silinmesi fark "
			 "edilemez.");
		return 0;
	}
	/* Every checkpoint found must hold, its signature first (a forged one
	 * is named as such); the report names the newest. */
	int newest = 0;
	for (int pass = 0; pass < 2 * n; pass++) {
		int i = pass % n;
		r->cp = pass < n ? check_signature(ca_dir, &k[i], r) : check_chain(d, &k[i], r);
		if (r->cp != AUDIT_CP_OK) {
			r->cp_count = k[i].c.count;
			r->cp_at = k[i].c.at;
			return r->cp == AUDIT_CP_BAD ? 1 : -1;
		}
		if (k[i].c.count > k[newest].c.count ||
		    (k[i].c.count == k[newest].c.count && k[i].c.at > k[newest].c.at))
			newest = i;
	}
	report_ok(&k[newest], journal_unreadable, r);
	return 0;
}
