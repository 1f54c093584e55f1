/*
 * Unit tests for the roster engine: every hard rule checked by hand-made
 * rosters at both ends of the horizon, the scorer's totals on Instance1,
 * parser and roster-file errors with their file, line and field, and short
 * deterministic solves whose result the scorer must agree with.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "waras/error.h"
#include "waras/roster.h"

#define OFF WARAS_ROSTER_OFF

/* A one-person, one-shift problem over D days with the given limits. */
static waras_roster_problem *one_person(int D, waras_roster_limits lim)
{
    waras_roster_problem *p;
    int s, e;
    assert_int_equal(waras_roster_problem_new(&p, D), 0);
    assert_int_equal(waras_roster_add_shift(p, &s, "D", 480), 0);
    assert_int_equal(waras_roster_add_employee(p, &e, "A"), 0);
    assert_int_equal(waras_roster_set_limits(p, e, &lim), 0);
    return p;
}

static const waras_roster_limits nolim = {-1, -1, -1, -1, -1, -1};

/* Scores a row written as a string: 'D' works shift 0, 'L' shift 1, '-' off. */
static waras_roster_score score_row(const waras_roster_problem *p, const char *row)
{
    int D = waras_roster_ndays(p);
    int cells[64];
    assert_int_equal((int)strlen(row), D);
    for (int d = 0; d < D; d++)
        cells[d] = row[d] == '-' ? OFF : row[d] == 'D' ? 0 : 1;
    waras_roster_score sc;
    assert_int_equal(waras_roster_score_compute(&sc, p, cells), 0);
    return sc;
}

static int count_rule(const waras_roster_score *sc, const char *rule)
{
    int n = 0;
    for (size_t i = 0; i < sc->nviolations; i++)
        n += strcmp(sc->violations[i].rule, rule) == 0;
    return n;
}

static void expect(const waras_roster_problem *p, const char *row, const char *rule, int n)
{
    waras_roster_score sc = score_row(p, row);
    if (count_rule(&sc, rule) != n)
        fail_msg("row %s: %d %s violations, expected %d", row, count_rule(&sc, rule), rule, n);
    waras_roster_score_free(&sc);
}

/* A row, a rule and how many violations of it the row must have. */
typedef struct row_case {
    const char *row, *rule;
    int n;
} row_case;

static void expect_all(const waras_roster_problem *p, const row_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        expect(p, c[i].row, c[i].rule, c[i].n);
}

static void test_roster__max_consecutive_edges(void **state)
{
    waras_roster_limits lim = nolim;
    lim.max_consecutive = 3;
    waras_roster_problem *p = one_person(14, lim);
    static const row_case cases[] = {
        {"DDD-----------", "max_consecutive_shifts", 0},
        /* a day off is assumed before day 0 and after the last day */
        {"DDDD----------", "max_consecutive_shifts", 1},
        {"----------DDDD", "max_consecutive_shifts", 1},
        {"-----------DDD", "max_consecutive_shifts", 0},
        {"DDD-DDD-DDD-DD", "max_consecutive_shifts", 0},
    };
    expect_all(p, cases, sizeof(cases) / sizeof(cases[0]));
    waras_roster_score sc = score_row(p, "DDDDD---------");
    assert_int_equal(sc.nviolations, 1);
    assert_int_equal(sc.violations[0].day, 0);
    assert_int_equal(sc.violations[0].value, 5);
    assert_int_equal(sc.violations[0].limit, 3);
    waras_roster_score_free(&sc);
    waras_roster_problem_free(p);
}

