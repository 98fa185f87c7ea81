/* credit_store_maria_cases.c: citizens' submissions and the status
 * look-up of their cases, on the insert-only user's connection. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>

#include "credit_store_maria.h"
#include "credit_rules.h"
#include "credit_validate.h"

typedef struct {
    const char *kind, *prefix, *table;
} case_kind_t;

static const case_kind_t case_kinds[] = {
    {"complaint", "TS", "complaints"},
    {"objection", "YY", "objections"},
    {"repair", "XF", "repair_applications"},
};

static const case_kind_t *case_kind(const char *kind)
{
    size_t i;
    for (i = 0; i < sizeof case_kinds / sizeof case_kinds[0]; i++)
        if (!strcmp(case_kinds[i].kind, kind) ||
            (strlen(kind) > 2 && !strncmp(case_kinds[i].prefix, kind, 2) && kind[2] == '-'))
            return &case_kinds[i];
    return NULL;
}

/* The row of each kind of submission: the common columns (receipt, keyed
 * hashes of token, code and client), the record for objections and
 * repairs, then the form's fields in the order of the statement. The
 * receipt number is made in the statement: the bound prefix ("TS-YYYYMMDD-")
 * and the kind's sequence, and RETURNING gives it back: one statement, one
 * round trip, for a submission. */
#define RECEIPT(seq) "CONCAT(?, LPAD(NEXTVAL(" seq "), 6, '0'))"
typedef struct {
    const char *kind;
    const char *sql;
    int record;
    const char *const fields[12]; /* NULL-terminated */
} insert_t;

static const insert_t inserts[] = {
    {"complaint",
     /* A subject id that names nobody is kept as free text only. */
     "INSERT INTO complaints (receipt_no, form_token, code_hash, client_hash, target,"
     " subject_id, district, domain, title, content, conduct_on, evidence, name,"
     " phone, email) VALUES (" RECEIPT(
         "receipt_seq_ts") ", ?, UNHEX(?), UNHEX(?), ?,"
                           " (SELECT id FROM subjects WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                           "RETURNING receipt_no",
     0,
     {"target", "subject_id", "district", "domain", "title", "content", "conduct_on", "evidence",
      "name", "phone", "email", NULL}},
    {"objection",
     "INSERT INTO objections (receipt_no, form_token, code_hash, client_hash,"
     " record_id, applicant, contact, relation, reason, evidence)"
     " VALUES (" RECEIPT("receipt_seq_yy") ", ?, UNHEX(?), UNHEX(?), ?, ?, ?, ?, ?, ?)"
                                           " RETURNING receipt_no",
     1,
     {"applicant", "contact", "relation", "reason", "evidence", NULL}},
    {"repair",
     "INSERT INTO repair_applications (receipt_no, form_token, code_hash,"
     " client_hash, record_id, applicant, contact, rectification, commitment)"
     " VALUES (" RECEIPT("receipt_seq_xf") ", ?, UNHEX(?), UNHEX(?), ?, ?, ?, ?, ?)"
                                           " RETURNING receipt_no",
     1,
     {"applicant", "contact", "rectification", "commitment", NULL}},
};

/* The submission's own row, by its kind's statement. */
static credit_status_t insert_case(credit_store_t *s, const credit_submission_t *sub,
                                   const char *prefix, long long record_id, credit_rows_t **out)
{
    credit_param_t p[20];
    size_t i;
    int n = 0, j;
    for (i = 0; i < sizeof inserts / sizeof inserts[0]; i++) {
        const insert_t *ins = &inserts[i];
        if (strcmp(ins->kind, sub->kind) != 0)
            continue;
        p[n++] = CREDIT_PSTR(prefix);
        p[n++] = CREDIT_PSTR(sub->idem_hex);
        p[n++] = CREDIT_PSTR(sub->code_hash_hex);
        p[n++] = CREDIT_PSTR(sub->client_hex);
        if (ins->record)
            p[n++] = CREDIT_PINT(record_id);
        for (j = 0; ins->fields[j]; j++)
            p[n++] = CREDIT_PSTR(apr_table_get(sub->values, ins->fields[j]));
        return credit_maria_write(s, ins->sql, p, n, out);
    }
    return CREDIT_EINTERNAL;
}

/* The receipt already given for this idempotency key, if any. */
/* The receipt of the form stored under idem, and whether this resend is a
 * retry of the same client (*replayed 1) or anything else (2). */
