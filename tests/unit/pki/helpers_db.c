#include "helpers.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

db *tp_open_db(const char *dir, const char *name)
{
	char path[512], err[256] = "";
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	db *d = db_open(path, err, sizeof err);
	if (d == NULL)
		fail_msg("db_open %s: %s", path, err);
	assert_int_equal(db_migrate(d), 0);
	return d;
}
