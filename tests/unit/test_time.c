/*
 * Unit tests for the time module: calendar arithmetic on day numbers and on
 * local dates, ISO weeks, and zone conversions across DST gaps and overlaps in
 * Berlin, Los Angeles, Jakarta and Sao Paulo (a gap at midnight).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "waras/time.h"
#include "time/days.h"
#include "waras/error.h"

static waras_instant utc(int y, int mo, int d, int h, int mi, int s)
{
    waras_civil c = {y, mo, d, h, mi, s};
    return waras_civil_to_epoch(&c);
}

static waras_instant local(const char *zone, int y, int mo, int d, int h, int mi)
{
    const waras_tz *tz;
    assert_int_equal(waras_tz_get(&tz, zone), 0);
    waras_civil c = {y, mo, d, h, mi, 0};
    return waras_tz_to_utc(tz, &c);
}

static void test_time__days_roundtrip(void **state)
{
    assert_int_equal(waras_time__days_from_civil(1970, 1, 1), 0);
    assert_int_equal(waras_time__days_from_civil(2000, 3, 1), 11017);
    for (int64_t d = -800000; d < 800000; d += 997) {
        int y, m, dd;
        waras_time__civil_from_days(&y, &m, &dd, d);
        assert_int_equal(waras_time__days_from_civil(y, m, dd), d);
        assert_int_equal(waras_time__days(waras_time__date(d)), d);
    }
    assert_int_equal(waras_time__weekday(0), 4); /* Thursday */
    assert_int_equal(waras_time__weekday(waras_time__days_from_civil(2026, 11, 23)),
                     1); /* Monday */
}

static waras_date D(int y, int m, int d)
{
    return (waras_date){y, m, d};
}

static void assert_date(waras_date got, int y, int m, int d)
{
    assert_int_equal(got.year, y);
    assert_int_equal(got.month, m);
    assert_int_equal(got.day, d);
}

static void test_time__iso_week(void **state)
{
    int y, w;
    waras_date_iso_week(&y, &w, D(2026, 11, 18));
    assert_int_equal(y, 2026);
    assert_int_equal(w, 47);
    waras_date_iso_week(&y, &w, D(2021, 1, 3)); /* Sunday before the first Thursday */
    assert_int_equal(y, 2020);
    assert_int_equal(w, 53);
    waras_date_iso_week(&y, &w, D(2024, 12, 30)); /* Monday of week 1 of 2025 */
    assert_int_equal(y, 2025);
    assert_int_equal(w, 1);
    waras_date_iso_week(&y, &w, D(2026, 1, 1));
    assert_int_equal(y, 2026);
    assert_int_equal(w, 1);
    waras_date_iso_week(&y, &w, D(2026, 12, 31)); /* a Thursday: 2026 has 53 weeks */
    assert_int_equal(y, 2026);
    assert_int_equal(w, 53);
    waras_date_iso_week(&y, &w, D(2027, 1, 3)); /* Sunday, still 2026-W53 */
    assert_int_equal(y, 2026);
    assert_int_equal(w, 53);
    waras_date_iso_week(&y, &w, D(2027, 1, 4));
    assert_int_equal(y, 2027);
    assert_int_equal(w, 1);
}

static void test_time__date_arithmetic(void **state)
{
    /* Across month ends, year ends and leap days. */
    assert_date(waras_date_add(D(2026, 1, 31), 1), 2026, 2, 1);
    assert_date(waras_date_add(D(2026, 2, 28), 1), 2026, 3, 1);
    assert_date(waras_date_add(D(2024, 2, 28), 1), 2024, 2, 29);
    assert_date(waras_date_add(D(2024, 2, 29), 1), 2024, 3, 1);
    assert_date(waras_date_add(D(2026, 12, 31), 1), 2027, 1, 1);
    assert_date(waras_date_add(D(2027, 1, 1), -1), 2026, 12, 31);
    assert_date(waras_date_add(D(2000, 3, 1), -1), 2000, 2, 29); /* 2000 is a leap year */
    assert_date(waras_date_add(D(1900, 3, 1), -1), 1900, 2, 28); /* 1900 is not */
    assert_date(waras_date_add(D(2026, 6, 15), 0), 2026, 6, 15);
    assert_date(waras_date_add(D(2026, 1, 1), 365), 2027, 1, 1);
    assert_date(waras_date_add(D(2024, 1, 1), 365), 2024, 12, 31);
    assert_int_equal(waras_date_diff(D(2026, 3, 1), D(2026, 2, 1)), 28);
    assert_int_equal(waras_date_diff(D(2024, 3, 1), D(2024, 2, 1)), 29);
    assert_int_equal(waras_date_diff(D(2027, 1, 1), D(2026, 1, 1)), 365);
    assert_int_equal(waras_date_diff(D(2025, 1, 1), D(2024, 1, 1)), 366);
    assert_int_equal(waras_date_diff(D(2026, 1, 1), D(2026, 12, 31)), -364);
    assert_int_equal(waras_date_diff(D(1970, 1, 1), D(1970, 1, 1)), 0);
    for (long n = -1000; n <= 1000; n += 37)
        assert_int_equal(waras_date_diff(waras_date_add(D(2026, 2, 28), n), D(2026, 2, 28)), n);
    assert_true(waras_date_cmp(D(2026, 1, 31), D(2026, 2, 1)) < 0);
    assert_true(waras_date_cmp(D(2027, 1, 1), D(2026, 12, 31)) > 0);
    assert_true(waras_date_cmp(D(2026, 5, 2), D(2026, 5, 1)) > 0);
    assert_int_equal(waras_date_cmp(D(2026, 5, 1), D(2026, 5, 1)), 0);
}

