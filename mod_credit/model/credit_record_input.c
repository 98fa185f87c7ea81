/* credit_record_input.c: JSON of the staff API -> a validated record input
 * (see credit_record_input.h). Pure: no database, no httpd. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <apr_strings.h>

#include "credit_record_input.h"
#include "credit_model.h"
#include "credit_validate.h"

/* What a body may hold, and how. */
typedef enum { F_REQUIRED, F_OPTIONAL } need_t;

typedef struct {
    apr_pool_t *p;
    credit_field_error_t *err;
    credit_date_t today;
    int failed;
} ctx_t;

static int fail(ctx_t *c, const char *code, const char *field, const char *what)
{
    if (c->failed)
        return 0;
    c->failed = 1;
    c->err->code = code;
    c->err->field = field;
    c->err->message = field ? apr_pstrcat(c->p, field, ": ", what, NULL) : what;
    return 0;
}

/* Members that are computed or assigned by the server, with the reason. */
static const struct {
    const char *name, *code, *why;
} refused[] = {
    {"repair_from", "computed_field",
     "computed from severity and disclosed_on (the disclosure clock), not typed"},
    {"withdraw_on", "computed_field",
     "computed from severity and disclosed_on (the disclosure clock), not typed"},
    {"clock", "computed_field", "computed from severity and disclosed_on, not typed"},
    {"no", "read_only", "the record number is assigned by the server and never changes"},
    {"record_no", "read_only", "the record number is assigned by the server and never changes"},
    {"status", "read_only", "the status changes only through the events endpoint"},
    {"url", "read_only", "assigned by the server"},
    {"updated_at", "read_only", "kept by the server"},
    {"id", "read_only", "assigned by the server"},
};

static const char *const record_members[] = {
    "subject_id", "subject",      "category",      "domain",      "severity",
    "title",      "facts",        "legal_basis",   "decision_no", "authority",
    "decided_on", "disclosed_on", "department_id", "amount",      "rectification",
};

static const char *const subject_members[] = {"kind",  "name",        "credit_code", "district",
                                              "level", "employer_id", "position",    "id_number"};

static const char *const rect_members[] = {"text", "due", "done"};

static int member_known(const char *key, const char *const *names, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!strcmp(key, names[i]))
            return 1;
    return 0;
}

/* Refuses members that are not in names (computed and read-only ones with
 * their own code); prefix names the enclosing object ("subject."). */
static int only_members(ctx_t *c, json_object *o, const char *prefix, const char *const *names,
                        size_t n)
{
    size_t i;
    json_object_object_foreach(o, key, val)
    {
        (void)val;
        if (member_known(key, names, n))
            continue;
        for (i = 0; !*prefix && i < sizeof refused / sizeof refused[0]; i++)
            if (!strcmp(key, refused[i].name))
                return fail(c, refused[i].code, apr_pstrdup(c->p, key), refused[i].why);
        {
            const char *known = names[0];
            for (i = 1; i < n; i++)
                known = apr_pstrcat(c->p, known, " ", names[i], NULL);
            const char *of = *prefix ? apr_pstrndup(c->p, prefix, strlen(prefix) - 1) : "a record";
            /* named as text, and briefly: the name is whatever was sent */
            return fail(
                c, "unknown_field",
                apr_pstrcat(c->p, prefix, credit_text_excerpt(c->p, key, CREDIT_REC_MEMBER_SHOWN),
                            NULL),
                apr_pstrcat(c->p, "not a field of ", of, " (its fields: ", known, ")", NULL));
        }
    }
    return 1;
}

