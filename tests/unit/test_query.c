/* test_query.c: the search language of q=: parsing, the exact-match kinds,
 * the Groonga string (which must never carry user syntax) and highlighting. */
#include <string.h>
#include <apr_strings.h>

#include "credit_model.h"
#include "credit_query.h"
#include "credit_validate.h"
#include "unit.h"

static credit_query_t qy;
static const char *qerr;

/* A compact picture of the terms: "[a]| [b] -P:[c d]" = a OR b, -"c d". */
static const char *describe(const credit_query_t *x)
{
    apr_array_header_t *parts = apr_array_make(unit_pool, 4, sizeof(const char *));
    int i;

    for (i = 0; x->terms && i < x->terms->nelts; i++) {
        const credit_qterm_t *t = &APR_ARRAY_IDX(x->terms, i, credit_qterm_t);

        APR_ARRAY_PUSH(parts, const char *) =
            apr_pstrcat(unit_pool, t->negated ? "-" : "", t->phrase ? "P:" : "", "[", t->text, "]",
                        t->or_next ? "|" : "", NULL);
    }
    return apr_array_pstrcat(unit_pool, parts, ' ');
}

/* Reads one quoted Groonga string at *s, unescaping it; NULL when malformed. */
static const char *read_quoted(const char **s)
{
    const char *p = *s;
    char *out, *o;

    if (*p != '"') {
        return NULL;
    }
    out = o = apr_palloc(unit_pool, strlen(p) + 1);
    for (p++; *p != '"'; p++) {
        if (*p == '\0') {
            return NULL;
        }
        if (*p == '\\') {
            p++;
            if (*p != '"' && *p != '\\') {
                return NULL; /* only \" and \\ are ever written */
            }
        }
        *o++ = *p;
    }
    *o = '\0';
    *s = p + 1;
    return out;
}

/* Parses a Groonga string as credit_query_groonga writes it and checks it
 * against the terms: the grammar
 *   item (' ' item)*, item = [+-] (quoted | '(' quoted (' OR ' quoted)+ ')'),
 * positive items first, and every quoted string unescapes to its term. */
static void check_groonga(const credit_query_t *x, const char *g)
{
    const credit_qterm_t *t = (const credit_qterm_t *)x->terms->elts;
    int n = x->terms->nelts, order[CREDIT_QUERY_MAX_TERMS * 2], no = 0, pass, i, j, k = 0;
    const char *s = g, *text;

    ck_assert_ptr_nonnull(g);
    ck_assert_msg(g[0] == '+', "%s", g);
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < n; i = j) {
            for (j = i + 1; j < n && t[j - 1].or_next; j++) {
            }
            if (t[i].negated == pass) {
                order[no++] = i;
                order[no++] = j;
            }
        }
    }
    for (i = 0; i < no; i += 2) {
        int group = order[i + 1] - order[i] > 1;

        if (i > 0) {
            ck_assert_msg(*s == ' ', "%s: no space at %s", g, s);
            s++;
        }
        ck_assert_msg(*s == (t[order[i]].negated ? '-' : '+'), "%s: sign at %s", g, s);
        s++;
        if (group) {
            ck_assert_msg(*s == '(', "%s", g);
            s++;
        }
        for (k = order[i]; k < order[i + 1]; k++) {
            if (k > order[i]) {
                ck_assert_msg(strncmp(s, " OR ", 4) == 0, "%s: no OR at %s", g, s);
                s += 4;
            }
            text = read_quoted(&s);
            ck_assert_msg(text != NULL, "%s: bad quoting", g);
            ck_assert_msg(strcmp(text, t[k].text) == 0, "%s: %s != %s", g, text, t[k].text);
        }
        if (group) {
            ck_assert_msg(*s == ')', "%s", g);
            s++;
        }
    }
    ck_assert_msg(*s == '\0', "%s: trailing %s", g, s);
}

static void parse_ok(const char *q)
{
    memset(&qy, 0xA5, sizeof(qy));
    qerr = "unset";
    ck_assert_msg(credit_query_parse(unit_pool, q, &qy, &qerr) == CREDIT_OK, "%s: %s", q, qerr);
    ck_assert_ptr_null(qerr);
    ck_assert_ptr_nonnull(qy.terms);
    ck_assert_int_gt(qy.terms->nelts, 0);
    ck_assert_int_le(qy.terms->nelts, CREDIT_QUERY_MAX_TERMS);
    check_groonga(&qy, credit_query_groonga(unit_pool, &qy));
}

/* q parses to the terms `terms` (describe()) and the Groonga string `g`. */
static void expect(const char *q, const char *terms, const char *g)
{
    parse_ok(q);
    ck_assert_msg(strcmp(describe(&qy), terms) == 0, "%s: terms %s, want %s", q, describe(&qy),
                  terms);
    ck_assert_msg(strcmp(credit_query_groonga(unit_pool, &qy), g) == 0, "%s: groonga %s, want %s",
                  q, credit_query_groonga(unit_pool, &qy), g);
    ck_assert_int_eq(qy.kind, CREDIT_Q_TEXT);
    ck_assert_ptr_null(qy.exact);
}

