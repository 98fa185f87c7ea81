-- 023: the engine's text once more, by domain (docs/SEARCH.md, "A word
-- frequent overall and rare within a domain or a category").
--
-- Groonga puts every hit of a word in a result set before the filters drop
-- the hits they refuse: a word of one domain's titles (改革委员, 目采)
-- asked within another domain cost 17 ms on average and up to 70 ms, a
-- third of the database's time in the search mix. body_<domain> holds the
-- text of that domain's records alone (the empty string for the others),
-- each with its own index (made, with body's, by the table's rebuild that
-- sql/024 runs next; searches answer an error until then), so a
-- search within a domain reads only the hits of that domain; body keeps
-- every record's text for the others. The columns are the seven values of
-- records.domain (sql/001): a new value needs its column here and in
-- record_search_source, and its index in record_search_rebuild (sql/024).
ALTER TABLE record_search DROP INDEX ft_body,
  ADD COLUMN body_procurement TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_ppp TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_bidding TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_investment TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_debt TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_grassroots TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_other TEXT NOT NULL DEFAULT '';

-- In record_search's column order.
CREATE OR REPLACE ALGORITHM=MERGE VIEW record_search_source AS
SELECT id AS record_id, disclosed_on, withdraw_on,
       status IN ('published','contested','corrected') AS listed, status, district,
       subject_kind, category, domain, severity, body,
       IF(domain = 'procurement', body, '') AS body_procurement,
       IF(domain = 'ppp', body, '') AS body_ppp,
       IF(domain = 'bidding', body, '') AS body_bidding,
       IF(domain = 'investment', body, '') AS body_investment,
       IF(domain = 'debt', body, '') AS body_debt,
       IF(domain = 'grassroots', body, '') AS body_grassroots,
       IF(domain = 'other', body, '') AS body_other
  FROM record_text_source;
