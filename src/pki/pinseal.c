/* The card PIN seal key (pinseal.h). */
#include "pki/pinseal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "pki/internal.h"
#include "pki/keystore.h"
#include "util/log.h"

int pki_pin_plausible(const char *pin, size_t len)
{
	if (len < 4 || len > PKI_PIN_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (pin[i] < 0x21 || pin[i] > 0x7e)
			return 0;
	return 1;
}

static EVP_PKEY *read_private(const char *dir, char *err, size_t n)
{
	char p[4096], pass[KEYS_PASS_MAX], why[256] = "";
	EVP_PKEY *k = NULL;
	if (pki_path(p, sizeof p, dir, PKI_PINSEAL_KEY_FILE) == 0 &&
	    pki_keys_passphrase(dir, 0, pass, sizeof pass, why, sizeof why) == 0)
		k = pki_key_read_encrypted(p, pass, 0, why, sizeof why);
	OPENSSL_cleanse(pass, sizeof pass);
	if (k == NULL)
		snprintf(err, n, "PIN seal key %s/%s unreadable: %s", dir, PKI_PINSEAL_KEY_FILE,
			 why);
	else if (EVP_PKEY_get_id(k) != EVP_PKEY_X25519) {
		snprintf(err, n, "PIN seal key %s/%s is not an X25519 key", dir,
			 PKI_PINSEAL_KEY_FILE);
		EVP_PKEY_free(k);
		k = NULL;
	}
	return k;
}

int pki_pinseal_key_ensure(const char *dir, char *err, size_t n)
{
	char key[4096], pub[4096], pass[KEYS_PASS_MAX];
	int rc = -1;
	if (pki_path(key, sizeof key, dir, PKI_PINSEAL_KEY_FILE) != 0 ||
	    pki_path(pub, sizeof pub, dir, PKI_PINSEAL_PUB_FILE) != 0) {
		snprintf(err, n, "PIN seal key path too long");
		return -1;
	}
	int missing = access(key, F_OK) != 0;
	if (!missing && access(pub, F_OK) == 0)
		return 0;
	if (pki_keys_passphrase(dir, missing, pass, sizeof pass, err, n) != 0)
		return -1;
	if (missing) {
		if (pki_key_create_encrypted(key, "X25519", pass) != 0) {
			snprintf(err, n, "cannot create the PIN seal key %s: %s", key,
				 strerror(errno));
			goto out;
		}
		unlink(pub); /* a public key without its private half is stale */
		log_info("pki: PIN seal key created: %s", key);
	}
	if (access(pub, F_OK) != 0) {
		EVP_PKEY *k = read_private(dir, err, n);
		BIO *mem = BIO_new(BIO_s_mem());
		char *data;
		if (k != NULL && mem != NULL && PEM_write_bio_PUBKEY(mem, k)) {
			long len = BIO_get_mem_data(mem, &data);
			rc = pki_write_file(pub, data, (size_t)len, 0644);
		}
		BIO_free(mem);
		EVP_PKEY_free(k);
		if (rc != 0) {
			snprintf(err, n, "cannot write the PIN seal public key %s", pub);
			goto out;
		}
	}
	rc = 0;
out:
	OPENSSL_cleanse(pass, sizeof pass);
	return rc;
}

int pki_pinseal_seal(const char *dir, const char *pin, unsigned char *out, size_t *outlen,
		     char *err, size_t n)
{
	char p[4096];
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	size_t pklen = sizeof pk, len = pin != NULL ? strlen(pin) : 0;
	if (!pki_pin_plausible(pin, len)) {
		snprintf(err, n, "a PIN is 4 to %d printable ASCII characters", PKI_PIN_MAX);
		return -1;
	}
	if (pki_pinseal_key_ensure(dir, err, n) != 0 ||
	    pki_path(p, sizeof p, dir, PKI_PINSEAL_PUB_FILE) != 0)
		return -1;
	FILE *f = fopen(p, "re");
	EVP_PKEY *k = f != NULL ? PEM_read_PUBKEY(f, NULL, NULL, NULL) : NULL;
	if (f != NULL)
		fclose(f);
	int ok = k != NULL && EVP_PKEY_get_id(k) == EVP_PKEY_X25519 &&
		 EVP_PKEY_get_raw_public_key(k, pk, &pklen) == 1 && pklen == sizeof pk;
	EVP_PKEY_free(k);
	if (!ok) {
		snprintf(err, n, "PIN seal public key %s unreadable", p);
		return -1;
	}
	if (crypto_box_seal(out, (const unsigned char *)pin, len, pk) != 0) {
		snprintf(err, n, "sealing failed");
		return -1;
	}
	*outlen = len + crypto_box_SEALBYTES;
	return 0;
}

int signer_pinseal_load(const char *dir, unsigned char pk[crypto_box_PUBLICKEYBYTES],
			unsigned char sk[crypto_box_SECRETKEYBYTES], char *err, size_t n)
{
	if (pki_pinseal_key_ensure(dir, err, n) != 0)
		return -1;
	EVP_PKEY *k = read_private(dir, err, n);
	size_t pl = crypto_box_PUBLICKEYBYTES, sl = crypto_box_SECRETKEYBYTES;
	int ok = k != NULL && EVP_PKEY_get_raw_public_key(k, pk, &pl) == 1 &&
		 EVP_PKEY_get_raw_private_key(k, sk, &sl) == 1 && pl == crypto_box_PUBLICKEYBYTES &&
		 sl == crypto_box_SECRETKEYBYTES;
	EVP_PKEY_free(k);
	if (!ok && k != NULL)
		snprintf(err, n, "PIN seal key: raw key bytes unavailable");
	return ok ? 0 : -1;
}

int signer_pinseal_open(const unsigned char pk[crypto_box_PUBLICKEYBYTES],
			const unsigned char sk[crypto_box_SECRETKEYBYTES],
			const unsigned char *sealed, size_t len, char *pin, char *err, size_t n)
{
	if (len <= crypto_box_SEALBYTES || len > PKI_PINSEAL_MAX) {
		snprintf(err, n, "sealed PIN of %zu bytes", len);
		return -1;
	}
	size_t plen = len - crypto_box_SEALBYTES;
	if (crypto_box_seal_open((unsigned char *)pin, sealed, len, pk, sk) != 0) {
		snprintf(err, n, "not sealed to this CA's PIN seal key");
		return -1;
	}
	pin[plen] = '\0';
	if (!pki_pin_plausible(pin, plen)) {
		sodium_memzero(pin, plen);
		snprintf(err, n, "the opened PIN is not plausible");
		return -1;
	}
	return 0;
}
