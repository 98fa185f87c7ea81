/* credit_view.c: ClearSilver HDF building, template cache and rendering. */
#include <string.h>
#include <stdlib.h>
#include <apr_escape.h>
#include <apr_strings.h>
#include <apr_hash.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include <apr_sha1.h>
#include <ClearSilver.h>

#include "credit_view.h"
#include "credit_model.h"
#include "credit_text.h"

#define TEMPLATE_MAX (1024 * 1024)

struct credit_templates {
    apr_pool_t *pool;
    const char *dir;
    apr_hash_t *files;  /* relative path -> const char * contents; read-only after open */
    apr_hash_t *langs;  /* "zh-CN" -> HDF * parsed from lang/zh-CN.hdf; read-only after open */
    const char *digest; /* of every file's name and contents (credit_templates_digest) */
};

struct credit_view {
    apr_pool_t *pool;
    credit_templates_t *t;
    HDF *hdf;  /* this request's data */
    HDF *lang; /* the shared UI strings: ClearSilver's global HDF */
    const char *error;
};

static apr_status_t hdf_cleanup(void *data);
static const char *nerr_text(apr_pool_t *p, NEOERR *err);

/* Parses lang/NAME.hdf into t->langs: the UI strings are parsed once and
 * shared read-only by every request as the render's global HDF. */
static credit_status_t load_lang(credit_templates_t *t, const char *name, const char *text,
                                 const char **err)
{
    HDF *hdf;
    NEOERR *nerr = hdf_init(&hdf);
    if (nerr == STATUS_OK) {
        apr_pool_cleanup_register(t->pool, hdf, hdf_cleanup, apr_pool_cleanup_null);
        nerr = hdf_read_string(hdf, text);
    }
    if (nerr != STATUS_OK) {
        *err = apr_pstrcat(t->pool, name, ": ", nerr_text(t->pool, nerr), NULL);
        return CREDIT_EINTERNAL;
    }
    apr_hash_set(t->langs, apr_pstrndup(t->pool, name + 5, strlen(name) - 9), APR_HASH_KEY_STRING,
                 hdf);
    return CREDIT_OK;
}

/* Reads every .cs, .hdf and .json file below dir/rel into t. */
static credit_status_t load_dir(credit_templates_t *t, const char *rel, int depth, const char **err)
{
    apr_pool_t *tmp;
    apr_dir_t *d;
    apr_finfo_t fi;
    credit_status_t rv = CREDIT_OK;
    const char *path = *rel ? apr_pstrcat(t->pool, t->dir, "/", rel, NULL) : t->dir;

    if (depth > 4)
        return CREDIT_OK;
    apr_pool_create(&tmp, t->pool);
    if (apr_dir_open(&d, path, tmp) != APR_SUCCESS) {
        *err = apr_pstrcat(t->pool, "cannot open template directory ", path, NULL);
        apr_pool_destroy(tmp);
        return CREDIT_EINTERNAL;
    }
    while (rv == CREDIT_OK &&
           apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE | APR_FINFO_SIZE, d) == APR_SUCCESS) {
        /* fi.name lives in tmp: the hash keeps a copy in the cache's pool. */
        const char *name =
            *rel ? apr_pstrcat(t->pool, rel, "/", fi.name, NULL) : apr_pstrdup(t->pool, fi.name);
        size_t n = strlen(fi.name);
        if (fi.name[0] == '.')
            continue;
        if (fi.filetype == APR_DIR) {
            rv = load_dir(t, name, depth + 1, err);
        } else if (fi.filetype == APR_REG && n > 3 &&
                   (!strcmp(fi.name + n - 3, ".cs") || !strcmp(fi.name + n - 4, ".hdf") ||
                    (n > 5 && !strcmp(fi.name + n - 5, ".json")))) {
            char *text;
            apr_size_t len;
            apr_file_t *f;
            if (fi.size > TEMPLATE_MAX ||
                apr_file_open(&f, apr_pstrcat(tmp, t->dir, "/", name, NULL), APR_FOPEN_READ, 0,
                              tmp) != APR_SUCCESS) {
                *err = apr_pstrcat(t->pool, "cannot read template ", name, NULL);
                rv = CREDIT_EINTERNAL;
                break;
            }
            len = (apr_size_t)fi.size;
            text = apr_palloc(t->pool, len + 1);
            if (apr_file_read_full(f, text, len, &len) != APR_SUCCESS) {
                *err = apr_pstrcat(t->pool, "cannot read template ", name, NULL);
                rv = CREDIT_EINTERNAL;
                break;
            }
            text[len] = '\0';
            apr_hash_set(t->files, name, APR_HASH_KEY_STRING, text);
            if (!strncmp(name, "lang/", 5) && !strcmp(name + strlen(name) - 4, ".hdf"))
                rv = load_lang(t, name, text, err);
        }
    }
    apr_dir_close(d);
    apr_pool_destroy(tmp);
    return rv;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* SHA-1 over the files' names and contents in name order, 12 hex digits:
 * the same templates give the same digest on every host and after every
 * restart, and a deployment of other templates another one. */
