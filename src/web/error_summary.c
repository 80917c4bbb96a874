/* Entries of the error summary (web/error_summary.h). */
#include "web/error_summary.h"

void error_summary_add(tpl *t, const char *field, const char *label)
{
	tpl *e = tpl_add(t, "summary");
	tpl_set(t, "has_summary", "1");
	tpl_set(e, "field", field);
	tpl_set(e, "label", label);
}

void error_summary_sms(tpl *t, int sending, const char *message)
{
	if (sending) {
		tpl_set(t, "error", "Yeni kod gönderilemedi.");
		tpl_set(t, "send_error", message);
		error_summary_add(t, "gonder", "Kod gönderme");
		return;
	}
	tpl_set(t, "error", "SMS Doğrulama Kodu kabul edilmedi.");
	tpl_set(t, "code_error", message);
	error_summary_add(t, "sms_kodu", "SMS Doğrulama Kodu");
}
