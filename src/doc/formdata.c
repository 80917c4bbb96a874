/* The rows and the undertaking text shared by pdf.c and appdoc.c. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "doc/formdata.h"
#include "domain/form.h"
#include "util/utf8.h"

const char formdata_form_title[] = "e-İmza Nitelikli Elektronik Sertifika Başvuru Formu";
const char formdata_undertaking_title[] = "Sertifika Sahibi Taahhütnamesi";

const char formdata_undertaking_intro[] =
	"Aşağıda kimlik bilgileri yer alan ben, adıma 5070 sayılı Elektronik İmza Kanunu ve "
	"ilgili mevzuat çerçevesinde düzenlenecek nitelikli elektronik sertifikaya ilişkin "
	"olarak, bu başvuruyu yaptığım Elektronik Sertifika Hizmet Sağlayıcısına (ESHS) karşı "
	"aşağıdaki hususları kabul, beyan ve taahhüt ederim:";

const char *const formdata_undertaking_items[] = {
	"Başvuru formunda ve başvuru sürecinde verdiğim bilgilerin doğru ve eksiksiz "
	"olduğunu, gerçeğe aykırı beyanımdan doğacak her türlü hukuki ve cezai sorumluluğun "
	"bana ait olduğunu beyan ederim.",
	"Unvan, kurum, adres, e-posta ve telefon bilgilerim başta olmak üzere, verdiğim "
	"bilgilerde bir değişiklik olduğunda ESHS'yi gecikmeksizin bilgilendireceğimi "
	"taahhüt ederim.",
	"İmza oluşturma verimi (özel anahtarımı) ve ona erişimi sağlayan PIN ve PUK "
	"kodlarımı gizli tutacağımı, hiç kimseyle paylaşmayacağımı ve üçüncü kişilerin "
	"kullanımına karşı gerekli önlemleri alacağımı taahhüt ederim.",
	"Sertifikamı ve onu taşıyan akıllı kartı (e-imza aracını) yalnızca şahsen "
	"kullanacağımı, başkasına devretmeyeceğimi ve kullandırmayacağımı taahhüt ederim.",
	"E-imza aracımın kaybolması veya çalınması, imza oluşturma verimin gizliliğinin "
	"tehlikeye düştüğünden şüphelenmem ya da sertifikadaki bilgilerin değişmesi hâlinde "
	"durumu derhal ESHS'ye bildirerek sertifikamın iptalini isteyeceğimi; bildirimime "
	"kadar geçen sürede sertifikamla yapılan işlemlerden sorumlu olduğumu kabul ederim.",
	"5070 sayılı Elektronik İmza Kanununun 5. maddesi uyarınca güvenli elektronik "
	"imzanın elle atılan imza ile aynı hukuki sonucu doğurduğunu ve bu sertifikayla "
	"oluşturduğum elektronik imzaların beni elle attığım imza gibi bağladığını kabul "
	"ederim.",
	"Sertifikamı yalnızca sertifikada belirtilen kullanım amaçları ile varsa kullanım ve "
	"maddi sınırlar içinde kullanacağımı; sertifikamın süresi dolduktan veya iptal "
	"edildikten sonra ilgili imza oluşturma verisini kullanmayacağımı taahhüt ederim.",
	"ESHS'nin Sertifika İlkeleri, Sertifika Uygulama Esasları ve Kamuoyu Bilgilendirme "
	"belgelerini okuduğumu, anladığımı ve kabul ettiğimi; kişisel verilerimin sertifika "
	"hizmetlerinin yürütülmesi amacıyla 5070 sayılı Kanun ve 6698 sayılı Kişisel "
	"Verilerin Korunması Kanunu çerçevesinde işleneceğini bildiğimi beyan ederim.",
	NULL,
};

const char formdata_undertaking_closing[] =
	"Bu taahhütnamedeki yükümlülüklere aykırı davranmam hâlinde doğacak zararlardan "
	"sorumlu olduğumu kabul ederim.";

const char *formdata_value(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "-";
}

/* Section headings of the printed form, in print order. */
static const char *const section_titles[FORM_SECTION__MAX] = {
	[FORM_SECTION_BASVURU] = "Başvuru Bilgileri",
	[FORM_SECTION_KIMLIK] = "Kimlik Bilgileri",
	[FORM_SECTION_KURUM] = "Kurum Bilgileri",
	[FORM_SECTION_ILETISIM] = "İletişim Bilgileri",
};

