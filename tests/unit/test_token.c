/* test_token.c: key files, form tokens, query codes and keyed hashes.
 * The known answers below were computed independently, with Python's hmac
 * module and with `openssl dgst -sha256 -mac HMAC -macopt hexkey:...`
 * (both agree), from the message layouts documented in credit_token.c. */
#include <string.h>
#include <apr_strings.h>

#include "credit_token.h"
#include "unit.h"

#define NOW       1767225600LL /* 2026-01-01 00:00:00 UTC */
#define MIN_FILL  3
#define MAX_AGE   7200
#define KEY_A_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KEY_B_HEX                                                                                  \
    "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0" \
    "ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0"
#define OBJ_FORM "objection:TJZW-2026-000001"

/* HMAC(key A, "token:" HEAD "." "complaint") and HMAC(key B, ... OBJ_FORM). */
#define KAT_HEAD    "v1.1767225600.00112233445566778899aabbccddeeff"
#define KAT_TOKEN_A KAT_HEAD ".dacbbcae08fae42efb3328ded2c181e9f7e67530d344b533d3836bf8c0a6cb27"
#define KAT_TOKEN_B KAT_HEAD ".51b3b26223387ef0c44ed70f7d61acaf95a8d8d9cb4769cb0a59f071f230654c"
/* The first 65 bits of HMAC(key A, "code:" KAT_TOKEN_A) = bb87b18709de4b6b24... */
#define KAT_CODE "QE3V31R9VS5PP"
/* HMAC(key A, "hash:client\0203.0.113.7") and HMAC(key A, "hash:code\0" KAT_CODE) */
#define KAT_HASH_CLIENT "8997138ba95d96f47570d9915aa7c66122ff71e99189f5ab57a50379599fe686"
#define KAT_HASH_CODE   "1c7b3a0f7d404e4a40d8cb1c2190f837926f3ce125d6bdcfba8ce3f589cdb73e"

static credit_keys_t keys;

static void keys_of(const char *text)
{
    const char *err = credit_keys_parse(unit_pool, text, &keys);

    ck_assert_msg(err == NULL, "%s", err ? err : "");
}

/* Keys A (current) and B (previous). */
static void keys_ab(void)
{
    keys_of(KEY_A_HEX "\n" KEY_B_HEX "\n");
}

static credit_token_check_t verify(const char *token, const char *form, long long now, int *key)
{
    return credit_token_verify(&keys, token, form, now, MIN_FILL, MAX_AGE, key);
}

/* ---- key files ---- */

START_TEST(keys_parse_good)
{
    const char *text = "# CreditSecretFile: the current key first\r\n"
                       "\n"
                       "  " KEY_A_HEX "  \r\n"
                       "# the previous key, kept for one rotation\n"
                       "\t" KEY_B_HEX "\n"
                       "\n";

    keys_of(text);
    ck_assert_int_eq(keys.n, 2);
    ck_assert_uint_eq(keys.len[0], 32);
    ck_assert_uint_eq(keys.len[1], 64);
    ck_assert_int_eq(keys.key[0][0], 0x00);
    ck_assert_int_eq(keys.key[0][31], 0x1f);
    ck_assert_int_eq(keys.key[1][0], 0xc0);
    ck_assert_int_eq(keys.key[1][63], 0xc0);
    ck_assert_str_eq(credit_hex(unit_pool, keys.key[0], keys.len[0]), KEY_A_HEX);
    ck_assert_str_eq(credit_hex(unit_pool, keys.key[1], keys.len[1]), KEY_B_HEX);

    /* upper-case hex, no final newline, four keys */
    keys_of("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF");
    ck_assert_int_eq(keys.n, 1);
    ck_assert_int_eq(keys.key[0][10], 0xAA);
    keys_of(KEY_A_HEX "\n" KEY_A_HEX "\n" KEY_A_HEX "\n" KEY_B_HEX);
    ck_assert_int_eq(keys.n, 4);
}
END_TEST

