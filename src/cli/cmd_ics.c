/*
 * `waras ics expand FILE --from YYYY-MM-DD --to YYYY-MM-DD`: prints every
 * occurrence of the calendar's events that overlaps the window, one
 * `UID<TAB>START<TAB>END` line each, sorted bytewise, so that other tools
 * and tests can compare expansions. A thin shell over waras_ics_expand().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/ics.h"

#define ICS_MAX_LINES 10000000 /* output lines; a window over a huge calendar */

static void help(FILE *f)
{
    fprintf(f, "usage: waras ics expand FILE --from YYYY-MM-DD --to YYYY-MM-DD\n\n"
               "Prints every VEVENT occurrence of FILE that overlaps [from, to), where the\n"
               "dates are midnights in each occurrence's own time zone, one per line,\n"
               "sorted bytewise:\n\n"
               "  UID<TAB>START<TAB>END\n\n"
               "with values YYYYMMDD (all-day), YYYYMMDDTHHMMSS (floating) or\n"
               "YYYYMMDDTHHMMSSZ (zoned, in UTC). RRULE, RDATE, EXDATE, RECURRENCE-ID\n"
               "overrides (also RANGE=THISANDFUTURE), VTIMEZONE and X-WR-TIMEZONE apply;\n"
               "cancelled occurrences are left out. A component that cannot be read is\n"
               "skipped with a warning on stderr naming its line.\n\n"
               "Options:\n"
               "  --from DATE   first day of the window\n"
               "  --to DATE     day after the last day of the window\n"
               "  --strict      fail on the first component that cannot be read\n"
               "  -h, --help    show this help\n");
}

/* All output lines in one buffer (each NUL-terminated), found by offset:
 * one allocation per line would cost more than the expansion. */
typedef struct lines {
    waras_buf text;
    size_t *off;
    size_t n, alloc;
} lines;

static char *put_digits(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ; returns the length. */
static size_t put_value(char *buf, waras_ics_value_kind kind, waras_instant t)
{
    waras_civil c;
    char *p = buf;
    waras_epoch_to_civil(&c, t);
    if (c.year < 0 || c.year > 9999)
        c.year = c.year < 0 ? 0 : 9999; /* cannot happen: parse keeps years in 1..9999 */
    p = put_digits(p, c.year, 4);
    p = put_digits(p, c.month, 2);
    p = put_digits(p, c.day, 2);
    if (kind != WARAS_ICS_DATE) {
        *p++ = 'T';
        p = put_digits(p, c.hour, 2);
        p = put_digits(p, c.minute, 2);
        p = put_digits(p, c.second, 2);
        if (kind == WARAS_ICS_ZONED)
            *p++ = 'Z';
    }
    return (size_t)(p - buf);
}

static int collect(void *ctx, const waras_ics_occurrence *occ)
{
    lines *l = ctx;
    char v[40];
    if (l->n >= ICS_MAX_LINES)
        return waras_error_msg(WARAS_ELIMIT, "more than %d occurrences in the window",
                               ICS_MAX_LINES);
    if (l->n == l->alloc) {
        size_t na = l->alloc ? l->alloc * 2 : 1024;
        size_t *no = realloc(l->off, na * sizeof(*no));
        if (!no)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        l->off = no;
        l->alloc = na;
    }
    size_t at = l->text.len;
    int rc = 0;
    /* A tab or line end inside a UID would break the columns. */
    for (const char *u = occ->uid; *u && !rc;) {
        size_t k = strcspn(u, "\t\r\n");
        rc = waras_buf_add(&l->text, u, k);
        u += k;
        if (*u && !rc) {
            rc = waras_buf_addc(&l->text, ' ');
            u++;
        }
    }
    v[0] = '\t';
    size_t k = 1 + put_value(v + 1, occ->kind, occ->start);
    v[k++] = '\t';
    k += put_value(v + k, occ->kind, occ->end);
    v[k++] = '\0';
    if (rc || waras_buf_add(&l->text, v, k))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    l->off[l->n++] = at;
    return 0;
}

/* The parse's warnings on stderr, then how many components were left out. */
static void print_warnings(const char *file, const waras_ics_calendar *cal)
{
    size_t n, total;
    const waras_ics_warning *w = waras_ics_warnings(cal, &n, &total);
    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, "waras: warning: %s", file);
        if (w[i].line > 0)
            fprintf(stderr, ":%ld", w[i].line);
        fprintf(stderr, ": %s%s%s\n", w[i].field, w[i].field[0] ? ": " : "", w[i].message);
    }
    if (total > n)
        fprintf(stderr, "waras: warning: %s: %zu more warnings not shown\n", file, total - n);
    size_t skipped = waras_ics_skipped(cal);
    if (skipped)
        fprintf(stderr, "waras: %s: %zu component%s skipped, the rest read\n", file, skipped,
                skipped == 1 ? "" : "s");
}

/* Sorts lines bytewise (strcmp compares as unsigned char). The library
 * gives each event's instances in order and the events by UID, so the lines
 * come in long sorted runs: merging runs costs little more than a pass. */
