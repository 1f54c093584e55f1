/*
 * Timesheets and leave from CSV. A timesheet row says when a person worked
 * on a date (start and end, or just hours from their usual start); where a
 * day has timesheet rows they are authoritative for worked time. A leave row
 * covers whole local days, start to end inclusive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/time.h"

#define ROW_ERROR(col, ...) (rc = waras_error_set(WARAS_EPARSE, path, line, (col), __VA_ARGS__))

/* Local time to UTC, with the offset of each (zone, local day) remembered:
 * a timesheet has rows for the same days in the same few zones over and
 * over, and the zone lookup costs more than the rest of a row. Only a day
 * whose offset is the same at its start and at its end, both checked both
 * ways, is remembered; a day with a change of offset (and so its gap or
 * repeated hour) goes to waras_tz_to_utc() every time. */
#define DAY_CACHE 32768 /* (zone, day) pairs: three zones over 30 years */
typedef struct day_offset {
    const waras_tz *tz; /* NULL: empty */
    int64_t day;
    int offset; /* seconds east of UTC, all day */
    int fixed;  /* 0: the offset changes that day */
} day_offset;

/* Entries so far per (person, local day), which number a day's entries
 * for stable keys: open addressing on the person's number and the day. */
typedef struct day_counts {
    uint64_t *keys; /* 0: free */
    long *counts;
    size_t cap, n;
} day_counts;

static long *day_count_slot(day_counts *m, long person, int64_t day)
{
    uint64_t key = ((uint64_t)person << 32) | (uint32_t)(day + 0x40000000);
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4096;
        uint64_t *nk = calloc(cap, sizeof(*nk));
        long *nc = calloc(cap, sizeof(*nc));
        if (!nk || !nc) {
            free(nk);
            free(nc);
            return NULL;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = (size_t)(m->keys[i] * 0x9e3779b97f4a7c15ull >> 20) & (cap - 1);
            while (nk[j])
                j = (j + 1) & (cap - 1);
            nk[j] = m->keys[i];
            nc[j] = m->counts[i];
        }
        free(m->keys);
        free(m->counts);
        m->keys = nk;
        m->counts = nc;
        m->cap = cap;
    }
    size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull >> 20) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    return &m->counts[i];
}

/* A file's rows, read whole before any is stored, so that they can go to
 * the store in the order of the events' unique key: (kind, key, person) on
 * SQLite, which then adds each to the end of that index (a shortcut for a
 * key past the last) instead of seeking it from the root; the person first
 * on PostgreSQL, whose keys and indexes lead with the person, so that a
 * batch touches a few people's pages instead of one page per row. */
typedef struct ts_row {
    int64_t start, end;
    uint32_t person; /* a person's number, then their rank in id order */
    uint32_t attrs;  /* offset + 1 in the attrs arena, or 0 */
    int32_t day;     /* the date of the key, in days from 1970-01-01 */
    uint32_t ord;    /* the number after '#' in the key */
    char key[24];
} ts_row;

typedef struct ts_rows {
    ts_row *v;
    size_t n, cap;
    char (*ids)[WARAS_PERSON_ID_MAX]; /* by number - 1, then by rank */
    size_t n_ids, cap_ids;
    waras_buf attrs; /* NUL-terminated attrs, one after another */
} ts_rows;

static int cmp_row(const void *a, const void *b)
{
    const ts_row *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->person > y->person) - (x->person < y->person);
}

static int cmp_row_person(const void *a, const void *b)
{
    const ts_row *x = a, *y = b;
    int c = (x->person > y->person) - (x->person < y->person);
    return c ? c : strcmp(x->key, y->key);
}

/* The key and person of a row as one number in the same order as
 * cmp_row() (or cmp_row_person() when person_first): the day (a date's
 * text sorts as its day does), the number's digits as text (a missing
 * digit below '0', as strcmp() has it), and the person's rank. 0 when it
 * does not fit: numbers past 9,999, ranks past 2^27. */
static uint64_t row_order(const ts_row *row, int person_first)
{
    uint64_t digits = 0;
    char num[8];
    int n = 0;
    if (row->ord > 9999 || row->person >= (1u << 27) || row->day < -1000000 ||
        row->day >= (1 << 23) - 1000000)
        return 0;
    for (uint32_t v = row->ord; v; v /= 10)
        num[n++] = (char)(v % 10);
    for (int i = 0; i < 4; i++)
        digits = digits * 11 + (i < n ? (uint64_t)num[n - 1 - i] + 1 : 0);
    if (person_first)
        return (uint64_t)row->person << 37 | (uint64_t)(row->day + 1000000) << 14 | digits;
    return (uint64_t)(row->day + 1000000) << 41 | digits << 27 | row->person;
}

