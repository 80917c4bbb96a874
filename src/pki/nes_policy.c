/* The NES certificate policy of end-entity certificates and the check of
 * the profile's configuration (see nes_policy.h). */
#include "pki/nes_policy.h"
#include "pki/ee_key.h"
#include "pki/internal.h"

#include <stdio.h>
#include <string.h>

#include <openssl/objects.h>

#include "util/config.h"
#include "util/utf8.h"

/* Policy OIDs an e-signature certificate must not carry: Kamu SM's EV SSL
 * policy (eimza's old default, listed as EV SSL in public trust-store
 * tables), and anyPolicy (RFC 5280 4.2.1.4: for CA certificates). */
static const char *const refused_policies[] = {
	"2.16.792.1.2.1.1.5.7.1.9", /* Kamu SM EV SSL */
	"2.5.29.32.0",		    /* anyPolicy */
};
/* The CA/Browser Forum's arc: EV 2.23.140.1.1, DV/OV/IV 2.23.140.1.2.*,
 * code signing and the rest of its TLS/S/MIME policies. */
static const char cabf_arc[] = "2.23.140.1";

int pki_policy_oid_is_tls(const char *oid)
{
	size_t al = sizeof cabf_arc - 1;
	for (size_t i = 0; i < sizeof refused_policies / sizeof refused_policies[0]; i++)
		if (strcmp(oid, refused_policies[i]) == 0)
			return 1;
	return strncmp(oid, cabf_arc, al) == 0 && (oid[al] == '\0' || oid[al] == '.');
}

