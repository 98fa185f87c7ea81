/* mod_credit_config.c: the directives of mod_credit. A bad value fails
 * `apachectl configtest` with the directive's name. */
#include <string.h>
#include "mod_credit_config.h"
#include <apr_strings.h>
#include <apr_hash.h>
#include <apr_lib.h>
#include <http_core.h>
#include <http_log.h>
#include <util_cfgtree.h>

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
    /* A place is held across a search's statements and the round trips
     * between them: with two, a two-core database idled a fifth of the
     * time under the search mix; with three a tenth, with four (once a
     * freed place woke one waiter, not all) 7-10%, and the search mix's
     * p99 was lower in every pair measured (docs/BENCH.md). */
    b->costly.max = 4;
    b->costly.wait_ms = 2000;
    /* An export reads and sends every row it holds; a reader's record page
     * under 32 clients exporting at once had a p99 of 252 ms, under 4 of
     * 11 ms, for the same exports a second (docs/BENCH.md). Exports are
     * downloads: one may wait longer for its turn than a search. */
    b->exports.max = 2;
    b->exports.wait_ms = 10000;
    /* Pages that read many rows (lists, searches, feeds) are built a few
     * at a time, the others wait their turn first come, first served: with
     * every worker building one, 32 clients of random feeds on two cores
     * had a p99 of 111-154 ms, with six at a time 90-92 ms for the same
     * pages a second (docs/BENCH.md, "List pages at a time"). Record pages
     * never wait here. */
    b->lists.max = 6;
    b->lists.wait_ms = 5000;
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
        b->costly.max = a->costly.max;
        b->costly.wait_ms = a->costly.wait_ms;
    }
    if (a->set & CREDIT_SET_EXPORTS) {
        b->exports.max = a->exports.max;
        b->exports.wait_ms = a->exports.wait_ms;
    }
    if (a->set & CREDIT_SET_LISTS) {
        b->lists.max = a->lists.max;
        b->lists.wait_ms = a->lists.wait_ms;
    }
    if (a->set & CREDIT_SET_OFFICIAL) {
        b->official_limit = a->official_limit;
        b->official_window = a->official_window;
    }
    if (a->set & CREDIT_SET_REPLICAS)
        b->replicas = a->replicas;
    if (a->set & CREDIT_SET_REPLAG) {
        b->replica_lag_ms = a->replica_lag_ms;
        b->replica_check_ms = a->replica_check_ms;
    }
    /* What runs is made later, per backend: nothing is shared by copying. */
    b->pool = b->wpool = b->apool = NULL;
    b->copies = NULL;
    b->costly.host = b->exports.host = b->lists.host = -1;
    b->host_gates_made = 0;
    b->totals = b->pages = NULL;
    b->tallies = NULL;
    b->costly.gate = b->exports.gate = b->lists.gate = NULL;
    b->keys = NULL;
    b->limiter = NULL;
    c->backend = b;
    return c;
}

/* The section's path is not the base: only a section that sets the
 * handler (credit_conf_bases) or CreditBase says where the portal is, so
 * that a nested <Location /credit/api> holding a Credit directive keeps
 * its parent's base. */
void *credit_create_dir_conf(apr_pool_t *p, char *dir)
{
    (void)dir;
    return apr_pcalloc(p, sizeof(credit_dir_conf_t));
}

void *credit_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    credit_dir_conf_t *base = basev, *add = addv, *c = apr_pcalloc(p, sizeof *c);
    if (add->base) {
        c->base = add->base;
        c->base_explicit = add->base_explicit;
    } else {
        c->base = base->base;
        c->base_explicit = base->base_explicit;
    }
    c->static_dir = add->static_dir ? add->static_dir : base->static_dir;
    c->template_dir = add->template_dir ? add->template_dir : base->template_dir;
    c->page_size = add->page_size ? add->page_size : base->page_size;
    c->count_bound = add->count_bound ? add->count_bound : base->count_bound;
    c->walk_rows = add->walk_rows ? add->walk_rows : base->walk_rows;
    c->probe_rows = add->walk_rows ? add->probe_rows : base->probe_rows;
    c->origin = add->origin ? add->origin : base->origin;
    c->dump_dir = add->dump_dir ? add->dump_dir : base->dump_dir;
    c->dump_url = add->dump_dir ? add->dump_url : base->dump_url;
    {
        const credit_dir_conf_t *lines = add->lines_set ? add : base; /* "off" counts as set */
        c->lines_set = lines->lines_set;
        c->lines_dir = lines->lines_dir;
        c->lines_settle = lines->lines_settle;
    }
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

