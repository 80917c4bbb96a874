/* The SO PIN and transport PIN of a produced card, at rest: sealed with
 * ChaCha20-Poly1305 (IETF, libsodium) under the card key, a 32-byte file
 * (card.key_file, default ca.dir/card.key) that only the user running
 * `eimza card produce` can read -- never the web server's user (the key
 * file is refused when group or others may read it). The associated data
 * binds a sealed PIN to its kind and its token's serial, so sealed values
 * cannot be swapped between cards or between the two PINs. A sealed PIN is
 * hex(nonce[12] || ciphertext || tag[16]). */
#ifndef EIMZA_PKI_CARD_PINS_H
#define EIMZA_PKI_CARD_PINS_H

#include <stddef.h>

#define CARD_KEY_LEN 32
#define CARD_SO_PIN_DIGITS 8
#define CARD_TRANSPORT_PIN_DIGITS 6
#define CARD_SEALED_MAX 256 /* hex of a sealed PIN of at most 32 bytes, NUL */

/* The card key's path: card.key_file, or <ca.dir>/card.key. 0 or -1. */
int card_key_path(char *out, size_t n);
/* Reads the key at path; with create, makes it (0600, 32 random bytes)
 * when it does not exist. Refused: not exactly 32 bytes, not a regular
 * file, readable or writable by group or others. 0 or -1 (Turkish err). */
int card_key_load(const char *path, int create, unsigned char key[CARD_KEY_LEN], char *err,
		  size_t n);
/* digits random decimal digits (randombytes_uniform) into out (n >
 * digits). */
void card_random_digits(char *out, size_t n, size_t digits);
/* Seals pin (kind "so" or "transport", of the token serial) into out
 * (CARD_SEALED_MAX). 0 or -1. */
int card_pin_seal(const unsigned char key[CARD_KEY_LEN], const char *kind, const char *serial,
		  const char *pin, char out[CARD_SEALED_MAX]);
/* Opens a sealed pin into pin (n bytes); -1 when it does not open under
 * key for that kind and serial. */
int card_pin_open(const unsigned char key[CARD_KEY_LEN], const char *kind, const char *serial,
		  const char *sealed, char *pin, size_t n);

#endif
