/* mod_credit_handler.c: handler checks, request -> credit_req_t, dispatch,
 * status and headers. Everything a page decides lives in credit_page_*.c. */
#include <stddef.h> /* first: APR's ring macros then use offsetof, not a member of NULL */
#include <stdlib.h>
#include <string.h>
#include <httpd.h>
#include <http_config.h>
#include <http_core.h>
#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>
#include <apr_hash.h>
#include <apr_lib.h>

#include "mod_credit_config.h"
#include "mod_credit_handler.h"
#include "credit_page.h"
#include "credit_rules.h"
#include "credit_filter.h"
#include "credit_form.h"
#include "credit_token.h"
#include "credit_etag.h"

APLOG_USE_MODULE(credit);

static apr_array_header_t *template_dirs; /* named by CreditTemplateDir */
static apr_hash_t *template_caches;       /* template dir -> credit_templates_t */

void credit_handler_pre_config(apr_pool_t *pconf)
{
    template_dirs = apr_array_make(pconf, 4, sizeof(const char *));
    template_caches = NULL;
}

void credit_templates_register(const char *dir)
{
    *(const char **)apr_array_push(template_dirs) = dir;
}

/* The registered directories, the default one when it exists. */
static void registered_dirs(apr_pool_t *p)
{
    apr_finfo_t fi;
    int i;
    for (i = 0; i < template_dirs->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(template_dirs, i, const char *), CREDIT_DEFAULT_TEMPLATES) == 0)
            return;
    /* The default directory is loaded when it exists (after make install). */
    if (apr_stat(&fi, CREDIT_DEFAULT_TEMPLATES, APR_FINFO_TYPE, p) == APR_SUCCESS)
        credit_templates_register(CREDIT_DEFAULT_TEMPLATES);
}

int credit_handler_check(apr_pool_t *ptemp, server_rec *s)
{
    int i;
    registered_dirs(ptemp);
    for (i = 0; i < template_dirs->nelts; i++) {
        const char *dir = APR_ARRAY_IDX(template_dirs, i, const char *), *err;
        credit_templates_t *t;
        if (credit_templates_open(ptemp, dir, &t, &err) != CREDIT_OK) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "CR0106: CreditTemplateDir %s: %s", dir,
                         err);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

void credit_handler_init(apr_pool_t *pconf, server_rec *s)
{
    const char *err;
    int i;
    template_caches = apr_hash_make(pconf);
    registered_dirs(pconf);
    for (i = 0; i < template_dirs->nelts; i++) {
        const char *dir = APR_ARRAY_IDX(template_dirs, i, const char *);
        credit_templates_t *t;
        if (apr_hash_get(template_caches, dir, APR_HASH_KEY_STRING))
            continue;
        /* Read here, as the user httpd starts as: children may not be able to. */
        if (credit_templates_open(pconf, dir, &t, &err) != CREDIT_OK) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                         "CR0106: CreditTemplateDir %s: %s; its locations answer 500", dir, err);
            continue;
        }
        apr_hash_set(template_caches, dir, APR_HASH_KEY_STRING, t);
    }
}

static credit_templates_t *templates_for(const char *dir)
{
    return template_caches ? apr_hash_get(template_caches, dir, APR_HASH_KEY_STRING) : NULL;
}

static void log_request(void *baton, int level, const char *id, const char *msg)
{
    request_rec *r = baton;
    ap_log_rerror(APLOG_MARK, level, 0, r, "%s: %s", id, msg);
}

/* The conditional check of a page. A compressing filter in front changed
 * the tag the client or a cache holds (mod_deflate's W/"v-gzip"): the
 * suffix is taken off before httpd compares (credit_etag.h). The 304 then
 * goes through that filter as the 200 did (send_response), which puts the
 * suffix back. */
