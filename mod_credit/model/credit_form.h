/* credit_form.h: citizens' forms (complaint, objection, repair application):
 * the fields of SPEC 3, their limits, and validation into a struct with a
 * specific message per bad field, in the page's language. Pure: the glue hands over the
 * decoded fields (ap_parse_form_data) as an apr_table_t. */
#ifndef CREDIT_FORM_H
#define CREDIT_FORM_H

#include "credit.h"

typedef enum {
    CREDIT_FORM_COMPLAINT = 0,
    CREDIT_FORM_OBJECTION,
    CREDIT_FORM_REPAIR
} credit_form_kind_t;

/* Limits of the request body as a whole (the glue enforces them with a 413). */
#define CREDIT_FORM_MAX_BYTES                                                                      \
    (128 * 1024) /* every field at its limit in Chinese, URL-encoded, fits */
#define CREDIT_FORM_MAX_FIELDS 32

/* One field of a form: its name, whether it is required, its limit in
 * characters (code points) and its kind of check. */
typedef enum {
    CREDIT_FIELD_TEXT = 0, /* one line: no control characters */
    CREDIT_FIELD_LONGTEXT, /* CR/LF/TAB allowed */
    CREDIT_FIELD_DATE,     /* YYYY-MM-DD, not in the future */
    CREDIT_FIELD_PHONE,    /* mainland mobile 1[3-9]NNNNNNNNN or fixed line 0NN(N)-NNNNNNN(N) */
    CREDIT_FIELD_EMAIL,    /* local@domain.tld, <= 254 chars */
    CREDIT_FIELD_CONTACT,  /* a phone or an e-mail */
    CREDIT_FIELD_ENUM,     /* one code of an enumeration (district, domain, relation) */
    CREDIT_FIELD_FLAG,     /* a checkbox: absent or "1" */
    CREDIT_FIELD_ID        /* a positive decimal id (credit_id_parse): subject_id */
} credit_field_type_t;

typedef struct {
    const char *name; /* form field name, e.g. "content"; its label is Lang.form.label.<name> */
    credit_field_type_t type;
    int required;
    int max_chars;
    int min_chars;
    const char *const *choices; /* CREDIT_FIELD_ENUM: NULL-terminated codes */
} credit_field_t;

/* The fields of each form, in the order the page shows them. Complaint:
 * target subject_id(optional, decimal) district domain title content conduct_on
 * evidence name phone email. Objection: applicant contact relation(self unit
 * agent) reason evidence. Repair: applicant contact rectification commitment
 * confirm_rectified(flag, required). */
const credit_field_t *credit_form_fields(credit_form_kind_t kind, int *n);

/* The result of validating a form: the values as submitted (trimmed of
 * leading/trailing white space; line breaks of long text as LF; NULL when
 * absent or empty) for redisplay, and a message per bad field. */
typedef struct {
    credit_form_kind_t kind;
    apr_table_t *values; /* field name -> value, only valid UTF-8 values */
    apr_table_t *errors; /* field name -> message */
} credit_form_t;

/* Where the messages' words come from: say(baton, key) returns the string
 * of a language key (Lang.form.err.<code>, Lang.form.label.<field>) or
 * NULL. The codes: required choose confirm control too_long too_short
 * date_format date_early date_future phone phone_fullwidth email contact
 * choice flag id duplicate utf8 unchecked; placeholders {label} {max} {min}
 * {n} {cp}. */
typedef struct {
    const char *(*say)(void *baton, const char *key);
    void *baton;
} credit_form_text_t;

/* Validates the fields of `kind` from `in` (decoded name -> value; a name
 * given twice is an error on that field). `today` bounds dates (no future
 * conduct). Every field is checked, not only the first bad one. Returns
 * CREDIT_OK when there is no error, CREDIT_EINVAL when out->errors is not
 * empty; out is filled in both cases. Invalid UTF-8 is an error on its field
 * and the value is not kept. The messages are made from text (NULL: the
 * codes and field names themselves). */
credit_status_t credit_form_validate(apr_pool_t *p, credit_form_kind_t kind, const apr_table_t *in,
                                     credit_date_t today, const credit_form_text_t *text,
                                     credit_form_t *out);

#endif
