/*
 * Reader for the Curtois & Qu shift-scheduling text format (SECTION_* blocks
 * of comma-separated lines, '#' comments, CR LF or LF line ends), and the
 * roster TSV that `waras roster solve` writes and `roster score` reads.
 * Every error names the file, the 1-based line and the field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster_int.h"
#include "util/util.h"
#include "waras/error.h"

#define MAX_FIELDS 4096

enum section {
    SEC_NONE,
    SEC_HORIZON,
    SEC_SHIFTS,
    SEC_STAFF,
    SEC_DAYS_OFF,
    SEC_ON,
    SEC_OFF,
    SEC_COVER,
};

static const struct {
    const char *name;
    enum section sec;
} sections[] = {
    {"SECTION_HORIZON", SEC_HORIZON},
    {"SECTION_SHIFTS", SEC_SHIFTS},
    {"SECTION_STAFF", SEC_STAFF},
    {"SECTION_DAYS_OFF", SEC_DAYS_OFF},
    {"SECTION_SHIFT_ON_REQUESTS", SEC_ON},
    {"SECTION_SHIFT_OFF_REQUESTS", SEC_OFF},
    {"SECTION_COVER", SEC_COVER},
};

typedef struct pending_follow {
    int shift;
    long line;
    char *list;
} pending_follow;

typedef struct pctx {
    const char *path;
    long line;
    waras_roster_problem *p;
    pending_follow *follow;
    size_t nfollow, afollow;
    char *fields[MAX_FIELDS];
    int nfields;
} pctx;

static int perr(pctx *c, const char *field, const char *fmt, const char *arg)
{
    return waras_error_set(WARAS_EPARSE, c->path, c->line, field, fmt, arg);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Splits line in place at sep into c->fields. */
static int split(pctx *c, char *line, char sep)
{
    c->nfields = 0;
    char *s = line;
    for (;;) {
        if (c->nfields == MAX_FIELDS)
            return waras_error_set(WARAS_EPARSE, c->path, c->line, NULL,
                                   "more than %d fields on one line", MAX_FIELDS);
        char *e = strchr(s, sep);
        if (e)
            *e = '\0';
        c->fields[c->nfields++] = trim(s);
        if (!e)
            break;
        s = e + 1;
    }
    return 0;
}

static int parse_int(pctx *c, const char *s, const char *field, long lo, long hi, int *out)
{
    long v;
    if (waras_parse_long(s, &v) || v < lo || v > hi)
        return waras_error_set(WARAS_EPARSE, c->path, c->line, field,
                               "expected an integer in %ld..%ld, got '%s'", lo, hi, s);
    *out = (int)v;
    return 0;
}

static int need_fields(pctx *c, int lo, int hi, const char *what)
{
    if (c->nfields < lo || c->nfields > hi)
        return waras_error_set(WARAS_EPARSE, c->path, c->line, NULL,
                               "expected %d fields (%s), found %d", lo, what, c->nfields);
    return 0;
}

static int shift_ref(pctx *c, const char *id, const char *field, int *out)
{
    int s = waras_roster_shift_index(c->p, id);
    if (s < 0)
        return perr(c, field, "unknown shift '%s'", id);
    *out = s;
    return 0;
}

static int emp_ref(pctx *c, const char *id, int *out)
{
    int e = waras_roster_employee_index(c->p, id);
    if (e < 0)
        return perr(c, "EmployeeID", "unknown employee '%s'", id);
    *out = e;
    return 0;
}

/* Re-labels an error from the building API with this line. */
static int api_err(pctx *c, int rc, const char *field)
{
    char msg[1024];
    waras_strlcpy(msg, waras_error_last()->message, sizeof(msg));
    return waras_error_set(rc == WARAS_ENOMEM ? rc : WARAS_EPARSE, c->path, c->line, field, "%s", msg);
}

/* NotFollow lists may name shifts defined further down the section, so they
 * are resolved when the section ends. */
static int resolve_follow(pctx *c)
{
    int rc = 0;
    long keep = c->line;
    for (size_t i = 0; i < c->nfollow && !rc; i++) {
        c->line = c->follow[i].line;
        if (!c->follow[i].list[0])
            continue;
        rc = split(c, c->follow[i].list, '|');
        for (int k = 0; k < c->nfields && !rc; k++) {
            int nx = 0;
            if (!c->fields[k][0])
                continue;
            rc = shift_ref(c, c->fields[k], "NotFollow", &nx);
            if (!rc && (rc = waras_roster_forbid_sequence(c->p, c->follow[i].shift, nx)))
                rc = api_err(c, rc, "NotFollow");
        }
    }
    for (size_t i = 0; i < c->nfollow; i++)
        free(c->follow[i].list);
    c->nfollow = 0;
    if (!rc)
        c->line = keep;
    return rc;
}

