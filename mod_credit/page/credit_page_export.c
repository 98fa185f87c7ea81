/* credit_page_export.c: the CSV export and the Atom feed. Both take the one
 * filter language of the list and ask the store the same question (the
 * workbook, /records.xlsx, is credit_page_xlsx.c). */
#include <string.h>
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_gate.h"
#include "credit_lines.h"
#include "credit_csv.h"
#include "credit_export.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

#define FEED_ENTRIES 50

#define CSV_CHUNK (64 * 1024)

typedef struct {
    credit_req_t *rq;
    const char *url_base;
    int started;
    long long rows;
    credit_csv_buf_t buf; /* rows gathered until CSV_CHUNK, then streamed */
} csv_t;

/* The write is marked on the export's place: one that waits on a slow
 * client gives the place to the next (credit_page_each_export). */
static int csv_flush(csv_t *c)
{
    int rv;
    if (!c->buf.len)
        return 0;
    credit_gate_hold_writing(c->rq->export_hold, 1);
    rv = c->rq->stream(c->rq, c->buf.data, c->buf.len);
    credit_gate_hold_writing(c->rq->export_hold, 0);
    c->buf.len = 0;
    return rv;
}

static int csv_write(void *ctx, const char *buf, size_t len)
{
    csv_t *c = ctx;
    int rv = credit_csv_buf_write(&c->buf, buf, len);
    if (rv == 0 && c->buf.len >= CSV_CHUNK)
        rv = csv_flush(c);
    return rv;
}

static int csv_start(csv_t *c)
{
    c->started = 1;
    return credit_export_csv_start(csv_write, c);
}

static int csv_record(void *ctx, const credit_record_t *r)
{
    csv_t *c = ctx;
    int rv;
    if (!c->started && (rv = csv_start(c)) != 0)
        return rv;
    c->rows++;
    return credit_export_csv_record(csv_write, c, c->url_base, r);
}

/* The rows of f: from its district's lines when they answer it, else
 * from the store. */
static credit_status_t csv_rows(csv_t *c, const credit_filter_t *f)
{
    credit_lines_t *lines;
    credit_status_t rv = credit_page_lines(c->rq, f, &lines);
    if (rv == CREDIT_ENOTFOUND)
        return credit_page_export_records(c->rq, f, csv_record, c);
    if (rv == CREDIT_OK && (csv_start(c) != 0 ||
                            credit_lines_each(lines, f, c->url_base, csv_write, c, &c->rows) != 0))
        rv = CREDIT_EINTERNAL;
    return rv;
}

/* GET /records.csv?<filters>: every matching public record, streamed with
 * constant memory, UTF-8 with BOM, RFC 4180. */
