/* credit_store_admin_numbers.c: record numbers, one counter per
 * disclosure year, locked first by every creation of that year. */

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_hash.h>
#include <json.h>

#include "credit_store_admin_records_int.h"
#include "credit_json_value.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

/* Locks the counter row of `year` (made on first use). Taken first, before
 * any other read or lock of a record's creation: creations of one year
 * queue here, so they never wait for each other in another order (no
 * deadlock), and each one's first read sees the one before committed. */
credit_status_t credit_admin_lock_year(credit_store_t *s, long long year)
{
    credit_param_t y[1] = {CREDIT_PINT(year)};
    return A("INSERT INTO record_numbers (year, last_no) VALUES (?, 0)"
             " ON DUPLICATE KEY UPDATE last_no = last_no",
             y, 1, NULL);
}

/* The last number given in `year` (locked by lock_year): the counter, or
 * a higher number of that year in records and record_aliases (rows loaded
 * by other means, the demo's, renumbered records' old numbers), so a
 * number is never given twice. */
credit_status_t credit_admin_last_number(credit_store_t *s, long long year, long long *last)
{
    char ys[16];
    const char *lo, *hi, *m;
    credit_param_t y[1] = {CREDIT_PINT(year)};
    credit_param_t r[4];
    credit_rows_t *rows;
    credit_status_t rv;

    snprintf(ys, sizeof ys, "%04lld", year);
    lo = apr_pstrcat(s->pool, "TJZW-", ys, "-000000", NULL);
    hi = apr_pstrcat(s->pool, "TJZW-", ys, "-999999", NULL);
    r[0] = r[2] = CREDIT_PSTR(lo);
    r[1] = r[3] = CREDIT_PSTR(hi);
    if ((rv = A("SELECT last_no FROM record_numbers WHERE year = ? FOR UPDATE", y, 1, &rows)) !=
        CREDIT_OK)
        return rv;
    if (rows->rows->nelts != 1)
        return CREDIT_EINTERNAL;
    *last = atoll(credit_rows_get(rows, 0, "last_no"));
    if ((rv = A("SELECT (SELECT MAX(record_no) FROM records WHERE record_no BETWEEN ? AND ?) AS r,"
                " (SELECT MAX(old_no) FROM record_aliases WHERE old_no BETWEEN ? AND ?) AS a",
                r, 4, &rows)) != CREDIT_OK)
        return rv;
    if ((m = credit_rows_get(rows, 0, "r")) && credit_record_no_valid(m) && atoll(m + 10) > *last)
        *last = atoll(m + 10);
    if ((m = credit_rows_get(rows, 0, "a")) && credit_record_no_valid(m) && atoll(m + 10) > *last)
        *last = atoll(m + 10);
    return CREDIT_OK;
}

/* Records n as the last number given in year. */
credit_status_t credit_admin_set_last_number(credit_store_t *s, long long year, long long n)
{
    credit_param_t u[2] = {CREDIT_PINT(n), CREDIT_PINT(year)};
    return A("UPDATE record_numbers SET last_no = ? WHERE year = ?", u, 2, NULL);
}

/* Number n of year, or the numbers_exhausted error of that year. */
credit_status_t credit_admin_format_number(credit_store_t *s, long long year, long long n,
                                           const char **out, credit_field_error_t *err)
{
    if (n > 999999)
        return bad(s, err, CREDIT_ECONFLICT, "numbers_exhausted", "disclosed_on",
                   apr_psprintf(s->pool, "every record number of %04" APR_INT64_T_FMT " is taken",
                                (apr_int64_t)year));
    *out = apr_psprintf(s->pool, "TJZW-%04" APR_INT64_T_FMT "-%06" APR_INT64_T_FMT,
                        (apr_int64_t)year, (apr_int64_t)n);
    return CREDIT_OK;
}

/* The next number of `year` (locked by lock_year), taken. */
credit_status_t credit_admin_next_number(credit_store_t *s, long long year, const char **out,
                                         credit_field_error_t *err)
{
    long long last;
    credit_status_t rv;
    if ((rv = credit_admin_last_number(s, year, &last)) != CREDIT_OK ||
        (rv = credit_admin_format_number(s, year, last + 1, out, err)) != CREDIT_OK)
        return rv;
    return credit_admin_set_last_number(s, year, last + 1);
}

/* The disclosure year of a validated record (its number's year). */
long long credit_admin_year_of(const credit_record_input_t *in)
{
    return atoll(in->disclosed_on); /* YYYY-MM-DD: the digits before the first '-' */
}
