/* mod_credit_config.c: the directives of mod_credit. A bad value fails
 * `apachectl configtest` with the directive's name. */
#include <string.h>
#include "mod_credit_config.h"
#include <apr_strings.h>
#include <http_log.h>

#include "credit_dsn.h"
#include "credit_validate.h"
#include "mod_credit_handler.h"

static credit_backend_t *backend_new(apr_pool_t *p)
{
    credit_backend_t *b = apr_pcalloc(p, sizeof *b);
    b->db.port = 3306;
    b->db.connect_timeout = 1;
    b->db.rw_timeout = 10;
    b->sizes.min = 0;
    b->sizes.smax = 8;
    b->sizes.max = 64;
    b->sizes.ttl = 60;
    b->sizes.acquire_ms = 1000;
    b->submit_limit = 10;
    b->submit_window = 600;
    b->lookup_limit = 20;
    b->lookup_window = 600;
    b->min_fill = 3;
    b->max_age = 86400;
    b->costly_max = 2;
    b->costly_wait_ms = 2000;
    return b;
}

void *credit_create_srv_conf(apr_pool_t *p, server_rec *s)
{
    credit_srv_conf_t *c = apr_pcalloc(p, sizeof *c);
    (void)s;
    c->backend = backend_new(p);
    return c;
}

/* A virtual host that sets nothing of its own shares its parent's backend
 * (and so its connection pools). One that sets something gets a backend of
 * its own: each setting its own where it set it, its parent's elsewhere
 * (a vhost setting CreditDB keeps its parent's CreditSecretFile; one setting
 * only CreditSubmitLimit keeps its parent's CreditDB and its own limit). */
void *credit_merge_srv_conf(apr_pool_t *p, void *basev, void *addv)
{
    credit_srv_conf_t *base = basev, *add = addv, *c = apr_pcalloc(p, sizeof *c);
    const credit_backend_t *a = add->backend, *pb = base->backend;
    credit_backend_t *b;
    if (!a->set) {
        c->backend = base->backend;
        return c;
    }
    b = apr_pmemdup(p, pb, sizeof *b);
    b->set = pb->set | a->set;
    if (a->set & CREDIT_SET_DB) {
        b->db = a->db;
        b->db_set = a->db_set;
    }
    if (a->set & CREDIT_SET_POOL) {
        b->sizes = a->sizes;
        b->sizes_set = a->sizes_set;
    }
    if (a->set & CREDIT_SET_WDB) {
        b->wdb = a->wdb;
        b->wdb_set = a->wdb_set;
    }
    if (a->set & CREDIT_SET_ADB) {
        b->adb = a->adb;
        b->adb_set = a->adb_set;
    }
    if (a->set & CREDIT_SET_SECRET)
        b->secret_file = a->secret_file;
    if (a->set & CREDIT_SET_LIMITER)
        b->limiter_spec = a->limiter_spec;
    if (a->set & CREDIT_SET_SUBMIT) {
        b->submit_limit = a->submit_limit;
        b->submit_window = a->submit_window;
    }
    if (a->set & CREDIT_SET_LOOKUP) {
        b->lookup_limit = a->lookup_limit;
        b->lookup_window = a->lookup_window;
    }
    if (a->set & CREDIT_SET_MINFILL)
        b->min_fill = a->min_fill;
    if (a->set & CREDIT_SET_MAXAGE)
        b->max_age = a->max_age;
    if (a->set & CREDIT_SET_COSTLY) {
        b->costly_max = a->costly_max;
        b->costly_wait_ms = a->costly_wait_ms;
    }
    /* What runs is made later, per backend: nothing is shared by copying. */
    b->pool = b->wpool = b->apool = NULL;
    b->totals = b->pages = NULL;
    b->tallies = NULL;
    b->gate = NULL;
    b->keys = NULL;
    b->limiter = NULL;
    c->backend = b;
    return c;
}

void *credit_create_dir_conf(apr_pool_t *p, char *dir)
{
    credit_dir_conf_t *c = apr_pcalloc(p, sizeof *c);
    if (dir) {
        char *b = apr_pstrdup(p, dir);
        size_t n = strlen(b);
        while (n > 0 && b[n - 1] == '/')
            b[--n] = '\0';
        c->base = b;
    }
    return c;
}

void *credit_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    credit_dir_conf_t *base = basev, *add = addv, *c = apr_pcalloc(p, sizeof *c);
    c->base = add->base ? add->base : base->base;
    c->template_dir = add->template_dir ? add->template_dir : base->template_dir;
    c->page_size = add->page_size ? add->page_size : base->page_size;
    c->count_bound = add->count_bound ? add->count_bound : base->count_bound;
    c->origin = add->origin ? add->origin : base->origin;
