/* KPSPublic backend: SOAP 1.1 TCKimlikNoDogrula over libcurl, envelope
 * built and answer read with libxml2 (rules.md section d). */
#include "identity/registry.h"

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/tckn.h"
#include "domain/trcase.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"

#define KPS_NS "http://tckimlik.nvi.gov.tr/WS"
#define KPS_ACTION "SOAPAction: \"http://tckimlik.nvi.gov.tr/WS/TCKimlikNoDogrula\""
#define SOAP11_NS "http://schemas.xmlsoap.org/soap/envelope/"
#define SOAP12_NS "http://www.w3.org/2003/05/soap-envelope"
#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"
#define XSD_NS "http://www.w3.org/2001/XMLSchema"
#define KPS_BODY_MAX (64 * 1024)
#define KPS_NAME_MAX 256

/* ---- request ---- */

/* The birth year of an exact "YYYY-MM-DD" date as 4 digits; -1 if bad. */
static int birth_year(const char *iso, char out[5])
{
	int y, m, d;
	if (iso == NULL || strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-' ||
	    date_parse(iso, &y, &m, &d) != 0)
		return -1;
	memcpy(out, iso, 4);
	out[4] = '\0';
	return 0;
}

/* Adds <name>text</name> in the KPS namespace; the text is escaped. */
static int add_text(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	return xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST text) != NULL ? 0 : -1;
}

/* The envelope as a libxml2 document (caller frees with xmlFreeDoc). */
static xmlDocPtr build_doc(const char *tckn, const char *ad, const char *soyad, const char *year)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr env = NULL, body = NULL, op = NULL;
	xmlNsPtr soap = NULL, ws = NULL;

	if (doc == NULL)
		goto fail;
	env = xmlNewNode(NULL, BAD_CAST "Envelope");
	if (env == NULL)
		goto fail;
	xmlDocSetRootElement(doc, env);
	xmlNewNs(env, BAD_CAST XSI_NS, BAD_CAST "xsi");
	xmlNewNs(env, BAD_CAST XSD_NS, BAD_CAST "xsd");
	soap = xmlNewNs(env, BAD_CAST SOAP11_NS, BAD_CAST "soap");
	if (soap == NULL)
		goto fail;
	xmlSetNs(env, soap);
	body = xmlNewChild(env, soap, BAD_CAST "Body", NULL);
	op = body != NULL ? xmlNewChild(body, NULL, BAD_CAST "TCKimlikNoDogrula", NULL) : NULL;
	ws = op != NULL ? xmlNewNs(op, BAD_CAST KPS_NS, NULL) : NULL;
	if (ws == NULL)
		goto fail;
	xmlSetNs(op, ws);
	if (add_text(op, ws, "TCKimlikNo", tckn) != 0 || add_text(op, ws, "Ad", ad) != 0 ||
	    add_text(op, ws, "Soyad", soyad) != 0 || add_text(op, ws, "DogumYili", year) != 0)
		goto fail;
	return doc;
fail:
	log_error("registry: cannot build the KPS request (out of memory)");
	if (doc != NULL)
		xmlFreeDoc(doc);
	return NULL;
}

int registry_kps_request(const struct registry_query *q, char **out, size_t *outlen)
{
	char ad[KPS_NAME_MAX], soyad[KPS_NAME_MAX], year[5];
	xmlDocPtr doc = NULL;
	xmlChar *mem = NULL;
	int memlen = 0, rc = -1;

	*out = NULL;
	*outlen = 0;
	if (q == NULL || !tckn_valid(q->tckn) || q->ad == NULL || q->soyad == NULL ||
	    trcase_name_key(q->ad, ad, sizeof ad) != 0 ||
	    trcase_name_key(q->soyad, soyad, sizeof soyad) != 0 || ad[0] == '\0' ||
	    soyad[0] == '\0' || birth_year(q->dogum_tarihi, year) != 0)
		goto out;
	doc = build_doc(q->tckn, ad, soyad, year);
	if (doc == NULL)
		goto out;
	xmlDocDumpFormatMemoryEnc(doc, &mem, &memlen, "utf-8", 0);
	if (mem == NULL || memlen <= 0)
		goto out;
	*out = malloc((size_t)memlen + 1);
	if (*out == NULL)
		goto out;
	memcpy(*out, mem, (size_t)memlen);
	(*out)[memlen] = '\0';
	*outlen = (size_t)memlen;
	rc = 0;
out:
	if (mem != NULL)
		xmlFree(mem);
	if (doc != NULL)
		xmlFreeDoc(doc);
	return rc;
}

/* ---- response ---- */