credit_status_t credit_page_csv(credit_req_t *rq)
{
    credit_filter_t f;
    credit_status_t rv;
    csv_t c = {rq, apr_pstrcat(rq->pool, rq->origin, rq->base, NULL), 0, 0, {0}};
    char day[16];
    int fresh;

    if ((rv = credit_page_filter(rq, &f)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    rq->status = 200;
    rq->content_type = "text/csv; charset=utf-8";
    apr_table_setn(rq->headers, "Content-Disposition",
                   apr_psprintf(rq->pool, "attachment; filename=\"credit-records-%s.csv\"",
                                credit_date_fmt(rq->today, day)));
    if (rq->head) {
        /* The headers are all a HEAD gets: the rows are not read. */
        rq->body = "";
        rq->body_len = 0;
        return CREDIT_OK;
    }
    credit_csv_buf_init(&c.buf, rq->pool);
    if ((rv = credit_page_export_begin(rq)) == CREDIT_OK) {
        rv = csv_rows(&c, &f);
        credit_page_export_end(rq);
    }
    if (rv == CREDIT_OK && !c.started && csv_start(&c) != 0)
        rv = CREDIT_EINTERNAL;
    if (rv == CREDIT_OK && csv_flush(&c) != 0)
        rv = CREDIT_EINTERNAL;
    if (rv == CREDIT_OK)
        credit_req_log(rq, 7, "CR0501", "csv export: %lld rows", c.rows);
    return rv;
}

/* The feed's filters in words, for its title: Feed.filter.N.param (the
 * list's parameter: the template names it with Lang.list[param]) and
 * .value, the value as the pages show it in the request's language. */
static void feed_filters(credit_view_t *v, apr_pool_t *p, const credit_filter_t *f)
{
    static const struct {
        const char *param;
        size_t off;
    } en[] = {
        {"district", offsetof(credit_filter_t, district)},
        {"kind", offsetof(credit_filter_t, kind)},
        {"category", offsetof(credit_filter_t, category)},
        {"domain", offsetof(credit_filter_t, domain)},
        {"severity", offsetof(credit_filter_t, severity)},
        {"status", offsetof(credit_filter_t, status)},
    };
    const char *names[9], *values[9];
    char from[16], to[16];
    int n = 0, i;
    size_t j;
    if (f->q) {
        names[n] = "q";
        values[n++] = f->q;
    }
    for (j = 0; j < sizeof en / sizeof en[0]; j++) {
        const char *code = *(const char *const *)((const char *)f + en[j].off);
        if (code) {
            names[n] = en[j].param;
            values[n++] = credit_view_label(v, en[j].param, code);
        }
    }
    if (f->from.y) {
        names[n] = "from";
        values[n++] = credit_date_fmt(f->from, from);
    }
    if (f->to.y) {
        names[n] = "to";
        values[n++] = credit_date_fmt(f->to, to);
    }
    for (i = 0; i < n; i++) {
        credit_view_set(v, apr_psprintf(p, "Feed.filter.%d.param", i), names[i]);
        credit_view_set(v, apr_psprintf(p, "Feed.filter.%d.value", i), apr_pstrdup(p, values[i]));
    }
}

/* The URL of the feed of f at cursor c (NULL: its first page). */
static const char *feed_href(credit_req_t *rq, const credit_filter_t *f, const credit_cursor_t *c)
{
    credit_filter_t n = *f;
    const char *q;
    n.has_cursor = c != NULL;
    if (c)
        n.cursor = *c;
    n.page = 1;
    q = credit_filter_query(rq->pool, &n, 1, FEED_ENTRIES);
    return apr_pstrcat(rq->pool, rq->origin, rq->base, "/feed.atom", *q ? "?" : "", q, NULL);
}

/* GET /feed.atom?<filters>: the newest disclosures, Atom 1.0, a page of
 * FEED_ENTRIES (or limit) at a time. A paged feed (RFC 5005, section 3):
 * rel="next" goes on to older entries with the list's keyset cursor,
 * rel="previous" back, rel="first" to the subscription's own URL, which is
 * also the id of every page. The title names the filter. */
credit_status_t credit_page_feed(credit_req_t *rq)
{
    credit_filter_t f;
    credit_record_page_t page;
    credit_view_t *v;
    credit_status_t rv;
    int i, fresh;
    const char *query, *self, *latest = NULL;

    if ((rv = credit_page_filter(rq, &f)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    f.sort = CREDIT_SORT_NEWEST;
    if (f.limit < FEED_ENTRIES && !apr_table_get(rq->args, "limit"))
        f.limit = FEED_ENTRIES;
    if ((rv = rq->store->ops->list_records(rq->store, &f, CREDIT_DETAIL_FACTS, &page)) != CREDIT_OK)
        return rv;
    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;
    query = credit_filter_query(rq->pool, &f, 0, FEED_ENTRIES);
    credit_view_set(v, "Feed.id", feed_href(rq, &f, NULL));
    self = credit_filter_query(rq->pool, &f, 1, FEED_ENTRIES); /* its cursor or page too */
    credit_view_set(
        v, "Feed.self",
        apr_pstrcat(rq->pool, rq->origin, rq->base, "/feed.atom", *self ? "?" : "", self, NULL));
    if (page.items->nelts && page.has_next) {
        credit_record_t *last = APR_ARRAY_IDX(page.items, page.items->nelts - 1, credit_record_t *);
        credit_cursor_t c = {last->clock.disclosed, last->id, 0};
        credit_view_set(v, "Feed.next", feed_href(rq, &f, &c));
    }
    if (page.items->nelts && page.has_prev && f.has_cursor) {
        credit_record_t *first = APR_ARRAY_IDX(page.items, 0, credit_record_t *);
        credit_cursor_t c = {first->clock.disclosed, first->id, 1};
        credit_view_set(v, "Feed.previous", feed_href(rq, &f, &c));
    }
    credit_view_set(
        v, "Feed.html",
        apr_pstrcat(rq->pool, rq->origin, rq->base, "/records", *query ? "?" : "", query, NULL));
    credit_view_set(v, "Feed.origin", apr_pstrcat(rq->pool, rq->origin, rq->base, NULL));
    feed_filters(v, rq->pool, &f);
    for (i = 0; i < page.items->nelts; i++) {
        credit_record_t *r = APR_ARRAY_IDX(page.items, i, credit_record_t *);
        const char *pre = apr_psprintf(rq->pool, "Records.%d", i);
        credit_view_entry(v, pre, r);
        /* Atom wants RFC 3339 times; the database keeps Beijing time. */
        if (r->updated_at && strlen(r->updated_at) == 19)
            credit_view_set(v, apr_pstrcat(rq->pool, pre, ".updated", NULL),
                            apr_pstrcat(rq->pool, apr_pstrndup(rq->pool, r->updated_at, 10), "T",
                                        r->updated_at + 11, "+08:00", NULL));
        if (r->updated_at && (!latest || strcmp(r->updated_at, latest) > 0))
            latest = r->updated_at;
    }
    /* The feed changed when its latest entry did. */
    if (latest && strlen(latest) == 19)
        credit_view_set(v, "Feed.updated",
                        apr_pstrcat(rq->pool, apr_pstrndup(rq->pool, latest, 10), "T", latest + 11,
                                    "+08:00", NULL));
    if (!page.items->nelts) {
        char day[16];
        credit_view_set(
            v, "Feed.updated",
            apr_pstrcat(rq->pool, credit_date_fmt(rq->today, day), "T00:00:00+08:00", NULL));
    }
    if ((rv = credit_view_render_page(v, "feed/atom.cs", &rq->body, &rq->body_len)) != CREDIT_OK) {
        credit_req_log(rq, 3, "CR0302", "rendering feed: %s", credit_view_error(v));
        return rv;
    }
    /* Whatever the rows hold (a character stored before the checks, or
     * by other means), the feed stays well-formed XML for every reader. */
    rq->body = credit_xml_clean(rq->pool, rq->body, rq->body_len, &rq->body_len);
    rq->status = 200;
    rq->content_type = "application/atom+xml; charset=utf-8";
    return CREDIT_OK;
}
