/* fuzz_route.c: libFuzzer target for the two path matchers. The input is
 * a request path (below the <Location>, as the glue passes it).
 *
 * credit_route_match (the public pages and API), checked on every input
 * (any violation abort()s):
 *  - CREDIT_OK or CREDIT_ENOTFOUND; a miss names no route and no parameter;
 *    the api flag says whether the path is /api or below it, hit or miss;
 *  - a hit's {} parameter is a whole segment of the path, without '/', and
 *    a valid record number or id; the path (trailing slash aside) has no
 *    empty, "." or ".." segment;
 *  - a hit is stable: the path with or without its one trailing slash, and
 *    with its parameter replaced by another valid value of the same kind,
 *    gives the same route (and the new value).
 *
 * credit_route_glob (the staff handler's patterns, the shapes of the
 * routes[] of credit_admin.c): a hit's key put back in place of the star
 * gives the path again; '*' stands for one non-empty segment, '**' for a
 * value with a '/' inside; a literal pattern matches only itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "fuzz.h"
#include "credit_route.h"
#include "credit_validate.h"

/* The staff handler's patterns (credit_admin.c, routes[]). */
static const char *const admin_patterns[] = {
    "/api/v1/me",
    "/api/v1/audit/records/*",
    "/api/v1/audit/ratings/**",
    "/api/v1/audit/commitments/*",
    "/api/v1/audit/**",
    "/api/v1/records",
    "/api/v1/records/import",
    "/api/v1/records/*",
    "/api/v1/records/*/events",
    "/api/v1/cases/*/transitions",
    "/",
    "/queues",
    "/queues/*",
    "/cases/*",
    "/api/v1/cases/*/assign",
    "/api/v1/ratings/**",
    "/api/v1/commitments",
    "/api/v1/commitments/*",
};

static int is_api_path(const char *path)
{
    return strncmp(path, "/api", 4) == 0 && (path[4] == '\0' || path[4] == '/');
}

/* The path without its one trailing slash (as the matcher reads it). */
static const char *trimmed(apr_pool_t *p, const char *path)
{
    size_t len = strlen(path);

    if (len >= 2 && path[len - 1] == '/' && path[len - 2] != '/') {
        return apr_pstrndup(p, path, len - 1);
    }
    return path;
}

static void check_segments(const char *path)
{
    const char *s = path, *e;
    size_t n;

    if (strcmp(path, "/") == 0) {
        return;
    }
    while (*s == '/') {
        s++;
        e = strchr(s, '/');
        n = e ? (size_t)(e - s) : strlen(s);
        CHECK(n > 0);
        CHECK(!(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.'));
        s += n;
    }
    CHECK(*s == '\0');
}

static void check_public(apr_pool_t *p, const char *path)
{
    credit_route_match_t m, again;
    credit_status_t rv = credit_route_match(p, path, &m);
    const char *t, *at, *other;
    size_t plen;

    CHECK(rv == CREDIT_OK || rv == CREDIT_ENOTFOUND);
    CHECK(m.api == is_api_path(path[0] ? path : "/"));
    if (rv == CREDIT_ENOTFOUND) {
        CHECK(m.id == CREDIT_ROUTE_NONE && m.param == NULL && m.methods == 0);
        CHECK(m.name != NULL && strcmp(m.name, "none") == 0);
        return;
    }
    CHECK(m.id > CREDIT_ROUTE_NONE && m.id < CREDIT_ROUTE_COUNT);
    CHECK(m.name != NULL && m.name[0] != '\0' && strcmp(m.name, "none") != 0);
    CHECK(m.methods >= 1 && m.methods <= (CREDIT_M_GET | CREDIT_M_POST));
    t = trimmed(p, path[0] ? path : "/");
    check_segments(t);

    /* the same route with and without the one trailing slash */
    if (strcmp(t, "/") != 0) {
        CHECK(credit_route_match(p, t, &again) == CREDIT_OK && again.id == m.id);
        CHECK(credit_route_match(p, apr_pstrcat(p, t, "/", NULL), &again) == CREDIT_OK &&
              again.id == m.id);
    }
    if (m.param == NULL) {
        return;
    }
    plen = strlen(m.param);
    CHECK(plen > 0 && strchr(m.param, '/') == NULL);
    CHECK(credit_record_no_valid(m.param) || credit_id_parse(m.param, NULL));
    /* a whole segment of the path */
    for (at = strstr(t, m.param); at != NULL; at = strstr(at + 1, m.param)) {
        if (at[-1] == '/' && (at[plen] == '/' || at[plen] == '\0')) {
            break;
        }
    }
    CHECK(at != NULL);
    /* another value of the same kind in its place gives the same route */
    other = credit_record_no_valid(m.param) ? "TJZW-2031-000007" : "42";
    CHECK(credit_route_match(
              p, apr_pstrcat(p, apr_pstrndup(p, t, (size_t)(at - t)), other, at + plen, NULL),
              &again) == CREDIT_OK);
    CHECK(again.id == m.id && again.param != NULL && strcmp(again.param, other) == 0);
}

static void check_admin(apr_pool_t *p, const char *path)
{
    size_t i;

    for (i = 0; i < sizeof(admin_patterns) / sizeof(admin_patterns[0]); i++) {
        const char *pat = admin_patterns[i], *star = strchr(pat, '*'), *key = "unset";
        int hit = credit_route_glob(p, pat, path, &key), rest;

        CHECK(hit == 0 || hit == 1);
        if (!hit) {
            CHECK(key == NULL);
            continue;
        }
        if (star == NULL) {
            CHECK(key == NULL && strcmp(pat, path) == 0);
            continue;
        }
        rest = star[1] == '*';
        CHECK(key != NULL && key[0] != '\0');
        CHECK(strcmp(apr_pstrcat(p, apr_pstrndup(p, pat, (size_t)(star - pat)), key,
                                 star + (rest ? 2 : 1), NULL),
                     path) == 0);
        CHECK(rest ? strchr(key, '/') != NULL : strchr(key, '/') == NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *path;

    if (size > 4096) {
        return 0;
    }
    apr_pool_create(&p, NULL);
    path = apr_pstrndup(p, (const char *)data, size);
    check_public(p, path);
    check_admin(p, path);
    apr_pool_destroy(p);
    return 0;
}
