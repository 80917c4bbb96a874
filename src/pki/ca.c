/* The CA hierarchy on disk: root CA, issuing CA for qualified certificates,
 * OCSP responder. Files in the CA directory:
 *   root.pem                   self-signed, 20 years
 *   issuing.pem                signed by root, 10 years, pathlen 0
 *   ocsp.pem                   signed by issuing, ca.ocsp_days, OCSPSigning+nocheck
 *                              (the first one: the signer renews it, see
 *                              signer_ocsp.c, and keeps the renewals in its
 *                              journal, not in this file)
 *   root.crl                   DER CRL of the root (empty unless the issuing
 *                              CA is revoked), signed at the root ceremony
 *   keys.conf, token/          where the issuing and OCSP keys are: on a
 *   (or issuing.key ocsp.key)  PKCS#11 token, or encrypted PKCS#8 files
 *                              (keystore.h)
 * The root key is written encrypted into the offline directory (default
 * <dir>/offline, to be moved to offline storage) and read again only by the
 * ceremony command. These functions run in the CLI (eimza init, eimza ca
 * ...), never in the serving process. */
#include "pki/pki.h"
#include "pki/checkpoint.h"
#include "pki/pinseal.h"
#include "pki/internal.h"
#include "pki/keystore.h"
#include "pki/ocsp_cert.h"

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
#define CN_ROOT "e-İmza Kök Sertifika Hizmet Sağlayıcı"
#define CN_ISSUING "e-İmza Nitelikli Elektronik Sertifika Hizmet Sağlayıcı"
#define CN_OCSP "e-İmza Nitelikli Elektronik Sertifika Hizmet Sağlayıcı OCSP"

enum ca_kind { CA_ROOT, CA_ISSUING, CA_KIND__MAX };

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

