/* credit_validate.c: validation of untrusted strings. Pure, no allocation. */
#include <string.h>
#include <apr_strings.h>

#include "credit_validate.h"

/* GB 32100-2015: 31 characters (no I O S V Z) and the weights 3^i mod 31. */
static const char code_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int code_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};

/* Value of c in the code alphabet, or -1 (also for '\0'). */
static int code_value(char c)
{
    const char *hit;

    if (c == '\0') {
        return -1;
    }
    hit = strchr(code_alphabet, c);
    return hit ? (int)(hit - code_alphabet) : -1;
}

char credit_code_check_char(const char *first17)
{
    int i, sum = 0, v;

    if (first17 == NULL) {
        return '\0';
    }
    for (i = 0; i < 17; i++) {
        v = code_value(first17[i]);
        if (v < 0) {
            return '\0';
        }
        sum += v * code_weights[i];
    }
    if (first17[17] != '\0') {
        return '\0';
    }
    return code_alphabet[(31 - sum % 31) % 31];
}

int credit_code_valid(const char *code)
{
    char first17[18];
    char check;

    if (code == NULL || strlen(code) != 18) {
        return 0;
    }
    memcpy(first17, code, 17);
    first17[17] = '\0';
    check = credit_code_check_char(first17);
    return check != '\0' && check == code[17];
}

size_t credit_utf8_next(const char *str, size_t len, unsigned long *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned long c = s[0], min;
    size_t n, i;

    if (c == 0) {
        return 0;
    }
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, c &= 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, c &= 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 (always overlong) or F5..FF */
    }
    if (len < n) {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        return 0;
    }
    *cp = c;
    return n;
}

long credit_utf8_chars(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long cp;
    size_t i = 0, n;
    long chars = 0;

    if (s == NULL) {
        return len == 0 ? 0 : -1;
    }
    while (i < len) {
        n = credit_utf8_next((const char *)u + i, len - i, &cp);
        if (n == 0) {
            return -1;
        }
        i += n;
        chars++;
    }
    return chars;
}

int credit_utf8_valid(const char *s, size_t len)
{
    return credit_utf8_chars(s, len) >= 0;
}

/* Reads exactly n decimal digits; returns the value or -1. */
static long digits(const char *s, int n)
{
    long v = 0;
    int i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int credit_days_in_month(long y, int m)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 ? 28 + leap : mdays[m - 1];
}

int credit_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int credit_date_parse(const char *s, credit_date_t *out)
{
    long y, m, d;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return 0;
    }
    y = digits(s, 4);
    m = digits(s + 5, 2);
    d = digits(s + 8, 2);
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > credit_days_in_month(y, (int)m)) {
        return 0;
    }
    if (out) {
        out->y = (int)y;
        out->m = (int)m;
        out->d = (int)d;
    }
    return 1;
}

/* TJZW-YYYY-NNNNNN: a year 1900..2999 and a serial 000001..999999 (serials
 * are issued from 1, so 000000 never names a record). */
int credit_record_no_valid(const char *s)
{
    long y, n;

    if (s == NULL || strlen(s) != 16 || strncmp(s, "TJZW-", 5) != 0 || s[9] != '-') {
        return 0;
    }
    y = digits(s + 5, 4);
    n = digits(s + 10, 6);
    return y >= 1900 && y <= 2999 && n >= 1;
}

int credit_id_parse(const char *s, unsigned long long *out)
{
    const unsigned long long max = 1ULL << 53;
    unsigned long long v = 0;
    size_t i;

    if (s == NULL || s[0] < '1' || s[0] > '9') {
        return 0;
    }
    for (i = 0; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9' || i >= 16) {
            return 0; /* 2^53 has 16 digits */
        }
        v = v * 10 + (unsigned long long)(s[i] - '0');
    }
    if (v > max) {
        return 0;
    }
    if (out) {
        *out = v;
    }
    return 1;
}

