/* credit_filter.c: the one filter language of every list and its canonical
 * query string. Every value that reaches credit_filter_t is validated here;
 * enumeration fields point into the static tables of credit_model.c. */
#include <stddef.h>
#include <string.h>
#include <apr_escape.h>
#include <apr_strings.h>

#include "credit_filter.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

#define PAGE_NUMBER_MAX 100000

credit_status_t credit_args_parse(apr_pool_t *p, const char *query, apr_table_t **out)
{
    apr_table_t *t = apr_table_make(p, 8);
    char *copy, *pair, *state, *eq;
    const char *name, *value;

    *out = NULL;
    if (query != NULL && query[0] != '\0') {
        copy = apr_pstrdup(p, query);
        for (pair = apr_strtok(copy, "&", &state); pair; pair = apr_strtok(NULL, "&", &state)) {
            eq = strchr(pair, '=');
            if (eq) {
                *eq = '\0';
            }
            name = apr_punescape_url(p, pair, NULL, NULL, 1);
            value = eq ? apr_punescape_url(p, eq + 1, NULL, NULL, 1) : "";
            if (name == NULL || value == NULL) {
                return CREDIT_EINVAL;
            }
            if (name[0] != '\0') {
                apr_table_addn(t, name, value);
            }
        }
    }
    *out = t;
    return CREDIT_OK;
}

/* The values of one parameter: the first non-empty one and how many there are. */
typedef struct {
    const char *value;
    int count;
} param_values_t;

static int collect_value(void *rec, const char *key, const char *value)
{
    param_values_t *pv = rec;

    (void)key;
    if (value != NULL && value[0] != '\0') {
        if (pv->count++ == 0) {
            pv->value = value;
        }
    }
    return 1;
}

/* Sets err and returns CREDIT_EINVAL. */
static credit_status_t fail(credit_filter_error_t *err, const char *param, const char *key,
                            const char *message)
{
    if (err) {
        err->param = param;
        err->message = message;
        err->key = key;
        err->min = err->max = 0;
        err->choices = NULL;
    }
    return CREDIT_EINVAL;
}

/* fail() naming the range lo..hi. */
static credit_status_t fail_range(credit_filter_error_t *err, const char *param, long lo, long hi,
                                  const char *message)
{
    fail(err, param, "range", message);
    if (err) {
        err->min = lo;
        err->max = hi;
    }
    return CREDIT_EINVAL;
}

/* fail() with the codes of e as the accepted values (withdrawn statuses
 * left out when public_only). */
static credit_status_t fail_choice(apr_pool_t *p, credit_filter_error_t *err, const char *param,
                                   const char *key, const credit_enum_t *e, int public_only,
                                   const char *message)
{
    size_t i;
    fail(err, param, key, message);
    if (err) {
        err->choices = apr_array_make(p, (int)e->n, sizeof(const char *));
        for (i = 0; i < e->n; i++) {
            if (!public_only || !credit_status_withdrawn(e->items[i].code)) {
                APR_ARRAY_PUSH(err->choices, const char *) = e->items[i].code;
            }
        }
    }
    return CREDIT_EINVAL;
}

/* Looks up the single non-empty value of `name`. Returns CREDIT_OK with *value
 * NULL when absent, or CREDIT_EINVAL when it is given more than once. */
static credit_status_t get_param(apr_pool_t *p, const apr_table_t *args, const char *name,
                                 const char **value, credit_filter_error_t *err)
{
    param_values_t pv = {NULL, 0};

    if (args != NULL) {
        apr_table_do(collect_value, &pv, args, name, NULL);
    }
    *value = pv.value;
    if (pv.count > 1) {
        return fail(err, name, "twice", apr_psprintf(p, "%s is given more than once", name));
    }
    return CREDIT_OK;
}

/* U+3000 IDEOGRAPHIC SPACE */
#define IDEO_SPACE     "\xE3\x80\x80"
#define IDEO_SPACE_LEN 3

/* Validates and trims the search words. Returns CREDIT_OK with *out NULL when
 * only spaces were given. */
