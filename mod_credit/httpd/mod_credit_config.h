/* mod_credit_config.h: directives and their create/merge. Values know
 * whether they were set; defaults are applied after merging. */
#ifndef MOD_CREDIT_CONFIG_H
#define MOD_CREDIT_CONFIG_H

#include <httpd.h>
#include <http_config.h>

#include "credit_db.h"
#include "credit_copies.h"
#include "credit_view.h"
#include "credit_cache.h"
#include "credit_gate.h"
#include "credit_tally.h"
#include "credit_token.h"
#include "credit_workflow.h"
#include "mod_credit_ratelimit.h"

#define CREDIT_DEFAULT_TEMPLATES   "/usr/share/mod_credit/templates"
#define CREDIT_DEFAULT_STATIC      "/usr/share/mod_credit/static"
#define CREDIT_DEFAULT_PAGE_SIZE   20
#define CREDIT_DEFAULT_COUNT_BOUND 10000

/* What a server's own directives set (credit_backend_t.set): a virtual
 * host takes each of these from its parent unless it sets it itself. */
enum {
    CREDIT_SET_DB = 1 << 0,        /* CreditDB, CreditDBHost ... (the read user) */
    CREDIT_SET_POOL = 1 << 1,      /* CreditDBPool* */
    CREDIT_SET_WDB = 1 << 2,       /* CreditDBWrite */
    CREDIT_SET_ADB = 1 << 3,       /* CreditDBAdmin */
    CREDIT_SET_SECRET = 1 << 4,    /* CreditSecretFile */
    CREDIT_SET_LIMITER = 1 << 5,   /* CreditRateLimitCache */
    CREDIT_SET_SUBMIT = 1 << 6,    /* CreditSubmitLimit */
    CREDIT_SET_LOOKUP = 1 << 7,    /* CreditLookupLimit */
    CREDIT_SET_MINFILL = 1 << 8,   /* CreditFormMinSeconds */
    CREDIT_SET_MAXAGE = 1 << 9,    /* CreditFormMaxAge */
    CREDIT_SET_COSTLY = 1 << 10,   /* CreditCostlyQueries */
    CREDIT_SET_REPLICAS = 1 << 11, /* CreditDBReplica */
    CREDIT_SET_REPLAG = 1 << 12,   /* CreditDBReplicaLag */
    CREDIT_SET_OFFICIAL = 1 << 13, /* CreditOfficialLookupLimit */
    CREDIT_SET_EXPORTS = 1 << 14,  /* CreditExports */
    CREDIT_SET_LISTS = 1 << 15     /* CreditListPages */
};

/* A bound on expensive work (credit_gate.h): at most max at a time in the
 * whole server (a host-wide semaphore) and in each child, one more waiting
 * at most wait_ms for a place before a 503. */
typedef struct {
    int max, wait_ms;
    int host;            /* the host-wide places (post_config), or -1 */
    credit_gate_t *gate; /* the child's (child_init) */
} credit_bound_t;

/* Per-child state shared by every server that uses the same settings. */
typedef struct {
    unsigned set; /* CREDIT_SET_*: what this server's own directives set */
    credit_db_params_t db;
    int db_set;
    credit_pool_sizes_t sizes;
    int sizes_set;
    credit_dbpool_t *pool; /* made in child_init: the primary's (CreditDB) */
    /* Replicas (CreditDBReplica): the keys each names; the others are
     * CreditDB's. Reads go to them while they are fresh (credit_copies.h). */
    apr_array_header_t *replicas;         /* credit_db_params_t; NULL: none */
    int replica_lag_ms, replica_check_ms; /* CreditDBReplicaLag; 0: defaults */
    credit_copies_t *copies;              /* the primary and the replicas (post_config) */
    credit_cache_t *totals;
    credit_cache_t *pages;     /* rendered public responses (credit_page_dispatch) */
    credit_tallies_t *tallies; /* totals of the enumerated filters (credit_tally.h) */
    credit_bound_t costly;     /* CreditCostlyQueries: searches, counted totals, statistics */
    credit_bound_t exports;    /* CreditExports: CSV and workbook exports streaming */
    credit_bound_t lists;      /* CreditListPages: list, search and feed pages being built */
    int host_gates_made;       /* the bounds' host-wide places (post_config) */
    /* Citizens' submissions: the insert-only database user. */
    credit_db_params_t wdb;
    int wdb_set;
    credit_dbpool_t *wpool;
    /* Staff writes (credit-admin): the writer user. */
    credit_db_params_t adb;
    int adb_set;
    credit_dbpool_t *apool;
    /* Form secrets (CreditSecretFile), read at start-up. */
    const char *secret_file;
    credit_keys_t *keys;
    /* Rate limits through mod_socache. */
    const char *limiter_spec; /* NULL: "shmcb" */
    credit_limiter_t *limiter;
    int submit_limit, submit_window; /* 0: defaults */
    int lookup_limit, lookup_window;
    int min_fill, max_age; /* seconds */
    /* Staff answers about registered officials' ID-card numbers, per login
     * (CreditOfficialLookupLimit; 0: the default of credit_lookup_budget_t). */
    int official_limit, official_window;
} credit_backend_t;

