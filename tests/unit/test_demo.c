/*
 * Unit tests of the demo generator: the same seed and dates give the same
 * bytes in every file and the same commits in the git repository, the
 * files the summary names are there with the counts it states,
 * the history stays inside the requested weeks, and another seed gives
 * another organisation. Six weeks of history keep it fast; the red list
 * (the people the load risk rates high or critical) is checked against
 * DIR/PLANTED.md on the full 26 weeks, for several seeds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "waras/demo.h"
#include "waras/ingest.h"
#include "waras/report.h"
#include "waras/store.h"
#include "waras/time.h"
#include "time/days.h"

#define WEEKS 6

typedef struct fixture {
    char a[64], b[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (!f || th_mkdtemp(f->a, sizeof(f->a), "demo-a") || th_mkdtemp(f->b, sizeof(f->b), "demo-b"))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    th_rmtree(f->a);
    th_rmtree(f->b);
    free(f);
    return 0;
}

static int64_t last_sunday(void)
{
    return waras_time__days_from_civil(2026, 11, 22);
}

static void generate(const char *dir, uint64_t seed, waras_demo_summary *s)
{
    waras_demo_opts o = {
        .dir = dir, .seed = seed, .weeks = WEEKS, .last_sunday = waras_time__date(last_sunday())};
    assert_int_equal(waras_demo_generate(s, &o), 0);
}

/* Repository files whose bytes are not the generator's to fix: the index
 * and reflogs record file times and the wall clock, and the pack's object
 * order (and so its name) is libgit2's. The commit id in refs/heads/main,
 * which is compared, pins every object's content. */
static int volatile_file(const char *rel)
{
    return strcmp(rel, "repo/.git/index") == 0 || strncmp(rel, "repo/.git/logs", 14) == 0 ||
           strncmp(rel, "repo/.git/objects/pack", 22) == 0;
}

/* Compares every regular file under a/rel with its twin under b/rel;
 * returns the number of files compared, and fails on the first mismatch. */
static int compare_tree(const char *a, const char *b, const char *rel)
{
    char pa[4096], pb[4096];
    snprintf(pa, sizeof(pa), "%s%s%s", a, *rel ? "/" : "", rel);
    snprintf(pb, sizeof(pb), "%s%s%s", b, *rel ? "/" : "", rel);
    struct stat sa, sb;
    if (volatile_file(rel))
        return 0;
    assert_int_equal(lstat(pa, &sa), 0);
    if (lstat(pb, &sb) != 0)
        fail_msg("%s is missing from the second run", rel);
    if (S_ISDIR(sa.st_mode)) {
        assert_true(S_ISDIR(sb.st_mode));
        int n = 0, entries_a = 0, entries_b = 0;
        DIR *d = opendir(pa);
        struct dirent *e;
        assert_non_null(d);
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[2048];
            snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
            entries_a++;
            n += compare_tree(a, b, sub);
        }
        closedir(d);
        /* No extra files in the second run. */
        d = opendir(pb);
        assert_non_null(d);
        while ((e = readdir(d)))
            entries_b += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
        closedir(d);
        if (entries_a != entries_b)
            fail_msg("%s: %d entries, then %d", *rel ? rel : ".", entries_a, entries_b);
        return n;
    }
    if (!S_ISREG(sa.st_mode))
        return 0;
    size_t la = 0, lb = 0;
    char *da = th_read(pa, &la), *db = th_read(pb, &lb);
    assert_non_null(da);
    assert_non_null(db);
    if (la != lb || memcmp(da, db, la) != 0)
        fail_msg("%s differs between two runs with the same seed", rel);
    free(da);
    free(db);
    return 1;
}

static void test_demo__same_seed_same_bytes(void **state)
{
    fixture *f = *state;
    waras_demo_summary s1, s2;
    generate(f->a, 2026, &s1);
    generate(f->b, 2026, &s2);
    int files = compare_tree(f->a, f->b, "");
    /* people, timesheets, leave (2), milestones, calendars, PagerDuty and
     * on-call files, and the repository: well over 26 calendars. */
    assert_true(files > s1.calendars + 5);
    assert_int_equal(s1.people, s2.people);
    assert_int_equal(s1.timesheet_rows, s2.timesheet_rows);
    assert_int_equal(s1.leave_rows, s2.leave_rows);
    assert_int_equal(s1.commits, s2.commits);
    assert_int_equal(s1.incidents, s2.incidents);
    assert_int_equal(s1.notifications, s2.notifications);
    assert_int_equal(s1.shifts, s2.shifts);
    assert_int_equal(waras_date_cmp(s1.launch_day, s2.launch_day), 0);
}

