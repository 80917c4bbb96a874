/* The console's read-only queries (store/application_query.c): scope,
 * filters, Turkish-name search, paging, counts, institutions, the personnel
 * record and the certificates that expire soon. Against the fixture's
 * migrated demo database. */
#include "domain/trcase.h"
#include "store/application_query.h"
#include "util/clock.h"
#include "fixture.h"

#define T0 INT64_C(1700000000)
#define DAY INT64_C(86400)

/* The first printed demo person of `unit`. */
static const struct demo_person *person_of(const char *unit)
{
	size_t n;
	const struct demo_person *p = store_demo_people(&n);
	for (size_t i = 0; i < n; i++)
		if (p[i].yetki_birimi && strcmp(p[i].yetki_birimi, unit) == 0)
			return &p[i];
	fail_msg("no demo person in %s", unit);
	return NULL;
}

/* Inserts an application of p created at `at` in `state` with `flags`. */
static int64_t add(struct fx *f, const struct demo_person *p, enum app_reason reason,
		   enum app_state state, unsigned flags, int64_t at, char number[24])
{
	return fx_insert(f, p, reason, state, flags, at, number);
}

struct seen {
	int n;
	int64_t ids[16];
	char units[16][32];
	char reasons[16][32]; /* the exported form column Başvuru Nedeni */
	int others;	      /* rows with another form value given */
};

static void collect(void *ctx, const struct application_row *row)
{
	struct seen *s = ctx;
	if (s->n < 16) {
		s->ids[s->n] = row->id;
		snprintf(s->units[s->n], sizeof s->units[0], "%s", row->yetki_birimi);
		snprintf(s->reasons[s->n], sizeof s->reasons[0], "%s",
			 row->form[FF_BASVURU_NEDENI] ? row->form[FF_BASVURU_NEDENI] : "-");
	}
	/* Only the fields the CSV exports (csv_label) are read. */
	for (int i = 0; i < FF__MAX; i++)
		s->others += i != FF_BASVURU_NEDENI && row->form[i] != NULL;
	s->n++;
}

static struct seen list(struct fx *f, struct application_filter q, int64_t limit, int64_t off)
{
	struct seen s = {0};
	assert_int_equal(application_query_list(f->d, &q, limit, off, collect, &s), 0);
	return s;
}

#define ANY .state = -1, .reason = -1