/* q is refused with a message containing `part`. */
static void expect_err(const char *q, const char *part)
{
    memset(&qy, 0xA5, sizeof(qy));
    qerr = NULL;
    ck_assert_msg(credit_query_parse(unit_pool, q, &qy, &qerr) == CREDIT_EINVAL, "accepted %s",
                  q ? q : "NULL");
    ck_assert_ptr_nonnull(qerr);
    ck_assert_msg(strstr(qerr, part) != NULL, "%s: %s, want %s", q ? q : "NULL", qerr, part);
    ck_assert_int_eq(qy.kind, CREDIT_Q_TEXT);
    ck_assert_ptr_null(qy.exact);
    ck_assert_ptr_null(qy.terms);
}

/* ---- terms and phrases ---- */

START_TEST(words_are_anded)
{
    expect("拖欠", "[拖欠]", "+\"拖欠\"");
    expect("拖欠 采购", "[拖欠] [采购]", "+\"拖欠\" +\"采购\"");
    expect("拖欠 采购 工程款", "[拖欠] [采购] [工程款]", "+\"拖欠\" +\"采购\" +\"工程款\"");
    expect("PPP 项目", "[PPP] [项目]", "+\"PPP\" +\"项目\"");
}
END_TEST

START_TEST(separators)
{
    expect("拖欠\t采购", "[拖欠] [采购]", "+\"拖欠\" +\"采购\"");
    expect("拖欠　采购", "[拖欠] [采购]", "+\"拖欠\" +\"采购\"");     /* U+3000 */
    expect("拖欠 　 　采购", "[拖欠] [采购]", "+\"拖欠\" +\"采购\""); /* runs */
    expect("拖欠\r\n采购\v\f", "[拖欠] [采购]", "+\"拖欠\" +\"采购\"");
    /* the filter trims, but the parser does not depend on it */
    expect("　 拖欠 采购 　", "[拖欠] [采购]", "+\"拖欠\" +\"采购\"");
    /* other spaces are ordinary characters: U+00A0 inside a word */
    expect("拖\xC2\xA0欠", "[拖\xC2\xA0欠]", "+\"拖\xC2\xA0欠\"");
    /* a full-width comma is no separator either */
    expect("拖欠，采购", "[拖欠，采购]", "+\"拖欠，采购\"");
}
END_TEST

START_TEST(phrases)
{
    expect("\"中小企业\"", "P:[中小企业]", "+\"中小企业\"");
    expect("\"中小 企业\" 款项", "P:[中小 企业] [款项]", "+\"中小 企业\" +\"款项\"");
    /* white space inside is collapsed and trimmed */
    expect("\" 中小　\t 企业 \"", "P:[中小 企业]", "+\"中小 企业\"");
    /* unterminated: runs to the end */
    expect("拖欠 \"中小 企业", "[拖欠] P:[中小 企业]", "+\"拖欠\" +\"中小 企业\"");
    expect("\"中小 企业 ", "P:[中小 企业]", "+\"中小 企业\"");
    /* Chinese quotation marks */
    expect("“中小 企业” 款项", "P:[中小 企业] [款项]", "+\"中小 企业\" +\"款项\"");
    expect("“中小 企业", "P:[中小 企业]", "+\"中小 企业\"");
    expect("“中小\"企业”", "P:[中小\"企业]", "+\"中小\\\"企业\"");
    expect("\"中小“企业\"", "P:[中小“企业]", "+\"中小“企业\"");
    /* a closing quote ends the term */
    expect("\"ab\"cd", "P:[ab] [cd]", "+\"ab\" +\"cd\"");
    expect("\"ab\"\"cd\"", "P:[ab] P:[cd]", "+\"ab\" +\"cd\"");
    /* a quote inside a word is an ordinary character */
    expect("a\"b", "[a\"b]", "+\"a\\\"b\"");
    expect("a\"b c\"", "[a\"b] [c\"]", "+\"a\\\"b\" +\"c\\\"\"");
    /* empty phrases are ignored */
    expect("拖欠 \"\"", "[拖欠]", "+\"拖欠\"");
    expect("\"  \" 拖欠 \"　\"", "[拖欠]", "+\"拖欠\"");
    expect("拖欠 \"", "[拖欠]", "+\"拖欠\"");
    expect("拖欠 “”", "[拖欠]", "+\"拖欠\"");
}
END_TEST