static credit_status_t parse_q(apr_pool_t *p, const char *raw, const char **out,
                               credit_filter_error_t *err)
{
    const char *s = raw, *end = raw + strlen(raw);
    const unsigned char *u;

    *out = NULL;
    if (!credit_utf8_valid(raw, (size_t)(end - raw))) {
        return fail(err, "q", "utf8", "q is not valid UTF-8");
    }
    for (;;) {
        if (s < end && credit_ascii_space((unsigned char)*s)) {
            s++;
        } else if (end - s >= IDEO_SPACE_LEN && memcmp(s, IDEO_SPACE, IDEO_SPACE_LEN) == 0) {
            s += IDEO_SPACE_LEN;
        } else {
            break;
        }
    }
    for (;;) {
        if (end > s && credit_ascii_space((unsigned char)end[-1])) {
            end--;
        } else if (end - s >= IDEO_SPACE_LEN &&
                   memcmp(end - IDEO_SPACE_LEN, IDEO_SPACE, IDEO_SPACE_LEN) == 0) {
            end -= IDEO_SPACE_LEN;
        } else {
            break;
        }
    }
    if (s == end) {
        return CREDIT_OK;
    }
    /* C0, DEL and C1 (U+0080..U+009F, encoded C2 80 .. C2 9F). */
    for (u = (const unsigned char *)s; u < (const unsigned char *)end; u++) {
        if (*u < 0x20 || *u == 0x7F || (*u == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F)) {
            return fail(err, "q", "control", "q contains control characters");
        }
    }
    if (credit_utf8_chars(s, (size_t)(end - s)) > CREDIT_Q_MAX_CHARS) {
        fail(err, "q", "too_long",
             apr_psprintf(p, "q is longer than %d characters", CREDIT_Q_MAX_CHARS));
        if (err) {
            err->max = CREDIT_Q_MAX_CHARS;
        }
        return CREDIT_EINVAL;
    }
    *out = apr_pstrmemdup(p, s, (size_t)(end - s));
    return CREDIT_OK;
}

/* A decimal integer lo..hi without sign, spaces or leading zeros. */
static int parse_int(const char *s, int lo, int hi, int *out)
{
    unsigned long long v;

    if (!credit_id_parse(s, &v) || v < (unsigned long long)lo || v > (unsigned long long)hi) {
        return 0;
    }
    *out = (int)v;
    return 1;
}

static int clamp_limit(int limit)
{
    return limit < 1 ? 1 : limit > CREDIT_PAGE_MAX ? CREDIT_PAGE_MAX : limit;
}

/* The enumeration filters: parameter name = the enum's name. */
static const struct {
    const credit_enum_t *e;
    size_t offset; /* of the const char * field in credit_filter_t */
} enum_params[] = {
    {&credit_districts, offsetof(credit_filter_t, district)},
    {&credit_kinds, offsetof(credit_filter_t, kind)},
    {&credit_categories, offsetof(credit_filter_t, category)},
    {&credit_domains, offsetof(credit_filter_t, domain)},
    {&credit_severities, offsetof(credit_filter_t, severity)},
};

static const char *const sort_names[] = {"newest", "oldest", "relevance"};

/* The same names as an enumeration, for the message that lists them. */
static const credit_enum_item_t sort_items[] = {
    {"newest", NULL, NULL}, {"oldest", NULL, NULL}, {"relevance", NULL, NULL}};
static const credit_enum_t sort_enum = {"sort", sort_items, 3};

static void filter_defaults(credit_filter_t *f, int default_limit)
{
    memset(f, 0, sizeof(*f));
    f->sort = CREDIT_SORT_NEWEST;
    f->page = 1;
    f->limit = clamp_limit(default_limit);
}

credit_status_t credit_filter_parse(apr_pool_t *p, const apr_table_t *args, int default_limit,
                                    credit_filter_t *f, credit_filter_error_t *err)
{
    credit_filter_t nf;
    const credit_enum_item_t *item;
    const char *v;
    credit_status_t rv;
    size_t i;

    filter_defaults(f, default_limit);
    filter_defaults(&nf, default_limit);
    if (err) {
        memset(err, 0, sizeof(*err));
    }

#define GET(name)                                                                                  \
    do {                                                                                           \
        if ((rv = get_param(p, args, (name), &v, err)) != CREDIT_OK) {                             \
            return rv;                                                                             \
        }                                                                                          \
    } while (0)

    GET("q");
    if (v && (rv = parse_q(p, v, &nf.q, err)) != CREDIT_OK) {
        return rv;
    }

    for (i = 0; i < sizeof(enum_params) / sizeof(enum_params[0]); i++) {
        const char *name = enum_params[i].e->name;

        GET(name);
        if (v) {
            item = credit_enum_find(enum_params[i].e, v);
            if (item == NULL) {
                return fail_choice(p, err, name, "choice", enum_params[i].e, 0,
                                   apr_psprintf(p, "%s is not a known code", name));
            }
            *(const char **)((char *)&nf + enum_params[i].offset) = item->code;
        }
    }

    GET("status");
    if (v) {
        item = credit_enum_find(&credit_statuses, v);
        if (item != NULL && credit_status_withdrawn(item->code)) {
            return fail_choice(p, err, "status", "withdrawn", &credit_statuses, 1,
                               "withdrawn records are never listed");
        }
        if (item == NULL) {
            return fail_choice(p, err, "status", "choice", &credit_statuses, 1,
                               "status must be published, contested or corrected");
        }
        nf.status = item->code;
    }

    GET("from");
    if (v && !credit_date_parse(v, &nf.from)) {
        return fail(err, "from", "date", "from must be a date YYYY-MM-DD");
    }
    GET("to");
    if (v && !credit_date_parse(v, &nf.to)) {
        return fail(err, "to", "date", "to must be a date YYYY-MM-DD");
    }
    if (nf.from.y && nf.to.y && credit_date_cmp(nf.from, nf.to) > 0) {
        return fail(err, "to", "to_before_from", "to is before from");
    }

    GET("sort");
    if (v) {
        for (i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++) {
            if (strcmp(v, sort_names[i]) == 0) {
                break;
            }
        }
        if (i == sizeof(sort_names) / sizeof(sort_names[0])) {
            return fail_choice(p, err, "sort", "choice", &sort_enum, 0,
                               "sort must be newest, oldest or relevance");
        }
        nf.sort = (credit_sort_t)i;
        if (nf.sort == CREDIT_SORT_RELEVANCE && nf.q == NULL) {
            return fail(err, "sort", "relevance_q", "sort=relevance needs search words (q)");
        }
    }

    GET("cursor");
    if (v) {
        if (!credit_cursor_parse(v, &nf.cursor)) {
            return fail(err, "cursor", "cursor", "cursor is not valid");
        }
        nf.has_cursor = 1;
    }

    GET("page");
    if (v && !parse_int(v, 1, PAGE_NUMBER_MAX, &nf.page)) {
        return fail_range(err, "page", 1, PAGE_NUMBER_MAX,
                          apr_psprintf(p, "page must be an integer from 1 to %d", PAGE_NUMBER_MAX));
    }

    GET("limit");
    if (v && !parse_int(v, 1, CREDIT_PAGE_MAX, &nf.limit)) {
        return fail_range(
            err, "limit", 1, CREDIT_PAGE_MAX,
            apr_psprintf(p, "limit must be an integer from 1 to %d", CREDIT_PAGE_MAX));
    }
#undef GET

    *f = nf;
    return CREDIT_OK;
}

