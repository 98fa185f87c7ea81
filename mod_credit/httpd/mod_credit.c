/* mod_credit.c: module record, hooks, child init and the log bridge.
 *   LoadModule credit_module modules/mod_credit.so
 *   <Location /credit> SetHandler credit </Location>
 * The <Location>'s path is the portal's base: its links, its stylesheet
 * (<base>/static/, from CreditStaticDir) and its API's servers URL. */
#include <unistd.h>
#include <apr_file_io.h>
#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>
#include <ap_mpm.h>
#include <apr_strings.h>

#include "mod_credit_config.h"
#include "mod_credit_handler.h"
#include "mod_credit_copies.h"
#include "mod_credit_bounds.h"
#include "credit_dsn.h"
#include "credit_pool.h"
#include "credit_store.h"

#define TOTALS_CACHE_ENTRIES 4096
#define TOTALS_CACHE_BYTES   (4 * 1024 * 1024) /* counts, search ids, rendered statistics */
/* Rendered public responses per child: at most this many, this many bytes. */
#define PAGE_CACHE_ENTRIES 2048
#define PAGE_CACHE_BYTES   (16 * 1024 * 1024)

/* The core's log callback for child-wide messages; baton is a server_rec. */
static void log_server(void *baton, int level, const char *id, const char *msg)
{
    ap_log_error(APLOG_MARK, level, 0, baton, "%s: %s", id, msg);
}

/* Reads and parses the key file of CreditSecretFile into keys (allocated
 * from p). NULL, or the error naming the directive. Runs as the user httpd
 * starts as, so the file may be readable by root only. */
static const char *read_keys(apr_pool_t *p, apr_pool_t *ptemp, const char *file,
                             credit_keys_t **keys)
{
    char *text;
    apr_file_t *f;
    apr_finfo_t fi;
    apr_size_t n;
    const char *err;
    if (apr_file_open(&f, file, APR_FOPEN_READ, 0, ptemp) != APR_SUCCESS ||
        apr_file_info_get(&fi, APR_FINFO_SIZE, f) != APR_SUCCESS)
        return apr_psprintf(ptemp, "CreditSecretFile %s cannot be read", file);
    if (fi.size > 65536)
        return apr_psprintf(ptemp, "CreditSecretFile %s: larger than 64 KB", file);
    n = (apr_size_t)fi.size;
    text = apr_palloc(ptemp, n + 1);
    if (apr_file_read_full(f, text, n, &n) != APR_SUCCESS)
        return apr_psprintf(ptemp, "CreditSecretFile %s cannot be read", file);
    text[n] = '\0';
    *keys = apr_pcalloc(p, sizeof **keys);
    if ((err = credit_keys_parse(ptemp, text, *keys)) != NULL) {
        *keys = NULL;
        return apr_psprintf(ptemp, "CreditSecretFile %s: %s", file, err);
    }
    return NULL;
}

/* Reads the form keys and creates the rate limiter of a backend, once
 * (backends are shared by the servers that inherit them). What configtest
 * could check was checked there (credit_check_config); what fails only now
 * turns the citizens' forms off (they answer 503) and never stops httpd. */
static void backend_forms_init(credit_backend_t *b, apr_pool_t *pconf, apr_pool_t *ptemp,
                               server_rec *s)
{
    const char *err;
    if (!b->secret_file || b->keys)
        return;
    err = read_keys(pconf, ptemp, b->secret_file, &b->keys);
    if (!err)
        err = credit_limiter_create(pconf, ptemp, s, b->limiter_spec ? b->limiter_spec : "shmcb",
                                    &b->limiter);
    if (err) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     "CR0107: %s; the citizens' forms answer 503 until this is mended", err);
        b->keys = NULL;
        b->limiter = NULL;
    }
}

/* Everything about the configuration that can be known before the server
 * starts, checked when the configuration is read, so that `apachectl
 * configtest` (and so `apachectl graceful`) refuses it naming the directive
 * instead of the restart bringing the whole server down. */
