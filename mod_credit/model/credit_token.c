/* credit_token.c: form tokens, query codes and keyed hashes, all
 * HMAC-SHA256 (OpenSSL HMAC()) under the keys of CreditSecretFile.
 *
 * Every MAC starts with a label of its use, so no output of one use can be
 * taken for another:
 *   form token  HMAC(key, "token:" "v1.<time>.<nonce hex>" "." form)
 *   query code  HMAC(key, "code:" token), its first 65 bits in Crockford base32
 *   keyed hash  HMAC(key, "hash:" purpose NUL value)
 * The token's text before the MAC is canonical (decimal time without sign or
 * leading zeros, lower-case hex), so one MAC has exactly one token string:
 * the token is also the idempotency key of a submission. */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <apr_escape.h>
#include <apr_strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "credit_token.h"

#define TOKEN_PREFIX    "v1."
#define NONCE_BYTES     16
#define MAC_BYTES       32
#define TIME_DIGITS_MAX 18 /* < 10^18: now - time cannot overflow */
#define CODE_CHARS      13 /* 65 bits */
#define KEY_HEX_MIN     (2 * CREDIT_KEY_MIN_BYTES)
#define KEY_HEX_MAX     (2 * 64)
#define STACK_MSG_BYTES 512

/* Crockford base32: no I L O U. */
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

typedef struct {
    const void *data;
    size_t len;
} part_t;

/* HMAC-SHA256 under key of the concatenation of n parts. Returns 1, or 0
 * when memory or OpenSSL fails. */
static int hmac_parts(const unsigned char *key, size_t key_len, const part_t *parts, int n,
                      unsigned char out[MAC_BYTES])
{
    unsigned char stack[STACK_MSG_BYTES], *buf = stack;
    unsigned int out_len = 0;
    size_t total = 0, off = 0;
    int i, ok;

    for (i = 0; i < n; i++) {
        if (parts[i].len > (size_t)-1 - total) {
            return 0;
        }
        total += parts[i].len;
    }
    if (total > sizeof(stack) && (buf = malloc(total)) == NULL) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (parts[i].len > 0) {
            memcpy(buf + off, parts[i].data, parts[i].len);
            off += parts[i].len;
        }
    }
    ok = HMAC(EVP_sha256(), key, (int)key_len, buf, total, out, &out_len) != NULL &&
         out_len == MAC_BYTES;
    if (buf != stack) {
        free(buf);
    }
    return ok;
}

static int key_ok(const credit_keys_t *k, int key)
{
    return k != NULL && k->n >= 1 && k->n <= CREDIT_KEYS_MAX && key >= 0 && key < k->n &&
           k->len[key] >= CREDIT_KEY_MIN_BYTES && k->len[key] <= sizeof(k->key[key]);
}

/* The MAC of a token whose text before the MAC is head[0..head_len). */
static int token_mac(const credit_keys_t *k, int key, const char *head, size_t head_len,
                     const char *form, unsigned char out[MAC_BYTES])
{
    const part_t parts[] = {{"token:", 6}, {head, head_len}, {".", 1}, {form, strlen(form)}};

    return hmac_parts(k->key[key], k->len[key], parts, 4, out);
}

/* ---- hex ---- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Returns 1 when s[0..n) are lower-case hex digits. */
static int lower_hex(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

/* Decodes 2n hex digits (checked) into n bytes. */
static void hex_decode(const char *s, size_t n, unsigned char *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        out[i] = (unsigned char)(hex_value(s[2 * i]) << 4 | hex_value(s[2 * i + 1]));
    }
}