static void test_demo__different_seed_differs(void **state)
{
    fixture *f = *state;
    waras_demo_summary s1, s2;
    generate(f->a, 7, &s1);
    generate(f->b, 8, &s2);
    size_t l1 = 0, l2 = 0;
    char *t1 = th_read(s1.timesheet_csv, &l1), *t2 = th_read(s2.timesheet_csv, &l2);
    assert_non_null(t1);
    assert_non_null(t2);
    assert_false(l1 == l2 && memcmp(t1, t2, l1) == 0);
    free(t1);
    free(t2);
    char p1[600], p2[600];
    th_path(p1, sizeof(p1), f->a, "repo/.git/refs/heads/main");
    th_path(p2, sizeof(p2), f->b, "repo/.git/refs/heads/main");
    t1 = th_read(p1, NULL);
    t2 = th_read(p2, NULL);
    assert_non_null(t1);
    assert_non_null(t2);
    assert_string_not_equal(t1, t2);
    free(t1);
    free(t2);
}

static long data_lines(const char *path)
{
    char *t = th_read(path, NULL);
    long n = 0;
    assert_non_null(t);
    for (char *p = strchr(t, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
        n++;
    free(t);
    return n;
}

static long occurrences(const char *path, const char *needle)
{
    char *t = th_read(path, NULL);
    long n = 0;
    assert_non_null(t);
    for (char *p = strstr(t, needle); p; p = strstr(p + 1, needle))
        n++;
    free(t);
    return n;
}

static void assert_file_in(const char *dir, const char *path)
{
    struct stat sb;
    if (strncmp(path, dir, strlen(dir)) != 0)
        fail_msg("%s is outside %s", path, dir);
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0)
        fail_msg("%s is missing or empty", path);
}

static void test_demo__writes_the_files_it_names(void **state)
{
    fixture *f = *state;
    waras_demo_summary s;
    generate(f->a, 11, &s);
    assert_file_in(f->a, s.people_csv);
    assert_file_in(f->a, s.timesheet_csv);
    assert_file_in(f->a, s.leave_csv);
    assert_file_in(f->a, s.leave_ics);
    assert_file_in(f->a, s.milestones_ics);
    assert_file_in(f->a, s.pd_log_entries);
    assert_file_in(f->a, s.pd_incidents);
    assert_file_in(f->a, s.oncall_ics);
    assert_true(s.npd_schedules >= 1 && s.npd_schedules <= 3);
    for (int k = 0; k < s.npd_schedules; k++)
        assert_file_in(f->a, s.pd_schedules[k]);
    char head[4200];
    snprintf(head, sizeof(head), "%s/.git/HEAD", s.repo);
    assert_file_in(f->a, head);

    /* The counts the summary states match the files. */
    assert_int_equal(data_lines(s.people_csv), s.people);
    assert_int_equal(data_lines(s.timesheet_csv), s.timesheet_rows);
    assert_int_equal(data_lines(s.leave_csv) + occurrences(s.leave_ics, "BEGIN:VEVENT"),
                     s.leave_rows);
    int calendars = 0;
    DIR *d = opendir(s.calendars_dir);
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".ics") == 0)
            calendars++;
    }
    closedir(d);
    assert_int_equal(calendars, s.calendars);
    assert_true(s.people > 0 && s.teams > 0 && s.commits > 0 && s.incidents > 0);
    assert_int_equal(waras_time__days(s.launch_day), last_sunday() - 2);

    /* The files are what the ordinary adapters read. */
    waras_store *st;
    waras_ingest_result r;
    assert_int_equal(th_store(&st, f->b), 0);
    assert_int_equal(waras_ingest_people(&r, st, s.people_csv), 0);
    assert_int_equal(r.rows, s.people);
    assert_int_equal(waras_ingest_timesheet(&r, st, s.timesheet_csv), 0);
    assert_int_equal(r.rows, s.timesheet_rows);
    waras_store_close(st);
}

/* The planted overloads are written down, and the holidays of each site
 * reach exactly that site's people through the ordinary adapter. */
