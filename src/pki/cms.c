/* E-onay: verification of a detached CMS SignedData made by an applicant
 * with their current qualified certificate over the application document. */
#include "pki/internal.h"
#include "pki/pki.h"
#include "pki/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h> /* before cms.h: it declares PEM_read_bio_CMS */
#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#define MSG_UNREADABLE "İmza dosyası okunamadı (ayrık CMS/CAdES imzası, .p7s bekleniyor)."
#define MSG_NOT_OURS "İmzalayan sertifika bu SM tarafından verilmemiş."
#define MSG_CONTENT "İmza bu başvurunun belgesi üzerinde değil."
#define MSG_REVOKED "İmzalayan sertifika iptal edilmiş."
#define MSG_HOLD "İmzalayan sertifika askıya alınmış."
#define MSG_TIME "İmzalayan sertifika şu anda geçerli değil (süresi dolmuş ya da başlamamış)."
#define MSG_NOT_YOURS "İmzalayan sertifika size ait değil."
#define MSG_WEAK_DIGEST \
	"İmza zayıf ya da tanınmayan bir özet/imza algoritmasıyla (ör. SHA-1, MD5) atılmış; " \
	"SHA-256, SHA-384 ya da SHA-512 ile yeniden imzalayınız."
#define MSG_WEAK_KEY \
	"İmzalayan sertifikanın anahtarı zayıf (RSA en az 2048 bit, EC yalnızca P-256 ya da " \
	"P-384 kabul edilir)."
#define MSG_NO_SIGNING_TIME "İmzada imza zamanı (signingTime) bilgisi yok ya da okunamadı."
#define MSG_SIGNING_TIME "İmza zamanında imzalayan sertifika geçerli değildi."
#define MSG_FUTURE "İmza zamanı ileri bir tarih gösteriyor; bilgisayarınızın saatini denetleyiniz."
#define P7S_MAX (1u << 20)
/* How far a signingTime may be ahead of our clock (clock skew). */
#define SIGNING_TIME_SKEW 300

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

/* good / revoked / hold from our table, read as the OCSP responder reads
 * it (pki_cert_state_get), and the stored DER must be this very
 * certificate. -1 when unknown. */
static int stored_status(db *d, X509 *x, enum pki_cert_status *st)
{
	char hex[PKI_SERIAL_HEX_MAX + 1];
	unsigned char *mine = NULL, *der = NULL;
	size_t dl = 0;
	struct pki_cert_state cs;
	int rc = -1, l = i2d_X509(x, &mine);
	if (l <= 0 || pki_serial_hex(X509_get0_serialNumber(x), hex) != 0)
		goto out;
	der = pki_cert_der(d, hex, &dl);
	if (der == NULL || dl != (size_t)l || memcmp(der, mine, dl) != 0)
		goto out;
	if (pki_cert_state_get(d, hex, &cs) != 0 || !cs.known)
		goto out;
	*st = cs.status;
	rc = 0;
out:
	OPENSSL_free(mine);
	free(der);
	return rc;
}

int pki_eapproval_digest_ok(int md_nid)
{
	return md_nid == NID_sha256 || md_nid == NID_sha384 || md_nid == NID_sha512;
}

int pki_eapproval_key_ok(EVP_PKEY *k)
{
	char curve[64];
	size_t cl = 0;
	switch (k == NULL ? EVP_PKEY_NONE : EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_RSA: return EVP_PKEY_get_bits(k) >= 2048;
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, curve,
						    sizeof curve, &cl))
			return 0;
		return strcmp(curve, SN_X9_62_prime256v1) == 0 || strcmp(curve, SN_secp384r1) == 0;
	default: return 0;
	}
}

/* The hash of an RSASSA-PSS signatureAlgorithm's parameters (absent:
 * SHA-1, RFC 4055). NID_undef when unreadable. */
static int pss_hash(const X509_ALGOR *alg)
{
	const ASN1_OBJECT *obj = NULL;
	const void *pv = NULL;
	int ptype = 0, nid = NID_undef;
	X509_ALGOR_get0(&obj, &ptype, &pv, alg);
	if (ptype != V_ASN1_SEQUENCE)
		return NID_undef;
	ASN1_TYPE *t = ASN1_TYPE_new();
	RSA_PSS_PARAMS *pss = NULL;
	if (t != NULL && ASN1_TYPE_set1(t, ptype, pv))
		pss = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_PSS_PARAMS), t);
	if (pss != NULL) {
		if (pss->hashAlgorithm == NULL) {
			nid = NID_sha1;
		} else {
			X509_ALGOR_get0(&obj, NULL, NULL, pss->hashAlgorithm);
			nid = OBJ_obj2nid(obj);
		}
	}
	RSA_PSS_PARAMS_free(pss);
	ASN1_TYPE_free(t);
	return nid;
}