const char *credit_client_id(apr_pool_t *p, const char *ip)
{
    unsigned char a[16];
    if (!ip)
        return "";
    if (!strchr(ip, ':') || inet_pton(AF_INET6, ip, a) != 1)
        return ip;
    if (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
        return apr_psprintf(p, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
    return apr_psprintf(p, "%x:%x:%x:%x::/64", (a[0] << 8) | a[1], (a[2] << 8) | a[3],
                        (a[4] << 8) | a[5], (a[6] << 8) | a[7]);
}

const char *credit_hex(apr_pool_t *p, const unsigned char *bytes, size_t n)
{
    return apr_pescape_hex(p, bytes, n, 0);
}

/* ---- keys ---- */

const char *credit_keys_parse(apr_pool_t *p, const char *text, credit_keys_t *out)
{
    const char *line, *end, *s, *e;
    int lineno = 0;
    size_t n, i;

    memset(out, 0, sizeof(*out));
    for (line = text ? text : ""; *line; line = *end ? end + 1 : end) {
        lineno++;
        end = strchr(line, '\n');
        if (end == NULL) {
            end = line + strlen(line);
        }
        s = line;
        e = end;
        while (s < e && (*s == ' ' || *s == '\t')) {
            s++;
        }
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) {
            e--;
        }
        if (s == e || *s == '#') {
            continue;
        }
        n = (size_t)(e - s);
        for (i = 0; i < n; i++) {
            if (hex_value(s[i]) < 0) {
                OPENSSL_cleanse(out, sizeof(*out));
                return apr_psprintf(p,
                                    "line %d: a key is hex digits only (found another "
                                    "character at column %d)",
                                    lineno, (int)i + 1);
            }
        }
        if (n < KEY_HEX_MIN || n > KEY_HEX_MAX || n % 2 != 0) {
            OPENSSL_cleanse(out, sizeof(*out));
            return apr_psprintf(p,
                                "line %d: a key must be an even number of %d to %d hex digits "
                                "(%d to %d bytes), found %d digits",
                                lineno, KEY_HEX_MIN, KEY_HEX_MAX, CREDIT_KEY_MIN_BYTES,
                                KEY_HEX_MAX / 2, (int)n);
        }
        if (out->n == CREDIT_KEYS_MAX) {
            OPENSSL_cleanse(out, sizeof(*out));
            return apr_psprintf(p, "line %d: more than %d keys", lineno, CREDIT_KEYS_MAX);
        }
        hex_decode(s, n / 2, out->key[out->n]);
        out->len[out->n] = n / 2;
        out->n++;
    }
    if (out->n == 0) {
        return apr_psprintf(p,
                            "no key (%d lines): expected one line of %d to %d hex digits, "
                            "e.g. from `openssl rand -hex 32`",
                            lineno, KEY_HEX_MIN, KEY_HEX_MAX);
    }
    return NULL;
}

/* ---- form tokens ---- */

const char *credit_token_issue(apr_pool_t *p, const credit_keys_t *k, const char *form,
                               long long now)
{
    unsigned char nonce[NONCE_BYTES], mac[MAC_BYTES];
    const char *head;

    if (!key_ok(k, 0) || form == NULL || RAND_bytes(nonce, sizeof(nonce)) != 1) {
        return NULL;
    }
    /* apr_psprintf knows no %lld */
    head = apr_psprintf(p, TOKEN_PREFIX "%" APR_INT64_T_FMT ".%s", (apr_int64_t)now,
                        credit_hex(p, nonce, sizeof(nonce)));
    if (!token_mac(k, 0, head, strlen(head), form, mac)) {
        return NULL;
    }
    return apr_pstrcat(p, head, ".", credit_hex(p, mac, sizeof(mac)), NULL);
}

/* Parses "v1.<time>.<nonce>.<mac>" strictly. Returns 1 and sets *time,
 * *head_len (the length of the text the MAC covers) and mac, or 0. */
static int token_parse(const char *token, long long *time, size_t *head_len,
                       unsigned char mac[MAC_BYTES])
{
    const char *s = token + strlen(TOKEN_PREFIX);
    long long t = 0;
    int digits = 0;

    if (strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0) {
        return 0;
    }
    while (*s >= '0' && *s <= '9') {
        if (digits == TIME_DIGITS_MAX || (digits == 1 && t == 0)) {
            return 0; /* too long, or a leading zero */
        }
        t = t * 10 + (*s++ - '0');
        digits++;
    }
    if (digits == 0 || *s++ != '.') {
        return 0;
    }
    if (strnlen(s, 2 * NONCE_BYTES) != 2 * NONCE_BYTES || !lower_hex(s, 2 * NONCE_BYTES)) {
        return 0;
    }
    s += 2 * NONCE_BYTES;
    if (*s != '.') {
        return 0;
    }
    *head_len = (size_t)(s - token);
    s++;
    if (strnlen(s, 2 * MAC_BYTES + 1) != 2 * MAC_BYTES || !lower_hex(s, 2 * MAC_BYTES)) {
        return 0;
    }
    hex_decode(s, MAC_BYTES, mac);
    *time = t;
    return 1;
}

credit_token_check_t credit_token_verify(const credit_keys_t *k, const char *token,
                                         const char *form, long long now, int min_fill, int max_age,
                                         int *key)
{
    unsigned char given[MAC_BYTES], mac[MAC_BYTES];
    long long t, age;
    size_t head_len;
    int i, found = -1;

    if (key) {
        *key = -1;
    }
    if (k == NULL || token == NULL || form == NULL || !token_parse(token, &t, &head_len, given)) {
        return CREDIT_TOKEN_BAD;
    }
    for (i = 0; i < k->n && i < CREDIT_KEYS_MAX && found < 0; i++) {
        if (key_ok(k, i) && token_mac(k, i, token, head_len, form, mac) &&
            CRYPTO_memcmp(mac, given, MAC_BYTES) == 0) {
            found = i;
        }
    }
    if (found < 0) {
        return CREDIT_TOKEN_BAD;
    }
    if (key) {
        *key = found;
    }
    if (t > now) {
        return CREDIT_TOKEN_EXPIRED; /* issued in the future: not by this clock */
    }
    age = now - t; /* 0 <= t <= now: no overflow */
    if (age > max_age) {
        return CREDIT_TOKEN_EXPIRED;
    }
    if (age < min_fill) {
        return CREDIT_TOKEN_TOO_FAST;
    }
    return CREDIT_TOKEN_OK;
}

/* ---- query codes ---- */

const char *credit_token_code(apr_pool_t *p, const credit_keys_t *k, int key, const char *token)
{
    const part_t parts[] = {{"code:", 5}, {token, token ? strlen(token) : 0}};
    unsigned char mac[MAC_BYTES];
    char code[CODE_CHARS + 1];
    unsigned bits, bit;
    int i;

    if (!key_ok(k, key) || token == NULL || !hmac_parts(k->key[key], k->len[key], parts, 2, mac)) {
        return NULL;
    }
    /* the first 65 bits, 5 at a time, most significant first */
    for (i = 0; i < CODE_CHARS; i++) {
        bit = (unsigned)i * 5;
        bits = (unsigned)mac[bit / 8] << 8 | mac[bit / 8 + 1];
        code[i] = crockford[(bits >> (11 - bit % 8)) & 0x1F];
    }
    code[CODE_CHARS] = '\0';
    OPENSSL_cleanse(mac, sizeof(mac));
    return apr_pstrdup(p, code);
}

/* The ASCII character a full-width form (U+FF01..U+FF5E) at u stands for,
 * or 0. */
static char fullwidth_ascii(const unsigned char *u)
{
    if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x81 && u[2] <= 0xBF) {
        return (char)(u[2] - 0x81 + 0x21); /* U+FF01..U+FF3F -> ! .. _ */
    }
    if (u[0] == 0xEF && u[1] == 0xBD && u[2] >= 0x80 && u[2] <= 0x9E) {
        return (char)(u[2] - 0x80 + 0x60); /* U+FF40..U+FF5E -> ` .. ~ */
    }
    return 0;
}

