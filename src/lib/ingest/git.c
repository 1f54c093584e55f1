/*
 * Commits from a git repository, read through libgit2. One event per commit
 * reachable from HEAD (or from every ref): the author time and the author's
 * own UTC offset, the author mapped through .mailmap exactly as git does,
 * then to a person through identities. The whole repository is one
 * transaction. Re-ingesting reads only new commits: after a run in which
 * every author mapped to a person, the ref tips it walked are recorded as
 * markers, and the next walk hides them (and, through a hide callback, any
 * older tip it meets). The markers live in the sources table under their
 * own kinds, keyed by a hash of the repository, --since and the mailmap,
 * so a change to any of those walks the history again.
 */
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/ingest_internal.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/ingest.h"
#include "waras/time.h"

#define SOURCE_KIND "git"
#define TIP_KIND "git-tip"     /* a tip whose whole history is stored */
#define STATE_KIND "git-state" /* repository walked before; tip sets seen */
#define CREATED_TEAM "unassigned"
#define CREATED_ZONE "UTC"

typedef struct oid_vec {
    git_oid *v;
    size_t n, cap;
} oid_vec;

static int oid_push(oid_vec *o, const git_oid *id)
{
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 1024;
        git_oid *nv = realloc(o->v, cap * sizeof(*nv));
        if (!nv)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        o->v = nv;
        o->cap = cap;
    }
    git_oid_cpy(&o->v[o->n++], id);
    return 0;
}

/* Authors seen in this run, by raw "email\nname", so that the mailmap and
 * the identity lookups run once per author rather than once per commit. */
typedef struct author {
    char *key;
    char person[WARAS_PERSON_ID_MAX]; /* "" when unmapped */
    char who[96];    /* "Name <email>" after the mailmap, for the note */
    long skipped;    /* commits left out because nobody maps */
} author;

typedef struct author_map {
    author *slots;
    size_t cap, n;
} author_map;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static author *author_find(author_map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = fnv1a(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key)
            return NULL;
        if (strcmp(m->slots[i].key, key) == 0)
            return &m->slots[i];
    }
}

static int author_add(author_map *m, const char *key, author **out)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        author *ns = calloc(cap, sizeof(*ns));
        if (!ns)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key)
                continue;
            size_t j = fnv1a(m->slots[i].key) & (cap - 1);
            while (ns[j].key)
                j = (j + 1) & (cap - 1);
            ns[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = ns;
        m->cap = cap;
    }
    size_t i = fnv1a(key) & (m->cap - 1);
    while (m->slots[i].key)
        i = (i + 1) & (m->cap - 1);
    if (!(m->slots[i].key = waras_strdup(key)))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    m->n++;
    *out = &m->slots[i];
    return 0;
}

static void author_map_free(author_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
}

static int git_fail(const char *path, const char *what)
{
    const git_error *e = git_error_last();
    return waras_error_set(WARAS_ERROR, path, 0, NULL, "%s: %s", what,
                           e && e->message ? e->message : "libgit2 error");
}

/* Marker keys: sha256 of the walk's settings and what is marked. */
static void marker_key(char out[65], const char *base, const char *what)
{
    waras_buf b;
    waras_buf_init(&b, 1 << 20);
    if (waras_buf_printf(&b, "%s\n%s", base, what) == 0)
        waras_sha256_hex(out, b.ptr, b.len);
    else
        waras_sha256_hex(out, what, strlen(what));
    waras_buf_free(&b);
}

static void file_fingerprint(waras_buf *b, const char *path)
{
    struct stat sb;
    char *data = NULL, hex[65];
    size_t len = 0;
    if (!path || stat(path, &sb) != 0)
        return;
    if (waras_file_read(&data, &len, path) == 0) {
        waras_sha256_hex(hex, data, len);
        waras_buf_printf(b, "file %s\n", hex);
    }
    free(data);
    waras_error_clear();
}

/* What the mailmap is built from, in the order libgit2 (and git) read it:
 * the work tree's .mailmap, the mailmap.blob config (HEAD:.mailmap in a bare
 * repository), the mailmap.file config. A change to any of them changes
 * how old commits map, so it is part of the marker keys. */
