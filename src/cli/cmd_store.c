/*
 * waras store: the store's own upkeep. `backup FILE` writes a consistent
 * copy of a SQLite store while it is in use, `restore FILE` puts one back,
 * `check` runs SQLite's integrity check (docs/store.md). A PostgreSQL store
 * is backed up and restored by PostgreSQL's own tools: for one, these
 * commands print the command to run and fail.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "waras/backup.h"

static void store_help(FILE *f)
{
    fprintf(f, "usage: waras [--db PATH] store backup FILE\n"
               "       waras [--db PATH] store restore FILE\n"
               "       waras [--db PATH] store check\n"
               "       waras store copy ...\n\n"
               "The store's upkeep (docs/store.md).\n\n"
               "  backup FILE    write a copy of the store to FILE (a new file), consistent\n"
               "                 while the service or an ingest writes; the copy passes\n"
               "                 SQLite's integrity check before it is kept\n"
               "  restore FILE   replace the store with the backup FILE: refused unless FILE\n"
               "                 is a waras store, from this schema or an older one, that\n"
               "                 passes the integrity check; the store as it was is kept\n"
               "                 next to it as PATH.before-restore-YYYYmmddTHHMMSS\n"
               "  check          run SQLite's integrity check on the store (exit 1 when damaged)\n"
               "  copy           copy a store to another backend (SQLite <-> PostgreSQL),\n"
               "                 checking every row; 'waras store copy --help'\n\n"
               "Before a schema upgrade the store backs itself up to\n"
               "PATH.bak-vN-YYYYmmddTHHMMSS and says so on stderr.\n\n"
               "A PostgreSQL store (--db postgres://...) is backed up with pg_dump and\n"
               "restored with pg_restore: backup and restore print the command and exit 1.\n");
}

static int is_postgres(const char *db)
{
    return strncmp(db, "postgres://", 11) == 0 || strncmp(db, "postgresql://", 13) == 0;
}

/* Prints s quoted for a POSIX shell: '...' with each ' as '\''. */
static void shell_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    fputc('\'', f);
}

/* The one-line hint for a PostgreSQL store; exit 1. */
static int postgres_hint(const char *sub, const char *db, const char *file)
{
    fprintf(stderr,
            "waras store %s: a PostgreSQL store is %s by PostgreSQL's own tools; run: ", sub,
            strcmp(sub, "backup") == 0 ? "backed up" : "restored");
    if (strcmp(sub, "backup") == 0) {
        fputs("pg_dump --format=custom --file=", stderr);
        shell_quote(stderr, file);
        fputc(' ', stderr);
        shell_quote(stderr, db);
    } else {
        fputs("pg_restore --clean --if-exists --single-transaction --dbname=", stderr);
        shell_quote(stderr, db);
        fputc(' ', stderr);
        shell_quote(stderr, file);
    }
    fputc('\n', stderr);
    return EXIT_USER;
}

static int store_backup(cli_ctx *ctx, int argc, char **argv)
{
    int v = 0;
    if (argc != 3)
        return cli_usage_error("store", "backup takes one FILE, the new backup");
    if (is_postgres(ctx->db))
        return postgres_hint("backup", ctx->db, argv[2]);
    if (waras_store_backup(&v, ctx->db, argv[2]))
        return cli_fail();
    if (!ctx->quiet)
        printf("backed up %s to %s (schema version %d, integrity ok)\n", ctx->db, argv[2], v);
    return EXIT_OK;
}

static int store_restore(cli_ctx *ctx, int argc, char **argv)
{
    char saved[4096];
    int v = 0;
    if (argc != 3)
        return cli_usage_error("store", "restore takes one FILE, the backup");
    if (is_postgres(ctx->db))
        return postgres_hint("restore", ctx->db, argv[2]);
    if (waras_store_restore(&v, saved, sizeof(saved), ctx->db, argv[2]))
        return cli_fail();
    if (!ctx->quiet) {
        printf("restored %s from %s (schema version %d)\n", ctx->db, argv[2], v);
        if (*saved)
            printf("the store as it was is kept in %s\n", saved);
    }
    return EXIT_OK;
}

static int store_check(cli_ctx *ctx, int argc, char **argv)
{
    if (argc != 2)
        return cli_usage_error("store", "check takes no argument");
    if (is_postgres(ctx->db)) {
        fprintf(stderr, "waras store check: a PostgreSQL store is checked by PostgreSQL "
                        "(e.g. pg_amcheck)\n");
        return EXIT_USER;
    }
    if (waras_store_check(ctx->db))
        return cli_fail();
    if (!ctx->quiet)
        printf("%s: integrity ok\n", ctx->db);
    return EXIT_OK;
}

int cmd_store(cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        store_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1];
    if (cli_wants_help(argc - 1, argv + 1) && strcmp(sub, "copy") != 0) {
        store_help(stdout);
        return EXIT_OK;
    }
    if (strcmp(sub, "backup") == 0)
        return store_backup(ctx, argc, argv);
    if (strcmp(sub, "restore") == 0)
        return store_restore(ctx, argc, argv);
    if (strcmp(sub, "check") == 0)
        return store_check(ctx, argc, argv);
    /* `waras store copy` lives in cmd_store_copy.c, which takes the words
     * after "store" (argv[0] is "copy"). */
    if (strcmp(sub, "copy") == 0)
        return cmd_store_copy(argc - 1, argv + 1);
    return cli_usage_error("store", "unknown sub-command '%s' (backup, restore, check, copy)", sub);
}
