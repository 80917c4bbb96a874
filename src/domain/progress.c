/* The status page's text per step (see progress.h). */
#include "domain/progress.h"

#include <stddef.h>

static const struct {
	const char *name;
	struct progress_text t;
} steps[PROGRESS__MAX] = {
	[PROGRESS_SMS] = {"sms",
			  {"Cep telefonu doğrulaması bekleniyor",
			   "Başvuru formunuz kaydedildi. Başvurunuzu tamamlamak için cep "
			   "telefonunuza gönderilecek SMS kodunu doğrulayın.",
			   0}},
	[PROGRESS_SIGNING_METHOD] = {"signing_method",
				     {"İmza yöntemi seçilmedi",
				      "Cep telefonunuz doğrulandı. Başvuru formunu e-onay ile "
				      "ya da ıslak imza ile imzalama yöntemini seçin.",
				      0}},
	[PROGRESS_SIGNING] = {"signing",
			      {"E-onay imzası bekleniyor",
			       "Başvuru belgesini geçerli e-imzanızla imzalayıp imza dosyasını "
			       "(.p7s) yükleyin.",
			       0}},
	[PROGRESS_AUTHORITY] = {"authority",
				{"Kurum onayı bekleniyor",
				 "Başvurunuz kurum yetkilinizin onayını bekliyor. Kurum "
				 "yetkiliniz ile irtibata geçin.",
				 0}},
	[PROGRESS_AFTER_APPROVAL] = {"after_approval",
				     {"Kurum onayı alındı",
				      "Kurum yetkiliniz başvurunuzu onayladı. Sertifikanızın "
				      "üretilebilmesi için aşağıda belirtilen eksiklerin "
				      "tamamlanması gerekir.",
				      0}},
	[PROGRESS_APPROVED] = {"approved",
			       {"Başvurunuz onaylandı",
				"Kurum yetkiliniz başvurunuzu onayladı. Sertifikanız ve kartınız "
				"hazırlanıyor; sizin yapmanız gereken bir işlem yoktur.",
				0}},
	[PROGRESS_PRODUCED] = {"produced",
			       {"Sertifikanız üretildi",
				"Sertifikanız üretildi. Kartınız kurye ile gönderilecek; kargo "
				"takip numarası size SMS ve e-posta ile bildirilecektir.",
				0}},
	[PROGRESS_SHIPPED] = {"shipped",
			      {"Kartınız kargoda",
			       "Kartınız kurye firmasına teslim edildi. Gönderiyi Kurye Takip "
			       "sayfasından izleyebilirsiniz.",
			       0}},
	[PROGRESS_DELIVERED] = {"delivered",
				{"Teslim edildi",
				 "Kartınız size teslim edildi. Kartınızın PIN'ini NES Bireysel "
				 "İşlemler'den belirleyebilirsiniz.",
				 0}},
	[PROGRESS_REJECTED] = {"rejected",
			       {"Başvurunuz reddedildi",
				"Kurum yetkiliniz başvurunuzu reddetti; gerekçesi aşağıdadır. "
				"Bilgilerinizi düzelttikten sonra yeni bir başvuru "
				"yapabilirsiniz.",
				1}},
	[PROGRESS_CANCELLED] = {"cancelled",
				{"Başvurunuz iptal edildi",
				 "Bu başvuru iptal edildi ve işleme alınmayacak. Dilerseniz yeni "
				 "bir başvuru yapabilirsiniz.",
				 1}},
};

enum progress_step progress_of(enum app_state st, unsigned flags)
{
	switch (st) {
	case APP_FORM_CONFIRMED: return PROGRESS_SMS;
	case APP_SMS_VERIFIED: return PROGRESS_SIGNING_METHOD;
	case APP_SIGNING: return PROGRESS_SIGNING;
	case APP_AWAITING_APPROVAL:
		return (flags & APP_NEEDS_APPROVAL) ? PROGRESS_AUTHORITY : PROGRESS_AFTER_APPROVAL;
	case APP_APPROVED: return PROGRESS_APPROVED;
	case APP_PRODUCED: return PROGRESS_PRODUCED;
	case APP_SHIPPED: return PROGRESS_SHIPPED;
	case APP_DELIVERED: return PROGRESS_DELIVERED;
	case APP_REJECTED: return PROGRESS_REJECTED;
	case APP_CANCELLED: return PROGRESS_CANCELLED;
	default: return PROGRESS__MAX;
	}
}

const struct progress_text *progress_text(enum progress_step s)
{
	return (unsigned)s < PROGRESS__MAX ? &steps[s].t : NULL;
}

const char *progress_name(enum progress_step s)
{
	return (unsigned)s < PROGRESS__MAX ? steps[s].name : "?";
}
