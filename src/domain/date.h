/* Calendar dates (proleptic Gregorian) and Turkish date formatting. */
#ifndef EIMZA_DOMAIN_DATE_H
#define EIMZA_DOMAIN_DATE_H

#include <stdint.h>

/* Türkiye's offset from UTC in seconds (UTC+3, no DST since 2016). */
#define DATE_TR_OFFSET (3 * 3600)

/* 1 for leap years of the Gregorian calendar. */
int date_is_leap(int y);

/* Days in month m (1..12) of year y, 0 for a bad month. */
int date_days_in_month(int y, int m);

/* Parses "YYYY-MM-DD" (exactly) or "GG.AA.YYYY" (day and month of one or
 * two digits) into *y, *m, *d. The date must exist (leap years checked)
 * and the year be 1900..2100. 0 ok, -1 bad (outputs then untouched). */
int date_parse(const char *s, int *y, int *m, int *d);

/* Days since 1970-01-01 of a civil date (negative before it). */
int64_t date_to_days(int y, int m, int d);

/* The civil date of a day count since 1970-01-01. */
void date_from_days(int64_t days, int *y, int *m, int *d);

/* The same UTC month/day `years` later (earlier if negative), at the same
 * time of day; 29 February becomes 28 February in a common year. */
int64_t date_add_years(int64_t epoch_seconds, int years);

/* "GG.AA.YYYY" of the UTC date of epoch_seconds. */
void date_format_tr(int64_t epoch_seconds, char out[11]);

/* "GG.AA.YYYY SS:DD" in Türkiye time (UTC+3). */
void date_format_tr_time(int64_t t, char out[17]);

/* Epoch seconds of 00:00 Türkiye time on the date s (YYYY-MM-DD or
 * GG.AA.YYYY); 0 when s is NULL, empty or not a date. For date filters. */
int64_t date_tr_day_start(const char *s);

#endif
