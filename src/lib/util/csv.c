/*
 * An RFC 4180 CSV reader over an in-memory buffer. Accepts what real exports
 * contain: CRLF or LF, a UTF-8 byte-order mark, quoted fields with commas,
 * doubled quotes and newlines, and blank lines (skipped). It remembers the
 * line each record started on, so that errors can name it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "waras/error.h"

#define CSV_MAX_FIELDS 4096
#define CSV_MAX_RECORD (1 << 20) /* bytes of one record (docs/formats.md#limits) */

struct waras_csv {
    const char *data, *end, *pos;
    char *path;
    long line;     /* line of the next character */
    long rec_line; /* line where the current record began */
    waras_buf text;          /* field bytes, NUL-separated */
    size_t *offsets;         /* start of each field in text */
    int nfields, cap_fields;
    char **header;
    int nheader;
};

int waras_csv_open(waras_csv **out, const char *data, size_t len, const char *path)
{
    waras_csv *c = calloc(1, sizeof(*c));
    if (!c)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    c->data = c->pos = data;
    c->end = data + len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c->pos += 3;
    if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0)) {
        free(c);
        return waras_error_set(WARAS_EPARSE, path ? path : "", 1, NULL,
                               "the file is UTF-16; save it as UTF-8");
    }
    c->path = waras_strdup(path ? path : "");
    c->line = 1;
    waras_buf_init(&c->text, (size_t)CSV_MAX_RECORD + CSV_MAX_FIELDS + 1); /* a NUL a field */
    *out = c;
    return 0;
}

void waras_csv_free(waras_csv *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->nheader; i++)
        free(c->header[i]);
    free(c->header);
    free(c->offsets);
    waras_buf_free(&c->text);
    free(c->path);
    free(c);
}

/* A record grows in c->text up to its cap: reaching it is the record limit. */
static int add_byte(waras_csv *c, char ch)
{
    if (c->text.len < CSV_MAX_RECORD)
        return waras_buf_addc(&c->text, ch);
    return waras_error_set(WARAS_ELIMIT, c->path, c->rec_line, NULL,
                           "record longer than %d MiB (the limit of a record, "
                           "docs/formats.md#limits)",
                           CSV_MAX_RECORD >> 20);
}

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (!k || k > n || (s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return k;
}

/* Text is UTF-8 without NUL bytes: a NUL usually means UTF-16 without a
 * byte-order mark, invalid UTF-8 a file saved as Latin-1 or Windows-1252;
 * either would reach the store as garbage. */
static int check_text(const waras_csv *c, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] - 1u < 0x7Fu) {
            i++;
            continue;
        }
        size_t k = u[i] ? utf8_len(u + i, n - i) : 0;
        if (k) {
            i += k;
            continue;
        }
        const char *col = c->nfields < c->nheader ? c->header[c->nfields] : NULL;
        if (!u[i])
            return waras_error_set(WARAS_EPARSE, c->path, c->rec_line, col,
                                   "NUL byte in field %d (is the file UTF-16? save it as UTF-8)",
                                   c->nfields + 1);
        return waras_error_set(WARAS_EPARSE, c->path, c->rec_line, col,
                               "byte 0x%02X in field %d is not UTF-8 (save the file as UTF-8)",
                               u[i], c->nfields + 1);
    }
    return 0;
}

static int push_field(waras_csv *c, size_t start, int quoted)
{
    if (c->nfields >= CSV_MAX_FIELDS)
        return waras_error_set(WARAS_EPARSE, c->path, c->rec_line, NULL,
                               "more than %d fields in a record", CSV_MAX_FIELDS);
    if (c->nfields == c->cap_fields) {
        int n = c->cap_fields ? c->cap_fields * 2 : 32;
        size_t *p = realloc(c->offsets, (size_t)n * sizeof(*p));
        if (!p)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        c->offsets = p;
        c->cap_fields = n;
    }
    if (!quoted) { /* trim spaces around unquoted fields */
        char *s = c->text.ptr + start;
        size_t n = c->text.len - start;
        while (n && isspace((unsigned char)s[n - 1]))
            n--;
        size_t lead = 0;
        while (lead < n && isspace((unsigned char)s[lead]))
            lead++;
        memmove(s, s + lead, n - lead);
        c->text.len = start + n - lead;
    }
    int rc = check_text(c, c->text.ptr + start, c->text.len - start);
    if (rc)
        return rc;
    c->offsets[c->nfields++] = start;
    return waras_buf_addc(&c->text, '\0');
}

