/* credit_page_export.c: the CSV export and the Atom feed. Both take the one
 * filter language of the list and ask the store the same question. */
#include <string.h>
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_csv.h"
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

static int csv_flush(csv_t *c)
{
    int rv = c->buf.len ? c->rq->stream(c->rq, c->buf.data, c->buf.len) : 0;
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

static const char *label(const credit_enum_t *e, const char *code)
{
    const credit_enum_item_t *it = credit_enum_find(e, code);
    return it ? it->zh : code;
}

/* The columns of the export: what the list shows, every field of the
 * record, and the provenance columns (number, permanent URL, source
 * department, last change). */
static const char *const csv_header[] = {
    "记录编号 record_no",
    "永久链接 url",
    "失信行为 title",
    "失信主体 subject",
    "主体类型 kind",
    "统一社会信用代码 credit_code",
    "身份证号码(脱敏) id_masked",
    "地区 district",
    "类别 category",
    "领域 domain",
    "严重程度 severity",
    "状态 status",
    "失信事实 facts",
    "认定依据 legal_basis",
    "决定书文号 decision_no",
    "决定机关 authority",
    "决定日期 decided_on",
    "公示日期 disclosed_on",
    "最早可修复日期 repair_from",
    "撤下日期 withdraw_on",
    "金额(元) amount",
    "信息来源部门 department",
    "最后变更 updated_at",
};
#define CSV_COLS (sizeof csv_header / sizeof csv_header[0])

static const unsigned csv_flags[CSV_COLS] = {[20] = CREDIT_CSV_NUMERIC};

static int csv_start(csv_t *c)
{
    int rv;
    c->started = 1;
    if ((rv = csv_write(c, CREDIT_CSV_BOM, CREDIT_CSV_BOM_LEN)) != 0)
        return rv;
    return credit_csv_row(csv_write, c, csv_header, CSV_COLS, NULL);
}

static int csv_record(void *ctx, const credit_record_t *r)
{
    csv_t *c = ctx;
    char d1[16], d2[16], d3[16];
    const char *f[CSV_COLS];
    char url[512];
    int rv;
    if (!c->started && (rv = csv_start(c)) != 0)
        return rv;
    apr_snprintf(url, sizeof url, "%s/records/%s", c->url_base, r->record_no);
    f[0] = r->record_no;
    f[1] = url; /* request pool would grow by a row: built on the stack */
    f[2] = r->title;
    f[3] = r->subject.name;
    f[4] = label(&credit_kinds, r->subject.kind);
    f[5] = r->subject.credit_code;
    f[6] = r->subject.id_masked;
    f[7] = label(&credit_districts, r->subject.district);
    f[8] = label(&credit_categories, r->category);
    f[9] = label(&credit_domains, r->domain);
    f[10] = label(&credit_severities, r->severity);
    f[11] = label(&credit_statuses, r->status);
    f[12] = r->facts;
    f[13] = r->legal_basis;
    f[14] = r->decision_no;
    f[15] = r->authority;
    f[16] = r->decided_on;
    f[17] = credit_date_fmt(r->clock.disclosed, d1);
    f[18] = r->clock.repair_from.y ? credit_date_fmt(r->clock.repair_from, d2) : NULL;
    f[19] = credit_date_fmt(r->clock.withdraw_on, d3);
    f[20] = r->amount;
    f[21] = r->department;
    f[22] = r->updated_at;
    c->rows++;
    return credit_csv_row(csv_write, c, f, CSV_COLS, csv_flags);
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
    rv = rq->store->ops->each_record(rq->store, &f, csv_record, &c);
    if (rv == CREDIT_OK && !c.started && csv_start(&c) != 0)
        rv = CREDIT_EINTERNAL;
    if (rv == CREDIT_OK && csv_flush(&c) != 0)
        rv = CREDIT_EINTERNAL;
    if (rv == CREDIT_OK)
        credit_page_log(rq, 7, "CR0501", "csv export: %lld rows", c.rows);
    return rv;
}

/* GET /feed.atom?<filters>: the newest disclosures, Atom 1.0. */
credit_status_t credit_page_feed(credit_req_t *rq)
{
    credit_filter_t f;
    credit_record_page_t page;
    credit_view_t *v;
    credit_status_t rv;
    int i, fresh;
    const char *query, *latest = NULL;

    if ((rv = credit_page_filter(rq, &f)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    f.sort = CREDIT_SORT_NEWEST;
    f.has_cursor = 0;
    if (f.limit < FEED_ENTRIES && !apr_table_get(rq->args, "limit"))
        f.limit = FEED_ENTRIES;
    if ((rv = rq->store->ops->list_records(rq->store, &f, 1, &page)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_view(rq, &v)) != CREDIT_OK)
        return rv;
    query = credit_filter_query(rq->pool, &f, 0, FEED_ENTRIES);
    credit_view_set(
        v, "Feed.self",
        apr_pstrcat(rq->pool, rq->origin, rq->base, "/feed.atom", *query ? "?" : "", query, NULL));
    credit_view_set(
        v, "Feed.html",
        apr_pstrcat(rq->pool, rq->origin, rq->base, "/records", *query ? "?" : "", query, NULL));
    credit_view_set(v, "Feed.origin", apr_pstrcat(rq->pool, rq->origin, rq->base, NULL));
    for (i = 0; i < page.items->nelts; i++) {
        credit_record_t *r = APR_ARRAY_IDX(page.items, i, credit_record_t *);
        const char *pre = apr_psprintf(rq->pool, "Records.%d", i);
        credit_view_record(v, pre, r, 1);
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
        credit_page_log(rq, 3, "CR0302", "rendering feed: %s", credit_view_error(v));
        return rv;
    }
    /* Whatever the rows hold (a character stored before the checks, or
     * by other means), the feed stays well-formed XML for every reader. */
    rq->body = credit_xml_clean(rq->pool, rq->body, rq->body_len, &rq->body_len);
    rq->status = 200;
    rq->content_type = "application/atom+xml; charset=utf-8";
    return CREDIT_OK;
}
