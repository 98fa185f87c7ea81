/* credit_store_maria_rows.c: rows of the record queries -> records and
 * subjects (the columns of RECORD_COLS, RECORD_DETAIL_COLS), and the
 * store's day as SQL text. */

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_store_maria.h"
#include "credit_rules.h"
#include "credit_validate.h"

const char *credit_maria_today(credit_store_t *s)
{
    char buf[16];
    return apr_pstrdup(s->pool, credit_date_fmt(s->today, buf));
}

int credit_maria_date(const char *v, credit_date_t *d)
{
    if (v && credit_date_parse(v, d))
        return 1;
    d->y = d->m = d->d = 0;
    return 0;
}

unsigned long long credit_maria_ull(const char *v)
{
    return v ? strtoull(v, NULL, 10) : 0;
}

/* The columns a record and its subject are read from, in the order of
 * credit_maria_cols_t's at[]. */
static const char *const record_cols[CREDIT_MARIA_COLS] = {
    "subject_id",    "subject_name",  "subject_kind", "credit_code",
    "district",      "subject_level", "position",     "id_masked",
    "employer_id",   "employer_name", "id",           "record_no",
    "category",      "domain",        "severity",     "status",
    "title",         "decision_no",   "authority",    "decided_on",
    "disclosed_on",  "repair_from",   "withdraw_on",  "withdrawn_on",
    "updated_at",    "amount",        "facts",        "legal_basis",
    "rectification", "rectify_due",   "rectified",    "correction_note",
    "department"};

enum {
    C_SUBJECT_ID = 0,
    C_SUBJECT_NAME,
    C_SUBJECT_KIND,
    C_CREDIT_CODE,
    C_DISTRICT,
    C_SUBJECT_LEVEL,
    C_POSITION,
    C_ID_MASKED,
    C_EMPLOYER_ID,
    C_EMPLOYER_NAME,
    C_ID,
    C_RECORD_NO,
    C_CATEGORY,
    C_DOMAIN,
    C_SEVERITY,
    C_STATUS,
    C_TITLE,
    C_DECISION_NO,
    C_AUTHORITY,
    C_DECIDED_ON,
    C_DISCLOSED_ON,
    C_REPAIR_FROM,
    C_WITHDRAW_ON,
    C_WITHDRAWN_ON,
    C_UPDATED_AT,
    C_AMOUNT,
    C_FACTS,
    C_LEGAL_BASIS,
    C_RECTIFICATION,
    C_RECTIFY_DUE,
    C_RECTIFIED,
    C_CORRECTION_NOTE,
    C_DEPARTMENT
};
_Static_assert(C_DEPARTMENT + 1 == CREDIT_MARIA_COLS, "one name per column");

const char *credit_maria_detail_cols(int detail)
{
    return detail == CREDIT_DETAIL_FULL     ? RECORD_COLS RECORD_DETAIL_COLS
           : detail == CREDIT_DETAIL_EXPORT ? RECORD_COLS RECORD_TEXT_COLS RECORD_NAMES_COLS
           : detail == CREDIT_DETAIL_FACTS  ? RECORD_COLS ", r.facts"
                                            : RECORD_COLS;
}

const char *credit_maria_detail_joins(int detail)
{
    return detail == CREDIT_DETAIL_FULL || detail == CREDIT_DETAIL_EXPORT ? RECORD_JOINS
                                                                          : RECORD_SUBJECT_JOIN;
}

const char *credit_maria_export_cols(const credit_maria_dir_t *dir, int detail)
{
    if (!dir)
        return credit_maria_detail_cols(detail);
    return detail == CREDIT_DETAIL_EXPORT ? RECORD_DIR_COLS RECORD_TEXT_COLS
                                          : RECORD_DIR_COLS RECORD_LONG_COLS;
}

const char *credit_maria_export_joins(const credit_maria_dir_t *dir)
{
    return dir ? "" : RECORD_JOINS;
}

void credit_maria_cols(const credit_rows_t *rows, credit_maria_cols_t *out)
{
    int k;
    for (k = 0; k < CREDIT_MARIA_COLS; k++)
        out->at[k] = credit_rows_col(rows, record_cols[k]);
}

