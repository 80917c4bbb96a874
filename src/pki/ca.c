/* The CA hierarchy on disk: root CA, issuing CA for qualified certificates,
 * OCSP responder. Files in the CA directory:
 *   root.key root.pem          self-signed, 20 years
 *   issuing.key issuing.pem    signed by root, 10 years, pathlen 0
 *   ocsp.key ocsp.pem          signed by issuing, 1 year, OCSPSigning+nocheck
 *   root.crl                   DER CRL of the root (empty unless the issuing
 *                              CA is revoked)
 * Keys are written 0600. These functions run in the CLI (eimza init, eimza
 * ca ...), never in the serving process. */
#include "pki/pki.h"
#include "pki/checkpoint.h"
#include "pki/internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define DAY 86400LL
#define CN_ROOT "eimza Kök Sertifika Hizmet Sağlayıcı"
#define CN_ISSUING "eimza Nitelikli Elektronik Sertifika Hizmet Sağlayıcı"
#define CN_OCSP "eimza Nitelikli Elektronik Sertifika Hizmet Sağlayıcı OCSP"

enum ca_kind { CA_ROOT, CA_ISSUING, CA_OCSP, CA_KIND__MAX };

static X509_NAME *ca_name(const char *cn)
{
	X509_NAME *nm = X509_NAME_new();
	if (nm == NULL)
		return NULL;
	const char *org = config_get("ca.name");
	if (!X509_NAME_add_entry_by_NID(nm, NID_countryName, MBSTRING_ASC,
					(const unsigned char *)"TR", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(nm, NID_organizationName, V_ASN1_UTF8STRING,
					(const unsigned char *)org, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(nm, NID_commonName, V_ASN1_UTF8STRING,
					(const unsigned char *)cn, -1, -1, 0)) {
		X509_NAME_free(nm);
		return NULL;
	}
	return nm;
}

static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	if (e == NULL)
		return -1;
	int ok = X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return ok ? 0 : -1;
}

static int ca_exts(X509 *x, X509 *issuer, enum ca_kind kind)
{
	X509V3_CTX ctx;
	char url[1024];
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	if (add_ext(x, &ctx, NID_subject_key_identifier, "hash") != 0 ||
	    add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always") != 0)
		return -1;
	switch (kind) {
	case CA_ROOT:
		return add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE") ||
		       add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
	case CA_ISSUING:
		snprintf(url, sizeof url, "URI:%s/crl/root.crl", config_get("ca.public_url"));
		return add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
		       add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign") ||
		       add_ext(x, &ctx, NID_crl_distribution_points, url) ||
		       pki_add_policies(x, (const char *const[]){"2.5.29.32.0"}, 1);
	case CA_OCSP:
		return add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") ||
		       add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature") ||
		       add_ext(x, &ctx, NID_ext_key_usage, "critical,OCSPSigning") ||
		       add_ext(x, &ctx, NID_id_pkix_OCSP_noCheck, "ignored");
	default: return -1;
	}
}

/* A CA-side certificate signed directly with the issuer's key (the CLI has
 * the key in hand). Caller frees. */
static X509 *ca_cert(enum ca_kind kind, EVP_PKEY *subject_key, X509 *issuer, EVP_PKEY *issuer_key,
		     int64_t days)
{
	static const char *const cns[CA_KIND__MAX] = {CN_ROOT, CN_ISSUING, CN_OCSP};
	X509 *x = X509_new(), *ret = NULL;
	X509_NAME *nm = ca_name(cns[kind]);
	ASN1_INTEGER *sn = NULL;
	unsigned char serial[PKI_SERIAL_LEN];
	int nid, ptype;
	const EVP_MD *md;
	int64_t now = clock_now();

	pki_random_serial(serial);
	sn = ASN1_INTEGER_new();
	if (x == NULL || nm == NULL || sn == NULL || !ASN1_STRING_set(sn, serial, sizeof serial) ||
	    !X509_set_version(x, X509_VERSION_3) || !X509_set_serialNumber(x, sn) ||
	    !X509_set_subject_name(x, nm) ||
	    !X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : nm) ||
	    !ASN1_TIME_set(X509_getm_notBefore(x), (time_t)now) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(now + days * DAY)) ||
	    !X509_set_pubkey(x, subject_key))
		goto out;
	if (ca_exts(x, issuer, kind) != 0)
		goto out;
	if (pki_sigalg(issuer ? X509_get0_pubkey(issuer) : issuer_key, &nid, &ptype, &md) != 0 ||
	    !X509_sign(x, issuer_key, md))
		goto out;
	ret = x;
	x = NULL;
out:
	X509_free(x);
	X509_NAME_free(nm);
	ASN1_INTEGER_free(sn);
	return ret;
}

