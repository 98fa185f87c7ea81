"""China's working days as the State Council's yearly notices set them
(国务院办公厅关于XXXX年部分节假日安排的通知), written out here from the
notices themselves, not from sql/002_calendar.sql: the oracle the
calendar_days table and the module's due dates are checked against.

A year is here only once its notice is published (2025: 2024-11-12; 2026:
2025-11-04). The 2027 rows of calendar_days are the migration's estimate
(no notice was known when it was written): tests of 2027 dates read the
table. Standard library only."""
import datetime

DAY = datetime.timedelta(days=1)

# year -> (days off as (first, last) ranges, adjusted working days 调休上班)
NOTICES = {
    2025: ([("2025-01-01", "2025-01-01"),    # 元旦
            ("2025-01-28", "2025-02-04"),    # 春节
            ("2025-04-04", "2025-04-06"),    # 清明节
            ("2025-05-01", "2025-05-05"),    # 劳动节
            ("2025-05-31", "2025-06-02"),    # 端午节
            ("2025-10-01", "2025-10-08")],   # 国庆节、中秋节
           ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]),
    2026: ([("2026-01-01", "2026-01-03"),    # 元旦
            ("2026-02-15", "2026-02-23"),    # 春节
            ("2026-04-04", "2026-04-06"),    # 清明节
            ("2026-05-01", "2026-05-05"),    # 劳动节
            ("2026-06-19", "2026-06-21"),    # 端午节
            ("2026-09-25", "2026-09-27"),    # 中秋节
            ("2026-10-01", "2026-10-07")],   # 国庆节
           ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]),
}


def _days(year):
    off, work = NOTICES[year]
    days_off = set()
    for first, last in off:
        d, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
        while d <= end:
            days_off.add(d)
            d += DAY
    return days_off, {datetime.date.fromisoformat(w) for w in work}


def is_workday(d):
    """Whether d is a working day by its year's notice; None for a year
    without a published notice here."""
    if d.year not in NOTICES:
        return None
    days_off, worked = _days(d.year)
    if d in worked:
        return True
    if d in days_off:
        return False
    return d.weekday() < 5


def years():
    return sorted(NOTICES)


def workdays_after(day, n):
    """The n-th working day after `day` by the notices (every day on the
    way must be in a year that has one)."""
    d = day
    while n > 0:
        d += DAY
        w = is_workday(d)
        assert w is not None, "no notice of %d here" % d.year
        if w:
            n -= 1
    return d


def weekdays_after(day, n):
    """The n-th day after `day` counting Monday to Friday only."""
    d = day
    while n > 0:
        d += DAY
        if d.weekday() < 5:
            n -= 1
    return d
