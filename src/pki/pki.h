/* The certification authority: hierarchy, issuance, revocation, CRL, OCSP
 * and e-onay (CMS) verification. The serving process holds certificates
 * only; every signature with a CA key is made by the signer process
 * (signer.h), which checks what it signs.
 *
 * Certificates are stored in table `certificates` keyed by serial (upper-
 * case hex of the positive INTEGER), with the holder's T.C. Kimlik No and an
 * optional application id. No function here knows the application flow. */
#ifndef EIMZA_PKI_H
#define EIMZA_PKI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "domain/certificate.h"
#include "store/db.h"

/* ---- hierarchy (ca.c; CLI only, holds keys) ---- */

struct pki_ca_opts {
	const char *key_type; /* rsa2048 rsa3072 rsa4096 p256 p384; NULL/"": ca.key_type */
	const char *storage;  /* pkcs11 | file; NULL/"": ca.key_storage */
	const char *root_out; /* offline directory; NULL/"": <dir>/offline */
};
/* Creates root, issuing and OCSP responder keys and certificates and the
 * root CRL in `dir` (created 0700 if missing). The issuing and OCSP keys go
 * to a PKCS#11 token (a SoftHSM2 token in dir/token unless
 * ca.pkcs11_module is set) or to encrypted PKCS#8 files (keystore.h); the
 * root key, encrypted, to the offline directory (root.key, root.pass),
 * never into dir. Refuses to touch an existing CA. 0 or -1 with a Turkish
 * message in err. */
int pki_ca_create_with(const char *dir, const struct pki_ca_opts *o, char *err, size_t n);
/* Tells the operator (stdout) where the encrypted root key is and that it
 * must go to offline storage. root_out NULL/"": <dir>/offline. */
void pki_print_offline_notice(const char *dir, const char *root_out);
/* pki_ca_create_with with key_type and the defaults. */
int pki_ca_create(const char *dir, const char *key_type, char *err, size_t n);
/* Takes an existing issuing CA (certificate + key PEM) and a chain file
 * holding its root; creates the OCSP responder. The keys are kept as
 * encrypted files (storage file). 0 or -1 (err). */
int pki_ca_import(const char *dir, const char *cert_pem_path, const char *key_pem_path,
		  const char *chain_path, char *err, size_t n);
/* Asks the signer for the OCSP responder certificate: renewed when due
 * (ca.ocsp_days, ca.ocsp_renew_before), now when force. The signer of dir
 * is started (and stopped) here unless pki_init ran. 0 or -1 (err). */
int pki_ca_renew_ocsp(const char *dir, int force, char *err, size_t n);
/* `eimza ca ceremony ...`: root key operations (ceremony.c). argv[0] is
 * "ceremony". Exit status. */
int pki_ceremony_main(int argc, char **argv);

/* ---- lifetime (pki.c) ---- */

/* Starts the signer for ca_dir and loads the CA certificates. Call once,
 * before threads are started. 0 or -1 (logged). */
int pki_init(const char *ca_dir);
void pki_shutdown(void);

/* ---- issuance (issue.c, profile.c) ---- */

struct pki_issue_req {
	const char *csr_pem;	/* PKCS#10, PEM (or DER with csr_len) */
	size_t csr_len;		/* 0: csr_pem is a NUL-terminated PEM */
	const char *tckn;	/* 11 digits, valid checksum */
	const char *given_name; /* as registered, e.g. "AYŞE" */
	const char *surname;
	int years;		     /* 1..3: the profile "qualified-<years>y" */
	const char *renews;	     /* NULL, or the serial of the certificate this
				 * one renews: it starts at that one's notAfter */
	int64_t application_id;	     /* 0: none */
	const char *application_ref; /* NULL: the id; e.g. "2026-000001" */
	const char *email;	     /* optional: SAN rfc822Name */
	int key_on_qscd;	     /* 1 only from `eimza card produce`: the key was generated on
			  * a card the CA produced; the card profile "qualified-card-
			  * <years>y" (the signer refuses it from anyone else) */
};

struct pki_issued {
	char serial_hex[81];
	int64_t not_before, not_after;
	unsigned char *der; /* caller frees with free() */
	size_t der_len;
};

/* Checks the CSR (signature = proof of possession, key policy), asks the
 * signer to build and sign the natural-person qualified certificate
 * (ISSUE_CERT: the signer chooses serial, validity, names and extensions;
 * a renewal is refused outside the renewed certificate's renewal window),
 * checks what it returns (CA signature, subject, public key, profile) and
 * stores it (status good). Does not begin/commit: a caller may wrap it in its own
 * transaction. 0, or -1 with a Turkish message in err. */
int pki_issue(db *d, const struct pki_issue_req *rq, struct pki_issued *out, char *err, size_t n);
void pki_issued_free(struct pki_issued *o);

