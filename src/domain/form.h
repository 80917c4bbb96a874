/* Validation of the application form (Adım 2; DESIGN.md field names).
 * Pure: the caller passes the raw submitted strings and gets one Turkish
 * message per failing field plus the normalised values. */
#ifndef EIMZA_DOMAIN_FORM_H
#define EIMZA_DOMAIN_FORM_H

#include <stddef.h>

#include "domain/application.h"

/* Maximum lengths in characters (code points) after trimming. */
#define FORM_BIRIM_MAX 100
#define FORM_UNVAN_MAX 100
#define FORM_ADRES_MAX 300
#define FORM_ILCE_MAX 50
#define FORM_EPOSTA_MAX 254
#define FORM_WORD_MIN 8
#define FORM_WORD_MAX 64

/* The form's fields, in page order. */
enum form_field {
	FF_BASVURU_NEDENI,
	FF_KART_OKUYUCU,
	FF_SERTIFIKA_SURESI,
	FF_GUVENLIK_SOZCUGU,
	FF_GUVENLIK_SOZCUGU_TEKRAR,
	FF_BIRIM,
	FF_UNVAN,
	FF_ADRES,
	FF_POSTA_KODU,
	FF_IL,
	FF_ILCE,
	FF_EPOSTA,
	FF_IS_TEL,
	FF_DAHILI,
	FF_CEP_TEL,
	FF_EV_TEL,
	FF_OPERATOR,
	FF_BILGI_KANALI,
	FF__MAX
};

/* Bilgi Kanalı as a mask of channels. */
enum form_channel { CHANNEL_EPOSTA = 1, CHANNEL_SMS = 2, CHANNEL_IKISI = 3 };

/* "EPOSTA", "SMS", "IKISI" for a channel mask; "?" if bad. Static. */
const char *form_channel_name(unsigned channels);
/* The mask of a stored or submitted value, or -1. */
int form_channel_parse(const char *name);

/* A value of a select box and its Turkish label. */
struct form_option {
	const char *value;
	const char *label;
};

/* The raw submitted strings (NULL or blank = not given), indexed by field,
 * and the context. */
struct app_form {
	const char *raw[FF__MAX];

	/* Reasons the person may choose (renewal_allowed_reasons()). */
	unsigned allowed_reasons;
	/* 1 if ilce (trimmed) is a district of province plate; when NULL any
	 * non-empty district is accepted. */
	int (*district_ok)(void *ctx, int plate, const char *ilce);
	void *district_ctx;
	/* Optional: the security word may not contain these (NULL = skip).
	 * Names shorter than 3 characters are not checked. */
	const char *ad, *soyad, *tckn;
};

/* One static Turkish message per failing field (NULL = field ok). */
struct form_errors {
	const char *msg[FF__MAX];
	int count;
};

/* Bytes of normalised text all fields together may keep (the sum of the
 * fields' maxima in UTF-8 is about 2.6 KB). */
#define FORM_VALUES_MAX 4096

/* The normalised values; meaningful only when form_validate returned 0. */
struct app_form_clean {
	/* The value of each field as it is stored (column of the table), e.g.
	 * "ILK", "3", "67", "3721234567", "IKISI"; NULL when not given (an
	 * optional field left empty, Kart Okuyucu outside a first application)
	 * and for the security word and its repeat. Points into pool. */
	const char *value[FF__MAX];
	/* The same values typed, for the cross-field rules and the caller. */
	enum app_reason reason;
	int years;		      /* 1..3 */
	int il;			      /* plate code 1..81 */
	unsigned channels;	      /* enum form_channel mask */
	const char *guvenlik_sozcugu; /* the input pointer itself: a secret is
					* never copied; the caller wipes it */
	char pool[FORM_VALUES_MAX];
	size_t used;
};

/* The HTML/JSON name of a field ("basvuru_nedeni", ...); "?" if bad. */
const char *form_field_name(enum form_field f);

/* Option tables, terminated by {NULL, NULL}. Static. */
const struct form_option *form_card_reader_options(void);
const struct form_option *form_operator_options(void);
const struct form_option *form_channel_options(void);

/* The label of value in a NULL-terminated option table, or NULL. */
const char *form_option_label(const struct form_option *opts, const char *value);

/* 1 if the security word is 8..64 characters of valid UTF-8 without
 * control characters, has a letter and an ASCII digit, and (when given)
 * does not contain ad, soyad (Turkish case-insensitive, names of 3+
 * characters) or tckn. msg (optional) receives the static reason. */
int form_security_word_ok(const char *word, const char *ad, const char *soyad, const char *tckn,
			  const char **msg);

/* Validates every field of in. Fills err (all fields, NULL when ok) and
 * out, and returns the number of failing fields (0 = valid). Never reads
 * beyond the given strings; out->guvenlik_sozcugu points into in. */
int form_validate(const struct app_form *in, struct form_errors *err, struct app_form_clean *out);

/* ---- The table of the form's fields ---- */

/* How a field is entered. The edge (web/apply_routes.c) maps it to the
 * HTTP field kind: CHOICE to tokens, MULTILINE to multi-line text, the rest
 * to one line of text (DIGITS too, so that "0372 123 45 67" or " 67100"
 * reaches the validator and gets its Turkish message, not a bare 400). */
enum form_input {
	FORM_INPUT_TEXT,      /* one line of text */
	FORM_INPUT_MULTILINE, /* a textarea */
	FORM_INPUT_CHOICE,    /* a select box whose values are [A-Za-z0-9_-] tokens */
	FORM_INPUT_SECRET,    /* a password box: never echoed, never stored as typed */
	FORM_INPUT_DIGITS,    /* a number, typed or chosen; the validator normalises it */
	FORM_INPUT__MAX
};

