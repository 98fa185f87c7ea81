/* record_check.h: what fuzz_record and fuzz_jsonl check of every result of
 * the staff API's record parser (credit_admin_record_parse). Any violation
 * abort()s.
 *  - an error has a known code, a message that is valid UTF-8 text of
 *    bounded length and starts with "<field>: " when it names a field, a
 *    field name of bounded length; a valid input has no error;
 *  - a valid input obeys every limit: each text valid UTF-8, not blank,
 *    without control characters, at most its number of characters; each
 *    code in its enumeration; real dates in order (decided not after today,
 *    disclosed not before decided and at most CREDIT_REC_AHEAD_DAYS ahead);
 *    an amount of at most 13 digits and exactly two decimals; a subject by
 *    id or a valid inline one (a gov body with a GB 32100 code, an official
 *    with an employer and a valid ID-card number); the clock computed;
 *  - the flags of the fields given are exactly the members present;
 *  - an update never takes the subject or the department;
 *  - the result is a fixed point: the input written back as JSON parses to
 *    the same result. */
#ifndef FUZZ_RECORD_CHECK_H
#define FUZZ_RECORD_CHECK_H

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <json.h>

#include "fuzz.h"
#include "credit_record_input.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

#define ERR_MESSAGE_MAX 1024 /* bytes of an error message */
#define ERR_FIELD_MAX   256  /* bytes of the field an error names */

static const credit_date_t fuzz_today = {2026, 5, 20};

static void check_error(const credit_field_error_t *e, int ok)
{
    static const char *const codes[] = {"missing_field", "bad_field",     "computed_field",
                                        "read_only",     "unknown_field", "bad_body"};
    size_t i, n;

    if (ok) {
        CHECK(e->code == NULL && e->field == NULL && e->message == NULL);
        return;
    }
    CHECK(e->code != NULL && e->message != NULL);
    for (i = 0; i < sizeof(codes) / sizeof(codes[0]) && strcmp(codes[i], e->code) != 0; i++) {
    }
    CHECK(i < sizeof(codes) / sizeof(codes[0]));
    n = strlen(e->message);
    CHECK(n > 0 && n <= ERR_MESSAGE_MAX);
    CHECK(credit_utf8_valid(e->message, n) && !credit_has_control(e->message, 0));
    if (e->field != NULL) {
        size_t f = strlen(e->field);
        /* a member named "" is named so */
        CHECK((f > 0 || strcmp(e->code, "unknown_field") == 0) && f <= ERR_FIELD_MAX);
        CHECK(credit_utf8_valid(e->field, f) && !credit_has_control(e->field, 0));
        CHECK(strncmp(e->message, e->field, f) == 0 && strncmp(e->message + f, ": ", 2) == 0);
    }
}

static int blank_text(const char *s)
{
    return strspn(s, " \t\r\n") == strlen(s);
}

static void check_text(const char *s, long max, int multiline, int required)
{
    size_t len;

    if (s == NULL) {
        CHECK(!required);
        return;
    }
    len = strlen(s);
    CHECK(credit_utf8_valid(s, len));
    CHECK(credit_utf8_chars(s, len) <= max);
    CHECK(!credit_has_control(s, multiline));
    CHECK(!blank_text(s));
}

static void check_code(const char *s, const credit_enum_t *e, int required)
{
    CHECK(s != NULL ? credit_enum_find(e, s) != NULL : !required);
}

static void check_date(const char *s, int required)
{
    CHECK(s != NULL ? credit_date_parse(s, NULL) : !required);
}

static void check_amount(const char *a)
{
    const char *dot;

    if (a == NULL) {
        return;
    }
    dot = strchr(a, '.');
    CHECK(dot != NULL && dot > a && dot - a <= 13);
    CHECK(strspn(a, "0123456789") == (size_t)(dot - a));
    CHECK((dot - a == 1 || a[0] != '0') && strlen(dot + 1) == 2);
    CHECK(strspn(dot + 1, "0123456789") == 2);
}