/* The message names the line and never repeats what it found. */
static void expect_key_error(const char *text, const char *line)
{
    const char *err = credit_keys_parse(unit_pool, text, &keys);

    ck_assert_msg(err != NULL, "accepted %s", text);
    ck_assert_msg(strstr(err, line) != NULL, "%s: want %s", err, line);
    ck_assert_msg(strstr(err, "0001020304") == NULL, "%s repeats the key", err);
    ck_assert_int_eq(keys.n, 0);
}

START_TEST(keys_parse_bad)
{
    const char *err;

    expect_key_error("# no key\n\n", "no key");
    expect_key_error("", "no key");
    err = credit_keys_parse(unit_pool, NULL, &keys);
    ck_assert_ptr_nonnull(err);
    /* 31 bytes */
    expect_key_error("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e\n", "line 1");
    /* an odd number of digits */
    expect_key_error("#\n" KEY_A_HEX "0\n", "line 2");
    /* 65 bytes */
    expect_key_error(KEY_B_HEX "00\n", "line 1");
    /* not hex */
    expect_key_error(
        KEY_A_HEX "\n\n000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1eZZ", "line 3");
    expect_key_error("key = " KEY_A_HEX, "line 1");
    /* a fifth key */
    expect_key_error(KEY_A_HEX "\n" KEY_A_HEX "\n" KEY_A_HEX "\n" KEY_A_HEX "\n" KEY_A_HEX "\n",
                     "line 5");
}
END_TEST

/* ---- form tokens ---- */

START_TEST(token_round_trip)
{
    const char *t;
    int key = -7;

    keys_ab();
    t = credit_token_issue(unit_pool, &keys, "complaint", NOW);
    ck_assert_ptr_nonnull(t);
    /* v1.<time>.<32 hex>.<64 hex> */
    ck_assert_uint_eq(strlen(t), 3 + 10 + 1 + 32 + 1 + 64);
    ck_assert_int_eq(strncmp(t, "v1.1767225600.", 14), 0);
    ck_assert_int_eq(t[46], '.');
    ck_assert_uint_eq(strspn(t + 14, "0123456789abcdef"), 32);
    ck_assert_uint_eq(strspn(t + 47, "0123456789abcdef"), 64);

    ck_assert_int_eq(verify(t, "complaint", NOW + 60, &key), CREDIT_TOKEN_OK);
    ck_assert_int_eq(key, 0);
    ck_assert_int_eq(verify(t, "complaint", NOW + MIN_FILL, NULL), CREDIT_TOKEN_OK);
    ck_assert_int_eq(verify(t, "complaint", NOW + MAX_AGE, NULL), CREDIT_TOKEN_OK);

    /* forms with a record */
    t = credit_token_issue(unit_pool, &keys, OBJ_FORM, NOW);
    ck_assert_int_eq(verify(t, OBJ_FORM, NOW + 10, &key), CREDIT_TOKEN_OK);
    ck_assert_int_eq(verify(t, "objection:TJZW-2026-000002", NOW + 10, &key), CREDIT_TOKEN_BAD);
    ck_assert_int_eq(key, -1);
    ck_assert_int_eq(verify(t, "repair:TJZW-2026-000001", NOW + 10, NULL), CREDIT_TOKEN_BAD);
}
END_TEST

START_TEST(token_nonces_differ)
{
    const char *a, *b;

    keys_ab();
    a = credit_token_issue(unit_pool, &keys, "complaint", NOW);
    b = credit_token_issue(unit_pool, &keys, "complaint", NOW);
    ck_assert_str_ne(a, b);
    ck_assert_int_ne(memcmp(a + 14, b + 14, 32), 0);
}
END_TEST

START_TEST(token_known_answer)
{
    int key = -1;

    keys_ab();
    ck_assert_int_eq(verify(KAT_TOKEN_A, "complaint", NOW + 10, &key), CREDIT_TOKEN_OK);
    ck_assert_int_eq(key, 0);
    /* made with key B, the previous key: still good, and says so */
    ck_assert_int_eq(verify(KAT_TOKEN_B, OBJ_FORM, NOW + 10, &key), CREDIT_TOKEN_OK);
    ck_assert_int_eq(key, 1);
    ck_assert_int_eq(verify(KAT_TOKEN_B, "complaint", NOW + 10, &key), CREDIT_TOKEN_BAD);
    ck_assert_int_eq(verify(KAT_TOKEN_A, OBJ_FORM, NOW + 10, &key), CREDIT_TOKEN_BAD);
}
END_TEST

