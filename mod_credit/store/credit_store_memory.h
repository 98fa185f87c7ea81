/* credit_store_memory.h: a store held in memory, pure C (no database), for
 * the unit tests of the pages: records, subjects, staff accounts and the
 * submissions received live in a credit_memory_t the test fills; each
 * request opens a store over it (credit_store_memory_open) as the glue
 * opens the MariaDB store. It answers the public reads of the record pages
 * (lists with the enumerated filters, words as a plain substring, dates,
 * page numbers and cursors; totals; one record; subjects; the export),
 * the citizens' submissions and the staff's look-ups of themselves and of
 * one record. Every other op answers CREDIT_EUNAVAIL. */
#ifndef CREDIT_STORE_MEMORY_H
#define CREDIT_STORE_MEMORY_H

#include "credit_store.h"
#include "credit_store_staff.h"

typedef struct credit_memory credit_memory_t;

/* An empty data set (data version 1), allocated from p. */
credit_memory_t *credit_memory_new(apr_pool_t *p);

/* Adds a record (kept by pointer: r and events must live as long as m);
 * events (credit_event_t, oldest first) may be NULL. department_id is the
 * department the staff's scope compares (0: none). The data version goes
 * up by one. */
void credit_memory_add_record(credit_memory_t *m, credit_record_t *r, apr_array_header_t *events,
                              unsigned long long department_id);

/* Adds a staff account (kept by pointer). */
void credit_memory_add_staff(credit_memory_t *m, credit_staff_t *st);

/* The submissions stored (credit_submission_t, oldest first), in m's pool. */
const apr_array_header_t *credit_memory_submissions(const credit_memory_t *m);

/* Opens a store over m for one request (o->pool, o->today; the other
 * members of o are kept as every store keeps them). Never fails. */
credit_store_t *credit_store_memory_open(credit_memory_t *m, const credit_store_open_t *o);

#endif
