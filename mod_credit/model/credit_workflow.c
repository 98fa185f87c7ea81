/* credit_workflow.c: see credit_workflow.h. */
#include <string.h>
#include <apr_strings.h>

#include "credit_workflow.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

typedef struct {
    const char *event;    /* what staff post */
    const char *from[4];  /* statuses it applies to */
    const char *to;       /* status after it */
    const char *timeline; /* record_events.event */
} record_rule_t;

static const record_rule_t record_rules[] = {
    {"contest", {"published", "corrected", NULL}, "contested", "contested"},
    {"uncontest", {"contested", NULL}, "published", "uncontested"},
    {"correct", {"published", "contested", "corrected", NULL}, "corrected", "corrected"},
    {"revoke", {"published", "contested", "corrected", NULL}, "revoked", "revoked"},
    {"repair", {"published", "corrected", NULL}, "repaired", "repaired"},
};

const char *credit_record_event(const char *status, const char *event, int *known,
                                const char **timeline_event)
{
    size_t i, j;
    *known = 0;
    if (!status || !event)
        return NULL;
    for (i = 0; i < sizeof record_rules / sizeof record_rules[0]; i++) {
        if (strcmp(record_rules[i].event, event) != 0)
            continue;
        *known = 1;
        for (j = 0; record_rules[i].from[j]; j++) {
            if (!strcmp(record_rules[i].from[j], status)) {
                if (timeline_event)
                    *timeline_event = record_rules[i].timeline;
                return record_rules[i].to;
            }
        }
        return NULL;
    }
    return NULL;
}

const char *credit_repair_refusal(apr_pool_t *p, const char *status, const char *severity,
                                  const char *repair_from, int rectified, const char *today)
{
    credit_date_t rf, t;
    if (!status || credit_status_withdrawn(status))
        return "the record has been withdrawn";
    if (!strcmp(status, "contested"))
        return "the record is contested: an objection against it is being decided";
    if (strcmp(status, "published") && strcmp(status, "corrected"))
        return "the record is not public";
    if (!severity || !strcmp(severity, "minor"))
        return "minor records are not repaired";
    if (!repair_from || !credit_date_parse(repair_from, &rf))
        return "the record has no earliest repair date";
    if (!today || !credit_date_parse(today, &t))
        return "today's date is not known";
    if (credit_date_cmp(t, rf) < 0)
        return apr_pstrcat(p, "the earliest repair date (", repair_from, ") has not come", NULL);
    if (!rectified)
        return "the record's rectification is not done";
    return NULL;
}

typedef struct {
    const char *kind;
    const char *from;
    const char *const to[4];
} case_rule_t;

static const case_rule_t case_rules[] = {
    {"complaint", "received", {"accepted", "rejected", NULL}},
    {"complaint", "accepted", {"processing", "concluded", NULL}},
    {"complaint", "processing", {"concluded", NULL}},
    {"objection", "received", {"accepted", "rejected", NULL}},
    {"objection", "accepted", {"upheld", "corrected", "revoked", NULL}},
    {"repair", "received", {"accepted", "rejected", NULL}},
    {"repair", "accepted", {"approved", "denied", NULL}},
};

static const char *const none[] = {NULL};

/* The final states of each kind: nothing follows them. */
static const struct {
    const char *kind;
    const char *const finals[4];
} case_finals[] = {
    {"complaint", {"rejected", "concluded", NULL}},
    {"objection", {"rejected", "upheld", "corrected", "revoked"}},
    {"repair", {"rejected", "approved", "denied", NULL}},
};

const char *const *credit_case_next(const char *kind, const char *from)
{
    size_t i, j;
    if (!kind || !from)
        return NULL;
    for (i = 0; i < sizeof case_rules / sizeof case_rules[0]; i++)
        if (!strcmp(case_rules[i].kind, kind) && !strcmp(case_rules[i].from, from))
            return case_rules[i].to;
    for (i = 0; i < sizeof case_finals / sizeof case_finals[0]; i++)
        if (!strcmp(case_finals[i].kind, kind))
            for (j = 0; j < 4 && case_finals[i].finals[j]; j++)
                if (!strcmp(case_finals[i].finals[j], from))
                    return none;
    return NULL;
}

int credit_case_allowed(const char *kind, const char *from, const char *to)
{
    const char *const *next = credit_case_next(kind, from);
    size_t i;
    for (i = 0; next && to && next[i]; i++)
        if (!strcmp(next[i], to))
            return 1;
    return 0;
}