int credit_origin_parse(apr_pool_t *p, const char *s, const char **out)
{
    const char *host, *end;
    char *o;
    size_t n, i;
    if (!s)
        return 0;
    if (strncmp(s, "https://", 8) == 0)
        host = s + 8;
    else if (strncmp(s, "http://", 7) == 0)
        host = s + 7;
    else
        return 0;
    n = strlen(s);
    if (n > 255)
        return 0;
    if (s[n - 1] == '/')
        n--;
    end = s + n;
    if (host >= end)
        return 0;
    if (*host == '[') { /* [IPv6] */
        const char *close = memchr(host, ']', (size_t)(end - host));
        if (!close || close == host + 1)
            return 0;
        for (i = 1; host + i < close; i++)
            if (!strchr("0123456789abcdefABCDEF:.", host[i]))
                return 0;
        host = close + 1;
    } else {
        const char *h = host;
        while (h < end && *h != ':') {
            if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
                  (*h >= '0' && *h <= '9') || *h == '.' || *h == '-'))
                return 0;
            h++;
        }
        if (h == host || *host == '.' || *host == '-' || h[-1] == '.' || h[-1] == '-')
            return 0;
        host = h;
    }
    if (host < end) { /* :port */
        long port = 0;
        if (*host != ':' || host + 1 == end || end - host > 6)
            return 0;
        for (host++; host < end; host++) {
            if (*host < '0' || *host > '9')
                return 0;
            port = port * 10 + (*host - '0');
        }
        if (port < 1 || port > 65535)
            return 0;
    }
    o = apr_pstrmemdup(p, s, n);
    for (i = 0; o[i]; i++)
        if (o[i] >= 'A' && o[i] <= 'Z')
            o[i] = (char)(o[i] - 'A' + 'a');
    *out = o;
    return 1;
}

int credit_char_allowed(unsigned long cp, int whitespace)
{
    if (cp == '\t' || cp == '\n' || cp == '\r')
        return whitespace;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029)
        return 0;
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
        return 0; /* non-characters: never text, and U+FFFE/U+FFFF are not XML */
    return cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

int credit_has_control(const char *s, int multiline)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s), i = 0, n;
    unsigned long cp;
    while (i < len) {
        n = credit_utf8_next((const char *)u + i, len - i, &cp);
        if (n == 0) { /* not UTF-8: the UTF-8 check says so; a C0 byte is still one */
            if (u[i] < 0x20 || u[i] == 0x7f)
                return 1;
            i++;
            continue;
        }
        if (!credit_char_allowed(cp, multiline))
            return 1;
        i += n;
    }
    return 0;
}

/* 1 when the character at u[0..len) is one XML 1.0 allows, 0 for one it
 * forbids (C0 controls but TAB, LF, CR; U+FFFE, U+FFFF) or a byte that is
 * not UTF-8; *n: the bytes it takes (1 for such a byte). Printable ASCII,
 * most of any page, is not decoded. */
static int xml_char(const unsigned char *u, size_t len, size_t *n)
{
    unsigned long cp;
    *n = 1;
    if ((u[0] >= 0x20 && u[0] < 0x80) || u[0] == '\t' || u[0] == '\n' || u[0] == '\r')
        return 1;
    if (u[0] < 0x20 || (*n = credit_utf8_next((const char *)u, len, &cp)) == 0) {
        *n = 1;
        return 0;
    }
    return cp != 0xFFFE && cp != 0xFFFF && cp >= 0x20;
}

char *credit_xml_clean(apr_pool_t *p, const char *s, size_t len, size_t *out_len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i, n, bad = 0, run;
    char *out, *o;
    /* Counted first: a page needs no change but its copy (a feed of 50
     * entries went through this a character at a time, into three times
     * its length: 7% of httpd's time for a feed). */
    for (i = 0; i < len; i += n)
        bad += !xml_char(u + i, len - i, &n);
    out = o = apr_palloc(p, len + 2 * bad + 1); /* a bad character becomes U+FFFD, 3 bytes */
    if (!bad) {
        memcpy(out, s, len);
        o += len;
    }
    for (i = 0; bad && i < len;) {
        for (run = i; run < len && xml_char(u + run, len - run, &n); run += n)
            ;
        memcpy(o, s + i, run - i);
        o += run - i;
        if (run < len) {
            memcpy(o, "\xEF\xBF\xBD", 3); /* U+FFFD */
            o += 3;
            run += n;
        }
        i = run;
    }
    *o = '\0';
    *out_len = (size_t)(o - out);
    return out;
}

const char *credit_text_excerpt(apr_pool_t *p, const char *s, size_t max_chars)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s), i = 0, n, chars = 0;
    char *out = apr_palloc(p, 3 * (max_chars < len ? max_chars : len) + 4), *o = out;
    unsigned long cp;
    while (i < len) {
        if (chars == max_chars) {
            memcpy(o, "\xE2\x80\xA6", 3); /* U+2026: cut here */
            o += 3;
            break;
        }
        n = credit_utf8_next((const char *)u + i, len - i, &cp);
        if (n == 0 || !credit_char_allowed(cp, 0)) {
            memcpy(o, "\xEF\xBF\xBD", 3); /* U+FFFD */
            o += 3;
        } else {
            memcpy(o, s + i, n);
            o += n;
        }
        i += n ? n : 1;
        chars++;
    }
    *o = '\0';
    return out;
}
