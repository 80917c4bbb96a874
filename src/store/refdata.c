/* Reference data: provinces (il) and districts (ilçe) from the embedded
 * data/il_ilce.csv, and the lookups the form's İl/İlçe cascade needs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/trcase.h"
#include "store/csv.h"
#include "store/db_internal.h"
#include "store/store.h"
#include "util/assets.h"
#include "util/log.h"

#define REF_ASSET "data/il_ilce.csv"
#define NAME_MAX_BYTES 128
#define LIST_MAX 256

/* ---- Turkish collation ---- */

static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t cp;
	int n;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		n = 1;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		n = 2;
	} else {
		cp = s[0] & 0x07;
		n = 3;
	}
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*p = s + n + 1;
	return cp;
}

/* Rank of a code point in Turkish alphabetical order (case-blind). */
static uint32_t tr_rank(uint32_t cp)
{
	static const char order[] = "abc*defg*h*ijklmno*pqrs*tu*vwxyz";
	uint32_t base;

	switch (cp) {
	case 0xE7:
	case 0xC7: return 1000 + 3; /* ç after c */
	case 0x11F:
	case 0x11E: return 1000 + 8; /* ğ after g */
	case 0x131:
	case 'I': return 1000 + 10;   /* ı before i */
	case 0x130: return 1000 + 11; /* İ = i */
	case 0xF6:
	case 0xD6: return 1000 + 18; /* ö after o */
	case 0x15F:
	case 0x15E: return 1000 + 23; /* ş after s */
	case 0xFC:
	case 0xDC: return 1000 + 26; /* ü after u */
	case 0xE2:
	case 0xC2: cp = 'a'; break; /* â, î, û sort as their base */
	case 0xEE:
	case 0xCE: cp = 'i'; break;
	case 0xFB:
	case 0xDB: cp = 'u'; break;
	}
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	if (cp >= 'a' && cp <= 'z') {
		base = (uint32_t)(strchr(order, (int)cp) - order);
		return 1000 + base;
	}
	if (cp >= '0' && cp <= '9')
		return 500 + (cp - '0');
	if (cp < 0x80)
		return cp; /* space and punctuation first */
	return 2000 + cp;
}

int store_tr_collate(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p != '\0' && *q != '\0') {
		uint32_t x = tr_rank(next_cp(&p)), y = tr_rank(next_cp(&q));
		if (x != y)
			return x < y ? -1 : 1;
	}
	if (*p != '\0' || *q != '\0')
		return *p != '\0' ? 1 : -1;
	return strcmp(a, b);
}

/* ---- loading ---- */

/* Runs one two-parameter statement (plate, name). 0 ok, -1 error. */
static int put_row(db *d, const char *sql, long plate, const char *name)
{
	db_stmt *s = db_prepare(d, sql);
	int rc = -1;

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, plate);
	db_bind_text(s, 2, name);
	if (db_step(s) == DB_DONE)
		rc = 0;
	db_finalize(s);
	return rc;
}

static int load_rows(db *d, struct csv *c, long *nrows)
{
	char err[256];
	int r;

	if (csv_next(c, err, sizeof err) != 1 || c->nfields != 3 ||
	    strcmp(c->field[0], "il_kodu") != 0) {
		db_set_err(d, "%s: başlık satırı okunamadı", REF_ASSET);
		return -1;
	}
	while ((r = csv_next(c, err, sizeof err)) == 1) {
		char *end;
		long plate = strtol(c->field[0], &end, 10);
		if (c->nfields != 3 || *end != '\0' || plate < 1 || plate > 81) {
			db_set_err(d, "%s: satır %ld bozuk", REF_ASSET, c->rec_line);
			return -1;
		}
		if (put_row(d,
			    "INSERT INTO provinces (plate, name) VALUES ($1, $2) "
			    "ON CONFLICT (plate) DO UPDATE SET name = excluded.name",
			    plate, c->field[1]) != 0 ||
		    put_row(d,
			    "INSERT INTO districts (plate, name) VALUES ($1, $2) "
			    "ON CONFLICT (plate, name) DO NOTHING",
			    plate, c->field[2]) != 0)
			return -1;
		(*nrows)++;
	}
	if (r < 0) {
		db_set_err(d, "%s: %s", REF_ASSET, err);
		return -1;
	}
	return 0;
}

int store_load_refdata(db *d)
{
	const struct asset *a = asset_find(REF_ASSET);
	struct csv *c = NULL;
	long n = 0;
	int rc = -1, began = 0;

	if (a == NULL) {
		db_set_err(d, "%s gömülü değil", REF_ASSET);
		goto out;
	}
	c = malloc(sizeof *c);
	if (c == NULL)
		goto out;
	csv_init(c, (const char *)a->data, a->len);
	if (db_begin(d) != DB_OK)
		goto out;
	began = 1;
	if (load_rows(d, c, &n) != 0 || db_commit(d) != DB_OK)
		goto out;
	began = 0;
	log_info("store: loaded %ld districts of il_ilce.csv", n);
	rc = 0;
out:
	if (began)
		db_rollback(d);
	if (rc != 0)
		log_error("store: reference data not loaded: %s", db_errmsg(d));
	free(c);
	return rc;
}

