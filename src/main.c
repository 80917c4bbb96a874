/* eimza: the command-line entry point.
 *
 *   eimza [--db URL] [--config FILE] COMMAND [ARGS]
 *
 * Each command is a short function that loads the configuration, opens the
 * store and calls into the module that does the work. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/audit_check.h"
#include "app/cli.h"
#include "app/demo_holder.h"
#include "app/db_cli.h"
#include "app/card.h"
#include "http/http.h"
#include "notify/outbox.h"
#include "notify/reminders.h"
#include "notify/worker_once.h"
#include "app/signin.h"
#include "pki/checkpoint.h"
#include "pki/nes_policy.h"
#include "pki/pki.h"
#include "pki/sandbox.h"
#include "pki/signer.h"
#include "store/db.h"
#include "store/meta.h"
#include "store/staff_seal.h"
#include "store/staff.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"
#include "app/cardpin_cli.h"
#include "web/apply.h"
#include "web/console.h"
#include "web/web.h"

/* How often the expiry reminders are looked for (seconds). */
#define REMINDER_PERIOD 3600

struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static const struct cmd *find_cmd(const char *name);
static void usage_all(FILE *f);

static int want_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

static void print_cmd_help(const struct cmd *c)
{
	printf("kullanım: eimza [--db URL] [--config DOSYA] %s\n\n%s\n", c->usage, c->help);
}

/* Opens the configured database and applies pending migrations. */
static db *open_store(void)
{
	char err[256] = "";
	const char *url = config_get("database.url");
	if (strncmp(url, "postgres", 8) != 0) {
		/* SQLite: make sure the folder of the file exists. */
		char dir[1024];
		snprintf(dir, sizeof dir, "%s", url);
		char *slash = strrchr(dir, '/');
		if (slash != NULL) {
			*slash = '\0';
			if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
				fprintf(stderr, "eimza: %s klasörü oluşturulamadı: %s\n", dir,
					strerror(errno));
				return NULL;
			}
		}
	}
	db *d = db_open(url, err, sizeof err);
	if (d == NULL) {
		fprintf(stderr, "eimza: veritabanı açılamadı (%s): %s\n", url, err);
		return NULL;
	}
	if (db_migrate(d) != 0) {
		fprintf(stderr, "eimza: veritabanı şeması güncellenemedi: %s\n", db_errmsg(d));
		db_close(d);
		return NULL;
	}
	/* TOTP secrets from before issue 12 are sealed at rest now. */
	if (staff_totp_seal_all(d) < 0) {
		fprintf(stderr, "eimza: personel TOTP anahtarları şifrelenemedi: %s\n",
			db_errmsg(d));
		db_close(d);
		return NULL;
	}
	return d;
}

/* 1 if `dir` already holds an issuing CA certificate (init is idempotent). */
static int ca_exists(const char *dir)
{
	char path[1024];
	struct stat st;
	snprintf(path, sizeof path, "%s/issuing.pem", dir);
	return stat(path, &st) == 0;
}