static int sort_lines(char **v, size_t n)
{
    size_t *runs = NULL, nruns = 0;
    char **tmp = NULL;
    int rc = 0;
    if (n < 2)
        return 0;
    runs = malloc((n + 1) * sizeof(*runs));
    tmp = malloc(n * sizeof(*tmp));
    if (!runs || !tmp) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    runs[nruns++] = 0;
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i - 1], v[i]) > 0)
            runs[nruns++] = i;
    runs[nruns] = n;
    while (nruns > 1) {
        size_t w = 0;
        for (size_t r = 0; r < nruns; r += 2) {
            size_t a = runs[r], m = runs[r + 1];
            if (r + 1 >= nruns) { /* an odd run out: kept as it is */
                memcpy(tmp + a, v + a, (m - a) * sizeof(*v));
                runs[w++] = a;
                continue;
            }
            size_t b = runs[r + 2], i = a, j = m, k = a;
            while (i < m && j < b)
                tmp[k++] = strcmp(v[j], v[i]) < 0 ? v[j++] : v[i++];
            while (i < m)
                tmp[k++] = v[i++];
            while (j < b)
                tmp[k++] = v[j++];
            runs[w++] = a;
        }
        runs[w] = n;
        nruns = w;
        memcpy(v, tmp, n * sizeof(*v));
    }
cleanup:
    free(runs);
    free(tmp);
    return rc;
}

static int expand(int argc, char **argv)
{
    int rc = EXIT_OK;
    const char *file = NULL, *from = NULL, *to = NULL;
    char *data = NULL;
    size_t len = 0;
    waras_ics_calendar *cal = NULL;
    lines out = {0};
    char **sorted = NULL;
    waras_date fdate, tdate;
    waras_ics_parse_opts popts = {0};
    waras_buf_init(&out.text, WARAS_BUF_DEFAULT_CAP);
    for (int i = 1; i < argc; i++) {
        const char **slot = NULL;
        const char *val = NULL;
        if (strcmp(argv[i], "--from") == 0 || strcmp(argv[i], "--to") == 0) {
            slot = argv[i][2] == 'f' ? &from : &to;
            if (i + 1 >= argc) {
                rc = cli_usage_error("ics expand", "%s needs a date (YYYY-MM-DD)", argv[i]);
                goto cleanup;
            }
            val = argv[++i];
        } else if (strncmp(argv[i], "--from=", 7) == 0) {
            slot = &from;
            val = argv[i] + 7;
        } else if (strncmp(argv[i], "--to=", 5) == 0) {
            slot = &to;
            val = argv[i] + 5;
        } else if (strcmp(argv[i], "--strict") == 0) {
            popts.strict = 1;
            continue;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            rc = cli_usage_error("ics expand", "unknown option '%s'", argv[i]);
            goto cleanup;
        } else if (!file) {
            file = argv[i];
            continue;
        } else {
            rc = cli_usage_error("ics expand", "unexpected argument '%s'", argv[i]);
            goto cleanup;
        }
        *slot = val;
    }
    if (!file || !from || !to) {
        rc = cli_usage_error("ics expand", "needs FILE, --from and --to");
        goto cleanup;
    }
    if (waras_date_parse(&fdate, from) != 0) {
        rc = cli_usage_error("ics expand", "--from '%s' is not a date (YYYY-MM-DD)", from);
        goto cleanup;
    }
    if (waras_date_parse(&tdate, to) != 0) {
        rc = cli_usage_error("ics expand", "--to '%s' is not a date (YYYY-MM-DD)", to);
        goto cleanup;
    }
    if (waras_date_cmp(tdate, fdate) < 0) {
        rc = cli_usage_error("ics expand", "--to %s is before --from %s", to, from);
        goto cleanup;
    }
    if (waras_file_read(&data, &len, file) != 0 ||
        waras_ics_parse_with(&cal, data, len, file, &popts) != 0) {
        rc = cli_fail();
        goto cleanup;
    }
    print_warnings(file, cal);
    if (waras_ics_expand(cal, fdate, tdate, collect, &out) != 0) {
        rc = cli_fail();
        goto cleanup;
    }
    sorted = malloc((out.n ? out.n : 1) * sizeof(*sorted));
    if (!sorted) {
        waras_error_msg(WARAS_ENOMEM, "out of memory");
        rc = cli_fail();
        goto cleanup;
    }
    for (size_t i = 0; i < out.n; i++)
        sorted[i] = out.text.ptr + out.off[i];
    if (sort_lines(sorted, out.n) != 0) {
        rc = cli_fail();
        goto cleanup;
    }
    for (size_t i = 0; i < out.n; i++) {
        fputs(sorted[i], stdout);
        putchar('\n');
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "waras: cannot write the output\n");
        rc = EXIT_USER;
    }
cleanup:
    free(sorted);
    free(out.off);
    waras_buf_free(&out.text);
    waras_ics_free(cal);
    free(data);
    return rc;
}

int cmd_ics(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc < 2) {
        if (cli_wants_help(argc, argv)) {
            help(stdout);
            return EXIT_OK;
        }
        return cli_usage_error("ics", "needs a subcommand: expand");
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        help(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "expand") != 0)
        return cli_usage_error("ics", "unknown subcommand '%s'", argv[1]);
    if (cli_wants_help(argc - 1, argv + 1)) {
        help(stdout);
        return EXIT_OK;
    }
    return expand(argc - 1, argv + 1);
}