static const char *digest_files(credit_templates_t *t)
{
    apr_array_header_t *names = apr_array_make(t->pool, 64, sizeof(const char *));
    apr_hash_index_t *hi;
    apr_sha1_ctx_t ctx;
    unsigned char d[APR_SHA1_DIGESTSIZE];
    char *hex = apr_palloc(t->pool, 13);
    int i;
    for (hi = apr_hash_first(t->pool, t->files); hi; hi = apr_hash_next(hi)) {
        const void *k;
        apr_hash_this(hi, &k, NULL, NULL);
        *(const char **)apr_array_push(names) = k;
    }
    qsort(names->elts, (size_t)names->nelts, sizeof(const char *), by_name);
    apr_sha1_init(&ctx);
    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        const char *text = apr_hash_get(t->files, name, APR_HASH_KEY_STRING);
        apr_sha1_update_binary(&ctx, (const unsigned char *)name, (unsigned int)strlen(name) + 1);
        apr_sha1_update_binary(&ctx, (const unsigned char *)text, (unsigned int)strlen(text) + 1);
    }
    apr_sha1_final(d, &ctx);
    apr_escape_hex(hex, d, 6, 0, NULL);
    return hex;
}

credit_status_t credit_templates_open(apr_pool_t *p, const char *dir, credit_templates_t **out,
                                      const char **err)
{
    credit_templates_t *t = apr_pcalloc(p, sizeof *t);
    credit_status_t rv;
    t->pool = p;
    t->dir = apr_pstrdup(p, dir);
    t->files = apr_hash_make(p);
    t->langs = apr_hash_make(p);
    *err = NULL;
    rv = load_dir(t, "", 0, err);
    if (rv == CREDIT_OK && !apr_hash_get(t->files, "layout.cs", APR_HASH_KEY_STRING)) {
        *err = apr_pstrcat(p, "no layout.cs in ", dir, NULL);
        rv = CREDIT_EINTERNAL;
    }
    if (rv == CREDIT_OK) {
        t->digest = digest_files(t);
        *out = t;
    }
    return rv;
}

const char *credit_templates_digest(const credit_templates_t *t)
{
    return t->digest;
}

/* Returns the contents of a template file, or NULL when there is none. */
static const char *template_get(credit_templates_t *t, const char *name)
{
    return apr_hash_get(t->files, name, APR_HASH_KEY_STRING);
}

const char *credit_templates_file(credit_templates_t *t, const char *name)
{
    return template_get(t, name);
}

static apr_status_t hdf_cleanup(void *data)
{
    HDF *hdf = data;
    hdf_destroy(&hdf);
    return APR_SUCCESS;
}

static const char *nerr_text(apr_pool_t *p, NEOERR *err)
{
    STRING s;
    const char *out;
    string_init(&s);
    nerr_error_string(err, &s);
    out = apr_pstrdup(p, s.buf ? s.buf : "unknown ClearSilver error");
    string_clear(&s);
    nerr_ignore(&err);
    return out;
}

