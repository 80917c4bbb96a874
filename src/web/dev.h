/* Dev pages: GET /dev/outbox (HTML) and /dev/outbox.json, ROUTE_DEV only. */
#ifndef EIMZA_WEB_DEV_H
#define EIMZA_WEB_DEV_H

#include "http/http.h"

/* Terminated by {NULL}; pass to http_add_routes(). */
extern const struct route dev_routes[];

#endif