/* Parses and checks a CSR (PEM or DER): signature and key policy. 0 or -1
 * with a Turkish message. (Exposed for the fuzz target and the form.) */
int pki_csr_check(const void *data, size_t len, char *err, size_t n);

/* A stored certificate's status is the domain's enum cert_status, names
 * and all (domain/certificate.h); these are pki/'s spellings of it. */
#define pki_cert_status cert_status
#define PKI_GOOD CERT_GOOD
#define PKI_REVOKED CERT_REVOKED
#define PKI_HOLD CERT_HOLD
#define PKI_CERT_STATUS__MAX CERT_STATUS__MAX
#define pki_cert_status_names cert_status_names /* "good"... */

struct pki_cert_summary {
	const char *serial_hex;
	int64_t not_before, not_after;
	enum pki_cert_status status;
	int64_t revoked_at; /* 0 when good */
	int reason;	    /* RFC 5280 reason, -1 when good */
	int64_t application_id;
};

/* Calls fn for each certificate of this person, newest notBefore first.
 * The summary's strings are valid during the call only. Returns the count
 * or -1. */
int pki_cert_list_for_tckn(db *d, const char *tckn,
			   void (*fn)(const struct pki_cert_summary *c, void *arg), void *arg);
/* DER of a stored certificate (caller frees with free()); NULL if unknown. */
unsigned char *pki_cert_der(db *d, const char *serial_hex, size_t *len);

/* ---- revocation (revoke.c) ---- */

enum pki_reason {
	PKI_REASON_UNSPECIFIED = 0,
	PKI_REASON_KEY_COMPROMISE = 1,
	PKI_REASON_CA_COMPROMISE = 2,
	PKI_REASON_AFFILIATION_CHANGED = 3,
	PKI_REASON_SUPERSEDED = 4,
	PKI_REASON_CESSATION = 5,
	PKI_REASON_HOLD = 6,
	PKI_REASON_REMOVE_FROM_CRL = 8,
	PKI_REASON_PRIVILEGE_WITHDRAWN = 9,
	PKI_REASON__MAX = 11
};
/* "unspecified", "keyCompromise", ... ; NULL for unused codes (7). */
const char *pki_reason_name(int reason);
/* Reason from its name or its number ("keyCompromise" or "1"); -1. */
int pki_reason_parse(const char *s);

/* Inside the caller's open transaction: marks the certificate revoked
 * (reason 6 = hold; reason 8 = release a hold). A held certificate can be
 * revoked for good; a revoked one cannot change. when = 0: now. 0 or -1
 * (Turkish err). Call pki_after_revocation() after the commit. */
int pki_revoke_tx(db *d, const char *serial_hex, int reason, int64_t when, char *err, size_t n);
/* Regenerates the issuing CA's CRL and invalidates the OCSP cache. */
int pki_after_revocation(db *d);
/* Own-transaction forms: begin, pki_revoke_tx, commit, pki_after_revocation. */
int pki_revoke(db *d, const char *serial_hex, int reason, int64_t when, char *err, size_t n);
int pki_hold(db *d, const char *serial_hex, char *err, size_t n);
int pki_release_hold(db *d, const char *serial_hex, char *err, size_t n);

/* Whether a CRL entry carries this reasonCode and an OCSP revoked answer
 * this revocationReason (one rule for both, cert_state.c): not for
 * unspecified (0), the unused 7, removeFromCRL (8) or an unknown code. */
int pki_reason_published(int reason);

/* A certificate's state in eimza's own table (cert_state.c), the one
 * source of the OCSP responder, the CRL and the e-onay check. */
struct pki_cert_state {
	int known; /* 0: no such serial */
	enum pki_cert_status status;
	int64_t revoked_at; /* revocation (or hold) time, Unix seconds */
	int reason;	    /* RFC 5280 code, -1 when none */
};
/* 0 (cs->known says whether it exists) or -1 on a database error. */
int pki_cert_state_get(db *d, const char *serial_hex, struct pki_cert_state *cs);

/* ---- CRL (crl.c) ---- */

enum pki_ca_id { PKI_CA_ISSUING, PKI_CA_ROOT, PKI_CA_ID__MAX };

/* Builds, signs (via the signer) and stores the next full CRL of the
 * issuing CA in one write transaction; the signer assigns its number (its
 * journal's last + 1). 0 or -1 (err). */
int pki_crl_generate(db *d, char *err, size_t n);
/* The same inside the caller's open write transaction (db_begin), so that
 * the caller can add its own rows (e.g. the CLI's audit record) and commit
 * them together with the CRL; on failure the caller rolls back. */
int pki_crl_generate_tx(db *d, char *err, size_t n);
/* The current CRL (DER) of `ca`, regenerating the issuing CRL when less
 * than half of its validity is left. *der is malloc'd: caller frees. */
