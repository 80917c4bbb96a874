/* Reference data, CSV imports and the demo data set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/tckn.h"
#include "store/store.h"
#include "tmpdb.h"

struct fx {
	struct tmpdb t;
	db *d;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	tmpdb_make(&f->t);
	f->d = tmpdb_open(&f->t);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	db_close(f->d);
	tmpdb_remove(&f->t);
	free(f);
	return 0;
}

static int64_t count(db *d, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return db_query_int64(d, -1, sql, NULL);
}

/* Valid T.C. number number k (1..9). */
static const char *T(int k)
{
	static char out[10][12];
	char stem[10];
	snprintf(stem, sizeof stem, "2000000%02d", k);
	tckn_complete(stem, out[k]);
	return out[k];
}

/* Replaces "@N" in src with T(N). */
static void expand(const char *src, char *out, size_t n)
{
	size_t o = 0;
	while (*src != '\0' && o + 12 < n) {
		if (src[0] == '@' && src[1] >= '1' && src[1] <= '9') {
			memcpy(out + o, T(src[1] - '0'), 11);
			o += 11;
			src += 2;
		} else {
			out[o++] = *src++;
		}
	}
	out[o] = '\0';
}

static int import(db *d, const char *kind, const char *tmpl, char *err, size_t errlen, long *rows)
{
	char data[4096];
	expand(tmpl, data, sizeof data);
	err[0] = '\0';
	return store_import_buf(d, kind, data, strlen(data), err, errlen, rows);
}

/* ---- reference data ---- */

struct names {
	char v[64][64];
	int n;
};

static void collect_name(void *ctx, const char *name)
{
	struct names *l = ctx;
	if (l->n < 64)
		snprintf(l->v[l->n++], 64, "%s", name);
}

static void collect_prov(void *ctx, int plate, const char *name)
{
	struct names *l = ctx;
	if (l->n < 64)
		snprintf(l->v[l->n], 64, "%02d %s", plate, name);
	l->n++;
}

