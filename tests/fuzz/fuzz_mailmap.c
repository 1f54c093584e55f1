/*
 * Fuzz target for the git mailmap reader (a repository's .mailmap, read
 * the way git reads it): the first byte picks file or blob reading, the
 * rest is the mailmap, added twice (later entries override earlier ones),
 * then a few identities from the input and fixed ones are resolved
 * through it. Errors are fine; crashes, leaks and UB are not.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "waras/error.h"

static void resolve(const waras_mailmap *mm, const char *name, size_t nl, const char *email,
                    size_t el)
{
    const char *n = name, *e = email;
    if (waras_mailmap__resolve(mm, &n, &nl, &e, &el) == 1 && nl && el)
        (void)(n[nl - 1] + e[el - 1]); /* the results are readable */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    waras_mailmap *mm = NULL;
    if (!size || waras_mailmap__new(&mm))
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    int as_file = data[0] & 1;
    if (waras_mailmap__add_buffer(mm, text, len, as_file) == 0 &&
        waras_mailmap__add_buffer(mm, text, len / 2, !as_file) == 0) {
        (void)waras_mailmap__size(mm);
        resolve(mm, "Ana Putri", 9, "ana@x.example", 13);
        resolve(mm, "", 0, "", 0);
        /* Every <...> of the input as a commit e-mail, with the text before it. */
        const char *p = text, *end = text + len;
        for (int k = 0; k < 16 && p < end; k++) {
            const char *lt = memchr(p, '<', (size_t)(end - p));
            const char *gt = lt ? memchr(lt, '>', (size_t)(end - lt)) : NULL;
            if (!gt)
                break;
            resolve(mm, p, (size_t)(lt - p), lt + 1, (size_t)(gt - lt - 1));
            p = gt + 1;
        }
    }
    waras_mailmap__free(mm);
    waras_error_clear();
    return 0;
}
