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

#include <openssl/evp.h>

enum signer_op {
	SIGNER_PING = 1, /* payload ignored (<= 64 bytes); reply "pong" */
	/* 2 was SIGN_CERT (a TBSCertificate from the web process): gone, an
	 * unknown operation now. */
	SIGNER_SIGN_CRL = 3,	    /* TBSCertList DER; issuing CA key */
	SIGNER_SIGN_OCSP = 4,	    /* OCSP ResponseData DER; responder key; the reply is the
				* SHA-256 of the responder certificate, then the signature */
	SIGNER_ISSUE_CERT = 5,	    /* typed request (issue_msg.h); reply: the certificate DER */
	SIGNER_SIGN_CHECKPOINT = 6, /* audit checkpoint (checkpoint.h); audit key */
	SIGNER_OCSP_CERT = 7,	    /* empty, or the byte 1 to renew now; reply: the DER of the
				* current OCSP responder certificate (renewed when due) */
	SIGNER_OPEN_PIN = 8,	    /* a sealed card PIN (pinseal.h); reply: the PIN */
	SIGNER_OP__MAX
};
extern const char *const signer_op_names[SIGNER_OP__MAX];

#define SIGNER_MAX_FRAME (1u << 20)	  /* SIGN_OCSP; any reply */
#define SIGNER_MAX_CRL_FRAME (256u << 20) /* SIGN_CRL (a million entries) */
#define SIGNER_OCSP_ID_LEN 32		  /* the prefix of a SIGN_OCSP reply */

/* Forks the signer for ca_dir (which renews the OCSP responder certificate
 * when it is due, see signer_ocsp.c) and waits for it to answer a PING. Call before
 * threads are started and before any network input is read: a signer that
 * dies is never restarted by the process (see signer_on_death). 0, or -1
 * (logged). */
int signer_start(const char *ca_dir);
/* Only `eimza card produce` calls this (with 1), before signer_start: the
 * signer it forks then honours KEY_ON_QSCD (the card profiles). A signer
 * forked by `serve` or by any other command never does, whatever it is
 * sent: the flag is fixed in the child at fork, before any input is read
 * (docs/SECURITY.md "Card production"). No effect on a connection to the
 * signer service, which decides by the peer's uid (ca.card_clients). */
void signer_set_card_client(int on);
/* Stops the watch thread, closes the channel (the child exits on EOF) and
 * reaps the child. */
void signer_stop(void);
/* 0 when the signer answers. */
int signer_ping(void);
/* The child's pid (tests), or -1 (also when connected to `eimza signer`). */
pid_t signer_pid(void);
/* Connected to the signer service (ca.signer_socket): a CLOEXEC duplicate
 * of the channel, for the watch thread; otherwise -1. */
int signer_channel_dup(void);

/* Sends tbs (the request) for op and returns the reply's bytes: the
 * signature value, or for ISSUE_CERT the certificate (caller frees with
 * free()). Thread-safe: one request/response at a time. On refusal: -1 with
 * the signer's reason in err; if the signer is gone: -1 "signer
 * unavailable", the death is reported (signer_on_death) and the signer is
 * not restarted. */
int signer_sign(enum signer_op op, const void *tbs, size_t len, unsigned char **sig, size_t *siglen,
		char *err, size_t n);

/* Start, stop and death (signer_proc.c). */
/* fn runs once when the signer is found dead (by the watch thread or a
 * failed request); `serve` stops with status 1 from it. */
void signer_on_death(void (*fn)(void));
/* Starts a thread that reports the signer's death as soon as it happens;
 * signer_stop() ends it. 0 or -1 (logged). */
int signer_watch(void);
void signer_unwatch(void);
/* Logs the death of signer pid (why; 0: the signer service's connection)
 * and runs the hook, once per pid. */
void signer_lost(pid_t pid, const char *why);
/* In the child: becomes ca.signer_user when started as root, then makes
 * itself non-dumpable and dies with parent. 0 or -1 (logged). */
int signer_child_user(pid_t parent);
/* In the child, keys and journal loaded: sandbox_enter() keeping the
 * channel and the journal; read-only opens are allowed when a key is on a
 * PKCS#11 token (ca.pkcs11_module set, or one of keys has no private part
 * in memory). 0 or -1 (logged). */
int signer_child_sandbox(int channel, int journal_fd, EVP_PKEY *const *keys, size_t nkeys);

/* The signer as its own service (signer_service.c, `eimza signer`). */
/* In a child forked for one channel: loads the keys of dir, enters the
 * sandbox and serves the channel until EOF; never returns. card_client:
 * the peer may ask for the card profiles (KEY_ON_QSCD). */
void signer_child_run(int channel, const char *dir, pid_t parent, int card_client)
	__attribute__((noreturn));
/* Listens on the Unix socket path and forks one signer (signer_child_run)
 * per accepted connection whose peer uid is allowed (ca.signer_clients and
 * its own uid); runs until SIGTERM or SIGINT. Exit status for main. */
int signer_service_run(const char *path, const char *ca_dir);
/* Connects to the signer service on path: a CLOEXEC fd, or -1 (logged). */
int signer_service_connect(const char *path);

#endif
