#include "pki/profile.h"
#include "pki/der.h"
#include "pki/internal.h"
#include "pki/issue_msg.h"
#include "pki/ee_key.h"
#include "pki/nes_policy.h"
#include "pki/qcstatements.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include "domain/tckn.h"
#include "util/config.h"
#include "util/utf8.h"

/* The profiles the signer knows: the natural-person qualified certificate,
 * one name per lifetime the application form offers, for a key of unknown
 * origin (a CSR); and the card profiles, for a key generated on a card the
 * CA produced, the only ones under which the signer honours KEY_ON_QSCD
 * (and only when ca.card_profiles is 1). */
static const struct {
	const char *name;
	int years, card;
} profiles[] = {{"qualified-1y", 1, 0},	     {"qualified-2y", 2, 0},
		{"qualified-3y", 3, 0},	     {"qualified-card-1y", 1, 1},
		{"qualified-card-2y", 2, 1}, {"qualified-card-3y", 3, 1}};

const char *pki_profile_name(int years)
{
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (profiles[i].years == years && !profiles[i].card)
			return profiles[i].name;
	return NULL;
}

const char *pki_profile_card_name(int years)
{
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (profiles[i].years == years && profiles[i].card)
			return profiles[i].name;
	return NULL;
}

int pki_profile_years(const char *name)
{
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return profiles[i].years;
	return 0;
}

int pki_profile_is_card(const char *name)
{
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return profiles[i].card;
	return 0;
}

int pki_set_tbs_sigalg(X509 *x, EVP_PKEY *key)
{
	int nid, ptype;
	const EVP_MD *md;
	if (pki_sigalg(key, &nid, &ptype, &md) != 0)
		return -1;
	/* OpenSSL 3.0 has no setter for the TBS signature field short of
	 * signing; it is a plain member, so set it in place. */
	X509_ALGOR *a = (X509_ALGOR *)X509_get0_tbs_sigalg(x);
	return X509_ALGOR_set0(a, OBJ_nid2obj(nid), ptype, NULL) ? 0 : -1;
}

int64_t pki_time(const ASN1_TIME *t)
{
	struct tm tm;
	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return -1;
	return (int64_t)timegm(&tm);
}

static int add_conf_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (e == NULL)
		return -1;
	int ok = X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return ok ? 0 : -1;
}

static int add_der_ext(X509 *x, const char *oid, int critical, const void *der, size_t len)
{
	int rc = -1;
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e = NULL;
	if (o == NULL || os == NULL || !ASN1_OCTET_STRING_set(os, der, (int)len))
		goto out;
	e = X509_EXTENSION_create_by_OBJ(NULL, o, critical, os);
	if (e == NULL || !X509_add_ext(x, e, -1))
		goto out;
	rc = 0;
out:
	ASN1_OBJECT_free(o);
	ASN1_OCTET_STRING_free(os);
	X509_EXTENSION_free(e);
	return rc;
}

static int add_email(X509 *x, const char *email)
{
	int rc = -1;
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	GENERAL_NAME *g = GENERAL_NAME_new();
	ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new();
	if (gens == NULL || g == NULL || ia5 == NULL ||
	    !ASN1_STRING_set(ia5, email, (int)strlen(email)))
		goto out;
	GENERAL_NAME_set0_value(g, GEN_EMAIL, ia5);
	ia5 = NULL;
	if (!sk_GENERAL_NAME_push(gens, g))
		goto out;
	g = NULL;
	if (X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_REPLACE) != 1)
		goto out;
	rc = 0;
out:
	ASN1_IA5STRING_free(ia5);
	GENERAL_NAME_free(g);
	sk_GENERAL_NAME_pop_free(gens, GENERAL_NAME_free);
	return rc;
}

