#include "identity/personnel.h"

#include <stdio.h>
#include <string.h>

#include "util/log.h"

#define SICIL_MAX 64

/* Copies src into dst (size n), cutting at a UTF-8 character boundary. */
static void copy_field(char *dst, size_t n, const char *src)
{
	size_t len = src != NULL ? strlen(src) : 0;
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	if (len > 0)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Copies s without leading and trailing spaces into out (size n); -1 if it
 * does not fit or is empty. */
static int trimmed(const char *s, char *out, size_t n)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= n)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

static void fill(db_stmt *s, struct personnel_record *out)
{
	copy_field(out->kurum_kodu, sizeof out->kurum_kodu, db_col_text(s, 0));
	copy_field(out->kurum_adi, sizeof out->kurum_adi, db_col_text(s, 1));
	snprintf(out->il_kodu, sizeof out->il_kodu, "%02lld", (long long)db_col_int64(s, 2));
	copy_field(out->ilce, sizeof out->ilce, db_col_text(s, 3));
	copy_field(out->adres, sizeof out->adres, db_col_text(s, 4));
	copy_field(out->posta_kodu, sizeof out->posta_kodu, db_col_text(s, 5));
	copy_field(out->resmi_eposta, sizeof out->resmi_eposta, db_col_text(s, 6));
	copy_field(out->yetki_birimi, sizeof out->yetki_birimi, db_col_text(s, 7));
	copy_field(out->unvan, sizeof out->unvan, db_col_text(s, 8));
	copy_field(out->birim, sizeof out->birim, db_col_text(s, 9));
	copy_field(out->yetki_birimi_adi, sizeof out->yetki_birimi_adi, db_col_text(s, 10));
	copy_field(out->yetki_eposta, sizeof out->yetki_eposta, db_col_text(s, 11));
}

int personnel_lookup(db *d, const char *tckn, const char *sicil_no, struct personnel_record *out)
{
	char sicil[SICIL_MAX];
	db_stmt *s = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (tckn == NULL || sicil_no == NULL || trimmed(sicil_no, sicil, sizeof sicil) != 0)
		goto out;
	s = db_prepare(d, "SELECT i.kurum_kodu, i.kurum_adi, i.il_kodu, i.ilce, i.adres, "
			  "i.posta_kodu, i.resmi_eposta, i.yetki_birimi, p.unvan, p.birim, "
			  "a.name, a.eposta "
			  "FROM personnel p JOIN institutions i ON i.kurum_kodu = p.kurum_kodu "
			  "LEFT JOIN authority_units a ON a.code = i.yetki_birimi "
			  "WHERE p.tckn = $1 AND p.sicil_no = $2");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, tckn);
	db_bind_text(s, 2, sicil);
	int st = db_step(s);
	if (st == DB_ROW) {
		fill(s, out);
		rc = 0;
	} else if (st != DB_DONE) {
		log_error("personnel: lookup failed: %s", db_errmsg(d));
	}
out:
	if (s != NULL)
		db_finalize(s);
	return rc;
}

int personnel_exists(db *d, const char *tckn)
{
	db_stmt *s = NULL;
	int rc = -1;

	if (tckn == NULL)
		goto out;
	s = db_prepare(d, "SELECT 1 FROM personnel WHERE tckn = $1");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, tckn);
	int st = db_step(s);
	if (st == DB_ROW)
		rc = 1;
	else if (st == DB_DONE)
		rc = 0;
	else
		log_error("personnel: exists query failed: %s", db_errmsg(d));
out:
	if (s != NULL)
		db_finalize(s);
	return rc;
}
