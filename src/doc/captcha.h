/* CAPTCHA for the login pages ("Resimdeki Yazıyı Giriniz"): random text
 * from an alphabet without look-alike characters, drawn as a distorted PNG
 * with cairo. All randomness comes from libsodium. */
#ifndef EIMZA_DOC_CAPTCHA_H
#define EIMZA_DOC_CAPTCHA_H

#include "util/buf.h"

#define CAPTCHA_LEN 6
#define CAPTCHA_WIDTH 200
#define CAPTCHA_HEIGHT 64

/* The characters a CAPTCHA may contain: upper-case letters and digits with
 * no 0/O, 1/I/l, 2/Z, 5/S, 8/B. Static string. */
extern const char captcha_alphabet[];

/* Writes CAPTCHA_LEN random characters of captcha_alphabet and a NUL into
 * out. Returns 0, or -1 if libsodium cannot be initialised. The text is a
 * secret of the session: the caller wipes it when done. */
int captcha_new_text(char out[8]);

/* Appends a CAPTCHA_WIDTH x CAPTCHA_HEIGHT PNG of `text` (ASCII, at most 15
 * characters) to out: each character with its own rotation, offset, size
 * and colour, wavy lines through the text, noise dots, light background.
 * Returns 0, or -1 on a bad argument or a cairo / buffer failure (out may
 * then hold a partial image; the caller owns and frees out either way). */
int captcha_render_png(const char *text, buf *out);

/* 1 if `given` equals `expected` ignoring ASCII case and white space
 * around it, else 0. Both are copied upper-cased into fixed-size buffers
 * and compared with sodium_memcmp, so the time does not depend on where
 * they differ. NULL never matches. */
int captcha_check(const char *expected, const char *given);

/* The keyed hash (server secret, SECRET_CAPTCHA) of an answer after the
 * same normalisation as captcha_check, as 64 hex characters: what the
 * session keeps instead of the answer. -1 when empty or too long. */
int captcha_hash(const char *text, char out[65]);
/* 1 when given hashes to stored (compared in constant time), else 0. */
int captcha_check_hash(const char *stored, const char *given);

#endif