static void mailmap_fingerprint(git_repository *repo, waras_buf *b)
{
    git_config *cfg = NULL;
    git_object *blob = NULL;
    git_buf val = {0};
    const char *wd = git_repository_workdir(repo);
    if (wd) {
        waras_buf p;
        waras_buf_init(&p, 1 << 16);
        if (waras_buf_printf(&p, "%s.mailmap", wd) == 0)
            file_fingerprint(b, p.ptr);
        waras_buf_free(&p);
    }
    if (git_repository_config_snapshot(&cfg, repo) == 0) {
        const char *spec = NULL;
        if (git_config_get_string_buf(&val, cfg, "mailmap.blob") == 0)
            spec = val.ptr;
        else if (git_repository_is_bare(repo))
            spec = "HEAD:.mailmap";
        if (spec && git_revparse_single(&blob, repo, spec) == 0) {
            char hex[GIT_OID_HEXSZ + 1];
            git_oid_tostr(hex, sizeof(hex), git_object_id(blob));
            waras_buf_printf(b, "blob %s\n", hex);
        }
        git_buf_dispose(&val);
        if (git_config_get_path(&val, cfg, "mailmap.file") == 0)
            file_fingerprint(b, val.ptr);
    }
    git_buf_dispose(&val);
    git_object_free(blob);
    git_config_free(cfg);
    git_error_clear();
}

static int add_tip(git_repository *repo, const git_oid *target, oid_vec *tips)
{
    git_object *obj = NULL, *peeled = NULL;
    int rc = 0;
    /* Refs to trees or blobs (rare tags) have no history: git log skips them too. */
    if (git_object_lookup(&obj, repo, target, GIT_OBJECT_ANY) == 0 &&
        git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
        const git_oid *id = git_object_id(peeled);
        int dup = 0;
        for (size_t i = 0; i < tips->n && !dup; i++)
            dup = git_oid_equal(&tips->v[i], id);
        if (!dup)
            rc = oid_push(tips, id);
    }
    git_object_free(peeled);
    git_object_free(obj);
    git_error_clear();
    return rc;
}

static int collect_tips(git_repository *repo, const char *path, int all_refs, oid_vec *tips)
{
    git_oid head;
    git_reference_iterator *it = NULL;
    git_reference *ref = NULL;
    int rc = 0, e;
    e = git_reference_name_to_id(&head, repo, "HEAD");
    if (e == 0) {
        if ((rc = add_tip(repo, &head, tips)))
            goto cleanup;
    } else if (e != GIT_ENOTFOUND && e != GIT_EUNBORNBRANCH) {
        rc = git_fail(path, "cannot read HEAD");
        goto cleanup;
    }
    git_error_clear();
    if (!all_refs)
        goto cleanup;
    if (git_reference_iterator_glob_new(&it, repo, "refs/*") != 0) {
        rc = git_fail(path, "cannot list refs");
        goto cleanup;
    }
    while ((e = git_reference_next(&ref, it)) == 0) {
        git_reference *res = NULL;
        if (git_reference_resolve(&res, ref) == 0 && git_reference_target(res))
            rc = add_tip(repo, git_reference_target(res), tips);
        git_reference_free(res);
        git_reference_free(ref);
        ref = NULL;
        if (rc)
            goto cleanup;
    }
    if (e != GIT_ITEROVER)
        rc = git_fail(path, "cannot list refs");
cleanup:
    git_error_clear();
    git_reference_iterator_free(it);
    return rc;
}

typedef struct hide_ctx {
    waras_store *st;
    const char *base;
    int failed;
} hide_ctx;

/* Hides a commit that was a tip of an earlier complete walk: its history is
 * stored already. Called for each commit the walk meets, so only on walks of
 * repositories that were walked before. */
static int hide_known(const git_oid *id, void *payload)
{
    hide_ctx *h = payload;
    char hex[GIT_OID_HEXSZ + 1], key[65];
    int seen = 0;
    git_oid_tostr(hex, sizeof(hex), id);
    marker_key(key, h->base, hex);
    if (waras_store_source_seen(h->st, TIP_KIND, key, &seen))
        h->failed = 1;
    return seen;
}

/* An id for a person created from an author: the lower-cased e-mail, or,
 * when that is too long for an id, its start and a hash of the whole. */
static int created_id(char *out, size_t size, const char *email)
{
    char lower[1024];
    if (!*email)
        return WARAS_EINVAL;
    waras_strlcpy(lower, email, sizeof(lower));
    waras_str_lower(lower);
    if (strlen(lower) < size) {
        waras_strlcpy(out, lower, size);
    } else {
        char hex[65];
        waras_sha256_hex(hex, lower, strlen(lower));
        snprintf(out, size, "%.*s~%.12s", (int)(size - 14), lower, hex);
    }
    return 0;
}

