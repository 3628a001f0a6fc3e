-- Version 2: the full-text index over title, lead and body.
--
-- Contentless (content='') with contentless_delete=1: the index stores no
-- copy of the text (the articles table has it), and rows are removed by
-- rowid without repeating the old text. The code keeps it current with
-- explicit INSERT/DELETE statements in the same transaction as the data
-- (no triggers), see cache/search.go for the tokenizer decision and the
-- German folding (ä→ae, ö→oe, ü→ue, ß→ss) applied to indexed text and
-- queries alike. rowid = entries.id; lead = the article's lead, else the
-- entry's summary; body = the article's Markdown body, else empty.
CREATE VIRTUAL TABLE search USING fts5(
    title, lead, body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO search(rowid, title, lead, body)
SELECT e.id,
    replace(replace(replace(replace(replace(replace(replace(replace(e.title, 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss'), 'ẞ', 'SS'),
    replace(replace(replace(replace(replace(replace(replace(replace(coalesce(nullif(a.lead, ''), e.summary), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss'), 'ẞ', 'SS'),
    replace(replace(replace(replace(replace(replace(replace(replace(coalesce(a.body, ''), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss'), 'ẞ', 'SS')
FROM entries e LEFT JOIN articles a ON a.entry_id = e.id;
