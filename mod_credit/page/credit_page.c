/* credit_page.c: dispatch table and what every page shares. */
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_json.h"
#include "credit_rules.h"
#include "credit_query.h"
#include "credit_validate.h"
#include "credit_gate.h"
#include "credit_model.h"
#include "credit_text.h"

typedef credit_status_t credit_page_fn(credit_req_t *rq);

static credit_page_fn *const pages[CREDIT_ROUTE_COUNT] = {
    [CREDIT_ROUTE_HOME] = credit_page_home,
    [CREDIT_ROUTE_RECORDS] = credit_page_records,
    [CREDIT_ROUTE_RECORD] = credit_page_record,
    [CREDIT_ROUTE_SUBJECT] = credit_page_subject,
    [CREDIT_ROUTE_API_HEALTH] = credit_page_api_health,
    [CREDIT_ROUTE_API_RECORDS] = credit_page_api_records,
    [CREDIT_ROUTE_API_SEARCH] = credit_page_api_records,
    [CREDIT_ROUTE_API_RECORD] = credit_page_api_record,
    [CREDIT_ROUTE_API_SUBJECT] = credit_page_api_subject,
    [CREDIT_ROUTE_API_CHANGES] = credit_page_api_changes,
    [CREDIT_ROUTE_API_STATS] = credit_page_api_stats,
    [CREDIT_ROUTE_API_OPENAPI] = credit_page_api_openapi,
    [CREDIT_ROUTE_API_DUMPS] = credit_page_api_dumps,
    [CREDIT_ROUTE_CSV] = credit_page_csv,
    [CREDIT_ROUTE_XLSX] = credit_page_xlsx,
    [CREDIT_ROUTE_FEED] = credit_page_feed,
    [CREDIT_ROUTE_COMPLAINT_NEW] = credit_page_submit,
    [CREDIT_ROUTE_COMPLAINTS] = credit_page_submit,
    [CREDIT_ROUTE_OBJECTION] = credit_page_submit,
    [CREDIT_ROUTE_REPAIR] = credit_page_submit,
    [CREDIT_ROUTE_CASE_STATUS] = credit_page_case_status,
    [CREDIT_ROUTE_RATINGS] = credit_page_ratings,
    [CREDIT_ROUTE_COMMITMENTS] = credit_page_commitments,
    [CREDIT_ROUTE_STATS] = credit_page_stats,
};

static const struct {
    credit_status_t st;
    int http;
    const char *code;
} status_map[] = {
    {CREDIT_EINVAL, 400, "bad_request"},
    {CREDIT_ENOTFOUND, 404, "not_found"},
    {CREDIT_EGONE, 410, "gone"},
    {CREDIT_EUNAVAIL, 503, "unavailable"},
    {CREDIT_EBUSY, 503, "busy"},
    {CREDIT_EINTERNAL, 500, "internal_error"},
    {CREDIT_ELIMIT, 429, "too_many_requests"},
};

/* A string of the language files: lang's, else English's, else NULL. */
static const char *say(credit_req_t *rq, const char *lang, const char *key)
{
    const char *text = credit_templates_text(rq->templates, lang, key);
    return text ? text : credit_templates_text(rq->templates, "en", key);
}

const char *credit_page_say(credit_req_t *rq, const char *key)
{
    const char *text = say(rq, rq->lang, key);
    return text ? text : "";
}

void credit_page_head(credit_req_t *rq, credit_view_t *v, const char *family,
                      const char *const *pairs)
{
    apr_pool_t *p = rq->pool;
    const char *title = say(rq, rq->lang, apr_pstrcat(p, "Lang.head.", family, ".title", NULL));
    const char *desc =
        say(rq, rq->lang, apr_pstrcat(p, "Lang.head.", family, ".description", NULL));
    const char *site = say(rq, rq->lang, "Lang.head.title");
    if (title) {
        const char *inner[] = {"title", credit_text_fill(p, title, pairs), NULL};
        credit_view_set(v, "Page.Title", site ? credit_text_fill(p, site, inner) : inner[1]);
    }
    if (desc)
        credit_view_set(v, "Page.Description",
                        credit_text_clip(p, credit_text_fill(p, desc, pairs),
                                         CREDIT_HEAD_DESCRIPTION_MAX - 1, "\xE2\x80\xA6"));
}

