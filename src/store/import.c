/* CSV imports (`eimza import KIND FILE`): registry, institutions and
 * personnel. One transaction per file; the first bad row rolls everything
 * back and is reported by line and field; rows are upserted by key. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/date.h"
#include "domain/email.h"
#include "domain/postal.h"
#include "domain/tckn.h"
#include "store/csv.h"
#include "store/db_internal.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/utf8.h"

#define IMPORT_MAX_FILE (64L * 1024 * 1024)
#define CODE_MAX 32
#define UNIT_MAX 64

struct row {
	db *d;
	struct csv *c;
	int64_t now;
	char *err;
	size_t errlen;
};

struct import_kind {
	const char *name;
	const char *const *cols;
	int ncols;
	int (*row)(struct row *r);
};

/* Writes "satır N, alan F: message" and returns -1. */
static int fail(struct row *r, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct row *r, int col, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (col >= 0)
		snprintf(r->err, r->errlen, "satır %ld, alan %s: %s", r->c->rec_line,
			 r->c->names[col], msg);
	else
		snprintf(r->err, r->errlen, "satır %ld: %s", r->c->rec_line, msg);
	return -1;
}

static const char *F(struct row *r, int col)
{
	return r->c->field[col];
}

static int required(struct row *r, int col)
{
	if (r->c->len[col] == 0)
		return fail(r, col, "boş olamaz");
	return 0;
}

/* 1 if s is 1..max bytes from [A-Za-z0-9] and the characters in `extra`. */
static int code_ok(const char *s, size_t max, const char *extra, int upper_only)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		int ok = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			 (!upper_only && ch >= 'a' && ch <= 'z') || strchr(extra, ch) != NULL;
		if (!ok || ch == '\0')
			return 0;
	}
	return 1;
}

static int tckn_field(struct row *r, int col)
{
	if (!tckn_valid(F(r, col)))
		return fail(r, col, "T.C. Kimlik No geçersiz");
	return 0;
}

/* Runs a prepared upsert; maps database errors to a line message. */
static int run(struct row *r, db_stmt *s)
{
	int st;

	if (s == NULL)
		return fail(r, -1, "veritabanı hatası: %s", db_errmsg(r->d));
	st = db_step(s);
	db_finalize(s);
	if (st == DB_DONE)
		return 0;
	if (st == DB_CONSTRAINT)
		return fail(r, -1, "veritabanı kısıtına aykırı: %s", db_errmsg(r->d));
	return fail(r, -1, "veritabanı hatası: %s", db_errmsg(r->d));
}

/* ---- registry: tckn,ad,soyad,dogum_yeri,dogum_tarihi ---- */

static const char *const registry_cols[] = {"tckn", "ad", "soyad", "dogum_yeri", "dogum_tarihi"};

static int registry_row(struct row *r)
{
	char iso[11];
	int y, m, dd;
	db_stmt *s;

	if (tckn_field(r, 0) || required(r, 1) || required(r, 2) || required(r, 3))
		return -1;
	if (date_parse(F(r, 4), &y, &m, &dd) != 0)
		return fail(r, 4, "tarih geçersiz (YYYY-AA-GG ya da GG.AA.YYYY bekleniyor)");
	if (date_to_days(y, m, dd) > r->now / 86400)
		return fail(r, 4, "doğum tarihi gelecekte olamaz");
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, dd);
	s = db_prepare(r->d, "INSERT INTO registry (tckn, ad, soyad, dogum_yeri, dogum_tarihi, "
			     "updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tckn) "
			     "DO UPDATE SET ad = excluded.ad, soyad = excluded.soyad, "
			     "dogum_yeri = excluded.dogum_yeri, dogum_tarihi = "
			     "excluded.dogum_tarihi, updated_at = excluded.updated_at");
	if (s != NULL) {
		for (int i = 0; i < 4; i++)
			db_bind_text(s, i + 1, F(r, i));
		db_bind_text(s, 5, iso);
		db_bind_int64(s, 6, r->now);
	}
	return run(r, s);
}

/* ---- institutions ---- */

static const char *const inst_cols[] = {"kurum_kodu", "kurum_adi",  "il_kodu",	    "ilce",
					"adres",      "posta_kodu", "resmi_eposta", "yetki_birimi"};

/* Upper-case ASCII folding of a Turkish name ("Zonguldak" -> "ZONGULDAK",
 * "Çorum" -> "CORUM") for matching authority unit codes. */