/* Returns the member, NULL when absent or null (*present says which). */
static json_object *member(json_object *o, const char *name, int *present)
{
    json_object *v = NULL;
    *present = json_object_object_get_ex(o, name, &v);
    return *present && !json_object_is_type(v, json_type_null) ? v : NULL;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

/* A text member: a JSON string of at most max characters, valid UTF-8,
 * no control characters (multiline texts may hold line breaks and tabs),
 * not blank. NULL when absent (an error when required). */
static const char *text(ctx_t *c, json_object *o, const char *name, const char *field, int max,
                        int multiline, need_t need)
{
    int present;
    json_object *v = member(o, name, &present);
    const char *s;
    size_t len;
    long n;
    if (!v) {
        if (need == F_REQUIRED)
            fail(c, "missing_field", field, "required");
        return NULL;
    }
    if (!json_object_is_type(v, json_type_string)) {
        fail(c, "bad_field", field, "must be a string");
        return NULL;
    }
    s = json_object_get_string(v);
    len = (size_t)json_object_get_string_len(v);
    n = strlen(s) == len ? credit_utf8_chars(s, len) : -1;
    if (n < 0 || credit_has_control(s, multiline)) {
        fail(c, "bad_field", field, "must be text without control characters");
        return NULL;
    }
    if (n > max) {
        fail(c, "bad_field", field, apr_psprintf(c->p, "at most %d characters (has %ld)", max, n));
        return NULL;
    }
    if (blank(s)) {
        if (need == F_REQUIRED)
            fail(c, "missing_field", field, "required (it is blank)");
        return NULL;
    }
    return s;
}

/* A code of enumeration e; the message lists the codes. */
static const char *code(ctx_t *c, json_object *o, const char *name, const char *field,
                        const credit_enum_t *e, need_t need)
{
    const char *s = text(c, o, name, field, 32, 0, need);
    const char *list = NULL;
    size_t i;
    if (!s || credit_enum_find(e, s))
        return s;
    for (i = 0; i < e->n; i++)
        list = list ? apr_pstrcat(c->p, list, " ", e->items[i].code, NULL) : e->items[i].code;
    fail(c, "bad_field", field, apr_pstrcat(c->p, "one of: ", list, NULL));
    return NULL;
}

/* A date YYYY-MM-DD that exists. */
static const char *date(ctx_t *c, json_object *o, const char *name, const char *field, need_t need)
{
    const char *s = text(c, o, name, field, 10, 0, need);
    credit_date_t d;
    if (s && !credit_date_parse(s, &d)) {
        fail(c, "bad_field", field, "a real date YYYY-MM-DD");
        return NULL;
    }
    return s;
}

/* A positive id: a JSON integer, or a string of digits. 0 when absent. */
static unsigned long long id(ctx_t *c, json_object *o, const char *name, const char *field,
                             need_t need)
{
    int present;
    json_object *v = member(o, name, &present);
    unsigned long long out = 0;
    if (!v) {
        if (need == F_REQUIRED)
            fail(c, "missing_field", field, "required");
        return 0;
    }
    if (json_object_is_type(v, json_type_int)) {
        int64_t i = json_object_get_int64(v);
        if (i > 0 && i <= (INT64_C(1) << 53))
            return (unsigned long long)i;
    } else if (json_object_is_type(v, json_type_string) &&
               credit_id_parse(json_object_get_string(v), &out)) {
        return out;
    }
    fail(c, "bad_field", field, "a positive integer id");
    return 0;
}

/* An amount in yuan: a JSON number or a string, not negative, at most two
 * decimals, at most CREDIT_REC_AMOUNT_MAX. Normalised to two decimals. */
static const char *amount(ctx_t *c, json_object *o, const char *field, int *present)
{
    json_object *v = member(o, "amount", present);
    const char *s, *dot;
    size_t intlen, declen;
    if (!v)
        return NULL;
    if (!json_object_is_type(v, json_type_string) && !json_object_is_type(v, json_type_int) &&
        !json_object_is_type(v, json_type_double)) {
        fail(c, "bad_field", field, "a number of yuan, e.g. 12000.50");
        return NULL;
    }
    s = json_object_get_string(v);
    if (*s == '-') {
        fail(c, "bad_field", field, "must not be negative");
        return NULL;
    }
    dot = strchr(s, '.');
    intlen = dot ? (size_t)(dot - s) : strlen(s);
    declen = dot ? strlen(dot + 1) : 0;
    if (intlen == 0 || intlen > 13 || strspn(s, "0123456789") != intlen ||
        (intlen > 1 && s[0] == '0') || (dot && (declen == 0 || declen > 2)) ||
        (dot && strspn(dot + 1, "0123456789") != declen)) {
        fail(c, "bad_field", field,
             "a non-negative amount of yuan with at most two decimals, at "
             "most " CREDIT_REC_AMOUNT_MAX);
        return NULL;
    }
    return apr_psprintf(c->p, "%.*s.%s%s", (int)intlen, s, dot ? dot + 1 : "00",
                        declen == 1 ? "0" : "");
}

static int boolean(ctx_t *c, json_object *o, const char *name, const char *field, int *present)
{
    json_object *v = member(o, name, present);
    if (!v)
        return 0;
    if (!json_object_is_type(v, json_type_boolean)) {
        fail(c, "bad_field", field, "true or false");
        return 0;
    }
    return json_object_get_boolean(v) ? 1 : 0;
}

int credit_idcard_valid(const char *s, credit_date_t today)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    char birth[11];
    credit_date_t b;
    int i, sum = 0;
    char check;
    if (!s || strlen(s) != 18)
        return 0;
    for (i = 0; i < 17; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        sum += (s[i] - '0') * w[i];
    }
    check = "10X98765432"[sum % 11];
    if (s[17] != check && !(check == 'X' && s[17] == 'x'))
        return 0;
    if (s[0] == '0')
        return 0; /* no province code starts with 0 */
    snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", s + 6, s + 10, s + 12);
    return credit_date_parse(birth, &b) && credit_date_cmp(b, today) <= 0;
}

