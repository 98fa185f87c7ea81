/* credit_dsn.h: the one-string form of the database settings, as in
 * CreditDB "host=127.0.0.1 port=3307 user=credit_ro password=... dbname=credit". */
#ifndef CREDIT_DSN_H
#define CREDIT_DSN_H

#include "credit.h"

/* The settings of one database connection (credit_db.h opens it). */
typedef struct {
    const char *host; /* NULL or "" with socket set: the socket is used */
    unsigned port;
    const char *socket;
    const char *user;
    const char *password;
    const char *password_file; /* password_file=: read by the glue into password */
    const char *name;
    unsigned connect_timeout; /* seconds */
    unsigned rw_timeout;      /* seconds, read and write */
    const char *first_sql;    /* run by each new connection before its first query, its
                                 result and errors ignored (the glue sets it, not a DSN key) */
} credit_db_params_t;

/* Parses space-separated key=value pairs (host port socket user password
 * password_file dbname connect_timeout timeout) into out; keys not given
 * are left as they are (password= and password_file= replace each other).
 * Returns NULL on success or an error message naming the bad key. */
const char *credit_dsn_parse(apr_pool_t *p, const char *dsn, credit_db_params_t *out);

/* The settings of another connection of the same database: the keys own
 * names (host port socket dbname timeouts, and user and password when
 * own_login is set), base's for the rest. */
void credit_dsn_inherit(const credit_db_params_t *base, const credit_db_params_t *own,
                        int own_login, credit_db_params_t *out);

/* The password in `text`, the content of a password file: its first line
 * without the line end and surrounding blanks. Returns NULL with *out set,
 * or an error message (empty, longer than 256 bytes, a control character). */
const char *credit_dsn_password_text(apr_pool_t *p, const char *text, apr_size_t len,
                                     const char **out);

/* Parses a decimal in [min, max]. Returns 1 on success, 0 otherwise. */
int credit_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);

#endif