static void ascii_fold(const char *in, char *out, size_t n)
{
	static const char *const map[][2] = {
		{"ç", "C"}, {"Ç", "C"}, {"ğ", "G"}, {"Ğ", "G"}, {"ı", "I"}, {"İ", "I"},
		{"ö", "O"}, {"Ö", "O"}, {"ş", "S"}, {"Ş", "S"}, {"ü", "U"}, {"Ü", "U"},
		{"â", "A"}, {"Â", "A"}, {"î", "I"}, {"Î", "I"}, {"û", "U"}, {"Û", "U"},
	};
	size_t o = 0;

	while (*in != '\0' && o + 1 < n) {
		size_t i, k = sizeof map / sizeof map[0];
		for (i = 0; i < k; i++) {
			size_t l = strlen(map[i][0]);
			if (strncmp(in, map[i][0], l) == 0) {
				out[o++] = map[i][1][0];
				in += l;
				break;
			}
		}
		if (i < k)
			continue;
		char ch = *in++;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		out[o++] = ch == ' ' ? '-' : ch;
	}
	out[o] = '\0';
}

/* The Turkish name of an authority unit derived from its code:
 * "ZONGULDAK-MEM" -> "Zonguldak İl Milli Eğitim Müdürlüğü",
 * "EREGLI-MEM" (a district of the institution's province) -> "Ereğli İlçe
 * Milli Eğitim Müdürlüğü"; otherwise the code itself. */
static void unit_name(db *d, const char *code, int plate, const char *ilce, char *out, size_t n)
{
	char prov[128], fold[128], prefix[UNIT_MAX + 1];
	size_t len = strlen(code);

	snprintf(out, n, "%s", code);
	if (len < 5 || strcmp(code + len - 4, "-MEM") != 0)
		return;
	snprintf(prefix, sizeof prefix, "%.*s", (int)(len - 4), code);
	if (store_province_name(d, plate, prov, sizeof prov) == 0) {
		ascii_fold(prov, fold, sizeof fold);
		if (strcmp(fold, prefix) == 0) {
			snprintf(out, n, "%s İl Milli Eğitim Müdürlüğü", prov);
			return;
		}
	}
	ascii_fold(ilce, fold, sizeof fold);
	if (strcmp(fold, prefix) == 0)
		snprintf(out, n, "%s İlçe Milli Eğitim Müdürlüğü", ilce);
}

/* Creates the authority unit `code` unless it exists. */
static int ensure_unit(struct row *r, const char *code, int plate, const char *ilce,
		       const char *eposta)
{
	char name[256];
	db_stmt *s;

	unit_name(r->d, code, plate, ilce, name, sizeof name);
	s = db_prepare(r->d, "INSERT INTO authority_units (code, name, eposta) "
			     "VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING");
	if (s != NULL) {
		db_bind_text(s, 1, code);
		db_bind_text(s, 2, name);
		db_bind_text(s, 3, eposta);
	}
	return run(r, s);
}

static int inst_check(struct row *r, long *plate, char *ilce, size_t ilcelen)
{
	char prov[128], *end;

	if (!code_ok(F(r, 0), CODE_MAX, "._-", 0))
		return fail(r, 0, "kurum kodu geçersiz (harf, rakam, '.', '_', '-'; en çok %d)",
			    CODE_MAX);
	if (required(r, 1))
		return -1;
	errno = 0;
	*plate = strtol(F(r, 2), &end, 10);
	if (errno != 0 || end == F(r, 2) || *end != '\0' || *plate < 1 || *plate > 81)
		return fail(r, 2, "1 ile 81 arasında bir il plaka kodu olmalı");
	if (required(r, 3))
		return -1;
	int ex = store_district_canonical(r->d, (int)*plate, F(r, 3), ilce, ilcelen);
	if (ex < 0)
		return fail(r, -1, "veritabanı hatası: %s", db_errmsg(r->d));
	if (ex == 0) {
		if (store_province_name(r->d, (int)*plate, prov, sizeof prov) != 0)
			snprintf(prov, sizeof prov, "%ld", *plate);
		return fail(r, 3, "%s ilinde \"%s\" adlı ilçe yok", prov, F(r, 3));
	}
	if (required(r, 4))
		return -1;
	if (!postal_code_matches(F(r, 5), (int)*plate))
		return fail(r, 5,
			    "posta kodu 5 haneli olmalı ve il plaka kodu (%02ld) ile "
			    "başlamalı",
			    *plate);
	if (!email_valid(F(r, 6)))
		return fail(r, 6, "e-posta adresi geçersiz");
	if (!code_ok(F(r, 7), UNIT_MAX, "-", 1))
		return fail(r, 7, "yalnız büyük harf (A-Z), rakam ve '-' içerebilir");
	return 0;
}

/* Collapses each run of blanks and line breaks of a (possibly multi-line)
 * field into one space, in place, dropping them at both ends. */
