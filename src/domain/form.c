/* Application form validation: one check per field, messages in Turkish. */
#include "domain/form.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/email.h"
#include "domain/phone.h"
#include "domain/postal.h"
#include "domain/text.h"
#include "domain/trcase.h"

#define FORM_CHOICE_MAX 32

/* Compared by address: form_text returns exactly these pointers. */
static const char msg_required[] = "Bu alan zorunludur.";
static const char msg_bad_chars[] = "Geçersiz karakter içeriyor.";

static const struct form_option form_card_readers[] = {
	{"MINI", "Mini Kart Okuyucu"},
	{"STANDART", "Standart Kart Okuyucu"},
	{"USB_TOKEN", "USB Token"},
	{NULL, NULL},
};

static const struct form_option form_operators[] = {
	{"TURKCELL", "Turkcell"},
	{"VODAFONE", "Vodafone"},
	{"TURK_TELEKOM", "Türk Telekom"},
	{NULL, NULL},
};

/* Same order as enum form_channel - 1. */
static const struct form_option form_channels[] = {
	{"EPOSTA", "E-posta"},
	{"SMS", "SMS"},
	{"IKISI", "E-posta ve SMS"},
	{NULL, NULL},
};

const char *form_field_name(enum form_field f)
{
	const struct form_field_def *d = form_field_def(f);

	return d != NULL ? d->name : "?";
}

const char *form_channel_name(unsigned channels)
{
	return channels >= CHANNEL_EPOSTA && channels <= CHANNEL_IKISI
		       ? form_channels[channels - 1].value
		       : "?";
}

int form_channel_parse(const char *name)
{
	for (int i = 0; name != NULL && form_channels[i].value != NULL; i++)
		if (strcmp(form_channels[i].value, name) == 0)
			return i + 1;
	return -1;
}

const struct form_option *form_card_reader_options(void)
{
	return form_card_readers;
}

const struct form_option *form_operator_options(void)
{
	return form_operators;
}

const struct form_option *form_channel_options(void)
{
	return form_channels;
}

/* The static entry of opts whose value is value, or NULL. */
static const struct form_option *form_option_find(const struct form_option *opts, const char *value)
{
	if (opts == NULL || value == NULL)
		return NULL;
	for (; opts->value != NULL; opts++) {
		if (strcmp(opts->value, value) == 0)
			return opts;
	}
	return NULL;
}

const char *form_option_label(const struct form_option *opts, const char *value)
{
	const struct form_option *o = form_option_find(opts, value);

	return o != NULL ? o->label : NULL;
}

static const char *form_too_long(size_t max)
{
	switch (max) {
	case FORM_ILCE_MAX: return "En fazla 50 karakter girilebilir.";
	case FORM_BIRIM_MAX: return "En fazla 100 karakter girilebilir.";
	case FORM_EPOSTA_MAX: return "En fazla 254 karakter girilebilir.";
	case FORM_ADRES_MAX: return "En fazla 300 karakter girilebilir.";
	default: return "Girilen değer çok uzun.";
	}
}

/* Keeps text as the stored value of field f (NULL when empty): a copy in
 * out's pool. NULL, or a message when the pool is full (cannot happen with
 * the table's limits; FORM_VALUES_MAX covers them). */
static const char *form_keep(struct app_form_clean *out, enum form_field f, const char *text)
{
	size_t n = text != NULL ? strlen(text) : 0;

	out->value[f] = NULL;
	if (n == 0)
		return NULL;
	if (n + 1 > sizeof(out->pool) - out->used)
		return "Girilen değer çok uzun.";
	memcpy(out->pool + out->used, text, n + 1);
	out->value[f] = out->pool + out->used;
	out->used += n + 1;
	return NULL;
}

/* Cleans a text field into out; returns the message or NULL when ok. An
 * empty result is an error only when required. */
static const char *form_text(const char *in, char *out, size_t outlen, size_t max, int required)
{
	int rc = text_clean(in, out, outlen, max);

	if (rc == -2)
		return form_too_long(max);
	if (rc < 0)
		return msg_bad_chars;
	if (required && out[0] == '\0')
		return msg_required;
	return NULL;
}