/* ---- lookups ---- */

int store_province_name(db *d, int plate, char *out, size_t n)
{
	db_stmt *s = db_prepare(d, "SELECT name FROM provinces WHERE plate = $1");
	int rc = -1;

	if (s == NULL || n == 0)
		goto out;
	db_bind_int64(s, 1, plate);
	if (db_step(s) == DB_ROW) {
		const char *name = db_col_text(s, 0);
		size_t len = name != NULL ? strlen(name) : 0;
		if (name != NULL && len < n) {
			memcpy(out, name, len + 1);
			rc = 0;
		}
	}
out:
	db_finalize(s);
	return rc;
}

struct name_list {
	char *name[LIST_MAX];
	int64_t plate[LIST_MAX];
	size_t n;
};

static void list_free(struct name_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->name[i]);
	l->n = 0;
}

/* Runs s (columns: name, plate) into l. 0 ok, -1 error. */
static int list_fill(db_stmt *s, struct name_list *l)
{
	int r;

	l->n = 0;
	while ((r = db_step(s)) == DB_ROW) {
		const char *name = db_col_text(s, 0);
		if (l->n == LIST_MAX || name == NULL)
			return -1;
		l->name[l->n] = strdup(name);
		if (l->name[l->n] == NULL)
			return -1;
		l->plate[l->n] = db_col_int64(s, 1);
		l->n++;
	}
	return r == DB_DONE ? 0 : -1;
}

static int list_query(db *d, const char *sql, int plate, struct name_list *l)
{
	db_stmt *s = db_prepare(d, sql);
	int rc = -1;

	l->n = 0;
	if (s == NULL)
		return -1;
	if (plate > 0)
		db_bind_int64(s, 1, plate);
	rc = list_fill(s, l);
	db_finalize(s);
	if (rc != 0)
		list_free(l);
	return rc;
}

/* Sorts names (keeping each plate beside its name) in Turkish order. */
static void list_sort(struct name_list *l)
{
	for (size_t i = 1; i < l->n; i++) {
		char *nm = l->name[i];
		int64_t pl = l->plate[i];
		size_t j = i;
		while (j > 0 && store_tr_collate(l->name[j - 1], nm) > 0) {
			l->name[j] = l->name[j - 1];
			l->plate[j] = l->plate[j - 1];
			j--;
		}
		l->name[j] = nm;
		l->plate[j] = pl;
	}
}

int store_district_canonical(db *d, int plate, const char *name, char *out, size_t n)
{
	static const char *const aliases[][3] = {
		{"71", "BAHŞİLİ", "BAHŞILI"},
	};
	char want[NAME_MAX_BYTES], key[NAME_MAX_BYTES], pl[4];
	struct name_list *l = NULL;
	int rc = -1;

	if (name == NULL || trcase_name_key(name, want, sizeof want) != 0) {
		rc = 0;
		goto out;
	}
	snprintf(pl, sizeof pl, "%d", plate);
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(aliases[i][0], pl) == 0 && strcmp(aliases[i][1], want) == 0)
			memcpy(want, aliases[i][2], strlen(aliases[i][2]) + 1);
	l = malloc(sizeof *l);
	if (l == NULL ||
	    list_query(d, "SELECT name, plate FROM districts WHERE plate = $1", plate, l) != 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < l->n && rc == 0; i++) {
		if (trcase_name_key(l->name[i], key, sizeof key) != 0 || strcmp(key, want) != 0)
			continue;
		rc = 1;
		if (out != NULL && n > 0)
			snprintf(out, n, "%s", l->name[i]);
	}
	list_free(l);
out:
	free(l);
	return rc;
}

int store_district_exists(db *d, int plate, const char *name)
{
	return store_district_canonical(d, plate, name, NULL, 0);
}

int store_districts(db *d, int plate, void (*cb)(void *ctx, const char *name), void *ctx)
{
	struct name_list *l = malloc(sizeof *l);
	int rc = -1;

	if (l == NULL ||
	    list_query(d, "SELECT name, plate FROM districts WHERE plate = $1", plate, l) != 0)
		goto out;
	list_sort(l);
	for (size_t i = 0; i < l->n; i++)
		cb(ctx, l->name[i]);
	list_free(l);
	rc = 0;
out:
	free(l);
	return rc;
}

int store_provinces(db *d, void (*cb)(void *ctx, int plate, const char *name), void *ctx)
{
	struct name_list *l = malloc(sizeof *l);
	int rc = -1;

	if (l == NULL || list_query(d, "SELECT name, plate FROM provinces", 0, l) != 0)
		goto out;
	list_sort(l);
	for (size_t i = 0; i < l->n; i++)
		cb(ctx, (int)l->plate[i], l->name[i]);
	list_free(l);
	rc = 0;
out:
	free(l);
	return rc;
}
