/* Custody of the online CA keys (issuing CA, OCSP responder) and of the
 * offline root key (issue 9).
 *
 * The online keys live either on a PKCS#11 token (the default: `eimza init`
 * makes a SoftHSM2 token inside the CA directory when no module is
 * configured, and the key pairs are generated ON the token, so the private
 * keys never exist outside it), or, on request, in issuing.key / ocsp.key as
 * encrypted PKCS#8 (AES-256-CBC, PBKDF2) under a passphrase file.
 *
 * `<ca dir>/keys.conf` (written by init, read by the signer) says which:
 *   storage = pkcs11 | file
 *   module = /usr/lib/softhsm/libsofthsm2.so      (pkcs11)
 *   softhsm2_conf = token/softhsm2.conf           (SoftHSM2 made by init)
 *   issuing = pkcs11:token=eimza-ca;object=issuing
 *   ocsp = pkcs11:token=eimza-ca;object=ocsp
 *   pin_file = token/pin
 * Relative paths are relative to the CA directory. Config keys override it
 * (ca.pkcs11_module, ca.pkcs11_uri, ca.pkcs11_ocsp_uri, ca.pkcs11_pin,
 * ca.pkcs11_pin_file, ca.key_passphrase_file), so a real HSM is a config
 * change. A systemd credential wins over files: $CREDENTIALS_DIRECTORY/
 * eimza-ca-pin and $CREDENTIALS_DIRECTORY/eimza-ca-passphrase.
 *
 * The root key is never online: init writes it encrypted into the offline
 * directory, and only the ceremony command (ceremony.c) reads it. */
#ifndef EIMZA_PKI_KEYSTORE_H
#define EIMZA_PKI_KEYSTORE_H

#include <stddef.h>

#include <openssl/evp.h>

#define KEYS_CONF "keys.conf"
#define KEYS_PASSPHRASE_FILE "keys.pass"
#define KEYS_CRED_PASSPHRASE "eimza-ca-passphrase"
#define KEYS_CRED_PIN "eimza-ca-pin"
#define KEYS_TOKEN_LABEL "eimza-ca"
#define KEYS_PASS_MAX 1024

/* Generates the issuing and OCSP key pairs of a new CA in dir: on the token
 * (storage "pkcs11": a SoftHSM2 token made in dir/token unless
 * ca.pkcs11_module names another module) or as encrypted PKCS#8 files
 * (storage "file"; the passphrase file is made 0600 when missing), and
 * writes keys.conf. Returns the public keys (caller frees). 0 or -1 (err). */
int pki_keys_generate(const char *dir, const char *storage, const char *key_type,
		      EVP_PKEY **issuing_pub, EVP_PKEY **ocsp_pub, char *err, size_t n);

/* An imported issuing key: written as dir/issuing.key (encrypted), with a
 * new OCSP key (ocsp.key, encrypted) whose public key is returned, and
 * keys.conf saying storage file. 0 or -1 (err). */
int pki_keys_import(const char *dir, EVP_PKEY *issuing, const char *key_type, EVP_PKEY **ocsp_pub,
		    char *err, size_t n);

/* Loads the online private keys as keys.conf and the config say (either
 * out pointer may be NULL). Token keys stay usable until pki_keys_close().
 * Caller frees. 0 or -1 with the reason in err. */
int pki_keys_load(const char *dir, EVP_PKEY **issuing, EVP_PKEY **ocsp, char *err, size_t n);
/* Logs out of the token and unloads its module (no-op for file keys). */
void pki_keys_close(void);

/* Writes k as encrypted PKCS#8 PEM (AES-256-CBC, PBKDF2) to path, 0600,
 * refusing to overwrite. 0 or -1. */
int pki_key_write_encrypted(const char *path, EVP_PKEY *k, const char *pass);
/* Generates a key of algorithm alg ("ED25519", "X25519") and writes it to
 * path as encrypted PKCS#8 under pass, 0600, without ever replacing a key
 * that is there (no private key lies unencrypted in the CA directory).
 * 0 or -1 (errno). */
int pki_key_create_encrypted(const char *path, const char *alg, const char *pass);
/* Reads an encrypted PKCS#8 PEM key; an unencrypted key is refused unless
 * allow_plain. NULL with a Turkish reason in err (wrong passphrase...). */
EVP_PKEY *pki_key_read_encrypted(const char *path, const char *pass, int allow_plain, char *err,
				 size_t n);

/* Reads a secret (PIN, passphrase) from a file: first line, at most
 * KEYS_PASS_MAX - 1 bytes, not empty. 0 or -1 (err). Caller wipes out. */
int pki_secret_read(const char *path, char *out, size_t outlen, char *err, size_t n);
/* Creates path (O_EXCL, 0600) holding a new random secret (hex of 32
 * bytes) and copies it to out. 0 or -1. */
int pki_secret_create(const char *path, char *out, size_t outlen);
/* The passphrase of the online file keys: the systemd credential, else
 * ca.key_passphrase_file, else dir/keys.pass. create: make the file when
 * missing. 0 or -1 (err). */
int pki_keys_passphrase(const char *dir, int create, char *out, size_t outlen, char *err, size_t n);

/* ---- PKCS#11 (token.c, p11gen.c) ---- */

/* The SoftHSM2 module of this system, or NULL if none is installed. */
const char *pki_softhsm_module(void);

/* Logs in to the token labelled `label` (any initialised token if empty)
 * of `module` with `pin` (libp11). 0 or -1 (err). */
int pki_token_open(const char *module, const char *label, const char *pin, char *err, size_t n);
/* The private key labelled `object` on the open token. Caller frees the
 * EVP_PKEY before pki_token_close(). NULL (err). */
EVP_PKEY *pki_token_key(const char *object, char *err, size_t n);
void pki_token_close(void);

struct p11gen {
	const char *module;
	const char *token_label; /* token to make (so_pin set) or to use */
	const char *so_pin;	 /* non-NULL: initialise a free slot's token */
	const char *pin;	 /* user PIN (set on a new token) */
	const char *key_type;	 /* PKI_KEY_TYPES (internal.h) */
};
/* Generates `count` key pairs ON the token, labelled labels[i] with
 * CKA_ID i+1 (private: sensitive, not extractable, sign only), after
 * initialising the token when g->so_pin is set. Returns their public keys
 * in pubs (caller frees). 0 or -1 (err). Raw Cryptoki (dlopen): libp11 0.4
 * cannot initialise a token's PIN nor generate EC keys. */
int pki_p11_generate(const struct p11gen *g, const char *const labels[], EVP_PKEY *pubs[],
		     size_t count, char *err, size_t n);

/* Value of attribute `attr` of a "pkcs11:a=b;c=d" URI (percent-decoded).
 * 0 or -1 when absent. */
int pki_p11_uri_attr(const char *uri, const char *attr, char *out, size_t n);

#endif
