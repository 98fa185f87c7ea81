/* credit_store_maria_search.c: full-text search on MariaDB, the two ways
 * of credit_search.h chosen per question (docs/SEARCH.md):
 *
 *  - a query of CJK words first walks record_text (sql/021: the window,
 *    the filters and the text as bytes, in the list's order) reading at
 *    most walk_rows rows: a frequent word finds its page there, in a few
 *    milliseconds, and the matches met are a lower bound of its number;
 *  - otherwise (a rarer word, relevance order, Latin or digits, a page the
 *    walk cannot reach in its budget) one Groonga select through
 *    mroonga_command gives the page's ids and the exact number.
 *
 * Either way the rows come from InnoDB by id with the public rule
 * re-checked, so a withdrawn record is never shown even while the derived
 * search table lags a write. Results are cached per data version and day. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_hash.h>

#include "credit_store_maria.h"
#include "credit_search.h"
#include "credit_cache.h"
#include "credit_gate.h"

/* (The walk's budgets are the store's walk_rows and probe_rows:
 * CreditSearchWalk, credit_store.h.) A word the probe met at most this
 * many times is asked of the engine at once. */
#define PROBE_RARE 1
/* Ids asked of the engine at once for an export. */
#define ENGINE_CHUNK 10000
/* A walk that meets at least this many matches within its budget took a
 * frequent word: its count is the lower bound it met. */
#define FREQUENT 21

typedef struct {
    int walked;              /* answered by the walk */
    long long total;         /* the matches: all of them, or those met, or the bound */
    int rel;                 /* credit_total_rel_t */
    apr_array_header_t *ids; /* unsigned long long, in scan order */
} found_t;

/* ---- the walk ---- */

/* The terms as conditions over text (bytes of UTF-8): a term of CJK
 * ideographs is a substring of the bytes exactly when utf8mb4_unicode_ci's
 * LIKE '%term%' matches the text (each such ideograph compares equal only
 * to itself under LIKE, and UTF-8 never matches inside a character:
 * docs/SEARCH.md), and a binary LOCATE costs a third of that LIKE. */
static void walk_terms(credit_mq_t *q, const credit_query_t *qy, const char *found)
{
    const credit_qterm_t *t = (const credit_qterm_t *)qy->terms->elts;
    int i, j, k, n = qy->terms->nelts;
    for (i = 0; i < n; i = j) {
        for (j = i + 1; j < n && t[j - 1].or_next; j++)
            ;
        if (t[i].negated) {
            credit_mq_frag(q, " AND NOT (");
            credit_mq_frag(q, found);
            credit_mq_frag(q, ")");
            credit_mq_param(q, CREDIT_PSTR(t[i].text));
            continue;
        }
        credit_mq_frag(q, " AND (");
        for (k = i; k < j; k++) {
            credit_mq_frag(q, k > i ? " OR " : "");
            credit_mq_frag(q, found);
            credit_mq_param(q, CREDIT_PSTR(t[k].text));
        }
        credit_mq_frag(q, ")");
    }
}

/* A term found in record_text's bytes. */
#define IN_TEXT "LOCATE(CAST(? AS BINARY), r.body) > 0"

/* Walks the matching public ids in scan order from the cursor (when
 * with_cursor) up to limit of them after skipping offset, examining at
 * most budget rows. *tripped when the budget ran out first. The caller
 * holds a place of the gate (walk and engine are its expensive
 * statements). */