static void test_refdata(void **state)
{
	struct fx *f = *state;
	char name[64];

	assert_int_equal(store_load_refdata(f->d), 0);
	assert_int_equal(store_load_refdata(f->d), 0); /* idempotent */
	assert_int_equal(count(f->d, "provinces"), 81);
	assert_int_equal(count(f->d, "districts"), 973);
	assert_int_equal(store_province_name(f->d, 67, name, sizeof name), 0);
	assert_string_equal(name, "Zonguldak");
	assert_int_equal(store_province_name(f->d, 82, name, sizeof name), -1);
	assert_int_equal(store_province_name(f->d, 67, name, 4), -1);

	static const struct {
		int plate;
		const char *name;
		int want;
	} cases[] = {
		{67, "Ereğli", 1},  {67, "EREĞLİ", 1},	{67, "ereğli", 1}, {67, "Eregli", 0},
		{67, "Merkez", 1},  {1, "Merkez", 0},	{67, "Kozan", 0},  {71, "Bahşılı", 1},
		{71, "Bahşili", 1}, {71, "BAHŞİLİ", 1}, {34, "Şişli", 1},  {34, "Bahşili", 0},
		{67, "", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(store_district_exists(f->d, cases[i].plate, cases[i].name),
				 cases[i].want);
	assert_int_equal(store_district_canonical(f->d, 71, "bahşili", name, sizeof name), 1);
	assert_string_equal(name, "Bahşılı");

	static const char *const zon[] = {"Alaplı",   "Çaycuma", "Devrek", "Ereğli",
					  "Gökçebey", "Kilimli", "Kozlu",  "Merkez"};
	struct names l = {.n = 0};
	assert_int_equal(store_districts(f->d, 67, collect_name, &l), 0);
	assert_int_equal(l.n, 8);
	for (int i = 0; i < 8; i++)
		assert_string_equal(l.v[i], zon[i]);

	struct names p = {.n = 0};
	assert_int_equal(store_provinces(f->d, collect_prov, &p), 0);
	assert_int_equal(p.n, 81);
	assert_string_equal(p.v[0], "01 Adana");
	/* Turkish order: Çanakkale after Bursa; Iğdır, Isparta before İstanbul. */
	int ig = -1, is = -1, ist = -1, bur = -1, can = -1;
	for (int i = 0; i < 64; i++) {
		if (strcmp(p.v[i], "76 Iğdır") == 0)
			ig = i;
		if (strcmp(p.v[i], "32 Isparta") == 0)
			is = i;
		if (strcmp(p.v[i], "34 İstanbul") == 0)
			ist = i;
		if (strcmp(p.v[i], "16 Bursa") == 0)
			bur = i;
		if (strcmp(p.v[i], "17 Çanakkale") == 0)
			can = i;
	}
	assert_true(ig >= 0 && ig < is && is < ist);
	assert_true(bur >= 0 && bur < can);
	assert_true(store_tr_collate("ıslak", "islak") < 0);
	assert_true(store_tr_collate("Ağrı", "AĞRI") != 0); /* tie broken by bytes */
	assert_true(store_tr_collate("çay", "dağ") < 0 && store_tr_collate("cay", "çay") < 0);
}

/* ---- imports ---- */

#define INST_HDR "kurum_kodu,kurum_adi,il_kodu,ilce,adres,posta_kodu,resmi_eposta,yetki_birimi\n"
#define INST_OK \
	"967001,Zonguldak Atatürk Anadolu Lisesi,67,Merkez,\"Meşrutiyet Mah. No:1, " \
	"Merkez\",67030,967001@meb.k12.tr,ZONGULDAK-MEM\n"
#define REG_HDR "tckn,ad,soyad,dogum_yeri,dogum_tarihi\n"
#define PER_HDR "tckn,sicil_no,kurum_kodu,unvan,birim\n"

static void test_import_good(void **state)
{
	struct fx *f = *state;
	char err[512];
	long rows = -1;

	/* BOM, CRLF, quotes with "" and an embedded newline-free comma. */
	assert_int_equal(import(f->d, "registry",
				"\xEF\xBB\xBF" REG_HDR "@1,Ayşe,Yılmaz,Zonguldak,1985-04-12\r\n"
				"@2,\"İsmail \"\"Can\"\"\",Şahin,Ereğli,03.11.1979\r\n"
				"\r\n@3,Gülşen,Işık,\"Bartın\",1982-07-19",
				err, sizeof err, &rows),
			 0);
	assert_int_equal(rows, 3);
	assert_int_equal(count(f->d, "registry"), 3);
	assert_int_equal(db_query_int64(f->d, 0,
					"SELECT COUNT(*) FROM registry WHERE tckn = $1 "
					"AND ad = 'İsmail \"Can\"' AND dogum_tarihi = '1979-11-03'",
					T(2), NULL),
			 1);

	assert_int_equal(import(f->d, "institutions",
				INST_HDR INST_OK
				"974002,Amasra Anadolu Lisesi,74,amasra,Kum Mah.,74300,"
				"974002@meb.k12.tr,BARTIN-MEM\n",
				err, sizeof err, &rows),
			 0);
	assert_int_equal(rows, 2);
	assert_int_equal(import(f->d, "institutions",
				INST_HDR "967009,Okul,67,Kozlu,\"Fatih Mah.\n"
					 " No:2 \n\",67600,a@meb.k12.tr,ZONGULDAK-MEM\n",
				err, sizeof err, &rows),
			 0);
	assert_int_equal(db_query_int64(f->d, 0,
					"SELECT COUNT(*) FROM institutions WHERE "
					"adres = 'Fatih Mah. No:2'",
					NULL),
			 1);
	assert_int_equal(db_exec(f->d, "DELETE FROM institutions WHERE kurum_kodu = '967009'"),
			 DB_OK);
	/* District spelled as in il_ilce.csv; authority units created. */
	assert_int_equal(db_query_int64(f->d, 0,
					"SELECT COUNT(*) FROM institutions WHERE "
					"kurum_kodu = '974002' AND ilce = 'Amasra'",
					NULL),
			 1);
	db_stmt *s = db_prepare(f->d, "SELECT name, eposta FROM authority_units WHERE code = $1");
	db_bind_text(s, 1, "ZONGULDAK-MEM");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "Zonguldak İl Milli Eğitim Müdürlüğü");
	assert_string_equal(db_col_text(s, 1), "967001@meb.k12.tr");
	db_finalize(s);
	assert_int_equal(count(f->d, "authority_units"), 2);

	assert_int_equal(import(f->d, "personnel",
				PER_HDR "@1,100001,967001,Öğretmen,Matematik\n"
					"@2,100002,974002,Müdür,\n",
				err, sizeof err, &rows),
			 0);
	assert_int_equal(rows, 2);
	assert_int_equal(count(f->d, "personnel"), 2);

	/* Re-import updates by key. */
	assert_int_equal(import(f->d, "registry",
				REG_HDR "@1,Ayşe Nur,Yılmaz,Zonguldak,1985-04-12\n", err,
				sizeof err, &rows),
			 0);
	assert_int_equal(count(f->d, "registry"), 3);
	assert_int_equal(db_query_int64(f->d, 0,
					"SELECT COUNT(*) FROM registry WHERE tckn = $1 "
					"AND ad = 'Ayşe Nur'",
					T(1), NULL),
			 1);
	assert_int_equal(import(f->d, "personnel", PER_HDR "@1,100009,974002,Müdür Yardımcısı,X\n",
				err, sizeof err, &rows),
			 0);
	assert_int_equal(count(f->d, "personnel"), 2);
	assert_int_equal(db_query_int64(f->d, 0,
					"SELECT COUNT(*) FROM personnel WHERE tckn = $1 "
					"AND sicil_no = '100009' AND kurum_kodu = '974002'",
					T(1), NULL),
			 1);
}

struct bad_case {
	const char *kind, *csv, *want; /* want: expected prefix of the message */
	const char *table;
};

static const struct bad_case bad_cases[] = {
	{"registry", "tckn,ad,soyadi,dogum_yeri,dogum_tarihi\n@1,A,B,C,1980-01-01\n",
	 "satır 1: başlık satırı \"tckn,ad,soyad,dogum_yeri,dogum_tarihi\" olmalı", "registry"},
	{"registry", "", "satır 1: başlık satırı", "registry"},
	{"registry",
	 REG_HDR "@1,A,B,C,1980-01-01\n@2,A,B,C,1980-01-01\n12345678901,A,B,C,1980-01-01\n",
	 "satır 4, alan tckn: T.C. Kimlik No geçersiz", "registry"},
	{"registry", REG_HDR "@1,A,B,C,2023-02-29\n", "satır 2, alan dogum_tarihi: tarih geçersiz",
	 "registry"},
	{"registry", REG_HDR "@1,A,B,C,2099-01-01\n",
	 "satır 2, alan dogum_tarihi: doğum tarihi gelecekte olamaz", "registry"},
	{"registry", REG_HDR "@1,A,,C,1980-01-01\n", "satır 2, alan soyad: boş olamaz", "registry"},
	{"registry", REG_HDR "@1,A,B,C,1980-01-01\n@2,A,B,C\n",
	 "satır 3: 5 alan bekleniyordu, 4 alan var", "registry"},
	{"registry",
	 REG_HDR "@1,A,B,C,1980-01-01\n@2,A,B,C,1980-01-01\n@3,A,B,C,1980-01-01\n"
		 "@4,Ay\xC5\x9F\xFF"
		 "e,B,C,1980-01-01\n",
	 "satır 5, alan ad: geçersiz UTF-8", "registry"},
	{"registry", REG_HDR "@1,A,B,C,1980-01-01\n@2,A,\"Yıl\nmaz,C,1980-01-01\n",
	 "satır 3, alan soyad: kapanmamış tırnak", "registry"},
	{"registry", REG_HDR "@1,A,B,C,1980-01-01\n@2,A,B\"x,C,1980-01-01\n",
	 "satır 3, alan soyad: tırnak (\") kuralına aykırı", "registry"},
	{"registry", REG_HDR "@1,\"A\nB\",B,C,1980-01-01\n", "satır 2, alan ad: denetim karakteri",
	 "registry"},
	/* A multi-line address is allowed; line numbers count its lines. */
	{"institutions",
	 INST_HDR "967002,Okul,67,Merkez,\"Satır 1\r\nSatır 2\",67100,"
		  "a@meb.k12.tr,ZONGULDAK-MEM\n967003,Okul,67,Merkez,Adres,67100,a@meb.k12.tr,zm\n",
	 "satır 4, alan yetki_birimi", "institutions"},
	{"registry", REG_HDR "@1,A\tB,B,C,1980-01-01\n", "satır 2, alan ad: denetim karakteri",
	 "registry"},
	{"institutions",
	 INST_HDR INST_OK "967002,Okul,67,Merkez,Adres,74100,a@meb.k12.tr,ZONGULDAK-MEM\n",
	 "satır 3, alan posta_kodu: posta kodu 5 haneli olmalı ve il plaka kodu (67)",
	 "institutions"},
	{"institutions", INST_HDR "967002,Okul,82,Merkez,Adres,82100,a@meb.k12.tr,X\n",
	 "satır 2, alan il_kodu: 1 ile 81 arasında", "institutions"},
	{"institutions", INST_HDR "967002,Okul,67,Kozan,Adres,67100,a@meb.k12.tr,X\n",
	 "satır 2, alan ilce: Zonguldak ilinde \"Kozan\" adlı ilçe yok", "institutions"},
	{"institutions", INST_HDR "967002,Okul,67,Merkez,Adres,67100,a@@meb,X\n",
	 "satır 2, alan resmi_eposta: e-posta adresi geçersiz", "institutions"},
	{"institutions", INST_HDR "967002,Okul,67,Merkez,Adres,67100,a@meb.k12.tr,zonguldak-mem\n",
	 "satır 2, alan yetki_birimi: yalnız büyük harf", "institutions"},
	{"institutions", INST_HDR "96 7002,Okul,67,Merkez,Adres,67100,a@meb.k12.tr,X\n",
	 "satır 2, alan kurum_kodu: kurum kodu geçersiz", "institutions"},
	{"personnel", PER_HDR "@1,1,967001,Öğretmen,\n@2,2,967001,Öğretmen,\n@3,3,999999,Memur,\n",
	 "satır 4, alan kurum_kodu: \"999999\" kodlu kurum yok", "personnel"},
	{"personnel", PER_HDR "@1,,967001,Öğretmen,\n", "satır 2, alan sicil_no: sicil no geçersiz",
	 "personnel"},
	{"personnel", PER_HDR "@1,1,967001,,\n", "satır 2, alan unvan: boş olamaz", "personnel"},
	{"nope", PER_HDR, "bilinmeyen içe aktarma türü \"nope\"", "personnel"},
};

static void test_import_bad(void **state)
{
	struct fx *f = *state;
	char err[512];
	long rows = 12345;

	/* One institution exists so personnel rows can refer to it. */
	assert_int_equal(import(f->d, "institutions", INST_HDR INST_OK, err, sizeof err, &rows), 0);
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		int64_t before = count(f->d, c->table);
		rows = 12345;
		int rc = import(f->d, c->kind, c->csv, err, sizeof err, &rows);
		if (rc != -1 || strncmp(err, c->want, strlen(c->want)) != 0)
			fail_msg("case %zu: rc %d, message \"%s\", want \"%s\"", i, rc, err,
				 c->want);
		assert_int_equal(rows, 12345);
		assert_int_equal(count(f->d, c->table), before);
	}
	assert_int_equal(count(f->d, "registry"), 0);
	assert_int_equal(count(f->d, "institutions"), 1);
	assert_int_equal(count(f->d, "personnel"), 0);
}

