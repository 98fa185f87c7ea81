/* credit_record_input.h: records written by staff (issue 5 point 2).
 *
 * The pure part (credit_record_input.c, no database): a JSON object of the
 * staff API -> a validated record input, or the first error naming its
 * field; JSON Lines of a bulk import -> one such result per line.
 *
 * The route handlers (credit_admin_records_api.c), called through the
 * routes[] table of credit_admin.c:
 *   POST /api/v1/records               create a record          201 + Location
 *   GET  /api/v1/records/{no}          a record, any status     200
 *   PUT  /api/v1/records/{no}          update its editable fields
 *   POST /api/v1/records/import        JSON Lines, ?mode=each (default) | all
 */
#ifndef CREDIT_RECORD_INPUT_H
#define CREDIT_RECORD_INPUT_H

#include <json.h>
#include "credit.h"
#include "credit_rules.h"

/* Limits of the fields, in characters (the columns of sql/001_schema.sql). */
#define CREDIT_REC_TITLE_MAX     200
#define CREDIT_REC_FACTS_MAX     10000
#define CREDIT_REC_LEGAL_MAX     1000
#define CREDIT_REC_DECISION_MAX  100
#define CREDIT_REC_AUTHORITY_MAX 100
#define CREDIT_REC_RECTIFY_MAX   5000
#define CREDIT_REC_NAME_MAX      100
#define CREDIT_REC_POSITION_MAX  100
#define CREDIT_REC_AMOUNT_MAX    "9999999999999.99" /* DECIMAL(15,2) */
#define CREDIT_REC_AHEAD_DAYS    366                /* a disclosure date at most this far ahead */
#define CREDIT_IMPORT_LINES_MAX  10000
#define CREDIT_IMPORT_LINE_MAX   (64 * 1024) /* bytes of one line */
#define CREDIT_REC_MEMBER_SHOWN  64 /* characters of an unknown member's name an error shows */

/* The first problem found, for a 400 or a line of an import report.
 * code: missing_field bad_field computed_field read_only unknown_field
 * (and, from the store: unknown_subject unknown_department duplicate ...);
 * field: "title", "subject.credit_code", "rectification.due" (NULL for a
 * line that is not a JSON object); message: "<field>: what is wrong". */
typedef struct {
    const char *code;
    const char *field;
    const char *message;
    unsigned long long subject_id; /* official_exists: the registered official; else 0 */
} credit_field_error_t;

/* A subject given inline: a government body (a new one, or the existing
 * one with its credit code) or a new official (credit_store_admin_records.h
 * says who may register one). */
typedef struct {
    const char *kind; /* gov | official */
    const char *name;
    const char *credit_code;        /* gov: GB 32100, upper case */
    const char *district;           /* code of credit_districts */
    const char *level;              /* city district township */
    unsigned long long employer_id; /* official: a gov subject */
    const char *position;           /* official */
    const char *id_number;          /* official: 18 characters, upper case; never stored */
} credit_subject_input_t;

/* Which fields a body gave (an update changes only those). */
enum {
    CREDIT_RF_SUBJECT = 1u << 0, /* subject_id or subject */
    CREDIT_RF_CATEGORY = 1u << 1,
    CREDIT_RF_DOMAIN = 1u << 2,
    CREDIT_RF_SEVERITY = 1u << 3,
    CREDIT_RF_TITLE = 1u << 4,
    CREDIT_RF_FACTS = 1u << 5,
    CREDIT_RF_LEGAL = 1u << 6,
    CREDIT_RF_DECISION = 1u << 7,
    CREDIT_RF_AUTHORITY = 1u << 8,
    CREDIT_RF_DECIDED = 1u << 9,
    CREDIT_RF_DISCLOSED = 1u << 10,
    CREDIT_RF_DEPARTMENT = 1u << 11,
    CREDIT_RF_AMOUNT = 1u << 12,
    CREDIT_RF_RECT_TEXT = 1u << 13,
    CREDIT_RF_RECT_DUE = 1u << 14,
    CREDIT_RF_RECT_DONE = 1u << 15
};

