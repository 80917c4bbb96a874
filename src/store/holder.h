/* The certificate holder (NES Bireysel): the holder record, the holder's
 * shipments and the status of one of the holder's certificates.
 *
 * The holder record is the newest application of the person that reached
 * PRODUCED, SHIPPED or DELIVERED: its security word logs in to NES
 * Bireysel, its cep_tel gets the SMS codes and "İletişim Bilgilerim"
 * changes its eposta / cep_tel / bilgi_kanali. Functions return 0 ok,
 * 1 not found, -1 error, like the other repositories. */
#ifndef EIMZA_STORE_HOLDER_H
#define EIMZA_STORE_HOLDER_H

#include <stdint.h>

#include "domain/certificate.h"
#include "store/application.h"
#include "store/db.h"
#include "util/arena.h"

/* The holder record of `tckn` into app (strings in ar) and, when hash is
 * not NULL, its security word hash (Argon2id string, arena copy; the caller
 * wipes nothing: a hash is not the secret). 0 found, 1 none, -1 error. */
int holder_load(db *d, arena *ar, const char *tckn, struct application *app, const char **hash);

/* Sets the contact details of the holder record `id` (channels: an enum
 * form_channel mask, stored by its name). Call inside the caller's
 * transaction with the audit record. 0, 1 no such record, -1 error. */
int holder_set_contact(db *d, int64_t id, const char *eposta, const char *cep_tel,
		       unsigned channels, int64_t now);

/* One shipment of any of the holder's applications. */
/* The status and notAfter of the certificate `serial_hex` (upper-case hex)
 * if it belongs to `tckn`. 0 found, 1 not this person's (or unknown), -1
 * error (also for a stored status cert_status_parse does not know). */
int holder_certificate(db *d, const char *serial_hex, const char *tckn, enum cert_status *status,
		       int64_t *not_after);

#endif