static int map_author(waras_store *st, git_mailmap *mm, const char *raw_name, const char *raw_email,
                      int create, author *a)
{
    const char *name = NULL, *email = NULL;
    char mname[256], memail[256];
    int rc = 0;
    if (git_mailmap_resolve(&name, &email, mm, raw_name, raw_email) != 0) {
        name = raw_name;
        email = raw_email;
    }
    waras_strlcpy(mname, name, sizeof(mname));
    waras_strlcpy(memail, email, sizeof(memail));
    git_error_clear();
    char who[520];
    snprintf(who, sizeof(who), "%s <%s>", mname, memail);
    waras_strlcpy(a->who, who, sizeof(a->who));
    a->person[0] = '\0';
    const char *tries[][2] = {{"git", memail},
                              {"email", memail},
                              {"git", mname},
                              {"git", raw_email},
                              {"email", raw_email}};
    for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
        if (!*tries[i][1])
            continue;
        rc = waras_store_identity_find(st, tries[i][0], tries[i][1], a->person, sizeof(a->person));
        if (rc == 0)
            return 0;
        if (rc != WARAS_ENOTFOUND)
            return rc;
    }
    rc = 0;
    waras_person p = {0};
    if (created_id(p.id, sizeof(p.id), memail) != 0)
        return 0; /* no e-mail: nothing to key a person by; counted as unmapped */
    if (waras_store_person_get(st, p.id, &p) == 0) {
        waras_strlcpy(a->person, p.id, sizeof(a->person));
    } else if (create) {
        waras_strlcpy(p.name, mname, sizeof(p.name));
        waras_strlcpy(p.email, memail, sizeof(p.email));
        waras_str_lower(p.email);
        waras_strlcpy(p.team, CREATED_TEAM, sizeof(p.team));
        waras_strlcpy(p.timezone, CREATED_ZONE, sizeof(p.timezone));
        p.work_days = 0x1f;
        p.work_start = 8 * 60;
        p.work_end = 18 * 60;
        if ((rc = waras_store_person_put(st, &p)) ||
            (rc = waras_store_identity_put(st, p.id, "git", memail)))
            return rc;
        waras_strlcpy(a->person, p.id, sizeof(a->person));
    }
    waras_error_clear();
    return rc;
}

/* The parts of a raw commit that matter here. */
typedef struct raw_commit {
    const char *name, *email; /* not terminated: see the lengths */
    size_t name_len, email_len;
    int64_t time;
    int offset; /* seconds east of UTC */
    unsigned parents;
} raw_commit;

/* Reads the author line the way git's own split_ident_line() does, so that
 * even a malformed identity yields what 'git log' shows: the name ends at
 * the first '<' (trailing blanks cut), the e-mail runs to the next '>', and
 * the date follows the last '>' as seconds and a +hhmm zone, read like
 * git's gm_time_t() (hh * 60 + mm minutes, whatever the digits). */
static void parse_author(const char *line, size_t len, raw_commit *rc)
{
    const char *end = line + len, *lt = memchr(line, '<', len), *gt, *p;
    if (!lt || !(gt = memchr(lt + 1, '>', (size_t)(end - lt - 1))))
        return;
    p = lt;
    while (p > line && (p[-1] == ' ' || p[-1] == '\t'))
        p--;
    rc->name = line;
    rc->name_len = (size_t)(p - line);
    rc->email = lt + 1;
    rc->email_len = (size_t)(gt - lt - 1);
    for (p = end - 1; *p != '>'; p--)
        ;
    for (p++; p < end && *p == ' '; p++)
        ;
    int64_t t = 0;
    for (; p < end && *p >= '0' && *p <= '9' && t < INT64_MAX / 20; p++)
        t = t * 10 + (*p - '0');
    for (; p < end && *p == ' '; p++)
        ;
    long tz = 0;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) {
        neg = *p++ == '-';
        for (; p < end && *p >= '0' && *p <= '9' && tz < 100000000; p++)
            tz = tz * 10 + (*p - '0');
    }
    long minutes = tz / 100 * 60 + tz % 100;
    rc->time = t;
    rc->offset = (int)((neg ? -minutes : minutes) * 60);
}

