/* The qcStatements extension of the end-entity profile (ETSI EN 319 412-5,
 * EN 319 412-1 5.1, the BTK 2012 NES profile; the table is docs/PROFILE.md).
 * Everything in it comes from the configuration and from whether the key
 * was generated on a card the CA produced. */
#ifndef EIMZA_PKI_QCSTATEMENTS_H
#define EIMZA_PKI_QCSTATEMENTS_H

#include <stddef.h>

#include "util/buf.h"

#define PKI_OID_QC_PKIX_SYNTAX_V2 "1.3.6.1.5.5.7.11.2" /* RFC 3739 */
#define PKI_OID_SEMANTICS_NATURAL "0.4.0.194121.1.1"   /* EN 319 412-1 5.1.3 */
#define PKI_OID_QC_COMPLIANCE "0.4.0.1862.1.1"
#define PKI_OID_QC_LIMIT_VALUE "0.4.0.1862.1.2"
#define PKI_OID_QC_SSCD "0.4.0.1862.1.4"
#define PKI_OID_QC_PDS "0.4.0.1862.1.5"
#define PKI_OID_QC_TYPE "0.4.0.1862.1.6"
#define PKI_OID_QC_TYPE_ESIGN "0.4.0.1862.1.6.1"
#define PKI_OID_QC_CC_LEGISLATION "0.4.0.1862.1.7"
/* BTK 2012 NES profile: the statement Turkish relying software looks for
 * next to QcCompliance. */
#define PKI_OID_QC_BTK_NES "2.16.792.1.61.0.1.5070.1.1"

/* The PKI disclosure statement in `lang` ("tr" or "en"):
 * <ca.public_url>/depo/pds-<lang>.txt. 0, or -1 when it does not fit. */
int pki_pds_url(char *out, size_t n, const char *lang);

/* Appends the DER of the qcStatements extension value, in this order:
 * pkixQCSyntax-v2 with the natural-person semantics identifier;
 * QcCompliance; QcCClegislation "TR"; the BTK NES statement; QcSSCD (only
 * when qscd); QcType esign; QcPDS (tr, en); QcLimitValue in TRY (only when
 * ca.qc_limit_try is above 0). 0, or -1 (URL too long or out full). */
int pki_qcstatements_der(buf *out, int qscd);

#endif
