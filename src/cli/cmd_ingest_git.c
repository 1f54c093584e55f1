/*
 * waras ingest git REPO... [--since DATE] [--create-people] [--all-refs]:
 * each repository is one transaction; a progress bar goes to stderr when it
 * is a terminal and nowhere otherwise.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ingest_print.h"
#include "util/util.h"
#include "waras/ingest.h"
#include "waras/store.h"
#include "waras/time.h"

static void help(void)
{
    printf("usage: waras [--db PATH] ingest git REPO... [--since YYYY-MM-DD]\n"
           "                                   [--create-people] [--all-refs]\n\n"
           "Reads every commit reachable from HEAD (from every ref with --all-refs),\n"
           "merges included: the author time and the author's own UTC offset, with\n"
           "identities merged through .mailmap as git does (bare repositories too).\n"
           "Authors map to people through 'git' and 'email' identities.\n\n"
           "  --since DATE      only commits whose author date (in the author's own\n"
           "                    offset) is on or after DATE\n"
           "  --create-people   create a person for each unknown author, keyed by the\n"
           "                    lower-cased mailmapped e-mail (team 'unassigned', zone UTC);\n"
           "                    without it, unknown authors are counted and listed\n"
           "  --all-refs        walk every branch, tag and remote ref, not only HEAD\n\n"
           "Each repository is all-or-nothing; ingesting it again reads only the commits\n"
           "that are new since the last run. See docs/git.md.\n");
}

typedef struct bar {
    const char *path;
    int drawn;
} bar;

static void draw(void *ctx, long done, long total)
{
    bar *b = ctx;
    if (total > 0) {
        int width = 30, fill = (int)((double)done / (double)total * width);
        fprintf(stderr, "\r%s: [%.*s%*s] %ld/%ld commits", b->path, fill,
                "##############################", width - fill, "", done, total);
    } else {
        fprintf(stderr, "\r%s: walking history, %ld commits", b->path, done);
    }
    fflush(stderr);
    b->drawn = 1;
}

static void print_result(const char *path, const waras_ingest_result *r)
{
    if (r->already) {
        printf("%s: already ingested (no new commits); nothing to do\n", path);
        return;
    }
    printf("%s: %ld commit%s read, %ld added or changed, %ld unchanged", path, r->rows,
           r->rows == 1 ? "" : "s", r->added, r->unchanged);
    if (r->skipped)
        printf(", %ld skipped", r->skipped);
    printf("\n");
    if (r->note[0])
        printf("  note: %s\n", r->note);
}

/* One run over repositories: the options and whether to print. */
typedef struct git_run {
    waras_ingest_git_opts *o;
    int quiet;
} git_run;

/* One repository, with the progress bar on a terminal. */
static int ingest_one(void *self, waras_store *st, const char *path)
{
    git_run *run = self;
    waras_ingest_result r;
    bar b = {path, 0};
    if (!run->quiet && waras_stderr_is_tty()) {
        run->o->progress = draw;
        run->o->progress_ctx = &b;
    }
    int rc = waras_ingest_git(&r, st, path, run->o);
    if (b.drawn)
        fprintf(stderr, "\n");
    if (!rc && !run->quiet)
        print_result(path, &r);
    return rc;
}

int cmd_ingest_git(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"since", required_argument, NULL, 's'},
        {"create-people", no_argument, NULL, 'c'},
        {"all-refs", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    waras_ingest_git_opts o = {0};
    int ch;
    waras_date since;
    if (cli_options_begin(argc, argv, help))
        return EXIT_OK;
    /* argv[0] is "ingest": options and repositories follow "git". */
    while ((ch = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 's':
            o.since = optarg;
            break;
        case 'c':
            o.create_people = 1;
            break;
        case 'a':
            o.all_refs = 1;
            break;
        default:
            return cli_bad_option("ingest git", argv[optind]);
        }
    }
    if (o.since && cli_date_option(&since, "ingest git", "--since", o.since))
        return EXIT_USAGE;
    if (argc - 1 - optind <= 0)
        return cli_usage_error("ingest git", "no repository given");
    git_run run = {&o, ctx->quiet};
    return cli_ingest_files(ctx, argv + optind + 1, argc - 1 - optind, ingest_one, &run);
}
