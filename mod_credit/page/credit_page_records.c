/* credit_page_records.c: the records list and the record page. */
#include <string.h>
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_filter.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_query.h"
#include "credit_text.h"

/* Characters of the facts in the record page's description. */
#define RECORD_FACTS_HEAD 80

/* The filter form: the current value and every choice of each enumeration. */
static void filter_form(credit_view_t *v, const credit_filter_t *f)
{
    static const struct {
        const char *param;
        const credit_enum_t *e;
        size_t off;
    } sel[] = {
        {"district", &credit_districts, offsetof(credit_filter_t, district)},
        {"kind", &credit_kinds, offsetof(credit_filter_t, kind)},
        {"category", &credit_categories, offsetof(credit_filter_t, category)},
        {"domain", &credit_domains, offsetof(credit_filter_t, domain)},
        {"severity", &credit_severities, offsetof(credit_filter_t, severity)},
        {"status", &credit_statuses, offsetof(credit_filter_t, status)},
    };
    apr_pool_t *p = credit_view_pool(v);
    size_t i, j, n;
    char buf[16];
    for (i = 0; i < sizeof sel / sizeof sel[0]; i++) {
        const char *cur = *(const char *const *)((const char *)f + sel[i].off);
        const char *base = sel[i].param;
        credit_view_set(v, apr_pstrcat(p, "Filter.", base, NULL), cur);
        for (j = 0, n = 0; j < sel[i].e->n; j++) {
            const char *code = sel[i].e->items[j].code;
            if (sel[i].e == &credit_statuses && credit_status_withdrawn(code))
                continue; /* never listed */
            credit_view_set(v, apr_psprintf(p, "Choices.%s.%" APR_SIZE_T_FMT ".code", base, n),
                            code);
            credit_view_set(v, apr_psprintf(p, "Choices.%s.%" APR_SIZE_T_FMT ".label", base, n),
                            credit_view_label(v, base, code));
            n++;
        }
    }
    credit_view_set(v, "Filter.q", f->q);
    if (f->from.y)
        credit_view_set(v, "Filter.from", apr_pstrdup(p, credit_date_fmt(f->from, buf)));
    if (f->to.y)
        credit_view_set(v, "Filter.to", apr_pstrdup(p, credit_date_fmt(f->to, buf)));
    credit_view_set(v, "Filter.sort", f->sort == CREDIT_SORT_OLDEST ? "oldest" : "newest");
}

/* Search matches as segments (prefix.N.text / .match): the template wraps
 * matches in <mark> and ClearSilver escapes every segment. */
static void highlight(credit_view_t *v, const char *prefix, const apr_array_header_t *segs)
{
    apr_pool_t *p = credit_view_pool(v);
    int i;
    for (i = 0; segs && i < segs->nelts; i++) {
        const credit_qseg_t *g = &APR_ARRAY_IDX(segs, i, credit_qseg_t);
        credit_view_set(v, apr_psprintf(p, "%s.%d.text", prefix, i), g->text);
        if (g->match)
            credit_view_set(v, apr_psprintf(p, "%s.%d.match", prefix, i), "1");
    }
}

/* What the list shows, for its title and description: the search words,
 * the labels of the filters, the dates and the page, joined by " · ";
 * "" for the first page of every record. */