credit_status_t credit_page_render(credit_req_t *rq, credit_view_t *v, const char *tpl)
{
    credit_status_t rv = credit_view_render(v, tpl, &rq->body, &rq->body_len);
    if (rv != CREDIT_OK) {
        credit_req_log(rq, 3, "CR0302", "rendering %s: %s", tpl, credit_view_error(v));
        return rv;
    }
    if (!rq->status)
        rq->status = 200;
    rq->content_type = "text/html; charset=utf-8";
    return CREDIT_OK;
}

/* Beijing wall-clock time to Unix seconds; 0 when out of range. */
static long long beijing_unix(int y, int mo, int d, int h, int mi, int sec)
{
    apr_time_exp_t tm = {0};
    apr_time_t t;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    if (apr_time_exp_gmt_get(&t, &tm) != APR_SUCCESS)
        return 0;
    return (long long)apr_time_sec(t) - 8 * 3600;
}

long long credit_page_changed_unix(const char *changed_at)
{
    int y, mo, d, h, mi, sec;
    if (changed_at && sscanf(changed_at, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) == 6)
        return beijing_unix(y, mo, d, h, mi, sec);
    return 0;
}

credit_status_t credit_page_validators_for(credit_req_t *rq, const char *etag,
                                           const char *changed_at, int daily, int *fresh)
{
    long long mtime = credit_page_changed_unix(changed_at), midnight;
    *fresh = 0;
    midnight = beijing_unix(rq->today.y, rq->today.m, rq->today.d, 0, 0, 0);
    if (daily && midnight > mtime)
        mtime = midnight;
    apr_table_setn(rq->headers, "ETag", etag);
    /* Any cache may keep it (mod_cache too, query strings included: it
     * needs an explicit max-age for those) but must ask again every time:
     * the revalidation is the data version and a 304, and a withdrawal
     * changes the version, so the very next request sees it. */
    apr_table_setn(rq->headers, "Cache-Control", "max-age=0, must-revalidate");
    if (rq->not_modified && rq->not_modified(rq, etag, rq->undated ? 0 : mtime)) {
        rq->status = 304;
        rq->body = "";
        rq->body_len = 0;
        *fresh = 1;
    }
    return CREDIT_OK;
}

credit_status_t credit_page_validators(credit_req_t *rq, int *fresh)
{
    credit_version_t ver;
    credit_status_t rv = rq->store->ops->version(rq->store, &ver);
    *fresh = 0;
    if (rv != CREDIT_OK)
        return rv;
    /* A page changes with the data and with the day (the disclosure clock),
     * and with the language when it is in the visitor's. */
    return credit_page_validators_for(
        rq,
        apr_psprintf(rq->pool, "W/\"%" APR_UINT64_T_FMT "-%04d%02d%02d-%s-%s\"",
                     (apr_uint64_t)ver.data_version, rq->today.y, rq->today.m, rq->today.d,
                     credit_route_localized(&rq->route) ? rq->lang : "all", rq->build_id),
        ver.changed_at, 1, fresh);
}

credit_status_t credit_page_moved(credit_req_t *rq, const char *prefix, credit_status_t rv)
{
    const char *no;
    if (rv != CREDIT_ENOTFOUND ||
        rq->store->ops->resolve_alias(rq->store, rq->route.param, &no) != CREDIT_OK)
        return rv;
    rq->status = 301;
    apr_table_setn(rq->headers, "Location",
                   apr_pstrcat(rq->pool, rq->origin, rq->base, prefix, no, NULL));
    apr_table_setn(rq->headers, "Cache-Control", "no-cache");
    rq->content_type = "text/plain; charset=utf-8";
    rq->body = apr_pstrcat(rq->pool, "moved to ", no, "\n", NULL);
    rq->body_len = strlen(rq->body);
    return CREDIT_OK;
}

const char *credit_tombstone_date(apr_pool_t *p, const credit_record_t *r, credit_date_t today)
{
    credit_date_t d = {0, 0, 0};
    char buf[16];
    if (r->withdrawn_on && credit_date_parse(r->withdrawn_on, &d)) {
        /* the date of the repair or revocation decision */
    } else if (r->status && credit_status_withdrawn(r->status) && r->updated_at &&
               strlen(r->updated_at) >= 10 &&
               credit_date_parse(apr_pstrndup(p, r->updated_at, 10), &d)) {
        /* withdrawn by a status change: when it was made */
    } else {
        d = r->clock.withdraw_on; /* the window ended */
    }
    if (!d.y || credit_date_cmp(d, today) > 0)
        d = today;
    return apr_pstrdup(p, credit_date_fmt(d, buf));
}