/* Whether member name of o is present (also as null). */
static int has(json_object *o, const char *name)
{
    return o != NULL && json_object_object_get_ex(o, name, NULL);
}

static void check_flags(json_object *body, const credit_record_input_t *in, credit_rec_mode_t mode)
{
    static const struct {
        unsigned bit;
        const char *name;
    } plain[] = {{CREDIT_RF_CATEGORY, "category"},
                 {CREDIT_RF_DOMAIN, "domain"},
                 {CREDIT_RF_SEVERITY, "severity"},
                 {CREDIT_RF_TITLE, "title"},
                 {CREDIT_RF_FACTS, "facts"},
                 {CREDIT_RF_LEGAL, "legal_basis"},
                 {CREDIT_RF_DECISION, "decision_no"},
                 {CREDIT_RF_AUTHORITY, "authority"},
                 {CREDIT_RF_DECIDED, "decided_on"},
                 {CREDIT_RF_DISCLOSED, "disclosed_on"},
                 {CREDIT_RF_DEPARTMENT, "department_id"},
                 {CREDIT_RF_AMOUNT, "amount"}};
    json_object *r = NULL;
    size_t i;

    for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
        CHECK(!!(in->set & plain[i].bit) == has(body, plain[i].name));
    }
    CHECK(!!(in->set & CREDIT_RF_SUBJECT) == (has(body, "subject") || has(body, "subject_id")));
    if (mode == CREDIT_REC_UPDATE) {
        CHECK(!(in->set & (CREDIT_RF_SUBJECT | CREDIT_RF_DEPARTMENT)));
    }
    json_object_object_get_ex(body, "rectification", &r);
    if (has(body, "rectification") && r == NULL) { /* null: no rectification */
        CHECK((in->set & (CREDIT_RF_RECT_TEXT | CREDIT_RF_RECT_DUE | CREDIT_RF_RECT_DONE)) ==
              (CREDIT_RF_RECT_TEXT | CREDIT_RF_RECT_DUE | CREDIT_RF_RECT_DONE));
        CHECK(in->rectification == NULL && in->rectify_due == NULL && !in->rectified);
        return;
    }
    CHECK(!!(in->set & CREDIT_RF_RECT_TEXT) == has(r, "text"));
    CHECK(!!(in->set & CREDIT_RF_RECT_DUE) == has(r, "due"));
    CHECK(!!(in->set & CREDIT_RF_RECT_DONE) == has(r, "done"));
}

static void check_valid(json_object *body, const credit_record_input_t *in, credit_rec_mode_t mode)
{
    int create = mode == CREDIT_REC_CREATE;
    credit_date_t dd, ds;
    credit_clock_t clock;
    const credit_subject_input_t *sj = &in->subject;

    check_flags(body, in, mode);
    check_code(in->category, &credit_categories, create);
    check_code(in->domain, &credit_domains, create);
    check_code(in->severity, &credit_severities, create);
    check_text(in->title, CREDIT_REC_TITLE_MAX, 0, create);
    check_text(in->facts, CREDIT_REC_FACTS_MAX, 1, create);
    check_text(in->legal_basis, CREDIT_REC_LEGAL_MAX, 1, create);
    check_text(in->decision_no, CREDIT_REC_DECISION_MAX, 0, create);
    check_text(in->authority, CREDIT_REC_AUTHORITY_MAX, 0, create);
    check_date(in->decided_on, create);
    check_date(in->disclosed_on, create);
    check_text(in->rectification, CREDIT_REC_RECTIFY_MAX, 1, 0);
    check_date(in->rectify_due, 0);
    CHECK(in->rectified == 0 || in->rectified == 1);
    check_amount(in->amount);
    CHECK(in->department_id <= (1ULL << 53));
    if (!create) {
        CHECK(in->subject_id == 0 && sj->kind == NULL && in->department_id == 0);
        return;
    }
    /* a subject by id, or inline */
    CHECK((in->subject_id != 0) != (sj->kind != NULL));
    CHECK(in->subject_id <= (1ULL << 53));
    if (sj->kind != NULL) {
        check_code(sj->kind, &credit_kinds, 1);
        check_text(sj->name, CREDIT_REC_NAME_MAX, 0, 1);
        check_code(sj->district, &credit_districts, 1);
        check_code(sj->level, &credit_levels, 1);
        if (strcmp(sj->kind, "gov") == 0) {
            CHECK(credit_code_valid(sj->credit_code));
            CHECK(sj->employer_id == 0 && sj->position == NULL && sj->id_number == NULL);
        } else {
            CHECK(sj->credit_code == NULL);
            CHECK(sj->employer_id > 0 && sj->employer_id <= (1ULL << 53));
            check_text(sj->position, CREDIT_REC_POSITION_MAX, 0, 1);
            CHECK(credit_idcard_valid(sj->id_number, fuzz_today));
            CHECK(sj->id_number[17] != 'x');
        }
    }
    /* the dates in order, the clock computed */
    CHECK(credit_date_parse(in->decided_on, &dd) && credit_date_parse(in->disclosed_on, &ds));
    CHECK(credit_date_cmp(dd, fuzz_today) <= 0 && credit_date_cmp(ds, dd) >= 0);
    CHECK(credit_date_diff(fuzz_today, ds) <= CREDIT_REC_AHEAD_DAYS);
    CHECK(credit_clock(in->severity, ds, &clock) == CREDIT_OK);
    CHECK(memcmp(&clock, &in->clock, sizeof clock) == 0);
}

