/*
 * Fuzz target for the CSV reader that every CSV ingest (people, timesheets,
 * leave) stands on: any bytes must give records or a clean parse error.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    waras_csv *csv = NULL;
    if (waras_csv_open(&csv, (const char *)data, size, "fuzz.csv"))
        return 0;
    if (waras_csv_read_header(csv, (const char *const[]){"person", "date", NULL}) == 0) {
        int rc;
        while ((rc = waras_csv_next(csv)) == 1) {
            for (int i = 0; i <= waras_csv_nfields(csv); i++)
                (void)waras_csv_field(csv, i);
            (void)waras_csv_column(csv, "person");
        }
    }
    waras_csv_free(csv);
    return 0;
}