/* The rows' positions in cmp_row() (or cmp_row_person()) order: an LSD
 * radix sort of row_order() (a tenth of qsort()'s cost at 200,000 rows),
 * or qsort() of the rows themselves when one does not fit. */
static int sort_rows(ts_rows *r, int person_first, uint32_t **out)
{
    uint64_t *k = malloc((r->n ? r->n : 1) * 2 * sizeof(*k));
    uint32_t *ix = malloc((r->n ? r->n : 1) * 2 * sizeof(*ix));
    int fits = 1;
    if (!k || !ix) {
        free(k);
        free(ix);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->n && fits; i++) {
        k[i] = row_order(&r->v[i], person_first);
        ix[i] = (uint32_t)i;
        fits = k[i] != 0;
    }
    if (!fits) {
        qsort(r->v, r->n, sizeof(*r->v), person_first ? cmp_row_person : cmp_row);
        for (size_t i = 0; i < r->n; i++)
            ix[i] = (uint32_t)i;
    } else {
        uint64_t *k2 = k + r->n;
        uint32_t *ix2 = ix + r->n;
        for (int shift = 0; shift < 64; shift += 8) {
            size_t count[257] = {0};
            for (size_t i = 0; i < r->n; i++)
                count[((k[i] >> shift) & 255) + 1]++;
            if (count[((k[0] >> shift) & 255) + 1] == r->n)
                continue; /* every key has this byte */
            for (int b = 0; b < 256; b++)
                count[b + 1] += count[b];
            for (size_t i = 0; i < r->n; i++) {
                size_t to = count[(k[i] >> shift) & 255]++;
                k2[to] = k[i];
                ix2[to] = ix[i];
            }
            memcpy(k, k2, r->n * sizeof(*k));
            memcpy(ix, ix2, r->n * sizeof(*ix));
        }
    }
    free(k);
    *out = ix;
    return 0;
}

typedef struct ranked_id {
    const char *id;
    uint32_t no;
} ranked_id;

static int cmp_ranked(const void *a, const void *b)
{
    return strcmp(((const ranked_id *)a)->id, ((const ranked_id *)b)->id);
}

/* Sorts the rows by key and person id (by person id and key where the
 * store asks for the person first) and stores them, ROW_BATCH to a call. */
#define ROW_BATCH 8192
static int store_rows(ingest_file *f, ts_rows *r)
{
    ranked_id *rank = malloc((r->n_ids ? r->n_ids : 1) * sizeof(*rank));
    uint32_t *rank_of = malloc((r->n_ids ? r->n_ids : 1) * sizeof(*rank_of));
    char(*sorted)[WARAS_PERSON_ID_MAX] = malloc((r->n_ids ? r->n_ids : 1) * sizeof(*sorted));
    waras_event *ev = malloc(ROW_BATCH * sizeof(*ev));
    uint32_t *order = NULL;
    int rc = 0;
    if (!rank || !rank_of || !sorted || !ev) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < r->n_ids; i++)
        rank[i] = (ranked_id){r->ids[i], (uint32_t)i};
    qsort(rank, r->n_ids, sizeof(*rank), cmp_ranked);
    for (size_t i = 0; i < r->n_ids; i++) {
        rank_of[rank[i].no] = (uint32_t)i;
        memcpy(sorted[i], rank[i].id, sizeof(sorted[i]));
    }
    for (size_t i = 0; i < r->n; i++)
        r->v[i].person = rank_of[r->v[i].person];
    if ((rc = sort_rows(r, waras_store_events_person_first(f->st), &order)))
        goto cleanup;
    size_t nb = 0;
    for (size_t i = 0; i < r->n && !rc; i++) {
        const ts_row *row = &r->v[order[i]];
        ev[nb++] = (waras_event){
            .person = sorted[row->person],
            .kind = "timesheet",
            .status = "accepted",
            .start = row->start,
            .end = row->end,
            .source_kind = "timesheet",
            .source_key = row->key,
            .attrs = row->attrs ? r->attrs.ptr + row->attrs - 1 : NULL,
        };
        if (nb == ROW_BATCH || i + 1 == r->n) {
            rc = waras_ingest__put_many(f, ev, nb);
            nb = 0;
        }
    }
