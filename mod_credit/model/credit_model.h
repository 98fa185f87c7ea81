/* credit_model.h: the enumerations of SPEC section 3, the limits of
 * record fields, and the domain's records as the store gives them and the
 * views show them (records, subjects, events, cases, ratings, commitments,
 * statistics, the change feed). Codes are short ASCII; labels live in
 * templates/lang. */
#ifndef CREDIT_MODEL_H
#define CREDIT_MODEL_H

#include "credit.h"
#include "credit_rules.h" /* credit_clock_t, credit_visibility_t */

typedef struct {
    const char *code; /* stored and used in URLs, e.g. "heping" */
    const char *zh;   /* 和平区 */
    const char *en;   /* Heping */
} credit_enum_item_t;

typedef struct {
    const char *name; /* the parameter name, e.g. "district" */
    const credit_enum_item_t *items;
    size_t n;
} credit_enum_t;

extern const credit_enum_t credit_districts; /* city + the 16 districts */
extern const credit_enum_t credit_kinds;     /* gov official */
extern const credit_enum_t credit_levels;    /* city district township */
extern const credit_enum_t
    credit_categories; /* judgment penalty discipline accountability breach */
extern const credit_enum_t
    credit_domains; /* procurement ppp bidding investment debt grassroots other */
extern const credit_enum_t credit_severities; /* minor general serious */
extern const credit_enum_t
    credit_statuses; /* published contested corrected repaired revoked expired */
extern const credit_enum_t
    credit_events; /* listed contested uncontested corrected repaired revoked expired */

extern const credit_enum_t credit_areas; /* the 13 areas of a public commitment (SPEC 3) */
extern const credit_enum_t credit_commitment_statuses; /* pending kept broken */
extern const credit_enum_t credit_grades;              /* A B C D of a rating */

/* Returns the item whose code equals `code`, or NULL (also for NULL code). */
const credit_enum_item_t *credit_enum_find(const credit_enum_t *e, const char *code);

/* Returns 1 when a record in `status` is withdrawn (repaired, revoked, expired). */
int credit_status_withdrawn(const char *status);

#define CREDIT_RECORD_NO_MAX 20 /* TJZW-YYYY-NNNNNN */
#define CREDIT_Q_MAX_CHARS   100
#define CREDIT_PAGE_MAX      100 /* largest page size anyone may ask for */
#define CREDIT_PAGE_JUMP_MAX 50  /* pages reachable by number without a cursor */

/* ---- the domain's records ---- */

typedef struct {
    unsigned long long id;
    const char *name;
    const char *kind; /* gov | official */
    const char *credit_code;
    const char *district;
    const char *level;
    unsigned long long employer_id;
    const char *employer_name;
    const char *position;
    const char *id_masked; /* masked by credit_mask_id on the way out */
} credit_subject_t;

typedef struct {
    unsigned long long id;
    const char *record_no;
    credit_subject_t subject;
    const char *category, *domain, *severity, *status;
    const char *title, *facts, *legal_basis;
    const char *decision_no, *authority, *decided_on;
    const char *department;
    const char *amount; /* NULL when none */
    const char *rectification, *rectify_due;
    int rectified;
    const char *correction_note;
    credit_clock_t clock;
    const char *withdrawn_on; /* repaired or revoked on */
    const char *updated_at;
    credit_visibility_t visibility; /* by credit_visibility() for the request's today */
} credit_record_t;

typedef struct {
    const char *event;
    const char *occurred_on;
    const char *decision_no;
    const char *note;
} credit_event_t;

typedef struct {
    apr_array_header_t *items; /* credit_record_t * in the order shown */
    int has_next;              /* a row follows the last one */
    int has_prev;              /* a row precedes the first one */
} credit_record_page_t;

typedef struct {
    unsigned long long data_version; /* bumped by every write to public data */
    const char *changed_at;          /* when, "YYYY-MM-DD HH:MM:SS" */
} credit_version_t;

