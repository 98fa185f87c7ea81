/* fuzz_record.c: libFuzzer target for the staff API's record parser. The
 * input is a request body: read as the glue reads it (strict JSON, one
 * value, white space after it; credit_admin_json_parse), then validated
 * as a create and as an update (credit_admin_record_parse) with the
 * checks of record_check.h. */
#include <stdint.h>
#include <apr_general.h>

#include "record_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    json_object *body;
    credit_record_input_t in;
    credit_field_error_t err;
    int ok, mode;

    if (size > 256 * 1024) {
        return 0;
    }
    apr_pool_create(&p, NULL);
    ok = credit_admin_json_parse((const char *)data, size, " \n\r\t", &body);
    CHECK(ok == 0 || ok == 1);
    CHECK(ok || body == NULL);
    if (ok) {
        for (mode = CREDIT_REC_CREATE; mode <= CREDIT_REC_UPDATE; mode++) {
            ok = credit_admin_record_parse(p, body, (credit_rec_mode_t)mode, fuzz_today, &in, &err);
            check_record(p, body, (credit_rec_mode_t)mode, ok, &in, &err);
        }
        json_object_put(body);
    }
    apr_pool_destroy(p);
    return 0;
}
