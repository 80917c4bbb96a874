/* `eimza init --demo`: a synthetic but realistic data set. Everything is
 * deterministic (no randomness) so the printed identities are stable: the
 * T.C. numbers are fixed 9-digit stems completed with their check digits.
 * None of these people exist. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "domain/tckn.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/log.h"

#define DEMO_PRINTED 4
#define DEMO_CSV_MAX (256 * 1024)

struct demo_unit {
	const char *code, *name, *eposta;
};

static const struct demo_unit units[] = {
	{"ZONGULDAK-MEM", "Zonguldak İl Milli Eğitim Müdürlüğü", "zonguldakmem@meb.gov.tr"},
	{"BARTIN-MEM", "Bartın İl Milli Eğitim Müdürlüğü", "bartinmem@meb.gov.tr"},
};

struct demo_inst {
	const char *kodu, *adi, *il, *ilce, *adres, *posta, *birim;
};

static const struct demo_inst insts[] = {
	{"967001", "Zonguldak Atatürk Anadolu Lisesi", "67", "Merkez",
	 "Meşrutiyet Mah. Atatürk Cad. No:12 Merkez/Zonguldak", "67030", "ZONGULDAK-MEM"},
	{"967002", "Ereğli Anadolu Lisesi", "67", "Ereğli",
	 "Müftü Mah. Hamdi Konyalı Cad. No:5 Ereğli/Zonguldak", "67300", "ZONGULDAK-MEM"},
	{"967003", "Çaycuma Cumhuriyet Ortaokulu", "67", "Çaycuma",
	 "Yeni Mah. İnönü Cad. No:21 Çaycuma/Zonguldak", "67900", "ZONGULDAK-MEM"},
	{"967004", "Devrek Fen Lisesi", "67", "Devrek",
	 "Bakacak Mah. Okul Sok. No:3 Devrek/Zonguldak", "67800", "ZONGULDAK-MEM"},
	{"967005", "Alaplı Yunus Emre İlkokulu", "67", "Alaplı",
	 "Kasımlı Mah. Okul Cad. No:8 Alaplı/Zonguldak", "67850", "ZONGULDAK-MEM"},
	{"967006", "Kozlu Mesleki ve Teknik Anadolu Lisesi", "67", "Kozlu",
	 "Fatih Mah. Şehit Er Sok. No:2 Kozlu/Zonguldak", "67600", "ZONGULDAK-MEM"},
	{"967007", "Kilimli Gazi İlkokulu", "67", "Kilimli",
	 "Çatalağzı Yolu Cad. No:14 Kilimli/Zonguldak", "67780", "ZONGULDAK-MEM"},
	{"967008", "Gökçebey Çok Programlı Anadolu Lisesi", "67", "Gökçebey",
	 "Bahçelievler Mah. Lise Cad. No:1 Gökçebey/Zonguldak", "67670", "ZONGULDAK-MEM"},
	{"974001", "Bartın Kurtuluş Ortaokulu", "74", "Merkez",
	 "Kırtepe Mah. Kurtuluş Cad. No:9 Merkez/Bartın", "74100", "BARTIN-MEM"},
	{"974002", "Amasra Anadolu Lisesi", "74", "Amasra", "Kum Mah. Okul Sok. No:4 Amasra/Bartın",
	 "74300", "BARTIN-MEM"},
};

#define NINST (sizeof insts / sizeof insts[0])

struct demo_row {
	const char *ad, *soyad, *yer, *tarih;
	int inst; /* index into insts, -1: registry only */
	const char *unvan, *birim;
};

/* The first DEMO_PRINTED rows are the printed login identities; the first
 * of them must stay Ayşe Yılmaz, Zonguldak, 1985-04-12, sicil 100001. */