credit_status_t credit_view_open(apr_pool_t *p, credit_templates_t *t, const char *lang,
                                 credit_view_t **out)
{
    credit_view_t *v = apr_pcalloc(p, sizeof *v);
    NEOERR *err;

    v->pool = p;
    v->t = t;
    *out = v;
    err = hdf_init(&v->hdf);
    if (err != STATUS_OK) {
        v->error = nerr_text(p, err);
        return CREDIT_EINTERNAL;
    }
    apr_pool_cleanup_register(p, v->hdf, hdf_cleanup, apr_pool_cleanup_null);
    v->lang = apr_hash_get(t->langs, lang, APR_HASH_KEY_STRING);
    if (!v->lang) {
        v->error = apr_pstrcat(p, "no language file ", t->dir, "/lang/", lang, ".hdf", NULL);
        return CREDIT_EINTERNAL;
    }
    /* Auto-escaping must be on before cs_init(). */
    hdf_set_value(v->hdf, "Config.VarEscapeMode", "html");
    hdf_set_value(v->hdf, "Page.Lang", lang);
    return CREDIT_OK;
}

void credit_view_set(credit_view_t *v, const char *name, const char *value)
{
    if (value)
        hdf_set_value(v->hdf, name, value);
}

void credit_view_set_int(credit_view_t *v, const char *name, long long value)
{
    hdf_set_value(v->hdf, name, apr_psprintf(v->pool, "%" APR_INT64_T_FMT, (apr_int64_t)value));
}

const char *credit_templates_text(credit_templates_t *t, const char *lang, const char *key)
{
    HDF *h = apr_hash_get(t->langs, lang, APR_HASH_KEY_STRING);
    return h ? hdf_get_value(h, key, NULL) : NULL;
}

const char *credit_view_label(credit_view_t *v, const char *kind, const char *code)
{
    const char *label;
    if (!code)
        return NULL;
    label = hdf_get_value(v->lang, apr_pstrcat(v->pool, "Lang.enum.", kind, ".", code, NULL), NULL);
    return label ? label : code;
}

/* The node name below parent (made when missing; NULL parent or out of
 * memory: NULL): a record's fields are set relative to it, not each walked
 * down from the root by its full name (a list of 20 records sets some 700
 * of them). */
static HDF *node_at(HDF *parent, const char *name)
{
    HDF *node = NULL;
    NEOERR *err = parent ? hdf_get_node(parent, name, &node) : STATUS_OK;
    if (err != STATUS_OK) {
        nerr_ignore(&err);
        return NULL;
    }
    return node;
}

static void put(HDF *node, const char *name, const char *value)
{
    if (node && value) {
        NEOERR *err = hdf_set_value(node, name, value);
        nerr_ignore(&err);
    }
}

static void put_date(HDF *node, const char *name, credit_date_t d)
{
    char buf[16];
    if (d.y)
        put(node, name, credit_date_fmt(d, buf));
}

static void put_label(credit_view_t *v, HDF *node, const char *field, const char *kind,
                      const char *code)
{
    char name[48];
    put(node, field, code);
    if (code && snprintf(name, sizeof name, "%s_label", field) < (int)sizeof name)
        put(node, name, credit_view_label(v, kind, code));
}

static void put_subject(credit_view_t *v, HDF *node, const credit_subject_t *s)
{
    char id[24];
    snprintf(id, sizeof id, "%" APR_UINT64_T_FMT, (apr_uint64_t)s->id);
    put(node, "id", id);
    put(node, "name", s->name);
    put_label(v, node, "kind", "kind", s->kind);
    put(node, "credit_code", s->credit_code);
    put_label(v, node, "district", "district", s->district);
    put_label(v, node, "level", "level", s->level);
    put(node, "position", s->position);
    put(node, "id_masked", s->id_masked);
    if (s->employer_id) {
        snprintf(id, sizeof id, "%" APR_UINT64_T_FMT, (apr_uint64_t)s->employer_id);
        put(node, "employer_id", id);
        put(node, "employer_name", s->employer_name);
    }
}

