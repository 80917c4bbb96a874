/* The end-entity certificate's Turkish NES policy (issue 10): the
 * configured policy OID, its CPS URI and user notice, and the check that
 * refuses a configuration which reuses a known TLS/EV policy OID. */
#ifndef EIMZA_PKI_NES_POLICY_H
#define EIMZA_PKI_NES_POLICY_H

#include <stddef.h>

#include <openssl/x509v3.h>

/* RFC 5280 4.2.1.4: explicitText is at most 200 characters. */
#define PKI_POLICY_NOTICE_MAX 200

/* 1 if oid (dotted) is a known TLS server / EV policy OID or anyPolicy. */
int pki_policy_oid_is_tls(const char *oid);

/* The CPS URI: ca.cps_url, or <ca.public_url>/depo/sue-tr.txt (the
 * Sertifika Uygulama Esasları) when empty. 0, or -1 when it does not fit. */
int pki_policy_cps_url(char *out, size_t n);

/* The end-entity certificatePolicies: ca.policy_oid with its CPS URI and
 * Turkish user notice (UTF8String explicitText), then ETSI QCP-n-qscd only
 * when qscd. Caller frees (CERTIFICATEPOLICIES_free). NULL on failure. */
CERTIFICATEPOLICIES *pki_ee_policies(int qscd);

/* Checks the profile's configuration: ca.policy_oid a dotted OID that is
 * not a TLS/EV policy nor anyPolicy; ca.public_url and the CPS URL https
 * (http only for a loopback host: tests and local development);
 * ca.policy_notice valid UTF-8 of 1..200 characters; ca.ee_key_types and
 * ca.qc_limit_try well-formed. 0, or -1 with a Turkish message naming the
 * key in err. */
int pki_policy_config_check(char *err, size_t n);

#endif