static credit_status_t walk(credit_store_t *s, const credit_filter_t *f,
                            const credit_mq_search_t *sr, int scan_desc, int with_cursor,
                            long long offset, long long limit, long long budget, found_t *out,
                            int *tripped)
{
    credit_mq_t q = credit_mq_new(s->pool);
    credit_rows_t *rows;
    credit_status_t rv;
    int i;
    /* In the list's order (record_text's primary key), or through the
     * index of one of its filters (each ordered by the key after its
     * column): no sort, so the budget stops the read, not a sort that
     * would have read everything. record_text's columns have records'
     * names, so the list's conditions apply to it as they are. */
    credit_mq_frag(&q, "SELECT r.id FROM record_text r FORCE INDEX (");
    credit_mq_frag(&q, f->district   ? "ix_text_district"
                       : f->domain   ? "ix_text_domain"
                       : f->category ? "ix_text_category"
                       : f->severity ? "ix_text_severity"
                       : f->kind     ? "ix_text_kind"
                       : f->status   ? "ix_text_status"
                                     : "PRIMARY");
    credit_mq_frag(&q, ")");
    credit_mq_where(s, &q, &credit_mq_on_records, f);
    walk_terms(&q, &sr->parsed, IN_TEXT);
    if (with_cursor) {
        const char *d = credit_mq_date(s, f->cursor.date);
        credit_mq_frag(&q, credit_mq_on_records.after[scan_desc ? 0 : 1]);
        credit_mq_param(&q, CREDIT_PSTR(d));
        credit_mq_param(&q, CREDIT_PSTR(d));
        credit_mq_param(&q, CREDIT_PINT((long long)f->cursor.id));
    }
    credit_mq_frag(&q, scan_desc ? " ORDER BY r.disclosed_on DESC, r.id DESC"
                                 : " ORDER BY r.disclosed_on ASC, r.id ASC");
    credit_mq_frag(&q, " LIMIT ? OFFSET ? ROWS EXAMINED ?");
    credit_mq_param(&q, CREDIT_PINT(limit));
    credit_mq_param(&q, CREDIT_PINT(offset));
    credit_mq_param(&q, CREDIT_PINT(budget));
    rv = credit_mq_run(s, &q, &rows);
    if (rv == CREDIT_EINTERNAL) {
        credit_conn_t *c;
        if (credit_maria_conn(s, &c) == CREDIT_OK && credit_db_last_errno(c) == 1028) {
            /* The optimizer sorted after all, and the budget stopped the
             * sort: the walk found nothing it can say; the engine answers. */
            out->walked = 1;
            out->ids = apr_array_make(s->pool, 1, sizeof(unsigned long long));
            out->total = 0;
            out->rel = CREDIT_TOTAL_GTE;
            *tripped = 1;
            return CREDIT_OK;
        }
    }
    if (rv != CREDIT_OK)
        return rv;
    *tripped = rows->warnings > 0; /* 1931: the budget ran out */
    out->walked = 1;
    out->ids = apr_array_make(s->pool, rows->rows->nelts, sizeof(unsigned long long));
    for (i = 0; i < rows->rows->nelts; i++)
        *(unsigned long long *)apr_array_push(out->ids) =
            credit_maria_ull(APR_ARRAY_IDX(rows->rows, i, const char **)[0]);
    out->total = out->ids->nelts;
    out->rel = *tripped ? CREDIT_TOTAL_GTE : CREDIT_TOTAL_EQ;
    return CREDIT_OK;
}

/* ---- the engine ---- */

static credit_status_t engine(credit_store_t *s, const credit_filter_t *f,
                              const credit_mq_search_t *sr, int scan_desc, int with_cursor,
                              long long offset, long long limit, found_t *out)
{
    credit_grn_select_t sel = {"record_search", &sr->parsed, f,      s->today,
                               scan_desc,       with_cursor, offset, limit};
    const char *cmd = credit_grn_select(s->pool, &sel);
    credit_param_t p[1];
    credit_rows_t *rows;
    credit_status_t rv;
    if (!cmd)
        return CREDIT_EINVAL;
    p[0] = CREDIT_PSTR(cmd);
    if ((rv = credit_maria_read(s, "SELECT mroonga_command(?) AS r", p, 1, &rows)) != CREDIT_OK)
        return rv;
    if (rows->rows->nelts != 1 ||
        credit_grn_parse(s->pool, APR_ARRAY_IDX(rows->rows, 0, const char **)[0], &out->total,
                         &out->ids) != CREDIT_OK) {
        credit_conn_t *c;
        if (credit_maria_conn(s, &c) == CREDIT_OK)
            credit_db_note(c, "CR0209", "the search engine's answer could not be read");
        return CREDIT_EINTERNAL;
    }
    out->walked = 0;
    out->rel = CREDIT_TOTAL_EQ;
    return CREDIT_OK;
}

/* ---- one search, cached ---- */

