/* ISSUE_CERT: the signer builds the certificate (see signer_issue.h and
 * docs/protocol.md).
 *
 * What the web process sends is only a choice among what the signer allows:
 * a profile by name (its lifetime and extensions are the signer's), a
 * holder whose T.C. Kimlik No and names pass the request's rules, a public
 * key whose possession the CSR's self-signature proves and that meets the
 * key policy, and for a renewal a serial that the journal knows, of the same
 * holder, inside its renewal window. Serial (random, never journaled),
 * validity (now, or the renewed certificate's notAfter), subject and every
 * extension are the signer's; pki_profile_check is run on the result as a
 * last self-check before the key signs. */
#include "pki/signer_issue.h"
#include "pki/der.h"
#include "pki/ee_key.h"
#include "pki/internal.h"
#include "pki/issue_msg.h"
#include "pki/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>

#include "domain/renewal.h"
#include "domain/tckn.h"
#include "util/config.h"
#include "util/log.h"

#define CERT_MAX (1u << 20)

/* t + years calendar years (29 February -> 1 March); -1 on error. */
static int64_t add_years(int64_t t, int years)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL)
		return -1;
	tm.tm_year += years;
	return (int64_t)timegm(&tm);
}

/* The request's PKCS#10: DER consumed exactly, self-signature verified
 * (proof of possession), key within the key policy. Caller frees. */
static X509_REQ *csr_verified(const struct issue_msg *m, char *err, size_t n)
{
	char kerr[256];
	const unsigned char *p = m->csr;
	X509_REQ *r = d2i_X509_REQ(NULL, &p, (long)m->csr_len);
	EVP_PKEY *pub = NULL;
	if (r == NULL || p != m->csr + m->csr_len) {
		snprintf(err, n, "CSR does not parse");
		goto fail;
	}
	pub = X509_REQ_get0_pubkey(r);
	if (pub == NULL || X509_REQ_verify(r, pub) != 1) {
		snprintf(err, n, "CSR signature does not verify (no proof of possession)");
		goto fail;
	}
	if (pki_ee_key_check(pub, kerr, sizeof kerr) != 0) {
		snprintf(err, n, "subject key refused by the key policy");
		goto fail;
	}
	return r;
fail:
	ERR_clear_error();
	X509_REQ_free(r);
	return NULL;
}

/* KEY_ON_QSCD (QcSSCD and QCP-n-qscd in the certificate) only with a card
 * profile, a card profile only with KEY_ON_QSCD, and card profiles only
 * when ca.card_profiles is 1 and the client is the card producer (`eimza
 * card produce`, which generated the key on the card itself): a CSR of
 * unknown origin -- anything `serve` sends -- can never come out as a key
 * on a qualified device. */
static int card_rule(const struct signer_issue_ctx *c, const struct issue_msg *m, char *err,
		     size_t n)
{
	int card = pki_profile_is_card(m->profile);
	if (card && config_get_int("ca.card_profiles") != 1) {
		snprintf(err, n, "card profile %s is not enabled (ca.card_profiles)", m->profile);
		return -1;
	}
	if (card && !c->card_client) {
		snprintf(err, n, "card profile %s is only for the card producer", m->profile);
		return -1;
	}
	if (card != m->key_on_qscd) {
		snprintf(err, n,
			 "key on qscd is honoured only with a card profile, and required by it");
		return -1;
	}
	return 0;
}

/* The T.C. Kimlik No of a journaled subject (RFC 2253, escaped): the value
 * of its one serialNumber "PNOTR-<11 digits>". Elements end at an
 * unescaped ',' or '+', so a name holding that text cannot pose as one. */
static int journal_tckn(const char *subject, char out[12])
{
	static const char key[] = "serialNumber=PNOTR-";
	const size_t klen = sizeof key - 1;
	const char *el = subject;
	int found = 0;
	for (const char *p = subject;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p != ',' && *p != '+' && *p != '\0')
			continue;
		if ((size_t)(p - el) == klen + 11 && memcmp(el, key, klen) == 0) {
			memcpy(out, el + klen, 11);
			out[11] = '\0';
			found++;
		}
		if (*p == '\0')
			break;
		el = p + 1;
	}
	return found == 1 && tckn_valid(out) ? 0 : -1;
}

/* A renewal (the journal is locked): the renewed certificate must be in
 * the journal, belong to the same holder (the same PNOTR-<T.C. Kimlik No>;
 * the names may be spelt differently) and be inside its renewal window
 * (the domain's: the last RENEWAL_WINDOW_DAYS days before its notAfter).
 * The new certificate starts at its notAfter. */
static int renewal_start(struct journal *j, const struct issue_msg *m, int64_t now, int64_t *nb,
			 char *err, size_t n)
{
	struct journal_rec old;
	char tckn[12];
	int f = journal_find_cert(j, m->renews, &old, err, n);
	if (f == 1)
		snprintf(err, n, "renewed certificate %s is not in the journal", m->renews);
	if (f != 0)
		return -1;
	if (journal_tckn(old.subject, tckn) != 0 || strcmp(tckn, m->tckn) != 0) {
		snprintf(err, n, "renewed certificate %s belongs to another holder", m->renews);
		return -1;
	}
	if (!renewal_reminder_due(old.not_after, now, RENEWAL_WINDOW_DAYS)) {
		snprintf(err, n, "renewed certificate %s is outside its renewal window", m->renews);
		return -1;
	}
	*nb = old.not_after;
	return 0;
}