int pki_policy_cps_url(char *out, size_t n)
{
	const char *cps = config_get("ca.cps_url");
	int w = cps[0] != '\0'
			? snprintf(out, n, "%s", cps)
			: snprintf(out, n, "%s/depo/sue-tr.txt", config_get("ca.public_url"));
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

static POLICYQUALINFO *cps_qualifier(const char *uri)
{
	POLICYQUALINFO *q = POLICYQUALINFO_new();
	if (q == NULL)
		return NULL;
	q->pqualid = OBJ_nid2obj(NID_id_qt_cps);
	q->d.cpsuri = ASN1_IA5STRING_new();
	if (q->d.cpsuri == NULL || !ASN1_STRING_set(q->d.cpsuri, uri, (int)strlen(uri))) {
		POLICYQUALINFO_free(q);
		return NULL;
	}
	return q;
}

/* userNotice with explicitText as a UTF8String (RFC 5280 4.2.1.4). */
static POLICYQUALINFO *notice_qualifier(const char *text)
{
	POLICYQUALINFO *q = POLICYQUALINFO_new();
	if (q == NULL)
		return NULL;
	q->pqualid = OBJ_nid2obj(NID_id_qt_unotice);
	if ((q->d.usernotice = USERNOTICE_new()) == NULL ||
	    (q->d.usernotice->exptext = ASN1_UTF8STRING_new()) == NULL ||
	    !ASN1_STRING_set(q->d.usernotice->exptext, text, (int)strlen(text))) {
		POLICYQUALINFO_free(q);
		return NULL;
	}
	return q;
}

/* A PolicyInformation; with a CPS URI and a notice when cps is not NULL. */
static POLICYINFO *policy_info(const char *oid, const char *cps, const char *notice)
{
	POLICYINFO *pi = POLICYINFO_new();
	POLICYQUALINFO *q = NULL;
	if (pi == NULL)
		return NULL;
	ASN1_OBJECT_free(pi->policyid);
	if ((pi->policyid = OBJ_txt2obj(oid, 1)) == NULL)
		goto fail;
	if (cps == NULL)
		return pi;
	if ((pi->qualifiers = sk_POLICYQUALINFO_new_null()) == NULL)
		goto fail;
	if ((q = cps_qualifier(cps)) == NULL || !sk_POLICYQUALINFO_push(pi->qualifiers, q))
		goto fail;
	if ((q = notice_qualifier(notice)) == NULL || !sk_POLICYQUALINFO_push(pi->qualifiers, q))
		goto fail;
	return pi;
fail:
	POLICYQUALINFO_free(q);
	POLICYINFO_free(pi);
	return NULL;
}

CERTIFICATEPOLICIES *pki_ee_policies(int qscd)
{
	char cps[1024];
	CERTIFICATEPOLICIES *cp = sk_POLICYINFO_new_null();
	POLICYINFO *pi = NULL;
	if (cp == NULL || pki_policy_cps_url(cps, sizeof cps) != 0)
		goto fail;
	pi = policy_info(config_get("ca.policy_oid"), cps, config_get("ca.policy_notice"));
	if (pi == NULL || !sk_POLICYINFO_push(cp, pi))
		goto fail;
	/* EN 319 411-2 5.3: QCP-n-qscd only when the key is on a QSCD. */
	if (qscd && ((pi = policy_info(PKI_OID_QCP_N_QSCD, NULL, NULL)) == NULL ||
		     !sk_POLICYINFO_push(cp, pi)))
		goto fail;
	return cp;
fail:
	POLICYINFO_free(pi);
	sk_POLICYINFO_pop_free(cp, POLICYINFO_free);
	return NULL;
}

/* A dotted OID in canonical form: OpenSSL parses it and prints it back the
 * same (no leading zeros, no names such as "anyPolicy"). */
static int oid_canonical(const char *oid)
{
	char back[256];
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	int ok = o != NULL && OBJ_obj2txt(back, sizeof back, o, 1) > 0 && strcmp(back, oid) == 0;
	ASN1_OBJECT_free(o);
	return ok;
}

/* An https URL, or http to a loopback host (tests, local development). */
static int url_ok(const char *u)
{
	static const char *const loop[] = {"http://127.0.0.1", "http://localhost", "http://[::1]"};
	if (strncmp(u, "https://", 8) == 0)
		return u[8] != '\0' && u[8] != '/';
	for (size_t i = 0; i < sizeof loop / sizeof loop[0]; i++) {
		size_t l = strlen(loop[i]);
		if (strncmp(u, loop[i], l) == 0 && (u[l] == '\0' || u[l] == ':' || u[l] == '/'))
			return 1;
	}
	return 0;
}

int pki_policy_config_check(char *err, size_t n)
{
	const char *oid = config_get("ca.policy_oid");
	const char *notice = config_get("ca.policy_notice");
	size_t nlen = strlen(notice);
	char cps[1024];
	if (!oid_canonical(oid)) {
		snprintf(err, n, "ca.policy_oid geçerli bir nesne tanımlayıcısı değil: %s", oid);
		return -1;
	}
	if (pki_policy_oid_is_tls(oid)) {
		snprintf(err, n,
			 "ca.policy_oid (%s) bir TLS/EV sunucu sertifikası politikası ya da "
			 "anyPolicy; nitelikli elektronik sertifika politikası olamaz.",
			 oid);
		return -1;
	}
	if (!url_ok(config_get("ca.public_url"))) {
		snprintf(err, n,
			 "ca.public_url bir https adresi olmalı (http yalnızca 127.0.0.1 ve "
			 "localhost için).");
		return -1;
	}
	if (pki_policy_cps_url(cps, sizeof cps) != 0 || !url_ok(cps)) {
		snprintf(err, n, "ca.cps_url bir https adresi olmalı.");
		return -1;
	}
	if (nlen == 0 || !utf8_valid(notice, nlen) || utf8_has_controls(notice, nlen, 0) ||
	    utf8_length(notice, nlen) > PKI_POLICY_NOTICE_MAX) {
		snprintf(err, n,
			 "ca.policy_notice 1 ile %d karakter arasında geçerli bir metin olmalı.",
			 PKI_POLICY_NOTICE_MAX);
		return -1;
	}
	const char *lim = config_get("ca.qc_limit_try");
	if (lim[0] == '\0' || strlen(lim) > 15 || strspn(lim, "0123456789") != strlen(lim)) {
		snprintf(err, n, "ca.qc_limit_try 0 ya da pozitif bir tutar olmalı.");
		return -1;
	}
	return pki_ee_key_types_check(err, n);
}
