/*
 * The rostering engine: a model of days x shift types x employees with hard
 * rules and weighted soft terms, a reader for the Curtois & Qu instance text
 * format, an exact scorer, and a local-search solver. Planners build a problem
 * in code with the waras_roster_add_* / _set_* calls; the CLI reads one from a
 * file. A roster is a plain array of nemployees * ndays cells, row by row
 * (cells[e * ndays + d]), each a shift index or WARAS_ROSTER_OFF.
 */
#ifndef WARAS_ROSTER_H
#define WARAS_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#define WARAS_ROSTER_OFF (-1)
#define WARAS_ROSTER_NOLIMIT (-1)
/* Size caps, so that hostile input cannot ask for huge tables. */
#define WARAS_ROSTER_MAX_DAYS 3660
#define WARAS_ROSTER_MAX_SHIFTS 256
#define WARAS_ROSTER_MAX_EMPLOYEES 10000

typedef struct waras_roster_problem waras_roster_problem;

/* Hard limits of one employee. WARAS_ROSTER_NOLIMIT (-1) means no limit;
 * waras_roster_add_employee starts with no limits at all. */
typedef struct waras_roster_limits {
    long min_minutes, max_minutes;         /* total worked minutes over the horizon */
    int min_consecutive, max_consecutive;  /* length of a run of worked days */
    int min_days_off;                      /* length of a run of days off */
    int max_weekends;                      /* weekends (days 5, 6 of a week) with work */
} waras_roster_limits;

/* A new empty problem over ndays days (day 0 is a Monday). Free with
 * waras_roster_problem_free. WARAS_EINVAL for a bad ndays, WARAS_ENOMEM. */
int waras_roster_problem_new(waras_roster_problem **out, int ndays);
void waras_roster_problem_free(waras_roster_problem *p);

/* Adds a shift type; *index receives its index (0, 1, ...). The id is copied.
 * WARAS_EEXISTS when the id is taken, WARAS_EINVAL for minutes < 0. */
int waras_roster_add_shift(waras_roster_problem *p, int *index, const char *id, int minutes);
/* Shift `next` may not be worked the day after shift `first`. */
int waras_roster_forbid_sequence(waras_roster_problem *p, int first, int next);
/* Adds an employee with no limits; *index receives its index. */
int waras_roster_add_employee(waras_roster_problem *p, int *index, const char *id);
int waras_roster_set_limits(waras_roster_problem *p, int employee, const waras_roster_limits *lim);
/* At most max shifts of that type (0 = never); NOLIMIT removes the cap. */
int waras_roster_set_max_shifts(waras_roster_problem *p, int employee, int shift, int max);
/* The employee must not work that day. */
int waras_roster_set_day_off(waras_roster_problem *p, int employee, int day);
/* Pre-assigns a cell: shift index or WARAS_ROSTER_OFF. The last lock wins. */
int waras_roster_lock(waras_roster_problem *p, int employee, int day, int shift);
/* Soft request: on != 0 costs weight when that shift is not worked that day;
 * on == 0 costs weight when it is. */
int waras_roster_add_request(waras_roster_problem *p, int employee, int day, int shift, int on,
                             int weight);
/* Cover for one day and shift: each person below `required` costs
 * weight_under, each above costs weight_over. The last call wins. */
int waras_roster_set_cover(waras_roster_problem *p, int day, int shift, int required,
                           int weight_under, int weight_over);
/* Fairness: costs weight per minute that the employee's worked minutes
 * differ from target_minutes. Weight 0 (the default) turns it off. */
int waras_roster_set_fairness(waras_roster_problem *p, int employee, long target_minutes,
                              int weight);

int waras_roster_ndays(const waras_roster_problem *p);
int waras_roster_nshifts(const waras_roster_problem *p);
int waras_roster_nemployees(const waras_roster_problem *p);
/* Ids stay owned by the problem. NULL when out of range. */
const char *waras_roster_shift_id(const waras_roster_problem *p, int shift);
const char *waras_roster_employee_id(const waras_roster_problem *p, int employee);
/* Index of an id, or -1. */
int waras_roster_shift_index(const waras_roster_problem *p, const char *id);
int waras_roster_employee_index(const waras_roster_problem *p, const char *id);

/* Parses the Curtois & Qu text format from data (len bytes; the caller keeps
 * it). path is used in messages only. WARAS_EPARSE names file, line, field. */
