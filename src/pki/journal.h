/* The signer's journal: an append-only, hash-chained record of everything
 * the issuing CA key has signed (certificates and CRLs), kept in the CA
 * directory (`<ca.dir>/journal`) and written only by the signer process.
 *
 * One line per record, fields separated by tabs, the last field the
 * record's hash:
 *
 *     cert <serial hex> <notBefore> <notAfter> <SHA-256 of the DER> <subject>
 *     crl <number> <thisUpdate> <entries> <SHA-256 of the TBSCertList>
 *     ocsp <serial hex> <notBefore> <notAfter> <SHA-256 of the DER> <subject>
 *          <base64 of the DER>
 *     checkpoint <count> <head> <time> <Ed25519 signature>
 *
 * (an `ocsp` record is an OCSP responder certificate the signer issued
 * itself, see signer_ocsp.c; its DER is kept so that a signer finds the
 * newest one at start without a file of its own)
 * (times in Unix seconds, hashes in lower-case hex, the subject in RFC 2253
 * form with control and non-ASCII bytes escaped; a checkpoint is a signed
 * audit checkpoint, see checkpoint.h: the audit record count, the newest
 * audit record's hash and the signature, both in hex). The hash of a record is
 * SHA-256 over the previous record's hash (hex; 64 '0' for the first)
 * followed by the record up to its last tab. A record is appended with
 * O_APPEND and fsync'ed under an exclusive flock(2) of the file, so signers
 * of several processes (the server's, the command line's) share one chain
 * and one CRL number sequence. */
#ifndef EIMZA_PKI_JOURNAL_H
#define EIMZA_PKI_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define JOURNAL_FILE "journal"
#define JOURNAL_HASH_HEX 64
#define JOURNAL_SUBJECT_MAX 1024
#define JOURNAL_DER_B64_MAX 4096 /* base64 of an ocsp record's DER, with its NUL */
#define JOURNAL_SIG_HEX 128	 /* checkpoint: Ed25519 signature */

enum journal_kind { JOURNAL_CERT, JOURNAL_CRL, JOURNAL_OCSP, JOURNAL_CHECKPOINT };

struct journal_rec {
	enum journal_kind kind;
	char serial_hex[84];		      /* cert, ocsp */
	char subject[JOURNAL_SUBJECT_MAX];    /* cert, ocsp */
	int64_t not_before, not_after;	      /* cert, ocsp */
	int64_t number, this_update, entries; /* crl */
	char sha256[JOURNAL_HASH_HEX + 1];    /* cert, ocsp: DER; crl: TBS */
	char der_b64[JOURNAL_DER_B64_MAX];    /* ocsp */
	int64_t count, at;		      /* checkpoint */
	char head[JOURNAL_HASH_HEX + 1];      /* checkpoint */
	char signature[JOURNAL_SIG_HEX + 1];  /* checkpoint */
};

/* An open journal as its signer sees it: what has been verified so far. */
struct journal {
	int fd;
	off_t end;			 /* bytes read and verified */
	long line;			 /* records read */
	char head[JOURNAL_HASH_HEX + 1]; /* hash of the last record */
	int64_t last_crl;		 /* 0 when no CRL was signed */
	char **serials;			 /* open-addressing set of serials */
	size_t cap, used;
	char *ocsp_b64;		 /* newest ocsp record's DER (base64) or NULL */
	int64_t ocsp_not_before; /* and its notBefore */
	/* The last checkpoint: its count (-1 for none) and head. */
	int64_t cp_count;
	char cp_head[JOURNAL_HASH_HEX + 1];
};

/* Opens (creating it, mode 0600) and verifies the whole journal at path.
 * 0, or -1 with the reason in err (a broken chain names its line). */
int journal_open(struct journal *j, const char *path, char *err, size_t n);
/* Takes the exclusive lock and reads the records other processes appended
 * meanwhile (verifying them). Hold it around choosing a CRL number or
 * checking a serial, signing and journal_append. 0 or -1 (err; unlocked). */
int journal_lock(struct journal *j, char *err, size_t n);
void journal_unlock(struct journal *j);
/* Appends r (the lock is held) and fsyncs. 0 or -1 (err). */
int journal_append(struct journal *j, const struct journal_rec *r, char *err, size_t n);
/* 1 when a certificate with this serial is in the journal. */
int journal_has_serial(const struct journal *j, const char *serial_hex);
/* With the lock held: the record of the certificate with this serial,
 * read from the journal's start and verified again (a renewal needs the
 * renewed certificate's subject and notAfter). 0 found, 1 not in the
 * journal, -1 (err). */
int journal_find_cert(struct journal *j, const char *serial_hex, struct journal_rec *out, char *err,
		      size_t n);
void journal_close(struct journal *j);

/* Reads and verifies the journal at path (read only; a missing file is an
 * empty journal) and calls fn for every record; fn returning non-zero stops
 * the walk with that value. 0, fn's value, or -1 (err). */
int journal_read(const char *path, int (*fn)(const struct journal_rec *, void *), void *arg,
		 char *err, size_t n);

/* Formats r as its line body (no hash, no newline) into out: the bytes the
 * hash covers. -1 if it does not fit or a field holds a tab or newline. */
int journal_format(const struct journal_rec *r, char *out, size_t n);
/* Lower-case hex SHA-256 of data. */
void journal_sha256_hex(const void *data, size_t len, char out[JOURNAL_HASH_HEX + 1]);

#endif
