/* The end-entity profile (docs/PROFILE.md) as a table: certificates are
 * issued by the signer (ISSUE_CERT), every extension is decoded with
 * OpenSSL and each OID and value is compared with the table. Also: a CSR's
 * key never gets QcSSCD or QCP-n-qscd, KEY_ON_QSCD is honoured only for an
 * enabled card profile, the key rules of ca.ee_key_types, and the profile
 * configuration check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "helpers.h"
#include "pki/internal.h"
#include "pki/issue_msg.h"
#include "pki/nes_policy.h"
#include "pki/pki.h"
#include "pki/profile.h"
#include "pki/signer.h"
#include "util/config.h"

#define HOLDER "10000000146"
#define BASE "http://127.0.0.1:8080"
#define NOTICE \
	"Bu sertifika, 5070 sayılı Elektronik İmza Kanunu kapsamında nitelikli elektronik " \
	"sertifikadır."

static char *tmp;
static char cadir[512];

static int setup(void **state)
{
	(void)state;
	char err[256] = "";
	tmp = tp_tmpdir();
	snprintf(cadir, sizeof cadir, "%s/ca", tmp);
	/* The forked signer reads the configuration it was started with. */
	config_set("ca.card_profiles", "1");
	config_set("ca.qc_limit_try", "5000");
	/* As `eimza card produce`: the only signer that grants the card
	 * profiles (test_qscd_refused also starts one that does not). */
	signer_set_card_client(1);
	if (pki_ca_create(cadir, "p384", err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(pki_init(cadir), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pki_shutdown();
	tp_rmtree(tmp);
	free(tmp);
	return 0;
}

/* A new signer with the configuration as it is now. */
static void restart_signer(void)
{
	assert_int_equal(signer_start(cadir), 0);
}

static unsigned char *csr_der(EVP_PKEY *key, int *len)
{
	X509_REQ *r = X509_REQ_new();
	unsigned char *der = NULL;
	assert_non_null(r);
	assert_int_equal(X509_REQ_set_pubkey(r, key), 1);
	/* Ed25519 signs without a separate digest */
	assert_true(X509_REQ_sign(r, key, EVP_PKEY_is_a(key, "ED25519") ? NULL : EVP_sha256()) > 0);
	*len = i2d_X509_REQ(r, &der);
	assert_true(*len > 0);
	X509_REQ_free(r);
	return der;
}

/* Issues through the signer; NULL with its refusal in err. */
static X509 *issue(EVP_PKEY *key, const char *profile, int qscd, const char *email, char *err,
		   size_t n)
{
	int len;
	unsigned char *csr = csr_der(key, &len), *out = NULL;
	struct issue_msg m = {.csr = csr, .csr_len = (size_t)len, .key_on_qscd = qscd};
	size_t ol = 0;
	buf b;
	X509 *x = NULL;
	snprintf(m.profile, sizeof m.profile, "%s", profile);
	snprintf(m.tckn, sizeof m.tckn, HOLDER);
	snprintf(m.given_name, sizeof m.given_name, "AYŞE");
	snprintf(m.surname, sizeof m.surname, "IŞIK");
	snprintf(m.email, sizeof m.email, "%s", email ? email : "");
	buf_init(&b, ISSUE_MSG_MAX);
	assert_int_equal(issue_msg_encode(&m, &b), 0);
	if (signer_sign(SIGNER_ISSUE_CERT, b.data, b.len, &out, &ol, err, n) == 0) {
		const unsigned char *p = out;
		x = d2i_X509(NULL, &p, (long)ol);
		assert_non_null(x);
	}
	free(out);
	buf_free(&b);
	OPENSSL_free(csr);
	return x;
}

/* ---- an ASN.1 value as compact text, decoded by OpenSSL ---- */

static void render(const ASN1_TYPE *t, char *out, size_t n);

static void append(char *out, size_t n, const char *s)
{
	size_t l = strlen(out);
	snprintf(out + l, n - l, "%s", s);
}

/* "{a,b,...}" of a SEQUENCE's DER. */
static void render_seq(const unsigned char *der, long len, char *out, size_t n)
{
	const unsigned char *p = der;
	ASN1_SEQUENCE_ANY *seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, len);
	assert_non_null(seq);
	assert_ptr_equal(p, der + len);
	append(out, n, "{");
	for (int i = 0; i < sk_ASN1_TYPE_num(seq); i++) {
		if (i > 0)
			append(out, n, ",");
		render(sk_ASN1_TYPE_value(seq, i), out, n);
	}
	append(out, n, "}");
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
}

static void render(const ASN1_TYPE *t, char *out, size_t n)
{
	char s[600];
	const ASN1_STRING *v = t->value.asn1_string;
	switch (t->type) {
	case V_ASN1_OBJECT:
		OBJ_obj2txt(s, sizeof s, t->value.object, 1);
		append(out, n, "oid:");
		append(out, n, s);
		return;
	case V_ASN1_PRINTABLESTRING:
	case V_ASN1_IA5STRING:
	case V_ASN1_UTF8STRING:
		snprintf(s, sizeof s, "%s:%.*s",
			 t->type == V_ASN1_PRINTABLESTRING ? "ps"
			 : t->type == V_ASN1_IA5STRING	   ? "ia5"
							   : "utf8",
			 ASN1_STRING_length(v), (const char *)ASN1_STRING_get0_data(v));
		append(out, n, s);
		return;
	case V_ASN1_INTEGER:
		snprintf(s, sizeof s, "int:%ld", ASN1_INTEGER_get(t->value.integer));
		append(out, n, s);
		return;
	case V_ASN1_SEQUENCE:
		render_seq(ASN1_STRING_get0_data(v), ASN1_STRING_length(v), out, n);
		return;
	default: fail_msg("unexpected ASN.1 type %d", t->type);
	}
}

/* The extension's value as text. */
static void ext_text(X509_EXTENSION *e, char *out, size_t n)
{
	ASN1_OCTET_STRING *os = X509_EXTENSION_get_data(e);
	out[0] = '\0';
	render_seq(ASN1_STRING_get0_data(os), ASN1_STRING_length(os), out, n);
}

/* ---- the profile table ---- */

/* qcStatements, one statement a row: its value when the key is of unknown
 * origin (csr) and when it was generated on a card (card). */
static const struct {
	const char *id, *info; /* info NULL: no statementInfo */
	int csr, card;
	const char *clause;
} qc_table[] = {
	{"1.3.6.1.5.5.7.11.2", "{oid:0.4.0.194121.1.1}", 1, 1,
	 "EN 319 412-1 5.1.3, RFC 3739 3.2.6.1"},
	{"0.4.0.1862.1.1", NULL, 1, 1, "EN 319 412-5 4.2.1"},
	{"0.4.0.1862.1.7", "{ps:TR}", 1, 1, "EN 319 412-5 4.2.4"},
	{"2.16.792.1.61.0.1.5070.1.1", NULL, 1, 1, "BTK 2012 NES profile"},
	{"0.4.0.1862.1.4", NULL, 0, 1, "EN 319 412-5 4.2.2"},
	{"0.4.0.1862.1.6", "{oid:0.4.0.1862.1.6.1}", 1, 1, "EN 319 412-5 4.2.3"},
	{"0.4.0.1862.1.5",
	 "{{ia5:" BASE "/depo/pds-tr.txt,ps:tr},{ia5:" BASE "/depo/pds-en.txt,ps:en}}", 1, 1,
	 "EN 319 412-5 4.3.3"},
	{"0.4.0.1862.1.2", "{ps:TRY,int:5000,int:0}", 1, 1, "EN 319 412-5 4.3.1"},
};

/* The whole qcStatements value the table says, as ext_text renders it. */
static void qc_expected(int card, char *out, size_t n)
{
	out[0] = '\0';
	append(out, n, "{");
	int first = 1;
	for (size_t i = 0; i < sizeof qc_table / sizeof qc_table[0]; i++) {
		if (!(card ? qc_table[i].card : qc_table[i].csr))
			continue;
		append(out, n, first ? "{oid:" : ",{oid:");
		append(out, n, qc_table[i].id);
		if (qc_table[i].info != NULL) {
			append(out, n, ",");
			append(out, n, qc_table[i].info);
		}
		append(out, n, "}");
		first = 0;
	}
	append(out, n, "}");
}

/* certificatePolicies: the NES policy with CPS URI and user notice
 * (explicitText a UTF8String: the rendering says utf8), then QCP-n-qscd
 * for a card's key. RFC 5280 4.2.1.4, EN 319 412-2 4.3.3. */
static void policies_expected(int card, char *out, size_t n)
{
	snprintf(out, n,
		 "{{oid:2.16.792.1.2.1.1.5.7.1.1,{{oid:1.3.6.1.5.5.7.2.1,ia5:" BASE
		 "/depo/sue-tr.txt},{oid:1.3.6.1.5.5.7.2.2,{utf8:" NOTICE "}}}}%s}",
		 card ? ",{oid:0.4.0.194112.1.2}" : "");
}

/* Checks x against the table: every extension in order, its criticality
 * and its value. */
static void assert_profile(X509 *x, int card, const char *email)
{
	char got[4096], want[4096], hex[64];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdl = 0;
	X509 *ca = pki_issuing_cert();
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(ca);
	assert_int_equal(X509_pubkey_digest(x, EVP_sha1(), md, &mdl), 1);
	/* SKI: RFC 5280 4.2.1.2 method (1), SHA-1 of the subjectPublicKey. */
	hex[0] = '\0';
	for (unsigned i = 0; i < mdl; i++)
		snprintf(hex + 2 * i, sizeof hex - 2 * i, "%02X", md[i]);
	/* The extensions in order and their criticality; values below. */
	static const struct {
		const char *oid;
		int critical;
	} rows[] = {
		{"2.5.29.15", 1},	  /* keyUsage: RFC 5280 4.2.1.3, EN 319 412-2 4.3.2 */
		{"2.5.29.32", 0},	  /* certificatePolicies: RFC 5280 4.2.1.4 */
		{"1.3.6.1.5.5.7.1.3", 0}, /* qcStatements: EN 319 412-5 */
		{"2.5.29.31", 0},	  /* cRLDistributionPoints: RFC 5280 4.2.1.13 */
		{"1.3.6.1.5.5.7.1.1", 0}, /* authorityInfoAccess: RFC 5280 4.2.2.1 */
		{"2.5.29.35", 0},	  /* authorityKeyIdentifier: RFC 5280 4.2.1.1 */
		{"2.5.29.14", 0},	  /* subjectKeyIdentifier: RFC 5280 4.2.1.2 */
		{"2.5.29.17", 0},	  /* subjectAltName: a proven e-mail only */
	};
	int nrows = email ? 8 : 7;
	assert_int_equal(X509_get_version(x), X509_VERSION_3);
	assert_int_equal(X509_get_ext_count(x), nrows);
	for (int i = 0; i < nrows; i++) {
		X509_EXTENSION *e = X509_get_ext(x, i);
		OBJ_obj2txt(got, sizeof got, X509_EXTENSION_get_object(e), 1);
		assert_string_equal(got, rows[i].oid);
		assert_int_equal(X509_EXTENSION_get_critical(e), rows[i].critical);
	}
	/* keyUsage: nonRepudiation only (EN 319 412-2 4.3.2). */
	assert_int_equal(X509_get_key_usage(x), KU_NON_REPUDIATION);
	ext_text(X509_get_ext(x, 1), got, sizeof got);
	policies_expected(card, want, sizeof want);
	assert_string_equal(got, want);
	ext_text(X509_get_ext(x, 2), got, sizeof got);
	qc_expected(card, want, sizeof want);
	assert_string_equal(got, want);
	/* CRL DP: one full name, the issuing CA's CRL. */
	CRL_DIST_POINTS *dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
	assert_non_null(dps);
	assert_int_equal(sk_DIST_POINT_num(dps), 1);
	DIST_POINT *dp = sk_DIST_POINT_value(dps, 0);
	assert_null(dp->reasons);
	assert_null(dp->CRLissuer);
	assert_int_equal(dp->distpoint->type, 0);
	assert_int_equal(sk_GENERAL_NAME_num(dp->distpoint->name.fullname), 1);
	GENERAL_NAME *g = sk_GENERAL_NAME_value(dp->distpoint->name.fullname, 0);
	assert_int_equal(g->type, GEN_URI);
	assert_string_equal((const char *)ASN1_STRING_get0_data(g->d.uniformResourceIdentifier),
			    BASE "/crl/issuing.crl");
	CRL_DIST_POINTS_free(dps);
	/* AIA: OCSP then caIssuers. */
	AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
	assert_non_null(aia);
	assert_int_equal(sk_ACCESS_DESCRIPTION_num(aia), 2);
	static const struct {
		int nid;
		const char *uri;
	} ad[] = {{NID_ad_OCSP, BASE "/ocsp"}, {NID_ad_ca_issuers, BASE "/depo/issuing.crt"}};
	for (int i = 0; i < 2; i++) {
		ACCESS_DESCRIPTION *a = sk_ACCESS_DESCRIPTION_value(aia, i);
		assert_int_equal(OBJ_obj2nid(a->method), ad[i].nid);
		assert_int_equal(a->location->type, GEN_URI);
		assert_string_equal((const char *)ASN1_STRING_get0_data(
					    a->location->d.uniformResourceIdentifier),
				    ad[i].uri);
	}
	AUTHORITY_INFO_ACCESS_free(aia);
	/* AKI: the keyIdentifier only, the issuing CA's SKI. */
	AUTHORITY_KEYID *aki = X509_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
	assert_non_null(aki);
	assert_null(aki->issuer);
	assert_null(aki->serial);
	assert_int_equal(ASN1_OCTET_STRING_cmp(aki->keyid, ski), 0);
	AUTHORITY_KEYID_free(aki);
	ASN1_OCTET_STRING *sk = X509_get_ext_d2i(x, NID_subject_key_identifier, NULL, NULL);
	char *skh = OPENSSL_buf2hexstr(ASN1_STRING_get0_data(sk), ASN1_STRING_length(sk));
	char flat[64] = "";
	for (const char *p = skh; *p && strlen(flat) < sizeof flat - 1; p++)
		if (*p != ':')
			flat[strlen(flat)] = *p;
	assert_string_equal(flat, hex);
	OPENSSL_free(skh);
	ASN1_OCTET_STRING_free(sk);
	if (email != NULL) {
		GENERAL_NAMES *san = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
		assert_non_null(san);
		assert_int_equal(sk_GENERAL_NAME_num(san), 1);
		g = sk_GENERAL_NAME_value(san, 0);
		assert_int_equal(g->type, GEN_EMAIL);
		assert_string_equal((const char *)ASN1_STRING_get0_data(g->d.rfc822Name), email);
		GENERAL_NAMES_free(san);
	}
	/* Subject: C, CN, GN, SN, serialNumber (EN 319 412-2 4.2.4, EN 319
	 * 412-1 5.1.3). */
	X509_NAME *nm = X509_get_subject_name(x);
	static const struct {
		int nid, type;
		const char *v;
	} subj[] = {
		{NID_countryName, V_ASN1_PRINTABLESTRING, "TR"},
		{NID_commonName, V_ASN1_UTF8STRING, "AYŞE IŞIK"},
		{NID_givenName, V_ASN1_UTF8STRING, "AYŞE"},
		{NID_surname, V_ASN1_UTF8STRING, "IŞIK"},
		{NID_serialNumber, V_ASN1_PRINTABLESTRING, "PNOTR-" HOLDER},
	};
	assert_int_equal(X509_NAME_entry_count(nm), 5);
	for (int i = 0; i < 5; i++) {
		X509_NAME_ENTRY *ne = X509_NAME_get_entry(nm, i);
		ASN1_STRING *v = X509_NAME_ENTRY_get_data(ne);
		assert_int_equal(OBJ_obj2nid(X509_NAME_ENTRY_get_object(ne)), subj[i].nid);
		assert_int_equal(ASN1_STRING_type(v), subj[i].type);
		assert_int_equal(ASN1_STRING_length(v), (int)strlen(subj[i].v));
		assert_memory_equal(ASN1_STRING_get0_data(v), subj[i].v, strlen(subj[i].v));
	}
	/* A P-384 issuing CA signs with ecdsa-with-SHA384. */
	assert_int_equal(X509_get_signature_nid(x), NID_ecdsa_with_SHA384);
}

/* openssl verify -x509_strict with the chain. */
static void assert_strict(X509 *x, const char *name)
{
	char p[600], *out = NULL;
	snprintf(p, sizeof p, "%s/%s.pem", tmp, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
	if (tp_sh(&out,
		  "openssl verify -x509_strict -CAfile %s/root.pem -untrusted %s/issuing.pem %s",
		  cadir, cadir, p) != 0 ||
	    strstr(out, ": OK") == NULL)
		fail_msg("openssl verify -x509_strict: %s", out);
	free(out);
}

/* A CSR's key: the table's csr column, neither QcSSCD nor QCP-n-qscd. */
static void test_csr_profile(void **state)
{
	(void)state;
	char err[256] = "";
	EVP_PKEY *k = pki_keygen("p256");
	X509 *x = issue(k, "qualified-2y", 0, NULL, err, sizeof err);
	if (x == NULL)
		fail_msg("refused: %s", err);
	assert_profile(x, 0, NULL);
	assert_int_equal(pki_profile_key_on_qscd(x), 0);
	assert_strict(x, "csr");
	X509_free(x);
	x = issue(k, "qualified-1y", 0, "ayse@example.org", err, sizeof err);
	assert_non_null(x);
	assert_profile(x, 0, "ayse@example.org");
	X509_free(x);
	EVP_PKEY_free(k);
}

/* A card profile's key: QcSSCD and QCP-n-qscd, both. */
static void test_card_profile(void **state)
{
	(void)state;
	char err[256] = "";
	EVP_PKEY *k = pki_keygen("p384");
	X509 *x = issue(k, "qualified-card-3y", 1, NULL, err, sizeof err);
	if (x == NULL)
		fail_msg("refused: %s", err);
	assert_profile(x, 1, NULL);
	assert_int_equal(pki_profile_key_on_qscd(x), 1);
	assert_strict(x, "card");
	X509_free(x);
	EVP_PKEY_free(k);
}

/* KEY_ON_QSCD without a card profile, a card profile without it, card
 * profiles while ca.card_profiles is 0, and card profiles asked of a signer
 * that does not serve card production (serve's, any other command's):
 * refused. */
static void test_qscd_refused(void **state)
{
	(void)state;
	static const struct {
		const char *profile;
		int qscd, enabled, card_client;
		const char *why;
	} rows[] = {
		{"qualified-1y", 1, 1, 1, "only with a card profile"},
		{"qualified-card-1y", 0, 1, 1, "only with a card profile, and required"},
		{"qualified-card-1y", 1, 0, 1, "is not enabled"},
		{"qualified-1y", 1, 0, 1, "only with a card profile"},
		{"qualified-card-1y", 1, 1, 0, "only for the card producer"},
		{"qualified-card-3y", 1, 1, 0, "only for the card producer"},
	};
	EVP_PKEY *k = pki_keygen("p256");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char err[256] = "";
		config_set("ca.card_profiles", rows[i].enabled ? "1" : "0");
		signer_set_card_client(rows[i].card_client);
		restart_signer();
		X509 *x = issue(k, rows[i].profile, rows[i].qscd, NULL, err, sizeof err);
		if (x != NULL || strstr(err, rows[i].why) == NULL)
			fail_msg("row %zu: %s '%s'", i, x ? "signed" : "refused", err);
	}
	config_set("ca.card_profiles", "1");
	signer_set_card_client(1);
	restart_signer();
	/* KEY_ON_QSCD is the byte 1 and nothing else */
	static const unsigned char bad[][2] = {{2, 1}, {0, 1}, {1, 2}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[256] = "";
		int len;
		unsigned char *csr = csr_der(k, &len), *out = NULL;
		struct issue_msg m = {.csr = csr, .csr_len = (size_t)len};
		size_t ol = 0, vl = bad[i][1];
		buf b;
		snprintf(m.profile, sizeof m.profile, "qualified-card-1y");
		snprintf(m.tckn, sizeof m.tckn, HOLDER);
		snprintf(m.given_name, sizeof m.given_name, "A");
		snprintf(m.surname, sizeof m.surname, "B");
		buf_init(&b, ISSUE_MSG_MAX);
		assert_int_equal(issue_msg_encode(&m, &b), 0);
		unsigned char h[3] = {ISSUE_F_KEY_ON_QSCD, 0, (unsigned char)vl};
		buf_append(&b, h, 3);
		buf_append(&b, bad[i], vl);
		assert_int_equal(signer_sign(SIGNER_ISSUE_CERT, b.data, b.len, &out, &ol, err,
					     sizeof err),
				 -1);
		if (strstr(err, "key on qscd") == NULL)
			fail_msg("row %zu: '%s'", i, err);
		free(out);
		buf_free(&b);
		OPENSSL_free(csr);
	}
	EVP_PKEY_free(k);
}

/* ca.ee_key_types and the key policy: which keys the signer certifies. */
static void test_key_rules(void **state)
{
	(void)state;
	static const struct {
		const char *types, *key; /* key: pki_keygen name, or "rsa1024"/"p521"/"ed25519" */
		int ok;
	} rows[] = {
		{"rsa,p256,p384", "p256", 1},
		{"rsa,p256,p384", "p384", 1},
		{"rsa,p256,p384", "rsa2048", 1},
		{"rsa,p256,p384", "rsa1024", 0},
		{"rsa,p256,p384", "p521", 0},
		{"rsa,p256,p384", "ed25519", 0},
		{"p384", "p256", 0},
		{"p384", "rsa3072", 0},
		{"p384", "p384", 1},
		{"rsa", "rsa3072", 1},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char err[256] = "";
		EVP_PKEY *k;
		if (strcmp(rows[i].key, "rsa1024") == 0)
			k = EVP_RSA_gen(1024);
		else if (strcmp(rows[i].key, "rsa2048") == 0)
			k = EVP_RSA_gen(2048);
		else if (strcmp(rows[i].key, "p521") == 0)
			k = EVP_EC_gen("P-521");
		else if (strcmp(rows[i].key, "ed25519") == 0)
			k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		else
			k = pki_keygen(rows[i].key);
		assert_non_null(k);
		config_set("ca.ee_key_types", rows[i].types);
		restart_signer();
		X509 *x = issue(k, "qualified-1y", 0, NULL, err, sizeof err);
		if ((x != NULL) != rows[i].ok)
			fail_msg("row %zu (%s, %s): %s %s", i, rows[i].types, rows[i].key,
				 x ? "signed" : "refused", err);
		X509_free(x);
		EVP_PKEY_free(k);
	}
	config_set("ca.ee_key_types", "rsa,p256,p384");
	restart_signer();
}

/* The configuration check of init and the signer. */
static void test_config_check(void **state)
{
	(void)state;
	static const struct {
		const char *key, *value;
		const char *why; /* NULL: accepted */
	} rows[] = {
		{"ca.policy_oid", "2.16.792.1.2.1.1.5.7.1.1", NULL},
		{"ca.policy_oid", "2.16.792.1.2.1.1.5.7.1.9",
		 "ca.policy_oid (2.16.792.1.2.1.1.5.7.1.9)"},
		{"ca.policy_oid", "2.23.140.1.1", "TLS/EV"},
		{"ca.policy_oid", "2.23.140.1.2.2", "TLS/EV"},
		{"ca.policy_oid", "2.5.29.32.0", "anyPolicy"},
		{"ca.policy_oid", "2.23.1400.1", NULL},
		{"ca.policy_oid", "anyPolicy", "geçerli bir nesne"},
		{"ca.public_url", "http://ca.example.org", "ca.public_url"},
		{"ca.public_url", "https://ca.example.org", NULL},
		{"ca.cps_url", "ftp://x", "ca.cps_url"},
		{"ca.policy_notice", "", "ca.policy_notice"},
		{"ca.qc_limit_try", "-5", "ca.qc_limit_try"},
		{"ca.ee_key_types", "rsa,p521", "ca.ee_key_types"},
		{"ca.ee_key_types", "", "ca.ee_key_types"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char err[512] = "", old[256];
		snprintf(old, sizeof old, "%s", config_get(rows[i].key));
		config_set(rows[i].key, rows[i].value);
		int rc = pki_policy_config_check(err, sizeof err);
		config_set(rows[i].key, old);
		if (rows[i].why == NULL ? rc != 0 : rc == 0 || strstr(err, rows[i].why) == NULL)
			fail_msg("row %zu (%s=%s): rc %d '%s'", i, rows[i].key, rows[i].value, rc,
				 err);
	}
	/* and the signer does not start under a TLS policy */
	config_set("ca.policy_oid", "2.23.140.1.2.1");
	assert_int_equal(signer_start(cadir), -1);
	config_set("ca.policy_oid", "2.16.792.1.2.1.1.5.7.1.1");
	restart_signer();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csr_profile),  cmocka_unit_test(test_card_profile),
		cmocka_unit_test(test_qscd_refused), cmocka_unit_test(test_key_rules),
		cmocka_unit_test(test_config_check),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
