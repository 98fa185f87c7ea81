/* credit_json_value.c: see credit_json_value.h. */
#include <apr_strings.h>
#include "credit_json_value.h"

static apr_status_t put(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

json_object *credit_json_new(apr_pool_t *p)
{
    json_object *o = json_object_new_object();
    if (o)
        apr_pool_cleanup_register(p, o, put, apr_pool_cleanup_null);
    return o;
}

void credit_json_str(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, value ? json_object_new_string(value) : NULL);
}

const char *credit_json_text(apr_pool_t *p, json_object *o, apr_size_t *len)
{
    size_t n = 0;
    const char *s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &n);
    char *copy = apr_pstrmemdup(p, s ? s : "{}", s ? n : 2);
    *len = s ? n : 2;
    return copy;
}