cleanup:
    free(rank);
    free(rank_of);
    free(sorted);
    free(ev);
    free(order);
    return rc;
}

/* The UTC instant of local time c; 1 when c falls in a gap (the clocks go
 * forward over it), which a timesheet refuses rather than shift. */
static int local_to_utc(waras_instant *out, day_offset *cache, const waras_tz *tz,
                        const waras_civil *c)
{
    int64_t day = waras_time__days_from_civil(c->year, c->month, c->day);
    size_t i = (size_t)(((uintptr_t)tz >> 4) * 31 + (uint64_t)day) & (DAY_CACHE - 1);
    day_offset *e = &cache[i];
    if (e->tz != tz || e->day != day) {
        waras_civil m0 = {c->year, c->month, c->day, 0, 0, 0}, m1 = {0};
        waras_time__civil_from_days(&m1.year, &m1.month, &m1.day, day + 1);
        waras_instant u0 = waras_tz_to_utc(tz, &m0), u1 = waras_tz_to_utc(tz, &m1);
        int off0 = (int)(day * 86400 - u0), off1 = (int)((day + 1) * 86400 - u1);
        e->tz = tz;
        e->day = day;
        e->offset = off0;
        e->fixed = off0 == off1 && waras_tz_offset(tz, u0) == off0 &&
                   waras_tz_offset(tz, u1 - 1) == off0;
    }
    if (!e->fixed) {
        *out = waras_tz_to_utc(tz, c);
        return *out + waras_tz_offset(tz, *out) != waras_civil_to_epoch(c);
    }
    *out = waras_civil_to_epoch(c) - e->offset;
    return 0;
}