/* A text field of at most max characters, kept as field f when valid. */
static const char *form_text_keep(const char *raw, struct app_form_clean *out, enum form_field f,
				  size_t max, int required)
{
	char v[FORM_ADRES_MAX * 4 + 1];
	const char *msg = form_text(raw, v, sizeof(v), max, required);

	return msg != NULL ? msg : form_keep(out, f, v);
}

/* Cleans a select-box value and looks it up in opts. */
static const char *form_choice(const char *in, const struct form_option *opts, const char *bad,
			       const struct form_option **found)
{
	char v[FORM_CHOICE_MAX * 4 + 1];
	const char *msg = form_text(in, v, sizeof(v), FORM_CHOICE_MAX, 1);

	*found = NULL;
	if (msg != NULL)
		return msg == msg_required ? msg : bad;
	*found = form_option_find(opts, v);
	return *found != NULL ? NULL : bad;
}

static const char *form_check_reason(const char *raw, const struct app_form *in,
				     struct app_form_clean *out)
{
	char v[FORM_CHOICE_MAX * 4 + 1];
	const char *msg = form_text(raw, v, sizeof(v), FORM_CHOICE_MAX, 1);
	int r;

	out->reason = REASON__MAX;
	if (msg == msg_required)
		return msg;
	if (msg != NULL || (r = app_reason_parse(v)) < 0)
		return "Geçerli bir başvuru nedeni seçiniz.";
	if ((in->allowed_reasons & (1u << r)) == 0)
		return "Bu başvuru nedeni sizin için uygun değildir.";
	out->reason = (enum app_reason)r;
	return form_keep(out, FF_BASVURU_NEDENI, app_reason_name(out->reason));
}

/* Kart Okuyucu Tipi is asked only in a first application. */
static const char *form_check_card_reader(const char *raw, const struct app_form *in,
					  struct app_form_clean *out)
{
	const struct form_option *o;
	const char *msg;

	if (out->reason != REASON_ILK)
		return NULL;
	(void)in;
	msg = form_choice(raw, form_card_readers, "Geçerli bir kart okuyucu tipi seçiniz.", &o);
	return msg != NULL ? msg : form_keep(out, FF_KART_OKUYUCU, o->value);
}

static const char *form_check_years(const char *raw, const struct app_form *in,
				    struct app_form_clean *out)
{
	char v[FORM_CHOICE_MAX * 4 + 1];
	const char *msg = form_text(raw, v, sizeof(v), FORM_CHOICE_MAX, 1);

	(void)in;
	out->years = 0;
	if (msg == msg_required)
		return msg;
	if (msg != NULL || v[0] < '1' || v[0] > '3' || v[1] != '\0')
		return "Sertifika süresi 1, 2 veya 3 yıl olmalıdır.";
	out->years = v[0] - '0';
	return form_keep(out, FF_SERTIFIKA_SURESI, v);
}

