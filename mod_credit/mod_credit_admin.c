/* mod_credit_admin.c: the "credit-admin" handler, switched on in its own
 * <Location> and protected only by Apache's authn/authz. It refuses to work
 * without r->user. Bodies are JSON (application/json, at most 1 MB). */
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
#include "credit_json.h"
#include "credit_store_maria.h"

APLOG_USE_MODULE(credit);

#define ADMIN_BODY_MAX (1024 * 1024)

/* Reads and parses a JSON body. Returns OK, or the HTTP status to answer. */
static int read_json(request_rec *r, json_object **out)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    char *buf;
    apr_size_t len = 0;
    long n;
    json_tokener *tok;
    int rv;

    *out = NULL;
    if (!ct || ap_cstr_casecmpn(ct, "application/json", 16) != 0 ||
        (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
        ap_discard_request_body(r);
        return HTTP_UNSUPPORTED_MEDIA_TYPE;
    }
    if ((rv = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK)) != OK)
        return rv;
    if (r->remaining > ADMIN_BODY_MAX)
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    buf = apr_palloc(r->pool, ADMIN_BODY_MAX + 1);
    if (ap_should_client_block(r)) {
        while ((n = ap_get_client_block(r, buf + len, ADMIN_BODY_MAX + 1 - len)) > 0) {
            len += (apr_size_t)n;
            if (len > ADMIN_BODY_MAX)
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
        }
        if (n < 0)
            return HTTP_BAD_REQUEST;
    }
    tok = json_tokener_new_ex(32);
    if (!tok)
        return HTTP_INTERNAL_SERVER_ERROR;
    /* Strict JSON, one value, nothing after it but white space. */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    *out = json_tokener_parse_ex(tok, buf, (int)len);
    rv = json_tokener_get_error(tok) == json_tokener_success ? OK : HTTP_BAD_REQUEST;
    if (rv == OK) {
        size_t end = json_tokener_get_parse_end(tok);
        while (end < len &&
               (buf[end] == ' ' || buf[end] == '\n' || buf[end] == '\r' || buf[end] == '\t'))
            end++;
        if (end != len)
            rv = HTTP_BAD_REQUEST;
    }
    json_tokener_free(tok);
    if (rv != OK && *out) {
        json_object_put(*out);
        *out = NULL;
    }
    return rv;
}

static apr_status_t put_json(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

int credit_admin_handler(request_rec *r)
{
    credit_dir_conf_t *dc;
    credit_srv_conf_t *sc;
    credit_req_t rq;
    json_object *body = NULL;
    const char *base, *path;
    credit_status_t rv;
    int st;

    if (!r->handler || strcmp(r->handler, "credit-admin") != 0)
        return DECLINED;
    dc = ap_get_module_config(r->per_dir_config, &credit_module);
    sc = ap_get_module_config(r->server->module_config, &credit_module);
    /* The <Location> path is known when a Credit directive stands in it;
     * otherwise the admin API's own prefix tells where the base ends. */
    base = dc->base;
    if (!base) {
        const char *api = strstr(r->uri, "/api/v1/");
        base = api ? apr_pstrmemdup(r->pool, r->uri, (apr_size_t)(api - r->uri)) : "";
    }
    if (strncmp(r->uri, base, strlen(base)) != 0)
        return DECLINED;
    path = r->uri + strlen(base);
    credit_security_headers(r);
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, M_POST, -1);
    if (r->method_number != M_GET && r->method_number != M_POST) {
        ap_discard_request_body(r);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    credit_request_setup(r, dc, path, &rq);
    rq.base = base;
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
    if (r->method_number == M_POST) {
        if ((st = read_json(r, &body)) != OK) {
            rq.status = st;
            rq.content_type = "application/json; charset=utf-8";
            rq.body = credit_json_error(r->pool, "bad_body",
                                        st == HTTP_REQUEST_ENTITY_TOO_LARGE ? "body over 1 MB"
                                        : st == HTTP_UNSUPPORTED_MEDIA_TYPE
                                            ? "Content-Type must be application/json"
                                            : "the body is not valid JSON",
                                        &rq.body_len);
            return credit_send(r, &rq);
        }
        if (body)
            apr_pool_cleanup_register(r->pool, body, put_json, apr_pool_cleanup_null);
    } else {
        ap_discard_request_body(r);
    }
    if (!sc->backend->pool || !sc->backend->apool) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "CR0902: credit-admin needs CreditDBAdmin");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    rq.store = credit_store_maria_open(r->pool, sc->backend->pool, sc->backend->wpool, rq.today);
    credit_maria_set_admin_pool(rq.store, sc->backend->apool);
    rv = credit_admin_dispatch(&rq, r->user, body);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "CR0903: %s %s by %s -> %d", r->method, path,
                  r->user, rq.status);
    (void)rv;
    return credit_send(r, &rq);
}
