/* credit_store_maria_records.c: the ops of the public records and
 * subjects on MariaDB (list, stream, count, one record with its events,
 * a subject and its records, aliases of renumbered records); contracts in
 * credit_store.h. */

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_store_maria.h"
#include "credit_rules.h"

credit_status_t credit_maria_list_records(credit_store_t *s, const credit_filter_t *f, int detail,
                                          credit_record_page_t *out)
{
    credit_mq_t q = credit_mq_new(s->pool);
    credit_rows_t *rows;
    credit_status_t rv;
    credit_mq_search_t sr;
    int backward;

    if ((rv = credit_mq_plan(s, f, &sr)) != CREDIT_OK)
        return rv;
    if (sr.fulltext)
        return credit_maria_list_search(s, f, &sr, detail, out);
    if (!f->q) {
        int done = 0;
        if ((rv = credit_maria_list_narrow(s, f, detail, out, &done)) != CREDIT_OK || done)
            return rv;
    }
    credit_mq_frag(&q, credit_maria_detail_cols(detail));
    credit_mq_frag(&q, " FROM records r");
    credit_mq_frag(&q, credit_maria_detail_joins(detail));
    credit_mq_where(s, &q, &credit_mq_on_records, f);
    credit_mq_exact(&q, &sr);
    credit_mq_position(s, &q, &credit_mq_on_records, f, &backward);
    if ((rv = credit_mq_run(s, &q, &rows)) != CREDIT_OK)
        return rv;
    credit_mq_take_rows(s, f, rows, backward, out);
    return CREDIT_OK;
}

/* The enumerated filters set in f. */
static int enum_filters(const credit_filter_t *f)
{
    return !!f->district + !!f->kind + !!f->category + !!f->domain + !!f->severity + !!f->status;
}

/* Every public record matching f in the order of its sort (relevance reads
 * as newest), streamed: the caller's memory does not grow with the count.
 *
 * With enumerated filters the statement first takes the ids in order from
 * an index that holds the public rule (the filter's own index; the cells
 * of ix_records_combo for two filters or more), then joins only their
 * rows. Reading the rows through the filter's index read every row the
 * index names, public or not, to test the rule and the other filters on
 * it: district=jizhou read 98,379 whole rows for the 37,772 it sent, and
 * the same for 1,280 with severity=minor (MariaDB's CPU an export at
 * 1,000,000 records: 604 -> 336 ms, and 290 -> 20 ms; docs/BENCH.md).
 *
 * With dir (a large export: credit_maria_dir_begin), the rows leave their
 * subjects and departments to the directory instead of joining them. */
static credit_status_t each_statement(credit_store_t *s, const credit_filter_t *f,
                                      const credit_mq_search_t *sr, const credit_maria_dir_t *dir,
                                      int detail, credit_record_fn *fn, void *ctx)
{
    credit_mq_t q = credit_mq_new(s->pool);
    apr_array_header_t *cells = NULL;
    int enums = enum_filters(f);

    if (enums == 0 || f->q) {
        /* Every record, or by dates, or an exact number: in the order of
         * the index the statement reads. */
        credit_mq_frag(&q, credit_maria_export_cols(dir, detail));
        credit_mq_frag(&q, " FROM records r");
        credit_mq_frag(&q, credit_maria_export_joins(dir));
        credit_mq_where(s, &q, &credit_mq_on_records, f);
        credit_mq_exact(&q, sr);
        credit_mq_frag(&q, f->sort != CREDIT_SORT_OLDEST
                               ? " ORDER BY r.disclosed_on DESC, r.id DESC"
                               : " ORDER BY r.disclosed_on, r.id");
        return credit_mq_stream_dir(s, &q, dir, fn, ctx);
    }
    if (enums >= 2 && (cells = credit_maria_cells(s, f, NULL)) != NULL &&
        cells->nelts > CREDIT_MARIA_CELLS_IN)
        cells = NULL;
    credit_mq_ids_begin(&q, dir, detail);
    if (cells) /* (no cell at all: the list's padding matches no record) */
        credit_maria_from_cells(s, &q, f, cells);
    else {
        credit_mq_frag(&q, " FROM records r");
        credit_mq_where(s, &q, &credit_mq_on_records, f);
    }
    return credit_mq_ids_stream(s, &q, f, dir, fn, ctx);
}

/* Every public record matching f (each_record of credit_store.h): a word
 * through the search's export, else the statement above. */
