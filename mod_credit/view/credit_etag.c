/* credit_etag.c: see credit_etag.h. */
#include <string.h>
#include <apr_strings.h>

#include "credit_etag.h"

static const char *const codings[] = {"-gzip", "-br"};

/* The length of the coding suffix that ends opaque[0..n), or 0. */
static size_t coding_suffix(const char *opaque, size_t n)
{
    size_t i, k;
    for (i = 0; i < sizeof codings / sizeof codings[0]; i++) {
        k = strlen(codings[i]);
        if (n > k && memcmp(opaque + n - k, codings[i], k) == 0)
            return k;
    }
    return 0;
}

const char *credit_etag_uncode(apr_pool_t *p, const char *list)
{
    const char *s = list;
    char *out, *o;
    int changed = 0;

    if (!list)
        return NULL;
    o = out = apr_palloc(p, strlen(list) + 1);
    while (*s) {
        const char *start = s, *q, *opaque;
        size_t k = 0;
        if (*s == ' ' || *s == '\t' || *s == ',') {
            *o++ = *s++;
            continue;
        }
        /* One tag: [W/]"opaque", or anything else up to the next comma. */
        if (s[0] == 'W' && s[1] == '/')
            s += 2;
        if (*s == '"' && (q = strchr(s + 1, '"')) != NULL) {
            opaque = s + 1;
            k = coding_suffix(opaque, (size_t)(q - opaque));
            if (k) {
                size_t n = (size_t)(q - opaque) - k;
                memcpy(o, start, (size_t)(opaque - start) + n);
                o += (size_t)(opaque - start) + n;
                *o++ = '"';
                changed = 1;
            } else {
                memcpy(o, start, (size_t)(q + 1 - start));
                o += q + 1 - start;
            }
            s = q + 1;
        } else {
            s = start + strcspn(start, ",");
            memcpy(o, start, (size_t)(s - start));
            o += s - start;
        }
    }
    *o = '\0';
    return changed ? out : list;
}