X509_NAME *pki_profile_subject(const struct pki_subject *s, char *err, size_t n)
{
	char cn[256], sn[32];
	X509_NAME *nm = X509_NAME_new();
	if (snprintf(cn, sizeof cn, "%s %s", s->given_name, s->surname) >= (int)sizeof cn ||
	    snprintf(sn, sizeof sn, "PNOTR-%s", s->tckn) >= (int)sizeof sn) {
		snprintf(err, n, "Ad ve soyad çok uzun.");
		goto fail;
	}
	if (nm == NULL ||
	    !X509_NAME_add_entry_by_NID(nm, NID_countryName, MBSTRING_UTF8,
					(const unsigned char *)"TR", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(nm, NID_commonName, MBSTRING_UTF8,
					(const unsigned char *)cn, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(nm, NID_givenName, MBSTRING_UTF8,
					(const unsigned char *)s->given_name, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(nm, NID_surname, MBSTRING_UTF8,
					(const unsigned char *)s->surname, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(nm, NID_serialNumber, MBSTRING_UTF8,
					(const unsigned char *)sn, -1, -1, 0)) {
		pki_ssl_err(err, n, "Sertifika sahibinin adı sertifikaya yazılamadı");
		goto fail;
	}
	return nm;
fail:
	X509_NAME_free(nm);
	return NULL;
}

static int add_policies(X509 *x, int qscd)
{
	CERTIFICATEPOLICIES *cp = pki_ee_policies(qscd);
	int ok = cp != NULL &&
		 X509_add1_ext_i2d(x, NID_certificate_policies, cp, 0, X509V3_ADD_REPLACE) == 1;
	CERTIFICATEPOLICIES_free(cp);
	return ok ? 0 : -1;
}

static int profile_exts(X509 *x, X509 *issuer, const struct pki_subject *s)
{
	char url[1024];
	const char *base = config_get("ca.public_url");
	buf qc;
	int rc = -1;
	buf_init(&qc, 4096);
	if (pki_qcstatements_der(&qc, s->key_on_qscd) != 0)
		goto out;
	if (add_conf_ext(x, issuer, NID_key_usage, "critical,nonRepudiation") ||
	    add_policies(x, s->key_on_qscd) ||
	    add_der_ext(x, PKI_OID_QCSTATEMENTS, 0, qc.data, qc.len))
		goto out;
	snprintf(url, sizeof url, "URI:%s/crl/issuing.crl", base);
	if (add_conf_ext(x, issuer, NID_crl_distribution_points, url))
		goto out;
	snprintf(url, sizeof url, "OCSP;URI:%s/ocsp,caIssuers;URI:%s/depo/issuing.crt", base, base);
	if (add_conf_ext(x, issuer, NID_info_access, url) ||
	    add_conf_ext(x, issuer, NID_authority_key_identifier, "keyid:always") ||
	    add_conf_ext(x, issuer, NID_subject_key_identifier, "hash"))
		goto out;
	if (s->email != NULL && s->email[0] != '\0' && add_email(x, s->email) != 0)
		goto out;
	rc = 0;
out:
	buf_free(&qc);
	return rc;
}

X509 *pki_profile_build(EVP_PKEY *pub, const struct pki_subject *s, const unsigned char *serial,
			size_t serial_len, int64_t not_before, int64_t not_after, X509 *issuer,
			char *err, size_t n)
{
	X509 *x = X509_new(), *ret = NULL;
	X509_NAME *nm = NULL;
	ASN1_INTEGER *sn = ASN1_INTEGER_new();
	EVP_PKEY *ipub = X509_get0_pubkey(issuer);

	if (!tckn_valid(s->tckn)) {
		snprintf(err, n, "T.C. Kimlik No geçersiz.");
		goto out;
	}
	if (!utf8_valid(s->given_name, strlen(s->given_name)) ||
	    !utf8_valid(s->surname, strlen(s->surname)) || s->given_name[0] == '\0' ||
	    s->surname[0] == '\0') {
		snprintf(err, n, "Ad ve soyad geçerli değil.");
		goto out;
	}
	if (s->email != NULL && s->email[0] != '\0' &&
	    !issue_email_ok(s->email, strlen(s->email))) {
		snprintf(err, n, "E-posta adresi sertifikaya yazılamaz.");
		goto out;
	}
	if ((nm = pki_profile_subject(s, err, n)) == NULL)
		goto out;
	if (x == NULL || sn == NULL || ipub == NULL ||
	    !ASN1_STRING_set(sn, serial, (int)serial_len) || !X509_set_version(x, X509_VERSION_3) ||
	    !X509_set_serialNumber(x, sn) || !X509_set_subject_name(x, nm) ||
	    !X509_set_issuer_name(x, X509_get_subject_name(issuer)) ||
	    !ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after) || !X509_set_pubkey(x, pub) ||
	    profile_exts(x, issuer, s) != 0 || pki_set_tbs_sigalg(x, ipub) != 0) {
		pki_ssl_err(err, n, "Sertifika oluşturulamadı");
		goto out;
	}
	ret = x;
	x = NULL;
out:
	X509_free(x);
	X509_NAME_free(nm);
	ASN1_INTEGER_free(sn);
	return ret;
}

/* ---- the signer's check ---- */

static int check_subject(X509 *x, char *err, size_t n)
{
	X509_NAME *nm = X509_get_subject_name(x);
	int seen_c = 0, seen_cn = 0, seen_gn = 0, seen_sn = 0, seen_serial = 0;
	for (int i = 0; i < X509_NAME_entry_count(nm); i++) {
		X509_NAME_ENTRY *e = X509_NAME_get_entry(nm, i);
		ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
		const char *d = (const char *)ASN1_STRING_get0_data(v);
		int len = ASN1_STRING_length(v);
		switch (OBJ_obj2nid(X509_NAME_ENTRY_get_object(e))) {
		case NID_countryName:
			if (len != 2 || memcmp(d, "TR", 2) != 0)
				goto bad;
			seen_c++;
			break;
		case NID_commonName: seen_cn++; break;
		case NID_givenName: seen_gn++; break;
		case NID_surname: seen_sn++; break;
		case NID_serialNumber: {
			char t[12];
			if (len != 17 || memcmp(d, "PNOTR-", 6) != 0)
				goto bad;
			memcpy(t, d + 6, 11);
			t[11] = '\0';
			if (!tckn_valid(t))
				goto bad;
			seen_serial++;
			break;
		}
		default: goto bad;
		}
	}
	if (seen_c == 1 && seen_cn == 1 && seen_gn == 1 && seen_sn == 1 && seen_serial == 1)
		return 0;
bad:
	snprintf(err, n, "subject does not fit the natural-person profile");
	return -1;
}

/* The extension's value is exactly `want` (DER). */
static int ext_is(X509_EXTENSION *e, const void *want, size_t len)
{
	ASN1_OCTET_STRING *os = X509_EXTENSION_get_data(e);
	return (size_t)ASN1_STRING_length(os) == len &&
	       memcmp(ASN1_STRING_get0_data(os), want, len) == 0;
}

/* certificatePolicies and qcStatements are exactly what the profile
 * writes, both for a key on a card (QcSSCD, QCP-n-qscd) or both for a key
 * of unknown origin (neither): never one without the other. */
static int check_qc_and_policies(X509_EXTENSION *qc, X509_EXTENSION *pol)
{
	int match = 0;
	for (int qscd = 0; qscd <= 1 && !match; qscd++) {
		buf q;
		unsigned char *cpd = NULL;
		CERTIFICATEPOLICIES *cp = pki_ee_policies(qscd);
		int cl = cp ? i2d_CERTIFICATEPOLICIES(cp, &cpd) : -1;
		buf_init(&q, 4096);
		match = cl > 0 && pki_qcstatements_der(&q, qscd) == 0 &&
			ext_is(qc, q.data, q.len) && ext_is(pol, cpd, (size_t)cl);
		buf_free(&q);
		OPENSSL_free(cpd);
		CERTIFICATEPOLICIES_free(cp);
	}
	return match ? 0 : -1;
}

static int check_exts(X509 *x, X509 *issuer, char *err, size_t n)
{
	int count[8] = {0};
	ASN1_OBJECT *qc = OBJ_txt2obj(PKI_OID_QCSTATEMENTS, 1);
	X509_EXTENSION *qce = NULL, *pole = NULL;
	int rc = -1;
	for (int i = 0; i < X509_get_ext_count(x); i++) {
		X509_EXTENSION *e = X509_get_ext(x, i);
		ASN1_OBJECT *o = X509_EXTENSION_get_object(e);
		int crit = X509_EXTENSION_get_critical(e), k;
		switch (OBJ_obj2nid(o)) {
		case NID_key_usage:
			k = 0;
			if (!crit)
				goto bad;
			break;
		case NID_certificate_policies:
			k = 1;
			pole = e;
			break;
		case NID_crl_distribution_points: k = 2; break;
		case NID_info_access: k = 3; break;
		case NID_authority_key_identifier: k = 4; break;
		case NID_subject_key_identifier: k = 5; break;
		case NID_subject_alt_name: k = 6; break;
		default:
			if (OBJ_cmp(o, qc) != 0)
				goto bad;
			k = 7;
			qce = e;
		}
		if (++count[k] > 1 || (k != 0 && crit))
			goto bad;
	}
	for (int k = 0; k < 6; k++)
		if (count[k] != 1)
			goto bad;
	if (count[7] != 1)
		goto bad;
	if ((X509_get_extension_flags(x) & EXFLAG_INVALID) ||
	    X509_get_key_usage(x) != KU_NON_REPUDIATION || X509_check_ca(x) != 0)
		goto bad;
	if (check_qc_and_policies(qce, pole) != 0)
		goto bad;
	const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(issuer);
	if (aki == NULL || ski == NULL || ASN1_OCTET_STRING_cmp(aki, ski) != 0)
		goto bad;
	rc = 0;
	goto out;
bad:
	snprintf(err, n, "extensions do not fit the qualified-certificate profile");
out:
	ASN1_OBJECT_free(qc);
	return rc;
}

int pki_profile_key_on_qscd(X509 *x)
{
	CERTIFICATEPOLICIES *cp = X509_get_ext_d2i(x, NID_certificate_policies, NULL, NULL);
	ASN1_OBJECT *q = OBJ_txt2obj(PKI_OID_QCP_N_QSCD, 1);
	int found = 0;
	for (int i = 0; cp != NULL && q != NULL && i < sk_POLICYINFO_num(cp); i++)
		if (OBJ_cmp(sk_POLICYINFO_value(cp, i)->policyid, q) == 0)
			found = 1;
	ASN1_OBJECT_free(q);
	CERTIFICATEPOLICIES_free(cp);
	return found;
}

static int check_serial_validity(X509 *x, X509 *issuer, char *err, size_t n)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
	BIGNUM *bn = ASN1_INTEGER_to_BN(sn, NULL);
	int bits = bn ? BN_num_bits(bn) : 0, neg = bn ? BN_is_negative(bn) : 1;
	BN_free(bn);
	if (neg || bits < 64 || bits > 160) {
		snprintf(err, n, "serial must be positive with 64 to 160 bits");
		return -1;
	}
	int64_t nb = pki_time(X509_get0_notBefore(x)), na = pki_time(X509_get0_notAfter(x));
	int64_t ina = pki_time(X509_get0_notAfter(issuer));
	if (nb < 0 || na <= nb || na - nb > PKI_MAX_VALIDITY || na > ina) {
		snprintf(err, n, "validity outside the profile");
		return -1;
	}
	return 0;
}

int pki_profile_check(X509 *x, X509 *issuer, char *err, size_t n)
{
	char kerr[256];
	const ASN1_BIT_STRING *iuid = NULL, *suid = NULL;
	if (X509_get_version(x) != X509_VERSION_3) {
		snprintf(err, n, "not a v3 certificate");
		return -1;
	}
	if (X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(issuer)) != 0) {
		snprintf(err, n, "issuer is not the issuing CA");
		return -1;
	}
	X509_get0_uids(x, &iuid, &suid);
	if (iuid != NULL || suid != NULL) {
		snprintf(err, n, "unique identifiers are not allowed");
		return -1;
	}
	if (check_serial_validity(x, issuer, err, n) != 0 || check_subject(x, err, n) != 0)
		return -1;
	EVP_PKEY *pub = X509_get0_pubkey(x);
	if (pub == NULL || pki_ee_key_check(pub, kerr, sizeof kerr) != 0) {
		snprintf(err, n, "subject key refused by the key policy");
		return -1;
	}
	return check_exts(x, issuer, err, n);
}
