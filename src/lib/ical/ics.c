/*
 * Reading an iCalendar file into the module's model (ics_int.h). libical
 * does the RFC 5545 parsing (unfolding, CRLF or LF, escapes, quoted
 * parameters, lists in EXDATE and RDATE); a light line scan beforehand
 * rejects text that is not iCalendar at all, checks that BEGIN and END
 * nest, and remembers where each VEVENT starts so that errors name a line.
 * Each VEVENT is then read once: its start, length, recurrence parts and
 * overrides, so that expanding a window later does no parsing. Read
 * leniently (the default of waras_ics_parse_with), a component that cannot
 * be read is left out and a malformed recurrence value repaired, each with
 * a warning kept in the calendar; of several copies of one event the newest
 * is kept (RFC 5546).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ical/ics_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "time/days.h"

#define SCAN_MAX_DEPTH 32

typedef struct scan_result {
    long *lines;  /* line of each BEGIN:VEVENT, in file order */
    size_t *offs; /* byte offset of that line */
    size_t n;
    waras_buf text; /* what libical gets: see scan() */
} scan_result;

/* Compares a line (without its end) with a keyword, ignoring case and
 * trailing blanks. */
static int line_is(const char *s, size_t n, const char *kw)
{
    size_t k = strlen(kw);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n != k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (toupper((unsigned char)s[i]) != kw[i])
            return 0;
    return 1;
}

static int line_starts(const char *s, size_t n, const char *kw)
{
    size_t k = strlen(kw);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (toupper((unsigned char)s[i]) != kw[i])
            return 0;
    return 1;
}

/* Copies a line into a message-safe form: printable ASCII, at most 40. */
static void excerpt(char *dst, size_t size, const char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n && j + 4 < size && i < 40; i++)
        dst[j++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (n > 40 && j + 4 < size) {
        memcpy(dst + j, "...", 3);
        j += 3;
    }
    dst[j] = '\0';
}

/* The name of a content line: up to the first ';' or ':'. */
static size_t name_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ';' && s[i] != ':')
        i++;
    return i;
}

static int name_is(const char *s, size_t n, const char *kw)
{
    size_t k = name_len(s, n);
    return k == strlen(kw) && line_starts(s, n, kw);
}

/* One physical line from pos: its start, length, and where the next one
 * begins (CRLF, LF or a lone CR end a line). */
static size_t next_line(const char *data, size_t len, size_t pos, size_t *n)
{
    size_t end = pos;
    while (end < len && data[end] != '\n' && data[end] != '\r')
        end++;
    *n = end - pos;
    if (end < len && data[end] == '\r') {
        end++;
        if (end < len && data[end] == '\n')
            end++;
    } else if (end < len) {
        end++;
    }
    return end;
}

/* The offset of the first byte of s[0..n) that is not UTF-8, or n. */
static size_t utf8_bad(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = u[i] >= 0xF0 && u[i] <= 0xF4 ? 4 : u[i] >= 0xE0 ? 3 : u[i] >= 0xC2 ? 2 : 0;
        if (!k || k > n - i || (u[i] == 0xE0 && u[i + 1] < 0xA0) ||
            (u[i] == 0xED && u[i + 1] > 0x9F) || (u[i] == 0xF0 && u[i + 1] < 0x90) ||
            (u[i] == 0xF4 && u[i + 1] > 0x8F))
            return i;
        for (size_t j = 1; j < k; j++)
            if ((u[i + j] & 0xC0) != 0x80)
                return i;
        i += k;
    }
    return n;
}

static int is_digits(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

/* Whether one item of a BYxxx list is in range (RFC 5545 3.3.10). */
static int by_item_ok(const char *key, const char *v)
{
    static const struct {
        const char *key;
        int lo, hi, signed_ok;
    } ranges[] = {
        {"BYSECOND", 0, 60, 0},  {"BYMINUTE", 0, 59, 0},    {"BYHOUR", 0, 23, 0},
        {"BYMONTHDAY", 1, 31, 1}, {"BYYEARDAY", 1, 366, 1}, {"BYWEEKNO", 1, 53, 1},
        {"BYMONTH", 1, 12, 0},   {"BYSETPOS", 1, 366, 1},
    };
    if (strcmp(key, "BYDAY") == 0) {
        size_t n = strlen(v);
        if (n < 2)
            return 0;
        static const char *const days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
        int day_ok = 0;
        for (size_t i = 0; i < 7; i++)
            day_ok |= strcmp(v + n - 2, days[i]) == 0;
        if (!day_ok)
            return 0;
        if (n == 2)
            return 1;
        char num[8];
        if (n - 2 >= sizeof(num))
            return 0;
        memcpy(num, v, n - 2);
        num[n - 2] = '\0';
        long k = is_digits(num) ? strtol(num, NULL, 10) : 0;
        return k != 0 && labs(k) <= 53;
    }
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        if (strcmp(key, ranges[i].key) != 0)
            continue;
        if (!is_digits(v) || (!ranges[i].signed_ok && (*v == '-' || *v == '+')))
            return 0;
        long k = strtol(v, NULL, 10);
        return labs(k) >= ranges[i].lo && labs(k) <= ranges[i].hi;
    }
    return 0;
}

/* Writes an RRULE content line (already unfolded) for libical, repairing
 * what exporters get wrong in the wild (docs/ics.md, "Tolerable garbage"):
 * empty parts (a trailing or doubled ';') and lower case are fixed quietly;
 * COUNT or INTERVAL that is not a positive number, out-of-range BYxxx
 * values, UNTIL with '-' or ':' and unknown parts are fixed with a warning.
 * Under --strict the latter are left for libical to refuse, as before. */
