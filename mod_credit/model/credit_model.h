/* credit_model.h: the enumerations of SPEC section 3 and the limits of
 * record fields. Codes are short ASCII; labels live in templates/lang. */
#ifndef CREDIT_MODEL_H
#define CREDIT_MODEL_H

#include "credit.h"

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

#endif
