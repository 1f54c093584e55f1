/*
 * The demo's git repository: a seeded history written with libgit2, with
 * commits at realistic local times in each author's own zone (so their
 * recorded offsets follow DST), evenings, nights and weekends for the
 * overloaded, a .mailmap that folds a second identity of some authors into
 * their main one, and a few merges. The demo ingests it with
 * 'waras ingest git' like any other repository.
 */
#ifndef WARAS_DEMO_GIT_H
#define WARAS_DEMO_GIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct waras_demo_git_author {
    const char *id;    /* person id: names their file in the tree */
    const char *name;  /* display name, e.g. "Ayu Santoso" */
    const char *email; /* the address commits carry, e.g. "ayu@users.noreply.example" */
    const char *zone;  /* IANA zone, e.g. "Asia/Jakarta" */
    int work_start;    /* usual start, minutes after local midnight (0: 09:00) */
    int load;          /* 0 normal, 1 heavy, 2 extreme (as in the demo org) */
    int64_t away_first, away_last; /* days on leave (no commits), inclusive; none when last < first */
} waras_demo_git_author;

typedef struct waras_demo_git_summary {
    long commits; /* all commits reachable from HEAD, merges included */
    long merges;
    long aliased; /* commits under a second identity that .mailmap folds */
} waras_demo_git_summary;

/* Writes a repository with a work tree at dir (created when missing) whose
 * branch main holds commits from local day first_day to last_day inclusive
 * (day numbers, days since 1970-01-01). Every fourth author (index 0, 4, ...)
 * makes some commits as "<id>@laptop.local", which .mailmap maps back to
 * their email. Same authors, seed and days: same commits, byte for byte,
 * and writing into an existing demo repository replaces its history.
 * authors and the strings in them are only read during the call. Errors:
 * WARAS_EINVAL (no authors, bad days, unknown zone), WARAS_EIO / WARAS_ERROR
 * (libgit2 failed; the message says why). out may be NULL. */
int waras_demo_write_git(const char *dir, const waras_demo_git_author *authors, size_t n,
                         uint64_t seed, int64_t first_day, int64_t last_day,
                         waras_demo_git_summary *out);

#endif
