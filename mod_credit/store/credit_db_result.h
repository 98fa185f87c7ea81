/* credit_db_result.h: a statement's result read into text, for
 * credit_db.c: the buffers every column is fetched into (integers and dates
 * in binary, the rest as text) and the row made of them. */
#ifndef CREDIT_DB_RESULT_H
#define CREDIT_DB_RESULT_H

#include <mysql.h>
#include <apr_pools.h>

/* Result buffers: a string for a text column (its longest value, or a
 * chunk of a streamed one), a long long or a MYSQL_TIME for the others. */
typedef struct {
    int ncols;
    const char **names;
    MYSQL_BIND *bind;
    unsigned long *lens;
    my_bool *nulls;
    unsigned char *kinds;
} credit_db_result_t;

/* Binds r to the columns of meta: use_max for a stored result (each
 * column's longest value is known), else a streamed one. */
void credit_db_result_bind(apr_pool_t *p, MYSQL_RES *meta, int use_max, credit_db_result_t *r);

/* The values of the row just fetched, copied into p (long ones fetched
 * whole): NULL for SQL NULL. */
const char **credit_db_result_row(MYSQL_STMT *st, apr_pool_t *p, credit_db_result_t *r);

#endif
