/* credit_store_admin_records_edit.c: reading and changing an existing
 * record for the staff (see credit_store_admin_records.h): its editable
 * fields merged with what is stored, the clock recomputed by the database
 * and checked, the before/after of the changed fields audited in the same
 * transaction. Prepared statements only. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <json.h>

#include "credit_store_admin_records.h"
#include "credit_json_value.h"
#include "credit_store_maria.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

#define A(sql, p, n, out) credit_maria_admin(s, sql, p, n, out)
#define bad               credit_admin_field_error
#define in_scope          credit_admin_in_scope
#define json_text         credit_admin_json_text
#define audit             credit_admin_audit_write

/* ---- read and update ----------------------------------------------------- */

#define ADMIN_RECORD_SQL                                                                           \
    "SELECT r.id, r.record_no, r.category, r.domain, r.severity, r.status, r.title,"               \
    " r.decision_no, r.authority, r.decided_on, r.disclosed_on, r.repair_from, r.withdraw_on,"     \
    " r.withdrawn_on, r.updated_at, r.amount, r.district AS district, r.department_id,"            \
    " r.subject_id, r.facts, r.legal_basis, r.rectification, r.rectify_due, r.rectified,"          \
    " r.correction_note, d.name AS department,"                                                    \
    " s.name AS subject_name, s.kind AS subject_kind, s.credit_code, s.level AS subject_level,"    \
    " s.position, s.id_masked, e.id AS employer_id, e.name AS employer_name"                       \
    " FROM records r JOIN subjects s ON s.id = r.subject_id"                                       \
    " JOIN departments d ON d.id = r.department_id LEFT JOIN subjects e ON e.id = s.employer_id"   \
    " WHERE r.record_no = ?"

credit_status_t credit_admin_record_get(credit_store_t *s, const credit_staff_t *st, const char *no,
                                        credit_record_t **out, unsigned long long *department_id)
{
    credit_param_t p[1] = {CREDIT_PSTR(no)};
    credit_rows_t *rows;
    credit_status_t rv = A(ADMIN_RECORD_SQL, p, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0 || !in_scope(st, credit_rows_get(rows, 0, "department_id")))
        return CREDIT_ENOTFOUND;
    *out = credit_maria_record(s, s->pool, rows, 0);
    *department_id = strtoull(credit_rows_get(rows, 0, "department_id"), NULL, 10);
    return CREDIT_OK;
}

/* Compares one field: records its before and after when it changes. */
static void change(apr_array_header_t *changed, json_object *before, json_object *after,
                   const char *name, const char *old, const char *now)
{
    if ((old == NULL) == (now == NULL) && (!old || !strcmp(old, now)))
        return;
    APR_ARRAY_PUSH(changed, const char *) = name;
    credit_json_str(before, name, old);
    credit_json_str(after, name, now);
}

