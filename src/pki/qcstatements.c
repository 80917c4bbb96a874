/* qcStatements of the end-entity certificate (see qcstatements.h). */
#include "pki/qcstatements.h"
#include "pki/der.h"

#include <stdio.h>
#include <string.h>

#include "util/config.h"

int pki_pds_url(char *out, size_t n, const char *lang)
{
	int w = snprintf(out, n, "%s/depo/pds-%s.txt", config_get("ca.public_url"), lang);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

/* A statement with only a statementId. */
static void put_statement_id(buf *out, const char *oid)
{
	size_t s = out->len;
	der_put_oid(out, oid);
	der_wrap(out, s, DER_SEQUENCE);
}

/* RFC 3739 3.2.6.1 SemanticsInformation with only the semantics
 * identifier: the subject's serialNumber is a natural person's identity
 * number ("PNOTR-..." per EN 319 412-1 5.1.3). */
static void put_semantics(buf *out)
{
	size_t s = out->len, t;
	der_put_oid(out, PKI_OID_QC_PKIX_SYNTAX_V2);
	t = out->len;
	der_put_oid(out, PKI_OID_SEMANTICS_NATURAL);
	der_wrap(out, t, DER_SEQUENCE);
	der_wrap(out, s, DER_SEQUENCE);
}

/* EN 319 412-5 4.2.4: qualified under the legislation of a country outside
 * the EU, Türkiye. QcCClegislation ::= SEQUENCE OF CountryName. */
static void put_legislation(buf *out)
{
	size_t s = out->len, t;
	der_put_oid(out, PKI_OID_QC_CC_LEGISLATION);
	t = out->len;
	der_put_tlv(out, DER_PRINTABLE, "TR", 2);
	der_wrap(out, t, DER_SEQUENCE);
	der_wrap(out, s, DER_SEQUENCE);
}

/* EN 319 412-5 4.2.3: QcType ::= SEQUENCE OF OBJECT IDENTIFIER. */
static void put_type_esign(buf *out)
{
	size_t s = out->len, t;
	der_put_oid(out, PKI_OID_QC_TYPE);
	t = out->len;
	der_put_oid(out, PKI_OID_QC_TYPE_ESIGN);
	der_wrap(out, t, DER_SEQUENCE);
	der_wrap(out, s, DER_SEQUENCE);
}

/* EN 319 412-5 4.3.3: QcPDS ::= SEQUENCE OF PdsLocation { url IA5String,
 * language PrintableString (SIZE(2)) }, one per language. */
static int put_pds(buf *out)
{
	static const char *const langs[] = {"tr", "en"};
	char url[1024];
	size_t s = out->len, t;
	der_put_oid(out, PKI_OID_QC_PDS);
	t = out->len;
	for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
		size_t loc = out->len;
		if (pki_pds_url(url, sizeof url, langs[i]) != 0)
			return -1;
		der_put_tlv(out, DER_IA5, url, strlen(url));
		der_put_tlv(out, DER_PRINTABLE, langs[i], 2);
		der_wrap(out, loc, DER_SEQUENCE);
	}
	der_wrap(out, t, DER_SEQUENCE);
	der_wrap(out, s, DER_SEQUENCE);
	return 0;
}

/* EN 319 412-5 4.3.1: QcEuLimitValue ::= MonetaryValue { currency
 * Iso4217CurrencyCode (alphabetic "TRY"), amount INTEGER, exponent INTEGER };
 * the limit is amount x 10^exponent, here exponent 0. */
static void put_limit(buf *out, uint64_t amount)
{
	size_t s = out->len, t;
	der_put_oid(out, PKI_OID_QC_LIMIT_VALUE);
	t = out->len;
	der_put_tlv(out, DER_PRINTABLE, "TRY", 3);
	der_put_uint(out, DER_INTEGER, amount);
	der_put_uint(out, DER_INTEGER, 0);
	der_wrap(out, t, DER_SEQUENCE);
	der_wrap(out, s, DER_SEQUENCE);
}

int pki_qcstatements_der(buf *out, int qscd)
{
	size_t all = out->len;
	int64_t limit = config_get_int("ca.qc_limit_try");
	put_semantics(out);
	put_statement_id(out, PKI_OID_QC_COMPLIANCE);
	put_legislation(out);
	put_statement_id(out, PKI_OID_QC_BTK_NES);
	if (qscd)
		put_statement_id(out, PKI_OID_QC_SSCD);
	put_type_esign(out);
	if (put_pds(out) != 0)
		return -1;
	if (limit > 0)
		put_limit(out, (uint64_t)limit);
	der_wrap(out, all, DER_SEQUENCE);
	return out->err ? -1 : 0;
}