/* Changes the character at i of a copy of t. */
static const char *flip(const char *t, size_t i)
{
    char *s = apr_pstrdup(unit_pool, t);

    s[i] = s[i] == '0' ? '1' : '0';
    return s;
}

START_TEST(token_tampered)
{
    const char *t;
    size_t i;

    keys_ab();
    t = credit_token_issue(unit_pool, &keys, "complaint", NOW);
    ck_assert_int_eq(verify(t, "complaint", NOW + 60, NULL), CREDIT_TOKEN_OK);
    /* every digit of the time, the nonce and the MAC */
    for (i = 3; t[i]; i++) {
        if (t[i] == '.') {
            continue;
        }
        ck_assert_msg(verify(flip(t, i), "complaint", NOW + 60, NULL) == CREDIT_TOKEN_BAD,
                      "character %zu", i);
    }
    /* an older time to get past the minimum fill time, same nonce and MAC */
    ck_assert_int_eq(
        verify(apr_pstrcat(unit_pool, "v1.1767225590", t + 13, NULL), "complaint", NOW + 1, NULL),
        CREDIT_TOKEN_BAD);
    /* another version, case, or the form in the wrong place */
    ck_assert_int_eq(verify(apr_pstrcat(unit_pool, "v2", t + 2, NULL), "complaint", NOW + 60, NULL),
                     CREDIT_TOKEN_BAD);
    ck_assert_int_eq(verify(apr_pstrcat(unit_pool, "V1", t + 2, NULL), "complaint", NOW + 60, NULL),
                     CREDIT_TOKEN_BAD);
    ck_assert_int_eq(verify(t, "Complaint", NOW + 60, NULL), CREDIT_TOKEN_BAD);
    ck_assert_int_eq(verify(t, "complaint ", NOW + 60, NULL), CREDIT_TOKEN_BAD);
    ck_assert_int_eq(verify(t, "", NOW + 60, NULL), CREDIT_TOKEN_BAD);
    ck_assert_int_eq(verify(t, NULL, NOW + 60, NULL), CREDIT_TOKEN_BAD);
    /* the MAC in upper case is the same bytes but not the same token (the
     * token is an idempotency key: one MAC, one string) */
    ck_assert_int_eq(verify(KAT_HEAD ".DACBBCAE08FAE42EFB3328DED2C181E9F7E67530D344B533D3836BF8C0"
                                     "A6CB27",
                            "complaint", NOW + 60, NULL),
                     CREDIT_TOKEN_BAD);
}
END_TEST

START_TEST(token_wrong_key)
{
    const char *t;
    credit_keys_t other;
    int key = 5;

    keys_ab();
    t = credit_token_issue(unit_pool, &keys, "complaint", NOW);
    ck_assert_ptr_null(credit_keys_parse(
        unit_pool, "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", &other));
    ck_assert_int_eq(credit_token_verify(&other, t, "complaint", NOW + 60, MIN_FILL, MAX_AGE, &key),
                     CREDIT_TOKEN_BAD);
    ck_assert_int_eq(key, -1);
    ck_assert_int_eq(credit_token_verify(NULL, t, "complaint", NOW + 60, MIN_FILL, MAX_AGE, &key),
                     CREDIT_TOKEN_BAD);
}
END_TEST

START_TEST(token_rotated_key)
{
    const char *t;
    int key = -1;

    /* issued under A alone; then B becomes current and A the previous key */
    keys_of(KEY_A_HEX);
    t = credit_token_issue(unit_pool, &keys, "complaint", NOW);
    keys_of(KEY_B_HEX "\n" KEY_A_HEX "\n");
    ck_assert_int_eq(verify(t, "complaint", NOW + 60, &key), CREDIT_TOKEN_OK);
    ck_assert_int_eq(key, 1);
    /* a token issued now is signed with B */
    t = credit_token_issue(unit_pool, &keys, "complaint", NOW);
    ck_assert_int_eq(verify(t, "complaint", NOW + 60, &key), CREDIT_TOKEN_OK);
    ck_assert_int_eq(key, 0);
    /* and A, once dropped, no longer verifies it */
    keys_of(KEY_A_HEX);
    ck_assert_int_eq(verify(t, "complaint", NOW + 60, &key), CREDIT_TOKEN_BAD);
}
END_TEST

