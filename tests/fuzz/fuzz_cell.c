/* fuzz_cell.c: libFuzzer target for the typing and the text of workbook
 * cells (credit_export.c). The input is a column-type byte, a length byte,
 * then the value (up to its first NUL). Checks: a typed value is one the
 * parser accepts only when the text says so (a NUMBER's double is finite,
 * a DATE/DATETIME's parts are in range) and text stays the value; the cell
 * text is valid UTF-8 without a character XML forbids, at most max
 * characters long, and read as a spreadsheet reads it (_xHHHH_ escapes
 * decoded) it is a prefix of the value with forbidden characters as
 * U+FFFD. Any violation abort()s. */
#include <math.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_export.h"
#include "credit_validate.h"
#include "fuzz.h"

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* s with every "_xHHHH_" of a code point below 0x80 decoded, as a
 * spreadsheet reads it (the writer only ever escapes '_'). */
static char *excel_reads(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, strlen(s) + 1), *o = out;
    while (*s) {
        if (s[0] == '_' && (s[1] == 'x' || s[1] == 'X') && hexval(s[2]) >= 0 && hexval(s[3]) >= 0 &&
            hexval(s[4]) >= 0 && hexval(s[5]) >= 0 && s[6] == '_') {
            int cp = hexval(s[2]) << 12 | hexval(s[3]) << 8 | hexval(s[4]) << 4 | hexval(s[5]);
            CHECK(cp == '_'); /* the only escape the writer makes */
            *o++ = (char)cp;
            s += 7;
            continue;
        }
        *o++ = *s++;
    }
    *o = '\0';
    return out;
}

/* 1 when s (valid UTF-8) holds a character XML 1.0 forbids: a C0 control
 * but TAB, LF, CR; U+FFFE; U+FFFF. */
static int xml_forbidden(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    for (; *u; u++) {
        if (*u < 0x20 && *u != '\t' && *u != '\n' && *u != '\r') {
            return 1;
        }
        if (u[0] == 0xEF && u[1] == 0xBF && (u[2] == 0xBE || u[2] == 0xBF)) {
            return 1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    credit_cell_t c;
    credit_col_type_t type;
    size_t max, len, clean_len;
    char *value, *text, *clean, *read;
    long chars;

    if (size < 2) {
        return 0;
    }
    type = (credit_col_type_t)(data[0] % 4);
    max = data[1];
    value = malloc(size - 1);
    memcpy(value, data + 2, size - 2);
    value[size - 2] = '\0';
    apr_pool_create(&p, NULL);

    switch (credit_export_cell(type, value, &c)) {
    case CREDIT_COL_NUMBER:
        CHECK(type == CREDIT_COL_NUMBER && c.text == NULL && isfinite(c.number));
        break;
    case CREDIT_COL_DATE:
    case CREDIT_COL_DATETIME:
        CHECK(c.type == type && c.text == NULL);
        CHECK(c.y >= 1900 && c.y <= 2999 && c.mo >= 1 && c.mo <= 12 && c.d >= 1 && c.d <= 31);
        CHECK(c.h >= 0 && c.h <= 23 && c.mi >= 0 && c.mi <= 59 && c.s >= 0 && c.s <= 59);
        CHECK(type == CREDIT_COL_DATETIME || (c.h == 0 && c.mi == 0 && c.s == 0));
        break;
    case CREDIT_COL_TEXT:
        CHECK(*value ? c.text == value : c.text == NULL);
        break;
    }

    text = credit_export_cell_text(p, value, max);
    len = strlen(text);
    chars = credit_utf8_chars(text, len);
    CHECK(chars >= 0 && (size_t)chars <= max);
    CHECK(!xml_forbidden(text));
    clean = credit_xml_clean(p, value, strlen(value), &clean_len);
    read = excel_reads(p, text);
    CHECK(strlen(read) <= clean_len && memcmp(read, clean, strlen(read)) == 0);
    /* cut only when the limit was reached */
    if (strlen(read) < clean_len) {
        CHECK((size_t)chars + 7 > max);
    }

    apr_pool_destroy(p);
    free(value);
    return 0;
}
