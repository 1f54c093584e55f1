/*
 * The demo's git repository (see demo_git.h). Commits are planned
 * first (who, and when in their own local time), sorted by instant, then
 * written one by one with libgit2: each touches its author's file, a few go
 * to a short side branch that is merged after the next main commit. Objects
 * collect in memory and land as one pack (thousands of loose files would
 * cost more than the history itself). The random stream is splitmix64, so a
 * seed gives the same shas everywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "demo/demo_git.h"
#include "demo/rng.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/time.h"
#include "time/days.h"

typedef struct planned {
    waras_instant t;
    int offset; /* minutes east of UTC at t in the author's zone */
    int author;
    int alias; /* commits as <id>@laptop.local */
    long seq;  /* tie-break, for a stable order */
} planned;

static int cmp_planned(const void *a, const void *b)
{
    const planned *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* How many commits a person makes on a day, by load and weekday. Heavier
 * loads spill into evenings, nights and weekends. */
static int commits_on(rng *r, int load, int weekend)
{
    static const double weekend_p[] = {0.05, 0.30, 0.60};
    static const int lo[] = {0, 1, 2}, hi[] = {3, 5, 7};
    if (weekend)
        return rng_unit(r) < weekend_p[load] ? rng_int(r, 1, 1 + load) : 0;
    return rng_int(r, lo[load], hi[load]);
}

/* Local minute of a commit (may pass midnight: >= 1440 is the next day). */
static int commit_minute(rng *r, int load, int work_start, int weekend)
{
    static const double evening_p[] = {0.09, 0.25, 0.25}, night_p[] = {0.01, 0.10, 0.25};
    double u = rng_unit(r);
    if (u < night_p[load])
        return 22 * 60 + rng_int(r, 0, load == 2 ? 6 * 60 - 1 : 4 * 60 - 1);
    if (u < night_p[load] + evening_p[load] || weekend)
        return 18 * 60 + rng_int(r, 0, 4 * 60 - 1) - (weekend ? rng_int(r, 0, 8 * 60) : 0);
    return work_start + rng_int(r, 0, 9 * 60 - 1);
}

static const char *const verbs[] = {"Fix",      "Tune",  "Add", "Retry", "Document",
                                    "Speed up", "Guard", "Log", "Drop",  "Pin"};
static const char *const things[] = {"checkpoint upload", "NCCL timeout",        "eval sharding",
                                     "GPU health probe",  "dataloader prefetch", "alert routing",
                                     "batch scheduler",   "KV-cache eviction",   "tokenizer cache",
                                     "node drain script", "quota dashboard",     "rollout canary"};

typedef struct writer {
    git_repository *repo;
    const waras_demo_git_author *authors;
    const char *dir;
} writer;

static int fail(const writer *w, const char *what)
{
    const git_error *e = git_error_last();
    return waras_error_set(WARAS_ERROR, w->dir, 0, NULL, "%s: %s", what,
                           e && e->message ? e->message : "libgit2 error");
}

/* A tree: `base` (or empty) with `name` set to `blob`. */
static int tree_with(writer *w, const git_oid *base, const char *name, const git_oid *blob,
                     git_oid *out)
{
    git_tree *bt = NULL;
    git_treebuilder *tb = NULL;
    int rc = 0;
    if ((base && git_tree_lookup(&bt, w->repo, base) != 0) ||
        git_treebuilder_new(&tb, w->repo, bt) != 0 ||
        git_treebuilder_insert(NULL, tb, name, blob, GIT_FILEMODE_BLOB) != 0 ||
        git_treebuilder_write(out, tb) != 0)
        rc = fail(w, "cannot write a tree");
    git_treebuilder_free(tb);
    git_tree_free(bt);
    return rc;
}

static int commit_at(writer *w, const planned *p, const git_oid *tree_id, const char *msg,
                     const git_oid *parents, int nparents, git_oid *out)
{
    const waras_demo_git_author *a = &w->authors[p->author];
    char alias[160];
    git_signature *sig = NULL;
    git_tree *tree = NULL;
    git_commit *pc[2] = {NULL, NULL};
    int rc = 0;
    snprintf(alias, sizeof(alias), "%s@laptop.local", a->id);
    if (git_signature_new(&sig, a->name, p->alias ? alias : a->email, p->t, p->offset) != 0 ||
        git_tree_lookup(&tree, w->repo, tree_id) != 0) {
        rc = fail(w, "cannot prepare a commit");
        goto cleanup;
    }
    for (int i = 0; i < nparents; i++) {
        if (git_commit_lookup(&pc[i], w->repo, &parents[i]) != 0) {
            rc = fail(w, "cannot read a parent commit");
            goto cleanup;
        }
    }
    if (git_commit_create(out, w->repo, NULL, sig, sig, NULL, msg, tree, (size_t)nparents,
                          (const git_commit **)pc) != 0)
        rc = fail(w, "cannot write a commit");
cleanup:
    git_commit_free(pc[0]);
    git_commit_free(pc[1]);
    git_tree_free(tree);
    git_signature_free(sig);
    return rc;
}

static int blob_of(writer *w, const char *text, git_oid *out)
{
    if (git_blob_create_from_buffer(out, w->repo, text, strlen(text)) != 0)
        return fail(w, "cannot write a blob");
    return 0;
}

static int plan(const waras_demo_git_author *authors, size_t n, uint64_t seed, int64_t first_day,
                int64_t last_day, planned **out, size_t *nout)
{
    rng r = {seed ^ 0x6769742064656d6full};
    planned *v = NULL;
    size_t len = 0, cap = 0;
    int rc = 0;
    for (int64_t day = first_day; day <= last_day; day++) {
        int weekend = waras_time__weekday(day) >= 6;
        for (size_t a = 0; a < n; a++) {
            const waras_tz *tz;
            int load = authors[a].load < 0 ? 0 : authors[a].load > 2 ? 2 : authors[a].load;
            int start = authors[a].work_start > 0 ? authors[a].work_start : 9 * 60;
            if ((rc = waras_tz_get(&tz, authors[a].zone)))
                goto cleanup;
            int away = day >= authors[a].away_first && day <= authors[a].away_last;
            for (int k = away ? 0 : commits_on(&r, load, weekend); k > 0; k--) {
                int minute = commit_minute(&r, load, start, weekend);
                waras_civil c;
                waras_time__civil_from_days(&c.year, &c.month, &c.day, day + minute / 1440);
                c.hour = (minute % 1440) / 60;
                c.minute = minute % 60;
                c.second = rng_int(&r, 0, 59);
                if ((rc = waras_grow(&v, &cap, len, sizeof(*v), 1024)))
                    goto cleanup;
                planned *p = &v[len];
                p->t = waras_tz_to_utc(tz, &c);
                p->offset = waras_tz_offset(tz, p->t) / 60;
                p->author = (int)a;
                p->alias = a % 4 == 0 && rng_unit(&r) < 0.3;
                p->seq = (long)len++;
            }
        }
    }
    if (len)
        qsort(v, len, sizeof(*v), cmp_planned);
    *out = v;
    *nout = len;
    v = NULL;
cleanup:
    free(v);
    return rc;
}

int waras_demo_write_git(const char *dir, const waras_demo_git_author *authors, size_t n,
                         uint64_t seed, int64_t first_day, int64_t last_day,
                         waras_demo_git_summary *out)
{
    writer w = {NULL, authors, dir};
    planned *pl = NULL;
    size_t npl = 0;
    waras_buf mm, text;
    git_reference *ref = NULL;
    git_odb *odb = NULL;
    git_odb_backend *mempack = NULL;
    git_odb_writepack *wp = NULL;
    git_buf pack = {0};
    waras_demo_git_summary sum = {0};
    int rc = 0, inited = 0;
    waras_buf_init(&mm, 1 << 20);
    waras_buf_init(&text, 1 << 16);
    if (!n || last_day < first_day) {
        rc = waras_error_msg(WARAS_EINVAL, "demo repository: need authors and first_day <= "
                                           "last_day");
        goto cleanup;
    }
    if ((rc = plan(authors, n, seed, first_day, last_day, &pl, &npl)))
        goto cleanup;
    if (git_libgit2_init() < 0) {
        rc = fail(&w, "cannot start libgit2");
        goto cleanup;
    }
    inited = 1;
    if (git_repository_init(&w.repo, dir, 0) != 0) {
        rc = fail(&w, "cannot create the repository");
        goto cleanup;
    }
    if (git_repository_odb(&odb, w.repo) != 0 || git_mempack_new(&mempack) != 0 ||
        git_odb_add_backend(odb, mempack, 1000) != 0) {
        git_odb_backend *owned = mempack;
        mempack = NULL;
        if (owned && owned->free)
            owned->free(owned);
        rc = fail(&w, "cannot set up the object store");
        goto cleanup;
    }
    /* The root commit: a README and the .mailmap. */
    for (size_t a = 0; a < n && !rc; a += 4)
        rc = waras_buf_printf(&mm, "%s <%s> <%s@laptop.local>\n", authors[a].name, authors[a].email,
                              authors[a].id);
    if (rc)
        goto cleanup;
    git_oid blob, tree, main_tip, side_tip, side_blob;
    char side_file[96] = "";
    int side_open = 0, side_alias = 0;
    if ((rc =
             blob_of(&w, "# cluster-ops\n\nRunbooks and tools for the training fleet.\n", &blob)) ||
        (rc = tree_with(&w, NULL, "README.md", &blob, &tree)) ||
        (rc = blob_of(&w, mm.ptr, &blob)) || (rc = tree_with(&w, &tree, ".mailmap", &blob, &tree)))
        goto cleanup;
    planned root = {0};
    root.author = 0;
    root.t = npl ? pl[0].t - 3600 : waras_time__days_from_civil(2026, 1, 1) * 86400;
    {
        const waras_tz *tz;
        if ((rc = waras_tz_get(&tz, authors[0].zone)))
            goto cleanup;
        root.offset = waras_tz_offset(tz, root.t) / 60;
    }
    if ((rc =
             commit_at(&w, &root, &tree, "Start the cluster-ops repository\n", NULL, 0, &main_tip)))
        goto cleanup;
    sum.commits = 1;
    rng r = {seed ^ 0x6d6572676573ull};
    for (size_t i = 0; i < npl; i++) {
        const planned *p = &pl[i];
        const waras_demo_git_author *a = &authors[p->author];
        char msg[160], file[96];
        snprintf(msg, sizeof(msg), "%s %s\n", verbs[rng_int(&r, 0, 9)], things[rng_int(&r, 0, 11)]);
        snprintf(file, sizeof(file), "%s.md", a->id);
        waras_buf_reset(&text);
        if ((rc = waras_buf_printf(&text, "%s: change %zu, %s", a->id, i, msg)) ||
            (rc = blob_of(&w, text.ptr, &blob)))
            goto cleanup;
        int to_side = !side_open && rng_unit(&r) < 0.03;
        git_commit *parent = NULL;
        if (git_commit_lookup(&parent, w.repo, &main_tip) != 0) {
            rc = fail(&w, "cannot read the main branch");
            goto cleanup;
        }
        git_oid base = *git_commit_tree_id(parent);
        git_commit_free(parent);
        if ((rc = tree_with(&w, &base, file, &blob, &tree)))
            goto cleanup;
        git_oid made;
        if ((rc = commit_at(&w, p, &tree, msg, &main_tip, 1, &made)))
            goto cleanup;
        sum.commits++;
        sum.aliased += p->alias;
        if (to_side) {
            /* A topic branch off main; merged after the next main commit. */
            side_tip = made;
            side_blob = blob;
            waras_strlcpy(side_file, file, sizeof(side_file));
            side_open = (int)p->author + 1;
            side_alias = p->alias;
            continue;
        }
        main_tip = made;
        if (side_open) {
            planned mp = *p;
            const waras_tz *tz;
            mp.author = side_open - 1;
            mp.alias = 0;
            mp.t = p->t + 600;
            if ((rc = waras_tz_get(&tz, authors[mp.author].zone)))
                goto cleanup;
            mp.offset = waras_tz_offset(tz, mp.t) / 60;
            git_oid parents[2] = {main_tip, side_tip};
            snprintf(msg, sizeof(msg), "Merge branch 'topic/%s-%zu'\n", authors[mp.author].id, i);
            if ((rc = tree_with(&w, &tree, side_file, &side_blob, &tree)) ||
                (rc = commit_at(&w, &mp, &tree, msg, parents, 2, &main_tip)))
                goto cleanup;
            sum.commits++;
            sum.merges++;
            side_open = 0;
        }
    }
    /* A side branch still open at the end stays unmerged, off HEAD. */
    if (side_open) {
        sum.commits--;
        sum.aliased -= side_alias;
    }
    git_indexer_progress stats;
    if (git_mempack_dump(&pack, w.repo, mempack) != 0 ||
        git_odb_write_pack(&wp, odb, NULL, NULL) != 0 ||
        wp->append(wp, pack.ptr, pack.size, &stats) != 0 || wp->commit(wp, &stats) != 0) {
        rc = fail(&w, "cannot write the pack");
        goto cleanup;
    }
    if (git_reference_create(&ref, w.repo, "refs/heads/main", &main_tip, 1, "waras demo") != 0 ||
        git_repository_set_head(w.repo, "refs/heads/main") != 0) {
        rc = fail(&w, "cannot point main at the history");
        goto cleanup;
    }
    git_checkout_options co;
    if (git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION) != 0) {
        rc = fail(&w, "cannot check out the work tree");
        goto cleanup;
    }
    co.checkout_strategy = GIT_CHECKOUT_FORCE;
    if (git_checkout_head(w.repo, &co) != 0) {
        rc = fail(&w, "cannot check out the work tree");
        goto cleanup;
    }
    if (out)
        *out = sum;
cleanup:
    if (wp)
        wp->free(wp);
    git_buf_dispose(&pack);
    git_reference_free(ref);
    git_odb_free(odb); /* frees the mempack backend it owns */
    git_repository_free(w.repo);
    if (inited)
        git_libgit2_shutdown();
    waras_buf_free(&mm);
    waras_buf_free(&text);
    free(pl);
    return rc;
}