START_TEST(negation)
{
    expect("拖欠 -采购", "[拖欠] -[采购]", "+\"拖欠\" -\"采购\"");
    /* the negated terms go last in the Groonga string */
    expect("-采购 拖欠", "-[采购] [拖欠]", "+\"拖欠\" -\"采购\"");
    expect("-a b -c d", "-[a] [b] -[c] [d]", "+\"b\" +\"d\" -\"a\" -\"c\"");
    expect("拖欠 -\"中小 企业\"", "[拖欠] -P:[中小 企业]", "+\"拖欠\" -\"中小 企业\"");
    expect("拖欠 -“中小 企业”", "[拖欠] -P:[中小 企业]", "+\"拖欠\" -\"中小 企业\"");
    /* only one '-' is an operator */
    expect("拖欠 --采购", "[拖欠] -[-采购]", "+\"拖欠\" -\"-采购\"");
    /* a '-' inside a word is a character */
    expect("a-b", "[a-b]", "+\"a-b\"");
    expect("2023-01", "[2023-01]", "+\"2023-01\"");
    /* a lone '-' negates nothing and is ignored */
    expect("拖欠 -", "[拖欠]", "+\"拖欠\"");
    expect("拖欠 - 采购", "[拖欠] [采购]", "+\"拖欠\" +\"采购\"");
    expect("拖欠 -　采购", "[拖欠] [采购]", "+\"拖欠\" +\"采购\"");
    expect("拖欠 -\"\"", "[拖欠]", "+\"拖欠\"");
    /* '+' is no operator of ours */
    expect("+拖欠 -采购", "[+拖欠] -[采购]", "+\"+拖欠\" -\"采购\"");
}
END_TEST

START_TEST(only_negated_or_nothing)
{
    expect_err("-采购", "only excluded");
    expect_err("-采购 -拖欠", "only excluded");
    expect_err("-\"中小 企业\"", "only excluded");
    expect_err("-OR", "only excluded");
    expect_err("-", "no search words");
    expect_err("- -", "no search words");
    expect_err("\"\"", "no search words");
    expect_err("\"", "no search words");
    expect_err("“”", "no search words");
    expect_err("\"　 \"", "no search words");
    expect_err("", "no search words");
    expect_err("   　", "no search words");
    expect_err(NULL, "no search words");
}
END_TEST

START_TEST(or_groups)
{
    expect("串通 OR 招商", "[串通]| [招商]", "+(\"串通\" OR \"招商\")");
    expect("a OR b OR c", "[a]| [b]| [c]", "+(\"a\" OR \"b\" OR \"c\")");
    expect("x a OR b y", "[x] [a]| [b] [y]", "+\"x\" +(\"a\" OR \"b\") +\"y\"");
    expect("a OR b c OR d", "[a]| [b] [c]| [d]", "+(\"a\" OR \"b\") +(\"c\" OR \"d\")");
    expect("a OR \"b c\"", "[a]| P:[b c]", "+(\"a\" OR \"b c\")");
    expect("“中小 企业” OR 个体", "P:[中小 企业]| [个体]", "+(\"中小 企业\" OR \"个体\")");
    expect("a OR b -c", "[a]| [b] -[c]", "+(\"a\" OR \"b\") -\"c\"");
    expect("-c a OR b", "-[c] [a]| [b]", "+(\"a\" OR \"b\") -\"c\"");
    expect("a　OR　b", "[a]| [b]", "+(\"a\" OR \"b\")");
    /* ignored items between do not break a group */
    expect("a OR - b", "[a]| [b]", "+(\"a\" OR \"b\")");
    expect("a OR \"\" b", "[a]| [b]", "+(\"a\" OR \"b\")");
    /* a quoted "OR" is a phrase, and may be ORed */
    expect("a OR \"OR\"", "[a]| P:[OR]", "+(\"a\" OR \"OR\")");
    expect("a \"OR\" b", "[a] P:[OR] [b]", "+\"a\" +\"OR\" +\"b\"");
}
END_TEST

START_TEST(or_as_word)
{
    expect("OR", "[OR]", "+\"OR\"");
    expect("OR a", "[OR] [a]", "+\"OR\" +\"a\"");
    expect("a OR", "[a] [OR]", "+\"a\" +\"OR\"");
    expect("OR OR", "[OR] [OR]", "+\"OR\" +\"OR\"");
    expect("OR OR OR", "[OR] [OR] [OR]", "+\"OR\" +\"OR\" +\"OR\"");
    expect("a OR OR b", "[a] [OR] [OR] [b]", "+\"a\" +\"OR\" +\"OR\" +\"b\"");
    expect("a OR b OR OR c", "[a]| [b] [OR] [OR] [c]", "+(\"a\" OR \"b\") +\"OR\" +\"OR\" +\"c\"");
    /* lower or mixed case is a word */
    expect("a or b", "[a] [or] [b]", "+\"a\" +\"or\" +\"b\"");
    expect("a Or b", "[a] [Or] [b]", "+\"a\" +\"Or\" +\"b\"");
    expect("a ORb", "[a] [ORb]", "+\"a\" +\"ORb\"");
    /* next to a negated term */
    expect("a OR -b", "[a] [OR] -[b]", "+\"a\" +\"OR\" -\"b\"");
    expect("-a OR b", "-[a] [OR] [b]", "+\"OR\" +\"b\" -\"a\"");
    expect("a -OR b", "[a] -[OR] [b]", "+\"a\" +\"b\" -\"OR\"");
    /* full-width ＯＲ is a word */
    expect("a ＯＲ b", "[a] [ＯＲ] [b]", "+\"a\" +\"ＯＲ\" +\"b\"");
}
END_TEST

/* ---- hostile input: the engine never sees user syntax ---- */