static int fix_rrule(waras_buf *out, const char *s, size_t n, ics_diag *d, long line)
{
    int rc = 0, quoted = 0, drop_rule = 0;
    size_t colon = 0;
    waras_buf b;
    char *part = NULL;
    waras_buf_init(&b, 0); /* at most the line itself: content lines are bounded */
    while (colon < n && (quoted || s[colon] != ':')) {
        if (s[colon] == '"')
            quoted = !quoted;
        colon++;
    }
    if (colon >= n) {
        rc = waras_buf_add(out, s, n) || waras_buf_addc(out, '\n') ? WARAS_ENOMEM : 0;
        goto cleanup;
    }
    if (waras_buf_add(&b, s, colon + 1))
        goto oom;
    const char *v = s + colon + 1, *end = s + n;
    int first = 1;
    while (v < end && !drop_rule) {
        const char *semi = memchr(v, ';', (size_t)(end - v));
        size_t k = semi ? (size_t)(semi - v) : (size_t)(end - v);
        free(part);
        if (!(part = malloc(k + 1)))
            goto oom;
        size_t m = 0;
        for (size_t i = 0; i < k; i++)
            if (v[i] != ' ' && v[i] != '\t')
                part[m++] = (char)toupper((unsigned char)v[i]);
        part[m] = '\0';
        v += k + (semi ? 1 : 0);
        if (!m)
            continue; /* an empty part: ";;" or a trailing ';' */
        char *eq = strchr(part, '=');
        const char *key = part, *val = eq ? eq + 1 : "";
        if (eq)
            *eq = '\0';
        const char *why = NULL, *action = "the part is left out", *outv = val;
        int keep = 1;
        char fixed[64] = "", ex[64];
        excerpt(ex, sizeof(ex), val, strlen(val)); /* before lists are compacted */
        if (!eq || !*val) {
            why = "is not NAME=VALUE";
            keep = 0;
        } else if (strcmp(key, "COUNT") == 0 || strcmp(key, "INTERVAL") == 0) {
            if (!is_digits(val) || *val == '-' || *val == '+' || strtol(val, NULL, 10) < 1) {
                why = "is not a positive number";
                action = strcmp(key, "COUNT") == 0 ? "the rule is read without COUNT"
                                                   : "INTERVAL=1 is used";
                keep = 0;
            }
        } else if (strcmp(key, "UNTIL") == 0) {
            if (strpbrk(val, "-:")) {
                size_t j = 0;
                for (const char *c = val; *c && j + 1 < sizeof(fixed); c++)
                    if (*c != '-' && *c != ':')
                        fixed[j++] = *c;
                fixed[j] = '\0';
                outv = fixed;
                why = "is written with separators";
                action = "read without them";
            }
        } else if (strncmp(key, "BY", 2) == 0 && strcmp(key, "BYSECOND") && strcmp(key, "BYMINUTE") &&
                   strcmp(key, "BYHOUR") && strcmp(key, "BYDAY") && strcmp(key, "BYMONTHDAY") &&
                   strcmp(key, "BYYEARDAY") && strcmp(key, "BYWEEKNO") && strcmp(key, "BYMONTH") &&
                   strcmp(key, "BYSETPOS")) {
            why = "is not a part of RFC 5545";
            keep = 0;
        } else if (strncmp(key, "BY", 2) == 0) {
            /* Keep the items in range, compacted in place (the list only
             * shrinks); empty items are dropped quietly. */
            char *w = (char *)val, *item = (char *)val;
            size_t kept = 0, bad = 0;
            while (item) {
                char *comma = strchr(item, ',');
                if (comma)
                    *comma = '\0';
                size_t il = strlen(item);
                if (il && by_item_ok(key, item)) {
                    if (kept++)
                        *w++ = ',';
                    memmove(w, item, il);
                    w += il;
                } else if (il) {
                    bad++;
                }
                item = comma ? comma + 1 : NULL;
            }
            *w = '\0';
            if (bad) {
                why = "has values out of range";
                action = kept ? "they are left out" : "the rule can never match and is left out";
                drop_rule = !kept;
            } else if (!kept) {
                continue; /* "BYDAY=," */
            }
        } else if (strcmp(key, "FREQ") && strcmp(key, "WKST") && strcmp(key, "RSCALE") &&
                   strcmp(key, "SKIP")) {
            why = "is not a part of RFC 5545";
            keep = 0;
        }
        if (why) {
            char shown[64];
            excerpt(shown, sizeof(shown), key, strlen(key));
            if (d->strict) {
                /* Left for libical to refuse, with today's message. */
                rc = waras_buf_add(out, s, n) || waras_buf_addc(out, '\n') ? WARAS_ENOMEM : 0;
                goto cleanup;
            }
            if ((rc = waras_ics__warn(d, ICS_WARN_REPAIR, line, "RRULE", action, "%s%s%s %s",
                                      shown, eq ? "=" : "", ex, why)))
                goto cleanup;
        }
        if (!keep || drop_rule)
            continue;
        if ((!first && waras_buf_addc(&b, ';')) || waras_buf_printf(&b, "%s=%s", key, outv))
            goto oom;
        first = 0;
    }
    if (!drop_rule && (waras_buf_add(out, b.ptr, b.len) || waras_buf_addc(out, '\n')))
        goto oom;
    goto cleanup;
oom:
    rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
cleanup:
    free(part);
    waras_buf_free(&b);
    return rc;
}

/* Components that only stand directly in a VCALENDAR: a BEGIN of one of
 * them deeper down means that an END line is missing. */
static int is_top_level(const char *name)
{
    return strcmp(name, "VEVENT") == 0 || strcmp(name, "VTODO") == 0 ||
           strcmp(name, "VJOURNAL") == 0 || strcmp(name, "VFREEBUSY") == 0 ||
           strcmp(name, "VTIMEZONE") == 0;
}

typedef struct scan_state {
    char names[SCAN_MAX_DEPTH][32];
    long begun[SCAN_MAX_DEPTH];
    size_t text_at[SCAN_MAX_DEPTH]; /* text length before the BEGIN line */
    size_t n_at[SCAN_MAX_DEPTH];    /* VEVENTs seen before it */
    int depth;
} scan_state;

/* Leaves out the open component at depth k and everything in it. */
static void drop_from(scan_result *out, scan_state *st, int k)
{
    out->text.len = st->text_at[k];
    out->n = st->n_at[k];
    st->depth = k;
}

/* Walks the content lines once: rejects text that is not iCalendar, checks
 * that BEGIN and END nest, remembers where each VEVENT starts, and writes
 * the text libical will parse, with LF line ends and BEGIN/END lines in
 * canonical form. Lines libical would misread as BEGIN or END (with
 * parameters, or folded), and anything outside a calendar, are left out:
 * libical prints to stderr when its component stack goes wrong. A component
 * whose BEGIN and END do not match is left out of that text with a warning
 * (an error under --strict), and RRULE values are repaired (fix_rrule). */
