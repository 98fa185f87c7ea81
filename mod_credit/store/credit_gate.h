/* credit_gate.h: at most N expensive operations (searches, cold totals,
 * statistics) at a time, in one child and, with a host gate, in all the
 * children of the server together. A caller beyond N waits a bounded
 * time for a place and is then refused, so a crawler running thousands of
 * different searches gets 503s instead of an unbounded queue, and readers
 * of cheap pages keep their database time. */
#ifndef CREDIT_GATE_H
#define CREDIT_GATE_H

#include "credit.h"

typedef struct credit_gate credit_gate_t;

/* A gate of max places (>= 1) where callers wait at most wait_ms for one.
 * Returns NULL when its mutex or condition cannot be created. */
credit_gate_t *credit_gate_create(apr_pool_t *p, int max, int wait_ms);

/* Takes a place: CREDIT_OK (then credit_gate_leave once), or CREDIT_EBUSY
 * when none came free within wait_ms. A NULL gate always lets in. */
credit_status_t credit_gate_enter(credit_gate_t *g);

void credit_gate_leave(credit_gate_t *g);

/* A host-wide count of max places shared by every child of a server: a
 * System V semaphore, whose places the kernel gives back when a child dies
 * holding one. uid/gid (-1: unchanged) own it, so the children's user can
 * take places. Returns its id, or -1 (errno set) when it cannot be made. */
int credit_gate_host_create(int max, long uid, long gid);

/* Removes a host gate (the server's configuration pool cleanup). */
void credit_gate_host_remove(int id);

/* Makes g take a place of the host gate host_id too, after one of its own,
 * within the same wait. A host gate that has gone (a restart removed it)
 * lets in. */
void credit_gate_share(credit_gate_t *g, int host_id);

/* A place held by a caller that writes to a client, which can read
 * slowly or stop reading (an export). A write that waits on the client
 * longer than the hold's stall gives the place back: when the write ends
 * (credit_gate_hold_writing), or while it still waits (credit_gate_reap,
 * which another thread runs), so a client that stops reading does not keep
 * others out until httpd's Timeout. The caller goes on without a place. */
typedef struct credit_gate_hold credit_gate_hold_t;

/* Takes a place as credit_gate_enter, held in *out (made in p, whose
 * cleanup gives the place back if it is still held). A NULL gate lets in
 * with *out NULL. */
credit_status_t credit_gate_hold(credit_gate_t *g, apr_pool_t *p, apr_interval_time_t stall,
                                 credit_gate_hold_t **out);

/* A write to the client begins (1) or has ended (0). NULL: nothing. */
void credit_gate_hold_writing(credit_gate_hold_t *h, int writing);

/* Gives the place back now, unless it has gone already. NULL: nothing. */
void credit_gate_hold_release(credit_gate_hold_t *h);

/* Gives back the places of the holders whose write has waited longer than
 * their stall; returns how many. Any thread of the process that holds them
 * (the host gate's places are the process's). */
int credit_gate_reap(credit_gate_t *g);

/* Places taken now, callers waiting for one now (let in first come, first
 * served), and callers refused since the gate was made. */
int credit_gate_busy(credit_gate_t *g);
int credit_gate_waiting(credit_gate_t *g);
unsigned long credit_gate_refused(credit_gate_t *g);

#endif