#define DAYS(f) c->case_days.f = add->case_days.f ? add->case_days.f : base->case_days.f
    DAYS(complaint);
    DAYS(objection);
    DAYS(repair);
    DAYS(repair_reply);
#undef DAYS
    return c;
}

const char *credit_conf_templates(const credit_dir_conf_t *d)
{
    return d->template_dir ? d->template_dir : CREDIT_DEFAULT_TEMPLATES;
}

int credit_conf_count_bound(const credit_dir_conf_t *d)
{
    return d->count_bound ? d->count_bound : CREDIT_DEFAULT_COUNT_BOUND;
}

int credit_conf_page_size(const credit_dir_conf_t *d)
{
    return d->page_size ? d->page_size : CREDIT_DEFAULT_PAGE_SIZE;
}

void credit_conf_case_days(const credit_dir_conf_t *d, credit_case_days_t *out)
{
    const credit_case_days_t *def = &credit_case_days_default;
    out->complaint = d->case_days.complaint ? d->case_days.complaint : def->complaint;
    out->objection = d->case_days.objection ? d->case_days.objection : def->objection;
    out->repair = d->case_days.repair ? d->case_days.repair : def->repair;
    out->repair_reply = d->case_days.repair_reply ? d->case_days.repair_reply : def->repair_reply;
}

static credit_backend_t *backend(cmd_parms *cmd)
{
    credit_srv_conf_t *c = ap_get_module_config(cmd->server->module_config, &credit_module);
    return c->backend;
}

static const char *set_dsn(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_backend_t *b = backend(cmd);
    const char *err = credit_dsn_parse(cmd->pool, arg, &b->db);
    (void)dc;
    if (err)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", err, NULL);
    b->db_set = 1;
    b->set |= CREDIT_SET_DB;
    return NULL;
}

/* CreditDBWrite (the INSERT-only user of submissions) and CreditDBAdmin
 * (the staff writer of credit-admin): keys they leave out come from
 * CreditDB; user= is required. */
static const char *set_other_dsn(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_backend_t *b = backend(cmd);
    int admin = !strcmp(cmd->info, "admin");
    credit_db_params_t *db = admin ? &b->adb : &b->wdb;
    const char *err;
    (void)dc;
    err = credit_dsn_parse(cmd->pool, arg, db);
    if (err)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", err, NULL);
    if (!db->user)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": user= is required", NULL);
    b->set |= admin ? CREDIT_SET_ADB : CREDIT_SET_WDB;
    if (admin)
        b->adb_set = 1;
    else
        b->wdb_set = 1;
    return NULL;
}

static const char *set_secret_file(cmd_parms *cmd, void *dc, const char *arg)
{
    (void)dc;
    backend(cmd)->secret_file = ap_server_root_relative(cmd->pool, arg);
    backend(cmd)->set |= CREDIT_SET_SECRET;
    return NULL;
}

static const char *set_limiter(cmd_parms *cmd, void *dc, const char *arg)
{
    (void)dc;
    backend(cmd)->limiter_spec = arg;
    backend(cmd)->set |= CREDIT_SET_LIMITER;
    return NULL;
}

/* CreditSubmitLimit / CreditLookupLimit N SECONDS */
static const char *set_limit(cmd_parms *cmd, void *dc, const char *n, const char *secs)
{
    credit_backend_t *b = backend(cmd);
    unsigned long limit, window;
    (void)dc;
    if (!credit_parse_uint(n, 0, 100000, &limit) || !credit_parse_uint(secs, 1, 86400, &window))
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": expected a count (0 = no limit) and a window of 1..86400 seconds",
                           NULL);
    if (!strcmp(cmd->info, "submit")) {
        b->submit_limit = (int)limit;
        b->submit_window = (int)window;
        b->set |= CREDIT_SET_SUBMIT;
    } else {
        b->lookup_limit = (int)limit;
        b->lookup_window = (int)window;
        b->set |= CREDIT_SET_LOOKUP;
    }
    return NULL;
}

static const char *set_form_time(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_backend_t *b = backend(cmd);
    unsigned long n;
    (void)dc;
    if (!credit_parse_uint(arg, 0, 7 * 86400, &n))
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": expected seconds, got '", arg, "'", NULL);
    if (!strcmp(cmd->info, "min")) {
        b->min_fill = (int)n;
        b->set |= CREDIT_SET_MINFILL;
    } else {
        b->max_age = (int)n;
        b->set |= CREDIT_SET_MAXAGE;
    }
    return NULL;
}

/* CreditCostlyQueries N [WAIT_MS]: searches, counted totals and statistics
 * a child runs at a time, and how long one more waits for a place. */