static int same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void same_input(const credit_record_input_t *a, const credit_record_input_t *b)
{
    const credit_subject_input_t *x = &a->subject, *y = &b->subject;

    CHECK(a->set == b->set && a->subject_id == b->subject_id);
    CHECK(same_str(x->kind, y->kind) && same_str(x->name, y->name) &&
          same_str(x->credit_code, y->credit_code) && same_str(x->district, y->district) &&
          same_str(x->level, y->level) && x->employer_id == y->employer_id &&
          same_str(x->position, y->position) && same_str(x->id_number, y->id_number));
    CHECK(same_str(a->category, b->category) && same_str(a->domain, b->domain) &&
          same_str(a->severity, b->severity) && same_str(a->title, b->title) &&
          same_str(a->facts, b->facts) && same_str(a->legal_basis, b->legal_basis) &&
          same_str(a->decision_no, b->decision_no) && same_str(a->authority, b->authority) &&
          same_str(a->decided_on, b->decided_on) && same_str(a->disclosed_on, b->disclosed_on));
    CHECK(a->department_id == b->department_id && same_str(a->amount, b->amount));
    CHECK(same_str(a->rectification, b->rectification) &&
          same_str(a->rectify_due, b->rectify_due) && a->rectified == b->rectified);
    CHECK(memcmp(&a->clock, &b->clock, sizeof a->clock) == 0);
}

static json_object *str_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *id_or_null(unsigned long long id)
{
    return id ? json_object_new_int64((int64_t)id) : NULL;
}