credit_status_t credit_maria_each_record(credit_store_t *s, const credit_filter_t *f,
                                         long long rows, int detail, credit_record_fn *fn,
                                         void *ctx)
{
    credit_status_t rv;
    credit_mq_search_t sr;
    credit_maria_dir_t *dir;
    int own;

    if ((rv = credit_mq_plan(s, f, &sr)) != CREDIT_OK)
        return rv;
    if (sr.fulltext)
        return credit_maria_each_search(s, f, &sr, detail, fn, ctx);
    if (f->q) /* an exact number: one record or none */
        return each_statement(s, f, &sr, NULL, detail, fn, ctx);
    if ((rv = credit_maria_dir_begin(s, rows, &dir, &own)) == CREDIT_OK)
        rv = each_statement(s, f, &sr, dir, detail, fn, ctx);
    return credit_maria_dir_end(s, own, rv);
}

credit_status_t credit_maria_count_records(credit_store_t *s, const credit_filter_t *f,
                                           long long bound, long long *out, credit_total_rel_t *rel)
{
    credit_mq_t q = credit_mq_new(s->pool);
    credit_rows_t *rows;
    credit_status_t rv;
    credit_mq_search_t sr;

    if ((rv = credit_mq_plan(s, f, &sr)) != CREDIT_OK)
        return rv;
    if (sr.fulltext)
        return credit_maria_count_search(s, f, &sr, bound, out, rel);
    /* Counts stop after bound + 1 rows: exact up to the bound, "more than
     * bound" beyond it, at the cost of bound rows at most. */
    credit_mq_frag(&q, "SELECT COUNT(*) AS n FROM (SELECT 1 FROM records r");
    credit_mq_where(s, &q, &credit_mq_on_records, f);
    credit_mq_exact(&q, &sr);
    credit_mq_frag(&q, " LIMIT ?) t");
    credit_mq_param(&q, CREDIT_PINT(bound + 1));
    if ((rv = credit_mq_gated(s, &q, &rows)) != CREDIT_OK)
        return rv;
    *out = atoll(credit_rows_get(rows, 0, "n"));
    *rel = *out <= bound ? CREDIT_TOTAL_EQ : CREDIT_TOTAL_GT;
    if (*out > bound)
        *out = bound;
    return CREDIT_OK;
}

/* One record in one statement: its row, the data version of the same
 * snapshot (the request's ETag then needs no statement of its own) and,
 * for pages that show it, its public timeline (events up to today, in
 * order): one result row per event, the record's columns repeated. */
#define RECORD_ONE_VERSION ", dv.version AS dv_version, dv.changed_at AS dv_changed_at"
#define RECORD_ONE_JOINS   RECORD_JOINS " JOIN data_version dv ON dv.id = 1"
#define RECORD_ONE_EVENTS                                                                          \
    ", ev.event AS ev_event, ev.occurred_on AS ev_on, ev.decision_no AS ev_decision_no,"           \
    " ev.note AS ev_note"

credit_status_t credit_maria_get_record(credit_store_t *s, const char *no, credit_record_t **out,
                                        apr_array_header_t **events)
{
    credit_param_t with[2] = {CREDIT_PSTR(credit_maria_today(s)), CREDIT_PSTR(no)};
    credit_param_t without[1] = {CREDIT_PSTR(no)};
    credit_rows_t *rows;
    credit_record_t *r;
    credit_status_t rv;
    int i;

    if (events)
        rv = credit_maria_read(
            s,
            RECORD_COLS RECORD_DETAIL_COLS RECORD_ONE_VERSION RECORD_ONE_EVENTS
            " FROM records r" RECORD_ONE_JOINS
            " LEFT JOIN record_events ev ON ev.record_id = r.id AND ev.occurred_on <= ?"
            " WHERE r.record_no = ? ORDER BY ev.occurred_on, ev.id",
            with, 2, &rows);
    else
        rv = credit_maria_read(s,
                               RECORD_COLS RECORD_DETAIL_COLS RECORD_ONE_VERSION
                               " FROM records r" RECORD_ONE_JOINS " WHERE r.record_no = ?",
                               without, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    credit_maria_adopt_version(s, credit_maria_ull(credit_rows_get(rows, 0, "dv_version")),
                               credit_rows_get(rows, 0, "dv_changed_at"));
    r = credit_maria_record(s, s->pool, rows, 0);
    *out = r;
    if (r->visibility == CREDIT_VIS_NOT_YET)
        return CREDIT_ENOTFOUND;
    if (!events)
        return CREDIT_OK;
    *events = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_event_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_event_t *e;
        if (!credit_rows_get(rows, i, "ev_event"))
            continue; /* no event yet: the one row is the record's */
        e = apr_array_push(*events);
        e->event = credit_rows_get(rows, i, "ev_event");
        e->occurred_on = credit_rows_get(rows, i, "ev_on");
        e->decision_no = credit_rows_get(rows, i, "ev_decision_no");
        e->note = credit_rows_get(rows, i, "ev_note");
    }
    return CREDIT_OK;
}