int waras_csv_next(waras_csv *c)
{
    int rc;
    for (;;) {
        c->nfields = 0;
        waras_buf_reset(&c->text);
        if (c->pos >= c->end)
            return 0;
        c->rec_line = c->line;
        /* Skip blank lines. */
        if (*c->pos == '\n' || (*c->pos == '\r' && c->pos + 1 < c->end && c->pos[1] == '\n')) {
            c->pos += *c->pos == '\r' ? 2 : 1;
            c->line++;
            continue;
        }
        break;
    }
    size_t start = 0;
    int quoted = 0, in_quotes = 0, after_quote = 0;
    waras_buf_add(&c->text, "", 0);
    while (c->pos < c->end) {
        char ch = *c->pos;
        if (in_quotes) {
            if (ch == '"') {
                if (c->pos + 1 < c->end && c->pos[1] == '"') {
                    if ((rc = add_byte(c, '"')))
                        return rc;
                    c->pos += 2;
                    continue;
                }
                in_quotes = 0;
                after_quote = 1;
                c->pos++;
                continue;
            }
            if (ch == '\n')
                c->line++;
            if ((rc = add_byte(c, ch)))
                return rc;
            c->pos++;
            continue;
        }
        if (ch == ',') {
            if ((rc = push_field(c, start, quoted)))
                return rc;
            start = c->text.len;
            quoted = after_quote = 0;
            c->pos++;
            continue;
        }
        if (ch == '\r' && c->pos + 1 < c->end && c->pos[1] == '\n') {
            c->pos++;
            continue;
        }
        if (ch == '\n') {
            c->pos++;
            c->line++;
            break;
        }
        if (ch == '"' && !after_quote && c->text.len == start) {
            in_quotes = quoted = 1;
            c->pos++;
            continue;
        }
        if (after_quote) {
            if (ch == ' ' || ch == '\t') { /* tolerate spaces after a closing quote */
                c->pos++;
                continue;
            }
            return waras_error_set(WARAS_EPARSE, c->path, c->line, NULL,
                                   "unexpected character after a closing quote in field %d",
                                   c->nfields + 1);
        }
        if ((rc = add_byte(c, ch)))
            return rc;
        c->pos++;
    }
    if (in_quotes)
        return waras_error_set(WARAS_EPARSE, c->path, c->rec_line, NULL,
                               "quoted field %d is never closed", c->nfields + 1);
    if ((rc = push_field(c, start, quoted)))
        return rc;
    return 1;
}

int waras_csv_nfields(const waras_csv *c)
{
    return c->nfields;
}

const char *waras_csv_field(const waras_csv *c, int i)
{
    if (i < 0 || i >= c->nfields)
        return "";
    return c->text.ptr + c->offsets[i];
}

long waras_csv_line(const waras_csv *c)
{
    return c->rec_line;
}

const char *waras_csv_path(const waras_csv *c)
{
    return c->path;
}

int waras_csv_column(const waras_csv *c, const char *name)
{
    for (int i = 0; i < c->nheader; i++)
        if (waras_strcaseeq(c->header[i], name))
            return i;
    return -1;
}

int waras_csv_read_header(waras_csv *c, const char *const *required)
{
    int rc = waras_csv_next(c);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return waras_error_set(WARAS_EPARSE, c->path, 1, NULL, "file is empty; expected a header");
    c->header = calloc((size_t)c->nfields, sizeof(char *));
    if (!c->header)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    c->nheader = c->nfields;
    for (int i = 0; i < c->nfields; i++) {
        c->header[i] = waras_strdup(waras_csv_field(c, i));
        if (!c->header[i])
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    for (int i = 0; i < c->nheader; i++)
        for (int j = 0; j < i; j++)
            if (*c->header[i] && waras_strcaseeq(c->header[i], c->header[j]))
                return waras_error_set(WARAS_EPARSE, c->path, c->rec_line, c->header[i],
                                       "column '%s' appears twice in the header (columns %d "
                                       "and %d)", c->header[i], j + 1, i + 1);
    for (int i = 0; required && required[i]; i++)
        if (waras_csv_column(c, required[i]) < 0)
            return waras_error_set(WARAS_EPARSE, c->path, c->rec_line, required[i],
                                   "missing column '%s' in the header", required[i]);
    return 0;
}