const char *credit_case_record_effect(const char *kind, const char *to)
{
    if (!kind || !to)
        return NULL;
    if (!strcmp(kind, "objection")) {
        if (!strcmp(to, "accepted"))
            return "contested";
        if (!strcmp(to, "upheld"))
            return "published";
        if (!strcmp(to, "corrected") || !strcmp(to, "revoked"))
            return to;
    }
    if (!strcmp(kind, "repair") && !strcmp(to, "approved"))
        return "repaired";
    return NULL;
}

const credit_case_days_t credit_case_days_default = {15, 20, 3, 10};

int credit_case_due_days(const credit_case_days_t *d, const char *kind)
{
    if (!d)
        d = &credit_case_days_default;
    if (kind && !strcmp(kind, "objection"))
        return d->objection;
    if (kind && !strcmp(kind, "repair"))
        return d->repair;
    return d->complaint;
}

/* 1..CREDIT_CASE_DAYS_MAX in plain decimal digits, or 0. */
static int days_value(const char *s)
{
    int v = 0;
    if (!s || !*s || strlen(s) > 3)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v >= 1 && v <= CREDIT_CASE_DAYS_MAX ? v : 0;
}

const char *credit_case_days_parse(credit_case_days_t *d, const char *kind, const char *n,
                                   const char *m)
{
    int a = days_value(n), b = m ? days_value(m) : 0;
    int repair = kind && !strcmp(kind, "repair");
    if (!kind || (strcmp(kind, "complaint") && strcmp(kind, "objection") && !repair))
        return "unknown case kind (complaint, objection or repair)";
    if (!a || (m && !b))
        return "working days must be a whole number from 1 to 365";
    if (m && !repair)
        return "only repair takes a second number (working days to give feedback)";
    if (!strcmp(kind, "complaint"))
        d->complaint = a;
    else if (!strcmp(kind, "objection"))
        d->objection = a;
    else {
        d->repair = a;
        if (b)
            d->repair_reply = b;
    }
    return NULL;
}

static const struct {
    const char *kind;
    const char *const open[4];
} case_open[] = {
    {"complaint", {"received", "accepted", "processing", NULL}},
    {"objection", {"received", "accepted", NULL}},
    {"repair", {"received", "accepted", NULL}},
};

const char *const *credit_case_open_states(const char *kind)
{
    size_t i;
    for (i = 0; kind && i < sizeof case_open / sizeof case_open[0]; i++)
        if (!strcmp(case_open[i].kind, kind))
            return case_open[i].open;
    return NULL;
}

int credit_calendar_ending(credit_date_t today, credit_date_t last, long *left)
{
    if (!last.y) {
        *left = 0;
        return 1;
    }
    *left = credit_date_diff(today, last);
    return *left < CREDIT_CALENDAR_WARN_DAYS;
}

int credit_workday_is(const credit_calendar_t *c, credit_date_t d)
{
    if (c && c->workday && c->first.y) {
        long i = credit_date_diff(c->first, d);
        if (i >= 0 && i < c->n && c->workday[i] <= 1)
            return c->workday[i];
    }
    return credit_date_weekday(d) <= 5;
}

credit_date_t credit_workday_add(const credit_calendar_t *c, credit_date_t from, int n)
{
    credit_date_t d = from;
    while (n > 0) {
        d = credit_date_add_days(d, 1);
        if (credit_workday_is(c, d))
            n--;
    }
    return d;
}

long credit_workdays_between(const credit_calendar_t *c, credit_date_t a, credit_date_t b)
{
    long n = 0;
    credit_date_t d = a;
    if (credit_date_cmp(b, a) <= 0)
        return 0;
    while (credit_date_cmp(d, b) < 0) {
        d = credit_date_add_days(d, 1);
        n += credit_workday_is(c, d);
    }
    return n;
}

void credit_case_clock(const credit_calendar_t *c, credit_date_t today, credit_date_t due,
                       credit_case_clock_t *out)
{
    memset(out, 0, sizeof *out);
    if (!due.y || !today.y)
        return;
    out->overdue = credit_date_cmp(due, today) < 0;
    out->due_today = credit_date_cmp(due, today) == 0;
    out->left = credit_workdays_between(c, today, due);
    out->late = credit_workdays_between(c, due, today);
}

const char *credit_case_kind_of(const char *receipt)
{
    static const struct {
        const char *prefix, *kind;
    } kinds[] = {{"TS-", "complaint"}, {"YY-", "objection"}, {"XF-", "repair"}};
    size_t i;
    if (!receipt || strlen(receipt) != 18)
        return NULL;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strncmp(receipt, kinds[i].prefix, 3))
            return kinds[i].kind;
    return NULL;
}