static int scan(scan_result *out, const char *data, size_t len, ics_diag *d)
{
    int rc = 0;
    const char *path = d->path;
    scan_state st;
    int seen_calendar = 0, keep = 0;
    size_t alloc = 0, pos = 0, n;
    long line = 0, rr_line = 0, logical_line = 0;
    size_t logical = 0; /* bytes of the content line being read */
    char ex[64];
    waras_buf rr; /* an RRULE line being unfolded */
    int rr_active = 0;
    memset(&st, 0, sizeof(st));
    waras_buf_init(&rr, (size_t)ICS_MAX_LINE + 1); /* the line limit is checked above */
    waras_buf_init(&out->text, WARAS_BUF_DEFAULT_CAP);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0)) {
        rc = waras_error_set(WARAS_EPARSE, path, 1, NULL,
                             "the file is UTF-16; iCalendar is UTF-8 (save it as UTF-8)");
        goto cleanup;
    }
    while (pos <= len) {
        size_t start = pos;
        const char *s = data + start;
        n = 0;
        if (pos < len) {
            pos = next_line(data, len, pos, &n);
            line++;
            if (memchr(s, '\0', n)) {
                rc = waras_error_set(WARAS_EPARSE, path, line, NULL,
                                     "NUL byte in text (is the file UTF-16? save it as UTF-8)");
                goto cleanup;
            }
            size_t bad = utf8_bad(s, n);
            if (bad < n) {
                rc = waras_error_set(WARAS_EPARSE, path, line, NULL,
                                     "byte 0x%02X is not UTF-8; iCalendar is UTF-8 (RFC 5545 "
                                     "3.1.4; save the file as UTF-8)",
                                     (unsigned char)s[bad]);
                goto cleanup;
            }
            /* A content line (its folded parts included) has a limit: libical
             * takes time that grows with the square of a line's length. */
            if (n && (s[0] == ' ' || s[0] == '\t')) {
                logical += n;
            } else {
                logical = n;
                logical_line = line;
            }
            if (logical > ICS_MAX_LINE) {
                rc = waras_error_set(WARAS_EPARSE, path, logical_line, NULL,
                                     "line longer than %d MiB (the limit of a content line, "
                                     "docs/formats.md#limits)",
                                     ICS_MAX_LINE >> 20);
                goto cleanup;
            }
            if (n == 0)
                continue;
            if (s[0] == ' ' || s[0] == '\t') {
                /* A folded continuation belongs to the line kept before it. */
                if (rr_active) {
                    if (waras_buf_add(&rr, s + 1, n - 1))
                        goto oom;
                } else if (keep &&
                           (waras_buf_add(&out->text, s, n) || waras_buf_addc(&out->text, '\n'))) {
                    goto oom;
                }
                continue;
            }
        } else {
            pos++; /* past the end: flush and stop */
        }
        if (rr_active) {
            rr_active = 0;
            if ((rc = fix_rrule(&out->text, rr.ptr, rr.len, d, rr_line)))
                goto cleanup;
        }
        if (start >= len)
            break;
        keep = 0;
        int is_begin = name_is(s, n, "BEGIN"), is_end = name_is(s, n, "END");
        int folded = pos < len && (data[pos] == ' ' || data[pos] == '\t');
        if (st.depth == 0 && !(is_begin && line_is(s, n, "BEGIN:VCALENDAR") && !folded)) {
            if (!seen_calendar || is_end) {
                excerpt(ex, sizeof(ex), s, n);
                rc = waras_error_set(WARAS_EPARSE, path, line, NULL,
                                     "%sexpected BEGIN:VCALENDAR, found '%s'",
                                     seen_calendar ? "" : "not iCalendar: ", ex);
                goto cleanup;
            }
            continue; /* text between or after calendars is ignored */
        }
        if (!is_begin && !is_end) {
            if (name_is(s, n, "RRULE")) {
                waras_buf_reset(&rr);
                if (waras_buf_add(&rr, s, n))
                    goto oom;
                rr_active = 1;
                rr_line = line;
                continue;
            }
            keep = 1;
            if (waras_buf_add(&out->text, s, n) || waras_buf_addc(&out->text, '\n'))
                goto oom;
            continue;
        }
        if (folded || name_len(s, n) + 1 >= n || s[name_len(s, n)] != ':')
            continue; /* a BEGIN or END libical could misread: dropped */
        const char *v = s + name_len(s, n) + 1;
        size_t k = n - name_len(s, n) - 1;
        while (k > 0 && (v[k - 1] == ' ' || v[k - 1] == '\t'))
            k--;
        char name[32];
        if (k >= sizeof(name))
            k = sizeof(name) - 1;
        for (size_t i = 0; i < k; i++)
            name[i] = (char)toupper((unsigned char)v[i]);
        name[k] = '\0';
        if (k == 0 || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != k)
            continue; /* not a component name: dropped */
        if (is_begin) {
            if (!d->strict && st.depth >= 2 && is_top_level(name)) {
                /* BEGIN:VEVENT inside a VEVENT: its END line is missing. */
                excerpt(ex, sizeof(ex), s, n);
                if ((rc = waras_ics__warn(d, ICS_WARN_SKIP, line, NULL,
                                          "the component is skipped",
                                          "BEGIN:%s of line %ld is not closed before '%s'",
                                          st.names[1], st.begun[1], ex)))
                    goto cleanup;
                drop_from(out, &st, 1);
            }
            if (st.depth >= SCAN_MAX_DEPTH) {
                rc = waras_error_set(WARAS_ELIMIT, path, line, NULL,
                                     "components nested deeper than %d", SCAN_MAX_DEPTH);
                goto cleanup;
            }
            if (st.depth == 0)
                seen_calendar = 1;
            memcpy(st.names[st.depth], name, k + 1);
            st.begun[st.depth] = line;
            st.text_at[st.depth] = out->text.len;
            st.n_at[st.depth] = out->n;
            if (strcmp(name, "VEVENT") == 0) {
                if (out->n >= ICS_MAX_EVENTS) {
                    rc = waras_error_set(WARAS_ELIMIT, path, line, NULL,
                                         "more than %d events (the limit of events in a file, "
                                         "docs/formats.md#limits)",
                                         ICS_MAX_EVENTS);
                    goto cleanup;
                }
                if (out->n == alloc) {
                    size_t na = alloc ? alloc * 2 : 64;
                    long *nl = realloc(out->lines, na * sizeof(*nl));
                    if (nl)
                        out->lines = nl;
                    size_t *no = realloc(out->offs, na * sizeof(*no));
                    if (no)
                        out->offs = no;
                    if (!nl || !no)
                        goto oom;
                    alloc = na;
                }
                out->lines[out->n] = line;
                out->offs[out->n] = start;
                out->n++;
            }
            st.depth++;
        } else if (strcmp(name, st.names[st.depth - 1]) != 0) {
            int top = st.depth - 1, j = top - 1;
            while (j >= 0 && strcmp(name, st.names[j]) != 0)
                j--;
            excerpt(ex, sizeof(ex), s, n);
            char action[96];
            int skip_at = j >= 0 ? j + 1 : top;
            if (skip_at == 0)
                snprintf(action, sizeof(action), "read as END:VCALENDAR");
            else if (skip_at == top)
                snprintf(action, sizeof(action), "the component is skipped");
            else
                snprintf(action, sizeof(action), "BEGIN:%s of line %ld is skipped",
                         st.names[skip_at], st.begun[skip_at]);
            if ((rc = waras_ics__warn(d, skip_at ? ICS_WARN_SKIP : ICS_WARN_REPAIR, line, NULL,
                                      action,
                                      "'%s' does not close BEGIN:%s of line %ld", ex,
                                      st.names[top], st.begun[top])))
                goto cleanup;
            if (skip_at == 0) {
                st.depth = 0;
                if (waras_buf_printf(&out->text, "END:VCALENDAR\n"))
                    goto oom;
            } else {
                drop_from(out, &st, skip_at);
                if (j >= 0) {
                    st.depth--;
                    if (waras_buf_printf(&out->text, "END:%s\n", name))
                        goto oom;
                }
            }
            continue;
        } else {
            st.depth--;
        }
        if (waras_buf_printf(&out->text, "%s:%s\n", is_begin ? "BEGIN" : "END", name))
            goto oom;
    }
    if (!seen_calendar) {
        rc = waras_error_set(WARAS_EPARSE, path, line ? line : 1, NULL,
                             "not iCalendar: no BEGIN:VCALENDAR");
        goto cleanup;
    }
    if (st.depth > 0) {
        int top = st.depth - 1;
        if ((rc = waras_ics__warn(d, top ? ICS_WARN_SKIP : ICS_WARN_REPAIR, line, NULL,
                                  top ? "the component is skipped"
                                      : "the calendar is read up to there",
                                  "unexpected end of file: BEGIN:%s of line %ld is not closed",
                                  st.names[top], st.begun[top])))
            goto cleanup;
        if (top)
            drop_from(out, &st, 1);
        if (waras_buf_printf(&out->text, "END:VCALENDAR\n"))
            goto oom;
    }
    goto cleanup;
