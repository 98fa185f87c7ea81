/* credit_form.c: the citizens' forms of SPEC 3 (complaint, objection, repair
 * application) and their validation. Every field is checked, each bad one
 * gets one specific message in the page's language (the patterns are
 * Lang.form.err.* of templates/lang/), and every value that is valid UTF-8 is
 * kept (trimmed) so the page can show the form again as it was typed.
 *
 * Rules, in the order they are applied to one field:
 *  1. a name given twice is an error (duplicate), the first value is kept;
 *  2. invalid UTF-8 is an error and the value is not kept (a NUL cannot reach
 *     this code: table values are C strings, the glue refuses decoded NULs);
 *  3. the value is trimmed of ASCII white space and U+3000 at both ends; in
 *     long text CR LF and lone CR become LF, as in a textarea's own value
 *     (HTML counts a line break as one character, so must we);
 *  4. empty: required / choose / confirm when required, else absent;
 *  5. text: no C0/C1 control character, DEL, U+2028 or U+2029 (long text
 *     allows TAB and LF); the message names the code point;
 *  6. length in code points against max_chars and min_chars;
 *  7. the check of the field's type.
 * Phone numbers take ASCII digits only. Full-width digits (typed with an
 * input method in full-width mode) are refused with a message that says so,
 * rather than silently rewritten: what is kept is what the person typed. */
#include <string.h>
#include <apr_strings.h>

#include "credit_form.h"
#include "credit_validate.h"

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

#define IDEO_SPACE "\xE3\x80\x80" /* U+3000 */

/* The codes of credit_districts and credit_domains (credit_model.c); a unit
 * test checks that both lists stay equal. */
static const char *const district_codes[] = {
    "city",   "heping",  "hedong", "hexi",  "nankai", "hebei",  "hongqiao", "dongli", "xiqing",
    "jinnan", "beichen", "wuqing", "baodi", "binhai", "ninghe", "jinghai",  "jizhou", NULL};
static const char *const domain_codes[] = {"procurement", "ppp",        "bidding", "investment",
                                           "debt",        "grassroots", "other",   NULL};
/* 本人 / 本单位 / 代理 */
static const char *const relation_codes[] = {"self", "unit", "agent", NULL};

/* name, type, required, max_chars, min_chars, choices. Every field
 * has a max_chars (the page makes it the input's maxlength); for dates,
 * phones, ids, choices and flags the type's own check is the tighter bound. */
static const credit_field_t complaint_fields[] = {
    {"target", CREDIT_FIELD_TEXT, 1, 100, 0, NULL},
    {"subject_id", CREDIT_FIELD_ID, 0, 16, 0, NULL},
    {"district", CREDIT_FIELD_ENUM, 1, 32, 0, district_codes},
    {"domain", CREDIT_FIELD_ENUM, 1, 32, 0, domain_codes},
    {"title", CREDIT_FIELD_TEXT, 1, 100, 5, NULL},
    {"content", CREDIT_FIELD_LONGTEXT, 1, 5000, 20, NULL},
    {"conduct_on", CREDIT_FIELD_DATE, 0, 10, 0, NULL},
    {"evidence", CREDIT_FIELD_LONGTEXT, 0, 2000, 0, NULL},
    {"name", CREDIT_FIELD_TEXT, 0, 50, 0, NULL},
    {"phone", CREDIT_FIELD_PHONE, 0, 20, 0, NULL},
    {"email", CREDIT_FIELD_EMAIL, 0, 254, 0, NULL},
};

static const credit_field_t objection_fields[] = {
    {"applicant", CREDIT_FIELD_TEXT, 1, 100, 0, NULL},
    {"contact", CREDIT_FIELD_CONTACT, 1, 254, 0, NULL},
    {"relation", CREDIT_FIELD_ENUM, 1, 32, 0, relation_codes},
    {"reason", CREDIT_FIELD_LONGTEXT, 1, 5000, 20, NULL},
    {"evidence", CREDIT_FIELD_LONGTEXT, 0, 2000, 0, NULL},
};

static const credit_field_t repair_fields[] = {
    {"applicant", CREDIT_FIELD_TEXT, 1, 100, 0, NULL},
    {"contact", CREDIT_FIELD_CONTACT, 1, 254, 0, NULL},
    {"rectification", CREDIT_FIELD_LONGTEXT, 1, 5000, 20, NULL},
    {"commitment", CREDIT_FIELD_LONGTEXT, 1, 2000, 20, NULL},
    {"confirm_rectified", CREDIT_FIELD_FLAG, 1, 1, 0, NULL},
};