/* A serial never journaled: 20 random bytes (159 bits, positive). */
static int draw_serial(const struct journal *j, unsigned char serial[PKI_SERIAL_LEN],
		       char hex[PKI_SERIAL_HEX_MAX + 1], char *err, size_t n)
{
	for (int attempt = 0; attempt < 8; attempt++) {
		pki_random_serial(serial);
		der_hex(serial, PKI_SERIAL_LEN, hex);
		if (!journal_has_serial(j, hex))
			return 0;
	}
	snprintf(err, n, "no fresh serial");
	return -1;
}

/* The profile's certificate for this request, self-checked. Caller frees. */
static X509 *build(const struct signer_issue_ctx *c, const struct issue_msg *m, EVP_PKEY *pub,
		   int64_t nb, int64_t na, char *err, size_t n)
{
	unsigned char serial[PKI_SERIAL_LEN];
	char hex[PKI_SERIAL_HEX_MAX + 1], why[256] = "";
	struct pki_subject s = {m->tckn, m->given_name, m->surname, m->email[0] ? m->email : NULL,
				m->key_on_qscd};
	if (na < 0 || draw_serial(c->journal, serial, hex, err, n) != 0)
		return NULL;
	X509 *x = pki_profile_build(pub, &s, serial, sizeof serial, nb, na, c->ca, why, sizeof why);
	if (x == NULL) {
		log_warn("signer: profile build: %s", why);
		snprintf(err, n, "certificate could not be built from the request");
		return NULL;
	}
	if (pki_profile_check(x, c->ca, err, n) != 0) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* The journal's fields of a built certificate (all but the hash). */
static int cert_record(X509 *x, struct journal_rec *r)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *s = NULL;
	long l;
	int rc = -1;
	r->kind = JOURNAL_CERT;
	if (b == NULL || pki_serial_hex(X509_get0_serialNumber(x), r->serial_hex) != 0 ||
	    X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253) < 0)
		goto out;
	l = BIO_get_mem_data(b, &s);
	if (l < 0 || (size_t)l >= sizeof r->subject)
		goto out;
	memcpy(r->subject, s, (size_t)l);
	r->subject[l] = '\0';
	r->not_before = pki_time(X509_get0_notBefore(x));
	r->not_after = pki_time(X509_get0_notAfter(x));
	rc = 0;
out:
	BIO_free(b);
	return rc;
}

/* Signs x's TBS and assembles the certificate into out; verifies it with
 * the CA's public key (a token that signed wrongly is caught here). */
static int sign_cert(const struct signer_issue_ctx *c, X509 *x, buf *out, char *err, size_t n)
{
	unsigned char *tbs = NULL, *sig = NULL;
	size_t siglen = 0;
	X509 *signed_x = NULL;
	buf alg;
	int rc = -1;
	buf_init(&alg, 256);
	int tl = i2d_re_X509_tbs(x, &tbs);
	if (tl <= 0 || pki_sigalg_der(X509_get0_pubkey(c->ca), &alg) != 0) {
		snprintf(err, n, "TBSCertificate not encodable");
		goto out;
	}
	if (c->sign(c->ca_key, c->ca, tbs, (size_t)tl, &sig, &siglen) != 0) {
		pki_ssl_err(err, n, "signature failed");
		goto out;
	}
	pki_assemble(out, tbs, (size_t)tl, alg.data, alg.len, sig, siglen);
	const unsigned char *p = (const unsigned char *)out->data;
	signed_x = out->err ? NULL : d2i_X509(NULL, &p, (long)out->len);
	if (signed_x == NULL || X509_verify(signed_x, X509_get0_pubkey(c->ca)) != 1) {
		ERR_clear_error();
		snprintf(err, n, "signed certificate does not verify");
		goto out;
	}
	rc = 0;
out:
	OPENSSL_free(tbs);
	free(sig);
	X509_free(signed_x);
	buf_free(&alg);
	return rc;
}

int signer_issue_cert(const struct signer_issue_ctx *c, const unsigned char *msg, size_t len,
		      int64_t now, unsigned char **der, size_t *der_len, char *err, size_t n)
{
	struct issue_msg m;
	struct journal_rec r = {0};
	X509_REQ *req = NULL;
	X509 *x = NULL;
	int locked = 0, rc = -1, years;
	int64_t nb = now;
	buf out;
	buf_init(&out, CERT_MAX);
	*der = NULL;
	if (issue_msg_parse(msg, len, &m, err, n) != 0)
		goto out;
	if ((years = pki_profile_years(m.profile)) == 0) {
		snprintf(err, n, "unknown profile %s", m.profile);
		goto out;
	}
	if (card_rule(c, &m, err, n) != 0 || (req = csr_verified(&m, err, n)) == NULL)
		goto out;
	if (journal_lock(c->journal, err, n) != 0)
		goto out;
	locked = 1;
	if (m.renews[0] != '\0' && renewal_start(c->journal, &m, now, &nb, err, n) != 0)
		goto out;
	x = build(c, &m, X509_REQ_get0_pubkey(req), nb, add_years(nb, years), err, n);
	if (x == NULL || sign_cert(c, x, &out, err, n) != 0)
		goto out;
	if (cert_record(x, &r) != 0) {
		snprintf(err, n, "serial or subject not recordable");
		goto out;
	}
	journal_sha256_hex(out.data, out.len, r.sha256);
	if (journal_append(c->journal, &r, err, n) != 0)
		goto out;
	log_info("signer: issued %s (%s%s%s) for application %s", r.serial_hex, m.profile,
		 m.renews[0] ? ", renews " : "", m.renews, m.app_ref[0] ? m.app_ref : "-");
	*der = (unsigned char *)buf_detach(&out, der_len);
	rc = 0;
out:
	if (locked)
		journal_unlock(c->journal);
	X509_REQ_free(req);
	X509_free(x);
	buf_free(&out);
	return rc;
}
