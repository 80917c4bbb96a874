/* The application form page as rendered from the form table
 * (web/form_fields.c, templates/form_field.html inside basvuru_form.html):
 * every row appears with its label, id, name and required marker, and with
 * the markup the page had when it was written by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/form.h"
#include "http/internal.h"
#include "util/log.h"
#include "web/form_fields.h"

static arena *A;

/* The markup of each field as templates/basvuru_form.html had it by hand
 * (a new field may add its row here to pin its markup). */
static const struct want {
	enum form_field f;
	const char *tag, *type, *inputmode, *pattern, *maxlength, *autocomplete;
	int required;	  /* the required attribute */
	int marked;	  /* the "*" after the label */
	int blank;	  /* a "Seçiniz" option first */
	const char *hint; /* how the hint starts; NULL: none */
} want[] = {
	{FF_BASVURU_NEDENI, "select", NULL, NULL, NULL, NULL, NULL, 1, 1, 0, "Yenileme: mevcut"},
	{FF_KART_OKUYUCU, "select", NULL, NULL, NULL, NULL, NULL, 0, 1, 1, "Yalnızca ilk"},
	{FF_SERTIFIKA_SURESI, "select", NULL, NULL, NULL, NULL, NULL, 1, 1, 0, NULL},
	{FF_GUVENLIK_SOZCUGU, "input", "password", NULL, NULL, "64", "new-password", 1, 1, 0,
	 "Sertifikanızı aldıktan sonra bireysel işlemlere (NES Bireysel) girişte kullanacağınız "
	 "sözcük: 8-64 karakter,"},
	{FF_GUVENLIK_SOZCUGU_TEKRAR, "input", "password", NULL, NULL, "64", "new-password", 1, 1, 0,
	 NULL},
	{FF_BIRIM, "input", "text", NULL, NULL, "100", NULL, 1, 1, 0, NULL},
	{FF_UNVAN, "input", "text", NULL, NULL, "100", NULL, 1, 1, 0, NULL},
	{FF_ADRES, "textarea", NULL, NULL, NULL, "300", NULL, 1, 1, 0, NULL},
	{FF_POSTA_KODU, "input", "text", "numeric", "[0-9]{5}", "5", NULL, 1, 1, 0,
	 "5 haneli; ilk iki hanesi ilin plaka kodudur."},
	{FF_IL, "select", NULL, NULL, NULL, NULL, NULL, 1, 1, 1, NULL},
	{FF_ILCE, "select", NULL, NULL, NULL, NULL, NULL, 1, 1, 1, NULL},
	{FF_EPOSTA, "input", "email", NULL, NULL, "254", "email", 1, 1, 0, NULL},
	{FF_IS_TEL, "input", "tel", NULL, NULL, "20", NULL, 1, 1, 0, NULL},
	{FF_DAHILI, "input", "text", "numeric", NULL, "6", NULL, 0, 0, 0, NULL},
	{FF_CEP_TEL, "input", "tel", NULL, NULL, "20", "tel", 1, 1, 0,
	 "Bir sonraki adımda bu numaraya SMS Onay Kodu gönderilecektir;"},
	{FF_EV_TEL, "input", "tel", NULL, NULL, "20", NULL, 0, 0, 0, NULL},
	{FF_OPERATOR, "select", NULL, NULL, NULL, NULL, NULL, 1, 1, 1, NULL},
	{FF_BILGI_KANALI, "select", NULL, NULL, NULL, NULL, NULL, 1, 1, 0,
	 "Sertifikanız üretildikten sonra size hangi yolla ulaşılacağını belirler."},
};

static int setup(void **state)
{
	(void)state;
	A = arena_new(0);
	log_set_level(LOG_LEVEL__MAX);
	return A == NULL;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(A);
	return 0;
}

/* The page rendered with in; items[] receives the fields' items. */
static const char *render(const struct form_fields_in *in, tpl *items[FF__MAX])
{
	tpl *t = tpl_new_in(A);
	const char *page;

	tpl_set(t, "error", "Formda hatalı alanlar var."); /* the summary on top */
	form_fields_add(t, in, items);
	page = tpl_render(t, "basvuru_form.html");
	assert_non_null(page);
	return page;
}

/* The opening tag of the element whose id and name are `name`, as a copy
 * in A. */
static const char *element_tag(const char *page, const char *name)
{
	char key[128];
	const char *at, *start, *end;

	snprintf(key, sizeof(key), " id=\"%s\" name=\"%s\"", name, name);
	at = strstr(page, key);
	assert_non_null(at);
	assert_null(strstr(at + 1, key)); /* once */
	for (start = at; start > page && *start != '<'; start--)
		;
	end = strchr(at, '>');
	assert_non_null(end);
	return arena_strndup(A, start, (size_t)(end - start + 1));
}

