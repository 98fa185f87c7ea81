/* fuzz_form.c: libFuzzer target for the citizens' forms. The input is one
 * byte choosing the form (complaint, objection, repair), then a raw
 * application/x-www-form-urlencoded body, decoded by credit_args_parse as
 * ap_parse_form_data would decode it, then validated by credit_form_validate.
 * Checked on every input (any violation abort()s):
 *  - CREDIT_OK exactly when there is no error; errors only on the form's
 *    fields, each a non-empty valid UTF-8 message;
 *  - every kept value is a field of the form, non-empty, valid UTF-8,
 *    trimmed, and without CR in long text; a required field that is not
 *    kept has an error;
 *  - a good form's values obey their limits (code points, no controls);
 *  - validation is idempotent: validating the kept values again gives the
 *    same values and, for every field not refused for its encoding or a
 *    duplicate, the same message.
 * The same bytes are also a typed query code and a form token:
 * normalisation gives 13 Crockford characters and is a fixed point, and no
 * input forges a token. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <apr_general.h>
#include <apr_strings.h>

#define FUZZ_OWN_INIT
#include "fuzz.h"
#include "credit_filter.h"
#include "credit_form.h"
#include "credit_token.h"
#include "credit_validate.h"

static credit_keys_t keys;
static const credit_date_t today = {2026, 1, 1};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    apr_pool_t *p;

    (void)argc;
    (void)argv;
    if (apr_initialize() != APR_SUCCESS || apr_pool_create(&p, NULL) != APR_SUCCESS) {
        return 1;
    }
    /* not the key of the known answers of test_token.c, whose token is a seed */
    if (credit_keys_parse(p, "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed",
                          &keys) != NULL) {
        return 1;
    }
    apr_pool_destroy(p);
    return 0;
}

static const credit_field_t *field_of(const credit_field_t *fields, int n, const char *name)
{
    int i;

    for (i = 0; i < n; i++) {
        if (strcasecmp(fields[i].name, name) == 0) {
            return &fields[i];
        }
    }
    return NULL;
}

static int space_at_end(const char *v)
{
    size_t len = strlen(v);
    const char *ws = " \t\n\r\v\f";

    if (strchr(ws, v[0]) != NULL || strchr(ws, v[len - 1]) != NULL) {
        return 1;
    }
    return (len >= 3 && memcmp(v, "\xE3\x80\x80", 3) == 0) ||
           (len >= 3 && memcmp(v + len - 3, "\xE3\x80\x80", 3) == 0);
}

/* Returns 1 when v holds a character text of this type may not hold. */
static int has_control(const char *v, int longtext)
{
    const unsigned char *u = (const unsigned char *)v;

    for (; *u; u++) {
        if (*u < 0x20 && !(longtext && (*u == '\t' || *u == '\n'))) {
            return 1;
        }
        if (*u == 0x7F || (u[0] == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F) ||
            (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))) {
            return 1;
        }
    }
    return 0;
}

typedef struct {
    const credit_field_t *fields;
    int n;
} form_ctx_t;

static int check_error(void *rec, const char *key, const char *msg)
{
    form_ctx_t *c = rec;

    CHECK(field_of(c->fields, c->n, key) != NULL);
    CHECK(msg != NULL && msg[0] != '\0' && credit_utf8_valid(msg, strlen(msg)));
    return 1;
}

static int check_value(void *rec, const char *key, const char *v)
{
    form_ctx_t *c = rec;
    const credit_field_t *f = field_of(c->fields, c->n, key);

    CHECK(f != NULL);
    CHECK(v != NULL && v[0] != '\0');
    CHECK(credit_utf8_valid(v, strlen(v)));
    CHECK(!space_at_end(v));
    CHECK(f->type != CREDIT_FIELD_LONGTEXT || strchr(v, '\r') == NULL);
    return 1;
}

