/* Raw Cryptoki (PKCS#11) through a module's C_GetFunctionList, shared by
 * the CA's key generation at `eimza init` (p11gen.c) and card production
 * (card_token.c). libp11 0.4 (Debian 12) can neither initialise a token's
 * user PIN nor generate an EC key, so these talk to the module directly. */
#ifndef EIMZA_PKI_CRYPTOKI_H
#define EIMZA_PKI_CRYPTOKI_H

#include <stddef.h>

#include <openssl/evp.h>

#if defined(__has_include)
#if __has_include(<p11-kit/pkcs11.h>)
#define EIMZA_HAVE_CRYPTOKI 1
#include <p11-kit/pkcs11.h>
#endif
#endif

#ifdef EIMZA_HAVE_CRYPTOKI

/* A loaded module and at most one open session. */
struct cryptoki {
	void *lib;
	CK_FUNCTION_LIST_PTR f;
	CK_SESSION_HANDLE s;
	int initialized, open;
};

/* Loads module and calls C_Initialize. 0 or -1 (Turkish err). */
int ck_load(struct cryptoki *c, const char *module, char *err, size_t n);
/* Logs out, closes the session, C_Finalize, unloads; c is zeroed. */
void ck_unload(struct cryptoki *c);
/* "PKCS#11 <call> başarısız (CKR 0x..)" into err; returns -1. */
int ck_fail(char *err, size_t n, const char *call, CK_RV rv);
/* A blank-padded 32-byte token label. */
void pad_label(CK_UTF8CHAR out[32], const char *label);
/* One attribute (at most 4096 bytes) of object o in a new buffer (caller
 * frees), or NULL. */
unsigned char *get_attr(struct cryptoki *c, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type,
			size_t *len);
/* The public key object pub of key_type ("rsa..." or "p256"/"p384") as an
 * EVP_PKEY (caller frees), or NULL. */
EVP_PKEY *ck_public_key(struct cryptoki *c, CK_OBJECT_HANDLE pub, const char *key_type);
/* C_GenerateKeyPair in the open session: a token key pair of key_type
 * (rsa2048, rsa3072, rsa4096, p256, p384) labelled label with CKA_ID id;
 * the private key sensitive, not extractable, sign only. Its public key,
 * or NULL (err). */
EVP_PKEY *generate_pair(struct cryptoki *c, const char *key_type, const char *label,
			unsigned char id, char *err, size_t n);

#endif

#endif
