/* `eimza db copy`: moves a one-machine installation (SQLite) into an empty
 * database of the same schema, PostgreSQL as a rule, every table and row. */
#ifndef EIMZA_DB_COPY_H
#define EIMZA_DB_COPY_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

#define DB_COPY_MAX_TABLES 128

struct db_copy_table {
	char name[64];
	int64_t rows; /* copied, and counted again in the target */
};

/* Copies every table of `from` (a SQLite database; both already migrated
 * to the same schema version) into `to`, in one transaction on `to`, tables
 * in the order they were created (so a referenced table comes before the
 * one that references it). Refuses a target that has a row in any of them.
 * Afterwards each table's rows are counted in both and must agree; on
 * PostgreSQL the id sequences continue after the copied ids. Fills
 * t[0..*n). 0 on success, -1 with a Turkish message in err. */
int db_copy_all(db *from, db *to, struct db_copy_table *t, int *n, char *err, size_t errlen);

#endif