START_TEST(hostile_escaped)
{
    expect("串通(", "[串通(]", "+\"串通(\"");
    expect("a\"b", "[a\"b]", "+\"a\\\"b\"");
    expect("\\", "[\\]", "+\"\\\\\"");
    expect("\\\\\"", "[\\\\\"]", "+\"\\\\\\\\\\\"\"");
    expect("a\\", "[a\\]", "+\"a\\\\\"");
    expect("\"a\\\"b\"", "P:[a\\] [b\"]", "+\"a\\\\\" +\"b\\\"\"");
    expect("\"\\\"", "P:[\\]", "+\"\\\\\"");
    expect("*D+", "[*D+]", "+\"*D+\"");
    expect("*D+ a", "[*D+] [a]", "+\"*D+\" +\"a\"");
    expect("*W1:10 a", "[*W1:10] [a]", "+\"*W1:10\" +\"a\"");
    expect("*SS", "[*SS]", "+\"*SS\"");
    expect("+-", "[+-]", "+\"+-\"");
    expect("(((", "[(((]", "+\"(((\"");
    expect(") OR (", "[)]| [(]", "+(\")\" OR \"(\")");
    expect("a) OR (b", "[a)]| [(b]", "+(\"a)\" OR \"(b\")");
    expect("column:@value", "[column:@value]", "+\"column:@value\"");
    expect("title:~拖欠", "[title:~拖欠]", "+\"title:~拖欠\"");
    expect("a* b~ >c <d", "[a*] [b~] [>c] [<d]", "+\"a*\" +\"b~\" +\">c\" +\"<d\"");
}
END_TEST

START_TEST(hostile_structure)
{
    /* inputs a parser of search syntax may choke on; each must come out as
     * well-formed quoted terms (checked by parse_ok) or a clean refusal */
    static const char *const ok[] = {
        "串通(",
        "a\"b",
        "\\",
        "*D+",
        "+-",
        "OR OR",
        "(((",
        ")))",
        "\"\\\"",
        "\\\"",
        "\" OR \"",
        "'; DROP TABLE records; --",
        "a AND b NOT c",
        "a && b || c",
        "\"a OR b\"",
        "a OR",
        "-a OR",
        "a OR -",
        "\"\"\"\"\"a",
        "“\"”",
        "\"“\"",
        "- a",
        "+",
        "++",
        "@",
        "=1+1",
        "%",
        "_",
        "\\\\ \\\" \\",
        "'",
        "a\\ OR b\\",
        "\xE3\x80\x80\"\xE3\x80\x80"
        "a",
        "\xF0\x9F\x98\x80",
        "\xF0\x9F\x98\x80 OR \xE2\x80\x9D",
    };
    static const char *const refused[] = {
        "-", "--", "---", "-\"-\"", "\"", "\"\"", "\"\"\"", "“", "-“", "- - -", "-OR -OR",
    };
    size_t i;

    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        parse_ok(ok[i]);
    }
    for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        expect_err(refused[i], "words");
    }
}
END_TEST

START_TEST(hostile_generated)
{
    /* every string of up to 4 items over a hostile alphabet: either an
     * error, or well-formed output whose quoted strings are the terms */
    static const char *const alpha[] = {"\"", "\\", "-", "OR", " ", "(", "a", "“", "”", "　", "*"};
    const size_t na = sizeof(alpha) / sizeof(alpha[0]);
    size_t a, b, c, d;
    credit_query_t x;
    const char *e;

    for (a = 0; a < na; a++) {
        for (b = 0; b < na; b++) {
            for (c = 0; c < na; c++) {
                for (d = 0; d < na; d++) {
                    const char *q =
                        apr_pstrcat(unit_pool, alpha[a], alpha[b], alpha[c], alpha[d], NULL);

                    if (credit_query_parse(unit_pool, q, &x, &e) == CREDIT_OK) {
                        check_groonga(&x, credit_query_groonga(unit_pool, &x));
                    } else {
                        ck_assert_ptr_nonnull(e);
                        ck_assert_ptr_null(x.terms);
                    }
                }
            }
        }
    }
}
END_TEST

START_TEST(bad_input_refused)
{
    char big[4 * CREDIT_Q_MAX_CHARS + 8];

    expect_err("\xFF", "UTF-8");
    expect_err("a\xE4\xB8", "UTF-8");
    expect_err("\xC0\xAF", "UTF-8");
    expect_err("\xED\xA0\x80", "UTF-8");
    expect_err("a\x01 b", "control");
    expect_err("a\x7F", "control");
    expect_err("a\x1B[31m", "control");
    expect_err("a\xC2\x85", "control"); /* U+0085 */
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    expect_err(big, "longer than 100 characters");
}
END_TEST

/* ---- limits ---- */

/* n copies of s joined by sep (NULL: nothing). */
static const char *repeat(const char *s, int n, const char *sep)
{
    const char *out = "";
    int i;

    for (i = 0; i < n; i++) {
        out = apr_pstrcat(unit_pool, out, i > 0 && sep ? sep : "", s, NULL);
    }
    return out;
}