/* The value of column k (a C_* index) of row i; NULL when the query has no
 * such column or row (as credit_rows_get). */
static const char *col(const credit_rows_t *rows, const credit_maria_cols_t *c, int i, int k)
{
    if (c->at[k] < 0 || i < 0 || i >= rows->rows->nelts)
        return NULL;
    return APR_ARRAY_IDX(rows->rows, i, const char **)[c->at[k]];
}

void credit_maria_subject_at(apr_pool_t *p, const credit_rows_t *rows, const credit_maria_cols_t *c,
                             int i, credit_subject_t *sj)
{
    sj->id = credit_maria_ull(col(rows, c, i, C_SUBJECT_ID));
    sj->name = col(rows, c, i, C_SUBJECT_NAME);
    sj->kind = col(rows, c, i, C_SUBJECT_KIND);
    sj->credit_code = col(rows, c, i, C_CREDIT_CODE);
    sj->district = col(rows, c, i, C_DISTRICT);
    sj->level = col(rows, c, i, C_SUBJECT_LEVEL);
    sj->position = col(rows, c, i, C_POSITION);
    /* Masked again on the way out, whatever the column holds. */
    sj->id_masked = credit_mask_id(p, col(rows, c, i, C_ID_MASKED));
    sj->employer_id = credit_maria_ull(col(rows, c, i, C_EMPLOYER_ID));
    sj->employer_name = col(rows, c, i, C_EMPLOYER_NAME);
}

void credit_maria_subject(apr_pool_t *p, const credit_rows_t *rows, int i, credit_subject_t *sj)
{
    credit_maria_cols_t c;
    credit_maria_cols(rows, &c);
    credit_maria_subject_at(p, rows, &c, i, sj);
}

credit_record_t *credit_maria_record_at(credit_store_t *s, apr_pool_t *p, const credit_rows_t *rows,
                                        const credit_maria_cols_t *c, int i)
{
    credit_record_t *r = apr_pcalloc(p, sizeof *r);
    const char *rectified;
#define COL(k) col(rows, c, i, k)
    r->id = credit_maria_ull(COL(C_ID));
    r->record_no = COL(C_RECORD_NO);
    r->category = COL(C_CATEGORY);
    r->domain = COL(C_DOMAIN);
    r->severity = COL(C_SEVERITY);
    r->status = COL(C_STATUS);
    r->title = COL(C_TITLE);
    r->decision_no = COL(C_DECISION_NO);
    r->authority = COL(C_AUTHORITY);
    r->decided_on = COL(C_DECIDED_ON);
    credit_maria_date(COL(C_DISCLOSED_ON), &r->clock.disclosed);
    credit_maria_date(COL(C_REPAIR_FROM), &r->clock.repair_from);
    credit_maria_date(COL(C_WITHDRAW_ON), &r->clock.withdraw_on);
    r->withdrawn_on = COL(C_WITHDRAWN_ON);
    r->updated_at = COL(C_UPDATED_AT);
    r->amount = COL(C_AMOUNT);
    credit_maria_subject_at(p, rows, c, i, &r->subject);
    r->facts = COL(C_FACTS);
    r->legal_basis = COL(C_LEGAL_BASIS);
    r->rectification = COL(C_RECTIFICATION);
    r->rectify_due = COL(C_RECTIFY_DUE);
    rectified = COL(C_RECTIFIED);
    r->rectified = rectified && strcmp(rectified, "1") == 0;
    r->correction_note = COL(C_CORRECTION_NOTE);
    r->department = COL(C_DEPARTMENT);
#undef COL
    r->visibility = credit_visibility(r->status, &r->clock, s->today);
    return r;
}

credit_record_t *credit_maria_record(credit_store_t *s, apr_pool_t *p, const credit_rows_t *rows,
                                     int i)
{
    credit_maria_cols_t c;
    credit_maria_cols(rows, &c);
    return credit_maria_record_at(s, p, rows, &c, i);
}
