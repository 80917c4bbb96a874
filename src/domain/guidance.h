/* The guide's fixed texts that more than one place must say in the same
 * words (issue 11): the e-Devlet step after delivery (the delivery message
 * and /bireysel/pin), the 5070 responsibility notice (the last step of the
 * application and the PDF's spirit), and how to pay a fee (the status page
 * and the applicant's message). Pure: no I/O, no configuration reads; the
 * caller passes the configured values. */
#ifndef EIMZA_DOMAIN_GUIDANCE_H
#define EIMZA_DOMAIN_GUIDANCE_H

#include <stddef.h>

/* "İlk başvuru yapanlar ... e-Devlet şifresine ihtiyaç duyar; yenileyenler
 * ... e-imzaları ile ...": one paragraph, plain text, no trailing newline. */
const char *guidance_edevlet_pin(void);

/* "5070 sayılı Elektronik İmza Kanunu'na göre e-imza işlemleri kişiyi
 * bağlar ...": one paragraph, plain text. */
const char *guidance_law_5070(void);

/* The payment instruction for a fee: amount ("170,00 TL"), payee, IBAN and
 * the reference (the application number) written into out[n] as one plain
 * text paragraph. Returns 0, or -1 when an argument is NULL or empty or
 * the text does not fit (out is then ""). */
int guidance_payment(const char *amount, const char *payee, const char *iban, const char *reference,
		     char *out, size_t n);

#endif