typedef struct {
    credit_backend_t *backend;
} credit_srv_conf_t;

typedef struct {
    /* Where the portal is, without trailing '/' ("" for the site's root):
     * CreditBase, else the path of the <Location> whose SetHandler names
     * credit or credit-admin (credit_conf_bases); NULL: not known. */
    const char *base;
    int base_explicit;            /* CreditBase set it */
    const char *static_dir;       /* CreditStaticDir; NULL: unset */
    const char *template_dir;     /* NULL: unset */
    int page_size;                /* 0: unset */
    int count_bound;              /* CreditCountBound; 0: unset */
    int walk_rows, probe_rows;    /* CreditSearchWalk; 0: unset (the store's defaults) */
    const char *origin;           /* CreditPublicOrigin "https://host[:port]"; NULL: unset */
    credit_case_days_t case_days; /* CreditCaseDays; a 0 field: unset */
    const char *dump_dir;         /* CreditDumpDir; NULL: unset (no dumps) */
    const char *dump_url;         /* its URL, ending in '/'; NULL: base + "/dumps/" */
    const char *lines_dir;        /* CreditExportLines; NULL: unset or off */
    int lines_settle;             /* its seconds of unchanged data before lines are made */
    int lines_set;                /* CreditExportLines was given here (off too) */
} credit_dir_conf_t;

/* The only symbol the module exports (it is built with -fvisibility=hidden). */
extern module AP_MODULE_DECLARE_DATA __attribute__((visibility("default"))) credit_module;
extern const command_rec credit_cmds[];

void *credit_create_srv_conf(apr_pool_t *p, server_rec *s);
void *credit_merge_srv_conf(apr_pool_t *p, void *base, void *add);
void *credit_create_dir_conf(apr_pool_t *p, char *dir);
void *credit_merge_dir_conf(apr_pool_t *p, void *base, void *add);

/* Gives every <Location PATH> whose SetHandler names credit or
 * credit-admin the base PATH (unless CreditBase says otherwise), whether or
 * not a Credit directive stands in it: the sections come from the parsed
 * configuration (ap_conftree) and are matched to their per-directory
 * configurations by path. Runs at post_config, before any request. */
void credit_conf_bases(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s);

/* The note a request mapped to a static file below <base>/static/ carries
 * (credit_translate_static): the handlers decline it and httpd serves the
 * file. */
#define CREDIT_STATIC_NOTE "credit-static"

/* translate_name: <base>/static/... -> the file below CreditStaticDir.
 * DECLINED for every other request. */
int credit_translate_static(request_rec *r);

/* Effective values, defaults applied. */
const char *credit_conf_templates(const credit_dir_conf_t *d);
const char *credit_conf_static(const credit_dir_conf_t *d);
int credit_conf_page_size(const credit_dir_conf_t *d);
int credit_conf_count_bound(const credit_dir_conf_t *d);
/* The working days of cases (CreditCaseDays), the SPEC's where unset. */
void credit_conf_case_days(const credit_dir_conf_t *d, credit_case_days_t *out);

#endif
