/* credit_store_admin_subjects.c: the subject of a staff record: who may
 * give an inline official, the budgeted look-up of a registered official
 * by ID-card number, finding an existing subject and inserting a new one. */

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

/* Who may give an inline official: city-level staff only. A department's
 * staff name an existing official by subject_id. Checked before anything
 * that reads the ID-card number, so the answer is the same whatever the
 * number is. */
credit_status_t credit_admin_official_allowed(credit_store_t *s, const credit_staff_t *st,
                                              const credit_record_input_t *in,
                                              credit_field_error_t *err)
{
    if (in->subject_id || strcmp(in->subject.kind, "official") != 0 || !st->department_id)
        return CREDIT_OK;
    return bad(s, err, CREDIT_EINVAL, "not_allowed", "subject",
               "a department's staff give an existing official as subject_id; new officials "
               "are registered by city-level staff");
}

/* Whether an inline official is to be looked up among the registered
 * officials: city-level staff giving one (a department's staff are
 * refused before, whatever the number). */
int credit_admin_needs_lookup(const credit_staff_t *st, const credit_record_input_t *in)
{
    return !in->subject_id && !strcmp(in->subject.kind, "official") && !st->department_id;
}

/* The registered official whose ID-card number is id_number, under every
 * key of the rotation (the same person under an older key): *found is its
 * id, 0 for none. Plain reads: a locking read of a missing key would hold
 * a gap lock on subjects until the end of the transaction. */
credit_status_t credit_admin_registered_official(credit_store_t *s, const credit_keys_t *keys,
                                                 const char *id_number, unsigned long long *found)
{
    unsigned char h[32];
    credit_rows_t *rows;
    credit_status_t rv;
    int k;
    *found = 0;
    for (k = 0; k < keys->n; k++) {
        credit_param_t p[1];
        credit_token_hash(keys, k, "idcard", id_number, h);
        p[0] = CREDIT_PSTR(credit_hex(s->pool, h, sizeof h));
        if ((rv = A("SELECT id FROM subjects WHERE id_hash = UNHEX(?)", p, 1, &rows)) != CREDIT_OK)
            return rv;
        if (rows->rows->nelts > 0) {
            *found = strtoull(credit_rows_get(rows, 0, "id"), NULL, 10);
            return CREDIT_OK;
        }
    }
    return CREDIT_OK;
}

/* The official_exists error of a registered official: it names the
 * official by subject id, never the number. */
credit_status_t credit_admin_official_exists(credit_store_t *s, credit_field_error_t *err,
                                             unsigned long long id)
{
    bad(s, err, CREDIT_ECONFLICT, "official_exists", "subject.id_number",
        apr_psprintf(s->pool,
                     "an official with this ID-card number is already registered as subject "
                     "%" APR_UINT64_T_FMT ": give subject_id %" APR_UINT64_T_FMT
                     " (an inline subject registers a new official)",
                     (apr_uint64_t)id, (apr_uint64_t)id));
    err->subject_id = id;
    return CREDIT_ECONFLICT;
}

/* The subject of a record: by id; an existing government body with the
 * inline subject's credit code (its name must agree: credit codes are
 * public); or a new one (sj->id = 0). An inline official is always a new
 * one; with lookup its number is looked up among the registered officials
 * (the caller took the login's budget first) and a registered one is
 * refused as official_exists naming it by subject id; without, it is not
 * looked up at all (an import's first checks). Found by plain reads (a
 * locking read of a missing key would hold a gap lock on subjects until
 * the end of the transaction); with lock, the existing subject's row is
 * then locked by id: records of one subject are created one at a time, so
 * the duplicate check holds. Two requests making the same new subject at
 * once meet on its unique key (a 409, send again). */