/* Builds the message `code` for field f in the caller's language:
 * Lang.form.err.<code> with {label} (Lang.form.label.<name>), {max}, {min},
 * {n} (characters given) and {cp} (a code point) replaced. Without a text
 * source (or a string) the code and field name stand in for them. */
typedef struct {
    apr_pool_t *p;
    const credit_form_text_t *text;
    const credit_field_t *f;
    long n;
    unsigned long cp;
} msg_ctx_t;

static const char *say(const msg_ctx_t *m, const char *key)
{
    return m->text && m->text->say ? m->text->say(m->text->baton, key) : NULL;
}

static const char *message(const msg_ctx_t *m, const char *code)
{
    const char *pattern = say(m, apr_pstrcat(m->p, "Lang.form.err.", code, NULL));
    const char *label = say(m, apr_pstrcat(m->p, "Lang.form.label.", m->f->name, NULL));
    const char *s, *open, *close;
    char *out = "";

    if (!label)
        label = m->f->name;
    if (!pattern)
        return apr_pstrcat(m->p, code, ": ", label, NULL);
    for (s = pattern; (open = strchr(s, '{')) && (close = strchr(open, '}')); s = close + 1) {
        size_t n = (size_t)(close - open - 1);
        const char *with = NULL;
        if (n == 5 && !strncmp(open + 1, "label", n))
            with = label;
        else if (n == 3 && !strncmp(open + 1, "max", n))
            with = apr_itoa(m->p, m->f->max_chars);
        else if (n == 3 && !strncmp(open + 1, "min", n))
            with = apr_itoa(m->p, m->f->min_chars);
        else if (n == 1 && open[1] == 'n')
            with = apr_ltoa(m->p, m->n);
        else if (n == 2 && !strncmp(open + 1, "cp", n))
            with = apr_psprintf(m->p, "U+%04lX", m->cp);
        out = apr_pstrcat(m->p, out, apr_pstrmemdup(m->p, s, (size_t)(open - s)),
                          with ? with : apr_pstrmemdup(m->p, open, n + 2), NULL);
    }
    return apr_pstrcat(m->p, out, s, NULL);
}

const credit_field_t *credit_form_fields(credit_form_kind_t kind, int *n)
{
    const credit_field_t *f = NULL;
    size_t count = 0;

    switch (kind) {
    case CREDIT_FORM_COMPLAINT:
        f = complaint_fields, count = N_ITEMS(complaint_fields);
        break;
    case CREDIT_FORM_OBJECTION:
        f = objection_fields, count = N_ITEMS(objection_fields);
        break;
    case CREDIT_FORM_REPAIR:
        f = repair_fields, count = N_ITEMS(repair_fields);
        break;
    }
    if (n) {
        *n = (int)count;
    }
    return f;
}

/* ---- values ---- */

/* A copy of s without ASCII white space and U+3000 at either end. */
static char *trim(apr_pool_t *p, const char *s)
{
    const char *end = s + strlen(s);

    for (;;) {
        if (s < end && credit_ascii_space((unsigned char)*s)) {
            s++;
        } else if (end - s >= 3 && memcmp(s, IDEO_SPACE, 3) == 0) {
            s += 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (end > s && credit_ascii_space((unsigned char)end[-1])) {
            end--;
        } else if (end - s >= 3 && memcmp(end - 3, IDEO_SPACE, 3) == 0) {
            end -= 3;
        } else {
            break;
        }
    }
    return apr_pstrmemdup(p, s, (size_t)(end - s));
}

/* Rewrites CR LF and lone CR as LF, in place. */
static void newlines_lf(char *s)
{
    char *o = s;

    for (; *s; s++) {
        if (*s == '\r') {
            *o++ = '\n';
            if (s[1] == '\n') {
                s++;
            }
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

/* The first code point of valid UTF-8 s that text may not hold
 * (credit_char_allowed; long text keeps TAB and LF, CR is already gone).
 * Returns 1 and sets *bad when there is one, 0 otherwise. */
static int find_control(const char *s, int longtext, unsigned long *bad)
{
    const char *end = s + strlen(s);
    unsigned long cp;
    size_t n;

    while (s < end && (n = credit_utf8_next(s, (size_t)(end - s), &cp)) > 0) {
        s += n;
        if (longtext && (cp == '\t' || cp == '\n')) {
            continue;
        }
        if (!credit_char_allowed(cp, 0)) {
            *bad = cp;
            return 1;
        }
    }
    return 0;
}

/* ---- checks of the types ---- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Returns 1 when s[0..n) are all ASCII digits. */
static int all_digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!is_digit(s[i])) {
            return 0;
        }
    }
    return 1;
}

/* ^1[3-9][0-9]{9}$ (mobile) or ^0[1-9][0-9]{1,2}-?[0-9]{7,8}$ (fixed line). */
static int phone_valid(const char *s)
{
    size_t len = strlen(s);
    const char *dash;

    if (len == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s, len)) {
        return 1;
    }
    if (len < 2 || s[0] != '0' || s[1] < '1' || s[1] > '9') {
        return 0;
    }
    dash = strchr(s, '-');
    if (dash == NULL) {
        /* 0X + 1..2 area digits + 7..8 digits */
        return len >= 10 && len <= 12 && all_digits(s, len);
    }
    /* the area code is 0X plus 1 or 2 digits, the number 7 or 8 digits */
    return (dash - s == 3 || dash - s == 4) && all_digits(s, (size_t)(dash - s)) &&
           strlen(dash + 1) >= 7 && strlen(dash + 1) <= 8 && all_digits(dash + 1, strlen(dash + 1));
}

