/* Idempotency keys of outgoing messages (idem.h). */
#include "notify/idem.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/secret.h"

void notify_idempotency_key(int64_t id, char out[NOTIFY_IDEM_KEY_LEN + 1])
{
	char text[32], hex[65];
	int n = snprintf(text, sizeof text, "outbox:%lld", (long long)id);
	if (secret_keyed_hash_hex(SECRET_MESSAGE_ID, text, (size_t)n, hex) != 0) {
		unsigned char h[32];
		crypto_generichash(h, sizeof h, (const unsigned char *)text, (size_t)n, NULL, 0);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	}
	memcpy(out, hex, NOTIFY_IDEM_KEY_LEN);
	out[NOTIFY_IDEM_KEY_LEN] = '\0';
}
