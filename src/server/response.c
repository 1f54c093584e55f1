/*
 * What every handler uses to read a request and build its answer: query
 * arguments, the report range of a request, bodies, headers, JSON errors
 * in the API's one shape, compact JSON answers, and HTML escaping. Shared by the router and the
 * handlers, and calling neither.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/metrics.h"
#include "waras/time.h"

void srv_response_free(srv_response *rs)
{
    free(rs->body);
    rs->body = NULL;
}

void srv_set_body(srv_response *rs, int status, const char *type, char *body)
{
    free(rs->body);
    rs->status = status;
    rs->content_type = type;
    rs->body = body;
    rs->len = body ? strlen(body) : 0;
    if (!body) {
        rs->status = 500;
        rs->content_type = "text/plain; charset=utf-8";
    }
}

void srv_add_header(srv_response *rs, const char *name, const char *value)
{
    if (rs->nheaders == SRV_MAX_HEADERS)
        return;
    waras_strlcpy(rs->headers[rs->nheaders][0], name, sizeof(rs->headers[0][0]));
    waras_strlcpy(rs->headers[rs->nheaders][1], value, sizeof(rs->headers[0][1]));
    rs->nheaders++;
}

void srv_json_error(srv_response *rs, int status, const char *code, const char *field,
                    const char *message)
{
    json_t *o =
        json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", code, "message", message, "field", field);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (s) {
        /* json_dumps memory comes from malloc: freed with free(). */
        size_t n = strlen(s);
        char *t = malloc(n + 2);
        if (t) {
            memcpy(t, s, n);
            t[n] = '\n';
            t[n + 1] = '\0';
        }
        free(s);
        s = t;
    }
    srv_set_body(rs, status, "application/json", s);
}

/* A compact JSON answer (keys in their order) ending in a newline; doc
 * is consumed, and NULL (out of memory) is a plain 500. */
void srv_send_json(srv_response *rs, int status, json_t *doc)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (text) {
        size_t n = strlen(text);
        char *t = realloc(text, n + 2);
        if (t) {
            t[n] = '\n';
            t[n + 1] = '\0';
            text = t;
        }
    }
    srv_set_body(rs, status, "application/json", text);
}

const char *srv_arg(const srv_request *rq, const char *key)
{
    for (int i = 0; i < rq->nargs; i++)
        if (strcmp(rq->args[i].key, key) == 0)
            return rq->args[i].value;
    return NULL;
}

char *srv_html_escape(const char *s)
{
    waras_buf b;
    waras_buf_init(&b, 1 << 20);
    for (; s && *s; s++) {
        int rc;
        switch (*s) {
        case '<':
            rc = waras_buf_add(&b, "&lt;", 4);
            break;
        case '>':
            rc = waras_buf_add(&b, "&gt;", 4);
            break;
        case '&':
            rc = waras_buf_add(&b, "&amp;", 5);
            break;
        case '"':
            rc = waras_buf_add(&b, "&quot;", 6);
            break;
        case '\'':
            rc = waras_buf_add(&b, "&#39;", 5);
            break;
        default:
            rc = waras_buf_addc(&b, *s);
        }
        if (rc) {
            waras_buf_free(&b);
            return NULL;
        }
    }
    if (waras_buf_addc(&b, '\0')) {
        waras_buf_free(&b);
        return NULL;
    }
    return waras_buf_detach(&b);
}

int srv_report_range(waras_date *first_monday, waras_date *last_monday, long weeks, const char *to)
{
    waras_civil now;
    waras_epoch_to_civil(&now, waras_clock_now());
    waras_date today = {now.year, now.month, now.day};
    if (to && waras_date_parse(&today, to))
        return WARAS_EINVAL;
    *last_monday = waras_date_add(waras_date_monday(today), -7);
    *first_monday = waras_date_add(*last_monday, -7 * (weeks - 1));
    return 0;
}

