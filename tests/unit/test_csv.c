/* test_csv.c: RFC 4180 fields and records, formula neutralisation, the
 * write callback's errors and the reusable buffer. */
#include <string.h>
#include <apr_strings.h>

#include "credit_csv.h"
#include "unit.h"

static credit_csv_buf_t out;

static const char *field(const char *value, unsigned flags)
{
    credit_csv_buf_init(&out, unit_pool);
    ck_assert_int_eq(credit_csv_field(credit_csv_buf_write, &out, value, flags), 0);
    return out.len ? out.data : "";
}

static const char *row(const char *const *fields, size_t n, const unsigned *flags)
{
    credit_csv_buf_init(&out, unit_pool);
    ck_assert_int_eq(credit_csv_row(credit_csv_buf_write, &out, fields, n, flags), 0);
    ck_assert_uint_eq(strlen(out.data), out.len);
    return out.data;
}

#define TEXT(v, want)    ck_assert_str_eq(field((v), CREDIT_CSV_TEXT), (want))
#define NUMERIC(v, want) ck_assert_str_eq(field((v), CREDIT_CSV_NUMERIC), (want))

/* A tiny RFC 4180 reader: the records of s as arrays of fields. Returns
 * NULL when s is not well-formed CSV ending in CRLF. */
static apr_array_header_t *read_csv(const char *s)
{
    apr_array_header_t *records = apr_array_make(unit_pool, 2, sizeof(apr_array_header_t *));
    apr_array_header_t *rec = NULL;

    while (*s) {
        char *buf = apr_palloc(unit_pool, strlen(s) + 1), *o = buf;

        if (rec == NULL) {
            rec = apr_array_make(unit_pool, 4, sizeof(const char *));
        }
        if (*s == '"') {
            for (s++;; s++) {
                if (*s == '\0') {
                    return NULL;
                }
                if (*s == '"') {
                    if (s[1] != '"') {
                        s++;
                        break;
                    }
                    s++;
                }
                *o++ = *s;
            }
        } else {
            while (*s && *s != ',' && *s != '\r' && *s != '\n') {
                if (*s == '"') {
                    return NULL; /* a quote in an unquoted field */
                }
                *o++ = *s++;
            }
        }
        *o = '\0';
        APR_ARRAY_PUSH(rec, const char *) = buf;
        if (*s == ',') {
            s++;
            if (*s == '\0') {
                return NULL;
            }
        } else if (s[0] == '\r' && s[1] == '\n') {
            s += 2;
            APR_ARRAY_PUSH(records, apr_array_header_t *) = rec;
            rec = NULL;
        } else {
            return NULL; /* bare CR or LF, text after a closing quote, or no CRLF */
        }
    }
    return rec == NULL ? records : NULL;
}

/* Writes the fields as one record, reads it back and compares, with the
 * neutralising apostrophe taken into account. */
static void round_trip(const char *const *fields, size_t n, const unsigned *flags)
{
    apr_array_header_t *records = read_csv(row(fields, n, flags)), *rec;
    size_t i;

    ck_assert_msg(records != NULL, "not CSV: %s", out.data);
    ck_assert_int_eq(records->nelts, 1);
    rec = APR_ARRAY_IDX(records, 0, apr_array_header_t *);
    ck_assert_int_eq(rec->nelts, (int)n);
    for (i = 0; i < n; i++) {
        const char *want = fields[i] ? fields[i] : "";

        if (credit_csv_neutralised(fields[i], flags ? flags[i] : CREDIT_CSV_TEXT)) {
            want = apr_pstrcat(unit_pool, "'", want, NULL);
        }
        ck_assert_str_eq(APR_ARRAY_IDX(rec, i, const char *), want);
    }
}

START_TEST(plain_fields)
{
    TEXT("abc", "abc");
    TEXT("TJZW-2023-000001", "TJZW-2023-000001");
    TEXT("a b", "a b");
    TEXT("2023-05-01", "2023-05-01");
    TEXT("12.50", "12.50");
    TEXT("'", "'");
    TEXT("a=b", "a=b");
    TEXT("a-b", "a-b");
    TEXT("", "");
    TEXT(NULL, "");
    NUMERIC("", "");
    NUMERIC(NULL, "");
}
END_TEST

