-- Version 5: feeds.last_changed is the time of the feed's last full answer
-- (200, not 304). Entries seen then are what the feed still lists while it
-- answers 304, so Prune keeps them. Existing caches start from the newest
-- last_seen of each feed's entries, which is that time.
ALTER TABLE feeds ADD COLUMN last_changed INTEGER;
UPDATE feeds SET last_changed = (SELECT max(e.last_seen) FROM entry_feeds ef JOIN entries e ON e.id = ef.entry_id
    WHERE ef.feed_id = feeds.id);