void credit_view_subject(credit_view_t *v, const char *prefix, const credit_subject_t *s)
{
    put_subject(v, node_at(v->hdf, prefix), s);
}

void credit_view_record(credit_view_t *v, const char *prefix, const credit_record_t *r, int detail)
{
    HDF *node = node_at(v->hdf, prefix);
    put(node, "no", r->record_no);
    put(node, "title", r->title);
    put_label(v, node, "category", "category", r->category);
    put_label(v, node, "domain", "domain", r->domain);
    put_label(v, node, "severity", "severity", r->severity);
    put_label(v, node, "status", "status", r->status);
    put(node, "decision_no", r->decision_no);
    put(node, "authority", r->authority);
    put(node, "decided_on", r->decided_on);
    put(node, "amount", r->amount);
    /* for people: 2,164,541.27 (the JSON and CSV keep the raw number) */
    put(node, "amount_fmt", credit_amount_fmt(v->pool, r->amount));
    put_date(node, "disclosed_on", r->clock.disclosed);
    put_date(node, "repair_from", r->clock.repair_from);
    put_date(node, "withdraw_on", r->clock.withdraw_on);
    put(node, "withdrawn_on", r->withdrawn_on);
    put(node, "updated_at", r->updated_at);
    put_subject(v, node_at(node, "subject"), &r->subject);
    if (!detail)
        return;
    put(node, "facts", r->facts);
    put(node, "legal_basis", r->legal_basis);
    put(node, "department", r->department);
    put(node, "rectification", r->rectification);
    put(node, "rectify_due", r->rectify_due);
    put(node, "rectified", r->rectified ? "1" : "0");
    put(node, "correction_note", r->correction_note);
}

/* An Atom entry's fields (templates/feed/atom.cs): a feed of 50 entries
 * builds a third of the nodes credit_view_record would. */
void credit_view_entry(credit_view_t *v, const char *prefix, const credit_record_t *r)
{
    HDF *node = node_at(v->hdf, prefix);
    put(node, "no", r->record_no);
    put(node, "title", r->title);
    put_label(v, node, "category", "category", r->category);
    put_label(v, node, "severity", "severity", r->severity);
    put(node, "decision_no", r->decision_no);
    put_date(node, "disclosed_on", r->clock.disclosed);
    put_date(node, "withdraw_on", r->clock.withdraw_on);
    put(node, "subject.name", r->subject.name);
    put_label(v, node, "subject.district", "district", r->subject.district);
    put(node, "facts", r->facts);
}

static NEOERR *fileload(void *ctx, HDF *hdf, const char *filename, char **contents)
{
    credit_view_t *v = ctx;
    const char *text = template_get(v->t, filename);
    (void)hdf;
    if (!text)
        return nerr_raise(NERR_NOT_FOUND, "template %s not found", filename);
    *contents = strdup(text); /* ClearSilver frees it */
    if (!*contents)
        return nerr_raise(NERR_NOMEM, "out of memory loading %s", filename);
    return STATUS_OK;
}

typedef struct {
    apr_pool_t *pool;
    char *buf;
    apr_size_t len, cap;
} outbuf_t;

static NEOERR *output(void *ctx, char *s)
{
    outbuf_t *o = ctx;
    apr_size_t n = strlen(s);
    if (o->len + n + 1 > o->cap) {
        apr_size_t cap = o->cap ? o->cap : 16384;
        char *nb;
        while (o->len + n + 1 > cap)
            cap *= 2;
        nb = apr_palloc(o->pool, cap);
        if (o->len)
            memcpy(nb, o->buf, o->len);
        o->buf = nb;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n + 1);
    o->len += n;
    return STATUS_OK;
}

/* ---- parsed templates, kept per thread ----
 * Parsing a page's templates cost more than everything else the module does
 * for it (callgrind over 600 record pages: half of httpd's instructions were
 * cs_parse_*). The parse tree depends only on the template files and on
 * Page.Template (the layout's include), never on a request's data, and
 * ClearSilver renders a tree again with other data: rendering reads the HDF
 * it is given and keeps its loop and macro variables on the C stack. A tree
 * is not safe to share between threads, so each thread keeps its own: one
 * parse per thread and page, for the life of the child. A render that fails
 * drops its tree (it may be left mid-state). */
