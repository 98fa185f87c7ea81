/* credit_dump.c: see credit_dump.h. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <apr_strings.h>
#include <openssl/evp.h>

#include "credit_dump.h"
#include "credit_rules.h"
#include "credit_json.h"
#include "credit_validate.h"

/* ---- the digest ------------------------------------------------------------ */

typedef struct {
    apr_pool_t *p;
    char *buf;
    apr_size_t len, cap;
} canon_t;

static void put(canon_t *c, const char *s, apr_size_t n)
{
    if (c->len + n + 1 > c->cap) {
        apr_size_t cap = c->cap ? c->cap : 1024;
        char *nb;
        while (cap < c->len + n + 1)
            cap *= 2;
        nb = apr_palloc(c->p, cap);
        if (c->len)
            memcpy(nb, c->buf, c->len);
        c->buf = nb;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, s, n);
    c->len += n;
    c->buf[c->len] = '\0';
}

static void field(canon_t *c, const char *v)
{
    char head[32];
    if (!v) {
        put(c, "~,", 2);
        return;
    }
    snprintf(head, sizeof head, "%zu:", strlen(v));
    put(c, head, strlen(head));
    put(c, v, strlen(v));
    put(c, ",", 1);
}

static void date_field(canon_t *c, credit_date_t d)
{
    char buf[16];
    field(c, d.y ? credit_date_fmt(d, buf) : NULL);
}

const char *credit_dump_canonical(apr_pool_t *p, const credit_record_t *r, apr_size_t *len)
{
    canon_t c = {p, NULL, 0, 0};
    char id[24];
    field(&c, r->record_no);
    field(&c, r->title);
    field(&c, r->category);
    field(&c, r->domain);
    field(&c, r->severity);
    field(&c, r->status);
    field(&c, r->decision_no);
    field(&c, r->authority);
    field(&c, r->decided_on);
    date_field(&c, r->clock.disclosed);
    field(&c, r->amount);
    field(&c, r->facts);
    field(&c, r->legal_basis);
    field(&c, r->correction_note);
    field(&c, r->rectification);
    field(&c, r->rectify_due);
    field(&c, r->rectified ? "true" : "false");
    field(&c, r->updated_at);
    snprintf(id, sizeof id, "%llu", r->subject.id);
    field(&c, id);
    field(&c, r->subject.name);
    field(&c, r->subject.credit_code);
    field(&c, r->subject.position);
    *len = c.len;
    return c.buf ? c.buf : "";
}

uint64_t credit_dump_digest(apr_pool_t *p, const credit_record_t *r)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    apr_size_t len;
    const char *s = credit_dump_canonical(p, r, &len);
    uint64_t v = 0;
    int i;
    if (!EVP_Digest(s, len, md, &n, EVP_sha256(), NULL) || n < 8)
        return 0;
    for (i = 0; i < 8; i++)
        v = (v << 8) | md[i];
    return v;
}

char *credit_dump_hex64(uint64_t v, char *buf)
{
    snprintf(buf, 17, "%016llx", (unsigned long long)v);
    return buf;
}

/* ---- file names -------------------------------------------------------------- */

static const char *const format_names[CREDIT_DUMP_FORMATS] = {"jsonl", "csv"};

const char *credit_dump_format_name(credit_dump_format_t f)
{
    return f < CREDIT_DUMP_FORMATS ? format_names[f] : "?";
}

static int format_parse(const char *s, credit_dump_format_t *f)
{
    int i;
    for (i = 0; s && i < CREDIT_DUMP_FORMATS; i++)
        if (strcmp(s, format_names[i]) == 0) {
            *f = (credit_dump_format_t)i;
            return 1;
        }
    return 0;
}

const char *credit_dump_file_name(apr_pool_t *p, credit_date_t date, unsigned long long version,
                                  credit_dump_format_t f)
{
    return apr_psprintf(p, "records-%04d%02d%02d-v%" APR_UINT64_T_FMT ".%s.gz", date.y, date.m,
                        date.d, (apr_uint64_t)version, credit_dump_format_name(f));
}

