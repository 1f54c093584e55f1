/*
 * Fuzz target for the calendar ingest as the CLI runs it (`waras ingest ics`
 * and `waras ingest leave FILE.ics`): unlike fuzz_ics, which drives the
 * reader and expander alone, this maps organisers and attendees to people,
 * applies answers, kinds and all-day placement, and writes events into a
 * scratch store. The first byte picks the options (kind, owner, strict,
 * or the leave adapter); the rest is the file. Expansion runs over one
 * month, so that rules every second stay cheap. Errors are fine; crashes,
 * leaks and UB are not.
 */
#include "scratch_store.h"

static unsigned char opt_byte;

static int ingest(waras_ingest_result *res, waras_store *st, const char *path)
{
    static const char *const kinds[] = {"meeting", "leave", "milestone"};
    if ((opt_byte & 0x30) == 0x30)
        return waras_ingest_leave(res, st, path, (opt_byte & 4) ? "ana" : NULL);
    waras_ingest_ics_opts o = {.person = (opt_byte & 4) ? "ana" : NULL,
                               .kind = kinds[(opt_byte & 3) % 3],
                               .from = {2026, 3, 1},
                               .to = {2026, 4, 1},
                               .strict = (opt_byte >> 3) & 1};
    return waras_ingest_ics(res, st, path, &o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    opt_byte = data[0];
    fuzz_ingest(data + 1, size - 1, "in.ics", ingest);
    return 0;
}