int waras_roster_parse(waras_roster_problem **out, const char *data, size_t len, const char *path);
/* Reads and parses a file. */
int waras_roster_load(waras_roster_problem **out, const char *path);

/* Reads a roster TSV (ID<TAB>cell_0...cell_{D-1}, '-' for off) into a new
 * array of nemployees * ndays cells that the caller frees with free().
 * Every employee must appear exactly once. WARAS_EPARSE names the place. */
int waras_roster_read_tsv(int **cells, const waras_roster_problem *p, const char *data, size_t len,
                          const char *path);
/* Writes a roster as TSV, employees in problem order; caller frees *out. */
int waras_roster_write_tsv(char **out, size_t *len, const waras_roster_problem *p, const int *cells);

/* One broken hard rule. rule is a static string such as
 * "max_consecutive_shifts"; value is what the roster has and limit what the
 * rule allows. Rules: locked, day_off, shift_rotation, max_shifts,
 * max_total_minutes, min_total_minutes, max_consecutive_shifts,
 * min_consecutive_shifts, min_consecutive_days_off, max_weekends. */
typedef struct waras_roster_violation {
    const char *rule;
    int employee;
    int day;   /* first day concerned, or -1 */
    int shift; /* shift concerned (the later one for a rotation), or -1 */
    long value, limit;
} waras_roster_violation;

typedef struct waras_roster_score {
    int feasible;   /* no hard rule broken */
    long objective; /* cover + requests + fairness */
    long cover_under, cover_over, cover;
    long requests, fairness;
    size_t nviolations;
    waras_roster_violation *violations; /* owned; free with waras_roster_score_free */
} waras_roster_score;

/* Scores a roster exactly by the rules, independently of the solver's
 * incremental bookkeeping. Cells must hold valid values (WARAS_EINVAL). */
int waras_roster_score_compute(waras_roster_score *out, const waras_roster_problem *p,
                               const int *cells);
void waras_roster_score_free(waras_roster_score *s);

typedef void (*waras_roster_progress_fn)(void *user, double seconds, long objective, int feasible);

/* The largest work budget waras_roster_solve takes (larger ones are cut to
 * it): some days of work on a fast machine. */
#define WARAS_ROSTER_MAX_ITERATIONS 1000000000000LL

/* iterations, when > 0, is a work budget that does not depend on the
 * machine's speed. Each search (thread) stops once it has done that much
 * work, a unit being one annealing move or 300 state transitions of the row
 * dynamic programme (construction, repairs, row moves and pricing alike),
 * and a simplex iteration of column generation counting three units for
 * each row of its master (days x shifts + employees rows); the phases of the run
 * (column generation from 5 % of it, pricing until 55 %, dives until 75 or
 * 95 %) are then fractions of the budget rather than of the time. The time
 * limit is then only a safety cap, and only when > 0. With one thread, a
 * fixed seed and no cap reached, the roster is the same on every run. With
 * iterations 0 the run is timed: time_limit <= 0 means 10 seconds. */
typedef struct waras_roster_solve_opts {
    double time_limit;         /* seconds of wall time; <= 0 means 10 (see above) */
    long iterations;           /* work budget per search, 0: time alone (see above) */
    uint64_t seed;             /* same seed, one thread, same iterations: same roster */
    int threads;               /* independent searches; <= 0 means 1 */
    long long max_iterations;  /* annealing moves per thread, with no column generation;
                                * 0 = no such cap */
    waras_roster_progress_fn progress; /* called from the calling thread, or NULL */
    void *progress_user;
} waras_roster_solve_opts;

typedef struct waras_roster_result {
    int *cells;        /* nemployees * ndays; caller frees with waras_roster_result_free */
    int feasible;      /* as re-scored by waras_roster_score_compute */
    long objective;    /* as re-scored */
    double seconds;
    long long iterations; /* annealing moves, summed over threads */
} waras_roster_result;

/* Searches for a low-cost roster and returns the best one found when the time
 * limit or iteration budget runs out. feasible and objective come from the
 * independent scorer, never from the search's own bookkeeping. */
int waras_roster_solve(waras_roster_result *out, const waras_roster_problem *p,
                       const waras_roster_solve_opts *opts);
void waras_roster_result_free(waras_roster_result *r);

#endif