const char *credit_conf_static(const credit_dir_conf_t *d)
{
    return d->static_dir ? d->static_dir : CREDIT_DEFAULT_STATIC;
}

/* A path without its trailing slashes ("/" gives ""), allocated from p. */
static const char *base_of(apr_pool_t *p, const char *path)
{
    char *b = apr_pstrdup(p, path);
    size_t n = strlen(b);
    while (n > 0 && b[n - 1] == '/')
        b[--n] = '\0';
    return b;
}

/* 1 when a SetHandler's argument names one of the module's handlers. */
static int names_our_handler(apr_pool_t *p, const char *args)
{
    const char *w = ap_getword_conf(p, &args);
    return !ap_cstr_casecmp(w, "credit") || !ap_cstr_casecmp(w, "credit-admin");
}

/* Notes in paths the path of every <Location PATH> below d (at any depth:
 * in <VirtualHost>, <IfModule>, included files) holding a SetHandler of
 * ours. <Location ~ regex> is left out: it has no one path. */
static void handler_locations(apr_pool_t *p, const ap_directive_t *d, apr_hash_t *paths)
{
    for (; d; d = d->next) {
        if (d->directive && !ap_cstr_casecmp(d->directive, "<Location") && d->args) {
            const char *end = ap_strrchr_c(d->args, '>'), *args, *path;
            const ap_directive_t *c;
            args = end ? apr_pstrmemdup(p, d->args, (apr_size_t)(end - d->args)) : d->args;
            path = ap_getword_conf(p, &args);
            for (c = d->first_child; c && *path && strcmp(path, "~") != 0; c = c->next)
                if (c->directive && !ap_cstr_casecmp(c->directive, "SetHandler") && c->args &&
                    names_our_handler(p, c->args))
                    apr_hash_set(paths, path, APR_HASH_KEY_STRING, path);
        }
        if (d->first_child)
            handler_locations(p, d->first_child, paths);
    }
}

void credit_conf_bases(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s)
{
    apr_hash_t *paths = apr_hash_make(ptemp);
    server_rec *sv;
    int i;
    handler_locations(ptemp, ap_conftree, paths);
    if (apr_hash_count(paths) == 0)
        return;
    for (sv = s; sv; sv = sv->next) {
        core_server_config *cs = ap_get_core_module_config(sv->module_config);
        ap_conf_vector_t **sec;
        if (!cs || !cs->sec_url)
            continue;
        sec = (ap_conf_vector_t **)cs->sec_url->elts;
        for (i = 0; i < cs->sec_url->nelts; i++) {
            core_dir_config *cd = ap_get_core_module_config(sec[i]);
            credit_dir_conf_t *dc;
            /* A plain <Location> of one of those paths that sets a handler. */
            if (!cd || !cd->d || cd->r || cd->d_is_fnmatch || !cd->expr_handler ||
                !apr_hash_get(paths, cd->d, APR_HASH_KEY_STRING))
                continue;
            dc = ap_get_module_config(sec[i], &credit_module);
            if (!dc) {
                dc = credit_create_dir_conf(pconf, NULL);
                ap_set_module_config(sec[i], &credit_module, dc);
            }
            if (!dc->base)
                dc->base = base_of(pconf, cd->d);
        }
    }
}