START_TEST(chinese_untouched)
{
    TEXT("天津市和平区人民政府", "天津市和平区人民政府");
    TEXT("拖欠中小企业账款，逾期未付", "拖欠中小企业账款，逾期未付"); /* full-width comma */
    TEXT("津财罚〔2023〕12号", "津财罚〔2023〕12号");
    TEXT("“引号”与「括号」", "“引号”与「括号」");
    TEXT("－12", "－12"); /* full-width minus: no formula */
    TEXT("＝SUM(A1)", "＝SUM(A1)");
    TEXT("　前后全角空格　", "　前后全角空格　");
    TEXT("😀", "😀");
    TEXT("天津,和平", "\"天津,和平\"");
    TEXT("第一行\r\n第二行", "\"第一行\r\n第二行\"");
}
END_TEST

START_TEST(quoting)
{
    TEXT("a,b", "\"a,b\"");
    TEXT(",", "\",\"");
    TEXT("a\"b", "\"a\"\"b\"");
    TEXT("\"", "\"\"\"\"");
    TEXT("\"\"", "\"\"\"\"\"\"");
    TEXT("\"quoted\"", "\"\"\"quoted\"\"\"");
    TEXT("a\nb", "\"a\nb\"");
    TEXT("a\rb", "\"a\rb\"");
    TEXT("a\r\nb", "\"a\r\nb\"");
    TEXT("\n", "\"\n\"");
    TEXT("line 1\nline \"2\", end", "\"line 1\nline \"\"2\"\", end\"");
    /* leading or trailing space or TAB */
    TEXT(" a", "\" a\"");
    TEXT("a ", "\"a \"");
    TEXT(" ", "\" \"");
    TEXT("a\t", "\"a\t\"");
    TEXT("a\tb", "a\tb");
    /* other characters need nothing */
    TEXT("a;b|c'd", "a;b|c'd");
}
END_TEST

START_TEST(formula_neutralised)
{
    TEXT("=1+1", "'=1+1");
    TEXT("+1", "'+1");
    TEXT("-1", "'-1");
    TEXT("@SUM(A1:A9)", "'@SUM(A1:A9)");
    TEXT("\tx", "\"'\tx\"");
    TEXT("\rx", "\"'\rx\"");
    TEXT("=", "'=");
    TEXT("-", "'-");
    TEXT("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0");
    TEXT("=HYPERLINK(\"http://evil.example/\",\"点击\")",
         "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"点击\"\")\"");
    TEXT("=1,2", "\"'=1,2\"");
    TEXT("-2+3 ", "\"'-2+3 \"");
    TEXT("+\n", "\"'+\n\"");
    /* only the first character counts */
    TEXT("a=1", "a=1");
    TEXT(" =1", "\" =1\"");
    TEXT("'=1", "'=1");
    TEXT("\n=1", "\"\n=1\"");

    ck_assert_int_eq(credit_csv_neutralised("=1", CREDIT_CSV_TEXT), 1);
    ck_assert_int_eq(credit_csv_neutralised("x", CREDIT_CSV_TEXT), 0);
    ck_assert_int_eq(credit_csv_neutralised("", CREDIT_CSV_TEXT), 0);
    ck_assert_int_eq(credit_csv_neutralised(NULL, CREDIT_CSV_TEXT), 0);
}
END_TEST

START_TEST(numeric_columns)
{
    NUMERIC("-12.50", "-12.50");
    NUMERIC("+3", "+3");
    NUMERIC("-0", "-0");
    NUMERIC("12", "12");
    NUMERIC("2023-05-01", "2023-05-01");
    TEXT("-12.50", "'-12.50");
    TEXT("+3", "'+3");
    /* the flag allows plain numbers only */
    NUMERIC("-", "'-");
    NUMERIC("-1e5", "'-1e5");
    NUMERIC("-.5", "'-.5");
    NUMERIC("-12.", "'-12.");
    NUMERIC("-1-1", "'-1-1");
    NUMERIC("--1", "'--1");
    NUMERIC("=1", "'=1");
    NUMERIC("@1", "'@1");
    NUMERIC("-1,5", "\"'-1,5\"");
    NUMERIC("-12.50 ", "\"'-12.50 \"");
    NUMERIC("\t-1", "\"'\t-1\"");
    NUMERIC("-1+cmd|'/C calc'!A0", "'-1+cmd|'/C calc'!A0");
}
END_TEST