oom:
    rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
cleanup:
    waras_buf_free(&rr);
    return rc;
}

/* The line of property `name` inside the VEVENT starting at byte off, or the
 * VEVENT's own line when it cannot be found. */
static long prop_line(const char *data, size_t len, size_t off, long line, const char *name)
{
    long l = line;
    size_t pos = off, k = strlen(name);
    while (pos < len) {
        size_t end = pos;
        while (end < len && data[end] != '\n' && data[end] != '\r')
            end++;
        const char *s = data + pos;
        size_t n = end - pos;
        if (line_starts(s, n, "END:VEVENT"))
            break;
        if (n > k && line_starts(s, n, name) && (s[k] == ':' || s[k] == ';'))
            return l;
        pos = end;
        if (pos < len && data[pos] == '\r')
            pos++;
        if (pos < len && data[pos] == '\n')
            pos++;
        l++;
    }
    return line;
}

/* The value of property `name` as written in the VEVENT starting at byte
 * off (its first physical line), for messages; dst is left alone when the
 * property cannot be found. */
static void raw_value(const char *data, size_t len, size_t off, const char *name, char *dst,
                      size_t size)
{
    size_t pos = off, k = strlen(name);
    while (pos < len) {
        size_t n;
        size_t next = next_line(data, len, pos, &n);
        const char *s = data + pos;
        if (line_starts(s, n, "END:VEVENT"))
            return;
        if (n > k && line_starts(s, n, name) && (s[k] == ':' || s[k] == ';')) {
            size_t c = k;
            int quoted = 0;
            while (c < n && (quoted || s[c] != ':')) {
                quoted ^= s[c] == '"';
                c++;
            }
            if (c < n)
                excerpt(dst, size, s + c + 1, n - c - 1);
            return;
        }
        pos = next;
    }
}

typedef struct reader {
    waras_ics_calendar *cal;
    const char *data;
    size_t len;
    long line;  /* of the VEVENT */
    size_t off; /* of the VEVENT */
    icalcomponent *comp;
    const ics_zone *xwr; /* X-WR-TIMEZONE of the enclosing calendar */
} reader;

static int fail(const reader *r, const char *field, const char *fmt, const char *detail)
{
    long l = prop_line(r->data, r->len, r->off, r->line, field);
    return waras_error_set(WARAS_EPARSE, r->cal->path, l, field, fmt, detail);
}

/* libical's own complaint about a component, for messages. */
static const char *lic_error(icalcomponent *c)
{
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
        const char *s = icalproperty_get_xlicerror(p);
        if (s && *s)
            return s;
    }
    return "missing or not a date";
}

/* libical drops a property whose value it cannot read and leaves an
 * X-LIC-ERROR instead; for the properties that place an event in time that
 * would silently change the answer, so it is an error. */
