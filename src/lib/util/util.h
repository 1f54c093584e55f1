/*
 * Small shared helpers for the library: a growable buffer with a size cap,
 * whole-file reading, SHA-256 of content, and an RFC 4180 CSV reader that
 * tracks line numbers for error messages. Private to libwaras and its CLI.
 */
#ifndef WARAS_UTIL_H
#define WARAS_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* --- growable buffer (like curl's dynbuf): never grows past cap --- */
typedef struct waras_buf {
    char *ptr;
    size_t len, alloc, cap;
} waras_buf;

#define WARAS_BUF_DEFAULT_CAP ((size_t)1 << 30)

void waras_buf_init(waras_buf *b, size_t cap);
int waras_buf_add(waras_buf *b, const void *data, size_t len);
int waras_buf_addc(waras_buf *b, char c);
int waras_buf_printf(waras_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void waras_buf_reset(waras_buf *b);
void waras_buf_free(waras_buf *b);
/* Gives the NUL-terminated contents to the caller, who frees them. */
char *waras_buf_detach(waras_buf *b);

/* Reads a whole file (cap 256 MiB). *out is NUL-terminated; caller frees.
 * WARAS_EIO names the file. */
/* Room for one more element in an array of elements of size elem: when
 * len has reached *cap, *(T **)pv is reallocated to twice *cap (first when
 * *cap is 0). 0, or WARAS_ENOMEM with the message set and the array as it
 * was. */
int waras_grow(void *pv, size_t *cap, size_t len, size_t elem, size_t first);

int waras_file_read(char **out, size_t *len, const char *path);

/* Writes a whole file atomically (temp file + rename). */
int waras_file_write(const char *path, const void *data, size_t len);

/* Lower-case hex SHA-256 of data into hex[65]. */
void waras_sha256_hex(char hex[65], const void *data, size_t len);

/* --- CSV (RFC 4180, plus LF line ends, a UTF-8 BOM and blank lines) --- */
typedef struct waras_csv waras_csv;

/* Reads from a buffer that the caller keeps alive; path is for messages. */
int waras_csv_open(waras_csv **out, const char *data, size_t len, const char *path);
void waras_csv_free(waras_csv *csv);
/* Next record: 1 when read, 0 at end, WARAS_EPARSE on a broken quote. */
int waras_csv_next(waras_csv *csv);
int waras_csv_nfields(const waras_csv *csv);
/* Field i of the current record ("" past the end), trimmed of surrounding
 * spaces when unquoted. Valid until the next waras_csv_next(). */
const char *waras_csv_field(const waras_csv *csv, int i);
/* 1-based line where the current record started. */
long waras_csv_line(const waras_csv *csv);
const char *waras_csv_path(const waras_csv *csv);
/* Index of a column by header name (case-insensitive, after reading the
 * header record with waras_csv_next), or -1. */
int waras_csv_column(const waras_csv *csv, const char *name);
/* Reads the first record as the header. WARAS_EPARSE when the file is empty
 * or any of the required columns (NULL-terminated list) is missing. */
int waras_csv_read_header(waras_csv *csv, const char *const *required);

/* --- a string -> long map (open addressing), for counting and lookups --- */
typedef struct waras_strmap waras_strmap;
int waras_strmap_new(waras_strmap **out);
void waras_strmap_free(waras_strmap *m);
/* The value slot of key, inserted as 0 when absent; NULL when out of memory.
 * Valid until the next insertion. The map copies the key. */
long *waras_strmap_slot(waras_strmap *m, const char *key);

/* Appends a formatted line (and a newline) to a NUL-terminated buffer of
 * size bytes; what does not fit is dropped. For lists of reasons. */
void waras_str_append_line(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* String helpers. */
char *waras_strdup(const char *s);
int waras_strcaseeq(const char *a, const char *b);
/* Copies at most size-1 bytes, always terminates. */
void waras_strlcpy(char *dst, const char *src, size_t size);
void waras_str_lower(char *s);
/* Strict integer/decimal parsing: 0 or WARAS_EINVAL. */
int waras_parse_long(const char *s, long *out);
int waras_parse_double(const char *s, double *out);

/* True when stderr is a terminal (progress output is shown only then). */
int waras_stderr_is_tty(void);

#endif
