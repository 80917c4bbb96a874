/* Application form validation: one check per field, messages in Turkish. */
#include "domain/form.h"

#include <stdint.h>
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

static const char *const form_field_names[FF__MAX] = {
	[FF_BASVURU_NEDENI] = "basvuru_nedeni",
	[FF_KART_OKUYUCU] = "kart_okuyucu",
	[FF_SERTIFIKA_SURESI] = "sertifika_suresi",
	[FF_GUVENLIK_SOZCUGU] = "guvenlik_sozcugu",
	[FF_GUVENLIK_SOZCUGU_TEKRAR] = "guvenlik_sozcugu_tekrar",
	[FF_BIRIM] = "birim",
	[FF_UNVAN] = "unvan",
	[FF_ADRES] = "adres",
	[FF_POSTA_KODU] = "posta_kodu",
	[FF_IL] = "il",
	[FF_ILCE] = "ilce",
	[FF_EPOSTA] = "eposta",
	[FF_IS_TEL] = "is_tel",
	[FF_DAHILI] = "dahili",
	[FF_CEP_TEL] = "cep_tel",
	[FF_EV_TEL] = "ev_tel",
	[FF_OPERATOR] = "operator",
	[FF_BILGI_KANALI] = "bilgi_kanali",
};

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

const char *
form_field_name(enum form_field f)
{
	return (unsigned)f < FF__MAX ? form_field_names[f] : "?";
}

const char *
form_channel_name(unsigned channels)
{
	return channels >= CHANNEL_EPOSTA && channels <= CHANNEL_IKISI
		       ? form_channels[channels - 1].value
		       : "?";
}

int
form_channel_parse(const char *name)
{
	for (int i = 0; name != NULL && form_channels[i].value != NULL; i++)
		if (strcmp(form_channels[i].value, name) == 0)
			return i + 1;
	return -1;
}

const struct form_option *
form_card_reader_options(void)
{
	return form_card_readers;
}

const struct form_option *
form_operator_options(void)
{
	return form_operators;
}

const struct form_option *
form_channel_options(void)
{
	return form_channels;
}

/* The static entry of opts whose value is value, or NULL. */
static const struct form_option *
form_option_find(const struct form_option *opts, const char *value)
{
	if (opts == NULL || value == NULL)
		return NULL;
	for (; opts->value != NULL; opts++) {
		if (strcmp(opts->value, value) == 0)
			return opts;
	}
	return NULL;
}

const char *
form_option_label(const struct form_option *opts, const char *value)
{
	const struct form_option *o = form_option_find(opts, value);

	return o != NULL ? o->label : NULL;
}

static const char *
form_too_long(size_t max)
{
	switch (max) {
	case FORM_ILCE_MAX:
		return "En fazla 50 karakter girilebilir.";
	case FORM_BIRIM_MAX:
		return "En fazla 100 karakter girilebilir.";
	case FORM_EPOSTA_MAX:
		return "En fazla 254 karakter girilebilir.";
	case FORM_ADRES_MAX:
		return "En fazla 300 karakter girilebilir.";
	default:
		return "Girilen değer çok uzun.";
	}
}

/* Cleans a text field into out; returns the message or NULL when ok. An
 * empty result is an error only when required. */
static const char *
form_text(const char *in, char *out, size_t outlen, size_t max, int required)
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