/* Parses name; 1 with its date, version and format when it is valid. */
static int file_parse(const char *name, credit_date_t *date, unsigned long long *version,
                      credit_dump_format_t *f)
{
    char ymd[11], fmt[8];
    const char *s, *v, *dot;
    size_t nv;
    int i;
    if (!name || strncmp(name, "records-", 8) != 0)
        return 0;
    s = name + 8;
    for (i = 0; i < 8; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    if (strncmp(s + 8, "-v", 2) != 0)
        return 0;
    snprintf(ymd, sizeof ymd, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
    if (!credit_date_parse(ymd, date))
        return 0;
    v = s + 10;
    nv = strspn(v, "0123456789");
    if (nv == 0 || nv > 20 || (v[0] == '0' && nv > 1))
        return 0;
    dot = v + nv;
    if (*dot != '.' || strlen(dot + 1) >= sizeof fmt + 3)
        return 0;
    for (i = 0; i < CREDIT_DUMP_FORMATS; i++) {
        snprintf(fmt, sizeof fmt, "%s", format_names[i]);
        if (strncmp(dot + 1, fmt, strlen(fmt)) == 0 && strcmp(dot + 1 + strlen(fmt), ".gz") == 0)
            break;
    }
    if (i == CREDIT_DUMP_FORMATS)
        return 0;
    errno = 0;
    *version = strtoull(v, NULL, 10);
    if (errno)
        return 0;
    *f = (credit_dump_format_t)i;
    return 1;
}

int credit_dump_file_valid(const char *name)
{
    credit_date_t d;
    unsigned long long v;
    credit_dump_format_t f;
    return file_parse(name, &d, &v, &f);
}

/* ---- the index ------------------------------------------------------------------- */

static int is_hex(const char *s, size_t n)
{
    size_t i;
    if (!s || strlen(s) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static const char *get_str(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static int get_int(json_object *o, const char *key, long long *out)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
        return 0;
    *out = (long long)json_object_get_int64(v);
    return *out >= 0;
}

static const char *entry_parse(apr_pool_t *p, json_object *o, credit_dump_entry_t *e)
{
    const char *s;
    long long version;
    credit_date_t fd;
    unsigned long long fv;
    credit_dump_format_t ff;
    if (!json_object_is_type(o, json_type_object))
        return "an entry is not an object";
    memset(e, 0, sizeof *e);
    if (!(s = get_str(o, "date")) || !credit_date_parse(s, &e->date))
        return "date";
    if (!get_int(o, "version", &version))
        return "version";
    e->version = (unsigned long long)version;
    if (!format_parse(get_str(o, "format"), &e->format))
        return "format";
    s = get_str(o, "file");
    if (!file_parse(s, &fd, &fv, &ff) || credit_date_cmp(fd, e->date) != 0 || fv != e->version ||
        ff != e->format)
        return "file";
    e->file = apr_pstrdup(p, s);
    if (!get_int(o, "rows", &e->rows))
        return "rows";
    if (!get_int(o, "bytes", &e->bytes))
        return "bytes";
    if (!is_hex(s = get_str(o, "sha256"), 64))
        return "sha256";
    e->sha256 = apr_pstrdup(p, s);
    if (!get_int(o, "records", &e->records))
        return "records";
    if (!is_hex(s = get_str(o, "checksum"), 16))
        return "checksum";
    e->checksum = apr_pstrdup(p, s);
    if (!(s = get_str(o, "generated_at")) || strlen(s) > 40)
        return "generated_at";
    e->generated_at = apr_pstrdup(p, s);
    return NULL;
}

const char *credit_dump_index_parse(apr_pool_t *p, const char *text, apr_size_t len,
                                    apr_array_header_t **out)
{
    json_tokener *tok;
    json_object *root, *dumps;
    const char *err = NULL;
    size_t i, n;
    if (len > CREDIT_DUMP_INDEX_MAX)
        return "larger than 1 MB";
    tok = json_tokener_new();
    if (!tok)
        return "out of memory";
    root = json_tokener_parse_ex(tok, text, (int)len);
    if (!root || json_tokener_get_error(tok) != json_tokener_success ||
        json_tokener_get_parse_end(tok) != len) {
        json_tokener_free(tok);
        if (root)
            json_object_put(root);
        return "not a JSON document";
    }
    json_tokener_free(tok);
    if (!json_object_is_type(root, json_type_object) ||
        !json_object_object_get_ex(root, "dumps", &dumps) ||
        !json_object_is_type(dumps, json_type_array)) {
        json_object_put(root);
        return "no \"dumps\" array";
    }
    n = json_object_array_length(dumps);
    *out = apr_array_make(p, (int)n + 1, sizeof(credit_dump_entry_t));
    for (i = 0; i < n && !err; i++) {
        credit_dump_entry_t *e = apr_array_push(*out);
        const char *what = entry_parse(p, json_object_array_get_idx(dumps, i), e);
        if (what)
            err = apr_psprintf(p, "entry %" APR_SIZE_T_FMT ": bad %s", (apr_size_t)i, what);
    }
    json_object_put(root);
    return err;
}

json_object *credit_dump_index_array(const apr_array_header_t *entries, apr_pool_t *p,
                                     const char *files_url)
{
    json_object *arr = json_object_new_array();
    int i;
    for (i = 0; i < entries->nelts; i++) {
        const credit_dump_entry_t *e = &APR_ARRAY_IDX(entries, i, credit_dump_entry_t);
        json_object *it = json_object_new_object();
        char buf[16];
        credit_json_str(it, "date", credit_date_fmt(e->date, buf));
        json_object_object_add(it, "version", json_object_new_int64((int64_t)e->version));
        credit_json_str(it, "format", credit_dump_format_name(e->format));
        credit_json_str(it, "file", e->file);
        if (files_url)
            credit_json_str(it, "url", apr_pstrcat(p, files_url, e->file, NULL));
        json_object_object_add(it, "rows", json_object_new_int64(e->rows));
        json_object_object_add(it, "bytes", json_object_new_int64(e->bytes));
        credit_json_str(it, "sha256", e->sha256);
        json_object_object_add(it, "records", json_object_new_int64(e->records));
        credit_json_str(it, "checksum", e->checksum);
        credit_json_str(it, "generated_at", e->generated_at);
        json_object_array_add(arr, it);
    }
    return arr;
}

/* Newest date first; within a date the newest version; then format order. */
static int entry_order(const void *a, const void *b)
{
    const credit_dump_entry_t *x = a, *y = b;
    int c = credit_date_cmp(y->date, x->date);
    if (c)
        return c;
    if (x->version != y->version)
        return x->version < y->version ? 1 : -1;
    return (int)x->format - (int)y->format;
}

apr_array_header_t *credit_dump_index_merge(apr_pool_t *p, const apr_array_header_t *old,
                                            const apr_array_header_t *add, int keep_days,
                                            apr_array_header_t **dropped)
{
    apr_array_header_t *all =
        apr_array_make(p, old->nelts + add->nelts + 1, sizeof(credit_dump_entry_t));
    apr_array_header_t *kept = apr_array_make(p, all->nalloc, sizeof(credit_dump_entry_t));
    credit_date_t last = {0, 0, 0};
    unsigned long long last_version = 0;
    int i, dates = 0;
    *dropped = apr_array_make(p, 4, sizeof(const char *));
    for (i = 0; i < add->nelts; i++)
        *(credit_dump_entry_t *)apr_array_push(all) = APR_ARRAY_IDX(add, i, credit_dump_entry_t);
    for (i = 0; i < old->nelts; i++) {
        const credit_dump_entry_t *e = &APR_ARRAY_IDX(old, i, credit_dump_entry_t);
        int j, same = 0;
        for (j = 0; j < add->nelts; j++)
            if (strcmp(APR_ARRAY_IDX(add, j, credit_dump_entry_t).file, e->file) == 0)
                same = 1;
        if (!same) /* a file written again (the same snapshot) counts once */
            *(credit_dump_entry_t *)apr_array_push(all) = *e;
    }
    qsort(all->elts, (size_t)all->nelts, sizeof(credit_dump_entry_t), entry_order);
    for (i = 0; i < all->nelts; i++) {
        const credit_dump_entry_t *e = &APR_ARRAY_IDX(all, i, credit_dump_entry_t);
        int keep;
        if (!last.y || credit_date_cmp(e->date, last) != 0) {
            dates++;
            last = e->date;
            last_version = e->version;
        }
        /* one snapshot per date (the newest), the newest keep_days dates */
        keep = dates <= keep_days && e->version == last_version;
        if (keep) {
            *(credit_dump_entry_t *)apr_array_push(kept) = *e;
        } else {
            int j, mine = 0;
            for (j = 0; j < add->nelts; j++)
                if (strcmp(APR_ARRAY_IDX(add, j, credit_dump_entry_t).file, e->file) == 0)
                    mine = 1;
            if (!mine) /* the caller decides about the files it just wrote */
                *(const char **)apr_array_push(*dropped) = e->file;
        }
    }
    return kept;
}
