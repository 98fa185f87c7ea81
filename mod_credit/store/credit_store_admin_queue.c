/* credit_store_admin_queue.c: what the staff's work queues read (see
 * credit_store_admin.h): open cases per kind and department, their counts,
 * one case with its timeline, the departments and the working-day
 * calendar. Reads only, through the staff writer's connection; prepared
 * statements, each a constant. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_atomic.h>

#include "credit_store_admin.h"
#include "credit_workflow.h"
#include "credit_store_maria.h"
#include "credit_rules.h"
#include "credit_validate.h"

#define A(sql, p, n, out) credit_maria_admin(s, sql, p, n, out)
#define CALENDAR_MAX_DAYS 4000

/* The statements of one queue, each a constant of its own (string
 * literals joined by the compiler, nothing pasted at run time). Parameters:
 *  count:  open states (3: a kind with fewer repeats its last), department,
 *          department, unassigned-only flag
 *  list:   the same, then LIMIT and OFFSET; c.id last gives a total order,
 *          so that consecutive pages neither overlap nor skip
 *  counts: today, open states (3), department, department
 *  detail: receipt */
typedef struct {
    const char *kind;
    const char *count, *list, *counts, *detail;
} queue_sql_t;

#define OPEN_IN           " WHERE c.status IN (?, ?, ?)"
#define SCOPE(dept)       " AND (? = 0 OR " dept " = ?)"
#define QUEUE_WHERE(dept) OPEN_IN SCOPE(dept) " AND (? = 0 OR " dept " IS NULL)"
#define QUEUE_SQL(kind, from, dept, due, columns, detail_columns)                                  \
    {                                                                                              \
        kind, "SELECT COUNT(*) AS n" from QUEUE_WHERE(dept),                                       \
            "SELECT " columns from QUEUE_WHERE(dept) " ORDER BY " due " IS NULL, " due             \
                                                     ", c.created_at, c.id LIMIT ? OFFSET ?",      \
            "SELECT " dept " AS department_id, COUNT(*) AS n, COALESCE(SUM(" due                   \
            " < ?), 0) AS overdue" from OPEN_IN                                                    \
            SCOPE(dept) " GROUP BY " dept " ORDER BY " dept,                                       \
            "SELECT " detail_columns from " WHERE c.receipt_no = ?"                                \
    }

static const queue_sql_t queues[] = {
    QUEUE_SQL(
        "complaint", " FROM complaints c LEFT JOIN departments d ON d.id = c.department_id",
        "c.department_id", "c.due_on",
        "c.receipt_no, c.status, c.title, NULL AS record_no, DATE(c.created_at) AS received_on,"
        " c.due_on, NULL AS reply_due_on, c.department_id, d.name AS department",
        "c.id, c.receipt_no, c.status, c.created_at, c.accepted_on, c.due_on,"
        " NULL AS reply_due_on, c.reply, c.title, NULL AS record_no, NULL AS record_title,"
        " c.department_id, d.name AS department, c.target, c.subject_id, c.district,"
        " c.domain, c.content, c.conduct_on, c.evidence, c.name, c.phone, c.email"),
    QUEUE_SQL("objection",
              " FROM objections c JOIN records r ON r.id = c.record_id"
              " LEFT JOIN departments d ON d.id = r.department_id",
              "r.department_id", "c.due_on",
              "c.receipt_no, c.status, r.title, r.record_no, DATE(c.created_at) AS received_on,"
              " c.due_on, NULL AS reply_due_on, r.department_id, d.name AS department",
              "c.id, c.receipt_no, c.status, c.created_at, c.accepted_on, c.due_on,"
              " NULL AS reply_due_on, c.reply, NULL AS title, r.record_no, r.title AS record_title,"
              " r.department_id, d.name AS department, c.applicant, c.contact, c.relation,"
              " c.reason, c.evidence"),
    QUEUE_SQL("repair",
              " FROM repair_applications c JOIN records r ON r.id = c.record_id"
              " LEFT JOIN departments d ON d.id = r.department_id",
              "r.department_id", "c.decide_due_on",
              "c.receipt_no, c.status, r.title, r.record_no, DATE(c.created_at) AS received_on,"
              " c.decide_due_on AS due_on, c.reply_due_on, r.department_id, d.name AS department",
              "c.id, c.receipt_no, c.status, c.created_at, c.received_on AS accepted_on,"
              " c.decide_due_on AS due_on, c.reply_due_on, c.reply, NULL AS title, r.record_no,"
              " r.title AS record_title, r.department_id, d.name AS department, c.applicant,"
              " c.contact, c.rectification, c.commitment"),
};

