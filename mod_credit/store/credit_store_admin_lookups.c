/* credit_store_admin_lookups.c: the per-login budget of look-ups that
 * tell whether an ID-card number is registered (see credit_lookup_budget_t
 * in credit_store_admin_records.h). The count is the audit log's rows of
 * action official_exists (index ix_audit_lookups, sql/014); prepared
 * statements only. */
#include <stdlib.h>
#include <apr_strings.h>
#include <json.h>

#include "credit_store_admin_records.h"
#include "credit_json_value.h"
#include "credit_store_maria.h"

#define A(sql, p, n, out) credit_maria_admin(s, sql, p, n, out)

/* The audit action of a look-up that found a registered official. */
#define LOOKUP_ACTION "official_exists"

credit_status_t credit_admin_lookup_lock(credit_store_t *s, const credit_staff_t *st)
{
    credit_param_t p[1] = {CREDIT_PSTR(st->username)};
    credit_rows_t *rows;
    credit_status_t rv = A("SELECT username FROM staff WHERE username = ? FOR UPDATE", p, 1, &rows);
    if (rv == CREDIT_OK && rows->rows->nelts != 1)
        return CREDIT_EINTERNAL; /* the login's row was there a moment ago */
    return rv;
}

credit_status_t credit_admin_lookup_room(credit_store_t *s, const credit_staff_t *st,
                                         credit_lookup_budget_t *b)
{
    /* The newest `limit` found look-ups of the window: when there are that
     * many, the budget has room again when the last of them (the oldest)
     * leaves the window. */
    credit_param_t p[4] = {CREDIT_PINT(b->window), CREDIT_PSTR(st->username),
                           CREDIT_PINT(b->window), CREDIT_PINT(b->limit)};
    credit_rows_t *rows;
    credit_status_t rv;
    const char *wait;
    rv = A("SELECT CEIL(TIMESTAMPDIFF(MICROSECOND, NOW(3), at + INTERVAL ? SECOND) / 1000000)"
           " AS wait FROM audit_log WHERE actor = ? AND action = '" LOOKUP_ACTION "'"
           " AND at > NOW(3) - INTERVAL ? SECOND ORDER BY at DESC LIMIT ?",
           p, 4, &rows);
    if (rv != CREDIT_OK)
        return rv;
    b->used = rows->rows->nelts;
    if (b->used < b->limit)
        return CREDIT_OK;
    wait = credit_rows_get(rows, b->used - 1, "wait");
    b->retry_after = wait ? atoi(wait) : b->window;
    if (b->retry_after < 1)
        b->retry_after = 1;
    b->refused++;
    return CREDIT_ELIMIT;
}

credit_status_t credit_admin_lookup_found(credit_store_t *s, const credit_staff_t *st,
                                          credit_lookup_budget_t *b, unsigned long long subject_id,
                                          int line)
{
    /* Who, when (the row's own time), which official; never the number. */
    json_object *after = json_object_new_object();
    credit_status_t rv;
    credit_json_str(after, "answer",
                    "an ID-card number given for a new official is this "
                    "official's");
    if (line > 0)
        json_object_object_add(after, "import_line", json_object_new_int(line));
    rv = credit_admin_audit_write(s, st, LOOKUP_ACTION, "subject", subject_id, NULL,
                                  credit_admin_json_text(s, after));
    if (rv == CREDIT_OK) {
        b->used++;
        b->found++;
    }
    return rv;
}
