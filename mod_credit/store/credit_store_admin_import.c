/* credit_store_admin_import.c: JSON Lines imports of staff records, in
 * both modes: each line on its own (mode=each) or all or nothing
 * (mode=all: every line checked, official look-ups counted, then written
 * in one transaction). */

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_hash.h>
#include <json.h>

#include "credit_store_admin_records_int.h"
#include "credit_json_value.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

/* Who the line is about and which decision, for finding a line repeating
 * an earlier one of the same file. */
static const char *line_key(apr_pool_t *p, const credit_record_input_t *in)
{
    const char *who;
    if (in->subject_id)
        who = apr_psprintf(p, "id:%" APR_UINT64_T_FMT, (apr_uint64_t)in->subject_id);
    else if (!strcmp(in->subject.kind, "gov"))
        who = apr_pstrcat(p, "code:", in->subject.credit_code, NULL);
    else
        who = apr_pstrcat(p, "idcard:", in->subject.id_number, NULL);
    return apr_pstrcat(p, who, "\n", in->decision_no, NULL);
}

/* An import works on one line at a time in a pool of its own: s->pool
 * points to it while the line is read, checked and written (every row the
 * database returns lands there) and it is cleared before the next line.
 * What a line leaves (its number or its error, the key of a stored line)
 * is copied to the request's pool. */
typedef struct {
    credit_store_t *s;
    const credit_staff_t *st;
    const credit_keys_t *keys;
    credit_lookup_budget_t *budget;
    credit_date_t today;
    int lookups;               /* mode=all: valid lines whose number is to be looked up */
    apr_pool_t *req;           /* the request's pool (s->pool outside a line) */
    apr_pool_t *line;          /* the line's pool */
    apr_hash_t *seen;          /* line_key -> "N" of the line that has it */
    apr_array_header_t *years; /* mode=all: the disclosure years (long long), each once */
} import_t;

static void line_begin(import_t *im)
{
    apr_pool_clear(im->line);
    im->s->pool = im->line;
}

static void line_end(import_t *im)
{
    im->s->pool = im->req;
}

static void line_failed(import_t *im, credit_import_line_t *ln, const credit_field_error_t *e)
{
    ln->ok = 0;
    ln->record_no = NULL;
    credit_field_error_copy(im->req, &ln->err, e);
}

/* Reads line ln into *in and finds a repeated line; 0 when the line failed
 * (its error is kept). */
static int line_read(import_t *im, credit_import_line_t *ln, credit_record_input_t *in,
                     const char **key)
{
    credit_field_error_t e;
    const char *first;
    if (!credit_admin_import_line(im->line, ln, im->today, in, &e)) {
        line_failed(im, ln, &e);
        return 0;
    }
    *key = line_key(im->line, in);
    if ((first = apr_hash_get(im->seen, *key, APR_HASH_KEY_STRING)) != NULL) {
        bad(im->s, &e, CREDIT_ECONFLICT, "duplicate", "decision_no",
            apr_pstrcat(im->line, "the same subject and decision_no as line ", first,
                        " (nothing stored for this line)", NULL));
        line_failed(im, ln, &e);
        return 0;
    }
    return 1;
}

static void line_seen(import_t *im, const credit_import_line_t *ln, const char *key)
{
    apr_hash_set(im->seen, apr_pstrdup(im->req, key), APR_HASH_KEY_STRING,
                 apr_psprintf(im->req, "%d", ln->line));
}

/* mode=each: every line in its own transaction. */
static credit_status_t import_each(import_t *im, apr_array_header_t *lines, int *stored)
{
    credit_store_t *s = im->s;
    int i;
    for (i = 0; i < lines->nelts; i++) {
        credit_import_line_t *ln = &APR_ARRAY_IDX(lines, i, credit_import_line_t);
        credit_record_input_t in;
        credit_field_error_t e = {0};
        const char *key, *no;
        credit_status_t rv;
        if (ln->blank)
            continue;
        line_begin(im);
        if (!line_read(im, ln, &in, &key)) {
            line_end(im);
            continue;
        }
        if ((rv = A("START TRANSACTION", NULL, 0, NULL)) == CREDIT_OK) {
            int keep = 0;
            rv = credit_admin_create_one(s, im->st, im->keys, im->budget, &in, ln->line, &no, &e,
                                         &keep);
            rv = credit_admin_finish(s, rv, keep);
        }
        if (rv == CREDIT_EINVAL || ((rv == CREDIT_ECONFLICT || rv == CREDIT_ELIMIT) && e.code)) {
            line_failed(im, ln, &e);
            line_end(im);
            continue;
        }
        if (rv != CREDIT_OK) {
            line_end(im);
            return rv;
        }
        ln->ok = 1;
        ln->record_no = apr_pstrdup(im->req, no);
        line_seen(im, ln, key);
        (*stored)++;
        line_end(im);
    }
    return CREDIT_OK;
}