static void test_time__weekday_monday(void **state)
{
    assert_int_equal(waras_date_weekday(D(1970, 1, 1)), 4); /* Thursday */
    assert_int_equal(waras_date_weekday(D(2026, 11, 23)), 1);
    assert_int_equal(waras_date_weekday(D(2026, 11, 29)), 7);
    assert_int_equal(waras_date_weekday(D(2024, 2, 29)), 4);
    assert_date(waras_date_monday(D(2026, 11, 23)), 2026, 11, 23);
    assert_date(waras_date_monday(D(2026, 11, 29)), 2026, 11, 23);
    assert_date(waras_date_monday(D(2027, 1, 3)), 2026, 12, 28); /* across the year */
    assert_date(waras_date_monday(D(2024, 3, 2)), 2024, 2, 26);  /* across a leap day */
    assert_date(waras_date_monday(D(1970, 1, 1)), 1969, 12, 29);
}

static void test_time__date_parse_format(void **state)
{
    waras_date d = D(1, 1, 1);
    assert_int_equal(waras_date_parse(&d, "2024-02-29"), 0);
    assert_date(d, 2024, 2, 29);
    char buf[11];
    waras_date_format(buf, sizeof(buf), d);
    assert_string_equal(buf, "2024-02-29");
    waras_date_format(buf, sizeof(buf), D(987, 3, 4));
    assert_string_equal(buf, "0987-03-04");
    d = D(1, 1, 1);
    assert_int_equal(waras_date_parse(&d, "2026-02-30"), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, "2026-13-01"), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, "2026-00-10"), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, "2026-01-00"), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, "2026-01-01x"), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, "2026-01-01T00:00"), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, "2026/01/01"), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, "junk"), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, ""), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, NULL), WARAS_EINVAL);
    assert_date(d, 1, 1, 1); /* untouched on failure */
}

/* The years waras answers about bound dates from files as they bound
 * dates given as options (docs/formats.md#limits). */
static void test_time__year_bounds(void **state)
{
    waras_date d;
    assert_int_equal(waras_date_parse(&d, "1900-01-01"), 0);
    assert_int_equal(waras_date_parse(&d, "2200-12-31"), 0);
    assert_int_equal(waras_date_parse(&d, "1899-12-31"), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, "2201-01-01"), WARAS_EINVAL);
    assert_true(waras_time__year_in_range(1900));
    assert_true(waras_time__year_in_range(2200));
    assert_false(waras_time__year_in_range(1899));
    assert_false(waras_time__year_in_range(2201));
    assert_false(waras_time__year_in_range(4052));
    assert_true(waras_time__instant_in_range(utc(1900, 1, 1, 0, 0, 0)));
    assert_false(waras_time__instant_in_range(utc(1900, 1, 1, 0, 0, 0) - 1));
    /* The end of 2200 is in range: a span may end there. */
    assert_true(waras_time__instant_in_range(utc(2200, 12, 31, 23, 59, 59) + 1));
    assert_false(waras_time__instant_in_range(utc(2200, 12, 31, 23, 59, 59) + 2));
    assert_false(waras_time__instant_in_range(utc(3000, 1, 1, 10, 0, 0)));
    assert_string_equal(WARAS_TIME__OUT_OF_RANGE,
                        "outside the years 1900 to 2200 (docs/formats.md#limits)");
}