/* Returns 1 when s holds a full-width digit (U+FF10..U+FF19). */
static int has_fullwidth_digit(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    for (; *u; u++) {
        if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
            return 1;
        }
    }
    return 0;
}

static int email_local_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static int alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c);
}

/* local@domain.tld in ASCII (no quoted local parts, no address literals):
 * local part 1..64 characters of RFC 5322 atext with single inner dots;
 * domain of at least two labels of 1..63 letters, digits and inner hyphens,
 * the last one at least two letters (or an xn-- label); 254 at most. */
static int email_valid(const char *s)
{
    const char *at = strchr(s, '@'), *d, *label, *last = NULL;
    size_t len = strlen(s), i, n, labels = 0;

    if (at == NULL || strchr(at + 1, '@') != NULL || len > 254) {
        return 0;
    }
    n = (size_t)(at - s);
    if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.') {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (s[i] == '.' ? s[i + 1] == '.' : !email_local_char(s[i])) {
            return 0;
        }
    }
    for (d = at + 1; *d;) {
        label = d;
        while (alnum(*d) || *d == '-') {
            d++;
        }
        n = (size_t)(d - label);
        if (n == 0 || n > 63 || label[0] == '-' || d[-1] == '-') {
            return 0;
        }
        if (*d == '.') {
            d++;
            if (*d == '\0') {
                return 0; /* a trailing dot */
            }
        } else if (*d != '\0') {
            return 0;
        }
        last = label;
        labels++;
    }
    if (labels < 2) {
        return 0;
    }
    n = strlen(last);
    if (n >= 4 && strncmp(last, "xn--", 4) == 0) {
        return 1;
    }
    for (i = 0; i < n; i++) {
        if (is_digit(last[i]) || last[i] == '-') {
            return 0;
        }
    }
    return n >= 2;
}

static int date_before(credit_date_t a, credit_date_t b)
{
    return a.y != b.y ? a.y < b.y : a.m != b.m ? a.m < b.m : a.d < b.d;
}

static int in_choices(const char *const *choices, const char *v)
{
    for (; choices && *choices; choices++) {
        if (strcmp(*choices, v) == 0) {
            return 1;
        }
    }
    return 0;
}

/* ---- one field ---- */

/* The values given for one name: the first one and how many there are. */
typedef struct {
    const char *first;
    int count;
} occurrences_t;

static int count_value(void *rec, const char *key, const char *value)
{
    occurrences_t *o = rec;

    (void)key;
    if (o->count++ == 0) {
        o->first = value ? value : "";
    }
    return 1;
}

/* The message for a missing required field. */
static const char *missing_msg(const msg_ctx_t *m)
{
    switch (m->f->type) {
    case CREDIT_FIELD_ENUM:
        return message(m, "choose");
    case CREDIT_FIELD_FLAG:
        return message(m, "confirm");
    default:
        return message(m, "required");
    }
}

/* Checks the trimmed, non-empty, valid UTF-8 value v of f. Returns NULL
 * when it is good, else the message. */