/* Asserts that tag has attr="value" (value NULL: that it has no attr). */
static void assert_attr(const char *tag, const char *attr, const char *value)
{
	char key[128];

	snprintf(key, sizeof(key), " %s=\"", attr);
	if (value == NULL) {
		assert_null(strstr(tag, key));
		return;
	}
	snprintf(key, sizeof(key), " %s=\"%s\"", attr, value);
	assert_non_null(strstr(tag, key));
}

/* The page's text from the element of name to the end of its field. */
static const char *field_text(const char *page, const char *name)
{
	char key[128];
	const char *at, *end;

	snprintf(key, sizeof(key), "<label for=\"%s\">", name);
	at = strstr(page, key);
	assert_non_null(at);
	end = strstr(at, "<div class=\"field\">");
	if (end == NULL)
		end = at + strlen(at);
	return arena_strndup(A, at, (size_t)(end - at));
}

/* Every row of the table is on the page: its label text with the "*" when
 * required, one element of its id and name, its hint, no error; and no
 * editable field of the page is missing from the table (the read-only ones
 * have ids starting with "f_"). */
static void rows_on_page(void **state)
{
	const struct form_field_def *t = form_field_table();
	struct form_fields_in in = {.first_application = 1};
	tpl *items[FF__MAX];
	const char *page = render(&in, items), *p;
	char s[512];
	int labels = 0;

	(void)state;
	for (int i = 0; i < FF__MAX; i++) {
		const char *name = t[i].name, *tag = element_tag(page, name);
		const char *field = field_text(page, name);
		int marked = (t[i].html.flags & (FORM_HTML_REQUIRED | FORM_HTML_MARK_ONLY)) != 0;

		assert_non_null(items[i]);
		assert_non_null(tag);
		snprintf(s, sizeof(s), "<label for=\"%s\">%s</label>", name, t[i].label);
		assert_non_null(strstr(page, s));
		snprintf(
			s, sizeof(s),
			"<label for=\"%s\">%s</label> <span class=\"req\" aria-hidden=\"true\">*</span>",
			name, t[i].label);
		assert_true((strstr(page, s) != NULL) == marked);
		snprintf(s, sizeof(s), "<p class=\"hint\" id=\"%s-ipucu\">%s</p>", name,
			 t[i].html.hint != NULL ? t[i].html.hint : "");
		assert_true((strstr(field, s) != NULL) == (t[i].html.hint != NULL));
		snprintf(s, sizeof(s), "id=\"%s-hata\"", name);
		assert_null(strstr(page, s));
		assert_null(strstr(tag, "aria-invalid"));
	}
	for (p = page; (p = strstr(p, "<label for=\"")) != NULL; p++) {
		const char *id = p + strlen("<label for=\"");
		size_t n = strcspn(id, "\"");
		int found = 0;

		if (strncmp(id, "f_", 2) == 0)
			continue;
		for (int i = 0; i < FF__MAX; i++)
			found |= strlen(t[i].name) == n && strncmp(t[i].name, id, n) == 0;
		assert_true(found);
		labels++;
	}
	assert_int_equal(labels, FF__MAX);
}

/* The fields the page had when its markup was written by hand keep it:
 * element, attributes, "*", the "Seçiniz" option, the hint. */
static void markup_as_written(void **state)
{
	const struct form_field_def *t = form_field_table();
	struct form_fields_in in = {.first_application = 1};
	tpl *items[FF__MAX];
	const char *page = render(&in, items);
	char s[512];

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct want *w = &want[i];
		const char *name = t[w->f].name, *tag = element_tag(page, name);
		const char *field = field_text(page, name);

		snprintf(s, sizeof(s), "<label for=\"%s\">%s</label>%s", name, t[w->f].label,
			 w->marked ? " <span class=\"req\" aria-hidden=\"true\">*</span>" : "\n");
		assert_non_null(strstr(page, s));
		snprintf(s, sizeof(s), "<%s id=", w->tag);
		assert_int_equal(strncmp(tag, s, strlen(s)), 0);
		assert_attr(tag, "type", w->type);
		assert_attr(tag, "inputmode", w->inputmode);
		assert_attr(tag, "pattern", w->pattern);
		assert_attr(tag, "maxlength", w->maxlength);
		assert_attr(tag, "autocomplete", w->autocomplete);
		assert_true((strstr(tag, " required") != NULL) == w->required);
		assert_true((strstr(field, "<option value=\"\">Seçiniz</option>") != NULL) ==
			    w->blank);
		snprintf(s, sizeof(s), "%s-ipucu", name);
		assert_attr(tag, "aria-describedby", w->hint != NULL ? s : NULL);
		snprintf(s, sizeof(s), "<p class=\"hint\" id=\"%s-ipucu\">%s", name,
			 w->hint != NULL ? w->hint : "");
		assert_true((strstr(field, s) != NULL) == (w->hint != NULL));
	}
}

/* Kart Okuyucu is asked for a first application only. */
static void card_reader_first_application_only(void **state)
{
	struct form_fields_in in = {.first_application = 0};
	tpl *items[FF__MAX];
	const char *page = render(&in, items);

	(void)state;
	assert_null(items[FF_KART_OKUYUCU]);
	assert_null(strstr(page, "kart_okuyucu"));
	assert_non_null(items[FF_BASVURU_NEDENI]);
	assert_non_null(strstr(page, "<label for=\"sertifika_suresi\">"));
}

