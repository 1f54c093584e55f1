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
#include <git2/sys/odb_backend.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
#define BATCH 1024 /* events handed to the store at a time */

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

/* Hex to id and back without a call into libgit2 per commit. */
static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int oid_from_hex(git_oid *out, const char *hex)
{
    for (int i = 0; i < GIT_OID_RAWSZ; i++) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out->id[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

static void oid_to_hex(char out[GIT_OID_HEXSZ + 1], const git_oid *id)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < GIT_OID_RAWSZ; i++) {
        out[2 * i] = digits[id->id[i] >> 4];
        out[2 * i + 1] = digits[id->id[i] & 15];
    }
    out[GIT_OID_HEXSZ] = '\0';
}

/* Authors seen in this run, by raw "email\nname", so that the mailmap and
 * the identity lookups run once per author rather than once per commit.
 * The table holds indexes into v, so that commits can name their author by
 * index while the table grows. */
typedef struct author {
    char *key;
    const char *name, *email; /* the raw identity, inside key */
    char person[WARAS_PERSON_ID_MAX]; /* "" when unmapped */
    char who[96];    /* "Name <email>" after the mailmap, for the note */
    long skipped;    /* commits left out because nobody maps */
    int mapped;      /* person and who are set */
} author;

typedef struct author_map {
    author *v;
    size_t n, vcap;
    uint32_t *slots; /* index + 1; 0: free */
    size_t cap;
} author_map;

static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The index of the author with this raw name and e-mail, added if new. */
static int author_get(author_map *m, const char *name, size_t name_len, const char *email,
                      size_t email_len, uint32_t *out)
{
    size_t klen = email_len + 1 + name_len;
    uint64_t h = fnv1a(email, email_len) ^ (fnv1a(name, name_len) * 31);
    if (m->cap) {
        for (size_t i = h & (m->cap - 1); m->slots[i]; i = (i + 1) & (m->cap - 1)) {
            const author *a = &m->v[m->slots[i] - 1];
            if (strlen(a->email) == email_len && memcmp(a->email, email, email_len) == 0 &&
                strlen(a->name) == name_len && memcmp(a->name, name, name_len) == 0) {
                *out = m->slots[i] - 1;
                return 0;
            }
        }
    }
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        uint32_t *ns = calloc(cap, sizeof(*ns));
        if (!ns)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        for (size_t k = 0; k < m->n; k++) {
            const author *a = &m->v[k];
            size_t j = (fnv1a(a->email, strlen(a->email)) ^
                        (fnv1a(a->name, strlen(a->name)) * 31)) & (cap - 1);
            while (ns[j])
                j = (j + 1) & (cap - 1);
            ns[j] = (uint32_t)(k + 1);
        }
        free(m->slots);
        m->slots = ns;
        m->cap = cap;
    }
    if (m->n == m->vcap) {
        size_t vcap = m->vcap ? m->vcap * 2 : 256;
        author *nv = realloc(m->v, vcap * sizeof(*nv));
        if (!nv)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        m->v = nv;
        m->vcap = vcap;
    }
    author *a = &m->v[m->n];
    memset(a, 0, sizeof(*a));
    if (!(a->key = malloc(klen + 1)))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    memcpy(a->key, email, email_len);
    a->key[email_len] = '\0';
    memcpy(a->key + email_len + 1, name, name_len);
    a->key[klen] = '\0';
    a->email = a->key;
    a->name = a->key + email_len + 1;
    size_t i = h & (m->cap - 1);
    while (m->slots[i])
        i = (i + 1) & (m->cap - 1);
    m->slots[i] = (uint32_t)(m->n + 1);
    *out = (uint32_t)m->n++;
    return 0;
}

static void author_map_free(author_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].key);
    free(m->v);
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

/* Adds a mailmap file to mm and its hash to the fingerprint. A missing or
 * unreadable file is passed over, as git passes it over. nofollow: the
 * work tree's own .mailmap, which git does not read through a symlink. */
