/* The demo holder near the end of a certificate (see demo_holder.h). */
#include "app/demo_holder.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "pki/checkpoint.h"
#include "pki/pki.h"
#include "store/application.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define DEMO_EMAIL "ornek.sahip@example.org"
#define DEMO_MOBILE "5329990011"
/* Zonguldak Atatürk Anadolu Lisesi: where the holder worked when applying. */
#define DEMO_INST_CODE "967001"
#define DEMO_INST_NAME "Zonguldak Atatürk Anadolu Lisesi"
#define DEMO_UNIT "ZONGULDAK-MEM"

/* The first registry-only demo person. */
static const struct demo_person *pick_person(void)
{
	return store_demo_registry_only();
}

/* A throw-away P-256 key's PKCS#10 request as a malloc'd PEM string. */
static char *make_csr(void)
{
	char *pem = NULL;
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509_REQ *rq = X509_REQ_new();
	BIO *b = BIO_new(BIO_s_mem());
	if (k == NULL || rq == NULL || b == NULL)
		goto out;
	X509_NAME *name = X509_REQ_get_subject_name(rq);
	if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"demo", -1,
				       -1, 0) != 1 ||
	    X509_REQ_set_pubkey(rq, k) != 1 || X509_REQ_sign(rq, k, EVP_sha256()) <= 0 ||
	    PEM_write_bio_X509_REQ(b, rq) != 1)
		goto out;
	char *data;
	long len = BIO_get_mem_data(b, &data);
	if (len > 0 && (pem = malloc((size_t)len + 1)) != NULL) {
		memcpy(pem, data, (size_t)len);
		pem[len] = '\0';
	}
out:
	BIO_free(b);
	X509_REQ_free(rq);
	EVP_PKEY_free(k);
	return pem;
}

