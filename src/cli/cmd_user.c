/*
 * waras user and waras token: the accounts of the service. `user add`
 * creates the first admin too; passwords come from standard input with
 * --password-stdin, or are asked twice without echo on a terminal, and
 * there is never a default. `token create` prints the new API token once;
 * only its hash is kept.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "util/util.h"
#include "waras/auth.h"
#include "waras/error.h"
#include "waras/store.h"

#define PW_BUF (WARAS_AUTH_PASSWORD_MAX + 2)

static void user_help(void)
{
    printf("usage: waras [--db PATH] user add LOGIN --role ROLE [--person ID] [--teams T1,T2]\n"
           "                                   [--password-stdin]\n"
           "       waras [--db PATH] user list\n"
           "       waras [--db PATH] user remove LOGIN\n"
           "       waras [--db PATH] user passwd LOGIN [--password-stdin]\n\n"
           "Accounts of the service (waras serve). ROLE is member, lead, people-ops\n"
           "or admin. A member, lead or people-ops account is a person of the store\n"
           "(--person ID); a lead also names the teams they lead (--teams). An admin\n"
           "manages users, tokens and ingest and sees nobody's data; create the\n"
           "first admin with this command.\n\n"
           "The password (%d to %d bytes) is read from the first line of standard\n"
           "input with --password-stdin, or asked twice without echo on a terminal.\n"
           "It is stored only as an Argon2id hash. 'passwd' ends the user's sessions;\n"
           "'remove' also drops their API tokens. See docs/service.md.\n",
           WARAS_AUTH_PASSWORD_MIN, WARAS_AUTH_PASSWORD_MAX);
}

static void token_help(void)
{
    printf("usage: waras [--db PATH] token create LOGIN --name NAME [--days N]\n"
           "       waras [--db PATH] token revoke ID\n\n"
           "API tokens for scripts, sent as 'Authorization: Bearer TOKEN' to the\n"
           "service; a token acts with its user's role. 'create' prints the token\n"
           "once on standard output (and its id on standard error); only a hash is\n"
           "kept, so it cannot be shown again. --days N makes it expire after N days\n"
           "(default 90; 0: never). 'revoke' ends a token by its id at once.\n");
}

/* Reads one line into buf without its line end; 0 on success. */
static int read_line(FILE *f, char *buf, size_t size)
{
    if (!fgets(buf, (int)size, f))
        return -1;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (n == size - 1)
        return -2; /* too long */
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return 0;
}

static int prompt(const char *what, char *buf, size_t size)
{
    struct termios old, quiet;
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return -1;
    fprintf(tty, "%s", what);
    fflush(tty);
    int fd = fileno(tty), rc;
    if (tcgetattr(fd, &old) != 0) {
        fclose(tty);
        return -1;
    }
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(fd, TCSAFLUSH, &quiet);
    rc = read_line(tty, buf, size);
    tcsetattr(fd, TCSAFLUSH, &old);
    fprintf(tty, "\n");
    fclose(tty);
    return rc;
}

/* The new password, from stdin or asked twice on the terminal. */
static int get_password(const char *cmd, int from_stdin, char *pw)
{
    if (from_stdin) {
        int rc = read_line(stdin, pw, PW_BUF);
        if (rc == -2)
            return cli_usage_error(cmd, "the password is longer than %d bytes",
                                   WARAS_AUTH_PASSWORD_MAX);
        if (rc)
            return cli_usage_error(cmd, "--password-stdin: no password on standard input");
        return 0;
    }
    if (!isatty(STDIN_FILENO))
        return cli_usage_error(cmd, "no terminal to ask for the password: use --password-stdin");
    char again[PW_BUF];
    if (prompt("New password: ", pw, PW_BUF) || prompt("Again: ", again, sizeof(again)))
        return cli_usage_error(cmd, "could not read the password");
    int same = strcmp(pw, again) == 0;
    sodium_memzero(again, sizeof(again));
    if (!same) {
        fprintf(stderr, "waras %s: the passwords differ\n", cmd);
        return EXIT_USER;
    }
    return 0;
}

