/* Public CA endpoints: the repository (/depo/), CRLs (/crl/) and the OCSP
 * responder (/ocsp, POST and GET). Everything here is public and read-only;
 * the answers come from src/pki, which signs through the signer process. */
#include "web/pki_routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "pki/internal.h"
#include "pki/pki.h"
#include "pki/profile.h"
#include "pki/qcstatements.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define OCSP_GET_MAX 4096 /* base64 characters in GET /ocsp/<...> */
#define CRL_MAX_AGE 60	  /* the issuing CRL changes at every revocation */
#define ROOT_CRL_MAX_AGE 3600

/* RFC 7231 IMF-fixdate into an arena string. */
static const char *http_date(req *r, int64_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	time_t tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL)
		return "";
	return arena_printf(req_arena(r), "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
			    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
}

/* Sets the caching headers; returns 1 (and replies 304) when the client
 * already has this version. */
static int cache_headers_or_304(req *r, const char *etag, int64_t last_modified, int64_t max_age,
				int64_t expires)
{
	if (max_age < 0)
		max_age = 0;
	reply_header(r, "Cache-Control",
		     arena_printf(req_arena(r), "public, max-age=%lld, no-transform",
				  (long long)max_age));
	if (etag != NULL)
		reply_header(r, "ETag", etag);
	if (last_modified > 0)
		reply_header(r, "Last-Modified", http_date(r, last_modified));
	if (expires > 0)
		reply_header(r, "Expires", http_date(r, expires));
	const char *inm = req_header(r, "If-None-Match");
	if (etag != NULL && inm != NULL && strstr(inm, etag) != NULL) {
		reply_bytes(r, 304, NULL, "", 0);
		return 1;
	}
	return 0;
}

static db *db_or_reply(req *r)
{
	db *d = db_thread();
	if (d == NULL)
		reply_error(r, 503, "Hizmet geçici olarak kullanılamıyor.");
	return d;
}

/* ---- /depo/ ---- */

static void fingerprint(X509 *x, char *out, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int l = 0;
	size_t o = 0;
	out[0] = '\0';
	if (!X509_digest(x, EVP_sha256(), md, &l))
		return;
	for (unsigned int i = 0; i < l && o + 4 < n; i++)
		o += (size_t)snprintf(out + o, n - o, "%s%02X", i ? ":" : "", md[i]);
}

static const char *day(req *r, const ASN1_TIME *t)
{
	int64_t s = pki_time(t);
	struct tm tm;
	time_t tt = (time_t)s;
	if (s < 0 || gmtime_r(&tt, &tm) == NULL)
		return "";
	return arena_printf(req_arena(r), "%02d.%02d.%04d", tm.tm_mday, tm.tm_mon + 1,
			    tm.tm_year + 1900);
}

static const char *subject_line(req *r, X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	const char *s = "";
	if (b == NULL)
		return s;
	X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	long l = BIO_get_mem_data(b, &p);
	if (l > 0)
		s = arena_strndup(req_arena(r), p, (size_t)l);
	BIO_free(b);
	return s;
}

static void set_common(tpl *t)
{
	char pds[1024];
	tpl_set(t, "ca_org", config_get("ca.name"));
	tpl_set(t, "public_url", config_get("ca.public_url"));
	tpl_set(t, "policy_oid", config_get("ca.policy_oid"));
	if (pki_pds_url(pds, sizeof pds, "tr") == 0)
		tpl_set(t, "pds_url", pds);
	tpl_set(t, "usage_restriction", config_get("ca.usage_restriction"));
	tpl_set(t, "usage_restriction_en", config_get("ca.usage_restriction_en"));
	tpl_set(t, "postal_address", config_get("contact.postal_address"));
	tpl_set(t, "phones", config_get("contact.phones"));
}

