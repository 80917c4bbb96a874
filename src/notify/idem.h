/* Idempotency keys of outgoing messages (issue 12, crash safety).
 *
 * The outbox delivers at least once: a worker killed between handing a
 * message to the gateway and recording it as sent sends it again after a
 * restart. Every attempt at one message carries the same key, so a gateway
 * or mail system can drop repeats: the SMTP Message-ID
 * `<ID.KEY@domain>` and `%I` in the sms.url template. The key is the first
 * 24 hex characters of a keyed hash (server secret, SECRET_MESSAGE_ID) of
 * the outbox id: the same for every attempt, different between
 * installations whose ids collide. */
#ifndef EIMZA_NOTIFY_IDEM_H
#define EIMZA_NOTIFY_IDEM_H

#include <stdint.h>

#define NOTIFY_IDEM_KEY_LEN 24

/* Writes the key of outbox message id into out (NUL-terminated). Without a
 * server secret the hash is unkeyed (still the same for every attempt). */
void notify_idempotency_key(int64_t id, char out[NOTIFY_IDEM_KEY_LEN + 1]);

#endif
