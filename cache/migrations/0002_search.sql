-- Version 2: the full-text index over title, lead and body.
--
-- Contentless (content=''): the index stores no copy of the text (the
-- entries and articles tables have it). The code keeps it current with
-- explicit statements in the same transaction as the data (no triggers):
-- an INSERT for new text, and FTS5's 'delete' command with the text that
-- was indexed before it changes or goes. (contentless_delete=1 would
-- delete by rowid alone, but its tombstones made every merge and so every
-- sync batch slower; see BenchmarkIndexReplace in cache/index_bench_test.go.)
-- See cache/search.go for the tokenizer and the German folding
-- (ä→ae, ö→oe, ü→ue, ß→ss) applied to indexed text and queries alike.
-- rowid = entries.id; lead = the article's lead, else the entry's
-- summary; body = the article's Markdown body, else empty.
CREATE VIRTUAL TABLE search USING fts5(
    title, lead, body,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO search(rowid, title, lead, body)
SELECT e.id,
    replace(replace(replace(replace(replace(replace(replace(replace(e.title, 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss'), 'ẞ', 'SS'),
    replace(replace(replace(replace(replace(replace(replace(replace(coalesce(nullif(a.lead, ''), e.summary), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss'), 'ẞ', 'SS'),
    replace(replace(replace(replace(replace(replace(replace(replace(coalesce(a.body, ''), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss'), 'ẞ', 'SS')
FROM entries e LEFT JOIN articles a ON a.entry_id = e.id;