credit_status_t credit_page_subject_load(credit_req_t *rq, int limit, credit_subject_t **s,
                                         apr_array_header_t **records, long long *total)
{
    unsigned long long id;
    credit_status_t rv;
    if (!credit_id_parse(rq->route.param, &id))
        return CREDIT_ENOTFOUND;
    if ((rv = rq->store->ops->get_subject(rq->store, id, s)) != CREDIT_OK)
        return rv;
    if ((rv = rq->store->ops->subject_records(rq->store, id, limit, records, total)) != CREDIT_OK)
        return rv;
    /* A civil servant is disclosed through a public record only: with none
     * (all withdrawn, or not yet disclosed) the profile does not exist. */
    if (*total == 0 && (*s)->kind && strcmp((*s)->kind, "official") == 0)
        return CREDIT_ENOTFOUND;
    return CREDIT_OK;
}

const char *credit_page_msg(credit_req_t *rq, const char *lang, const credit_msg_t *m,
                            int with_param)
{
    apr_pool_t *p = rq->pool;
    const char *pattern = say(rq, lang, apr_pstrcat(p, "Lang.msg.", m->key, NULL));
    const char *values = NULL, *label = NULL, *text;
    int i;
    if (m->choices && m->choices->nelts) {
        const char *kind = m->kind ? m->kind : m->param;
        values = "";
        for (i = 0; i < m->choices->nelts; i++) {
            const char *code = APR_ARRAY_IDX(m->choices, i, const char *);
            const char *name =
                say(rq, lang, apr_pstrcat(p, "Lang.enum.", kind ? kind : "", ".", code, NULL));
            const char *pairs[] = {"label", name ? name : code, "code", code, NULL};
            values = apr_pstrcat(
                p, values,
                credit_text_fill(p, say(rq, lang, i ? "Lang.msg.value_next" : "Lang.msg.value"),
                                 pairs),
                NULL);
        }
    }
    if (m->param)
        label =
            say(rq, lang,
                m->label_key ? m->label_key : apr_pstrcat(p, "Lang.msg.param.", m->param, NULL));
    {
        const char *pairs[] = {"label",  label ? label : m->param,
                               "min",    apr_ltoa(p, m->min),
                               "max",    apr_ltoa(p, m->max),
                               "value",  m->value,
                               "values", values,
                               NULL};
        text = credit_text_fill(p, pattern ? pattern : m->key, pairs);
    }
    if (with_param && m->param) {
        const char *detail = say(rq, lang, "Lang.msg.detail");
        const char *pairs[] = {"param", m->param, "text", text, NULL};
        text = detail ? credit_text_fill(p, detail, pairs)
                      : apr_pstrcat(p, m->param, ": ", text, NULL);
    }
    return text ? text : m->key;
}

credit_status_t credit_page_bad(credit_req_t *rq, int status, const char *code,
                                const credit_msg_t *m)
{
    /* The API speaks English; a page the request's language. */
    credit_page_error(rq, status, code, credit_page_msg(rq, rq->route.api ? "en" : rq->lang, m, 1));
    return status == 404 ? CREDIT_ENOTFOUND : CREDIT_EINVAL;
}

credit_status_t credit_page_filter(credit_req_t *rq, credit_filter_t *f)
{
    credit_filter_error_t err = {0};
    if (credit_filter_parse(rq->pool, rq->args, rq->page_size, f, &err) != CREDIT_OK) {
        credit_msg_t m = {.param = err.param ? err.param : "q",
                          .key = err.key ? err.key : "invalid",
                          .min = err.min,
                          .max = err.max,
                          .choices = err.choices};
        return credit_page_bad(rq, 400, "bad_filter", &m);
    }
    if (f->q) {
        credit_query_t parsed;
        const char *msg, *key = NULL;
        int limit = 0;
        if (credit_query_parse_msg(rq->pool, f->q, &parsed, &msg, &key, &limit) != CREDIT_OK) {
            credit_msg_t m = {.param = "q", .key = key ? key : "invalid", .max = limit};
            return credit_page_bad(rq, 400, "bad_filter", &m);
        }
    }
    if (!f->has_cursor && f->page > CREDIT_PAGE_JUMP_MAX) {
        credit_msg_t m = {.param = "page", .key = "page_jump", .max = CREDIT_PAGE_JUMP_MAX};
        return credit_page_bad(rq, 400, "bad_filter", &m);
    }
    return CREDIT_OK;
}

