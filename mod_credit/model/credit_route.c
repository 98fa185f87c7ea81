/* credit_route.c: request path -> route. One table of patterns, one matcher
 * that walks it; a {} segment is checked by the validator of its name. */
#include <string.h>
#include <apr_strings.h>

#include "credit_route.h"
#include "credit_validate.h"

typedef struct {
    credit_route_id_t id;
    const char *name;
    const char *pattern; /* "/" alone, or "/seg/seg..." where a seg may be "{no}" or "{id}" */
    int methods;
    int api;
} credit_route_t;

static const credit_route_t routes[] = {
    {CREDIT_ROUTE_HOME, "home", "/", CREDIT_M_GET, 0},
    {CREDIT_ROUTE_RECORDS, "records", "/records", CREDIT_M_GET, 0},
    {CREDIT_ROUTE_RECORD, "record", "/records/{no}", CREDIT_M_GET, 0},
    {CREDIT_ROUTE_SUBJECT, "subject", "/subjects/{id}", CREDIT_M_GET, 0},
    {CREDIT_ROUTE_API_HEALTH, "api_health", "/api/v1/health", CREDIT_M_GET, 1},
    {CREDIT_ROUTE_CSV, "csv", "/records.csv", CREDIT_M_GET, 0},
    {CREDIT_ROUTE_FEED, "feed", "/feed.atom", CREDIT_M_GET, 0},
    {CREDIT_ROUTE_API_RECORDS, "api_records", "/api/v1/records", CREDIT_M_GET, 1},
    {CREDIT_ROUTE_API_RECORD, "api_record", "/api/v1/records/{no}", CREDIT_M_GET, 1},
    {CREDIT_ROUTE_API_SUBJECT, "api_subject", "/api/v1/subjects/{id}", CREDIT_M_GET, 1},
    {CREDIT_ROUTE_API_SEARCH, "api_search", "/api/v1/search", CREDIT_M_GET, 1},
    {CREDIT_ROUTE_API_STATS, "api_stats", "/api/v1/stats", CREDIT_M_GET, 1},
    {CREDIT_ROUTE_API_CHANGES, "api_changes", "/api/v1/changes", CREDIT_M_GET, 1},
    {CREDIT_ROUTE_API_OPENAPI, "api_openapi", "/api/v1/openapi.json", CREDIT_M_GET, 1},
    {CREDIT_ROUTE_API_DUMPS, "api_dumps", "/api/v1/dumps", CREDIT_M_GET, 1},
    {CREDIT_ROUTE_COMPLAINT_NEW, "complaint_new", "/complaints/new", CREDIT_M_GET, 0},
    {CREDIT_ROUTE_COMPLAINTS, "complaints", "/complaints", CREDIT_M_POST, 0},
    {CREDIT_ROUTE_CASE_STATUS, "case_status", "/complaints/status", CREDIT_M_GET | CREDIT_M_POST,
     0},
    {CREDIT_ROUTE_OBJECTION, "objection", "/records/{no}/objection", CREDIT_M_GET | CREDIT_M_POST,
     0},
    {CREDIT_ROUTE_REPAIR, "repair", "/records/{no}/repair", CREDIT_M_GET | CREDIT_M_POST, 0},
    {CREDIT_ROUTE_RATINGS, "ratings", "/ratings", CREDIT_M_GET, 0},
    {CREDIT_ROUTE_COMMITMENTS, "commitments", "/commitments", CREDIT_M_GET, 0},
    {CREDIT_ROUTE_STATS, "stats", "/stats", CREDIT_M_GET, 0},
    {CREDIT_ROUTE_XLSX, "xlsx", "/records.xlsx", CREDIT_M_GET, 0},
};

static int valid_id(const char *s)
{
    return credit_id_parse(s, NULL);
}

/* The placeholders a pattern may use and how their value is checked. */
static const struct {
    const char *name;
    int (*valid)(const char *s);
} placeholders[] = {
    {"{no}", credit_record_no_valid},
    {"{id}", valid_id},
};

#define SEG_MAX 64 /* longer segments match no placeholder value anyway */

/* Matches one path segment s[0..len) against one pattern segment
 * pat[0..plen). Returns 1 on a match and sets *is_param for a placeholder. */
