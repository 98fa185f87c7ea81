/* credit_admin_bodies.c: ratings and commitments in the staff API (see
 * credit_admin_bodies.h): the route functions (the JSON bodies are
 * validated by credit_bodies_input.c), which answer 400 naming the field, 403 (ratings: city
 * level only), 404 (also outside the staff's district), 409 naming the
 * states. The writes and their audit rows are in credit_store_admin_bodies.c. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>

#include "credit_admin_bodies.h"
#include "credit_store_staff.h"
#include "credit_json.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

/* ---- the route functions ------------------------------------------------------------ */

#define reply credit_admin_reply

static credit_status_t error(credit_req_t *rq, int status, const char *code, const char *message)
{
    return credit_admin_error(rq, status, code, NULL, message);
}

/* A validation message as a 400: missing_field for "x: required...". */
static credit_status_t invalid(credit_req_t *rq, const char *message)
{
    const char *colon = strstr(message, ": required");
    return error(rq, 400, colon ? "missing_field" : "bad_field", message);
}

static credit_status_t store_error(credit_req_t *rq, credit_status_t rv, const char *why,
                                   const char *what)
{
    switch (rv) {
    case CREDIT_ENOTFOUND:
        return error(rq, 404, "not_found",
                     why ? why : apr_pstrcat(rq->pool, what, " not found", NULL));
    case CREDIT_EINVAL:
        return invalid(rq, why ? why : what);
    case CREDIT_ECONFLICT:
        return error(rq, 409, "conflict", why ? why : what);
    case CREDIT_EUNAVAIL:
        return credit_admin_unavailable(rq, "nothing was changed");
    default:
        return error(rq, 500, "internal_error", "nothing was changed");
    }
}

/* "{subject_id}/{year}" of the path. Returns 0 and answers 404 / 400. */
static int rating_key(credit_req_t *rq, const char *key, unsigned long long *sid, int *year)
{
    const char *slash = strchr(key, '/'), *y;
    size_t i;
    if (!slash || strchr(slash + 1, '/') ||
        !credit_id_parse(apr_pstrndup(rq->pool, key, (apr_size_t)(slash - key)), sid)) {
        error(rq, 404, "not_found", "no such rating: /ratings/{subject_id}/{year}");
        return 0;
    }
    y = slash + 1;
    for (i = 0; y[i] >= '0' && y[i] <= '9'; i++)
        ;
    if (i != 4 || y[i]) {
        error(rq, 400, "bad_field", "year: a year of four digits");
        return 0;
    }
    *year = atoi(y);
    if (*year < CREDIT_RATING_YEAR_MIN || *year > rq->today.y) {
        error(
            rq, 400, "bad_field",
            apr_psprintf(rq->pool, "year: between %d and %d", CREDIT_RATING_YEAR_MIN, rq->today.y));
        return 0;
    }
    return 1;
}

static void add_subject(json_object *o, const credit_admin_subject_t *sj)
{
    json_object *s = json_object_new_object();
    json_object_object_add(s, "id", json_object_new_int64((int64_t)sj->id));
    credit_json_str(s, "name", sj->name);
    credit_json_str(s, "district", sj->district);
    credit_json_str(s, "level", sj->level);
    json_object_object_add(o, "subject", s);
}

static credit_status_t rating_reply(credit_req_t *rq, int status, const credit_rating_in_t *r,
                                    const credit_admin_subject_t *sj)
{
    json_object *o = credit_json_new(rq->pool);
    json_object *v = credit_rating_json(rq->pool, r);
    char buf[16];
    json_object_object_foreach(v, key, val) json_object_object_add(o, key, json_object_get(val));
    json_object_put(v);
    add_subject(o, sj);
    json_object_object_add(
        o, "published",
        json_object_new_boolean(strcmp(r->published_on, credit_date_fmt(rq->today, buf)) <= 0));
    return reply(rq, status, o);
}

credit_status_t credit_admin_get_rating(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in)
{
    unsigned long long sid;
    int year;
    credit_rating_in_t *r;
    credit_admin_subject_t sj;
    credit_status_t rv;
    (void)in;
    if (!rating_key(rq, key, &sid, &year))
        return CREDIT_OK;
    rv = rq->store->admin->rating_read(rq->store, st, sid, year, &r, &sj);
    if (rv != CREDIT_OK)
        return store_error(rq, rv, NULL, "rating");
    /* A rating not published yet is the city's until it is: department
     * staff see what the public sees (and nothing of one not yet out). */
    if (st->department_id != 0) {
        char buf[16];
        if (strcmp(r->published_on, credit_date_fmt(rq->today, buf)) > 0)
            return store_error(rq, CREDIT_ENOTFOUND, NULL, "rating");
    }
    return rating_reply(rq, 200, r, &sj);
}