static const char *set_costly(cmd_parms *cmd, void *dc, const char *n, const char *wait)
{
    credit_backend_t *b = backend(cmd);
    unsigned long max, ms = (unsigned long)b->costly_wait_ms;
    (void)dc;
    if (!credit_parse_uint(n, 1, 1000, &max) || (wait && !credit_parse_uint(wait, 0, 60000, &ms)))
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": expected 1..1000 statements at a time and optionally a wait of "
                           "0..60000 ms",
                           NULL);
    b->costly_max = (int)max;
    b->costly_wait_ms = (int)ms;
    b->set |= CREDIT_SET_COSTLY;
    return NULL;
}

/* CreditDBHost, CreditDBUser ...: one key of the DSN each. */
static const char *set_db_key(cmd_parms *cmd, void *dc, const char *arg)
{
    const char *key = cmd->info;
    if (strchr(arg, ' ') || strchr(arg, '\t'))
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": must not contain spaces", NULL);
    return set_dsn(cmd, dc, apr_pstrcat(cmd->pool, key, "=", arg, NULL));
}

static const char *set_pool(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_backend_t *b = backend(cmd);
    const char *which = cmd->info;
    unsigned long n, low = !strcmp(which, "min") ? 0 : 1;
    (void)dc;
    if (!credit_parse_uint(arg, low, 10000, &n))
        return apr_psprintf(cmd->pool, "%s: expected a whole number from %lu to 10000, got '%s'",
                            cmd->cmd->name, low, arg);
    if (!strcmp(which, "min"))
        b->sizes.min = (int)n;
    else if (!strcmp(which, "keep"))
        b->sizes.smax = (int)n;
    else if (!strcmp(which, "max"))
        b->sizes.max = (int)n;
    else if (!strcmp(which, "ttl"))
        b->sizes.ttl = (int)n;
    else
        b->sizes.acquire_ms = (int)n;
    b->sizes_set = 1;
    b->set |= CREDIT_SET_POOL;
    return NULL;
}

static const char *set_templates(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_dir_conf_t *d = dc;
    apr_finfo_t fi;
    const char *path = ap_server_root_relative(cmd->pool, arg);
    if (!path || apr_stat(&fi, path, APR_FINFO_TYPE, cmd->pool) != APR_SUCCESS ||
        fi.filetype != APR_DIR)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg, "' is not a directory", NULL);
    if (apr_stat(&fi, apr_pstrcat(cmd->pool, path, "/layout.cs", NULL), APR_FINFO_TYPE,
                 cmd->pool) != APR_SUCCESS)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": no layout.cs in '", arg, "'", NULL);
    d->template_dir = path;
    credit_templates_register(path);
    return NULL;
}

/* CreditPublicOrigin https://host[:port]: the origin of every absolute URL
 * the portal writes (feeds' ids and links, JSON links, CSV permanent
 * links, redirects), whatever Host a client sends. */
static const char *set_origin(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_dir_conf_t *d = dc;
    if (!credit_origin_parse(cmd->pool, arg, &d->origin))
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": expected http:// or https:// and a host (and a port), nothing "
                           "after it, got '",
                           arg, "'", NULL);
    return NULL;
}

/* CreditCountBound N: totals that must be counted (words, dates) stop at N. */
static const char *set_count_bound(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_dir_conf_t *d = dc;
    unsigned long n;
    if (!credit_parse_uint(arg, 10, 1000000, &n))
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": expected 10..1000000, got '", arg, "'",
                           NULL);
    d->count_bound = (int)n;
    return NULL;
}

static const char *set_page_size(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_dir_conf_t *d = dc;
    unsigned long n;
    if (!credit_parse_uint(arg, 1, 100, &n))
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": expected 1..100, got '", arg, "'", NULL);
    d->page_size = (int)n;
    return NULL;
}

/* CreditCaseDays complaint N | objection N | repair N [M] */
static const char *set_case_days(cmd_parms *cmd, void *dc, const char *kind, const char *n,
                                 const char *m)
{
    credit_dir_conf_t *d = dc;
    const char *err = credit_case_days_parse(&d->case_days, kind, n, m);
    if (err)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, " ", kind, ": ", err, NULL);
    return NULL;
}

