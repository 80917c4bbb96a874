/* instance_meta (migration 0011): facts about the database itself. */
#ifndef EIMZA_STORE_META_H
#define EIMZA_STORE_META_H

#include "store/db.h"

/* Marks the database as a development one (made by `init --demo`). 0 or -1. */
int store_mark_dev(db *d);
/* 1 when the database is marked as a development one, 0 when not, -1 on
 * a database error. */
int store_is_dev(db *d);

#endif