START_TEST(limits)
{
    const char *ten = repeat("词", CREDIT_QUERY_MAX_TERMS, " ");
    const char *w50 = repeat("词", CREDIT_QUERY_MAX_TERM_CHARS, NULL);
    const char *w51 = repeat("词", CREDIT_QUERY_MAX_TERM_CHARS + 1, NULL);

    parse_ok(ten);
    ck_assert_int_eq(qy.terms->nelts, CREDIT_QUERY_MAX_TERMS);
    expect_err(apr_pstrcat(unit_pool, ten, " 词", NULL), "more than 10 words");
    /* negated terms and phrases count; OR operators and ignored items do not */
    expect_err(apr_pstrcat(unit_pool, ten, " -词", NULL), "more than 10 words");
    expect_err(apr_pstrcat(unit_pool, ten, " \"词\"", NULL), "more than 10 words");
    parse_ok(repeat("词", CREDIT_QUERY_MAX_TERMS, " OR "));
    ck_assert_int_eq(qy.terms->nelts, CREDIT_QUERY_MAX_TERMS);
    ck_assert_str_eq(credit_query_groonga(unit_pool, &qy),
                     apr_pstrcat(unit_pool, "+(", repeat("\"词\"", 10, " OR "), ")", NULL));
    parse_ok(apr_pstrcat(unit_pool, ten, " - \"\" “”", NULL));
    ck_assert_int_eq(qy.terms->nelts, CREDIT_QUERY_MAX_TERMS);
    /* "OR" as a word is a term */
    expect_err(apr_pstrcat(unit_pool, ten, " OR", NULL), "more than 10 words");

    /* term length in characters, not bytes */
    parse_ok(w50);
    ck_assert_int_eq(qy.terms->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(qy.terms, 0, credit_qterm_t).text, w50);
    expect_err(w51, "longer than 50 characters");
    expect_err(apr_pstrcat(unit_pool, "\"", w51, "\"", NULL), "longer than 50 characters");
    expect_err(apr_pstrcat(unit_pool, "-", w51, " a", NULL), "longer than 50 characters");
    parse_ok(apr_pstrcat(unit_pool, "-", w50, " a", NULL)); /* '-' is not counted */
    parse_ok(repeat("a", CREDIT_QUERY_MAX_TERM_CHARS, NULL));
    expect_err(repeat("a", CREDIT_QUERY_MAX_TERM_CHARS + 1, NULL), "longer than 50");
    /* a phrase counts after white space is collapsed */
    parse_ok(apr_pstrcat(unit_pool, "\"", repeat("词", 24, NULL), "     ", repeat("词", 25, NULL),
                         "\"", NULL));

    /* the whole q: CREDIT_Q_MAX_CHARS characters */
    parse_ok(apr_pstrcat(unit_pool, w50, " ", repeat("词", 49, NULL), NULL));
    expect_err(apr_pstrcat(unit_pool, w50, "  ", repeat("词", 49, NULL), NULL), "longer than 100");
    expect_err(repeat("词", 300, NULL), "longer than 100");
}
END_TEST

/* ---- credit codes and decision numbers ---- */

START_TEST(kind_credit_code)
{
    const credit_qterm_t *t;

    parse_ok("91350100M000100Y43");
    ck_assert_int_eq(qy.kind, CREDIT_Q_CREDIT_CODE);
    ck_assert_str_eq(qy.exact, "91350100M000100Y43");
    ck_assert_str_eq(describe(&qy), "[91350100M000100Y43]");
    ck_assert_str_eq(credit_query_groonga(unit_pool, &qy), "+\"91350100M000100Y43\"");
    t = &APR_ARRAY_IDX(qy.terms, 0, credit_qterm_t);
    ck_assert_ptr_eq(qy.exact, t->text);

    parse_ok("111200000000000210");
    ck_assert_int_eq(qy.kind, CREDIT_Q_CREDIT_CODE);
    parse_ok(" 　9144030071526726XG　 ");
    ck_assert_int_eq(qy.kind, CREDIT_Q_CREDIT_CODE);
    ck_assert_str_eq(qy.exact, "9144030071526726XG");

    /* not codes: a search like any other */
    expect("91350100M000100Y44", "[91350100M000100Y44]", "+\"91350100M000100Y44\"");
    expect("9144030071526726xg", "[9144030071526726xg]", "+\"9144030071526726xg\"");
    expect("91350100M000100Y4", "[91350100M000100Y4]", "+\"91350100M000100Y4\"");
    expect("91350100M000100Y430", "[91350100M000100Y430]", "+\"91350100M000100Y430\"");
    expect("\"91350100M000100Y43\"", "P:[91350100M000100Y43]", "+\"91350100M000100Y43\"");
    expect("91350100M000100Y43 拖欠", "[91350100M000100Y43] [拖欠]",
           "+\"91350100M000100Y43\" +\"拖欠\"");
    expect("91350100M000100Y43 OR 914403001922038216", "[91350100M000100Y43]| [914403001922038216]",
           "+(\"91350100M000100Y43\" OR \"914403001922038216\")");
    expect_err("-91350100M000100Y43", "only excluded");
}
END_TEST