credit_status_t credit_admin_record_update(credit_store_t *s, const credit_staff_t *st,
                                           const char *no, const credit_record_input_t *in,
                                           apr_array_header_t **changed, credit_field_error_t *err)
{
    credit_param_t p[1] = {CREDIT_PSTR(no)};
    credit_rows_t *rows;
    credit_status_t rv;
    credit_date_t today, ds;
    credit_clock_t clock;
    json_object *before, *after;
    const char *id, *status, *rf, *wo;
    /* merged values */
    const char *category, *domain, *severity, *title, *facts, *legal, *decision, *authority,
        *decided, *disclosed, *amount, *rect, *rect_due, *rectified;

    *changed = apr_array_make(s->pool, 8, sizeof(const char *));
    credit_date_parse(credit_maria_today(s), &today);
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    if ((rv = A("SELECT id, status, department_id, subject_id, category, domain, severity, title,"
                " facts, legal_basis, decision_no, authority, decided_on, disclosed_on, amount,"
                " rectification, rectify_due, rectified, repair_from, withdraw_on"
                " FROM records WHERE record_no = ? FOR UPDATE",
                p, 1, &rows)) != CREDIT_OK)
        goto out;
    if (rows->rows->nelts == 0 || !in_scope(st, credit_rows_get(rows, 0, "department_id"))) {
        rv = CREDIT_ENOTFOUND;
        goto out;
    }
#define OLD(name)            credit_rows_get(rows, 0, name)
#define PICK(bit, mine, col) ((in->set & (bit)) ? (mine) : OLD(col))
    id = OLD("id");
    status = OLD("status");
    credit_maria_date(OLD("disclosed_on"), &clock.disclosed);
    credit_maria_date(OLD("repair_from"), &clock.repair_from);
    credit_maria_date(OLD("withdraw_on"), &clock.withdraw_on);
    if (credit_visibility(status, &clock, today) == CREDIT_VIS_WITHDRAWN) {
        rv = bad(s, err, CREDIT_ECONFLICT, "withdrawn", NULL,
                 apr_psprintf(s->pool,
                              "record %s is withdrawn (%s): a withdrawn record cannot be edited",
                              no, credit_withdrawn_state(status)));
        goto out;
    }
    category = PICK(CREDIT_RF_CATEGORY, in->category, "category");
    domain = PICK(CREDIT_RF_DOMAIN, in->domain, "domain");
    severity = PICK(CREDIT_RF_SEVERITY, in->severity, "severity");
    title = PICK(CREDIT_RF_TITLE, in->title, "title");
    facts = PICK(CREDIT_RF_FACTS, in->facts, "facts");
    legal = PICK(CREDIT_RF_LEGAL, in->legal_basis, "legal_basis");
    decision = PICK(CREDIT_RF_DECISION, in->decision_no, "decision_no");
    authority = PICK(CREDIT_RF_AUTHORITY, in->authority, "authority");
    decided = PICK(CREDIT_RF_DECIDED, in->decided_on, "decided_on");
    disclosed = PICK(CREDIT_RF_DISCLOSED, in->disclosed_on, "disclosed_on");
    amount = PICK(CREDIT_RF_AMOUNT, in->amount, "amount");
    rect = PICK(CREDIT_RF_RECT_TEXT, in->rectification, "rectification");
    rect_due = PICK(CREDIT_RF_RECT_DUE, in->rectify_due, "rectify_due");
    rectified = PICK(CREDIT_RF_RECT_DONE, in->rectified ? "1" : "0", "rectified");
    before = json_object_new_object();
    after = json_object_new_object();
    change(*changed, before, after, "category", OLD("category"), category);
    change(*changed, before, after, "domain", OLD("domain"), domain);
    change(*changed, before, after, "severity", OLD("severity"), severity);
    change(*changed, before, after, "title", OLD("title"), title);
    change(*changed, before, after, "facts", OLD("facts"), facts);
    change(*changed, before, after, "legal_basis", OLD("legal_basis"), legal);
    change(*changed, before, after, "decision_no", OLD("decision_no"), decision);
    change(*changed, before, after, "authority", OLD("authority"), authority);
    change(*changed, before, after, "decided_on", OLD("decided_on"), decided);
    change(*changed, before, after, "disclosed_on", OLD("disclosed_on"), disclosed);
    change(*changed, before, after, "amount", OLD("amount"), amount);
    change(*changed, before, after, "rectification", OLD("rectification"), rect);
    change(*changed, before, after, "rectify_due", OLD("rectify_due"), rect_due);
    change(*changed, before, after, "rectified", OLD("rectified"), rectified);
    if (json_object_object_get_ex(after, "rectified", NULL)) { /* a flag: true / false */
        json_object_object_add(before, "rectified",
                               json_object_new_boolean(!strcmp(OLD("rectified"), "1")));
        json_object_object_add(after, "rectified",
                               json_object_new_boolean(!strcmp(rectified, "1")));
    }
    if ((*changed)->nelts == 0) {
        json_object_put(before);
        json_object_put(after);
        rv = CREDIT_OK; /* nothing to write: no audit row */
        goto out;
    }
    if (((in->set & (CREDIT_RF_DECIDED | CREDIT_RF_DISCLOSED)) &&
         !credit_admin_record_dates(s->pool, decided, disclosed, today, err)) ||
        !credit_date_parse(disclosed, &ds) || credit_clock(severity, ds, &clock) != CREDIT_OK) {
        json_object_put(before);
        json_object_put(after);
        rv = err->code ? CREDIT_EINVAL : CREDIT_EINTERNAL;
        goto out;
    }
    if (strcmp(decision, OLD("decision_no")) != 0) {
        credit_param_t q[3] = {CREDIT_PSTR(OLD("subject_id")), CREDIT_PSTR(decision),
                               CREDIT_PSTR(id)};
        credit_rows_t *dup;
        if ((rv = A("SELECT record_no FROM records WHERE subject_id = ? AND decision_no = ?"
                    " AND id <> ? ORDER BY id LIMIT 1 LOCK IN SHARE MODE",
                    q, 3, &dup)) != CREDIT_OK ||
            dup->rows->nelts > 0) {
            if (rv == CREDIT_OK)
                rv = bad(s, err, CREDIT_ECONFLICT, "duplicate", "decision_no",
                         apr_pstrcat(s->pool, "the subject already has record ",
                                     credit_rows_get(dup, 0, "record_no"), " of this decision",
                                     NULL));
            json_object_put(before);
            json_object_put(after);
            goto out;
        }
    }
    {
        credit_param_t u[15] = {CREDIT_PSTR(category), CREDIT_PSTR(domain),
                                CREDIT_PSTR(severity), CREDIT_PSTR(title),
                                CREDIT_PSTR(facts),    CREDIT_PSTR(legal),
                                CREDIT_PSTR(decision), CREDIT_PSTR(authority),
                                CREDIT_PSTR(decided),  CREDIT_PSTR(disclosed),
                                CREDIT_PSTR(amount),   CREDIT_PSTR(rect),
                                CREDIT_PSTR(rect_due), CREDIT_PINT(atoll(rectified)),
                                CREDIT_PSTR(id)};
        credit_param_t q[1] = {CREDIT_PSTR(id)};
        credit_rows_t *now;
        rv = A("UPDATE records SET category = ?, domain = ?, severity = ?, title = ?, facts = ?,"
               " legal_basis = ?, decision_no = ?, authority = ?, decided_on = ?, disclosed_on = ?,"
               " amount = ?, rectification = ?, rectify_due = ?, rectified = ? WHERE id = ?",
               u, 15, NULL);
        if (rv == CREDIT_OK)
            rv = A("SELECT repair_from, withdraw_on FROM records WHERE id = ?", q, 1, &now);
        if (rv != CREDIT_OK) {
            json_object_put(before);
            json_object_put(after);
            goto out;
        }
        rf = credit_rows_get(now, 0, "repair_from");
        wo = credit_rows_get(now, 0, "withdraw_on");
        credit_admin_check_clock(s, &clock, rf, wo);
        /* The clock follows severity and the disclosure date: its change
         * is part of the before/after. */
        change(*changed, before, after, "repair_from", OLD("repair_from"), rf);
        change(*changed, before, after, "withdraw_on", OLD("withdraw_on"), wo);
    }
#undef PICK
#undef OLD
    if ((rv = audit(s, st, "update", "record", strtoull(id, NULL, 10), json_text(s, before),
                    json_text(s, after))) != CREDIT_OK)
        goto out;
    return A("COMMIT", NULL, 0, NULL);
out:
    A("ROLLBACK", NULL, 0, NULL);
    return rv;
}
