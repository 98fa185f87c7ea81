/* credit_rules.c: the disclosure clock of NDRC Order 36 and the masking of
 * personal data. The clock must agree with the generated columns repair_from
 * and withdraw_on of sql/001_schema.sql (DATE + INTERVAL n MONTH/YEAR). */
#include <string.h>
#include <apr_strings.h>

#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

/* Floor division, for dates before the epoch. */
static long long floor_div(long long a, long long b)
{
    long long q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long long days_from_civil(long long y, int m, int d)
{
    long long era, yoe, doy, doe;

    y -= m <= 2;
    era = floor_div(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static credit_date_t civil_from_days(long long z)
{
    long long era, doe, yoe, y, doy, mp;
    credit_date_t out;

    z += 719468;
    era = floor_div(z, 146097);
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    out.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    out.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    out.y = (int)(y + (out.m <= 2));
    return out;
}

credit_date_t credit_date_add_months(credit_date_t d, int months)
{
    long long total;
    credit_date_t out;
    int last;

    if (d.y == 0 || d.m < 1 || d.m > 12) {
        return d; /* unset or nonsense: nothing to add to */
    }
    total = (long long)d.y * 12 + (d.m - 1) + months;
    out.y = (int)floor_div(total, 12);
    out.m = (int)(total - (long long)out.y * 12) + 1;
    last = credit_days_in_month(out.y, out.m);
    out.d = d.d > last ? last : d.d;
    return out;
}

int credit_date_cmp(credit_date_t a, credit_date_t b)
{
    if (a.y != b.y) {
        return a.y < b.y ? -1 : 1;
    }
    if (a.m != b.m) {
        return a.m < b.m ? -1 : 1;
    }
    if (a.d != b.d) {
        return a.d < b.d ? -1 : 1;
    }
    return 0;
}

long credit_date_diff(credit_date_t a, credit_date_t b)
{
    return (long)(days_from_civil(b.y, b.m, b.d) - days_from_civil(a.y, a.m, a.d));
}

credit_date_t credit_date_add_days(credit_date_t d, long n)
{
    return civil_from_days(days_from_civil(d.y, d.m, d.d) + n);
}

int credit_date_weekday(credit_date_t d)
{
    /* 1970-01-01 (day 0) was a Thursday (4). */
    long long z = days_from_civil(d.y, d.m, d.d);
    long long w = (z % 7 + 7 + 3) % 7; /* 0 = Monday */
    return (int)w + 1;
}

credit_date_t credit_date_from_unix(long long t)
{
    return civil_from_days(floor_div(t + 8 * 3600, 86400));
}

/* Writes an unset date (y = 0) as "", anything else as YYYY-MM-DD with each
 * field reduced into its width so that the 11 bytes always suffice. */
char *credit_date_fmt(credit_date_t d, char *buf)
{
    unsigned y, m, dd;

    if (d.y == 0) {
        buf[0] = '\0';
        return buf;
    }
    y = (unsigned)(d.y < 0 ? -d.y : d.y) % 10000;
    m = (unsigned)(d.m < 0 ? -d.m : d.m) % 100;
    dd = (unsigned)(d.d < 0 ? -d.d : d.d) % 100;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + dd / 10);
    buf[9] = (char)('0' + dd % 10);
    buf[10] = '\0';
    return buf;
}

/* Months after disclosure of the earliest repair (0: none) and of the
 * automatic withdrawal, per severity. */
static const struct {
    const char *severity;
    int repair_months;
    int withdraw_months;
} clock_table[] = {
    {"minor", 0, 3},
    {"general", 3, 12},
    {"serious", 12, 36},
};

/* Also returns CREDIT_EINVAL for an unset (y = 0) disclosure date. */
credit_status_t credit_clock(const char *severity, credit_date_t disclosed, credit_clock_t *out)
{
    size_t i;

    if (severity == NULL || out == NULL || disclosed.y == 0) {
        return CREDIT_EINVAL;
    }
    for (i = 0; i < sizeof(clock_table) / sizeof(clock_table[0]); i++) {
        if (strcmp(clock_table[i].severity, severity) == 0) {
            memset(out, 0, sizeof(*out));
            out->disclosed = disclosed;
            if (clock_table[i].repair_months > 0) {
                out->repair_from = credit_date_add_months(disclosed, clock_table[i].repair_months);
            }
            out->withdraw_on = credit_date_add_months(disclosed, clock_table[i].withdraw_months);
            return CREDIT_OK;
        }
    }
    return CREDIT_EINVAL;
}

/* Fails closed: a status that is neither a public nor a withdrawn one (NULL,
 * a typo, a future status) is never shown. */
credit_visibility_t credit_visibility(const char *status, const credit_clock_t *c,
                                      credit_date_t today)
{
    const credit_enum_item_t *st = credit_enum_find(&credit_statuses, status);
    int known_public = st != NULL && !credit_status_withdrawn(st->code);

    if (c == NULL) {
        return CREDIT_VIS_WITHDRAWN;
    }
    if (known_public && credit_date_cmp(c->disclosed, today) <= 0 &&
        credit_date_cmp(today, c->withdraw_on) < 0) {
        return CREDIT_VIS_PUBLIC;
    }
    if (credit_date_cmp(c->disclosed, today) > 0) {
        return CREDIT_VIS_NOT_YET;
    }
    return CREDIT_VIS_WITHDRAWN;
}

const char *credit_withdrawn_state(const char *status)
{
    const credit_enum_item_t *st = credit_enum_find(&credit_statuses, status);

    if (st != NULL && credit_status_withdrawn(st->code)) {
        return st->code;
    }
    return "expired";
}

/* Length in bytes of the UTF-8 sequence starting at s[0] (s valid UTF-8,
 * n bytes left). */
static size_t utf8_len(const char *s, size_t n)
{
    unsigned long cp;

    return credit_utf8_next(s, n, &cp);
}

/* Copies s[0..len) keeping its first `head` and last `tail` characters and
 * writing one '*' for each other character. When s has fewer than `min`
 * characters, or is not valid UTF-8 (then each byte counts), every character
 * becomes '*'. */
static char *mask_chars(apr_pool_t *p, const char *s, size_t len, long head, long tail, long min)
{
    long chars = credit_utf8_chars(s, len), i;
    size_t pos = 0, step;
    char *out, *w;

    out = w = apr_palloc(p, len + 1);
    if (chars < 0 || chars < min) {
        memset(out, '*', chars < 0 ? len : (size_t)chars);
        out[chars < 0 ? len : (size_t)chars] = '\0';
        return out;
    }
    for (i = 0; i < chars; i++) {
        step = utf8_len(s + pos, len - pos);
        if (i < head || i >= chars - tail) {
            memcpy(w, s + pos, step);
            w += step;
        } else {
            *w++ = '*';
        }
        pos += step;
    }
    *w = '\0';
    return out;
}

char *credit_mask_id(apr_pool_t *p, const char *id)
{
    if (id == NULL) {
        return NULL;
    }
    return mask_chars(p, id, strlen(id), 6, 4, 11);
}

char *credit_mask_phone(apr_pool_t *p, const char *phone)
{
    if (phone == NULL) {
        return NULL;
    }
    return mask_chars(p, phone, strlen(phone), 3, 4, 8);
}

/* The local part becomes its first character and "***" whatever its length
 * (the length is not shown); the domain is kept. Invalid UTF-8 is fully
 * masked. */
char *credit_mask_email(apr_pool_t *p, const char *email)
{
    const char *at;
    size_t local;

    if (email == NULL) {
        return NULL;
    }
    at = strrchr(email, '@');
    if (at == NULL || !credit_utf8_valid(email, strlen(email))) {
        return mask_chars(p, email, strlen(email), 0, 0, 0);
    }
    local = (size_t)(at - email);
    if (local == 0) {
        return apr_pstrcat(p, "***", at, NULL);
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, email, utf8_len(email, local)), "***", at, NULL);
}

char *credit_mask_name(apr_pool_t *p, const char *name)
{
    if (name == NULL) {
        return NULL;
    }
    return mask_chars(p, name, strlen(name), 1, 0, 0);
}
