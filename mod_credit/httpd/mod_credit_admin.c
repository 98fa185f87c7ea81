/* mod_credit_admin.c: the "credit-admin" handler, switched on in its own
 * <Location> and protected only by Apache's authn/authz. It refuses to work
 * without r->user, and looks the login's staff row up before it reads any
 * body (a login without one is answered without it). Bodies are JSON
 * (application/json, at most 1 MB), JSON Lines for bulk imports (32 MB), or
 * the fields of the work queues' HTML forms. */
#include <stddef.h> /* first: APR's ring macros then use offsetof, not a member of NULL */
#include <stdlib.h>
#include <string.h>
#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>
#include <json.h>

#include "mod_credit_config.h"
#include "mod_credit_handler.h"
#include "credit_admin.h"
#include "credit_record_input.h"
#include "credit_json.h"
#include "credit_store_maria.h"
#include "credit_store_staff.h"
#include "credit_filter.h"

APLOG_USE_MODULE(credit);

/* 1 when the request declares a Content-Length over max. */
static int declared_over(request_rec *r, apr_size_t max)
{
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    apr_off_t n;
    char *end;
    return cl && apr_strtoff(&n, cl, &end, 10) == APR_SUCCESS && !*end && n > (apr_off_t)max;
}

/* Reads the whole body, at most max bytes: its buckets are set aside in
 * the request's pool as they arrive, then flattened into one buffer
 * (apr_brigade_flatten), so what a body costs is what was sent, not the
 * limit. A body over max is not read further (the connection closes after
 * the answer). Returns OK, the status to answer, or AP_FILTER_ERROR when
 * the input filters have answered already. */
