/* credit_rules.h: the disclosure clock of NDRC Order 36 and the masking of
 * personal data. Implemented once here and used by every output. */
#ifndef CREDIT_RULES_H
#define CREDIT_RULES_H

#include "credit.h"

/* Adds `months` (may be negative) to `d`; a day past the end of the target
 * month is clamped to its last day, as MariaDB's DATE + INTERVAL n MONTH does. */
credit_date_t credit_date_add_months(credit_date_t d, int months);

/* <0, 0, >0 as a is before, equal to or after b. */
int credit_date_cmp(credit_date_t a, credit_date_t b);

/* Days from a to b (b - a). */
long credit_date_diff(credit_date_t a, credit_date_t b);

/* d plus n days (n may be negative). */
credit_date_t credit_date_add_days(credit_date_t d, long n);

/* ISO weekday of d: 1 Monday .. 7 Sunday. */
int credit_date_weekday(credit_date_t d);

/* Today's date in Beijing (UTC+8) for the given Unix time. */
credit_date_t credit_date_from_unix(long long t);

/* Formats as YYYY-MM-DD into buf (at least 11 bytes); returns buf. */
char *credit_date_fmt(credit_date_t d, char *buf);

typedef struct {
    credit_date_t disclosed;   /* 公示日期 */
    credit_date_t repair_from; /* earliest repair (y = 0: no repair for minor) */
    credit_date_t withdraw_on; /* first day it is no longer public */
} credit_clock_t;

/* Computes the clock for severity "minor" | "general" | "serious".
 * Returns CREDIT_EINVAL for another severity. */
credit_status_t credit_clock(const char *severity, credit_date_t disclosed, credit_clock_t *out);

typedef enum {
    CREDIT_VIS_PUBLIC = 0, /* shown */
    CREDIT_VIS_NOT_YET,    /* disclosed in the future: treat as not found */
    CREDIT_VIS_WITHDRAWN   /* repaired / revoked / expired, or window over: 410 */
} credit_visibility_t;

/* The withdrawal rule: public while status is not withdrawn and
 * disclosed <= today < withdraw_on. */
credit_visibility_t credit_visibility(const char *status, const credit_clock_t *c,
                                      credit_date_t today);

/* The state a withdrawn record's tombstone shows: its status when that is a
 * withdrawn one, otherwise "expired". */
const char *credit_withdrawn_state(const char *status);

/* Masks an ID-card number: first 6 and last 4 characters kept, the rest '*'
 * ("120101********1234"). Strings shorter than 11 characters are fully
 * masked. Returns NULL for NULL. Allocates from p. */
char *credit_mask_id(apr_pool_t *p, const char *id);

/* Masks a phone number: first 3 and last 4 digits kept ("138****5678");
 * shorter strings fully masked. Returns NULL for NULL. */
char *credit_mask_phone(apr_pool_t *p, const char *phone);

/* Masks an e-mail address: first character of the local part kept
 * ("z***@example.cn"); no '@': fully masked. Returns NULL for NULL. */
char *credit_mask_email(apr_pool_t *p, const char *email);

/* Masks a person's name: first UTF-8 character kept, every other character
 * replaced by '*' ("张**"). Returns NULL for NULL. */
char *credit_mask_name(apr_pool_t *p, const char *name);

#endif