credit_status_t credit_page_cache_key(credit_req_t *rq, const char *what, const char **key)
{
    credit_version_t ver;
    credit_status_t rv = rq->store->ops->version(rq->store, &ver);
    if (rv == CREDIT_OK)
        *key = apr_psprintf(rq->pool, "%s|%" APR_UINT64_T_FMT "|%04d%02d%02d", what,
                            (apr_uint64_t)ver.data_version, rq->today.y, rq->today.m, rq->today.d);
    return rv;
}

typedef struct {
    credit_req_t *rq;
    credit_count_fn *count;
    const void *ctx;
} count_fill_t;

static credit_status_t count_fill(void *ctx, apr_pool_t *p, const char **value)
{
    count_fill_t *c = ctx;
    long long n;
    credit_status_t rv = c->count(c->rq, c->ctx, &n);
    if (rv == CREDIT_OK)
        *value = apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)n);
    return rv;
}

credit_status_t credit_page_cached_count(credit_req_t *rq, const char *key, credit_count_fn *count,
                                         const void *ctx, long long *out)
{
    count_fill_t c = {rq, count, ctx};
    const char *text;
    credit_status_t rv = credit_cache_fetch(rq->totals, rq->pool, key, count_fill, &c, &text);
    if (rv == CREDIT_OK)
        *out = atoll(text);
    return rv;
}

const char *credit_total_rel_name(credit_total_rel_t rel)
{
    return rel == CREDIT_TOTAL_GT ? "gt" : rel == CREDIT_TOTAL_GTE ? "gte" : "eq";
}

typedef struct {
    credit_req_t *rq;
    const credit_filter_t *f;
} total_fill_t;

/* "n|rel" of a count the store makes (words, dates). */
static credit_status_t total_fill(void *ctx, apr_pool_t *p, const char **value)
{
    total_fill_t *t = ctx;
    long long n;
    credit_total_rel_t rel;
    credit_status_t rv =
        t->rq->store->ops->count_records(t->rq->store, t->f, t->rq->count_bound, &n, &rel);
    if (rv == CREDIT_OK)
        *value = apr_psprintf(p, "%" APR_INT64_T_FMT "|%d", (apr_int64_t)n, (int)rel);
    return rv;
}

static credit_status_t load_tally(void *ctx, credit_tally_t *t)
{
    credit_req_t *rq = ctx;
    return rq->store->ops->tally(rq->store, t);
}

/* f's number from the tally, without counting; CREDIT_ENOTFOUND where the
 * tally does not answer (words, dates, no tallies, or kept numbers that do
 * not reach back to today). */
static credit_status_t tally_total(credit_req_t *rq, const credit_filter_t *f, long long *out)
{
    credit_version_t ver;
    credit_status_t rv;
    if (!credit_tally_answers(f) || !rq->tallies)
        return CREDIT_ENOTFOUND;
    if ((rv = rq->store->ops->version(rq->store, &ver)) != CREDIT_OK)
        return rv;
    return credit_tallies_total(rq->tallies, ver.data_version, rq->today, f, load_tally, rq, out);
}

/* A write to an export's client that waits longer gives the export's place
 * to the next (credit_page.h). On the same host or a LAN a 64 KB chunk goes
 * in microseconds, while the socket's buffers have room. */
#define EXPORT_STALL apr_time_from_msec(250)

credit_status_t credit_page_export_begin(credit_req_t *rq)
{
    /* A place among the exports streaming (before any byte is sent: one
     * refused is a 503 with Retry-After), held until the last row. */
    credit_status_t rv = credit_gate_hold(rq->exports, rq->pool, EXPORT_STALL, &rq->export_hold);
    if (rv != CREDIT_OK)
        credit_req_log(rq, 5, "CR0502", "export refused: %d exports streaming",
                       credit_gate_busy(rq->exports));
    return rv;
}

