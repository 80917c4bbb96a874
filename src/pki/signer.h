/* The signer process: the only holder of the issuing CA and OCSP responder
 * private keys. Forked by signer_start(); spoken to over a socketpair with
 * the framing of docs/protocol.md. A certificate is built by the signer
 * itself from a typed request (ISSUE_CERT, issue_msg.h) and returned whole.
 * CRL and OCSP requests carry the exact TBS bytes to sign (TBSCertList,
 * ResponseData); the signer parses and checks them, signs and returns the
 * signature value, and callers assemble the signed structure (pki_assemble). */
#ifndef EIMZA_PKI_SIGNER_H
#define EIMZA_PKI_SIGNER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum signer_op {
	SIGNER_PING = 1, /* payload ignored (<= 64 bytes); reply "pong" */
	/* 2 was SIGN_CERT (a TBSCertificate from the web process): gone, an
	 * unknown operation now. */
	SIGNER_SIGN_CRL = 3,   /* TBSCertList DER; issuing CA key */
	SIGNER_SIGN_OCSP = 4,  /* OCSP ResponseData DER; responder key */
	SIGNER_ISSUE_CERT = 5, /* typed request (issue_msg.h); reply: the certificate DER */
	SIGNER_OP__MAX
};
extern const char *const signer_op_names[SIGNER_OP__MAX];

#define SIGNER_MAX_FRAME (1u << 20)	  /* SIGN_OCSP; any reply */
#define SIGNER_MAX_CRL_FRAME (256u << 20) /* SIGN_CRL (a million entries) */

/* Forks the signer for ca_dir (renews the OCSP responder certificate there
 * first when it is due) and waits for it to answer a PING. Call before
 * threads are started. 0, or -1 (logged). */
int signer_start(const char *ca_dir);
/* Closes the channel (the child exits on EOF) and reaps the child. */
void signer_stop(void);
/* 0 when the signer answers. */
int signer_ping(void);
/* The child's pid (tests), or -1. */
pid_t signer_pid(void);

/* Sends tbs (the request) for op and returns the reply's bytes: the
 * signature value, or for ISSUE_CERT the certificate (caller frees with
 * free()). Thread-safe: one request/response at a time. On refusal: -1 with
 * the signer's reason in err; if the signer died, it is restarted once and
 * the call retried. */
int signer_sign(enum signer_op op, const void *tbs, size_t len, unsigned char **sig, size_t *siglen,
		char *err, size_t n);

#endif