static const char *list_what(credit_req_t *rq, credit_view_t *v, const credit_filter_t *f)
{
    apr_pool_t *p = rq->pool;
    apr_array_header_t *parts = apr_array_make(p, 10, sizeof(const char *));
    const char *const enums[][2] = {
        {"district", f->district}, {"kind", f->kind},         {"category", f->category},
        {"domain", f->domain},     {"severity", f->severity}, {"status", f->status},
    };
    char from[16], to[16];
    size_t i;
    if (f->q) {
        const char *pairs[] = {"q", f->q, NULL};
        APR_ARRAY_PUSH(parts, const char *) =
            credit_text_fill(p, credit_page_say(rq, "Lang.head.search"), pairs);
    }
    for (i = 0; i < sizeof enums / sizeof enums[0]; i++)
        if (enums[i][1])
            APR_ARRAY_PUSH(parts, const char *) = credit_view_label(v, enums[i][0], enums[i][1]);
    if (f->from.y || f->to.y) {
        const char *pairs[] = {"from", f->from.y ? credit_date_fmt(f->from, from) : "", "to",
                               f->to.y ? credit_date_fmt(f->to, to) : "", NULL};
        const char *key = !f->to.y     ? "Lang.head.from"
                          : !f->from.y ? "Lang.head.to"
                                       : "Lang.head.dates";
        APR_ARRAY_PUSH(parts, const char *) = credit_text_fill(p, credit_page_say(rq, key), pairs);
    }
    if (f->page > 1) {
        const char *pairs[] = {"page", apr_itoa(p, f->page), NULL};
        APR_ARRAY_PUSH(parts, const char *) =
            credit_text_fill(p, credit_page_say(rq, "Lang.head.page"), pairs);
    }
    {
        const char *out = "";
        for (i = 0; i < (size_t)parts->nelts; i++)
            out = apr_pstrcat(p, out, i ? " \xC2\xB7 " : "", APR_ARRAY_IDX(parts, i, const char *),
                              NULL);
        return out;
    }
}

/* "共 123 条" / "more than 10000" ...: a total as the description says it. */
static const char *total_words(credit_req_t *rq, long long total, credit_total_rel_t rel)
{
    const char *pairs[] = {"n", apr_psprintf(rq->pool, "%" APR_INT64_T_FMT, (apr_int64_t)total),
                           NULL};
    return credit_text_fill(rq->pool,
                            credit_page_say(rq, rel == CREDIT_TOTAL_GT    ? "Lang.head.total_gt"
                                                : rel == CREDIT_TOTAL_GTE ? "Lang.head.total_gte"
                                                                          : "Lang.head.total_eq"),
                            pairs);
}

/* The URL of the list for filter f, position included. */
static const char *list_href(credit_req_t *rq, const credit_filter_t *f)
{
    const char *q = credit_filter_query(rq->pool, f, 1, rq->page_size);
    return apr_pstrcat(rq->pool, rq->base, "/records", *q ? "?" : "", q, NULL);
}