static int dir_ready(const char *dir, char *err, size_t n)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, n, "%s oluşturulamadı: %s", dir, strerror(errno));
		return -1;
	}
	char p[4096];
	static const char *const files[] = {"root.key", "root.pem", "issuing.key", "issuing.pem"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (pki_path(p, sizeof p, dir, files[i]) != 0 || access(p, F_OK) == 0) {
			snprintf(err, n, "%s zaten var: mevcut bir SM üzerine yazılmaz.", p);
			return -1;
		}
	}
	return 0;
}

/* Issues a new OCSP responder key+certificate with the issuing key. */
static int make_ocsp(const char *dir, X509 *issuing, EVP_PKEY *issuing_key, const char *key_type,
		     char *err, size_t n)
{
	int rc = -1;
	char p[4096];
	EVP_PKEY *k = pki_keygen(key_type);
	X509 *x = NULL;
	if (k == NULL) {
		snprintf(err, n, "OCSP anahtarı üretilemedi (%s).", key_type);
		goto out;
	}
	x = ca_cert(CA_OCSP, k, issuing, issuing_key, 365);
	if (x == NULL) {
		pki_ssl_err(err, n, "OCSP sertifikası");
		goto out;
	}
	if (pki_path(p, sizeof p, dir, "ocsp.key") != 0 || pki_write_key(p, k, 1) != 0 ||
	    pki_path(p, sizeof p, dir, "ocsp.pem") != 0 || pki_write_cert(p, x) != 0) {
		snprintf(err, n, "OCSP dosyaları yazılamadı.");
		goto out;
	}
	rc = 0;
out:
	EVP_PKEY_free(k);
	X509_free(x);
	return rc;
}

int pki_ca_create(const char *dir, const char *key_type, char *err, size_t n)
{
	int rc = -1;
	char p[4096];
	EVP_PKEY *rk = NULL, *ik = NULL;
	X509 *root = NULL, *iss = NULL;
	if (key_type == NULL || key_type[0] == '\0')
		key_type = config_get("ca.key_type");
	if (dir_ready(dir, err, n) != 0)
		goto out;
	rk = pki_keygen(key_type);
	ik = pki_keygen(key_type);
	if (rk == NULL || ik == NULL) {
		snprintf(err, n, "Anahtar türü geçersiz: %s (rsa3072, rsa4096, p256, p384).",
			 key_type);
		goto out;
	}
	root = ca_cert(CA_ROOT, rk, NULL, rk, 20 * 365 + 5);
	iss = root ? ca_cert(CA_ISSUING, ik, root, rk, 10 * 365 + 2) : NULL;
	if (iss == NULL) {
		pki_ssl_err(err, n, "SM sertifikası üretilemedi");
		goto out;
	}
	if (pki_path(p, sizeof p, dir, "root.key") || pki_write_key(p, rk, 0) ||
	    pki_path(p, sizeof p, dir, "root.pem") || pki_write_cert(p, root) ||
	    pki_path(p, sizeof p, dir, "issuing.key") || pki_write_key(p, ik, 0) ||
	    pki_path(p, sizeof p, dir, "issuing.pem") || pki_write_cert(p, iss)) {
		snprintf(err, n, "SM dosyaları %s içine yazılamadı.", dir);
		goto out;
	}
	if (make_ocsp(dir, iss, ik, key_type, err, n) != 0)
		goto out;
	if (pki_ca_root_crl(dir, err, n) != 0)
		goto out;
	if (pki_audit_key_ensure(dir, err, n) != 0)
		goto out;
	log_info("pki: CA hierarchy (%s) created in %s", key_type, dir);
	rc = 0;
out:
	EVP_PKEY_free(rk);
	EVP_PKEY_free(ik);
	X509_free(root);
	X509_free(iss);
	return rc;
}