/* The SignerInfo's digestAlgorithm, and the hash its signatureAlgorithm
 * names (if it names one), must both be strong; *md_nid gets the former. */
static int algorithms_ok(CMS_SignerInfo *si, int *md_nid)
{
	X509_ALGOR *dig = NULL, *sig = NULL;
	const ASN1_OBJECT *obj = NULL;
	int dnid = NID_undef, pknid = NID_undef;
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
	if (dig == NULL || sig == NULL)
		return 0;
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	*md_nid = OBJ_obj2nid(obj);
	if (!pki_eapproval_digest_ok(*md_nid))
		return 0;
	X509_ALGOR_get0(&obj, NULL, NULL, sig);
	int snid = OBJ_obj2nid(obj);
	if (snid == NID_rsaEncryption || snid == NID_X9_62_id_ecPublicKey)
		return 1; /* the hash is the digestAlgorithm's */
	if (snid == NID_rsassaPss)
		return pki_eapproval_digest_ok(pss_hash(sig));
	return OBJ_find_sigid_algs(snid, &dnid, &pknid) && pki_eapproval_digest_ok(dnid);
}

/* The signed signingTime attribute (exactly one value), or -1. */
static int signing_time(CMS_SignerInfo *si, int64_t *t)
{
	int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	if (idx < 0 || CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, idx) >= 0)
		return -1;
	X509_ATTRIBUTE *a = CMS_signed_get_attr(si, idx);
	if (a == NULL || X509_ATTRIBUTE_count(a) != 1)
		return -1;
	ASN1_TYPE *v = X509_ATTRIBUTE_get0_type(a, 0);
	if (v == NULL || (v->type != V_ASN1_UTCTIME && v->type != V_ASN1_GENERALIZEDTIME))
		return -1;
	if (!ASN1_TIME_check(v->value.utctime))
		return -1;
	*t = pki_time(v->value.utctime);
	return 0;
}

/* notBefore <= when < notAfter. X509_cmp_time: -1 for "earlier or
 * equal", 1 for "later", 0 for an error (which fails here). */
static int valid_at(X509 *x, int64_t when)
{
	time_t t = (time_t)when;
	return X509_cmp_time(X509_get0_notBefore(x), &t) == -1 &&
	       X509_cmp_time(X509_get0_notAfter(x), &t) == 1;
}

static void fill_report(struct pki_eapproval_report *r, X509 *x, int md_nid, int64_t signed_at,
			int64_t now)
{
	memset(r, 0, sizeof *r);
	if (pki_serial_hex(X509_get0_serialNumber(x), r->serial_hex) != 0)
		r->serial_hex[0] = '\0';
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, r->signer,
				  sizeof r->signer);
	snprintf(r->digest, sizeof r->digest, "%s",
		 md_nid == NID_sha256	? "SHA-256"
		 : md_nid == NID_sha384 ? "SHA-384"
					: "SHA-512");
	r->signing_time = signed_at;
	r->checked_at = now;
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
			 size_t content_len, const char *expected_tckn, int64_t now,
			 struct pki_eapproval_report *report, char *msg, size_t msgn)
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
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
	x = signer_cert(d, cms, si);
	m = MSG_NOT_OURS;
	if (x == NULL || !chains_to_us(x))
		goto out;
	int md_nid = NID_undef;
	int64_t signed_at = 0;
	m = MSG_WEAK_DIGEST;
	if (!algorithms_ok(si, &md_nid))
		goto out;
	m = MSG_WEAK_KEY;
	if (!pki_eapproval_key_ok(X509_get0_pubkey(x)))
		goto out;
	m = MSG_CONTENT;
	if (!signature_over(cms, x, content, content_len))
		goto out;
	m = MSG_NO_SIGNING_TIME;
	if (signing_time(si, &signed_at) != 0)
		goto out;
	m = MSG_FUTURE;
	if (signed_at > now + SIGNING_TIME_SKEW)
		goto out;
	m = MSG_SIGNING_TIME;
	if (!valid_at(x, signed_at))
		goto out;
	m = MSG_TIME;
	if (!valid_at(x, now))
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
	if (report != NULL)
		fill_report(report, x, md_nid, signed_at, now);
	rc = 0;
out:
	snprintf(msg, msgn, "%s", m);
	CMS_ContentInfo_free(cms);
	X509_free(x);
	ERR_clear_error();
	return rc;
}
