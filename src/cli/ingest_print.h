/*
 * How every ingest command runs over its files and reports what it did, so
 * that a failure stops every source the same way and the messages read the
 * same for calendars, timesheets, leave and people.
 */
#ifndef WARAS_CLI_INGEST_PRINT_H
#define WARAS_CLI_INGEST_PRINT_H

#include "cli.h"
#include "waras/ingest.h"

void cli_print_ingest(const char *what, const char *path, const waras_ingest_result *r, int quiet);

/* Ingests one file into st as one transaction and reports it; 0, or a
 * library error with the message in the error slot. */
typedef int (*cli_ingest_fn)(void *self, waras_store *st, const char *path);

/* Opens the store and calls fn for each of paths[0..n) in order; the first
 * file that fails stops the run with its error printed, and the files
 * before it stay ingested. EXIT_OK, or EXIT_USER. */
int cli_ingest_files(const cli_ctx *ctx, char *const *paths, int n, cli_ingest_fn fn, void *self);

#endif
