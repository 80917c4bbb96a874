#include "util/config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct config_key {
	const char *key;
	const char *dflt;
	const char *help;
	char *value; /* malloc'd when set from a file or a flag */
};

static struct config_key keys[] = {
	{"server.listen", "127.0.0.1:8080", "address and port to listen on", NULL},
	{"server.user", "",
	 "system user serve drops to once listening, when started as root (empty: no switch)",
	 NULL},
	{"server.threads", "8", "HTTP worker threads", NULL},
	{"server.max_body", "1048576", "largest request body in bytes", NULL},
	{"server.max_fields", "200", "most form fields in one request", NULL},
	{"server.session_idle", "1800", "session idle timeout in seconds", NULL},
	{"server.session_max", "28800", "session absolute lifetime in seconds", NULL},
	{"server.tls_cert", "", "PEM certificate chain; with tls_key, serve HTTPS", NULL},
	{"server.tls_key", "", "PEM private key for tls_cert", NULL},
	{"server.connection_timeout", "30", "seconds before an idle HTTP connection is closed",
	 NULL},
	{"server.connection_limit", "1000", "most simultaneous HTTP connections", NULL},
	{"server.per_ip_connection_limit", "64",
	 "most simultaneous HTTP connections from one address (0: no limit; trusted proxies exempt)",
	 NULL},
	{"server.base_url", "http://127.0.0.1:8080",
	 "public URL of the portal (links in messages); https: Secure __Host- cookies and HSTS",
	 NULL},
	{"server.trusted_proxies", "",
	 "reverse proxies (addresses or CIDR networks, comma-separated) whose forwarding header "
	 "names the client (empty: none)",
	 NULL},
	{"server.proxy_header", "x-forwarded-for",
	 "header a trusted proxy names the client in: x-forwarded-for or forwarded", NULL},
	{"server.metrics_allow", "127.0.0.0/8, ::1",
	 "client addresses or CIDR networks that may read /metrics", NULL},
	{"server.metrics_token_file", "",
	 "file holding a bearer token (16-512 characters) that opens /metrics from anywhere "
	 "(empty: none)",
	 NULL},
	{"server.request_timeout", "60",
	 "seconds a client has to send a whole request (head and body), however it trickles", NULL},
	{"server.worker", "1",
	 "run the outbox worker and scheduler inside serve (0: use `eimza worker`)", NULL},
	{"database.url", "var/eimza.db", "SQLite file path or postgresql:// URL", NULL},
	{"database.statement_timeout_ms", "30000",
	 "PostgreSQL: longest a statement may run, in ms (0: no limit)", NULL},
	{"server.secret_file", "var/secret.key",
	 "32-byte master secret for keyed hashes (created 0600)", NULL},
	{"registry.backend", "local",
	 "population registry: local (imported table) or kps (KPSPublic SOAP)", NULL},
	{"registry.kps_url", "https://tckimlik.nvi.gov.tr/Service/KPSPublic.asmx",
	 "KPSPublic endpoint", NULL},
	{"registry.kps_timeout", "10", "KPSPublic timeout in seconds", NULL},
	{"login.max_failures_ip", "20", "failed logins per client address before a lockout", NULL},
	{"login.max_failures_tckn", "5", "failed logins per T.C. Kimlik No before a lockout", NULL},
	{"login.lockout_seconds", "900", "how long a lockout lasts", NULL},
	{"konsol.delay_after", "3",
	 "console: failures of one account from one address before its tries are delayed", NULL},
	{"konsol.address_delay_after", "10",
	 "console: failures from one address (any account) before its tries are delayed", NULL},
	{"konsol.delay_base", "5", "console: first delay in seconds, doubled per further failure",
	 NULL},
	{"konsol.delay_max", "900", "console: longest delay in seconds", NULL},
	{"konsol.captcha_after", "3",
	 "console: failures of one account (any address) before a CAPTCHA is asked", NULL},
	{"konsol.address_captcha_after", "5",
	 "console: failures from one address before a CAPTCHA is asked", NULL},
	{"konsol.failure_window", "3600",
	 "console: seconds after the first failure in which failures are counted", NULL},
	{"konsol.max_parallel_hashes", "2",
	 "console: password checks (Argon2id) run at once; more get 429 at once", NULL},
	{"smtp.url", "", "SMTP server, e.g. smtp://mail.example:587 (empty: e-mail is not sent)",
	 NULL},
	{"smtp.from", "eimza@localhost", "sender address of e-mails", NULL},
	{"smtp.user", "", "SMTP user name", NULL},
	{"smtp.password", "", "SMTP password", NULL},
	{"smtp.starttls", "1", "require STARTTLS (1) or allow plain (0)", NULL},
	{"sms.url", "",
	 "SMS gateway URL template (Kannel sendsms): %P number, %a text, %I idempotency key "
	 "(empty: not sent)",
	 NULL},
	{"outbox.max_attempts", "8", "delivery attempts before a message is marked failed", NULL},
	{"outbox.poll_ms", "500", "how often the worker looks for due messages", NULL},
	{"outbox.retention_days", "30",
	 "days a sent or failed message is kept before the worker deletes it (0: kept)", NULL},
	{"ca.dir", "var/ca", "directory of the CA keys and certificates", NULL},
	{"ca.key_type", "p384", "key type of new CA keys: rsa2048, rsa3072, rsa4096, p256, p384",
	 NULL},
	{"ca.name", "e-İmza Nitelikli Elektronik Sertifika Hizmet Sağlayıcısı",
	 "CA organisation name", NULL},
	{"ca.policy_oid", "2.16.792.1.2.1.1.5.7.1.1",
	 "NES certificate policy OID of the qualified certificates (a TLS/EV policy OID is "
	 "refused)",
	 NULL},
	{"ca.cps_url", "",
	 "CPS URI qualifier of the certificate policy (empty: <ca.public_url>/depo/sue-tr.txt)",
	 NULL},
	{"ca.policy_notice",
	 "Bu sertifika, 5070 sayılı Elektronik İmza Kanunu kapsamında nitelikli elektronik "
	 "sertifikadır.",
	 "user notice (explicitText, UTF8String, at most 200 characters) of the certificate "
	 "policy",
	 NULL},
	{"ca.qc_limit_try", "0",
	 "QcLimitValue of end-entity certificates in TRY (0: the statement is omitted)", NULL},
	{"ca.usage_restriction", "",
	 "usage restriction text (Turkish) written into the PKI disclosure statement "
	 "/depo/pds-tr.txt that QcPDS points to (empty: none beyond the standard text)",
	 NULL},
	{"ca.usage_restriction_en", "", "the same restriction in English, for /depo/pds-en.txt",
	 NULL},
	{"ca.ee_key_types", "rsa,p256,p384",
	 "subject key types the signer certifies: rsa (at least ca.min_rsa_bits), p256, p384",
	 NULL},
	{"ca.card_profiles", "0",
	 "1: the signer accepts the card profiles (key generated on a card the CA produced: "
	 "QcSSCD, QCP-n-qscd), and only from `eimza card produce` (its own signer, or a "
	 "ca.card_clients user of the signer service); 0: no card production",
	 NULL},
	{"ca.card_clients", "",
	 "eimza signer: users (names or uids, also in ca.signer_clients) whose connections may "
	 "ask for the card profiles: the user `eimza card produce` runs as, never the web "
	 "server's",
	 NULL},
	{"card.key_file", "",
	 "32-byte key that encrypts the cards' SO and transport PINs (empty: ca.dir/card.key; "
	 "made 0600 by the first `eimza card produce`; the web server must not read it)",
	 NULL},
	{"card.key_type", "p256", "key generated on a card: p256 or rsa2048", NULL},
	{"ca.public_url", "http://127.0.0.1:8080",
	 "base URL put in CRL DP, AIA, OCSP, CPS and QcPDS (<url>/depo/pds-tr.txt, pds-en.txt); "
	 "https (http only for 127.0.0.1/localhost)",
	 NULL},
	{"ca.key_storage", "pkcs11",
	 "where init puts the issuing and OCSP keys: pkcs11 (a token; a SoftHSM2 token in "
	 "ca.dir/token when ca.pkcs11_module is empty) or file (encrypted PKCS#8)",
	 NULL},
	{"ca.key_passphrase_file", "",
	 "passphrase file of encrypted CA key files (empty: ca.dir/keys.pass; the systemd "
	 "credential eimza-ca-passphrase wins)",
	 NULL},
	{"ca.pkcs11_module", "",
	 "PKCS#11 module of a real HSM (empty: ca.dir/keys.conf, the token made by init)", NULL},
	{"ca.pkcs11_uri", "", "PKCS#11 URI of the issuing CA key (pkcs11:token=T;object=O)", NULL},
	{"ca.pkcs11_ocsp_uri", "", "PKCS#11 URI of the OCSP responder key", NULL},
	{"ca.pkcs11_pin", "", "PKCS#11 user PIN (prefer ca.pkcs11_pin_file)", NULL},
	{"ca.pkcs11_pin_file", "",
	 "file holding the PKCS#11 user PIN (empty: keys.conf's; the systemd credential "
	 "eimza-ca-pin wins)",
	 NULL},
	{"ca.crl_hours", "24", "validity of the issuing CA's CRL (nextUpdate) in hours, 1..744",
	 NULL},
	{"ca.root_crl_days", "365",
	 "validity of the root CRL (`eimza ca ceremony ... root-crl`) in days, 1..3650", NULL},
	{"ca.ocsp_minutes", "240", "validity of a pre-signed OCSP response in minutes", NULL},
	{"ca.ocsp_days", "7",
	 "life of the OCSP responder certificate in days (the signer renews it while running)",
	 NULL},
	{"ca.ocsp_renew_before", "0",
	 "renew the OCSP responder certificate when fewer hours remain (0: at half its life)",
	 NULL},
	{"ca.ocsp_lifetime_minutes", "0",
	 "tests only: life of the OCSP responder certificate in minutes (0: ca.ocsp_days)", NULL},
	{"ca.min_rsa_bits", "2048",
	 "smallest RSA key accepted in a certificate request (never below 2048; 3072 is the "
	 "announced next minimum)",
	 NULL},
	{"ca.signer_user", "",
	 "system user the signer runs as when eimza starts as root (empty: no switch)", NULL},
	{"ca.signer_socket", "",
	 "Unix socket of the signer service `eimza signer` (empty: serve and the CLI fork "
	 "their own signer)",
	 NULL},
	{"ca.signer_clients", "",
	 "eimza signer: comma-separated user names or uids allowed to connect, besides the "
	 "signer's own uid",
	 NULL},
	{"audit.checkpoint_seconds", "300",
	 "serve: seconds between signed audit checkpoints when the trail changed (0: only at "
	 "shutdown)",
	 NULL},
	{"fees.lost_stolen", "170.00", "fee in TL owed for a Kayıp/Çalıntı application", NULL},
	{"fees.renewal", "0", "fee in TL for a renewal", NULL},
	{"fees.other", "0", "fee in TL for an additional certificate (Diğer)", NULL},
	{"fees.first", "0", "fee in TL for a first application", NULL},
	{"fees.iban", "TR00 0000 0000 0000 0000 0000 00",
	 "IBAN fees are paid to (the default is a demo value: set the real one)", NULL},
	{"fees.payee", "ÖRNEK ALICI (DEMO DEĞERİ)",
	 "payee (account holder) of fees.iban (the default is a demo value)", NULL},
	{"endorsement.days", "14", "days an institution endorsement link stays valid (1 to 90)",
	 NULL},
	{"contact.phones", "0262 648 1818 · 444 5 576", "CA phone numbers shown in the footer",
	 NULL},
	{"contact.postal_address", "e-İmza Sertifika Hizmetleri, PK 74, 41470 Gebze / Kocaeli",
	 "where wet-signed forms are posted", NULL},
	{"edevlet.issuer", "",
	 "OpenID Connect issuer of e-Devlet Kapısı (discovery at <issuer>/.well-known/"
	 "openid-configuration; empty: e-Devlet sign-in off)",
	 NULL},
	{"edevlet.client_id", "", "eimza's client id at the e-Devlet provider", NULL},
	{"edevlet.client_secret_file", "",
	 "file holding the client secret (client_secret_basic; first line)", NULL},
	{"edevlet.tckn_claim", "tckn", "ID token claim that carries the T.C. Kimlik No", NULL},
	{"card.pin_code_minutes", "10",
	 "life of a one-time PIN authorization from /bireysel/pin in minutes, 1..60", NULL},
	{"courier.api_token", "",
	 "bearer token of the courier API POST /api/v1/kurye/olay (at least 16 characters; empty: API off)",
	 NULL},
};

