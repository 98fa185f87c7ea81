/* credit_search.c: see credit_search.h. */
#include <string.h>
#include <stdio.h>
#include <apr_strings.h>
#include <json.h>

#include "credit_search.h"
#include "credit_rules.h"

/* 1 when s is one or more CJK unified ideographs (U+3400..U+4DBF,
 * U+4E00..U+9FFF) and nothing else. Not the compatibility ideographs
 * (U+F900..U+FAFF): the engine's NormalizerAuto folds them into the unified
 * ones, while utf8mb4_unicode_ci's LIKE takes them for Kangxi radicals,
 * circled ideographs and one another but not for the unified ideograph
 * (measured, docs/SEARCH.md), so only the engine answers them, one way. */
static int cjk_only(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (!*u)
        return 0;
    while (*u) {
        unsigned long cp;
        if ((u[0] & 0xF0) != 0xE0 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
            return 0; /* every such ideograph is three bytes of UTF-8 */
        cp = ((unsigned long)(u[0] & 0x0F) << 12) | ((unsigned long)(u[1] & 0x3F) << 6) |
             (u[2] & 0x3F);
        if (!((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF)))
            return 0;
        u += 3;
    }
    return 1;
}

int credit_search_walkable(const credit_query_t *q)
{
    const credit_qterm_t *t;
    int i;
    if (!q || q->kind != CREDIT_Q_TEXT || !q->terms || q->terms->nelts == 0)
        return 0;
    t = (const credit_qterm_t *)q->terms->elts;
    for (i = 0; i < q->terms->nelts; i++)
        if (!cjk_only(t[i].text))
            return 0;
    return 1;
}

/* ---- the Groonga command ---- */

typedef struct {
    apr_pool_t *p;
    apr_array_header_t *parts;
} buf_t;

static void put(buf_t *b, const char *s)
{
    *(const char **)apr_array_push(b->parts) = s;
}

/* A script string literal: "s" with '"' and '\' escaped. */
static void put_string(buf_t *b, const char *s)
{
    char *out = apr_palloc(b->p, 2 * strlen(s) + 3), *o = out;
    *o++ = '"';
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    *o++ = '"';
    *o = '\0';
    put(b, out);
}

static void put_date(buf_t *b, credit_date_t d)
{
    char day[16];
    put(b, apr_psprintf(b->p, "\"%s 00:00:00\"", credit_date_fmt(d, day)));
}

/* A command argument: 's' with '\'' and '\' escaped. */
static const char *quote_arg(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, 2 * strlen(s) + 3), *o = out;
    *o++ = '\'';
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    *o++ = '\'';
    *o = '\0';
    return out;
}

/* The terms, matched in column col: positive groups ANDed ((a || b) && c),
 * then &! each negated one. 0 when there is no positive term. */
static int put_terms(buf_t *b, const credit_query_t *q, const char *col)
{
    const credit_qterm_t *t = (const credit_qterm_t *)q->terms->elts;
    int i, j, k, n = q->terms->nelts, positive = 0;
    put(b, "((");
    for (i = 0; i < n; i = j) {
        for (j = i + 1; j < n && t[j - 1].or_next; j++)
            ;
        if (t[i].negated)
            continue;
        if (positive++)
            put(b, " && ");
        put(b, "(");
        for (k = i; k < j; k++) {
            if (k > i)
                put(b, " || ");
            put(b, col);
            put(b, " @ ");
            put_string(b, t[k].text);
        }
        put(b, ")");
    }
    put(b, ")");
    for (i = 0; i < n; i++) {
        if (t[i].negated) {
            put(b, " &! ");
            put(b, col);
            put(b, " @ ");
            put_string(b, t[i].text);
        }
    }
    put(b, ")");
    return positive > 0;
}

/* value when it can name a column (a plain identifier), else NULL. (A
 * filter's value reaches here validated; the check keeps it so.) */
static const char *column_value(const char *v)
{
    const char *c;
    if (!v || !*v || strlen(v) > 16)
        return NULL;
    for (c = v; *c; c++)
        if (*c < 'a' || *c > 'z')
            return NULL;
    return v;
}

/* The column whose index a search of filter f reads: a domain's or a
 * category's own text (sql/023: body_<value> holds the text of
 * the records of that domain or category alone, so a word frequent
 * elsewhere costs only its hits within it), else every record's. */