static int cmd_init(int argc, char **argv)
{
	int demo = 0;
	struct pki_ca_opts ca = {.key_type = config_get("ca.key_type")};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0) {
			demo = 1;
		} else if (strcmp(argv[i], "--key-storage") == 0 && i + 1 < argc) {
			ca.storage = argv[++i];
		} else if (strcmp(argv[i], "--root-out") == 0 && i + 1 < argc) {
			ca.root_out = argv[++i];
		} else {
			fprintf(stderr, "eimza init: bilinmeyen seçenek '%s'\n", argv[i]);
			return 2;
		}
	}
	char perr[512];
	if (pki_policy_config_check(perr, sizeof perr) != 0) {
		fprintf(stderr, "eimza init: yapılandırma reddedildi: %s\n", perr);
		return 1;
	}
	db *d = open_store();
	if (d == NULL)
		return 1;
	int rc = 1;
	if (store_load_refdata(d) != 0) {
		fprintf(stderr, "eimza init: il/ilçe verisi yüklenemedi: %s\n", db_errmsg(d));
		goto out;
	}
	char err[512] = "";
	const char *ca_dir = config_get("ca.dir");
	if (ca_exists(ca_dir)) {
		printf("Sertifika hizmet sağlayıcı anahtarları zaten var: %s\n", ca_dir);
		/* A CA directory from before audit checkpoints gets its key. */
		if (pki_audit_key_ensure(ca_dir, err, sizeof err) != 0) {
			fprintf(stderr, "eimza init: denetim anahtarı oluşturulamadı: %s\n", err);
			goto out;
		}
	} else if (pki_ca_create_with(ca_dir, &ca, err, sizeof err) != 0) {
		fprintf(stderr, "eimza init: SM hiyerarşisi oluşturulamadı: %s\n", err);
		goto out;
	} else {
		printf("Kök ve alt SM ile OCSP sertifikaları oluşturuldu: %s\n", ca_dir);
		pki_print_offline_notice(ca_dir, ca.root_out);
	}
	/* Run as root with ca.signer_user set: the keys become the signer's. */
	const char *signer_user = config_get("ca.signer_user");
	if (geteuid() == 0 && signer_user[0] != '\0') {
		if (sandbox_give_ca_dir(ca_dir, signer_user, err, sizeof err) != 0) {
			fprintf(stderr, "eimza init: SM dizini %s kullanıcısına verilemedi: %s\n",
				signer_user, err);
			goto out;
		}
		printf("SM anahtarları ve günlüğü yalnızca %s kullanıcısınca okunabilir: %s\n",
		       signer_user, ca_dir);
	}
	if (demo) {
		if (store_demo_seed(d, stdout) != 0) {
			fprintf(stderr, "eimza init: örnek veri yüklenemedi: %s\n", db_errmsg(d));
			goto out;
		}
		if (web_demo_staff(d, stdout) != 0)
			goto out;
		if (demo_holder_seed(d, stdout) != 0)
			goto out;
		/* Only a demo database may be served with --dev. */
		if (store_mark_dev(d) != 0) {
			fprintf(stderr,
				"eimza init: veritabanı geliştirme için işaretlenemedi: %s\n",
				db_errmsg(d));
			goto out;
		}
	}
	printf("Veritabanı hazır: %s\n", config_get("database.url"));
	rc = 0;
out:
	db_close(d);
	return rc;
}

/* serve and its signer (docs/protocol.md, "Start, stop and death"): the
 * signer is started once, before any thread and any network input; when it
 * dies, serve stops with status 1 and systemd starts both again. */
static atomic_int serve_listening, serve_signer_died, serve_worker;

static void on_signer_death(void)
{
	atomic_store(&serve_signer_died, 1);
	if (atomic_load(&serve_listening))
		kill(getpid(), SIGTERM); /* server_run stops as on SIGTERM */
}

/* Bound to its port, nothing read from the network yet: started as root
 * with server.user set, the web process becomes that user (the signer is
 * already running as ca.signer_user); then the notification worker starts. */
static int on_listening(void)
{
	const char *user = config_get("server.user");
	char err[256];
	if (geteuid() == 0 && user[0] != '\0') {
		if (sandbox_become_user(user, err, sizeof err) != 0) {
			fprintf(stderr, "eimza serve: kullanıcı değiştirilemedi: %s\n", err);
			return -1;
		}
		log_info("serve: running as %s", user);
	} else if (geteuid() == 0) {
		log_warn("serve: running as root (set server.user, docs/SECURITY.md)");
	}
	if (atomic_load(&serve_worker) && outbox_worker_start(config_get("database.url")) != 0) {
		fprintf(stderr, "eimza serve: bildirim kuyruğu başlatılamadı\n");
		return -1;
	}
	atomic_store(&serve_listening, 1);
	return atomic_load(&serve_signer_died) ? -1 : 0;
}