int credit_translate_static(request_rec *r)
{
    credit_dir_conf_t *dc = ap_get_module_config(r->per_dir_config, &credit_module);
    size_t n;
    if (!dc || !dc->base || r->uri[0] != '/')
        return DECLINED;
    n = strlen(dc->base);
    if (strncmp(r->uri, dc->base, n) != 0 || strncmp(r->uri + n, "/static/", 8) != 0)
        return DECLINED;
    /* r->uri is decoded and normalised (no "/../" is left), as for Alias. */
    r->filename = apr_pstrcat(r->pool, credit_conf_static(dc), r->uri + n + 7, NULL);
    apr_table_setn(r->notes, CREDIT_STATIC_NOTE, "1");
    return OK;
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

/* password_file=: the password is read now, while the configuration is
 * read by the user httpd starts as (root on Debian), so the file may be
 * readable by root only; the children never need it. NULL, or the error
 * naming the directive and the file. */
static const char *read_password_file(cmd_parms *cmd, credit_db_params_t *db)
{
    char buf[1024];
    apr_size_t n = sizeof buf;
    apr_file_t *f;
    apr_status_t rv;
    const char *path, *err;
    if (!db->password_file)
        return NULL;
    path = ap_server_root_relative(cmd->temp_pool, db->password_file);
    if (!path || apr_file_open(&f, path, APR_FOPEN_READ, 0, cmd->temp_pool) != APR_SUCCESS)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": password_file ", db->password_file,
                           " cannot be read", NULL);
    rv = apr_file_read_full(f, buf, n, &n);
    apr_file_close(f);
    if (rv != APR_SUCCESS && rv != APR_EOF)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": password_file ", db->password_file,
                           " cannot be read", NULL);
    if ((err = credit_dsn_password_text(cmd->pool, buf, n, &db->password)) != NULL)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": password_file ", db->password_file, ": ",
                           err, NULL);
    return NULL;
}

static const char *set_dsn(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_backend_t *b = backend(cmd);
    const char *err = credit_dsn_parse(cmd->pool, arg, &b->db);
    (void)dc;
    if (err)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", err, NULL);
    if ((err = read_password_file(cmd, &b->db)) != NULL)
        return err;
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
    if ((err = read_password_file(cmd, db)) != NULL)
        return err;
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

/* CreditOfficialLookupLimit N SECONDS: answers that tell a staff login
 * whether an ID-card number is registered (credit_lookup_budget_t). */
static const char *set_official_limit(cmd_parms *cmd, void *dc, const char *n, const char *secs)
{
    credit_backend_t *b = backend(cmd);
    unsigned long limit, window;
    (void)dc;
    if (!credit_parse_uint(n, 1, 1000, &limit) || !credit_parse_uint(secs, 1, 604800, &window))
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": expected a count of 1..1000 and a window of 1..604800 seconds", NULL);
    b->official_limit = (int)limit;
    b->official_window = (int)window;
    b->set |= CREDIT_SET_OFFICIAL;
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
 * the server runs at a time; CreditExports N [WAIT_MS]: exports it streams
 * at a time; CreditListPages N [WAIT_MS]: list, search and feed pages it
 * builds at a time. WAIT_MS: how long one more waits for a place. */
static const char *set_bound(cmd_parms *cmd, void *dc, const char *n, const char *wait)
{
    credit_backend_t *b = backend(cmd);
    const char *what = cmd->info;
    credit_bound_t *bound = strcmp(what, "exports") == 0 ? &b->exports
                            : strcmp(what, "pages") == 0 ? &b->lists
                                                         : &b->costly;
    unsigned long max, ms = (unsigned long)bound->wait_ms;
    (void)dc;
    if (!credit_parse_uint(n, 1, 1000, &max) || (wait && !credit_parse_uint(wait, 0, 60000, &ms)))
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": expected 1..1000 ", what,
                           " at a time and optionally a wait of 0..60000 ms", NULL);
    bound->max = (int)max;
    bound->wait_ms = (int)ms;
    b->set |= bound == &b->exports ? CREDIT_SET_EXPORTS
              : bound == &b->lists ? CREDIT_SET_LISTS
                                   : CREDIT_SET_COSTLY;
    return NULL;
}

/* CreditDBReplica "host=... [port=...]": a replica the public pages may
 * read from (once per replica). The keys it leaves out are CreditDB's. */
