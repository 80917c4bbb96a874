/* The form table's stored columns against the migrated schema, and the
 * repository's loop over the table: an application with a distinct value
 * in every form field is inserted, each column is read back by its own
 * query, and application_load gives the values back in form[]. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/form.h"
#include "store/application.h"
#include "util/arena.h"
#include "tmpdb.h"

struct fx {
	struct tmpdb t;
	db *d;
};

static int setup(void **state)
{
	static struct fx f;

	tmpdb_make(&f.t);
	f.d = tmpdb_open(&f.t);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	db_close(f->d);
	tmpdb_remove(&f->t);
	return 0;
}

/* Every stored column of the table exists in `applications`. */
static void columns_exist(void **state)
{
	struct fx *f = *state;
	const struct form_field_def *t = form_field_table();
	char sql[256];
	int stored = 0;

	for (int i = 0; i < FF__MAX; i++) {
		if (t[i].column == NULL)
			continue;
		snprintf(sql, sizeof(sql), "SELECT %s FROM applications LIMIT 0", t[i].column);
		db_stmt *st = db_prepare(f->d, sql);
		if (st == NULL)
			fail_msg("column %s of field %s: %s", t[i].column, t[i].name,
				 db_errmsg(f->d));
		db_finalize(st);
		stored++;
	}
	assert_int_equal(stored, FF__MAX - 2); /* all but the security word twice */
}

/* The stored text of each form field of the application below. */
static const char *const stored[FF__MAX] = {
	[FF_BASVURU_NEDENI] = "YENILEME",
	[FF_KART_OKUYUCU] = "USB_TOKEN",
	[FF_SERTIFIKA_SURESI] = "2",
	[FF_BIRIM] = "Birim B",
	[FF_UNVAN] = "Unvan U",
	[FF_ADRES] = "Adres A",
	[FF_POSTA_KODU] = "67100",
	[FF_IL] = "67",
	[FF_ILCE] = "Ereğli",
	[FF_EPOSTA] = "e@example.org",
	[FF_IS_TEL] = "3720000001",
	[FF_DAHILI] = "214",
	[FF_CEP_TEL] = "5320000002",
	[FF_EV_TEL] = "3720000003",
	[FF_OPERATOR] = "VODAFONE",
	[FF_BILGI_KANALI] = "SMS",
};

static void values_reach_their_columns(void **state)
{
	struct fx *f = *state;
	const struct form_field_def *t = form_field_table();
	struct application_new a = {
		.tckn = "10000000146",
		.ad = "Ayşe",
		.soyad = "Yılmaz",
		.dogum_yeri = "Zonguldak",
		.dogum_tarihi = "1980-01-02",
		.sicil_no = "1",
		.kurum_kodu = "K",
		.kurum_adi = "Kurum",
		.yetki_birimi = "ZONGULDAK-MEM",
		.security_word_hash = "hash",
		.fee_kurus = 5,
	};
	struct application o;
	arena *ar = arena_new(0);
	int64_t id;
	char number[24], sql[256];

	for (int i = 0; i < FF__MAX; i++)
		a.form[i] = stored[i];
	assert_int_equal(application_insert(f->d, &a, 1700000000, &id, number), 0);
	for (int i = 0; i < FF__MAX; i++) {
		if (t[i].column == NULL)
			continue;
		snprintf(sql, sizeof(sql),
			 "SELECT CAST(%s AS TEXT) FROM applications WHERE id = $1", t[i].column);
		db_stmt *st = db_prepare(f->d, sql);
		assert_non_null(st);
		db_bind_int64(st, 1, id);
		assert_int_equal(db_step(st), DB_ROW);
		if (strcmp(db_col_text(st, 0), stored[i]) != 0)
			fail_msg("%s: stored '%s', want '%s'", t[i].column, db_col_text(st, 0),
				 stored[i]);
		db_finalize(st);
	}
	/* Integer columns bound as text are stored as integers. */
	db_stmt *st = db_prepare(f->d, "SELECT typeof(years), typeof(il) FROM applications "
				       "WHERE id = $1");
	assert_non_null(st);
	db_bind_int64(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "integer");
	assert_string_equal(db_col_text(st, 1), "integer");
	db_finalize(st);
	assert_int_equal(application_load(f->d, ar, id, &o), 0);
	assert_string_equal(o.number, number);
	assert_string_equal(o.tckn, "10000000146");
	assert_string_equal(o.yetki_birimi, "ZONGULDAK-MEM");
	for (int i = 0; i < FF__MAX; i++) {
		if (stored[i] == NULL)
			assert_null(o.form[i]);
		else
			assert_string_equal(o.form[i], stored[i]);
	}
	/* Derived typed values. */
	assert_int_equal(o.reason, REASON_YENILEME);
	assert_int_equal(o.channels, CHANNEL_SMS);
	assert_int_equal(application_form_int(&o, FF_SERTIFIKA_SURESI), 2);
	assert_int_equal(application_form_int(&o, FF_IL), 67);
	assert_int_equal(application_form_int(&o, FF_ILCE), 0);
	assert_int_equal(o.state, APP_FORM_CONFIRMED);
	assert_int_equal(o.flags, 0);
	assert_int_equal(o.fee_kurus, 5);
	assert_null(o.replaces_serial);
	assert_int_equal(o.created_at, 1700000000);
	assert_int_equal(o.updated_at, 1700000000);
	assert_int_equal(application_load_latest_for_tckn(f->d, ar, "10000000146", &o), 0);
	assert_int_equal(o.id, id);
	assert_int_equal(application_load_open_for_tckn(f->d, ar, "10000000146", &o), 0);
	assert_int_equal(o.id, id);
	arena_free(ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(columns_exist),
		cmocka_unit_test(values_reach_their_columns),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
