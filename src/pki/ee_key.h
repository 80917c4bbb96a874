/* Which subject keys the end-entity profile accepts (ca.ee_key_types):
 * RSA of at least ca.min_rsa_bits (never under 2048; 3072 is the announced
 * next minimum) and EC P-256 / P-384. The signer refuses any other key. */
#ifndef EIMZA_PKI_EE_KEY_H
#define EIMZA_PKI_EE_KEY_H

#include <stddef.h>

#include <openssl/evp.h>

/* The kind of a key as ca.ee_key_types names it: "rsa", "p256", "p384",
 * or NULL for any other key. */
const char *pki_ee_key_kind(EVP_PKEY *k);

/* 0 when k is of a kind listed in ca.ee_key_types and within the key
 * policy (pki_key_policy); -1 with a Turkish message in err. */
int pki_ee_key_check(EVP_PKEY *k, char *err, size_t n);

/* 0 when ca.ee_key_types is a non-empty comma-separated list of "rsa",
 * "p256", "p384"; -1 with a Turkish message naming the key in err. */
int pki_ee_key_types_check(char *err, size_t n);

#endif
