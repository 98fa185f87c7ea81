/* credit_store_memory.c: the store of credit_store_memory.h, over arrays in
 * memory. The rules are the model's (credit_visibility for the public set,
 * the filter's fields as the MariaDB store reads them); what it does not
 * answer is CREDIT_EUNAVAIL, as a database that cannot be reached. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>

#include "credit_store_memory.h"
#include "credit_validate.h"

typedef struct {
    credit_record_t *r;
    apr_array_header_t *events;
    unsigned long long department_id;
} mem_record_t;

struct credit_memory {
    apr_pool_t *pool;
    apr_array_header_t *records;     /* mem_record_t */
    apr_array_header_t *staff;       /* credit_staff_t * */
    apr_array_header_t *submissions; /* credit_submission_t */
    unsigned long long version;
};

credit_memory_t *credit_memory_new(apr_pool_t *p)
{
    credit_memory_t *m = apr_pcalloc(p, sizeof *m);
    m->pool = p;
    m->records = apr_array_make(p, 16, sizeof(mem_record_t));
    m->staff = apr_array_make(p, 4, sizeof(credit_staff_t *));
    m->submissions = apr_array_make(p, 4, sizeof(credit_submission_t));
    m->version = 1;
    return m;
}

void credit_memory_add_record(credit_memory_t *m, credit_record_t *r, apr_array_header_t *events,
                              unsigned long long department_id)
{
    mem_record_t *e = apr_array_push(m->records);
    e->r = r;
    e->events = events;
    e->department_id = department_id;
    m->version++;
}

void credit_memory_add_staff(credit_memory_t *m, credit_staff_t *st)
{
    APR_ARRAY_PUSH(m->staff, credit_staff_t *) = st;
}

const apr_array_header_t *credit_memory_submissions(const credit_memory_t *m)
{
    return m->submissions;
}

#define MEM(s) ((credit_memory_t *)(s)->impl)

/* A copy of r with its visibility on the store's day. */
static credit_record_t *seen(credit_store_t *s, const credit_record_t *r)
{
    credit_record_t *c = apr_pmemdup(s->pool, r, sizeof *r);
    c->visibility = credit_visibility(c->status, &c->clock, s->today);
    return c;
}