/* What a search asks: the page (or, with count_only, the number). */
typedef struct {
    credit_store_t *s;
    const credit_filter_t *f;
    const credit_mq_search_t *sr;
    int scan_desc, with_cursor;
    long long offset, limit; /* the page: limit ids after offset */
    long long bound;         /* count_only: counted up to this */
    int count_only;
    int from_start; /* the page is the search's first, newest first: one walk
                       gives the page and the number the count would meet */
} ask_t;

/* The walk's answer: *answered 0 leaves the question to the engine. */
static credit_status_t walk_answer(ask_t *a, found_t *out, int *answered)
{
    /* Whether the walk gives the question's number (the count, or the first
     * page shown with it): its probe counts every match of its rows; a later
     * page wants its own ids only. */
    int counts = a->count_only || a->from_start;
    long long limit = a->count_only ? a->bound + 1 : a->from_start ? a->s->walk_rows + 1 : a->limit;
    /* The matches that fill the search's first page (and tell that a next
     * one exists): the count is asked with the page's size kept. */
    long long page = a->count_only ? (long long)a->f->limit + 1 : a->limit;
    int tripped = 0, bounded, frequent, more, stopped = 0;
    long long met;
    credit_status_t rv;
    *answered = 0;
    /* The probe: every row seen, or a page whole, answers; a word met at
     * most PROBE_RARE times goes to the engine. Where the filters hold more
     * public records than the budget (the tally says) and no date range
     * narrows them (the tally does not know dates), the walk of the budget
     * would end in a bound too: there a word met FREQUENT times or more is
     * frequent, its number what the probe met, and the walk reads on only
     * for a page the probe did not fill; a word met fewer times is walked
     * on until its first page is full, and its number is that page's
     * matches ("at least 21"), not every match within the budget (a quarter
     * of the search mix's database work, docs/SEARCH.md). Otherwise the
     * walk of the whole budget (the probe's rows again: its numbers are
     * those of the budget, whatever the probe met), exact where it sees
     * every row. */
    rv = walk(a->s, a->f, a->sr, a->scan_desc, a->with_cursor, a->offset, limit, a->s->probe_rows,
              out, &tripped);
    if (rv != CREDIT_OK || (tripped && out->ids->nelts <= PROBE_RARE))
        return rv;
    bounded = tripped && !a->f->from.y && !a->f->to.y &&
              credit_maria_window_rows(a->s, a->f) > a->s->walk_rows;
    frequent = bounded && out->total >= FREQUENT;
    met = out->total;
    more = !tripped        ? 0
           : a->count_only ? !frequent
           : a->from_start ? !frequent || out->ids->nelts < a->limit
                           : out->ids->nelts < a->limit;
    if (more) {
        if (counts && bounded)
            limit = page;
        rv = walk(a->s, a->f, a->sr, a->scan_desc, a->with_cursor, a->offset, limit,
                  a->s->walk_rows, out, &tripped);
        if (rv != CREDIT_OK)
            return rv;
        if (frequent && a->from_start) { /* the number stays the probe's */
            out->total = met;
            out->rel = CREDIT_TOTAL_GTE;
        } else if (counts && bounded && out->ids->nelts >= page) {
            /* Stopped at the page: the page's matches, at least. */
            stopped = 1;
            out->total = page;
            out->rel = CREDIT_TOTAL_GTE;
        }
    }
    if (a->from_start) {
        /* The page is whole; out->total keeps the matches met, which the
         * count of the same question would meet too (met_key). */
        if ((*answered = !tripped || out->ids->nelts >= a->limit) && out->ids->nelts > a->limit)
            out->ids->nelts = (int)a->limit;
    } else if (a->count_only) {
        /* Every row seen, the first page met, or FREQUENT matches: what
         * the walk met says it. */
        if ((*answered = !tripped || stopped || out->total >= FREQUENT)) {
            if (out->total > a->bound) {
                out->total = a->bound;
                out->rel = CREDIT_TOTAL_GT;
            }
            out->ids->nelts = 0; /* the number is the answer */
        }
    } else {
        *answered = !tripped || out->ids->nelts >= a->limit; /* the page is whole */
    }
    return CREDIT_OK;
}

