/*
 * Growable buffers with a cap, whole-file I/O, hashing and string helpers.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "util/util.h"
#include "waras/error.h"

void waras_buf_init(waras_buf *b, size_t cap)
{
    b->ptr = NULL;
    b->len = b->alloc = 0;
    b->cap = cap ? cap : WARAS_BUF_DEFAULT_CAP;
}

static int buf_grow(waras_buf *b, size_t extra)
{
    if (extra > b->cap || b->len > b->cap - extra)
        return waras_error_msg(WARAS_ELIMIT, "buffer limit of %zu bytes reached", b->cap);
    size_t need = b->len + extra + 1;
    if (need <= b->alloc)
        return 0;
    size_t n = b->alloc ? b->alloc : 64;
    while (n < need)
        n *= 2;
    char *p = realloc(b->ptr, n);
    if (!p)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    b->ptr = p;
    b->alloc = n;
    return 0;
}

int waras_buf_add(waras_buf *b, const void *data, size_t len)
{
    int rc = buf_grow(b, len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return 0;
}

int waras_buf_addc(waras_buf *b, char c)
{
    return waras_buf_add(b, &c, 1);
}

int waras_buf_printf(waras_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return waras_error_msg(WARAS_EINVAL, "bad format");
    if ((size_t)n < sizeof(small))
        return waras_buf_add(b, small, (size_t)n);
    int rc = buf_grow(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void waras_buf_reset(waras_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

void waras_buf_free(waras_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->alloc = 0;
}

char *waras_buf_detach(waras_buf *b)
{
    char *p = b->ptr;
    if (!p)
        p = calloc(1, 1);
    b->ptr = NULL;
    b->len = b->alloc = 0;
    return p;
}

#define FILE_READ_CAP ((size_t)256 << 20)

int waras_file_read(char **out, size_t *len, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return waras_error_set(WARAS_EIO, path, 0, NULL, "cannot open: %s", strerror(errno));
    waras_buf b;
    waras_buf_init(&b, FILE_READ_CAP);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if ((rc = waras_buf_add(&b, chunk, n)) != 0) {
            rc = waras_error_set(rc, path, 0, NULL, "file is larger than %zu MiB",
                                 FILE_READ_CAP >> 20);
            goto cleanup;
        }
    }
    if (ferror(f)) {
        rc = waras_error_set(WARAS_EIO, path, 0, NULL, "read error: %s", strerror(errno));
        goto cleanup;
    }
    if (len)
        *len = b.len;
    *out = waras_buf_detach(&b);
cleanup:
    if (rc)
        waras_buf_free(&b);
    fclose(f);
    return rc;
}

int waras_file_write(const char *path, const void *data, size_t len)
{
    char tmp[4096];
    int n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return waras_error_set(WARAS_EINVAL, path, 0, NULL, "path too long");
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return waras_error_set(WARAS_EIO, path, 0, NULL, "cannot write: %s", strerror(errno));
    if (len && fwrite(data, 1, len, f) != len) {
        int e = errno;
        fclose(f);
        unlink(tmp);
        return waras_error_set(WARAS_EIO, path, 0, NULL, "write failed: %s", strerror(e));
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return waras_error_set(WARAS_EIO, path, 0, NULL, "write failed: %s", strerror(e));
    }
    return 0;
}

void waras_sha256_hex(char hex[65], const void *data, size_t len)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(hex, 65, h, sizeof(h));
}

char *waras_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int waras_strcaseeq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

void waras_strlcpy(char *dst, const char *src, size_t size)
{
    if (!size)
        return;
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void waras_str_lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

int waras_parse_long(const char *s, long *out)
{
    char *end;
    if (!s || !*s)
        return WARAS_EINVAL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end)
        return WARAS_EINVAL;
    *out = v;
    return 0;
}

int waras_parse_double(const char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return WARAS_EINVAL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || v != v)
        return WARAS_EINVAL;
    *out = v;
    return 0;
}

int waras_stderr_is_tty(void)
{
    return isatty(STDERR_FILENO);
}

void waras_str_append_line(char *buf, size_t size, const char *fmt, ...)
{
    size_t n = strlen(buf);
    if (n + 2 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, size - n, fmt, ap);
    va_end(ap);
    n = strlen(buf);
    if (n + 1 < size) {
        buf[n] = '\n';
        buf[n + 1] = '\0';
    }
}

int waras_grow(void *pv, size_t *cap, size_t len, size_t elem, size_t first)
{
    if (len < *cap)
        return 0;
    void *old, *nv;
    size_t n = *cap ? *cap * 2 : first;
    memcpy(&old, pv, sizeof(old));
    if (!(nv = realloc(old, n * elem)))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    memcpy(pv, &nv, sizeof(nv));
    *cap = n;
    return 0;
}
