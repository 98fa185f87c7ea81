/* credit_text.h: what people read, formatted: amounts with thousands
 * separators, texts clipped on a character boundary, messages with their
 * {placeholders} filled. Pure functions, no language of their own: the
 * words come from the language files (templates/lang/). */
#ifndef CREDIT_TEXT_H
#define CREDIT_TEXT_H

#include "credit.h"

/* An amount of yuan as the database gives it (DECIMAL: digits, optionally
 * '.' and up to two digits) with a ',' every three digits and always two
 * decimals: "2164541.27" -> "2,164,541.27", "12000" -> "12,000.00",
 * "0.5" -> "0.50". Leading zeros are dropped ("007.10" -> "7.10"). Returns
 * NULL for NULL, "", a sign, blanks, more than two decimals, more than 30
 * digits or anything else that is not such a number (the caller then shows
 * the raw value, or nothing). Allocated from p. */
const char *credit_amount_fmt(apr_pool_t *p, const char *decimal);

/* s with every run of white space (ASCII blanks, CR, LF, U+3000) made one
 * ASCII space and the ends trimmed, then cut after at most max_chars
 * characters (code points) with `ellipsis` appended when something was cut.
 * A cut never splits a UTF-8 sequence; a cut that would leave a space before
 * the ellipsis drops it. Returns "" for NULL; NULL when s is not valid UTF-8
 * or max_chars < 1. Allocated from p. */
const char *credit_text_clip(apr_pool_t *p, const char *s, long max_chars, const char *ellipsis);

/* pattern with each {name} replaced by its value from pairs: name, value,
 * name, value ..., ended by a NULL name (a value may be NULL); a {name} that is
 * not in pairs (or has a NULL value) stays as written, and so does a '{'
 * without a closing '}'. The values are not looked at again (a value that
 * contains "{x}" stays so). Returns NULL for a NULL pattern. Allocated
 * from p. */
const char *credit_text_fill(apr_pool_t *p, const char *pattern, const char *const *pairs);

#endif
