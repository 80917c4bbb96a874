/* E-onay: verification of a detached CMS SignedData made by an applicant
 * with their current qualified certificate over the application document. */
#include "pki/internal.h"
#include "pki/pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h> /* before cms.h: it declares PEM_read_bio_CMS */
#include <openssl/cms.h>
#include <openssl/err.h>

#define MSG_UNREADABLE "İmza dosyası okunamadı (ayrık CMS/CAdES imzası, .p7s bekleniyor)."
#define MSG_NOT_OURS "İmzalayan sertifika bu SM tarafından verilmemiş."
#define MSG_CONTENT "İmza bu başvurunun belgesi üzerinde değil."
#define MSG_REVOKED "İmzalayan sertifika iptal edilmiş."
#define MSG_HOLD "İmzalayan sertifika askıya alınmış."
#define MSG_TIME "İmzalayan sertifika şu anda geçerli değil (süresi dolmuş ya da başlamamış)."
#define MSG_NOT_YOURS "İmzalayan sertifika size ait değil."
#define P7S_MAX (1u << 20)

static CMS_ContentInfo *cms_parse(const void *p, size_t len)
{
	CMS_ContentInfo *c = NULL;
	if (len == 0 || len > P7S_MAX)
		return NULL;
	BIO *b = BIO_new_mem_buf(p, (int)len);
	if (b == NULL)
		return NULL;
	if (len > 10 && memcmp(p, "-----BEGIN", 10) == 0)
		c = PEM_read_bio_CMS(b, NULL, NULL, NULL);
	else
		c = d2i_CMS_bio(b, NULL);
	BIO_free(b);
	return c;
}

/* The signer's certificate: from the SignedData's certificates, or by
 * issuer and serial from our own table. Caller frees. */
static X509 *signer_cert(db *d, CMS_ContentInfo *cms, CMS_SignerInfo *si)
{
	STACK_OF(X509) *certs = CMS_get1_certs(cms);
	X509 *found = NULL;
	for (int i = 0; certs && i < sk_X509_num(certs); i++) {
		X509 *x = sk_X509_value(certs, i);
		if (CMS_SignerInfo_cert_cmp(si, x) == 0) {
			found = x;
			X509_up_ref(found);
			break;
		}
	}
	sk_X509_pop_free(certs, X509_free);
	if (found != NULL)
		return found;
	ASN1_OCTET_STRING *kid = NULL;
	X509_NAME *iss = NULL;
	ASN1_INTEGER *sno = NULL;
	char hex[PKI_SERIAL_HEX_MAX + 1];
	if (!CMS_SignerInfo_get0_signer_id(si, &kid, &iss, &sno) || iss == NULL ||
	    X509_NAME_cmp(iss, X509_get_subject_name(pki_issuing_cert())) != 0 ||
	    pki_serial_hex(sno, hex) != 0)
		return NULL;
	size_t len = 0;
	unsigned char *der = pki_cert_der(d, hex, &len);
	const unsigned char *q = der;
	found = der ? d2i_X509(NULL, &q, (long)len) : NULL;
	free(der);
	return found;
}

/* Chains to our root through our issuing CA (time not checked here). */
static int chains_to_us(X509 *x)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	int ok = 0;
	if (store == NULL || ctx == NULL || untrusted == NULL ||
	    !X509_STORE_add_cert(store, pki_root_cert()) ||
	    !sk_X509_push(untrusted, pki_issuing_cert()) ||
	    !X509_STORE_CTX_init(ctx, store, x, untrusted))
		goto out;
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME | X509_V_FLAG_X509_STRICT);
	if (X509_verify_cert(ctx) != 1)
		goto out;
	STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
	ok = sk_X509_num(chain) == 3 && X509_cmp(sk_X509_value(chain, 1), pki_issuing_cert()) == 0;
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_free(untrusted);
	ERR_clear_error();
	return ok;
}

