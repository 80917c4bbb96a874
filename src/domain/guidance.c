/* The guide's shared texts (see guidance.h). */
#include "domain/guidance.h"

#include <stdio.h>

/* The guide, "E-İmza Sertifikanızı teslim aldıktan sonra yapmanız
 * gerekenler": first applicants need their e-Devlet password to set the
 * 6-digit PIN; renewing holders get an e-Devlet password with their
 * e-signature; holders whose renewal came too late need one again. */
static const char edevlet_pin[] =
	"e-Devlet adımı: İlk başvuru yapanlar, e-imza kartlarına 6 haneli sayısal PIN "
	"belirleyebilmek için e-Devlet şifresine ihtiyaç duyar; e-Devlet şifrenizi PTT "
	"şubelerinden ya da e-Devlet'te tanımlı diğer yöntemlerle edininiz. Daha önce e-imzası "
	"olup sertifikasını yenileyenler, e-Devlet şifresini mevcut e-imzaları ile e-Devlet "
	"üzerinden çevrim içi edinir. Sertifika süresi geçtikten sonra yenileyenler de önce "
	"e-Devlet şifresi edinmelidir.";

/* The guide's notice on the page where the application ends, and its
 * closing line ("e-imza iş ve işlemlerinin takibini e-imzanın sahibi
 * yapar"). */
static const char law_5070[] =
	"5070 sayılı Elektronik İmza Kanunu'na göre e-imza işlemleri kişiyi bağlar: yapılan "
	"hatalı iş ve işlemlerden doğacak gecikmelerden başvuru sahibi sorumludur. E-imza iş "
	"ve işlemlerinin takibini e-imzanın sahibi yapar.";

const char *guidance_edevlet_pin(void)
{
	return edevlet_pin;
}

const char *guidance_law_5070(void)
{
	return law_5070;
}

static int filled(const char *s)
{
	return s != NULL && *s != '\0';
}

int guidance_payment(const char *amount, const char *payee, const char *iban, const char *reference,
		     char *out, size_t n)
{
	if (n == 0)
		return -1;
	out[0] = '\0';
	if (!filled(amount) || !filled(payee) || !filled(iban) || !filled(reference))
		return -1;
	int w = snprintf(out, n,
			 "%s bedeli %s adına %s IBAN numaralı hesaba havale ya da EFT ile "
			 "ödeyiniz; açıklama (referans) alanına yalnızca başvuru numaranızı (%s) "
			 "yazınız. Ödemeniz bu numarayla başvurunuza işlenir.",
			 amount, payee, iban, reference);
	if (w < 0 || (size_t)w >= n) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}
