/* credit_bodies_input.c: see credit_bodies_input.h. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>

#include "credit_bodies_input.h"
#include "credit_json_value.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

#define AREA_CODES                                                                                 \
    "employment property schooling family elderly disability poverty insurance"                    \
    " housing transport parking safety military services"

/* The Chinese label of a code of e (the API speaks the stored language). */
static const char *label(const credit_enum_t *e, const char *code)
{
    const credit_enum_item_t *it = credit_enum_find(e, code);
    return it ? it->zh : NULL;
}

#define area_label(c)    label(&credit_areas, c)
#define cstatus_label(c) label(&credit_commitment_statuses, c)
#define grade_label(c)   label(&credit_grades, c)

/* ---- decimals ---------------------------------------------------------------- */

const char *credit_rating_grade(long long score)
{
    return score >= 9000 ? "A" : score >= 8000 ? "B" : score >= 6000 ? "C" : "D";
}

const char *credit_hundredths_fmt(apr_pool_t *p, long long v)
{
    long long a = v < 0 ? -v : v;
    return apr_psprintf(p, "%s%" APR_INT64_T_FMT ".%02d", v < 0 ? "-" : "", (apr_int64_t)(a / 100),
                        (int)(a % 100));
}

int credit_hundredths_parse(const char *s, long long *out)
{
    long long v = 0;
    int neg = 0, digits = 0, decimals = 0;
    if (!s)
        return 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++digits > 12)
            return 0;
        v = v * 10 + (*s - '0');
    }
    if (!digits)
        return 0;
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++) {
            if (++decimals > 2)
                return 0;
            v = v * 10 + (*s - '0');
        }
        if (!decimals)
            return 0;
    }
    if (*s)
        return 0;
    for (; decimals < 2; decimals++)
        v *= 10;
    *out = neg ? -v : v;
    return 1;
}

static json_object *decimal_json(apr_pool_t *p, long long v)
{
    const char *text = credit_hundredths_fmt(p, v);
    return json_object_new_double_s((double)v / 100.0, text);
}

/* ---- reading members ------------------------------------------------------------ */

/* The member `name` of o, NULL when absent or null. */
static json_object *member(json_object *o, const char *name)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    return v;
}

/* The string member `name`: *out is NULL when absent. Returns NULL or the
 * message: not a string, a NUL inside, not UTF-8, blank, over max
 * characters. `label` is the field's name in messages. */
static const char *text_member(apr_pool_t *p, json_object *o, const char *name, const char *label,
                               long max, const char **out)
{
    json_object *v = member(o, name);
    const char *s;
    size_t len, i;
    long n;
    *out = NULL;
    if (!v)
        return NULL;
    if (!json_object_is_type(v, json_type_string))
        return apr_pstrcat(p, label, ": a string is expected", NULL);
    s = json_object_get_string(v);
    len = (size_t)json_object_get_string_len(v);
    if (strlen(s) != len)
        return apr_pstrcat(p, label, ": contains a NUL character", NULL);
    n = credit_utf8_chars(s, len);
    if (n < 0)
        return apr_pstrcat(p, label, ": not valid UTF-8", NULL);
    for (i = 0; i < len && strchr(" \t\r\n", s[i]); i++)
        ;
    if (i == len)
        return apr_pstrcat(p, label, ": must not be empty", NULL);
    if (n > max)
        return apr_psprintf(p, "%s: at most %ld characters (%ld given)", label, max, n);
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 && !strchr("\t\r\n", s[i]))
            return apr_pstrcat(p, label, ": contains a control character", NULL);
    *out = s;
    return NULL;
}

/* A decimal member (a JSON number, or a string holding one) in hundredths
 * within [lo, hi]. *given is 0 when absent. */
static const char *decimal_member(apr_pool_t *p, json_object *o, const char *name,
                                  const char *label, long long lo, long long hi, long long *out,
                                  int *given)
{
    json_object *v = member(o, name);
    const char *s;
    *given = 0;
    if (!v)
        return NULL;
    if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double) &&
        !json_object_is_type(v, json_type_string))
        return apr_pstrcat(p, label, ": a number is expected", NULL);
    /* json-c keeps the text of a parsed number: 87.30 stays "87.30". */
    s = json_object_get_string(v);
    if (!credit_hundredths_parse(s, out))
        return apr_pstrcat(p, label, ": a plain decimal number with at most two decimals", NULL);
    if (*out < lo || *out > hi)
        return apr_psprintf(p, "%s: between %s and %s", label, credit_hundredths_fmt(p, lo),
                            credit_hundredths_fmt(p, hi));
    *given = 1;
    return NULL;
}

