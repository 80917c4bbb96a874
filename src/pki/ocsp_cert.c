/* The OCSP responder certificate (see ocsp_cert.h). */
#include "pki/ocsp_cert.h"
#include "pki/internal.h"
#include "pki/pki.h"
#include "pki/profile.h"

#include <openssl/x509v3.h>

#include "util/config.h"

int64_t pki_ocsp_cert_life(void)
{
	int64_t minutes = config_get_int("ca.ocsp_lifetime_minutes");
	if (minutes > 0)
		return minutes * 60;
	int64_t days = config_get_int("ca.ocsp_days");
	return (days > 0 ? days : 7) * 86400;
}

int64_t pki_ocsp_cert_renew_before(void)
{
	int64_t hours = config_get_int("ca.ocsp_renew_before");
	return hours > 0 ? hours * 3600 : 0;
}

int pki_ocsp_cert_due(int64_t now, int64_t not_before, int64_t not_after, int64_t renew_before)
{
	int64_t life = not_after - not_before;
	if (life <= 0 || now < not_before || now >= not_after)
		return 1;
	if (renew_before > 0 && renew_before < life)
		return not_after - now < renew_before;
	/* Half of the life remains exactly when now == not_before + life / 2
	 * (rounded up): renew from the first second with less. */
	return not_after - now < life - life / 2;
}

X509 *pki_ocsp_cert_make(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *subject_key,
			 const X509_NAME *subject, const unsigned char *serial, size_t serial_len,
			 int64_t now, int64_t life)
{
	X509 *x = X509_new(), *ret = NULL;
	ASN1_INTEGER *sn = ASN1_INTEGER_new();
	X509V3_CTX ctx;
	int nid, ptype;
	const EVP_MD *md;
	int64_t not_after = now + life, issuer_end = pki_time(X509_get0_notAfter(issuer));
	if (issuer_end < not_after)
		not_after = issuer_end;
	if (x == NULL || sn == NULL || life <= 0 || not_after <= now ||
	    !ASN1_STRING_set(sn, serial, (int)serial_len) || !X509_set_version(x, X509_VERSION_3) ||
	    !X509_set_serialNumber(x, sn) || !X509_set_subject_name(x, subject) ||
	    !X509_set_issuer_name(x, X509_get_subject_name(issuer)) ||
	    !ASN1_TIME_set(X509_getm_notBefore(x), (time_t)now) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after) ||
	    !X509_set_pubkey(x, subject_key))
		goto out;
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if (pki_add_ext(x, &ctx, NID_subject_key_identifier, "hash") ||
	    pki_add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always") ||
	    pki_add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") ||
	    pki_add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature") ||
	    pki_add_ext(x, &ctx, NID_ext_key_usage, "critical,OCSPSigning") ||
	    pki_add_ext(x, &ctx, NID_id_pkix_OCSP_noCheck, "ignored"))
		goto out;
	/* The algorithm follows the issuer certificate's key (a token key may
	 * not expose its parameters). */
	if (pki_sigalg(X509_get0_pubkey(issuer), &nid, &ptype, &md) != 0 ||
	    !X509_sign(x, issuer_key, md))
		goto out;
	ret = x;
	x = NULL;
out:
	X509_free(x);
	ASN1_INTEGER_free(sn);
	return ret;
}
