/* `eimza card set-pin | unblock | record` (cardpin_cli.h).
 *
 * set-pin / unblock read, from standard input (a terminal: prompts on
 * standard error, no echo for PINs): the one-time authorization from
 * /bireysel/pin, then the new PIN twice. The new PIN is checked against
 * the rules (domain/pin.h) BEFORE the authorization is spent, so a weak PIN
 * never wastes it; then the authorization and the card's serial go to
 * <server>/api/v1/kart/pin for the transport PIN (set-pin) or the SO PIN
 * (unblock), which is used at once on the card and wiped. The new PIN never
 * leaves this computer. */
#include "app/cardpin_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "app/cardpin.h"
#include "app/cardtoken.h"
#include "domain/pin.h"
#include "identity/httpfetch.h"
#include "pki/pinseal.h"
#include "store/audit.h"
#include "util/cliactor.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/json.h"

#define LINE_MAX_LEN 128

/* One line of standard input without its newline; a terminal does not echo
 * it when secret. 0, or -1 at end of input or on a line too long. */
static int read_line(const char *prompt, int secret, char out[LINE_MAX_LEN])
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO), hidden = 0;
	if (tty) {
		fprintf(stderr, "%s", prompt);
		fflush(stderr);
		if (secret && tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			hidden = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
		}
	}
	char *got = fgets(out, LINE_MAX_LEN, stdin);
	if (hidden) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (got == NULL)
		return -1;
	size_t l = strcspn(out, "\r\n");
	if (out[l] == '\0' && l == LINE_MAX_LEN - 1)
		return -1; /* no newline within the bound */
	out[l] = '\0';
	return 0;
}

struct setpin_opts {
	const char *module, *server;
	long slot;
	int insecure_loopback;
};

static int parse_opts(int argc, char **argv, struct setpin_opts *o)
{
	memset(o, 0, sizeof *o);
	o->slot = -1;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--module") == 0 && i + 1 < argc) {
			o->module = argv[++i];
		} else if (strcmp(argv[i], "--server") == 0 && i + 1 < argc) {
			o->server = argv[++i];
		} else if (strcmp(argv[i], "--slot") == 0 && i + 1 < argc) {
			char *end;
			errno = 0;
			o->slot = strtol(argv[++i], &end, 10);
			if (errno || *end || end == argv[i] || o->slot < 0) {
				fprintf(stderr, "eimza card: geçersiz yuva '%s'\n", argv[i]);
				return -1;
			}
		} else if (strcmp(argv[i], "--insecure-loopback") == 0) {
			o->insecure_loopback = 1;
		} else {
			fprintf(stderr, "eimza card: bilinmeyen seçenek '%s'\n", argv[i]);
			return -1;
		}
	}
	if (o->module == NULL || o->server == NULL) {
		fprintf(stderr, "eimza card %s: --module ve --server gerekir\n", argv[1]);
		return -1;
	}
	return 0;
}

/* Asks the server for the PIN of purpose; 0 with the PIN in pin, or -1
 * (message printed). */