/* Members of o not in `known` (NULL-terminated): the first, or NULL. */
static const char *unknown_member(json_object *o, const char *const *known)
{
    json_object_object_foreach(o, key, val)
    {
        const char *const *k;
        (void)val;
        for (k = known; *k && strcmp(*k, key); k++)
            ;
        if (!*k)
            return key;
    }
    return NULL;
}

static int code_ok(const char *s)
{
    size_t i, n = strlen(s);
    if (n == 0 || n > CREDIT_INDICATOR_CODE_MAX || s[0] < 'a' || s[0] > 'z')
        return 0;
    for (i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

/* ---- ratings ----------------------------------------------------------------- */

static const char *indicator_parse(apr_pool_t *p, json_object *o, int i, credit_indicator_in_t *x)
{
    static const char *const known[] = {"code", "name", "weight", "raw_value", "score", NULL};
    const char *pre = apr_psprintf(p, "indicators[%d]", i), *bad, *k;
    long long score = 0, want;
    int given;

    if (!json_object_is_type(o, json_type_object))
        return apr_pstrcat(p, pre, ": an object {code, name, weight, raw_value} is expected", NULL);
    if ((k = unknown_member(o, known)))
        return apr_pstrcat(p, pre, ".", k, ": unknown field", NULL);
    if ((bad = text_member(p, o, "code", apr_pstrcat(p, pre, ".code", NULL), 64, &x->code)))
        return bad;
    if (!x->code)
        return apr_pstrcat(p, pre, ".code: required", NULL);
    if (!code_ok(x->code))
        return apr_psprintf(p,
                            "%s.code: lower-case letters, digits and '_', a letter first,"
                            " at most %d characters",
                            pre, CREDIT_INDICATOR_CODE_MAX);
    if ((bad = text_member(p, o, "name", apr_pstrcat(p, pre, ".name", NULL),
                           CREDIT_INDICATOR_NAME_MAX, &x->name)))
        return bad;
    if (!x->name)
        return apr_pstrcat(p, pre, ".name: required", NULL);
    if ((bad = decimal_member(p, o, "weight", apr_pstrcat(p, pre, ".weight", NULL), 1, 10000,
                              &x->weight, &given)))
        return bad;
    if (!given)
        return apr_pstrcat(p, pre, ".weight: required (a share of 100)", NULL);
    if ((bad = decimal_member(p, o, "raw_value", apr_pstrcat(p, pre, ".raw_value", NULL), 0, 10000,
                              &x->raw_value, &given)))
        return bad;
    if (!given)
        return apr_pstrcat(p, pre, ".raw_value: required (a rate in percent, 0 to 100)", NULL);
    /* weight x raw / 100, rounded half up to hundredths: in hundredths
     * that is w * r / 10000. */
    want = (x->weight * x->raw_value + 5000) / 10000;
    if ((bad = decimal_member(p, o, "score", apr_pstrcat(p, pre, ".score", NULL), 0, 10000, &score,
                              &given)))
        return bad;
    if (given && score != want)
        return apr_psprintf(p, "%s.score: must be weight x raw_value / 100 = %s, not %s", pre,
                            credit_hundredths_fmt(p, want), credit_hundredths_fmt(p, score));
    x->score = want;
    return NULL;
}

const char *credit_rating_parse(apr_pool_t *p, json_object *body, unsigned long long subject_id,
                                int year, credit_rating_in_t *out)
{
    /* subject, grade_label and published are read-only members of the GET
     * answer: ignored, so an answer can be edited and sent back. */
    static const char *const known[] = {"subject_id",   "year",       "score",   "grade",
                                        "published_on", "indicators", "subject", "grade_label",
                                        "published",    NULL};
    json_object *v, *list;
    const char *bad, *k, *grade = NULL;
    long long score = 0, sum_w = 0, total = 0;
    int given, i, j, n;
    credit_date_t d;

    memset(out, 0, sizeof *out);
    out->subject_id = subject_id;
    out->year = year;
    if ((k = unknown_member(body, known)))
        return apr_pstrcat(p, k, ": unknown field", NULL);
    if ((v = member(body, "subject_id")) &&
        (!json_object_is_type(v, json_type_int) ||
         (unsigned long long)json_object_get_int64(v) != subject_id ||
         json_object_get_int64(v) <= 0))
        return "subject_id: when given, the subject of the path";
    if ((v = member(body, "year")) &&
        (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) != year))
        return "year: when given, the year of the path";

    if ((bad = text_member(p, body, "published_on", "published_on", 10, &out->published_on)))
        return bad;
    if (!out->published_on)
        return "published_on: required (YYYY-MM-DD, the date the rating becomes public)";
    if (!credit_date_parse(out->published_on, &d))
        return "published_on: a real date YYYY-MM-DD";
    if (d.y < year || d.y > year + 2)
        return apr_psprintf(p, "published_on: between %d-01-01 and %d-12-31 for a rating of %d",
                            year, year + 2, year);

    list = member(body, "indicators");
    if (!list)
        return "indicators: required (code, name, weight, raw_value of each)";
    if (!json_object_is_type(list, json_type_array))
        return "indicators: an array is expected";
    n = (int)json_object_array_length(list);
    if (n < 1 || n > CREDIT_INDICATORS_MAX)
        return apr_psprintf(p, "indicators: 1 to %d indicators (%d given)", CREDIT_INDICATORS_MAX,
                            n);
    out->indicators = apr_array_make(p, n, sizeof(credit_indicator_in_t));
    for (i = 0; i < n; i++) {
        credit_indicator_in_t *x = apr_array_push(out->indicators);
        memset(x, 0, sizeof *x);
        if ((bad = indicator_parse(p, json_object_array_get_idx(list, (size_t)i), i, x)))
            return bad;
        for (j = 0; j < i; j++)
            if (!strcmp(APR_ARRAY_IDX(out->indicators, j, credit_indicator_in_t).code, x->code))
                return apr_psprintf(p, "indicators[%d].code: %s is given twice", i, x->code);
        sum_w += x->weight;
        total += x->score;
    }
    if (sum_w != 10000)
        return apr_psprintf(p, "indicators: the weights must add up to 100 (they add up to %s)",
                            credit_hundredths_fmt(p, sum_w));
    for (i = 0; i < n; i++)
        if (!strcmp(APR_ARRAY_IDX(out->indicators, i, credit_indicator_in_t).code,
                    CREDIT_RATING_TIMELY_CODE))
            break;
    if (i == n)
        return "indicators: complaint-handling timeliness (code " CREDIT_RATING_TIMELY_CODE
               ") is required";

    if ((bad = decimal_member(p, body, "score", "score", 0, 10000, &score, &given)))
        return bad;
    if (given && score != total)
        return apr_psprintf(p, "score: must be the sum of the indicator scores, %s (not %s)",
                            credit_hundredths_fmt(p, total), credit_hundredths_fmt(p, score));
    out->score = total;
    if ((bad = text_member(p, body, "grade", "grade", 1, &grade)))
        return bad;
    if (grade && !grade_label(grade))
        return "grade: one of A B C D";
    if (grade && strcmp(grade, credit_rating_grade(total)))
        return apr_psprintf(p,
                            "grade: a score of %s is grade %s (A from 90, B from 80, C from 60,"
                            " D below), not %s",
                            credit_hundredths_fmt(p, total), credit_rating_grade(total), grade);
    out->grade = credit_rating_grade(total);
    return NULL;
}

json_object *credit_rating_json(apr_pool_t *p, const credit_rating_in_t *r)
{
    json_object *o = json_object_new_object(), *list = json_object_new_array();
    int i;
    json_object_object_add(o, "subject_id", json_object_new_int64((int64_t)r->subject_id));
    json_object_object_add(o, "year", json_object_new_int(r->year));
    json_object_object_add(o, "score", decimal_json(p, r->score));
    credit_json_str(o, "grade", r->grade);
    credit_json_str(o, "grade_label", grade_label(r->grade));
    credit_json_str(o, "published_on", r->published_on);
    for (i = 0; r->indicators && i < r->indicators->nelts; i++) {
        const credit_indicator_in_t *x = &APR_ARRAY_IDX(r->indicators, i, credit_indicator_in_t);
        json_object *it = json_object_new_object();
        credit_json_str(it, "code", x->code);
        credit_json_str(it, "name", x->name);
        json_object_object_add(it, "weight", decimal_json(p, x->weight));
        json_object_object_add(it, "raw_value", decimal_json(p, x->raw_value));
        json_object_object_add(it, "score", decimal_json(p, x->score));
        json_object_array_add(list, it);
    }
    json_object_object_add(o, "indicators", list);
    return o;
}

/* ---- commitments ----------------------------------------------------------------- */

const char *credit_commitment_parse(apr_pool_t *p, json_object *body, int create,
                                    credit_commitment_in_t *out)
{
    /* id, the labels, subject and updated_at are read-only members of the
     * GET answer: ignored. */
    static const char *const known[] = {"subject_id",   "area",     "text",       "promised_on",
                                        "status",       "evidence", "id",         "area_label",
                                        "status_label", "subject",  "updated_at", NULL};
    json_object *v;
    const char *bad, *k;
    credit_date_t d;

    memset(out, 0, sizeof *out);
    if ((k = unknown_member(body, known)))
        return apr_pstrcat(p, k, ": unknown field", NULL);
    if ((v = member(body, "subject_id"))) {
        if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0)
            return "subject_id: the id of a street or township (a positive integer)";
        out->subject_id = (unsigned long long)json_object_get_int64(v);
    }
    if ((bad = text_member(p, body, "area", "area", 32, &out->area)))
        return bad;
    if (out->area && !area_label(out->area))
        return "area: one of " AREA_CODES;
    if ((bad = text_member(p, body, "text", "text", CREDIT_COMMITMENT_TEXT_MAX, &out->text)))
        return bad;
    if ((bad = text_member(p, body, "promised_on", "promised_on", 10, &out->promised_on)))
        return bad;
    if (out->promised_on && (!credit_date_parse(out->promised_on, &d) || d.y < 2000 || d.y > 2099))
        return "promised_on: a real date YYYY-MM-DD between 2000 and 2099";
    if ((bad = text_member(p, body, "status", "status", 16, &out->status)))
        return bad;
    if (out->status && !cstatus_label(out->status))
        return "status: one of pending kept broken";
    if ((bad = text_member(p, body, "evidence", "evidence", CREDIT_COMMITMENT_EVID_MAX,
                           &out->evidence)))
        return bad;
    if (create) {
        if (!out->subject_id)
            return "subject_id: required (a street or township)";
        if (!out->area)
            return "area: required (" AREA_CODES ")";
        if (!out->text)
            return "text: required";
        if (!out->promised_on)
            return "promised_on: required (YYYY-MM-DD)";
    } else if (!out->subject_id && !out->area && !out->text && !out->promised_on && !out->status &&
               !out->evidence) {
        return "body: nothing to change (subject_id area text promised_on status evidence)";
    }
    return NULL;
}