static int segment_match(const char *pat, size_t plen, const char *s, size_t len, int *is_param)
{
    char buf[SEG_MAX + 1];
    size_t i;

    *is_param = 0;
    if (plen > 0 && pat[0] == '{') {
        if (len == 0 || len > SEG_MAX) {
            return 0;
        }
        memcpy(buf, s, len);
        buf[len] = '\0';
        for (i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++) {
            if (strlen(placeholders[i].name) == plen &&
                memcmp(placeholders[i].name, pat, plen) == 0) {
                *is_param = 1;
                return placeholders[i].valid(buf);
            }
        }
        return 0; /* a placeholder nobody knows: a bug in the table */
    }
    return plen == len && memcmp(pat, s, len) == 0;
}

/* Matches path[0..len) (starting with '/', no trailing slash unless it is
 * "/") against one pattern. On a match sets *param and *param_len to the
 * placeholder segment, if any. */
static int pattern_match(const char *pattern, const char *path, size_t len, const char **param,
                         size_t *param_len)
{
    const char *pp = pattern, *sp = path, *end = path + len;
    const char *pseg_end, *sseg_end;
    int is_param;

    *param = NULL;
    *param_len = 0;
    if (strcmp(pattern, "/") == 0) {
        return len == 1;
    }
    while (*pp == '/' && sp < end && *sp == '/') {
        pp++;
        sp++;
        pseg_end = strchr(pp, '/');
        if (pseg_end == NULL) {
            pseg_end = pp + strlen(pp);
        }
        sseg_end = memchr(sp, '/', (size_t)(end - sp));
        if (sseg_end == NULL) {
            sseg_end = end;
        }
        if (!segment_match(pp, (size_t)(pseg_end - pp), sp, (size_t)(sseg_end - sp), &is_param)) {
            return 0;
        }
        if (is_param) {
            *param = sp;
            *param_len = (size_t)(sseg_end - sp);
        }
        pp = pseg_end;
        sp = sseg_end;
    }
    return *pp == '\0' && sp == end;
}

credit_status_t credit_route_match(apr_pool_t *p, const char *path, credit_route_match_t *out)
{
    const char *param;
    size_t len, param_len, i;

    memset(out, 0, sizeof(*out));
    out->id = CREDIT_ROUTE_NONE;
    out->name = "none";
    if (path == NULL) {
        return CREDIT_ENOTFOUND;
    }
    if (path[0] == '\0') {
        path = "/";
    }
    if (path[0] != '/') {
        return CREDIT_ENOTFOUND;
    }
    len = strlen(path);
    /* One trailing slash after a non-root path: "/records/" but not "//". */
    if (len >= 2 && path[len - 1] == '/' && path[len - 2] != '/') {
        len--;
    }
    out->api = (len == 4 || (len > 4 && path[4] == '/')) && strncmp(path, "/api", 4) == 0;
    for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        if (pattern_match(routes[i].pattern, path, len, &param, &param_len)) {
            out->id = routes[i].id;
            out->name = routes[i].name;
            out->param = param ? apr_pstrmemdup(p, param, param_len) : NULL;
            out->methods = routes[i].methods;
            out->api = routes[i].api;
            return CREDIT_OK;
        }
    }
    return CREDIT_ENOTFOUND;
}

int credit_route_localized(const credit_route_match_t *m)
{
    return !m->api && m->id != CREDIT_ROUTE_CSV;
}

int credit_route_glob(apr_pool_t *p, const char *pattern, const char *path, const char **key)
{
    const char *star = strchr(pattern, '*');
    size_t pre, post, n = strlen(path);
    const char *tail, *x;
    int rest;
    *key = NULL;
    if (!star)
        return strcmp(pattern, path) == 0;
    rest = star[1] == '*';
    tail = star + (rest ? 2 : 1);
    pre = (size_t)(star - pattern);
    post = strlen(tail);
    if (n <= pre + post || strncmp(path, pattern, pre) || strcmp(path + n - post, tail))
        return 0;
    x = apr_pstrndup(p, path + pre, n - pre - post);
    if (rest ? !strchr(x, '/') : strchr(x, '/') != NULL)
        return 0;
    *key = x;
    return 1;
}