static int exchange(const struct setpin_opts *o, const char *code, const char *serial,
		    enum pin_purpose purpose, char pin[PKI_PIN_MAX + 1])
{
	char url[1024], err[512] = "";
	size_t sl = strlen(o->server);
	while (sl > 0 && o->server[sl - 1] == '/')
		sl--;
	if (snprintf(url, sizeof url, "%.*s/api/v1/kart/pin", (int)sl, o->server) >=
	    (int)sizeof url) {
		fprintf(stderr, "eimza card: sunucu adresi çok uzun\n");
		return -1;
	}
	if (!httpfetch_url_ok(url, o->insecure_loopback)) {
		fprintf(stderr, "eimza card: sunucu adresi https:// ile başlamalıdır%s\n",
			o->insecure_loopback ? " (ya da http://127.0.0.1)" : "");
		return -1;
	}
	buf form, ans, val;
	buf_init(&form, 1024);
	buf_init(&ans, 16384);
	buf_init(&val, 1024);
	long status = 0;
	int rc = -1;
	buf_puts(&form, "yetki=");
	httpfetch_append_encoded(&form, code);
	buf_puts(&form, "&kart_seri=");
	httpfetch_append_encoded(&form, serial);
	if (form.err || buf_putc(&form, '\0') != 0)
		goto out;
	struct httpfetch f = {.url = url,
			      .form = form.data,
			      .allow_loopback_http = o->insecure_loopback};
	if (httpfetch_do(&f, &ans, &status, err, sizeof err) != 0) {
		fprintf(stderr, "eimza card: sunucuya ulaşılamadı: %s\n", err);
		goto out;
	}
	if (status != 200) {
		if (json_get_string(ans.data, ans.len, "hata", &val) == 0 && val.data != NULL)
			fprintf(stderr, "eimza card: sunucu reddetti: %s\n", val.data);
		else
			fprintf(stderr, "eimza card: sunucu HTTP %ld yanıtı verdi\n", status);
		goto out;
	}
	if (json_get_string(ans.data, ans.len, "islem", &val) != 0 || val.data == NULL ||
	    strcmp(val.data, pin_purpose_names[purpose]) != 0) {
		fprintf(stderr, "eimza card: bu yetki kodu %s içindir\n",
			purpose == PIN_PURPOSE_SET ? "Kilit Çözme" : "PIN Belirleme");
		goto out;
	}
	if (json_get_string(ans.data, ans.len, "pin", &val) != 0 || val.data == NULL ||
	    !pki_pin_plausible(val.data, val.len)) {
		fprintf(stderr, "eimza card: sunucunun yanıtı anlaşılamadı\n");
		goto out;
	}
	memcpy(pin, val.data, val.len + 1);
	rc = 0;
out:
	if (ans.data != NULL)
		sodium_memzero(ans.data, ans.len);
	if (val.data != NULL)
		sodium_memzero(val.data, val.len);
	buf_free(&form);
	buf_free(&ans);
	buf_free(&val);
	return rc;
}