#define PARSED_PER_THREAD 64
#define PARSED_KEY_MAX    160

typedef struct {
    const credit_templates_t *t;
    char key[PARSED_KEY_MAX]; /* top "|" Page.Template */
    HDF *init;                /* what the tree was parsed with */
    CSPARSE *cs;
} parsed_t;

static _Thread_local parsed_t parsed[PARSED_PER_THREAD];
static _Thread_local int parsed_next;

static void parsed_drop(parsed_t *e)
{
    cs_destroy(&e->cs);
    hdf_destroy(&e->init);
    e->t = NULL;
    e->key[0] = '\0';
}

/* The tree of (t, top, template) parsed by this thread, parsing it on first
 * use; NULL with v->error when the templates do not parse. */
static parsed_t *parsed_get(credit_view_t *v, const char *top)
{
    const char *page = hdf_get_value(v->hdf, "Page.Template", "");
    char key[PARSED_KEY_MAX];
    parsed_t *e;
    NEOERR *err;
    int i, n = snprintf(key, sizeof key, "%s|%s", top, page);
    if (n < 0 || n >= (int)sizeof key) {
        v->error = "template name too long";
        return NULL;
    }
    for (i = 0; i < PARSED_PER_THREAD; i++)
        if (parsed[i].cs && parsed[i].t == v->t && strcmp(parsed[i].key, key) == 0)
            return &parsed[i];
    e = &parsed[parsed_next];
    parsed_next = (parsed_next + 1) % PARSED_PER_THREAD;
    if (e->cs)
        parsed_drop(e);
    err = hdf_init(&e->init);
    if (err == STATUS_OK)
        err = hdf_set_value(e->init, "Config.VarEscapeMode", "html"); /* before cs_init */
    if (err == STATUS_OK)
        err = hdf_set_value(e->init, "Page.Template", page);
    if (err == STATUS_OK)
        err = cs_init(&e->cs, e->init);
    if (err == STATUS_OK) {
        cs_register_fileload(e->cs, v, fileload);
        err = cs_parse_file(e->cs, top);
    }
    if (err != STATUS_OK) {
        v->error = nerr_text(v->pool, err);
        parsed_drop(e);
        return NULL;
    }
    e->t = v->t;
    memcpy(e->key, key, (size_t)n + 1);
    return e;
}

static credit_status_t render(credit_view_t *v, const char *top, const char **out, apr_size_t *len)
{
    outbuf_t o = {v->pool, NULL, 0, 0};
    parsed_t *e = parsed_get(v, top);
    NEOERR *err;
    if (!e)
        return CREDIT_EINTERNAL;
    e->cs->hdf = v->hdf;
    e->cs->global_hdf = v->lang; /* read-only: lookups that miss the request's HDF land here */
    err = cs_render(e->cs, &o, output);
    e->cs->hdf = e->init; /* the request's HDF goes with its pool */
    e->cs->global_hdf = NULL;
    if (err != STATUS_OK) {
        v->error = nerr_text(v->pool, err);
        parsed_drop(e);
        return CREDIT_EINTERNAL;
    }
    *out = o.buf ? o.buf : "";
    *len = o.len;
    return CREDIT_OK;
}

credit_status_t credit_view_render(credit_view_t *v, const char *page, const char **out,
                                   apr_size_t *len)
{
    hdf_set_value(v->hdf, "Page.Template", page);
    return render(v, "layout.cs", out, len);
}

credit_status_t credit_view_render_page(credit_view_t *v, const char *page, const char **out,
                                        apr_size_t *len)
{
    return render(v, page, out, len);
}

const char *credit_view_error(const credit_view_t *v)
{
    return v->error;
}

apr_pool_t *credit_view_pool(credit_view_t *v)
{
    return v->pool;
}