static int cmd_serve(int argc, char **argv)
{
	int dev = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dev") == 0) {
			dev = 1;
		} else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			config_set("server.listen", argv[++i]);
		} else {
			fprintf(stderr, "eimza serve: bilinmeyen seçenek '%s'\n", argv[i]);
			return 2;
		}
	}
	db *d = open_store();
	if (d == NULL)
		return 1;
	if (store_load_refdata(d) != 0) {
		fprintf(stderr, "eimza serve: il/ilçe verisi yüklenemedi\n");
		db_close(d);
		return 1;
	}
	if (dev && store_is_dev(d) != 1) {
		fprintf(stderr,
			"eimza serve: --dev yalnızca 'eimza init --demo' ile kurulmuş bir "
			"geliştirme veritabanıyla çalışır; %s öyle bir veritabanı değil. "
			"Sunucu başlatılmadı.\n",
			config_get("database.url"));
		db_close(d);
		return 1;
	}
	db_close(d);

	const char *ca_dir = config_get("ca.dir");
	/* The signer is forked before any thread starts and before any network
	 * input is read: the serving process never holds a CA private key. */
	if (pki_init(ca_dir) != 0) {
		fprintf(stderr,
			"eimza serve: SM imzalayıcı başlatılamadı (%s). "
			"Önce 'eimza init' çalıştırın.\n",
			ca_dir);
		return 1;
	}
	signer_on_death(on_signer_death);
	if (signer_watch() != 0) {
		pki_shutdown();
		return 1;
	}
	db_global_init(config_get("database.url"));
	notify_set_dev(dev);
	web_register_routes(dev);

	int worker = config_get_int("server.worker") != 0;
	if (worker) {
		outbox_worker_add_job(reminders_job, REMINDER_PERIOD);
		outbox_worker_add_job(signin_purge_job, SIGNIN_PURGE_PERIOD);
	}
	atomic_store(&serve_worker, worker);
	/* Signed audit checkpoints (issue 9): periodic, and one at shutdown. */
	pki_checkpoint_timer_start(config_get_int("audit.checkpoint_seconds"));
	struct server_opts o = {
		.listen = config_get("server.listen"),
		.dev = dev,
		.threads = (unsigned)config_get_int("server.threads"),
		.max_body = (size_t)config_get_int("server.max_body"),
		.max_fields = (size_t)config_get_int("server.max_fields"),
		.session_idle = (int)config_get_int("server.session_idle"),
		.session_max = (int)config_get_int("server.session_max"),
		.tls_cert = config_get("server.tls_cert"),
		.tls_key = config_get("server.tls_key"),
		.on_listening = on_listening,
	};
	int rc = server_run(&o);
	if (worker)
		outbox_worker_stop();
	pki_checkpoint_timer_stop();
	pki_shutdown();
	if (atomic_load(&serve_signer_died)) {
		log_error("serve: stopped because the signer is gone (status 1)");
		return 1;
	}
	return rc == 0 ? 0 : 1;
}

static volatile sig_atomic_t worker_stop;

static void on_worker_signal(int sig)
{
	(void)sig;
	worker_stop = 1;
}

/* `worker --once [--today YYYY-MM-DD]`: one round, then exit. */
static int worker_round(const char *today)
{
	int64_t now = clock_now(), as_of = today ? worker_once_moment(today) : now;
	if (as_of == 0) {
		fprintf(stderr, "eimza worker: --today bir tarih olmalı (YYYY-AA-GG): '%s'\n",
			today);
		return 2;
	}
	db *d = open_store();
	if (d == NULL)
		return 1;
	int rc = worker_once(d, as_of, now, stdout);
	if (rc == 0)
		signin_purge_job(d, now);
	db_close(d);
	return rc == 0 ? 0 : 1;
}

