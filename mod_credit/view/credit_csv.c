/* credit_csv.c: RFC 4180 fields and records through a write callback, with
 * spreadsheet formula injection neutralised. No allocation except in the
 * optional buffer. */
#include <string.h>

#include "credit_csv.h"

/* Characters that make a spreadsheet read a cell as a formula (OWASP). */
static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

int credit_csv_is_number(const char *value)
{
    const char *s = value;

    if (s == NULL) {
        return 0;
    }
    if (*s == '+' || *s == '-') {
        s++;
    }
    if (!digit(*s)) {
        return 0;
    }
    while (digit(*s)) {
        s++;
    }
    if (*s == '.') {
        s++;
        if (!digit(*s)) {
            return 0;
        }
        while (digit(*s)) {
            s++;
        }
    }
    return *s == '\0';
}

int credit_csv_neutralised(const char *value, unsigned flags)
{
    if (value == NULL || !formula_start(value[0])) {
        return 0;
    }
    return !((flags & CREDIT_CSV_NUMERIC) && credit_csv_is_number(value));
}

int credit_csv_field(credit_write_fn *write, void *ctx, const char *value, unsigned flags)
{
    const char *s, *q;
    char prefix[2];
    size_t len, first, np = 0;
    int quote, rv;

    if (write == NULL) {
        return CREDIT_CSV_EARG;
    }
    if (value == NULL || value[0] == '\0') {
        return 0;
    }
    /* One pass for most fields: the first character that needs quoting,
     * or the end (then its length). */
    len = first = strcspn(value, ",\"\r\n");
    quote = value[first] != '\0';
    if (quote)
        len += strlen(value + first);
    quote = quote || blank(value[0]) || blank(value[len - 1]);
    if (quote) {
        prefix[np++] = '"';
    }
    if (credit_csv_neutralised(value, flags)) {
        prefix[np++] = '\'';
    }
    if (np > 0 && (rv = write(ctx, prefix, np)) != 0) {
        return rv;
    }
    /* each '"' is written twice: once with the run before it, once alone
     * (none before the first character that needs quoting) */
    for (s = value; value[first] && (q = strchr(s, '"')) != NULL; s = q + 1) {
        if ((rv = write(ctx, s, (size_t)(q - s) + 1)) != 0 || (rv = write(ctx, "\"", 1)) != 0) {
            return rv;
        }
    }
    if (*s != '\0' && (rv = write(ctx, s, len - (size_t)(s - value))) != 0) {
        return rv;
    }
    if (quote && (rv = write(ctx, "\"", 1)) != 0) {
        return rv;
    }
    return 0;
}

int credit_csv_row(credit_write_fn *write, void *ctx, const char *const *fields, size_t n,
                   const unsigned *flags)
{
    size_t i;
    int rv;

    if (write == NULL || fields == NULL || n == 0) {
        return CREDIT_CSV_EARG;
    }
    if (n == 1 && (fields[0] == NULL || fields[0][0] == '\0')) {
        return write(ctx, "\"\"\r\n", 4);
    }
    for (i = 0; i < n; i++) {
        if (i > 0 && (rv = write(ctx, ",", 1)) != 0) {
            return rv;
        }
        if ((rv = credit_csv_field(write, ctx, fields[i], flags ? flags[i] : CREDIT_CSV_TEXT)) !=
            0) {
            return rv;
        }
    }
    return write(ctx, "\r\n", 2);
}

void credit_csv_buf_init(credit_csv_buf_t *b, apr_pool_t *p)
{
    b->pool = p;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

int credit_csv_buf_write(void *ctx, const char *buf, size_t len)
{
    credit_csv_buf_t *b = ctx;
    size_t need, cap;
    char *data;

    if (b == NULL || (len > 0 && buf == NULL)) {
        return CREDIT_CSV_EARG;
    }
    if (len > (size_t)-1 / 2 - b->len - 1) {
        return CREDIT_CSV_EARG;
    }
    need = b->len + len + 1;
    if (need > b->cap) {
        cap = b->cap < 256 ? 256 : b->cap;
        while (cap < need) {
            cap *= 2;
        }
        data = apr_palloc(b->pool, cap);
        if (b->len > 0) {
            memcpy(data, b->data, b->len);
        }
        b->data = data;
        b->cap = cap;
    }
    if (len > 0) {
        memcpy(b->data + b->len, buf, len);
    }
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}