credit_status_t credit_admin_put_rating(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in)
{
    unsigned long long sid;
    int year, created = 0;
    credit_rating_in_t r;
    credit_admin_subject_t sj;
    const char *bad, *why = NULL;
    credit_status_t rv;

    /* Ratings are set by the city's credit authority. The rated bodies and
     * their ratings are public, so there is nothing to hide with a 404: a
     * department's account is told plainly that it may not. */
    if (st->department_id != 0)
        return error(rq, 403, "city_level_only",
                     "ratings are set by the city's credit authority: a city-level staff "
                     "account is needed");
    if (!rating_key(rq, key, &sid, &year))
        return CREDIT_OK;
    if ((bad = credit_rating_parse(rq->pool, in->json, sid, year, &r)))
        return invalid(rq, bad);
    rv = rq->store->admin->rating_upsert(rq->store, st, &r, &created, &sj, &why);
    if (rv != CREDIT_OK)
        return store_error(rq, rv, why, "subject");
    if (created)
        apr_table_setn(rq->headers, "Location",
                       apr_psprintf(rq->pool, "%s/api/v1/ratings/%" APR_UINT64_T_FMT "/%d",
                                    rq->base, (apr_uint64_t)sid, year));
    return rating_reply(rq, created ? 201 : 200, &r, &sj);
}

static credit_status_t commitment_reply(credit_req_t *rq, int status,
                                        const credit_commitment_in_t *c,
                                        const credit_admin_subject_t *sj)
{
    json_object *o = credit_json_new(rq->pool);
    json_object *v = credit_commitment_json(rq->pool, c);
    json_object_object_foreach(v, key, val) json_object_object_add(o, key, json_object_get(val));
    json_object_put(v);
    add_subject(o, sj);
    return reply(rq, status, o);
}

credit_status_t credit_admin_post_commitment(credit_req_t *rq, const credit_staff_t *st,
                                             const char *key, const credit_admin_body_t *in)
{
    credit_commitment_in_t change, c;
    credit_admin_subject_t sj;
    const char *bad, *why = NULL;
    credit_status_t rv;
    int status;
    (void)key;
    if ((bad = credit_commitment_parse(rq->pool, in->json, 1, &change)))
        return invalid(rq, bad);
    if ((status = credit_commitment_merge(rq->pool, NULL, &change, &c, &why)))
        return status == 409 ? error(rq, 409, "conflict", why) : invalid(rq, why);
    rv = rq->store->admin->commitment_create(rq->store, st, &c, &sj, &why);
    if (rv != CREDIT_OK)
        return store_error(rq, rv, why, "subject");
    apr_table_setn(rq->headers, "Location",
                   apr_psprintf(rq->pool, "%s/api/v1/commitments/%" APR_UINT64_T_FMT, rq->base,
                                (apr_uint64_t)c.id));
    return commitment_reply(rq, 201, &c, &sj);
}

credit_status_t credit_admin_get_commitment(credit_req_t *rq, const credit_staff_t *st,
                                            const char *key, const credit_admin_body_t *in)
{
    unsigned long long id;
    credit_commitment_in_t *c;
    credit_admin_subject_t sj;
    credit_status_t rv;
    (void)in;
    if (!credit_id_parse(key, &id))
        return error(rq, 404, "not_found", "no such commitment");
    rv = rq->store->admin->commitment_read(rq->store, st, id, &c, &sj);
    if (rv != CREDIT_OK)
        return store_error(rq, rv, NULL, "commitment");
    return commitment_reply(rq, 200, c, &sj);
}

credit_status_t credit_admin_put_commitment(credit_req_t *rq, const credit_staff_t *st,
                                            const char *key, const credit_admin_body_t *in)
{
    unsigned long long id;
    credit_commitment_in_t change, *c;
    credit_admin_subject_t sj;
    const char *bad, *why = NULL;
    credit_status_t rv;
    if (!credit_id_parse(key, &id))
        return error(rq, 404, "not_found", "no such commitment");
    if ((bad = credit_commitment_parse(rq->pool, in->json, 0, &change)))
        return invalid(rq, bad);
    rv = rq->store->admin->commitment_update(rq->store, st, id, &change, &c, &sj, &why);
    if (rv != CREDIT_OK)
        return store_error(rq, rv, why, "commitment");
    return commitment_reply(rq, 200, c, &sj);
}

#define audit_reply credit_admin_audit_reply

credit_status_t credit_admin_get_rating_audit(credit_req_t *rq, const credit_staff_t *st,
                                              const char *key, const credit_admin_body_t *in)
{
    unsigned long long sid;
    int year;
    apr_array_header_t *rows;
    credit_status_t rv;
    (void)in;
    /* The trail holds every score a rating had, published or not. */
    if (st->department_id != 0)
        return error(rq, 403, "city_level_only",
                     "the audit trail of ratings is kept for the city's credit authority: a "
                     "city-level staff account is needed");
    if (!rating_key(rq, key, &sid, &year))
        return CREDIT_OK;
    rv = rq->store->admin->public_audit(rq->store, st, "rating", sid, year, &rows);
    if (rv != CREDIT_OK)
        return store_error(rq, rv, NULL, "rating");
    return audit_reply(rq, "rating", key, rows);
}

credit_status_t credit_admin_get_commitment_audit(credit_req_t *rq, const credit_staff_t *st,
                                                  const char *key, const credit_admin_body_t *in)
{
    unsigned long long id;
    apr_array_header_t *rows;
    credit_status_t rv;
    (void)in;
    if (!credit_id_parse(key, &id))
        return error(rq, 404, "not_found", "no such commitment");
    rv = rq->store->admin->public_audit(rq->store, st, "commitment", id, 0, &rows);
    if (rv != CREDIT_OK)
        return store_error(rq, rv, NULL, "commitment");
    return audit_reply(rq, "commitment", key, rows);
}