static void depo_index(req *r)
{
	tpl *t = tpl_new(r);
	static const struct {
		const char *name, *file;
		X509 *(*get)(void);
	} certs[] = {
		{"Kök SM sertifikası", "root", pki_root_cert},
		{"Nitelikli elektronik sertifika SM'si (alt SM)", "issuing", pki_issuing_cert},
	};
	set_common(t);
	tpl_set(t, "title", "Sertifika Deposu");
	tpl_setf(t, "ocsp_url", "%s/ocsp", config_get("ca.public_url"));
	tpl_set_int(t, "crl_hours", config_get_int("ca.crl_hours"));
	for (size_t i = 0; i < sizeof certs / sizeof certs[0]; i++) {
		X509 *x = certs[i].get();
		char fp[128];
		if (x == NULL)
			continue;
		tpl *c = tpl_add(t, "certs");
		fingerprint(x, fp, sizeof fp);
		tpl_set(c, "name", certs[i].name);
		tpl_set(c, "file", certs[i].file);
		tpl_set(c, "subject", subject_line(r, x));
		tpl_set(c, "not_before", day(r, X509_get0_notBefore(x)));
		tpl_set(c, "not_after", day(r, X509_get0_notAfter(x)));
		tpl_set(c, "fingerprint", fp);
	}
	reply_header(r, "Cache-Control", "public, max-age=300");
	reply_page(r, 200, "depo.html", t);
}

static void depo_cert(req *r, X509 *x, int pem)
{
	unsigned char *der = NULL;
	if (x == NULL) {
		reply_error(r, 404, "Sertifika bulunamadı.");
		return;
	}
	if (pem) {
		BIO *b = BIO_new(BIO_s_mem());
		char *p;
		if (b == NULL || !PEM_write_bio_X509(b, x)) {
			BIO_free(b);
			reply_error(r, 500, "Sertifika hazırlanamadı.");
			return;
		}
		long l = BIO_get_mem_data(b, &p);
		reply_header(r, "Cache-Control", "public, max-age=86400");
		reply_bytes(r, 200, "application/x-pem-file", p, (size_t)l);
		BIO_free(b);
		return;
	}
	int l = i2d_X509(x, &der);
	if (l <= 0) {
		reply_error(r, 500, "Sertifika hazırlanamadı.");
		return;
	}
	reply_header(r, "Cache-Control", "public, max-age=86400");
	reply_bytes(r, 200, "application/pkix-cert", der, (size_t)l);
	OPENSSL_free(der);
}

static void depo_text(req *r, const char *name)
{
	tpl *t = tpl_new(r);
	set_common(t);
	char *body = tpl_render(t, name);
	if (body == NULL) {
		reply_error(r, 500, "Belge hazırlanamadı.");
		return;
	}
	reply_header(r, "Cache-Control", "public, max-age=3600");
	reply_bytes(r, 200, "text/plain; charset=utf-8", body, strlen(body));
}

static void depo(req *r)
{
	const char *s = req_suffix(r);
	if (s == NULL || s[0] == '\0' || strcmp(s, "index.html") == 0)
		depo_index(r);
	else if (strcmp(s, "root.crt") == 0 || strcmp(s, "root.pem") == 0)
		depo_cert(r, pki_root_cert(), s[5] == 'p');
	else if (strcmp(s, "issuing.crt") == 0 || strcmp(s, "issuing.pem") == 0)
		depo_cert(r, pki_issuing_cert(), s[8] == 'p');
	else if (strcmp(s, "pds-tr.txt") == 0)
		depo_text(r, "depo_pds_tr.txt");
	else if (strcmp(s, "pds-en.txt") == 0)
		depo_text(r, "depo_pds_en.txt");
	else if (strcmp(s, "si-tr.txt") == 0)
		depo_text(r, "depo_si_tr.txt");
	else if (strcmp(s, "sue-tr.txt") == 0)
		depo_text(r, "depo_sue_tr.txt");
	else
		reply_error(r, 404, "Depoda böyle bir dosya yok.");
}

static void depo_root(req *r)
{
	reply_redirect(r, "/depo/");
}

/* ---- /crl/ ---- */