const command_rec credit_cmds[] = {
    AP_INIT_TAKE1("CreditDB", set_dsn, NULL, RSRC_CONF,
                  "database settings: \"host=... port=... socket=... user=... password=... "
                  "dbname=... connect_timeout=... timeout=...\""),
    AP_INIT_TAKE1("CreditDBHost", set_db_key, "host", RSRC_CONF, "MariaDB host (127.0.0.1)"),
    AP_INIT_TAKE1("CreditDBPort", set_db_key, "port", RSRC_CONF, "MariaDB TCP port"),
    AP_INIT_TAKE1("CreditDBSocket", set_db_key, "socket", RSRC_CONF,
                  "MariaDB Unix socket, used when no host is set"),
    AP_INIT_TAKE1("CreditDBUser", set_db_key, "user", RSRC_CONF, "database user (read only)"),
    AP_INIT_TAKE1("CreditDBPassword", set_db_key, "password", RSRC_CONF, "database password"),
    AP_INIT_TAKE1("CreditDBName", set_db_key, "dbname", RSRC_CONF, "database name"),
    AP_INIT_TAKE1("CreditDBPoolMin", set_pool, "min", RSRC_CONF,
                  "connections each child opens at start (default 0)"),
    AP_INIT_TAKE1("CreditDBPoolKeep", set_pool, "keep", RSRC_CONF,
                  "idle connections each child keeps (default 8)"),
    AP_INIT_TAKE1("CreditDBPoolMax", set_pool, "max", RSRC_CONF,
                  "most connections of one child (default 64)"),
    AP_INIT_TAKE1("CreditDBPoolTTL", set_pool, "ttl", RSRC_CONF,
                  "seconds an idle connection above the kept ones lives (default 60)"),
    AP_INIT_TAKE1("CreditDBPoolWait", set_pool, "wait", RSRC_CONF,
                  "milliseconds a request waits for a free connection (default 1000)"),
    AP_INIT_TAKE1("CreditDBWrite", set_other_dsn, "write", RSRC_CONF,
                  "database settings of submissions (the INSERT-only user), as CreditDB; "
                  "unnamed keys come from CreditDB"),
    AP_INIT_TAKE1("CreditDBAdmin", set_other_dsn, "admin", RSRC_CONF,
                  "database settings of staff writes (credit-admin), as CreditDB; "
                  "unnamed keys come from CreditDB"),
    AP_INIT_TAKE1("CreditSecretFile", set_secret_file, NULL, RSRC_CONF,
                  "file of HMAC keys (hex, one per line, current first) for form tokens, "
                  "query codes and client hashes"),
    AP_INIT_TAKE1("CreditRateLimitCache", set_limiter, NULL, RSRC_CONF,
                  "mod_socache provider[:args] counting submissions per client (default shmcb)"),
    AP_INIT_TAKE2("CreditSubmitLimit", set_limit, "submit", RSRC_CONF,
                  "submissions per client: COUNT SECONDS (default 10 600)"),
    AP_INIT_TAKE2("CreditLookupLimit", set_limit, "lookup", RSRC_CONF,
                  "status look-ups per client: COUNT SECONDS (default 20 600)"),
    AP_INIT_TAKE1("CreditFormMinSeconds", set_form_time, "min", RSRC_CONF,
                  "a form sent sooner after it was served is refused (default 3)"),
    AP_INIT_TAKE1("CreditFormMaxAge", set_form_time, "max", RSRC_CONF,
                  "seconds a served form stays valid (default 86400)"),
    AP_INIT_TAKE12("CreditCostlyQueries", set_costly, NULL, RSRC_CONF,
                   "searches, counted totals and statistics a child runs at once (2), and the "
                   "ms one more waits before a 503 (2000)"),
    AP_INIT_TAKE1("CreditTemplateDir", set_templates, NULL, RSRC_CONF | ACCESS_CONF,
                  "directory of the ClearSilver templates (with layout.cs and lang/)"),
    AP_INIT_TAKE1("CreditPublicOrigin", set_origin, NULL, RSRC_CONF | ACCESS_CONF,
                  "the scheme, host and port of every absolute URL the portal writes (default: "
                  "from the request)"),
    AP_INIT_TAKE1("CreditCountBound", set_count_bound, NULL, RSRC_CONF | ACCESS_CONF,
                  "totals that need counting (words, dates) stop there and show 'more than' "
                  "(10000)"),
    AP_INIT_TAKE1("CreditPageSize", set_page_size, NULL, RSRC_CONF | ACCESS_CONF,
                  "records per list page, 1..100 (default 20)"),
    AP_INIT_TAKE23("CreditCaseDays", set_case_days, NULL, RSRC_CONF | ACCESS_CONF,
                   "working days of a case: complaint N (after acceptance, default 15), "
                   "objection N (default 20), repair N [M] (to decide, default 3; to give "
                   "feedback, default 10); each 1..365"),
    {NULL, {NULL}, NULL, 0, RAW_ARGS, NULL}, /* every field: clang -Wextra wants them */
};
