-- Version 9: an index of the entries Prune may remove, unstarred ones by
-- last_seen (then sort_time), so that Prune reads only the entries that no
-- feed listed within keep_days instead of every entry older than that by
-- published time: after a sync where every feed answered 304 it had
-- scanned every old entry that a feed still lists, which made a warm sync
-- grow with the cache (issue 13).
CREATE INDEX entries_unseen ON entries(last_seen, sort_time) WHERE starred_at IS NULL;
