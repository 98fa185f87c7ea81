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

/* The states allowed after `from` for a case of kind complaint | objection
 * | repair, as a NULL-terminated list; NULL for an unknown kind or state. */
const char *const *credit_case_next(const char *kind, const char *from);

/* Returns 1 when `to` is allowed after `from`, 0 otherwise. */
int credit_case_allowed(const char *kind, const char *from, const char *to);

/* What a case decision does to its record: "contested" when an objection is
 * accepted, "published" (uncontested) when it is upheld, "corrected",
 * "revoked", "repaired" when a repair is approved; NULL when nothing. */
const char *credit_case_record_effect(const char *kind, const char *to);

/* Working days allowed for a case kind's decision (complaint 15, objection
 * 20, repair 3), counted from acceptance (receipt for repairs). */
int credit_case_due_days(const char *kind);

#endif