static int not_modified(credit_req_t *rq, const char *etag, long long mtime_sec)
{
    request_rec *r = rq->glue;
    const char *v;
    apr_table_setn(r->headers_out, "ETag", etag);
    if (mtime_sec > 0) {
        ap_update_mtime(r, apr_time_from_sec(mtime_sec));
        ap_set_last_modified(r);
    }
    if ((v = apr_table_get(r->headers_in, "If-None-Match")) != NULL)
        apr_table_setn(r->headers_in, "If-None-Match", credit_etag_uncode(r->pool, v));
    if ((v = apr_table_get(r->headers_in, "If-Match")) != NULL)
        apr_table_setn(r->headers_in, "If-Match", credit_etag_uncode(r->pool, v));
    return ap_meets_conditions(r) == HTTP_NOT_MODIFIED;
}

/* The media type of the route's answer, for a 304 too (rq->content_type
 * is set only by a page that renders). */
static const char *representation_type(const credit_req_t *rq)
{
    if (rq->content_type)
        return rq->content_type;
    if (rq->route.api)
        return "application/json; charset=utf-8";
    if (rq->route.id == CREDIT_ROUTE_CSV)
        return "text/csv; charset=utf-8";
    if (rq->route.id == CREDIT_ROUTE_FEED)
        return "application/atom+xml; charset=utf-8";
    return "text/html; charset=utf-8";
}

/* Headers every response of the portal carries, errors included. */
void credit_security_headers(request_rec *r)
{
    apr_table_t *h = r->err_headers_out;
    apr_table_setn(h, "X-Content-Type-Options", "nosniff");
    apr_table_setn(h, "X-Frame-Options", "DENY");
    apr_table_setn(h, "Referrer-Policy", "same-origin");
    apr_table_setn(h, "Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                   "script-src 'self'; object-src 'none'; base-uri 'none'; "
                   "frame-ancestors 'none'; form-action 'self'");
    apr_table_setn(h, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

/* Copies the page's status, type and headers to r. */
static void response_head(request_rec *r, credit_req_t *rq)
{
    const apr_array_header_t *arr = apr_table_elts(rq->headers);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    int i;
    for (i = 0; i < arr->nelts; i++)
        apr_table_set(rq->status >= 400 ? r->err_headers_out : r->headers_out, e[i].key, e[i].val);
    if (rq->status >= 400) {
        /* An error is nothing a cache may validate. */
        apr_table_unset(r->err_headers_out, "ETag");
        apr_table_unset(r->err_headers_out, "Last-Modified");
    }
    /* Public data may be read by any site's scripts; the staff handler's never. */
    if ((rq->route.api || rq->route.id == CREDIT_ROUTE_CSV || rq->route.id == CREDIT_ROUTE_XLSX ||
         rq->route.id == CREDIT_ROUTE_FEED) &&
        strcmp(r->handler, "credit") == 0)
        apr_table_setn(r->headers_out, "Access-Control-Allow-Origin", "*");
    r->status = rq->status ? rq->status : HTTP_INTERNAL_SERVER_ERROR;
    if (r->status >= 400) {
        /* An error is nothing a cache may validate. */
        apr_table_unset(r->headers_out, "ETag");
        apr_table_unset(r->headers_out, "Last-Modified");
    }
    if (r->status != HTTP_NOT_MODIFIED)
        ap_set_content_type(r, rq->content_type ? rq->content_type : "text/plain; charset=utf-8");
    else /* not sent with a 304, but output filters chosen by type see it */
        ap_set_content_type(r, representation_type(rq));
}

#define STREAM_FLUSH (64 * 1024)

/* credit_req_t.stream: the body goes out as it is made (chunked), flushed
 * every STREAM_FLUSH bytes so memory stays flat on long exports. */
static int stream(credit_req_t *rq, const char *buf, apr_size_t len)
{
    request_rec *r = rq->glue;
    apr_size_t *unflushed = rq->stream_state;
    if (!rq->streaming) {
        rq->streaming = 1;
        response_head(r, rq);
        unflushed = rq->stream_state = apr_pcalloc(r->pool, sizeof *unflushed);
    }
    if (r->header_only || r->connection->aborted)
        return r->connection->aborted ? -1 : 0;
    if (ap_rwrite(buf, (int)len, r) < 0)
        return -1;
    *unflushed += len;
    if (*unflushed >= STREAM_FLUSH) {
        *unflushed = 0;
        if (ap_rflush(r) < 0)
            return -1;
    }
    return 0;
}

/* credit_req_t.send_file: the whole file in one file bucket (sendfile
 * where httpd may), with its length. Its name is removed once it is open:
 * the open descriptor keeps the data until the request ends. */
static int send_file(credit_req_t *rq, const char *path)
{
    request_rec *r = rq->glue;
    apr_bucket_brigade *bb;
    apr_file_t *fd;
    apr_finfo_t fi;
    apr_status_t st;
    if ((st = apr_file_open(&fd, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, r->pool)) !=
            APR_SUCCESS ||
        (st = apr_file_info_get(&fi, APR_FINFO_SIZE, fd)) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, st, r, "CR0975: cannot read %s", path);
        return -1;
    }
    apr_file_remove(path, r->pool);
    rq->streaming = 1;
    response_head(r, rq);
    ap_set_content_length(r, fi.size);
    if (r->header_only)
        return 0;
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    apr_brigade_insert_file(bb, fd, 0, fi.size, r->pool);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(bb->bucket_alloc));
    return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS ? 0 : -1;
}

