/* credit_token.h: the secrets of the citizens' forms, all keyed with
 * HMAC-SHA256 (OpenSSL) under a key read from the file named by
 * CreditSecretFile. The first key signs; later keys (the previous ones after
 * a rotation) still verify.
 *  - form token: HMAC over issue time and a random nonce; no server session.
 *    It is also the idempotency key of a submission.
 *  - query code: derived from the form token, so a resubmitted form gets the
 *    same receipt and code; at least 50 bits; stored only as a keyed hash.
 *  - client hash: a keyed hash of the client address (never stored raw). */
#ifndef CREDIT_TOKEN_H
#define CREDIT_TOKEN_H

#include "credit.h"

#define CREDIT_KEY_MIN_BYTES 32
#define CREDIT_KEYS_MAX      4

typedef struct {
    int n;                                  /* number of keys, >= 1 */
    unsigned char key[CREDIT_KEYS_MAX][64]; /* key[0] signs */
    size_t len[CREDIT_KEYS_MAX];
} credit_keys_t;

/* Parses a key file's text: one key per line, hex (64..128 hex digits), the
 * current key first; blank lines and lines starting with '#' are ignored.
 * Returns NULL or an error message naming the line. */
const char *credit_keys_parse(apr_pool_t *p, const char *text, credit_keys_t *out);

/* A new form token for a form of `form` ("complaint", "objection:TJZW-...",
 * "repair:TJZW-...") issued at unix time now: "v1.<now>.<nonce hex 32>.<mac hex 64>",
 * the MAC covering version, time, nonce and form. Returns NULL only when
 * the system has no randomness or OpenSSL fails (or k or form is NULL). */
const char *credit_token_issue(apr_pool_t *p, const credit_keys_t *k, const char *form,
                               long long now);

typedef enum {
    CREDIT_TOKEN_OK = 0,
    CREDIT_TOKEN_BAD,      /* missing, malformed, or the MAC does not verify */
    CREDIT_TOKEN_TOO_FAST, /* issued less than min_fill seconds before now */
    CREDIT_TOKEN_EXPIRED   /* issued more than max_age seconds before now (or in the future) */
} credit_token_check_t;

/* Verifies token for `form` at time now against every key; on
 * CREDIT_TOKEN_OK (and TOO_FAST / EXPIRED, whose MAC did verify) *key is the
 * index of the key that verified it (may be NULL). */
credit_token_check_t credit_token_verify(const credit_keys_t *k, const char *token,
                                         const char *form, long long now, int min_fill, int max_age,
                                         int *key);

/* The query code of a submission made with token: 13 characters of
 * Crockford base32 (65 bits), upper case, shown as XXXX-XXXX-XXXXX.
 * Deterministic for (key, token): a resubmitted form shows the same code.
 * Returns NULL when k has no key `key`, token is NULL or OpenSSL fails. */
const char *credit_token_code(apr_pool_t *p, const credit_keys_t *k, int key, const char *token);

/* Normalises a code typed by a person (case, spaces, dashes, O/0 I/L/1
 * confusions of Crockford base32) to its 13 characters; NULL when it
 * cannot be a code. */
const char *credit_token_code_normalise(apr_pool_t *p, const char *typed);

/* Keyed hashes (32 raw bytes into out) with key number `key` and a purpose
 * label, so the same input hashes differently for different uses: purpose
 * "code" for query codes (normalised), "client" for addresses, "idem" for
 * the idempotency key of a token. Look-ups try every key (rotation).
 * Aborts the process when k has no key `key`, purpose is NULL or OpenSSL
 * fails (out of memory): there is no hash to give, and a made-up one could
 * match another person's submission. */
void credit_token_hash(const credit_keys_t *k, int key, const char *purpose, const char *value,
                       unsigned char out[32]);

/* Lower-case hex of n bytes. */
const char *credit_hex(apr_pool_t *p, const unsigned char *bytes, size_t n);

/* What identifies a client for its limits and its resends: an IPv4
 * address as it is; an IPv6 address by its /64 (one subscriber's network:
 * its last 64 bits rotate at will), "2001:db8:1:2::/64"; an IPv4-mapped
 * IPv6 address as the IPv4 one. Anything else (NULL, not an address) as it
 * is. Never fails. */
const char *credit_client_id(apr_pool_t *p, const char *ip);

#endif