static void test_roster__min_consecutive_edges(void **state)
{
    waras_roster_limits lim = nolim;
    lim.min_consecutive = 3;
    waras_roster_problem *p = one_person(14, lim);
    static const row_case cases[] = {
        /* runs touching either end are exempt */
        {"D-------------", "min_consecutive_shifts", 0},
        {"-------------D", "min_consecutive_shifts", 0},
        {"DD----------DD", "min_consecutive_shifts", 0},
        {"-D------------", "min_consecutive_shifts", 1},
        {"------------D-", "min_consecutive_shifts", 1},
        {"---DD---DDD---", "min_consecutive_shifts", 1},
    };
    expect_all(p, cases, sizeof(cases) / sizeof(cases[0]));
    waras_roster_problem_free(p);
}

static void test_roster__min_days_off_edges(void **state)
{
    waras_roster_limits lim = nolim;
    lim.min_days_off = 2;
    waras_roster_problem *p = one_person(14, lim);
    static const row_case cases[] = {
        {"-DDDDDDDDDDDDD", "min_consecutive_days_off", 0},
        {"DDDDDDDDDDDDD-", "min_consecutive_days_off", 0},
        {"D-DDDDDDDDDDDD", "min_consecutive_days_off", 1},
        {"DDDDDDDDDDDD-D", "min_consecutive_days_off", 1},
        {"DD--DDDDDDDDDD", "min_consecutive_days_off", 0},
        {"--------------", "min_consecutive_days_off", 0},
    };
    expect_all(p, cases, sizeof(cases) / sizeof(cases[0]));
    waras_roster_problem_free(p);
}

static void test_roster__rotation_edges(void **state)
{
    waras_roster_problem *p = one_person(7, nolim);
    int l;
    assert_int_equal(waras_roster_add_shift(p, &l, "L", 480), 0);
    assert_int_equal(waras_roster_forbid_sequence(p, l, 0), 0); /* no D after L */
    static const row_case cases[] = {
        {"LD-----", "shift_rotation", 1},
        {"DL-----", "shift_rotation", 0},
        {"L-D----", "shift_rotation", 0},
        {"-----LD", "shift_rotation", 1},
        /* days off are assumed around the horizon: L on the last day is fine */
        {"D-----L", "shift_rotation", 0},
    };
    expect_all(p, cases, sizeof(cases) / sizeof(cases[0]));
    waras_roster_score sc = score_row(p, "DDLLDLD");
    assert_int_equal(count_rule(&sc, "shift_rotation"), 2);
    assert_int_equal(sc.violations[0].day, 3);
    waras_roster_score_free(&sc);
    waras_roster_problem_free(p);
}

static void test_roster__weekends(void **state)
{
    waras_roster_limits lim = nolim;
    lim.max_weekends = 1;
    waras_roster_problem *p = one_person(14, lim);
    static const row_case cases[] = {
        /* days 5 and 6 of each week; both days of one weekend count once */
        {"-----DD-------", "max_weekends", 0},
        {"-----D-------D", "max_weekends", 1},
        {"------D-----D-", "max_weekends", 1},
        {"DDDDD--DDDDD--", "max_weekends", 0},
    };
    expect_all(p, cases, sizeof(cases) / sizeof(cases[0]));
    waras_roster_problem_free(p);
}

static void test_roster__counts_minutes_days_off_locks(void **state)
{
    waras_roster_limits lim = nolim;
    lim.min_minutes = 480 * 3;
    lim.max_minutes = 480 * 5;
    waras_roster_problem *p = one_person(7, lim);
    int l;
    assert_int_equal(waras_roster_add_shift(p, &l, "L", 480), 0);
    assert_int_equal(waras_roster_set_max_shifts(p, 0, l, 1), 0);
    assert_int_equal(waras_roster_set_day_off(p, 0, 6), 0);
    assert_int_equal(waras_roster_lock(p, 0, 0, 0), 0);
    static const row_case cases[] = {
        {"DDD----", "min_total_minutes", 0},
        {"DD-----", "min_total_minutes", 1},
        {"DDDDDD-", "max_total_minutes", 1},
        {"DLL----", "max_shifts", 1},
        {"DDD---D", "day_off", 1},
        {"-DDD---", "locked", 1},
        {"LDD----", "locked", 1},
    };
    expect_all(p, cases, sizeof(cases) / sizeof(cases[0]));
    waras_roster_score sc = score_row(p, "DDL----");
    assert_true(sc.feasible);
    assert_int_equal(sc.nviolations, 0);
    waras_roster_score_free(&sc);
    waras_roster_problem_free(p);
}

