/* credit_gtid.c: see credit_gtid.h. */
#include <string.h>
#include <stdlib.h>
#include <errno.h>

#include "credit_gtid.h"

/* A decimal of digits only at *s, advanced past it; 0 when there is none
 * or it overflows. */
static int number(const char **s, unsigned long long max, unsigned long long *out)
{
    char *end;
    if (**s < '0' || **s > '9')
        return 0;
    errno = 0;
    *out = strtoull(*s, &end, 10);
    if (errno || *out > max)
        return 0;
    *s = end;
    return 1;
}

int credit_gtid_parse(const char *text, credit_gtid_pos_t *out)
{
    const char *s = text ? text : "";
    out->n = 0;
    while (*s == ' ')
        s++;
    while (*s) {
        unsigned long long domain, server, seq;
        int i;
        if (out->n == CREDIT_GTID_DOMAINS)
            goto bad;
        if (!number(&s, 0xFFFFFFFFULL, &domain) || *s++ != '-' ||
            !number(&s, 0xFFFFFFFFULL, &server) || *s++ != '-' || !number(&s, ~0ULL, &seq))
            goto bad;
        for (i = 0; i < out->n; i++)
            if (out->d[i].domain == domain)
                goto bad;
        out->d[out->n].domain = (unsigned long)domain;
        out->d[out->n].seq = seq;
        out->n++;
        while (*s == ' ' || *s == '\n')
            s++;
        if (*s == ',') {
            s++;
            while (*s == ' ' || *s == '\n')
                s++;
            if (!*s)
                goto bad;
        } else if (*s) {
            goto bad;
        }
    }
    return 1;
bad:
    out->n = 0;
    return 0;
}

int credit_gtid_covers(const credit_gtid_pos_t *have, const credit_gtid_pos_t *want)
{
    int i, j;
    for (i = 0; i < want->n; i++) {
        for (j = 0; j < have->n && have->d[j].domain != want->d[i].domain; j++)
            ;
        if (j == have->n || have->d[j].seq < want->d[i].seq)
            return 0;
    }
    return 1;
}
