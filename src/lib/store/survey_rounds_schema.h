/*
 * The schema of the survey rounds opened in the service, for the store's
 * migration list: a round (its teams, comma-separated, the first and last
 * day it is open, who opened it) and the one response of each person in a
 * round, whose scores and answers are the survey_responses row of
 * source_key. Their code is src/lib/survey/rounds.c. SQLite's form;
 * PostgreSQL's is in pg.c's migrations.
 */
#ifndef WARAS_SURVEY_ROUNDS_SCHEMA_H
#define WARAS_SURVEY_ROUNDS_SCHEMA_H

#define WARAS_SURVEY_ROUNDS_SCHEMA                                                                 \
    "CREATE TABLE survey_rounds ("                                                                 \
    "  id INTEGER PRIMARY KEY, teams TEXT NOT NULL, opens TEXT NOT NULL, closes TEXT NOT NULL,"    \
    "  opened_by TEXT NOT NULL, created_at INTEGER NOT NULL);"                                     \
    "CREATE TABLE survey_round_responses ("                                                        \
    "  round INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,"                     \
    "  person TEXT NOT NULL REFERENCES people(id), team TEXT NOT NULL,"                            \
    "  source_key TEXT NOT NULL UNIQUE, updated_at INTEGER NOT NULL, PRIMARY KEY (round, "         \
    "person));"

#endif
