/* test_export.c: the columns of the record exports, a record's values in
 * their order, the typing of values for spreadsheet cells, and workbooks
 * written by credit_xlsx (worksheets, cells too long, failures). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>
#include <apr_file_io.h>

#include "credit_export.h"
#include "credit_xlsx.h"
#include "unit.h"

static int col(const char *suffix)
{
    size_t i, n = strlen(suffix);
    for (i = 0; i < CREDIT_EXPORT_COLS; i++) {
        size_t m = strlen(credit_export_cols[i].name);
        if (m > n && strcmp(credit_export_cols[i].name + m - n, suffix) == 0 &&
            credit_export_cols[i].name[m - n - 1] == ' ')
            return (int)i;
    }
    ck_abort_msg("no column %s", suffix);
    return -1;
}

START_TEST(columns_are_typed)
{
    /* Codes and numbers made of digits are text; dates, amounts typed. */
    ck_assert_int_eq(credit_export_cols[col("record_no")].type, CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cols[col("credit_code")].type, CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cols[col("id_masked")].type, CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cols[col("decision_no")].type, CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cols[col("amount")].type, CREDIT_COL_NUMBER);
    ck_assert_int_eq(credit_export_cols[col("decided_on")].type, CREDIT_COL_DATE);
    ck_assert_int_eq(credit_export_cols[col("disclosed_on")].type, CREDIT_COL_DATE);
    ck_assert_int_eq(credit_export_cols[col("repair_from")].type, CREDIT_COL_DATE);
    ck_assert_int_eq(credit_export_cols[col("withdraw_on")].type, CREDIT_COL_DATE);
    ck_assert_int_eq(credit_export_cols[col("updated_at")].type, CREDIT_COL_DATETIME);
    ck_assert_str_eq(credit_export_cols[0].name, "记录编号 record_no");
}
END_TEST

START_TEST(values_in_column_order)
{
    credit_record_t r;
    credit_export_buf_t buf;
    const char *v[CREDIT_EXPORT_COLS];
    memset(&r, 0, sizeof r);
    r.record_no = "TJZW-2026-000123";
    r.subject.name = "某区财政局";
    r.subject.kind = "gov";
    r.subject.credit_code = "111201011072075123";
    r.subject.district = "heping";
    r.category = "penalty";
    r.domain = "ppp";
    r.severity = "serious";
    r.status = "corrected";
    r.decided_on = "2026-01-05";
    r.amount = "-12.50";
    r.updated_at = "2026-01-06 09:10:11";
    r.clock.disclosed = (credit_date_t){2026, 1, 6};
    r.clock.repair_from = (credit_date_t){2027, 1, 6};
    r.clock.withdraw_on = (credit_date_t){2029, 1, 6};
    credit_export_values(&r, "https://x.example/credit", &buf, v);
    ck_assert_str_eq(v[col("record_no")], "TJZW-2026-000123");
    ck_assert_str_eq(v[col("url")], "https://x.example/credit/records/TJZW-2026-000123");
    ck_assert_str_eq(v[col("credit_code")], "111201011072075123");
    ck_assert_str_eq(v[col("kind")], "政府机构");
    ck_assert_str_eq(v[col("district")], "和平区");
    ck_assert_str_eq(v[col("severity")], "严重");
    ck_assert_str_eq(v[col("status")], "已更正");
    ck_assert_str_eq(v[col("disclosed_on")], "2026-01-06");
    ck_assert_str_eq(v[col("repair_from")], "2027-01-06");
    ck_assert_str_eq(v[col("withdraw_on")], "2029-01-06");
    ck_assert_str_eq(v[col("amount")], "-12.50");
    ck_assert_ptr_null(v[col("id_masked")]);
    ck_assert_ptr_null(v[col("facts")]);
    /* a minor record has no repair date */
    r.clock.repair_from.y = 0;
    credit_export_values(&r, "", &buf, v);
    ck_assert_ptr_null(v[col("repair_from")]);
    ck_assert_str_eq(v[col("url")], "/records/TJZW-2026-000123");
}
END_TEST

