-- Version 12: last_seen leaves the wide entries row too (see version 11).
-- Every sync in which a feed answers 200 moves the last_seen of each entry
-- it lists, which rewrote each of those entries rows (title, summary,
-- URLs) and moved it in the index Prune reads (version 9's
-- entries_unseen): re-saving 100 feeds × 500 known entries cost 18 % more
-- with that index. seen holds one narrow row per entry; its index by
-- last_seen is what Prune reads its candidates from (starred ones
-- included, which Prune then skips: there are few).
CREATE TABLE seen (
    id        INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    last_seen INTEGER NOT NULL
);
INSERT INTO seen(id, last_seen) SELECT id, last_seen FROM entries;
CREATE INDEX seen_by_time ON seen(last_seen);

DROP INDEX entries_unseen;
ALTER TABLE entries DROP COLUMN last_seen;