static const struct demo_row rows[] = {
	{"Ayşe", "Yılmaz", "Zonguldak", "1985-04-12", 0, "Öğretmen", "Matematik Bölümü"},
	{"İsmail", "Şahin", "Ereğli", "1979-11-03", 1, "Müdür Yardımcısı", "Okul Müdürlüğü"},
	{"Çağrı", "Öztürk", "Çaycuma", "1990-02-28", 2, "Öğretmen", "Türkçe Bölümü"},
	{"Gülşen", "Işık", "Bartın", "1982-07-19", 8, "Öğretmen", "Fen Bilimleri Bölümü"},
	{"Mehmet", "Çelik", "Devrek", "1975-01-22", 3, "Müdür", "Okul Müdürlüğü"},
	{"Fatma", "Kaya", "Alaplı", "1988-09-09", 4, "Öğretmen", "Sınıf Öğretmenliği"},
	{"Ömer", "Doğan", "Zonguldak", "1981-05-30", 5, "Öğretmen", "Elektrik Bölümü"},
	{"Şükrü", "Aydın", "Kilimli", "1969-12-01", 6, "Memur", "İdari İşler"},
	{"Zeynep", "Arslan", "Karabük", "1993-03-14", 7, "Öğretmen", "İngilizce Bölümü"},
	{"Hüseyin", "Koç", "Bartın", "1977-08-25", 9, "Müdür", "Okul Müdürlüğü"},
	{"Emine", "Kurt", "Zonguldak", "1986-10-17", 0, "Müdür Yardımcısı", "Okul Müdürlüğü"},
	{"Mustafa", "Özdemir", "Ankara", "1972-04-05", 0, "Müdür", "Okul Müdürlüğü"},
	{"Hatice", "Aslan", "Ereğli", "1984-06-21", 1, "Öğretmen", "Kimya Bölümü"},
	{"Ahmet", "Kılıç", "Çaycuma", "1978-02-11", 2, "Müdür", "Okul Müdürlüğü"},
	{"Elif", "Çetin", "Devrek", "1991-11-29", 3, "Öğretmen", "Fizik Bölümü"},
	{"İbrahim", "Yıldız", "Düzce", "1980-07-07", 4, "Memur", "İdari İşler"},
	{"Özlem", "Ünal", "Kozlu", "1987-01-16", 5, "Öğretmen", "Motorlu Araçlar Bölümü"},
	{"Burak", "Güneş", "İstanbul", "1994-05-03", 6, "Öğretmen", "Sınıf Öğretmenliği"},
	{"Derya", "Akgün", "Gökçebey", "1983-12-24", 7, "Müdür Yardımcısı", "Okul Müdürlüğü"},
	{"Serkan", "Erdoğan", "Amasra", "1976-09-18", 9, "Öğretmen", "Tarih Bölümü"},
	{"Gökhan", "Türkmen", "Zonguldak", "1989-03-27", 0, "Memur", "İdari İşler"},
	{"Sevgi", "Bulut", "Kastamonu", "1974-10-10", 1, "Şef", "İdari İşler"},
	{"Tuğba", "Polat", "Çaycuma", "1992-08-08", 2, "Öğretmen", "Matematik Bölümü"},
	{"Oğuz", "Yücel", "Devrek", "1985-06-15", 3, "Öğretmen", "Biyoloji Bölümü"},
	{"Nurcan", "Kahraman", "Alaplı", "1971-02-02", 4, "Müdür", "Okul Müdürlüğü"},
	{"Yusuf", "Sönmez", "Bolu", "1990-12-12", 5, "Müdür", "Okul Müdürlüğü"},
	{"Büşra", "Altıntaş", "Zonguldak", "1995-04-26", 6, "Öğretmen", "Okul Öncesi"},
	{"Kemal", "Uçar", "Gökçebey", "1968-07-31", 7, "Müdür", "Okul Müdürlüğü"},
	{"Şeyma", "Güler", "Bartın", "1993-01-09", 8, "Öğretmen", "Türkçe Bölümü"},
	{"Ercan", "Karaca", "Samsun", "1979-03-03", 8, "Müdür", "Okul Müdürlüğü"},
	{"Dilek", "Özkan", "Amasra", "1986-05-20", 9, "Memur", "İdari İşler"},
	{"Ilgaz", "Başaran", "Kastamonu", "1988-11-11", 1, "Öğretmen", "Beden Eğitimi Bölümü"},
	{"Irmak", "Çakır", "Zonguldak", "1996-02-14", 0, "Öğretmen", "Coğrafya Bölümü"},
	{"Hakan", "Bayram", "Ereğli", "1973-08-19", 1, "Müdür", "Okul Müdürlüğü"},
	{"Merve", "Işıklı", "Devrek", "1992-10-04", 3, "Öğretmen", "Edebiyat Bölümü"},
	{"Selim", "Duman", "Kilimli", "1981-04-28", 6, "Müdür", "Okul Müdürlüğü"},
	{"Ümran", "Tekin", "Zonguldak", "1960-06-06", -1, NULL, NULL},
	{"Cem", "Akın", "İzmir", "1998-09-23", -1, NULL, NULL},
	{"İpek", "Soylu", "Sinop", "1984-03-08", -1, NULL, NULL},
	{"Barış", "Aksoy", "Ereğli", "1977-12-30", -1, NULL, NULL},
};

#define NROWS (sizeof rows / sizeof rows[0])

static struct demo_person people[NROWS];
static char sicil[NROWS][8];
static pthread_once_t people_once = PTHREAD_ONCE_INIT;

/* Fills people[] from rows[]: T.C. number from a fixed stem, sicil 100001+i. */
static void people_init(void)
{
	for (size_t i = 0; i < NROWS; i++) {
		const struct demo_row *r = &rows[i];
		struct demo_person *p = &people[i];
		char stem[16];
		snprintf(stem, sizeof stem, "%09lu", 123450000UL + (unsigned long)i * 1000003UL);
		tckn_complete(stem, p->tckn);
		snprintf(sicil[i], sizeof sicil[i], "%lu", 100001UL + (unsigned long)i);
		p->ad = r->ad;
		p->soyad = r->soyad;
		p->dogum_yeri = r->yer;
		p->dogum_tarihi = r->tarih;
		if (r->inst >= 0) {
			p->sicil_no = sicil[i];
			p->kurum_kodu = insts[r->inst].kodu;
			p->kurum_adi = insts[r->inst].adi;
			p->ilce = insts[r->inst].ilce;
			p->yetki_birimi = insts[r->inst].birim;
		}
	}
}