credit_status_t credit_maria_get_subject(credit_store_t *s, unsigned long long id,
                                         credit_subject_t **out)
{
    credit_param_t p[1] = {CREDIT_PINT((long long)id)};
    credit_rows_t *rows;
    credit_subject_t *sj;
    credit_status_t rv = credit_maria_read(
        s,
        "SELECT s.id, s.name, s.kind, s.credit_code, s.district, s.level, s.position,"
        " s.id_masked, e.id AS employer_id, e.name AS employer_name"
        " FROM subjects s LEFT JOIN subjects e ON e.id = s.employer_id WHERE s.id = ?",
        p, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    sj = apr_pcalloc(s->pool, sizeof *sj);
    sj->id = id;
    sj->name = credit_rows_get(rows, 0, "name");
    sj->kind = credit_rows_get(rows, 0, "kind");
    sj->credit_code = credit_rows_get(rows, 0, "credit_code");
    sj->district = credit_rows_get(rows, 0, "district");
    sj->level = credit_rows_get(rows, 0, "level");
    sj->position = credit_rows_get(rows, 0, "position");
    sj->id_masked = credit_mask_id(s->pool, credit_rows_get(rows, 0, "id_masked"));
    sj->employer_id = credit_maria_ull(credit_rows_get(rows, 0, "employer_id"));
    sj->employer_name = credit_rows_get(rows, 0, "employer_name");
    *out = sj;
    return CREDIT_OK;
}

credit_status_t credit_maria_subject_records(credit_store_t *s, unsigned long long id, int limit,
                                             apr_array_header_t **out, long long *total)
{
    const char *today = credit_maria_today(s);
    credit_param_t p[4] = {CREDIT_PSTR(today), CREDIT_PSTR(today), CREDIT_PINT((long long)id),
                           CREDIT_PINT(limit)};
    credit_rows_t *rows;
    credit_maria_cols_t cols;
    credit_status_t rv;
    int i;
    rv = credit_maria_read(s,
                           RECORD_COLS RECORD_DETAIL_COLS
                           " FROM records r" RECORD_JOINS " WHERE" PUBLIC_SQL
                           " AND r.subject_id = ? ORDER BY r.disclosed_on DESC,"
                           " r.id DESC LIMIT ?",
                           p, 4, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_record_t *));
    credit_maria_cols(rows, &cols);
    for (i = 0; i < rows->rows->nelts; i++)
        *(credit_record_t **)apr_array_push(*out) =
            credit_maria_record_at(s, s->pool, rows, &cols, i);
    rv = credit_maria_read(
        s, "SELECT COUNT(*) AS n FROM records r WHERE" PUBLIC_SQL " AND r.subject_id = ?", p, 3,
        &rows);
    if (rv != CREDIT_OK)
        return rv;
    *total = atoll(credit_rows_get(rows, 0, "n"));
    return CREDIT_OK;
}

credit_status_t credit_maria_count_subjects(credit_store_t *s, long long *out)
{
    const char *today = credit_maria_today(s);
    credit_param_t p[2] = {CREDIT_PSTR(today), CREDIT_PSTR(today)};
    credit_rows_t *rows;
    credit_status_t rv =
        credit_maria_gated(s,
                           "SELECT COUNT(DISTINCT r.subject_id) AS n FROM records r"
                           " WHERE" PUBLIC_SQL,
                           p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = atoll(credit_rows_get(rows, 0, "n"));
    return CREDIT_OK;
}

credit_status_t credit_maria_resolve_alias(credit_store_t *s, const char *old_no, const char **no)
{
    credit_param_t p[1] = {CREDIT_PSTR(old_no)};
    credit_rows_t *rows;
    credit_status_t rv =
        credit_maria_read(s,
                          "SELECT r.record_no FROM record_aliases a"
                          " JOIN records r ON r.id = a.record_id WHERE a.old_no = ?",
                          p, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    *no = credit_rows_get(rows, 0, "record_no");
    return CREDIT_OK;
}
