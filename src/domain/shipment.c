/* Shipment statuses, their order and their meaning for the application. */
#include "domain/shipment.h"

#include <string.h>

static const char *const ship_names[SHIP__MAX] = {
	[SHIP_YOLDA] = "yolda",
	[SHIP_DAGITIMDA] = "dagitimda",
	[SHIP_TESLIM] = "teslim",
	[SHIP_IADE] = "iade",
};

static const char *const ship_labels[SHIP__MAX] = {
	[SHIP_YOLDA] = "Yolda",
	[SHIP_DAGITIMDA] = "Dağıtımda",
	[SHIP_TESLIM] = "Teslim edildi",
	[SHIP_IADE] = "İade edildi",
};

/* Position in the courier's order; closed statuses come last. */
static const int ship_rank[SHIP__MAX] = {
	[SHIP_YOLDA] = 0,
	[SHIP_DAGITIMDA] = 1,
	[SHIP_TESLIM] = 2,
	[SHIP_IADE] = 2,
};

static int ship_valid(enum ship_status s)
{
	return (unsigned)s < SHIP__MAX;
}

const char *ship_status_name(enum ship_status s)
{
	return ship_valid(s) ? ship_names[s] : "?";
}

int ship_status_parse(const char *name)
{
	for (int i = 0; name != NULL && i < SHIP__MAX; i++)
		if (strcmp(name, ship_names[i]) == 0)
			return i;
	return -1;
}

const char *ship_status_label_tr(enum ship_status s)
{
	return ship_valid(s) ? ship_labels[s] : NULL;
}

int ship_status_is_closed(enum ship_status s)
{
	return s == SHIP_TESLIM || s == SHIP_IADE;
}

int ship_event_allowed(enum ship_status from, enum ship_status ev)
{
	if (!ship_valid(from) || !ship_valid(ev) || ship_status_is_closed(from))
		return 0;
	return ship_rank[ev] >= ship_rank[from];
}

int ship_event_app_event(enum ship_status ev)
{
	return ev == SHIP_TESLIM ? EV_DELIVERED : -1;
}

const char *ship_event_action(enum ship_status ev)
{
	return ev == SHIP_IADE ? "returned" : "courier_event";
}

enum ship_dispatch ship_dispatch(enum app_state state, int has_last, enum ship_status last)
{
	if (state == APP_PRODUCED)
		return SHIP_FIRST;
	if (state == APP_SHIPPED && has_last && last == SHIP_IADE)
		return SHIP_AGAIN;
	return SHIP_REFUSED;
}

int ship_may_deliver(enum app_state state, int has_last, enum ship_status last)
{
	return state == APP_SHIPPED && has_last && ship_valid(last) && !ship_status_is_closed(last);
}

int ship_tracking_no_valid(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n < 4 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}