/* Header fields of a raw commit object: the parents and the author. */
static void parse_commit(const char *data, size_t len, raw_commit *rc)
{
    const char *p = data, *end = data + len;
    memset(rc, 0, sizeof(*rc));
    rc->name = rc->email = "";
    int have_author = 0;
    while (p < end && *p != '\n') {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > 7 && memcmp(p, "parent ", 7) == 0)
            rc->parents++;
        else if (!have_author && n > 7 && memcmp(p, "author ", 7) == 0) {
            parse_author(p + 7, n - 7, rc);
            have_author = 1;
        }
        p = nl ? nl + 1 : end;
    }
}

typedef struct skipped_author {
    const char *who;
    long count;
} skipped_author;

static int cmp_who(const void *a, const void *b)
{
    return strcmp(((const skipped_author *)a)->who, ((const skipped_author *)b)->who);
}

static int cmp_count(const void *a, const void *b)
{
    const skipped_author *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->who, y->who);
}

/* Names every unmapped author once (raw identities that the mailmap merges
 * count together) with their commits, most first, as far as the note has
 * room. */
static int unmapped_note(const author_map *m, char *note, size_t size)
{
    skipped_author *v = malloc((m->n ? m->n : 1) * sizeof(*v));
    size_t n = 0, k = 0, len;
    if (!v)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].skipped)
            v[n++] = (skipped_author){m->slots[i].who, m->slots[i].skipped};
    qsort(v, n, sizeof(*v), cmp_who);
    for (size_t i = 0; i < n; i++) {
        if (k && strcmp(v[k - 1].who, v[i].who) == 0)
            v[k - 1].count += v[i].count;
        else
            v[k++] = v[i];
    }
    qsort(v, k, sizeof(*v), cmp_count);
    snprintf(note, size,
             "commits by authors who map to no person (add a git or email "
             "identity, or use --create-people): ");
    for (size_t i = 0; i < k; i++) {
        char item[160];
        len = strlen(note);
        snprintf(item, sizeof(item), "%s%s (%ld)", i ? ", " : "", v[i].who, v[i].count);
        if (len + strlen(item) + 40 >= size) {
            snprintf(note + len, size - len, ", and %zu more", k - i);
            break;
        }
        snprintf(note + len, size - len, "%s", item);
    }
    free(v);
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static int cmp_oid(const void *a, const void *b)
{
    return git_oid_cmp(a, b);
}

