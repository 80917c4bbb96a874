/* The audit trail: append-only, hash-chained records of every state change
 * and staff action. audit_append() is called inside the caller's transaction
 * so that the record and the change it describes commit together. */
#ifndef EIMZA_AUDIT_H
#define EIMZA_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

struct audit_entry {
	const char *actor;     /* "basvuru:<tckn>", "yetkili:ayse", "sistem" */
	const char *client_ip; /* may be NULL */
	const char *object;    /* "application:2026-000001", "certificate:<serial>" */
	const char *action;    /* "sms_verified", "approve", ... */
	const char *before;    /* state before, may be NULL */
	const char *after;     /* state after, may be NULL */
	const char *detail;    /* free text, may be NULL */
};

/* How new records are hashed (see audit.c record_hash): 2 = unkeyed
 * BLAKE2b-256; version 1 records (keyed with the server secret) still
 * verify when the secret is available. */
#define AUDIT_CHAIN_VERSION 2

/* Appends one record chained to the previous one. Must run inside a
 * transaction (db_begin) so concurrent appends cannot fork the chain. */
int audit_append(db *d, const struct audit_entry *e);

/* Walks the whole chain. Returns 0 if intact; otherwise 1 and writes a
 * Turkish message naming the first bad record into msg. -1 on error. */
int audit_verify(db *d, char *msg, size_t msglen, int64_t *checked);

/* The chain's head: the number of records (= the newest id, ids run 1..n
 * in a chain that verifies) and the newest record's hash (64 hex; 64 '0'
 * when there is none). 0, or -1 on a database error. */
int audit_chain_head(db *d, int64_t *count, char head[65]);
/* The stored hash of record id: 0, 1 when there is no such record, -1 on
 * error. */
int audit_hash_at(db *d, int64_t id, char out[65]);

/* What the audit page filters on: object and actor prefixes ("" for any;
 * matched literally, % and _ included) and [from, to) in epoch seconds
 * (0 for open). */
struct audit_filter {
	const char *object, *actor;
	int64_t from, to;
};

/* One stored record as audit_list() hands it over: its strings are valid
 * only during the callback (NULL columns stay NULL). */
struct audit_record {
	int64_t id, at;
	struct audit_entry e;
};

/* Calls each(ctx, rec) for the records that match f, newest first, skipping
 * `offset` and giving at most `limit`; each() returns non-zero to stop.
 * 0 ok, -1 on a database error. */
int audit_list(db *d, const struct audit_filter *f, int64_t limit, int64_t offset,
	       int (*each)(void *ctx, const struct audit_record *rec), void *ctx);

#endif
