/* credit_page_api.c: JSON API v1 (json-c). */
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_json.h"

/* GET /api/v1/health: for load balancers. 200 when the database answers,
 * 503 otherwise; never cached. */
credit_status_t credit_page_api_health(credit_req_t *rq)
{
    json_object *o = credit_json_new(rq->pool);
    json_object *db = json_object_new_object();
    int schema = 0;
    credit_status_t rv = rq->store->ops->schema_version(rq->store, &schema);

    json_object_object_add(o, "status",
                           json_object_new_string(rv == CREDIT_OK ? "ok" : "degraded"));
    json_object_object_add(db, "reachable", json_object_new_boolean(rv == CREDIT_OK));
    if (rv == CREDIT_OK)
        json_object_object_add(db, "schema_version", json_object_new_int(schema));
    else
        json_object_object_add(db, "schema_version", NULL);
    json_object_object_add(o, "database", db);
    json_object_object_add(o, "store", json_object_new_string(rq->store->ops->name));
    rq->status = rv == CREDIT_OK ? 200 : 503;
    rq->content_type = "application/json; charset=utf-8";
    apr_table_setn(rq->headers, "Cache-Control", "no-store");
    rq->body = credit_json_text(rq->pool, o, &rq->body_len);
    return CREDIT_OK;
}
