/* credit_store_maria.h: what the MariaDB store's files share (internal to
 * credit_store_maria*.c; pages never include it). */
#ifndef CREDIT_STORE_MARIA_H
#define CREDIT_STORE_MARIA_H

#include "credit_store.h"
#include "credit_db.h"

/* The withdrawal rule (SPEC 3) as SQL over alias r; parameters today, today.
 * credit_visibility() in credit_rules.c is the same rule for one record. */
#define CREDIT_PUBLIC_SQL                                                                          \
    " r.status IN ('published','contested','corrected')"                                           \
    " AND r.disclosed_on <= ? AND r.withdraw_on > ?"

/* Runs one read statement (the read-only user), replacing a dead
 * connection once. Errors as credit_db_query. */
credit_status_t credit_maria_read(credit_store_t *s, const char *sql, const credit_param_t *params,
                                  int n, credit_rows_t **out);

/* The request's today as "YYYY-MM-DD" (the one clock of the rules). */
const char *credit_maria_today(credit_store_t *s);

#endif
