/* A filled-in application with every Turkish letter, shared by the tests. */
#ifndef EIMZA_TEST_DOC_SAMPLE_H
#define EIMZA_TEST_DOC_SAMPLE_H

#include "doc/pdf.h"

static struct pdf_application sample_application(void)
{
	return (struct pdf_application){
		.app_number = "2025-004217",
		.created = "14.03.2025",
		.ca_name = "e-İmza Nitelikli Elektronik Sertifika Hizmet Sağlayıcısı",
		.postal_address = "e-İmza Sertifika Hizmetleri, PK 74, 41470 Gebze / Kocaeli",
		.tckn = "10000000146",
		.first_name = "Ayşe Gülçin",
		.last_name = "Yılmaz Öztürk",
		.birth_place = "İstanbul",
		.birth_date = "02.09.1984",
		.staff_no = "5731942",
		.institution = "Zonguldak Ereğli Şehit Öğretmen İlkokulu",
		.field =
			{
				[FF_BASVURU_NEDENI] = "İlk Başvuru",
				[FF_KART_OKUYUCU] = "Mini Kart Okuyucu",
				[FF_SERTIFIKA_SURESI] = "3 Yıl",
				[FF_BIRIM] = "Müdür Yardımcılığı",
				[FF_UNVAN] = "Şef",
				[FF_ADRES] = "Müftü Mah. Çağlayan Sok. No: 12, Kdz. Ereğli",
				[FF_POSTA_KODU] = "67300",
				[FF_IL] = "Zonguldak",
				[FF_ILCE] = "Ereğli",
				[FF_EPOSTA] = "ayse.yilmaz@example.org",
				[FF_IS_TEL] = "0372 316 11 22 (Dahili: 214)",
				[FF_DAHILI] = "214",
				[FF_CEP_TEL] = "0532 123 45 67",
				[FF_EV_TEL] = "",
				[FF_OPERATOR] = "Turkcell",
				[FF_BILGI_KANALI] = "E-posta + SMS",
			},
	};
}

#endif