static int user_add(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"role", required_argument, NULL, 'r'},
        {"person", required_argument, NULL, 'p'},
        {"teams", required_argument, NULL, 't'},
        {"password-stdin", no_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    const char *role_s = NULL, *person = NULL, *teams = NULL;
    int from_stdin = 0, ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            role_s = optarg;
            break;
        case 'p':
            person = optarg;
            break;
        case 't':
            teams = optarg;
            break;
        case 's':
            from_stdin = 1;
            break;
        default:
            return cli_usage_error("user", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("user", "user add takes one LOGIN");
    if (!role_s)
        return cli_usage_error("user", "user add needs --role member|lead|people-ops|admin");
    waras_role role;
    if (waras_role_parse(&role, role_s))
        return cli_usage_error("user", "unknown role '%s' (member, lead, people-ops or admin)",
                               role_s);
    char pw[PW_BUF];
    int rc = get_password("user", from_stdin, pw);
    if (rc)
        return rc;
    waras_store *st = NULL;
    if (waras_store_open(&st, ctx->db, WARAS_STORE_CREATE) ||
        waras_auth_user_add(NULL, st, argv[optind], role, person, teams, pw))
        rc = cli_fail();
    else if (!ctx->quiet)
        fprintf(stderr, "added %s (%s)\n", argv[optind], role_s);
    sodium_memzero(pw, sizeof(pw));
    waras_store_close(st);
    return rc;
}

static int user_list(cli_ctx *ctx)
{
    waras_store *st = NULL;
    waras_user *v = NULL;
    size_t n = 0;
    int rc = EXIT_OK;
    if (waras_store_open(&st, ctx->db, 0) || waras_auth_user_list(&v, &n, st)) {
        rc = cli_fail();
    } else {
        printf("login\trole\tperson\tteams\n");
        for (size_t i = 0; i < n; i++) {
            printf("%s\t%s\t%s\t", v[i].login, waras_role_name(v[i].role), v[i].person);
            for (int t = 0; t < v[i].nteams; t++)
                printf("%s%s", t ? "," : "", v[i].teams[t]);
            printf("\n");
        }
    }
    free(v);
    waras_store_close(st);
    return rc;
}

static int user_one(cli_ctx *ctx, int argc, char **argv, int passwd)
{
    static const struct option longopts[] = {
        {"password-stdin", no_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int from_stdin = 0, ch, rc = EXIT_OK;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (ch == 's' && passwd)
            from_stdin = 1;
        else
            return cli_usage_error("user", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
    if (optind + 1 != argc)
        return cli_usage_error("user", "user %s takes one LOGIN", argv[0]);
    const char *login = argv[optind];
    waras_store *st = NULL;
    char pw[PW_BUF] = "";
    if (passwd && (rc = get_password("user", from_stdin, pw)))
        return rc;
    if (waras_store_open(&st, ctx->db, 0) ||
        (passwd ? waras_auth_user_passwd(st, login, pw) : waras_auth_user_remove(st, login)))
        rc = cli_fail();
    else if (!ctx->quiet)
        fprintf(stderr,
                passwd ? "new password for %s; their sessions are ended\n"
                       : "removed %s with their sessions and tokens\n",
                login);
    sodium_memzero(pw, sizeof(pw));
    waras_store_close(st);
    return rc;
}

int cmd_user(cli_ctx *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        user_help();
        return EXIT_OK;
    }
    if (argc < 2)
        return cli_usage_error("user", "missing sub-command (add, list, remove or passwd)");
    const char *sub = argv[1];
    if (strcmp(sub, "add") == 0)
        return user_add(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0) {
        if (argc != 2)
            return cli_usage_error("user", "user list takes no arguments");
        return user_list(ctx);
    }
    if (strcmp(sub, "remove") == 0)
        return user_one(ctx, argc - 1, argv + 1, 0);
    if (strcmp(sub, "passwd") == 0)
        return user_one(ctx, argc - 1, argv + 1, 1);
    return cli_usage_error("user", "unknown sub-command '%s' (add, list, remove or passwd)", sub);
}

static int token_create(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"name", required_argument, NULL, 'n'},
        {"days", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    const char *name = NULL;
    long days = 90;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'n':
            name = optarg;
            break;
        case 'd':
            if (waras_parse_long(optarg, &days) || days < 0 || days > 3660)
                return cli_usage_error("token", "--days takes a number from 0 to 3660");
            break;
        default:
            return cli_usage_error("token", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("token", "token create takes one LOGIN");
    if (!name)
        return cli_usage_error("token", "token create needs --name NAME");
    waras_store *st = NULL;
    char token[WARAS_AUTH_TOKEN_SIZE];
    int64_t id = 0;
    int rc = EXIT_OK;
    if (waras_store_open(&st, ctx->db, 0) ||
        waras_auth_token_create(token, &id, st, argv[optind], name, (int)days)) {
        rc = cli_fail();
    } else {
        printf("%s\n", token);
        if (days)
            fprintf(stderr, "token %lld '%s' for %s, valid for %ld days; it is shown only now\n",
                    (long long)id, name, argv[optind], days);
        else
            fprintf(stderr, "token %lld '%s' for %s, no expiry; it is shown only now\n",
                    (long long)id, name, argv[optind]);
        sodium_memzero(token, sizeof(token));
    }
    waras_store_close(st);
    return rc;
}

int cmd_token(cli_ctx *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        token_help();
        return EXIT_OK;
    }
    if (argc < 2)
        return cli_usage_error("token", "missing sub-command (create or revoke)");
    if (strcmp(argv[1], "create") == 0)
        return token_create(ctx, argc - 1, argv + 1);
    if (strcmp(argv[1], "revoke") == 0) {
        long id;
        if (argc != 3 || waras_parse_long(argv[2], &id) || id <= 0)
            return cli_usage_error("token", "token revoke takes one token ID (a number)");
        waras_store *st = NULL;
        int rc = EXIT_OK;
        if (waras_store_open(&st, ctx->db, 0) || waras_auth_token_revoke(st, id))
            rc = cli_fail();
        else if (!ctx->quiet)
            fprintf(stderr, "revoked token %ld\n", id);
        waras_store_close(st);
        return rc;
    }
    return cli_usage_error("token", "unknown sub-command '%s' (create or revoke)", argv[1]);
}