/* Appends "name=value" (value URL-encoded) to the list. */
static void add_arg(apr_array_header_t *a, const char *name, const char *value)
{
    apr_pool_t *p = a->pool;

    if (value == NULL || value[0] == '\0') {
        return;
    }
    APR_ARRAY_PUSH(a, const char *) =
        apr_pstrcat(p, name, "=", apr_pescape_urlencoded(p, value), NULL);
}

const char *credit_filter_query(apr_pool_t *p, const credit_filter_t *f, int with_position,
                                int default_limit)
{
    apr_array_header_t *a = apr_array_make(p, 14, sizeof(const char *));
    char buf[11];
    size_t i;

    add_arg(a, "q", f->q);
    for (i = 0; i < sizeof(enum_params) / sizeof(enum_params[0]); i++) {
        add_arg(a, enum_params[i].e->name,
                *(const char *const *)((const char *)f + enum_params[i].offset));
    }
    add_arg(a, "status", f->status);
    if (f->from.y) {
        add_arg(a, "from", credit_date_fmt(f->from, buf));
    }
    if (f->to.y) {
        add_arg(a, "to", credit_date_fmt(f->to, buf));
    }
    if (f->sort != CREDIT_SORT_NEWEST &&
        (unsigned)f->sort < sizeof(sort_names) / sizeof(sort_names[0])) {
        add_arg(a, "sort", sort_names[f->sort]);
    }
    if (with_position) {
        if (f->has_cursor) {
            add_arg(a, "cursor", credit_cursor_fmt(p, &f->cursor));
        }
        if (f->page > 1) {
            add_arg(a, "page", apr_itoa(p, f->page));
        }
    }
    if (f->limit != clamp_limit(default_limit)) {
        add_arg(a, "limit", apr_itoa(p, f->limit));
    }
    return apr_array_pstrcat(p, a, '&');
}

/* Returns NULL when c is NULL or not a position (unset date, id 0). */
const char *credit_cursor_fmt(apr_pool_t *p, const credit_cursor_t *c)
{
    char buf[11];

    if (c == NULL || c->date.y == 0 || c->id == 0) {
        return NULL;
    }
    /* apr_psprintf knows no %llu: APR's own 64-bit format */
    return apr_psprintf(p, "%s%s.%" APR_UINT64_T_FMT, c->backward ? "-" : "",
                        credit_date_fmt(c->date, buf), (apr_uint64_t)c->id);
}

int credit_cursor_parse(const char *s, credit_cursor_t *out)
{
    credit_cursor_t c;
    char date[11];

    if (s == NULL) {
        return 0;
    }
    c.backward = s[0] == '-';
    s += c.backward;
    if (strlen(s) < 12 || s[10] != '.') {
        return 0;
    }
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!credit_date_parse(date, &c.date) || !credit_id_parse(s + 11, &c.id)) {
        return 0;
    }
    if (out) {
        *out = c;
    }
    return 1;
}
