-- 002: working-day calendar 2025-01-01 .. 2027-12-31 (table calendar_days).
-- Working days drive the due dates of complaints (15), objections (20) and
-- repairs (3 / 10 working days).
--
-- Sources:
--   2025  official: 国务院办公厅关于2025年部分节假日安排的通知
--         (2024-11-12).
--   2026  official: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).
--   2027  BEST ESTIMATE: no notice known when this was written. The statutory
--         days of 《全国年节及纪念日放假办法》 (as amended 2024) are used, with a
--         substitute day off (补休) when one falls on a weekend, and no
--         adjusted working days. Replace with the official notice (usually
--         published in November of the year before) in a later migration.
--
-- Weekdays first (Mon-Fri work, Sat/Sun off), then the holidays (note = the
-- festival) and the adjusted working days (调休上班, note '调休').

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;  -- the notes are Chinese, whatever the client's locale

INSERT INTO calendar_days (day, is_workday, note)
SELECT DATE '2025-01-01' + INTERVAL s.seq DAY,
       WEEKDAY(DATE '2025-01-01' + INTERVAL s.seq DAY) < 5,
       NULL
  FROM seq_0_to_1094 AS s
 WHERE DATE '2025-01-01' + INTERVAL s.seq DAY <= DATE '2027-12-31'
ON DUPLICATE KEY UPDATE is_workday = VALUES(is_workday), note = NULL;

-- 2025 (official notice)
UPDATE calendar_days SET is_workday = FALSE, note = '元旦'
 WHERE day = '2025-01-01';
UPDATE calendar_days SET is_workday = FALSE, note = '春节'
 WHERE day BETWEEN '2025-01-28' AND '2025-02-04';
UPDATE calendar_days SET is_workday = FALSE, note = '清明节'
 WHERE day BETWEEN '2025-04-04' AND '2025-04-06';
UPDATE calendar_days SET is_workday = FALSE, note = '劳动节'
 WHERE day BETWEEN '2025-05-01' AND '2025-05-05';
UPDATE calendar_days SET is_workday = FALSE, note = '端午节'
 WHERE day BETWEEN '2025-05-31' AND '2025-06-02';
UPDATE calendar_days SET is_workday = FALSE, note = '国庆节、中秋节'
 WHERE day BETWEEN '2025-10-01' AND '2025-10-08';
UPDATE calendar_days SET is_workday = TRUE, note = '调休'
 WHERE day IN ('2025-01-26', '2025-02-08',   -- 春节 (Sun, Sat)
               '2025-04-27',                 -- 劳动节 (Sun)
               '2025-09-28', '2025-10-11');  -- 国庆节 (Sun, Sat)

-- 2026 (official notice)
UPDATE calendar_days SET is_workday = FALSE, note = '元旦'
 WHERE day BETWEEN '2026-01-01' AND '2026-01-03';
UPDATE calendar_days SET is_workday = FALSE, note = '春节'
 WHERE day BETWEEN '2026-02-15' AND '2026-02-23';
UPDATE calendar_days SET is_workday = FALSE, note = '清明节'
 WHERE day BETWEEN '2026-04-04' AND '2026-04-06';
UPDATE calendar_days SET is_workday = FALSE, note = '劳动节'
 WHERE day BETWEEN '2026-05-01' AND '2026-05-05';
UPDATE calendar_days SET is_workday = FALSE, note = '端午节'
 WHERE day BETWEEN '2026-06-19' AND '2026-06-21';
UPDATE calendar_days SET is_workday = FALSE, note = '中秋节'
 WHERE day BETWEEN '2026-09-25' AND '2026-09-27';
UPDATE calendar_days SET is_workday = FALSE, note = '国庆节'
 WHERE day BETWEEN '2026-10-01' AND '2026-10-07';
UPDATE calendar_days SET is_workday = TRUE, note = '调休'
 WHERE day IN ('2026-01-04',                 -- 元旦 (Sun)
               '2026-02-14', '2026-02-28',   -- 春节 (Sat, Sat)
               '2026-05-09',                 -- 劳动节 (Sat)
               '2026-09-20', '2026-10-10');  -- 国庆节 (Sun, Sat)

-- 2027 (BEST ESTIMATE, see above): statutory days plus 补休.
--   元旦 Fri 1-1 (with the weekend); 春节 除夕 Fri 2-5 .. 初三 Mon 2-8, 补休
--   Tue 2-9 and Wed 2-10 for Sat/Sun; 清明 Mon 4-5 (with the weekend);
--   劳动节 Sat 5-1, Sun 5-2, 补休 Mon 5-3, Tue 5-4; 端午 Wed 6-9;
--   中秋 Wed 9-15; 国庆 Fri 10-1 .. Sun 10-3, 补休 Mon 10-4, Tue 10-5.
UPDATE calendar_days SET is_workday = FALSE, note = '元旦'
 WHERE day BETWEEN '2027-01-01' AND '2027-01-03';
UPDATE calendar_days SET is_workday = FALSE, note = '春节'
 WHERE day BETWEEN '2027-02-05' AND '2027-02-10';
UPDATE calendar_days SET is_workday = FALSE, note = '清明节'
 WHERE day BETWEEN '2027-04-03' AND '2027-04-05';
UPDATE calendar_days SET is_workday = FALSE, note = '劳动节'
 WHERE day BETWEEN '2027-05-01' AND '2027-05-04';
UPDATE calendar_days SET is_workday = FALSE, note = '端午节'
 WHERE day = '2027-06-09';
UPDATE calendar_days SET is_workday = FALSE, note = '中秋节'
 WHERE day = '2027-09-15';
UPDATE calendar_days SET is_workday = FALSE, note = '国庆节'
 WHERE day BETWEEN '2027-10-01' AND '2027-10-05';