#define PDF_OFF(m) offsetof(struct pdf_application, m)

/* The rows that are not fields of the form (they come from the login and
 * the personnel records), printed first in their section. */
static const struct {
	enum form_section section;
	const char *label;
	size_t off;
} fixed_rows[] = {
	{FORM_SECTION_KIMLIK, "T.C. Kimlik No", PDF_OFF(tckn)},
	{FORM_SECTION_KIMLIK, "Ad", PDF_OFF(first_name)},
	{FORM_SECTION_KIMLIK, "Soyad", PDF_OFF(last_name)},
	{FORM_SECTION_KIMLIK, "Doğum Yeri", PDF_OFF(birth_place)},
	{FORM_SECTION_KIMLIK, "Doğum Tarihi", PDF_OFF(birth_date)},
	{FORM_SECTION_KURUM, "Kurum Sicil No", PDF_OFF(staff_no)},
	{FORM_SECTION_KURUM, "Kurum Adı", PDF_OFF(institution)},
};

static const char *member(const struct pdf_application *a, size_t off)
{
	return *(const char *const *)(const void *)((const char *)a + off);
}

/* Appends one row; the first row of a section carries its heading. */
static void add_row(struct formdata_row *rows, size_t *n, enum form_section *cur,
		    enum form_section s, const char *label, const char *value)
{
	if (*n >= FORMDATA_MAX_ROWS)
		return;
	rows[*n].section = *cur != s ? section_titles[s] : NULL;
	rows[*n].label = label;
	rows[*n].value = formdata_value(value);
	*cur = s;
	(*n)++;
}

size_t formdata_rows(const struct pdf_application *a, struct formdata_row *rows)
{
	const struct form_field_def *t = form_field_table();
	enum form_section cur = FORM_SECTION__MAX;
	size_t n = 0;
	for (int s = 0; s < FORM_SECTION__MAX; s++) {
		for (size_t i = 0; i < sizeof fixed_rows / sizeof fixed_rows[0]; i++)
			if (fixed_rows[i].section == (enum form_section)s)
				add_row(rows, &n, &cur, s, fixed_rows[i].label,
					member(a, fixed_rows[i].off));
		for (int f = 0; f < FF__MAX; f++) {
			if (t[f].section != (enum form_section)s || t[f].pdf_label == NULL)
				continue;
			add_row(rows, &n, &cur, s, t[f].pdf_label, a->field[f]);
		}
	}
	return n;
}

int formdata_append_clean(buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)formdata_value(s);
	int rc = 0;
	while (*p != '\0' && rc == 0) {
		if (*p < 0x20 || *p == 0x7f) {
			rc = buf_putc(b, ' ');
			p++;
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			rc = buf_putc(b, ' ');
			p += 2;
		} else {
			rc = buf_putc(b, (char)*p);
			p++;
		}
	}
	return rc;
}

static int ok(const char *s)
{
	return s == NULL || utf8_valid(s, strlen(s));
}

int formdata_valid(const struct pdf_application *a)
{
	const char *all[] = {
		a->app_number, a->created,    a->ca_name,     a->postal_address,
		a->tckn,       a->first_name, a->last_name,   a->birth_place,
		a->birth_date, a->staff_no,   a->institution,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!ok(all[i]))
			return 0;
	for (int f = 0; f < FF__MAX; f++)
		if (!ok(a->field[f]))
			return 0;
	return 1;
}
