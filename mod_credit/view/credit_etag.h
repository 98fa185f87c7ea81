/* credit_etag.h: entity tags as clients and caches send them back.
 *
 * A content-coding filter in front of the module changes the ETag it
 * sends: mod_deflate (DeflateAlterETag AddSuffix, Debian's default) turns
 * W/"v" into W/"v-gzip", mod_brotli into W/"v-br". httpd's conditional
 * check compares what comes back with the module's own W/"v" and never
 * finds it, so a browser or mod_cache revalidating a compressed copy would
 * get the whole page again instead of a 304. */
#ifndef CREDIT_ETAG_H
#define CREDIT_ETAG_H

#include <apr_pools.h>

/* Rewrites an If-None-Match or If-Match value: every entity tag whose
 * opaque part ends in a coding suffix ("-gzip", "-br") loses the suffix;
 * other tags, "*" and anything unparsable are kept as they are. Returns
 * the rewritten value in p, or `list` itself when nothing changed (NULL
 * for NULL). Never fails. */
const char *credit_etag_uncode(apr_pool_t *p, const char *list);

#endif
