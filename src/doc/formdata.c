/* The rows and the undertaking text shared by pdf.c and appdoc.c. */
#include <stdio.h>
#include <string.h>

#include "doc/formdata.h"
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

/* İş Telefonu with the optional Dahili: "0372 251 00 00 (Dahili: 123)". */
static const char *work_phone(const struct pdf_application *a, char *out, size_t len)
{
	if (a->work_ext == NULL || a->work_ext[0] == '\0' || len == 0)
		return formdata_value(a->work_phone);
	int n = snprintf(out, len, "%s (Dahili: %s)", formdata_value(a->work_phone), a->work_ext);
	if (n < 0 || (size_t)n >= len)
		return formdata_value(a->work_phone);
	return out;
}

size_t formdata_rows(const struct pdf_application *a, struct formdata_row *rows, char *phone,
		     size_t phone_len)
{
	const struct formdata_row table[] = {
		{"Başvuru Bilgileri", "Başvuru Nedeni", a->reason},
		{NULL, "Kart Okuyucu Tipi", a->reader_type},
		{NULL, "Sertifika Süresi", a->validity},
		{"Kimlik Bilgileri", "T.C. Kimlik No", a->tckn},
		{NULL, "Ad", a->first_name},
		{NULL, "Soyad", a->last_name},
		{NULL, "Doğum Yeri", a->birth_place},
		{NULL, "Doğum Tarihi", a->birth_date},
		{"Kurum Bilgileri", "Kurum Sicil No", a->staff_no},
		{NULL, "Kurum Adı", a->institution},
		{NULL, "Çalıştığı Birim", a->unit},
		{NULL, "Unvan", a->title},
		{NULL, "Kurum/Birim Adresi", a->address},
		{NULL, "Posta Kodu", a->postal_code},
		{NULL, "İl", a->province},
		{NULL, "İlçe", a->district},
		{"İletişim Bilgileri", "E-posta", a->email},
		{NULL, "İş Telefonu", NULL},
		{NULL, "Cep Telefonu", a->mobile},
		{NULL, "Ev Telefonu", a->home_phone},
		{NULL, "Mobil Operatör", a->operator_name},
		{NULL, "Bilgi Kanalı", a->channel},
	};
	size_t n = sizeof table / sizeof table[0];
	_Static_assert(sizeof table / sizeof table[0] <= FORMDATA_MAX_ROWS, "rows");
	for (size_t i = 0; i < n; i++) {
		rows[i] = table[i];
		rows[i].value = formdata_value(table[i].value);
		if (strcmp(table[i].label, "İş Telefonu") == 0)
			rows[i].value = work_phone(a, phone, phone_len);
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
		a->app_number, a->created, a->ca_name, a->postal_address, a->reason,
		a->reader_type, a->validity, a->tckn, a->first_name, a->last_name,
		a->birth_place, a->birth_date, a->staff_no, a->institution, a->unit, a->title,
		a->address, a->postal_code, a->province, a->district, a->email, a->work_phone,
		a->work_ext, a->mobile, a->home_phone, a->operator_name, a->channel,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!ok(all[i]))
			return 0;
	return 1;
}