static credit_status_t answer_in_gate(ask_t *a, found_t *out)
{
    if (credit_search_walkable(&a->sr->parsed) && a->f->sort != CREDIT_SORT_RELEVANCE) {
        int answered;
        credit_status_t rv = walk_answer(a, out, &answered);
        if (rv != CREDIT_OK || answered)
            return rv;
    }
    return engine(a->s, a->f, a->sr, a->scan_desc, a->with_cursor, a->offset,
                  a->count_only ? 0 : a->limit, out);
}

/* The answer in one place of the gate: a search that walks and then asks
 * the engine waits for a place once, not once per statement (each wait is
 * a turn in the queue behind every other search). */
static credit_status_t answer(ask_t *a, found_t *out)
{
    credit_status_t rv = credit_gate_enter(a->s->gate);
    if (rv != CREDIT_OK)
        return rv;
    rv = answer_in_gate(a, out);
    credit_gate_leave(a->s->gate);
    return rv;
}

/* "w|total|rel|id,id,..." */
static const char *found_text(apr_pool_t *p, const found_t *fo)
{
    apr_array_header_t *parts = apr_array_make(p, fo->ids->nelts + 1, sizeof(char *));
    int i;
    for (i = 0; i < fo->ids->nelts; i++)
        *(const char **)apr_array_push(parts) = apr_psprintf(
            p, "%" APR_UINT64_T_FMT, (apr_uint64_t)APR_ARRAY_IDX(fo->ids, i, unsigned long long));
    return apr_psprintf(p, "%d|%" APR_INT64_T_FMT "|%d|%s", fo->walked, (apr_int64_t)fo->total,
                        fo->rel, apr_array_pstrcat(p, parts, ','));
}

static int found_parse(apr_pool_t *p, const char *text, found_t *fo)
{
    char *copy = apr_pstrdup(p, text), *last, *tok, *ids;
    if (sscanf(copy, "%d|%lld|%d|", &fo->walked, &fo->total, &fo->rel) != 3)
        return 0;
    ids = strchr(copy, '|');
    ids = ids ? strchr(ids + 1, '|') : NULL;
    ids = ids ? strchr(ids + 1, '|') : NULL;
    if (!ids)
        return 0;
    fo->ids = apr_array_make(p, 32, sizeof(unsigned long long));
    for (tok = apr_strtok(ids + 1, ",", &last); tok; tok = apr_strtok(NULL, ",", &last))
        *(unsigned long long *)apr_array_push(fo->ids) = strtoull(tok, NULL, 10);
    return 1;
}

static credit_status_t ask_fill(void *ctx, apr_pool_t *p, const char **value)
{
    ask_t *a = ctx;
    found_t fo;
    credit_status_t rv = answer(a, &fo);
    if (rv == CREDIT_OK)
        *value = found_text(p, &fo);
    return rv;
}

/* The answer of a, through the child's cache: the same question on the
 * same data version and day has the same answer, and a burst of it costs
 * one search (single flight). */
static credit_status_t ask(ask_t *a, const char *what, found_t *out)
{
    credit_store_t *s = a->s;
    credit_version_t ver;
    const char *key, *text;
    credit_status_t rv;
    if (!s->cache || s->ops->version(s, &ver) != CREDIT_OK)
        return answer(a, out);
    /* (A walk's answer depends on the budgets, which a <Location> sets.) */
    key = apr_psprintf(
        s->pool, "%s|%" APR_UINT64_T_FMT "|%04d%02d%02d|%" APR_INT64_T_FMT "|%d/%d|%s", what,
        (apr_uint64_t)ver.data_version, s->today.y, s->today.m, s->today.d, (apr_int64_t)a->bound,
        s->walk_rows, s->probe_rows, credit_filter_query(s->pool, a->f, 1, 0));
    rv = credit_cache_fetch(s->cache, s->pool, key, ask_fill, a, &text);
    if (rv == CREDIT_OK && !found_parse(s->pool, text, out))
        rv = CREDIT_EINTERNAL;
    return rv;
}

/* The question of a count: the search from its start, newest first (one
 * number for every page and order), its pages' size kept (a word walked
 * until its first page is full is counted by that page's matches). */
static credit_filter_t count_question(const credit_filter_t *f)
{
    credit_filter_t start = *f;
    start.has_cursor = 0;
    start.page = 1;
    start.sort = CREDIT_SORT_NEWEST;
    return start;
}

