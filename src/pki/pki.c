/* Parent-side PKI state: the CA certificates (never a private key) and the
 * signer's lifetime. */
#include "pki/pki.h"
#include "pki/internal.h"
#include "pki/signer.h"

#include <stdio.h>
#include <string.h>

#include "util/log.h"

static struct {
	X509 *root, *issuing;
	unsigned char issuing_keyhash[20];
	char dir[4096];
} st;

X509 *pki_root_cert(void)
{
	return st.root;
}

X509 *pki_issuing_cert(void)
{
	return st.issuing;
}

const char *pki_ca_dir(void)
{
	return st.dir;
}

const unsigned char *pki_issuing_keyhash(void)
{
	return st.issuing_keyhash;
}

static void free_certs(void)
{
	X509_free(st.root);
	X509_free(st.issuing);
	st.root = st.issuing = NULL;
	pki_ocsp_cert_clear();
}

int pki_init(const char *ca_dir)
{
	char p[4096], err[256] = "";
	unsigned int l = 0;
	free_certs();
	if (snprintf(st.dir, sizeof st.dir, "%s", ca_dir) >= (int)sizeof st.dir)
		return -1;
	/* The signer starts first: the OCSP responder certificate is its. */
	if (signer_start(ca_dir) != 0)
		return -1;
	if (pki_path(p, sizeof p, ca_dir, "root.pem") || !(st.root = pki_load_cert(p)) ||
	    pki_path(p, sizeof p, ca_dir, "issuing.pem") || !(st.issuing = pki_load_cert(p))) {
		log_error("pki: CA certificates missing in %s", ca_dir);
		goto fail;
	}
	if (!X509_pubkey_digest(st.issuing, EVP_sha1(), st.issuing_keyhash, &l) || l != 20)
		goto fail;
	if (pki_ocsp_cert_fetch(err, sizeof err) != 0) {
		log_error("pki: no OCSP responder certificate from the signer: %s", err);
		goto fail;
	}
	return 0;
fail:
	signer_stop();
	free_certs();
	return -1;
}

void pki_shutdown(void)
{
	signer_stop();
	pki_ocsp_invalidate();
	free_certs();
}