static int ca_exts(X509 *x, X509 *issuer, enum ca_kind kind)
{
	X509V3_CTX ctx;
	char url[1024];
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	if (pki_add_ext(x, &ctx, NID_subject_key_identifier, "hash") != 0 ||
	    pki_add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always") != 0)
		return -1;
	switch (kind) {
	case CA_ROOT:
		return pki_add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE") ||
		       pki_add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
	case CA_ISSUING:
		snprintf(url, sizeof url, "URI:%s/crl/root.crl", config_get("ca.public_url"));
		return pki_add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
		       pki_add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign") ||
		       pki_add_ext(x, &ctx, NID_crl_distribution_points, url) ||
		       pki_add_policies(x, (const char *const[]){"2.5.29.32.0"}, 1);
	default: return -1;
	}
}

/* A CA-side certificate signed directly with the issuer's key (the CLI has
 * the key in hand). Caller frees. */
static X509 *ca_cert(enum ca_kind kind, EVP_PKEY *subject_key, X509 *issuer, EVP_PKEY *issuer_key,
		     int64_t days)
{
	static const char *const cns[CA_KIND__MAX] = {CN_ROOT, CN_ISSUING};
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
	static const char *const files[] = {"root.key",	   "root.pem", "issuing.key",
					    "issuing.pem", KEYS_CONF,  "token"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (pki_path(p, sizeof p, dir, files[i]) != 0 || access(p, F_OK) == 0) {
			snprintf(err, n, "%s zaten var: mevcut bir SM üzerine yazılmaz.", p);
			return -1;
		}
	}
	return 0;
}

/* Certifies the OCSP responder key `subject` (a public key) with the
 * issuing key (life ca.ocsp_days) and writes ocsp.pem. */
static int make_ocsp(const char *dir, X509 *issuing, EVP_PKEY *issuing_key, EVP_PKEY *subject,
		     char *err, size_t n)
{
	char p[4096];
	unsigned char serial[PKI_SERIAL_LEN];
	X509_NAME *nm = ca_name(CN_OCSP);
	X509 *x = NULL;
	if (nm == NULL) {
		pki_ssl_err(err, n, "OCSP sertifikası");
		return -1;
	}
	pki_random_serial(serial);
	x = pki_ocsp_cert_make(issuing, issuing_key, subject, nm, serial, sizeof serial,
			       clock_now(), pki_ocsp_cert_life());
	X509_NAME_free(nm);
	if (x == NULL) {
		pki_ssl_err(err, n, "OCSP sertifikası");
		return -1;
	}
	int rc = pki_path(p, sizeof p, dir, "ocsp.pem") || pki_write_cert(p, x) ? -1 : 0;
	if (rc != 0)
		snprintf(err, n, "OCSP sertifikası yazılamadı.");
	X509_free(x);
	return rc;
}

/* The root key, encrypted under a new passphrase file, into the offline
 * directory (created 0700): root.key + root.pass. */
static int write_offline_root(const char *out_dir, EVP_PKEY *rk, char *err, size_t n)
{
	char p[4096], pass[KEYS_PASS_MAX] = "";
	int rc = -1;
	if (mkdir(out_dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, n, "%s oluşturulamadı: %s", out_dir, strerror(errno));
		return -1;
	}
	if (pki_path(p, sizeof p, out_dir, "root.key") != 0 || access(p, F_OK) == 0) {
		snprintf(err, n, "%s zaten var.", p);
		return -1;
	}
	if (pki_path(p, sizeof p, out_dir, "root.pass") ||
	    pki_secret_create(p, pass, sizeof pass)) {
		snprintf(err, n, "%s yazılamadı.", p);
		goto out;
	}
	if (pki_path(p, sizeof p, out_dir, "root.key") || pki_key_write_encrypted(p, rk, pass)) {
		snprintf(err, n, "%s yazılamadı.", p);
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(pass, sizeof pass);
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

/* Signs the next root CRL (empty: the root has revoked nothing; valid
 * ca.root_crl_days; AKI, AIA caIssuers <ca.public_url>/depo/root.crt and
 * the next CRL number) with rk and writes dir/root.crl. Its number into *number. */
static int root_crl_sign(const char *dir, X509 *root, EVP_PKEY *rk, long *number, char *err,
			 size_t n)
{
	int rc = -1, nid, ptype;
	char p[4096];
	const EVP_MD *md;
	X509_CRL *crl = NULL;
	ASN1_TIME *t = NULL;
	ASN1_INTEGER *num = NULL;
	unsigned char *der = NULL;
	X509V3_CTX ctx;
	int64_t now = clock_now();

	if (pki_path(p, sizeof p, dir, "root.crl") != 0)
		goto out;
	*number = root_crl_number(p) + 1;
	int64_t days = config_get_int("ca.root_crl_days");
	if (days < 1 || days > PKI_ROOT_CRL_DAYS_MAX) {
		snprintf(err, n, "ca.root_crl_days 1 ile %d arasında olmalıdır.",
			 PKI_ROOT_CRL_DAYS_MAX);
		goto out;
	}
	crl = X509_CRL_new();
	t = ASN1_TIME_new();
	num = ASN1_INTEGER_new();
	if (crl == NULL || t == NULL || num == NULL ||
	    !X509_CRL_set_version(crl, X509_CRL_VERSION_2) ||
	    !X509_CRL_set_issuer_name(crl, X509_get_subject_name(root)) ||
	    !ASN1_TIME_set(t, (time_t)now) || !X509_CRL_set1_lastUpdate(crl, t) ||
	    !ASN1_TIME_set(t, (time_t)(now + days * DAY)) || !X509_CRL_set1_nextUpdate(crl, t) ||
	    !ASN1_INTEGER_set(num, *number) ||
	    !X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0))
		goto ssl;
	X509V3_set_ctx(&ctx, root, NULL, NULL, crl, 0);
	X509_EXTENSION *aki = X509V3_EXT_conf_nid(NULL, &ctx, NID_authority_key_identifier,
						  "keyid:always");
	if (aki == NULL)
		goto ssl;
	int added = X509_CRL_add_ext(crl, aki, -1);
	X509_EXTENSION_free(aki);
	/* caIssuers: where the root certificate is published (RFC 5280 5.2.7). */
	char url[PKI_URL_MAX], aia[PKI_URL_MAX + 16];
	if (pki_crl_issuers_url(url, sizeof url, "root.crt") != 0) {
		snprintf(err, n, "ca.public_url çok uzun.");
		goto out;
	}
	snprintf(aia, sizeof aia, "caIssuers;URI:%s", url);
	X509_EXTENSION *ia = added ? X509V3_EXT_conf_nid(NULL, &ctx, NID_info_access, aia) : NULL;
	added = ia != NULL && X509_CRL_add_ext(crl, ia, -1);
	X509_EXTENSION_free(ia);
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
	X509_CRL_free(crl);
	ASN1_TIME_free(t);
	ASN1_INTEGER_free(num);
	OPENSSL_free(der);
	return rc;
}

/* Certifies the OCSP key of a new CA with the issuing key (loaded from
 * where it was just made: on a token it never leaves it). */
static int ocsp_for_new_ca(const char *dir, X509 *iss, EVP_PKEY *ocsp_pub, char *err, size_t n)
{
	EVP_PKEY *ik = NULL;
	int rc = -1;
	if (pki_keys_load(dir, &ik, NULL, err, n) != 0)
		return -1;
	if (!X509_check_private_key(iss, ik))
		snprintf(err, n, "Veren SM anahtarı sertifikasına uymuyor.");
	else
		rc = make_ocsp(dir, iss, ik, ocsp_pub, err, n);
	EVP_PKEY_free(ik);
	pki_keys_close();
	return rc;
}

int pki_ca_create_with(const char *dir, const struct pki_ca_opts *o, char *err, size_t n)
{
	int rc = -1;
	long crl_number = 0;
	char p[4096], offline[4096];
	EVP_PKEY *rk = NULL, *ipub = NULL, *opub = NULL;
	X509 *root = NULL, *iss = NULL;
	const char *key_type = o->key_type;
	if (key_type == NULL || key_type[0] == '\0')
		key_type = config_get("ca.key_type");
	if (o->root_out != NULL && o->root_out[0] != '\0')
		snprintf(offline, sizeof offline, "%s", o->root_out);
	else if (pki_path(offline, sizeof offline, dir, "offline") != 0)
		goto out;
	if (dir_ready(dir, err, n) != 0)
		goto out;
	if (pki_keygen_type_ok(key_type) != 0 || (rk = pki_keygen(key_type)) == NULL) {
		snprintf(err, n, "Anahtar türü geçersiz: %s (" PKI_KEY_TYPES ").", key_type);
		goto out;
	}
	if (pki_keys_generate(dir, o->storage, key_type, &ipub, &opub, err, n) != 0)
		goto out;
	root = ca_cert(CA_ROOT, rk, NULL, rk, 20 * 365 + 5);
	iss = root ? ca_cert(CA_ISSUING, ipub, root, rk, 10 * 365 + 2) : NULL;
	if (iss == NULL) {
		pki_ssl_err(err, n, "SM sertifikası üretilemedi");
		goto out;
	}
	if (pki_path(p, sizeof p, dir, "root.pem") || pki_write_cert(p, root) ||
	    pki_path(p, sizeof p, dir, "issuing.pem") || pki_write_cert(p, iss)) {
		snprintf(err, n, "SM dosyaları %s içine yazılamadı.", dir);
		goto out;
	}
	if (root_crl_sign(dir, root, rk, &crl_number, err, n) != 0 ||
	    write_offline_root(offline, rk, err, n) != 0 ||
	    ocsp_for_new_ca(dir, iss, opub, err, n) != 0 ||
	    pki_audit_key_ensure(dir, err, n) != 0 || pki_pinseal_key_ensure(dir, err, n) != 0)
		goto out;
	log_info("pki: CA hierarchy (%s) created in %s; root key (encrypted) in %s", key_type, dir,
		 offline);
	rc = 0;
out:
	EVP_PKEY_free(rk);
	EVP_PKEY_free(ipub);
	EVP_PKEY_free(opub);
	X509_free(root);
	X509_free(iss);
	return rc;
}

void pki_print_offline_notice(const char *dir, const char *root_out)
{
	char offline[4096];
	if (root_out != NULL && root_out[0] != '\0')
		snprintf(offline, sizeof offline, "%s", root_out);
	else if (pki_path(offline, sizeof offline, dir, "offline") != 0)
		return;
	printf("Kök anahtar şifreli olarak %s içine yazıldı (root.key, parolası root.pass).\n"
	       "Bu klasörü şimdi çevrim dışı bir depoya taşıyın ve buradan silin: çevrim içi\n"
	       "sunucu kök anahtarı hiç okumaz; kök işlemleri için 'eimza ca ceremony'.\n",
	       offline);
}

int pki_ca_create(const char *dir, const char *key_type, char *err, size_t n)
{
	struct pki_ca_opts o = {.key_type = key_type};
	return pki_ca_create_with(dir, &o, err, n);
}

/* root.pem of dir, checked against the root key in hand. */
static X509 *root_for_key(const char *dir, EVP_PKEY *rk, char *err, size_t n)
{
	char p[4096];
	X509 *root = NULL;
	if (pki_path(p, sizeof p, dir, "root.pem") || (root = pki_load_cert(p)) == NULL) {
		snprintf(err, n, "Kök SM sertifikası okunamadı (%s).", dir);
		return NULL;
	}
	if (!X509_check_private_key(root, rk)) {
		snprintf(err, n, "Kök anahtar %s/root.pem ile eşleşmiyor.", dir);
		X509_free(root);
		return NULL;
	}
	return root;
}

int pki_ca_root_crl(const char *dir, EVP_PKEY *root_key, long *number, char *err, size_t n)
{
	X509 *root = root_for_key(dir, root_key, err, n);
	if (root == NULL)
		return -1;
	int rc = root_crl_sign(dir, root, root_key, number, err, n);
	X509_free(root);
	return rc;
}

int pki_ca_renew_issuing(const char *dir, EVP_PKEY *root_key, EVP_PKEY *subject,
			 const char *out_path, char serial[PKI_SERIAL_HEX_MAX + 1], char *err,
			 size_t n)
{
	char p[4096];
	X509 *root = root_for_key(dir, root_key, err, n), *cur = NULL, *x = NULL;
	int rc = -1;
	if (root == NULL)
		return -1;
	if (subject == NULL) {
		if (pki_path(p, sizeof p, dir, "issuing.pem") || (cur = pki_load_cert(p)) == NULL) {
			snprintf(err, n, "Veren SM sertifikası okunamadı (%s).", dir);
			goto out;
		}
		subject = X509_get0_pubkey(cur);
	}
	if (pki_key_policy(subject, err, n) != 0)
		goto out;
	x = ca_cert(CA_ISSUING, subject, root, root_key, 10 * 365 + 2);
	if (x == NULL) {
		pki_ssl_err(err, n, "Veren SM sertifikası üretilemedi");
		goto out;
	}
	if (out_path != NULL)
		snprintf(p, sizeof p, "%s", out_path);
	else if (pki_path(p, sizeof p, dir, "issuing.pem") != 0)
		goto out;
	if (pki_serial_hex(X509_get0_serialNumber(x), serial) != 0 || pki_write_cert(p, x) != 0) {
		snprintf(err, n, "%s yazılamadı.", p);
		goto out;
	}
	rc = 0;
out:
	X509_free(root);
	X509_free(cur);
	X509_free(x);
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
	EVP_PKEY *opub = NULL;
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
	if (pki_keys_import(dir, ik, config_get("ca.key_type"), &opub, err, n) != 0)
		goto out;
	if (pki_path(p, sizeof p, dir, "root.pem") || pki_write_cert(p, root) ||
	    pki_path(p, sizeof p, dir, "issuing.pem") || pki_write_cert(p, iss)) {
		snprintf(err, n, "SM dosyaları %s içine yazılamadı.", dir);
		goto out;
	}
	if (make_ocsp(dir, iss, ik, opub, err, n) != 0)
		goto out;
	log_info(
		"pki: CA imported into %s (encrypted key files; no root key: root.crl is the root's business)",
		dir);
	rc = 0;
out:
	X509_free(iss);
	EVP_PKEY_free(ik);
	EVP_PKEY_free(opub);
	sk_X509_pop_free(chain, X509_free);
	return rc;
}