START_TEST(numbers)
{
    credit_cell_t c;
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "12000.00", &c), CREDIT_COL_NUMBER);
    ck_assert(c.number == 12000.0 && c.text == NULL);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "-12.50", &c), CREDIT_COL_NUMBER);
    ck_assert(c.number == -12.5);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "+0.05", &c), CREDIT_COL_NUMBER);
    ck_assert(c.number == 0.05);
    /* the largest amount the database holds, DECIMAL(15,2) */
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "9999999999999.99", &c),
                     CREDIT_COL_NUMBER);
    ck_assert(c.number == 9999999999999.99);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "0000000000000000000012.5", &c),
                     CREDIT_COL_NUMBER);
    ck_assert(c.number == 12.5);
    /* more digits than a double keeps, or not a plain decimal: text as it is */
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "1234567890123456", &c),
                     CREDIT_COL_TEXT);
    ck_assert_str_eq(c.text, "1234567890123456");
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "1e5", &c), CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "12.", &c), CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, ".5", &c), CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "1.2.3", &c), CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "-", &c), CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, " 1", &c), CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "1,000", &c), CREDIT_COL_TEXT);
    ck_assert_str_eq(c.text, "1,000");
    /* a text column never becomes a number, digits or not */
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_TEXT, "111201011072075123", &c),
                     CREDIT_COL_TEXT);
    ck_assert_str_eq(c.text, "111201011072075123");
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_TEXT, "=1+2", &c), CREDIT_COL_TEXT);
    ck_assert_str_eq(c.text, "=1+2");
}
END_TEST

START_TEST(dates)
{
    credit_cell_t c;
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_DATE, "2026-02-28", &c), CREDIT_COL_DATE);
    ck_assert(c.y == 2026 && c.mo == 2 && c.d == 28 && c.h == 0 && c.text == NULL);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_DATETIME, "2026-02-28 23:59:58", &c),
                     CREDIT_COL_DATETIME);
    ck_assert(c.y == 2026 && c.mo == 2 && c.d == 28 && c.h == 23 && c.mi == 59 && c.s == 58);
    /* not a day of the calendar, or not the column's shape: text */
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_DATE, "2026-02-30", &c), CREDIT_COL_TEXT);
    ck_assert_str_eq(c.text, "2026-02-30");
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_DATE, "2026-02-28 10:00:00", &c),
                     CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_DATETIME, "2026-02-28", &c), CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_DATETIME, "2026-02-28 24:00:00", &c),
                     CREDIT_COL_TEXT);
    ck_assert(c.h == 0 && c.mi == 0);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_DATETIME, "2026-02-28T10:00:00", &c),
                     CREDIT_COL_TEXT);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_DATE, "20260228", &c), CREDIT_COL_TEXT);
    /* nothing: an empty text cell */
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_DATE, NULL, &c), CREDIT_COL_TEXT);
    ck_assert_ptr_null(c.text);
    ck_assert_int_eq(credit_export_cell(CREDIT_COL_NUMBER, "", &c), CREDIT_COL_TEXT);
    ck_assert_ptr_null(c.text);
}
END_TEST

START_TEST(cell_text)
{
    /* characters XML forbids, bytes that are not UTF-8: U+FFFD */
    ck_assert_str_eq(credit_export_cell_text(unit_pool,
                                             "a\x01"
                                             "b\xEF\xBF\xBE"
                                             "c\xFF",
                                             100),
                     "a\xEF\xBF\xBD"
                     "b\xEF\xBF\xBD"
                     "c\xEF\xBF\xBD");
    /* TAB, LF, CR are text */
    ck_assert_str_eq(credit_export_cell_text(unit_pool, "a\tb\r\nc", 100), "a\tb\r\nc");
    /* what a spreadsheet would read as an escaped character keeps its text */
    ck_assert_str_eq(credit_export_cell_text(unit_pool, "A_x0041_B_X00e9_", 100),
                     "A_x005F_x0041_B_x005F_X00e9_");
    ck_assert_str_eq(credit_export_cell_text(unit_pool, "_x004_ _x0041 _xZZZZ_ x0041_", 100),
                     "_x004_ _x0041 _xZZZZ_ x0041_");
    /* cut after max characters, not bytes, never inside a character */
    ck_assert_str_eq(credit_export_cell_text(unit_pool, "中文字符", 2), "中文");
    ck_assert_str_eq(credit_export_cell_text(unit_pool, "abc", 0), "");
    /* an escape that would not fit whole is left out */
    ck_assert_str_eq(credit_export_cell_text(unit_pool, "a_x0041_", 7), "a");
    ck_assert_str_eq(credit_export_cell_text(unit_pool, "a_x0041_", 8), "a_x005F_");
    ck_assert_str_eq(credit_export_cell_text(unit_pool, "", 10), "");
}
END_TEST

/* ---- workbooks ---- */

static const credit_export_col_t cols[] = {
    {"no", CREDIT_COL_TEXT, 10},
    {"amount", CREDIT_COL_NUMBER, 10},
    {"day", CREDIT_COL_DATE, 10},
};