/* Reads an application/x-www-form-urlencoded body with ap_parse_form_data
 * under the byte and field-count limits of credit_form.h. Returns OK, or
 * 413 (too large: the page asks to shorten it), 411 (no length) or 415. */
int credit_read_form(request_rec *r, apr_table_t **out)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    apr_array_header_t *pairs = NULL;
    apr_table_t *t;
    apr_off_t len;
    char *end;
    int rv, i;

    if (!ct || ap_cstr_casecmpn(ct, "application/x-www-form-urlencoded", 33) != 0) {
        ap_discard_request_body(r);
        return HTTP_UNSUPPORTED_MEDIA_TYPE;
    }
    if (!cl) {
        ap_discard_request_body(r);
        return HTTP_LENGTH_REQUIRED;
    }
    if (apr_strtoff(&len, cl, &end, 10) != APR_SUCCESS || *end || len < 0 ||
        len > CREDIT_FORM_MAX_BYTES) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "CR0405: form body of %s bytes refused", cl);
        r->connection->keepalive = AP_CONN_CLOSE; /* the body is not read */
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    }
    rv = ap_parse_form_data(r, NULL, &pairs, CREDIT_FORM_MAX_FIELDS + 1, CREDIT_FORM_MAX_BYTES);
    if (rv != OK)
        return rv;
    if (pairs && pairs->nelts > CREDIT_FORM_MAX_FIELDS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "CR0406: form with too many fields refused");
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    }
    t = apr_table_make(r->pool, pairs ? pairs->nelts : 1);
    for (i = 0; pairs && i < pairs->nelts; i++) {
        ap_form_pair_t *pair = &APR_ARRAY_IDX(pairs, i, ap_form_pair_t);
        apr_off_t vlen = 0;
        apr_size_t size;
        char *buf;
        apr_brigade_length(pair->value, 1, &vlen);
        size = (apr_size_t)vlen;
        buf = apr_palloc(r->pool, size + 1);
        apr_brigade_flatten(pair->value, buf, &size);
        buf[size] = '\0';
        /* A value with an encoded NUL (%00) cannot travel as a C string: it
         * becomes invalid UTF-8: its field is refused and not redisplayed. */
        if (memchr(buf, '\0', size))
            buf[0] = '\xFF';
        apr_table_addn(t, pair->name, buf);
    }
    *out = t;
    return OK;
}