int pki_ca_renew_ocsp(const char *dir, int force, char *err, size_t n)
{
	int rc = -1;
	char p[4096];
	X509 *iss = NULL, *cur = NULL;
	EVP_PKEY *ik = NULL;
	if (pki_path(p, sizeof p, dir, "ocsp.pem") == 0 && (cur = pki_load_cert(p)) != NULL &&
	    !force) {
		/* Renew when fewer than 30 days remain. */
		time_t limit = (time_t)(clock_now() + 30 * DAY);
		if (X509_cmp_time(X509_get0_notAfter(cur), &limit) > 0) {
			rc = 0;
			goto out;
		}
	}
	if (pki_path(p, sizeof p, dir, "issuing.pem") || (iss = pki_load_cert(p)) == NULL ||
	    (ik = pki_load_issuing_key(dir, err, n)) == NULL) {
		if (iss == NULL)
			snprintf(err, n, "Veren SM sertifikası okunamadı (%s).", dir);
		goto out;
	}
	rc = make_ocsp(dir, iss, ik, config_get("ca.key_type"), err, n);
	if (rc == 0)
		log_info("pki: OCSP responder certificate renewed in %s", dir);
out:
	X509_free(iss);
	X509_free(cur);
	EVP_PKEY_free(ik);
	return rc;
}

/* Number of the current root.crl (0 if none). */
static long root_crl_number(const char *path)
{
	size_t len = 0;
	long num = 0;
	unsigned char *der = pki_read_file(path, 1 << 20, &len);
	const unsigned char *q = der;
	X509_CRL *c = der ? d2i_X509_CRL(NULL, &q, (long)len) : NULL;
	ASN1_INTEGER *ai = c ? X509_CRL_get_ext_d2i(c, NID_crl_number, NULL, NULL) : NULL;
	if (ai != NULL)
		num = ASN1_INTEGER_get(ai);
	ASN1_INTEGER_free(ai);
	X509_CRL_free(c);
	free(der);
	return num;
}

int pki_ca_root_crl(const char *dir, char *err, size_t n)
{
	int rc = -1, nid, ptype;
	char p[4096];
	const EVP_MD *md;
	X509 *root = NULL;
	EVP_PKEY *rk = NULL;
	X509_CRL *crl = NULL;
	ASN1_TIME *t = NULL;
	ASN1_INTEGER *num = NULL;
	unsigned char *der = NULL;
	X509V3_CTX ctx;
	int64_t now = clock_now();

	if (pki_path(p, sizeof p, dir, "root.pem") || (root = pki_load_cert(p)) == NULL ||
	    pki_path(p, sizeof p, dir, "root.key") || (rk = pki_load_key(p)) == NULL) {
		snprintf(err, n, "Kök SM sertifikası veya anahtarı okunamadı (%s).", dir);
		goto out;
	}
	if (pki_path(p, sizeof p, dir, "root.crl") != 0)
		goto out;
	crl = X509_CRL_new();
	t = ASN1_TIME_new();
	num = ASN1_INTEGER_new();
	if (crl == NULL || t == NULL || num == NULL ||
	    !X509_CRL_set_version(crl, X509_CRL_VERSION_2) ||
	    !X509_CRL_set_issuer_name(crl, X509_get_subject_name(root)) ||
	    !ASN1_TIME_set(t, (time_t)now) || !X509_CRL_set1_lastUpdate(crl, t) ||
	    !ASN1_TIME_set(t, (time_t)(now + 365 * DAY)) || !X509_CRL_set1_nextUpdate(crl, t) ||
	    !ASN1_INTEGER_set(num, root_crl_number(p) + 1) ||
	    !X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0))
		goto ssl;
	X509V3_set_ctx(&ctx, root, NULL, NULL, crl, 0);
	X509_EXTENSION *aki = X509V3_EXT_conf_nid(NULL, &ctx, NID_authority_key_identifier,
						  "keyid:always");
	if (aki == NULL)
		goto ssl;
	int added = X509_CRL_add_ext(crl, aki, -1);
	X509_EXTENSION_free(aki);
	if (!added || pki_sigalg(rk, &nid, &ptype, &md) != 0 || !X509_CRL_sign(crl, rk, md))
		goto ssl;
	int len = i2d_X509_CRL(crl, &der);
	if (len <= 0 || pki_write_file(p, der, (size_t)len, 0644) != 0) {
		snprintf(err, n, "%s yazılamadı.", p);
		goto out;
	}
	rc = 0;
	goto out;