static int differs(const char *a, const char *b)
{
    return b && (!a || strcmp(a, b) != 0);
}

int credit_commitment_merge(apr_pool_t *p, const credit_commitment_in_t *cur,
                            const credit_commitment_in_t *change, credit_commitment_in_t *out,
                            const char **why)
{
    static const credit_commitment_in_t none;
    const credit_commitment_in_t *c = cur ? cur : &none;
    *why = NULL;
    *out = *c;
    if (cur && change->subject_id && change->subject_id != cur->subject_id) {
        *why = "subject_id: a commitment stays with its street or township";
        return 400;
    }
    if (change->subject_id)
        out->subject_id = change->subject_id;
    if (change->area)
        out->area = change->area;
    if (change->text)
        out->text = change->text;
    if (change->promised_on)
        out->promised_on = change->promised_on;
    if (change->evidence)
        out->evidence = change->evidence;
    out->status = change->status ? change->status : c->status ? c->status : "pending";
    /* A verdict (kept / broken) is public and final as a verdict: it may be
     * corrected to the other verdict, with evidence, but not taken back to
     * pending, and the promise it judged stays as it was. */
    if (cur && cur->status && strcmp(cur->status, "pending") != 0) {
        if (!strcmp(out->status, "pending")) {
            *why =
                apr_psprintf(p, "a commitment that is %s cannot go back to pending", cur->status);
            return 409;
        }
        if (differs(cur->area, change->area) || differs(cur->text, change->text) ||
            differs(cur->promised_on, change->promised_on)) {
            *why = apr_psprintf(p,
                                "a commitment that is %s keeps its promise (area, text,"
                                " promised_on); only status and evidence change",
                                cur->status);
            return 409;
        }
    }
    if (strcmp(out->status, "pending") != 0 && !out->evidence) {
        *why = apr_psprintf(p, "evidence: a commitment that is %s needs its evidence", out->status);
        return 400;
    }
    return 0;
}

json_object *credit_commitment_json(apr_pool_t *p, const credit_commitment_in_t *c)
{
    json_object *o = json_object_new_object();
    (void)p;
    json_object_object_add(o, "id", c->id ? json_object_new_int64((int64_t)c->id) : NULL);
    json_object_object_add(o, "subject_id", json_object_new_int64((int64_t)c->subject_id));
    credit_json_str(o, "area", c->area);
    credit_json_str(o, "area_label", area_label(c->area));
    credit_json_str(o, "text", c->text);
    credit_json_str(o, "promised_on", c->promised_on);
    credit_json_str(o, "status", c->status);
    credit_json_str(o, "status_label", cstatus_label(c->status));
    credit_json_str(o, "evidence", c->evidence);
    return o;
}
