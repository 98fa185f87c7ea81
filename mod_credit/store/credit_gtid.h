/* credit_gtid.h: MariaDB GTID positions, as a primary's @@gtid_binlog_pos
 * and a replica's @@gtid_slave_pos show them ("0-1-313,1-2-40": the last
 * transaction of each replication domain as domain-server-sequence), and
 * whether one position holds every transaction of another. Pure. */
#ifndef CREDIT_GTID_H
#define CREDIT_GTID_H

#include "credit.h"

/* Replication domains a position may name (one in a plain primary-replica
 * topology; one per primary in multi-source set-ups). */
#define CREDIT_GTID_DOMAINS 16

typedef struct {
    int n;
    struct {
        unsigned long domain;
        unsigned long long seq;
    } d[CREDIT_GTID_DOMAINS];
} credit_gtid_pos_t;

/* Parses text ("" and NULL are the empty position: nothing applied yet).
 * Returns 1, or 0 for a malformed position, a domain named twice or more
 * than CREDIT_GTID_DOMAINS domains (out is then the empty position). */
int credit_gtid_parse(const char *text, credit_gtid_pos_t *out);

/* 1 when `have` holds every transaction of `want`: in each domain of want,
 * have's sequence number is at least want's (sequence numbers grow within
 * a domain whichever server wrote them, gtid_strict_mode). */
int credit_gtid_covers(const credit_gtid_pos_t *have, const credit_gtid_pos_t *want);

#endif