static int is_elem(xmlNodePtr n, const char *ns, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	       xmlStrcmp(n->ns->href, BAD_CAST ns) == 0 && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

/* The first element child of n, or NULL. */
static xmlNodePtr first_elem(xmlNodePtr n)
{
	for (xmlNodePtr c = n != NULL ? n->children : NULL; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

/* The element child of n called name in namespace ns, or NULL. */
static xmlNodePtr child_elem(xmlNodePtr n, const char *ns, const char *name)
{
	for (xmlNodePtr c = n != NULL ? n->children : NULL; c != NULL; c = c->next)
		if (is_elem(c, ns, name))
			return c;
	return NULL;
}

/* Maps the text of an xsd:boolean (surrounding whitespace allowed). */
static enum registry_result boolean_result(const xmlChar *text)
{
	const char *s = (const char *)text;
	size_t len;

	if (s == NULL)
		return REG_UNAVAILABLE;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
			   s[len - 1] == '\n'))
		len--;
	if ((len == 4 && memcmp(s, "true", 4) == 0) || (len == 1 && s[0] == '1'))
		return REG_MATCH;
	if ((len == 5 && memcmp(s, "false", 5) == 0) || (len == 1 && s[0] == '0'))
		return REG_NO_MATCH;
	return REG_UNAVAILABLE;
}

/* Reads the answer out of a parsed envelope (SOAP 1.1 or 1.2). */
static enum registry_result read_envelope(xmlDocPtr doc)
{
	xmlNodePtr env = xmlDocGetRootElement(doc), body, op, result;
	const char *sns = NULL;
	xmlChar *text = NULL;
	enum registry_result res = REG_UNAVAILABLE;

	if (is_elem(env, SOAP11_NS, "Envelope"))
		sns = SOAP11_NS;
	else if (is_elem(env, SOAP12_NS, "Envelope"))
		sns = SOAP12_NS;
	else
		goto out;
	body = child_elem(env, sns, "Body");
	op = first_elem(body);
	if (is_elem(op, sns, "Fault")) {
		log_warn("registry: KPS answered with a SOAP fault");
		goto out;
	}
	if (!is_elem(op, KPS_NS, "TCKimlikNoDogrulaResponse"))
		goto out;
	result = child_elem(op, KPS_NS, "TCKimlikNoDogrulaResult");
	if (result == NULL)
		goto out;
	text = xmlNodeGetContent(result);
	res = boolean_result(text);
out:
	if (text != NULL)
		xmlFree(text);
	return res;
}

enum registry_result registry_kps_parse(const char *body, size_t len)
{
	xmlDocPtr doc = NULL;
	enum registry_result res = REG_UNAVAILABLE;

	if (body == NULL || len == 0 || len > KPS_BODY_MAX)
		goto out;
	/* No network, no entity substitution (XML_PARSE_NOENT off), no DTD
	 * loading; a document with any DOCTYPE is refused outright. */
	doc = xmlReadMemory(body, (int)len, "kps-response.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		log_warn("registry: KPS answer is not well-formed XML");
		goto out;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		log_warn("registry: KPS answer has a DOCTYPE; refused");
		goto out;
	}
	res = read_envelope(doc);
out:
	if (doc != NULL)
		xmlFreeDoc(doc);
	return res;
}

/* ---- transport ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Appends to the bounded buffer; returning short makes curl abort. */
static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	buf *b = arg;
	if (buf_append(b, p, size * n) != 0)
		return 0;
	return size * n;
}

/* Sets the options of one KPS POST. */
static int setup(CURL *c, const char *url, const char *req, size_t reqlen, struct curl_slist *hdr,
		 buf *resp, char *cerr)
{
	long timeout = (long)config_get_int("registry.kps_timeout");
	if (timeout <= 0)
		timeout = 10;
	int bad = 0;
	bad |= curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)reqlen) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_POSTFIELDS, req) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, resp) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_USERAGENT, "eimza") != CURLE_OK;
	return bad ? -1 : 0;
}

/* POSTs req to url; on HTTP 200 or 500 (SOAP faults) the body is in resp.
 * Returns the HTTP status, or -1 when the exchange failed. */
static long post(const char *url, const char *req, size_t reqlen, buf *resp)
{
	char cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL, *h;
	CURL *c = NULL;
	long status = -1;

	pthread_once(&curl_once, curl_init_once);
	c = curl_easy_init();
	hdr = curl_slist_append(NULL, "Content-Type: text/xml; charset=utf-8");
	h = hdr != NULL ? curl_slist_append(hdr, KPS_ACTION) : NULL;
	if (c == NULL || h == NULL) {
		log_error("registry: curl setup failed (out of memory)");
		goto out;
	}
	hdr = h;
	if (setup(c, url, req, reqlen, hdr, resp, cerr) != 0) {
		log_error("registry: curl option refused");
		goto out;
	}
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		log_warn("registry: KPS request failed: %s",
			 resp->err ? "answer larger than 64 KiB"
				   : (cerr[0] ? cerr : curl_easy_strerror(rc)));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
out:
	curl_slist_free_all(hdr);
	if (c != NULL)
		curl_easy_cleanup(c);
	return status;
}

enum registry_result registry_kps_query(const struct registry_query *q)
{
	enum registry_result res = REG_NO_MATCH;
	char *req = NULL;
	size_t reqlen = 0;
	buf resp;

	buf_init(&resp, KPS_BODY_MAX + 1);
	if (registry_kps_request(q, &req, &reqlen) != 0)
		goto out;
	res = REG_UNAVAILABLE;
	long status = post(config_get("registry.kps_url"), req, reqlen, &resp);
	if (status == 200) {
		res = registry_kps_parse(resp.data, resp.len);
	} else if (status == 500) {
		(void)registry_kps_parse(resp.data, resp.len); /* logs a fault */
	} else if (status > 0) {
		log_warn("registry: KPS answered HTTP %ld", status);
	}
out:
	free(req);
	buf_free(&resp);
	return res;
}