ssl:
	pki_ssl_err(err, n, "Kök SİL üretilemedi");
out:
	X509_free(root);
	EVP_PKEY_free(rk);
	X509_CRL_free(crl);
	ASN1_TIME_free(t);
	ASN1_INTEGER_free(num);
	OPENSSL_free(der);
	return rc;
}

/* Reads every certificate of a PEM file. Caller frees the stack. */
static STACK_OF(X509) *load_chain(const char *path)
{
	FILE *f = fopen(path, "r");
	STACK_OF(X509) *sk = sk_X509_new_null();
	X509 *x;
	if (f == NULL || sk == NULL) {
		if (f)
			fclose(f);
		sk_X509_free(sk);
		return NULL;
	}
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL)
		sk_X509_push(sk, x);
	ERR_clear_error();
	fclose(f);
	return sk;
}

int pki_ca_import(const char *dir, const char *cert_pem_path, const char *key_pem_path,
		  const char *chain_path, char *err, size_t n)
{
	int rc = -1;
	char p[4096];
	X509 *iss = pki_load_cert(cert_pem_path), *root = NULL;
	EVP_PKEY *ik = pki_load_key(key_pem_path);
	STACK_OF(X509) *chain = chain_path ? load_chain(chain_path) : NULL;

	if (iss == NULL || ik == NULL) {
		snprintf(err, n, "Sertifika veya anahtar okunamadı.");
		goto out;
	}
	if (!X509_check_private_key(iss, ik)) {
		snprintf(err, n, "Anahtar sertifikaya ait değil.");
		goto out;
	}
	if (X509_check_ca(iss) == 0) {
		snprintf(err, n, "Sertifika bir SM sertifikası değil (CA:TRUE yok).");
		goto out;
	}
	for (int i = 0; chain && i < sk_X509_num(chain); i++) {
		X509 *c = sk_X509_value(chain, i);
		if (X509_check_issued(c, c) == X509_V_OK)
			root = c;
	}
	if (root == NULL) {
		snprintf(err, n, "Zincir dosyasında kök (kendinden imzalı) sertifika yok.");
		goto out;
	}
	if (dir_ready(dir, err, n) != 0)
		goto out;
	if (pki_path(p, sizeof p, dir, "root.pem") || pki_write_cert(p, root) ||
	    pki_path(p, sizeof p, dir, "issuing.key") || pki_write_key(p, ik, 0) ||
	    pki_path(p, sizeof p, dir, "issuing.pem") || pki_write_cert(p, iss)) {
		snprintf(err, n, "SM dosyaları %s içine yazılamadı.", dir);
		goto out;
	}
	if (make_ocsp(dir, iss, ik, config_get("ca.key_type"), err, n) != 0)
		goto out;
	log_info("pki: CA imported into %s (no root key: root.crl is the root's business)", dir);
	rc = 0;
out:
	X509_free(iss);
	EVP_PKEY_free(ik);
	sk_X509_pop_free(chain, X509_free);
	return rc;
}