credit_status_t credit_page_export_records(credit_req_t *rq, const credit_filter_t *f,
                                           credit_record_fn *fn, void *ctx)
{
    long long n;
    if (tally_total(rq, f, &n) != CREDIT_OK)
        n = -1; /* not known */
    return rq->store->ops->each_record(rq->store, f, n, CREDIT_DETAIL_EXPORT, fn, ctx);
}

void credit_page_export_end(credit_req_t *rq)
{
    credit_gate_hold_release(rq->export_hold);
}

credit_status_t credit_page_each_export(credit_req_t *rq, const credit_filter_t *f,
                                        credit_record_fn *fn, void *ctx)
{
    credit_status_t rv;
    if ((rv = credit_page_export_begin(rq)) != CREDIT_OK)
        return rv;
    rv = credit_page_export_records(rq, f, fn, ctx);
    credit_page_export_end(rq);
    return rv;
}

credit_status_t credit_page_total(credit_req_t *rq, const credit_filter_t *f, long long *out,
                                  credit_total_rel_t *rel)
{
    const char *key;
    credit_status_t rv;
    if ((rv = tally_total(rq, f, out)) != CREDIT_ENOTFOUND) {
        *rel = CREDIT_TOTAL_EQ;
        return rv;
    }
    /* (The question as asked, its page size too: a search's bound can be
     * its first page's matches.) */
    rv = credit_page_cache_key(rq,
                               apr_psprintf(rq->pool, "total|%d|%s", rq->count_bound,
                                            credit_filter_query(rq->pool, f, 0, 0)),
                               &key);
    if (rv == CREDIT_OK) {
        total_fill_t t = {rq, f};
        const char *text, *bar;
        rv = credit_cache_fetch(rq->totals, rq->pool, key, total_fill, &t, &text);
        if (rv == CREDIT_OK) {
            *out = atoll(text);
            *rel = (bar = strchr(text, '|')) != NULL ? (credit_total_rel_t)atoi(bar + 1)
                                                     : CREDIT_TOTAL_EQ;
        }
    }
    return rv;
}

void credit_page_error(credit_req_t *rq, int status, const char *code, const char *message)
{
    credit_view_t *v;
    rq->status = status;
    apr_table_unset(rq->headers, "ETag");
    /* An export refused after its headers were chosen: the error is shown,
     * not saved as the export's file. */
    apr_table_unset(rq->headers, "Content-Disposition");
    apr_table_setn(rq->headers, "Cache-Control", "no-store");
    if (status == 503)
        apr_table_setn(rq->headers, "Retry-After", "5");
    if (rq->route.api) {
        rq->content_type = "application/json; charset=utf-8";
        rq->body = credit_json_error(rq->pool, code, message ? message : code, &rq->body_len);
        return;
    }
    if (rq->route.id == CREDIT_ROUTE_FEED) {
        /* A feed reader shows no HTML page: it gets the status, the code
         * and the message (for a bad filter: the parameter and the values
         * it accepts) as plain text it can show as it is. */
        rq->content_type = "text/plain; charset=utf-8";
        rq->body = apr_psprintf(rq->pool, "%d %s\n%s\n", status, code, message ? message : code);
        rq->body_len = strlen(rq->body);
        return;
    }
    if (credit_req_view(rq, &v) == CREDIT_OK) {
        const char *st = apr_itoa(rq->pool, status);
        const char *pairs[] = {
            "status", st,
            "label",  credit_page_say(rq, apr_pstrcat(rq->pool, "Lang.error.", st, NULL)),
            "text",   credit_page_say(rq, apr_pstrcat(rq->pool, "Lang.error.", st, "_text", NULL)),
            NULL};
        credit_page_head(rq, v, "error", pairs);
        credit_view_set_int(v, "Error.Status", status);
        credit_view_set(v, "Error.Code", code);
        credit_view_set(v, "Error.Message", message);
        if (credit_page_render(rq, v, "errors/error.cs") == CREDIT_OK) {
            rq->status = status;
            return;
        }
    }
    /* The templates themselves are broken: a plain page, never nothing. */
    rq->status = status;
    rq->content_type = "text/plain; charset=utf-8";
    rq->body = apr_psprintf(rq->pool, "%d %s\n", status, code);
    rq->body_len = strlen(rq->body);
}

