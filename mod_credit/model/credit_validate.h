/* credit_validate.h: validation of untrusted strings. Pure, no allocation. */
#ifndef CREDIT_VALIDATE_H
#define CREDIT_VALIDATE_H

#include "credit.h"

/* GB 32100-2015 check character for the first 17 characters of a unified
 * social credit code. Returns '\0' when `first17` is not 17 characters of
 * the alphabet 0-9A-HJ-NPQRTUWXY. */
char credit_code_check_char(const char *first17);

/* Returns 1 when `code` is a well-formed 18-character unified social credit
 * code with the right check character, 0 otherwise (also for NULL). */
int credit_code_valid(const char *code);

/* Returns 1 when s[0..len) is well-formed UTF-8 without NUL, overlong forms
 * or surrogates, 0 otherwise. */
int credit_utf8_valid(const char *s, size_t len);

/* Decodes one UTF-8 sequence at s[0..len) (len >= 1): the one decoder of
 * the code. Returns its length and sets *cp, or 0 when it is malformed,
 * overlong, a surrogate, above U+10FFFF, truncated or NUL. */
size_t credit_utf8_next(const char *s, size_t len, unsigned long *cp);

/* The number of days of month m (1..12) of year y (Gregorian calendar). */
int credit_days_in_month(long y, int m);

/* 1 for ASCII white space (SP HT LF VT FF CR), else 0. */
int credit_ascii_space(unsigned char c);

/* Number of code points in s[0..len), or -1 when it is not valid UTF-8. */
long credit_utf8_chars(const char *s, size_t len);

/* Parses a strict YYYY-MM-DD date between 1900-01-01 and 2999-12-31 that
 * exists in the calendar. Returns 1 on success, 0 otherwise (out untouched). */
int credit_date_parse(const char *s, credit_date_t *out);

/* Returns 1 when `s` is a permanent record number TJZW-YYYY-NNNNNN, 0 otherwise. */
int credit_record_no_valid(const char *s);

/* Parses a positive decimal id (1 .. 2^53) without sign, spaces or leading
 * zeros. Returns 1 on success, 0 otherwise. */
int credit_id_parse(const char *s, unsigned long long *out);

/* Reads a public origin "http[s]://host[:port]" (a trailing '/' allowed;
 * no path, query, user or fragment; host a DNS name, IPv4 or [IPv6]) into
 * *out, lower-cased, without the trailing '/'. Returns 1, or 0 when s is
 * not one. */
int credit_origin_parse(apr_pool_t *p, const char *s, const char **out);

/* 1 when code point cp may be stored as text (and so written as XML 1.0):
 * not a C0 control (TAB, LF and CR only with whitespace set), DEL, a C1
 * control, U+2028, U+2029, a surrogate or a non-character (U+FDD0..U+FDEF,
 * U+xFFFE, U+xFFFF). The one rule of every text field. */
int credit_char_allowed(unsigned long cp, int whitespace);

/* 1 when s holds a character credit_char_allowed refuses (multiline: TAB,
 * LF and CR are allowed), or a C0/DEL byte that is not UTF-8; 0 otherwise. */
int credit_has_control(const char *s, int multiline);

/* s[0..len) with every character XML 1.0 forbids (C0 controls but TAB, LF,
 * CR; U+FFFE, U+FFFF) and every byte that is not UTF-8 replaced by U+FFFD,
 * NUL-terminated, in p; *out_len its length. Never fails. */
char *credit_xml_clean(apr_pool_t *p, const char *s, size_t len, size_t *out_len);

/* s as one line of text to quote in a message: every byte that is not
 * UTF-8 and every character credit_char_allowed(cp, 0) refuses replaced by
 * U+FFFD, and cut after max_chars characters with U+2026. In p; never
 * fails (NUL-terminated s). */
const char *credit_text_excerpt(apr_pool_t *p, const char *s, size_t max_chars);

#endif
