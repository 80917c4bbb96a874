/* instance_meta: facts about the database itself (see meta.h). */
#include "store/meta.h"

int store_mark_dev(db *d)
{
	return db_execp(d,
			"INSERT INTO instance_meta (key, value) VALUES ('dev', '1') "
			"ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			NULL);
}

int store_is_dev(db *d)
{
	return (int)db_query_int64(d, -1,
				   "SELECT COUNT(*) FROM instance_meta WHERE key = 'dev' AND "
				   "value = '1'",
				   NULL);
}