static char *temp_path(void)
{
    const char *dir;
    apr_file_t *f;
    char *tpl;
    ck_assert_int_eq(apr_temp_dir_get(&dir, unit_pool), APR_SUCCESS);
    tpl = apr_pstrcat(unit_pool, dir, "/credit-unit-XXXXXX", NULL);
    ck_assert_int_eq(
        apr_file_mktemp(&f, tpl, APR_FOPEN_CREATE | APR_FOPEN_WRITE | APR_FOPEN_EXCL, unit_pool),
        APR_SUCCESS);
    apr_file_close(f);
    return tpl;
}

static int read_path(const char *path, char **data, apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    if (apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, unit_pool) != APR_SUCCESS ||
        apr_file_info_get(&fi, APR_FINFO_SIZE, f) != APR_SUCCESS)
        return -1;
    *len = (apr_size_t)fi.size;
    *data = apr_palloc(unit_pool, *len + 1);
    if (apr_file_read_full(f, *data, *len, NULL) != APR_SUCCESS)
        return -1;
    (*data)[*len] = '\0';
    apr_file_close(f);
    return 0;
}

/* The file's bytes, NUL-terminated, in the unit pool. */
static char *slurp(const char *path, apr_size_t *len)
{
    char *data;
    ck_assert_int_eq(read_path(path, &data, len), 0);
    return data;
}

/* 1 when the bytes hold s (zip entry names are stored as they are). */
static int holds(const char *data, apr_size_t len, const char *s)
{
    return memmem(data, len, s, strlen(s)) != NULL;
}

START_TEST(workbook_sheets)
{
    const char *path = temp_path();
    credit_xlsx_t *x;
    long long rows = -1;
    int sheets = -1, i;
    apr_size_t len;
    char *data;
    ck_assert_int_eq(credit_xlsx_open(unit_pool, path, NULL, "records", cols, 3, 3, &x), CREDIT_OK);
    for (i = 0; i < 5; i++) {
        const char *v[3] = {apr_itoa(unit_pool, 1000 + i), "12.50", "2026-01-02"};
        ck_assert_int_eq(credit_xlsx_row(x, v), CREDIT_OK);
    }
    ck_assert_int_eq(credit_xlsx_close(x, &rows, &sheets), CREDIT_OK);
    /* a header and two rows a sheet: 2 + 2 + 1 */
    ck_assert_int_eq(rows, 5);
    ck_assert_int_eq(sheets, 3);
    data = slurp(path, &len);
    ck_assert(len > 4 && memcmp(data, "PK\x03\x04", 4) == 0);
    ck_assert(holds(data, len, "xl/worksheets/sheet3.xml"));
    ck_assert(!holds(data, len, "xl/worksheets/sheet4.xml"));
    unlink(path);
}
END_TEST

START_TEST(workbook_empty_and_long_cells)
{
    const char *path = temp_path();
    credit_xlsx_t *x;
    long long rows = -1;
    int sheets = -1;
    apr_size_t n = 40000 * 3, len;
    char *big = apr_palloc(unit_pool, n + 1), *data;
    const char *v[3] = {big, NULL, "not a date"};
    size_t i;
    for (i = 0; i < n; i += 3)
        memcpy(big + i, "\xE4\xB8\xAD", 3); /* 中 */
    big[n] = '\0';
    big[3] = '\x01'; /* no character XML forbids reaches the file */
    ck_assert_int_eq(
        credit_xlsx_open(unit_pool, path, NULL, "records", cols, 3, CREDIT_XLSX_SHEET_ROWS, &x),
        CREDIT_OK);
    /* longer than a cell holds: cut there, not refused */
    ck_assert_int_eq(credit_xlsx_row(x, v), CREDIT_OK);
    ck_assert_int_eq(credit_xlsx_close(x, &rows, &sheets), CREDIT_OK);
    ck_assert_int_eq(rows, 1);
    ck_assert_int_eq(sheets, 1);
    data = slurp(path, &len);
    ck_assert(len > 4 && memcmp(data, "PK\x03\x04", 4) == 0);
    unlink(path);
    /* a workbook with the header alone */
    path = temp_path();
    ck_assert_int_eq(
        credit_xlsx_open(unit_pool, path, NULL, "records", cols, 3, CREDIT_XLSX_SHEET_ROWS, &x),
        CREDIT_OK);
    ck_assert_int_eq(credit_xlsx_close(x, &rows, &sheets), CREDIT_OK);
    ck_assert_int_eq(rows, 0);
    unlink(path);
}
END_TEST