static int credit_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                               server_rec *s)
{
    server_rec *sv;
    const char *err;
    (void)pconf;
    (void)plog;
    for (sv = s; sv; sv = sv->next) {
        credit_srv_conf_t *c = ap_get_module_config(sv->module_config, &credit_module);
        credit_backend_t *b = c->backend;
        credit_pool_sizes_t *z = &b->sizes;
        credit_keys_t *keys;
        if (z->min > z->smax || z->smax > z->max) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sv,
                         "CR0101: connections per child must hold CreditDBPoolMin (%d) <= "
                         "CreditDBPoolKeep (%d) <= CreditDBPoolMax (%d)",
                         z->min, z->smax, z->max);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        if (b->db_set && (!b->db.user || !b->db.name)) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sv,
                         "CR0102: CreditDB needs at least user= and dbname= "
                         "(or CreditDBUser and CreditDBName)");
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        if (b->secret_file) {
            if ((err = read_keys(ptemp, ptemp, b->secret_file, &keys)) == NULL)
                err = credit_limiter_check(ptemp, b->limiter_spec ? b->limiter_spec : "shmcb");
            if (err) {
                ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sv, "CR0108: %s", err);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
        }
    }
    return credit_handler_check(ptemp, s) == OK ? OK : HTTP_INTERNAL_SERVER_ERROR;
}

/* Every child may open up to CreditDBPoolMax connections (never more than
 * its threads) for each database user it has (reading, submissions, staff):
 * warns when all children together could open more than MariaDB allows,
 * which would refuse connections to everyone (the citizens' submissions
 * too) at the busiest moment. The database may be down at start: then
 * nothing is said. */
static void check_connections(server_rec *s)
{
    server_rec *sv;
    int daemons = 0, threads = 0;
    long max_conn, total = 0;
    const credit_backend_t *first = NULL, *seen[64];
    int nseen = 0, i;
    ap_mpm_query(AP_MPMQ_HARD_LIMIT_DAEMONS, &daemons);
    ap_mpm_query(AP_MPMQ_MAX_THREADS, &threads);
    for (sv = s; sv; sv = sv->next) {
        credit_srv_conf_t *c = ap_get_module_config(sv->module_config, &credit_module);
        const credit_backend_t *b = c->backend;
        int per_pool, users;
        if (!b->db_set)
            continue;
        for (i = 0; i < nseen && seen[i] != b; i++)
            ;
        if (i < nseen || nseen == 64)
            continue;
        seen[nseen++] = b;
        first = first ? first : b;
        per_pool = threads > 0 && b->sizes.max > threads ? threads : b->sizes.max;
        users = 1 + (b->wdb_set != 0) + (b->adb_set != 0);
        total += (long)daemons * per_pool * users;
    }
    if (!first || daemons <= 0 || credit_db_library_init() != CREDIT_OK ||
        credit_db_max_connections(&first->db, &max_conn) != CREDIT_OK)
        return;
    if (total > max_conn)
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "CR0112: the children may open %ld database connections (ServerLimit %d x "
                     "CreditDBPoolMax %d, at most ThreadsPerChild, x each user of CreditDB, "
                     "CreditDBWrite, CreditDBAdmin), more than MariaDB's max_connections (%ld): "
                     "lower CreditDBPoolMax or raise max_connections",
                     total, daemons, first->sizes.max, max_conn);
}

static int credit_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    server_rec *sv;
    (void)plog;
    /* The configuration passed credit_check_config: what fails now fails
     * at run time, and turns off only what it concerns. */
    for (sv = s; sv; sv = sv->next) {
        credit_srv_conf_t *c = ap_get_module_config(sv->module_config, &credit_module);
        backend_forms_init(c->backend, pconf, ptemp, sv);
        credit_copies_setup(c->backend, pconf, sv);
        credit_bounds_setup(c->backend, pconf, sv);
    }
    credit_conf_bases(pconf, ptemp, s);
    credit_handler_init(pconf, s);
    check_connections(s);
    ap_add_version_component(pconf, "mod_credit/" CREDIT_VERSION);
    return OK;
}

static int credit_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)plog;
    (void)ptemp;
    credit_handler_pre_config(pconf);
    credit_limiter_pre_config(pconf);
    return OK;
}

/* A pool for another database user: the keys its directive (CreditDBWrite,
 * CreditDBAdmin) leaves out come from CreditDB. */
