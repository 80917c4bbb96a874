/* The holder's PIN rules (pin.h). */
#include "domain/pin.h"

#include <stddef.h>

const char *const pin_problem_names[PIN__MAX] = {
	[PIN_OK] = "OK",
	[PIN_NOT_SIX_DIGITS] = "NOT_SIX_DIGITS",
	[PIN_ALL_SAME] = "ALL_SAME",
	[PIN_SEQUENCE] = "SEQUENCE",
};

/* True when every digit is the previous one plus step (mod 10). */
static bool pin_steps_by(const char *pin, int step)
{
	for (int i = 1; i < PIN_LENGTH; i++) {
		int prev = pin[i - 1] - '0', cur = pin[i] - '0';
		if ((prev + step + 10) % 10 != cur)
			return false;
	}
	return true;
}

enum pin_problem pin_check(const char *pin)
{
	if (pin == NULL)
		return PIN_NOT_SIX_DIGITS;
	for (int i = 0; i < PIN_LENGTH; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return PIN_NOT_SIX_DIGITS; /* also the NUL of a short PIN */
	if (pin[PIN_LENGTH] != '\0')
		return PIN_NOT_SIX_DIGITS;
	if (pin_steps_by(pin, 0))
		return PIN_ALL_SAME;
	if (pin_steps_by(pin, 1) || pin_steps_by(pin, -1))
		return PIN_SEQUENCE;
	return PIN_OK;
}

const char *pin_problem_message(enum pin_problem p)
{
	switch (p) {
	case PIN_OK: return "PIN uygun.";
	case PIN_NOT_SIX_DIGITS: return "PIN tam 6 rakamdan oluşmalıdır.";
	case PIN_ALL_SAME: return "PIN'in rakamlarının hepsi aynı olamaz.";
	case PIN_SEQUENCE: return "PIN ardışık rakamlardan (ör. 123456, 654321) oluşamaz.";
	case PIN__MAX: break;
	}
	return "PIN uygun değil.";
}