START_TEST(token_times)
{
    const char *t;
    int key = -1;

    keys_ab();
    t = credit_token_issue(unit_pool, &keys, "complaint", NOW);
    ck_assert_int_eq(verify(t, "complaint", NOW, &key), CREDIT_TOKEN_TOO_FAST);
    ck_assert_int_eq(key, 0);
    ck_assert_int_eq(verify(t, "complaint", NOW + MIN_FILL - 1, NULL), CREDIT_TOKEN_TOO_FAST);
    ck_assert_int_eq(verify(t, "complaint", NOW + MIN_FILL, NULL), CREDIT_TOKEN_OK);
    ck_assert_int_eq(verify(t, "complaint", NOW + MAX_AGE, NULL), CREDIT_TOKEN_OK);
    key = -1;
    ck_assert_int_eq(verify(t, "complaint", NOW + MAX_AGE + 1, &key), CREDIT_TOKEN_EXPIRED);
    ck_assert_int_eq(key, 0);
    ck_assert_int_eq(verify(t, "complaint", NOW + 365LL * 86400, NULL), CREDIT_TOKEN_EXPIRED);
    /* issued in the future (of this clock) */
    ck_assert_int_eq(verify(t, "complaint", NOW - 1, &key), CREDIT_TOKEN_EXPIRED);
    ck_assert_int_eq(verify(t, "complaint", 0, NULL), CREDIT_TOKEN_EXPIRED);
    ck_assert_int_eq(verify(t, "complaint", -NOW, NULL), CREDIT_TOKEN_EXPIRED);
    /* a forged time is BAD, not EXPIRED: the MAC comes first */
    ck_assert_int_eq(
        verify(apr_pstrcat(unit_pool, "v1.9767225600", t + 13, NULL), "complaint", NOW, NULL),
        CREDIT_TOKEN_BAD);
    /* no minimum */
    ck_assert_int_eq(credit_token_verify(&keys, t, "complaint", NOW, 0, MAX_AGE, NULL),
                     CREDIT_TOKEN_OK);
    /* extreme clocks do not overflow */
    ck_assert_int_eq(verify(t, "complaint", 9223372036854775807LL, NULL), CREDIT_TOKEN_EXPIRED);
    ck_assert_int_eq(verify(t, "complaint", -9223372036854775807LL - 1, NULL),
                     CREDIT_TOKEN_EXPIRED);
}
END_TEST