static void subject_inline(ctx_t *c, json_object *o, credit_subject_input_t *sj)
{
    int present;
    if (!only_members(c, o, "subject.", subject_members,
                      sizeof subject_members / sizeof subject_members[0]))
        return;
    sj->kind = code(c, o, "kind", "subject.kind", &credit_kinds, F_REQUIRED);
    sj->name = text(c, o, "name", "subject.name", CREDIT_REC_NAME_MAX, 0, F_REQUIRED);
    sj->district = code(c, o, "district", "subject.district", &credit_districts, F_REQUIRED);
    sj->level = code(c, o, "level", "subject.level", &credit_levels, F_REQUIRED);
    if (c->failed)
        return;
    if (!strcmp(sj->kind, "gov")) {
        const char *cc = text(c, o, "credit_code", "subject.credit_code", 18, 0, F_REQUIRED);
        if (cc) {
            char *up = apr_pstrdup(c->p, cc), *x;
            for (x = up; *x; x++)
                if (*x >= 'a' && *x <= 'z')
                    *x = (char)(*x - 'a' + 'A');
            if (!credit_code_valid(up))
                fail(c, "bad_field", "subject.credit_code",
                     "not a valid unified social credit code (GB 32100-2015: 18 characters, "
                     "check character)");
            sj->credit_code = up;
        }
        member(o, "employer_id", &present);
        if (present)
            fail(c, "bad_field", "subject.employer_id", "only an official has an employer");
        member(o, "id_number", &present);
        if (present)
            fail(c, "bad_field", "subject.id_number", "only an official has an ID-card number");
        member(o, "position", &present);
        if (present)
            fail(c, "bad_field", "subject.position", "only an official has a position");
    } else {
        const char *idn;
        member(o, "credit_code", &present);
        if (present)
            fail(c, "bad_field", "subject.credit_code",
                 "an official has no credit code (give employer_id)");
        sj->employer_id = id(c, o, "employer_id", "subject.employer_id", F_REQUIRED);
        sj->position =
            text(c, o, "position", "subject.position", CREDIT_REC_POSITION_MAX, 0, F_REQUIRED);
        idn = text(c, o, "id_number", "subject.id_number", 18, 0, F_REQUIRED);
        if (idn) {
            char *up = apr_pstrdup(c->p, idn);
            /* the length first: a shorter string has no 18th character */
            if (strlen(up) == 18 && up[17] == 'x')
                up[17] = 'X';
            if (!credit_idcard_valid(up, c->today))
                fail(c, "bad_field", "subject.id_number",
                     "not a valid resident ID-card number (18 characters, birth date, check "
                     "character)");
            sj->id_number = up;
        }
    }
}

