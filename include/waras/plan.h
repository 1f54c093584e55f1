/*
 * What every planner (on-call, quiet weeks, recovery leave) takes from its
 * caller for the rostering engine's search: how long it may run, how much
 * work it may do, and its seed. One struct, embedded in each planner's
 * options, so that the three read it the same way.
 */
#ifndef WARAS_PLAN_H
#define WARAS_PLAN_H

#include <stdint.h>

typedef struct waras_plan_budget {
    double time_limit; /* seconds for the engine; 0: the planner's default, or
                        * no wall-clock limit when iterations is set */
    long iterations;   /* work budget for the engine (0: none); see waras_roster_solve_opts */
    uint64_t seed;     /* the engine's seed; 0: 1 */
} waras_plan_budget;

#endif
