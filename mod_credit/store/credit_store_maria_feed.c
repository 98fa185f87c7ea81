/* credit_store_maria_feed.c: the change feed of the mirrors and the dumps
 * (sql/020_feed.sql): changes after a position, the feed's head, catching
 * up with expiries, and the consistent snapshot a dump is read in. */

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_store_maria.h"

/* A BIGINT UNSIGNED column as 16 lowercase hex digits (NULL stays NULL). */
#define HEX64(col) "LPAD(LOWER(HEX(" col ")), 16, '0')"

credit_status_t credit_maria_changes(credit_store_t *s, unsigned long long after_seq, int limit,
                                     apr_array_header_t **out)
{
    credit_param_t p[2] = {CREDIT_PINT((long long)after_seq), CREDIT_PINT(limit)};
    credit_rows_t *rows;
    int i;
    credit_status_t rv = credit_maria_read(
        s,
        "SELECT seq, op, reason, record_no, changed_at, tomb_state, tomb_on, records,"
        " IF(op = 'DEL', NULL, " HEX64("digest") ") AS digest, " HEX64(
            "checksum") " AS checksum"
                        " FROM record_changes WHERE seq > ? ORDER BY seq LIMIT ?",
        p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_change_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_change_t *c = apr_array_push(*out);
        const char *n = credit_rows_get(rows, i, "records");
        c->seq = credit_maria_ull(credit_rows_get(rows, i, "seq"));
        c->op = credit_rows_get(rows, i, "op");
        c->reason = credit_rows_get(rows, i, "reason");
        c->record_no = credit_rows_get(rows, i, "record_no");
        c->at = credit_rows_get(rows, i, "changed_at");
        c->digest = credit_rows_get(rows, i, "digest");
        c->tomb_state = credit_rows_get(rows, i, "tomb_state");
        c->tomb_on = credit_rows_get(rows, i, "tomb_on");
        c->records = n ? atoll(n) : -1;
        c->checksum = credit_rows_get(rows, i, "checksum");
    }
    return CREDIT_OK;
}

static credit_status_t feed_head_from(credit_rows_t *rows, credit_feed_head_t *out)
{
    if (rows->rows->nelts != 1)
        return CREDIT_EINTERNAL;
    out->seq = credit_maria_ull(credit_rows_get(rows, 0, "seq"));
    out->records = atoll(credit_rows_get(rows, 0, "records"));
    out->checksum = credit_rows_get(rows, 0, "checksum");
    out->changed_at = credit_rows_get(rows, 0, "changed_at");
    return CREDIT_OK;
}

#define FEED_HEAD_SQL                                                                              \
    "SELECT seq, records, " HEX64("checksum") " AS checksum, changed_at FROM feed_state"           \
                                              " WHERE id = 1"

credit_status_t credit_maria_feed_head(credit_store_t *s, credit_feed_head_t *out)
{
    credit_rows_t *rows;
    credit_status_t rv = credit_maria_read(s, FEED_HEAD_SQL, NULL, 0, &rows);
    return rv == CREDIT_OK ? feed_head_from(rows, out) : rv;
}

credit_status_t credit_maria_feed_catch_up(credit_store_t *s)
{
    credit_rows_t *rows;
    return credit_maria_read(s, "CALL record_expiries()", NULL, 0, &rows);
}

credit_status_t credit_maria_begin_snapshot(credit_store_t *s, credit_feed_head_t *head)
{
    credit_rows_t *rows;
    credit_status_t rv;
    int opened;
    if ((rv = credit_maria_snapshot(s, &opened)) != CREDIT_OK ||
        (rv = credit_maria_snapshot_query(s, FEED_HEAD_SQL, NULL, 0, &rows)) != CREDIT_OK)
        return rv;
    return feed_head_from(rows, head);
}

credit_status_t credit_maria_changes_seq_before(credit_store_t *s, const char *at,
                                                unsigned long long *seq)
{
    credit_param_t p[1] = {CREDIT_PSTR(at)};
    credit_rows_t *rows;
    credit_status_t rv = credit_maria_read(s,
                                           "SELECT COALESCE(MAX(seq), 0) AS seq FROM record_changes"
                                           " WHERE changed_at < ?",
                                           p, 1, &rows);
    if (rv == CREDIT_OK)
        *seq = credit_maria_ull(credit_rows_get(rows, 0, "seq"));
    return rv;
}