static void subject_of(ctx_t *c, json_object *body, credit_record_input_t *out,
                       credit_rec_mode_t mode)
{
    int has_id, has_inline;
    json_object *sid = member(body, "subject_id", &has_id);
    json_object *inl = member(body, "subject", &has_inline);
    if (mode == CREDIT_REC_UPDATE) {
        if (has_id || has_inline)
            fail(c, "read_only", has_id ? "subject_id" : "subject",
                 "the subject of a record is not changed (revoke it and create a new record)");
        return;
    }
    if (sid && inl) {
        fail(c, "bad_field", "subject", "give either subject_id or subject, not both");
        return;
    }
    if (!sid && !inl) {
        fail(c, "missing_field", "subject_id",
             "required (an existing subject's id, or a new subject as \"subject\")");
        return;
    }
    out->set |= CREDIT_RF_SUBJECT;
    if (sid) {
        out->subject_id = id(c, body, "subject_id", "subject_id", F_REQUIRED);
        return;
    }
    if (!json_object_is_type(inl, json_type_object)) {
        fail(c, "bad_field", "subject", "an object (kind, name, district, level ...)");
        return;
    }
    subject_inline(c, inl, &out->subject);
}

static void rectification(ctx_t *c, json_object *body, credit_record_input_t *out)
{
    int present;
    json_object *r = member(body, "rectification", &present);
    if (!present)
        return;
    if (!r) { /* null: no rectification */
        out->set |= CREDIT_RF_RECT_TEXT | CREDIT_RF_RECT_DUE | CREDIT_RF_RECT_DONE;
        return;
    }
    if (!json_object_is_type(r, json_type_object)) {
        fail(c, "bad_field", "rectification", "an object {\"text\", \"due\", \"done\"}");
        return;
    }
    if (!only_members(c, r, "rectification.", rect_members,
                      sizeof rect_members / sizeof rect_members[0]))
        return;
    out->rectification =
        text(c, r, "text", "rectification.text", CREDIT_REC_RECTIFY_MAX, 1, F_OPTIONAL);
    if (json_object_object_get_ex(r, "text", NULL))
        out->set |= CREDIT_RF_RECT_TEXT;
    out->rectify_due = date(c, r, "due", "rectification.due", F_OPTIONAL);
    if (json_object_object_get_ex(r, "due", NULL))
        out->set |= CREDIT_RF_RECT_DUE;
    out->rectified = boolean(c, r, "done", "rectification.done", &present);
    if (present)
        out->set |= CREDIT_RF_RECT_DONE;
}

int credit_admin_record_dates(apr_pool_t *p, const char *decided_on, const char *disclosed_on,
                              credit_date_t today, credit_field_error_t *err)
{
    ctx_t c = {p, err, today, 0};
    credit_date_t dd, ds;
    if (!credit_date_parse(decided_on, &dd) || !credit_date_parse(disclosed_on, &ds))
        return fail(&c, "bad_field", "decided_on", "a real date YYYY-MM-DD");
    if (credit_date_cmp(dd, today) > 0)
        return fail(&c, "bad_field", "decided_on", "must not be in the future");
    if (credit_date_cmp(ds, dd) < 0)
        return fail(&c, "bad_field", "disclosed_on", "must not be before decided_on");
    if (credit_date_diff(today, ds) > CREDIT_REC_AHEAD_DAYS)
        return fail(&c, "bad_field", "disclosed_on",
                    apr_psprintf(p, "at most %d days after today", CREDIT_REC_AHEAD_DAYS));
    return 1;
}