static void test_time__tz_dates(void **state)
{
    const waras_tz *tz;
    assert_int_equal(waras_tz_get(&tz, "Europe/Berlin"), 0);
    assert_int_equal(waras_tz_date_start(tz, D(2026, 1, 15)), utc(2026, 1, 14, 23, 0, 0));
    assert_int_equal(waras_tz_date_start(tz, D(2026, 7, 15)), utc(2026, 7, 14, 22, 0, 0));
    /* The local date of an instant, either side of local midnight. */
    assert_date(waras_tz_date_of(tz, utc(2026, 7, 14, 21, 59, 59)), 2026, 7, 14);
    assert_date(waras_tz_date_of(tz, utc(2026, 7, 14, 22, 0, 0)), 2026, 7, 15);
    assert_int_equal(waras_tz_get(&tz, "America/Los_Angeles"), 0);
    assert_date(waras_tz_date_of(tz, utc(2026, 1, 1, 7, 59, 0)), 2025, 12, 31);
    assert_date(waras_tz_date_of(tz, utc(2026, 1, 1, 8, 0, 0)), 2026, 1, 1);
    /* The fall-back date lasts 25 hours. */
    assert_int_equal(waras_tz_date_start(tz, D(2026, 11, 2)) -
                         waras_tz_date_start(tz, D(2026, 11, 1)),
                     25 * 3600);
    /* Sao Paulo moved its clocks from 00:00 to 01:00 on 2018-11-04: that
     * date starts at 01:00 -02 (03:00Z), the first instant after the gap. */
    assert_int_equal(waras_tz_get(&tz, "America/Sao_Paulo"), 0);
    assert_int_equal(waras_tz_date_start(tz, D(2018, 11, 4)), utc(2018, 11, 4, 3, 0, 0));
    assert_date(waras_tz_date_of(tz, utc(2018, 11, 4, 3, 0, 0)), 2018, 11, 4);
    assert_date(waras_tz_date_of(tz, utc(2018, 11, 4, 2, 59, 59)), 2018, 11, 3);
    assert_int_equal(waras_tz_date_start(tz, D(2018, 11, 5)) -
                         waras_tz_date_start(tz, D(2018, 11, 4)),
                     23 * 3600);
}

static void test_time__berlin_dst(void **state)
{
    const waras_tz *tz;
    assert_int_equal(waras_tz_get(&tz, "Europe/Berlin"), 0);
    /* 2026-03-29 02:00 CET -> 03:00 CEST at 01:00Z. */
    assert_int_equal(waras_tz_offset(tz, utc(2026, 3, 29, 0, 59, 59)), 3600);
    assert_int_equal(waras_tz_offset(tz, utc(2026, 3, 29, 1, 0, 0)), 7200);
    /* Far instants keep the zone's rules, by whole 400-year cycles (same
     * date, same weekday): 2000 years on, the switch is at the same UTC
     * moment of 4026-03-29, and libical is not asked about year 4026. */
    const waras_instant cycles5 = (waras_instant)5 * 146097 * 86400;
    assert_int_equal(waras_tz_offset(tz, utc(2026, 3, 29, 0, 59, 59) + cycles5), 3600);
    assert_int_equal(waras_tz_offset(tz, utc(2026, 3, 29, 1, 0, 0) + cycles5), 7200);
    assert_int_equal(waras_tz_offset(tz, utc(2026, 7, 15, 12, 0, 0) + cycles5), 7200);
    /* 02:30 does not exist: read with the offset before the gap -> 01:30Z. */
    assert_int_equal(local("Europe/Berlin", 2026, 3, 29, 2, 30), utc(2026, 3, 29, 1, 30, 0));
    /* 2026-10-25 03:00 CEST -> 02:00 CET; 02:30 happens twice: the first. */
    assert_int_equal(local("Europe/Berlin", 2026, 10, 25, 2, 30), utc(2026, 10, 25, 0, 30, 0));
    assert_int_equal(local("Europe/Berlin", 2026, 10, 25, 3, 0), utc(2026, 10, 25, 2, 0, 0));
    waras_civil c;
    waras_tz_to_local(&c, tz, utc(2026, 10, 25, 1, 30, 0)); /* second 02:30 */
    assert_int_equal(c.hour, 2);
    assert_int_equal(c.minute, 30);
}

