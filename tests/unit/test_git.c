/*
 * Unit tests for the git ingest and the demo repository: a history written
 * with libgit2 across a DST change in six zones is ingested, and the
 * activity counts are checked against an independent count that walks the
 * same repository through libgit2's own signature parser and mailmap.
 * Re-ingesting reads only new commits; a plain directory is refused.
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
#include <sys/stat.h>

#include <git2.h>

#include "demo/demo_git.h"
#include "ingest/ingest_internal.h"
#include "waras/activity.h"
#include "waras/error.h"
#include "waras/ingest.h"
#include "waras/store.h"
#include "time/days.h"

static const waras_demo_git_author authors[] = {
    {"ayu", "Ayu Santoso", "ayu@users.noreply.example", "Asia/Jakarta", 9 * 60, 0, 0, -1},
    {"budi", "Budi Wijaya", "budi@users.noreply.example", "Europe/Berlin", 8 * 60, 2, 0, -1},
    {"cy", "Cy Lee", "cy@users.noreply.example", "America/Los_Angeles", 10 * 60, 1, 0, -1},
    {"dee", "Dee Murphy", "dee@users.noreply.example", "Europe/London", 0, 0, 0, -1},
    {"eka", "Eka Patel", "eka@users.noreply.example", "Asia/Kolkata", 9 * 60, 0, 0, -1},
    {"finn", "Finn Ramos", "finn@users.noreply.example", "Pacific/Chatham", 9 * 60, 1, 0, -1},
};
#define NAUTHORS (sizeof(authors) / sizeof(authors[0]))

typedef struct fixture {
    char dir[256], repo[300], db[300];
    waras_store *st;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/waras-test-git-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->repo, sizeof(f->repo), "%s/repo", f->dir);
    snprintf(f->db, sizeof(f->db), "%s/w.db", f->dir);
    if (waras_store_open(&f->st, f->db, WARAS_STORE_CREATE))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[400];
    waras_store_close(f->st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

typedef struct progress_seen {
    long calls, done, total;
} progress_seen;

static void on_progress(void *ctx, long done, long total)
{
    progress_seen *p = ctx;
    p->calls++;
    p->done = done;
    p->total = total;
}

/* The activity rows counted independently: libgit2's mailmapped author,
 * lower-cased e-mail, local time from the recorded offset. */
