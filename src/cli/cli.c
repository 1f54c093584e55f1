/*
 * The helpers every command shares: reporting library and usage errors,
 * --help detection and the start of option reading, checked integer and
 * date options, opening the store, writing an output file, and fixing the
 * clock from WARAS_NOW. main.c only dispatches.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/time.h"

int cli_fail(void)
{
    char msg[2048];
    waras_error_format(msg, sizeof(msg));
    fprintf(stderr, "waras: %s\n", msg);
    return EXIT_USER;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "waras %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'waras %s --help'.\n", cmd);
    return EXIT_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}

int cli_parse_int(long long *out, const char *s, long long min, long long max)
{
    if (!s || !*s)
        return -1;
    /* strtoll skips leading blanks; a value is digits with an optional sign. */
    if (*s == ' ' || *s == '\t' || *s == '\n')
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno == ERANGE || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int cli_int_option(long long *out, const char *cmd, const char *opt, const char *arg,
                   long long min, long long max)
{
    if (cli_parse_int(out, arg, min, max))
        return cli_usage_error(cmd, "%s takes a number from %lld to %lld", opt, min, max);
    return 0;
}

int cli_options_begin(int argc, char **argv, void (*help)(void))
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 1;
    }
    optind = 0;
    opterr = 0;
    return 0;
}

int cli_bad_option(const char *cmd, const char *word)
{
    return cli_usage_error(cmd, "unknown or incomplete option '%s'", word ? word : "");
}

int cli_int_option_int(int *out, const char *cmd, const char *opt, const char *arg, int min,
                       int max)
{
    long long v;
    if (cli_int_option(&v, cmd, opt, arg, min, max))
        return EXIT_USAGE;
    *out = (int)v;
    return 0;
}

int cli_date_option(waras_date *out, const char *cmd, const char *opt, const char *arg)
{
    if (waras_date_parse(out, arg))
        return cli_usage_error(cmd, "%s takes a date YYYY-MM-DD (years 1900 to 2200)", opt);
    return 0;
}

waras_date cli_today(void)
{
    waras_civil c;
    waras_epoch_to_civil(&c, waras_clock_now());
    return (waras_date){c.year, c.month, c.day};
}

int cli_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int cli_store_open(waras_store **st, const cli_ctx *ctx, int flags)
{
    if (waras_store_open(st, ctx->db, flags)) {
        *st = NULL;
        return cli_fail();
    }
    return EXIT_OK;
}

int cli_write_file(const char *path, const char *text)
{
    if (waras_file_write(path, text, strlen(text)))
        return cli_fail();
    return EXIT_OK;
}

int cli_write_made(const char *path, char *text, int made_rc)
{
    int rc = made_rc ? cli_fail() : cli_write_file(path, text);
    free(text);
    return rc;
}

int cli_clock_from_env(void)
{
    const char *now = getenv("WARAS_NOW");
    if (!now || !*now)
        return EXIT_OK;
    waras_instant t;
    int has_offset = 0;
    long long secs;
    if (cli_parse_int(&secs, now, -62135596800LL, 253402300799LL) == 0) {
        t = secs;
    } else if (waras_datetime_parse(&t, &has_offset, now)) {
        fprintf(stderr, "waras: WARAS_NOW='%s' is neither an ISO 8601 date-time "
                        "(2026-11-30T12:00:00Z) nor seconds since the epoch\n",
                now);
        return EXIT_USAGE;
    }
    waras_clock_set(t);
    return EXIT_OK;
}