/* credit_req_t.limit: the client's address is hashed before it is a key. */
static int limit(credit_req_t *rq, const char *bucket, const char *once)
{
    request_rec *r = rq->glue;
    credit_srv_conf_t *sc = ap_get_module_config(r->server->module_config, &credit_module);
    credit_backend_t *b = sc->backend;
    unsigned char h[32];
    int is_submit = strcmp(bucket, "submit") == 0;
    if (!b->limiter || !b->keys)
        return 1;
    credit_token_hash(b->keys, 0, "client", credit_client_id(r->pool, rq->client_ip), h);
    return credit_limiter_hit(b->limiter, r,
                              apr_pstrcat(r->pool, bucket, ":", credit_hex(r->pool, h, 16), NULL),
                              once, is_submit ? b->submit_limit : b->lookup_limit,
                              is_submit ? b->submit_window : b->lookup_window);
}

static int send_response(request_rec *r, credit_req_t *rq)
{
    if (rq->streaming)
        return OK;
    response_head(r, rq);
    if (r->status == HTTP_NOT_MODIFIED) {
        /* A 304 must carry the Vary and ETag its 200 had after the output
         * filters (RFC 9110 15.4.5); mod_cache merges them into its entry,
         * and an entry whose Vary changed is filed as another variant and
         * loses its body. A compressing filter in front (mod_deflate adds
         * Vary: Accept-Encoding and the ETag's -gzip) is made to see the
         * 304 as it saw the 200: mod_filter, which applies
         * AddOutputFilterByType, passes statuses other than 200 by unless
         * filter-errordocs is set, and mod_deflate passes a response that
         * arrives whole and short untouched, so the headers go out on
         * their own first. */
        apr_table_setn(r->subprocess_env, "filter-errordocs", "1");
        ap_rflush(r);
        return OK;
    }
    ap_set_content_length(r, (apr_off_t)rq->body_len);
    if (!r->header_only && rq->body_len) {
        /* The body and its end in one brigade: a cache in front (mod_cache)
         * files the entry when it sees the end, before the client has the
         * last byte, so the client's next request finds it. */
        apr_bucket_brigade *bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
        APR_BRIGADE_INSERT_TAIL(
            bb, apr_bucket_pool_create(rq->body, rq->body_len, r->pool, bb->bucket_alloc));
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(bb->bucket_alloc));
        ap_pass_brigade(r->output_filters, bb);
    }
    return OK;
}

/* The page languages: a visitor's choice counts only for one whose
 * lang/<code>.hdf the templates have (the view fails otherwise). */
static const char *const page_langs[] = {"zh-CN", "en"};

static const char *lang_known(credit_templates_t *t, apr_pool_t *p, const char *v, size_t n)
{
    size_t i;
    for (i = 0; v && t && i < sizeof page_langs / sizeof page_langs[0]; i++)
        if (strlen(page_langs[i]) == n && ap_cstr_casecmpn(v, page_langs[i], n) == 0 &&
            credit_templates_file(t, apr_pstrcat(p, "lang/", page_langs[i], ".hdf", NULL)))
            return page_langs[i];
    return NULL;
}

/* rq->lang: ?lang=en|zh-CN of rq->args, the query the caller parsed (NULL
 * when it is malformed) (kept in a cookie, so it holds on every link),
 * else that cookie, else Accept-Language (en* over zh* by q-value), else
 * zh-CN. A value that is no language of the templates is ignored. Returns
 * 1 when the query chose it (the page then varies with nothing else). */
