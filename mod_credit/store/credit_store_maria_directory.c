/* credit_store_maria_directory.c: an export's directory of subjects and
 * departments. An export of a district sends tens of thousands of rows;
 * joining each to its subject, its subject's employer and its department
 * cost MariaDB three index lookups per row, a third of its time for the
 * export (docs/BENCH.md, "The export's directory"). The demo's 1,000,000
 * records have 4,740 subjects and 156 departments: read once, they are
 * looked up per row here. */

#include <apr_hash.h>

#include "credit_store_maria.h"

/* An export expected to send fewer than DIR_ROWS rows joins them: reading
 * the directory would cost about what the joins save (the same at 8,433
 * rows and 4,740 subjects). So does one with more subjects than rows, or
 * than DIR_MAX (about 300 bytes each): the directory's read stops there. */
#define DIR_ROWS 8000
#define DIR_MAX  20000

struct credit_maria_dir {
    apr_hash_t *subjects;    /* subject id (unsigned long long) -> credit_subject_t */
    apr_hash_t *departments; /* department id (unsigned long long) -> name */
};

/* The subjects under the column names of RECORD_COLS, read as a joined
 * row's are (credit_maria_subject_at). */
#define DIR_SUBJECTS_SQL                                                                           \
    "SELECT id AS subject_id, name AS subject_name, kind AS subject_kind, credit_code,"            \
    " level AS subject_level, position, id_masked, employer_id FROM subjects LIMIT ?"

#define DIR_DEPARTMENTS_SQL "SELECT id, name FROM departments"

/* Each subject's employer (a subject too) by its name, as the statements'
 * LEFT JOIN of the employer reads it: none when it is not there. */
static void employers(apr_pool_t *p, credit_maria_dir_t *d)
{
    apr_hash_index_t *hi;
    for (hi = apr_hash_first(p, d->subjects); hi; hi = apr_hash_next(hi)) {
        credit_subject_t *sj = apr_hash_this_val(hi);
        const credit_subject_t *e = sj->employer_id ? apr_hash_get(d->subjects, &sj->employer_id,
                                                                   sizeof(unsigned long long))
                                                    : NULL;
        sj->employer_id = e ? e->id : 0;
        sj->employer_name = e ? e->name : NULL;
    }
}

/* The directory, read in the caller's snapshot: *out, or NULL when the
 * subjects are more than max (then the statement had better join them). */
static credit_status_t dir_load(credit_store_t *s, long long max, credit_maria_dir_t **out)
{
    credit_param_t p[1] = {CREDIT_PINT(max + 1)};
    credit_rows_t *subjects, *departments;
    credit_maria_cols_t cols;
    credit_maria_dir_t *d;
    credit_status_t rv;
    int i, id, name;

    *out = NULL;
    if ((rv = credit_maria_snapshot_query(s, DIR_SUBJECTS_SQL, p, 1, &subjects)) != CREDIT_OK ||
        subjects->rows->nelts > max ||
        (rv = credit_maria_snapshot_query(s, DIR_DEPARTMENTS_SQL, NULL, 0, &departments)) !=
            CREDIT_OK)
        return rv;
    d = apr_palloc(s->pool, sizeof *d);
    d->subjects = apr_hash_make(s->pool);
    d->departments = apr_hash_make(s->pool);
    credit_maria_cols(subjects, &cols);
    for (i = 0; i < subjects->rows->nelts; i++) {
        credit_subject_t *sj = apr_palloc(s->pool, sizeof *sj);
        credit_maria_subject_at(s->pool, subjects, &cols, i, sj);
        apr_hash_set(d->subjects, &sj->id, sizeof sj->id, sj);
    }
    employers(s->pool, d);
    id = credit_rows_col(departments, "id");
    name = credit_rows_col(departments, "name");
    for (i = 0; i < departments->rows->nelts; i++) {
        const char **row = APR_ARRAY_IDX(departments->rows, i, const char **);
        unsigned long long *k = apr_palloc(s->pool, sizeof *k);
        *k = credit_maria_ull(row[id]);
        apr_hash_set(d->departments, k, sizeof *k, row[name]);
    }
    *out = d;
    return CREDIT_OK;
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
    if (rows >= 0 && rows < DIR_ROWS)
        return CREDIT_OK;
    /* The directory and the rows from one snapshot: a subject written in
     * between is in both or in neither. */
    if ((rv = credit_maria_snapshot(s, own)) != CREDIT_OK)
        return rv;
    return dir_load(s, rows < 0 || rows > DIR_MAX ? DIR_MAX : rows, dir);
}

credit_status_t credit_maria_dir_end(credit_store_t *s, int own, credit_status_t rv)
{
    credit_status_t end;
    if (!own)
        return rv;
    end = credit_maria_end_snapshot(s);
    return rv != CREDIT_OK ? rv : end;
}