static void test_demo__planted_and_holidays(void **state)
{
    fixture *f = *state;
    waras_demo_summary s;
    generate(f->a, 11, &s);
    assert_file_in(f->a, s.planted_md);
    char *pm = th_read(s.planted_md, NULL);
    assert_non_null(pm);
    assert_non_null(strstr(pm, "| budi | training-infra | long_weeks |"));
    assert_non_null(strstr(pm, "| katrin | inference | long_weeks |"));
    free(pm);
    assert_int_equal(s.nholidays, 3);
    waras_store *st;
    waras_ingest_result r;
    assert_int_equal(th_store(&st, f->b), 0);
    assert_int_equal(waras_ingest_people(&r, st, s.people_csv), 0);
    long before = 0, after = 0;
    for (int k = 0; k < s.nholidays; k++) {
        assert_file_in(f->a, s.holidays_ics[k]);
        waras_holiday_scope sc = {.site = s.holidays_site[k]};
        assert_int_equal(waras_store_count(&before, st, "events"), 0);
        assert_int_equal(waras_ingest_holidays(&r, st, s.holidays_ics[k], &sc), 0);
        assert_int_equal(waras_store_count(&after, st, "events"), 0);
        assert_true(r.rows > 0);
        assert_int_equal(after - before, r.added);
        /* The same file for the same site again adds nothing. */
        assert_int_equal(waras_ingest_holidays(&r, st, s.holidays_ics[k], &sc), 0);
        assert_int_equal(r.already, 1);
    }
    /* The Pacific people's site is San Francisco, and 2026-12-25 is a
     * holiday everywhere the demo has holidays. */
    char *csv = th_read(s.people_csv, NULL);
    assert_non_null(strstr(csv, "America/Los_Angeles,Mon-Fri"));
    assert_non_null(strstr(csv, ",san-francisco,"));
    free(csv);
    for (int k = 0; k < s.nholidays; k++) {
        char *ics = th_read(s.holidays_ics[k], NULL);
        assert_non_null(strstr(ics, "DTSTART;VALUE=DATE:20261225"));
        free(ics);
    }
    waras_store_close(st);
}

