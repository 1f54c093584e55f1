/*
 * Unit tests for the CSV reader, the capped buffer and hashing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/util.h"
#include "waras/error.h"

static void test_util__csv_quotes_and_newlines(void **state)
{
    const char *text = "\xEF\xBB\xBF" "a,b,c\r\n"
                       "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
                       "\r\n"
                       "2,\"two\nlines\",  padded  \n"
                       "3,,\n";
    waras_csv *csv;
    assert_int_equal(waras_csv_open(&csv, text, strlen(text), "t.csv"), 0);
    assert_int_equal(waras_csv_read_header(csv, (const char *const[]){"a", "C", NULL}), 0);
    assert_int_equal(waras_csv_column(csv, "b"), 1);
    assert_int_equal(waras_csv_next(csv), 1);
    assert_string_equal(waras_csv_field(csv, 1), "x, y");
    assert_string_equal(waras_csv_field(csv, 2), "say \"hi\"");
    assert_int_equal(waras_csv_line(csv), 2);
    assert_int_equal(waras_csv_next(csv), 1);
    assert_int_equal(waras_csv_line(csv), 4); /* the blank line is skipped */
    assert_string_equal(waras_csv_field(csv, 1), "two\nlines");
    assert_string_equal(waras_csv_field(csv, 2), "padded");
    assert_int_equal(waras_csv_next(csv), 1);
    assert_int_equal(waras_csv_line(csv), 6); /* counted past the quoted newline */
    assert_int_equal(waras_csv_nfields(csv), 3);
    assert_string_equal(waras_csv_field(csv, 1), "");
    assert_string_equal(waras_csv_field(csv, 9), "");
    assert_int_equal(waras_csv_next(csv), 0);
    waras_csv_free(csv);
}

static void test_util__csv_errors(void **state)
{
    waras_csv *csv;
    const char *unclosed = "a,b\n1,\"open\n";
    assert_int_equal(waras_csv_open(&csv, unclosed, strlen(unclosed), "u.csv"), 0);
    assert_int_equal(waras_csv_read_header(csv, NULL), 0);
    assert_int_equal(waras_csv_next(csv), WARAS_EPARSE);
    assert_int_equal(waras_error_last()->line, 2);
    assert_string_equal(waras_error_last()->file, "u.csv");
    waras_csv_free(csv);

    const char *missing = "a,b\n";
    assert_int_equal(waras_csv_open(&csv, missing, strlen(missing), "m.csv"), 0);
    assert_int_equal(waras_csv_read_header(csv, (const char *const[]){"a", "zz", NULL}),
                     WARAS_EPARSE);
    assert_string_equal(waras_error_last()->field, "zz");
    waras_csv_free(csv);

    assert_int_equal(waras_csv_open(&csv, "", 0, "e.csv"), 0);
    assert_int_equal(waras_csv_read_header(csv, NULL), WARAS_EPARSE);
    waras_csv_free(csv);
    waras_csv_free(NULL);
}

static void test_util__buf_cap(void **state)
{
    waras_buf b;
    waras_buf_init(&b, 8);
    assert_int_equal(waras_buf_add(&b, "12345678", 8), 0);
    assert_int_equal(waras_buf_addc(&b, 'x'), WARAS_ELIMIT);
    assert_int_equal(b.len, 8);
    waras_buf_free(&b);
    waras_buf_init(&b, 0);
    assert_int_equal(waras_buf_printf(&b, "%0300d", 7), 0);
    assert_int_equal(b.len, 300);
    waras_buf_free(&b);
}

static void test_util__sha256(void **state)
{
    char hex[65];
    waras_sha256_hex(hex, "abc", 3);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_util__error_format(void **state)
{
    char buf[256];
    waras_error_set(WARAS_EPARSE, "x.csv", 7, "date", "'%s' is not a date", "soon");
    waras_error_format(buf, sizeof(buf));
    assert_string_equal(buf, "x.csv:7: date: 'soon' is not a date");
    waras_error_clear();
    assert_int_equal(waras_error_last()->code, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util__csv_quotes_and_newlines),
        cmocka_unit_test(test_util__csv_errors),
        cmocka_unit_test(test_util__buf_cap),
        cmocka_unit_test(test_util__sha256),
        cmocka_unit_test(test_util__error_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
