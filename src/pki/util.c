#include "pki/internal.h"
#include "pki/der.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sodium.h>

#include "util/config.h"
#include "util/log.h"

int pki_path(char *out, size_t n, const char *dir, const char *name)
{
	int r = snprintf(out, n, "%s/%s", dir, name);
	return (r < 0 || (size_t)r >= n) ? -1 : 0;
}

X509 *pki_load_cert(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	return x;
}

EVP_PKEY *pki_load_key(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	return k;
}

int pki_sigalg(EVP_PKEY *key, int *nid, int *ptype, const EVP_MD **md)
{
	if (EVP_PKEY_is_a(key, "RSA")) {
		*nid = NID_sha256WithRSAEncryption;
		*ptype = V_ASN1_NULL;
		*md = EVP_sha256();
		return 0;
	}
	if (EVP_PKEY_is_a(key, "EC")) {
		char g[64] = "";
		size_t gl = 0;
		if (!EVP_PKEY_get_group_name(key, g, sizeof g, &gl))
			return -1;
		*ptype = V_ASN1_UNDEF;
		if (strcmp(g, "prime256v1") == 0 || strcmp(g, "P-256") == 0) {
			*nid = NID_ecdsa_with_SHA256;
			*md = EVP_sha256();
			return 0;
		}
		if (strcmp(g, "secp384r1") == 0 || strcmp(g, "P-384") == 0) {
			*nid = NID_ecdsa_with_SHA384;
			*md = EVP_sha384();
			return 0;
		}
	}
	return -1;
}

int pki_sigalg_der(EVP_PKEY *key, buf *out)
{
	int nid, ptype;
	const EVP_MD *md;
	if (pki_sigalg(key, &nid, &ptype, &md) != 0)
		return -1;
	size_t start = out->len;
	ASN1_OBJECT *o = OBJ_nid2obj(nid);
	der_put_tlv(out, DER_OID, OBJ_get0_data(o), OBJ_length(o));
	if (ptype == V_ASN1_NULL)
		der_put_header(out, DER_NULL, 0);
	der_wrap(out, start, DER_SEQUENCE);
	return out->err ? -1 : 0;
}

void pki_random_serial(unsigned char out[PKI_SERIAL_LEN])
{
	do {
		randombytes_buf(out, PKI_SERIAL_LEN);
		out[0] &= 0x7f;
	} while (out[0] == 0);
}

int pki_serial_hex(const ASN1_INTEGER *a, char out[PKI_SERIAL_HEX_MAX + 1])
{
	if (a == NULL || ASN1_STRING_type(a) != V_ASN1_INTEGER)
		return -1;
	const unsigned char *d = ASN1_STRING_get0_data(a);
	size_t n = (size_t)ASN1_STRING_length(a);
	while (n > 0 && d[0] == 0) {
		d++;
		n--;
	}
	if (n == 0 || n > PKI_SERIAL_HEX_MAX / 2)
		return -1;
	der_hex(d, n, out);
	return 0;
}

void pki_assemble(buf *out, const void *tbs, size_t tbslen, const void *alg, size_t alglen,
		  const void *sig, size_t siglen)
{
	size_t start = out->len;
	buf_append(out, tbs, tbslen);
	buf_append(out, alg, alglen);
	der_put_header(out, DER_BIT_STRING, siglen + 1);
	buf_putc(out, 0);
	buf_append(out, sig, siglen);
	der_wrap(out, start, DER_SEQUENCE);
}

int pki_write_file(const char *path, const void *data, size_t len, int mode)
{
	char tmp[4096];
	int fd = -1, rc = -1;
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		log_error("pki: open %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fchmod(fd, (mode_t)mode) != 0)
		goto out;
	const unsigned char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_error("pki: write %s: %s", tmp, strerror(errno));
			goto out;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		log_error("pki: rename %s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		unlink(tmp);
	return rc;
}

unsigned char *pki_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	buf b;
	buf_init(&b, max + 1);
	if (f == NULL)
		goto out;
	char chunk[8192];
	size_t r;
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, r) != 0)
			goto out;
	if (ferror(f))
		goto out;
	data = (unsigned char *)buf_detach(&b, len);