static void one_line(char *s)
{
	char *o = s, *start = s;
	int gap = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			gap = 1;
			continue;
		}
		if (gap && o != start)
			*o++ = ' ';
		gap = 0;
		*o++ = *s;
	}
	*o = '\0';
}

static int inst_row(struct row *r)
{
	char ilce[128];
	long plate = 0;
	db_stmt *s;

	one_line(r->c->field[4]);
	if (inst_check(r, &plate, ilce, sizeof ilce) != 0)
		return -1;
	if (ensure_unit(r, F(r, 7), (int)plate, ilce, F(r, 6)) != 0)
		return -1;
	s = db_prepare(r->d, "INSERT INTO institutions (kurum_kodu, kurum_adi, il_kodu, ilce, "
			     "adres, posta_kodu, resmi_eposta, yetki_birimi, updated_at) VALUES "
			     "($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (kurum_kodu) DO "
			     "UPDATE SET kurum_adi = excluded.kurum_adi, il_kodu = "
			     "excluded.il_kodu, ilce = excluded.ilce, adres = excluded.adres, "
			     "posta_kodu = excluded.posta_kodu, resmi_eposta = "
			     "excluded.resmi_eposta, yetki_birimi = excluded.yetki_birimi, "
			     "updated_at = excluded.updated_at");
	if (s != NULL) {
		db_bind_text(s, 1, F(r, 0));
		db_bind_text(s, 2, F(r, 1));
		db_bind_int64(s, 3, plate);
		db_bind_text(s, 4, ilce);
		for (int i = 4; i < 8; i++)
			db_bind_text(s, i + 1, F(r, i));
		db_bind_int64(s, 9, r->now);
	}
	return run(r, s);
}

/* ---- personnel: tckn,sicil_no,kurum_kodu,unvan,birim ---- */

static const char *const pers_cols[] = {"tckn", "sicil_no", "kurum_kodu", "unvan", "birim"};

static int pers_row(struct row *r)
{
	db_stmt *s;
	int64_t n;

	if (tckn_field(r, 0))
		return -1;
	if (!code_ok(F(r, 1), CODE_MAX, "-_./", 0))
		return fail(r, 1, "sicil no geçersiz (harf, rakam, '-', '_', '.', '/'; en çok %d)",
			    CODE_MAX);
	if (required(r, 2))
		return -1;
	n = db_query_int64(r->d, -1, "SELECT COUNT(*) FROM institutions WHERE kurum_kodu = $1",
			   F(r, 2), NULL);
	if (n < 0)
		return fail(r, -1, "veritabanı hatası: %s", db_errmsg(r->d));
	if (n == 0)
		return fail(r, 2, "\"%s\" kodlu kurum yok (önce kurumları içe aktarın)", F(r, 2));
	if (required(r, 3))
		return -1;
	s = db_prepare(r->d, "INSERT INTO personnel (tckn, sicil_no, kurum_kodu, unvan, birim, "
			     "updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tckn) DO "
			     "UPDATE SET sicil_no = excluded.sicil_no, kurum_kodu = "
			     "excluded.kurum_kodu, unvan = excluded.unvan, birim = excluded.birim, "
			     "updated_at = excluded.updated_at");
	if (s != NULL) {
		for (int i = 0; i < 5; i++)
			db_bind_text(s, i + 1, F(r, i));
		db_bind_int64(s, 6, r->now);
	}
	return run(r, s);
}

static const struct import_kind kinds[] = {
	{"registry", registry_cols, 5, registry_row},
	{"institutions", inst_cols, 8, inst_row},
	{"personnel", pers_cols, 5, pers_row},
};

/* ---- driver ---- */

