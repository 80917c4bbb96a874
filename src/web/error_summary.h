/* The error summary on top of a form (templates/hata_ozeti.html): the
 * page's "error" text and one link per field in error; the message itself
 * stands beside the field. */
#ifndef EIMZA_WEB_ERROR_SUMMARY_H
#define EIMZA_WEB_ERROR_SUMMARY_H

#include "http/http.h"

/* Adds an entry linking to the element with id `field`, named by `label`;
 * the summary text is the page's "error" (set by the caller). */
void error_summary_add(tpl *t, const char *field, const char *label);

/* An SMS code page's error (web/apply_sms.c, web/bireysel_login.c):
 * `message` beside the Gönder button (id "gonder") when sending failed,
 * else beside the code field (id "sms_kodu"), and the summary on top
 * linking to it. */
void error_summary_sms(tpl *t, int sending, const char *message);

#endif