START_TEST(token_garbage)
{
    static const char *const bad[] = {
        "",
        "v1",
        "v1.",
        "v1..",
        "v1...",
        "v1.1767225600",
        "v1.1767225600.00112233445566778899aabbccddeeff",
        "v1.1767225600.00112233445566778899aabbccddeeff.",
        /* leading zero, sign, spaces, too many digits */
        "v1.01767225600.00112233445566778899aabbccddeeff."
        "dacbbcae08fae42efb3328ded2c181e9f7e67530d344b533d3836bf8c0a6cb27",
        "v1.-1767225600.00112233445566778899aabbccddeeff."
        "dacbbcae08fae42efb3328ded2c181e9f7e67530d344b533d3836bf8c0a6cb27",
        "v1.+1767225600.00112233445566778899aabbccddeeff."
        "dacbbcae08fae42efb3328ded2c181e9f7e67530d344b533d3836bf8c0a6cb27",
        " " KAT_TOKEN_A,
        KAT_TOKEN_A " ",
        KAT_TOKEN_A "\n",
        KAT_TOKEN_A "0",
        KAT_TOKEN_A ".",
        "v1.1234567890123456789.00112233445566778899aabbccddeeff."
        "dacbbcae08fae42efb3328ded2c181e9f7e67530d344b533d3836bf8c0a6cb27",
        "v1.99999999999999999999999999.00112233445566778899aabbccddeeff."
        "dacbbcae08fae42efb3328ded2c181e9f7e67530d344b533d3836bf8c0a6cb27",
        /* short and long nonce and MAC */
        "v1.1767225600.00112233445566778899aabbccddee."
        "dacbbcae08fae42efb3328ded2c181e9f7e67530d344b533d3836bf8c0a6cb27",
        "v1.1767225600.00112233445566778899aabbccddeeff00."
        "dacbbcae08fae42efb3328ded2c181e9f7e67530d344b533d3836bf8c0a6cb27",
        "v1.1767225600.00112233445566778899aabbccddeeff."
        "dacbbcae08fae42efb3328ded2c181e9f7e67530d344b533d3836bf8c0a6cb",
        "v1.1767225600.00112233445566778899aabbccddeeff.zacbbcae08fae42efb3328ded2c181e9f7e67530d3"
        "44b533d3836bf8c0a6cb27",
        "v1.1767225600.0011223344556677889Yaabbccddeeff."
        "dacbbcae08fae42efb3328ded2c181e9f7e67530d344b533d3836bf8c0a6cb27",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\xff\xfe",
        "信用天津",
    };
    size_t i;

    keys_ab();
    ck_assert_int_eq(verify(KAT_TOKEN_A, "complaint", NOW + 60, NULL), CREDIT_TOKEN_OK);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int key = 3;
        ck_assert_msg(verify(bad[i], "complaint", NOW + 60, &key) == CREDIT_TOKEN_BAD, "%s",
                      bad[i]);
        ck_assert_int_eq(key, -1);
    }
    ck_assert_int_eq(verify(NULL, "complaint", NOW + 60, NULL), CREDIT_TOKEN_BAD);
}
END_TEST

/* ---- query codes ---- */

START_TEST(code_known_answer)
{
    const char *c;

    keys_ab();
    c = credit_token_code(unit_pool, &keys, 0, KAT_TOKEN_A);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c, KAT_CODE);
}
END_TEST

