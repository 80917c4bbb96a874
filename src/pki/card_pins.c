/* Card PINs at rest (see card_pins.h). */
#include "pki/card_pins.h"
#include "pki/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "util/config.h"

#define NONCE_LEN crypto_aead_chacha20poly1305_IETF_NPUBBYTES
#define TAG_LEN crypto_aead_chacha20poly1305_IETF_ABYTES
#define PIN_MAX 32

int card_key_path(char *out, size_t n)
{
	const char *f = config_get("card.key_file");
	if (f[0] != '\0')
		return snprintf(out, n, "%s", f) < (int)n ? 0 : -1;
	return pki_path(out, n, config_get("ca.dir"), "card.key");
}

static int key_create(const char *path, char *err, size_t n)
{
	unsigned char key[CARD_KEY_LEN];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	randombytes_buf(key, sizeof key);
	int ok = write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0;
	sodium_memzero(key, sizeof key);
	if (close(fd) != 0 || !ok) {
		unlink(path);
		snprintf(err, n, "Kart anahtarı yazılamadı: %s", path);
		return -1;
	}
	return 0;
}

int card_key_load(const char *path, int create, unsigned char key[CARD_KEY_LEN], char *err,
		  size_t n)
{
	struct stat st;
	if (create && key_create(path, err, n) != 0) {
		if (err[0] == '\0')
			snprintf(err, n, "Kart anahtarı oluşturulamadı: %s (%s)", path,
				 strerror(errno));
		return -1;
	}
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, n, "Kart anahtarı okunamadı: %s (%s)", path, strerror(errno));
		return -1;
	}
	int rc = -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != CARD_KEY_LEN)
		snprintf(err, n, "Kart anahtarı geçersiz (32 baytlık bir dosya olmalı): %s", path);
	else if (st.st_mode & 077)
		snprintf(err, n,
			 "Kart anahtarını başka kullanıcılar okuyabiliyor (izin 0600 "
			 "olmalı): %s",
			 path);
	else if (read(fd, key, CARD_KEY_LEN) != CARD_KEY_LEN)
		snprintf(err, n, "Kart anahtarı okunamadı: %s", path);
	else
		rc = 0;
	close(fd);
	if (rc != 0)
		sodium_memzero(key, CARD_KEY_LEN);
	return rc;
}

void card_random_digits(char *out, size_t n, size_t digits)
{
	size_t i = 0;
	for (; i < digits && i + 1 < n; i++)
		out[i] = (char)('0' + randombytes_uniform(10));
	out[i] = '\0';
}

/* "eimza card pin v1:<kind>:<serial>" */
static int aad(char *out, size_t n, const char *kind, const char *serial)
{
	int l = snprintf(out, n, "eimza card pin v1:%s:%s", kind, serial);
	return l > 0 && (size_t)l < n ? l : -1;
}

int card_pin_seal(const unsigned char key[CARD_KEY_LEN], const char *kind, const char *serial,
		  const char *pin, char out[CARD_SEALED_MAX])
{
	unsigned char box[NONCE_LEN + PIN_MAX + TAG_LEN];
	unsigned long long cl = 0;
	char ad[96];
	size_t pl = strlen(pin);
	int al = aad(ad, sizeof ad, kind, serial);
	if (pl == 0 || pl > PIN_MAX || al < 0)
		return -1;
	randombytes_buf(box, NONCE_LEN);
	crypto_aead_chacha20poly1305_ietf_encrypt(box + NONCE_LEN, &cl, (const unsigned char *)pin,
						  pl, (const unsigned char *)ad, (size_t)al, NULL,
						  box, key);
	sodium_bin2hex(out, CARD_SEALED_MAX, box, NONCE_LEN + (size_t)cl);
	return 0;
}

int card_pin_open(const unsigned char key[CARD_KEY_LEN], const char *kind, const char *serial,
		  const char *sealed, char *pin, size_t n)
{
	unsigned char box[NONCE_LEN + PIN_MAX + TAG_LEN];
	size_t bl = 0;
	unsigned long long pl = 0;
	char ad[96];
	int al = aad(ad, sizeof ad, kind, serial);
	if (al < 0 ||
	    sodium_hex2bin(box, sizeof box, sealed, strlen(sealed), NULL, &bl, NULL) != 0 ||
	    bl < NONCE_LEN + TAG_LEN || n < PIN_MAX + 1)
		return -1;
	if (crypto_aead_chacha20poly1305_ietf_decrypt((unsigned char *)pin, &pl, NULL,
						      box + NONCE_LEN, bl - NONCE_LEN,
						      (const unsigned char *)ad, (size_t)al, box,
						      key) != 0)
		return -1;
	pin[pl] = '\0';
	return 0;
}
