/* A filled-in application with every Turkish letter, shared by the tests. */
#ifndef EIMZA_TEST_DOC_SAMPLE_H
#define EIMZA_TEST_DOC_SAMPLE_H

#include "doc/pdf.h"

static struct pdf_application sample_application(void)
{
	return (struct pdf_application){
		.app_number = "2025-004217",
		.created = "14.03.2025",
		.ca_name = "eimza Nitelikli Elektronik Sertifika Hizmet Sağlayıcısı",
		.postal_address = "eimza Sertifika Hizmetleri, PK 74, 41470 Gebze / Kocaeli",
		.reason = "İlk Başvuru",
		.reader_type = "Mini Kart Okuyucu",
		.validity = "3 Yıl",
		.tckn = "10000000146",
		.first_name = "Ayşe Gülçin",
		.last_name = "Yılmaz Öztürk",
		.birth_place = "İstanbul",
		.birth_date = "02.09.1984",
		.staff_no = "5731942",
		.institution = "Zonguldak Ereğli Şehit Öğretmen İlkokulu",
		.unit = "Müdür Yardımcılığı",
		.title = "Şef",
		.address = "Müftü Mah. Çağlayan Sok. No: 12, Kdz. Ereğli",
		.postal_code = "67300",
		.province = "Zonguldak",
		.district = "Ereğli",
		.email = "ayse.yilmaz@example.org",
		.work_phone = "0372 316 11 22",
		.work_ext = "214",
		.mobile = "0532 123 45 67",
		.home_phone = "",
		.operator_name = "Turkcell",
		.channel = "E-posta + SMS",
	};
}

#endif