int waras_ingest_timesheet(waras_ingest_result *res, waras_store *st, const char *path)
{
    static const char *const required[] = {"person", "date", NULL};
    ingest_file f;
    waras_csv *csv = NULL;
    waras_strmap *person_no = NULL; /* a number for each person seen */
    day_counts per_day = {0};        /* entries so far per person and date */
    long person = 0, cur_no = 0;
    char last_id[WARAS_PERSON_ID_MAX] = "";
    waras_person p = {0};
    day_offset *days = calloc(DAY_CACHE, sizeof(*days));
    ts_rows rows = {0};
    waras_buf_init(&rows.attrs, 0);
    int rc = days ? waras_ingest__begin(&f, st, "timesheet", path, res)
                  : waras_error_msg(WARAS_ENOMEM, "out of memory");
    if (rc || res->already)
        goto cleanup;
    if ((rc = waras_csv_open(&csv, f.data, f.len, path)) ||
        (rc = waras_csv_read_header(csv, required)) || (rc = waras_strmap_new(&person_no)))
        goto cleanup;
    int c_person = waras_csv_column(csv, "person"), c_date = waras_csv_column(csv, "date"),
        c_hours = waras_csv_column(csv, "hours"), c_start = waras_csv_column(csv, "start"),
        c_end = waras_csv_column(csv, "end"), c_project = waras_csv_column(csv, "project");
    if (c_hours < 0 && (c_start < 0 || c_end < 0)) {
        rc = waras_error_set(WARAS_EPARSE, path, 1, "hours",
                             "the header needs either 'hours' or both 'start' and 'end'");
        goto cleanup;
    }
    while ((rc = waras_csv_next(csv)) == 1) {
        long line = waras_csv_line(csv);
        const waras_tz *tz;
        int y, m, d, smin, emin;
        const char *who = waras_csv_field(csv, c_person);
        /* Rows come grouped by person: look a name up only when it changes. */
        if (strcmp(who, p.id) != 0 && waras_ingest__resolve_person(st, who, &p) != 0) {
            ROW_ERROR("person", "unknown person '%s' (import people.csv first)", who);
            goto cleanup;
        }
        if ((rc = waras_tz_get(&tz, p.timezone)))
            goto cleanup;
        const char *date = waras_csv_field(csv, c_date);
        if ((rc = waras_ingest__date(&y, &m, &d, date, path, line, "date")))
            goto cleanup;
        const char *hs = c_start >= 0 ? waras_csv_field(csv, c_start) : "";
        const char *he = c_end >= 0 ? waras_csv_field(csv, c_end) : "";
        if (*hs || *he) {
            if (waras_ingest__parse_hhmm(hs, &smin)) {
                ROW_ERROR("start", "'%s' is not a time HH:MM", hs);
                goto cleanup;
            }
            if (waras_ingest__parse_hhmm(he, &emin)) {
                ROW_ERROR("end", "'%s' is not a time HH:MM", he);
                goto cleanup;
            }
            if (emin <= smin)
                emin += 24 * 60; /* a shift past midnight ends the next day */
        } else {
            double hours;
            const char *hv = c_hours >= 0 ? waras_csv_field(csv, c_hours) : "";
            if (waras_parse_double(hv, &hours) || hours <= 0 || hours > 24) {
                ROW_ERROR("hours", "'%s' is not a number of hours between 0 and 24", hv);
                goto cleanup;
            }
            smin = p.work_start;
            emin = smin + (int)(hours * 60 + 0.5);
        }
        waras_civil cs = {y, m, d, 0, 0, 0};
        int64_t day = waras_time__days_from_civil(y, m, d);
        waras_civil ce;
        waras_time__civil_from_days(&ce.year, &ce.month, &ce.day, day + emin / 1440);
        cs.hour = smin / 60;
        cs.minute = smin % 60;
        ce.hour = (emin % 1440) / 60;
        ce.minute = emin % 60;
        ce.second = 0;
        /* Keys and attrs are put together by hand: this runs once a row,
         * and snprintf() cost more than the rest of it. The date is 10
         * bytes (parsed above). */
        if (rows.n == rows.cap) {
            size_t cap = rows.cap ? rows.cap * 2 : 4096;
            ts_row *nv = realloc(rows.v, cap * sizeof(*nv));
            if (!nv) {
                rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
                goto cleanup;
            }
            rows.v = nv;
            rows.cap = cap;
        }
        ts_row *row = &rows.v[rows.n];
        size_t nl = 0;
        char *key = row->key, num[24];
        long *ord = NULL;
        if (strcmp(last_id, p.id) != 0) {
            long *no = waras_strmap_slot(person_no, p.id);
            if (no && !*no) {
                if (rows.n_ids == rows.cap_ids) {
                    size_t cap = rows.cap_ids ? rows.cap_ids * 2 : 64;
                    char(*ni)[WARAS_PERSON_ID_MAX] = realloc(rows.ids, cap * sizeof(*ni));
                    if (!ni)
                        no = NULL;
                    else {
                        rows.ids = ni;
                        rows.cap_ids = cap;
                    }
                }
                if (no) {
                    waras_strlcpy(rows.ids[rows.n_ids++], p.id, sizeof(rows.ids[0]));
                    *no = ++person;
                }
            }
            cur_no = no ? *no : 0;
            waras_strlcpy(last_id, p.id, sizeof(last_id));
        }
        if (cur_no)
            ord = day_count_slot(&per_day, cur_no, day);
        if (!ord) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
        row->day = (int32_t)day;
        row->ord = (uint32_t)(*ord + 1);
        for (long v = ++*ord; v && nl < 12; v /= 10)
            num[nl++] = (char)('0' + v % 10);
        memcpy(key, date, 10);
        key[10] = '#';
        for (size_t k = 0; k < nl; k++)
            key[11 + k] = num[nl - 1 - k];
        key[11 + nl] = '\0';
        row->attrs = 0;
        const char *project = c_project >= 0 ? waras_csv_field(csv, c_project) : "";
        if (*project) {
            /* Only plain text goes into the JSON by hand; anything else is dropped. */
            size_t pl = strlen(project);
            if (pl < 120 && !strpbrk(project, "\"\\\n\r\t")) {
                row->attrs = (uint32_t)rows.attrs.len + 1;
                if ((rc = waras_buf_add(&rows.attrs, "{\"project\":\"", 12)) ||
                    (rc = waras_buf_add(&rows.attrs, project, pl)) ||
                    (rc = waras_buf_add(&rows.attrs, "\"}", 3)))
                    goto cleanup;
            }
        }
        row->person = (uint32_t)(cur_no - 1);
        int gap = local_to_utc(&row->start, days, tz, &cs) ? 1
                  : local_to_utc(&row->end, days, tz, &ce)  ? 2
                                                            : 0;
        if (gap) {
            const waras_civil *g = gap == 1 ? &cs : &ce;
            ROW_ERROR(*hs ? (gap == 1 ? "start" : "end") : "hours",
                      "%02d:%02d on %04d-%02d-%02d does not exist in %s (the clocks go forward "
                      "over it)", g->hour, g->minute, g->year, g->month, g->day, p.timezone);
            goto cleanup;
        }
        rows.n++;
        res->rows++;
    }
    if (rc >= 0)
        rc = store_rows(&f, &rows); /* the whole file, in key order */
cleanup:
    free(rows.v);
    free(rows.ids);
    waras_buf_free(&rows.attrs);
    free(days);
    waras_strmap_free(person_no);
    free(per_day.keys);
    free(per_day.counts);
    waras_csv_free(csv);
    return waras_ingest__end(&f, rc);
}

