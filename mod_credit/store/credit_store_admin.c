/* credit_store_admin.c: staff writes with their audit rows in the same
 * transaction (see credit_store_admin.h). Prepared statements only. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <json.h>

#include "credit_store_admin.h"
#include "credit_store_maria.h"
#include "credit_workflow.h"
#include "credit_rules.h"
#include "credit_validate.h"
#include "credit_model.h"

#define A(sql, p, n, out) credit_maria_admin(s, sql, p, n, out)

credit_status_t credit_admin_staff(credit_store_t *s, const char *user, credit_staff_t **out)
{
    credit_param_t p[1] = {CREDIT_PSTR(user)};
    credit_rows_t *rows;
    credit_staff_t *st;
    const char *d;
    credit_status_t rv;
    if (!user)
        return CREDIT_ENOTFOUND;
    /* username is utf8mb4_bin (sql/010): byte for byte, not 'STAFF' =
     * 'ståff' = 'staff'; the row is compared with the login once more, as a
     * binary PAD SPACE collation still matches 'staff ' with 'staff'. */
    rv = A("SELECT username, name, department_id FROM staff WHERE username = ?", p, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0 || !credit_rows_get(rows, 0, "username") ||
        strcmp(credit_rows_get(rows, 0, "username"), user) != 0)
        return CREDIT_ENOTFOUND;
    st = apr_pcalloc(s->pool, sizeof *st);
    st->username = apr_pstrdup(s->pool, user); /* r->user exactly, as the audit's actor */
    st->name = credit_rows_get(rows, 0, "name");
    d = credit_rows_get(rows, 0, "department_id");
    st->department_id = d ? strtoull(d, NULL, 10) : 0;
    *out = st;
    return CREDIT_OK;
}

int credit_admin_in_scope(const credit_staff_t *st, const char *department_id)
{
    return st->department_id == 0 ||
           (department_id && strtoull(department_id, NULL, 10) == st->department_id);
}