START_TEST(is_number)
{
    static const char *const yes[] = {"0", "12", "-12.50", "+3", "0.5", "-0.0", "123456789012"};
    static const char *const no[] = {"",   "-",   "+",   ".5",  "5.",   "1e5", "1.2.3", " 1",
                                     "1 ", "--1", "+-1", "0x1", "１２", "1,5", "-1-"};
    size_t i;

    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        ck_assert_msg(credit_csv_is_number(yes[i]), "%s", yes[i]);
    }
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        ck_assert_msg(!credit_csv_is_number(no[i]), "%s", no[i]);
    }
    ck_assert(!credit_csv_is_number(NULL));
}
END_TEST

START_TEST(rows)
{
    const char *r1[] = {"a", "b,c", "", "d\"e", NULL};
    const char *r2[] = {"TJZW-2023-000001", "https://x.example/credit/records/TJZW-2023-000001",
                        "天津市财政局", "2023-05-01 10:00:00", "-12.50"};
    const unsigned f2[] = {CREDIT_CSV_TEXT, CREDIT_CSV_TEXT, CREDIT_CSV_TEXT, CREDIT_CSV_TEXT,
                           CREDIT_CSV_NUMERIC};
    const char *one_empty[] = {""}, *one_null[] = {NULL}, *two_empty[] = {"", NULL};
    const char *multi[] = {"第一行\n第二行", "=x", "end"};

    ck_assert_str_eq(row(r1, 5, NULL), "a,\"b,c\",,\"d\"\"e\",\r\n");
    ck_assert_str_eq(row(r2, 5, f2),
                     "TJZW-2023-000001,https://x.example/credit/records/"
                     "TJZW-2023-000001,天津市财政局,2023-05-01 10:00:00,-12.50\r\n");
    ck_assert_str_eq(row(r2, 5, NULL),
                     "TJZW-2023-000001,https://x.example/credit/records/"
                     "TJZW-2023-000001,天津市财政局,2023-05-01 10:00:00,'-12.50\r\n");
    /* one empty field is "" so the record is no blank line */
    ck_assert_str_eq(row(one_empty, 1, NULL), "\"\"\r\n");
    ck_assert_str_eq(row(one_null, 1, NULL), "\"\"\r\n");
    ck_assert_str_eq(row(two_empty, 2, NULL), ",\r\n");
    ck_assert_str_eq(row(multi, 3, NULL), "\"第一行\n第二行\",'=x,end\r\n");

    round_trip(r1, 5, NULL);
    round_trip(r2, 5, f2);
    round_trip(r2, 5, NULL);
    round_trip(one_empty, 1, NULL);
    round_trip(one_null, 1, NULL);
    round_trip(two_empty, 2, NULL);
    round_trip(multi, 3, NULL);
}
END_TEST

START_TEST(rows_round_trip)
{
    /* every pair of awkward values reads back as written */
    static const char *const v[] = {
        "",       NULL,          "a",      " ",        "\"",     "\"\"", ",",   "\r",
        "\n",     "\r\n",        "\t",     "=",        "+",      "-",    "@",   "'",
        "-12.50", "a\"b,c\r\nd", " 拖欠 ", "\"天津\"", "=\"x\"", "\n-",  "-\n", ",,,",
    };
    const size_t n = sizeof(v) / sizeof(v[0]);
    const unsigned numeric[2] = {CREDIT_CSV_NUMERIC, CREDIT_CSV_NUMERIC};
    size_t i, j;

    for (i = 0; i < n; i++) {
        for (j = 0; j < n; j++) {
            const char *fields[2] = {v[i], v[j]};

            round_trip(fields, 1, NULL);
            round_trip(fields, 2, NULL);
            round_trip(fields, 2, numeric);
        }
    }
}
END_TEST

START_TEST(bad_arguments)
{
    const char *fields[] = {"a"};

    credit_csv_buf_init(&out, unit_pool);
    ck_assert_int_eq(credit_csv_field(NULL, &out, "a", 0), CREDIT_CSV_EARG);
    ck_assert_int_eq(credit_csv_row(NULL, &out, fields, 1, NULL), CREDIT_CSV_EARG);
    ck_assert_int_eq(credit_csv_row(credit_csv_buf_write, &out, NULL, 1, NULL), CREDIT_CSV_EARG);
    ck_assert_int_eq(credit_csv_row(credit_csv_buf_write, &out, fields, 0, NULL), CREDIT_CSV_EARG);
    ck_assert_uint_eq(out.len, 0);
    ck_assert_int_eq(credit_csv_buf_write(NULL, "a", 1), CREDIT_CSV_EARG);
    ck_assert_int_eq(credit_csv_buf_write(&out, NULL, 1), CREDIT_CSV_EARG);
    ck_assert_int_eq(credit_csv_buf_write(&out, NULL, 0), 0);
    ck_assert_int_eq(credit_csv_buf_write(&out, "x", (size_t)-1), CREDIT_CSV_EARG);
}
END_TEST

