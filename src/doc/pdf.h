/* The application form PDF for Islak İmzalı Başvuru: page 1 the
 * Başvuru Formu with every field, a QR code of the application number and
 * the guide's posting instructions; page 2 the Sertifika Sahibi
 * Taahhütnamesi. Drawn with cairo + pango (DejaVu Sans), A4. */
#ifndef EIMZA_DOC_PDF_H
#define EIMZA_DOC_PDF_H

#include "domain/form.h"
#include "util/buf.h"

/* Everything the form shows, as human-readable UTF-8 strings (labels, not
 * codes: "İlk Başvuru", "3 Yıl", "E-posta + SMS"). NULL or "" is shown as
 * "-". Control characters are shown as spaces. The Güvenlik Sözcüğü is
 * deliberately not part of it. The caller owns all strings. */
struct pdf_application {
	const char *app_number;	    /* Başvuru No, e.g. "2025-000123" */
	const char *created;	    /* Başvuru Tarihi, e.g. "12.03.2025" */
	const char *ca_name;	    /* config ca.name */
	const char *postal_address; /* config contact.postal_address */

	/* From the login and the personnel records (not fields of the form). */
	const char *tckn;	 /* T.C. Kimlik No */
	const char *first_name;	 /* Ad */
	const char *last_name;	 /* Soyad */
	const char *birth_place; /* Doğum Yeri */
	const char *birth_date;	 /* Doğum Tarihi */
	const char *staff_no;	 /* Kurum Sicil No */
	const char *institution; /* Kurum Adı */

	/* The form's fields as printed, indexed by enum form_field: what
	 * form_display() makes of the stored values (İş Telefonu already
	 * carries its Dahili). Fields without a print row are not shown. */
	const char *field[FF__MAX];
};

/* Appends the two-page A4 PDF of application `a` to out. Every string is
 * checked to be valid UTF-8 first. Returns 0, or -1 on a bad argument, on
 * invalid UTF-8 or a cairo / pango / qrencode / buffer failure (out may
 * then hold a partial file; the caller owns and frees out either way). */
int pdf_application_form(const struct pdf_application *a, buf *out);

#endif
