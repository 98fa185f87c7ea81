/* credit_store_maria_directory.c: an export's directory of subjects and
 * departments. An export of a district sends tens of thousands of rows;
 * joining each to its subject, its subject's employer and its department
 * cost MariaDB three index lookups per row, a third of its time for the
 * export (docs/BENCH.md, "The export's directory"). The demo's 1,000,000
 * records have 4,740 subjects and 156 departments: read once, they are
 * looked up per row here. */

#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include "credit_store_maria.h"
#include "credit_rules.h"

struct credit_maria_dir {
    apr_hash_t *subjects;    /* subject id (unsigned long long) -> credit_subject_t */
    apr_hash_t *departments; /* department id (unsigned long long) -> name */
    long long max, nsubjects;
    apr_pool_t *pool;
};

#define DIR_SUBJECTS_SQL                                                                           \
    "SELECT id, name, kind, credit_code, level, position, id_masked, employer_id"                  \
    " FROM subjects LIMIT ?"

#define DIR_DEPARTMENTS_SQL "SELECT id, name FROM departments"

static unsigned long long *id_key(apr_pool_t *p, const char *v)
{
    unsigned long long *k = apr_palloc(p, sizeof *k);
    *k = credit_maria_ull(v);
    return k;
}

static const char *copy(apr_pool_t *p, const char *v)
{
    return v ? apr_pstrdup(p, v) : NULL;
}

static int subject_row(void *ctx, apr_pool_t *rowpool, const char *const *names,
                       const char *const *v, int ncols)
{
    credit_maria_dir_t *d = ctx;
    credit_subject_t *sj;
    if (ncols != 8 || ++d->nsubjects > d->max)
        return 1;
    sj = apr_pcalloc(d->pool, sizeof *sj);
    sj->id = credit_maria_ull(v[0]);
    sj->name = copy(d->pool, v[1]);
    sj->kind = copy(d->pool, v[2]);
    sj->credit_code = copy(d->pool, v[3]);
    sj->level = copy(d->pool, v[4]);
    sj->position = copy(d->pool, v[5]);
    /* Masked once here, as subject_at masks a joined row's. */
    sj->id_masked = credit_mask_id(d->pool, v[6]);
    sj->employer_id = credit_maria_ull(v[7]); /* its name: employers(), once all are read */
    apr_hash_set(d->subjects, id_key(d->pool, v[0]), sizeof(unsigned long long), sj);
    return 0;
}

static int department_row(void *ctx, apr_pool_t *rowpool, const char *const *names,
                          const char *const *v, int ncols)
{
    credit_maria_dir_t *d = ctx;
    if (ncols != 2)
        return 1;
    apr_hash_set(d->departments, id_key(d->pool, v[0]), sizeof(unsigned long long),
                 copy(d->pool, v[1]));
    return 0;
}

/* Each subject's employer (a subject too) by its name, as the statements'
 * LEFT JOIN of the employer reads it: none when it is not there. */
static void employers(credit_maria_dir_t *d)
{
    apr_hash_index_t *hi;
    for (hi = apr_hash_first(d->pool, d->subjects); hi; hi = apr_hash_next(hi)) {
        credit_subject_t *sj = apr_hash_this_val(hi);
        const credit_subject_t *e = sj->employer_id ? apr_hash_get(d->subjects, &sj->employer_id,
                                                                   sizeof(unsigned long long))
                                                    : NULL;
        sj->employer_id = e ? e->id : 0;
        sj->employer_name = e ? e->name : NULL;
    }
}

credit_status_t credit_maria_dir_load(credit_store_t *s, long long max, credit_maria_dir_t **out)
{
    credit_maria_dir_t *d = apr_pcalloc(s->pool, sizeof *d);
    credit_param_t p[1] = {CREDIT_PINT(max + 1)};
    credit_conn_t *c;
    credit_status_t rv;

    *out = NULL;
    d->pool = s->pool;
    d->max = max;
    d->subjects = apr_hash_make(s->pool);
    d->departments = apr_hash_make(s->pool);
    if ((rv = credit_maria_conn(s, &c)) != CREDIT_OK)
        return rv;
    /* The statements run on the request's read connection in the caller's
     * snapshot: no retry on another connection, which would leave it. */
    if ((rv = credit_db_each(c, s->pool, DIR_SUBJECTS_SQL, p, 1, subject_row, d)) == CREDIT_OK &&
        d->nsubjects <= max)
        rv = credit_db_each(c, s->pool, DIR_DEPARTMENTS_SQL, NULL, 0, department_row, d);
    if (rv == CREDIT_EUNAVAIL)
        credit_maria_conn_lost(s);
    if (rv == CREDIT_OK && d->nsubjects <= max) {
        employers(d);
        *out = d;
    }
    return rv;
}

void credit_maria_dir_fill(const credit_maria_dir_t *d, unsigned long long department_id,
                           credit_record_t *r)
{
    const credit_subject_t *sj =
        apr_hash_get(d->subjects, &r->subject.id, sizeof(unsigned long long));
    const char *district = r->subject.district;
    if (sj) {
        r->subject = *sj;
        r->subject.district = district; /* the record's, as RECORD_COLS reads it */
    }
    r->department = apr_hash_get(d->departments, &department_id, sizeof(unsigned long long));
}

credit_status_t credit_maria_dir_begin(credit_store_t *s, long long rows, credit_maria_dir_t **dir,
                                       int *own)
{
    credit_status_t rv;
    *dir = NULL;
    *own = 0;
    if (rows >= 0 && rows < CREDIT_MARIA_DIR_ROWS)
        return CREDIT_OK;
    /* The directory and the rows from one snapshot: a subject written in
     * between is in both or in neither. */
    *own = !credit_maria_in_snapshot(s);
    if (*own && (rv = credit_maria_snapshot(s)) != CREDIT_OK) {
        *own = 0;
        return rv;
    }
    return credit_maria_dir_load(
        s, rows < 0 || rows > CREDIT_MARIA_DIR_MAX ? CREDIT_MARIA_DIR_MAX : rows, dir);
}

credit_status_t credit_maria_dir_end(credit_store_t *s, int own, credit_status_t rv)
{
    credit_status_t end;
    if (!own)
        return rv;
    end = credit_maria_end_snapshot(s);
    return rv != CREDIT_OK ? rv : end;
}
