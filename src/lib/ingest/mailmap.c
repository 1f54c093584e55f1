/*
 * A git mailmap, parsed and looked up exactly as git does (mailmap.c in git,
 * gitmailmap(5)), because libgit2's resolver differs: it compares e-mails
 * and names case-sensitively and lets a later entry replace an earlier one
 * for the same e-mail wholesale, and its parsed entries cannot be read
 * back. What git does: entries are keyed by the commit e-mail, compared
 * without ASCII case; an entry without a commit name ("simple") sets the
 * proper name and/or proper e-mail, each replacing only what the later line
 * gives; an entry with a commit name ("complex") is keyed again by that
 * name, also without case, and a later one replaces the earlier whole. A
 * lookup takes the complex entry whose name matches, else the simple one.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "util/util.h"
#include "waras/error.h"

typedef struct mm_sub {
    char *key;         /* commit name, lower-cased */
    char *name, *email; /* proper name and e-mail; either may be NULL */
} mm_sub;

typedef struct mm_entry {
    char *key;          /* commit e-mail, lower-cased; NULL: free slot */
    char *name, *email; /* the simple entry; either may be NULL */
    mm_sub *subs;       /* the complex entries, by commit name */
    size_t nsubs, capsubs;
} mm_entry;

struct waras_mailmap {
    mm_entry *slots;
    size_t cap, n;
};

/* git's own isspace(): blank, tab, newline and carriage return only. */
static int git_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static uint64_t hash_lower(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)ascii_lower(s[i])) * 1099511628211ull;
    return h;
}

/* key (already lower-cased, terminated) equals s[0:len] without case. */
static int key_equal(const char *key, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (key[i] != ascii_lower(s[i]) || !key[i])
            return 0;
    return key[len] == '\0';
}

static char *dup_lower(const char *s)
{
    char *d = waras_strdup(s);
    if (d)
        for (char *p = d; *p; p++)
            *p = ascii_lower(*p);
    return d;
}

int waras_mailmap__new(waras_mailmap **out)
{
    waras_mailmap *mm = calloc(1, sizeof(*mm));
    if (!mm)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    *out = mm;
    return 0;
}

void waras_mailmap__free(waras_mailmap *mm)
{
    if (!mm)
        return;
    for (size_t i = 0; i < mm->cap; i++) {
        mm_entry *e = &mm->slots[i];
        if (!e->key)
            continue;
        for (size_t j = 0; j < e->nsubs; j++) {
            free(e->subs[j].key);
            free(e->subs[j].name);
            free(e->subs[j].email);
        }
        free(e->subs);
        free(e->key);
        free(e->name);
        free(e->email);
    }
    free(mm->slots);
    free(mm);
}

size_t waras_mailmap__size(const waras_mailmap *mm)
{
    return mm ? mm->n : 0;
}

static mm_entry *find(const waras_mailmap *mm, const char *email, size_t len)
{
    if (!mm || !mm->cap)
        return NULL;
    for (size_t i = hash_lower(email, len) & (mm->cap - 1);; i = (i + 1) & (mm->cap - 1)) {
        if (!mm->slots[i].key)
            return NULL;
        if (key_equal(mm->slots[i].key, email, len))
            return &mm->slots[i];
    }
}

static int grow(waras_mailmap *mm)
{
    size_t cap = mm->cap ? mm->cap * 2 : 64;
    mm_entry *ns = calloc(cap, sizeof(*ns));
    if (!ns)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    for (size_t i = 0; i < mm->cap; i++) {
        if (!mm->slots[i].key)
            continue;
        size_t j = hash_lower(mm->slots[i].key, strlen(mm->slots[i].key)) & (cap - 1);
        while (ns[j].key)
            j = (j + 1) & (cap - 1);
        ns[j] = mm->slots[i];
    }
    free(mm->slots);
    mm->slots = ns;
    mm->cap = cap;
    return 0;
}

/* Replaces *slot with a copy of v (NULL stays NULL). */
static int set_str(char **slot, const char *v)
{
    char *d = NULL;
    if (v && !(d = waras_strdup(v)))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    free(*slot);
    *slot = d;
    return 0;
}

/* git's add_mapping(): old_email NULL means the one-address forms, where
 * the only e-mail given is the commit's. */