START_TEST(kind_decision_no)
{
    static const char *const yes[] = {
        "津财罚〔2023〕12号", "津政监〔2021〕第0031号", "津财罚[2023]12号", "〔2023〕号", "[]号",
        "津(罚)〔2023〕12号",
    };
    static const char *const no[] = {
        "津财罚〔2023〕12",
        "津财罚〔2023〕12号码",
        "津财罚〕2023〔12号",
        "津财罚〔2023 12号",
        "津财罚2023〕12号",
        "津财罚]2023[12号",
        "津财罚【2023】12号",
        "津财罚（2023）12号",
        "津财罚［2023］12号",
        "号",
        "〔号",
        "]号[",
        "〔〕",
    };
    size_t i;

    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        parse_ok(yes[i]);
        ck_assert_msg(qy.kind == CREDIT_Q_DECISION_NO, "%s", yes[i]);
        ck_assert_str_eq(qy.exact, yes[i]);
        ck_assert_int_eq(qy.terms->nelts, 1);
        ck_assert_str_eq(APR_ARRAY_IDX(qy.terms, 0, credit_qterm_t).text, yes[i]);
        ck_assert_str_eq(credit_query_groonga(unit_pool, &qy),
                         apr_pstrcat(unit_pool, "+\"", yes[i], "\"", NULL));
    }
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        parse_ok(no[i]);
        ck_assert_msg(qy.kind == CREDIT_Q_TEXT, "%s", no[i]);
        ck_assert_ptr_null(qy.exact);
    }
    /* one plain term only */
    parse_ok("  津财罚〔2023〕12号 ");
    ck_assert_int_eq(qy.kind, CREDIT_Q_DECISION_NO);
    ck_assert_str_eq(qy.exact, "津财罚〔2023〕12号");
    expect("津财罚〔2023〕12号 拖欠", "[津财罚〔2023〕12号] [拖欠]",
           "+\"津财罚〔2023〕12号\" +\"拖欠\"");
    expect("\"津财罚〔2023〕12号\"", "P:[津财罚〔2023〕12号]", "+\"津财罚〔2023〕12号\"");
    expect("津财罚 〔2023〕12号", "[津财罚] [〔2023〕12号]", "+\"津财罚\" +\"〔2023〕12号\"");
    /* brackets and quotes of a decision number are escaped like anything */
    parse_ok("津\"罚[2023]\\12号");
    ck_assert_int_eq(qy.kind, CREDIT_Q_DECISION_NO);
    ck_assert_str_eq(credit_query_groonga(unit_pool, &qy), "+\"津\\\"罚[2023]\\\\12号\"");
}
END_TEST

START_TEST(groonga_null)
{
    credit_query_t x;
    credit_qterm_t t[3];

    ck_assert_ptr_null(credit_query_groonga(unit_pool, NULL));
    memset(&x, 0, sizeof(x));
    ck_assert_ptr_null(credit_query_groonga(unit_pool, &x));
    x.terms = apr_array_make(unit_pool, 3, sizeof(credit_qterm_t));
    ck_assert_ptr_null(credit_query_groonga(unit_pool, &x));

    /* hand-made: only negated terms */
    memset(t, 0, sizeof(t));
    t[0].text = "a";
    t[0].negated = 1;
    APR_ARRAY_PUSH(x.terms, credit_qterm_t) = t[0];
    ck_assert_ptr_null(credit_query_groonga(unit_pool, &x));
    /* a negated OR group stays one group, written once */
    t[0].or_next = 1;
    APR_ARRAY_IDX(x.terms, 0, credit_qterm_t) = t[0];
    t[1].text = "b";
    APR_ARRAY_PUSH(x.terms, credit_qterm_t) = t[1];
    ck_assert_ptr_null(credit_query_groonga(unit_pool, &x));
    t[2].text = "c\"";
    APR_ARRAY_PUSH(x.terms, credit_qterm_t) = t[2];
    ck_assert_str_eq(credit_query_groonga(unit_pool, &x), "+\"c\\\"\" -(\"a\" OR \"b\")");
    /* or_next on the last term is no group */
    APR_ARRAY_IDX(x.terms, 2, credit_qterm_t).or_next = 1;
    ck_assert_str_eq(credit_query_groonga(unit_pool, &x), "+\"c\\\"\" -(\"a\" OR \"b\")");
}
END_TEST

/* ---- highlight ---- */

/* A picture of the segments: matches in <>, e.g. "某区<拖欠>款". */
static const char *segments(const char *q, const char *text)
{
    apr_array_header_t *segs, *parts = apr_array_make(unit_pool, 4, sizeof(const char *));
    credit_query_t *x = NULL;
    const char *joined = "";
    int i;

    if (q != NULL) {
        x = apr_pcalloc(unit_pool, sizeof(*x));
        ck_assert_msg(credit_query_parse(unit_pool, q, x, NULL) == CREDIT_OK, "%s", q);
    }
    segs = credit_query_highlight(unit_pool, x, text);
    ck_assert_ptr_nonnull(segs);
    for (i = 0; i < segs->nelts; i++) {
        const credit_qseg_t *s = &APR_ARRAY_IDX(segs, i, credit_qseg_t);

        ck_assert_msg(s->text[0] != '\0', "empty segment");
        ck_assert(credit_utf8_valid(s->text, strlen(s->text)));
        if (i > 0) {
            /* runs alternate: adjacent matches are one segment */
            ck_assert_int_ne(s->match, APR_ARRAY_IDX(segs, i - 1, credit_qseg_t).match);
        }
        joined = apr_pstrcat(unit_pool, joined, s->text, NULL);
        APR_ARRAY_PUSH(parts, const char *) =
            s->match ? apr_pstrcat(unit_pool, "<", s->text, ">", NULL) : s->text;
    }
    /* the segments are the text, in order */
    ck_assert_str_eq(joined, text ? text : "");
    return apr_array_pstrcat(unit_pool, parts, 0);
}