static int cmd_worker(int argc, char **argv)
{
	int once = 0;
	const char *today = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0) {
			once = 1;
		} else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
			today = argv[++i];
		} else {
			fprintf(stderr, "eimza worker: bilinmeyen seçenek '%s'\n", argv[i]);
			return 2;
		}
	}
	if (today != NULL && !once) {
		fprintf(stderr, "eimza worker: --today yalnızca --once ile kullanılır\n");
		return 2;
	}
	if (once)
		return worker_round(today);
	db *d = open_store();
	if (d == NULL)
		return 1;
	db_close(d);
	db_global_init(config_get("database.url"));
	signal(SIGINT, on_worker_signal);
	signal(SIGTERM, on_worker_signal);
	outbox_worker_add_job(reminders_job, REMINDER_PERIOD);
	outbox_worker_add_job(signin_purge_job, SIGNIN_PURGE_PERIOD);
	if (outbox_worker_start(config_get("database.url")) != 0) {
		fprintf(stderr, "eimza worker: bildirim kuyruğu başlatılamadı\n");
		return 1;
	}
	log_info("worker: running (outbox and scheduler)");
	while (!worker_stop)
		pause();
	outbox_worker_stop();
	return 0;
}

static int cmd_import(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr,
			"kullanım: eimza import registry|institutions|personnel DOSYA.csv\n");
		return 2;
	}
	db *d = open_store();
	if (d == NULL)
		return 1;
	char err[512] = "";
	long rows = 0;
	struct cli_actor who;
	cli_actor_get(&who);
	int rc = cli_import(d, &who, argv[1], argv[2], err, sizeof err, &rows);
	if (rc != 0) {
		fprintf(stderr, "eimza import: %s: %s\n", argv[2], err);
		fprintf(stderr, "eimza import: hiçbir satır içe aktarılmadı.\n");
	} else {
		printf("%s: %ld satır içe aktarıldı (%s).\n", argv[2], rows, argv[1]);
	}
	db_close(d);
	return rc == 0 ? 0 : 1;
}

/* Reads one line from stdin into pw (for `user add` when stdin is not a
 * terminal). Strips the newline. */
static int read_password_stdin(char *pw, size_t n)
{
	if (fgets(pw, (int)n, stdin) == NULL)
		return -1;
	pw[strcspn(pw, "\r\n")] = '\0';
	return 0;
}

static int cmd_user(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "add") != 0) {
		fprintf(stderr, "kullanım: eimza user add KULLANICI --role yetkili|operator|admin "
				"[--scope YETKI_BIRIMI]\n");
		return 2;
	}
	const char *username = argv[2], *scope = NULL;
	int role = -1;
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc) {
			role = staff_role_parse(argv[++i]);
		} else if (strcmp(argv[i], "--scope") == 0 && i + 1 < argc) {
			scope = argv[++i];
		} else {
			fprintf(stderr, "eimza user add: bilinmeyen seçenek '%s'\n", argv[i]);
			return 2;
		}
	}
	if (role < 0) {
		fprintf(stderr, "eimza user add: --role yetkili, operator veya admin olmalıdır\n");
		return 2;
	}
	char pw[256];
	int generated = isatty(STDIN_FILENO);
	if (generated)
		staff_password_generate(pw, sizeof pw);
	else if (read_password_stdin(pw, sizeof pw) != 0) {
		fprintf(stderr, "eimza user add: standart girdiden parola okunamadı\n");
		return 1;
	}
	db *d = open_store();
	if (d == NULL) {
		sodium_memzero(pw, sizeof pw);
		return 1;
	}
	char err[512] = "";
	struct cli_actor who;
	cli_actor_get(&who);
	int rc = cli_user_add(d, &who, username, (enum staff_role)role, scope, pw, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "eimza user add: %s\n", err);
	else if (generated)
		printf("Kullanıcı %s (%s) oluşturuldu. Parola (bir kez gösterilir): %s\n", username,
		       staff_role_name((enum staff_role)role), pw);
	else
		printf("Kullanıcı %s (%s) oluşturuldu.\n", username,
		       staff_role_name((enum staff_role)role));
	sodium_memzero(pw, sizeof pw);
	db_close(d);
	return rc == 0 ? 0 : 1;
}

static int cmd_ca(int argc, char **argv)
{
	db *d = open_store();
	if (d == NULL)
		return 1;
	db_close(d);
	db_global_init(config_get("database.url"));
	apply_register_pki_hooks();
	return pki_cli_main(argc, argv);
}

