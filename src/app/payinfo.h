/* How to pay an application's fee (the 170 TL of a Kayıp/Çalıntı
 * application): amount, payee and IBAN from the configuration (fees.payee,
 * fees.iban), the application number as the payment reference. The status
 * page and the applicant's "application_received" message say it in the
 * same words (domain/guidance.h). */
#ifndef EIMZA_APP_PAYINFO_H
#define EIMZA_APP_PAYINFO_H

#include "store/application.h"
#include "util/arena.h"

/* The instruction for app (arena text), or "" when app owes no fee or the
 * configuration lacks a payee or an IBAN. */
const char *payinfo_text(arena *a, const struct application *app);

#endif