static void test_list(void **state)
{
	struct fx *f = *state;
	const struct demo_person *z = person_of("ZONGULDAK-MEM"), *b = person_of("BARTIN-MEM");
	char n1[24], n2[24], n3[24];
	int64_t a1 = add(f, z, REASON_ILK, APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL, T0, n1);
	int64_t a2 = add(f, z, REASON_YENILEME, APP_SIGNING, 0, T0 + DAY, n2);
	int64_t a3 = add(f, b, REASON_ILK, APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL, T0 + 2 * DAY,
			 n3);
	/* Scope: a unit sees its own, NULL everything, "" nothing. */
	struct seen s = list(f, (struct application_filter){.scope = NULL, ANY}, 10, 0);
	assert_int_equal(s.n, 3);
	assert_true(s.ids[0] == a3 && s.ids[1] == a2 && s.ids[2] == a1); /* newest first */
	assert_string_equal(s.reasons[0], "ILK");
	assert_string_equal(s.reasons[1], "YENILEME");
	assert_int_equal(s.others, 0);
	s = list(f, (struct application_filter){.scope = "ZONGULDAK-MEM", ANY}, 10, 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.units[0], "ZONGULDAK-MEM");
	assert_string_equal(s.units[1], "ZONGULDAK-MEM");
	assert_int_equal(list(f, (struct application_filter){.scope = "", ANY}, 10, 0).n, 0);
	/* Filters. */
	s = list(f, (struct application_filter){.state = APP_AWAITING_APPROVAL, .reason = -1}, 10,
		 0);
	assert_int_equal(s.n, 2);
	s = list(f, (struct application_filter){.state = -1, .reason = REASON_YENILEME}, 10, 0);
	assert_true(s.n == 1 && s.ids[0] == a2);
	s = list(f, (struct application_filter){ANY, .kurum_kodu = b->kurum_kodu}, 10, 0);
	assert_true(s.n == 1 && s.ids[0] == a3);
	s = list(f, (struct application_filter){ANY, .from = T0 + DAY, .to = T0 + 2 * DAY}, 10, 0);
	assert_true(s.n == 1 && s.ids[0] == a2);
	/* Paging. */
	s = list(f, (struct application_filter){ANY}, 1, 1);
	assert_true(s.n == 1 && s.ids[0] == a2);
	/* Search: exact T.C. / number, or a part of the name in any case. */
	s = list(f, (struct application_filter){ANY, .term = n2}, 10, 0);
	assert_true(s.n == 1 && s.ids[0] == a2);
	s = list(f, (struct application_filter){ANY, .term = b->tckn}, 10, 0);
	assert_true(s.n == 1 && s.ids[0] == a3);
	char lower[128];
	assert_int_equal(trcase_lower(z->soyad, lower, sizeof lower), 0);
	s = list(f, (struct application_filter){ANY, .term = lower}, 10, 0);
	assert_int_equal(s.n, 2);
	/* LIKE's wildcards are matched as themselves. */
	assert_int_equal(list(f, (struct application_filter){ANY, .term = "%"}, 10, 0).n, 0);
	assert_int_equal(list(f, (struct application_filter){ANY, .term = "_"}, 10, 0).n, 0);
	assert_int_equal(list(f, (struct application_filter){ANY, .term = "\\"}, 10, 0).n, 0);
}

static void test_counts(void **state)
{
	struct fx *f = *state;
	const struct demo_person *z = person_of("ZONGULDAK-MEM"), *b = person_of("BARTIN-MEM");
	char n[24];
	int64_t now = clock_now();
	add(f, z, REASON_ILK, APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL | APP_NEEDS_PAPERWORK,
	    now - 1, n);
	add(f, z, REASON_ILK, APP_AWAITING_APPROVAL, APP_NEEDS_PAPERWORK, now - 8 * DAY, n);
	add(f, b, REASON_ILK, APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL, now - 1, n);
	add(f, b, REASON_ILK, APP_APPROVED, 0, now - 100 * DAY, n);
	assert_int_equal(
		application_query_count(f->d, NULL, APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL), 2);
	assert_int_equal(application_query_count(f->d, "ZONGULDAK-MEM", APP_AWAITING_APPROVAL,
						 APP_NEEDS_APPROVAL),
			 1);
	assert_int_equal(
		application_query_count(f->d, NULL, APP_AWAITING_APPROVAL, APP_NEEDS_PAPERWORK), 2);
	assert_int_equal(
		application_query_count(f->d, NULL, APP_AWAITING_APPROVAL, APP_NEEDS_PAYMENT), 0);
	assert_int_equal(application_query_count(f->d, NULL, APP_APPROVED, 0), 1);
	assert_int_equal(application_query_count(f->d, "", -1, 0), 0);
	assert_int_equal(application_query_count(f->d, NULL, -1, 0), 4);
	int64_t by_state[APP_STATE__MAX];
	assert_int_equal(application_query_count_by_state(f->d, "BARTIN-MEM", by_state), 0);
	assert_int_equal(by_state[APP_AWAITING_APPROVAL], 1);
	assert_int_equal(by_state[APP_APPROVED], 1);
	assert_int_equal(by_state[APP_SIGNING], 0);
	int64_t weeks[3];
	assert_int_equal(application_query_count_by_week(f->d, "ZONGULDAK-MEM", now - 21 * DAY, 3,
							 weeks),
			 0);
	assert_int_equal(weeks[0], 0);
	assert_int_equal(weeks[1], 1); /* now - 8 days */
	assert_int_equal(weeks[2], 1); /* now - 1 s */
	assert_int_equal(application_query_count_by_week(f->d, NULL, now - 21 * DAY, 3, weeks), 0);
	assert_int_equal(weeks[2], 2);
}