/* The holder's DELIVERED application, as the portal would have stored it. */
static int insert_application(db *d, const struct demo_person *p, int64_t now, int64_t *id,
			      char number[24])
{
	char hash[crypto_pwhash_STRBYTES];
	const char word[] = "OrnekSahip2026";
	if (crypto_pwhash_str(hash, word, strlen(word), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return -1;
	struct application_new a = {.tckn = p->tckn,
				    .ad = p->ad,
				    .soyad = p->soyad,
				    .dogum_yeri = p->dogum_yeri,
				    .dogum_tarihi = p->dogum_tarihi,
				    .sicil_no = "199999",
				    .kurum_kodu = DEMO_INST_CODE,
				    .kurum_adi = DEMO_INST_NAME,
				    .yetki_birimi = DEMO_UNIT,
				    .security_word_hash = hash};
	a.form[FF_BASVURU_NEDENI] = "ILK";
	a.form[FF_KART_OKUYUCU] = "MINI";
	a.form[FF_SERTIFIKA_SURESI] = "1";
	a.form[FF_BIRIM] = "Okul Müdürlüğü";
	a.form[FF_UNVAN] = "Öğretmen";
	a.form[FF_ADRES] = "Meşrutiyet Mah. Atatürk Cad. No:12";
	a.form[FF_POSTA_KODU] = "67030";
	a.form[FF_IL] = "67";
	a.form[FF_ILCE] = "Merkez";
	a.form[FF_EPOSTA] = DEMO_EMAIL;
	a.form[FF_IS_TEL] = "3722511020";
	a.form[FF_CEP_TEL] = DEMO_MOBILE;
	a.form[FF_OPERATOR] = "TURKCELL";
	a.form[FF_BILGI_KANALI] = "IKISI";
	if (application_insert(d, &a, now, id, number) != 0)
		return -1;
	return application_set_state(d, *id, APP_FORM_CONFIRMED, APP_DELIVERED, 0, "Örnek veri",
				     "Örnek sertifika sahibi (init --demo)", now);
}

static int already_seeded(db *d, const char *tckn)
{
	return (int)db_query_int64(d, -1, "SELECT COUNT(*) FROM certificates WHERE tckn = $1", tckn,
				   (char *)NULL);
}

/* Application, certificate and audit record in one transaction. */
static int seed(db *d, const struct demo_person *p, const char *csr, struct pki_issued *o,
		char *err, size_t n)
{
	int64_t id, now = clock_now();
	char number[24];
	if (db_begin(d) != DB_OK) {
		snprintf(err, n, "veritabanı meşgul");
		return -1;
	}
	struct pki_issue_req rq = {.csr_pem = csr,
				   .tckn = p->tckn,
				   .given_name = p->ad,
				   .surname = p->soyad,
				   .years = 1,
				   .email = DEMO_EMAIL};
	if (insert_application(d, p, now, &id, number) != 0) {
		snprintf(err, n, "örnek başvuru yazılamadı: %s", db_errmsg(d));
		goto fail;
	}
	rq.application_id = id;
	rq.application_ref = number;
	if (pki_issue(d, &rq, o, err, n) != 0)
		goto fail;
	char object[96], detail[96];
	snprintf(object, sizeof object, "certificate:%s", o->serial_hex);
	snprintf(detail, sizeof detail, "init --demo: örnek sertifika sahibi, başvuru %s", number);
	if (audit_append(d, &(struct audit_entry){.actor = "sistem",
						  .object = object,
						  .action = "issue",
						  .detail = detail}) != 0) {
		snprintf(err, n, "denetim kaydı yazılamadı");
		goto fail;
	}
	if (db_commit(d) != DB_OK) {
		snprintf(err, n, "kaydedilemedi");
		goto fail;
	}
	return 0;
fail:
	db_rollback(d);
	return -1;
}

/* YYYY-MM-DD of `days` days before t (UTC date). */
static void days_before(int64_t t, int days, char out[11])
{
	int y, m, dd;
	date_from_days((t - (int64_t)days * 86400) / 86400, &y, &m, &dd);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, dd);
}

int demo_holder_seed(db *d, FILE *out)
{
	const struct demo_person *p = pick_person();
	if (p == NULL) {
		fprintf(stderr, "eimza init: örnek sertifika sahibi bulunamadı\n");
		return -1;
	}
	int have = already_seeded(d, p->tckn);
	if (have < 0) {
		fprintf(stderr, "eimza init: sertifikalar okunamadı: %s\n", db_errmsg(d));
		return -1;
	}
	if (have > 0)
		return 0;
	char err[512] = "", *csr = make_csr();
	struct pki_issued o = {0};
	int rc = -1;
	if (csr == NULL) {
		fprintf(stderr, "eimza init: örnek anahtar üretilemedi\n");
		return -1;
	}
	/* The holder is a convenience of the demo: when no certificate can be
	 * issued here (e.g. run as root, the CA directory already handed to
	 * ca.signer_user), init still succeeds and says so. */
	if (pki_init(config_get("ca.dir")) != 0) {
		fprintf(stderr,
			"Uyarı: örnek sertifika sahibi eklenmedi: SM imzalayıcı burada "
			"başlatılamadı. Hatırlatmaları denemek için 'eimza ca issue' ile bir "
			"sertifika üretin.\n");
		rc = 0;
		goto out;
	}
	rc = seed(d, p, csr, &o, err, sizeof err);
	/* Like `eimza ca issue`: a signed checkpoint covers the new record. */
	if (rc == 0 && pki_checkpoint_make(d, 0, NULL, err, sizeof err) < 0)
		fprintf(stderr, "Uyarı: denetim kontrol noktası imzalanamadı: %s\n", err);
	pki_shutdown();
	if (rc != 0) {
		fprintf(stderr, "Uyarı: örnek sertifika sahibi eklenmedi: %s\n", err);
		rc = 0;
		goto out;
	}
	char end[11], d90[11], d25[11];
	date_format_tr(o.not_after, end);
	days_before(o.not_after, 80, d90);
	days_before(o.not_after, 20, d25);
	fprintf(out,
		"Örnek sertifika sahibi: %s %s (T.C. kimlik numarası %s), sertifika %s tarihinde sona "
		"eriyor (Seri No %s).\n"
		"Süre sonu hatırlatmalarını görmek için:\n"
		"  eimza worker --once --today %s   (3 ay kala)\n"
		"  eimza worker --once --today %s   (25 gün kala)\n\n",
		p->ad, p->soyad, p->tckn, end, o.serial_hex, d90, d25);
	log_info("demo: holder %s with certificate %s until %s", p->tckn, o.serial_hex, end);
out:
	pki_issued_free(&o);
	free(csr);
	return rc;
}