/* The cache key of the exact number of matches of f's question, or NULL
 * without a cache. */
static const char *exact_key(credit_store_t *s, const credit_filter_t *f)
{
    credit_version_t ver;
    credit_filter_t start = count_question(f);
    if (!s->cache || s->ops->version(s, &ver) != CREDIT_OK)
        return NULL;
    return apr_psprintf(s->pool, "exact|%" APR_UINT64_T_FMT "|%04d%02d%02d|%s",
                        (apr_uint64_t)ver.data_version, s->today.y, s->today.m, s->today.d,
                        credit_filter_query(s->pool, &start, 1, 0));
}

/* The cache key of what the walk of f's question from its start met (its
 * number, and whether it is a bound), or NULL. */
static const char *met_key(credit_store_t *s, const credit_filter_t *f)
{
    const char *exact = exact_key(s, f);
    return exact ? apr_psprintf(s->pool, "met|%d/%d%s", s->walk_rows, s->probe_rows,
                                exact + sizeof("exact") - 1)
                 : NULL;
}

/* A page the engine answered from the search's start brought the exact
 * number with it: kept, so the page's count costs no second search. Only
 * where the count would come from the engine as well (the walk of the
 * count goes newest first and met too few matches, as this page's did), so
 * that every child gives the same number for the same question. */
static void keep_exact(credit_store_t *s, const credit_filter_t *f, const credit_mq_search_t *sr,
                       const ask_t *a, const found_t *fo)
{
    const char *key;
    if (fo->walked || a->with_cursor || fo->rel != CREDIT_TOTAL_EQ)
        return;
    /* A walkable question reached the engine because its walk met too few
     * matches; the count's walk would meet the same rows (newest first from
     * the start) and fewer than FREQUENT matches only if this page's did. */
    if (credit_search_walkable(&sr->parsed) &&
        (f->sort != CREDIT_SORT_NEWEST || a->offset != 0 || a->limit > FREQUENT))
        return;
    if ((key = exact_key(s, f)) != NULL)
        credit_cache_put(s->cache, key, fo->total);
}

/* ---- the store's ops ---- */

/* The page's rows from InnoDB by id (the rule re-checked), in the ids'
 * order, flipped when walking backward. */
static credit_status_t rows_by_id(credit_store_t *s, const credit_filter_t *f,
                                  const apr_array_header_t *ids, int n, int detail, int backward,
                                  apr_array_header_t *items)
{
    credit_mq_t r = credit_mq_new(s->pool);
    credit_rows_t *rows;
    credit_maria_cols_t cols;
    apr_hash_t *byid;
    credit_status_t rv;
    int i;
    if (n == 0)
        return CREDIT_OK;
    credit_mq_frag(&r, credit_maria_detail_cols(detail));
    /* (The key named: else the optimizer weighs every index the window
     * and the filters could use, 0.5 ms against 0.15 for the read.) */
    credit_mq_frag(&r, " FROM records r FORCE INDEX (PRIMARY)");
    credit_mq_frag(&r, credit_maria_detail_joins(detail));
    credit_mq_where(s, &r, &credit_mq_on_records, f);
    credit_mq_frag(&r, " AND r.id IN (" IN_PAGE_MAX ")");
    for (i = 0; i < CREDIT_PAGE_MAX; i++)
        credit_mq_param(
            &r, CREDIT_PINT((long long)APR_ARRAY_IDX(ids, i < n ? i : 0, unsigned long long)));
    if ((rv = credit_mq_run(s, &r, &rows)) != CREDIT_OK)
        return rv;
    credit_maria_cols(rows, &cols);
    byid = apr_hash_make(s->pool);
    for (i = 0; i < rows->rows->nelts; i++)
        apr_hash_set(byid, APR_ARRAY_IDX(rows->rows, i, const char **)[0], APR_HASH_KEY_STRING,
                     (void *)(apr_uintptr_t)(i + 1));
    for (i = 0; i < n; i++) {
        unsigned long long id = APR_ARRAY_IDX(ids, backward ? n - 1 - i : i, unsigned long long);
        apr_uintptr_t row = (apr_uintptr_t)apr_hash_get(
            byid, apr_psprintf(s->pool, "%" APR_UINT64_T_FMT, (apr_uint64_t)id),
            APR_HASH_KEY_STRING);
        if (row) /* absent: withdrawn meanwhile, the derived table behind: InnoDB wins */
            *(credit_record_t **)apr_array_push(items) =
                credit_maria_record_at(s, s->pool, rows, &cols, (int)row - 1);
    }
    return CREDIT_OK;
}