static int cmd_db(int argc, char **argv)
{
	return app_db_cli_main(argc, argv);
}

static int cmd_audit(int argc, char **argv)
{
	return app_audit_cli_main(argc, argv);
}

/* The holder's card (issue 14): set-pin and unblock run on the holder's
 * computer without a database; record stores a card's sealed PINs. */
static int cmd_card(int argc, char **argv)
{
	/* produce: at the CA, with the card reader (app/card_cli.c). */
	if (argc >= 2 && strcmp(argv[1], "produce") == 0) {
		db *d = open_store(); /* migrations applied before the signer starts */
		if (d == NULL)
			return 1;
		db_close(d);
		return app_card_cli_main(argc, argv);
	}
	db *d = NULL;
	if (app_cardpin_cli_needs_db(argc, argv) && (d = open_store()) == NULL)
		return 1;
	int rc = app_cardpin_cli_main(d, argc, argv);
	if (d != NULL)
		db_close(d);
	return rc;
}

/* The signer as its own service (ca.signer_socket; signer_service.c). */
static int cmd_signer(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
			config_set("ca.signer_socket", argv[++i]);
		} else {
			fprintf(stderr, "eimza signer: bilinmeyen seçenek '%s'\n", argv[i]);
			return 2;
		}
	}
	if (config_get("ca.signer_socket")[0] == '\0') {
		fprintf(stderr, "eimza signer: soket yok (ca.signer_socket ya da --socket)\n");
		return 2;
	}
	return signer_service_run(config_get("ca.signer_socket"), config_get("ca.dir"));
}