static size_t count_with_libgit2(const char *path, waras_activity_row *rows, size_t cap)
{
    git_repository *repo = NULL;
    git_revwalk *walk = NULL;
    git_mailmap *mm = NULL;
    git_oid id;
    size_t n = 0;
    git_libgit2_init();
    assert_int_equal(git_repository_open(&repo, path), 0);
    assert_int_equal(git_mailmap_from_repository(&mm, repo), 0);
    assert_int_equal(git_revwalk_new(&walk, repo), 0);
    assert_int_equal(git_revwalk_push_head(walk), 0);
    while (git_revwalk_next(&id, walk) == 0) {
        git_commit *c;
        git_signature *sig;
        assert_int_equal(git_commit_lookup(&c, repo, &id), 0);
        assert_int_equal(git_commit_author_with_mailmap(&sig, c, mm), 0);
        char key[64];
        snprintf(key, sizeof(key), "%s", sig->email);
        for (char *p = key; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        size_t i = 0;
        while (i < n && strcmp(rows[i].key, key) != 0)
            i++;
        if (i == n) {
            assert_true(n < cap);
            memset(&rows[n], 0, sizeof(rows[n]));
            snprintf(rows[n].key, sizeof(rows[n].key), "%s", key);
            n++;
        }
        waras_civil local;
        waras_epoch_to_civil(&local, sig->when.time + sig->when.offset * 60);
        waras_window w = waras_window_fixed(&local);
        rows[i].events++;
        rows[i].business += w == WARAS_WINDOW_BUSINESS;
        rows[i].off += w == WARAS_WINDOW_OFF;
        rows[i].sleep += w == WARAS_WINDOW_SLEEP;
        rows[i].weekend += waras_window_weekend(&local);
        git_signature_free(sig);
        git_commit_free(c);
    }
    git_revwalk_free(walk);
    git_mailmap_free(mm);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return n;
}

static void test_git__demo_counts_match_libgit2(void **state)
{
    fixture *f = *state;
    waras_demo_git_summary sum;
    /* Ten days across Europe's March DST change (the 29th), two weekends. */
    int64_t first = waras_time__days_from_civil(2026, 3, 21),
            last = waras_time__days_from_civil(2026, 3, 30);
    assert_int_equal(waras_demo_write_git(f->repo, authors, NAUTHORS, 7, first, last, &sum), 0);
    assert_true(sum.commits > 60);
    assert_true(sum.merges >= 1);
    assert_true(sum.aliased >= 1);

    progress_seen ps = {0};
    waras_ingest_git_opts o = {.create_people = 1, .progress = on_progress, .progress_ctx = &ps};
    waras_ingest_result r;
    assert_int_equal(waras_ingest_git(&r, f->st, f->repo, &o), 0);
    assert_int_equal(r.rows, sum.commits);
    assert_int_equal(r.added, sum.commits);
    assert_int_equal(r.skipped, 0);
    assert_true(ps.calls >= 1);
    assert_int_equal(ps.done, sum.commits);
    assert_int_equal(ps.total, sum.commits);

    waras_activity_opts ao = {.source = WARAS_ACTIVITY_GIT};
    waras_activity_row *rows = NULL, want[16];
    size_t n = 0;
    assert_int_equal(waras_activity_count(&rows, &n, f->st, &ao), 0);
    size_t nw = count_with_libgit2(f->repo, want, 16);
    /* The laptop identities are folded by .mailmap: one row per author. */
    assert_int_equal(n, NAUTHORS);
    assert_int_equal(nw, NAUTHORS);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < nw && strcmp(want[j].key, rows[i].key) != 0)
            j++;
        assert_true(j < nw);
        assert_int_equal(rows[i].events, want[j].events);
        assert_int_equal(rows[i].business, want[j].business);
        assert_int_equal(rows[i].off, want[j].off);
        assert_int_equal(rows[i].sleep, want[j].sleep);
        assert_int_equal(rows[i].weekend, want[j].weekend);
        if (i)
            assert_true(strcmp(rows[i - 1].key, rows[i].key) < 0);
    }
    /* The extreme author works nights; the normal ones mostly do not. */
    for (size_t i = 0; i < n; i++) {
        if (strncmp(rows[i].key, "budi@", 5) == 0)
            assert_true(rows[i].sleep * 10 > rows[i].events);
        if (strncmp(rows[i].key, "ayu@", 4) == 0)
            assert_true(rows[i].business * 2 > rows[i].events);
    }
    free(rows);
}

/* Adds n empty commits on top of HEAD, as `who`, an hour apart. */
static void add_commits(const char *path, int n, const char *who)
{
    git_repository *repo;
    git_oid head, id;
    git_libgit2_init();
    assert_int_equal(git_repository_open(&repo, path), 0);
    assert_int_equal(git_reference_name_to_id(&head, repo, "HEAD"), 0);
    for (int i = 0; i < n; i++) {
        git_commit *parent;
        git_tree *tree;
        git_signature *sig;
        assert_int_equal(git_commit_lookup(&parent, repo, &head), 0);
        assert_int_equal(git_commit_tree(&tree, parent), 0);
        assert_int_equal(git_signature_new(&sig, "New", who, 1800000000 + i * 3600, 330), 0);
        assert_int_equal(git_commit_create(&id, repo, "HEAD", sig, sig, NULL, "more\n", tree, 1,
                                           (const git_commit **)&parent),
                         0);
        git_signature_free(sig);
        git_tree_free(tree);
        git_commit_free(parent);
        head = id;
    }
    git_repository_free(repo);
    git_libgit2_shutdown();
}