int waras_ingest_git(waras_store *st, const char *path, const waras_ingest_git_opts *opts,
                     waras_ingest_result *res)
{
    static const waras_ingest_git_opts defaults = {0};
    git_repository *repo = NULL;
    git_mailmap *mm = NULL;
    git_revwalk *walk = NULL;
    git_odb *odb = NULL;
    oid_vec tips = {0}, commits = {0};
    author_map authors = {0};
    waras_buf base = {0}, tipset = {0};
    char *tip_marked = NULL;
    int rc = 0, inited = 0, in_tx = 0;
    long n_unmapped = 0, n_before = 0, n_people = 0, n_ids = 0;
    int64_t since_day = INT64_MIN;
    struct stat sb;
    memset(res, 0, sizeof(*res));
    if (!opts)
        opts = &defaults;
    waras_buf_init(&base, 1 << 20);
    waras_buf_init(&tipset, (size_t)1 << 30);
    if (opts->since && *opts->since) {
        int y, m, d;
        if (waras_time__parse_ymd(&y, &m, &d, opts->since)) {
            rc = waras_error_set(WARAS_EINVAL, NULL, 0, "since", "'%s' is not a date YYYY-MM-DD",
                                 opts->since);
            goto cleanup;
        }
        since_day = waras_time__days_from_civil(y, m, d);
    }
    if (stat(path, &sb) != 0) {
        rc = waras_error_set(WARAS_EIO, path, 0, NULL, "cannot open: no such file or directory");
        goto cleanup;
    }
    if (git_libgit2_init() < 0) {
        rc = git_fail(path, "cannot start libgit2");
        goto cleanup;
    }
    inited = 1;
    /* git itself does not re-hash objects when it reads history; neither do we. */
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    if (git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
        git_error_clear();
        rc = waras_error_set(WARAS_ENOTFOUND, path, 0, NULL,
                             "not a git repository (give the top of a work tree or a bare "
                             "repository)");
        goto cleanup;
    }
    if (git_repository_odb(&odb, repo) != 0) {
        rc = git_fail(path, "cannot open the object database");
        goto cleanup;
    }
    if (git_mailmap_from_repository(&mm, repo) != 0) {
        rc = git_fail(path, "cannot read the mailmap");
        goto cleanup;
    }
    const char *gitdir = git_repository_path(repo);
    if ((rc = waras_buf_printf(&base, "waras-git-1\n%s\nsince %s\n", gitdir,
                               opts->since ? opts->since : "-")))
        goto cleanup;
    mailmap_fingerprint(repo, &base);
    if ((rc = collect_tips(repo, path, opts->all_refs, &tips)))
        goto cleanup;
    if (!tips.n) {
        snprintf(res->note, sizeof(res->note), "the repository has no commits");
        goto cleanup;
    }
    qsort(tips.v, tips.n, sizeof(git_oid), cmp_oid);

    /* Which tips were walked completely before, and has this exact state
     * (tips, people, identities) been seen, so there is nothing new? */
    char key[65], hex[GIT_OID_HEXSZ + 1];
    int repo_known = 0, seen = 0;
    size_t fresh = 0;
    if ((rc = waras_store_count(st, "people", &n_people)) ||
        (rc = waras_store_count(st, "identities", &n_ids)))
        goto cleanup;
    marker_key(key, base.ptr, "repository");
    if ((rc = waras_store_source_seen(st, STATE_KIND, key, &repo_known)))
        goto cleanup;
    if (!(tip_marked = calloc(tips.n, 1))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < tips.n; i++) {
        git_oid_tostr(hex, sizeof(hex), &tips.v[i]);
        if ((rc = waras_buf_printf(&tipset, "%s\n", hex)))
            goto cleanup;
        marker_key(key, base.ptr, hex);
        int marked = 0;
        if (repo_known && (rc = waras_store_source_seen(st, TIP_KIND, key, &marked)))
            goto cleanup;
        tip_marked[i] = (char)marked;
        fresh += !marked;
    }
    if ((rc = waras_buf_printf(&tipset, "people %ld identities %ld create %d\n", n_people, n_ids,
                               opts->create_people)))
        goto cleanup;
    char tipset_key[65];
    marker_key(tipset_key, base.ptr, tipset.ptr);
    if ((rc = waras_store_source_seen(st, STATE_KIND, tipset_key, &seen)))
        goto cleanup;
    if (!fresh || seen) {
        res->already = 1;
        goto cleanup;
    }

    /* Phase 1: the commits to read (lets the progress bar know the total). */
    hide_ctx hc = {st, base.ptr, 0};
    if (git_revwalk_new(&walk, repo) != 0) {
        rc = git_fail(path, "cannot walk history");
        goto cleanup;
    }
    git_revwalk_sorting(walk, GIT_SORT_NONE);
    if (repo_known && git_revwalk_add_hide_cb(walk, hide_known, &hc) != 0) {
        rc = git_fail(path, "cannot walk history");
        goto cleanup;
    }
    for (size_t i = 0; i < tips.n; i++) {
        int e =
            tip_marked[i] ? git_revwalk_hide(walk, &tips.v[i]) : git_revwalk_push(walk, &tips.v[i]);
        if (e != 0) {
            rc = git_fail(path, "cannot walk history");
            goto cleanup;
        }
    }
    git_oid id;
    int e;
    while ((e = git_revwalk_next(&id, walk)) == 0) {
        if ((rc = oid_push(&commits, &id)))
            goto cleanup;
        if (opts->progress && (commits.n & 4095) == 0)
            opts->progress(opts->progress_ctx, (long)commits.n, 0);
    }
    if (e != GIT_ITEROVER) {
        rc = git_fail(path, "cannot walk history");
        goto cleanup;
    }
    if (hc.failed) {
        rc = WARAS_ESTORE;
        goto cleanup;
    }

    /* Phase 2: one event per commit, in one transaction. In sha order, the
     * store's unique index on the key (a sha) grows at its end instead of at
     * random pages, which keeps SQLite from spilling its cache to disk
     * mid-transaction; the commits themselves are cached from phase 1. */
    if (commits.n)
        qsort(commits.v, commits.n, sizeof(git_oid), cmp_oid);
    int64_t source = 0;
    if ((rc = waras_store_begin(st)))
        goto cleanup;
    in_tx = 1;
    {
        long n_sources = 0;
        char src_key[65], salt[96];
        if ((rc = waras_store_count(st, "sources", &n_sources)))
            goto cleanup;
        snprintf(salt, sizeof(salt), "run %ld at %lld", n_sources, (long long)waras_clock_now());
        if ((rc = waras_buf_printf(&tipset, "%s\n", salt)))
            goto cleanup;
        marker_key(src_key, base.ptr, tipset.ptr);
        const char *wd = git_repository_workdir(repo);
        if ((rc = waras_store_source_add(st, SOURCE_KIND, wd ? wd : gitdir, src_key, &source)))
            goto cleanup;
    }
    for (size_t i = 0; i < commits.n; i++) {
        git_odb_object *obj = NULL;
        raw_commit c;
        if (git_odb_read(&obj, odb, &commits.v[i]) != 0) {
            rc = git_fail(path, "cannot read a commit");
            goto cleanup;
        }
        res->rows++;
        parse_commit(git_odb_object_data(obj), git_odb_object_size(obj), &c);
        /* Identities are short; a cut key could only merge two authors whose
         * e-mail and name agree on their first 4 KiB. */
        char k[4096];
        snprintf(k, sizeof(k), "%.*s\n%.*s", (int)c.email_len, c.email, (int)c.name_len, c.name);
        author *a = author_find(&authors, k);
        if (!a && (rc = author_add(&authors, k, &a)) == 0) {
            char name[1024], email[1024];
            snprintf(name, sizeof(name), "%.*s", (int)c.name_len, c.name);
            snprintf(email, sizeof(email), "%.*s", (int)c.email_len, c.email);
            rc = map_author(st, mm, name, email, opts->create_people, a);
        }
        if (rc) {
            git_odb_object_free(obj);
            goto cleanup;
        }
        if (!a->person[0]) {
            n_unmapped++;
            res->skipped++;
            a->skipped++;
        } else if (floor_div(c.time + c.offset, 86400) < since_day) {
            n_before++;
            res->skipped++;
        } else {
            git_oid_tostr(hex, sizeof(hex), &commits.v[i]);
            waras_event ev = {
                .person = a->person,
                .kind = "commit",
                .start = c.time,
                .end = c.time,
                .source = source,
                .source_kind = SOURCE_KIND,
                .source_key = hex,
                .attrs = c.parents > 1 ? "{\"merge\":true}" : NULL,
                .has_utc_offset = 1,
                .utc_offset = c.offset,
            };
            int changed = 0;
            rc = waras_store_event_put(st, &ev, &changed);
            if (changed)
                res->added++;
            else
                res->unchanged++;
        }
        git_odb_object_free(obj);
        if (rc)
            goto cleanup;
        if (opts->progress && ((i + 1) & 1023) == 0)
            opts->progress(opts->progress_ctx, (long)(i + 1), (long)commits.n);
    }
    if (opts->progress)
        opts->progress(opts->progress_ctx, (long)commits.n, (long)commits.n);

    /* Markers, in the same transaction as the events they vouch for. Tips
     * are marked only when every author mapped: otherwise a later run, after
     * new identities, must see the old commits again. */
    if (!n_unmapped) {
        for (size_t i = 0; i < tips.n; i++) {
            int64_t ignored;
            if (tip_marked[i])
                continue;
            git_oid_tostr(hex, sizeof(hex), &tips.v[i]);
            marker_key(key, base.ptr, hex);
            if ((rc = waras_store_source_add(st, TIP_KIND, gitdir, key, &ignored)))
                goto cleanup;
        }
        int64_t ignored;
        marker_key(key, base.ptr, "repository");
        if (!repo_known && (rc = waras_store_source_add(st, STATE_KIND, gitdir, key, &ignored)))
            goto cleanup;
    }
    {
        int64_t ignored;
        if ((rc = waras_store_source_add(st, STATE_KIND, gitdir, tipset_key, &ignored)))
            goto cleanup;
    }
    if ((rc = waras_store_source_finish(st, source, res->rows, res->skipped)))
        goto cleanup;
    if ((rc = waras_store_commit(st)))
        goto cleanup;
    in_tx = 0;
    if (n_unmapped && (rc = unmapped_note(&authors, res->note, sizeof(res->note))))
        goto cleanup;
    if (n_before) {
        size_t len = strlen(res->note);
        snprintf(res->note + len, sizeof(res->note) - len, "%s%ld commits before --since %s",
                 len ? "; " : "", n_before, opts->since);
    }
cleanup:
    if (in_tx)
        waras_store_rollback(st);
    free(tip_marked);
    free(tips.v);
    free(commits.v);
    author_map_free(&authors);
    waras_buf_free(&base);
    waras_buf_free(&tipset);
    git_revwalk_free(walk);
    git_mailmap_free(mm);
    git_odb_free(odb);
    git_repository_free(repo);
    if (inited)
        git_libgit2_shutdown();
    return rc;
}
