/* credit_page_bodies.h: what the ratings, commitments and statistics pages
 * (credit_page_ratings.c, credit_page_commitments.c, credit_page_stats.c)
 * and the subject page's rating history share. */
#ifndef CREDIT_PAGE_BODIES_H
#define CREDIT_PAGE_BODIES_H

#include "credit_page.h"

/* credit_page_validators for a page that also shows rows whose writes do
 * not move data_version (ratings, commitments, complaints): the store's
 * stamp of `of` becomes part of the ETag, and there is no Last-Modified
 * (the stamp has no time; the ETag is the same on every child and host,
 * which caches in front need). *stamp (when
 * not NULL) receives the stamp, for cache keys. Returns as
 * credit_page_validators (*fresh = 1: the response is a 304 already). */
credit_status_t credit_public_validators(credit_req_t *rq, credit_stamp_of_t of, const char **stamp,
                                         int *fresh);

/* The single non-empty value of query parameter `name` (*value NULL when
 * absent or empty). When it is given more than once the response is the
 * 400 page naming it and CREDIT_EINVAL is returned. */
credit_status_t credit_public_param(credit_req_t *rq, const char *name, const char **value);

/* Like credit_public_param, and the value must be one of codes[0..n):
 * *value is then that code (a constant). Otherwise the 400 page names the
 * parameter (its name for people: language key label_key, NULL for
 * Lang.msg.param.<name>) and lists the codes with their labels
 * (Lang.enum.<kind>.<code>); CREDIT_EINVAL is returned. */
credit_status_t credit_public_code(credit_req_t *rq, const char *name, const char *label_key,
                                   const char *kind, const char *const *codes, size_t n,
                                   const char **value);

/* Like credit_public_param for a decimal integer lo..hi (*out untouched
 * when absent); otherwise the 400 page says Lang.msg.<key> ({min} lo,
 * {max} hi) after the parameter's name (label_key as credit_public_code). */
credit_status_t credit_public_int(credit_req_t *rq, const char *name, const char *label_key,
                                  long long lo, long long hi, const char *key, long long *out);

/* The 400 page: Lang.msg.<key> after the name of parameter `name`;
 * returns CREDIT_EINVAL. */
credit_status_t credit_public_bad(credit_req_t *rq, const char *name, const char *key);

/* A subject's published ratings, newest first, under "RatingHistory"
 * (RatingHistory.N.year, .score, .grade, .grade_label, .published_on, .id).
 * Errors as the store's. */
credit_status_t credit_public_rating_history(credit_req_t *rq, credit_view_t *v,
                                             unsigned long long subject_id);

#endif