/* {"k": v, ...} of the given pairs, as text (json-c, never pasted). */
static const char *json_of(apr_pool_t *p, const char *const *kv, int n)
{
    json_object *o = json_object_new_object();
    const char *text;
    int i;
    for (i = 0; i + 1 < 2 * n; i += 2)
        json_object_object_add(o, kv[i], kv[i + 1] ? json_object_new_string(kv[i + 1]) : NULL);
    text = apr_pstrdup(p, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    return text;
}

const char *credit_admin_json_text(credit_store_t *s, json_object *o)
{
    const char *text;
    if (!o)
        return NULL;
    text = apr_pstrdup(s->pool, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    return text;
}

credit_status_t credit_admin_audit_write(credit_store_t *s, const credit_staff_t *st,
                                         const char *action, const char *entity,
                                         unsigned long long id, const char *before,
                                         const char *after)
{
    credit_param_t p[6] = {CREDIT_PSTR(st->username),  CREDIT_PSTR(action), CREDIT_PSTR(entity),
                           CREDIT_PINT((long long)id), CREDIT_PSTR(before), CREDIT_PSTR(after)};
    return A("INSERT INTO audit_log (actor, action, entity, entity_id, before_json, after_json)"
             " VALUES (?, ?, ?, ?, ?, ?)",
             p, 6, NULL);
}

static credit_status_t audit(credit_store_t *s, const credit_staff_t *st, const char *action,
                             const char *entity, const char *id, const char *before,
                             const char *after)
{
    return credit_admin_audit_write(s, st, action, entity, strtoull(id, NULL, 10), before, after);
}

credit_status_t credit_admin_db_alive(credit_store_t *s)
{
    credit_rows_t *rows;
    return A("SELECT 1 AS up", NULL, 0, &rows);
}

credit_status_t credit_admin_rollback(credit_store_t *s, credit_status_t rv)
{
    A("ROLLBACK", NULL, 0, NULL);
    return rv;
}

#define fail     credit_admin_rollback
#define in_scope credit_admin_in_scope

/* One change of a record: what the public timeline shows and what only
 * the audit log (staff) keeps. */
typedef struct {
    const char *to, *timeline; /* the record's new status, the timeline event */
    const char *decision_no;   /* public: the timeline's decision number (NULL: none) */
    const char *note;          /* public: the timeline's note (NULL: none) */
    const char *correction;    /* public: the record's new correction note (NULL: kept) */
    const char *reason;        /* audit only: why staff did it */
    const char *receipt;       /* audit only: the case that decided it (NULL: none) */
    const char *action;        /* the audit row's action */
} record_change_t;

/* Changes a record's status (and timeline, and audit) inside the caller's
 * transaction; the row is already locked by the caller. */
static credit_status_t record_change(credit_store_t *s, const credit_staff_t *st,
                                     credit_rows_t *row, const record_change_t *c)
{
    const char *today = credit_maria_today(s);
    const char *id = credit_rows_get(row, 0, "id");
    const char *status = credit_rows_get(row, 0, "status");
    const char *withdrawn =
        (!strcmp(c->to, "revoked") || !strcmp(c->to, "repaired")) ? today : NULL;
    const char *before[] = {"status",          status,
                            "correction_note", credit_rows_get(row, 0, "correction_note"),
                            "withdrawn_on",    credit_rows_get(row, 0, "withdrawn_on")};
    const char *after[] = {"status",
                           c->to,
                           "correction_note",
                           c->correction ? c->correction
                                         : credit_rows_get(row, 0, "correction_note"),
                           "withdrawn_on",
                           withdrawn,
                           "event",
                           c->timeline,
                           "decision_no",
                           c->decision_no,
                           "reason",
                           c->reason,
                           "note",
                           c->correction,
                           "case",
                           c->receipt};
    credit_param_t up[4] = {CREDIT_PSTR(c->to), CREDIT_PSTR(c->correction), CREDIT_PSTR(withdrawn),
                            CREDIT_PINT(atoll(id))};
    credit_param_t ev[5] = {CREDIT_PINT(atoll(id)), CREDIT_PSTR(c->timeline), CREDIT_PSTR(today),
                            CREDIT_PSTR(c->decision_no), CREDIT_PSTR(c->note)};
    credit_status_t rv;
    if ((rv = A("UPDATE records SET status = ?, correction_note = COALESCE(?, correction_note),"
                " withdrawn_on = COALESCE(?, withdrawn_on) WHERE id = ?",
                up, 4, NULL)) != CREDIT_OK)
        return rv;
    if ((rv = A("INSERT INTO record_events (record_id, event, occurred_on, decision_no, note)"
                " VALUES (?, ?, ?, ?, ?)",
                ev, 5, NULL)) != CREDIT_OK)
        return rv;
    return audit(s, st, c->action, "record", id, json_of(s->pool, before, 3),
                 json_of(s->pool, after, 8));
}

static const char *RECORD_LOCK =
    "SELECT id, record_no, status, severity, department_id, repair_from, rectified,"
    " correction_note, withdrawn_on FROM records WHERE record_no = ? FOR UPDATE";

/* Why the locked record may not be repaired today (credit_repair_refusal),
 * or NULL. */
static const char *repair_refusal(credit_store_t *s, credit_rows_t *row)
{
    const char *rect = credit_rows_get(row, 0, "rectified");
    return credit_repair_refusal(
        s->pool, credit_rows_get(row, 0, "status"), credit_rows_get(row, 0, "severity"),
        credit_rows_get(row, 0, "repair_from"), rect && !strcmp(rect, "1"), credit_maria_today(s));
}

/* Leaving "contested" returns a record to what it was: corrected when it
 * carries a correction, published otherwise. */
static const char *after_contest(credit_rows_t *row, const char *to)
{
    const char *note = credit_rows_get(row, 0, "correction_note");
    return !strcmp(to, "published") && note && *note ? "corrected" : to;
}

credit_status_t credit_admin_record_event(credit_store_t *s, const credit_staff_t *st,
                                          const char *record_no, const credit_record_event_in_t *in,
                                          const char **from, const char **to, const char **why)
{
    credit_param_t p[1] = {CREDIT_PSTR(record_no)};
    credit_rows_t *row;
    credit_status_t rv;
    const char *timeline = NULL;
    int known = 0;

    *from = *to = *why = NULL;
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    if ((rv = A(RECORD_LOCK, p, 1, &row)) != CREDIT_OK)
        return fail(s, rv);
    if (row->rows->nelts == 0 || !in_scope(st, credit_rows_get(row, 0, "department_id")))
        return fail(s, CREDIT_ENOTFOUND);
    *from = credit_rows_get(row, 0, "status");
    *to = credit_record_event(*from, in->event, &known, &timeline);
    if (!known) {
        *why = "unknown event";
        return fail(s, CREDIT_EINVAL);
    }
    if (!*to)
        return fail(s, CREDIT_ECONFLICT);
    if (!strcmp(in->event, "repair") && (*why = repair_refusal(s, row)) != NULL)
        return fail(s, CREDIT_EINVAL);
    *to = after_contest(row, *to);
    {
        /* a record event is a public decision: its number and reason (or
         * the correction note) go on the timeline */
        int correct = !strcmp(in->event, "correct");
        record_change_t c = {*to,
                             timeline,
                             in->decision_no,
                             correct ? in->note : in->reason,
                             correct ? in->note : NULL,
                             in->reason,
                             NULL,
                             in->event};
        rv = record_change(s, st, row, &c);
    }
    if (rv != CREDIT_OK)
        return fail(s, rv);
    return A("COMMIT", NULL, 0, NULL);
}

typedef struct {
    const char *kind;
    const char *lock;   /* id, status, department_id, record_no */
    const char *accept; /* parameters: status, today, due date, reply, id */
    const char *decide; /* parameters: status, reply, id */
} case_sql_t;

static const case_sql_t cases[] = {
    {"complaint",
     "SELECT c.id, c.status, c.department_id, NULL AS record_no FROM complaints c"
     " WHERE c.receipt_no = ? FOR UPDATE",
     "UPDATE complaints SET status = ?, accepted_on = ?, due_on = ?,"
     " reply = COALESCE(?, reply) WHERE id = ?",
     "UPDATE complaints SET status = ?, reply = COALESCE(?, reply) WHERE id = ?"},
    {"objection",
     "SELECT c.id, c.status, r.department_id, r.record_no FROM objections c"
     " JOIN records r ON r.id = c.record_id WHERE c.receipt_no = ? FOR UPDATE",
     "UPDATE objections SET status = ?, accepted_on = ?, due_on = ?,"
     " reply = COALESCE(?, reply) WHERE id = ?",
     "UPDATE objections SET status = ?, reply = COALESCE(?, reply) WHERE id = ?"},
    {"repair",
     "SELECT c.id, c.status, r.department_id, r.record_no FROM repair_applications c"
     " JOIN records r ON r.id = c.record_id WHERE c.receipt_no = ? FOR UPDATE",
     "UPDATE repair_applications SET status = ?, received_on = ?, decide_due_on = ?,"
     " reply = COALESCE(?, reply) WHERE id = ?",
     "UPDATE repair_applications SET status = ?, reply = COALESCE(?, reply) WHERE id = ?"},
};

/* The date n working days after today: the calendar table where it has the
 * day (China's holidays and adjusted working days), Monday to Friday
 * beyond it. */
static credit_status_t working_days(credit_store_t *s, int n, const char **out)
{
    credit_calendar_t cal;
    credit_date_t today;
    credit_status_t rv;
    char buf[16];
    if (!credit_date_parse(credit_maria_today(s), &today))
        return CREDIT_EINTERNAL;
    /* n working days lie within 2n + 40 calendar days even around the long holidays */
    if ((rv = credit_admin_calendar(s, today, credit_date_add_days(today, 2L * n + 40), &cal)) !=
        CREDIT_OK)
        return rv;
    *out = apr_pstrdup(s->pool, credit_date_fmt(credit_workday_add(&cal, today, n), buf));
    return CREDIT_OK;
}

credit_status_t credit_admin_case_transition(credit_store_t *s, const credit_staff_t *st,
                                             const char *receipt, const char *to, const char *note,
                                             const char *reply, const char *correction,
                                             const char **from, const char **why)
{
    const case_sql_t *cs = NULL;
    credit_param_t p[1] = {CREDIT_PSTR(receipt)};
    credit_rows_t *row, *rec;
    credit_status_t rv;
    const char *id, *effect, *due = NULL;
    size_t i;

    *from = *why = NULL;
    for (i = 0; credit_case_kind_of(receipt) && i < sizeof cases / sizeof cases[0]; i++)
        if (!strcmp(credit_case_kind_of(receipt), cases[i].kind))
            cs = &cases[i];
    if (!cs)
        return CREDIT_ENOTFOUND;
    /* the public correction text belongs to a correction, and a correction needs it */
    if ((correction != NULL) != (to && !strcmp(to, "corrected"))) {
        *why = correction ? "correction: only a decision to corrected takes one"
                          : "correction: required (the correction note shown on the record)";
        return CREDIT_EINVAL;
    }
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    if ((rv = A(cs->lock, p, 1, &row)) != CREDIT_OK)
        return fail(s, rv);
    if (row->rows->nelts == 0 || !in_scope(st, credit_rows_get(row, 0, "department_id")))
        return fail(s, CREDIT_ENOTFOUND);
    id = credit_rows_get(row, 0, "id");
    *from = credit_rows_get(row, 0, "status");
    if (!credit_case_allowed(cs->kind, *from, to))
        return fail(s, CREDIT_ECONFLICT);
    if (!strcmp(to, "accepted")) {
        if ((rv = working_days(s, credit_case_due_days(s->case_days, cs->kind), &due)) != CREDIT_OK)
            return fail(s, rv);
        {
            /* today is the request's (the module's clock), as the due date's */
            credit_param_t u[5] = {CREDIT_PSTR(to), CREDIT_PSTR(credit_maria_today(s)),
                                   CREDIT_PSTR(due), CREDIT_PSTR(reply), CREDIT_PINT(atoll(id))};
            rv = A(cs->accept, u, 5, NULL);
        }
        if (rv == CREDIT_OK && !strcmp(cs->kind, "repair")) {
            const char *reply_due;
            if ((rv = working_days(s, s->case_days->repair_reply, &reply_due)) == CREDIT_OK) {
                credit_param_t u[2] = {CREDIT_PSTR(reply_due), CREDIT_PINT(atoll(id))};
                rv = A("UPDATE repair_applications SET reply_due_on = ? WHERE id = ?", u, 2, NULL);
            }
        }
    } else {
        credit_param_t u[3] = {CREDIT_PSTR(to), CREDIT_PSTR(reply), CREDIT_PINT(atoll(id))};
        rv = A(cs->decide, u, 3, NULL);
    }
    if (rv != CREDIT_OK)
        return fail(s, rv);
    {
        credit_param_t e[4] = {CREDIT_PSTR(cs->kind), CREDIT_PINT(atoll(id)), CREDIT_PSTR(to),
                               CREDIT_PSTR(note)};
        if ((rv =
                 A("INSERT INTO case_events (case_type, case_id, status, note) VALUES (?, ?, ?, ?)",
                   e, 4, NULL)) != CREDIT_OK)
            return fail(s, rv);
    }
    effect = credit_case_record_effect(cs->kind, to);
    if (effect) {
        const char *no = credit_rows_get(row, 0, "record_no");
        credit_param_t rp[1] = {CREDIT_PSTR(no)};
        const char *timeline = !strcmp(effect, "published") ? "uncontested" : effect;
        if ((rv = A(RECORD_LOCK, rp, 1, &rec)) != CREDIT_OK || rec->rows->nelts == 0)
            return fail(s, rv != CREDIT_OK ? rv : CREDIT_EINTERNAL);
        /* A decision the record's state no longer allows (withdrawn meanwhile) is refused. */
        if (credit_status_withdrawn(credit_rows_get(rec, 0, "status"))) {
            *why = "the record has been withdrawn meanwhile";
            return fail(s, CREDIT_ECONFLICT);
        }
        /* Approving a repair application withdraws the record: the rules of
         * a repair apply as to the repair event. */
        if (!strcmp(effect, "repaired") && (*why = repair_refusal(s, rec)) != NULL) {
            *why = apr_pstrcat(s->pool, "the repair cannot be approved: ", *why, NULL);
            return fail(s, CREDIT_ECONFLICT);
        }
        effect = after_contest(rec, effect);
        {
            /* The public timeline shows the decision itself: the staff's
             * note (seen by the applicant with receipt and code) and the
             * receipt stay with the case and in the audit log; a correction
             * shows the correction text given for the public. */
            record_change_t c = {
                effect,     timeline, NULL,    correction,
                correction, note,     receipt, apr_pstrcat(s->pool, cs->kind, ":", to, NULL)};
            if ((rv = record_change(s, st, rec, &c)) != CREDIT_OK)
                return fail(s, rv);
        }
    }
    {
        const char *before[] = {"status", *from};
        const char *after[] = {"status", to,       "note", note,         "reply",
                               reply,    "due_on", due,    "correction", correction};
        if ((rv = audit(s, st, apr_pstrcat(s->pool, "transition:", to, NULL), cs->kind, id,
                        json_of(s->pool, before, 1), json_of(s->pool, after, 5))) != CREDIT_OK)
            return fail(s, rv);
    }
    return A("COMMIT", NULL, 0, NULL);
}

credit_status_t credit_admin_case_assign(credit_store_t *s, const credit_staff_t *st,
                                         const char *receipt, unsigned long long department_id,
                                         const char *note, const char **before, const char **name,
                                         const char **why)
{
    credit_param_t p[1] = {CREDIT_PSTR(receipt)};
    credit_param_t dp[1] = {CREDIT_PINT((long long)department_id)};
    credit_rows_t *row, *dept;
    credit_status_t rv;
    const char *id, *status, *const *open;
    int i, is_open = 0;

    *before = *name = *why = NULL;
    if (st->department_id != 0)
        return CREDIT_ENOTFOUND; /* a department's staff do not see other departments' cases */
    if (!receipt || strncmp(receipt, "TS-", 3) != 0) {
        *why = "only complaints are assigned (objections and repairs belong to their record's "
               "department)";
        return CREDIT_EINVAL;
    }
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    if ((rv = A(cases[0].lock, p, 1, &row)) != CREDIT_OK)
        return fail(s, rv);
    if (row->rows->nelts == 0)
        return fail(s, CREDIT_ENOTFOUND);
    if ((rv = A("SELECT id, name FROM departments WHERE id = ?", dp, 1, &dept)) != CREDIT_OK)
        return fail(s, rv);
    if (dept->rows->nelts == 0) {
        *why = "department_id: no such department";
        return fail(s, CREDIT_EINVAL);
    }
    id = credit_rows_get(row, 0, "id");
    status = credit_rows_get(row, 0, "status");
    open = credit_case_open_states("complaint");
    for (i = 0; open && open[i]; i++)
        is_open |= status && !strcmp(open[i], status);
    if (!is_open) {
        *why = status;
        return fail(s, CREDIT_ECONFLICT);
    }
    *before = credit_rows_get(row, 0, "department_id");
    *name = credit_rows_get(dept, 0, "name");
    if (*before && strtoull(*before, NULL, 10) == department_id) {
        /* nothing to do: a form sent twice, or a slip (one audit row per change) */
        *why = "department_id: the complaint is already with that department";
        return fail(s, CREDIT_EINVAL);
    }
    {
        const char *to = credit_rows_get(dept, 0, "id");
        credit_param_t u[2] = {CREDIT_PINT((long long)department_id), CREDIT_PINT(atoll(id))};
        const char *b[] = {"department_id", *before, "status", status};
        const char *a[] = {"department_id", to, "department", *name, "note", note};
        if ((rv = A("UPDATE complaints SET department_id = ? WHERE id = ?", u, 2, NULL)) !=
                CREDIT_OK ||
            (rv = audit(s, st, "assign", "complaint", id, json_of(s->pool, b, 2),
                        json_of(s->pool, a, 3))) != CREDIT_OK)
            return fail(s, rv);
    }
    if (!*before)
        *before = "";
    return A("COMMIT", NULL, 0, NULL);
}

credit_status_t credit_admin_audit(credit_store_t *s, const credit_staff_t *st, const char *entity,
                                   const char *key, apr_array_header_t **out)
{
    credit_rows_t *rows;
    credit_status_t rv;
    const char *id = NULL;
    size_t k;
    if (!strcmp(entity, "record")) {
        credit_param_t q[1] = {CREDIT_PSTR(key)};
        if ((rv = A("SELECT id, department_id FROM records WHERE record_no = ?", q, 1, &rows)) !=
            CREDIT_OK)
            return rv;
        if (rows->rows->nelts == 0 || !in_scope(st, credit_rows_get(rows, 0, "department_id")))
            return CREDIT_ENOTFOUND;
        id = credit_rows_get(rows, 0, "id");
    } else {
        for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            if (!strcmp(cases[k].kind, entity)) {
                credit_param_t q[1] = {CREDIT_PSTR(key)};
                if ((rv = A(cases[k].lock, q, 1, &rows)) != CREDIT_OK)
                    return rv;
                if (rows->rows->nelts == 0 ||
                    !in_scope(st, credit_rows_get(rows, 0, "department_id")))
                    return CREDIT_ENOTFOUND;
                id = credit_rows_get(rows, 0, "id");
            }
        }
        A("ROLLBACK", NULL, 0, NULL); /* the FOR UPDATE above ran in autocommit */
        if (!id)
            return CREDIT_EINVAL;
    }
    return credit_admin_audit_rows(s, entity, strtoull(id, NULL, 10), out);
}

credit_status_t credit_admin_audit_rows(credit_store_t *s, const char *entity,
                                        unsigned long long id, apr_array_header_t **out)
{
    credit_param_t p[2] = {CREDIT_PSTR(entity), CREDIT_PINT((long long)id)};
    credit_rows_t *rows;
    credit_status_t rv;
    int i;
    if ((rv = A("SELECT actor, at, action, before_json, after_json FROM audit_log"
                " WHERE entity = ? AND entity_id = ? ORDER BY at, id",
                p, 2, &rows)) != CREDIT_OK)
        return rv;
    *out = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_audit_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_audit_t *a = apr_array_push(*out);
        a->actor = credit_rows_get(rows, i, "actor");
        a->at = credit_rows_get(rows, i, "at");
        a->action = credit_rows_get(rows, i, "action");
        a->before_json = credit_rows_get(rows, i, "before_json");
        a->after_json = credit_rows_get(rows, i, "after_json");
    }
    return CREDIT_OK;
}