static const struct cmd cmds[] = {
	{"init", cmd_init, "init [--demo] [--key-storage pkcs11|file] [--root-out KLASOR]",
	 "Veritabanını (var/eimza.db) ve SM anahtar hiyerarşisini (var/ca) oluşturur, il/ilçe\n"
	 "verisini yükler. --demo: örnek nüfus kaydı, kurumlar, personel ve personel hesapları\n"
	 "ekler ve giriş bilgilerini yazdırır. Veren SM ve OCSP anahtarları varsayılan olarak\n"
	 "bir PKCS#11 jetonunda üretilir (ayarlı modül yoksa var/ca/token içinde SoftHSM2);\n"
	 "--key-storage file: parolayla şifreli PKCS#8 dosyaları. Kök anahtar şifreli olarak\n"
	 "var/ca/offline (ya da --root-out KLASOR) içine yazılır ve çevrim dışına taşınmalıdır."},
	{"serve", cmd_serve, "serve [--listen HOST:PORT] [--dev]",
	 "Portalı, konsolu, depo/CRL/OCSP ve API'yi sunar (varsayılan 127.0.0.1:8080).\n"
	 "--dev: yalnızca loopback adreste ve 'init --demo' ile kurulmuş bir veritabanıyla\n"
	 "çalışır; /dev/outbox, /dev/outbox.json ve /dev/captcha yollarını ekler, SMS ve\n"
	 "e-postaları ağa göndermez. Port kullanımdaysa sunucu başlamaz (çıkış kodu 1)."},
	{"signer", cmd_signer, "signer [--socket YOL]",
	 "İmzalayıcıyı ayrı bir hizmet olarak çalıştırır: ca.signer_socket Unix soketini dinler,\n"
	 "bağlananın kullanıcı kimliğini (SO_PEERCRED) ca.signer_clients ile denetler ve her\n"
	 "bağlantı için anahtarları yükleyen, korumalı alanda çalışan bir imzalayıcı başlatır.\n"
	 "serve ve ca komutları ca.signer_socket ayarlıysa kendi imzalayıcılarını başlatmaz,\n"
	 "bu hizmete bağlanır (root olmadan iki systemd birimi, docs/SECURITY.md)."},
	{"worker", cmd_worker, "worker [--once [--today YYYY-AA-GG]]",
	 "Bildirim kuyruğunu (e-posta/SMS) ve zamanlanmış işleri ayrı bir süreçte çalıştırır\n"
	 "(serve'ü server.worker = 0 ile çalıştıran kurulumlar için).\n"
	 "--once: işleri bir kez çalıştırıp çıkar (cron, test ve tanıtım için). --today: süre\n"
	 "sonu hatırlatmalarını (3 ay ve 25 gün kala) bu tarihte çalışıyormuş gibi hesaplar;\n"
	 "ör. eimza worker --once --today 2027-11-20."},
	{"import", cmd_import, "import registry|institutions|personnel DOSYA.csv",
	 "UTF-8 CSV içe aktarır (başlık satırı zorunlu). Dosya tek işlemdir: hatalı bir satır\n"
	 "satır ve alan adıyla bildirilir ve hiçbir satır alınmaz. Yeniden aktarım günceller.\n"
	 "  registry:     tckn,ad,soyad,dogum_yeri,dogum_tarihi\n"
	 "  institutions: kurum_kodu,kurum_adi,il_kodu,ilce,adres,posta_kodu,resmi_eposta,"
	 "yetki_birimi\n"
	 "  personnel:    tckn,sicil_no,kurum_kodu,unvan,birim"},
	{"user", cmd_user, "user add KULLANICI --role yetkili|operator|admin [--scope BIRIM]",
	 "Personel hesabı ekler (ya da parolasını yeniler). Parola, standart girdi bir terminal\n"
	 "değilse oradan okunur; değilse üretilir ve bir kez yazdırılır. yetkili rolü için\n"
	 "--scope yetki birimini (ör. ZONGULDAK-MEM) belirtir."},
	{"audit", cmd_audit, "audit verify|checkpoint",
	 "verify: denetim kaydı zincirini baştan sona doğrular; değiştirilmiş, silinmiş ya da\n"
	 "araya eklenmiş ilk kaydı bildirir. Sonra en yeni imzalı kontrol noktasını denetim\n"
	 "açık anahtarıyla (ca.dir/audit.pub) doğrular: sondan silinmiş ya da değiştirilip\n"
	 "zinciri yeniden hesaplanmış kayıtları bildirir. Çıkış kodu: 0 sağlam, 1 bozuk, 2 hata.\n"
	 "checkpoint: imzalayıcıya şimdi bir kontrol noktası imzalatır (kayıt sayısı ve son\n"
	 "kaydın özeti)."},
	{"db", cmd_db, "db migrate | db copy --from sqlite:YOL --to postgresql://...",
	 "migrate: bekleyen şema göçlerini --db / database.url veritabanına uygular.\n"
	 "copy: tek makinelik bir kurulumun SQLite veritabanını boş bir veritabanına (ör.\n"
	 "PostgreSQL) bütün tablolarıyla tek işlemde kopyalar; dolu hedefi reddeder, sonra\n"
	 "her tablonun satır sayısını iki tarafta karşılaştırır. Ardından: eimza audit verify."},
	{"ca", cmd_ca, "ca create|import|issue|revoke|hold|release|crl|reconcile|ceremony ...",
	 "Sertifika hizmet sağlayıcı işlemleri; ayrıntı için: eimza ca --help"},
	{"card", cmd_card,
	 "card produce BASVURU_NO|--queued --module MODUL [--slot N]\n"
	 "  card set-pin|unblock --module YOL [--slot N] --server URL [--insecure-loopback]\n"
	 "  card record BAŞVURU_NO --token-serial SERİ",
	 "produce: kartı (herhangi bir PKCS#11 jetonu) rastgele 8 haneli SO PIN ve 6\n"
	 "haneli taşıma PIN'i ile başlatır, anahtar çiftini kartta üretir (dışarı\n"
	 "çıkarılamaz), isteği kartta imzalar, sertifikayı nitelikli cihaz profiliyle\n"
	 "(QcSSCD, QCP-n-qscd) verdirir, karta yazar, kartın seri numarasını kaydeder ve\n"
	 "başvuruyu 'üretildi' yapar. --queued: konsolda kuyruğa alınan en eski başvuru.\n"
	 "PIN'ler yazdırılmaz; kart anahtarıyla (card.key_file) ve imzalayıcının PIN\n"
	 "anahtarıyla (pin-seal) şifreli saklanır. Başarısız bir üretim kartı boş bırakır,\n"
	 "başvuru durumunu değiştirmez. ca.card_profiles = 1 gerekir; imzalayıcı\n"
	 "hizmetiyle bu kullanıcı ca.card_clients içinde olmalıdır.\n"
	 "set-pin: kart okuyucunun takılı olduğu bilgisayarda, /bireysel/pin sayfasından alınan\n"
	 "tek kullanımlık yetki kodunu ve yeni 6 haneli PIN'i (iki kez) standart girdiden okur;\n"
	 "PIN kurallarını denetler, yetki kodunu sunucuda (HTTPS) kartın taşıma PIN'iyle\n"
	 "değiştirir ve kartın PIN'ini değiştirir (C_SetPIN). Yeni PIN sunucuya gönderilmez.\n"
	 "unblock (Kilit Çözme): aynı yolla SO PIN'i alır ve yeni PIN'i SO olarak yazar\n"
	 "(C_InitPIN). --slot: PKCS#11 yuva kimliği (varsayılan: takılı tek kart).\n"
	 "--insecure-loopback: yalnızca testler için http://127.0.0.1 sunucusuna izin verir.\n"
	 "record: SM tarafında, bir kartın taşıma PIN'ini ve SO PIN'ini (standart girdiden iki\n"
	 "satır) ca.dir/pin-seal.pub anahtarına mühürleyip başvurunun kartı olarak kaydeder."},
};

