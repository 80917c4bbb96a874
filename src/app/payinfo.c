/* The payment instruction of a fee (see payinfo.h). */
#include "app/payinfo.h"

#include "domain/guidance.h"
#include "domain/renewal.h"
#include "util/config.h"

const char *payinfo_text(arena *a, const struct application *app)
{
	char fee[32], text[1024];
	if (app->fee_kurus <= 0)
		return "";
	fee_format_tl((long)app->fee_kurus, fee);
	if (guidance_payment(fee, config_get("fees.payee"), config_get("fees.iban"), app->number,
			     text, sizeof text) != 0)
		return "";
	const char *s = arena_strdup(a, text);
	return s ? s : "";
}