static void crl(req *r)
{
	const char *s = req_suffix(r);
	enum pki_ca_id ca;
	if (s != NULL && strcmp(s, "issuing.crl") == 0)
		ca = PKI_CA_ISSUING;
	else if (s != NULL && strcmp(s, "root.crl") == 0)
		ca = PKI_CA_ROOT;
	else {
		reply_error(r, 404, "Böyle bir SİL yok.");
		return;
	}
	db *d = db_or_reply(r);
	if (d == NULL)
		return;
	unsigned char *der = NULL;
	size_t len = 0;
	int64_t tu = 0, nu = 0, num = 0, now = clock_now();
	if (pki_crl_get(d, ca, &der, &len, &tu, &nu, &num) != 0) {
		reply_error(r, 503, "SİL şu anda hazırlanamıyor.");
		return;
	}
	int64_t age = nu - now, cap = ca == PKI_CA_ROOT ? ROOT_CRL_MAX_AGE : CRL_MAX_AGE;
	const char *etag = arena_printf(req_arena(r), "\"%s-%lld\"",
					ca == PKI_CA_ROOT ? "root" : "issuing", (long long)num);
	if (!cache_headers_or_304(r, etag, tu, age < cap ? age : cap, 0))
		reply_bytes(r, 200, "application/pkix-crl", der, len);
	free(der);
}

/* ---- /ocsp ---- */

static void ocsp_reply(req *r, const unsigned char *q, size_t len, int get)
{
	db *d = db_or_reply(r);
	if (d == NULL)
		return;
	unsigned char *resp = NULL;
	size_t rl = 0;
	struct pki_ocsp_meta m;
	if (pki_ocsp_respond(d, q, len, &resp, &rl, &m) != 0) {
		reply_error(r, 500, "OCSP yanıtı hazırlanamadı.");
		return;
	}
	int done = 0;
	if (get && m.cacheable && m.next_update > 0)
		done = cache_headers_or_304(r, m.etag, m.produced_at, m.next_update - clock_now(),
					    m.next_update);
	if (!done)
		reply_bytes(r, 200, "application/ocsp-response", resp, rl);
	free(resp);
}

static void ocsp_post(req *r)
{
	size_t len = 0;
	const void *body = req_body(r, &len);
	ocsp_reply(r, body, body ? len : 0, 0);
}

/* GET /ocsp/<base64(DER)>: standard or URL-safe alphabet, padding optional,
 * percent-decoding already done by the core. */
static void ocsp_get(req *r)
{
	const char *s = req_suffix(r);
	size_t n = s ? strlen(s) : 0, o = 0, bl = 0;
	if (n == 0 || n > OCSP_GET_MAX) {
		ocsp_reply(r, NULL, 0, 1);
		return;
	}
	char *b64 = arena_alloc(req_arena(r), n + 1);
	unsigned char *bin = arena_alloc(req_arena(r), n);
	if (b64 == NULL || bin == NULL) {
		reply_error(r, 500, "Bellek yetersiz.");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '=' || c == '\r' || c == '\n')
			continue;
		b64[o++] = c == '-' ? '+' : c == '_' ? '/' : c;
	}
	b64[o] = '\0';
	if (sodium_base642bin(bin, n, b64, o, NULL, &bl, NULL,
			      sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0)
		bl = 0;
	ocsp_reply(r, bin, bl, 1);
}

const struct route pki_routes[] = {
	{"GET", "/depo", depo_root, NULL, ROUTE_ANY_QUERY, "depo"},
	{"GET", "/depo/", depo, NULL, ROUTE_PREFIX | ROUTE_ANY_QUERY, "depo"},
	{"GET", "/crl/", crl, NULL, ROUTE_PREFIX | ROUTE_ANY_QUERY, "crl"},
	{"POST", "/ocsp", ocsp_post, NULL, ROUTE_RAW_BODY | ROUTE_NO_CSRF, "ocsp"},
	{"GET", "/ocsp/", ocsp_get, NULL, ROUTE_PREFIX | ROUTE_ANY_QUERY, "ocsp_get"},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