START_TEST(code_deterministic)
{
    const char *t, *u, *c;
    size_t i;

    keys_ab();
    t = credit_token_issue(unit_pool, &keys, "complaint", NOW);
    u = credit_token_issue(unit_pool, &keys, "complaint", NOW);
    c = credit_token_code(unit_pool, &keys, 0, t);
    ck_assert_ptr_nonnull(c);
    /* 13 characters of Crockford base32 = 65 bits >= 50 */
    ck_assert_uint_eq(strlen(c), 13);
    ck_assert_uint_ge(strlen(c) * 5, 50);
    for (i = 0; c[i]; i++) {
        ck_assert_ptr_nonnull(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", c[i]));
    }
    /* the same for a resubmission, different for another token or key */
    ck_assert_str_eq(credit_token_code(unit_pool, &keys, 0, t), c);
    ck_assert_str_ne(credit_token_code(unit_pool, &keys, 0, u), c);
    ck_assert_str_ne(credit_token_code(unit_pool, &keys, 1, t), c);
    /* a code normalises to itself */
    ck_assert_str_eq(credit_token_code_normalise(unit_pool, c), c);
    /* no such key */
    ck_assert_ptr_null(credit_token_code(unit_pool, &keys, 2, t));
    ck_assert_ptr_null(credit_token_code(unit_pool, &keys, -1, t));
    ck_assert_ptr_null(credit_token_code(unit_pool, &keys, 0, NULL));
}
END_TEST

/* Every character position takes many values: the 65 bits are used. */
START_TEST(code_spread)
{
    int seen[13][32];
    const char *alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    int i, j, n;

    memset(seen, 0, sizeof(seen));
    keys_ab();
    for (i = 0; i < 2000; i++) {
        const char *t = credit_token_issue(unit_pool, &keys, "complaint", NOW);
        const char *c = credit_token_code(unit_pool, &keys, 0, t);
        for (j = 0; j < 13; j++) {
            seen[j][strchr(alphabet, c[j]) - alphabet] = 1;
        }
    }
    for (j = 0; j < 13; j++) {
        for (n = 0, i = 0; i < 32; i++) {
            n += seen[j][i];
        }
        ck_assert_msg(n == 32, "position %d: %d values", j, n);
    }
}
END_TEST

START_TEST(code_normalise)
{
    static const char *const good[][2] = {
        {"QE3V31R9VS5PP", "QE3V31R9VS5PP"},
        {"QE3V-31R9-VS5PP", "QE3V31R9VS5PP"},
        {"qe3v-31r9-vs5pp", "QE3V31R9VS5PP"},
        {"  qe3v 31r9 vs5pp \t", "QE3V31R9VS5PP"},
        {"Q-E-3-V-3-1-R-9-V-S-5-P-P", "QE3V31R9VS5PP"},
        /* the confusions of Crockford base32 */
        {"OOOO-IIII-LLLLL", "0000111111111"},
        {"oOiI-lL00-11111", "0011110011111"},
        /* full-width letters, digits, dash and U+3000 (a full-width input method) */
        {"ＱＥ３Ｖ－３１Ｒ９－ＶＳ５ＰＰ", "QE3V31R9VS5PP"},
        {"ｑｅ３ｖ\xE3\x80\x80"
         "31r9\xE3\x80\x80"
         "vs5pp",
         "QE3V31R9VS5PP"},
    };
    static const char *const bad[] = {
        "",
        "QE3V31R9VS5P",   /* 12 */
        "QE3V31R9VS5PPQ", /* 14 */
        "QE3V31R9VS5PU",  /* U is not in the alphabet */
        "QE3V31R9VS5P*",  /* nor anything else */
        "QE3V31R9VS5P_",
        "QE3V.31R9.VS5PP",
        "QE3V31R9VS5P\n", /* a line break is not a space of a typed code */
        "QE3V31R9VS5P\xff",
        "QE3V31R9VS5P信",
        "QE3V31R9VS5PP"
        "0000000000000000000000000000000000000000000000000000000000000",
        "-------------",
    };
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        const char *n = credit_token_code_normalise(unit_pool, good[i][0]);
        ck_assert_msg(n != NULL, "refused %s", good[i][0]);
        ck_assert_str_eq(n, good[i][1]);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(credit_token_code_normalise(unit_pool, bad[i]) == NULL, "accepted %s",
                      bad[i]);
    }
    ck_assert_ptr_null(credit_token_code_normalise(unit_pool, NULL));
}
END_TEST

/* ---- keyed hashes ---- */

START_TEST(hash_known_answer)
{
    unsigned char out[32];

    keys_ab();
    credit_token_hash(&keys, 0, "client", "203.0.113.7", out);
    ck_assert_str_eq(credit_hex(unit_pool, out, 32), KAT_HASH_CLIENT);
    credit_token_hash(&keys, 0, "code", KAT_CODE, out);
    ck_assert_str_eq(credit_hex(unit_pool, out, 32), KAT_HASH_CODE);
    /* the stored hash of a typed code is the hash of the shown code */
    credit_token_hash(&keys, 0, "code", credit_token_code_normalise(unit_pool, "qe3v-31r9-vs5pp"),
                      out);
    ck_assert_str_eq(credit_hex(unit_pool, out, 32), KAT_HASH_CODE);
}
END_TEST

START_TEST(hash_purposes_differ)
{
    unsigned char a[32], b[32], c[32], d[32], e[32];

    keys_ab();
    credit_token_hash(&keys, 0, "client", "203.0.113.7", a);
    credit_token_hash(&keys, 0, "code", "203.0.113.7", b);
    credit_token_hash(&keys, 0, "idem", "203.0.113.7", c);
    credit_token_hash(&keys, 1, "client", "203.0.113.7", d);
    ck_assert_int_ne(memcmp(a, b, 32), 0);
    ck_assert_int_ne(memcmp(a, c, 32), 0);
    ck_assert_int_ne(memcmp(b, c, 32), 0);
    ck_assert_int_ne(memcmp(a, d, 32), 0);
    /* purpose and value cannot run together */
    credit_token_hash(&keys, 0, "clien", "t203.0.113.7", e);
    ck_assert_int_ne(memcmp(a, e, 32), 0);
    /* deterministic; a NULL value is the empty string */
    credit_token_hash(&keys, 0, "client", "203.0.113.7", e);
    ck_assert_int_eq(memcmp(a, e, 32), 0);
    credit_token_hash(&keys, 0, "client", NULL, d);
    credit_token_hash(&keys, 0, "client", "", e);
    ck_assert_int_eq(memcmp(d, e, 32), 0);
}
END_TEST