static void test_git__reingest_reads_only_new_commits(void **state)
{
    fixture *f = *state;
    waras_demo_git_summary s1;
    int64_t first = waras_time__days_from_civil(2026, 10, 5),
            last = waras_time__days_from_civil(2026, 10, 8);
    waras_ingest_git_opts o = {.create_people = 1};
    waras_ingest_result r;
    assert_int_equal(waras_demo_write_git(f->repo, authors, NAUTHORS, 3, first, last, &s1), 0);
    assert_int_equal(waras_ingest_git(&r, f->st, f->repo, &o), 0);
    assert_int_equal(r.rows, s1.commits);
    assert_int_equal(waras_ingest_git(&r, f->st, f->repo, &o), 0);
    assert_int_equal(r.already, 1);
    add_commits(f->repo, 5, "new@lab.example");
    assert_int_equal(waras_ingest_git(&r, f->st, f->repo, &o), 0);
    assert_int_equal(r.rows, 5);
    assert_int_equal(r.added, 5);
    long events = 0;
    assert_int_equal(waras_store_count(&events, f->st, "events"), 0);
    assert_int_equal(events, s1.commits + 5);
    /* Without --create-people an unknown author is skipped and named, and
     * the tips are not marked: the next run, with an identity, sees them. */
    add_commits(f->repo, 2, "later@lab.example");
    o.create_people = 0;
    assert_int_equal(waras_ingest_git(&r, f->st, f->repo, &o), 0);
    assert_int_equal(r.rows, 2);
    assert_int_equal(r.skipped, 2);
    assert_non_null(strstr(r.note, "New <later@lab.example> (2)"));
    assert_int_equal(waras_store_identity_put(f->st, "new@lab.example", "git", "later@lab.example"),
                     0);
    assert_int_equal(waras_ingest_git(&r, f->st, f->repo, &o), 0);
    assert_int_equal(r.rows, 2);
    assert_int_equal(r.skipped, 0);
    assert_int_equal(waras_store_count(&events, f->st, "events"), 0);
    assert_int_equal(events, s1.commits + 7);
}

static void test_git__not_a_repository(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    char plain[320];
    snprintf(plain, sizeof(plain), "%s/plain", f->dir);
    assert_int_equal(mkdir(plain, 0755), 0);
    assert_int_equal(waras_ingest_git(&r, f->st, plain, NULL), WARAS_ENOTFOUND);
    assert_non_null(strstr(waras_error_last()->message, "not a git repository"));
    assert_string_equal(waras_error_last()->file, plain);
}

static void test_git__demo_is_deterministic(void **state)
{
    fixture *f = *state;
    char other[320];
    snprintf(other, sizeof(other), "%s/other", f->dir);
    int64_t first = waras_time__days_from_civil(2026, 6, 1),
            last = waras_time__days_from_civil(2026, 6, 3);
    assert_int_equal(waras_demo_write_git(f->repo, authors, 3, 11, first, last, NULL), 0);
    assert_int_equal(waras_demo_write_git(other, authors, 3, 11, first, last, NULL), 0);
    git_repository *a, *b;
    git_oid ha, hb;
    git_libgit2_init();
    assert_int_equal(git_repository_open(&a, f->repo), 0);
    assert_int_equal(git_repository_open(&b, other), 0);
    assert_int_equal(git_reference_name_to_id(&ha, a, "HEAD"), 0);
    assert_int_equal(git_reference_name_to_id(&hb, b, "HEAD"), 0);
    assert_true(git_oid_equal(&ha, &hb));
    git_repository_free(a);
    git_repository_free(b);
    git_libgit2_shutdown();
}

/* The ingest writes in a bulk transaction, where the store itself checks
 * that an event's person and source exist: a dangling one is refused, and
 * the rollback leaves nothing behind. */
static void test_git__bulk_transaction_checks_references(void **state)
{
    fixture *f = *state;
    waras_person p = {.id = "ana", .timezone = "UTC", .work_days = 0x1f};
    int64_t source = 0;
    int changed = 0;
    long n = -1;
    assert_int_equal(waras_store_person_put(f->st, &p), 0);
    assert_int_equal(waras_store_begin_bulk(f->st), 0);
    assert_int_equal(waras_store_source_add(&source, f->st, "git", "/r", "k1"), 0);
    waras_event ev = {.person = "ana", .kind = "commit", .start = 10, .end = 10,
                      .source = source, .source_kind = "git", .source_key = "abc"};
    assert_int_equal(waras_store_event_put(&changed, f->st, &ev), 0);
    assert_int_equal(changed, 1);
    ev.person = "nobody";
    ev.source_key = "def";
    assert_int_equal(waras_store_event_put(&changed, f->st, &ev), WARAS_ESTORE);
    assert_non_null(strstr(waras_error_last()->message, "FOREIGN KEY"));
    ev.person = "ana";
    ev.source = source + 100;
    assert_int_equal(waras_store_event_put(&changed, f->st, &ev), WARAS_ESTORE);
    assert_int_equal(waras_store_identity_put(f->st, "nobody", "git", "x@y"), WARAS_ESTORE);
    waras_store_rollback(f->st);
    assert_int_equal(waras_store_count(&n, f->st, "events"), 0);
    assert_int_equal(n, 0);
    /* Outside a bulk transaction SQLite checks again. */
    ev.person = "nobody";
    ev.source = 0;
    assert_int_equal(waras_store_event_put(&changed, f->st, &ev), WARAS_ESTORE);
    assert_int_equal(waras_store_count(&n, f->st, "events"), 0);
    assert_int_equal(n, 0);
}

