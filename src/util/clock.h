/* Wall-clock time for everything that is stored or compared with stored
 * times (expiry, lockouts, OTP validity, renewal dates). Tests and the dev
 * mode can move it, so time-dependent rules are testable without sleeping. */
#ifndef EIMZA_CLOCK_H
#define EIMZA_CLOCK_H

#include <stdint.h>

/* Seconds since the Unix epoch, plus any offset set below. */
int64_t clock_now(void);
/* Monotonic microseconds, for measuring durations only. */
int64_t clock_mono_us(void);
/* Shift clock_now() by `seconds` (tests, `serve --dev`'s time travel). */
void clock_set_offset(int64_t seconds);
int64_t clock_get_offset(void);
/* "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void clock_format_iso(int64_t t, char out[21]);

#endif
