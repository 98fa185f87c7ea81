/* credit_dsn.h: the one-string form of the database settings, as in
 * CreditDB "host=127.0.0.1 port=3307 user=credit_ro password=... dbname=credit". */
#ifndef CREDIT_DSN_H
#define CREDIT_DSN_H

#include "credit_db.h"

/* Parses space-separated key=value pairs (host port socket user password
 * dbname connect_timeout timeout) into out; keys not given are left as
 * they are. Returns NULL on success or an error message naming the bad key. */
const char *credit_dsn_parse(apr_pool_t *p, const char *dsn, credit_db_params_t *out);

/* The settings of another connection of the same database: the keys own
 * names (host port socket dbname timeouts, and user and password when
 * own_login is set), base's for the rest. */
void credit_dsn_inherit(const credit_db_params_t *base, const credit_db_params_t *own,
                        int own_login, credit_db_params_t *out);

/* Parses a decimal in [min, max]. Returns 1 on success, 0 otherwise. */
int credit_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);

#endif