/* Each error is beside its field, which points to it (after its hint). */
static void errors_beside_fields(void **state)
{
	const struct form_field_def *t = form_field_table();
	struct form_fields_in in = {.first_application = 1};
	tpl *items[FF__MAX];
	const char *page;
	char s[256];

	(void)state;
	for (int i = 0; i < FF__MAX; i++)
		in.error[i] = t[i].label; /* any text that names its field */
	page = render(&in, items);
	assert_non_null(strstr(page, "Formda hatalı alanlar var."));
	for (int i = 0; i < FF__MAX; i++) {
		const char *tag = element_tag(page, t[i].name);
		const char *n = t[i].name;

		assert_non_null(strstr(tag, " aria-invalid=\"true\""));
		if (t[i].html.hint != NULL)
			snprintf(s, sizeof(s), "%s-ipucu %s-hata", n, n);
		else
			snprintf(s, sizeof(s), "%s-hata", n);
		assert_attr(tag, "aria-describedby", s);
		snprintf(s, sizeof(s), "<p class=\"error\" id=\"%s-hata\">%s</p>", n, t[i].label);
		assert_non_null(strstr(field_text(page, n), s));
	}
}

/* What was typed goes back, escaped; a secret never does; a choice with an
 * option table lists its options with the given value selected. */
static void values_and_options(void **state)
{
	const struct form_field_def *t = form_field_table();
	struct form_fields_in in = {.first_application = 1};
	tpl *items[FF__MAX];
	const char *page;
	char s[256];

	(void)state;
	in.value[FF_EPOSTA] = "a\"<b@example.org";
	in.value[FF_ADRES] = "Okul <Cad.>";
	in.value[FF_GUVENLIK_SOZCUGU] = "Gizli2026sozcuk";
	in.value[FF_GUVENLIK_SOZCUGU_TEKRAR] = "Gizli2026sozcuk";
	in.value[FF_OPERATOR] = "VODAFONE";
	page = render(&in, items);
	assert_attr(element_tag(page, "eposta"), "value", "a&quot;&lt;b@example.org");
	assert_non_null(strstr(page, ">Okul &lt;Cad.&gt;</textarea>"));
	assert_null(strstr(page, "Gizli2026sozcuk"));
	assert_attr(element_tag(page, "guvenlik_sozcugu"), "value", NULL);
	for (int i = 0; i < FF__MAX; i++) {
		const char *field = field_text(page, t[i].name);

		for (const struct form_option *o = t[i].options; o != NULL && o->value; o++) {
			int on = in.value[i] != NULL && strcmp(in.value[i], o->value) == 0;

			snprintf(s, sizeof(s), "<option value=\"%s\"%s>%s</option>", o->value,
				 on ? " selected" : "", o->label);
			assert_non_null(strstr(field, s));
		}
	}
	/* Options from elsewhere go to the item the caller is given. */
	form_fields_option(items[FF_IL], "67", "Zonguldak", 1);
	form_fields_option(NULL, "x", "y", 0); /* a field not shown: nothing */
}

/* İl fills İlçe (data-ilce-url, the no-JavaScript button); İş Telefonu
 * and Dahili share one grid. */
static void districts_and_grid(void **state)
{
	struct form_fields_in in = {.first_application = 1};
	tpl *items[FF__MAX];
	const char *page = render(&in, items), *grid, *end;
	int open = 0, close = 0;

	(void)state;
	assert_attr(element_tag(page, "il"), "data-ilce-url", "/basvuru/ilceler");
	assert_non_null(strstr(field_text(page, "il"),
			       "<button type=\"submit\" name=\"islem\" value=\"ilce\" class=\"btn "
			       "secondary js-hide\" formnovalidate>İlçeleri listele</button>"));
	assert_null(strstr(field_text(page, "ilce"), "<button"));
	grid = strstr(strstr(page, "for=\"eposta\""), "<div class=\"grid\">");
	assert_non_null(grid);
	end = strstr(page, "<label for=\"cep_tel\"");
	assert_true(grid < strstr(page, "for=\"is_tel\"") && grid < end);
	for (const char *p = grid; p < end && (p = strstr(p, "<div")) != NULL && p < end; p++)
		open++;
	for (const char *p = grid; p < end && (p = strstr(p, "</div>")) != NULL && p < end; p++)
		close++;
	/* the grid, İş Telefonu, Dahili, and the opening of Cep Telefonu's field */
	assert_int_equal(open, 4);
	assert_int_equal(close, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_on_page),
		cmocka_unit_test(markup_as_written),
		cmocka_unit_test(card_reader_first_application_only),
		cmocka_unit_test(errors_beside_fields),
		cmocka_unit_test(values_and_options),
		cmocka_unit_test(districts_and_grid),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
