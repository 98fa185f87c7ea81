/* credit_text.c: see credit_text.h. */
#include <string.h>
#include <apr_strings.h>

#include "credit_text.h"
#include "credit_validate.h"

#define AMOUNT_DIGITS_MAX 30

const char *credit_amount_fmt(apr_pool_t *p, const char *decimal)
{
    const char *s = decimal, *dot;
    size_t ints, fracs, groups, i, j;
    char *out, *o;

    if (s == NULL || *s == '\0')
        return NULL;
    for (ints = 0; s[ints] >= '0' && s[ints] <= '9'; ints++)
        ;
    dot = s + ints;
    fracs = 0;
    if (*dot == '.') {
        for (fracs = 0; dot[1 + fracs] >= '0' && dot[1 + fracs] <= '9'; fracs++)
            ;
        if (dot[1 + fracs] != '\0' || fracs == 0)
            return NULL;
    } else if (*dot != '\0') {
        return NULL;
    }
    if (fracs > 2 || ints > AMOUNT_DIGITS_MAX || (ints == 0 && fracs == 0))
        return NULL;
    while (ints > 1 && *s == '0') { /* "007" -> "7"; "0" stays */
        s++;
        ints--;
    }
    if (ints == 0) { /* ".5" */
        s = "0";
        ints = 1;
        dot = decimal;
        while (*dot != '.')
            dot++;
    }
    groups = (ints - 1) / 3;
    out = o = apr_palloc(p, ints + groups + 4);
    for (i = 0, j = ints; i < ints; i++, j--) {
        *o++ = s[i];
        if (j > 1 && (j - 1) % 3 == 0)
            *o++ = ',';
    }
    *o++ = '.';
    *o++ = fracs >= 1 ? dot[1] : '0';
    *o++ = fracs >= 2 ? dot[2] : '0';
    *o = '\0';
    return out;
}

#define IDEO_SPACE "\xE3\x80\x80" /* U+3000 */

/* The length of the white space at s (0: none). */
static size_t space_at(const char *s)
{
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f')
        return 1;
    if (strncmp(s, IDEO_SPACE, 3) == 0)
        return 3;
    return 0;
}

const char *credit_text_clip(apr_pool_t *p, const char *s, long max_chars, const char *ellipsis)
{
    char *out, *o;
    const char *cut = NULL;
    long chars = 0;
    size_t n;
    int pending = 0; /* a space to write before the next character */

    if (s == NULL)
        return "";
    if (max_chars < 1 || !credit_utf8_valid(s, strlen(s)))
        return NULL;
    if (!ellipsis)
        ellipsis = "";
    out = o = apr_palloc(p, strlen(s) + strlen(ellipsis) + 1);
    while (*s) {
        if ((n = space_at(s)) != 0) {
            pending = o > out;
            s += n;
            continue;
        }
        if (chars == max_chars) {
            cut = s;
            break;
        }
        if (pending) {
            if (++chars == max_chars) {
                cut = s; /* a space as the last character: the ellipsis instead */
                break;
            }
            *o++ = ' ';
            pending = 0;
        }
        /* one code point: its lead byte and the continuation bytes */
        *o++ = *s++;
        while ((*s & 0xC0) == 0x80)
            *o++ = *s++;
        chars++;
    }
    *o = '\0';
    if (cut)
        return apr_pstrcat(p, out, ellipsis, NULL);
    return out;
}

const char *credit_text_fill(apr_pool_t *p, const char *pattern, const char *const *pairs)
{
    const char *s = pattern, *open, *close, *with;
    char *out;
    size_t i;

    if (pattern == NULL)
        return NULL;
    out = "";
    while ((open = strchr(s, '{')) != NULL && (close = strchr(open + 1, '}')) != NULL) {
        size_t n = (size_t)(close - open - 1);
        with = NULL;
        for (i = 0; pairs && pairs[i]; i += 2) {
            if (strlen(pairs[i]) == n && strncmp(pairs[i], open + 1, n) == 0) {
                with = pairs[i + 1];
                break;
            }
        }
        if (with) {
            out = apr_pstrcat(p, out, apr_pstrmemdup(p, s, (size_t)(open - s)), with, NULL);
            s = close + 1;
        } else {
            out = apr_pstrcat(p, out, apr_pstrmemdup(p, s, (size_t)(open - s + 1)), NULL);
            s = open + 1;
        }
    }
    return apr_pstrcat(p, out, s, NULL);
}