out:
	if (f != NULL)
		fclose(f);
	buf_free(&b);
	return data;
}

EVP_PKEY *pki_keygen(const char *type)
{
	if (strcmp(type, "rsa2048") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	if (strcmp(type, "rsa3072") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
	if (strcmp(type, "rsa4096") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096);
	if (strcmp(type, "p256") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (strcmp(type, "p384") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	return NULL;
}

int pki_keygen_type_ok(const char *type)
{
	static const char *const types[] = {"rsa2048", "rsa3072", "rsa4096", "p256", "p384"};
	for (size_t i = 0; type != NULL && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(type, types[i]) == 0)
			return 0;
	return -1;
}

int pki_write_cert(const char *path, X509 *x)
{
	int rc = -1;
	BIO *mem = BIO_new(BIO_s_mem());
	char *data;
	if (mem == NULL || !PEM_write_bio_X509(mem, x))
		goto out;
	long len = BIO_get_mem_data(mem, &data);
	rc = pki_write_file(path, data, (size_t)len, 0644);
out:
	BIO_free(mem);
	return rc;
}

int pki_key_policy(EVP_PKEY *k, char *err, size_t n)
{
	if (EVP_PKEY_is_a(k, "RSA")) {
		int bits = EVP_PKEY_get_bits(k);
		int64_t min = config_get_int("ca.min_rsa_bits");
		if (min < 2048)
			min = 2048;
		if (bits < min || bits > 8192) {
			snprintf(err, n,
				 "RSA anahtar uzunluğu kabul edilmiyor (%d bit; en az %lld, "
				 "en çok 8192 bit olmalı).",
				 bits, (long long)min);
			return -1;
		}
		return 0;
	}
	if (EVP_PKEY_is_a(k, "EC")) {
		char g[64] = "";
		size_t gl = 0;
		if (EVP_PKEY_get_group_name(k, g, sizeof g, &gl) &&
		    (strcmp(g, "prime256v1") == 0 || strcmp(g, "secp384r1") == 0))
			return 0;
		snprintf(err, n, "Eliptik eğri anahtarı yalnızca P-256 veya P-384 olabilir.");
		return -1;
	}
	snprintf(err, n, "Anahtar türü kabul edilmiyor (RSA veya ECDSA olmalı).");
	return -1;
}

void pki_ssl_err(char *err, size_t n, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char s[256] = "";
	if (e != 0)
		ERR_error_string_n(e, s, sizeof s);
	ERR_clear_error();
	if (err != NULL && n > 0)
		snprintf(err, n, "%s%s%s", what, s[0] ? ": " : "", s);
}

int pki_add_policies(X509 *x, const char *const *oids, size_t count)
{
	int rc = -1;
	CERTIFICATEPOLICIES *cp = sk_POLICYINFO_new_null();
	if (cp == NULL)
		goto out;
	for (size_t i = 0; i < count; i++) {
		POLICYINFO *pi = POLICYINFO_new();
		if (pi == NULL)
			goto out;
		ASN1_OBJECT_free(pi->policyid);
		pi->policyid = OBJ_txt2obj(oids[i], 1);
		if (pi->policyid == NULL || !sk_POLICYINFO_push(cp, pi)) {
			POLICYINFO_free(pi);
			goto out;
		}
	}
	if (X509_add1_ext_i2d(x, NID_certificate_policies, cp, 0, X509V3_ADD_REPLACE) != 1)
		goto out;
	rc = 0;
out:
	sk_POLICYINFO_pop_free(cp, POLICYINFO_free);
	return rc;
}

int pki_add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	if (e == NULL)
		return -1;
	int ok = X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return ok ? 0 : -1;
}
