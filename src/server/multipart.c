/*
 * multipart/form-data bodies (RFC 7578), as a browser sends a form with a
 * file input: the admin page's upload form. Only what such a form sends is
 * read: parts separated by the boundary from the Content-Type, each with a
 * Content-Disposition naming the field (and, for a file, its file name);
 * other part headers are skipped. A part's content is returned in place
 * (a pointer into the body and its length), so a file of several MiB is
 * never copied; nothing is decoded, as browsers send files as they are.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "server.h"
#include "util/util.h"

int srv_is_multipart(const srv_request *rq)
{
    return rq->content_type && strncasecmp(rq->content_type, "multipart/form-data", 19) == 0;
}

/* The boundary parameter of the Content-Type into out ("--" in front), or
 * -1 when there is none or it is longer than RFC 2046's 70 characters. */
static int boundary_of(char out[80], const char *type)
{
    const char *p = type;
    while ((p = strchr(p, ';'))) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "boundary=", 9) != 0)
            continue;
        p += 9;
        int quoted = *p == '"';
        p += quoted;
        size_t n = 0;
        while (p[n] && (quoted ? p[n] != '"' : p[n] != ';' && p[n] != ' ' && p[n] != '\t'))
            n++;
        if (n == 0 || n > 70)
            return -1;
        snprintf(out, 80, "--%.*s", (int)n, p);
        return 0;
    }
    return -1;
}

static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0 || n < m)
        return NULL;
    for (const char *p = hay, *end = hay + n - m; p <= end;) {
        const char *q = memchr(p, needle[0], (size_t)(end - p) + 1);
        if (!q)
            return NULL;
        if (memcmp(q, needle, m) == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

/* A parameter (name="..." or filename="...") of a Content-Disposition line
 * [line, end) into out; 1 when there, 0 when not, -1 when too long. */
static int disposition_param(char *out, size_t size, const char *line, const char *end,
                             const char *param)
{
    size_t pl = strlen(param);
    for (const char *p = line; p + pl + 2 <= end; p++) {
        if ((p[-1] != ';' && p[-1] != ' ' && p[-1] != '\t') || strncasecmp(p, param, pl) ||
            p[pl] != '=' || p[pl + 1] != '"')
            continue;
        const char *v = p + pl + 2, *q = memchr(v, '"', (size_t)(end - v));
        if (!q)
            return -1;
        if ((size_t)(q - v) >= size)
            return -1;
        memcpy(out, v, (size_t)(q - v));
        out[q - v] = '\0';
        return 1;
    }
    return 0;
}

int srv_multipart_each(const srv_request *rq, srv_part_cb cb, void *ctx)
{
    char b[80];
    if (!srv_is_multipart(rq) || boundary_of(b, rq->content_type))
        return -1;
    size_t bl = strlen(b);
    const char *body = rq->body ? rq->body : "", *end = body + rq->body_len;
    /* The first boundary line (a preamble before it is allowed). */
    const char *p = find(body, rq->body_len, b, bl);
    if (!p)
        return -1;
    p += bl;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return 0; /* the closing boundary */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return -1;
        p += 2;
        srv_part part = {0};
        int named = 0;
        /* Headers up to the blank line. */
        for (;;) {
            const char *eol = find(p, (size_t)(end - p), "\r\n", 2);
            if (!eol)
                return -1;
            if (eol == p) {
                p += 2;
                break;
            }
            if ((size_t)(eol - p) > 20 && strncasecmp(p, "Content-Disposition:", 20) == 0) {
                const char *v = p + 20;
                while (v < eol && (*v == ' ' || *v == '\t'))
                    v++;
                if ((size_t)(eol - v) < 9 || strncasecmp(v, "form-data", 9))
                    return -1;
                int rc = disposition_param(part.name, sizeof(part.name), v + 9, eol, "name");
                if (rc <= 0)
                    return -1;
                named = 1;
                rc =
                    disposition_param(part.filename, sizeof(part.filename), v + 9, eol, "filename");
                if (rc < 0)
                    return -1;
                part.is_file = rc == 1;
            }
            p = eol + 2;
        }
        if (!named)
            return -1;
        /* The content ends at CRLF and the next boundary. */
        char delim[84];
        snprintf(delim, sizeof(delim), "\r\n%s", b);
        const char *stop = find(p, (size_t)(end - p), delim, bl + 2);
        if (!stop)
            return -1;
        part.data = p;
        part.len = (size_t)(stop - p);
        int rc = cb(ctx, &part);
        if (rc)
            return rc;
        p = stop + bl + 2;
    }
}

typedef struct field_ctx {
    const char *name;
    srv_part *out;
    int found;
} field_ctx;

static int field_cb(void *ctx, const srv_part *part)
{
    field_ctx *f = ctx;
    if (strcmp(part->name, f->name) == 0 && f->found++ == 0)
        *f->out = *part;
    return 0;
}

int srv_multipart_get(srv_part *out, const srv_request *rq, const char *name)
{
    field_ctx f = {name, out, 0};
    memset(out, 0, sizeof(*out));
    if (srv_multipart_each(rq, field_cb, &f) || f.found != 1) {
        memset(out, 0, sizeof(*out));
        return 0;
    }
    return 1;
}

int srv_multipart_text(const srv_request *rq, const char *name, char *out, size_t size)
{
    srv_part part;
    if (size)
        out[0] = '\0';
    if (!srv_multipart_get(&part, rq, name) || part.is_file || part.len >= size ||
        memchr(part.data, '\0', part.len))
        return 0;
    memcpy(out, part.data, part.len);
    out[part.len] = '\0';
    return 1;
}