/* The kind's own columns on the case page, in display order. */
static const char *const complaint_fields[] = {"target",  "subject_id", "district", "domain",
                                               "content", "conduct_on", "evidence", "name",
                                               "phone",   "email",      NULL};
static const char *const objection_fields[] = {"applicant", "contact",  "relation",
                                               "reason",    "evidence", NULL};
static const char *const repair_fields[] = {"applicant", "contact", "rectification", "commitment",
                                            NULL};

static const char *const *kind_fields(const char *kind)
{
    return !strcmp(kind, "complaint")   ? complaint_fields
           : !strcmp(kind, "objection") ? objection_fields
                                        : repair_fields;
}

static const queue_sql_t *queue_of(const char *kind)
{
    size_t i;
    for (i = 0; kind && i < sizeof queues / sizeof queues[0]; i++)
        if (!strcmp(queues[i].kind, kind))
            return &queues[i];
    return NULL;
}

credit_status_t credit_admin_departments(credit_store_t *s, apr_array_header_t **out)
{
    credit_rows_t *rows;
    int i;
    credit_status_t rv =
        A("SELECT id, name, district FROM departments ORDER BY id", NULL, 0, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_department_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_department_t *d = apr_array_push(*out);
        d->id = credit_maria_ull(credit_rows_get(rows, i, "id"));
        d->name = credit_rows_get(rows, i, "name");
        d->district = credit_rows_get(rows, i, "district");
    }
    return CREDIT_OK;
}

/* The day (yyyymmdd) this child last said that the calendar falls short. */
static volatile apr_uint32_t calendar_short_said;

/* Says once per child and day (warning CR1020) that working days from
 * `missing` on, today or later, count Monday to Friday because
 * calendar_days has no row for them. */
static void calendar_short(credit_store_t *s, credit_date_t today, credit_date_t missing)
{
    char a[16], b[16];
    apr_uint32_t key = (apr_uint32_t)(today.y * 10000 + today.m * 100 + today.d);
    if (apr_atomic_xchg32(&calendar_short_said, key) == key)
        return;
    credit_maria_admin_log(
        s, 4, "CR1020",
        apr_psprintf(s->pool,
                     "the working-day calendar (calendar_days) has no row for %s: working days "
                     "from there count Monday to Friday, without holidays or adjusted working "
                     "days; add the State Council's holiday notice of that year in a migration "
                     "(today %s)",
                     credit_date_fmt(missing, a), credit_date_fmt(today, b)));
}