/* Maps "Name <email>" through mm into out as "Name <email>", or "-" when
 * the map leaves it alone. */
static void mm_map(const waras_mailmap *mm, const char *name, const char *email, char *out,
                   size_t size)
{
    size_t nl = strlen(name), el = strlen(email);
    if (!waras_mailmap__resolve(mm, &name, &nl, &email, &el)) {
        snprintf(out, size, "-");
        return;
    }
    snprintf(out, size, "%.*s <%.*s>", (int)nl, name, (int)el, email);
}

/* How one name and e-mail should come out of a mailmap ("-": unmapped). */
typedef struct mm_case {
    const char *name, *email, *want;
} mm_case;

/* Loads len bytes of text as a mailmap (from_file: read as a file is, else
 * as a blob) and asserts each of the n cases; the caller frees the map. */
static waras_mailmap *mm_check(const char *text, size_t len, int from_file, const mm_case *c,
                               size_t n)
{
    waras_mailmap *mm;
    char got[2048];
    assert_int_equal(waras_mailmap__new(&mm), 0);
    assert_int_equal(waras_mailmap__add_buffer(mm, text, len, from_file), 0);
    for (size_t i = 0; i < n; i++) {
        mm_map(mm, c[i].name, c[i].email, got, sizeof(got));
        assert_string_equal(got, c[i].want);
    }
    return mm;
}

#define MM_N(cases) (sizeof(cases) / sizeof(cases[0]))

static void test_git__mailmap_as_git(void **state)
{
    (void)state;
    waras_mailmap *mm;
    char got[2048];
    static const char text[] =
        "# comment <c@x>\n"
        "\n"
        "Proper One <ONE@x>\n"                        /* form 1 */
        "<two@NEW> <Two@Old>\n"                       /* form 2 */
        "Three <three@new> <three@old>\n"             /* form 3 */
        "Four <four@new> four <shared@x>\n"           /* form 4 */
        "Fife <fife@new> FIVE <SHARED@x>\n"
        "Five <five@new> five <shared@x>\n"           /* replaces Fife whole */
        "Simple <simple@x> <shared@x>\n"
        "<one@renamed> <one@x>\n"                     /* keeps Proper One */
        "  Spaced  Name   <s@x>\n"
        "Nobody <>\n"                                 /* empty proper e-mail: nothing */
        "Empty <empty@x> <>\n";
    static const mm_case forms[] = {
        {"one", "one@X", "Proper One <one@renamed>"},
        {"Two", "TWO@old", "Two <two@NEW>"},
        {"3", "three@old", "Three <three@new>"},
        {"FOUR", "shared@x", "Four <four@new>"},
        {"Five", "Shared@X", "Five <five@new>"},
        {"Someone", "shared@x", "Simple <simple@x>"},
        {"x", "s@x", "Spaced  Name <s@x>"},
        {"c", "c@x", "-"},
        {"A", "", "Empty <empty@x>"},
        {"unknown", "unknown@x", "-"},
    };
    waras_mailmap__free(mm_check(text, sizeof(text) - 1, 1, forms, MM_N(forms)));

    /* Only complex entries for an address: other names stay as they are. */
    static const char only[] = "P <p@x> Pat <q@x>";
    static const mm_case only_cases[] = {{"Quinn", "q@x", "-"}, {"PAT", "q@x", "P <p@x>"}};
    waras_mailmap__free(mm_check(only, sizeof(only) - 1, 0, only_cases, MM_N(only_cases)));

    /* A file's line of 1,024 bytes or more is read in pieces of 1,023 (as
     * git's fgets() does); a NUL ends a file's line but a whole blob. */
    char longline[1200];
    memset(longline, 'x', sizeof(longline));
    memcpy(longline, "Long ", 5);
    memcpy(longline + 1018, " <long@x> <b@x>\nB2 <b2@x> <b@x>", 31);
    static const mm_case long_cases[] = {{"b", "b@x", "B2 <b2@x>"}, {"b", "b@y", "-"}};
    waras_mailmap__free(mm_check(longline, 1049, 1, long_cases, MM_N(long_cases)));
    /* The piece after the cut is a line of its own: "g@x> <b@x>". */
    static const mm_case cut[] = {{"b", "b@x", "g@x> <b@x>"}};
    waras_mailmap__free(mm_check(longline, 1034, 1, cut, MM_N(cut)));
    mm = mm_check(longline, 1033, 0, NULL, 0);
    mm_map(mm, "b", "b@x", got, sizeof(got));
    assert_non_null(strstr(got, "<long@x>"));
    waras_mailmap__free(mm);
    static const char nul[] = "A1 <a1@x> <a@x>\0\nB1 <b1@x> <b@x>\n";
    static const mm_case nul_file[] = {{"b", "b@x", "B1 <b1@x>"}};
    waras_mailmap__free(mm_check(nul, sizeof(nul) - 1, 1, nul_file, MM_N(nul_file)));
    static const mm_case nul_blob[] = {{"b", "b@x", "-"}, {"a", "A@X", "A1 <a1@x>"}};
    mm = mm_check(nul, sizeof(nul) - 1, 0, nul_blob, MM_N(nul_blob));
    assert_int_equal(waras_mailmap__size(mm), 1);
    waras_mailmap__free(mm);
}

