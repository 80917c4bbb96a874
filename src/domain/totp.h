/* Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1,
 * 6 digits, 30-second steps, and the base32 text (RFC 4648, no padding) an
 * authenticator app is given. Pure functions: no I/O, no allocation; the
 * caller keeps the secret and wipes it. */
#ifndef EIMZA_TOTP_H
#define EIMZA_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define TOTP_SECRET_BYTES 20 /* 160 bits, as RFC 4226 recommends */
/* Base32 text of TOTP_SECRET_BYTES: 32 characters + NUL. */
#define TOTP_SECRET_B32 33

/* The HOTP value of `counter` under key (RFC 4226 dynamic truncation),
 * reduced to `digits` (6..8) decimal digits. -1 on bad arguments. */
int64_t totp_hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits);

/* The time step of epoch second t (t / TOTP_STEP; 0 for t < 0). */
int64_t totp_step_of(int64_t t);

/* Checks a 6-digit code typed by the user at time `now`, allowing one step
 * of clock drift either way. A step <= last_step is refused (replay).
 * Returns the matched step (> 0) or -1. `code` must be exactly 6 ASCII
 * digits; the comparison does not exit early on the first wrong digit. */
int64_t totp_verify(const unsigned char *key, size_t keylen, const char *code, int64_t now,
		    int64_t last_step);

/* RFC 4648 base32 (A-Z2-7) without padding. Encode writes the NUL-terminated
 * text into out (outlen >= ceil(n*8/5)+1); -1 if too small. Decode ignores
 * spaces, accepts lower case, writes at most outlen bytes and returns the
 * byte count, or -1 on a bad character or overflow. */
int totp_base32_encode(const unsigned char *in, size_t n, char *out, size_t outlen);
int totp_base32_decode(const char *in, unsigned char *out, size_t outlen);

#endif