credit_status_t credit_admin_calendar(credit_store_t *s, credit_date_t from, credit_date_t to,
                                      credit_calendar_t *out)
{
    char a[16], b[16];
    credit_param_t p[2];
    credit_rows_t *rows;
    credit_status_t rv;
    unsigned char *days;
    long n = credit_date_diff(from, to) + 1;
    int i;

    memset(out, 0, sizeof *out);
    if (n <= 0)
        return CREDIT_OK;
    if (n > CALENDAR_MAX_DAYS) {
        /* Too long a span (a due date years back or ahead): the days kept
         * are those around today, where the clocks count from, as far back
         * as the other end leaves room for (at least half the span); days
         * outside count Monday to Friday. */
        credit_date_t today;
        if (credit_date_parse(credit_maria_today(s), &today) && credit_date_cmp(from, today) < 0 &&
            credit_date_cmp(today, to) <= 0) {
            long back = credit_date_diff(from, today), ahead = credit_date_diff(today, to);
            long room = CALENDAR_MAX_DAYS - 1 - ahead;
            if (room < CALENDAR_MAX_DAYS / 2)
                room = CALENDAR_MAX_DAYS / 2;
            if (back > room)
                from = credit_date_add_days(today, -room);
        }
        n = CALENDAR_MAX_DAYS;
    }
    to = credit_date_add_days(from, n - 1);
    p[0] = CREDIT_PSTR(credit_date_fmt(from, a));
    p[1] = CREDIT_PSTR(credit_date_fmt(to, b));
    if ((rv = A("SELECT day, is_workday FROM calendar_days WHERE day BETWEEN ? AND ?", p, 2,
                &rows)) != CREDIT_OK)
        return rv;
    days = apr_palloc(s->pool, (apr_size_t)n);
    memset(days, 2, (apr_size_t)n); /* not in the table */
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_date_t d;
        long k;
        if (!credit_date_parse(credit_rows_get(rows, i, "day"), &d))
            continue;
        k = credit_date_diff(from, d);
        if (k >= 0 && k < n)
            days[k] = strcmp(credit_rows_get(rows, i, "is_workday"), "0") != 0;
    }
    out->first = from;
    out->n = (int)n;
    out->workday = days;
    {
        /* Days from today on that the table lacks: a clock counted
         * through them counts Monday to Friday (said in the log). */
        credit_date_t today;
        long k;
        if (credit_date_parse(credit_maria_today(s), &today))
            for (k = credit_date_cmp(today, from) > 0 ? credit_date_diff(from, today) : 0; k < n;
                 k++)
                if (days[k] == 2) {
                    calendar_short(s, today, credit_date_add_days(from, k));
                    break;
                }
    }
    return CREDIT_OK;
}

#define OPEN_MAX 3 /* the placeholders of OPEN_IN */

/* The open states of kind as the OPEN_IN parameters p[0..2]: a kind with
 * fewer repeats its last. Returns 3. */
static int open_params(const char *kind, credit_param_t *p)
{
    const char *const *open = credit_case_open_states(kind);
    int i, n = 0;
    while (open[n] && n < OPEN_MAX)
        n++;
    for (i = 0; i < OPEN_MAX; i++)
        p[i] = CREDIT_PSTR(open[i < n ? i : n - 1]);
    return OPEN_MAX;
}

credit_status_t credit_admin_queue(credit_store_t *s, const credit_staff_t *st, const char *kind,
                                   const credit_queue_filter_t *f, apr_array_header_t **items,
                                   long long *total)
{
    const queue_sql_t *q = queue_of(kind);
    credit_param_t p[10]; /* open states (3 at most), scope (3), limit, offset */
    credit_rows_t *rows;
    credit_status_t rv;
    unsigned long long dept = st->department_id ? st->department_id : f->department_id;
    int n, i, unassigned = st->department_id ? 0 : f->unassigned;

    if (!q)
        return CREDIT_EINVAL;
    n = open_params(kind, p);
    p[n++] = CREDIT_PINT((long long)dept);
    p[n++] = CREDIT_PINT((long long)dept);
    p[n++] = CREDIT_PINT(unassigned);
    if ((rv = A(q->count, p, n, &rows)) != CREDIT_OK)
        return rv;
    *total = atoll(credit_rows_get(rows, 0, "n"));
    p[n++] = CREDIT_PINT(f->limit > 0 ? f->limit : 100);
    p[n++] = CREDIT_PINT(f->offset > 0 ? f->offset : 0);
    if ((rv = A(q->list, p, n, &rows)) != CREDIT_OK)
        return rv;
    *items = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_queue_item_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_queue_item_t *it = apr_array_push(*items);
#define COL(name) credit_rows_get(rows, i, name)
        it->receipt = COL("receipt_no");
        it->status = COL("status");
        it->title = COL("title");
        it->record_no = COL("record_no");
        it->received_on = COL("received_on");
        it->due_on = COL("due_on");
        it->reply_due_on = COL("reply_due_on");
        it->department_id = credit_maria_ull(COL("department_id"));
        it->department = COL("department");
#undef COL
    }
    return CREDIT_OK;
}