static int line_shift(pctx *c)
{
    int rc = need_fields(c, 2, 3, "ShiftID,LengthMins,NotFollow");
    int idx = 0, mins = 0;
    if (!rc)
        rc = parse_int(c, c->fields[1], "LengthMins", 0, 24 * 60 * 7, &mins);
    if (rc)
        return rc;
    if ((rc = waras_roster_add_shift(c->p, &idx, c->fields[0], mins)))
        return api_err(c, rc, "ShiftID");
    if (c->nfollow == c->afollow) {
        size_t na = c->afollow ? c->afollow * 2 : 16;
        pending_follow *nf = realloc(c->follow, na * sizeof(*nf));
        if (!nf)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        c->follow = nf;
        c->afollow = na;
    }
    char *list = waras_strdup(c->nfields > 2 ? c->fields[2] : "");
    if (!list)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    c->follow[c->nfollow++] = (pending_follow){idx, c->line, list};
    return 0;
}

static int line_staff(pctx *c)
{
    static const char *names[] = {"ID", "MaxShifts", "MaxTotalMinutes", "MinTotalMinutes",
                                  "MaxConsecutiveShifts", "MinConsecutiveShifts",
                                  "MinConsecutiveDaysOff", "MaxWeekends"};
    int rc = need_fields(c, 8, 8,
                         "ID,MaxShifts,MaxTotalMinutes,MinTotalMinutes,MaxConsecutiveShifts,"
                         "MinConsecutiveShifts,MinConsecutiveDaysOff,MaxWeekends");
    int v[8] = {0};
    for (int i = 2; i < 8 && !rc; i++)
        rc = parse_int(c, c->fields[i], names[i], 0, 1000000000, &v[i]);
    int e = 0;
    if (rc)
        return rc;
    if ((rc = waras_roster_add_employee(c->p, &e, c->fields[0])))
        return api_err(c, rc, "ID");
    waras_roster_limits lim = {v[3], v[2], v[5], v[4], v[6], v[7]};
    if ((rc = waras_roster_set_limits(c->p, e, &lim)))
        return api_err(c, rc, "ID");
    char *maxs = c->fields[1];
    if (!*maxs)
        return 0;
    /* fields[] is reused by split(), so walk the '|' list by hand. */
    while (maxs) {
        char *bar = strchr(maxs, '|');
        if (bar)
            *bar = '\0';
        char *eq = strchr(maxs, '=');
        if (!eq)
            return perr(c, "MaxShifts", "expected SHIFT=MAX, got '%s'", maxs);
        *eq = '\0';
        int s = 0, mx = 0;
        rc = shift_ref(c, trim(maxs), "MaxShifts", &s);
        if (!rc)
            rc = parse_int(c, trim(eq + 1), "MaxShifts", 0, 1000000000, &mx);
        if (!rc && (rc = waras_roster_set_max_shifts(c->p, e, s, mx)))
            rc = api_err(c, rc, "MaxShifts");
        if (rc)
            return rc;
        maxs = bar ? bar + 1 : NULL;
    }
    return 0;
}

static int line_days_off(pctx *c)
{
    int e = 0, rc = need_fields(c, 2, MAX_FIELDS, "EmployeeID,day[,day...]");
    if (!rc)
        rc = emp_ref(c, c->fields[0], &e);
    for (int i = 1; i < c->nfields && !rc; i++) {
        int d = 0;
        if (!c->fields[i][0] && i == c->nfields - 1)
            break; /* tolerate a trailing comma */
        rc = parse_int(c, c->fields[i], "Day", 0, waras_roster_ndays(c->p) - 1, &d);
        if (!rc && (rc = waras_roster_set_day_off(c->p, e, d)))
            rc = api_err(c, rc, "Day");
    }
    return rc;
}

static int line_request(pctx *c, int on)
{
    int rc = need_fields(c, 4, 4, "EmployeeID,Day,ShiftID,Weight");
    int e = 0, d = 0, s = 0, w = 0;
    if (!rc)
        rc = emp_ref(c, c->fields[0], &e);
    if (!rc)
        rc = parse_int(c, c->fields[1], "Day", 0, waras_roster_ndays(c->p) - 1, &d);
    if (!rc)
        rc = shift_ref(c, c->fields[2], "ShiftID", &s);
    if (!rc)
        rc = parse_int(c, c->fields[3], "Weight", 0, 1000000, &w);
    if (!rc && (rc = waras_roster_add_request(c->p, e, d, s, on, w)))
        rc = api_err(c, rc, "Weight");
    return rc;
}