int credit_choose_lang(request_rec *r, credit_req_t *rq)
{
    const char *v, *lang = NULL;
    char *copy, *item, *state;
    double best_en = 0, best_zh = 0;
    int i, first = 0;

    if (rq->args && (v = apr_table_get(rq->args, "lang")) != NULL &&
        (lang = lang_known(rq->templates, r->pool, v, strlen(v))) != NULL) {
        const char *base = rq->base;
        for (i = 0; base[i]; i++) /* a <Location> path must not break the header */
            if (!apr_isgraph(base[i]) || base[i] == ';' || base[i] == ',')
                base = "";
        apr_table_addn(r->err_headers_out, "Set-Cookie",
                       apr_pstrcat(r->pool, "credit_lang=", lang, "; Path=", base,
                                   "/; Max-Age=31536000; SameSite=Lax; HttpOnly",
                                   ap_cstr_casecmp(ap_http_scheme(r), "https") ? "" : "; Secure",
                                   NULL));
        rq->lang = lang;
        return 1;
    }
    if (!lang && (v = apr_table_get(r->headers_in, "Cookie")) != NULL) {
        copy = apr_pstrdup(r->pool, v);
        for (item = apr_strtok(copy, ";", &state); item && !lang;
             item = apr_strtok(NULL, ";", &state)) {
            while (apr_isspace(*item))
                item++;
            if (strncmp(item, "credit_lang=", 12) == 0)
                lang = lang_known(rq->templates, r->pool, item + 12, strcspn(item + 12, " \t"));
        }
    }
    if (!lang && (v = apr_table_get(r->headers_in, "Accept-Language")) != NULL) {
        copy = apr_pstrdup(r->pool, v);
        for (item = apr_strtok(copy, ",", &state); item; item = apr_strtok(NULL, ",", &state)) {
            char *params = strchr(item, ';');
            double w = 1.0;
            size_t n;
            if (params) {
                *params++ = '\0';
                while (apr_isspace(*params))
                    params++;
                if (params[0] == 'q' && params[1] == '=')
                    w = atof(params + 2);
            }
            while (apr_isspace(*item))
                item++;
            n = strcspn(item, " \t");
            if (w <= 0 || n < 2 || (n > 2 && item[2] != '-'))
                continue;
            if (ap_cstr_casecmpn(item, "en", 2) == 0 && w > best_en) {
                best_en = w;
                first = first ? first : 'e';
            } else if (ap_cstr_casecmpn(item, "zh", 2) == 0 && w > best_zh) {
                best_zh = w;
                first = first ? first : 'z';
            }
        }
        if (best_en > best_zh || (best_en > 0 && best_en == best_zh && first == 'e'))
            lang = lang_known(rq->templates, r->pool, "en", 2);
    }
    rq->lang = lang ? lang : "zh-CN";
    return 0;
}

void credit_request_setup(request_rec *r, credit_dir_conf_t *dc, const char *path, credit_req_t *rq)
{
    memset(rq, 0, sizeof *rq);
    rq->pool = r->pool;
    rq->base = dc->base ? dc->base : "";
    rq->origin = dc->origin ? dc->origin : ap_construct_url(r->pool, "", r);
    rq->path = path;
    rq->route.name = "none";
    rq->headers = apr_table_make(r->pool, 8);
    rq->lang = "zh-CN";
    rq->page_size = credit_conf_page_size(dc);
    rq->count_bound = credit_conf_count_bound(dc);
    rq->dump_dir = dc->dump_dir;
    rq->lines_dir = dc->lines_dir;
    rq->lines_settle = dc->lines_settle;
    rq->dump_url = dc->dump_url;
    rq->today = credit_date_from_unix((long long)apr_time_sec(r->request_time));
    rq->now = (long long)apr_time_sec(r->request_time);
    rq->templates = templates_for(credit_conf_templates(dc));
    rq->build_id = apr_pstrcat(r->pool, CREDIT_VERSION ".",
                               rq->templates ? credit_templates_digest(rq->templates) : "0", NULL);
    rq->log = log_request;
    rq->log_baton = r;
    rq->glue = r;
    rq->not_modified = not_modified;
    rq->stream = stream;
    rq->send_file = send_file;
    rq->post = r->method_number == M_POST;
    rq->head = r->header_only;
}