static void count_inst(void *ctx, const struct institution_row *row)
{
	int *n = ctx;
	assert_non_null(row->kurum_kodu);
	assert_non_null(row->kurum_adi);
	(*n)++;
}

static void test_institutions_and_personnel(void **state)
{
	struct fx *f = *state;
	int all = 0, zon = 0, none = 0;
	assert_int_equal(application_query_institutions(f->d, NULL, count_inst, &all), 0);
	assert_int_equal(application_query_institutions(f->d, "ZONGULDAK-MEM", count_inst, &zon),
			 0);
	assert_int_equal(application_query_institutions(f->d, "", count_inst, &none), 0);
	assert_true(all > zon && zon > 0 && none == 0);
	assert_int_equal(all, fx_count(f, "SELECT COUNT(*) FROM institutions"));
	const struct demo_person *z = person_of("ZONGULDAK-MEM");
	struct personnel_view v;
	assert_int_equal(application_query_personnel(f->d, f->a, z->tckn, &v), 0);
	assert_string_equal(v.sicil_no, z->sicil_no);
	assert_string_equal(v.kurum_kodu, z->kurum_kodu);
	assert_string_equal(v.kurum_adi, z->kurum_adi);
	assert_string_equal(v.yetki_birimi, "ZONGULDAK-MEM");
	assert_string_equal(v.ad, z->ad);
	assert_string_equal(v.soyad, z->soyad);
	assert_int_equal(application_query_personnel(f->d, f->a, "10000000146", &v), 1);
	assert_null(v.sicil_no);
}

struct exp_seen {
	int n;
	char serial[4][16];
};

static void collect_exp(void *ctx, const struct expiring_row *row)
{
	struct exp_seen *s = ctx;
	if (s->n < 4)
		snprintf(s->serial[s->n], sizeof s->serial[0], "%s", row->serial_hex);
	s->n++;
}

static void cert(struct fx *f, const char *serial, const char *tckn, int64_t not_after,
		 const char *status)
{
	char na[24];
	snprintf(na, sizeof na, "%lld", (long long)not_after);
	assert_int_equal(db_execp(f->d,
				  "INSERT INTO certificates (serial_hex, tckn, subject, "
				  "not_before, not_after, der, status, created_at) VALUES "
				  "($1, $2, 'CN=x', 0, $3, X'00', $4, 0)",
				  serial, tckn, na, status, (char *)NULL),
			 0);
}

static void test_expiring(void **state)
{
	struct fx *f = *state;
	const struct demo_person *z = person_of("ZONGULDAK-MEM"), *b = person_of("BARTIN-MEM");
	int64_t now = T0;
	cert(f, "0A", z->tckn, now + 30 * DAY, "good");
	cert(f, "0B", z->tckn, now + 10 * DAY, "good");
	cert(f, "0C", z->tckn, now + 10 * DAY, "revoked");
	cert(f, "0D", z->tckn, now + 91 * DAY, "good");
	cert(f, "0E", z->tckn, now - 1, "good");
	cert(f, "0F", b->tckn, now + 5 * DAY, "good");
	struct exp_seen s = {0};
	assert_int_equal(application_query_expiring(f->d, "ZONGULDAK-MEM", now, now + 90 * DAY, 100,
						    collect_exp, &s),
			 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.serial[0], "0B"); /* soonest first */
	assert_string_equal(s.serial[1], "0A");
	s = (struct exp_seen){0};
	assert_int_equal(application_query_expiring(f->d, NULL, now, now + 90 * DAY, 100,
						    collect_exp, &s),
			 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.serial[0], "0F");
	s = (struct exp_seen){0};
	assert_int_equal(
		application_query_expiring(f->d, NULL, now, now + 90 * DAY, 1, collect_exp, &s), 0);
	assert_int_equal(s.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_counts, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_institutions_and_personnel, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_expiring, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
