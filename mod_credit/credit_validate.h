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

/* Returns 1 when s holds a control character (C0 or DEL); multiline text
 * may hold TAB, LF and CR. */
int credit_has_control(const char *s, int multiline);

#endif