int credit_admin_record_parse(apr_pool_t *p, json_object *body, credit_rec_mode_t mode,
                              credit_date_t today, credit_record_input_t *out,
                              credit_field_error_t *err)
{
    ctx_t c = {p, err, today, 0};
    need_t need = mode == CREDIT_REC_CREATE ? F_REQUIRED : F_OPTIONAL;
    int present;
    json_object *v;

    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    if (!body || !json_object_is_type(body, json_type_object))
        return fail(&c, "bad_body", NULL, "a JSON object is expected");
    if (!only_members(&c, body, "", record_members,
                      sizeof record_members / sizeof record_members[0]))
        return 0;
    subject_of(&c, body, out, mode);
#define FIELD(bit, name, expr)                                                                     \
    do {                                                                                           \
        if (json_object_object_get_ex(body, name, NULL))                                           \
            out->set |= bit;                                                                       \
        expr;                                                                                      \
    } while (0)
    FIELD(CREDIT_RF_CATEGORY, "category",
          out->category = code(&c, body, "category", "category", &credit_categories, need));
    FIELD(CREDIT_RF_DOMAIN, "domain",
          out->domain = code(&c, body, "domain", "domain", &credit_domains, need));
    FIELD(CREDIT_RF_SEVERITY, "severity",
          out->severity = code(&c, body, "severity", "severity", &credit_severities, need));
    FIELD(CREDIT_RF_TITLE, "title",
          out->title = text(&c, body, "title", "title", CREDIT_REC_TITLE_MAX, 0, need));
    FIELD(CREDIT_RF_FACTS, "facts",
          out->facts = text(&c, body, "facts", "facts", CREDIT_REC_FACTS_MAX, 1, need));
    FIELD(CREDIT_RF_LEGAL, "legal_basis",
          out->legal_basis =
              text(&c, body, "legal_basis", "legal_basis", CREDIT_REC_LEGAL_MAX, 1, need));
    FIELD(CREDIT_RF_DECISION, "decision_no",
          out->decision_no =
              text(&c, body, "decision_no", "decision_no", CREDIT_REC_DECISION_MAX, 0, need));
    FIELD(CREDIT_RF_AUTHORITY, "authority",
          out->authority =
              text(&c, body, "authority", "authority", CREDIT_REC_AUTHORITY_MAX, 0, need));
    FIELD(CREDIT_RF_DECIDED, "decided_on",
          out->decided_on = date(&c, body, "decided_on", "decided_on", need));
    FIELD(CREDIT_RF_DISCLOSED, "disclosed_on",
          out->disclosed_on = date(&c, body, "disclosed_on", "disclosed_on", need));
#undef FIELD
    /* An update that names a required field must give it a value. */
    if (mode == CREDIT_REC_UPDATE && !c.failed) {
        static const struct {
            unsigned bit;
            const char *name;
        } req[] = {{CREDIT_RF_CATEGORY, "category"},    {CREDIT_RF_DOMAIN, "domain"},
                   {CREDIT_RF_SEVERITY, "severity"},    {CREDIT_RF_TITLE, "title"},
                   {CREDIT_RF_FACTS, "facts"},          {CREDIT_RF_LEGAL, "legal_basis"},
                   {CREDIT_RF_DECISION, "decision_no"}, {CREDIT_RF_AUTHORITY, "authority"},
                   {CREDIT_RF_DECIDED, "decided_on"},   {CREDIT_RF_DISCLOSED, "disclosed_on"}};
        const char *const *vals[] = {&out->category,    &out->domain,    &out->severity,
                                     &out->title,       &out->facts,     &out->legal_basis,
                                     &out->decision_no, &out->authority, &out->decided_on,
                                     &out->disclosed_on};
        size_t i;
        for (i = 0; i < sizeof req / sizeof req[0]; i++)
            if ((out->set & req[i].bit) && !*vals[i])
                return fail(&c, "missing_field", req[i].name, "cannot be emptied");
    }
    v = member(body, "department_id", &present);
    if (present) {
        if (mode == CREDIT_REC_UPDATE)
            return fail(&c, "read_only", "department_id",
                        "the source department of a record is not changed");
        out->set |= CREDIT_RF_DEPARTMENT;
        out->department_id = id(&c, body, "department_id", "department_id", F_OPTIONAL);
    }
    (void)v;
    out->amount = amount(&c, body, "amount", &present);
    if (present)
        out->set |= CREDIT_RF_AMOUNT;
    rectification(&c, body, out);
    if (c.failed)
        return 0;
    if (mode == CREDIT_REC_CREATE) {
        credit_date_t ds;
        if (!credit_admin_record_dates(p, out->decided_on, out->disclosed_on, today, err))
            return 0;
        credit_date_parse(out->disclosed_on, &ds);
        if (credit_clock(out->severity, ds, &out->clock) != CREDIT_OK)
            return fail(&c, "bad_field", "severity", "unknown severity");
    }
    return 1;
}