/* The valid input in as a JSON body of the API (only the fields it gave). */
static json_object *write_back(const credit_record_input_t *in)
{
    json_object *o = json_object_new_object(), *r;
    const credit_subject_input_t *sj = &in->subject;

#define PUT(bit, name, value)                                                                      \
    do {                                                                                           \
        if (in->set & (bit))                                                                       \
            json_object_object_add(o, name, value);                                                \
    } while (0)
    if ((in->set & CREDIT_RF_SUBJECT) && in->subject_id) {
        json_object_object_add(o, "subject_id", id_or_null(in->subject_id));
    } else if (in->set & CREDIT_RF_SUBJECT) {
        json_object *s = json_object_new_object();
        json_object_object_add(s, "kind", str_or_null(sj->kind));
        json_object_object_add(s, "name", str_or_null(sj->name));
        json_object_object_add(s, "district", str_or_null(sj->district));
        json_object_object_add(s, "level", str_or_null(sj->level));
        if (strcmp(sj->kind, "gov") == 0) {
            json_object_object_add(s, "credit_code", str_or_null(sj->credit_code));
        } else {
            json_object_object_add(s, "employer_id", id_or_null(sj->employer_id));
            json_object_object_add(s, "position", str_or_null(sj->position));
            json_object_object_add(s, "id_number", str_or_null(sj->id_number));
        }
        json_object_object_add(o, "subject", s);
    }
    PUT(CREDIT_RF_CATEGORY, "category", str_or_null(in->category));
    PUT(CREDIT_RF_DOMAIN, "domain", str_or_null(in->domain));
    PUT(CREDIT_RF_SEVERITY, "severity", str_or_null(in->severity));
    PUT(CREDIT_RF_TITLE, "title", str_or_null(in->title));
    PUT(CREDIT_RF_FACTS, "facts", str_or_null(in->facts));
    PUT(CREDIT_RF_LEGAL, "legal_basis", str_or_null(in->legal_basis));
    PUT(CREDIT_RF_DECISION, "decision_no", str_or_null(in->decision_no));
    PUT(CREDIT_RF_AUTHORITY, "authority", str_or_null(in->authority));
    PUT(CREDIT_RF_DECIDED, "decided_on", str_or_null(in->decided_on));
    PUT(CREDIT_RF_DISCLOSED, "disclosed_on", str_or_null(in->disclosed_on));
    PUT(CREDIT_RF_DEPARTMENT, "department_id", id_or_null(in->department_id));
    PUT(CREDIT_RF_AMOUNT, "amount", str_or_null(in->amount));
#undef PUT
    if ((in->set & (CREDIT_RF_RECT_TEXT | CREDIT_RF_RECT_DUE | CREDIT_RF_RECT_DONE)) ==
            (CREDIT_RF_RECT_TEXT | CREDIT_RF_RECT_DUE | CREDIT_RF_RECT_DONE) &&
        !in->rectification && !in->rectify_due && !in->rectified) {
        /* as given, or null: both mean no rectification */
        json_object_object_add(o, "rectification", NULL);
    } else if (in->set & (CREDIT_RF_RECT_TEXT | CREDIT_RF_RECT_DUE | CREDIT_RF_RECT_DONE)) {
        r = json_object_new_object();
        if (in->set & CREDIT_RF_RECT_TEXT)
            json_object_object_add(r, "text", str_or_null(in->rectification));
        if (in->set & CREDIT_RF_RECT_DUE)
            json_object_object_add(r, "due", str_or_null(in->rectify_due));
        if (in->set & CREDIT_RF_RECT_DONE)
            json_object_object_add(r, "done", json_object_new_boolean(in->rectified));
        json_object_object_add(o, "rectification", r);
    }
    return o;
}

/* Checks one result of credit_admin_record_parse(p, body, mode, fuzz_today). */
static void check_record(apr_pool_t *p, json_object *body, credit_rec_mode_t mode, int ok,
                         const credit_record_input_t *in, const credit_field_error_t *err)
{
    credit_record_input_t again;
    credit_field_error_t err2;
    json_object *back;
    const char *text;

    CHECK(ok == 0 || ok == 1);
    check_error(err, ok);
    if (!body || !json_object_is_type(body, json_type_object)) {
        CHECK(!ok && strcmp(err->code, "bad_body") == 0);
        return;
    }
    if (!ok) {
        return;
    }
    check_valid(body, in, mode);
    /* a fixed point, through the text of the JSON */
    back = write_back(in);
    text = apr_pstrdup(p, json_object_to_json_string_ext(back, JSON_C_TO_STRING_PLAIN));
    json_object_put(back);
    CHECK(credit_admin_json_parse(text, strlen(text), "", &back) == 1 && back != NULL);
    CHECK(credit_admin_record_parse(p, back, mode, fuzz_today, &again, &err2) == 1);
    check_error(&err2, 1);
    same_input(in, &again);
    json_object_put(back);
}

#endif
