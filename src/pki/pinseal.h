/* The card PIN seal key (issue 14, docs/SECURITY.md "PIN setting").
 *
 * Card production seals each card's transport PIN and SO PIN to
 * <ca.dir>/pin-seal.pub (an X25519 public key, PEM SubjectPublicKeyInfo)
 * with libsodium's crypto_box_seal; the sealed bytes go to the card_pins
 * table (store/cardpin.h). The private half, <ca.dir>/pin-seal.key, is
 * encrypted PKCS#8 under the online keys' passphrase, like audit.key: only
 * the signer loads it, and it opens one sealed PIN per OPEN_PIN request
 * (docs/protocol.md). The web process holds sealed bytes only. */
#ifndef EIMZA_PKI_PINSEAL_H
#define EIMZA_PKI_PINSEAL_H

#include <stddef.h>

#include <sodium.h>

#define PKI_PINSEAL_KEY_FILE "pin-seal.key"
#define PKI_PINSEAL_PUB_FILE "pin-seal.pub"
#define PKI_PIN_MAX 64 /* a PIN, transport PIN or SO PIN: 4..64 printable ASCII */
#define PKI_PINSEAL_MAX (PKI_PIN_MAX + crypto_box_SEALBYTES)

/* Creates the key pair in dir when either file is missing (never replaces
 * a key). 0 or -1 (err). */
int pki_pinseal_key_ensure(const char *dir, char *err, size_t n);
/* Seals pin (4..64 printable ASCII) to dir's public key into out (at least
 * PKI_PINSEAL_MAX bytes); *outlen = strlen(pin) + crypto_box_SEALBYTES.
 * Creates the key pair first if needed. 0 or -1 (err). */
int pki_pinseal_seal(const char *dir, const char *pin, unsigned char *out, size_t *outlen,
		     char *err, size_t n);
/* True for a PIN eimza stores or releases: 4..64 printable ASCII. */
int pki_pin_plausible(const char *pin, size_t len);

/* The signer's side. Loads the private key (raw X25519 bytes into sk and
 * pk) before the sandbox. 0 or -1 (err). */
int signer_pinseal_load(const char *dir, unsigned char pk[crypto_box_PUBLICKEYBYTES],
			unsigned char sk[crypto_box_SECRETKEYBYTES], char *err, size_t n);
/* Opens sealed (len bytes) into pin (NUL-terminated, at least PKI_PIN_MAX + 1
 * bytes). 0 or -1 (err: not sealed to this key, or not a plausible PIN). */
int signer_pinseal_open(const unsigned char pk[crypto_box_PUBLICKEYBYTES],
			const unsigned char sk[crypto_box_SECRETKEYBYTES],
			const unsigned char *sealed, size_t len, char *pin, char *err, size_t n);

#endif