static int form_is_letter(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

/* Number of code points in s[0..n) (stops at malformed input). */
static size_t form_cp_count(const char *s, size_t n)
{
	size_t k = 0, chars = 0;
	uint32_t cp;
	int l;

	while (k < n && (l = text_decode(s + k, n - k, &cp)) > 0) {
		k += (size_t)l;
		chars++;
	}
	return chars;
}

/* 1 if the Turkish name key wkey of the word contains one of the
 * space-separated parts (3+ characters) of the key of name. */
static int form_word_has_name(const char *wkey, const char *name)
{
	char nkey[256];
	size_t i = 0, n, len;
	char *sp;

	if (name == NULL || trcase_name_key(name, nkey, sizeof(nkey)) < 0)
		return 0;
	n = strlen(nkey);
	while (i < n) {
		sp = strchr(nkey + i, ' ');
		len = sp != NULL ? (size_t)(sp - (nkey + i)) : n - i;
		nkey[i + len] = '\0';
		if (form_cp_count(nkey + i, len) >= 3 && strstr(wkey, nkey + i) != NULL)
			return 1;
		i += len + 1;
	}
	return 0;
}

int form_security_word_ok(const char *word, const char *ad, const char *soyad, const char *tckn,
			  const char **msg)
{
	static const char weak[] = "Güvenlik sözcüğü 8-64 karakter olmalı, en az bir harf ve "
				   "bir rakam içermelidir.";
	char wkey[FORM_WORD_MAX * 4 + 1];
	size_t n, i = 0, chars = 0;
	int letter = 0, digit = 0, len;
	uint32_t cp;

	if (msg != NULL)
		*msg = weak;
	if (word == NULL)
		return 0;
	n = strlen(word);
	while (i < n) {
		len = text_decode(word + i, n - i, &cp);
		if (len < 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
			if (msg != NULL)
				*msg = msg_bad_chars;
			return 0;
		}
		i += (size_t)len;
		chars++;
		letter |= form_is_letter(cp);
		digit |= cp >= '0' && cp <= '9';
	}
	if (chars < FORM_WORD_MIN || chars > FORM_WORD_MAX || !letter || !digit)
		return 0;
	if ((tckn != NULL && tckn[0] != '\0' && strstr(word, tckn) != NULL) ||
	    (trcase_name_key(word, wkey, sizeof(wkey)) == 0 &&
	     (form_word_has_name(wkey, ad) || form_word_has_name(wkey, soyad)))) {
		if (msg != NULL)
			*msg = "Güvenlik sözcüğü adınızı, soyadınızı veya T.C. Kimlik No'nuzu "
			       "içermemelidir.";
		return 0;
	}
	if (msg != NULL)
		*msg = NULL;
	return 1;
}

static const char *form_check_word(const char *raw, const struct app_form *in,
				   struct app_form_clean *out)
{
	const char *msg = NULL;

	out->guvenlik_sozcugu = NULL;
	if (raw == NULL || raw[0] == '\0')
		return msg_required;
	if (!form_security_word_ok(raw, in->ad, in->soyad, in->tckn, &msg))
		return msg;
	out->guvenlik_sozcugu = raw;
	return NULL;
}

/* Compares with the word as typed, valid or not. */
static const char *form_check_word_repeat(const char *raw, const struct app_form *in,
					  struct app_form_clean *out)
{
	const char *w = in->raw[FF_GUVENLIK_SOZCUGU];

	(void)out;
	if (raw == NULL || raw[0] == '\0')
		return msg_required;
	if (w == NULL || strcmp(w, raw) != 0)
		return "Güvenlik sözcükleri birbiriyle aynı değil.";
	return NULL;
}

static const char *form_check_birim(const char *raw, const struct app_form *in,
				    struct app_form_clean *out)
{
	(void)in;
	return form_text_keep(raw, out, FF_BIRIM, FORM_BIRIM_MAX, 1);
}

static const char *form_check_unvan(const char *raw, const struct app_form *in,
				    struct app_form_clean *out)
{
	(void)in;
	return form_text_keep(raw, out, FF_UNVAN, FORM_UNVAN_MAX, 1);
}

static const char *form_check_adres(const char *raw, const struct app_form *in,
				    struct app_form_clean *out)
{
	(void)in;
	return form_text_keep(raw, out, FF_ADRES, FORM_ADRES_MAX, 1);
}

/* The plate code 1..81 of a submitted İl, or 0 when it is not one. */
static int form_plate(const char *raw)
{
	char v[FORM_CHOICE_MAX * 4 + 1];
	size_t n;
	int plate;

	if (form_text(raw, v, sizeof(v), FORM_CHOICE_MAX, 1) != NULL)
		return 0;
	n = strlen(v);
	if (n < 1 || n > 2 || v[0] < '0' || v[0] > '9' || (n == 2 && (v[1] < '0' || v[1] > '9')))
		return 0;
	plate = n == 2 ? (v[0] - '0') * 10 + (v[1] - '0') : v[0] - '0';
	return plate >= 1 && plate <= 81 ? plate : 0;
}

static const char *form_check_il(const char *raw, const struct app_form *in,
				 struct app_form_clean *out)
{
	char v[FORM_CHOICE_MAX * 4 + 1];

	(void)in;
	out->il = form_plate(raw);
	if (out->il != 0) {
		snprintf(v, sizeof(v), "%d", out->il);
		return form_keep(out, FF_IL, v);
	}
	return form_text(raw, v, sizeof(v), FORM_CHOICE_MAX, 1) == msg_required
		       ? msg_required
		       : "Geçerli bir il seçiniz.";
}

/* Posta Kodu comes before İl on the page, so it reads the İl as submitted:
 * its first two digits must be the plate code when that is valid. */
static const char *form_check_postal(const char *raw, const struct app_form *in,
				     struct app_form_clean *out)
{
	char v[FORM_CHOICE_MAX * 4 + 1];
	const char *msg = form_text(raw, v, sizeof(v), FORM_CHOICE_MAX, 1);
	int plate = form_plate(in->raw[FF_IL]);
	size_t i;

	if (msg == msg_required)
		return msg;
	for (i = 0; msg == NULL && v[i] != '\0'; i++) {
		if (v[i] < '0' || v[i] > '9')
			msg = "Posta kodu 5 haneli olmalıdır.";
	}
	if (msg != NULL || i != 5)
		return "Posta kodu 5 haneli olmalıdır.";
	if (plate != 0 && !postal_code_matches(v, plate))
		return "Posta kodunun ilk iki hanesi seçilen ilin plaka kodu olmalıdır.";
	if (!postal_code_valid(v))
		return "Geçerli bir posta kodu giriniz.";
	return form_keep(out, FF_POSTA_KODU, v);
}

/* Needs out->il (the İl row comes first). */
static const char *form_check_ilce(const char *raw, const struct app_form *in,
				   struct app_form_clean *out)
{
	char v[FORM_ILCE_MAX * 4 + 1];
	const char *msg = form_text(raw, v, sizeof(v), FORM_ILCE_MAX, 1);

	if (msg != NULL)
		return msg;
	if (out->il != 0 && in->district_ok != NULL &&
	    !in->district_ok(in->district_ctx, out->il, v))
		return "Seçilen ile ait geçerli bir ilçe seçiniz.";
	return form_keep(out, FF_ILCE, v);
}

static const char *form_check_email(const char *raw, const struct app_form *in,
				    struct app_form_clean *out)
{
	char v[FORM_EPOSTA_MAX * 4 + 1];
	const char *msg = form_text(raw, v, sizeof(v), FORM_EPOSTA_MAX, 1);

	(void)in;
	if (msg == msg_required)
		return msg;
	if (msg != NULL || !email_valid(v))
		return "Geçerli bir e-posta adresi giriniz.";
	return form_keep(out, FF_EPOSTA, v);
}

/* A phone field: mobile and/or landline accepted as allowed; kept as the
 * 10 digits. */
static const char *form_phone(const char *in, struct app_form_clean *clean, enum form_field f,
			      int required, int mobile, int landline, const char *bad)
{
	char v[FORM_CHOICE_MAX * 4 + 1], out[11];
	const char *msg = form_text(in, v, sizeof(v), FORM_CHOICE_MAX, required);

	if (msg == msg_required)
		return msg;
	if (msg != NULL)
		return bad;
	if (v[0] == '\0')
		return NULL;
	if ((mobile && phone_normalize_mobile(v, out) == 0) ||
	    (landline && phone_normalize_landline(v, out) == 0))
		return form_keep(clean, f, out);
	return bad;
}

static const char *form_check_is_tel(const char *raw, const struct app_form *in,
				     struct app_form_clean *out)
{
	(void)in;
	return form_phone(
		raw, out, FF_IS_TEL, 1, 1, 1,
		"İş telefonu alan koduyla birlikte 10 haneli olmalıdır (ör. 0372 123 45 67).");
}

static const char *form_check_dahili(const char *raw, const struct app_form *in,
				     struct app_form_clean *out)
{
	static const char bad[] = "Dahili numara en fazla 6 rakamdan oluşmalıdır.";
	char v[FORM_CHOICE_MAX * 4 + 1];
	size_t i;

	(void)in;
	if (form_text(raw, v, sizeof(v), FORM_CHOICE_MAX, 0) != NULL)
		return bad;
	for (i = 0; v[i] != '\0'; i++) {
		if (i >= 6 || v[i] < '0' || v[i] > '9')
			return bad;
	}
	return form_keep(out, FF_DAHILI, v);
}

static const char *form_check_cep_tel(const char *raw, const struct app_form *in,
				      struct app_form_clean *out)
{
	(void)in;
	return form_phone(raw, out, FF_CEP_TEL, 1, 1, 0,
			  "Cep telefonu 5 ile başlayan 10 haneli olmalıdır (ör. 0532 123 45 67).");
}

static const char *form_check_ev_tel(const char *raw, const struct app_form *in,
				     struct app_form_clean *out)
{
	(void)in;
	return form_phone(
		raw, out, FF_EV_TEL, 0, 1, 1,
		"Ev telefonu alan koduyla birlikte 10 haneli olmalıdır (ör. 0372 123 45 67).");
}

static const char *form_check_operator(const char *raw, const struct app_form *in,
				       struct app_form_clean *out)
{
	const struct form_option *o;
	const char *msg = form_choice(raw, form_operators, "Geçerli bir mobil operatör seçiniz.",
				      &o);

	(void)in;
	return msg != NULL ? msg : form_keep(out, FF_OPERATOR, o->value);
}

static const char *form_check_channel(const char *raw, const struct app_form *in,
				      struct app_form_clean *out)
{
	const struct form_option *o;
	const char *msg = form_choice(raw, form_channels, "Geçerli bir bilgi kanalı seçiniz.", &o);

	(void)in;
	out->channels = o != NULL ? (unsigned)(o - form_channels) + 1 : 0;
	return msg != NULL ? msg : form_keep(out, FF_BILGI_KANALI, o->value);
}

/* The hints below the fields on the form page. */
static const char hint_reason[] =
	"Yenileme: mevcut sertifikanızın bitiş tarihi yeni sertifikanızın başlangıç tarihi "
	"olur. Kayıp/Çalıntı: ücretli yeni sertifika başvurusu yapılır; geçerli sertifikanız "
	"kurum yetkilinizin onayıyla iptal edilir (sertifika sahibi olduğunuzu doğrularsanız "
	"hemen askıya alınır). Diğer: mevcut sertifikanıza ek olarak yeni bir sertifika.";
static const char hint_card_reader[] = "Yalnızca ilk başvuruda istenir.";
static const char hint_word[] =
	"Sertifikanızı aldıktan sonra bireysel işlemlere (NES Bireysel) girişte kullanacağınız "
	"sözcük: 8-64 karakter, en az bir harf ve bir rakam; adınızı, soyadınızı ya da T.C. "
	"Kimlik Numaranızı içermemeli. Güvenlik nedeniyle bu iki alan, form yeniden "
	"gösterildiğinde (hata ya da İlçeleri listele) boş gelir; yeniden yazınız.";
static const char hint_postal[] = "5 haneli; ilk iki hanesi ilin plaka kodudur.";
static const char hint_mobile[] = "Bir sonraki adımda bu numaraya SMS Onay Kodu "
				  "gönderilecektir; numaranın doğru olması gerekir.";
static const char hint_channel[] =
	"Sertifikanız üretildikten sonra size hangi yolla ulaşılacağını belirler.";

/*
 * The form's fields, one row each, in page order. Everything is made from
 * this table by looping over it:
 *  - the fields of the form page: web/form_fields.c turns each row into a
 *    list item of its fieldset, which templates/form_field.html draws (the
 *    label, the "*", the element with the row's PAGE() attributes, hint,
 *    error and aria attributes, a choice's options from its option table);
 *  - the POST /basvuru/form field list (web/apply_routes.c) and the raw
 *    strings the handler reads into struct app_form's raw[] (web/apply_form.c);
 *  - form_validate() below, which leaves each field's stored text in struct
 *    app_form_clean's value[];
 *  - the column lists of the application repository (store/application.c):
 *    struct application_new's and struct application's form[] are bound and
 *    read column by column, all as text;
 *  - the printed form and the e-onay document (doc/formdata.c, values from
 *    form_display() by the row's print kind in app/apply_doc.c);
 *  - the form columns of the console's CSV export (csv_label; the queue
 *    query in store/application_query.c and web/console_authority.c).
 *
 * To add a field (say "oda_no", a room number stored as text):
 *  1. Add FF_ODA_NO to enum form_field in form.h at its place in page order,
 *     and one row here at the same place: name, the <label> text of the
 *     page, input kind, edge limit in bytes, its check, the column, the
 *     print section and row label (NULL: not printed), the print kind
 *     (FORM_PRINT_TEXT: as stored), its option table (NULL unless a choice
 *     with a fixed list), the CSV header (NULL: not exported), and how the
 *     page draws it: PAGE(element, fieldset, flags, maxlength, inputmode,
 *     pattern, autocomplete, hint), e.g.
 *     PAGE(TEXT, KURUM, REQ, 10, NULL, NULL, NULL, "Oda numaranız.").
 *  2. Write its check above: form_text_keep() covers plain text (clean,
 *     limit, required, and keep it as the stored value); a check may use
 *     what earlier rows put into `out`. A choice with a fixed list also
 *     gets its option table (a static struct form_option[] above, named in
 *     its row), which its select box lists.
 *  3. Add a migration (src/store/migrations/NNNN_*.sql) with
 *     ALTER TABLE applications ADD COLUMN oda_no TEXT.
 * Nothing else: the page shows the field, puts back what was typed and its
 * error beside it; struct application's form[FF_ODA_NO] holds the stored
 * value, the PDF prints it; the unit tests loop over the table (a value in
 * the `stored` / `want` tables of tests/unit/store/test_form_columns.c and
 * tests/unit/doc/test_formdata.c, and its markup in the `want` table of
 * tests/unit/web/test_form_page.c, check it further). Only a select box
 * whose options come from elsewhere (like the provinces) needs code:
 * web/apply_form.c add_code_options().
 */
#define CHOICE FORM_INPUT_CHOICE
#define DIGITS FORM_INPUT_DIGITS
#define SECRET FORM_INPUT_SECRET
#define TEXT FORM_INPUT_TEXT
#define BASVURU FORM_SECTION_BASVURU
#define KURUM FORM_SECTION_KURUM
#define ILETISIM FORM_SECTION_ILETISIM
#define P_TEXT FORM_PRINT_TEXT
#define P_OPTION FORM_PRINT_OPTION
#define P_PHONE FORM_PRINT_PHONE
/* PAGE(element, fieldset, flags, maxlength, inputmode, pattern, autocomplete,
 * hint) is a row's struct form_html: element and fieldset are named
 * without their FORM_EL_ / FORM_FIELDSET_ prefixes, the flags without
 * FORM_HTML_ (and shortened). */
#define PAGE(el, fs, flags, max, mode, pat, ac, hint) \
	{ \
		FORM_EL_##el, FORM_FIELDSET_##fs, flags, max, mode, pat, ac, hint \
	}
#define REQ FORM_HTML_REQUIRED
#define MARK FORM_HTML_MARK_ONLY
#define BLANK FORM_HTML_BLANK
#define FIRST FORM_HTML_FIRST_ONLY
#define GRID FORM_HTML_GRID
#define DISTRICTS FORM_HTML_DISTRICTS

static const struct form_field_def form_table[FF__MAX] = {
	{FF_BASVURU_NEDENI, "basvuru_nedeni", "Başvuru Nedeni", CHOICE, 32, form_check_reason,
	 "reason", BASVURU, "Başvuru Nedeni", FORM_PRINT_REASON, NULL, "Başvuru Nedeni",
	 PAGE(SELECT, SERTIFIKA, REQ, 0, NULL, NULL, NULL, hint_reason)},
	{FF_KART_OKUYUCU, "kart_okuyucu", "Kart Okuyucu Tipi", CHOICE, 32, form_check_card_reader,
	 "card_reader", BASVURU, "Kart Okuyucu Tipi", P_OPTION, form_card_readers, NULL,
	 PAGE(SELECT, SERTIFIKA, MARK | BLANK | FIRST, 0, NULL, NULL, NULL, hint_card_reader)},
	{FF_SERTIFIKA_SURESI, "sertifika_suresi", "Sertifika Süresi", DIGITS, 8, form_check_years,
	 "years", BASVURU, "Sertifika Süresi", FORM_PRINT_YEARS, NULL, NULL,
	 PAGE(SELECT, SERTIFIKA, REQ, 0, NULL, NULL, NULL, NULL)},
	{FF_GUVENLIK_SOZCUGU, "guvenlik_sozcugu", "Güvenlik Sözcüğü", SECRET, 256, form_check_word,
	 NULL, BASVURU, NULL, P_TEXT, NULL, NULL,
	 PAGE(PASSWORD, SERTIFIKA, REQ, FORM_WORD_MAX, NULL, NULL, "new-password", hint_word)},
	{FF_GUVENLIK_SOZCUGU_TEKRAR, "guvenlik_sozcugu_tekrar", "Güvenlik Sözcüğü (Tekrar)", SECRET,
	 256, form_check_word_repeat, NULL, BASVURU, NULL, P_TEXT, NULL, NULL,
	 PAGE(PASSWORD, SERTIFIKA, REQ, FORM_WORD_MAX, NULL, NULL, "new-password", NULL)},
	{FF_BIRIM, "birim", "Çalıştığı Birim", TEXT, 500, form_check_birim, "birim", KURUM,
	 "Çalıştığı Birim", P_TEXT, NULL, NULL,
	 PAGE(TEXT, KURUM, REQ, FORM_BIRIM_MAX, NULL, NULL, NULL, NULL)},
	{FF_UNVAN, "unvan", "Unvan", TEXT, 500, form_check_unvan, "unvan", KURUM, "Unvan", P_TEXT,
	 NULL, NULL, PAGE(TEXT, KURUM, REQ, FORM_UNVAN_MAX, NULL, NULL, NULL, NULL)},
	{FF_ADRES, "adres", "Kurum / Birim Adresi", FORM_INPUT_MULTILINE, 1500, form_check_adres,
	 "adres", KURUM, "Kurum/Birim Adresi", P_TEXT, NULL, NULL,
	 PAGE(TEXTAREA, KURUM, REQ, FORM_ADRES_MAX, NULL, NULL, NULL, NULL)},
	{FF_POSTA_KODU, "posta_kodu", "Posta Kodu", DIGITS, 16, form_check_postal, "posta_kodu",
	 KURUM, "Posta Kodu", P_TEXT, NULL, NULL,
	 PAGE(TEXT, KURUM, REQ, 5, "numeric", "[0-9]{5}", NULL, hint_postal)},
	{FF_IL, "il", "İl", DIGITS, 8, form_check_il, "il", KURUM, "İl", FORM_PRINT_PROVINCE, NULL,
	 NULL, PAGE(SELECT, KURUM, REQ | BLANK | DISTRICTS, 0, NULL, NULL, NULL, NULL)},
	{FF_ILCE, "ilce", "İlçe", TEXT, 200, form_check_ilce, "ilce", KURUM, "İlçe", P_TEXT, NULL,
	 NULL, PAGE(SELECT, KURUM, REQ | BLANK, 0, NULL, NULL, NULL, NULL)},
	{FF_EPOSTA, "eposta", "E-posta", TEXT, 300, form_check_email, "eposta", ILETISIM, "E-posta",
	 P_TEXT, NULL, NULL, PAGE(EMAIL, KURUM, REQ, FORM_EPOSTA_MAX, NULL, NULL, "email", NULL)},
	{FF_IS_TEL, "is_tel", "İş Telefonu", DIGITS, 32, form_check_is_tel, "is_tel", ILETISIM,
	 "İş Telefonu", FORM_PRINT_PHONE_EXT, NULL, NULL,
	 PAGE(TEL, KURUM, REQ | GRID, 20, NULL, NULL, NULL, NULL)},
	{FF_DAHILI, "dahili", "Dahili", DIGITS, 16, form_check_dahili, "dahili", ILETISIM, NULL,
	 P_TEXT, NULL, NULL, PAGE(TEXT, KURUM, 0, 6, "numeric", NULL, NULL, NULL)},
	{FF_CEP_TEL, "cep_tel", "Cep Telefonu", DIGITS, 32, form_check_cep_tel, "cep_tel", ILETISIM,
	 "Cep Telefonu", P_PHONE, NULL, NULL,
	 PAGE(TEL, KURUM, REQ, 20, NULL, NULL, "tel", hint_mobile)},
	{FF_EV_TEL, "ev_tel", "Ev Telefonu", DIGITS, 32, form_check_ev_tel, "ev_tel", ILETISIM,
	 "Ev Telefonu", P_PHONE, NULL, NULL, PAGE(TEL, KURUM, 0, 20, NULL, NULL, NULL, NULL)},
	{FF_OPERATOR, "operator", "Mobil Operatör", CHOICE, 32, form_check_operator, "operator",
	 ILETISIM, "Mobil Operatör", P_OPTION, form_operators, NULL,
	 PAGE(SELECT, KURUM, REQ | BLANK, 0, NULL, NULL, NULL, NULL)},
	{FF_BILGI_KANALI, "bilgi_kanali", "Bilgi Kanalı", CHOICE, 16, form_check_channel,
	 "bilgi_kanali", ILETISIM, "Bilgi Kanalı", P_OPTION, form_channels, NULL,
	 PAGE(SELECT, KURUM, REQ, 0, NULL, NULL, NULL, hint_channel)},
};

#undef P_TEXT
#undef P_OPTION
#undef P_PHONE
#undef CHOICE
#undef DIGITS
#undef SECRET
#undef TEXT
#undef BASVURU
#undef KURUM
#undef ILETISIM
#undef PAGE
#undef REQ
#undef MARK
#undef BLANK
#undef FIRST
#undef GRID
#undef DISTRICTS

const struct form_field_def *form_field_table(void)
{
	return form_table;
}

const struct form_field_def *form_field_def(enum form_field f)
{
	return (unsigned)f < FF__MAX ? &form_table[f] : NULL;
}

const char *form_raw(const struct app_form *in, enum form_field f)
{
	const struct form_field_def *d = form_field_def(f);

	if (d == NULL)
		return NULL;
	return in->raw[d->id];
}

/* One check per row, in page order: a check may use what the checks of
 * earlier rows wrote into out (Kart Okuyucu the reason, İlçe the İl). */
int form_validate(const struct app_form *in, struct form_errors *err, struct app_form_clean *out)
{
	int i;

	memset(err, 0, sizeof(*err));
	memset(out, 0, sizeof(*out));
	for (i = 0; i < FF__MAX; i++) {
		err->msg[i] = form_table[i].check(form_raw(in, (enum form_field)i), in, out);
		err->count += err->msg[i] != NULL;
	}
	return err->count;
}

/* "0 (372) 123 45 67" for 10 digits; the stored string otherwise. */
static const char *form_phone_text(const char *digits, char *out, size_t n)
{
	int k;

	if (digits == NULL || strlen(digits) != 10)
		return digits;
	k = snprintf(out, n, "0 (%.3s) %.3s %.2s %.2s", digits, digits + 3, digits + 6, digits + 8);
	return k >= 0 && (size_t)k < n ? out : digits;
}

const char *form_display(enum form_field f, const char *const stored[FF__MAX], const char *province,
			 char *out, size_t n)
{
	const struct form_field_def *d = form_field_def(f);
	const char *v = d != NULL ? stored[f] : NULL, *ext, *label;
	char phone[32];
	int k, r;

	if (v == NULL || n == 0)
		return NULL;
	switch (d->print) {
	case FORM_PRINT_OPTION: return form_option_label(d->options, v);
	case FORM_PRINT_REASON:
		r = app_reason_parse(v);
		return r >= 0 ? app_reason_label_tr((enum app_reason)r) : v;
	case FORM_PRINT_YEARS:
		k = snprintf(out, n, "%s Yıl", v);
		return k >= 0 && (size_t)k < n ? out : v;
	case FORM_PRINT_PROVINCE: return province != NULL ? province : v;
	case FORM_PRINT_PHONE: return form_phone_text(v, out, n);
	case FORM_PRINT_PHONE_EXT:
		ext = f + 1 < FF__MAX ? stored[f + 1] : NULL;
		label = form_phone_text(v, phone, sizeof(phone));
		if (ext == NULL || ext[0] == '\0')
			k = snprintf(out, n, "%s", label);
		else
			k = snprintf(out, n, "%s (Dahili: %s)", label, ext);
		return k >= 0 && (size_t)k < n ? out : v;
	default: return v;
	}
}
