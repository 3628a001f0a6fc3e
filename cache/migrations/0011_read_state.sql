-- Version 11: read state leaves the wide entries row. Marking 50,000
-- entries read rewrote 50,000 entries rows (title, summary, URLs: ~9,500
-- pages) and moved their rows in two indexes: 0.4 s (issue 10's target is
-- 0.2 s). Now one bit of state lives in narrow tables, kept in step by the
-- code in the same transaction (no triggers, as for the search index):
--
-- reads: one row per read entry, with its first read time.
-- unread: one row per unread entry, in list order (sort_time, uid: the
--   key of entries_by_time), for the unread list of all feeds and its
--   count. It replaces the partial index entries_unread.
-- feed_unread: one row per feed membership (entry_feeds) of an unread
--   entry, in the order of one feed's list. It replaces the mirror
--   entry_feeds.unread and its index entry_feeds_unread.
--
-- An entry is read exactly when it has a reads row and no unread row;
-- unread and feed_unread repeat the entry's sort_time and uid. Marking a
-- whole view read deletes a range of unread and feed_unread (or all of
-- them) instead of rewriting rows in place.
CREATE TABLE reads (
    id      INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    read_at INTEGER NOT NULL
);
INSERT INTO reads(id, read_at) SELECT id, read_at FROM entries WHERE read_at IS NOT NULL;

CREATE TABLE unread (
    sort_time INTEGER NOT NULL,
    uid       TEXT    NOT NULL,
    id        INTEGER NOT NULL,
    PRIMARY KEY (sort_time, uid, id)
) WITHOUT ROWID;
INSERT INTO unread(sort_time, uid, id) SELECT sort_time, uid, id FROM entries WHERE read_at IS NULL;

CREATE TABLE feed_unread (
    feed_id   INTEGER NOT NULL,
    sort_time INTEGER NOT NULL,
    uid       TEXT    NOT NULL,
    entry_id  INTEGER NOT NULL,
    PRIMARY KEY (feed_id, sort_time, uid, entry_id)
) WITHOUT ROWID;
INSERT INTO feed_unread(feed_id, sort_time, uid, entry_id)
SELECT ef.feed_id, ef.sort_time, ef.uid, ef.entry_id FROM entry_feeds ef JOIN entries e ON e.id = ef.entry_id
WHERE e.read_at IS NULL;

-- A cache attached to a feed server (migration 10) queues read changes
-- with a trigger on entries.read_at; its successors on reads are created
-- by the Go step (cache/server.go, serverTriggers) when a server is
-- attached.
DROP TRIGGER IF EXISTS server_queue_read;
DROP INDEX entries_unread;
DROP INDEX entry_feeds_unread;
ALTER TABLE entry_feeds DROP COLUMN unread;
ALTER TABLE entries DROP COLUMN read_at;
