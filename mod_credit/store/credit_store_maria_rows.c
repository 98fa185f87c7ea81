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

void credit_maria_subject(apr_pool_t *p, const credit_rows_t *rows, int i, credit_subject_t *sj)
{
    const char *v;
    sj->id = credit_maria_ull(credit_rows_get(rows, i, "subject_id"));
    sj->name = credit_rows_get(rows, i, "subject_name");
    sj->kind = credit_rows_get(rows, i, "subject_kind");
    sj->credit_code = credit_rows_get(rows, i, "credit_code");
    sj->district = credit_rows_get(rows, i, "district");
    sj->level = credit_rows_get(rows, i, "subject_level");
    sj->position = credit_rows_get(rows, i, "position");
    /* Masked again on the way out, whatever the column holds. */
    sj->id_masked = credit_mask_id(p, credit_rows_get(rows, i, "id_masked"));
    v = credit_rows_get(rows, i, "employer_id");
    sj->employer_id = credit_maria_ull(v);
    sj->employer_name = credit_rows_get(rows, i, "employer_name");
}

credit_record_t *credit_maria_record(credit_store_t *s, apr_pool_t *p, const credit_rows_t *rows,
                                     int i)
{
    credit_record_t *r = apr_pcalloc(p, sizeof *r);
#define COL(name) credit_rows_get(rows, i, name)
    r->id = credit_maria_ull(COL("id"));
    r->record_no = COL("record_no");
    r->category = COL("category");
    r->domain = COL("domain");
    r->severity = COL("severity");
    r->status = COL("status");
    r->title = COL("title");
    r->decision_no = COL("decision_no");
    r->authority = COL("authority");
    r->decided_on = COL("decided_on");
    credit_maria_date(COL("disclosed_on"), &r->clock.disclosed);
    credit_maria_date(COL("repair_from"), &r->clock.repair_from);
    credit_maria_date(COL("withdraw_on"), &r->clock.withdraw_on);
    r->withdrawn_on = COL("withdrawn_on");
    r->updated_at = COL("updated_at");
    r->amount = COL("amount");
    credit_maria_subject(p, rows, i, &r->subject);
    r->facts = COL("facts");
    r->legal_basis = COL("legal_basis");
    r->rectification = COL("rectification");
    r->rectify_due = COL("rectify_due");
    r->rectified = COL("rectified") && strcmp(COL("rectified"), "1") == 0;
    r->correction_note = COL("correction_note");
    r->department = COL("department");
#undef COL
    r->visibility = credit_visibility(r->status, &r->clock, s->today);
    return r;
}