/* One entry of the change feed (sql/004, 006, 020). */
typedef struct {
    unsigned long long seq;
    const char *op;     /* ADD MOD DEL */
    const char *reason; /* listed contested uncontested corrected repaired revoked expired */
    const char *record_no;
    const char *at;
    const char *digest;     /* ADD, MOD: the record's digest then (16 hex digits); else NULL */
    const char *tomb_state; /* DEL: repaired revoked expired; else NULL */
    const char *tomb_on;    /* DEL: the tombstone's date; else NULL */
    long long records;      /* the public set after this entry: its number (-1: unknown) */
    const char *checksum;   /* ... and its checksum (16 hex digits; NULL: unknown) */
} credit_change_t;

/* The end of the change feed: the public set as the feed has it. */
typedef struct {
    unsigned long long seq; /* the last entry (0: none) */
    long long records;
    const char *checksum; /* 16 hex digits */
    const char *changed_at;
} credit_feed_head_t;

typedef struct {
    const char *key; /* a code (district, domain ...) or a month "YYYY-MM" */
    long long n;
} credit_count_t;

typedef struct {
    long long total;
    apr_array_header_t *by_district; /* credit_count_t */
    apr_array_header_t *by_domain;
    apr_array_header_t *by_category;
    apr_array_header_t *by_severity;
    apr_array_header_t *by_month; /* last 24 months of disclosure */
} credit_stats_t;

/* A citizen's submission, validated (credit_form_validate). */
typedef struct {
    const char *kind;          /* "complaint" | "objection" | "repair" */
    const apr_table_t *values; /* field name -> value */
    const char *record_no;     /* objection, repair: the record concerned */
    const char *idem_hex;      /* keyed hash of the form token: the idempotency key */
    const char *code_hash_hex; /* keyed hash of the query code */
    const char *client_hex;    /* keyed hash of the client address */
} credit_submission_t;

/* A resend of a form from the client that sent it first, this soon after,
 * is a retry: its receipt page may show the query code again. */
#define CREDIT_REPLAY_SAME_CLIENT_SECONDS 600

typedef struct {
    const char *status;
    const char *at;
    const char *note;
} credit_case_event_t;

/* What receipt + code show: no personal data. */
typedef struct {
    const char *kind; /* complaint objection repair */
    const char *receipt_no;
    const char *status;
    const char *created_at;
    const char *title;     /* complaint: its title */
    const char *record_no; /* objection, repair: the record */
    const char *due_on;    /* decision due (working days), NULL until accepted */
    const char *reply_due_on;
    const char *reply;
    apr_array_header_t *events; /* credit_case_event_t, oldest first */
} credit_case_t;

/* The public pages of ratings, commitments and statistics (issue 5). */
typedef struct {
    const char *code, *name;
    const char *weight, *raw_value, *score; /* decimals as the database prints them */
} credit_indicator_t;

typedef struct {
    unsigned long long id;
    int year;
    credit_subject_t subject; /* id, name, kind, credit_code, district, level */
    const char *score;        /* "87.50" */
    double score_value;
    const char *grade; /* A B C D */
    const char *published_on;
    apr_array_header_t *indicators; /* credit_indicator_t, heaviest first; NULL: not read */
} credit_rating_t;

typedef struct {
    const char *district, *area, *status; /* validated codes; NULL: any */
    unsigned long long subject_id;        /* 0: any */
    int page, limit;                      /* page counts from 1 */
} credit_commitment_filter_t;

typedef struct {
    unsigned long long id;
    credit_subject_t subject; /* id, name, district, level */
    const char *area, *text, *promised_on, *status, *evidence;
} credit_commitment_t;

typedef struct {
    credit_subject_t subject; /* id, name, district */
    long long pending, kept, broken;
} credit_commitment_count_t;

typedef struct {
    unsigned long long id;
    const char *name, *district;
    long long total, received, accepted, rejected, processing, concluded;
    long long timed; /* complaints with a 'concluded' timeline entry */
    double avg_days; /* created_at -> first 'concluded' entry, over `timed` */
} credit_department_cases_t;

typedef struct {
    apr_array_header_t *by_status;   /* credit_count_t over every complaint */
    apr_array_header_t *departments; /* credit_department_cases_t, complaints with one */
} credit_complaint_stats_t;

#endif