static const char *const leave_types[] = {"vacation", "sick", "holiday", "recovery", "parental",
                                          "other", NULL};

int waras_ingest__leave_csv(waras_store *st, const char *path, waras_ingest_result *res)
{
    static const char *const required[] = {"person", "start", "end", NULL};
    ingest_file f;
    waras_csv *csv = NULL;
    int rc = waras_ingest__begin(&f, st, "leave", path, res);
    if (rc || res->already)
        goto cleanup;
    if ((rc = waras_csv_open(&csv, f.data, f.len, path)) ||
        (rc = waras_csv_read_header(csv, required)))
        goto cleanup;
    int c_person = waras_csv_column(csv, "person"), c_start = waras_csv_column(csv, "start"),
        c_end = waras_csv_column(csv, "end"), c_type = waras_csv_column(csv, "type");
    while ((rc = waras_csv_next(csv)) == 1) {
        long line = waras_csv_line(csv);
        waras_person p;
        const waras_tz *tz;
        int y1, m1, d1, y2, m2, d2;
        const char *who = waras_csv_field(csv, c_person);
        if (waras_ingest__resolve_person(st, who, &p) != 0) {
            ROW_ERROR("person", "unknown person '%s' (import people.csv first)", who);
            goto cleanup;
        }
        if ((rc = waras_tz_get(&tz, p.timezone)))
            goto cleanup;
        const char *s = waras_csv_field(csv, c_start), *e = waras_csv_field(csv, c_end);
        if ((rc = waras_ingest__date(&y1, &m1, &d1, s, path, line, "start")) ||
            (rc = waras_ingest__date(&y2, &m2, &d2, e, path, line, "end")))
            goto cleanup;
        int64_t first = waras_time__days_from_civil(y1, m1, d1), last = waras_time__days_from_civil(y2, m2, d2);
        if (last < first) {
            ROW_ERROR("end", "leave ends (%s) before it starts (%s)", e, s);
            goto cleanup;
        }
        const char *type = c_type >= 0 && *waras_csv_field(csv, c_type)
                               ? waras_csv_field(csv, c_type)
                               : "vacation";
        int known = 0;
        for (int i = 0; leave_types[i]; i++)
            known |= strcmp(type, leave_types[i]) == 0;
        if (!known) {
            ROW_ERROR("type", "unknown leave type '%s' (expected vacation, sick, holiday, "
                              "recovery, parental or other)", type);
            goto cleanup;
        }
        waras_civil end_day;
        waras_time__civil_from_days(&end_day.year, &end_day.month, &end_day.day, last + 1);
        char key[96], attrs[64];
        /* The type is part of the key: the same days booked as two kinds of
         * leave are two rows, not one that the second overwrites. */
        snprintf(key, sizeof(key), "%s..%s %s", s, e, type);
        snprintf(attrs, sizeof(attrs), "{\"type\":\"%s\"}", type);
        waras_event ev = {
            .person = p.id,
            .kind = "leave",
            .status = "accepted",
            .start = waras_tz_date_start(tz, (waras_date){y1, m1, d1}),
            .end = waras_tz_date_start(tz, (waras_date){end_day.year, end_day.month, end_day.day}),
            .all_day = 1,
            .source_kind = "leave",
            .source_key = key,
            .attrs = attrs,
        };
        if ((rc = waras_ingest__put(&f, &ev)))
            goto cleanup;
        res->rows++;
    }
    if (rc > 0)
        rc = 0;
cleanup:
    waras_csv_free(csv);
    return waras_ingest__end(&f, rc);
}
