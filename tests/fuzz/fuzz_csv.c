/* fuzz_csv.c: libFuzzer target for the CSV writer. The input is
 * flags byte, then fields separated by NUL bytes: bit i of the flags byte
 * makes column i (mod 7) numeric; bit 7 makes empty fields NULL. Two copies
 * of the record are written and read back with a strict RFC 4180 reader:
 * every field must come back as written, with the neutralising apostrophe
 * exactly where credit_csv_neutralised() says, and no cell may start with a
 * formula character unless it is a plain number in a numeric column. Any
 * violation abort()s. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "fuzz.h"
#include "credit_csv.h"

#define MAX_FIELDS 64

/* Reads one field at *s into out; returns 0 when malformed. */
static int read_field(const char **s, char *out)
{
    const char *p = *s;

    if (*p == '"') {
        for (p++;; p++) {
            if (*p == '\0') {
                return 0;
            }
            if (*p == '"') {
                if (p[1] != '"') {
                    p++;
                    break;
                }
                p++;
            }
            *out++ = *p;
        }
    } else {
        while (*p && *p != ',' && *p != '\r' && *p != '\n') {
            if (*p == '"') {
                return 0;
            }
            *out++ = *p++;
        }
    }
    *out = '\0';
    *s = p;
    return 1;
}

static int formula_char(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Reads one record at *s and compares it with the fields written. */
static void check_record(const char **s, const char *const *fields, const unsigned *flags, size_t n,
                         char *buf)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *want = fields[i] ? fields[i] : "";
        int neutral = credit_csv_neutralised(fields[i], flags[i]);

        if (i > 0) {
            CHECK(**s == ',');
            (*s)++;
        }
        CHECK(read_field(s, buf));
        if (neutral) {
            CHECK(buf[0] == '\'' && strcmp(buf + 1, want) == 0);
        } else {
            CHECK(strcmp(buf, want) == 0);
        }
        CHECK(!formula_char(buf[0]) ||
              ((flags[i] & CREDIT_CSV_NUMERIC) && credit_csv_is_number(buf)));
    }
    CHECK((*s)[0] == '\r' && (*s)[1] == '\n');
    *s += 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *fields[MAX_FIELDS], *s;
    unsigned flags[MAX_FIELDS];
    credit_csv_buf_t out;
    size_t n = 0, i, start;
    char *copy, *buf;
    int null_empty;

    if (size < 1 || size > 8192) {
        return 0;
    }
    apr_pool_create(&p, NULL);
    null_empty = (data[0] & 0x80) != 0;
    copy = apr_pmemdup(p, data + 1, size - 1);
    for (start = 0, i = 0; i <= size - 1 && n < MAX_FIELDS; i++) {
        if (i == size - 1 || copy[i] == '\0') {
            if (i < size - 1) {
                copy[i] = '\0';
            }
            fields[n] =
                i == start && null_empty ? NULL : apr_pstrmemdup(p, copy + start, i - start);
            flags[n] = (data[0] >> (n % 7)) & 1 ? CREDIT_CSV_NUMERIC : CREDIT_CSV_TEXT;
            n++;
            start = i + 1;
        }
    }

    credit_csv_buf_init(&out, p);
    CHECK(credit_csv_buf_write(&out, CREDIT_CSV_BOM, CREDIT_CSV_BOM_LEN) == 0);
    CHECK(credit_csv_row(credit_csv_buf_write, &out, fields, n, flags) == 0);
    CHECK(credit_csv_row(credit_csv_buf_write, &out, fields, n, flags) == 0);
    CHECK(out.len == strlen(out.data));
    CHECK(memcmp(out.data, CREDIT_CSV_BOM, CREDIT_CSV_BOM_LEN) == 0);

    buf = apr_palloc(p, out.len + 1);
    s = out.data + CREDIT_CSV_BOM_LEN;
    if (n == 1 && (fields[0] == NULL || fields[0][0] == '\0')) {
        /* one empty field is written "" so the record is no blank line */
        CHECK(strcmp(s, "\"\"\r\n\"\"\r\n") == 0);
    }
    check_record(&s, fields, flags, n, buf);
    check_record(&s, fields, flags, n, buf);
    CHECK(*s == '\0');
    apr_pool_destroy(p);
    return 0;
}
