/* Population registry (MERNİS): does this person exist with these details?
 *
 * One interface, two backends chosen by config "registry.backend":
 *   local  the imported table `registry` (eimza import registry); every
 *          field is compared, names under Turkish case rules;
 *   kps    the public KPSPublic SOAP service TCKimlikNoDogrula, which checks
 *          T.C. Kimlik No, Ad, Soyad and the birth year only; the backend
 *          then also requires a personnel record for the T.C. number (and
 *          asks KPS nothing without one, so the portal is not an oracle for
 *          the whole population).
 * Every kind of mismatch gives the same REG_NO_MATCH. */
#ifndef EIMZA_IDENTITY_REGISTRY_H
#define EIMZA_IDENTITY_REGISTRY_H

#include <stddef.h>

#include "store/db.h"
#include "util/arena.h"

enum registry_result { REG_MATCH, REG_NO_MATCH, REG_UNAVAILABLE, REG_RESULT__MAX };

/* "match", "no_match", "unavailable" (for logs). */
extern const char *const registry_result_names[REG_RESULT__MAX];

struct registry_query {
	const char *tckn;	  /* 11 digits */
	const char *ad;		  /* given name(s), any case */
	const char *soyad;	  /* surname, any case */
	const char *dogum_yeri;	  /* birth place, any case */
	const char *dogum_tarihi; /* "YYYY-MM-DD" */
};

/* Checks q against the configured backend. NULL or malformed fields give
 * REG_NO_MATCH; REG_UNAVAILABLE means the backend could not answer (database
 * error, KPS fault, HTTP error, timeout) and the caller should say "try
 * again later" without counting a failed login. */
enum registry_result registry_verify(db *d, const struct registry_query *q);

/* The local backend alone (table `registry`). */
enum registry_result registry_local_verify(db *d, const struct registry_query *q);

/* The official spelling of the person's names from the local table
 * `registry`, when it has q->tckn: replaces q->ad, q->soyad and
 * q->dogum_yeri with arena copies (the KPS service only answers yes or no,
 * so with it the typed spelling stays). 0 replaced, 1 not in the table,
 * -1 error (q untouched). */
int registry_local_spelling(db *d, arena *ar, struct registry_query *q);

/* The KPS backend alone, without the personnel check: one SOAP call to
 * config "registry.kps_url" (timeout "registry.kps_timeout" seconds, TLS
 * verification on, no redirects, response body at most 64 KiB). */
enum registry_result registry_kps_query(const struct registry_query *q);

/* Builds the SOAP 1.1 TCKimlikNoDogrula request for q: names in Turkish
 * upper case with single spaces, the 4-digit birth year. Returns 0 and a
 * malloc'd UTF-8 document in *out (caller frees with free()), or -1 if q is
 * malformed. */
int registry_kps_request(const struct registry_query *q, char **out, size_t *outlen);

/* Reads a TCKimlikNoDogrula response: REG_MATCH for a true result, REG_NO_MATCH
 * for false, REG_UNAVAILABLE for a SOAP fault, a DOCTYPE, a missing or odd
 * result, malformed XML or more than 64 KiB. */
enum registry_result registry_kps_parse(const char *body, size_t len);

#endif
