/*
 * libFuzzer target for the Curtois & Qu instance reader: any bytes must give
 * a problem or a clean parse error. When they parse into a small problem, the
 * scorer, the roster TSV writer and reader, and a very short solve run on it
 * too (for 5 ms), so that hostile limits (zero, huge, contradictory) reach
 * the search.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "waras/error.h"
#include "waras/roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    waras_roster_problem *p = NULL;
    if (waras_roster_parse(&p, (const char *)data, size, "fuzz.txt"))
        return 0;
    size_t cells = (size_t)waras_roster_nemployees(p) * (size_t)waras_roster_ndays(p);
    if (cells > 0 && cells <= 4000) {
        int *x = malloc(cells * sizeof(int));
        for (size_t i = 0; x && i < cells; i++)
            x[i] = waras_roster_nshifts(p) ? (int)(i % (size_t)(waras_roster_nshifts(p) + 1)) - 1
                                           : WARAS_ROSTER_OFF;
        waras_roster_score sc;
        if (x && waras_roster_score_compute(&sc, p, x) == 0)
            waras_roster_score_free(&sc);
        char *tsv = NULL;
        size_t len = 0;
        int *back = NULL;
        if (x && waras_roster_write_tsv(&tsv, &len, p, x) == 0 &&
            waras_roster_read_tsv(&back, p, tsv, len, "fuzz.tsv") == 0)
            free(back);
        free(tsv);
        free(x);
        waras_roster_solve_opts o = {0};
        /* 5 ms at most: the construction's row DP runs until the time
         * limit on instances with wide limits, and at 1 s such inputs took
         * most of a campaign's time; 5 ms still reach the construction,
         * the repairs and the first moves. */
        o.time_limit = 0.005;
        o.threads = 1;
        o.max_iterations = 300;
        waras_roster_result r;
        if (waras_roster_solve(&r, p, &o) == 0)
            waras_roster_result_free(&r);
    }
    waras_roster_problem_free(p);
    return 0;
}