static void test_roster__soft_terms(void **state)
{
    waras_roster_problem *p = one_person(7, nolim);
    int b;
    assert_int_equal(waras_roster_add_employee(p, &b, "B"), 0);
    assert_int_equal(waras_roster_add_request(p, 0, 0, 0, 1, 3), 0); /* A wants D on day 0 */
    assert_int_equal(waras_roster_add_request(p, 1, 1, 0, 0, 2), 0); /* B does not want day 1 */
    assert_int_equal(waras_roster_set_cover(p, 0, 0, 2, 100, 1), 0);
    assert_int_equal(waras_roster_set_cover(p, 1, 0, 0, 100, 5), 0);
    assert_int_equal(waras_roster_set_fairness(p, 1, 480, 2), 0);
    int cells[14] = {OFF, OFF, OFF, OFF, OFF, OFF, OFF, 0, 0, OFF, OFF, OFF, OFF, OFF};
    waras_roster_score sc;
    assert_int_equal(waras_roster_score_compute(&sc, p, cells), 0);
    assert_int_equal(sc.cover_under, 100); /* one short on day 0 */
    assert_int_equal(sc.cover_over, 5);    /* one too many on day 1 */
    assert_int_equal(sc.requests, 3 + 2);
    assert_int_equal(sc.fairness, 480 * 2); /* B works 960, target 480 */
    assert_int_equal(sc.objective, 105 + 5 + 960);
    assert_true(sc.feasible);
    waras_roster_score_free(&sc);
    waras_roster_problem_free(p);
}

static const char *instance1_path(char *buf, size_t size)
{
    const char *f = __FILE__;
    const char *slash = strrchr(f, '/');
    int n = slash ? (int)(slash - f) : 1;
    snprintf(buf, size, "%.*s/../cli/roster_score_alloff/Instance1.txt", n, slash ? f : ".");
    return buf;
}

/* Loads instance 1, solves it twice with o into r1 and r2 and asserts that
 * both runs give the same roster; the caller frees the problem returned. */
static waras_roster_problem *solve_instance1_twice(waras_roster_result *r1,
                                                   waras_roster_result *r2,
                                                   const waras_roster_solve_opts *o)
{
    char path[1024];
    waras_roster_problem *p;
    assert_int_equal(waras_roster_load(&p, instance1_path(path, sizeof(path))), 0);
    assert_int_equal(waras_roster_solve(r1, p, o), 0);
    assert_int_equal(waras_roster_solve(r2, p, o), 0);
    assert_memory_equal(r1->cells, r2->cells, 8 * 14 * sizeof(int));
    return p;
}

static void test_roster__instance1_all_off(void **state)
{
    char path[1024];
    waras_roster_problem *p;
    assert_int_equal(waras_roster_load(&p, instance1_path(path, sizeof(path))), 0);
    assert_int_equal(waras_roster_ndays(p), 14);
    assert_int_equal(waras_roster_nemployees(p), 8);
    int *cells = calloc(8 * 14, sizeof(int));
    for (int i = 0; i < 8 * 14; i++)
        cells[i] = OFF;
    waras_roster_score sc;
    assert_int_equal(waras_roster_score_compute(&sc, p, cells), 0);
    assert_int_equal(sc.objective, 7137);
    assert_int_equal(sc.cover_under, 7100);
    assert_int_equal(sc.requests, 37);
    assert_false(sc.feasible);
    assert_int_equal(count_rule(&sc, "min_total_minutes"), 8);
    waras_roster_score_free(&sc);
    free(cells);
    waras_roster_problem_free(p);
}