static void test_import_limits(void **state)
{
	struct fx *f = *state;
	char err[512];
	char *big = malloc(4096);
	size_t o;

	o = (size_t)snprintf(big, 4096, REG_HDR "%s,", T(1));
	memset(big + o, 'a', 501);
	o += 501;
	o += (size_t)snprintf(big + o, 4096 - o, ",B,C,1980-01-01\n");
	assert_int_equal(store_import_buf(f->d, "registry", big, o, err, sizeof err, NULL), -1);
	assert_string_equal(err, "satır 2, alan ad: alan 500 bayttan uzun");
	o = (size_t)snprintf(big, 4096, REG_HDR);
	for (int i = 0; i < 65; i++)
		big[o++] = ',';
	big[o++] = '\n';
	assert_int_equal(store_import_buf(f->d, "registry", big, o, err, sizeof err, NULL), -1);
	assert_string_equal(err, "satır 2: bir satırda en çok 64 alan olabilir");
	free(big);
}

static void test_import_file(void **state)
{
	struct fx *f = *state;
	char path[160], err[512], data[512];
	long rows = 0;

	snprintf(path, sizeof path, "%s/reg.csv", f->t.dir);
	expand(REG_HDR "@1,Ayşe,Yılmaz,Zonguldak,1985-04-12\n", data, sizeof data);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(data, fp);
	fclose(fp);
	assert_int_equal(store_import_csv(f->d, "registry", path, err, sizeof err, &rows), 0);
	assert_int_equal(rows, 1);
	snprintf(path, sizeof path, "%s/missing.csv", f->t.dir);
	assert_int_equal(store_import_csv(f->d, "registry", path, err, sizeof err, &rows), -1);
	assert_non_null(strstr(err, "açılamadı"));
	unlink(path);
	snprintf(path, sizeof path, "%s/reg.csv", f->t.dir);
	unlink(path);
}