static int check_dropped(const reader *r)
{
    static const char *const vital[] = {"DTSTART", "DTEND",  "DURATION",     "RRULE",
                                        "RDATE",   "EXDATE", "RECURRENCE-ID"};
    for (icalproperty *p = icalcomponent_get_first_property(r->comp, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(r->comp, ICAL_XLICERROR_PROPERTY)) {
        const char *s = icalproperty_get_xlicerror(p);
        for (size_t i = 0; s && i < sizeof(vital) / sizeof(vital[0]); i++) {
            char needle[48];
            snprintf(needle, sizeof(needle), " in %s property", vital[i]);
            if (strstr(s, needle)) {
                const char *v = strstr(s, "property: ");
                char ex[64];
                v = v ? v + 10 : "";
                excerpt(ex, sizeof(ex), v, strlen(v));
                long l = prop_line(r->data, r->len, r->off, r->line, vital[i]);
                raw_value(r->data, r->len, r->off, vital[i], ex, sizeof(ex));
                return waras_error_set(WARAS_EPARSE, r->cal->path, l, vital[i],
                                       "cannot read the value '%s'", ex);
            }
        }
    }
    return 0;
}

static int64_t wall_of(struct icaltimetype t)
{
    return waras_time__days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 +
           t.minute * 60 + t.second;
}

/* Reads a DATE or DATE-TIME value of property p into the model, resolving
 * its TZID and applying X-WR-TIMEZONE. */
static int read_time(const reader *r, icalproperty *p, struct icaltimetype t, const char *field,
                     ics_time *out)
{
    int rc = 0;
    memset(out, 0, sizeof(*out));
    if (icaltime_is_null_time(t) || t.year < 1 || t.year > 9999 || t.month < 1 || t.month > 12 ||
        t.day < 1 || t.day > 31 || t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 ||
        t.second < 0 || t.second > 60) {
        rc = fail(r, field, "%s", "not a valid date or date-time");
        goto cleanup;
    }
    /* libical reads 20260230 as 2 March; such a day does not exist. */
    int vy, vm, vd;
    waras_time__civil_from_days(&vy, &vm, &vd, waras_time__days_from_civil(t.year, t.month, t.day));
    if (vm != t.month || vd != t.day) {
        rc = fail(r, field, "%s", "not a valid date (no such day in that month)");
        goto cleanup;
    }
    out->wall = wall_of(t);
    if (t.is_date) {
        out->is_date = 1;
        out->wall -= out->wall % 86400;
        goto cleanup;
    }
    if (icaltime_is_utc(t)) {
        out->zone = waras_ics__zone_utc();
    } else {
        icalparameter *tp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
        const char *tzid = tp ? icalparameter_get_tzid(tp) : NULL;
        if (tzid && (rc = waras_ics__zone_get(r->cal, tzid,
                                               prop_line(r->data, r->len, r->off, r->line, field),
                                               r->xwr, &out->zone)))
            goto cleanup;
    }
    /* X-WR-TIMEZONE, as Google writes it: UTC and floating times of the
     * calendar are meant in that zone. */
    if (r->xwr && (!out->zone || out->zone->is_utc)) {
        if (out->zone)
            out->wall += waras_ics__zone_offset(r->xwr, out->wall);
        out->zone = r->xwr;
    }
cleanup:
    return rc;
}

static void length_of_duration(struct icaldurationtype d, ics_length *out)
{
    out->days = 0;
    out->seconds = 0;
    if (d.is_neg)
        return; /* a negative length is read as none */
    out->days = (int64_t)d.weeks * 7 + d.days;
    out->seconds = (int64_t)d.hours * 3600 + (int64_t)d.minutes * 60 + d.seconds;
}

/* The exact length from start to end, or -1 when end is before start. */
static int length_between(const ics_time *start, const ics_time *end, ics_length *out)
{
    int64_t a, b;
    if (start->zone && end->zone && !start->is_date && !end->is_date) {
        a = waras_ics__key(start);
        b = waras_ics__key(end);
    } else {
        a = start->wall;
        b = end->wall;
    }
    out->days = 0;
    out->seconds = b - a;
    if (start->is_date && end->is_date) {
        out->days = (b - a) / 86400;
        out->seconds = 0;
    }
    return b < a ? -1 : 0;
}

/* DTEND, DURATION or the RFC 5545 default: one day for a date, none for a
 * date-time. */
static int read_length(const reader *r, const ics_time *start, ics_length *out)
{
    int rc = 0;
    icalproperty *p;
    out->days = start->is_date ? 1 : 0;
    out->seconds = 0;
    if ((p = icalcomponent_get_first_property(r->comp, ICAL_DTEND_PROPERTY))) {
        ics_time end;
        ics_length l;
        if ((rc = read_time(r, p, icalproperty_get_dtend(p), "DTEND", &end)))
            goto cleanup;
        /* It may end at the first moment after the bound, not later. */
        if (end.wall > waras_time__days_from_civil(WARAS_DATE_MAX_YEAR + 1, 1, 1) * 86400) {
            char y[16];
            snprintf(y, sizeof(y), "%d", icalproperty_get_dtend(p).year);
            rc = fail(r, "DTEND", "year %s is " WARAS_TIME__OUT_OF_RANGE, y);
            goto cleanup;
        }
        if (length_between(start, &end, &l) == 0)
            *out = l;
    } else if ((p = icalcomponent_get_first_property(r->comp, ICAL_DURATION_PROPERTY))) {
        length_of_duration(icalproperty_get_duration(p), out);
    }
cleanup:
    return rc;
}

static int read_uid(const reader *r, ics_event *ev)
{
    int rc = 0;
    char *text = NULL;
    const char *uid = icalcomponent_get_uid(r->comp);
    if (uid && *uid) {
        ev->uid = uid;
        goto cleanup;
    }
    /* No UID: a stable one from the event's text, so re-reading the same
     * file gives the same keys. */
    text = icalcomponent_as_ical_string_r(r->comp);
    char hex[65];
    waras_sha256_hex(hex, text ? text : "", text ? strlen(text) : 0);
    ev->uid_owned = malloc(40);
    if (!ev->uid_owned) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    snprintf(ev->uid_owned, 40, "no-uid-%.24s", hex);
    ev->uid = ev->uid_owned;
    ev->synthetic_uid = 1;
cleanup:
    free(text);
    return rc;
}

/* Why a rule can never match, or NULL. libical 3.0 looks for a rule's next
 * instance one period at a time up to its last year, so such a rule costs
 * about a second per event; these are the forms that show up (in exports
 * gone wrong, and from the fuzzer). Rules that match rarely or never in
 * other ways still cost that (docs/ics.md#limits). */
static const char *never_matches(const struct icalrecurrencetype *rule)
{
    size_t nmd = ICS_BY_COUNT(rule->by_month_day), nd = ICS_BY_COUNT(rule->by_day),
           nsp = ICS_BY_COUNT(rule->by_set_pos);
    if (!waras_ics__month_day_occurs(rule))
        return "BYMONTHDAY names no day of the BYMONTH months";
    /* The sixth Monday of a month. */
    if (rule->freq == ICAL_MONTHLY_RECURRENCE && nd) {
        int any = 0;
        for (size_t i = 0; i < nd && !any; i++)
            any = abs(icalrecurrencetype_day_position(rule->by_day[i])) <= 5;
        if (!any)
            return "BYDAY names no day a month has (a position beyond 5)";
    }
    /* A position past the largest set the period can hold. */
    if (nsp && rule->freq >= ICAL_DAILY_RECURRENCE && rule->freq <= ICAL_MONTHLY_RECURRENCE) {
        long days = 1;
        if (rule->freq == ICAL_WEEKLY_RECURRENCE && nd) {
            days = nd < 7 ? (long)nd : 7;
        } else if (rule->freq == ICAL_MONTHLY_RECURRENCE) {
            if (nmd) {
                days = (long)nmd;
            } else if (nd) {
                days = 0;
                for (size_t i = 0; i < nd; i++)
                    days += icalrecurrencetype_day_position(rule->by_day[i]) ? 1 : 5;
            }
            days = days < 31 ? days : 31;
        }
        size_t nh = ICS_BY_COUNT(rule->by_hour), nmin = ICS_BY_COUNT(rule->by_minute),
               ns = ICS_BY_COUNT(rule->by_second);
        long most = days * (long)((nh ? nh : 1) * (nmin ? nmin : 1) * (ns ? ns : 1));
        int any = 0;
        for (size_t i = 0; i < nsp && !any; i++)
            any = abs(rule->by_set_pos[i]) <= most;
        if (!any)
            return "BYSETPOS is past the largest set the rule makes";
    }
    return NULL;
}

static int read_rrule(const reader *r, ics_event *ev)
{
    int rc = 0;
    icalproperty *p = icalcomponent_get_first_property(r->comp, ICAL_RRULE_PROPERTY);
    if (!p)
        goto cleanup;
    struct icalrecurrencetype rule = icalproperty_get_rrule(p);
    if (rule.freq == ICAL_NO_RECURRENCE) {
        rc = fail(r, "RRULE", "%s", "not a valid recurrence rule");
        goto cleanup;
    }
    int time_parts =
        ICS_BY_COUNT(rule.by_second) || ICS_BY_COUNT(rule.by_minute) || ICS_BY_COUNT(rule.by_hour);
    int day_parts = ICS_BY_COUNT(rule.by_day) || ICS_BY_COUNT(rule.by_month_day) ||
                    ICS_BY_COUNT(rule.by_year_day) || ICS_BY_COUNT(rule.by_week_no) ||
                    ICS_BY_COUNT(rule.by_month);
    int set_pos = ICS_BY_COUNT(rule.by_set_pos) > 0;
    /* RFC 5545 3.3.10: BYSETPOS only with another BYxxx part. Alone it
     * selects from nothing, and libical looks for a first date for
     * centuries (a second per event). */
    if (set_pos && !time_parts && !day_parts) {
        rc = fail(r, "RRULE", "%s", "BYSETPOS without another BYxxx part");
        goto cleanup;
    }
    /* RFC 5545 3.3.10: BYSECOND, BYMINUTE and BYHOUR MUST NOT be given
     * with a date-only DTSTART. libical steps such a rule a second or a
     * minute at a time through a value without a time of day, and one step
     * then runs for minutes. */
    if (ev->start.is_date && time_parts) {
        rc = fail(r, "RRULE", "%s",
                  "BYSECOND, BYMINUTE or BYHOUR with a date-only DTSTART (RFC 5545 3.3.10)");
        goto cleanup;
    }
    /* An hourly, minutely or secondly rule narrowed by day, week, month or
     * set position: libical 3.0 looks for each next instance one hour,
     * minute or second at a time up to its last year, so a rule that never
     * or rarely matches (FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30) costs
     * minutes to hours of CPU per event. No calendar application writes
     * one; the RFC's sub-daily examples narrow by hour and minute only,
     * which match at least once a day (docs/ics.md#limits). */
    if ((rule.freq == ICAL_SECONDLY_RECURRENCE || rule.freq == ICAL_MINUTELY_RECURRENCE ||
         rule.freq == ICAL_HOURLY_RECURRENCE) &&
        (day_parts || set_pos)) {
        rc = fail(r, "RRULE", "%s",
                  "an HOURLY, MINUTELY or SECONDLY rule narrowed by BYDAY, BYMONTHDAY, "
                  "BYYEARDAY, BYWEEKNO, BYMONTH or BYSETPOS is not expanded "
                  "(docs/ics.md#limits)");
        goto cleanup;
    }
    const char *never = never_matches(&rule);
    if (never) {
        /* As a BYxxx value out of range: the rule is left out and the
         * event is its DTSTART alone (an error under --strict). */
        long l = prop_line(r->data, r->len, r->off, r->line, "RRULE");
        rc = waras_ics__warn(&r->cal->diag, ICS_WARN_REPAIR, l, "RRULE",
                             "the rule can never match and is left out", "%s", never);
        goto cleanup;
    }
    ev->has_rrule = 1;
    if (!icaltime_is_null_time(rule.until)) {
        /* UNTIL is checked here rather than in libical, so that it is
         * compared in the event's own zone with the same DST rules. */
        ev->has_until = 1;
        ev->until.wall = wall_of(rule.until);
        ev->until.is_date = rule.until.is_date;
        if (ev->until.is_date)
            ev->until.wall -= ev->until.wall % 86400;
        else if (icaltime_is_utc(rule.until))
            ev->until.zone = waras_ics__zone_utc();
        else
            ev->until.zone = NULL; /* floating: read in DTSTART's zone */
        /* The last day of an all-day series. A UTC UNTIL on one (Apple
         * writes the end of the last local day, 23:59:59, in UTC) names the
         * day it falls on in the calendar's zone when there is one. */
        ev->until_day = ev->until.wall - (ev->until.wall % 86400 + 86400) % 86400;
        if (ev->until.zone && r->xwr) {
            int64_t local = ev->until.wall + waras_ics__zone_offset(r->xwr, ev->until.wall);
            ev->until_day = local - (local % 86400 + 86400) % 86400;
        }
        rule.until = icaltime_null_time();
    }
    ev->rrule = rule;
cleanup:
    return rc;
}

static int read_lists(const reader *r, ics_event *ev)
{
    int rc = 0;
    size_t n = 0;
    icalproperty *p;
    for (p = icalcomponent_get_first_property(r->comp, ICAL_RDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(r->comp, ICAL_RDATE_PROPERTY))
        n++;
    if (n > ICS_MAX_ITEMS) {
        rc = fail(r, "RDATE", "more than %s values", "100000");
        goto cleanup;
    }
    if (n && !(ev->rdates = calloc(n, sizeof(*ev->rdates)))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (p = icalcomponent_get_first_property(r->comp, ICAL_RDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(r->comp, ICAL_RDATE_PROPERTY)) {
        struct icaldatetimeperiodtype v = icalproperty_get_rdate(p);
        ics_rdate *rd = &ev->rdates[ev->nrdates];
        if (!icaltime_is_null_time(v.period.start)) {
            if ((rc = read_time(r, p, v.period.start, "RDATE", &rd->start)))
                goto cleanup;
            if (!icaltime_is_null_time(v.period.end)) {
                if ((rc = read_time(r, p, v.period.end, "RDATE", &rd->end)))
                    goto cleanup;
                rd->has_end = 1;
            } else {
                length_of_duration(v.period.duration, &rd->length);
                rd->has_length = 1;
            }
        } else if ((rc = read_time(r, p, v.time, "RDATE", &rd->start))) {
            goto cleanup;
        }
        ev->nrdates++;
    }
    n = 0;
    for (p = icalcomponent_get_first_property(r->comp, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(r->comp, ICAL_EXDATE_PROPERTY))
        n++;
    if (n > ICS_MAX_ITEMS) {
        rc = fail(r, "EXDATE", "more than %s values", "100000");
        goto cleanup;
    }
    if (n && !(ev->exdates = calloc(n, sizeof(*ev->exdates)))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (p = icalcomponent_get_first_property(r->comp, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(r->comp, ICAL_EXDATE_PROPERTY)) {
        if ((rc =
                 read_time(r, p, icalproperty_get_exdate(p), "EXDATE", &ev->exdates[ev->nexdates])))
            goto cleanup;
        ev->nexdates++;
    }
cleanup:
    return rc;
}

/* DTSTART; an override written without one (some servers write cancelled
 * instances so) starts at its RECURRENCE-ID. An event starts in the years
 * waras answers about (docs/formats.md#limits), except that a series may
 * start before them (birthday calendars start theirs in 1604): its
 * occurrences before the bound are never asked for, as those after the
 * bound are not. */
static int read_start(const reader *r, const ics_time *rid, ics_time *start)
{
    icalproperty *p = icalcomponent_get_first_property(r->comp, ICAL_DTSTART_PROPERTY);
    if (!p && rid) {
        *start = *rid;
        return 0;
    }
    if (!p)
        return fail(r, "DTSTART", "%s", lic_error(r->comp));
    struct icaltimetype t = icalproperty_get_dtstart(p);
    int rc = read_time(r, p, t, "DTSTART", start);
    if (!rc && !waras_time__year_in_range(t.year) &&
        !(t.year < WARAS_DATE_MIN_YEAR && !rid &&
          icalcomponent_get_first_property(r->comp, ICAL_RRULE_PROPERTY))) {
        char y[16];
        snprintf(y, sizeof(y), "%d", t.year);
        rc = fail(r, "DTSTART", "year %s is " WARAS_TIME__OUT_OF_RANGE, y);
    }
    return rc;
}

static void event_free(ics_event *ev)
{
    free(ev->uid_owned);
    free(ev->rdates);
    free(ev->exdates);
    free(ev->overrides);
}

/* A temporary record of an override before it meets its master. */
typedef struct pending {
    const char *uid;
    char *uid_owned;
    ics_override ov;
    int used;
} pending;

/* SEQUENCE, LAST-MODIFIED and DTSTAMP: which of several copies of an event
 * is the newest (RFC 5546 2.1.4). */
static void read_version(icalcomponent *comp, long *sequence, int64_t *modified, int64_t *stamp)
{
    icalproperty *seq = icalcomponent_get_first_property(comp, ICAL_SEQUENCE_PROPERTY);
    *sequence = seq ? icalproperty_get_sequence(seq) : 0;
    *stamp = *modified = 0;
    icalproperty *p = icalcomponent_get_first_property(comp, ICAL_DTSTAMP_PROPERTY);
    if (p) {
        struct icaltimetype t = icalproperty_get_dtstamp(p);
        if (!icaltime_is_null_time(t))
            *stamp = wall_of(t);
    }
    p = icalcomponent_get_first_property(comp, ICAL_LASTMODIFIED_PROPERTY);
    if (p) {
        struct icaltimetype t = icalproperty_get_lastmodified(p);
        if (!icaltime_is_null_time(t))
            *modified = wall_of(t);
    }
}

static int read_event(const reader *r, ics_event *ev, pending *ov, int *is_override)
{
    int rc = 0;
    icalproperty *rid = icalcomponent_get_first_property(r->comp, ICAL_RECURRENCEID_PROPERTY);
    memset(ev, 0, sizeof(*ev));
    *is_override = rid != NULL;
    ev->line = r->line;
    ev->comp = r->comp;
    ev->cancelled = icalcomponent_get_status(r->comp) == ICAL_STATUS_CANCELLED;
    read_version(r->comp, &ev->sequence, &ev->modified, &ev->stamp);
    if ((rc = check_dropped(r)) || (rc = read_uid(r, ev)))
        goto cleanup;
    if (rid) {
        memset(ov, 0, sizeof(*ov));
        if ((rc = read_time(r, rid, icalproperty_get_recurrenceid(rid), "RECURRENCE-ID",
                            &ov->ov.rid)) ||
            (rc = read_start(r, &ov->ov.rid, &ev->start)) ||
            (rc = read_length(r, &ev->start, &ev->length)))
            goto cleanup;
        icalparameter *range = icalproperty_get_first_parameter(rid, ICAL_RANGE_PARAMETER);
        ov->ov.thisandfuture = range && icalparameter_get_range(range) == ICAL_RANGE_THISANDFUTURE;
        ov->ov.start = ev->start;
        ov->ov.length = ev->length;
        ov->ov.cancelled = ev->cancelled;
        ov->ov.sequence = ev->sequence;
        ov->ov.modified = ev->modified;
        ov->ov.stamp = ev->stamp;
        ov->ov.line = r->line;
        ov->ov.comp = r->comp;
        ov->uid = ev->uid;
        ov->uid_owned = ev->uid_owned;
        ev->uid_owned = NULL;
        goto cleanup;
    }
    if ((rc = read_start(r, NULL, &ev->start)) || (rc = read_length(r, &ev->start, &ev->length)) ||
        (rc = read_rrule(r, ev)) || (rc = read_lists(r, ev)))
        goto cleanup;
cleanup:
    return rc;
}

static int cmp_event_uid(const void *a, const void *b)
{
    const ics_event *x = a, *y = b;
    int c = strcmp(x->uid, y->uid);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

static int cmp_pending_uid(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    int c = strcmp(x->uid, y->uid);
    if (c)
        return c;
    return (x->ov.line > y->ov.line) - (x->ov.line < y->ov.line);
}

/* Whether master x is a newer version of the event than y: higher
 * SEQUENCE, then later LAST-MODIFIED (when both have one: Google writes
 * the export time as every DTSTAMP), then later DTSTAMP, then later in the
 * file. */
static int newer(const ics_event *x, const ics_event *y)
{
    if (x->sequence != y->sequence)
        return x->sequence > y->sequence;
    if (x->modified && y->modified && x->modified != y->modified)
        return x->modified > y->modified;
    if (x->stamp != y->stamp)
        return x->stamp > y->stamp;
    return x->line > y->line;
}

/* Keeps one master per UID, the newest (RFC 5546: a later version of an
 * event supersedes the earlier). Events without a UID have no identity to
 * share and all stay. */
static void supersede(waras_ics_calendar *cal)
{
    size_t w = 0;
    for (size_t i = 0; i < cal->nevents;) {
        size_t k = i + 1;
        while (k < cal->nevents && !cal->events[i].synthetic_uid &&
               strcmp(cal->events[k].uid, cal->events[i].uid) == 0)
            k++;
        size_t best = i;
        for (size_t m = i + 1; m < k; m++)
            if (newer(&cal->events[m], &cal->events[best]))
                best = m;
        for (size_t m = i; m < k; m++)
            if (m != best)
                event_free(&cal->events[m]);
        cal->events[w++] = cal->events[best];
        i = k;
    }
    cal->nevents = w;
}

/* Gives every master its overrides (same UID); an override without a
 * master becomes an event of its own, as calendar clients show it. */
static int attach_overrides(waras_ics_calendar *cal, pending *pend, size_t npend)
{
    int rc = 0;
    qsort(cal->events, cal->nevents, sizeof(*cal->events), cmp_event_uid);
    supersede(cal);
    qsort(pend, npend, sizeof(*pend), cmp_pending_uid);
    size_t norig = cal->nevents, j = 0;
    for (size_t i = 0; i < norig && j < npend; i++) {
        ics_event *ev = &cal->events[i];
        while (j < npend && strcmp(pend[j].uid, ev->uid) < 0)
            j++;
        if (ev->synthetic_uid)
            continue; /* nothing can name it */
        size_t k = j;
        while (k < npend && strcmp(pend[k].uid, ev->uid) == 0)
            k++;
        if (k > j) {
            ev->overrides = calloc(k - j, sizeof(*ev->overrides));
            if (!ev->overrides) {
                rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
                goto cleanup;
            }
            for (size_t m = j; m < k; m++) {
                ev->overrides[ev->noverrides++] = pend[m].ov;
                pend[m].used = 1;
            }
        }
        j = k;
    }
    for (size_t m = 0; m < npend; m++) {
        if (pend[m].used)
            continue;
        ics_event *ev = &cal->events[cal->nevents++];
        memset(ev, 0, sizeof(*ev));
        ev->uid = pend[m].uid;
        ev->uid_owned = pend[m].uid_owned;
        pend[m].uid_owned = NULL;
        ev->line = pend[m].ov.line;
        ev->comp = pend[m].ov.comp;
        ev->start = pend[m].ov.start;
        ev->length = pend[m].ov.length;
        ev->cancelled = pend[m].ov.cancelled;
    }
cleanup:
    return rc;
}

static const char *xwr_zone_name(icalcomponent *vcal)
{
    for (icalproperty *p = icalcomponent_get_first_property(vcal, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(vcal, ICAL_X_PROPERTY)) {
        const char *name = icalproperty_get_x_name(p);
        if (name && waras_strcaseeq(name, "X-WR-TIMEZONE")) {
            const char *v = icalproperty_get_x(p);
            if (v && *v)
                return v;
        }
    }
    return NULL;
}

int waras_ics_parse(waras_ics_calendar **out, const char *data, size_t len, const char *path)
{
    waras_ics_parse_opts strict = {.strict = 1};
    return waras_ics_parse_with(out, data, len, path, &strict);
}

int waras_ics_parse_with(waras_ics_calendar **out, const char *data, size_t len, const char *path,
                         const waras_ics_parse_opts *opts)
{
    int rc = 0;
    scan_result sc = {0};
    pending *pend = NULL;
    size_t npend = 0;
    waras_ics_calendar *cal = NULL;
    if (!path)
        path = "<memory>";
    cal = calloc(1, sizeof(*cal));
    if (!cal || !(cal->path = waras_strdup(path))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    cal->diag.path = cal->path;
    cal->diag.strict = opts && opts->strict;
    if ((rc = scan(&sc, data, len, &cal->diag)))
        goto cleanup;
    if (waras_buf_addc(&sc.text, '\0')) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    cal->root = icalparser_parse_string(sc.text.ptr);
    icalerror_clear_errno();
    if (!cal->root) {
        rc = waras_error_set(WARAS_EPARSE, path, 1, NULL, "not iCalendar: no calendar found");
        goto cleanup;
    }
    /* One calendar, or several under libical's XROOT. */
    size_t nv = icalcomponent_isa(cal->root) == ICAL_VCALENDAR_COMPONENT
                    ? 1
                    : (size_t)icalcomponent_count_components(cal->root, ICAL_VCALENDAR_COMPONENT);
    cal->vcals = calloc(nv ? nv : 1, sizeof(*cal->vcals));
    if (!cal->vcals) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (icalcomponent_isa(cal->root) == ICAL_VCALENDAR_COMPONENT) {
        cal->vcals[cal->nvcals++] = cal->root;
    } else {
        for (icalcomponent *c =
                 icalcomponent_get_first_component(cal->root, ICAL_VCALENDAR_COMPONENT);
             c && cal->nvcals < nv;
             c = icalcomponent_get_next_component(cal->root, ICAL_VCALENDAR_COMPONENT))
            cal->vcals[cal->nvcals++] = c;
    }
    const char *xwr = cal->nvcals ? xwr_zone_name(cal->vcals[0]) : NULL;
    if (xwr) {
        if (!(cal->xwr_name = waras_strdup(xwr))) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
        if ((rc = waras_ics__zone_get(cal, xwr, 0, NULL, &cal->xwr)))
            goto cleanup;
    }
    cal->events = calloc(sc.n ? sc.n : 1, sizeof(*cal->events));
    pend = calloc(sc.n ? sc.n : 1, sizeof(*pend));
    if (!cal->events || !pend) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    size_t k = 0;
    for (size_t v = 0; v < cal->nvcals; v++) {
        const ics_zone *vxwr = cal->xwr;
        const char *vname = v ? xwr_zone_name(cal->vcals[v]) : NULL;
        if (v && (rc = waras_ics__zone_get(cal, vname, 0, NULL, &vxwr)))
            goto cleanup;
        for (icalcomponent *c =
                 icalcomponent_get_first_component(cal->vcals[v], ICAL_VEVENT_COMPONENT);
             c; c = icalcomponent_get_next_component(cal->vcals[v], ICAL_VEVENT_COMPONENT)) {
            if (cal->nevents + npend >= sc.n)
                break; /* more components than BEGIN lines: cannot happen */
            reader r = {cal, data, len, k < sc.n ? sc.lines[k] : 0, k < sc.n ? sc.offs[k] : 0,
                        c,   vxwr};
            k++;
            ics_event ev;
            int is_override = 0;
            rc = read_event(&r, &ev, &pend[npend], &is_override);
            if (rc == WARAS_EPARSE && !cal->diag.strict) {
                /* One component that cannot be read: the rest of the file
                 * still counts. */
                const waras_error *e = waras_error_last();
                char field[64], msg[1024];
                long eline = e->line;
                waras_strlcpy(field, e->field, sizeof(field));
                waras_strlcpy(msg, e->message, sizeof(msg));
                waras_error_clear();
                event_free(&ev);
                rc = waras_ics__warn(&cal->diag, ICS_WARN_SKIP, eline, field,
                                     is_override ? "the override is skipped"
                                                 : "the event is skipped",
                                     "%s", msg);
                if (rc)
                    goto cleanup;
                continue;
            }
            if (rc) {
                event_free(&ev);
                goto cleanup;
            }
            if (is_override)
                npend++;
            else
                cal->events[cal->nevents++] = ev;
        }
    }
    if ((rc = attach_overrides(cal, pend, npend)))
        goto cleanup;
    if (cal->diag.skipped && !cal->nevents) {
        /* Nothing readable remains: the error names the first problem, since
         * the warnings go with the calendar. */
        const waras_ics_warning *w = NULL;
        for (size_t i = 0; i < cal->diag.n; i++)
            if (strstr(cal->diag.v[i].message, "skipped") &&
                (!w || cal->diag.v[i].line < w->line))
                w = &cal->diag.v[i];
        rc = waras_error_set(WARAS_EPARSE, path, w ? w->line : 0, w ? w->field : NULL,
                             "%s%sno event could be read (%zu component%s skipped)",
                             w ? w->message : "", w ? "; " : "", cal->diag.skipped,
                             cal->diag.skipped == 1 ? "" : "s");
        goto cleanup;
    }
    *out = cal;
    cal = NULL;
cleanup:
    for (size_t i = 0; i < npend; i++)
        free(pend[i].uid_owned);
    free(pend);
    free(sc.lines);
    free(sc.offs);
    waras_buf_free(&sc.text);
    waras_ics_free(cal);
    return rc;
}

void waras_ics_free(waras_ics_calendar *cal)
{
    if (!cal)
        return;
    for (size_t i = 0; i < cal->nevents; i++)
        event_free(&cal->events[i]);
    free(cal->events);
    for (size_t i = 0; i < cal->nzones; i++)
        waras_ics__zone_free(cal->zones[i]);
    free(cal->zones);
    if (cal->root)
        icalcomponent_free(cal->root);
    free(cal->vcals);
    free(cal->xwr_name);
    waras_ics__diag_free(&cal->diag);
    free(cal->path);
    free(cal);
}

const waras_ics_warning *waras_ics_warnings(const waras_ics_calendar *cal, size_t *n,
                                            size_t *total)
{
    if (n)
        *n = cal ? cal->diag.n : 0;
    if (total)
        *total = cal ? cal->diag.total : 0;
    return cal ? cal->diag.v : NULL;
}

size_t waras_ics_skipped(const waras_ics_calendar *cal)
{
    return cal ? cal->diag.skipped : 0;
}

const char *waras_ics_default_zone(const waras_ics_calendar *cal)
{
    return cal ? cal->xwr_name : NULL;
}

int waras_ics_expand(const waras_ics_calendar *cal, waras_date from_date, waras_date to_date,
                     waras_ics_callback cb, void *ctx)
{
    int rc = 0;
    int64_t from = waras_time__days(from_date);
    int64_t to = waras_time__days(to_date);
    if (to < from) {
        rc = waras_error_msg(WARAS_EINVAL, "the window ends before it starts");
        goto cleanup;
    }
    /* A series stops at the bound of the years waras answers about
     * (docs/formats.md#limits), whatever its RRULE, UNTIL or RDATEs say:
     * zones beyond it cost libical minutes. */
    int64_t lo = waras_time__days_from_civil(WARAS_DATE_MIN_YEAR, 1, 1),
            hi = waras_time__days_from_civil(WARAS_DATE_MAX_YEAR + 1, 1, 1);
    from = from < lo ? lo : from;
    to = to > hi ? hi : to;
    if (to <= from)
        goto cleanup;
    /* Offsets of every zone over the window (and a margin for lengths and
     * moved instances) are tabulated once, not looked up per instance. */
    for (size_t i = 0; i < cal->nzones; i++)
        if ((rc = waras_ics__zone_prepare(cal->zones[i], (from - 40) * 86400, (to + 40) * 86400)))
            goto cleanup;
    for (size_t i = 0; i < cal->nevents; i++)
        if ((rc = waras_ics__expand_event(cal, &cal->events[i], from, to, cb, ctx)))
            goto cleanup;
cleanup:
    return rc;
}
