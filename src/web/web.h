/* The web layer: every route table of the product, registered in one place. */
#ifndef EIMZA_WEB_H
#define EIMZA_WEB_H

#include <stdio.h>

#include "store/db.h"

/* Registers every route (the dev routes only exist when dev is set; the
 * HTTP core enforces ROUTE_DEV too). */
void web_register_routes(int dev);

/* `init --demo`: staff accounts for the demo, with passwords printed once.
 * 0 on success. */
int web_demo_staff(db *d, FILE *report);

#endif