static int cmp_year(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* mode=all, first step: every line read and checked by plain reads,
 * nothing locked, nothing written, no ID-card number looked up (the lines
 * of inline officials stay unchecked); *failed counts the lines that
 * failed.
 * Returns CREDIT_OK, or a database error. */
static credit_status_t import_check(import_t *im, apr_array_header_t *lines, int *failed)
{
    credit_status_t rv;
    int i, j;
    for (i = 0; i < lines->nelts; i++) {
        credit_import_line_t *ln = &APR_ARRAY_IDX(lines, i, credit_import_line_t);
        credit_record_input_t in;
        credit_field_error_t e = {0};
        unsigned long long dept;
        credit_admin_subject_row_t sj;
        const char *key;
        long long year;
        if (ln->blank)
            continue;
        line_begin(im);
        if (!line_read(im, ln, &in, &key)) {
            (*failed)++;
            line_end(im);
            continue;
        }
        /* Nothing is looked up among the registered officials here: a
         * refused import must not tell whose number is registered. */
        rv = credit_admin_check_record(im->s, im->st, im->keys, &in, 0, 0, &dept, &sj, &e);
        if (rv == CREDIT_EINVAL || (rv == CREDIT_ECONFLICT && e.code)) {
            line_failed(im, ln, &e);
            (*failed)++;
            line_end(im);
            continue;
        }
        if (rv != CREDIT_OK) {
            line_end(im);
            return rv;
        }
        ln->ok = 1;
        if ((ln->unchecked = credit_admin_needs_lookup(im->st, &in)) != 0)
            im->lookups++;
        line_seen(im, ln, key);
        year = credit_admin_year_of(&in);
        for (j = 0; j < im->years->nelts && APR_ARRAY_IDX(im->years, j, long long) != year; j++)
            ;
        if (j == im->years->nelts)
            APR_ARRAY_PUSH(im->years, long long) = year;
        line_end(im);
    }
    return CREDIT_OK;
}

/* mode=all, inside import_write's transaction after its locks: the
 * numbers of the inline officials looked up in line order while the
 * budget has room; a registered one fails its line (official_exists, its
 * audit row written); once the budget is used the lines after stay
 * unchecked. *failed counts the registered ones. */
static credit_status_t import_lookups(import_t *im, apr_array_header_t *lines, int *failed)
{
    credit_store_t *s = im->s;
    credit_lookup_budget_t *b = im->budget;
    int i;
    for (i = 0; i < lines->nelts && b->used < b->limit; i++) {
        credit_import_line_t *ln = &APR_ARRAY_IDX(lines, i, credit_import_line_t);
        credit_record_input_t in;
        credit_field_error_t e = {0};
        unsigned long long found = 0;
        credit_status_t rv;
        if (ln->blank || !ln->ok || !ln->unchecked)
            continue;
        line_begin(im);
        if (!credit_admin_import_line(im->line, ln, im->today, &in, &e)) {
            line_end(im); /* it was valid a moment ago: a bug */
            return CREDIT_EINTERNAL;
        }
        rv = credit_admin_registered_official(s, im->keys, in.subject.id_number, &found);
        if (rv == CREDIT_OK && found &&
            (rv = credit_admin_lookup_found(s, im->st, b, found, ln->line)) == CREDIT_OK) {
            credit_admin_official_exists(s, &e, found);
            line_failed(im, ln, &e);
            (*failed)++;
        }
        if (rv == CREDIT_OK)
            ln->unchecked = 0;
        line_end(im);
        if (rv != CREDIT_OK)
            return rv;
    }
    return CREDIT_OK;
}

/* mode=all, second step, when every line passed the first: one
 * transaction takes the login's look-up lock (when a line gives an inline
 * official), locks the years' counters (in year order, as every creation
 * takes them first: no deadlock), looks the inline officials' numbers up
 * within the budget (import_lookups; a registered one fails the import,
 * and only the audit rows of the look-ups are committed), checks each
 * line again under its locks (a concurrent write may have come first),
 * writes it with the next number of its year and sets the counters at the
 * end. The counters are held from the start of this step to its COMMIT
 * only: a record created meanwhile waits at most that long. A line
 * failing here fails the import (*failed). Returns CREDIT_ELIMIT when the
 * budget was used up before the first look-up (nothing looked up). */
static credit_status_t import_write(import_t *im, apr_array_header_t *lines, int *failed)
{
    credit_store_t *s = im->s;
    int nyears = im->years->nelts, i, j;
    long long *last = apr_pcalloc(im->req, sizeof(long long) * (apr_size_t)(nyears ? nyears : 1));
    long long *years = (long long *)im->years->elts;
    credit_status_t rv;

    qsort(years, (size_t)nyears, sizeof(long long), cmp_year);
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    if (im->lookups && (rv = credit_admin_lookup_lock(s, im->st)) != CREDIT_OK)
        goto fail;
    for (j = 0; j < nyears; j++)
        if ((rv = credit_admin_lock_year(s, years[j])) != CREDIT_OK ||
            (rv = credit_admin_last_number(s, years[j], &last[j])) != CREDIT_OK)
            goto fail;
    if (im->lookups) {
        if ((rv = credit_admin_lookup_room(s, im->st, im->budget)) != CREDIT_OK ||
            (rv = import_lookups(im, lines, failed)) != CREDIT_OK)
            goto fail;
        if (*failed) {
            /* Nothing written but the look-ups' audit rows (and the
             * counters' rows, unchanged). */
            if ((rv = A("COMMIT", NULL, 0, NULL)) != CREDIT_OK)
                goto fail;
            return CREDIT_OK;
        }
    }
    for (i = 0; i < lines->nelts; i++) {
        credit_import_line_t *ln = &APR_ARRAY_IDX(lines, i, credit_import_line_t);
        credit_record_input_t in;
        credit_field_error_t e = {0};
        unsigned long long dept = 0;
        credit_admin_subject_row_t sj;
        const char *no = NULL, *rno = NULL;
        if (ln->blank)
            continue;
        line_begin(im);
        if (!credit_admin_import_line(im->line, ln, im->today, &in, &e)) {
            line_end(im); /* it was valid a moment ago: a bug */
            rv = CREDIT_EINTERNAL;
            goto fail;
        }
        for (j = 0; j < nyears && years[j] != credit_admin_year_of(&in); j++)
            ;
        if (j == nyears) {
            line_end(im);
            rv = CREDIT_EINTERNAL;
            goto fail;
        }
        /* The numbers were looked up above, in this transaction's
         * snapshot; one registered since meets its unique key at the
         * insert (a conflict, nothing stored). */
        if ((rv = credit_admin_check_record(s, im->st, im->keys, &in, 1, 0, &dept, &sj, &e)) ==
                CREDIT_OK &&
            (rv = credit_admin_format_number(s, years[j], last[j] + 1, &no, &e)) == CREDIT_OK)
            rv = credit_admin_write_record(s, im->st, &in, dept, &sj, no, &rno, &e);
        if (rv == CREDIT_EINVAL || (rv == CREDIT_ECONFLICT && e.code)) {
            line_failed(im, ln, &e);
            line_end(im);
            (*failed)++;
            credit_admin_rollback(s, CREDIT_OK);
            for (i = 0; i < lines->nelts; i++)
                APR_ARRAY_IDX(lines, i, credit_import_line_t).record_no = NULL;
            return CREDIT_OK;
        }
        if (rv != CREDIT_OK) {
            line_end(im);
            goto fail;
        }
        last[j]++;
        ln->record_no = apr_pstrdup(im->req, rno);
        line_end(im);
    }
    for (j = 0; j < nyears; j++)
        if ((rv = credit_admin_set_last_number(s, years[j], last[j])) != CREDIT_OK)
            goto fail;
    if ((rv = A("COMMIT", NULL, 0, NULL)) != CREDIT_OK)
        goto fail;
    return CREDIT_OK;
fail:
    credit_admin_rollback(s, rv);
    for (i = 0; i < lines->nelts; i++)
        APR_ARRAY_IDX(lines, i, credit_import_line_t).record_no = NULL;
    return rv;
}

credit_status_t credit_admin_record_import(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys, credit_lookup_budget_t *b,
                                           credit_date_t today, apr_array_header_t *lines,
                                           credit_import_mode_t mode, int *stored)
{
    import_t im;
    credit_status_t rv = CREDIT_OK;
    int i, failed = 0;

    *stored = 0;
    memset(&im, 0, sizeof im);
    im.s = s;
    im.st = st;
    im.keys = keys;
    im.budget = b;
    im.today = today;
    im.req = s->pool;
    if (apr_pool_create(&im.line, im.req) != APR_SUCCESS)
        return CREDIT_EINTERNAL;
    im.seen = apr_hash_make(im.req);
    im.years = apr_array_make(im.req, 4, sizeof(long long));
    if (mode == CREDIT_IMPORT_EACH) {
        rv = import_each(&im, lines, stored);
    } else if ((rv = import_check(&im, lines, &failed)) == CREDIT_OK && failed == 0 &&
               (rv = import_write(&im, lines, &failed)) == CREDIT_OK && failed == 0) {
        for (i = 0; i < lines->nelts; i++)
            if (APR_ARRAY_IDX(lines, i, credit_import_line_t).record_no)
                (*stored)++;
    }
    apr_pool_destroy(im.line);
    return rv;
}