credit_status_t credit_admin_queue_counts(credit_store_t *s, const credit_staff_t *st,
                                          apr_array_header_t **out)
{
    size_t k;
    *out = apr_array_make(s->pool, 16, sizeof(credit_queue_count_t));
    for (k = 0; k < sizeof queues / sizeof queues[0]; k++) {
        const queue_sql_t *q = &queues[k];
        credit_param_t p[8];
        credit_rows_t *rows;
        credit_status_t rv;
        int n = 1, i;
        p[0] = CREDIT_PSTR(credit_maria_today(s)); /* the due dates' comparison comes first */
        n += open_params(q->kind, p + 1);
        p[n++] = CREDIT_PINT((long long)st->department_id);
        p[n++] = CREDIT_PINT((long long)st->department_id);
        if ((rv = A(q->counts, p, n, &rows)) != CREDIT_OK)
            return rv;
        for (i = 0; i < rows->rows->nelts; i++) {
            credit_queue_count_t *c = apr_array_push(*out);
            c->kind = q->kind;
            c->department_id = credit_maria_ull(credit_rows_get(rows, i, "department_id"));
            c->open = atoll(credit_rows_get(rows, i, "n"));
            c->overdue = atoll(credit_rows_get(rows, i, "overdue"));
        }
    }
    return CREDIT_OK;
}

credit_status_t credit_admin_case_get(credit_store_t *s, const credit_staff_t *st,
                                      const char *receipt, credit_admin_case_t **out)
{
    const char *kind = credit_case_kind_of(receipt);
    const queue_sql_t *q = queue_of(kind);
    const char *const *names;
    credit_param_t p[1] = {CREDIT_PSTR(receipt)};
    credit_rows_t *rows, *ev;
    credit_admin_case_t *c;
    credit_status_t rv;
    int i;

    if (!q)
        return CREDIT_ENOTFOUND;
    if ((rv = A(q->detail, p, 1, &rows)) != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    c = apr_pcalloc(s->pool, sizeof *c);
    c->department_id = credit_maria_ull(credit_rows_get(rows, 0, "department_id"));
    if (st->department_id && c->department_id != st->department_id)
        return CREDIT_ENOTFOUND;
#define COL(name) credit_rows_get(rows, 0, name)
    c->kind = kind;
    c->receipt = COL("receipt_no");
    c->status = COL("status");
    c->created_at = COL("created_at");
    c->accepted_on = COL("accepted_on");
    c->due_on = COL("due_on");
    c->reply_due_on = COL("reply_due_on");
    c->reply = COL("reply");
    c->title = COL("title");
    c->record_no = COL("record_no");
    c->record_title = COL("record_title");
    c->department = COL("department");
    names = kind_fields(kind);
    c->fields = apr_array_make(s->pool, 12, sizeof(credit_case_field_t));
    for (i = 0; names[i]; i++) {
        credit_case_field_t *f = apr_array_push(c->fields);
        f->name = names[i];
        f->value = COL(names[i]);
    }
    {
        credit_param_t e[2] = {CREDIT_PSTR(kind), CREDIT_PINT(atoll(COL("id")))};
        rv = A("SELECT status, note, occurred_at FROM case_events WHERE case_type = ?"
               " AND case_id = ? ORDER BY occurred_at, id",
               e, 2, &ev);
    }
#undef COL
    if (rv != CREDIT_OK)
        return rv;
    c->events = apr_array_make(s->pool, ev->rows->nelts, sizeof(credit_case_event_row_t));
    for (i = 0; i < ev->rows->nelts; i++) {
        credit_case_event_row_t *e = apr_array_push(c->events);
        e->status = credit_rows_get(ev, i, "status");
        e->note = credit_rows_get(ev, i, "note");
        e->at = credit_rows_get(ev, i, "occurred_at");
    }
    *out = c;
    return CREDIT_OK;
}