static int line_cover(pctx *c)
{
    int rc = need_fields(c, 5, 5, "Day,ShiftID,Requirement,WeightUnder,WeightOver");
    int d = 0, s = 0, r = 0, wu = 0, wo = 0;
    if (!rc)
        rc = parse_int(c, c->fields[0], "Day", 0, waras_roster_ndays(c->p) - 1, &d);
    if (!rc)
        rc = shift_ref(c, c->fields[1], "ShiftID", &s);
    if (!rc)
        rc = parse_int(c, c->fields[2], "Requirement", 0, WARAS_ROSTER_MAX_EMPLOYEES, &r);
    if (!rc)
        rc = parse_int(c, c->fields[3], "WeightUnder", 0, 1000000, &wu);
    if (!rc)
        rc = parse_int(c, c->fields[4], "WeightOver", 0, 1000000, &wo);
    if (!rc && (rc = waras_roster_set_cover(c->p, d, s, r, wu, wo)))
        rc = api_err(c, rc, "Requirement");
    return rc;
}

static int data_line(pctx *c, enum section sec, char *line)
{
    int rc;
    if (sec == SEC_NONE)
        return perr(c, NULL, "data outside a SECTION_* block: '%.60s'", line);
    if (sec != SEC_HORIZON && !c->p)
        return perr(c, NULL, "%s", "SECTION_HORIZON must come before the other sections");
    if ((rc = split(c, line, ',')))
        return rc;
    switch (sec) {
    case SEC_HORIZON: {
        int days = 0;
        if (c->p)
            return perr(c, NULL, "%s", "the horizon is given twice");
        if ((rc = need_fields(c, 1, 1, "horizon length in days")) ||
            (rc = parse_int(c, c->fields[0], "horizon", 1, WARAS_ROSTER_MAX_DAYS, &days)))
            return rc;
        if ((rc = waras_roster_problem_new(&c->p, days)))
            return api_err(c, rc, "horizon");
        return 0;
    }
    case SEC_SHIFTS:
        return line_shift(c);
    case SEC_STAFF:
        return line_staff(c);
    case SEC_DAYS_OFF:
        return line_days_off(c);
    case SEC_ON:
        return line_request(c, 1);
    case SEC_OFF:
        return line_request(c, 0);
    case SEC_COVER:
        return line_cover(c);
    default:
        return perr(c, NULL, "%s", "unexpected data");
    }
}

/* A writable, NUL-terminated copy of a text input; a NUL inside it is an
 * error (not a text file). */
static int text_copy(pctx *c, const char *data, size_t len, char **out)
{
    if (memchr(data, '\0', len))
        return waras_error_set(WARAS_EPARSE, c->path, 0, NULL, "contains a NUL byte; not a text file");
    char *buf = malloc(len + 1);
    if (!buf)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    memcpy(buf, data, len);
    buf[len] = '\0';
    *out = buf;
    return 0;
}

/* The next line of *next (LF or CRLF), counted in c->line; NULL at the end. */
static char *next_line(pctx *c, char **next)
{
    char *line = *next;
    if (!line)
        return NULL;
    char *nl = strchr(line, '\n');
    *next = nl ? nl + 1 : NULL;
    if (nl)
        *nl = '\0';
    c->line++;
    size_t n = strlen(line);
    while (n && line[n - 1] == '\r')
        line[--n] = '\0';
    return line;
}

int waras_roster_parse(waras_roster_problem **out, const char *data, size_t len, const char *path)
{
    int rc = 0;
    pctx c = {0};
    char *buf = NULL, *line;
    enum section sec = SEC_NONE;
    c.path = path ? path : "<input>";
    if ((rc = text_copy(&c, data, len, &buf)))
        goto cleanup;
    char *next = buf;
    while (!rc && (line = next_line(&c, &next))) {
        if (c.line == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
            (unsigned char)line[2] == 0xBF)
            line += 3;
        char *t = trim(line);
        if (*t == '#')
            continue;
        if (!*t) {
            if (sec == SEC_SHIFTS)
                rc = resolve_follow(&c);
            sec = SEC_NONE;
            continue;
        }
        if (strncmp(t, "SECTION_", 8) == 0) {
            enum section ns = SEC_NONE;
            for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
                if (strcmp(t, sections[i].name) == 0)
                    ns = sections[i].sec;
            if (ns == SEC_NONE) {
                rc = perr(&c, NULL, "unknown section '%.60s'", t);
                break;
            }
            if (sec == SEC_SHIFTS && (rc = resolve_follow(&c)))
                break;
            sec = ns;
            continue;
        }
        rc = data_line(&c, sec, t);
    }
    if (!rc && sec == SEC_SHIFTS)
        rc = resolve_follow(&c);
    if (!rc && !c.p)
        rc = waras_error_set(WARAS_EPARSE, c.path, 0, NULL, "no SECTION_HORIZON found");
    /* A truncated instance would otherwise be solved as a roster of nobody. */
    if (!rc && c.p->employees.n == 0)
        rc = waras_error_set(WARAS_EPARSE, c.path, c.line, "SECTION_STAFF",
                             "no employees (SECTION_STAFF is missing or empty)");
    if (!rc) {
        *out = c.p;
        c.p = NULL;
    }
cleanup:
    for (size_t i = 0; i < c.nfollow; i++)
        free(c.follow[i].list);
    free(c.follow);
    waras_roster_problem_free(c.p);
    free(buf);
    return rc;
}

