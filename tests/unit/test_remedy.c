/*
 * From finding to remedy: which risk reasons call for which planner, the
 * level below which none is suggested, the command each carries (with the
 * store named when asked), and a planner that finds nothing giving a
 * suggestion without a command.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "waras/remedy.h"

static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(th_scratch), "remedy"))
        return -1;
    th_scratch *s = *state;
    const char *ids[] = {"ana", "bo", "cy", "dee", "eli", "fay"};
    for (size_t i = 0; i < 6; i++)
        if (th_person_put(s->st, ids[i], "q", "UTC", 0x1f, 9 * 60, 17 * 60))
            return -1;
    return 0;
}

static void reason(waras_risk *k, int signal, double level, const char *text)
{
    waras_risk_reason *r = &k->reasons[k->nreasons++];
    r->signal = signal;
    r->value = 1;
    r->level = level;
    r->points = level;
    strcpy(r->text, text);
}

static void test_remedy__reasons_to_planners(void **state)
{
    th_scratch *s = *state;
    waras_person p = th_person("ana", "q", "UTC", 0x1f, 9 * 60, 17 * 60);
    waras_risk k = {.score = 90, .level = "critical"};
    reason(&k, WARAS_SIG_SLEEP_INTERRUPTIONS, 100, "night pages");
    reason(&k, WARAS_SIG_LONG_WEEKS, 80, "long weeks");
    reason(&k, WARAS_SIG_STREAK, 70, "streak"); /* a second recovery reason: one remedy */
    reason(&k, WARAS_SIG_FOCUS, 40, "little focus"); /* under 50: none */
    reason(&k, WARAS_SIG_AFTER_HOURS, 100, "after hours"); /* no planner for it */
    waras_remedy_opts o = {.from = {2027, 1, 4}, .ends = {2027, 1, 3}, .db = "my store.db"};
    waras_remedy *list = NULL;
    size_t n = 0;
    assert_int_equal(waras_remedy_suggest(&list, &n, s->st, &p, &k, &o), 0);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].kind, WARAS_REMEDY_ONCALL);
    assert_string_equal(list[0].finding, "night pages");
    assert_string_equal(list[0].command, "waras --db 'my store.db' oncall plan --team q --from "
                                         "2027-01-04 --weeks 12 --iterations 200000 --seed 1");
    assert_int_equal(list[1].kind, WARAS_REMEDY_RECOVERY);
    assert_string_equal(list[1].finding, "long weeks");
    assert_non_null(strstr(list[1].command, " recovery plan --team q --project break-ana "
                                            "--ends 2027-01-03 --days 5 --person ana "));
    assert_non_null(strstr(list[1].text, "2027-01-04 to 2027-01-08"));
    /* The focus reason, strong enough now: the team's quiet week. */
    k.reasons[3].level = 60;
    o.db = NULL;
    assert_int_equal(waras_remedy_suggest(&list, &n, s->st, &p, &k, &o), 0);
    assert_int_equal(n, 5);
    assert_int_equal(list[4].kind, WARAS_REMEDY_QUIET);
    assert_string_equal(list[4].command, "waras quiet plan --team q --between 2027-01-04 "
                                         "2027-03-22 --iterations 50000 --seed 1");
    free(list);
}

/* A team of one cannot carry a 12-week rota under the 25 % cap: the
 * suggestion says so and carries no command. */
static void test_remedy__no_plan_no_command(void **state)
{
    th_scratch *s = *state;
    assert_int_equal(th_person_put(s->st, "solo", "alone", "UTC", 0x1f, 9 * 60, 17 * 60), 0);
    waras_person p = th_person("solo", "alone", "UTC", 0x1f, 9 * 60, 17 * 60);
    waras_risk k = {.score = 90, .level = "critical"};
    reason(&k, WARAS_SIG_SLEEP_INTERRUPTIONS, 100, "night pages");
    waras_remedy_opts o = {.from = {2027, 1, 4}, .ends = {2027, 1, 3}};
    waras_remedy *list = NULL;
    size_t n = 0;
    assert_int_equal(waras_remedy_suggest(&list, &n, s->st, &p, &k, &o), 0);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].command, "");
    assert_non_null(strstr(list[0].text, "no valid weekly rota"));
    free(list);
}

/* Nobody to plan with: a person of no team gets the finding and no command,
 * and the report does not fail. */
static void test_remedy__no_team(void **state)
{
    th_scratch *s = *state;
    waras_person p = th_person("ana", "", "UTC", 0x1f, 9 * 60, 17 * 60);
    waras_risk k = {.score = 90, .level = "critical"};
    reason(&k, WARAS_SIG_LONG_WEEKS, 100, "long weeks");
    waras_remedy_opts o = {.from = {2027, 1, 4}, .ends = {2027, 1, 3}};
    waras_remedy *list = NULL;
    size_t n = 0;
    assert_int_equal(waras_remedy_suggest(&list, &n, s->st, &p, &k, &o), 0);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].command, "");
    assert_string_equal(list[0].text, "no recovery plan: ana belongs to no team");
    free(list);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, th_scratch_teardown)
    const struct CMUnitTest tests[] = {
        T(test_remedy__reasons_to_planners),
        T(test_remedy__no_plan_no_command),
        T(test_remedy__no_team),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