typedef struct seen_span {
    waras_instant first, last;
} seen_span;

/* Events stored several to a statement count and land as one at a time
 * would: new ones added, the same again unchanged, a changed one changed,
 * and a dangling person refused in a bulk transaction. */
static void test_git__events_put_many_as_one_by_one(void **state)
{
    fixture *f = *state;
    enum { N = 64 * 2 + 5 };
    waras_person p = {.id = "ana", .timezone = "UTC", .work_days = 0x1f};
    waras_event ev[N];
    char keys[N][16];
    int64_t source = 0;
    long changed = -1, n = 0;
    assert_int_equal(waras_store_person_put(f->st, &p), 0);
    assert_int_equal(waras_store_begin_bulk(f->st), 0);
    assert_int_equal(waras_store_source_add(&source, f->st, "git", "/r", "k1"), 0);
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%03d", i);
        ev[i] = (waras_event){.person = "ana", .kind = "commit", .start = 100 + i,
                              .end = 100 + i, .source = source, .source_kind = "git",
                              .source_key = keys[i], .has_utc_offset = i % 2,
                              .utc_offset = 3600, .attrs = i % 3 ? NULL : "{\"merge\":true}"};
    }
    assert_int_equal(waras_store_events_put(&changed, f->st, ev, N), 0);
    assert_int_equal(changed, N);
    assert_int_equal(waras_store_events_put(&changed, f->st, ev, N), 0);
    assert_int_equal(changed, 0);
    ev[3].start = 5;
    ev[70].attrs = "{}";
    ev[N - 1].utc_offset = 0;
    ev[N - 1].has_utc_offset = 1;
    assert_int_equal(waras_store_events_put(&changed, f->st, ev, N), 0);
    assert_int_equal(changed, 3);
    ev[10].person = "nobody";
    assert_int_equal(waras_store_events_put(&changed, f->st, ev, N), WARAS_ESTORE);
    assert_int_equal(waras_store_commit(f->st), 0);
    assert_int_equal(waras_store_count(&n, f->st, "events"), 0);
    assert_int_equal(n, N);
    seen_span sp = {0};
    assert_int_equal(waras_store_event_span(&sp.first, &sp.last, f->st), 0);
    assert_int_equal(sp.first, 5);
    assert_int_equal(sp.last, 100 + N - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_git__demo_counts_match_libgit2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_git__reingest_reads_only_new_commits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_git__not_a_repository, setup, teardown),
        cmocka_unit_test_setup_teardown(test_git__demo_is_deterministic, setup, teardown),
        cmocka_unit_test(test_git__mailmap_as_git),
        cmocka_unit_test_setup_teardown(test_git__events_put_many_as_one_by_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_git__bulk_transaction_checks_references, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