START_TEST(workbook_bad_arguments_and_failures)
{
    const char *path = temp_path();
    credit_xlsx_t *x;
    ck_assert_int_eq(credit_xlsx_open(unit_pool, path, NULL, "a/b", cols, 3, 10, &x),
                     CREDIT_EINVAL);
    ck_assert_ptr_null(x);
    ck_assert_int_eq(credit_xlsx_open(unit_pool, path, NULL, "records", cols, 0, 10, &x),
                     CREDIT_EINVAL);
    ck_assert_int_eq(credit_xlsx_open(unit_pool, path, NULL, "records", cols, 3, 1, &x),
                     CREDIT_EINVAL);
    ck_assert_int_eq(
        credit_xlsx_open(unit_pool, path, NULL, "records", cols, 3, CREDIT_XLSX_SHEET_ROWS + 1, &x),
        CREDIT_EINVAL);
    ck_assert_int_eq(credit_xlsx_open(unit_pool, path, NULL,
                                      "a name longer than twenty-eight bytes", cols, 3, 10, &x),
                     CREDIT_EINVAL);
    /* a workbook that cannot be written where it was asked to go */
    ck_assert_int_eq(
        credit_xlsx_open(unit_pool, "/nonexistent-dir/x.xlsx", NULL, "records", cols, 3, 10, &x),
        CREDIT_OK);
    ck_assert_int_eq(credit_xlsx_close(x, NULL, NULL), CREDIT_EINTERNAL);
    ck_assert_str_ne(credit_xlsx_error(x), "");
    /* used after close: refused, nothing written */
    ck_assert_int_eq(credit_xlsx_close(x, NULL, NULL), CREDIT_EINTERNAL);
    /* a workbook never closed is released with its pool (no leak, no file) */
    ck_assert_int_eq(credit_xlsx_open(unit_pool, path, NULL, "records", cols, 3, 10, &x),
                     CREDIT_OK);
    unlink(path);
}
END_TEST

/* The descriptors this process has open. */
static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    ck_assert_ptr_nonnull(d);
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

START_TEST(workbook_never_closed_leaves_nothing_open)
{
    /* A request that stops half way (the database went away) destroys its
     * pool without closing the workbook: the rows' temporary files of
     * every worksheet are closed with it (libxlsxwriter's own free leaves
     * them open). */
    const char *path = temp_path();
    apr_pool_t *p;
    credit_xlsx_t *x;
    int before = open_fds(), i;
    ck_assert_int_eq(apr_pool_create(&p, unit_pool), APR_SUCCESS);
    ck_assert_int_eq(credit_xlsx_open(p, path, NULL, "records", cols, 3, 10, &x), CREDIT_OK);
    for (i = 0; i < 25; i++) {
        const char *v[3] = {"TJZW-2026-000001", "1.00", "2026-01-01"};
        ck_assert_int_eq(credit_xlsx_row(x, v), CREDIT_OK);
    }
    ck_assert_int_gt(open_fds(), before);
    apr_pool_destroy(p);
    ck_assert_int_eq(open_fds(), before);
    /* and a closed one */
    ck_assert_int_eq(credit_xlsx_open(unit_pool, path, NULL, "records", cols, 3, 10, &x),
                     CREDIT_OK);
    for (i = 0; i < 25; i++) {
        const char *v[3] = {"TJZW-2026-000001", "1.00", "2026-01-01"};
        ck_assert_int_eq(credit_xlsx_row(x, v), CREDIT_OK);
    }
    ck_assert_int_eq(credit_xlsx_close(x, NULL, NULL), CREDIT_OK);
    ck_assert_int_eq(open_fds(), before);
    unlink(path);
}
END_TEST

Suite *export_suite(void)
{
    Suite *s = suite_create("export");
    TCase *values = tcase_create("values");
    TCase *book = tcase_create("workbook");

    tcase_add_checked_fixture(values, unit_setup, unit_teardown);
    tcase_add_checked_fixture(book, unit_setup, unit_teardown);
    tcase_add_test(values, columns_are_typed);
    tcase_add_test(values, values_in_column_order);
    tcase_add_test(values, numbers);
    tcase_add_test(values, dates);
    tcase_add_test(values, cell_text);
    tcase_add_test(book, workbook_sheets);
    tcase_add_test(book, workbook_empty_and_long_cells);
    tcase_add_test(book, workbook_bad_arguments_and_failures);
    tcase_add_test(book, workbook_never_closed_leaves_nothing_open);
    suite_add_tcase(s, values);
    suite_add_tcase(s, book);
    return s;
}