/* 1 when the request's Host is a name of its server (ServerName or a
 * ServerAlias): only then are its pages kept in the child's cache, so
 * requests with made-up Host headers cannot fill it (their pages, whose
 * links follow the Host, are made afresh each time). */
static int host_is_known(request_rec *r)
{
    const server_rec *s = r->server;
    int i;
    if (!r->hostname)
        return 0;
    if (s->server_hostname && ap_cstr_casecmp(r->hostname, s->server_hostname) == 0)
        return 1;
    for (i = 0; s->names && i < s->names->nelts; i++)
        if (ap_cstr_casecmp(r->hostname, APR_ARRAY_IDX(s->names, i, const char *)) == 0)
            return 1;
    for (i = 0; s->wild_names && i < s->wild_names->nelts; i++)
        if (ap_strcasecmp_match(r->hostname, APR_ARRAY_IDX(s->wild_names, i, const char *)) == 0)
            return 1;
    return 0;
}

int credit_send(request_rec *r, credit_req_t *rq)
{
    return send_response(r, rq);
}

/* A fresh store for rq: reads from the backend's copies of the database,
 * with the search budgets of r's <Location>. */
static void open_store(request_rec *r, credit_backend_t *b, credit_req_t *rq)
{
    const credit_dir_conf_t *dc = ap_get_module_config(r->per_dir_config, &credit_module);
    credit_store_open_t o = {.pool = r->pool,
                             .today = rq->today,
                             .copies = b->copies,
                             .write_pool = b->wpool,
                             .cache = b->totals,
                             .gate = b->costly.gate,
                             .tallies = b->tallies,
                             .walk_rows = dc->walk_rows,
                             .probe_rows = dc->probe_rows};
    rq->store = credit_store_maria_open(&o);
}

/* Runs the page. When the copy of the database a GET was reading from went
 * away in the middle of it (a replica or the primary stopped), the page is
 * made again from the start on another copy, so that nothing on it mixes
 * two copies; nothing has been sent yet. (A POST keeps its 503: the forms
 * show what was typed, to be sent again.) */
static credit_status_t dispatch(request_rec *r, credit_backend_t *b, credit_req_t *rq)
{
    credit_status_t rv = credit_page_dispatch(rq);
    int again;
    for (again = 0; again < CREDIT_COPIES_MAX && rv == CREDIT_EUNAVAIL && !rq->post &&
                    !rq->streaming && credit_store_maria_lost(rq->store);
         again++) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "CR1037: a database copy went away during %s: made again from another",
                      rq->route.name);
        rq->status = 0;
        rq->content_type = NULL;
        rq->headers = apr_table_make(r->pool, 8);
        rq->body = NULL;
        rq->body_len = 0;
        open_store(r, b, rq);
        rv = credit_page_dispatch(rq);
    }
    return rv;
}