/* Every timesheet date lies in the WEEKS weeks that end on last_sunday. */
static void test_demo__history_inside_requested_weeks(void **state)
{
    fixture *f = *state;
    waras_demo_summary s;
    generate(f->a, 3, &s);
    char *t = th_read(s.timesheet_csv, NULL);
    assert_non_null(t);
    int64_t first = last_sunday() - 7 * WEEKS + 1, lo = INT64_MAX, hi = INT64_MIN;
    long rows = 0;
    for (char *line = strchr(t, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        const char *comma = strchr(line + 1, ',');
        waras_date date;
        char text[11];
        assert_non_null(comma);
        snprintf(text, sizeof(text), "%s", comma + 1);
        assert_int_equal(waras_date_parse(&date, text), 0);
        int64_t day = waras_time__days(date);
        lo = day < lo ? day : lo;
        hi = day > hi ? day : hi;
        rows++;
    }
    free(t);
    assert_int_equal(rows, s.timesheet_rows);
    assert_true(lo >= first);
    assert_true(hi <= last_sunday());
    /* Six weeks of work: the first and last working weeks both have rows. */
    assert_true(lo < first + 7);
    assert_true(hi > last_sunday() - 7);
}

/* The people and signals of PLANTED.md's table: "person signal\n" lines. */
static void planted_rows(char *out, size_t size, const char *md)
{
    char *text = th_read(md, NULL);
    assert_non_null(text);
    out[0] = '\0';
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char who[64], team[64], sig[64];
        if (sscanf(line, "| %63[^ |] | %63[^ |] | %63[^ |] |", who, team, sig) == 3 &&
            strcmp(who, "person") != 0 && strcmp(who, "---") != 0) {
            size_t len = strlen(out);
            snprintf(out + len, size - len, "%s %s\n", who, sig);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
}

static int listed(const char *rows, const char *who, const char *sig)
{
    char want[160];
    snprintf(want, sizeof(want), "%s %s\n", who, sig ? sig : "");
    for (const char *p = rows; (p = strstr(p, sig ? want : who)); p++)
        if ((p == rows || p[-1] == '\n') && (sig || p[strlen(who)] == ' '))
            return 1;
    return 0;
}

/* One seed's organisation, 26 weeks to 2026-11-22, ingested through the
 * ordinary adapters as `waras demo` ingests it; the load risk of the last
 * four weeks rates exactly the people PLANTED.md lists high or critical,
 * each at least 50 on every signal listed for them. */
static void check_red_list(const char *dir, uint64_t seed)
{
    char sub[128];
    snprintf(sub, sizeof(sub), "%s/seed%llu", dir, (unsigned long long)seed);
    assert_int_equal(mkdir(sub, 0755), 0);
    waras_demo_summary s;
    waras_demo_opts o = {
        .dir = sub, .seed = seed, .weeks = 26, .last_sunday = waras_time__date(last_sunday())};
    assert_int_equal(waras_demo_generate(&s, &o), 0);
    waras_store *st;
    waras_ingest_result r;
    assert_int_equal(th_store(&st, sub), 0);
    assert_int_equal(waras_ingest_people(&r, st, s.people_csv), 0);
    char *people = th_read(s.people_csv, NULL);
    assert_non_null(people);
    waras_ingest_ics_opts io = {.from = waras_time__date(last_sunday() - 7 * 26 + 1),
                                .to = waras_time__date(last_sunday() + 92)};
    for (char *line = strchr(people, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        char id[64], path[4200];
        assert_int_equal(sscanf(line + 1, "%63[^,]", id), 1);
        snprintf(path, sizeof(path), "%s/%s.ics", s.calendars_dir, id);
        io.person = id;
        assert_int_equal(waras_ingest_ics(&r, st, path, &io), 0);
    }
    free(people);
    assert_int_equal(waras_ingest_timesheet(&r, st, s.timesheet_csv), 0);
    assert_int_equal(waras_ingest_leave(&r, st, s.leave_csv, NULL), 0);
    assert_int_equal(waras_ingest_leave(&r, st, s.leave_ics, NULL), 0);
    for (int k = 0; k < s.nholidays; k++) {
        waras_holiday_scope sc = {.site = s.holidays_site[k]};
        assert_int_equal(waras_ingest_holidays(&r, st, s.holidays_ics[k], &sc), 0);
    }
    waras_ingest_git_opts go = {0};
    assert_int_equal(waras_ingest_git(&r, st, s.repo, &go), 0);
    assert_int_equal(waras_ingest_pagerduty(&r, st, s.pd_log_entries), 0);
    assert_int_equal(waras_ingest_pagerduty(&r, st, s.pd_incidents), 0);
    for (int k = 0; k < s.npd_schedules; k++)
        assert_int_equal(waras_ingest_pagerduty(&r, st, s.pd_schedules[k]), 0);
    assert_int_equal(waras_ingest_oncall_ics(&r, st, s.oncall_ics), 0);

    /* As `waras risk` shows it: the last four weeks, the risk at the end. */
    waras_report_opts ro = {.first_monday = waras_time__date(last_sunday() - 27),
                            .last_monday = waras_time__date(last_sunday() - 6)};
    waras_report *rep = NULL;
    assert_int_equal(waras_report_build(&rep, st, &ro), 0);
    char rows[4096];
    planted_rows(rows, sizeof(rows), s.planted_md);
    for (size_t i = 0; i < rep->npeople; i++) {
        const waras_report_person *rp = &rep->people[i];
        const waras_risk *k = &rp->risk[rep->nweeks - 1];
        int red = k->score >= 50;
        if (red != listed(rows, rp->person.id, NULL))
            fail_msg("seed %llu: %s is %s (%.1f) but %s in PLANTED.md",
                     (unsigned long long)seed, rp->person.id, k->level, k->score,
                     red ? "not listed" : "listed");
        for (int sig = 0; red && sig < WARAS_SIG_COUNT; sig++) {
            if (!listed(rows, rp->person.id, rep->policy.signals[sig].key))
                continue;
            double level = 0;
            for (int j = 0; j < k->nreasons; j++)
                if (k->reasons[j].signal == sig)
                    level = k->reasons[j].level;
            if (level < 50)
                fail_msg("seed %llu: %s listed for %s, at %.0f", (unsigned long long)seed,
                         rp->person.id, rep->policy.signals[sig].key, level);
        }
    }
    waras_report_free(rep);
    waras_store_close(st);
}

/* Under AddressSanitizer the ten seeds take minutes: three by default. */
#if defined(__SANITIZE_ADDRESS__)
#define DEMO_SEEDS 3
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DEMO_SEEDS 3
#endif
#endif
#ifndef DEMO_SEEDS
#define DEMO_SEEDS 10
#endif

/* Seeds 1 to 9 and the default 42: the generator's noise overloads nobody
 * it does not list, and what it lists is flagged. WARAS_DEMO_SEEDS=N
 * checks only the first N. */
static void test_demo__red_list_is_planted(void **state)
{
    fixture *f = *state;
    static const uint64_t seeds[] = {42, 2, 3, 9, 1, 4, 5, 6, 7, 8};
    size_t n = DEMO_SEEDS;
    const char *env = getenv("WARAS_DEMO_SEEDS");
    if (env && atoi(env) > 0 && (size_t)atoi(env) <= sizeof(seeds) / sizeof(seeds[0]))
        n = (size_t)atoi(env);
    for (size_t i = 0; i < n; i++)
        check_red_list(f->a, seeds[i]);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_demo__same_seed_same_bytes),
        T(test_demo__different_seed_differs),
        T(test_demo__writes_the_files_it_names),
        T(test_demo__history_inside_requested_weeks),
        T(test_demo__planted_and_holidays),
        T(test_demo__red_list_is_planted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
