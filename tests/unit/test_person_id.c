/*
 * Unit tests for the length of person ids: a git author with a 200-byte
 * e-mail becomes a person keyed by the whole lower-cased e-mail (not a cut
 * or hashed one), and the activity count carries that key; a people.csv
 * row with a 200-byte id and a 200-byte e-mail is stored whole and found
 * through its identity; the longest id the cap allows is accepted, and one
 * byte more is refused with a message naming the id column and the limit.
 * A quiet-week plan keeps every one of many long-id invitees of a meeting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "helpers.h"
#include "waras/activity.h"
#include "waras/error.h"
#include "waras/ingest.h"
#include "waras/quiet.h"
#include "waras/store.h"
#include "time/days.h"

/* A mixed-case address of exactly len bytes: a 64-byte local part and a
 * domain of dot-separated labels (each under 64 bytes), as RFC 5321 has it. */
static void long_email(char *out, size_t size, size_t len)
{
    assert_true(len < size && len > 80);
    size_t n = 0;
    for (; n < 64; n++)
        out[n] = n == 0 ? 'L' : (char)('a' + n % 26);
    out[n++] = '@';
    size_t label = 0;
    while (n < len - 4) {
        if (label == 40) {
            out[n++] = '.';
            label = 0;
            continue;
        }
        out[n] = label == 0 ? 'D' : (char)('a' + (n * 7) % 26);
        n++;
        label++;
    }
    if (out[n - 1] == '.')
        out[n - 1] = 'x';
    memcpy(out + n, ".Org", 4);
    out[len] = '\0';
    assert_int_equal(strlen(out), len);
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* A repository at path with n empty commits by one author, an hour apart
 * on Thursday 2027-03-04 (UTC+2). */
static void make_repo(const char *path, const char *name, const char *email, int n)
{
    git_repository *repo = NULL;
    git_index *index = NULL;
    git_oid tree_id, id;
    git_tree *tree = NULL;
    git_libgit2_init();
    assert_int_equal(git_repository_init(&repo, path, 0), 0);
    assert_int_equal(git_repository_index(&index, repo), 0);
    assert_int_equal(git_index_write_tree(&tree_id, index), 0);
    assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
    git_commit *parent = NULL;
    for (int i = 0; i < n; i++) {
        git_signature *sig = NULL;
        /* 2027-03-04 08:00 UTC is 10:00 at +02:00: business hours. */
        assert_int_equal(git_signature_new(&sig, name, email, 1804147200 + i * 3600, 120), 0);
        const git_commit *parents[1] = {parent};
        assert_int_equal(git_commit_create(&id, repo, "HEAD", sig, sig, NULL, "work\n", tree,
                                           parent ? 1 : 0, parent ? parents : NULL),
                         0);
        git_signature_free(sig);
        git_commit_free(parent);
        assert_int_equal(git_commit_lookup(&parent, repo, &id), 0);
    }
    git_commit_free(parent);
    git_tree_free(tree);
    git_index_free(index);
    git_repository_free(repo);
    git_libgit2_shutdown();
}

static int setup(void **state)
{
    return th_scratch_setup(state, sizeof(th_scratch), "personid");
}

static int teardown(void **state)
{
    return th_scratch_teardown(state);
}

static void test_person_id__git_author_with_a_200_byte_email(void **state)
{
    th_scratch *s = *state;
    char email[256], id[256], repo[600];
    long_email(email, sizeof(email), 200);
    snprintf(id, sizeof(id), "%s", email);
    lower(id);
    assert_string_not_equal(id, email); /* the test means something only if case differs */
    th_path(repo, sizeof(repo), s->dir, "repo");
    make_repo(repo, "Long Address", email, 3);

    waras_ingest_git_opts o = {.create_people = 1};
    waras_ingest_result r = {0};
    assert_int_equal(waras_ingest_git(&r, s->st, repo, &o), 0);
    assert_int_equal(r.added, 3);

    waras_person *people = NULL;
    size_t n = 0;
    assert_int_equal(waras_store_people_list(&people, &n, s->st), 0);
    assert_int_equal(n, 1);
    assert_int_equal(strlen(people[0].id), 200);
    assert_string_equal(people[0].id, id);
    assert_string_equal(people[0].email, id);
    free(people);

    char found[WARAS_PERSON_ID_MAX];
    assert_int_equal(waras_store_identity_find(found, sizeof(found), s->st, "git", email), 0);
    assert_string_equal(found, id);

    waras_activity_opts ao = {.source = WARAS_ACTIVITY_GIT};
    waras_activity_row *rows = NULL;
    size_t nrows = 0;
    assert_int_equal(waras_activity_count(&rows, &nrows, s->st, &ao), 0);
    assert_int_equal(nrows, 1);
    assert_string_equal(rows[0].key, id);
    assert_int_equal(rows[0].events, 3);
    assert_int_equal(rows[0].business, 3);
    free(rows);

    /* A second ingest finds the same person again rather than a new one. */
    assert_int_equal(waras_ingest_git(&r, s->st, repo, &o), 0);
    assert_int_equal(th_count(s->st, "people"), 1);
}

/* Writes a one-person people.csv with this id and e-mail, and ingests it. */
static int ingest_person(th_scratch *s, const char *file, const char *id, const char *email)
{
    size_t len = strlen(id) + strlen(email) + 200;
    char *csv = malloc(len), path[600];
    assert_non_null(csv);
    snprintf(csv, len,
             "id,name,email,team,timezone,identities\n"
             "%s,Pat Long,%s,core,Europe/Berlin,pagerduty:PLONG\n",
             id, email);
    assert_int_equal(th_write(path, sizeof(path), s->dir, file, csv), 0);
    free(csv);
    waras_ingest_result r = {0};
    return waras_ingest_people(&r, s->st, path);
}

static void test_person_id__people_csv_with_a_200_byte_id(void **state)
{
    th_scratch *s = *state;
    char id[256], email[256], lowered[256], found[WARAS_PERSON_ID_MAX];
    memset(id, 'p', 200);
    memcpy(id, "pat.", 4);
    id[200] = '\0';
    long_email(email, sizeof(email), 200);
    assert_int_equal(ingest_person(s, "people.csv", id, email), 0);

    waras_person p;
    assert_int_equal(waras_store_person_get(&p, s->st, id), 0);
    assert_string_equal(p.id, id);
    snprintf(lowered, sizeof(lowered), "%s", email);
    lower(lowered);
    assert_string_equal(p.email, lowered);

    /* The 200-byte e-mail finds the 200-byte id, in any case. */
    assert_int_equal(waras_store_identity_find(found, sizeof(found), s->st, "email", email), 0);
    assert_string_equal(found, id);
    assert_int_equal(waras_store_identity_find(found, sizeof(found), s->st, "email", lowered), 0);
    assert_string_equal(found, id);
    assert_int_equal(waras_store_identity_find(found, sizeof(found), s->st, "pagerduty", "PLONG"),
                     0);
    assert_string_equal(found, id);

    /* A timesheet names the person by the long e-mail. */
    char path[600], sheet[600];
    snprintf(sheet, sizeof(sheet), "person,date,hours\n%s,2027-03-02,8\n", email);
    assert_int_equal(th_write(path, sizeof(path), s->dir, "ts.csv", sheet), 0);
    waras_ingest_result r = {0};
    assert_int_equal(waras_ingest_timesheet(&r, s->st, path), 0);
    assert_int_equal(r.added, 1);
}

static void test_person_id__the_cap_is_exact(void **state)
{
    th_scratch *s = *state;
    char id[WARAS_PERSON_ID_MAX + 2];
    /* The longest id: WARAS_PERSON_ID_MAX - 1 bytes. */
    memset(id, 'a', WARAS_PERSON_ID_MAX - 1);
    id[WARAS_PERSON_ID_MAX - 1] = '\0';
    assert_int_equal(ingest_person(s, "max.csv", id, "max@example.org"), 0);
    waras_person p;
    assert_int_equal(waras_store_person_get(&p, s->st, id), 0);
    assert_int_equal(strlen(p.id), WARAS_PERSON_ID_MAX - 1);

    /* One byte more is refused, naming the column and the limit. */
    memset(id, 'b', WARAS_PERSON_ID_MAX);
    id[WARAS_PERSON_ID_MAX] = '\0';
    assert_int_equal(ingest_person(s, "over.csv", id, "over@example.org"), WARAS_EPARSE);
    const waras_error *e = waras_error_last();
    assert_string_equal(e->field, "id");
    assert_int_equal(e->line, 2);
    char limit[64];
    snprintf(limit, sizeof(limit), "at most %d bytes", WARAS_PERSON_ID_MAX - 1);
    assert_non_null(strstr(e->message, limit));
    snprintf(limit, sizeof(limit), "is %d bytes long", WARAS_PERSON_ID_MAX);
    assert_non_null(strstr(e->message, limit));
    assert_int_equal(waras_store_person_get(&p, s->st, id), WARAS_ENOTFOUND);
    assert_int_equal(th_count(s->st, "people"), 1);
}

/* Twelve members with 300-byte ids share one internal meeting: the plan's
 * invitee list holds all twelve ids, and the cancellation calendar invites
 * all twelve. */
static void test_person_id__quiet_meeting_keeps_every_long_invitee(void **state)
{
    th_scratch *s = *state;
    enum { MEMBERS = 12 };
    char ids[MEMBERS][WARAS_PERSON_ID_MAX];
    waras_instant tue10 = (waras_time__days_from_civil(2027, 4, 20) * 86400) + 10 * 3600;
    for (int i = 0; i < MEMBERS; i++) {
        memset(ids[i], 'x', 300);
        snprintf(ids[i], 8, "m%02d.", i);
        ids[i][strlen(ids[i])] = 'x';
        ids[i][300] = '\0';
        waras_person p = th_person(ids[i], "q", "UTC", 0x1f, 9 * 60, 17 * 60);
        snprintf(p.email, sizeof(p.email), "m%02d@example.org", i);
        assert_int_equal(waras_store_person_put(s->st, &p), 0);
        waras_event ev = {.person = ids[i], .kind = "meeting", .status = "accepted",
                          .start = tue10, .end = tue10 + 3600, .source_kind = "ics",
                          .source_key = "sync@x|20270420T100000Z",
                          .attrs = "{\"summary\":\"Sync\"}"};
        int changed;
        assert_int_equal(waras_store_event_put(&changed, s->st, &ev), 0);
    }
    waras_quiet_plan plan;
    waras_date monday = {2027, 4, 19};
    waras_quiet_opts o = {.team = "q", .from_day = monday, .to_day = monday, .count = 1,
                          .budget = {.time_limit = 1}};
    assert_int_equal(waras_quiet_plan_make(&plan, s->st, &o), 0);
    assert_true(plan.feasible);
    assert_int_equal(plan.nmeetings, 1);
    const char *at = plan.meetings[0].people;
    for (int i = 0; i < MEMBERS; i++) {
        assert_memory_equal(at, ids[i], 300);
        at += 300;
        assert_int_equal(*at, i + 1 < MEMBERS ? ',' : '\0');
        at += *at == ',';
    }
    char *ics = NULL;
    size_t n = 0;
    assert_int_equal(waras_quiet_cancel_ics(&ics, &n, &plan), 0);
    assert_int_equal(n, 1);
    /* Unfold the long lines (CRLF and a space continue a line). */
    char *w = ics;
    for (const char *r = ics; *r; r++) {
        if (r[0] == '\r' && r[1] == '\n' && r[2] == ' ')
            r += 2;
        else
            *w++ = *r;
    }
    *w = '\0';
    for (int i = 0; i < MEMBERS; i++) {
        char mail[64];
        snprintf(mail, sizeof(mail), "mailto:m%02d@example.org", i);
        assert_non_null(strstr(ics, mail));
    }
    free(ics);
    waras_quiet_plan_free(&plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_person_id__git_author_with_a_200_byte_email, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_person_id__people_csv_with_a_200_byte_id, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_person_id__the_cap_is_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_id__quiet_meeting_keeps_every_long_invitee,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