static const char *text_column(apr_pool_t *p, const credit_filter_t *f)
{
    const char *v = column_value(f->domain);
    if (!v)
        v = column_value(f->category);
    return v ? apr_pstrcat(p, "body_", v, NULL) : "body";
}

const char *credit_grn_select(apr_pool_t *p, const credit_grn_select_t *s)
{
    const credit_filter_t *f = s->f;
    const char *const cols[6] = {"district", "subject_kind", "category",
                                 "domain",   "severity",     "status"};
    const char *const vals[6] = {f->district, f->kind,     f->category,
                                 f->domain,   f->severity, f->status};
    buf_t b = {p, apr_array_make(p, 64, sizeof(const char *))};
    const char *keys;
    int i;

    if (!s->q || !s->q->terms || !put_terms(&b, s->q, text_column(p, f)))
        return NULL;
    /* The public window of the day (the same rule as PUBLIC_SQL). */
    put(&b, " && listed == 1 && disclosed_on <= ");
    put_date(&b, s->today);
    put(&b, " && withdraw_on > ");
    put_date(&b, s->today);
    for (i = 0; i < 6; i++) {
        if (vals[i]) {
            put(&b, apr_pstrcat(p, " && ", cols[i], " == ", NULL));
            put_string(&b, vals[i]);
        }
    }
    if (f->from.y) {
        put(&b, " && disclosed_on >= ");
        put_date(&b, f->from);
    }
    if (f->to.y) {
        put(&b, " && disclosed_on <= ");
        put_date(&b, f->to);
    }
    if (s->with_cursor) {
        const char *op = s->scan_desc ? "<" : ">";
        put(&b, apr_pstrcat(p, " && (disclosed_on ", op, " ", NULL));
        put_date(&b, f->cursor.date);
        put(&b, " || (disclosed_on == ");
        put_date(&b, f->cursor.date);
        put(&b,
            apr_psprintf(p, " && _key %s %" APR_UINT64_T_FMT "))", op, (apr_uint64_t)f->cursor.id));
    }
    if (f->sort == CREDIT_SORT_RELEVANCE)
        keys = "-_score,-_key";
    else
        keys = s->scan_desc ? "-disclosed_on,-_key" : "disclosed_on,_key";
    return apr_psprintf(p,
                        "select %s --filter %s --sort_keys %s --offset %" APR_INT64_T_FMT
                        " --limit %" APR_INT64_T_FMT " --output_columns _key --cache no",
                        s->table, quote_arg(p, apr_array_pstrcat(p, b.parts, 0)), keys,
                        (apr_int64_t)s->offset, (apr_int64_t)s->limit);
}

credit_status_t credit_grn_parse(apr_pool_t *p, const char *json, long long *nhits,
                                 apr_array_header_t **ids)
{
    json_object *top = json ? json_tokener_parse(json) : NULL, *rs, *first;
    credit_status_t rv = CREDIT_EINTERNAL;
    size_t i, n;
    if (!top || !json_object_is_type(top, json_type_array) || json_object_array_length(top) < 1)
        goto out;
    rs = json_object_array_get_idx(top, 0);
    if (!json_object_is_type(rs, json_type_array) || (n = json_object_array_length(rs)) < 2)
        goto out;
    first = json_object_array_get_idx(rs, 0);
    if (!json_object_is_type(first, json_type_array) || json_object_array_length(first) < 1 ||
        !json_object_is_type(json_object_array_get_idx(first, 0), json_type_int))
        goto out;
    *nhits = json_object_get_int64(json_object_array_get_idx(first, 0));
    *ids = apr_array_make(p, (int)(n - 2), sizeof(unsigned long long));
    for (i = 2; i < n; i++) {
        json_object *row = json_object_array_get_idx(rs, i), *id;
        if (!json_object_is_type(row, json_type_array) || json_object_array_length(row) < 1)
            goto out;
        id = json_object_array_get_idx(row, 0);
        if (!json_object_is_type(id, json_type_int) || json_object_get_int64(id) < 0)
            goto out;
        *(unsigned long long *)apr_array_push(*ids) = (unsigned long long)json_object_get_int64(id);
    }
    rv = *nhits >= 0 ? CREDIT_OK : CREDIT_EINTERNAL;
out:
    if (top)
        json_object_put(top);
    return rv;
}