static void test_roster__solve_instance1(void **state)
{
    waras_roster_solve_opts o = {.time_limit = 20, .seed = 3, .threads = 1,
                                 .max_iterations = 200000};
    waras_roster_result r1, r2;
    /* same seed, one thread, same budget: same roster */
    waras_roster_problem *p = solve_instance1_twice(&r1, &r2, &o);
    assert_true(r1.feasible);
    waras_roster_score sc;
    assert_int_equal(waras_roster_score_compute(&sc, p, r1.cells), 0);
    assert_int_equal(sc.objective, r1.objective);
    assert_true(sc.feasible);
    assert_true(r1.objective >= 607); /* the proven optimum */
    waras_roster_score_free(&sc);
    waras_roster_result_free(&r1);
    waras_roster_result_free(&r2);
    waras_roster_problem_free(p);
}

/* The work budget (iterations) instead of a time limit: column generation
 * and its dives run too, on the share of the budget used, and with one
 * thread and a fixed seed two runs give the same roster. No time limit is
 * set: the budget alone ends the run. */
static void test_roster__iterations_budget_repeats(void **state)
{
    waras_roster_solve_opts o = {.iterations = 1000000, .seed = 5, .threads = 1};
    waras_roster_result r1, r2, r3;
    waras_roster_problem *p = solve_instance1_twice(&r1, &r2, &o);
    assert_int_equal(r1.objective, r2.objective);
    assert_int_equal(r1.iterations, r2.iterations);
    assert_true(r1.feasible);
    assert_int_equal(r1.objective, 607); /* the proven optimum, every run */
    /* The moves are part of the budget, never more than it. */
    assert_true(r1.iterations > 0 && r1.iterations <= o.iterations);
    /* A smaller budget does less work. */
    o.iterations = 20000;
    assert_int_equal(waras_roster_solve(&r3, p, &o), 0);
    assert_true(r3.iterations < r1.iterations);
    waras_roster_result_free(&r1);
    waras_roster_result_free(&r2);
    waras_roster_result_free(&r3);
    waras_roster_problem_free(p);
}

/* A planner-style problem built in code: two shifts, a lock, fairness. */
static void test_roster__solve_built_in_code(void **state)
{
    waras_roster_problem *p;
    int day, night;
    assert_int_equal(waras_roster_problem_new(&p, 14), 0);
    assert_int_equal(waras_roster_add_shift(p, &day, "day", 720), 0);
    assert_int_equal(waras_roster_add_shift(p, &night, "night", 720), 0);
    assert_int_equal(waras_roster_forbid_sequence(p, night, day), 0);
    const char *names[] = {"ana", "budi", "citra", "dewi"};
    for (int i = 0; i < 4; i++) {
        int e;
        assert_int_equal(waras_roster_add_employee(p, &e, names[i]), 0);
        waras_roster_limits lim = {0, 720 * 9, 1, 4, 2, 1};
        assert_int_equal(waras_roster_set_limits(p, e, &lim), 0);
        assert_int_equal(waras_roster_set_fairness(p, e, 720 * 7, 1), 0);
    }
    assert_int_equal(waras_roster_lock(p, 2, 3, OFF), 0);
    assert_int_equal(waras_roster_set_day_off(p, 0, 0), 0);
    for (int d = 0; d < 14; d++) {
        assert_int_equal(waras_roster_set_cover(p, d, day, 1, 1000, 10), 0);
        assert_int_equal(waras_roster_set_cover(p, d, night, 1, 1000, 10), 0);
    }
    waras_roster_solve_opts o = {0};
    o.time_limit = 20;
    o.seed = 1;
    o.threads = 2;
    o.max_iterations = 100000;
    waras_roster_result r;
    assert_int_equal(waras_roster_solve(&r, p, &o), 0);
    waras_roster_score sc;
    assert_int_equal(waras_roster_score_compute(&sc, p, r.cells), 0);
    assert_int_equal(sc.feasible, r.feasible);
    assert_int_equal(sc.objective, r.objective);
    assert_true(r.feasible);
    assert_int_equal(r.cells[2 * 14 + 3], OFF);
    assert_int_equal(r.cells[0], OFF);
    char *tsv;
    size_t len;
    assert_int_equal(waras_roster_write_tsv(&tsv, &len, p, r.cells), 0);
    int *back;
    assert_int_equal(waras_roster_read_tsv(&back, p, tsv, len, "mem.tsv"), 0);
    assert_memory_equal(back, r.cells, 4 * 14 * sizeof(int));
    free(back);
    free(tsv);
    waras_roster_score_free(&sc);
    waras_roster_result_free(&r);
    waras_roster_problem_free(p);
}