credit_status_t credit_page_records(credit_req_t *rq)
{
    credit_filter_t f;
    credit_record_page_t page;
    credit_view_t *v;
    credit_status_t rv;
    long long total = 0;
    int i, fresh;
    credit_total_rel_t rel = CREDIT_TOTAL_EQ;
    apr_pool_t *p = rq->pool;
    const char *qs, *qerr;
    credit_query_t query;

    if ((rv = credit_page_filter(rq, &f)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    if ((rv = rq->store->ops->list_records(rq->store, &f, CREDIT_DETAIL_BRIEF, &page)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_total(rq, &f, &total, &rel)) != CREDIT_OK)
        return rv;
    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;
    filter_form(v, &f);
    if (f.q && credit_query_parse(p, f.q, &query, &qerr) != CREDIT_OK)
        f.q = NULL; /* cannot happen: credit_page_filter checked it */
    for (i = 0; i < page.items->nelts; i++) {
        credit_record_t *r = APR_ARRAY_IDX(page.items, i, credit_record_t *);
        const char *pre = apr_psprintf(p, "Records.%d", i);
        credit_view_record(v, pre, r, 0);
        if (f.q) {
            highlight(v, apr_pstrcat(p, pre, ".title_hl", NULL),
                      credit_query_highlight(p, &query, r->title));
            highlight(v, apr_pstrcat(p, pre, ".subject_hl", NULL),
                      credit_query_highlight(p, &query, r->subject.name));
        }
    }
    {
        const char *what = list_what(rq, v, &f);
        const char *pairs[] = {"what", what, "total", total_words(rq, total, rel), NULL};
        credit_page_head(rq, v, *what ? "records_filtered" : "records", pairs);
    }
    credit_view_set_int(v, "List.total", total);
    credit_view_set(v, "List.total_rel", credit_total_rel_name(rel));
    credit_view_set_int(v, "List.count", page.items->nelts);
    credit_view_set_int(v, "List.page", f.page);
    credit_view_set_int(v, "List.pages", total ? (total + f.limit - 1) / f.limit : 1);
    qs = credit_filter_query(p, &f, 0, rq->page_size);
    credit_view_set(v, "List.query", qs);
    if (page.items->nelts && page.has_next) {
        credit_filter_t n = f;
        credit_record_t *last = APR_ARRAY_IDX(page.items, page.items->nelts - 1, credit_record_t *);
        /* Relevance has no keyset: its pages go by number. */
        n.has_cursor = f.sort != CREDIT_SORT_RELEVANCE;
        n.cursor.date = last->clock.disclosed;
        n.cursor.id = last->id;
        n.cursor.backward = 0;
        n.page = f.page + 1;
        credit_view_set(v, "List.next", list_href(rq, &n));
    }
    if (page.items->nelts && page.has_prev && f.page > 1) {
        credit_filter_t n = f;
        credit_record_t *first = APR_ARRAY_IDX(page.items, 0, credit_record_t *);
        n.has_cursor = f.sort != CREDIT_SORT_RELEVANCE;
        n.cursor.date = first->clock.disclosed;
        n.cursor.id = first->id;
        n.cursor.backward = 1;
        n.page = f.page - 1;
        if (n.page == 1)
            n.has_cursor = 0; /* page one has a plain, permanent URL */
        credit_view_set(v, "List.prev", list_href(rq, &n));
    }
    return credit_page_render(rq, v, "records/list.cs");
}

credit_status_t credit_page_record(credit_req_t *rq)
{
    credit_record_t *r = NULL;
    apr_array_header_t *events = NULL;
    credit_view_t *v;
    credit_status_t rv;
    int i, fresh;

    rv = rq->store->ops->get_record(rq->store, rq->route.param, &r, &events);
    if (rv != CREDIT_OK)
        return credit_page_moved(rq, "/records/", rv);
    if (r->visibility != CREDIT_VIS_WITHDRAWN &&
        ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh))
        return rv;
    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;
    if (r->visibility == CREDIT_VIS_WITHDRAWN) {
        /* Tombstone: number, state and date only; no personal data. */
        const char *state = credit_withdrawn_state(r->status);
        credit_view_set(v, "Gone.no", r->record_no);
        credit_view_set(v, "Gone.state", state);
        credit_view_set(v, "Gone.state_label", credit_view_label(v, "status", state));
        credit_view_set(v, "Gone.on", credit_tombstone_date(rq->pool, r, rq->today));
        {
            const char *pairs[] = {"no",    r->record_no,
                                   "state", credit_view_label(v, "status", state),
                                   "on",    credit_tombstone_date(rq->pool, r, rq->today),
                                   NULL};
            credit_page_head(rq, v, "gone", pairs);
        }
        rq->status = 410;
        apr_table_setn(rq->headers, "Cache-Control", "no-cache");
        return credit_page_render(rq, v, "records/gone.cs");
    }
    credit_view_record(v, "Record", r, 1);
    {
#define S(x) ((x) ? (x) : "")
        const char *pairs[] = {
            "no",
            r->record_no,
            "title",
            S(r->title),
            "subject",
            S(r->subject.name),
            "district",
            S(credit_view_label(v, "district", r->subject.district)),
            "category",
            S(credit_view_label(v, "category", r->category)),
            "severity",
            S(credit_view_label(v, "severity", r->severity)),
            "status",
            S(credit_view_label(v, "status", r->status)),
            "facts",
            S(credit_text_clip(rq->pool, r->facts, RECORD_FACTS_HEAD, "\xE2\x80\xA6")),
            "decision_no",
            S(r->decision_no),
            "authority",
            S(r->authority),
            "decided_on",
            S(r->decided_on),
            NULL};
#undef S
        credit_page_head(rq, v, "record", pairs);
    }
    credit_view_set(v, "Record.repair_open",
                    r->clock.repair_from.y && credit_date_cmp(rq->today, r->clock.repair_from) >= 0
                        ? "1"
                        : "0");
    for (i = 0; i < events->nelts; i++) {
        credit_event_t *e = &APR_ARRAY_IDX(events, i, credit_event_t);
        const char *pre = apr_psprintf(rq->pool, "Events.%d", i);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".event", NULL), e->event);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".label", NULL),
                        credit_view_label(v, "event", e->event));
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".on", NULL), e->occurred_on);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".decision_no", NULL), e->decision_no);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".note", NULL), e->note);
    }
    return credit_page_render(rq, v, "records/show.cs");
}
