-- Version 4: FTS5 keeps up to 8 MiB of new index data in memory (default
-- 1 MiB) before it writes a segment, so that a sync's transaction writes
-- one segment instead of several that then have to be merged.
INSERT INTO search(search, rank) VALUES ('hashsize', 8388608);