static int add_mapping(waras_mailmap *mm, const char *new_name, const char *new_email,
                       const char *old_name, const char *old_email)
{
    int rc;
    if (!old_email) {
        old_email = new_email;
        new_email = NULL;
    }
    mm_entry *e = find(mm, old_email, strlen(old_email));
    if (!e) {
        if ((mm->n + 1) * 2 > mm->cap && (rc = grow(mm)))
            return rc;
        size_t i = hash_lower(old_email, strlen(old_email)) & (mm->cap - 1);
        while (mm->slots[i].key)
            i = (i + 1) & (mm->cap - 1);
        e = &mm->slots[i];
        if (!(e->key = dup_lower(old_email)))
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        mm->n++;
    }
    if (!old_name) {
        /* A simple entry: each part given replaces that part only. */
        if (new_name && (rc = set_str(&e->name, new_name)))
            return rc;
        if (new_email && (rc = set_str(&e->email, new_email)))
            return rc;
        return 0;
    }
    mm_sub *s = NULL;
    for (size_t j = 0; j < e->nsubs && !s; j++)
        if (key_equal(e->subs[j].key, old_name, strlen(old_name)))
            s = &e->subs[j];
    if (!s) {
        if (e->nsubs == e->capsubs) {
            size_t cap = e->capsubs ? e->capsubs * 2 : 2;
            mm_sub *ns = realloc(e->subs, cap * sizeof(*ns));
            if (!ns)
                return waras_error_msg(WARAS_ENOMEM, "out of memory");
            e->subs = ns;
            e->capsubs = cap;
        }
        s = &e->subs[e->nsubs];
        memset(s, 0, sizeof(*s));
        if (!(s->key = dup_lower(old_name)))
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        e->nsubs++;
    }
    /* A complex entry for the same name replaces the earlier one whole. */
    if ((rc = set_str(&s->name, new_name)) || (rc = set_str(&s->email, new_email)))
        return rc;
    return 0;
}

/* git's parse_name_and_email(): in buf (terminated, modified in place),
 * the name runs to the first '<' (blanks trimmed both ends; NULL when
 * empty), the e-mail to the next '>' (kept as is, blanks included).
 * Returns what follows the '>', or NULL when nothing does or there is no
 * "<...>" (then *email is NULL); an empty e-mail counts only if allowed. */
static char *parse_name_and_email(char *buf, char **name, char **email, int allow_empty)
{
    char *left, *right, *nstart, *nend;
    *name = *email = NULL;
    if (!(left = strchr(buf, '<')) || !(right = strchr(left + 1, '>')))
        return NULL;
    if (!allow_empty && left + 1 == right)
        return NULL;
    nstart = buf;
    while (git_space(*nstart) && nstart < left)
        nstart++;
    nend = left - 1;
    while (nend > nstart && git_space(*nend))
        nend--;
    *name = nstart <= nend ? nstart : NULL;
    *email = left + 1;
    nend[1] = '\0';
    *right++ = '\0';
    return *right ? right : NULL;
}

/* One line (terminated, modified in place), as git's read_mailmap_line():
 * a '#' in the first column makes a comment; a line without "<e-mail>" is
 * passed over. */
static int add_line(waras_mailmap *mm, char *line)
{
    char *name1, *email1, *name2 = NULL, *email2 = NULL, *rest;
    if (line[0] == '#')
        return 0;
    if ((rest = parse_name_and_email(line, &name1, &email1, 0)))
        parse_name_and_email(rest, &name2, &email2, 1);
    return email1 ? add_mapping(mm, name1, email1, name2, email2) : 0;
}

int waras_mailmap__add_buffer(waras_mailmap *mm, const char *buf, size_t len, int as_file)
{
    /* git reads a file with fgets() into 1024 bytes: a line of 1024 bytes or
     * more is read as several lines, and a NUL ends the line it is in. A
     * blob is one string: a NUL ends it, and lines have no length limit. */
    char chunk[1024];
    char *copy = NULL;
    int rc = 0;
    if (!as_file) {
        size_t n = strnlen(buf, len);
        if (!(copy = malloc(n + 1)))
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        memcpy(copy, buf, n);
        copy[n] = '\0';
        for (char *p = copy; *p && !rc;) {
            char *nl = strchr(p, '\n');
            if (nl)
                *nl = '\0';
            rc = add_line(mm, p);
            p = nl ? nl + 1 : p + strlen(p);
        }
        free(copy);
        return rc;
    }
    for (size_t off = 0; off < len && !rc;) {
        size_t n = 0;
        while (n < sizeof(chunk) - 1 && off + n < len) {
            chunk[n] = buf[off + n];
            if (buf[off + n++] == '\n')
                break;
        }
        chunk[n] = '\0';
        off += n;
        rc = add_line(mm, chunk);
    }
    return rc;
}

int waras_mailmap__resolve(const waras_mailmap *mm, const char **name, size_t *name_len,
                           const char **email, size_t *email_len)
{
    mm_entry *e = find(mm, *email, *email_len);
    const char *to_name, *to_email;
    if (!e)
        return 0;
    to_name = e->name;
    to_email = e->email;
    for (size_t j = 0; j < e->nsubs; j++) {
        if (key_equal(e->subs[j].key, *name, *name_len)) {
            to_name = e->subs[j].name;
            to_email = e->subs[j].email;
            break;
        }
    }
    if (!to_name && !to_email)
        return 0;
    if (to_email) {
        *email = to_email;
        *email_len = strlen(to_email);
    }
    if (to_name) {
        *name = to_name;
        *name_len = strlen(to_name);
    }
    return 1;
}