const struct demo_person *store_demo_people(size_t *n)
{
	pthread_once(&people_once, people_init);
	if (n != NULL)
		*n = DEMO_PRINTED;
	return people;
}

const struct demo_person *store_demo_registry_only(void)
{
	pthread_once(&people_once, people_init);
	for (size_t i = 0; i < NROWS; i++)
		if (rows[i].inst < 0)
			return &people[i];
	return NULL;
}

/* Appends one CSV field in double quotes ("" for a quote). */
static void csv_put(buf *b, const char *s, int last)
{
	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_puts(b, last ? "\"\n" : "\",");
}

static void csv_institutions(buf *b)
{
	buf_puts(b, "kurum_kodu,kurum_adi,il_kodu,ilce,adres,posta_kodu,resmi_eposta,"
		    "yetki_birimi\n");
	for (size_t i = 0; i < NINST; i++) {
		const struct demo_inst *k = &insts[i];
		char mail[64];
		snprintf(mail, sizeof mail, "%s@meb.k12.tr", k->kodu);
		const char *f[] = {k->kodu,  k->adi,   k->il, k->ilce,
				   k->adres, k->posta, mail,  k->birim};
		for (size_t j = 0; j < 8; j++)
			csv_put(b, f[j], j == 7);
	}
}

static void csv_registry(buf *b)
{
	buf_puts(b, "tckn,ad,soyad,dogum_yeri,dogum_tarihi\n");
	for (size_t i = 0; i < NROWS; i++) {
		const struct demo_person *p = &people[i];
		const char *f[] = {p->tckn, p->ad, p->soyad, p->dogum_yeri, p->dogum_tarihi};
		for (size_t j = 0; j < 5; j++)
			csv_put(b, f[j], j == 4);
	}
}

static void csv_personnel(buf *b)
{
	buf_puts(b, "tckn,sicil_no,kurum_kodu,unvan,birim\n");
	for (size_t i = 0; i < NROWS; i++) {
		const struct demo_person *p = &people[i];
		if (p->sicil_no == NULL)
			continue;
		const char *f[] = {p->tckn, p->sicil_no, p->kurum_kodu, rows[i].unvan,
				   rows[i].birim};
		for (size_t j = 0; j < 5; j++)
			csv_put(b, f[j], j == 4);
	}
}

static int seed_units(db *d)
{
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (db_execp(d,
			     "INSERT INTO authority_units (code, name, eposta) VALUES "
			     "($1, $2, $3) ON CONFLICT (code) DO UPDATE SET name = "
			     "excluded.name, eposta = excluded.eposta",
			     units[i].code, units[i].name, units[i].eposta, NULL) != DB_OK)
			return -1;
	}
	return 0;
}

/* Imports one generated CSV through the same checks as `eimza import`. */
static int seed_kind(db *d, const char *kind, void (*gen)(buf *b))
{
	char err[512];
	long n = 0;
	buf b;
	int rc = -1;

	buf_init(&b, DEMO_CSV_MAX);
	gen(&b);
	if (b.err) {
		log_error("demo: %s CSV too large", kind);
		goto out;
	}
	if (store_import_buf(d, kind, b.data, b.len, err, sizeof err, &n) != 0) {
		log_error("demo: %s import failed: %s", kind, err);
		goto out;
	}
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

static void report_people(FILE *f)
{
	fprintf(f, "\nÖrnek giriş kimlikleri (sentetik veri; gerçek kişiler değildir):\n");
	for (size_t i = 0; i < DEMO_PRINTED; i++) {
		const struct demo_person *p = &people[i];
		fprintf(f, "\n  %zu) T.C. Kimlik No: %s\n", i + 1, p->tckn);
		fprintf(f, "     Ad: %s\n     Soyad: %s\n", p->ad, p->soyad);
		fprintf(f, "     Doğum Yeri: %s\n     Doğum Tarihi: %s\n", p->dogum_yeri,
			p->dogum_tarihi);
		fprintf(f, "     Kurum Sicil No: %s\n", p->sicil_no);
		fprintf(f, "     Kurum: %s (%s, %s; yetki birimi %s)\n", p->kurum_adi,
			p->kurum_kodu, p->ilce, p->yetki_birimi);
	}
	fprintf(f, "\n");
}

int store_demo_seed(db *d, FILE *report)
{
	pthread_once(&people_once, people_init);
	if (db_begin(d) != DB_OK)
		return -1;
	if (seed_units(d) != 0) {
		log_error("demo: authority units: %s", db_errmsg(d));
		db_rollback(d);
		return -1;
	}
	if (db_commit(d) != DB_OK)
		return -1;
	if (seed_kind(d, "institutions", csv_institutions) != 0 ||
	    seed_kind(d, "registry", csv_registry) != 0 ||
	    seed_kind(d, "personnel", csv_personnel) != 0)
		return -1;
	if (report != NULL)
		report_people(report);
	return 0;
}