credit_status_t credit_maria_list_search(credit_store_t *s, const credit_filter_t *f,
                                         const credit_mq_search_t *sr, int detail,
                                         credit_record_page_t *out)
{
    int desc = f->sort != CREDIT_SORT_OLDEST;
    int backward = f->has_cursor && f->cursor.backward && f->sort != CREDIT_SORT_RELEVANCE;
    ask_t a = {s,
               f,
               sr,
               backward ? !desc : desc,
               f->has_cursor && f->sort != CREDIT_SORT_RELEVANCE,
               0,
               f->limit + 1,
               0,
               0,
               0};
    found_t fo;
    credit_status_t rv;
    int n;
    if (f->sort == CREDIT_SORT_RELEVANCE) {
        if (f->page > CREDIT_PAGE_JUMP_MAX)
            return CREDIT_EINVAL;
        a.scan_desc = 1;
    }
    if (!a.with_cursor && f->page > 1)
        a.offset = (long long)(f->page - 1) * f->limit; /* a bounded page number */
    /* The first page of a walkable search, newest first, is shown with its
     * number: one walk answers both (the count's walk is the same read),
     * instead of a walk for the page and a second over the same rows for
     * the count. */
    a.from_start = !f->has_cursor && a.offset == 0 && f->sort == CREDIT_SORT_NEWEST &&
                   credit_search_walkable(&sr->parsed);
    if ((rv = ask(&a, a.from_start ? "start" : "ids", &fo)) != CREDIT_OK)
        return rv;
    keep_exact(s, f, sr, &a, &fo);
    if (a.from_start && fo.walked && s->cache) {
        const char *key = met_key(s, f);
        if (key)
            credit_cache_put(s->cache, key, fo.total * 2 + (fo.rel == CREDIT_TOTAL_GTE));
    }
    n = fo.ids->nelts;
    out->items = apr_array_make(s->pool, n, sizeof(credit_record_t *));
    if (backward) {
        out->has_prev = n > f->limit;
        out->has_next = 1;
    } else {
        /* Relevance pages go by number, and only so far. */
        out->has_next =
            n > f->limit && (f->sort != CREDIT_SORT_RELEVANCE || f->page < CREDIT_PAGE_JUMP_MAX);
        out->has_prev = f->has_cursor || f->page > 1;
    }
    return rows_by_id(s, f, fo.ids, n > f->limit ? f->limit : n, detail, backward, out->items);
}

credit_status_t credit_maria_count_search(credit_store_t *s, const credit_filter_t *f,
                                          const credit_mq_search_t *sr, long long bound,
                                          long long *out, credit_total_rel_t *rel)
{
    /* One number for every page of the search: counted from its start. */
    credit_filter_t start = count_question(f);
    ask_t a = {s, &start, sr, 1, 0, 0, 0, bound, 1, 0};
    found_t fo;
    credit_status_t rv;
    const char *key = exact_key(s, f);
    long long exact, met;
    if (key && credit_cache_get(s->cache, key, &exact)) {
        *out = exact;
        *rel = CREDIT_TOTAL_EQ;
        return CREDIT_OK;
    }
    /* The first page's walk met them already (see credit_maria_list_search):
     * what the count's own walk would say, without reading the rows again. */
    if ((key = met_key(s, f)) != NULL && credit_cache_get(s->cache, key, &met)) {
        *out = met / 2;
        *rel = met % 2 ? CREDIT_TOTAL_GTE : CREDIT_TOTAL_EQ;
        if (*out > bound) {
            *out = bound;
            *rel = CREDIT_TOTAL_GT;
        }
        return CREDIT_OK;
    }
    if ((rv = ask(&a, "count", &fo)) != CREDIT_OK)
        return rv;
    *out = fo.total;
    *rel = (credit_total_rel_t)fo.rel;
    return CREDIT_OK;
}