typedef struct {
    unsigned set;                  /* CREDIT_RF_* of the fields given */
    unsigned long long subject_id; /* 0: the inline subject */
    credit_subject_input_t subject;
    const char *category, *domain, *severity;
    const char *title, *facts, *legal_basis, *decision_no, *authority;
    const char *decided_on, *disclosed_on; /* YYYY-MM-DD, valid dates */
    unsigned long long department_id;      /* 0: not given */
    const char *amount;                    /* "1234.50" (two decimals); NULL: none */
    const char *rectification, *rectify_due;
    int rectified;
    credit_clock_t clock; /* create: computed from severity and disclosed_on */
} credit_record_input_t;

typedef enum { CREDIT_REC_CREATE = 0, CREDIT_REC_UPDATE } credit_rec_mode_t;

/* Validates a JSON object of the staff API into *out (strings borrowed from
 * body or allocated from p). CREATE wants every required field; UPDATE
 * takes the editable ones that are present and refuses the subject, the
 * department, the number and the status. Both refuse the computed clock
 * (repair_from, withdraw_on) and unknown members. today is Beijing's date.
 * Returns 1 when valid; 0 with *err filled (allocated from p) otherwise. */
int credit_admin_record_parse(apr_pool_t *p, json_object *body, credit_rec_mode_t mode,
                              credit_date_t today, credit_record_input_t *out,
                              credit_field_error_t *err);

/* The checks between dates, for a record as it will be stored: the
 * decision date not after today, the disclosure date not before the
 * decision and at most CREDIT_REC_AHEAD_DAYS after today. Returns 1, or 0
 * with *err filled. */
int credit_admin_record_dates(apr_pool_t *p, const char *decided_on, const char *disclosed_on,
                              credit_date_t today, credit_field_error_t *err);

/* Returns 1 when s is an 18-character resident ID-card number (GB 11643:
 * 6-digit area, a real birth date not after today, sequence, check
 * character 0-9 or X, upper or lower case), 0 otherwise. */
int credit_idcard_valid(const char *s, credit_date_t today);

/* Parses s[0..len) as strict JSON (json-c's JSON_TOKENER_STRICT, nesting
 * at most 32 deep): one value followed by nothing but white space (what
 * json-c skips after a value, then characters of trailing: " \t" for a
 * line of an import, " \t\r\n" for a body). A bare number or literal
 * that ends the text is not taken (json-c waits for more). Returns
 * 1 with *out the value (NULL for the literal null; the caller puts it),
 * 0 with *out NULL when the text is not that, -1 when out of memory. */
int credit_admin_json_parse(const char *s, apr_size_t len, const char *trailing, json_object **out);

/* One line of a JSON Lines import: where it is in the body and, after the
 * import, what became of it. */
typedef struct {
    int line;                 /* 1-based, blank lines counted */
    int blank;                /* only white space: skipped */
    const char *text;         /* the line in the body (not NUL-terminated), CR LF left out */
    apr_size_t len;           /* bytes of text */
    int ok;                   /* valid (and, unless rejected as a whole, stored) */
    const char *record_no;    /* the number it was stored under; NULL: not stored */
    credit_field_error_t err; /* when !ok */
    int unchecked;            /* valid, but its inline official's ID-card number was not
                                 looked up among the registered officials */
} credit_import_line_t;

/* Splits text (len bytes) into lines (LF or CRLF; a last line without LF
 * counts) without reading them: *out holds one credit_import_line_t per
 * line, text borrowed from the body. Returns 1; 0 when the text has more
 * than CREDIT_IMPORT_LINES_MAX lines (*out untouched). */
int credit_admin_import_split(apr_pool_t *p, const char *text, apr_size_t len,
                              apr_array_header_t **out);

/* Validates one non-blank line as a CREATE body into *in. Everything it
 * makes, the line's parsed JSON that *in borrows from included, is
 * allocated from p and released when p is cleared: an import gives each
 * line a pool of its own and clears it after the line, so memory does not
 * grow with the number of lines. A line over CREDIT_IMPORT_LINE_MAX bytes,
 * not strict JSON or not an object is an error of that line. Returns 1, or
 * 0 with *err filled (strings from p: see credit_field_error_copy). */
int credit_admin_import_line(apr_pool_t *p, const credit_import_line_t *ln, credit_date_t today,
                             credit_record_input_t *in, credit_field_error_t *err);

/* Copies *src into *dst with its strings in p (a line's error kept after
 * the line's pool is cleared). */
void credit_field_error_copy(apr_pool_t *p, credit_field_error_t *dst,
                             const credit_field_error_t *src);

#endif