/* The sections of the printed form (doc/formdata.c), in print order. */
enum form_section {
	FORM_SECTION_BASVURU,  /* Başvuru Bilgileri */
	FORM_SECTION_KIMLIK,   /* Kimlik Bilgileri (login fields only) */
	FORM_SECTION_KURUM,    /* Kurum Bilgileri */
	FORM_SECTION_ILETISIM, /* İletişim Bilgileri */
	FORM_SECTION__MAX
};

/* How a stored value is shown to people (printed form, CSV export). */
enum form_print {
	FORM_PRINT_TEXT,      /* as stored */
	FORM_PRINT_OPTION,    /* the label of its option (row's options) */
	FORM_PRINT_REASON,    /* app_reason_label_tr() */
	FORM_PRINT_YEARS,     /* "3 Yıl" */
	FORM_PRINT_PROVINCE,  /* the province's name (the caller looks it up) */
	FORM_PRINT_PHONE,     /* "0 (372) 123 45 67" */
	FORM_PRINT_PHONE_EXT, /* a phone followed by the next row's value as
			       * " (Dahili: 123)" when that is given */
	FORM_PRINT__MAX
};

/* The element a field is entered with on the form page. */
enum form_element {
	FORM_EL_TEXT,	  /* <input type="text"> */
	FORM_EL_EMAIL,	  /* <input type="email"> */
	FORM_EL_TEL,	  /* <input type="tel"> */
	FORM_EL_PASSWORD, /* <input type="password">, never refilled */
	FORM_EL_TEXTAREA, /* <textarea rows="3"> */
	FORM_EL_SELECT,	  /* <select> listing the field's options */
	FORM_EL__MAX
};

/* The fieldsets of the form page that hold the table's fields, in page
 * order (the page's legends name them). */
enum form_fieldset {
	FORM_FIELDSET_SERTIFIKA, /* Sertifika */
	FORM_FIELDSET_KURUM,	 /* Kurum ve iletişim bilgileri */
	FORM_FIELDSET__MAX
};

/* Flags of a field's markup (struct form_html). */
enum {
	FORM_HTML_REQUIRED = 1 << 0,   /* the label's "*" and the required attribute */
	FORM_HTML_MARK_ONLY = 1 << 1,  /* the label's "*" without the attribute */
	FORM_HTML_BLANK = 1 << 2,      /* the select box starts with "Seçiniz" (value "") */
	FORM_HTML_FIRST_ONLY = 1 << 3, /* shown for a first application only */
	FORM_HTML_GRID = 1 << 4,       /* shares a two-column grid with the next row */
	FORM_HTML_DISTRICTS = 1 << 5,  /* İl: fills İlçe with its districts (data-ilce-url,
					* the no-JavaScript "İlçeleri listele" button) */
};

/* How the form page draws a field (templates/form_field.html). */
struct form_html {
	enum form_element element;
	enum form_fieldset fieldset;
	unsigned flags;	       /* FORM_HTML_* */
	unsigned maxlength;    /* in characters; 0: no maxlength attribute */
	const char *inputmode; /* the attributes of the same names; NULL: none */
	const char *pattern;
	const char *autocomplete;
	const char *hint; /* the hint below the field (id <name>-ipucu); NULL: none */
};

/* A field's check: raw is the submitted string (NULL or blank = not
 * given), in the whole submission (for the cross-field rules), out the
 * normalised values; a check may read what the checks of EARLIER rows
 * wrote into out. Returns a static Turkish message or NULL when valid. */
typedef const char *(*form_check_fn)(const char *raw, const struct app_form *in,
				     struct app_form_clean *out);

/* One row of the table: everything the code knows about a field. */
struct form_field_def {
	enum form_field id; /* == the row's index */
	const char *name;   /* HTML and JSON name */
	const char *label;  /* the field's <label> on the form page
				* (the guide's own wording) */
	enum form_input input;
	size_t edge_max; /* bytes accepted at the HTTP edge; the check is
				* tighter and gives the message */
	form_check_fn check;
	const char *column;		   /* column of `applications`; NULL when not stored
				* as a plain column (the security word is stored
				* as an Argon2id hash, its repeat not at all) */
	enum form_section section;	   /* of the printed form */
	const char *pdf_label;		   /* row of the printed form; NULL: no row of its
				* own (Dahili is printed within İş Telefonu) */
	enum form_print print;		   /* how its stored value is shown (PDF, CSV) */
	const struct form_option *options; /* values and labels of a CHOICE with
					    * a fixed list; NULL otherwise */
	const char *csv_label;		   /* column of the console's CSV export; NULL: not
				* exported */
	struct form_html html;		   /* how the form page draws it */
};

/* The table: FF__MAX rows in page order, row i describing field i. Static. */
const struct form_field_def *form_field_table(void);
/* The row of f, or NULL if f is out of range. */
const struct form_field_def *form_field_def(enum form_field f);
/* The raw submitted string of f in `in` (NULL if not given or f bad). */
const char *form_raw(const struct app_form *in, enum form_field f);

/* The text people see for field f whose stored values (indexed by field)
 * are `stored`, by the row's print kind: "-" never (NULL when the value is
 * not given; the caller shows its own placeholder). province is the name
 * of the stored İl (NULL: the plate code is shown). Written into out[n]
 * unless it is a static label or the stored string itself, which are
 * returned directly. */
const char *form_display(enum form_field f, const char *const stored[FF__MAX], const char *province,
			 char *out, size_t n);

#endif