int waras_roster_load(waras_roster_problem **out, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    int rc = waras_file_read(&data, &len, path);
    if (!rc)
        rc = waras_roster_parse(out, data, len, path);
    free(data);
    return rc;
}

int waras_roster_read_tsv(int **cells, const waras_roster_problem *p, const char *data, size_t len,
                          const char *path)
{
    int rc = 0;
    int D = p->ndays, E = (int)p->employees.n;
    int *x = malloc(((size_t)E * D + 1) * sizeof(int));
    char *seen = calloc((size_t)E + 1, 1);
    char *buf = NULL, *line;
    pctx c = {0};
    c.path = path ? path : "<roster>";
    c.p = (waras_roster_problem *)p;
    if (!x || !seen) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = text_copy(&c, data, len, &buf)))
        goto cleanup;
    char *next = buf;
    while (!rc && (line = next_line(&c, &next))) {
        if (!*trim(line) || line[0] == '#')
            continue;
        if ((rc = split(&c, line, '\t')))
            break;
        int e = waras_roster_employee_index(p, c.fields[0]);
        if (e < 0) {
            rc = perr(&c, "ID", "unknown employee '%s'", c.fields[0]);
            break;
        }
        if (seen[e]) {
            rc = perr(&c, "ID", "employee '%s' appears twice", c.fields[0]);
            break;
        }
        seen[e] = 1;
        if (c.nfields != D + 1) {
            rc = waras_error_set(WARAS_EPARSE, c.path, c.line, "cells",
                                 "expected %d day cells for employee '%s', found %d", D,
                                 c.fields[0], c.nfields - 1);
            break;
        }
        for (int d = 0; d < D && !rc; d++) {
            const char *v = c.fields[d + 1];
            char field[32];
            snprintf(field, sizeof(field), "day %d", d);
            if (strcmp(v, "-") == 0) {
                x[(size_t)e * D + d] = WARAS_ROSTER_OFF;
            } else {
                int s = waras_roster_shift_index(p, v);
                if (s < 0)
                    rc = waras_error_set(WARAS_EPARSE, c.path, c.line, field,
                                         "unknown shift '%s' (use '-' for a day off)", v);
                else
                    x[(size_t)e * D + d] = s;
            }
        }
    }
    for (int e = 0; e < E && !rc; e++)
        if (!seen[e])
            rc = waras_error_set(WARAS_EPARSE, c.path, c.line, "ID", "employee '%s' is missing",
                                 waras_roster_employee_id(p, e));
    if (!rc) {
        *cells = x;
        x = NULL;
    }
cleanup:
    free(x);
    free(seen);
    free(buf);
    return rc;
}

int waras_roster_write_tsv(char **out, size_t *len, const waras_roster_problem *p, const int *cells)
{
    int rc = 0;
    waras_buf b;
    waras_buf_init(&b, WARAS_BUF_DEFAULT_CAP);
    int D = p->ndays, E = (int)p->employees.n;
    for (int e = 0; e < E && !rc; e++) {
        rc = waras_buf_add(&b, waras_roster_employee_id(p, e), strlen(waras_roster_employee_id(p, e)));
        for (int d = 0; d < D && !rc; d++) {
            int v = cells[(size_t)e * D + d];
            const char *id = v == WARAS_ROSTER_OFF ? "-" : waras_roster_shift_id(p, v);
            if (!id) {
                rc = waras_error_msg(WARAS_EINVAL, "cell %d,%d holds bad value %d", e, d, v);
                break;
            }
            rc = waras_buf_addc(&b, '\t');
            if (!rc)
                rc = waras_buf_add(&b, id, strlen(id));
        }
        if (!rc)
            rc = waras_buf_addc(&b, '\n');
    }
    if (!rc) {
        *len = b.len;
        *out = waras_buf_detach(&b);
        if (!*out)
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    waras_buf_free(&b);
    return rc;
}