static credit_status_t find_receipt(credit_store_t *s, const case_kind_t *ck,
                                    const credit_submission_t *sub, const char **receipt,
                                    int *replayed)
{
#define FIND_RECEIPT(table)                                                                        \
    "SELECT receipt_no, client_hash = UNHEX(?) AND created_at >= NOW() - INTERVAL ? SECOND"        \
    " AS retry FROM " table " WHERE form_token = ?"
    static const char *const sql[] = {
        FIND_RECEIPT("complaints"),
        FIND_RECEIPT("objections"),
        FIND_RECEIPT("repair_applications"),
    };
#undef FIND_RECEIPT
    credit_param_t p[3] = {CREDIT_PSTR(sub->client_hex),
                           CREDIT_PINT(CREDIT_REPLAY_SAME_CLIENT_SECONDS),
                           CREDIT_PSTR(sub->idem_hex)};
    credit_rows_t *rows;
    const char *retry;
    credit_status_t rv = credit_maria_write(s, sql[ck - case_kinds], p, 3, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    *receipt = credit_rows_get(rows, 0, "receipt_no");
    retry = credit_rows_get(rows, 0, "retry");
    *replayed = retry && strcmp(retry, "1") == 0 ? 1 : 2;
    return CREDIT_OK;
}

/* The record an objection or repair concerns: public, and for a repair
 * past its earliest repair date. */
static credit_status_t case_record(credit_store_t *s, const credit_submission_t *sub,
                                   long long *record_id)
{
    const char *today = credit_maria_today(s);
    credit_param_t p[1] = {CREDIT_PSTR(sub->record_no)};
    credit_rows_t *rows;
    credit_status_t rv;
    credit_record_t *r;
    (void)today;
    rv = credit_maria_write(
        s,
        "SELECT r.id, r.status, r.severity, r.disclosed_on, r.repair_from, r.withdraw_on,"
        " r.rectified FROM records r WHERE r.record_no = ?",
        p, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    r = apr_pcalloc(s->pool, sizeof *r);
    r->status = credit_rows_get(rows, 0, "status");
    credit_maria_date(credit_rows_get(rows, 0, "disclosed_on"), &r->clock.disclosed);
    credit_maria_date(credit_rows_get(rows, 0, "repair_from"), &r->clock.repair_from);
    credit_maria_date(credit_rows_get(rows, 0, "withdraw_on"), &r->clock.withdraw_on);
    switch (credit_visibility(r->status, &r->clock, s->today)) {
    case CREDIT_VIS_NOT_YET:
        return CREDIT_ENOTFOUND;
    case CREDIT_VIS_WITHDRAWN:
        return CREDIT_EGONE;
    default:
        break;
    }
    if (!strcmp(sub->kind, "repair") &&
        (!r->clock.repair_from.y || credit_date_cmp(s->today, r->clock.repair_from) < 0 ||
         !credit_rows_get(rows, 0, "rectified") ||
         strcmp(credit_rows_get(rows, 0, "rectified"), "1")))
        return CREDIT_EINVAL;
    *record_id = atoll(credit_rows_get(rows, 0, "id"));
    return CREDIT_OK;
}

/* One statement stores a submission (a trigger adds the first timeline
 * entry in the same statement): autocommit makes it durable before the
 * receipt is shown. The idempotency key's UNIQUE constraint decides between
 * two copies of one form arriving together; the loser shows the winner's
 * receipt. */
#define RECEIPT_TRIES 64

credit_status_t credit_maria_submit(credit_store_t *s, const credit_submission_t *sub,
                                    const char **receipt_no, int *replayed)
{
    const case_kind_t *ck = case_kind(sub->kind);
    credit_rows_t *rows;
    credit_status_t rv;
    long long record_id = 0;
    const char *prefix;
    int attempt;
    *replayed = 0;
    if (!ck)
        return CREDIT_EINTERNAL;
    if (sub->record_no && (rv = case_record(s, sub, &record_id)) != CREDIT_OK)
        return rv;
    prefix =
        apr_psprintf(s->pool, "%s-%04d%02d%02d-", ck->prefix, s->today.y, s->today.m, s->today.d);
    /* A number taken by a row the sequence did not make (an import, a
     * restored backup) is skipped: the next one is tried. */
    for (attempt = 0; attempt < RECEIPT_TRIES; attempt++) {
        rv = insert_case(s, sub, prefix, record_id, &rows);
        if (rv == CREDIT_OK && rows->rows->nelts == 1) {
            *receipt_no = credit_rows_get(rows, 0, "receipt_no");
            return CREDIT_OK;
        }
        if (rv == CREDIT_OK)
            return CREDIT_EINTERNAL; /* no RETURNING row */
        if (rv != CREDIT_ECONFLICT)
            return rv;
        /* This form was stored before (a resend, or a copy that won)? */
        rv = find_receipt(s, ck, sub, receipt_no, replayed);
        if (rv == CREDIT_OK)
            return CREDIT_OK;
        if (rv != CREDIT_ENOTFOUND)
            return rv;
        /* the receipt number was taken: the next one */
    }
    credit_maria_note(s, "CR0208", "no free receipt number after several tries");
    return CREDIT_EINTERNAL;
}

credit_status_t credit_maria_lookup_case(credit_store_t *s, const char *receipt_no,
                                         const char *const *hashes, int n, credit_case_t **out)
{
    static const char *const sql[] = {
        "SELECT c.id, c.receipt_no, c.status, c.created_at, c.title, NULL AS record_no,"
        " c.due_on, NULL AS reply_due_on, c.reply FROM complaints c WHERE c.receipt_no = ?"
        " AND c.code_hash IN (UNHEX(?), UNHEX(?), UNHEX(?), UNHEX(?))",
        "SELECT c.id, c.receipt_no, c.status, c.created_at, NULL AS title, r.record_no,"
        " c.due_on, NULL AS reply_due_on, c.reply FROM objections c"
        " JOIN records r ON r.id = c.record_id WHERE c.receipt_no = ?"
        " AND c.code_hash IN (UNHEX(?), UNHEX(?), UNHEX(?), UNHEX(?))",
        "SELECT c.id, c.receipt_no, c.status, c.created_at, NULL AS title, r.record_no,"
        " c.decide_due_on AS due_on, c.reply_due_on, c.reply FROM repair_applications c"
        " JOIN records r ON r.id = c.record_id WHERE c.receipt_no = ?"
        " AND c.code_hash IN (UNHEX(?), UNHEX(?), UNHEX(?), UNHEX(?))",
    };
    const case_kind_t *ck = case_kind(receipt_no);
    credit_param_t p[5];
    credit_rows_t *rows, *ev;
    credit_case_t *c;
    credit_status_t rv;
    int i;
    if (!ck || n < 1)
        return CREDIT_ENOTFOUND;
    p[0] = CREDIT_PSTR(receipt_no);
    for (i = 0; i < 4; i++) /* unused slots repeat the last key's hash */
        p[i + 1] = CREDIT_PSTR(hashes[i < n ? i : n - 1]);
    if ((rv = credit_maria_write(s, sql[ck - case_kinds], p, 5, &rows)) != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    c = apr_pcalloc(s->pool, sizeof *c);
    c->kind = ck->kind;
    c->receipt_no = credit_rows_get(rows, 0, "receipt_no");
    c->status = credit_rows_get(rows, 0, "status");
    c->created_at = credit_rows_get(rows, 0, "created_at");
    c->title = credit_rows_get(rows, 0, "title");
    c->record_no = credit_rows_get(rows, 0, "record_no");
    c->due_on = credit_rows_get(rows, 0, "due_on");
    c->reply_due_on = credit_rows_get(rows, 0, "reply_due_on");
    c->reply = credit_rows_get(rows, 0, "reply");
    {
        credit_param_t e[2] = {CREDIT_PSTR(ck->kind),
                               CREDIT_PINT(atoll(credit_rows_get(rows, 0, "id")))};
        rv = credit_maria_write(
            s,
            "SELECT status, note, occurred_at FROM case_events WHERE case_type = ?"
            " AND case_id = ? ORDER BY occurred_at, id",
            e, 2, &ev);
    }
    if (rv != CREDIT_OK)
        return rv;
    c->events = apr_array_make(s->pool, ev->rows->nelts, sizeof(credit_case_event_t));
    for (i = 0; i < ev->rows->nelts; i++) {
        credit_case_event_t *e = apr_array_push(c->events);
        e->status = credit_rows_get(ev, i, "status");
        e->note = credit_rows_get(ev, i, "note");
        e->at = credit_rows_get(ev, i, "occurred_at");
    }
    *out = c;
    return CREDIT_OK;
}