static const char *set_replica(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_backend_t *b = backend(cmd);
    credit_db_params_t *db;
    const char *err;
    (void)dc;
    if (!b->replicas || !(b->set & CREDIT_SET_REPLICAS))
        b->replicas = apr_array_make(cmd->pool, 2, sizeof(credit_db_params_t));
    if (b->replicas->nelts == CREDIT_COPIES_MAX - 1)
        return apr_psprintf(cmd->pool, "%s: at most %d replicas", cmd->cmd->name,
                            CREDIT_COPIES_MAX - 1);
    db = apr_array_push(b->replicas);
    memset(db, 0, sizeof *db);
    if ((err = credit_dsn_parse(cmd->pool, arg, db)) != NULL)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", err, NULL);
    if (!(db->host && *db->host) && !db->socket)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": host= (or socket=) is required", NULL);
    b->set |= CREDIT_SET_REPLICAS;
    return NULL;
}

/* CreditDBReplicaLag MS [CHECK_MS]: how far behind the primary a replica's
 * data may be for pages to be read from it, and how often each child
 * checks (a fifth of it, 100 ms to 1 s, unless given). */
static const char *set_replica_lag(cmd_parms *cmd, void *dc, const char *ms, const char *check)
{
    credit_backend_t *b = backend(cmd);
    unsigned long lag, every = 0;
    (void)dc;
    if (!credit_parse_uint(ms, 100, 600000, &lag) ||
        (check && !credit_parse_uint(check, 100, lag, &every)))
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": expected a lag of 100..600000 ms and optionally a check interval "
                           "of 100 ms up to the lag",
                           NULL);
    b->replica_lag_ms = (int)lag;
    b->replica_check_ms = (int)every;
    b->set |= CREDIT_SET_REPLAG;
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

/* A directory named by a directive, relative to ServerRoot: NULL with
 * *path absolute, or the directive's error. */
static const char *directory_arg(cmd_parms *cmd, const char *arg, const char **path)
{
    apr_finfo_t fi;
    *path = ap_server_root_relative(cmd->pool, arg);
    if (!*path || apr_stat(&fi, *path, APR_FINFO_TYPE, cmd->pool) != APR_SUCCESS ||
        fi.filetype != APR_DIR)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg, "' is not a directory", NULL);
    return NULL;
}

static const char *set_templates(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_dir_conf_t *d = dc;
    apr_finfo_t fi;
    const char *path, *err = directory_arg(cmd, arg, &path);
    if (err)
        return err;
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

/* CreditBase PATH: where the portal is, for a handler set elsewhere than
 * in a plain <Location> (<LocationMatch>, <Directory>, <If>). */
static const char *set_base(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_dir_conf_t *d = dc;
    const char *c;
    if (arg[0] != '/')
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": expected a URL path starting with '/', got '", arg, "'", NULL);
    for (c = arg; *c; c++)
        if (!apr_isgraph(*c) || strchr("\"'<>\\;,?#%", *c))
            return apr_pstrcat(cmd->pool, cmd->cmd->name,
                               ": a path of printable ASCII without quotes, ';', ',', '?', '#' or "
                               "'%', got '",
                               arg, "'", NULL);
    d->base = base_of(cmd->pool, arg);
    d->base_explicit = 1;
    return NULL;
}