static const char *check_value(msg_ctx_t *m, const char *v, credit_date_t today)
{
    static const credit_date_t earliest = {2000, 1, 1};
    const credit_field_t *f = m->f;
    long chars = credit_utf8_chars(v, strlen(v));
    credit_date_t date;

    m->n = chars;

    switch (f->type) {
    case CREDIT_FIELD_TEXT:
    case CREDIT_FIELD_LONGTEXT:
        if (find_control(v, f->type == CREDIT_FIELD_LONGTEXT, &m->cp)) {
            return message(m, "control");
        }
        if (f->max_chars > 0 && chars > f->max_chars) {
            return message(m, "too_long");
        }
        if (chars < f->min_chars) {
            return message(m, "too_short");
        }
        return NULL;
    case CREDIT_FIELD_DATE:
        if (!credit_date_parse(v, &date)) {
            return message(m, "date_format");
        }
        if (date_before(date, earliest)) {
            return message(m, "date_early");
        }
        if (today.y != 0 && date_before(today, date)) {
            return message(m, "date_future");
        }
        return NULL;
    case CREDIT_FIELD_PHONE:
        if (phone_valid(v)) {
            return NULL;
        }
        return message(m, has_fullwidth_digit(v) ? "phone_fullwidth" : "phone");
    case CREDIT_FIELD_EMAIL:
        if (f->max_chars > 0 && chars > f->max_chars) {
            return message(m, "too_long");
        }
        return email_valid(v) ? NULL : message(m, "email");
    case CREDIT_FIELD_CONTACT:
        if (strchr(v, '@') != NULL) {
            if (f->max_chars > 0 && chars > f->max_chars) {
                return message(m, "too_long");
            }
            return email_valid(v) ? NULL : message(m, "email");
        }
        if (phone_valid(v)) {
            return NULL;
        }
        return message(m, has_fullwidth_digit(v) ? "phone_fullwidth" : "contact");
    case CREDIT_FIELD_ENUM:
        return in_choices(f->choices, v) ? NULL : message(m, "choice");
    case CREDIT_FIELD_FLAG:
        return strcmp(v, "1") == 0 ? NULL : message(m, "flag");
    case CREDIT_FIELD_ID:
        return credit_id_parse(v, NULL) ? NULL : message(m, "id");
    }
    return message(m, "unchecked"); /* an unknown type in the table */
}

/* Validates field f of in into out. */
static void validate_field(apr_pool_t *p, const credit_field_t *f, const apr_table_t *in,
                           credit_date_t today, const credit_form_text_t *text, credit_form_t *out)
{
    msg_ctx_t m = {p, text, f, 0, 0};
    occurrences_t o = {NULL, 0};
    const char *msg;
    char *v;

    if (in != NULL) {
        apr_table_do(count_value, &o, in, f->name, NULL);
    }
    if (o.count == 0) {
        if (f->required) {
            apr_table_setn(out->errors, f->name, missing_msg(&m));
        }
        return;
    }
    if (!credit_utf8_valid(o.first, strlen(o.first))) {
        apr_table_setn(out->errors, f->name, message(&m, o.count > 1 ? "duplicate" : "utf8"));
        return;
    }
    v = trim(p, o.first);
    if (f->type == CREDIT_FIELD_LONGTEXT) {
        newlines_lf(v);
    }
    if (v[0] != '\0') {
        apr_table_setn(out->values, f->name, v);
    }
    if (o.count > 1) {
        msg = message(&m, "duplicate");
    } else if (v[0] == '\0') {
        msg = f->required ? missing_msg(&m) : NULL;
    } else {
        msg = check_value(&m, v, today);
    }
    if (msg != NULL) {
        apr_table_setn(out->errors, f->name, msg);
    }
}

credit_status_t credit_form_validate(apr_pool_t *p, credit_form_kind_t kind, const apr_table_t *in,
                                     credit_date_t today, const credit_form_text_t *text,
                                     credit_form_t *out)
{
    const credit_field_t *fields;
    int n, i;

    out->kind = kind;
    out->values = apr_table_make(p, 16);
    out->errors = apr_table_make(p, 4);
    fields = credit_form_fields(kind, &n);
    if (fields == NULL) {
        apr_table_setn(out->errors, "form", "unknown form");
        return CREDIT_EINVAL;
    }
    for (i = 0; i < n; i++) {
        validate_field(p, &fields[i], in, today, text, out);
    }
    return apr_is_empty_table(out->errors) ? CREDIT_OK : CREDIT_EINVAL;
}
