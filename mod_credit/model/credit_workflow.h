/* credit_workflow.h: the state machines of records and of citizens' cases
 * (SPEC 3): which event or transition is legal from which state, and where
 * it leads. Pure tables; the store applies them inside its transactions. */
#ifndef CREDIT_WORKFLOW_H
#define CREDIT_WORKFLOW_H

#include "credit.h"

/* A record event posted by staff: contest uncontest correct revoke repair.
 * Returns the record's status after it, or NULL when the event is unknown
 * (*known = 0) or not allowed from `status` (*known = 1). The timeline
 * event name is written to *timeline_event (contested uncontested corrected
 * revoked repaired). */
const char *credit_record_event(const char *status, const char *event, int *known,
                                const char **timeline_event);

/* Whether a record may be repaired (withdrawn as `repaired`) today, SPEC 3:
 * not while an objection is being decided (`contested`) nor once withdrawn,
 * never a minor record, only from the earliest repair date (repair_from,
 * YYYY-MM-DD) on and with the rectification done. The one rule for a
 * repair posted as a record event and for approving a repair application.
 * Returns NULL when it may, or why not (a sentence for the staff, naming
 * the earliest repair date when that is what is missing; allocated in p
 * then, a constant otherwise). */
const char *credit_repair_refusal(apr_pool_t *p, const char *status, const char *severity,
                                  const char *repair_from, int rectified, const char *today);

/* The states allowed after `from` for a case of kind complaint | objection
 * | repair, as a NULL-terminated list; NULL for an unknown kind or state. */
const char *const *credit_case_next(const char *kind, const char *from);

/* Returns 1 when `to` is allowed after `from`, 0 otherwise. */
int credit_case_allowed(const char *kind, const char *from, const char *to);

/* What a case decision does to its record: "contested" when an objection is
 * accepted, "published" (uncontested) when it is upheld, "corrected",
 * "revoked", "repaired" when a repair is approved; NULL when nothing. */
const char *credit_case_record_effect(const char *kind, const char *to);

/* Working days a case has (SPEC 3, configurable with CreditCaseDays):
 * complaint 15 after acceptance, objection 20 after acceptance, repair 3 to
 * decide and 10 to give the applicant feedback, after receipt. */
typedef struct {
    int complaint, objection, repair, repair_reply;
} credit_case_days_t;

#define CREDIT_CASE_DAYS_MAX 365

/* The SPEC values: 15, 20, 3, 10. */
extern const credit_case_days_t credit_case_days_default;

/* Working days allowed for a case kind's decision under d (NULL: the
 * defaults); an unknown kind gets the complaint's. */
int credit_case_due_days(const credit_case_days_t *d, const char *kind);

/* Parses one CreditCaseDays line (`complaint N`, `objection N`, `repair N
 * [M]`, every number 1..CREDIT_CASE_DAYS_MAX) into d, touching only that
 * kind. Returns NULL, or a message saying what is wrong (unknown kind, bad
 * number, a second number for a kind that has none). */
const char *credit_case_days_parse(credit_case_days_t *d, const char *kind, const char *n,
                                   const char *m);

/* The states of a kind in which a case is still open (something may follow
 * them), as a NULL-terminated list; NULL for an unknown kind. */
const char *const *credit_case_open_states(const char *kind);

/* A working-day calendar: for each day from `first` on, n of them, 1 for a
 * working day, 0 for a day off, anything else for "not in the table". Days
 * outside it (or not in the table) count Monday to Friday as working days. */
typedef struct {
    credit_date_t first;
    int n;
    const unsigned char *workday;
} credit_calendar_t;

/* 1 when d is a working day by c (NULL: Monday to Friday), 0 otherwise. */
int credit_workday_is(const credit_calendar_t *c, credit_date_t d);

/* The n-th working day after `from` (n >= 1; n <= 0 gives `from`). */
credit_date_t credit_workday_add(const credit_calendar_t *c, credit_date_t from, int n);

/* The number of working days d with a < d <= b; 0 when b <= a. */
long credit_workdays_between(const credit_calendar_t *c, credit_date_t a, credit_date_t b);

/* The health check warns when the working-day calendar (calendar_days,
 * China's public holidays, published yearly by the State Council) covers
 * fewer than this many days after today: time to add the next year's. */
#define CREDIT_CALENDAR_WARN_DAYS 60

/* The days the calendar still covers after today (its last day minus
 * today; 0 on its last day, negative after it) into *left, and 1 when they
 * are fewer than CREDIT_CALENDAR_WARN_DAYS; a calendar without rows (last.y
 * = 0) gives 1 and *left = 0. */
int credit_calendar_ending(credit_date_t today, credit_date_t last, long *left);

/* A case's clock on `today` against its due date. */
typedef struct {
    int overdue;   /* due < today */
    long left;     /* working days after today up to and including the due date */
    long late;     /* working days after the due date up to and including today */
    int due_today; /* due == today */
} credit_case_clock_t;

/* Fills out for a due date; a due date with y = 0 gives all zeros. */
void credit_case_clock(const credit_calendar_t *c, credit_date_t today, credit_date_t due,
                       credit_case_clock_t *out);

/* The kind of case (complaint objection repair) a receipt number names by
 * its prefix (TS- YY- XF-), or NULL when it is not shaped like one
 * (18 characters: TS-YYYYMMDD-NNNNNN). */
const char *credit_case_kind_of(const char *receipt);

#endif
