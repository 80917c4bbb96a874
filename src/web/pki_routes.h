/* Public CA endpoints: /depo/ (repository), /crl/, /ocsp (src/web/pki_routes.c). */
#ifndef EIMZA_WEB_PKI_ROUTES_H
#define EIMZA_WEB_PKI_ROUTES_H

#include "http/http.h"

extern const struct route pki_routes[];

#endif