static void test_time__los_angeles_dst(void **state)
{
    /* 2026-03-08 02:00 PST -> 03:00 PDT; 2026-11-01 02:00 PDT -> 01:00 PST. */
    assert_int_equal(local("America/Los_Angeles", 2026, 3, 8, 1, 59), utc(2026, 3, 8, 9, 59, 0));
    assert_int_equal(local("America/Los_Angeles", 2026, 3, 8, 2, 30), utc(2026, 3, 8, 10, 30, 0));
    assert_int_equal(local("America/Los_Angeles", 2026, 3, 8, 3, 0), utc(2026, 3, 8, 10, 0, 0));
    assert_int_equal(local("America/Los_Angeles", 2026, 11, 1, 1, 30), utc(2026, 11, 1, 8, 30, 0));
    assert_int_equal(local("America/Los_Angeles", 2026, 11, 1, 2, 0), utc(2026, 11, 1, 10, 0, 0));
    /* The local day of the fall-back change lasts 25 hours. */
    assert_int_equal(local("America/Los_Angeles", 2026, 11, 2, 0, 0) -
                         local("America/Los_Angeles", 2026, 11, 1, 0, 0),
                     25 * 3600);
}

static void test_time__jakarta(void **state)
{
    /* Asia/Jakarta: UTC+7 all year, no DST. */
    const waras_tz *tz;
    assert_int_equal(waras_tz_get(&tz, "Asia/Jakarta"), 0);
    assert_int_equal(waras_tz_offset(tz, utc(2026, 1, 15, 0, 0, 0)), 7 * 3600);
    assert_int_equal(waras_tz_offset(tz, utc(2026, 7, 15, 0, 0, 0)), 7 * 3600);
    assert_int_equal(local("Asia/Jakarta", 2026, 6, 1, 9, 0), utc(2026, 6, 1, 2, 0, 0));
    /* History: Jakarta was UTC+07:30 in 1960. */
    assert_int_equal(waras_tz_offset(tz, utc(1960, 6, 1, 0, 0, 0)), 7 * 3600 + 1800);
}

static void test_time__unknown_zone(void **state)
{
    const waras_tz *tz = NULL;
    assert_int_equal(waras_tz_get(&tz, "Mars/Olympus_Mons"), WARAS_ENOTFOUND);
    assert_int_equal(waras_tz_get(&tz, "../etc/passwd"), WARAS_ENOTFOUND);
    assert_int_equal(waras_tz_get(&tz, ""), WARAS_ENOTFOUND);
    assert_int_equal(waras_tz_get(&tz, "UTC"), 0);
    assert_int_equal(waras_tz_offset(tz, 0), 0);
}

static void test_time__parse(void **state)
{
    int has;
    waras_date d;
    waras_instant t;
    assert_int_equal(waras_date_parse(&d, "2026-02-28"), 0);
    assert_int_equal(waras_date_parse(&d, "2026-02-29"), WARAS_EINVAL);
    assert_int_equal(waras_date_parse(&d, "2026-2-28"), WARAS_EINVAL);
    assert_int_equal(waras_datetime_parse(&t, &has, "2026-03-01T10:00:00Z"), 0);
    assert_int_equal(t, utc(2026, 3, 1, 10, 0, 0));
    assert_int_equal(has, 1);
    assert_int_equal(waras_datetime_parse(&t, &has, "2026-03-01 10:00+07:00"), 0);
    assert_int_equal(t, utc(2026, 3, 1, 3, 0, 0));
    assert_int_equal(waras_datetime_parse(&t, &has, "2026-03-01T10:00:00.123-0800"), 0);
    assert_int_equal(t, utc(2026, 3, 1, 18, 0, 0));
    assert_int_equal(waras_datetime_parse(&t, &has, "2026-03-01T10:00"), 0);
    assert_int_equal(has, 0);
    assert_int_equal(waras_datetime_parse(&t, &has, "2026-03-01T25:00"), WARAS_EINVAL);
    assert_int_equal(waras_datetime_parse(&t, &has, "yesterday"), WARAS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time__days_roundtrip), cmocka_unit_test(test_time__iso_week),
        cmocka_unit_test(test_time__berlin_dst),     cmocka_unit_test(test_time__los_angeles_dst),
        cmocka_unit_test(test_time__jakarta),        cmocka_unit_test(test_time__unknown_zone),
        cmocka_unit_test(test_time__parse),          cmocka_unit_test(test_time__date_arithmetic),
        cmocka_unit_test(test_time__weekday_monday), cmocka_unit_test(test_time__date_parse_format),
        cmocka_unit_test(test_time__year_bounds),
        cmocka_unit_test(test_time__tz_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
