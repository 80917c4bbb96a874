/* Personnel records (MEBBİS): who works where, imported with
 * `eimza import personnel` and `eimza import institutions`. */
#ifndef EIMZA_IDENTITY_PERSONNEL_H
#define EIMZA_IDENTITY_PERSONNEL_H

#include "store/db.h"

struct personnel_record {
	char kurum_kodu[32];
	char kurum_adi[256];
	char il_kodu[8]; /* plate code, two digits: "06", "67" */
	char ilce[128];
	char adres[512];
	char posta_kodu[16];
	char resmi_eposta[256];
	char yetki_birimi[64];	    /* authority unit code, e.g. ZONGULDAK-MEM */
	char yetki_birimi_adi[256]; /* its name ("" if the unit is not imported) */
	char yetki_eposta[256];	    /* its e-mail address ("" if unknown) */
	char unvan[128];
	char birim[256];
};

/* Looks up the staff member with T.C. Kimlik No `tckn` and Kurum Sicil No
 * `sicil_no` (compared exactly, after trimming spaces) together with their
 * institution. Returns 0 and fills *out (every field NUL-terminated, longer
 * values cut at a UTF-8 character boundary) when that person has that sicil
 * number; -1 when not found or on a database error (logged). */
int personnel_lookup(db *d, const char *tckn, const char *sicil_no, struct personnel_record *out);

/* 1 if any personnel record exists for tckn, 0 if none, -1 on error. */
int personnel_exists(db *d, const char *tckn);

#endif
