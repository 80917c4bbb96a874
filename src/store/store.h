/* Reference data (provinces and districts), CSV imports of the population
 * registry, institutions and personnel, and the demo data set. */
#ifndef EIMZA_STORE_H
#define EIMZA_STORE_H

#include <stddef.h>
#include <stdio.h>

#include "store/db.h"

/* Loads the embedded data/il_ilce.csv (header il_kodu,il,ilce) into
 * provinces/districts in one transaction. Idempotent. 0 ok, -1 error
 * (logged; db_errmsg has the reason). */
int store_load_refdata(db *d);

/* Writes the name of province `plate` (1..81) into out. 0 ok, -1 unknown
 * plate or no room. */
int store_province_name(db *d, int plate, char *out, size_t n);

/* 1 if province `plate` has a district `name` (exact spelling, or equal
 * under Turkish case folding; "Bahşili" is accepted for Kırıkkale's
 * "Bahşılı"), 0 if not, -1 on a database error. */
int store_district_exists(db *d, int plate, const char *name);

/* Like store_district_exists, and on a match writes the district's name as
 * spelled in il_ilce.csv into out. */
int store_district_canonical(db *d, int plate, const char *name, char *out, size_t n);

/* Calls cb for each district of `plate` in Turkish alphabetical order. The
 * name is valid during the call only. 0 ok, -1 error. */
int store_districts(db *d, int plate, void (*cb)(void *ctx, const char *name), void *ctx);

/* Calls cb for each province in Turkish alphabetical order of names. */
int store_provinces(db *d, void (*cb)(void *ctx, int plate, const char *name), void *ctx);

/* strcmp-like comparison of UTF-8 strings in Turkish alphabetical order
 * (a b c ç d e f g ğ h ı i j ... o ö ... s ş ... u ü ...), case-blind. */
int store_tr_collate(const char *a, const char *b);

/* Imports a CSV file of `kind` ("registry", "institutions" or "personnel";
 * headers as in DESIGN.md) in ONE transaction: any bad row rolls everything
 * back and writes a Turkish message naming the line and the field into err
 * ("satır 7, alan tckn: T.C. Kimlik No geçersiz"). Existing rows are updated
 * by key. On success *rows (if not NULL) is the number of data rows. Loads
 * the reference data first if the database has none. 0 ok, -1 error. */
int store_import_csv(db *d, const char *kind, const char *path, char *err, size_t errlen,
		     long *rows);

/* The same import from a buffer (used by tests and the demo). */
int store_import_buf(db *d, const char *kind, const char *data, size_t n, char *err, size_t errlen,
		     long *rows);

/* What an import runs inside its transaction after the last row and before
 * the commit (e.g. its audit record): kind is the canonical kind name and
 * rows the number of data rows. A non-zero return rolls the whole import
 * back (err then says the audit record could not be written). */
struct store_import_hook {
	int (*before_commit)(void *ctx, db *d, const char *kind, long rows);
	void *ctx;
};

/* store_import_csv and store_import_buf with a hook (NULL: none). */
int store_import_csv_hook(db *d, const char *kind, const char *path,
			  const struct store_import_hook *hook, char *err, size_t errlen,
			  long *rows);
int store_import_buf_hook(db *d, const char *kind, const char *data, size_t n,
			  const struct store_import_hook *hook, char *err, size_t errlen,
			  long *rows);

/* A person of the demo data set who can log in (all strings static). */
struct demo_person {
	char tckn[12];
	const char *ad, *soyad, *dogum_yeri;
	const char *dogum_tarihi; /* YYYY-MM-DD */
	const char *sicil_no;	  /* Kurum Sicil No */
	const char *kurum_kodu, *kurum_adi, *ilce, *yetki_birimi;
};

/* Loads the synthetic, deterministic demo data (authority units
 * ZONGULDAK-MEM and BARTIN-MEM, their schools, ~40 registry persons and
 * their personnel records) and prints a few login identities to `report`
 * (may be NULL). Idempotent. 0 ok, -1 error. */
int store_demo_seed(db *d, FILE *report);

/* The login identities store_demo_seed prints, first one first (Ayşe
 * Yılmaz). Static storage; *n receives the count. */
const struct demo_person *store_demo_people(size_t *n);
/* The first demo person found only in the population registry (no
 * personnel record: no portal login competes for them), or NULL. */
const struct demo_person *store_demo_registry_only(void);

#endif