/* ---- rendered responses, cached per child ----
 * A response of these routes depends only on the data version, the day,
 * the language, the origin and base, the path and the query: every write to
 * the public tables changes the version (sql/001 triggers), so an entry is
 * never served after the data it shows has changed. An entry is kept under
 * the request (the day included) and carries the version it was made at;
 * the version is read (one statement) only when there is an entry to check,
 * so withdrawal still takes effect at once, and a request with no entry
 * (most of many different URLs) leaves the version to the page, which a
 * record page reads with the record itself (docs/BENCH.md). Ratings,
 * commitments, statistics and the home page (ratings summary) do not follow
 * the data version alone and are not cached here; forms carry tokens and
 * are never cached. */
#define PAGE_CACHE_BODY_MAX (256 * 1024)

static int page_cacheable(const credit_req_t *rq)
{
    if (!rq->pages || rq->post)
        return 0;
    switch (rq->route.id) {
    case CREDIT_ROUTE_RECORDS:
    case CREDIT_ROUTE_RECORD:
    case CREDIT_ROUTE_FEED:
    case CREDIT_ROUTE_API_RECORDS:
    case CREDIT_ROUTE_API_RECORD:
    case CREDIT_ROUTE_API_SEARCH:
    case CREDIT_ROUTE_API_OPENAPI:
        return 1;
    default:
        return 0;
    }
}

/* Whether the route's page reads the data version in the statement of its
 * first data (a record with its version: credit_maria_get_record). */
static int page_reads_version(const credit_req_t *rq)
{
    return rq->route.id == CREDIT_ROUTE_RECORD || rq->route.id == CREDIT_ROUTE_API_RECORD;
}

/* The cache key of this request's response: the request and its day. */
static const char *page_key(credit_req_t *rq)
{
    const apr_array_header_t *arr = apr_table_elts(rq->args);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    const char *what =
        apr_psprintf(rq->pool, "page|%s|%s|%s%s%s?|%04d%02d%02d|", rq->route.name,
                     credit_route_localized(&rq->route) ? rq->lang : "all", rq->origin, rq->base,
                     rq->path, rq->today.y, rq->today.m, rq->today.d);
    int i;
    for (i = 0; i < arr->nelts; i++)
        what =
            apr_pstrcat(rq->pool, what, e[i].key, "\x1f", e[i].val ? e[i].val : "", "\x1e", NULL);
    return what;
}

/* An entry: "version\nstatus\ncontent type\nheaders\n" (each header
 * "name\tvalue\x1d") then the body. Kept only when the version it shows is
 * known (the page read it). */
static void page_put(credit_req_t *rq, const char *key)
{
    const apr_array_header_t *arr = apr_table_elts(rq->headers);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    credit_version_t ver;
    const char *head;
    int i;
    if ((rq->status != 200 && rq->status != 410) || rq->streaming || !rq->body ||
        rq->body_len > PAGE_CACHE_BODY_MAX || memchr(rq->body, '\0', rq->body_len) ||
        rq->store->ops->version(rq->store, &ver) != CREDIT_OK)
        return;
    head =
        apr_psprintf(rq->pool, "%" APR_UINT64_T_FMT "\n%d\n%s\n", (apr_uint64_t)ver.data_version,
                     rq->status, rq->content_type ? rq->content_type : "text/plain; charset=utf-8");
    for (i = 0; i < arr->nelts; i++) {
        if (strchr(e[i].key, '\n') || strchr(e[i].val, '\n') || strchr(e[i].val, '\x1d'))
            return;
        head = apr_pstrcat(rq->pool, head, e[i].key, "\t", e[i].val, "\x1d", NULL);
    }
    credit_cache_put_text(
        rq->pages, key,
        apr_pstrcat(rq->pool, head, "\n", apr_pstrmemdup(rq->pool, rq->body, rq->body_len), NULL));
}

/* Answers from the entry of key when there is one made at the current
 * data version: 1 when answered. Pages with an ETag are validated again
 * (the same version: no statement), so a client's current copy still gets
 * its 304. */
