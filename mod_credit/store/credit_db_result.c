/* credit_db_result.c: see credit_db_result.h. */
#include <apr_strings.h>

#include "credit_db_result.h"
#include "credit_rules.h" /* credit_date_fmt */

/* A streamed text column's first fetch; a longer value is fetched again in
 * full. */
#define FETCH_CHUNK 256

/* How a column is fetched: as text, or in its binary form (integers,
 * dates, whole-second date-times) and written as text here. The binary
 * protocol sends those in binary, and libmariadb made text of them with
 * sprintf: 17% of httpd's time in an export of 38,000 records. */
enum { COL_TEXT, COL_INT, COL_UINT, COL_DATE, COL_DATETIME };

static int column_kind(const MYSQL_FIELD *f)
{
    switch (f->type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
        /* (ZEROFILL's text is padded: the server's own.) */
        if (f->flags & ZEROFILL_FLAG)
            return COL_TEXT;
        return (f->flags & UNSIGNED_FLAG) ? COL_UINT : COL_INT;
    case MYSQL_TYPE_DATE:
        return COL_DATE;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
        /* (Fractions of a second: the server's own text.) */
        return f->decimals == 0 ? COL_DATETIME : COL_TEXT;
    default:
        return COL_TEXT;
    }
}

void credit_db_result_bind(apr_pool_t *p, MYSQL_RES *meta, int use_max, credit_db_result_t *r)
{
    MYSQL_FIELD *fields = mysql_fetch_fields(meta);
    int i;
    r->ncols = (int)mysql_num_fields(meta);
    r->names = apr_palloc(p, sizeof(char *) * r->ncols);
    r->bind = apr_pcalloc(p, sizeof *r->bind * r->ncols);
    r->lens = apr_pcalloc(p, sizeof *r->lens * r->ncols);
    r->nulls = apr_pcalloc(p, sizeof *r->nulls * r->ncols);
    r->kinds = apr_palloc(p, (size_t)r->ncols);
    for (i = 0; i < r->ncols; i++) {
        MYSQL_BIND *b = &r->bind[i];
        r->names[i] = apr_pstrdup(p, fields[i].name);
        r->kinds[i] = (unsigned char)column_kind(&fields[i]);
        b->length = &r->lens[i];
        b->is_null = &r->nulls[i];
        switch (r->kinds[i]) {
        case COL_INT:
        case COL_UINT:
            b->buffer_type = MYSQL_TYPE_LONGLONG;
            b->is_unsigned = r->kinds[i] == COL_UINT;
            b->buffer_length = sizeof(long long);
            break;
        case COL_DATE:
        case COL_DATETIME:
            b->buffer_type = r->kinds[i] == COL_DATE ? MYSQL_TYPE_DATE : MYSQL_TYPE_DATETIME;
            b->buffer_length = sizeof(MYSQL_TIME);
            break;
        default:
            b->buffer_type = MYSQL_TYPE_STRING;
            /* Buffered results know each column's longest value; streamed
             * ones start small and fetch a longer value again in full. */
            b->buffer_length = (use_max ? fields[i].max_length : FETCH_CHUNK) + 1;
        }
        b->buffer = apr_palloc(p, b->buffer_length);
    }
}

/* A binary value as the text the server would have sent: APR's and the
 * model's own formatting, a zero date (which credit_date_fmt leaves
 * empty) and an unsigned value past the signed range aside. */
static const char *binary_text(apr_pool_t *p, const MYSQL_BIND *b, int kind)
{
    const MYSQL_TIME *t = b->buffer;
    char buf[32];
    if (kind == COL_INT || kind == COL_UINT) {
        long long v = *(const long long *)b->buffer;
        return kind == COL_UINT && v < 0 ? apr_psprintf(p, "%llu", (unsigned long long)v)
                                         : apr_off_t_toa(p, (apr_off_t)v);
    }
    if (t->year == 0)
        return apr_psprintf(p,
                            kind == COL_DATE ? "%04u-%02u-%02u" : "%04u-%02u-%02u %02u:%02u:%02u",
                            t->year, t->month, t->day, t->hour, t->minute, t->second);
    credit_date_fmt((credit_date_t){(int)t->year, (int)t->month, (int)t->day}, buf);
    if (kind == COL_DATETIME) {
        const unsigned hms[3] = {t->hour, t->minute, t->second};
        int i;
        for (i = 0; i < 3; i++) {
            buf[10 + 3 * i] = i ? ':' : ' ';
            buf[11 + 3 * i] = (char)('0' + hms[i] / 10 % 10);
            buf[12 + 3 * i] = (char)('0' + hms[i] % 10);
        }
        buf[19] = '\0';
    }
    return apr_pstrdup(p, buf);
}

const char **credit_db_result_row(MYSQL_STMT *st, apr_pool_t *p, credit_db_result_t *r)
{
    const char **row = apr_palloc(p, sizeof(char *) * r->ncols);
    int i;
    for (i = 0; i < r->ncols; i++) {
        if (r->nulls[i]) {
            row[i] = NULL;
        } else if (r->kinds[i] != COL_TEXT) {
            row[i] = binary_text(p, &r->bind[i], r->kinds[i]);
        } else if (r->lens[i] < r->bind[i].buffer_length) {
            row[i] = apr_pstrmemdup(p, r->bind[i].buffer, r->lens[i]);
        } else {
            MYSQL_BIND whole = {0};
            char *buf = apr_palloc(p, r->lens[i] + 1);
            unsigned long len = 0;
            whole.buffer_type = MYSQL_TYPE_STRING;
            whole.buffer = buf;
            whole.buffer_length = r->lens[i] + 1;
            whole.length = &len;
            if (mysql_stmt_fetch_column(st, &whole, (unsigned)i, 0) == 0) {
                buf[len < r->lens[i] ? len : r->lens[i]] = '\0';
                row[i] = buf;
            } else {
                row[i] = apr_pstrmemdup(p, r->bind[i].buffer, r->bind[i].buffer_length - 1);
            }
        }
    }
    return row;
}
