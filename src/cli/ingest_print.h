/*
 * How every ingest command reports what it did, so that the messages read
 * the same for calendars, timesheets, leave and people.
 */
#ifndef WARAS_CLI_INGEST_PRINT_H
#define WARAS_CLI_INGEST_PRINT_H

#include "waras/ingest.h"

void cli_print_ingest(const char *what, const char *path, const waras_ingest_result *r, int quiet);

#endif