static void parse_fails(const char *text, long line, const char *field, const char *words)
{
    waras_roster_problem *p = NULL;
    int rc = waras_roster_parse(&p, text, strlen(text), "x.txt");
    if (rc != WARAS_EPARSE)
        fail_msg("parse of <<%s>> gave %d, expected WARAS_EPARSE", text, rc);
    const waras_error *e = waras_error_last();
    assert_string_equal(e->file, "x.txt");
    assert_int_equal(e->line, line);
    if (field)
        assert_string_equal(e->field, field);
    if (!strstr(e->message, words))
        fail_msg("message '%s' lacks '%s'", e->message, words);
    assert_null(p);
}

static void test_roster__parse_errors(void **state)
{
    parse_fails("SECTION_SHIFTS\nD,480,\n", 2, NULL, "SECTION_HORIZON");
    parse_fails("SECTION_HORIZON\nseven\n", 2, "horizon", "integer");
    parse_fails("SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,4x0,\n", 5, "LengthMins", "4x0");
    parse_fails("SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,N\n", 5, "NotFollow", "unknown shift 'N'");
    parse_fails("SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\nD,480,\n", 6, "ShiftID", "twice");
    parse_fails("SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\n"
                "A,D=7,1,2,3,4,5\n",
                8, NULL, "expected 8 fields");
    parse_fails("SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\n"
                "A,X=7,4320,3360,5,2,2,1\n",
                8, "MaxShifts", "unknown shift 'X'");
    parse_fails("SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\n"
                "A,D=7,4320,-1,5,2,2,1\n",
                8, "MinTotalMinutes", "-1");
    parse_fails("SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\n"
                "A,D=7,4320,3360,5,2,2,1\n\nSECTION_DAYS_OFF\nA,7\n",
                11, "Day", "0..6");
    parse_fails("SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\n"
                "A,D=7,4320,3360,5,2,2,1\n\nSECTION_SHIFT_ON_REQUESTS\nB,1,D,1\n",
                11, "EmployeeID", "unknown employee 'B'");
    parse_fails("SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_COVER\n0,D,2,100\n", 8,
                NULL, "expected 5 fields");
    parse_fails("SECTION_HORIZON\n7\n\nSECTION_NURSES\n", 4, NULL, "unknown section");
    parse_fails("7\n", 1, NULL, "outside a SECTION");
    parse_fails("# nothing\n", 0, NULL, "no SECTION_HORIZON");
}