/* CreditStaticDir DIR: the files served at <base>/static/. */
static const char *set_static(cmd_parms *cmd, void *dc, const char *arg)
{
    credit_dir_conf_t *d = dc;
    const char *path, *err = directory_arg(cmd, arg, &path);
    if (err)
        return err;
    d->static_dir = base_of(cmd->pool, path);
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

/* CreditSearchWalk ROWS [PROBE]: the rows a search walks in record_text
 * before the engine answers, and the rows of its first probe
 * (docs/SEARCH.md); a probe left out is the store's default, at most ROWS
 * (credit_store_init). */
static const char *set_search_walk(cmd_parms *cmd, void *dc, const char *rows, const char *probe)
{
    credit_dir_conf_t *d = dc;
    unsigned long n, p = 0;
    if (!credit_parse_uint(rows, 100, 100000, &n) ||
        (probe && !credit_parse_uint(probe, 10, n, &p)))
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": expected 100..100000 rows and optionally a probe of 10 rows up to "
                           "them (default 3000 250), got '",
                           rows, probe ? " " : "", probe ? probe : "", "'", NULL);
    d->walk_rows = (int)n;
    d->probe_rows = (int)p;
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

/* 1 when url is a path ("/...") or http(s)://host[:port]/path, with no
 * space, quote, angle bracket, backslash or non-ASCII character. */
static int dump_url_valid(apr_pool_t *p, const char *url)
{
    const char *rest, *slash, *origin;
    size_t i;
    for (i = 0; url[i]; i++)
        if (url[i] <= ' ' || url[i] == '"' || url[i] == '<' || url[i] == '>' || url[i] == '\\' ||
            (unsigned char)url[i] >= 0x7f)
            return 0;
    if (url[0] == '/')
        return 1;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return 0;
    rest = strstr(url, "//") + 2;
    if (!(slash = strchr(rest, '/')))
        return 0;
    return credit_origin_parse(p, apr_pstrndup(p, url, (apr_size_t)(slash - url)), &origin);
}

/* CreditDumpDir DIR [URL]: the directory of the daily dumps (credit-dump
 * writes them and their index.json there; the children read the index) and
 * the URL Apache serves it under (default: the <Location> + "/dumps/"). */
static const char *set_dump_dir(cmd_parms *cmd, void *dc, const char *dir, const char *url)
{
    credit_dir_conf_t *d = dc;
    const char *path, *err = directory_arg(cmd, dir, &path);
    if (err)
        return err;
    d->dump_dir = path;
    if (url) {
        if (!dump_url_valid(cmd->pool, url))
            return apr_pstrcat(cmd->pool, cmd->cmd->name,
                               ": the URL must be a path (/...) or http(s)://host/path, got '", url,
                               "'", NULL);
        d->dump_url = url[strlen(url) - 1] == '/' ? url : apr_pstrcat(cmd->pool, url, "/", NULL);
    }
    return NULL;
}

/* CreditExportLines DIR [SECONDS] | off: where the districts' rendered CSV
 * lines are kept (the children must be able to write there), and how long
 * the data must stay unchanged before they are made (default 10). */
static const char *set_export_lines(cmd_parms *cmd, void *dc, const char *dir, const char *secs)
{
    credit_dir_conf_t *d = dc;
    const char *path, *err;
    unsigned long n = 10;
    d->lines_set = 1;
    if (apr_strnatcasecmp(dir, "off") == 0 && !secs) {
        d->lines_dir = NULL;
        return NULL;
    }
    if ((err = directory_arg(cmd, dir, &path)) != NULL)
        return err;
    if (secs && !credit_parse_uint(secs, 0, 86400, &n))
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": expected 0..86400 seconds, got '", secs,
                           "'", NULL);
    d->lines_dir = path;
    d->lines_settle = (int)n;
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
                  "(or password_file=...) dbname=... connect_timeout=... timeout=...\""),
    AP_INIT_TAKE1("CreditDBHost", set_db_key, "host", RSRC_CONF, "MariaDB host (127.0.0.1)"),
    AP_INIT_TAKE1("CreditDBPort", set_db_key, "port", RSRC_CONF, "MariaDB TCP port"),
    AP_INIT_TAKE1("CreditDBSocket", set_db_key, "socket", RSRC_CONF,
                  "MariaDB Unix socket, used when no host is set"),
    AP_INIT_TAKE1("CreditDBUser", set_db_key, "user", RSRC_CONF, "database user (read only)"),
    AP_INIT_TAKE1("CreditDBPassword", set_db_key, "password", RSRC_CONF, "database password"),
    AP_INIT_TAKE1("CreditDBPasswordFile", set_db_key, "password_file", RSRC_CONF,
                  "file whose first line is the database password (read at start, as root)"),
    AP_INIT_TAKE1("CreditDBName", set_db_key, "dbname", RSRC_CONF, "database name"),
    AP_INIT_TAKE1("CreditDBReplica", set_replica, NULL, RSRC_CONF,
                  "a replica the public pages may read from: \"host=... port=...\" (keys left "
                  "out are CreditDB's); once per replica"),
    AP_INIT_TAKE12("CreditDBReplicaLag", set_replica_lag, NULL, RSRC_CONF,
                   "ms a replica's data may be behind the primary for pages to be read from it "
                   "(1000), and optionally how often each child checks (a fifth of it)"),
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
    AP_INIT_TAKE2("CreditOfficialLookupLimit", set_official_limit, NULL, RSRC_CONF,
                  "answers telling a staff login that an ID-card number is a registered "
                  "official's: COUNT SECONDS (default 5 3600)"),
    AP_INIT_TAKE1("CreditFormMinSeconds", set_form_time, "min", RSRC_CONF,
                  "a form sent sooner after it was served is refused (default 3)"),
    AP_INIT_TAKE1("CreditFormMaxAge", set_form_time, "max", RSRC_CONF,
                  "seconds a served form stays valid (default 86400)"),
    AP_INIT_TAKE12("CreditCostlyQueries", set_bound, "statements", RSRC_CONF,
                   "searches, counted totals and statistics the server runs at once (4), and the "
                   "ms one more waits before a 503 (2000)"),
    AP_INIT_TAKE12("CreditExports", set_bound, "exports", RSRC_CONF,
                   "CSV and workbook exports the server streams at once (2), and the ms one more "
                   "waits before a 503 (10000)"),
    AP_INIT_TAKE12("CreditListPages", set_bound, "pages", RSRC_CONF,
                   "list, search and feed pages the server builds at once (6), and the ms one "
                   "more waits before a 503 (5000)"),
    AP_INIT_TAKE1("CreditTemplateDir", set_templates, NULL, RSRC_CONF | ACCESS_CONF,
                  "directory of the ClearSilver templates (with layout.cs and lang/)"),
    AP_INIT_TAKE1("CreditPublicOrigin", set_origin, NULL, RSRC_CONF | ACCESS_CONF,
                  "the scheme, host and port of every absolute URL the portal writes (default: "
                  "from the request)"),
    AP_INIT_TAKE1("CreditCountBound", set_count_bound, NULL, RSRC_CONF | ACCESS_CONF,
                  "totals that need counting (words, dates) stop there and show 'more than' "
                  "(10000)"),
    AP_INIT_TAKE12("CreditSearchWalk", set_search_walk, NULL, RSRC_CONF | ACCESS_CONF,
                   "rows of record_text a search reads before the engine answers, and rows of "
                   "its first probe (default 3000 250)"),
    AP_INIT_TAKE1("CreditBase", set_base, NULL, RSRC_CONF | ACCESS_CONF,
                  "the URL path of the portal where the handler is not set in a plain "
                  "<Location> (default: that <Location>'s path)"),
    AP_INIT_TAKE1("CreditStaticDir", set_static, NULL, RSRC_CONF | ACCESS_CONF,
                  "directory of the stylesheet and images served at <base>/static/ (default "
                  "/usr/share/mod_credit/static)"),
    AP_INIT_TAKE1("CreditPageSize", set_page_size, NULL, RSRC_CONF | ACCESS_CONF,
                  "records per list page, 1..100 (default 20)"),
    AP_INIT_TAKE23("CreditCaseDays", set_case_days, NULL, RSRC_CONF | ACCESS_CONF,
                   "working days of a case: complaint N (after acceptance, default 15), "
                   "objection N (default 20), repair N [M] (to decide, default 3; to give "
                   "feedback, default 10); each 1..365"),
    AP_INIT_TAKE12("CreditExportLines", set_export_lines, NULL, RSRC_CONF | ACCESS_CONF,
                   "directory of the districts' rendered CSV lines, and the seconds the data "
                   "stays unchanged before they are made (default 10); or off"),
    AP_INIT_TAKE12("CreditDumpDir", set_dump_dir, NULL, RSRC_CONF | ACCESS_CONF,
                   "directory of the daily dumps (credit-dump) and the URL Apache serves it "
                   "under (default: the location + /dumps/)"),
    {NULL, {NULL}, NULL, 0, RAW_ARGS, NULL}, /* every field: clang -Wextra wants them */
};