static const struct import_kind *kind_find(const char *name)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (name != NULL && strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

static int header_check(const struct import_kind *k, struct row *r)
{
	char want[256];
	int r1 = csv_next(r->c, r->err, r->errlen);
	size_t o = 0;

	if (r1 < 0)
		return -1;
	int ok = r1 == 1 && r->c->nfields == k->ncols;
	for (int i = 0; ok && i < k->ncols; i++)
		ok = strcasecmp(r->c->field[i], k->cols[i]) == 0;
	if (ok)
		return 0;
	for (int i = 0; i < k->ncols; i++)
		o += (size_t)snprintf(want + o, sizeof want - o, "%s%s", i ? "," : "", k->cols[i]);
	snprintf(r->err, r->errlen, "satır 1: başlık satırı \"%s\" olmalı", want);
	return -1;
}

/* Checks field count, UTF-8 and control characters of the current row. */
static int row_common(const struct import_kind *k, struct row *r)
{
	if (r->c->nfields != k->ncols)
		return fail(r, -1, "%d alan bekleniyordu, %d alan var", k->ncols, r->c->nfields);
	for (int i = 0; i < k->ncols; i++) {
		if (!utf8_valid(r->c->field[i], r->c->len[i]))
			return fail(r, i, "geçersiz UTF-8 (dosya UTF-8 olarak kaydedilmeli)");
		int nl = strcmp(k->cols[i], "adres") == 0; /* multi-line addresses */
		if (utf8_has_controls(r->c->field[i], r->c->len[i], nl))
			return fail(r, i, "denetim karakteri (satır sonu, sekme...) içeremez");
	}
	return 0;
}

static int import_rows(const struct import_kind *k, struct row *r, long *rows)
{
	int st;

	if (header_check(k, r) != 0)
		return -1;
	r->c->names = k->cols;
	r->c->nnames = k->ncols;
	while ((st = csv_next(r->c, r->err, r->errlen)) == 1) {
		if (row_common(k, r) != 0 || k->row(r) != 0)
			return -1;
		(*rows)++;
	}
	return st;
}

int store_import_buf(db *d, const char *kind, const char *data, size_t n, char *err, size_t errlen,
		     long *rows)
{
	return store_import_buf_hook(d, kind, data, n, NULL, err, errlen, rows);
}

int store_import_buf_hook(db *d, const char *kind, const char *data, size_t n,
			  const struct store_import_hook *hook, char *err, size_t errlen,
			  long *rows)
{
	const struct import_kind *k = kind_find(kind);
	struct row r = {.d = d, .err = err, .errlen = errlen, .now = clock_now()};
	long count = 0;
	int rc = -1, began = 0;

	if (k == NULL) {
		snprintf(err, errlen,
			 "bilinmeyen içe aktarma türü \"%s\" (registry, "
			 "institutions, personnel)",
			 kind ? kind : "");
		goto out;
	}
	if (db_query_int64(d, 0, "SELECT COUNT(*) FROM provinces", NULL) == 0 &&
	    store_load_refdata(d) != 0) {
		snprintf(err, errlen, "il/ilçe verisi yüklenemedi: %s", db_errmsg(d));
		goto out;
	}
	r.c = malloc(sizeof *r.c);
	if (r.c == NULL) {
		snprintf(err, errlen, "bellek yetersiz");
		goto out;
	}
	csv_init(r.c, data, n);
	if (db_begin(d) != DB_OK) {
		snprintf(err, errlen, "işlem başlatılamadı: %s", db_errmsg(d));
		goto out;
	}
	began = 1;
	if (import_rows(k, &r, &count) != 0)
		goto out;
	if (hook != NULL && hook->before_commit(hook->ctx, d, k->name, count) != 0) {
		snprintf(err, errlen, "denetim kaydı yazılamadı: %s", db_errmsg(d));
		goto out;
	}
	if (db_commit(d) != DB_OK) {
		snprintf(err, errlen, "işlem tamamlanamadı: %s", db_errmsg(d));
		goto out;
	}
	began = 0;
	if (rows != NULL)
		*rows = count;
	log_info("store: imported %ld %s rows", count, k->name);
	rc = 0;
out:
	if (began)
		db_rollback(d);
	free(r.c);
	return rc;
}

/* Reads a whole regular file of at most IMPORT_MAX_FILE bytes. Caller
 * frees *out. */
static int read_file(const char *path, char **out, size_t *n, char *err, size_t errlen)
{
	struct stat st;
	char *p = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s açılamadı: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > IMPORT_MAX_FILE) {
		snprintf(err, errlen, "%s: dosya değil ya da 64 MiB'tan büyük", path);
		goto out;
	}
	p = malloc((size_t)st.st_size + 1);
	if (p == NULL) {
		snprintf(err, errlen, "bellek yetersiz");
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, p + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			snprintf(err, errlen, "%s okunamadı: %s", path,
				 k < 0 ? strerror(errno) : "beklenmeyen dosya sonu");
			goto out;
		}
		got += (size_t)k;
	}
	p[got] = '\0';
	*out = p;
	*n = got;
	p = NULL;
	rc = 0;
out:
	free(p);
	if (fd >= 0)
		close(fd);
	return rc;
}

int store_import_csv(db *d, const char *kind, const char *path, char *err, size_t errlen,
		     long *rows)
{
	return store_import_csv_hook(d, kind, path, NULL, err, errlen, rows);
}

int store_import_csv_hook(db *d, const char *kind, const char *path,
			  const struct store_import_hook *hook, char *err, size_t errlen,
			  long *rows)
{
	char *data = NULL;
	size_t n = 0;
	int rc = -1;

	if (read_file(path, &data, &n, err, errlen) != 0)
		goto out;
	rc = store_import_buf_hook(d, kind, data, n, hook, err, errlen, rows);
out:
	free(data);
	return rc;
}