/* The new PIN, typed twice and checked against the rules. */
static int read_new_pin(char pin[LINE_MAX_LEN])
{
	char again[LINE_MAX_LEN];
	int rc = -1;
	if (read_line("Yeni PIN (6 rakam): ", 1, pin) != 0 ||
	    read_line("Yeni PIN (tekrar): ", 1, again) != 0) {
		fprintf(stderr, "eimza card: PIN okunamadı\n");
		goto out;
	}
	enum pin_problem p = pin_check(pin);
	if (p != PIN_OK) {
		fprintf(stderr, "eimza card: %s\n", pin_problem_message(p));
		goto out;
	}
	if (strcmp(pin, again) != 0) {
		fprintf(stderr, "eimza card: iki PIN aynı değil\n");
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(again, sizeof again);
	return rc;
}

static int cmd_set_pin(int argc, char **argv, enum pin_purpose purpose)
{
	struct setpin_opts o;
	char err[512] = "", line[LINE_MAX_LEN], code[PIN_CODE_LEN + 1], newpin[LINE_MAX_LEN];
	char card_pin[PKI_PIN_MAX + 1] = "";
	struct cardtoken *t = NULL;
	int rc = 1;
	if (parse_opts(argc, argv, &o) != 0)
		return 2;
	if ((t = cardtoken_open(o.module, o.slot, err, sizeof err)) == NULL) {
		fprintf(stderr, "eimza card: %s\n", err);
		return 1;
	}
	if (read_line("Yetki kodu: ", 0, line) != 0 || pin_code_normalize(line, code) != 0) {
		fprintf(stderr, "eimza card: yetki kodu XXXX-XXXX-XXXX-XXXX biçiminde olmalıdır\n");
		goto out;
	}
	if (read_new_pin(newpin) != 0)
		goto out;
	if (exchange(&o, code, cardtoken_serial(t), purpose, card_pin) != 0)
		goto out;
	int ok = purpose == PIN_PURPOSE_SET
			 ? cardtoken_set_pin(t, card_pin, newpin, err, sizeof err)
			 : cardtoken_unblock(t, card_pin, newpin, err, sizeof err);
	if (ok != 0) {
		fprintf(stderr, "eimza card: %s\n", err);
		goto out;
	}
	printf(purpose == PIN_PURPOSE_SET
		       ? "PIN'iniz belirlendi.\n"
		       : "Kartınızın kilidi çözüldü ve yeni PIN'iniz belirlendi.\n");
	rc = 0;
out:
	sodium_memzero(line, sizeof line);
	sodium_memzero(code, sizeof code);
	sodium_memzero(newpin, sizeof newpin);
	sodium_memzero(card_pin, sizeof card_pin);
	cardtoken_close(t);
	return rc;
}

/* `card record APPLICATION --token-serial S`: the transport PIN and the SO
 * PIN from standard input (two lines), sealed and stored for the card. */
static int cmd_record(db *d, int argc, char **argv)
{
	const char *number = NULL, *serial = NULL;
	char tpin[LINE_MAX_LEN], sopin[LINE_MAX_LEN], err[512] = "";
	unsigned char ts[PKI_PINSEAL_MAX], ss[PKI_PINSEAL_MAX];
	size_t tl = 0, sl = 0;
	int rc = 1;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--token-serial") == 0 && i + 1 < argc)
			serial = argv[++i];
		else if (number == NULL && argv[i][0] != '-')
			number = argv[i];
		else {
			fprintf(stderr, "eimza card record: bilinmeyen seçenek '%s'\n", argv[i]);
			return 2;
		}
	}
	if (number == NULL || serial == NULL || serial[0] == '\0' || strlen(serial) > 16) {
		fprintf(stderr, "kullanım: eimza card record BAŞVURU_NO --token-serial SERİ\n");
		return 2;
	}
	if (read_line("Taşıma PIN'i: ", 1, tpin) != 0 || read_line("SO PIN: ", 1, sopin) != 0) {
		fprintf(stderr, "eimza card record: PIN'ler okunamadı\n");
		goto wipe;
	}
	const char *dir = config_get("ca.dir");
	if (pki_pinseal_seal(dir, tpin, ts, &tl, err, sizeof err) != 0 ||
	    pki_pinseal_seal(dir, sopin, ss, &sl, err, sizeof err) != 0) {
		fprintf(stderr, "eimza card record: %s\n", err);
		goto wipe;
	}
	struct cli_actor who;
	cli_actor_get(&who);
	int64_t id = 0;
	int64_t now = clock_now();
	if (db_begin(d) != 0)
		goto wipe;
	int found = cardpin_application_id(d, number, &id);
	int stored = found == 0 ? cardpin_store(d, id, serial, ts, tl, ss, sl, now) : -1;
	if (found == 0 && stored == 0 &&
	    audit_append(d, &(struct audit_entry){.actor = who.actor,
						  .object = number,
						  .action = "card_pins_recorded",
						  .detail = serial}) == 0 &&
	    db_commit(d) == 0) {
		printf("Başvuru %s için kart %s PIN'leri mühürlenerek kaydedildi.\n", number,
		       serial);
		rc = 0;
		goto wipe;
	}
	db_rollback(d);
	fprintf(stderr, "eimza card record: %s\n",
		found == 1    ? "böyle bir başvuru yok"
		: stored == 1 ? "bu başvurunun kartı zaten kayıtlı"
			      : db_errmsg(d));
wipe:
	sodium_memzero(tpin, sizeof tpin);
	sodium_memzero(sopin, sizeof sopin);
	return rc;
}

int app_cardpin_cli_needs_db(int argc, char **argv)
{
	return argc >= 2 && strcmp(argv[1], "record") == 0;
}

int app_cardpin_cli_main(db *d, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "set-pin") == 0)
		return cmd_set_pin(argc, argv, PIN_PURPOSE_SET);
	if (argc >= 2 && strcmp(argv[1], "unblock") == 0)
		return cmd_set_pin(argc, argv, PIN_PURPOSE_UNBLOCK);
	if (argc >= 2 && strcmp(argv[1], "record") == 0 && d != NULL)
		return cmd_record(d, argc, argv);
	fprintf(stderr,
		"kullanım: eimza card set-pin|unblock --module YOL [--slot N] --server URL\n"
		"          eimza card record BAŞVURU_NO --token-serial SERİ\n");
	return 2;
}
