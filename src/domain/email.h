/* E-mail address syntax (pragmatic, ASCII only). */
#ifndef EIMZA_DOMAIN_EMAIL_H
#define EIMZA_DOMAIN_EMAIL_H

/* 1 if s is at most 254 bytes with exactly one '@'; a local part of 1..64
 * characters from [A-Za-z0-9.!#$%&'*+/=?^_`{|}~-] without a leading,
 * trailing or double dot; a domain of at most 253 bytes made of 1..63-byte
 * LDH labels (no leading/trailing '-') with at least one dot, whose last
 * label is 2 or more letters. Quoted local parts, IP literals and non-ASCII
 * are rejected. 0 otherwise (also for NULL). */
int email_valid(const char *s);

#endif