int pki_crl_get(db *d, enum pki_ca_id ca, unsigned char **der, size_t *len, int64_t *this_update,
		int64_t *next_update, int64_t *number);

/* ---- OCSP (ocsp.c) ---- */

struct pki_ocsp_meta {
	int64_t produced_at, this_update, next_update; /* 0 for error responses */
	char etag[48]; /* quoted strong ETag of the response bytes */
	int cacheable; /* 1: no nonce, may be cached by HTTP caches */
};

/* Most CertIDs one OCSP request may name (docs/protocol.md). */
#define PKI_OCSP_MAX_CERTIDS 20

/* Answers a DER OCSPRequest (RFC 6960/5019). Always produces a response
 * (malformedRequest, internalError, tryLater...) unless out of memory:
 * 0 with *resp malloc'd (caller frees), -1 only when nothing can be sent. */
int pki_ocsp_respond(db *d, const unsigned char *req, size_t len, unsigned char **resp,
		     size_t *resp_len, struct pki_ocsp_meta *meta);
/* Drops every pre-signed response (after a revocation). */
void pki_ocsp_invalidate(void);

/* ---- e-onay (cms.c) ---- */

/* What an accepted e-onay signature was checked against (the validation
 * report kept in the application's history). */
struct pki_eapproval_report {
	char serial_hex[81];  /* the signing certificate */
	char signer[128];     /* its subject CN */
	char digest[16];      /* "SHA-256", "SHA-384", "SHA-512" */
	int64_t signing_time; /* the signed signingTime attribute */
	int64_t checked_at;   /* now */
};

/* Accepts a detached CMS SignedData (DER or PEM) over exactly `content`,
 * one SignerInfo, made with a certificate issued by our issuing CA (and
 * stored by us, byte for byte) whose subject serialNumber is
 * "PNOTR-<tckn>", with digestAlgorithm and signature hash SHA-256/384/512
 * (never SHA-1 or MD5), an RSA >= 2048 or EC P-256/P-384 key, a signed
 * signingTime not ahead of now (5 min skew) and inside the certificate's
 * validity, the certificate valid at `now` and neither revoked nor on hold
 * in our own table (pki_cert_state_get, the OCSP responder's source).
 * 0 with *report filled (report may be NULL), or -1 with a Turkish message
 * for the applicant in msg. */
int pki_verify_eapproval(db *d, const void *p7s, size_t p7s_len, const void *content,
			 size_t content_len, const char *expected_tckn, int64_t now,
			 struct pki_eapproval_report *report, char *msg, size_t msgn);

/* ---- CLI (cli.c) ---- */

/* Application data for `eimza ca issue APPLICATION_ID CSR`. */
struct pki_app_info {
	char tckn[12];
	char given_name[128], surname[128], email[256];
	int years;
	char renews[81]; /* "" or the serial of the renewed certificate */
	char number[24]; /* "" or the application number "YYYY-NNNNNN" */
};
/* Filled in by the application module (the lead), so that `eimza ca issue
 * APPLICATION_ID CSR` needs no knowledge of applications here:
 *   lookup: the holder's data for an application id (0, or -1 with err);
 *   issued: called inside the transaction that stored the certificate, e.g.
 *           to move the application to PRODUCED (0, or -1: rolled back).
 * Without hooks only `eimza ca issue --tckn ...` works. */
struct pki_app_hooks {
	int (*lookup)(db *d, int64_t application_id, struct pki_app_info *info, char *err,
		      size_t n);
	int (*issued)(db *d, int64_t application_id, const struct pki_issued *c, char *err,
		      size_t n);
	/* `ca revoke|hold|release SERIAL` changed the certificate's status to
	 * reason (PKI_REASON_*; REMOVE_FROM_CRL: released), inside the CLI's
	 * transaction: the contacts on record are told. 0 or -1. */
	int (*status_changed)(db *d, const char *serial_hex, int reason, char *err, size_t n);
};
/* Keeps the pointer (a static table). */
void pki_set_application_hook(const struct pki_app_hooks *hooks);
/* `eimza ca create|import|issue|revoke|hold|release|crl|renew-ocsp|reconcile ...`:
 * argv[0] is "ca". Returns the process exit status. */
int pki_cli_main(int argc, char **argv);

/* Compares the signer's journal in ca_dir (journal.h) with the certificates
 * table and prints to out one line per discrepancy: "signed but unknown to
 * the database: SERIAL SUBJECT", "recorded but never signed: SERIAL" (also
 * when the row's DER is not what was signed), then a summary line. Returns
 * the number of discrepancies, or -1 (err: unreadable or broken journal). */
long pki_reconcile(db *d, const char *ca_dir, FILE *out, char *err, size_t n);

#endif