#define NKEYS (sizeof keys / sizeof keys[0])
static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;

static struct config_key *find_key(const char *key)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

/* Every value ever set stays allocated and reachable from this list: a
 * reader may still hold an old value, and keys are set a handful of times at
 * start-up, so nothing is freed (and nothing is reported as leaked). */
struct config_value {
	struct config_value *next;
	char text[];
};
static struct config_value *all_values;

int config_set(const char *key, const char *value)
{
	struct config_key *k = find_key(key);
	if (k == NULL)
		return -1;
	size_t n = strlen(value);
	struct config_value *v = malloc(sizeof *v + n + 1);
	if (v == NULL)
		return -1;
	memcpy(v->text, value, n + 1);
	pthread_mutex_lock(&config_lock);
	v->next = all_values;
	all_values = v;
	k->value = v->text;
	pthread_mutex_unlock(&config_lock);
	return 0;
}

const char *config_get(const char *key)
{
	struct config_key *k = find_key(key);
	assert(k != NULL && "config key missing from the table");
	if (k == NULL)
		return "";
	pthread_mutex_lock(&config_lock);
	const char *v = k->value ? k->value : k->dflt;
	pthread_mutex_unlock(&config_lock);
	return v;
}

int64_t config_get_int(const char *key)
{
	const char *v = config_get(key);
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno != 0 || end == v)
		return 0;
	return n;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int config_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: açılamadı: %s", path, strerror(errno));
		return -1;
	}
	char line[1024], section[64] = "";
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *e = strchr(s, ']');
			if (e == NULL || (size_t)(e - s - 1) >= sizeof section) {
				snprintf(err, errlen, "%s:%d: bölüm adı hatalı", path, lineno);
				rc = -1;
				break;
			}
			*e = '\0';
			snprintf(section, sizeof section, "%s", trim(s + 1));
			continue;
		}
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: 'anahtar = değer' bekleniyordu", path,
				 lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		char key[160];
		snprintf(key, sizeof key, "%s.%s", section, trim(s));
		if (config_set(key, trim(eq + 1)) != 0) {
			snprintf(err, errlen, "%s:%d: bilinmeyen ayar '%s'", path, lineno, key);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

void config_print(void *stream)
{
	FILE *f = stream;
	for (size_t i = 0; i < NKEYS; i++)
		fprintf(f, "  %-24s = %-28s  %s\n", keys[i].key,
			keys[i].value ? keys[i].value : keys[i].dflt, keys[i].help);
}