/* The MACs of the three uses never coincide: the code of a token is not
 * its "code" hash, and the idempotency hash is not its MAC. */
START_TEST(hash_separated_from_token_and_code)
{
    unsigned char out[32];

    keys_ab();
    credit_token_hash(&keys, 0, "idem", KAT_TOKEN_A, out);
    ck_assert_str_ne(credit_hex(unit_pool, out, 32), KAT_TOKEN_A + 47);
    ck_assert_int_ne(strncmp(credit_hex(unit_pool, out, 9), "bb87b18709de4b6b24", 18), 0);
}
END_TEST

START_TEST(hex)
{
    const unsigned char b[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};

    ck_assert_str_eq(credit_hex(unit_pool, b, sizeof(b)), "00017f80abff");
    ck_assert_str_eq(credit_hex(unit_pool, b, 0), "");
}
END_TEST

START_TEST(client_ids)
{
    ck_assert_str_eq(credit_client_id(unit_pool, "203.0.113.7"), "203.0.113.7");
    ck_assert_str_eq(credit_client_id(unit_pool, "2001:db8:7:1::10"), "2001:db8:7:1::/64");
    ck_assert_str_eq(credit_client_id(unit_pool, "2001:0db8:0007:0001:ffff:1:2:3"),
                     "2001:db8:7:1::/64");
    ck_assert_str_eq(credit_client_id(unit_pool, "2001:db8:7:2::1"), "2001:db8:7:2::/64");
    ck_assert_str_eq(credit_client_id(unit_pool, "::ffff:198.51.100.20"), "198.51.100.20");
    ck_assert_str_eq(credit_client_id(unit_pool, "::1"), "0:0:0:0::/64");
    ck_assert_str_eq(credit_client_id(unit_pool, "not-an-address"), "not-an-address");
    ck_assert_str_eq(credit_client_id(unit_pool, NULL), "");
}
END_TEST

Suite *token_suite(void)
{
    Suite *s = suite_create("token");
    TCase *keyfile = tcase_create("keys");
    TCase *tokens = tcase_create("tokens");
    TCase *codes = tcase_create("codes");
    TCase *hashes = tcase_create("hashes");

    tcase_add_checked_fixture(keyfile, unit_setup, unit_teardown);
    tcase_add_checked_fixture(tokens, unit_setup, unit_teardown);
    tcase_add_checked_fixture(codes, unit_setup, unit_teardown);
    tcase_add_checked_fixture(hashes, unit_setup, unit_teardown);
    tcase_add_test(keyfile, keys_parse_good);
    tcase_add_test(keyfile, keys_parse_bad);
    tcase_add_test(tokens, token_round_trip);
    tcase_add_test(tokens, token_nonces_differ);
    tcase_add_test(tokens, token_known_answer);
    tcase_add_test(tokens, token_tampered);
    tcase_add_test(tokens, token_wrong_key);
    tcase_add_test(tokens, token_rotated_key);
    tcase_add_test(tokens, token_times);
    tcase_add_test(tokens, token_garbage);
    tcase_add_test(codes, code_known_answer);
    tcase_add_test(codes, code_deterministic);
    tcase_add_test(codes, code_spread);
    tcase_add_test(codes, code_normalise);
    tcase_add_test(hashes, hash_known_answer);
    tcase_add_test(hashes, hash_purposes_differ);
    tcase_add_test(hashes, hash_separated_from_token_and_code);
    tcase_add_test(hashes, hex);
    tcase_add_test(hashes, client_ids);
    suite_add_tcase(s, keyfile);
    suite_add_tcase(s, tokens);
    suite_add_tcase(s, codes);
    suite_add_tcase(s, hashes);
    return s;
}