static void second_pool(apr_pool_t *p, server_rec *sv, credit_backend_t *b,
                        const credit_db_params_t *own, const credit_pool_sizes_t *sizes,
                        credit_dbpool_t **out, const char *id, const char *what)
{
    credit_db_params_t w;
    credit_dsn_inherit(&b->db, own, 1, &w);
    if (credit_dbpool_create(p, &w, sizes, log_server, sv, out) != CREDIT_OK)
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sv, "%s: cannot create the %s connection pool", id,
                     what);
}

static void credit_child_init(apr_pool_t *pchild, server_rec *s)
{
    server_rec *sv;
    int threads = 1;
    const char *tmp;
    /* What the child's threads share is made in a pool whose allocator has
     * a lock (credit_pool.h); pchild's has none. */
    apr_pool_t *p = credit_pool_shared(pchild);
    if (!p) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                     "CR0114: no pool with a locked allocator for the child's caches");
        p = pchild;
    }
    if (credit_db_library_init() != CREDIT_OK)
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "CR0103: MariaDB client library did not start");
    /* APR finds the temporary directory (of the workbook exports) once and
     * keeps it without a lock: found here, before any thread asks. */
    if (apr_temp_dir_get(&tmp, p) != APR_SUCCESS)
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "CR0976: no temporary directory: /records.xlsx answers 500");
    ap_mpm_query(AP_MPMQ_MAX_THREADS, &threads);
    for (sv = s; sv; sv = sv->next) {
        credit_srv_conf_t *c = ap_get_module_config(sv->module_config, &credit_module);
        credit_backend_t *b = c->backend;
        credit_pool_sizes_t sizes = b->sizes;
        if (b->limiter)
            credit_limiter_child_init(b->limiter, p, sv);
        if (!b->db_set || b->pool)
            continue;
        /* Never more connections than threads can use at once. */
        if (threads > 0 && sizes.max > threads)
            sizes.max = threads;
        if (sizes.smax > sizes.max)
            sizes.smax = sizes.max;
        if (sizes.min > sizes.smax)
            sizes.min = sizes.smax;
        if (credit_dbpool_create(p, credit_store_reader_params(p, &b->db), &sizes, log_server, sv,
                                 &b->pool) != CREDIT_OK)
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sv, "CR0104: cannot create connection pool");
        /* The replicas' pools, the same size each (the primary's is b->pool). */
        credit_copies_child_init(b, p, sv, &sizes, log_server);
        b->totals = credit_cache_create_sized(p, TOTALS_CACHE_ENTRIES, TOTALS_CACHE_BYTES);
        b->tallies = credit_tallies_create(p);
        credit_bounds_child_init(b, p);
        b->pages = credit_cache_create_sized(p, PAGE_CACHE_ENTRIES, PAGE_CACHE_BYTES);
        /* The submissions' and the staff's users, each its own pool. */
        if (b->wdb_set)
            second_pool(p, sv, b, &b->wdb, &sizes, &b->wpool, "CR0110", "submissions'");
        if (b->adb_set)
            second_pool(p, sv, b, &b->adb, &sizes, &b->apool, "CR0111", "staff");
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, sv,
                     "CR0105: connection pool for %s@%s ready (keep %d, max %d)",
                     b->db.user ? b->db.user : "?", b->db.host ? b->db.host : "socket", sizes.smax,
                     sizes.max);
    }
}

static void credit_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_pre_config(credit_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(credit_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(credit_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(credit_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    /* After mod_alias and mod_rewrite: an Alias of the webmaster's for
     * <base>/static wins. */
    ap_hook_translate_name(credit_translate_static, NULL, NULL, APR_HOOK_LAST);
    ap_hook_handler(credit_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(credit_admin_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(credit) = {
    STANDARD20_MODULE_STUFF,     credit_create_dir_conf, credit_merge_dir_conf,
    credit_create_srv_conf,      credit_merge_srv_conf,  credit_cmds,
    credit_register_hooks,
#ifdef AP_MODULE_FLAG_ALWAYS_MERGE
    AP_MODULE_FLAG_ALWAYS_MERGE,
#endif
};