int srv_is_form(const srv_request *rq)
{
    return rq->content_type &&
           strncmp(rq->content_type, "application/x-www-form-urlencoded", 33) == 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes the form component [s, s+n) into out (size bytes); -1 when it is
 * malformed, holds a NUL or does not fit. */
static int form_component(char *out, size_t size, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0' || o + 1 >= size)
            return -1;
        out[o++] = c;
    }
    out[o] = '\0';
    return 0;
}

/* Calls each (key, value) pair of the form; stops at the first non-zero. */
typedef int (*form_cb)(void *ctx, const char *key, const char *v, size_t vlen);
static int form_each(const srv_request *rq, form_cb cb, void *ctx)
{
    const char *p = rq->body ? rq->body : "", *end = p + rq->body_len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        char key[64];
        if (stop > p) {
            const char *kend = eq ? eq : stop;
            if (form_component(key, sizeof(key), p, (size_t)(kend - p)))
                return -1;
            int rc = cb(ctx, key, eq ? eq + 1 : stop, eq ? (size_t)(stop - eq - 1) : 0);
            if (rc)
                return rc;
        }
        p = stop + 1;
    }
    return 0;
}

typedef struct get_ctx {
    const char *key;
    char *out;
    size_t size;
    int found, bad;
} get_ctx;

static int get_cb(void *ctx, const char *key, const char *v, size_t vlen)
{
    get_ctx *g = ctx;
    if (strcmp(key, g->key) != 0)
        return 0;
    g->found++;
    if (form_component(g->out, g->size, v, vlen))
        g->bad = 1;
    return 0;
}

int srv_form_get(const srv_request *rq, const char *key, char *out, size_t size)
{
    get_ctx g = {key, out, size, 0, 0};
    if (!srv_is_form(rq) || form_each(rq, get_cb, &g) || g.found != 1 || g.bad) {
        if (size)
            out[0] = '\0';
        return 0;
    }
    return 1;
}

/* The most fields one form may know (the survey's has 21). */
#define FORM_MAX_FIELDS 64

typedef struct check_ctx {
    const char *const *known;
    int nknown;
    int seen[FORM_MAX_FIELDS];
    const char *bad_key;
    char key[64];
    int why; /* 1 unknown, 2 repeated, 3 malformed value */
} check_ctx;

static int check_cb(void *ctx, const char *key, const char *v, size_t vlen)
{
    check_ctx *c = ctx;
    char tmp[1024];
    for (int i = 0; i < c->nknown; i++)
        if (strcmp(key, c->known[i]) == 0) {
            if (c->seen[i]++) {
                c->why = 2;
                waras_strlcpy(c->key, key, sizeof(c->key));
                return 1;
            }
            if (form_component(tmp, sizeof(tmp), v, vlen)) {
                c->why = 3;
                waras_strlcpy(c->key, key, sizeof(c->key));
                return 1;
            }
            return 0;
        }
    c->why = 1;
    waras_strlcpy(c->key, key, sizeof(c->key));
    return 1;
}

int srv_form_check(const srv_request *rq, const char *const *known, int nknown, srv_response *rs)
{
    check_ctx c = {.known = known, .nknown = nknown};
    if (nknown > FORM_MAX_FIELDS) {
        srv_json_error(rs, 500, "internal", NULL, "the form knows too many fields");
        return -1;
    }
    if (!srv_is_form(rq)) {
        srv_json_error(rs, 415, "unsupported_media_type", NULL,
                       "send application/x-www-form-urlencoded");
        return -1;
    }
    int rc = form_each(rq, check_cb, &c);
    if (rc < 0) {
        srv_json_error(rs, 400, "bad_request", NULL, "malformed form encoding");
        return -1;
    }
    if (rc) {
        srv_json_error(rs, 400, c.why == 1 ? "unknown_field" : "bad_request",
                       c.key[0] ? c.key : NULL,
                       c.why == 1   ? "unknown field"
                       : c.why == 2 ? "the field is given twice"
                                    : "malformed or too long value");
        return -1;
    }
    return 0;
}