credit_status_t credit_admin_find_subject(credit_store_t *s, const credit_keys_t *keys,
                                          const credit_record_input_t *in, int lock, int lookup,
                                          credit_admin_subject_row_t *sj, credit_field_error_t *err)
{
    const credit_subject_input_t *x = &in->subject;
    credit_rows_t *rows = NULL;
    credit_status_t rv;

    memset(sj, 0, sizeof *sj);
    if (in->subject_id) {
        credit_param_t p[1] = {CREDIT_PINT((long long)in->subject_id)};
        if ((rv = A("SELECT id, kind, district, name FROM subjects WHERE id = ?", p, 1, &rows)) !=
            CREDIT_OK)
            return rv;
        if (rows->rows->nelts == 0)
            return bad(s, err, CREDIT_EINVAL, "unknown_subject", "subject_id", "no such subject");
    } else if (!strcmp(x->kind, "gov")) {
        credit_param_t p[1] = {CREDIT_PSTR(x->credit_code)};
        if ((rv = A("SELECT id, kind, district, name FROM subjects WHERE credit_code = ?", p, 1,
                    &rows)) != CREDIT_OK)
            return rv;
    } else {
        credit_param_t p[1] = {CREDIT_PINT((long long)x->employer_id)};
        unsigned char h[32];
        unsigned long long found;
        if (!keys || keys->n < 1) {
            credit_maria_note(s, "CR0910",
                              "an official's ID-card number cannot be stored without a key: set "
                              "CreditSecretFile");
            return CREDIT_EINTERNAL;
        }
        if ((rv = A("SELECT id FROM subjects WHERE id = ? AND kind = 'gov'", p, 1, &rows)) !=
            CREDIT_OK)
            return rv;
        if (rows->rows->nelts == 0)
            return bad(s, err, CREDIT_EINVAL, "unknown_subject", "subject.employer_id",
                       "no such government subject");
        credit_token_hash(keys, 0, "idcard", x->id_number, h);
        sj->hash_hex = credit_hex(s->pool, h, sizeof h);
        if (lookup) {
            if ((rv = credit_admin_registered_official(s, keys, x->id_number, &found)) != CREDIT_OK)
                return rv;
            if (found)
                return credit_admin_official_exists(s, err, found);
        }
        rows = NULL;
    }
    if (rows && rows->rows->nelts > 0) {
        sj->id = strtoull(credit_rows_get(rows, 0, "id"), NULL, 10);
        sj->kind = credit_rows_get(rows, 0, "kind");
        sj->district = credit_rows_get(rows, 0, "district");
        sj->name = credit_rows_get(rows, 0, "name");
        if (!in->subject_id && strcmp(sj->name, x->name) != 0)
            return bad(s, err, CREDIT_EINVAL, "subject_mismatch", "subject.name",
                       apr_psprintf(s->pool,
                                    "the credit code belongs to subject %" APR_UINT64_T_FMT
                                    " named \"%s\" (give subject_id to use it)",
                                    (apr_uint64_t)sj->id, sj->name));
        if (lock) {
            credit_param_t l[1] = {CREDIT_PSTR(credit_rows_get(rows, 0, "id"))};
            credit_rows_t *locked;
            /* Locked by its primary key only (no gap lock for a missing one). */
            if ((rv = A("SELECT id FROM subjects WHERE id = ? FOR UPDATE", l, 1, &locked)) !=
                CREDIT_OK)
                return rv;
        }
        return CREDIT_OK;
    }
    sj->kind = x->kind;
    sj->district = x->district;
    sj->name = x->name;
    return CREDIT_OK;
}

credit_status_t credit_admin_insert_subject(credit_store_t *s, const credit_staff_t *st,
                                            const credit_subject_input_t *x,
                                            credit_admin_subject_row_t *sj,
                                            credit_field_error_t *err)
{
    int official = !strcmp(x->kind, "official");
    const char *masked = official ? credit_mask_id(s->pool, x->id_number) : NULL;
    const char *employer =
        official ? apr_psprintf(s->pool, "%" APR_UINT64_T_FMT, (apr_uint64_t)x->employer_id) : NULL;
    credit_param_t p[9] = {CREDIT_PSTR(x->kind),
                           CREDIT_PSTR(x->name),
                           CREDIT_PSTR(x->credit_code),
                           CREDIT_PSTR(x->district),
                           CREDIT_PSTR(x->level),
                           CREDIT_PSTR(employer),
                           CREDIT_PSTR(official ? x->position : NULL),
                           CREDIT_PSTR(official ? sj->hash_hex : NULL),
                           CREDIT_PSTR(masked)};
    credit_rows_t *rows;
    credit_status_t rv;
    json_object *after;

    rv = A("INSERT INTO subjects (kind, name, credit_code, district, level, employer_id, position,"
           " id_hash, id_masked) VALUES (?, ?, ?, ?, ?, ?, ?, UNHEX(?), ?)",
           p, 9, &rows);
    if (rv == CREDIT_ECONFLICT)
        return bad(s, err, CREDIT_ECONFLICT, "conflict",
                   official ? "subject.id_number" : "subject.credit_code",
                   "the same subject was created by another request at the same moment; send "
                   "again");
    if (rv != CREDIT_OK)
        return rv;
    sj->id = rows->insert_id;
    /* The audit row never holds the ID-card number: only its masked form. */
    after = json_object_new_object();
    credit_json_str(after, "kind", x->kind);
    credit_json_str(after, "name", x->name);
    credit_json_str(after, "credit_code", x->credit_code);
    credit_json_str(after, "district", x->district);
    credit_json_str(after, "level", x->level);
    json_object_object_add(after, "employer_id",
                           official ? json_object_new_int64((int64_t)x->employer_id) : NULL);
    credit_json_str(after, "position", official ? x->position : NULL);
    credit_json_str(after, "id_masked", masked);
    return audit(s, st, "create", "subject", sj->id, NULL, json_text(s, after));
}
