/*
 * Fuzz target for the admin page's multipart/form-data reader
 * (src/server/multipart.c): the input's first line is the Content-Type
 * header, the rest the body. Every part is walked, the fields the upload
 * form reads are looked up, and each part's content must lie inside the
 * body it was read from. Errors are fine; crashes, reads outside the body
 * and UB are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

typedef struct {
    const char *body;
    size_t len;
} walk_ctx;

static int check_part(void *ctx, const srv_part *p)
{
    const walk_ctx *w = ctx;
    if (p->len && (p->data < w->body || p->data + p->len > w->body + w->len))
        abort();
    if (memchr(p->name, 0, sizeof(p->name)) == NULL ||
        memchr(p->filename, 0, sizeof(p->filename)) == NULL)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t tlen = nl ? (size_t)(nl - data) : size;
    char *type = malloc(tlen + 1);
    /* The body in its own allocation, so that ASan sees a read past it. */
    size_t blen = nl ? size - tlen - 1 : 0;
    char *body = malloc(blen ? blen : 1);
    if (!type || !body)
        abort();
    memcpy(type, data, tlen);
    type[tlen] = 0;
    if (blen)
        memcpy(body, nl + 1, blen);

    srv_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.path = "/admin/ingest";
    rq.content_type = type;
    rq.body = body;
    rq.body_len = blen;

    if (srv_is_multipart(&rq)) {
        walk_ctx w = {body, blen};
        srv_part p;
        char text[256];
        (void)srv_multipart_each(&rq, check_part, &w);
        static const char *const names[] = {"csrf", "kind", "person", "file"};
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            if (srv_multipart_get(&p, &rq, names[i]) == 1)
                (void)check_part(&w, &p);
            (void)srv_multipart_text(&rq, names[i], text, sizeof(text));
        }
    }
    free(type);
    free(body);
    return 0;
}