static int signature_over(CMS_ContentInfo *cms, X509 *signer, const void *content, size_t len)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	BIO *data = BIO_new_mem_buf(content, (int)len);
	int ok = 0;
	if (certs != NULL && data != NULL && sk_X509_push(certs, signer))
		ok = CMS_verify(cms, certs, NULL, data, NULL,
				CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY | CMS_NOINTERN) == 1;
	sk_X509_free(certs);
	BIO_free(data);
	ERR_clear_error();
	return ok;
}

/* good / revoked / hold from our table, and the stored DER must be this
 * very certificate. -1 when unknown. */
static int stored_status(db *d, X509 *x, enum pki_cert_status *st)
{
	char hex[PKI_SERIAL_HEX_MAX + 1];
	unsigned char *mine = NULL;
	int rc = -1, l = i2d_X509(x, &mine);
	if (l <= 0 || pki_serial_hex(X509_get0_serialNumber(x), hex) != 0)
		goto out;
	db_stmt *s = db_prepare(d, "SELECT status, der FROM certificates WHERE serial_hex = $1");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, hex);
	if (db_step(s) == DB_ROW) {
		size_t dl = 0;
		const void *der = db_col_blob(s, 1, &dl);
		const char *t = db_col_text(s, 0);
		if (dl == (size_t)l && memcmp(der, mine, dl) == 0 && t != NULL) {
			for (int i = 0; i < PKI_CERT_STATUS__MAX; i++)
				if (strcmp(t, pki_cert_status_names[i]) == 0) {
					*st = (enum pki_cert_status)i;
					rc = 0;
				}
		}
	}
	db_finalize(s);
out:
	OPENSSL_free(mine);
	return rc;
}

static int owner_is(X509 *x, const char *tckn)
{
	char want[32];
	X509_NAME *nm = X509_get_subject_name(x);
	int idx = X509_NAME_get_index_by_NID(nm, NID_serialNumber, -1);
	if (idx < 0 || X509_NAME_get_index_by_NID(nm, NID_serialNumber, idx) >= 0 || tckn == NULL ||
	    snprintf(want, sizeof want, "PNOTR-%s", tckn) >= (int)sizeof want)
		return 0;
	ASN1_STRING *v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, idx));
	return (size_t)ASN1_STRING_length(v) == strlen(want) &&
	       memcmp(ASN1_STRING_get0_data(v), want, strlen(want)) == 0;
}

int pki_verify_eapproval(db *d, const void *p7s, size_t p7s_len, const void *content,
			 size_t content_len, const char *expected_tckn, int64_t now, char *msg,
			 size_t msgn)
{
	CMS_ContentInfo *cms = NULL;
	X509 *x = NULL;
	int rc = -1;
	const char *m = MSG_UNREADABLE;
	enum pki_cert_status st;
	if (pki_issuing_cert() == NULL || content == NULL) {
		m = "Sertifika hizmeti başlatılmamış.";
		goto out;
	}
	cms = cms_parse(p7s, p7s_len);
	if (cms == NULL || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
	    CMS_is_detached(cms) != 1)
		goto out;
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	if (sis == NULL || sk_CMS_SignerInfo_num(sis) != 1)
		goto out;
	x = signer_cert(d, cms, sk_CMS_SignerInfo_value(sis, 0));
	m = MSG_NOT_OURS;
	if (x == NULL || !chains_to_us(x))
		goto out;
	m = MSG_CONTENT;
	if (!signature_over(cms, x, content, content_len))
		goto out;
	m = MSG_TIME;
	time_t t = (time_t)now;
	if (X509_cmp_time(X509_get0_notBefore(x), &t) > 0 ||
	    X509_cmp_time(X509_get0_notAfter(x), &t) < 0)
		goto out;
	m = MSG_NOT_OURS;
	if (stored_status(d, x, &st) != 0)
		goto out;
	m = st == PKI_REVOKED ? MSG_REVOKED : MSG_HOLD;
	if (st != PKI_GOOD)
		goto out;
	m = MSG_NOT_YOURS;
	if (!owner_is(x, expected_tckn))
		goto out;
	m = "İmza doğrulandı.";
	rc = 0;
out:
	snprintf(msg, msgn, "%s", m);
	CMS_ContentInfo_free(cms);
	X509_free(x);
	ERR_clear_error();
	return rc;
}