static int read_raw(request_rec *r, apr_size_t max, char **out, apr_size_t *out_len)
{
    apr_bucket_brigade *bb, *body;
    apr_off_t len = 0;
    apr_size_t n;
    int eos = 0, st = OK;

    if (declared_over(r, max)) {
        r->connection->keepalive = AP_CONN_CLOSE; /* the body is not read */
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    body = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    while (!eos && st == OK) {
        apr_bucket *b;
        apr_off_t got;
        apr_status_t s = ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES, APR_BLOCK_READ,
                                        HUGE_STRING_LEN);
        if (s != APR_SUCCESS) {
            st = ap_map_http_request_error(s, HTTP_BAD_REQUEST);
            break;
        }
        eos = !APR_BRIGADE_EMPTY(bb) && APR_BUCKET_IS_EOS(APR_BRIGADE_LAST(bb));
        if (apr_brigade_length(bb, 1, &got) != APR_SUCCESS)
            st = HTTP_BAD_REQUEST;
        else if (got > (apr_off_t)max - len)
            st = HTTP_REQUEST_ENTITY_TOO_LARGE;
        for (b = APR_BRIGADE_FIRST(bb); st == OK && b != APR_BRIGADE_SENTINEL(bb);
             b = APR_BUCKET_NEXT(b))
            if (apr_bucket_setaside(b, r->pool) != APR_SUCCESS)
                st = HTTP_INTERNAL_SERVER_ERROR;
        if (st == OK) {
            len += got;
            APR_BRIGADE_CONCAT(body, bb);
        }
        apr_brigade_cleanup(bb);
    }
    if (st != OK) {
        apr_brigade_cleanup(body);
        r->connection->keepalive = AP_CONN_CLOSE; /* the rest is not read */
        return st;
    }
    n = (apr_size_t)len;
    *out = apr_palloc(r->pool, n + 1);
    if (apr_brigade_flatten(body, *out, &n) != APR_SUCCESS || n != (apr_size_t)len) {
        apr_brigade_cleanup(body);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_brigade_cleanup(body);
    (*out)[n] = '\0';
    *out_len = n;
    return OK;
}

/* A body that will not be read (no staff row, or an answer already
 * known): one declared over the largest body there is closes the
 * connection after the answer, any other is read and thrown away so the
 * connection can serve the next request. */
static void drop_body(request_rec *r)
{
    if (declared_over(r, CREDIT_ADMIN_LINES_MAX))
        r->connection->keepalive = AP_CONN_CLOSE;
    else
        ap_discard_request_body(r);
}

/* Strict JSON, one value, nothing after it but white space. */
static int parse_json(const char *buf, apr_size_t len, json_object **out)
{
    int ok = credit_admin_json_parse(buf, len, " \n\r\t", out);
    return ok < 0 ? HTTP_INTERNAL_SERVER_ERROR : ok ? OK : HTTP_BAD_REQUEST;
}

static int media_is(const char *ct, const char *type)
{
    size_t n = strlen(type);
    return ct && ap_cstr_casecmpn(ct, type, n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static apr_status_t put_json(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

/* Reads the body by its media type: a JSON value (application/json, 1 MB),
 * JSON Lines for bulk imports (application/x-ndjson, CREDIT_ADMIN_LINES_MAX)
 * or the fields of an HTML form of the work queues. Returns OK, or the
 * HTTP status to answer; *why says what was wrong. */
static int read_body(request_rec *r, credit_admin_body_t *in, const char **why)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    char *buf;
    apr_size_t len;
    int st;

    if (media_is(ct, "application/x-www-form-urlencoded")) {
        *why = "the form could not be read";
        return credit_read_form(r, &in->form);
    }
    if (media_is(ct, "application/x-ndjson") || media_is(ct, "application/jsonl")) {
        if ((st = read_raw(r, CREDIT_ADMIN_LINES_MAX, &buf, &len)) != OK) {
            *why = st == HTTP_REQUEST_ENTITY_TOO_LARGE ? "body over the import limit (32 MB)"
                                                       : "the body could not be read";
            return st;
        }
        in->lines = buf;
        in->lines_len = len;
        return OK;
    }
    if (!ct && !ap_request_has_body(r))
        return OK; /* nothing sent: the route says whether it needs a body */
    if (!media_is(ct, "application/json")) {
        ap_discard_request_body(r);
        *why = "Content-Type must be application/json (application/x-ndjson for imports)";
        return HTTP_UNSUPPORTED_MEDIA_TYPE;
    }
    if ((st = read_raw(r, CREDIT_ADMIN_JSON_MAX, &buf, &len)) != OK) {
        *why =
            st == HTTP_REQUEST_ENTITY_TOO_LARGE ? "body over 1 MB" : "the body could not be read";
        return st;
    }
    *why = "the body is not valid JSON";
    if ((st = parse_json(buf, len, &in->json)) != OK)
        return st;
    if (in->json)
        apr_pool_cleanup_register(r->pool, in->json, put_json, apr_pool_cleanup_null);
    return OK;
}

int credit_admin_handler(request_rec *r)
{
    credit_dir_conf_t *dc;
    credit_srv_conf_t *sc;
    credit_req_t rq;
    credit_admin_body_t in = {0};
    credit_staff_t *staff = NULL;
    const char *base, *path, *why = NULL;
    credit_status_t rv, found, args_rv;
    apr_table_t *args = NULL;
    int st;

    if (!r->handler || strcmp(r->handler, "credit-admin") != 0)
        return DECLINED;
    if (apr_table_get(r->notes, CREDIT_STATIC_NOTE))
        return DECLINED; /* <base>/static/: httpd serves the stylesheet */
    dc = ap_get_module_config(r->per_dir_config, &credit_module);
    sc = ap_get_module_config(r->server->module_config, &credit_module);
    if (!dc || !dc->base) {
        drop_body(r);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "CR0951: SetHandler credit-admin outside a plain <Location PATH>: say where "
                      "the staff pages are with CreditBase PATH");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    base = dc->base;
    if (strncmp(r->uri, base, strlen(base)) != 0)
        return DECLINED;
    path = r->uri + strlen(base);
    credit_security_headers(r);
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, M_POST, M_PUT, -1);
    if (r->method_number != M_GET && r->method_number != M_POST && r->method_number != M_PUT) {
        ap_discard_request_body(r);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    credit_request_setup(r, dc, path, &rq);
    rq.base = base;
    /* The query, parsed once: the language below, the routes after; a
     * malformed one is answered below with a 400. */
    args_rv = credit_args_parse(r->pool, r->args, &args);
    rq.args = args_rv == CREDIT_OK ? args : NULL;
    credit_choose_lang(r, &rq);
    rq.route.api = 1;
    rq.route.name = "admin";
    if (!r->user || !*r->user) {
        /* Only Apache's own authentication lets anyone in. */
        ap_discard_request_body(r);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "CR0901: credit-admin reached without an authenticated user: protect its "
                      "<Location> with Require");
        rq.status = HTTP_FORBIDDEN;
        rq.content_type = "application/json; charset=utf-8";
        rq.body = credit_json_error(r->pool, "no_user", "authentication required", &rq.body_len);
        return credit_send(r, &rq);
    }
    if (!sc->backend->pool || !sc->backend->apool) {
        drop_body(r);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "CR0902: credit-admin needs CreditDBAdmin");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    /* Staff read and write on the primary only (credit_maria_admin): they
     * see their own writes at once. */
    {
        credit_case_days_t *days = apr_palloc(r->pool, sizeof *days);
        credit_store_open_t o = {.pool = r->pool,
                                 .today = rq.today,
                                 .copies = sc->backend->copies,
                                 .write_pool = sc->backend->wpool,
                                 .admin_pool = sc->backend->apool,
                                 .case_days = days,
                                 .lookup_limit = sc->backend->official_limit,
                                 .lookup_window = sc->backend->official_window};
        credit_conf_case_days(dc, days);
        rq.store = credit_store_maria_open(&o);
    }
    rq.keys = sc->backend->keys;
    if (args_rv != CREDIT_OK) {
        drop_body(r);
        rq.status = HTTP_BAD_REQUEST;
        rq.content_type = "application/json; charset=utf-8";
        rq.body = credit_json_error(r->pool, "bad_query", "malformed query string", &rq.body_len);
        return credit_send(r, &rq);
    }
    rq.args = args;
    /* The staff row first: a login without one (or no database) gets its
     * answer without the body being read. */
    found = rq.store->admin->staff(rq.store, r->user, &staff);
    if (found != CREDIT_OK || r->method_number == M_GET) {
        drop_body(r);
    } else if ((st = read_body(r, &in, &why)) != OK) {
        if (st == AP_FILTER_ERROR)
            return st; /* the input filters answered */
        rq.status = st;
        rq.content_type = "application/json; charset=utf-8";
        rq.body = credit_json_error(r->pool, "bad_body", why, &rq.body_len);
        return credit_send(r, &rq);
    }
    rq.form = in.form;
    /* HEAD is GET without the body (httpd drops it): the GET route answers. */
    rv = credit_admin_dispatch(&rq, r->method_number == M_GET ? "GET" : r->method, r->user, found,
                               staff, &in);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "CR0903: %s %s by %s -> %d", r->method, path,
                  r->user, rq.status);
    (void)rv;
    return credit_send(r, &rq);
}