/* Typed codes may hold ASCII spaces and dashes, U+3000 and full-width
 * letters, digits and dashes (an input method in full-width mode); case is
 * folded, O is 0, I and L are 1. Anything else, or a count other than 13,
 * is not a code. */
const char *credit_token_code_normalise(apr_pool_t *p, const char *typed)
{
    const unsigned char *u = (const unsigned char *)typed;
    char code[CODE_CHARS + 1], c;
    int n = 0;

    if (typed == NULL) {
        return NULL;
    }
    while (*u) {
        if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) {
            u += 3; /* U+3000 */
            continue;
        }
        if ((c = fullwidth_ascii(u)) != 0) {
            u += 3;
        } else {
            c = (char)*u++;
        }
        if (c == ' ' || c == '\t' || c == '-') {
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        c = c == 'O' ? '0' : (c == 'I' || c == 'L') ? '1' : c;
        if (strchr(crockford, c) == NULL || n == CODE_CHARS) {
            return NULL; /* strchr also finds the terminating NUL: c is never 0 here */
        }
        code[n++] = c;
    }
    if (n != CODE_CHARS) {
        return NULL;
    }
    code[n] = '\0';
    return apr_pstrdup(p, code);
}

/* ---- keyed hashes ---- */

void credit_token_hash(const credit_keys_t *k, int key, const char *purpose, const char *value,
                       unsigned char out[32])
{
    part_t parts[3] = {{"hash:", 5}, {"", 1}, {"", 0}};

    if (purpose != NULL) {
        parts[1].data = purpose;
        parts[1].len =
            strlen(purpose) + 1; /* with its NUL: purpose and value cannot run together */
    }
    if (value != NULL) {
        parts[2].data = value;
        parts[2].len = strlen(value);
    }
    if (!key_ok(k, key) || purpose == NULL ||
        !hmac_parts(k->key[key], k->len[key], parts, 3, out)) {
        /* a programming error or OpenSSL out of memory: no hash to give, and
         * a made-up one could match another person's submission */
        abort();
    }
}