/* Cleans a select-box value and looks it up in opts. */
static const char *
form_choice(const char *in, const struct form_option *opts, const char *bad,
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

static const char *
form_check_reason(const struct app_form *in, struct app_form_clean *out)
{
	char v[FORM_CHOICE_MAX * 4 + 1];
	const char *msg = form_text(in->basvuru_nedeni, v, sizeof(v), FORM_CHOICE_MAX, 1);
	int r;

	out->reason = REASON__MAX;
	if (msg == msg_required)
		return msg;
	if (msg != NULL || (r = app_reason_parse(v)) < 0)
		return "Geçerli bir başvuru nedeni seçiniz.";
	if ((in->allowed_reasons & (1u << r)) == 0)
		return "Bu başvuru nedeni sizin için uygun değildir.";
	out->reason = (enum app_reason)r;
	return NULL;
}

/* Kart Okuyucu Tipi is asked only in a first application. */
static const char *
form_check_card_reader(const struct app_form *in, struct app_form_clean *out)
{
	const struct form_option *o;
	const char *msg;

	out->kart_okuyucu = NULL;
	if (out->reason != REASON_ILK)
		return NULL;
	msg = form_choice(in->kart_okuyucu, form_card_readers,
			  "Geçerli bir kart okuyucu tipi seçiniz.", &o);
	if (o != NULL)
		out->kart_okuyucu = o->value;
	return msg;
}

static const char *
form_check_years(const struct app_form *in, struct app_form_clean *out)
{
	char v[FORM_CHOICE_MAX * 4 + 1];
	const char *msg = form_text(in->sertifika_suresi, v, sizeof(v), FORM_CHOICE_MAX, 1);

	out->years = 0;
	if (msg == msg_required)
		return msg;
	if (msg != NULL || v[0] < '1' || v[0] > '3' || v[1] != '\0')
		return "Sertifika süresi 1, 2 veya 3 yıl olmalıdır.";
	out->years = v[0] - '0';
	return NULL;
}

static int
form_is_letter(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

/* Number of code points in s[0..n) (stops at malformed input). */
static size_t
form_cp_count(const char *s, size_t n)
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
static int
form_word_has_name(const char *wkey, const char *name)
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

int
form_security_word_ok(const char *word, const char *ad, const char *soyad,
		      const char *tckn, const char **msg)
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

static void
form_check_word(const struct app_form *in, struct form_errors *err,
		struct app_form_clean *out)
{
	const char *w = in->guvenlik_sozcugu, *t = in->guvenlik_sozcugu_tekrar;
	const char *msg = NULL;

	out->guvenlik_sozcugu = NULL;
	if (w == NULL || w[0] == '\0')
		err->msg[FF_GUVENLIK_SOZCUGU] = msg_required;
	else if (!form_security_word_ok(w, in->ad, in->soyad, in->tckn, &msg))
		err->msg[FF_GUVENLIK_SOZCUGU] = msg;
	else
		out->guvenlik_sozcugu = w;
	if (t == NULL || t[0] == '\0')
		err->msg[FF_GUVENLIK_SOZCUGU_TEKRAR] = msg_required;
	else if (w == NULL || strcmp(w, t) != 0)
		err->msg[FF_GUVENLIK_SOZCUGU_TEKRAR] = "Güvenlik sözcükleri birbiriyle aynı değil.";
}

static const char *
form_check_il(const struct app_form *in, struct app_form_clean *out)
{
	char v[FORM_CHOICE_MAX * 4 + 1];
	const char *msg = form_text(in->il, v, sizeof(v), FORM_CHOICE_MAX, 1);
	size_t n;

	out->il = 0;
	if (msg == msg_required)
		return msg;
	n = strlen(v);
	if (msg != NULL || n < 1 || n > 2 || v[0] < '0' || v[0] > '9' ||
	    (n == 2 && (v[1] < '0' || v[1] > '9')))
		return "Geçerli bir il seçiniz.";
	out->il = n == 2 ? (v[0] - '0') * 10 + (v[1] - '0') : v[0] - '0';
	if (out->il < 1 || out->il > 81) {
		out->il = 0;
		return "Geçerli bir il seçiniz.";
	}
	return NULL;
}

/* Needs out->il (0 when the province is invalid). */
static const char *
form_check_postal(const struct app_form *in, struct app_form_clean *out)
{
	char v[FORM_CHOICE_MAX * 4 + 1];
	const char *msg = form_text(in->posta_kodu, v, sizeof(v), FORM_CHOICE_MAX, 1);
	size_t i;

	out->posta_kodu[0] = '\0';
	if (msg == msg_required)
		return msg;
	for (i = 0; msg == NULL && v[i] != '\0'; i++) {
		if (v[i] < '0' || v[i] > '9')
			msg = "Posta kodu 5 haneli olmalıdır.";
	}
	if (msg != NULL || i != 5)
		return "Posta kodu 5 haneli olmalıdır.";
	if (out->il != 0 && !postal_code_matches(v, out->il))
		return "Posta kodunun ilk iki hanesi seçilen ilin plaka kodu olmalıdır.";
	if (!postal_code_valid(v))
		return "Geçerli bir posta kodu giriniz.";
	memcpy(out->posta_kodu, v, 6);
	return NULL;
}

/* Needs out->il. */
static const char *
form_check_ilce(const struct app_form *in, struct app_form_clean *out)
{
	const char *msg = form_text(in->ilce, out->ilce, sizeof(out->ilce), FORM_ILCE_MAX, 1);

	if (msg != NULL)
		return msg;
	if (out->il != 0 && in->district_ok != NULL &&
	    !in->district_ok(in->district_ctx, out->il, out->ilce))
		return "Seçilen ile ait geçerli bir ilçe seçiniz.";
	return NULL;
}

static const char *
form_check_email(const struct app_form *in, struct app_form_clean *out)
{
	const char *msg = form_text(in->eposta, out->eposta, sizeof(out->eposta),
				    FORM_EPOSTA_MAX, 1);

	if (msg == msg_required)
		return msg;
	if (msg != NULL || !email_valid(out->eposta))
		return "Geçerli bir e-posta adresi giriniz.";
	return NULL;
}

/* A phone field: mobile and/or landline accepted as allowed. */
static const char *
form_phone(const char *in, char out[11], int required, int mobile, int landline,
	   const char *bad)
{
	char v[FORM_CHOICE_MAX * 4 + 1];
	const char *msg = form_text(in, v, sizeof(v), FORM_CHOICE_MAX, required);

	out[0] = '\0';
	if (msg == msg_required)
		return msg;
	if (msg != NULL)
		return bad;
	if (v[0] == '\0')
		return NULL;
	if (mobile && phone_normalize_mobile(v, out) == 0)
		return NULL;
	if (landline && phone_normalize_landline(v, out) == 0)
		return NULL;
	return bad;
}

static const char *
form_check_dahili(const struct app_form *in, struct app_form_clean *out)
{
	static const char bad[] = "Dahili numara en fazla 6 rakamdan oluşmalıdır.";
	char v[FORM_CHOICE_MAX * 4 + 1];
	size_t i;

	out->dahili[0] = '\0';
	if (form_text(in->dahili, v, sizeof(v), FORM_CHOICE_MAX, 0) != NULL)
		return bad;
	for (i = 0; v[i] != '\0'; i++) {
		if (i >= 6 || v[i] < '0' || v[i] > '9')
			return bad;
	}
	memcpy(out->dahili, v, i + 1);
	return NULL;
}

static const char *
form_check_channel(const struct app_form *in, struct app_form_clean *out)
{
	const struct form_option *o;
	const char *msg;

	msg = form_choice(in->bilgi_kanali, form_channels, "Geçerli bir bilgi kanalı seçiniz.",
			  &o);
	out->bilgi_kanali = o != NULL ? o->value : NULL;
	out->channels = o != NULL ? (unsigned)(o - form_channels) + 1 : 0;
	return msg;
}

static void
form_check_contact(const struct app_form *in, struct form_errors *err,
		   struct app_form_clean *out)
{
	const struct form_option *o;

	err->msg[FF_EPOSTA] = form_check_email(in, out);
	err->msg[FF_IS_TEL] = form_phone(in->is_tel, out->is_tel, 1, 1, 1,
		"İş telefonu alan koduyla birlikte 10 haneli olmalıdır (ör. 0372 123 45 67).");
	err->msg[FF_DAHILI] = form_check_dahili(in, out);
	err->msg[FF_CEP_TEL] = form_phone(in->cep_tel, out->cep_tel, 1, 1, 0,
		"Cep telefonu 5 ile başlayan 10 haneli olmalıdır (ör. 0532 123 45 67).");
	err->msg[FF_EV_TEL] = form_phone(in->ev_tel, out->ev_tel, 0, 1, 1,
		"Ev telefonu alan koduyla birlikte 10 haneli olmalıdır (ör. 0372 123 45 67).");
	err->msg[FF_OPERATOR] = form_choice(in->operator, form_operators,
					    "Geçerli bir mobil operatör seçiniz.", &o);
	out->operator = o != NULL ? o->value : NULL;
	err->msg[FF_BILGI_KANALI] = form_check_channel(in, out);
}

int
form_validate(const struct app_form *in, struct form_errors *err, struct app_form_clean *out)
{
	int i;

	memset(err, 0, sizeof(*err));
	memset(out, 0, sizeof(*out));
	err->msg[FF_BASVURU_NEDENI] = form_check_reason(in, out);
	err->msg[FF_KART_OKUYUCU] = form_check_card_reader(in, out);
	err->msg[FF_SERTIFIKA_SURESI] = form_check_years(in, out);
	form_check_word(in, err, out);
	err->msg[FF_BIRIM] = form_text(in->birim, out->birim, sizeof(out->birim),
				       FORM_BIRIM_MAX, 1);
	err->msg[FF_UNVAN] = form_text(in->unvan, out->unvan, sizeof(out->unvan),
				       FORM_UNVAN_MAX, 1);
	err->msg[FF_ADRES] = form_text(in->adres, out->adres, sizeof(out->adres),
				       FORM_ADRES_MAX, 1);
	err->msg[FF_IL] = form_check_il(in, out);
	err->msg[FF_POSTA_KODU] = form_check_postal(in, out);
	err->msg[FF_ILCE] = form_check_ilce(in, out);
	form_check_contact(in, err, out);
	for (i = 0; i < FF__MAX; i++)
		err->count += err->msg[i] != NULL;
	return err->count;
}
