/* The canonical, signed-by-the-holder text of an application. */
#include <stdio.h>

#include "doc/appdoc.h"
#include "doc/formdata.h"

/* "Label: value\n" with the value cleaned of control characters. */
static int put_line(buf *b, const char *label, const char *value)
{
	buf_puts(b, label);
	buf_puts(b, ": ");
	formdata_append_clean(b, value);
	return buf_putc(b, '\n');
}

static void put_fields(buf *b, const struct pdf_application *a)
{
	struct formdata_row rows[FORMDATA_MAX_ROWS];
	size_t n = formdata_rows(a, rows);
	for (size_t i = 0; i < n; i++) {
		if (rows[i].section != NULL)
			buf_printf(b, "\n== %s ==\n", rows[i].section);
		put_line(b, rows[i].label, rows[i].value);
	}
}

static void put_undertaking(buf *b, const struct pdf_application *a)
{
	buf_printf(b, "\n== %s ==\n", formdata_undertaking_title);
	buf_printf(b, "%s\n", formdata_undertaking_intro);
	for (int i = 0; formdata_undertaking_items[i] != NULL; i++)
		buf_printf(b, "%d. %s\n", i + 1, formdata_undertaking_items[i]);
	buf_printf(b, "%s\n\n", formdata_undertaking_closing);
	buf_puts(b, "Sertifika Sahibi: ");
	formdata_append_clean(b, a->first_name);
	buf_putc(b, ' ');
	formdata_append_clean(b, a->last_name);
	buf_putc(b, '\n');
	put_line(b, "T.C. Kimlik No", a->tckn);
	put_line(b, "Başvuru No", a->app_number);
}

int appdoc_render(const struct pdf_application *a, buf *out)
{
	if (a == NULL || out == NULL || !formdata_valid(a))
		return -1;
	buf_printf(out, "%s\n%s\n", APPDOC_MAGIC, formdata_form_title);
	put_line(out, "Elektronik Sertifika Hizmet Sağlayıcısı", a->ca_name);
	put_line(out, "Başvuru No", a->app_number);
	put_line(out, "Başvuru Tarihi", a->created);
	put_fields(out, a);
	put_undertaking(out, a);
	return out->err ? -1 : 0;
}
