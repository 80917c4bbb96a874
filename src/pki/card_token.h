/* A smart card (any PKCS#11 token) being produced by `eimza card
 * produce`: initialised with the CA's random SO PIN and transport PIN, a
 * key pair generated on it (sensitive, never extractable), a PKCS#10
 * request signed on it, the certificate written next to the key (same
 * CKA_ID), and on failure made blank again (C_InitToken). Raw Cryptoki
 * (cryptoki.h); nothing here touches the database or the signer. */
#ifndef EIMZA_PKI_CARD_TOKEN_H
#define EIMZA_PKI_CARD_TOKEN_H

#include <stddef.h>

#include <openssl/evp.h>

#define CARD_SERIAL_MAX 16 /* CK_TOKEN_INFO.serialNumber */
#define CARD_KEY_ID 0x01   /* CKA_ID of the holder's key and certificate */
#define CARD_BLANK_LABEL "eimza blank"

struct card_token;

struct card_token_info {
	char serial[CARD_SERIAL_MAX + 1]; /* trimmed; "" when the token has none */
	char label[33];			  /* trimmed */
	int initialized;
};

/* Loads module and picks the token in slot (a PKCS#11 slot id; -1: the
 * first slot with a token). 0, or -1 (Turkish err; *out NULL). */
int card_token_open(const char *module, long slot, struct card_token **out,
		    struct card_token_info *info, char *err, size_t n);
/* Initialises the token labelled label: C_InitToken with old_so_pin when
 * the token is already initialised (a card made blank by this program),
 * else with so_pin; then so_pin as SO PIN, user_pin as user (transport)
 * PIN, and a session logged in as the user. Refreshes info (the serial a
 * fresh token gets at initialisation). 0 or -1 (err). */
int card_token_init(struct card_token *t, const char *old_so_pin, const char *so_pin,
		    const char *user_pin, const char *label, struct card_token_info *info,
		    char *err, size_t n);
/* Generates the holder's key pair (key_type "p256" or "rsa2048"); its
 * public key (caller frees), or NULL (err). */
EVP_PKEY *card_token_generate(struct card_token *t, const char *key_type, char *err, size_t n);
/* A PKCS#10 request (DER, caller frees with free()) for pub, subject
 * C=TR, CN=cn, signed on the token by the generated key. 0 or -1 (err). */
int card_token_csr(struct card_token *t, EVP_PKEY *pub, const char *cn, unsigned char **der,
		   size_t *der_len, char *err, size_t n);
/* Writes the certificate (DER) onto the token with the key's CKA_ID. 0 or
 * -1 (err). */
int card_token_store_cert(struct card_token *t, const unsigned char *der, size_t len,
			  const char *label, char *err, size_t n);
/* Makes the token blank: C_InitToken with the SO PIN in effect (every
 * object and the user PIN gone), label CARD_BLANK_LABEL. The SO PIN in
 * effect is copied to so_pin (n >= 33). 0 or -1 (err). */
int card_token_blank(struct card_token *t, char *so_pin, size_t so_n, char *err, size_t n);
/* Logs out, closes and unloads; wipes the PINs it held. NULL is fine. */
void card_token_close(struct card_token *t);

#endif