#define NCMDS (sizeof cmds / sizeof cmds[0])

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

static void usage_all(FILE *f)
{
	fprintf(f, "kullanım: eimza [--db URL] [--config DOSYA] KOMUT [SEÇENEKLER]\n\nKomutlar:\n");
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %s\n", cmds[i].usage);
	fprintf(f, "\nOrtak seçenekler:\n"
		   "  --db URL        SQLite dosyası (varsayılan var/eimza.db) ya da\n"
		   "                  postgresql://... adresi\n"
		   "  --config DOSYA  INI ayar dosyası (bkz. docs/CONFIG.md)\n"
		   "  --help          yardım (her komutla da kullanılabilir)\n");
}

/* Removes the global options (--db, --config) wherever they appear and
 * applies them; returns the new argc. Flags override the config file, so the
 * file is loaded first. */
static int take_global_options(int argc, char **argv)
{
	const char *db_url = NULL, *config_path = NULL;
	int out = 1;
	for (int i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--config") == 0) &&
		    i + 1 < argc) {
			if (argv[i][2] == 'd')
				db_url = argv[i + 1];
			else
				config_path = argv[i + 1];
			i++;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	if (config_path != NULL) {
		char err[512];
		if (config_load(config_path, err, sizeof err) != 0) {
			fprintf(stderr, "eimza: %s\n", err);
			return -1;
		}
	}
	if (db_url != NULL)
		config_set("database.url", db_url);
	db_set_statement_timeout((int)config_get_int("database.statement_timeout_ms"));
	return out;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "eimza: libsodium başlatılamadı\n");
		return 1;
	}
	argc = take_global_options(argc, argv);
	if (argc < 0)
		return 2;
	if (argc < 2) {
		usage_all(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage_all(stdout);
		printf("\nAyarlar (anahtar = varsayılan):\n");
		config_print(stdout);
		return 0;
	}
	const struct cmd *c = find_cmd(argv[1]);
	if (c == NULL) {
		fprintf(stderr, "eimza: bilinmeyen komut '%s'\n\n", argv[1]);
		usage_all(stderr);
		return 2;
	}
	/* `eimza ca --help` is answered by the CA command itself. */
	if (c->run != cmd_ca && want_help(argc - 1, argv + 1)) {
		print_cmd_help(c);
		return 0;
	}
	return c->run(argc - 1, argv + 1);
}