/* ---- exports ---- */

/* A frequent word: the matching ids walked in record_text (its order, or
 * through the filter's index), then only their rows, streamed in order. */
static credit_status_t each_walked(credit_store_t *s, const credit_filter_t *f,
                                   const credit_mq_search_t *sr, int detail, credit_record_fn *fn,
                                   void *ctx)
{
    credit_mq_t q = credit_mq_new(s->pool);
    credit_maria_dir_t *dir;
    int own;
    credit_status_t rv;
    /* (How many a frequent word matches is not known: -1.) */
    if ((rv = credit_maria_dir_begin(s, -1, &dir, &own)) == CREDIT_OK) {
        credit_mq_ids_begin(&q, dir, detail);
        credit_mq_frag(&q, " FROM record_text r");
        credit_mq_where(s, &q, &credit_mq_on_records, f);
        walk_terms(&q, &sr->parsed, IN_TEXT);
        rv = credit_mq_ids_stream(s, &q, f, dir, fn, ctx);
    }
    return credit_maria_dir_end(s, own, rv);
}

/* Ids from the engine a chunk at a time, their rows a page at a time. */
static credit_status_t each_from_engine(credit_store_t *s, const credit_filter_t *f,
                                        const credit_mq_search_t *sr, int desc, int detail,
                                        credit_record_fn *fn, void *ctx)
{
    long long offset = 0;
    credit_status_t rv = CREDIT_OK;
    int done = 0;
    /* (Only rarer words come here: a frequent one is walked.) */
    while (!done && rv == CREDIT_OK) {
        found_t fo;
        int i;
        /* A place of the gate for the chunk's select, not while its rows go
         * out to a client that may read slowly. */
        if ((rv = credit_gate_enter(s->gate)) != CREDIT_OK)
            break;
        rv = engine(s, f, sr, desc, 0, offset, ENGINE_CHUNK, &fo);
        credit_gate_leave(s->gate);
        for (i = 0; rv == CREDIT_OK && !done && i < fo.ids->nelts; i += CREDIT_PAGE_MAX) {
            apr_array_header_t *items = apr_array_make(s->pool, CREDIT_PAGE_MAX, sizeof(void *));
            apr_array_header_t page = *fo.ids;
            int j, n = fo.ids->nelts - i < CREDIT_PAGE_MAX ? fo.ids->nelts - i : CREDIT_PAGE_MAX;
            page.elts = fo.ids->elts + (size_t)i * sizeof(unsigned long long);
            page.nelts = n;
            rv = rows_by_id(s, f, &page, n, detail, 0, items);
            for (j = 0; rv == CREDIT_OK && j < items->nelts && !done; j++)
                done = fn(ctx, APR_ARRAY_IDX(items, j, credit_record_t *)) != 0;
        }
        if (rv == CREDIT_OK && fo.ids->nelts < ENGINE_CHUNK)
            done = 1;
        offset += ENGINE_CHUNK;
    }
    return rv;
}

credit_status_t credit_maria_each_search(credit_store_t *s, const credit_filter_t *f,
                                         const credit_mq_search_t *sr, int detail,
                                         credit_record_fn *fn, void *ctx)
{
    int desc = f->sort != CREDIT_SORT_OLDEST, tripped = 0, walked = 0;
    found_t probe;
    credit_status_t rv;
    /* A place of the gate first, for the probe (and so that a busy server
     * refuses the export before it starts); the chunks below take it each. */
    if ((rv = credit_gate_enter(s->gate)) != CREDIT_OK)
        return rv;
    if (credit_search_walkable(&sr->parsed)) {
        /* Frequent enough to find its first matches within the budget: the
         * whole export is one ordered read; else the engine's ids. */
        rv = walk(s, f, sr, desc, 0, 0, FREQUENT, s->walk_rows, &probe, &tripped);
        walked = rv == CREDIT_OK && (!tripped || probe.ids->nelts >= FREQUENT);
    }
    credit_gate_leave(s->gate);
    if (rv != CREDIT_OK)
        return rv;
    return walked ? each_walked(s, f, sr, detail, fn, ctx)
                  : each_from_engine(s, f, sr, desc, detail, fn, ctx);
}