static void test_roster__parse_crlf_comments(void **state)
{
    const char *text = "# c\r\nSECTION_HORIZON\r\n# c\r\n7\r\n\r\nSECTION_SHIFTS\r\n"
                       "E,480,\r\nL,480,E\r\n\r\nSECTION_STAFF\r\nA,E=7|L=0,4320,0,5,1,1,1\r\n\r\n"
                       "SECTION_DAYS_OFF\r\nA,1,2\r\n\r\nSECTION_COVER\r\n0,E,1,100,1\r\n";
    waras_roster_problem *p;
    assert_int_equal(waras_roster_parse(&p, text, strlen(text), "crlf.txt"), 0);
    assert_int_equal(waras_roster_ndays(p), 7);
    assert_int_equal(waras_roster_nshifts(p), 2);
    assert_string_equal(waras_roster_shift_id(p, 1), "L");
    assert_int_equal(waras_roster_employee_index(p, "A"), 0);
    int cells[7] = {0, OFF, 0, OFF, OFF, OFF, OFF};
    waras_roster_score sc;
    assert_int_equal(waras_roster_score_compute(&sc, p, cells), 0);
    assert_int_equal(count_rule(&sc, "day_off"), 1);
    waras_roster_score_free(&sc);
    cells[0] = 1; /* L is capped at 0 for A */
    cells[2] = OFF;
    assert_int_equal(waras_roster_score_compute(&sc, p, cells), 0);
    assert_int_equal(count_rule(&sc, "max_shifts"), 1);
    waras_roster_score_free(&sc);
    waras_roster_problem_free(p);
}

static void test_roster__tsv_errors(void **state)
{
    waras_roster_problem *p = one_person(3, nolim);
    int *cells = NULL;
    const char *bad[] = {"A\tD\t-\n", "A\tD\tX\t-\n", "B\tD\tD\tD\n", "A\tD\tD\tD\nA\tD\tD\tD\n", ""};
    const char *field[] = {"cells", "day 1", "ID", "ID", "ID"};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(waras_roster_read_tsv(&cells, p, bad[i], strlen(bad[i]), "r.tsv"), WARAS_EPARSE);
        assert_string_equal(waras_error_last()->field, field[i]);
        assert_string_equal(waras_error_last()->file, "r.tsv");
    }
    const char *good = "A\tD\t-\tD\r\n";
    assert_int_equal(waras_roster_read_tsv(&cells, p, good, strlen(good), "r.tsv"), 0);
    assert_int_equal(cells[0], 0);
    assert_int_equal(cells[1], OFF);
    free(cells);
    waras_roster_problem_free(p);
}

static void test_roster__api_errors(void **state)
{
    waras_roster_problem *p;
    assert_int_equal(waras_roster_problem_new(&p, 0), WARAS_EINVAL);
    p = one_person(7, nolim);
    int i;
    assert_int_equal(waras_roster_add_shift(p, &i, "D", 480), WARAS_EEXISTS);
    assert_int_equal(waras_roster_add_shift(p, &i, "-", 480), WARAS_EINVAL);
    assert_int_equal(waras_roster_add_employee(p, &i, "A"), WARAS_EEXISTS);
    assert_int_equal(waras_roster_set_day_off(p, 0, 7), WARAS_EINVAL);
    assert_int_equal(waras_roster_lock(p, 1, 0, 0), WARAS_EINVAL);
    assert_int_equal(waras_roster_add_request(p, 0, 0, 5, 1, 1), WARAS_EINVAL);
    waras_roster_problem_free(p);
    waras_roster_problem_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roster__max_consecutive_edges),
        cmocka_unit_test(test_roster__min_consecutive_edges),
        cmocka_unit_test(test_roster__min_days_off_edges),
        cmocka_unit_test(test_roster__rotation_edges),
        cmocka_unit_test(test_roster__weekends),
        cmocka_unit_test(test_roster__counts_minutes_days_off_locks),
        cmocka_unit_test(test_roster__soft_terms),
        cmocka_unit_test(test_roster__instance1_all_off),
        cmocka_unit_test(test_roster__solve_instance1),
        cmocka_unit_test(test_roster__iterations_budget_repeats),
        cmocka_unit_test(test_roster__solve_built_in_code),
        cmocka_unit_test(test_roster__parse_errors),
        cmocka_unit_test(test_roster__parse_crlf_comments),
        cmocka_unit_test(test_roster__tsv_errors),
        cmocka_unit_test(test_roster__api_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