static int has(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

static int eq(const char *want, const char *v)
{
    return !want || (v && strcmp(want, v) == 0);
}

/* 1 when r is public on the store's day and matches f's filters (q: a
 * substring of the title, the subject's name, the decision number or the
 * credit code). */
static int matches(credit_store_t *s, const credit_record_t *r, const credit_filter_t *f)
{
    if (credit_visibility(r->status, &r->clock, s->today) != CREDIT_VIS_PUBLIC)
        return 0;
    if (!eq(f->district, r->subject.district) || !eq(f->kind, r->subject.kind) ||
        !eq(f->category, r->category) || !eq(f->domain, r->domain) ||
        !eq(f->severity, r->severity) || !eq(f->status, r->status))
        return 0;
    if (f->from.y && credit_date_cmp(r->clock.disclosed, f->from) < 0)
        return 0;
    if (f->to.y && credit_date_cmp(r->clock.disclosed, f->to) > 0)
        return 0;
    if (f->q && !(has(r->title, f->q) || has(r->subject.name, f->q) || has(r->decision_no, f->q) ||
                  has(r->subject.credit_code, f->q)))
        return 0;
    return 1;
}

/* The order of the lists: newest disclosure first, then the higher id. */
static int newest_first(const void *a, const void *b)
{
    const credit_record_t *x = *(credit_record_t *const *)a, *y = *(credit_record_t *const *)b;
    int c = credit_date_cmp(y->clock.disclosed, x->clock.disclosed);
    if (c)
        return c;
    return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

/* The matches of f in the list's order (f->sort), as copies seen today. */
static apr_array_header_t *select_records(credit_store_t *s, const credit_filter_t *f)
{
    credit_memory_t *m = MEM(s);
    apr_array_header_t *out = apr_array_make(s->pool, m->records->nelts, sizeof(credit_record_t *));
    int i;
    for (i = 0; i < m->records->nelts; i++) {
        const credit_record_t *r = APR_ARRAY_IDX(m->records, i, mem_record_t).r;
        if (matches(s, r, f))
            APR_ARRAY_PUSH(out, credit_record_t *) = seen(s, r);
    }
    qsort(out->elts, (size_t)out->nelts, sizeof(credit_record_t *), newest_first);
    if (f->sort == CREDIT_SORT_OLDEST) {
        int a, b;
        for (a = 0, b = out->nelts - 1; a < b; a++, b--) {
            credit_record_t *t = APR_ARRAY_IDX(out, a, credit_record_t *);
            APR_ARRAY_IDX(out, a, credit_record_t *) = APR_ARRAY_IDX(out, b, credit_record_t *);
            APR_ARRAY_IDX(out, b, credit_record_t *) = t;
        }
    }
    return out;
}

/* 1 when r comes after the cursor's position in the list's order. */
static int after(const credit_record_t *r, const credit_cursor_t *c, int oldest)
{
    int d = credit_date_cmp(r->clock.disclosed, c->date);
    if (oldest)
        return d > 0 || (d == 0 && r->id > c->id);
    return d < 0 || (d == 0 && r->id < c->id);
}

static credit_status_t m_list_records(credit_store_t *s, const credit_filter_t *f, int detail,
                                      credit_record_page_t *out)
{
    apr_array_header_t *all = select_records(s, f);
    int n = all->nelts, limit = f->limit > 0 ? f->limit : 20, start, end, i;
    int oldest = f->sort == CREDIT_SORT_OLDEST;
    (void)detail;
    if (f->has_cursor && !f->cursor.backward) {
        for (start = 0;
             start < n && !after(APR_ARRAY_IDX(all, start, credit_record_t *), &f->cursor, oldest);
             start++)
            ;
        end = start + limit < n ? start + limit : n;
    } else if (f->has_cursor) {
        for (end = 0;
             end < n && !after(APR_ARRAY_IDX(all, end, credit_record_t *), &f->cursor, oldest) &&
             !(APR_ARRAY_IDX(all, end, credit_record_t *)->id == f->cursor.id);
             end++)
            ;
        start = end - limit > 0 ? end - limit : 0;
    } else {
        start = (f->page > 1 ? f->page - 1 : 0) * limit;
        if (start > n)
            start = n;
        end = start + limit < n ? start + limit : n;
    }
    out->items = apr_array_make(s->pool, limit, sizeof(credit_record_t *));
    for (i = start; i < end; i++)
        APR_ARRAY_PUSH(out->items, credit_record_t *) = APR_ARRAY_IDX(all, i, credit_record_t *);
    out->has_prev = start > 0;
    out->has_next = end < n;
    return CREDIT_OK;
}

static credit_status_t m_count_records(credit_store_t *s, const credit_filter_t *f, long long bound,
                                       long long *out, credit_total_rel_t *rel)
{
    *out = select_records(s, f)->nelts;
    *rel = CREDIT_TOTAL_EQ;
    if (bound > 0 && *out > bound) {
        *out = bound;
        *rel = CREDIT_TOTAL_GT;
    }
    return CREDIT_OK;
}

static credit_status_t m_each_record(credit_store_t *s, const credit_filter_t *f, long long rows,
                                     int detail, credit_record_fn *fn, void *ctx)
{
    apr_array_header_t *all = select_records(s, f);
    int i;
    for (i = 0; i < all->nelts; i++)
        if (fn(ctx, APR_ARRAY_IDX(all, i, credit_record_t *)) != 0)
            return CREDIT_EINTERNAL;
    return CREDIT_OK;
}

static mem_record_t *find(credit_store_t *s, const char *no)
{
    credit_memory_t *m = MEM(s);
    int i;
    for (i = 0; i < m->records->nelts; i++) {
        mem_record_t *e = &APR_ARRAY_IDX(m->records, i, mem_record_t);
        if (no && strcmp(e->r->record_no, no) == 0)
            return e;
    }
    return NULL;
}

/* As the MariaDB store: any record by number, one not yet disclosed is
 * not found; events up to today. */
static credit_status_t m_get_record(credit_store_t *s, const char *no, credit_record_t **out,
                                    apr_array_header_t **events)
{
    mem_record_t *e = find(s, no);
    int i;
    if (!e)
        return CREDIT_ENOTFOUND;
    *out = seen(s, e->r);
    if ((*out)->visibility == CREDIT_VIS_NOT_YET)
        return CREDIT_ENOTFOUND;
    if (!events)
        return CREDIT_OK;
    *events = apr_array_make(s->pool, 4, sizeof(credit_event_t));
    for (i = 0; e->events && i < e->events->nelts; i++) {
        const credit_event_t *ev = &APR_ARRAY_IDX(e->events, i, credit_event_t);
        credit_date_t on;
        if (credit_date_parse(ev->occurred_on, &on) && credit_date_cmp(on, s->today) > 0)
            continue;
        *(credit_event_t *)apr_array_push(*events) = *ev;
    }
    return CREDIT_OK;
}

static credit_status_t m_get_subject(credit_store_t *s, unsigned long long id,
                                     credit_subject_t **out)
{
    credit_memory_t *m = MEM(s);
    int i;
    for (i = 0; i < m->records->nelts; i++) {
        const credit_record_t *r = APR_ARRAY_IDX(m->records, i, mem_record_t).r;
        if (r->subject.id == id) {
            *out = apr_pmemdup(s->pool, &r->subject, sizeof r->subject);
            return CREDIT_OK;
        }
    }
    return CREDIT_ENOTFOUND;
}

static credit_status_t m_subject_records(credit_store_t *s, unsigned long long id, int limit,
                                         apr_array_header_t **out, long long *total)
{
    credit_filter_t f;
    apr_array_header_t *all;
    int i;
    memset(&f, 0, sizeof f);
    all = select_records(s, &f);
    *out = apr_array_make(s->pool, 4, sizeof(credit_record_t *));
    *total = 0;
    for (i = 0; i < all->nelts; i++) {
        credit_record_t *r = APR_ARRAY_IDX(all, i, credit_record_t *);
        if (r->subject.id != id)
            continue;
        if ((*total)++ < limit)
            APR_ARRAY_PUSH(*out, credit_record_t *) = r;
    }
    return CREDIT_OK;
}

static credit_status_t m_count_subjects(credit_store_t *s, long long *out)
{
    credit_memory_t *m = MEM(s);
    int i, j;
    *out = 0;
    for (i = 0; i < m->records->nelts; i++) {
        unsigned long long id = APR_ARRAY_IDX(m->records, i, mem_record_t).r->subject.id;
        for (j = 0; j < i && APR_ARRAY_IDX(m->records, j, mem_record_t).r->subject.id != id; j++)
            ;
        *out += j == i;
    }
    return CREDIT_OK;
}

static credit_status_t m_version(credit_store_t *s, credit_version_t *out)
{
    out->data_version = MEM(s)->version;
    out->changed_at = "2026-01-01 00:00:00";
    return CREDIT_OK;
}

static credit_status_t m_stamp(credit_store_t *s, credit_stamp_of_t of, const char **out)
{
    *out = apr_psprintf(s->pool, "%llu-%d", MEM(s)->version, (int)of);
    return CREDIT_OK;
}

static credit_status_t m_resolve_alias(credit_store_t *s, const char *old_no, const char **no)
{
    return CREDIT_ENOTFOUND; /* no record was renumbered */
}

/* The MariaDB store's rules of a receipt, simplified: every submission is
 * stored (the same idempotency key gives the first receipt, replayed 1 for
 * the same client), an objection or a repair needs a public record. */
static credit_status_t m_submit(credit_store_t *s, const credit_submission_t *sub,
                                const char **receipt_no, int *replayed)
{
    credit_memory_t *m = MEM(s);
    credit_submission_t *c;
    int i;
    *replayed = 0;
    for (i = 0; i < m->submissions->nelts; i++) {
        const credit_submission_t *o = &APR_ARRAY_IDX(m->submissions, i, credit_submission_t);
        if (strcmp(o->idem_hex, sub->idem_hex) == 0) {
            *replayed = strcmp(o->client_hex, sub->client_hex) == 0 ? 1 : 2;
            *receipt_no = apr_psprintf(s->pool, "TS%06d", i + 1);
            return CREDIT_OK;
        }
    }
    if (sub->record_no) {
        mem_record_t *e = find(s, sub->record_no);
        if (!e)
            return CREDIT_ENOTFOUND;
        if (credit_visibility(e->r->status, &e->r->clock, s->today) != CREDIT_VIS_PUBLIC)
            return CREDIT_EGONE;
    }
    c = apr_array_push(m->submissions);
    c->kind = apr_pstrdup(m->pool, sub->kind);
    c->values = apr_table_copy(m->pool, sub->values);
    c->record_no = sub->record_no ? apr_pstrdup(m->pool, sub->record_no) : NULL;
    c->idem_hex = apr_pstrdup(m->pool, sub->idem_hex);
    c->code_hash_hex = apr_pstrdup(m->pool, sub->code_hash_hex);
    c->client_hex = apr_pstrdup(m->pool, sub->client_hex);
    *receipt_no = apr_psprintf(s->pool, "TS%06d", m->submissions->nelts);
    return CREDIT_OK;
}

static credit_status_t m_copies(credit_store_t *s, const char **answered, long long *lag_ms,
                                apr_array_header_t **all)
{
    *answered = "memory";
    *lag_ms = 0;
    *all = apr_array_make(s->pool, 1, sizeof(credit_store_copy_t));
    return CREDIT_OK;
}

/* ---- what the memory store does not hold: CREDIT_EUNAVAIL ---- */

static credit_status_t no_int(credit_store_t *s, int *out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_date(credit_store_t *s, credit_date_t *out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_tally(credit_store_t *s, credit_tally_t *t)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_changes(credit_store_t *s, unsigned long long after, int limit,
                                  apr_array_header_t **out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_seq_before(credit_store_t *s, const char *at, unsigned long long *seq)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_head(credit_store_t *s, credit_feed_head_t *out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_store(credit_store_t *s)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_stats(credit_store_t *s, credit_stats_t *out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_lookup_case(credit_store_t *s, const char *receipt_no,
                                      const char *const *h, int n, credit_case_t **out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_list(credit_store_t *s, apr_array_header_t **out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_ratings(credit_store_t *s, int year, apr_array_header_t **out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_subject_ratings(credit_store_t *s, unsigned long long id,
                                          apr_array_header_t **out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_commitments(credit_store_t *s, const credit_commitment_filter_t *f,
                                      apr_array_header_t **out, int *has_next)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_commitment_counts(credit_store_t *s, const credit_commitment_filter_t *f,
                                            apr_array_header_t **out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_complaint_stats(credit_store_t *s, credit_complaint_stats_t *out)
{
    return CREDIT_EUNAVAIL;
}

static const credit_store_ops_t memory_ops = {
    .name = "memory",
    .version = m_version,
    .schema_version = no_int,
    .calendar_end = no_date,
    .list_records = m_list_records,
    .count_records = m_count_records,
    .tally = no_tally,
    .get_record = m_get_record,
    .get_subject = m_get_subject,
    .subject_records = m_subject_records,
    .count_subjects = m_count_subjects,
    .each_record = m_each_record,
    .resolve_alias = m_resolve_alias,
    .changes = no_changes,
    .changes_seq_before = no_seq_before,
    .feed_head = no_head,
    .feed_catch_up = no_store,
    .begin_snapshot = no_head,
    .end_snapshot = no_store,
    .stats = no_stats,
    .submit = m_submit,
    .lookup_case = no_lookup_case,
    .rating_years = no_list,
    .ratings = no_ratings,
    .subject_ratings = no_subject_ratings,
    .commitments = no_commitments,
    .commitment_counts = no_commitment_counts,
    .complaint_stats = no_complaint_stats,
    .stamp = m_stamp,
    .copies = m_copies,
};

/* ---- the staff's ops ---- */

static credit_status_t m_staff(credit_store_t *s, const char *user, credit_staff_t **out)
{
    credit_memory_t *m = MEM(s);
    int i;
    for (i = 0; i < m->staff->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(m->staff, i, credit_staff_t *)->username, user) == 0) {
            *out = APR_ARRAY_IDX(m->staff, i, credit_staff_t *);
            return CREDIT_OK;
        }
    return CREDIT_ENOTFOUND;
}

/* Any record by number in the staff's scope (a department's staff: their
 * department's only), whatever its status. */
static credit_status_t m_record_get(credit_store_t *s, const credit_staff_t *st, const char *no,
                                    credit_record_t **out, unsigned long long *department_id)
{
    mem_record_t *e = find(s, no);
    if (!e || (st->department_id && st->department_id != e->department_id))
        return CREDIT_ENOTFOUND;
    *out = seen(s, e->r);
    *department_id = e->department_id;
    return CREDIT_OK;
}

/* The staff ops the memory store leaves out answer as an unreachable
 * database. */
static credit_status_t no_event(credit_store_t *s, const credit_staff_t *st, const char *no,
                                const credit_record_event_in_t *in, const char **from,
                                const char **to, const char **why)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_transition(credit_store_t *s, const credit_staff_t *st,
                                     const char *receipt, const char *to, const char *note,
                                     const char *reply, const char *correction, const char **from,
                                     const char **why)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_assign(credit_store_t *s, const credit_staff_t *st, const char *receipt,
                                 unsigned long long department_id, const char *note,
                                 const char **before, const char **name, const char **why)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_audit(credit_store_t *s, const credit_staff_t *st, const char *entity,
                                const char *key, apr_array_header_t **out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_calendar(credit_store_t *s, credit_date_t from, credit_date_t to,
                                   credit_calendar_t *out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_queue(credit_store_t *s, const credit_staff_t *st, const char *kind,
                                const credit_queue_filter_t *f, apr_array_header_t **items,
                                long long *total)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_queue_counts(credit_store_t *s, const credit_staff_t *st,
                                       apr_array_header_t **out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_case_get(credit_store_t *s, const credit_staff_t *st, const char *receipt,
                                   credit_admin_case_t **out)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_record_create(credit_store_t *s, const credit_staff_t *st,
                                        const credit_keys_t *keys, credit_lookup_budget_t *b,
                                        const credit_record_input_t *in, const char **record_no,
                                        credit_field_error_t *err)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_record_update(credit_store_t *s, const credit_staff_t *st, const char *no,
                                        const credit_record_input_t *in,
                                        apr_array_header_t **changed, credit_field_error_t *err)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_record_import(credit_store_t *s, const credit_staff_t *st,
                                        const credit_keys_t *keys, credit_lookup_budget_t *b,
                                        credit_date_t today, apr_array_header_t *lines,
                                        credit_import_mode_t mode, int *stored)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_rating_read(credit_store_t *s, const credit_staff_t *st,
                                      unsigned long long subject_id, int year,
                                      credit_rating_in_t **out, credit_admin_subject_t *sj)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_rating_upsert(credit_store_t *s, const credit_staff_t *st,
                                        credit_rating_in_t *r, int *created,
                                        credit_admin_subject_t *sj, const char **why)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_commitment_read(credit_store_t *s, const credit_staff_t *st,
                                          unsigned long long id, credit_commitment_in_t **out,
                                          credit_admin_subject_t *sj)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_commitment_create(credit_store_t *s, const credit_staff_t *st,
                                            credit_commitment_in_t *c, credit_admin_subject_t *sj,
                                            const char **why)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_commitment_update(credit_store_t *s, const credit_staff_t *st,
                                            unsigned long long id,
                                            const credit_commitment_in_t *change,
                                            credit_commitment_in_t **out,
                                            credit_admin_subject_t *sj, const char **why)
{
    return CREDIT_EUNAVAIL;
}
static credit_status_t no_public_audit(credit_store_t *s, const credit_staff_t *st,
                                       const char *entity, unsigned long long id_or_subject,
                                       int year, apr_array_header_t **out)
{
    return CREDIT_EUNAVAIL;
}

static const credit_store_admin_ops_t memory_admin_ops = {
    .staff = m_staff,
    .record_get = m_record_get,
    .record_event = no_event,
    .case_transition = no_transition,
    .case_assign = no_assign,
    .audit = no_audit,
    .db_alive = no_store,
    .departments = no_list,
    .calendar = no_calendar,
    .queue = no_queue,
    .queue_counts = no_queue_counts,
    .case_get = no_case_get,
    .record_create = no_record_create,
    .record_update = no_record_update,
    .record_import = no_record_import,
    .rating_read = no_rating_read,
    .rating_upsert = no_rating_upsert,
    .commitment_read = no_commitment_read,
    .commitment_create = no_commitment_create,
    .commitment_update = no_commitment_update,
    .public_audit = no_public_audit,
};

credit_store_t *credit_store_memory_open(credit_memory_t *m, const credit_store_open_t *o)
{
    credit_store_t *s = apr_pcalloc(o->pool, sizeof *s);
    credit_store_init(s, o);
    s->ops = &memory_ops;
    s->admin = &memory_admin_ops;
    s->impl = m;
    return s;
}