static int mailmap_file(waras_mailmap *mm, waras_buf *fp, const char *path, int nofollow)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
    waras_buf data;
    char chunk[65536], hex[65];
    ssize_t n;
    int rc = 0;
    if (fd < 0)
        return 0;
    waras_buf_init(&data, (size_t)1 << 30);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
        if ((rc = waras_buf_add(&data, chunk, (size_t)n)))
            break;
    close(fd);
    if (!rc && n == 0) {
        waras_sha256_hex(hex, data.ptr ? data.ptr : "", data.len);
        if (!(rc = waras_buf_printf(fp, "file %s\n", hex)))
            rc = waras_mailmap__add_buffer(mm, data.ptr ? data.ptr : "", data.len, 1);
    }
    waras_buf_free(&data);
    return rc;
}

/* The mailmap from the sources git reads, in git's order, later entries
 * overriding earlier ones: the work tree's .mailmap (not in a bare
 * repository), the blob named by mailmap.blob (by default HEAD:.mailmap in
 * a bare repository; a missing or non-blob object is passed over), and the
 * file named by mailmap.file (relative to the top of the work tree, or to
 * the git directory of a bare repository). What was read goes into the
 * fingerprint: a change to it changes how old commits map, so it is part
 * of the marker keys. */
static int mailmap_load(git_repository *repo, waras_mailmap *mm, waras_buf *fp)
{
    git_config *cfg = NULL;
    git_object *blob = NULL;
    git_buf val = {0};
    waras_buf p;
    const char *wd = git_repository_workdir(repo);
    const char *top = wd ? wd : git_repository_path(repo);
    int rc = 0;
    waras_buf_init(&p, 1 << 16);
    if (wd && !git_repository_is_bare(repo)) {
        if ((rc = waras_buf_printf(&p, "%s.mailmap", wd)) ||
            (rc = mailmap_file(mm, fp, p.ptr, 1)))
            goto cleanup;
    }
    if (git_repository_config_snapshot(&cfg, repo) != 0)
        goto cleanup;
    const char *spec = NULL;
    if (git_config_get_string_buf(&val, cfg, "mailmap.blob") == 0)
        spec = val.ptr;
    else if (git_repository_is_bare(repo))
        spec = "HEAD:.mailmap";
    if (spec && git_revparse_single(&blob, repo, spec) == 0 &&
        git_object_type(blob) == GIT_OBJECT_BLOB) {
        char hex[GIT_OID_HEXSZ + 1];
        const git_blob *b = (const git_blob *)blob;
        git_oid_tostr(hex, sizeof(hex), git_object_id(blob));
        if ((rc = waras_buf_printf(fp, "blob %s\n", hex)) ||
            (rc = waras_mailmap__add_buffer(mm, git_blob_rawcontent(b),
                                            (size_t)git_blob_rawsize(b), 0)))
            goto cleanup;
    }
    git_buf_dispose(&val);
    if (git_config_get_path(&val, cfg, "mailmap.file") == 0 && val.ptr && *val.ptr) {
        waras_buf_reset(&p);
        if ((rc = val.ptr[0] == '/' ? waras_buf_printf(&p, "%s", val.ptr)
                                    : waras_buf_printf(&p, "%s%s", top, val.ptr)) ||
            (rc = mailmap_file(mm, fp, p.ptr, 0)))
            goto cleanup;
    }
cleanup:
    waras_buf_free(&p);
    git_buf_dispose(&val);
    git_object_free(blob);
    git_config_free(cfg);
    git_error_clear();
    return rc;
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
    if (waras_store_source_seen(&seen, h->st, TIP_KIND, key))
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

static int map_author(waras_store *st, const waras_mailmap *mm, const char *raw_name,
                      const char *raw_email, int create, author *a)
{
    const char *name = raw_name, *email = raw_email;
    size_t name_len = strlen(raw_name), email_len = strlen(raw_email);
    char mname[256], memail[256];
    int rc = 0;
    waras_mailmap__resolve(mm, &name, &name_len, &email, &email_len);
    snprintf(mname, sizeof(mname), "%.*s", (int)name_len, name);
    snprintf(memail, sizeof(memail), "%.*s", (int)email_len, email);
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
        rc = waras_store_identity_find(a->person, sizeof(a->person), st, tries[i][0], tries[i][1]);
        if (rc != 0 && rc != WARAS_ENOTFOUND)
            return rc;
        /* The commit's own e-mail must not lead to the person that
         * --create-people keys by that e-mail: that person stands for the
         * authors whom the mailmap maps to it, and this one it maps away. */
        char raw_id[WARAS_PERSON_ID_MAX];
        if (rc == 0 && i >= 3 && created_id(raw_id, sizeof(raw_id), raw_email) == 0 &&
            strcmp(raw_id, a->person) == 0 && strcasecmp(raw_email, memail) != 0) {
            a->person[0] = '\0';
            continue;
        }
        if (rc == 0)
            return 0;
    }
    rc = 0;
    waras_person p = {0};
    if (created_id(p.id, sizeof(p.id), memail) != 0)
        return 0; /* no e-mail: nothing to key a person by; counted as unmapped */
    if (waras_store_person_get(&p, st, p.id) == 0) {
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

/* A walk of every commit reachable from the tips, for repositories of
 * which nothing is recorded yet: each commit is read once, and its parents
 * come from the same parse that reads its author. (libgit2's revwalk reads
 * each commit once to walk and the caller again to parse it.) */
typedef struct own_walk {
    git_oid *seen; /* open addressing; the zero id marks a free slot */
    size_t cap, n;
    oid_vec stack;
} own_walk;

static int oid_is_zero(const git_oid *id)
{
    static const git_oid zero;
    return memcmp(id->id, zero.id, GIT_OID_RAWSZ) == 0;
}

static size_t oid_slot(const git_oid *id, size_t cap)
{
    uint64_t h;
    memcpy(&h, id->id, sizeof(h)); /* an id is a hash already */
    return (size_t)h & (cap - 1);
}

static int walk_push(own_walk *w, const git_oid *id)
{
    if ((w->n + 1) * 2 > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1 << 16;
        git_oid *ns = calloc(cap, sizeof(*ns));
        if (!ns)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        for (size_t i = 0; i < w->cap; i++) {
            if (oid_is_zero(&w->seen[i]))
                continue;
            size_t j = oid_slot(&w->seen[i], cap);
            while (!oid_is_zero(&ns[j]))
                j = (j + 1) & (cap - 1);
            ns[j] = w->seen[i];
        }
        free(w->seen);
        w->seen = ns;
        w->cap = cap;
    }
    size_t i = oid_slot(id, w->cap);
    for (; !oid_is_zero(&w->seen[i]); i = (i + 1) & (w->cap - 1))
        if (memcmp(w->seen[i].id, id->id, GIT_OID_RAWSZ) == 0)
            return 0;
    w->seen[i] = *id;
    w->n++;
    return oid_push(&w->stack, id);
}

static void walk_free(own_walk *w)
{
    free(w->seen);
    free(w->stack.v);
}

/* Header fields of a raw commit object: the parents and the author. When
 * parents is given, each parent's id is added to it unless seen already. */
static int parse_commit(const char *data, size_t len, raw_commit *rc, own_walk *w)
{
    const char *p = data, *end = data + len;
    memset(rc, 0, sizeof(*rc));
    rc->name = rc->email = "";
    int have_author = 0, e;
    while (p < end && *p != '\n') {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > 7 && memcmp(p, "parent ", 7) == 0) {
            rc->parents++;
            git_oid id;
            if (w && n >= 7 + GIT_OID_HEXSZ && oid_from_hex(&id, p + 7) == 0 &&
                (e = walk_push(w, &id)))
                return e;
        } else if (!have_author && n > 7 && memcmp(p, "author ", 7) == 0) {
            parse_author(p + 7, n - 7, rc);
            have_author = 1;
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}

/* One commit as it will be stored. */
typedef struct commit_rec {
    git_oid id;
    int64_t time;
    int32_t offset;
    uint32_t author; /* index into the author map */
    uint8_t merge;
} commit_rec;

typedef struct rec_vec {
    commit_rec *v;
    size_t n, cap;
} rec_vec;

/* Sorts commits by id: a counting sort on the ids' first two bytes (ids
 * are hashes, so the 65,536 buckets fill evenly), then an insertion sort
 * within each bucket. A third of the cost of qsort() with memcmp(). */
static int sort_recs(rec_vec *r)
{
    uint32_t *start = calloc(65536 + 1, sizeof(*start));
    commit_rec *out = malloc((r->n ? r->n : 1) * sizeof(*out));
    if (!start || !out) {
        free(start);
        free(out);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->n; i++)
        start[((unsigned)r->v[i].id.id[0] << 8 | r->v[i].id.id[1]) + 1]++;
    for (size_t b = 1; b <= 65536; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < r->n; i++)
        out[start[(unsigned)r->v[i].id.id[0] << 8 | r->v[i].id.id[1]]++] = r->v[i];
    /* start[b] is now the end of bucket b, the start of bucket b + 1. */
    for (size_t b = 0, lo = 0; b < 65536; lo = start[b++]) {
        for (size_t i = lo + 1; i < start[b]; i++) {
            commit_rec c = out[i];
            size_t j = i;
            for (; j > lo && memcmp(out[j - 1].id.id, c.id.id, GIT_OID_RAWSZ) > 0; j--)
                out[j] = out[j - 1];
            out[j] = c;
        }
    }
    free(start);
    free(r->v);
    r->v = out;
    r->cap = r->n ? r->n : 1;
    return 0;
}


/* Where commits are read from: the repository's pack and loose-object
 * backends directly, without the object database's cache (which would
 * keep every commit of a first walk in memory, a third of the ingest's
 * memory and a tenth of its time, for nothing: each is read once), and the
 * object database for what they do not hold (alternates, packs added
 * since). A commit read twice (the walk that hides recorded tips) goes
 * through the cache. */
typedef struct commit_reader {
    git_odb *odb;
    git_odb_backend *pack, *loose; /* NULL: not used */
} commit_reader;

static void reader_open(commit_reader *r, git_repository *repo, git_odb *odb)
{
    git_buf dir = {0};
    memset(r, 0, sizeof(*r));
    r->odb = odb;
    if (git_repository_item_path(&dir, repo, GIT_REPOSITORY_ITEM_OBJECTS) == 0) {
        if (git_odb_backend_pack(&r->pack, dir.ptr) != 0)
            r->pack = NULL;
        if (git_odb_backend_loose(&r->loose, dir.ptr, -1, 0, 0, 0) != 0)
            r->loose = NULL;
    }
    git_buf_dispose(&dir);
    git_error_clear();
}

static void reader_close(commit_reader *r)
{
    if (r->pack)
        r->pack->free(r->pack);
    if (r->loose)
        r->loose->free(r->loose);
}

/* Reads one commit into recs (and, when w is given, queues its parents):
 * from the backends when w is given (a first walk), else from the object
 * database. */
static int read_commit(commit_reader *rd, const char *path, const git_oid *id, own_walk *w,
                       author_map *authors, rec_vec *recs)
{
    git_odb_object *obj = NULL;
    git_odb_backend *from = NULL;
    void *data = NULL;
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    raw_commit c;
    int rc;
    if (w) {
        git_odb_backend *b[2] = {rd->pack, rd->loose};
        for (int i = 0; i < 2 && !from; i++)
            if (b[i] && b[i]->read(&data, &size, &type, b[i], id) == 0)
                from = b[i];
        if (!from)
            git_error_clear();
    }
    if (!from) {
        if (git_odb_read(&obj, rd->odb, id) != 0)
            return git_fail(path, "cannot read a commit");
        data = (void *)git_odb_object_data(obj);
        size = git_odb_object_size(obj);
        type = git_odb_object_type(obj);
    }
    if (type != GIT_OBJECT_COMMIT) {
        rc = waras_error_set(WARAS_ERROR, path, 0, NULL, "object is not a commit");
        goto done;
    }
    if (recs->n == recs->cap) {
        size_t cap = recs->cap ? recs->cap * 2 : 4096;
        commit_rec *nv = realloc(recs->v, cap * sizeof(*nv));
        if (!nv) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto done;
        }
        recs->v = nv;
        recs->cap = cap;
    }
    commit_rec *r = &recs->v[recs->n];
    if (!(rc = parse_commit(data, size, &c, w)) &&
        !(rc = author_get(authors, c.name, c.name_len, c.email, c.email_len, &r->author))) {
        git_oid_cpy(&r->id, id);
        r->time = c.time;
        r->offset = c.offset;
        r->merge = c.parents > 1;
        recs->n++;
    }
done:
    if (from)
        git_odb_backend_data_free(from, data);
    git_odb_object_free(obj);
    return rc;
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
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].skipped)
            v[n++] = (skipped_author){m->v[i].who, m->v[i].skipped};
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

int waras_ingest_git(waras_ingest_result *res, waras_store *st, const char *path,
                     const waras_ingest_git_opts *opts)
{
    static const waras_ingest_git_opts defaults = {0};
    git_repository *repo = NULL;
    waras_mailmap *mm = NULL;
    git_revwalk *walk = NULL;
    git_odb *odb = NULL;
    commit_reader reader = {0};
    oid_vec tips = {0};
    own_walk own = {0};
    rec_vec recs = {0};
    waras_event *batch = NULL;
    char(*keys)[GIT_OID_HEXSZ + 1] = NULL;
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
    reader_open(&reader, repo, odb);
    if ((rc = waras_mailmap__new(&mm)))
        goto cleanup;
    const char *gitdir = git_repository_path(repo);
    if ((rc = waras_buf_printf(&base, "waras-git-1\n%s\nsince %s\n", gitdir,
                               opts->since ? opts->since : "-")))
        goto cleanup;
    if ((rc = mailmap_load(repo, mm, &base)))
        goto cleanup;
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
    if ((rc = waras_store_count(&n_people, st, "people")) ||
        (rc = waras_store_count(&n_ids, st, "identities")))
        goto cleanup;
    marker_key(key, base.ptr, "repository");
    if ((rc = waras_store_source_seen(&repo_known, st, STATE_KIND, key)))
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
        if (repo_known && (rc = waras_store_source_seen(&marked, st, TIP_KIND, key)))
            goto cleanup;
        tip_marked[i] = (char)marked;
        fresh += !marked;
    }
    if ((rc = waras_buf_printf(&tipset, "people %ld identities %ld create %d\n", n_people, n_ids,
                               opts->create_people)))
        goto cleanup;
    char tipset_key[65];
    marker_key(tipset_key, base.ptr, tipset.ptr);
    if ((rc = waras_store_source_seen(&seen, st, STATE_KIND, tipset_key)))
        goto cleanup;
    if (!fresh || seen) {
        res->already = 1;
        goto cleanup;
    }

    /* Phase 1: read the commits. A repository walked before hides what it
     * recorded, through libgit2's revwalk (which stops early at hidden
     * history); otherwise every commit is read once by our own walk. */
    if (repo_known) {
        hide_ctx hc = {st, base.ptr, 0};
        git_oid id;
        int e;
        if (git_revwalk_new(&walk, repo) != 0) {
            rc = git_fail(path, "cannot walk history");
            goto cleanup;
        }
        git_revwalk_sorting(walk, GIT_SORT_NONE);
        if (git_revwalk_add_hide_cb(walk, hide_known, &hc) != 0) {
            rc = git_fail(path, "cannot walk history");
            goto cleanup;
        }
        for (size_t i = 0; i < tips.n; i++) {
            e = tip_marked[i] ? git_revwalk_hide(walk, &tips.v[i])
                              : git_revwalk_push(walk, &tips.v[i]);
            if (e != 0) {
                rc = git_fail(path, "cannot walk history");
                goto cleanup;
            }
        }
        while ((e = git_revwalk_next(&id, walk)) == 0) {
            if ((rc = read_commit(&reader, path, &id, NULL, &authors, &recs)))
                goto cleanup;
            if (opts->progress && (recs.n & 4095) == 0)
                opts->progress(opts->progress_ctx, (long)recs.n, 0);
        }
        if (e != GIT_ITEROVER) {
            rc = git_fail(path, "cannot walk history");
            goto cleanup;
        }
        if (hc.failed) {
            rc = WARAS_ESTORE;
            goto cleanup;
        }
    } else {
        for (size_t i = 0; i < tips.n; i++)
            if ((rc = walk_push(&own, &tips.v[i])))
                goto cleanup;
        while (own.stack.n) {
            git_oid id = own.stack.v[--own.stack.n];
            if ((rc = read_commit(&reader, path, &id, &own, &authors, &recs)))
                goto cleanup;
            if (opts->progress && (recs.n & 4095) == 0)
                opts->progress(opts->progress_ctx, (long)recs.n, 0);
        }
    }

    /* Phase 2: one event per commit, in one transaction. In sha order, the
     * store's unique index on the key (a sha) grows at its end instead of at
     * random pages. */
    if (recs.n && (rc = sort_recs(&recs)))
        goto cleanup;
    int64_t source = 0;
    if ((rc = waras_store_begin_bulk(st)))
        goto cleanup;
    in_tx = 1;
    {
        long n_sources = 0;
        char src_key[65], salt[96];
        if ((rc = waras_store_count(&n_sources, st, "sources")))
            goto cleanup;
        snprintf(salt, sizeof(salt), "run %ld at %lld", n_sources, (long long)waras_clock_now());
        if ((rc = waras_buf_printf(&tipset, "%s\n", salt)))
            goto cleanup;
        marker_key(src_key, base.ptr, tipset.ptr);
        const char *wd = git_repository_workdir(repo);
        if ((rc = waras_store_source_add(&source, st, SOURCE_KIND, wd ? wd : gitdir, src_key)))
            goto cleanup;
    }
    /* Events go to the store a batch at a time (several to a statement). */
    if (!(batch = malloc(BATCH * sizeof(*batch))) || !(keys = malloc(BATCH * sizeof(*keys)))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    size_t nb = 0;
    for (size_t i = 0; i < recs.n; i++) {
        const commit_rec *c = &recs.v[i];
        author *a = &authors.v[c->author];
        /* Mapped at its first commit in sha order, which decides the name
         * of a person it creates. */
        if (!a->mapped) {
            if ((rc = map_author(st, mm, a->name, a->email, opts->create_people, a)))
                goto cleanup;
            a->mapped = 1;
        }
        res->rows++;
        if (!a->person[0]) {
            n_unmapped++;
            res->skipped++;
            a->skipped++;
        } else if (floor_div(c->time + c->offset, 86400) < since_day) {
            n_before++;
            res->skipped++;
        } else {
            oid_to_hex(keys[nb], &c->id);
            batch[nb] = (waras_event){
                .person = a->person,
                .kind = "commit",
                .start = c->time,
                .end = c->time,
                .source = source,
                .source_kind = SOURCE_KIND,
                .source_key = keys[nb],
                .attrs = c->merge ? "{\"merge\":true}" : NULL,
                .has_utc_offset = 1,
                .utc_offset = c->offset,
            };
            nb++;
        }
        if (nb == BATCH || (nb && i + 1 == recs.n)) {
            long changed = 0;
            if ((rc = waras_store_events_put(&changed, st, batch, nb)))
                goto cleanup;
            res->added += changed;
            res->unchanged += (long)nb - changed;
            nb = 0;
        }
        if (opts->progress && ((i + 1) & 1023) == 0)
            opts->progress(opts->progress_ctx, (long)(i + 1), (long)recs.n);
    }
    if (opts->progress)
        opts->progress(opts->progress_ctx, (long)recs.n, (long)recs.n);

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
            if ((rc = waras_store_source_add(&ignored, st, TIP_KIND, gitdir, key)))
                goto cleanup;
        }
        int64_t ignored;
        marker_key(key, base.ptr, "repository");
        if (!repo_known && (rc = waras_store_source_add(&ignored, st, STATE_KIND, gitdir, key)))
            goto cleanup;
    }
    {
        int64_t ignored;
        if ((rc = waras_store_source_add(&ignored, st, STATE_KIND, gitdir, tipset_key)))
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
    free(recs.v);
    free(batch);
    free(keys);
    walk_free(&own);
    author_map_free(&authors);
    waras_buf_free(&base);
    waras_buf_free(&tipset);
    git_revwalk_free(walk);
    waras_mailmap__free(mm);
    reader_close(&reader);
    git_odb_free(odb);
    git_repository_free(repo);
    if (inited)
        git_libgit2_shutdown();
    return rc;
}
