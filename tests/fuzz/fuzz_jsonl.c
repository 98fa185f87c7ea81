/* fuzz_jsonl.c: libFuzzer target for the JSON Lines of a bulk import. The
 * first byte says how the body is made of the rest: below 0x80 the rest as
 * it is; from 0x80 the rest repeated ((b & 0x7F) + 1) * 128 times (at most
 * BODY_MAX bytes), so that bodies of more than CREDIT_IMPORT_LINES_MAX
 * lines and lines over CREDIT_IMPORT_LINE_MAX bytes are reached.
 *
 * credit_admin_import_split, checked on every body (any violation
 * abort()s): it refuses exactly the bodies of more than
 * CREDIT_IMPORT_LINES_MAX lines (LF ends a line, a last line without LF
 * counts); otherwise the lines, numbered from 1, lie end to end in the body
 * with their LF (and a CR before it, or at the very end) left out, and a
 * line is blank exactly when it holds only spaces and tabs.
 *
 * credit_admin_import_line, on the first LINES_READ non-blank lines, each
 * in a pool of its own cleared after it as the import does: a line over
 * CREDIT_IMPORT_LINE_MAX bytes is line_too_long, one with a NUL or that is
 * not one strict JSON value (spaces and tabs after it) is bad_json, and
 * otherwise the result is the record parser's for a create (record_check.h
 * checks it); its error copied out of the line's pool stays whole. */
#include <stdint.h>
#include <apr_general.h>

#include "record_check.h"

#define BODY_MAX   (72 * 1024) /* a line over 64 KiB, or 10,001 lines */
#define LINES_READ 64

static void check_split(const char *body, size_t len, int ok, apr_array_header_t *lines)
{
    size_t i, off = 0, nl = 0, count;
    int n;

    for (i = 0; i < len; i++) {
        nl += body[i] == '\n';
    }
    count = nl + (len > 0 && body[len - 1] != '\n');
    CHECK(ok == (count <= CREDIT_IMPORT_LINES_MAX));
    if (!ok) {
        CHECK(lines == NULL);
        return;
    }
    CHECK(lines != NULL && (size_t)lines->nelts == count);
    for (n = 0; n < lines->nelts; n++) {
        const credit_import_line_t *ln = &APR_ARRAY_IDX(lines, n, credit_import_line_t);
        const char *end = memchr(body + off, '\n', len - off);
        size_t seg = end ? (size_t)(end - (body + off)) : len - off;

        CHECK(ln->line == n + 1 && ln->text == body + off);
        CHECK(ln->len == (seg > 0 && body[off + seg - 1] == '\r' ? seg - 1 : seg));
        CHECK(ln->blank ==
              (strspn(apr_pstrndup(lines->pool, ln->text, ln->len), " \t") == ln->len &&
               memchr(ln->text, '\0', ln->len) == NULL));
        CHECK(!ln->ok && ln->record_no == NULL && ln->err.code == NULL);
        off += seg + (end != NULL);
    }
    CHECK(off == len);
}

static void check_line(apr_pool_t *p, apr_pool_t *lp, const credit_import_line_t *ln)
{
    credit_record_input_t in;
    credit_field_error_t err, kept;
    json_object *o = NULL;
    int ok = credit_admin_import_line(lp, ln, fuzz_today, &in, &err), json;

    CHECK(ok == 0 || ok == 1);
    if (ln->len > CREDIT_IMPORT_LINE_MAX) {
        CHECK(!ok && strcmp(err.code, "line_too_long") == 0 && err.message != NULL);
    } else if (memchr(ln->text, '\0', ln->len) != NULL) {
        CHECK(!ok && strcmp(err.code, "bad_json") == 0);
    } else if ((json = credit_admin_json_parse(ln->text, ln->len, " \t", &o)) != 1 || o == NULL ||
               !json_object_is_type(o, json_type_object)) {
        CHECK(json >= 0);
        CHECK(!ok && strcmp(err.code, "bad_json") == 0 && err.message != NULL);
    } else {
        check_record(lp, o, CREDIT_REC_CREATE, ok, &in, &err);
    }
    if (o != NULL) {
        json_object_put(o);
    }
    credit_field_error_copy(p, &kept, &err);
    CHECK(same_str(kept.code, err.code) && same_str(kept.field, err.field) &&
          same_str(kept.message, err.message));
    apr_pool_clear(lp);
    if (!ok) {
        CHECK(kept.code != NULL && kept.message != NULL && strlen(kept.message) > 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p, *lp;
    apr_array_header_t *lines = NULL;
    char *body;
    size_t len = 0, rest, times = 1, i;
    int ok, n, read = 0;

    if (size < 1 || size > 64 * 1024) {
        return 0;
    }
    rest = size - 1;
    if (data[0] & 0x80) {
        times = ((size_t)(data[0] & 0x7F) + 1) * 128;
    }
    apr_pool_create(&p, NULL);
    apr_pool_create(&lp, p);
    body = apr_palloc(p, (rest * times < BODY_MAX ? rest * times : BODY_MAX) + 1);
    for (i = 0; i < times && len + rest <= BODY_MAX; i++) {
        memcpy(body + len, data + 1, rest);
        len += rest;
    }
    ok = credit_admin_import_split(p, body, len, &lines);
    check_split(body, len, ok, lines);
    for (n = 0; ok && n < lines->nelts && read < LINES_READ; n++) {
        const credit_import_line_t *ln = &APR_ARRAY_IDX(lines, n, credit_import_line_t);
        if (!ln->blank) {
            check_line(p, lp, ln);
            read++;
        }
    }
    apr_pool_destroy(p);
    return 0;
}
