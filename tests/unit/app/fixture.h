/* Test fixture of the application layer: a migrated SQLite database in a
 * temporary directory with the demo registry, institutions and personnel,
 * an instance secret, a request-sized arena and a use-case context; and a
 * helper that puts an application into any state. Include once per test. */
#ifndef EIMZA_TEST_APP_FIXTURE_H
#define EIMZA_TEST_APP_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "store/store.h"
#include "util/secret.h"
#include "../store/tmpdb.h"

struct fx {
	struct tmpdb t;
	db *d;
	arena *a;
	struct uc_ctx c;
	char secret_path[160];
};

static inline int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	tmpdb_make(&f->t);
	f->d = tmpdb_open(&f->t);
	snprintf(f->secret_path, sizeof f->secret_path, "%s/secret", f->t.dir);
	if (secret_init(f->secret_path) != 0 || store_load_refdata(f->d) != 0 ||
	    store_demo_seed(f->d, NULL) != 0)
		abort();
	f->a = arena_new(0);
	uc_ctx_init(&f->c, f->d, f->a, "test:actor", "Test", "127.0.0.1");
	*state = f;
	return 0;
}

static inline int fx_teardown(void **state)
{
	struct fx *f = *state;
	arena_free(f->a);
	db_close(f->d);
	unlink(f->secret_path);
	tmpdb_remove(&f->t);
	free(f);
	return 0;
}

/* A fresh context for the next call (message and field cleared). */
static inline struct uc_ctx *fx_ctx(struct fx *f)
{
	uc_ctx_init(&f->c, f->d, f->a, "test:actor", "Test", "127.0.0.1");
	return &f->c;
}

/* Inserts an application of demo person p with `reason`, created at `at`,
 * and puts it into `state` with `flags` (directly, no rules). Writes its
 * number and returns its id. */
static inline int64_t fx_insert(struct fx *f, const struct demo_person *p, enum app_reason reason,
				enum app_state state, unsigned flags, int64_t at, char number[24])
{
	struct application_new a = {
		.tckn = p->tckn,
		.ad = p->ad,
		.soyad = p->soyad,
		.dogum_yeri = p->dogum_yeri,
		.dogum_tarihi = p->dogum_tarihi,
		.sicil_no = p->sicil_no,
		.kurum_kodu = p->kurum_kodu,
		.kurum_adi = p->kurum_adi,
		.yetki_birimi = p->yetki_birimi,
		.security_word_hash = "x",
		.form = {[FF_BASVURU_NEDENI] = app_reason_name(reason),
			 [FF_SERTIFIKA_SURESI] = "3",
			 [FF_BIRIM] = "Müdürlük",
			 [FF_UNVAN] = "Öğretmen",
			 [FF_ADRES] = "Okul Sokak 1",
			 [FF_POSTA_KODU] = "67100",
			 [FF_IL] = "67",
			 [FF_ILCE] = "Merkez",
			 [FF_EPOSTA] = "ayse@example.org",
			 [FF_IS_TEL] = "3722221111",
			 [FF_CEP_TEL] = "5321112233",
			 [FF_OPERATOR] = "TURKCELL",
			 [FF_BILGI_KANALI] = "IKISI"},
	};
	int64_t id;
	assert_int_equal(application_insert(f->d, &a, at, &id, number), 0);
	if (state != APP_FORM_CONFIRMED || flags != 0)
		assert_int_equal(application_set_state(f->d, id, APP_FORM_CONFIRMED, state, flags,
						       "Test", NULL, at),
				 0);
	return id;
}

/* fx_insert of the first demo person at a fixed time, loaded into out. */
static inline int64_t fx_application(struct fx *f, enum app_reason reason, enum app_state state,
				     unsigned flags, struct application *out)
{
	size_t n;
	char number[24];
	int64_t id = fx_insert(f, store_demo_people(&n), reason, state, flags, 1700000000, number);
	assert_int_equal(application_load(f->d, f->a, id, out), 0);
	return id;
}

/* Rows of `table` (no parameters). */
static inline int64_t fx_count(struct fx *f, const char *sql)
{
	return db_query_int64(f->d, -1, sql, (char *)NULL);
}

#endif