static int page_get(credit_req_t *rq, const char *key)
{
    const char *entry, *st, *ct, *hd, *body;
    char *h, *save = NULL, *item;
    credit_version_t ver;
    int status, fresh = 0;
    if (!credit_cache_get_text(rq->pages, rq->pool, key, &entry))
        return 0;
    /* An entry of another version is a miss (the page then reads the
     * version it shows, and its entry replaces this one); so is a version
     * that cannot be read (the page answers, 503 then). */
    if (rq->store->ops->version(rq->store, &ver) != CREDIT_OK ||
        strtoull(entry, NULL, 10) != ver.data_version)
        return 0;
    if (!(st = strchr(entry, '\n')) || !(ct = strchr(st + 1, '\n')) ||
        !(hd = strchr(ct + 1, '\n')) || !(body = strchr(hd + 1, '\n')))
        return 0;
    status = atoi(st + 1);
    h = apr_pstrmemdup(rq->pool, hd + 1, (apr_size_t)(body - hd - 1));
    for (item = apr_strtok(h, "\x1d", &save); item; item = apr_strtok(NULL, "\x1d", &save)) {
        char *tab = strchr(item, '\t');
        if (tab) {
            *tab = '\0';
            apr_table_setn(rq->headers, item, tab + 1);
        }
    }
    if (apr_table_get(rq->headers, "ETag") &&
        (credit_page_validators(rq, &fresh) != CREDIT_OK || fresh))
        return fresh; /* a 304; or the version is gone: the page answers */
    rq->status = status;
    rq->content_type = apr_pstrmemdup(rq->pool, ct + 1, (apr_size_t)(hd - ct - 1));
    rq->body = body + 1;
    rq->body_len = strlen(body + 1);
    return 1;
}

/* The pages that read many rows: a list or search (HTML or API) and a
 * feed. They are built CreditListPages at a time, the others wait their
 * turn first come, first served: all built at once on few cores, the slow
 * ones took their time many times over (a feed's p99 went up by a third).
 * A record page and everything else goes straight on. */
static credit_status_t build(credit_req_t *rq, credit_page_fn *fn)
{
    credit_status_t rv;
    credit_route_id_t id = rq->route.id;
    if (id != CREDIT_ROUTE_RECORDS && id != CREDIT_ROUTE_API_RECORDS &&
        id != CREDIT_ROUTE_API_SEARCH && id != CREDIT_ROUTE_FEED)
        return fn(rq);
    if ((rv = credit_gate_enter(rq->lists)) != CREDIT_OK) {
        credit_req_log(rq, 5, "CR0304", "%s refused: %d list pages being built, %d waiting",
                       rq->route.name, credit_gate_busy(rq->lists), credit_gate_waiting(rq->lists));
        return rv;
    }
    rv = fn(rq);
    credit_gate_leave(rq->lists);
    return rv;
}

credit_status_t credit_page_dispatch(credit_req_t *rq)
{
    credit_status_t rv = CREDIT_ENOTFOUND;
    size_t i;
    const char *key = page_cacheable(rq) ? page_key(rq) : NULL;
    credit_version_t ver;
    if (key && page_get(rq, key))
        return CREDIT_OK;
    /* An entry is stamped with the version read before or with the data it
     * shows, never after (a write between them would leave an old page
     * under the new version): a record page reads it with the record, the
     * other pages have it read first. */
    if (key && !page_reads_version(rq) && rq->store->ops->version(rq->store, &ver) != CREDIT_OK)
        key = NULL; /* the page answers (503 then); nothing is kept */
    if (rq->route.id > CREDIT_ROUTE_NONE && rq->route.id < CREDIT_ROUTE_COUNT &&
        pages[rq->route.id])
        rv = build(rq, pages[rq->route.id]);
    if (rv == CREDIT_OK) {
        if (key)
            page_put(rq, key);
        return rv;
    }
    if (rq->streaming) {
        /* Too late for an error page: the stream just ends. */
        credit_req_log(rq, 3, "CR0303", "%s stopped after the response had started",
                       rq->route.name);
        return rv;
    }
    for (i = 0; i < sizeof status_map / sizeof status_map[0]; i++) {
        if (status_map[i].st == rv) {
            /* A page that already chose its own error response keeps it. */
            if (rq->status != status_map[i].http)
                credit_page_error(rq, status_map[i].http, status_map[i].code, NULL);
            return rv;
        }
    }
    credit_page_error(rq, 500, "internal_error", NULL);
    return rv;
}
