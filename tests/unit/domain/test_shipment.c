/* Tests of domain/shipment.h: names, the order of courier events, what
 * they mean for the application, shipping and delivery rules, tracking
 * numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/shipment.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_names(void **state)
{
	(void)state;
	static const struct {
		enum ship_status s;
		const char *name, *label;
		int closed;
	} rows[] = {
		{SHIP_YOLDA, "yolda", "Yolda", 0},
		{SHIP_DAGITIMDA, "dagitimda", "Dağıtımda", 0},
		{SHIP_TESLIM, "teslim", "Teslim edildi", 1},
		{SHIP_IADE, "iade", "İade edildi", 1},
	};
	assert_int_equal(N(rows), SHIP__MAX);
	for (size_t i = 0; i < N(rows); i++) {
		assert_string_equal(ship_status_name(rows[i].s), rows[i].name);
		assert_string_equal(ship_status_label_tr(rows[i].s), rows[i].label);
		assert_int_equal(ship_status_parse(rows[i].name), (int)rows[i].s);
		assert_int_equal(ship_status_is_closed(rows[i].s), rows[i].closed);
	}
	static const char *const bad[] = {NULL, "", "Yolda", "TESLIM", "teslim ", "?", "kayip"};
	for (size_t i = 0; i < N(bad); i++)
		assert_int_equal(ship_status_parse(bad[i]), -1);
	assert_string_equal(ship_status_name(SHIP__MAX), "?");
	assert_string_equal(ship_status_name((enum ship_status) - 1), "?");
	assert_null(ship_status_label_tr(SHIP__MAX));
}

/* Every (from, event) pair: which may follow which. */
static void test_order(void **state)
{
	(void)state;
	/* allowed[from][ev] */
	static const int allowed[SHIP__MAX][SHIP__MAX] = {
		/*               yolda dagitimda teslim iade */
		[SHIP_YOLDA] = {1, 1, 1, 1},
		[SHIP_DAGITIMDA] = {0, 1, 1, 1},
		[SHIP_TESLIM] = {0, 0, 0, 0},
		[SHIP_IADE] = {0, 0, 0, 0},
	};
	for (int from = 0; from < SHIP__MAX; from++)
		for (int ev = 0; ev < SHIP__MAX; ev++) {
			int got = ship_event_allowed((enum ship_status)from, (enum ship_status)ev);
			if (got != allowed[from][ev])
				fail_msg("%s -> %s: got %d", ship_status_name(from),
					 ship_status_name(ev), got);
		}
	assert_int_equal(ship_event_allowed(SHIP__MAX, SHIP_YOLDA), 0);
	assert_int_equal(ship_event_allowed(SHIP_YOLDA, SHIP__MAX), 0);
	assert_int_equal(ship_event_allowed(SHIP_YOLDA, (enum ship_status) - 1), 0);
}

static void test_meaning(void **state)
{
	(void)state;
	static const struct {
		enum ship_status ev;
		int app_event;
		const char *action;
	} rows[] = {
		{SHIP_YOLDA, -1, "courier_event"},
		{SHIP_DAGITIMDA, -1, "courier_event"},
		{SHIP_TESLIM, EV_DELIVERED, "courier_event"},
		{SHIP_IADE, -1, "returned"},
	};
	for (size_t i = 0; i < N(rows); i++) {
		assert_int_equal(ship_event_app_event(rows[i].ev), rows[i].app_event);
		assert_string_equal(ship_event_action(rows[i].ev), rows[i].action);
	}
}

static void test_dispatch_and_deliver(void **state)
{
	(void)state;
	static const struct {
		enum app_state st;
		int has_last;
		enum ship_status last;
		enum ship_dispatch ship;
		int deliver;
	} rows[] = {
		{APP_APPROVED, 0, SHIP_YOLDA, SHIP_REFUSED, 0},
		{APP_AWAITING_APPROVAL, 0, SHIP_YOLDA, SHIP_REFUSED, 0},
		{APP_PRODUCED, 0, SHIP_YOLDA, SHIP_FIRST, 0},
		{APP_SHIPPED, 1, SHIP_YOLDA, SHIP_REFUSED, 1},
		{APP_SHIPPED, 1, SHIP_DAGITIMDA, SHIP_REFUSED, 1},
		{APP_SHIPPED, 1, SHIP_IADE, SHIP_AGAIN, 0},
		{APP_SHIPPED, 1, SHIP_TESLIM, SHIP_REFUSED, 0},
		{APP_SHIPPED, 0, SHIP_IADE, SHIP_REFUSED, 0},
		{APP_SHIPPED, 0, SHIP_YOLDA, SHIP_REFUSED, 0},
		{APP_DELIVERED, 1, SHIP_TESLIM, SHIP_REFUSED, 0},
		{APP_DELIVERED, 1, SHIP_YOLDA, SHIP_REFUSED, 0},
		{APP_REJECTED, 0, SHIP_YOLDA, SHIP_REFUSED, 0},
		{APP_CANCELLED, 1, SHIP_IADE, SHIP_REFUSED, 0},
	};
	for (size_t i = 0; i < N(rows); i++) {
		if (ship_dispatch(rows[i].st, rows[i].has_last, rows[i].last) != rows[i].ship)
			fail_msg("row %zu: dispatch", i);
		if (ship_may_deliver(rows[i].st, rows[i].has_last, rows[i].last) != rows[i].deliver)
			fail_msg("row %zu: deliver", i);
	}
}

static void test_tracking_no(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int ok;
	} rows[] = {
		{"KT-0001", 1},
		{"abcd", 1},
		{"1234567890123456789012345678901234567890", 1},
		{"12345678901234567890123456789012345678901", 0},
		{"abc", 0},
		{"", 0},
		{NULL, 0},
		{"KT 0001", 0},
		{"KT_0001", 0},
		{"KT-0001\n", 0},
		{"ÇT-0001", 0},
		{"KT-0001'--", 0},
	};
	for (size_t i = 0; i < N(rows); i++)
		if (ship_tracking_no_valid(rows[i].s) != rows[i].ok)
			fail_msg("tracking no '%s'", rows[i].s ? rows[i].s : "(null)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),	    cmocka_unit_test(test_order),
		cmocka_unit_test(test_meaning),	    cmocka_unit_test(test_dispatch_and_deliver),
		cmocka_unit_test(test_tracking_no),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
