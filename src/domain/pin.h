/* The card holder's PIN rules (issue 14): the PIN set with `eimza card
 * set-pin` is exactly 6 ASCII digits, not all the same digit, and not a
 * simple ascending or descending run (123456, 987654, 890123 wraps too). Pure:
 * no I/O, no allocation. */
#ifndef EIMZA_DOMAIN_PIN_H
#define EIMZA_DOMAIN_PIN_H

#include <stdbool.h>

#define PIN_LENGTH 6

enum pin_problem {
	PIN_OK,
	PIN_NOT_SIX_DIGITS, /* wrong length or a character that is not 0-9 */
	PIN_ALL_SAME,	    /* 000000, 777777 */
	PIN_SEQUENCE,	    /* each digit one more (or one less) than the one before, mod 10 */
	PIN__MAX
};
extern const char *const pin_problem_names[PIN__MAX];

/* Checks a new PIN (NUL-terminated; NULL is PIN_NOT_SIX_DIGITS). */
enum pin_problem pin_check(const char *pin);
/* The Turkish sentence that tells the holder what is wrong (static). */
const char *pin_problem_message(enum pin_problem p);

#endif