int credit_handler(request_rec *r)
{
    credit_dir_conf_t *dc;
    credit_srv_conf_t *sc;
    credit_req_t rq;
    apr_table_t *args = NULL, *form = NULL;
    int st = OK, by_query;
    const char *base, *path;
    size_t blen;
    credit_status_t rv, args_rv;

    if (!r->handler || strcmp(r->handler, "credit") != 0)
        return DECLINED;
    if (apr_table_get(r->notes, CREDIT_STATIC_NOTE))
        return DECLINED; /* <base>/static/: httpd serves the file */
    dc = ap_get_module_config(r->per_dir_config, &credit_module);
    sc = ap_get_module_config(r->server->module_config, &credit_module);
    if (!dc || !dc->base) {
        ap_discard_request_body(r);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "CR0950: SetHandler credit outside a plain <Location PATH>: say where the "
                      "portal is with CreditBase PATH");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    base = dc->base;
    blen = strlen(base);
    if (strncmp(r->uri, base, blen) != 0)
        return DECLINED; /* outside the portal's path (CreditBase elsewhere) */
    path = r->uri + blen;
    credit_security_headers(r);
    if (*path == '\0') {
        apr_table_setn(r->headers_out, "Location",
                       dc->origin
                           ? apr_pstrcat(r->pool, dc->origin, base, "/", NULL)
                           : ap_construct_url(r->pool, apr_pstrcat(r->pool, base, "/", NULL), r));
        return HTTP_MOVED_PERMANENTLY;
    }

    credit_request_setup(r, dc, path, &rq);
    rq.base = base;
    /* The query is parsed once, here. Every occurrence of a parameter is
     * kept, so a duplicated filter is an error rather than silently one of
     * its values; a malformed query is answered below, after the method
     * and the form, with a 400. */
    args_rv = credit_args_parse(r->pool, r->args, &args);
    rq.args = args_rv == CREDIT_OK ? args : NULL;
    by_query = credit_choose_lang(r, &rq);

    rv = credit_route_match(r->pool, path, &rq.route);
    /* A page in the visitor's language whose language the query does not
     * name follows the language cookie and Accept-Language: caches are told
     * so. The others vary with neither (credit_route_localized). */
    if (credit_route_localized(&rq.route) && !by_query && r->method_number == M_GET)
        apr_table_mergen(r->err_headers_out, "Vary", "Accept-Language, Cookie");
    /* What the Allow header of a 405 lists (GET implies HEAD). */
    if (rq.route.methods & CREDIT_M_POST)
        ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, M_POST, -1);
    else
        ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (rv == CREDIT_OK && r->method_number == M_GET && !(rq.route.methods & CREDIT_M_GET))
        rv = CREDIT_ENOTFOUND;
    if (rv == CREDIT_OK && r->method_number != M_GET &&
        !(r->method_number == M_POST && (rq.route.methods & CREDIT_M_POST))) {
        ap_discard_request_body(r);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (r->method_number != M_POST || rv != CREDIT_OK)
        ap_discard_request_body(r);
    else
        st = credit_read_form(r, &form);
    if (!rq.templates || !sc->backend->pool) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "CR0401: %s",
                      !rq.templates ? apr_pstrcat(r->pool, "templates of ",
                                                  credit_conf_templates(dc), " not loaded", NULL)
                                    : "no database configured (CreditDB)");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (args_rv != CREDIT_OK) {
        args = apr_table_make(r->pool, 1);
        rq.args = args;
        credit_msg_t m = {.key = "malformed"};
        credit_page_bad(&rq, 400, "bad_query", &m);
        return send_response(r, &rq);
    }
    rq.args = args;
    open_store(r, sc->backend, &rq);
    rq.totals = sc->backend->totals;
    rq.exports = sc->backend->exports.gate;
    rq.lists = sc->backend->lists.gate;
    rq.tallies = sc->backend->tallies;
    rq.pages = host_is_known(r) ? sc->backend->pages : NULL;
    rq.form = form;
    rq.keys = sc->backend->keys;
    rq.client_ip = r->useragent_ip;
    rq.fetch_site = apr_table_get(r->headers_in, "Sec-Fetch-Site");
    rq.sent_origin = apr_table_get(r->headers_in, "Origin");
    rq.self_origin = ap_construct_url(r->pool, "", r);
    rq.min_fill = sc->backend->min_fill;
    rq.max_age = sc->backend->max_age;
    rq.limit = limit;

    if (st != OK) /* the form could not be read: its own page (413 ...) */
        credit_page_error(&rq, st, "bad_form", NULL);
    else if (rv == CREDIT_OK)
        rv = dispatch(r, sc->backend, &rq);
    else
        credit_page_error(&rq, 404, "not_found", NULL);
    if (rv == CREDIT_EUNAVAIL)
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "CR0402: database unavailable, answered 503 for %s", rq.route.name);
    else if (rv == CREDIT_EINTERNAL)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "CR0403: internal error on %s", rq.route.name);
    else
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "CR0404: %s -> %d", rq.route.name, rq.status);
    return send_response(r, &rq);
}
