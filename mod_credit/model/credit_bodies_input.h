/* credit_bodies_input.h: the public bodies' ratings and commitments as
 * the staff API takes them (SPEC 3, issue 5 point 2): the JSON bodies
 * validated into the structs below, the rules of a commitment's changes,
 * and the JSON the API and the audit rows show. Pure: no database, no
 * httpd (credit_admin_bodies.c answers the routes,
 * credit_store_admin_bodies.c writes).
 *
 * Conventions of the stored ratings (those of sql/demo.sql, which the public
 * pages draw): an indicator's raw value is a rate in percent (0..100), its
 * score is weight x raw / 100 rounded to two decimals, the weights add up
 * to 100, the rating's score is the sum of the indicator scores and its
 * grade follows from the score: A >= 90, B >= 80, C >= 60, D below.
 * Decimals are carried as hundredths (87.35 -> 8735). */
#ifndef CREDIT_BODIES_INPUT_H
#define CREDIT_BODIES_INPUT_H

#include <json.h>
#include "credit.h"

#define CREDIT_RATING_YEAR_MIN     2000
#define CREDIT_INDICATORS_MAX      20
#define CREDIT_INDICATOR_CODE_MAX  32  /* [a-z][a-z0-9_]*, the column holds 32 */
#define CREDIT_INDICATOR_NAME_MAX  100 /* characters */
#define CREDIT_COMMITMENT_TEXT_MAX 1000
#define CREDIT_COMMITMENT_EVID_MAX 1000
#define CREDIT_RATING_TIMELY_CODE  "complaint_timely" /* required: SPEC 3 names it */

typedef struct {
    const char *code, *name;
    long long weight, raw_value, score; /* hundredths */
} credit_indicator_in_t;

typedef struct {
    unsigned long long id; /* ratings.id; 0 before it is stored */
    unsigned long long subject_id;
    int year;
    long long score;                /* hundredths */
    const char *grade;              /* A B C D */
    const char *published_on;       /* YYYY-MM-DD */
    apr_array_header_t *indicators; /* of credit_indicator_in_t */
} credit_rating_in_t;

typedef struct {
    unsigned long long id; /* 0 before it is stored */
    unsigned long long subject_id;
    const char *area, *text, *promised_on, *status, *evidence; /* evidence may be NULL */
} credit_commitment_in_t;

/* The grade of a score in hundredths ("A" .. "D"). */
const char *credit_rating_grade(long long score);

/* "87.35" of 8735 (always two decimals), allocated from p. */
const char *credit_hundredths_fmt(apr_pool_t *p, long long v);

/* Parses a plain decimal ("87", "87.3", "87.35", optionally negative) into
 * hundredths. Returns 1 on success, 0 for anything else (exponents, more
 * than two decimals, more than 12 digits, spaces). */
int credit_hundredths_parse(const char *s, long long *out);

/* Validates the body of PUT /ratings/{subject_id}/{year} into out (year
 * and subject_id from the path; published_on limited by the year). Returns
 * NULL when it is valid, else a message that begins with the field's name
 * ("indicators[2].weight: ..."). A missing score or grade is computed. */
const char *credit_rating_parse(apr_pool_t *p, json_object *body, unsigned long long subject_id,
                                int year, credit_rating_in_t *out);

/* The rating as JSON (owned by the caller): subject_id, year, score, grade,
 * grade_label, published_on, indicators; numbers keep two decimals. */
json_object *credit_rating_json(apr_pool_t *p, const credit_rating_in_t *r);

/* Validates the body of POST /commitments (create = 1: subject_id, area,
 * text and promised_on required) or PUT /commitments/{id} (create = 0:
 * every field optional, at least one). Fields given are set in out, the
 * others stay NULL / 0. Returns NULL or a message naming the field. */
const char *credit_commitment_parse(apr_pool_t *p, json_object *body, int create,
                                    credit_commitment_in_t *out);

/* Applies the fields of `change` (from credit_commitment_parse) to `cur`
 * (the stored one, or all-NULL for a new one) into *out. Returns 0 when the
 * result is allowed; 400 with *why naming the field (kept/broken without
 * evidence, another subject); 409 with *why naming the states (a verdict
 * goes back to pending, the promise of a decided commitment changes). */
int credit_commitment_merge(apr_pool_t *p, const credit_commitment_in_t *cur,
                            const credit_commitment_in_t *change, credit_commitment_in_t *out,
                            const char **why);

/* The commitment as JSON (owned by the caller), area and status with labels. */
json_object *credit_commitment_json(apr_pool_t *p, const credit_commitment_in_t *c);

#endif
