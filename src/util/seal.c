/* Sealed text (seal.h). */
#include "util/seal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SEAL_MAX_PLAIN 256
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

int seal_is_sealed(const char *stored)
{
	return stored != NULL && strncmp(stored, SEAL_PREFIX, strlen(SEAL_PREFIX)) == 0;
}

int seal_text(enum secret_purpose p, const char *plain, char *out, size_t outlen)
{
	unsigned char key[32],
		box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SEAL_MAX_PLAIN];
	size_t n = strlen(plain),
	       boxlen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	size_t plen = strlen(SEAL_PREFIX);
	if (n > SEAL_MAX_PLAIN || outlen < plen + sodium_base64_encoded_len(boxlen, B64) ||
	    secret_subkey(p, key) != 0)
		return -1;
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n,
			      box, key);
	sodium_memzero(key, sizeof key);
	memcpy(out, SEAL_PREFIX, plen);
	sodium_bin2base64(out + plen, outlen - plen, box, boxlen, B64);
	return 0;
}

int seal_open(enum secret_purpose p, const char *stored, char *out, size_t outlen)
{
	unsigned char key[32],
		box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SEAL_MAX_PLAIN];
	size_t boxlen = 0;
	if (!seal_is_sealed(stored)) {
		if (strlen(stored) >= outlen)
			return -1;
		memcpy(out, stored, strlen(stored) + 1);
		return 1;
	}
	const char *b64 = stored + strlen(SEAL_PREFIX);
	if (sodium_base642bin(box, sizeof box, b64, strlen(b64), NULL, &boxlen, NULL, B64) != 0 ||
	    boxlen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return -1;
	size_t n = boxlen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	if (n >= outlen || secret_subkey(p, key) != 0)
		return -1;
	int rc = crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
					    boxlen - crypto_secretbox_NONCEBYTES, box, key);
	sodium_memzero(key, sizeof key);
	if (rc != 0) {
		sodium_memzero(out, outlen);
		return -1;
	}
	out[n] = '\0';
	return 0;
}