START_TEST(highlight_basic)
{
    ck_assert_str_eq(segments("拖欠", "某区政府拖欠采购款"), "某区政府<拖欠>采购款");
    ck_assert_str_eq(segments("拖欠", "拖欠"), "<拖欠>");
    ck_assert_str_eq(segments("拖欠", "拖欠款项，再次拖欠"), "<拖欠>款项，再次<拖欠>");
    ck_assert_str_eq(segments("采购 拖欠", "某区政府拖欠采购款"), "某区政府<拖欠采购>款");
    ck_assert_str_eq(segments("拖欠 -采购", "某区政府拖欠采购款"), "某区政府<拖欠>采购款");
    ck_assert_str_eq(segments("串通 OR 招商", "串通投标与招商引资"), "<串通>投标与<招商>引资");
    /* a space of a phrase matches any white space, also none */
    ck_assert_str_eq(segments("\"中小 企业\"", "中小 企业与中小企业，中小　 企业"),
                     "<中小 企业>与<中小企业>，<中小　 企业>");
    ck_assert_str_eq(segments("\"中小 企业\"", "中小 型企业"), "中小 型企业");
    /* but words match as they are */
    ck_assert_str_eq(segments("中小企业", "中小 企业"), "中小 企业");
    ck_assert_str_eq(segments("采购", "没有匹配"), "没有匹配");
    ck_assert_str_eq(segments("a\"b \\", "x a\"b \\ y"), "x <a\"b> <\\> y");
    /* no query: one plain segment */
    ck_assert_str_eq(segments(NULL, "某区政府拖欠采购款"), "某区政府拖欠采购款");
}
END_TEST

START_TEST(highlight_empty)
{
    apr_array_header_t *segs;
    credit_query_t x;

    ck_assert_int_eq(credit_query_parse(unit_pool, "拖欠", &qy, NULL), CREDIT_OK);
    segs = credit_query_highlight(unit_pool, &qy, NULL);
    ck_assert_ptr_nonnull(segs);
    ck_assert_int_eq(segs->nelts, 0);
    segs = credit_query_highlight(unit_pool, &qy, "");
    ck_assert_int_eq(segs->nelts, 0);
    segs = credit_query_highlight(unit_pool, NULL, NULL);
    ck_assert_int_eq(segs->nelts, 0);
    memset(&x, 0, sizeof(x));
    segs = credit_query_highlight(unit_pool, &x, "abc");
    ck_assert_int_eq(segs->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(segs, 0, credit_qseg_t).text, "abc");
    ck_assert_int_eq(APR_ARRAY_IDX(segs, 0, credit_qseg_t).match, 0);
}
END_TEST

START_TEST(highlight_overlap)
{
    /* the longest term wins where several start, whatever their order */
    ck_assert_str_eq(segments("中小 中小企业", "保障中小企业款项"), "保障<中小企业>款项");
    ck_assert_str_eq(segments("中小企业 中小", "保障中小企业款项，中小学"),
                     "保障<中小企业>款项，<中小>学");
    /* leftmost first: "ab" is taken, "bc" cannot start inside it */
    ck_assert_str_eq(segments("bc ab", "abc"), "<ab>c");
    ck_assert_str_eq(segments("企业款 中小企业", "中小企业款项"), "<中小企业>款项");
    ck_assert_str_eq(segments("小企 中小", "中小企业"), "<中小>企业");
    /* overlapping occurrences of one term */
    ck_assert_str_eq(segments("aa", "aaa"), "<aa>a");
    ck_assert_str_eq(segments("aa", "aaaa"), "<aaaa>");
    /* a term inside another term's match */
    ck_assert_str_eq(segments("采购 政府采购", "政府采购与采购"), "<政府采购>与<采购>");
}
END_TEST

START_TEST(highlight_case_and_utf8)
{
    ck_assert_str_eq(segments("ppp", "天津PPP项目与ppp"), "天津<PPP>项目与<ppp>");
    ck_assert_str_eq(segments("PpP", "Ppp"), "<Ppp>");
    /* only ASCII is folded */
    ck_assert_str_eq(segments("ppp", "ＰＰＰ项目"), "ＰＰＰ项目");
    ck_assert_str_eq(segments("é", "CAFÉ café"), "CAFÉ caf<é>");
    /* 4-byte characters */
    ck_assert_str_eq(segments("😀", "a😀b😀"), "a<😀>b<😀>");
    /* the credit code and decision number kinds highlight too */
    ck_assert_str_eq(segments("91350100M000100Y43", "统一代码 91350100M000100Y43。"),
                     "统一代码 <91350100M000100Y43>。");
    ck_assert_str_eq(segments("津财罚〔2023〕12号", "依据津财罚〔2023〕12号决定"),
                     "依据<津财罚〔2023〕12号>决定");
}
END_TEST