/* In a form without errors, every value obeys its field. */
static void check_good(const credit_field_t *fields, int n, const credit_form_t *out)
{
    int i;
    long chars;

    for (i = 0; i < n; i++) {
        const credit_field_t *f = &fields[i];
        const char *v = apr_table_get(out->values, f->name);
        if (v == NULL) {
            CHECK(!f->required);
            continue;
        }
        chars = credit_utf8_chars(v, strlen(v));
        CHECK(chars >= f->min_chars && chars <= f->max_chars);
        switch (f->type) {
        case CREDIT_FIELD_TEXT:
        case CREDIT_FIELD_LONGTEXT:
            CHECK(!has_control(v, f->type == CREDIT_FIELD_LONGTEXT));
            break;
        case CREDIT_FIELD_DATE:
            CHECK(credit_date_parse(v, NULL) && strcmp(v, "2000-01-01") >= 0 &&
                  strcmp(v, "2026-01-01") <= 0);
            break;
        case CREDIT_FIELD_PHONE:
            CHECK(strspn(v, "0123456789-") == strlen(v));
            break;
        case CREDIT_FIELD_EMAIL:
            CHECK(strchr(v, '@') != NULL);
            break;
        case CREDIT_FIELD_FLAG:
            CHECK(strcmp(v, "1") == 0);
            break;
        case CREDIT_FIELD_ID:
            CHECK(credit_id_parse(v, NULL));
            break;
        default:
            break;
        }
    }
}

/* Validates the kept values again: same values, same messages except for
 * fields refused for their encoding or as duplicates. */
static void check_again(apr_pool_t *p, const credit_field_t *fields, int n, const credit_form_t *a)
{
    apr_table_t *in = apr_table_copy(p, a->values);
    credit_form_t b;
    int i;

    credit_form_validate(p, a->kind, in, today, NULL, &b);
    for (i = 0; i < n; i++) {
        const char *name = fields[i].name;
        const char *va = apr_table_get(a->values, name), *vb = apr_table_get(b.values, name);
        const char *ea = apr_table_get(a->errors, name), *eb = apr_table_get(b.errors, name);
        CHECK((va == NULL) == (vb == NULL));
        CHECK(va == NULL || strcmp(va, vb) == 0);
        /* without a text source the messages are "<code>: <field>" */
        if (ea != NULL && (!strncmp(ea, "utf8:", 5) || !strncmp(ea, "duplicate:", 10))) {
            continue;
        }
        CHECK((ea == NULL) == (eb == NULL));
        CHECK(ea == NULL || strcmp(ea, eb) == 0);
    }
}

static void check_form(apr_pool_t *p, credit_form_kind_t kind, const char *body)
{
    apr_table_t *in;
    credit_form_t out;
    credit_status_t rv;
    const credit_field_t *fields;
    form_ctx_t c;
    int n, i;

    if (credit_args_parse(p, body, &in) != CREDIT_OK) {
        return;
    }
    fields = credit_form_fields(kind, &n);
    CHECK(fields != NULL && n > 0);
    rv = credit_form_validate(p, kind, in, today, NULL, &out);
    CHECK(out.kind == kind && out.values != NULL && out.errors != NULL);
    CHECK((rv == CREDIT_OK) == apr_is_empty_table(out.errors));
    CHECK(rv == CREDIT_OK || rv == CREDIT_EINVAL);
    c.fields = fields;
    c.n = n;
    apr_table_do(check_error, &c, out.errors, NULL);
    apr_table_do(check_value, &c, out.values, NULL);
    for (i = 0; i < n; i++) {
        if (fields[i].required && apr_table_get(out.values, fields[i].name) == NULL) {
            CHECK(apr_table_get(out.errors, fields[i].name) != NULL);
        }
    }
    if (rv == CREDIT_OK) {
        check_good(fields, n, &out);
    }
    check_again(p, fields, n, &out);
}

static void check_code_and_token(apr_pool_t *p, const char *s)
{
    const char *code = credit_token_code_normalise(p, s);
    size_t i;
    int key = 0;

    if (code != NULL) {
        CHECK(strlen(code) == 13);
        for (i = 0; i < 13; i++) {
            CHECK(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", code[i]) != NULL && code[i]);
        }
        CHECK(strcmp(credit_token_code_normalise(p, code), code) == 0);
    }
    CHECK(credit_token_verify(&keys, s, "complaint", 1767225600LL, 3, 7200, &key) ==
          CREDIT_TOKEN_BAD);
    CHECK(key == -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *body;

    if (size < 1 || size > 64 * 1024) {
        return 0;
    }
    apr_pool_create(&p, NULL);
    body = apr_pstrmemdup(p, (const char *)data + 1, strnlen((const char *)data + 1, size - 1));
    check_form(p, (credit_form_kind_t)(data[0] % 3), body);
    check_code_and_token(p, body);
    apr_pool_destroy(p);
    return 0;
}