/* ---- demo ---- */

static void test_demo(void **state)
{
	struct fx *f = *state;
	char *out = NULL;
	size_t outlen = 0, n = 0;
	FILE *rep = open_memstream(&out, &outlen);

	assert_int_equal(store_demo_seed(f->d, rep), 0);
	fclose(rep);
	int64_t reg = count(f->d, "registry"), inst = count(f->d, "institutions"),
		per = count(f->d, "personnel"), units = count(f->d, "authority_units");
	assert_true(reg >= 40);
	assert_true(inst >= 10);
	assert_true(per >= 30 && per < reg);
	assert_int_equal(units, 2);
	assert_int_equal(store_demo_seed(f->d, NULL), 0); /* idempotent */
	assert_int_equal(count(f->d, "registry"), reg);
	assert_int_equal(count(f->d, "institutions"), inst);
	assert_int_equal(count(f->d, "personnel"), per);
	assert_int_equal(count(f->d, "authority_units"), units);

	const struct demo_person *p = store_demo_people(&n);
	assert_true(n >= 3);
	assert_string_equal(p[0].ad, "Ayşe");
	assert_string_equal(p[0].soyad, "Yılmaz");
	assert_string_equal(p[0].dogum_yeri, "Zonguldak");
	assert_string_equal(p[0].dogum_tarihi, "1985-04-12");
	assert_string_equal(p[0].sicil_no, "100001");
	char first[64];
	snprintf(first, sizeof first, "T.C. Kimlik No: %s", p[0].tckn);
	char *at = strstr(out, "T.C. Kimlik No");
	assert_non_null(at);
	assert_memory_equal(at, first, strlen(first));
	for (size_t i = 0; i < n; i++) {
		assert_true(tckn_valid(p[i].tckn));
		assert_non_null(strstr(out, p[i].tckn));
		/* Each printed person is in the registry and personnel records. */
		assert_int_equal(
			db_query_int64(
				f->d, 0,
				"SELECT COUNT(*) FROM registry r JOIN "
				"personnel p ON p.tckn = r.tckn WHERE r.tckn = $1 AND r.ad = $2 "
				"AND r.soyad = $3 AND r.dogum_tarihi = $4 AND p.sicil_no = $5",
				p[i].tckn, p[i].ad, p[i].soyad, p[i].dogum_tarihi, p[i].sicil_no,
				NULL),
			1);
	}
	assert_int_equal(db_query_int64(f->d, 0,
					"SELECT COUNT(*) FROM personnel p JOIN "
					"institutions i ON i.kurum_kodu = p.kurum_kodu WHERE "
					"p.tckn = $1 AND i.il_kodu = 67 AND i.ilce = 'Merkez'",
					p[0].tckn, NULL),
			 1);
	/* Both authority units have schools; Zonguldak's span several districts. */
	assert_true(db_query_int64(f->d, 0,
				   "SELECT COUNT(DISTINCT ilce) FROM institutions WHERE "
				   "yetki_birimi = 'ZONGULDAK-MEM'",
				   NULL) >= 6);
	assert_int_equal(db_query_int64(f->d, 0,
					"SELECT COUNT(*) FROM institutions WHERE "
					"yetki_birimi = 'BARTIN-MEM'",
					NULL),
			 2);
	assert_int_equal(db_query_int64(f->d, 0,
					"SELECT COUNT(*) FROM authority_units WHERE "
					"code = 'ZONGULDAK-MEM' AND eposta = "
					"'zonguldakmem@meb.gov.tr'",
					NULL),
			 1);
	/* Every T.C. number in the registry is valid. */
	db_stmt *s = db_prepare(f->d, "SELECT tckn FROM registry");
	int seen = 0;
	while (db_step(s) == DB_ROW) {
		assert_true(tckn_valid(db_col_text(s, 0)));
		seen++;
	}
	db_finalize(s);
	assert_int_equal(seen, reg);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refdata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demo, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
