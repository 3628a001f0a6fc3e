-- Version 6: entry IDs not taken from a heise/Telepolis content ID are
-- scoped to their feed (fetch.EntryID: a hash of the feed URL and the GUID,
-- else the URL), so that one feed cannot claim another's entry by reusing
-- its GUID. The new IDs are computed in Go (cache/migrate_ids.go), which
-- rewrites entries.uid and entry_feeds.uid in this version's transaction.
SELECT 1;