/* A writer that fails at call number fail_at (1-based) with 42 + the call
 * number, and counts the calls made after it. */
typedef struct {
    int calls, fail_at, after;
} failing_t;

static int failing_write(void *ctx, const char *buf, size_t len)
{
    failing_t *f = ctx;

    (void)buf;
    (void)len;
    if (f->calls >= f->fail_at) {
        f->after++;
    }
    f->calls++;
    return f->calls == f->fail_at ? 42 + f->calls : 0;
}

START_TEST(write_errors)
{
    const char *fields[] = {"=a\"b\"c", "x", ",", ""};
    failing_t f = {0, 1 << 30, 0};
    int total, k, rv;

    /* count the calls of a successful run */
    ck_assert_int_eq(credit_csv_row(failing_write, &f, fields, 4, NULL), 0);
    total = f.calls;
    ck_assert_int_gt(total, 5);
    for (k = 1; k <= total; k++) {
        failing_t g = {0, k, 0};

        rv = credit_csv_row(failing_write, &g, fields, 4, NULL);
        ck_assert_int_eq(rv, 42 + k);
        ck_assert_int_eq(g.calls, k); /* nothing after the failure */
        ck_assert_int_eq(g.after, 0);
    }
    for (k = 1; k <= 3; k++) {
        failing_t g = {0, k, 0};

        ck_assert_int_eq(credit_csv_field(failing_write, &g, "=a\"b\"c", 0), 42 + k);
        ck_assert_int_eq(g.calls, k);
    }
}
END_TEST

START_TEST(bom)
{
    ck_assert_uint_eq(strlen(CREDIT_CSV_BOM), CREDIT_CSV_BOM_LEN);
    ck_assert_int_eq(memcmp(CREDIT_CSV_BOM, "\xEF\xBB\xBF", 3), 0);
    ck_assert_str_eq(CREDIT_CSV_BOM, "\xEF\xBB\xBF"); /* U+FEFF in UTF-8 */
}
END_TEST

START_TEST(buffer_reused)
{
    const char *fields[] = {"TJZW-2023-000001", "拖欠中小企业账款，逾期未付", "=1"};
    size_t cap;
    int i;

    credit_csv_buf_init(&out, unit_pool);
    ck_assert_int_eq(credit_csv_row(credit_csv_buf_write, &out, fields, 3, NULL), 0);
    cap = out.cap;
    for (i = 0; i < 10000; i++) {
        out.len = 0;
        ck_assert_int_eq(credit_csv_row(credit_csv_buf_write, &out, fields, 3, NULL), 0);
    }
    /* constant memory: the capacity of one record is reused */
    ck_assert_uint_eq(out.cap, cap);
    ck_assert_str_eq(out.data, "TJZW-2023-000001,拖欠中小企业账款，逾期未付,'=1\r\n");

    /* growth past the first block keeps what was written */
    credit_csv_buf_init(&out, unit_pool);
    for (i = 0; i < 1000; i++) {
        ck_assert_int_eq(credit_csv_buf_write(&out, "0123456789", 10), 0);
    }
    ck_assert_uint_eq(out.len, 10000);
    ck_assert_uint_ge(out.cap, 10001);
    ck_assert_int_eq(memcmp(out.data + 9990, "0123456789", 10), 0);
    ck_assert_int_eq(out.data[10000], '\0');
}
END_TEST

Suite *csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *fields = tcase_create("fields");
    TCase *records = tcase_create("records");

    tcase_add_checked_fixture(fields, unit_setup, unit_teardown);
    tcase_add_checked_fixture(records, unit_setup, unit_teardown);
    tcase_add_test(fields, plain_fields);
    tcase_add_test(fields, chinese_untouched);
    tcase_add_test(fields, quoting);
    tcase_add_test(fields, formula_neutralised);
    tcase_add_test(fields, numeric_columns);
    tcase_add_test(fields, is_number);
    tcase_add_test(records, rows);
    tcase_add_test(records, rows_round_trip);
    tcase_add_test(records, bad_arguments);
    tcase_add_test(records, write_errors);
    tcase_add_test(records, bom);
    tcase_add_test(records, buffer_reused);
    suite_add_tcase(s, fields);
    suite_add_tcase(s, records);
    return s;
}