START_TEST(highlight_no_split_chars)
{
    /* byte-wise, "\xB8\xAD" of 中 (E4 B8 AD) could follow another lead byte;
     * text and terms sharing trailing bytes never match inside a character */
    ck_assert_str_eq(segments("中", "丁中丁"), "丁<中>丁");
    ck_assert_str_eq(segments("丁", "中丁中"), "中<丁>中");
    /* invalid text is not ours to fix, but never read out of bounds */
    {
        apr_array_header_t *segs;
        const char *bad = "\xE4\xB8 \xB8\xAD\xE4";

        ck_assert_int_eq(credit_query_parse(unit_pool, "中", &qy, NULL), CREDIT_OK);
        segs = credit_query_highlight(unit_pool, &qy, bad);
        ck_assert_int_eq(segs->nelts, 1);
        ck_assert_str_eq(APR_ARRAY_IDX(segs, 0, credit_qseg_t).text, bad);
    }
}
END_TEST

/* The key and limit of each refusal, for the message people read. */
START_TEST(error_keys)
{
    static const struct {
        const char *q, *key;
        int limit;
    } cases[] = {
        {"", "q_empty", 0},
        {"-a -b", "q_negated", 0},
        {"a b c d e f g h i j k", "q_terms", CREDIT_QUERY_MAX_TERMS},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "q_term_long",
         CREDIT_QUERY_MAX_TERM_CHARS},
        {"a\x01b", "control", 0},
        {"\xFF", "utf8", 0},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        credit_query_t x;
        const char *e = NULL, *key = NULL;
        int limit = -1;
        ck_assert_int_eq(credit_query_parse_msg(unit_pool, cases[i].q, &x, &e, &key, &limit),
                         CREDIT_EINVAL);
        ck_assert_ptr_nonnull(e);
        ck_assert_msg(key && strcmp(key, cases[i].key) == 0, "%s: key %s, want %s", cases[i].q,
                      key ? key : "NULL", cases[i].key);
        ck_assert_int_eq(limit, cases[i].limit);
    }
    {
        /* longer than CREDIT_Q_MAX_CHARS */
        char q[CREDIT_Q_MAX_CHARS + 2];
        credit_query_t x;
        const char *key = NULL;
        int limit = 0;
        memset(q, 'a', sizeof q - 1);
        q[sizeof q - 1] = '\0';
        ck_assert_int_eq(credit_query_parse_msg(unit_pool, q, &x, NULL, &key, &limit),
                         CREDIT_EINVAL);
        ck_assert_str_eq(key, "too_long");
        ck_assert_int_eq(limit, CREDIT_Q_MAX_CHARS);
    }
    {
        credit_query_t x;
        const char *key = "unchanged";
        int limit = 7;
        ck_assert_int_eq(credit_query_parse_msg(unit_pool, "a b", &x, NULL, &key, &limit),
                         CREDIT_OK);
        ck_assert_ptr_null(key);
        ck_assert_int_eq(limit, 0);
    }
}
END_TEST

Suite *query_suite(void)
{
    Suite *s = suite_create("query");
    TCase *parse = tcase_create("parse");
    TCase *hostile = tcase_create("hostile");
    TCase *kinds = tcase_create("kinds");
    TCase *hl = tcase_create("highlight");

    tcase_add_checked_fixture(parse, unit_setup, unit_teardown);
    tcase_add_checked_fixture(hostile, unit_setup, unit_teardown);
    tcase_add_checked_fixture(kinds, unit_setup, unit_teardown);
    tcase_add_checked_fixture(hl, unit_setup, unit_teardown);
    tcase_add_test(parse, words_are_anded);
    tcase_add_test(parse, error_keys);
    tcase_add_test(parse, separators);
    tcase_add_test(parse, phrases);
    tcase_add_test(parse, negation);
    tcase_add_test(parse, only_negated_or_nothing);
    tcase_add_test(parse, or_groups);
    tcase_add_test(parse, or_as_word);
    tcase_add_test(parse, limits);
    tcase_add_test(hostile, hostile_escaped);
    tcase_add_test(hostile, hostile_structure);
    tcase_add_test(hostile, hostile_generated);
    tcase_add_test(hostile, bad_input_refused);
    tcase_add_test(kinds, kind_credit_code);
    tcase_add_test(kinds, kind_decision_no);
    tcase_add_test(kinds, groonga_null);
    tcase_add_test(hl, highlight_basic);
    tcase_add_test(hl, highlight_empty);
    tcase_add_test(hl, highlight_overlap);
    tcase_add_test(hl, highlight_case_and_utf8);
    tcase_add_test(hl, highlight_no_split_chars);
    suite_add_tcase(s, parse);
    suite_add_tcase(s, hostile);
    suite_add_tcase(s, kinds);
    suite_add_tcase(s, hl);
    return s;
}