/* ---- JSON Lines ---------------------------------------------------------- */

int credit_admin_json_parse(const char *s, apr_size_t len, const char *trailing, json_object **out)
{
    json_tokener *tok = json_tokener_new_ex(32);
    int ok = 0;
    size_t end;

    *out = NULL;
    if (!tok)
        return -1;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    *out = json_tokener_parse_ex(tok, s, (int)len);
    if (json_tokener_get_error(tok) == json_tokener_success) {
        end = json_tokener_get_parse_end(tok);
        while (end < len && s[end] != '\0' && strchr(trailing, s[end]))
            end++;
        ok = end == len;
    }
    json_tokener_free(tok);
    if (!ok && *out) {
        json_object_put(*out);
        *out = NULL;
    }
    return ok;
}

static apr_status_t put_json(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

int credit_admin_import_split(apr_pool_t *p, const char *text, apr_size_t len,
                              apr_array_header_t **out)
{
    apr_array_header_t *lines;
    apr_size_t i = 0, n = 0;
    int count = 0;

    /* Count first: a body over the limit is refused before any work. */
    for (i = 0; i < len; i++)
        if (text[i] == '\n')
            count++;
    if (len > 0 && text[len - 1] != '\n')
        count++;
    if (count > CREDIT_IMPORT_LINES_MAX)
        return 0;
    lines = apr_array_make(p, count ? count : 1, sizeof(credit_import_line_t));
    for (i = 0; i < len; i = n + 1) {
        credit_import_line_t *ln = apr_array_push(lines);
        const char *s = text + i;
        const char *nl = memchr(s, '\n', len - i);
        apr_size_t l, k = 0;
        n = nl ? (apr_size_t)(nl - text) : len;
        l = n - i;
        if (l > 0 && s[l - 1] == '\r')
            l--;
        memset(ln, 0, sizeof *ln);
        ln->line = lines->nelts;
        ln->text = s;
        ln->len = l;
        while (k < l && (s[k] == ' ' || s[k] == '\t'))
            k++;
        ln->blank = k == l;
    }
    *out = lines;
    return 1;
}

int credit_admin_import_line(apr_pool_t *p, const credit_import_line_t *ln, credit_date_t today,
                             credit_record_input_t *in, credit_field_error_t *err)
{
    json_object *o;
    int ok = 0;

    memset(in, 0, sizeof *in);
    memset(err, 0, sizeof *err);
    if (ln->len > CREDIT_IMPORT_LINE_MAX) {
        err->code = "line_too_long";
        err->message = apr_psprintf(p, "a line holds at most %d bytes", CREDIT_IMPORT_LINE_MAX);
        return 0;
    }
    if (!memchr(ln->text, '\0', ln->len))
        ok = credit_admin_json_parse(ln->text, ln->len, " \t", &o);
    else
        o = NULL;
    if (ok != 1) {
        err->code = "bad_json";
        err->message = "the line is not valid JSON";
        return 0;
    }
    /* Released with the line's pool: *in borrows its strings until then. */
    if (o)
        apr_pool_cleanup_register(p, o, put_json, apr_pool_cleanup_null);
    if (!o || !json_object_is_type(o, json_type_object)) {
        err->code = "bad_json";
        err->message = "each line must be one JSON object (a record)";
        return 0;
    }
    return credit_admin_record_parse(p, o, CREDIT_REC_CREATE, today, in, err);
}

void credit_field_error_copy(apr_pool_t *p, credit_field_error_t *dst,
                             const credit_field_error_t *src)
{
    dst->code = src->code ? apr_pstrdup(p, src->code) : NULL;
    dst->field = src->field ? apr_pstrdup(p, src->field) : NULL;
    dst->message = src->message ? apr_pstrdup(p, src->message) : NULL;
    dst->subject_id = src->subject_id;
}
