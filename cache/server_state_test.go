package cache

import (
	"slices"
	"testing"
	"time"
)

// TestServerPruneReadEntry prunes server entries, one of them read (its
// reads row goes by foreign key and fires the unread trigger): no error,
// nothing left to push for entries that are gone.
func TestServerPruneReadEntry(t *testing.T) {
	st, _ := serverCache(t, 3)
	ctx := t.Context()
	if err := st.SetRead(ctx, "k1", true); err != nil {
		t.Fatal(err)
	}
	n, err := st.Prune(ctx, 1, time.Now().AddDate(0, 0, 10))
	if err != nil || n != 3 {
		t.Fatalf("Prune = %d, %v; want 3", n, err)
	}
	if q := queued(t, st); len(q) != 0 {
		t.Errorf("queued after the entries went: %v", q)
	}
	if err := st.CheckReadState(ctx); err != nil {
		t.Error(err)
	}
}

// TestMigrateServerTriggers upgrades a version 10 cache attached to a
// server, with the read trigger of version 10 on entries.read_at, and
// checks that reading an entry afterwards is still queued for the server.
func TestMigrateServerTriggers(t *testing.T) {
	ctx := t.Context()
	path, db := cacheAtVersion(t, 10)
	_, err := db.ExecContext(ctx, `
		INSERT INTO server_account(id, kind, url, user) VALUES (1, 'miniflux', 'http://reader.test', 'me');
		INSERT INTO feeds(id, url) VALUES (1, 'http://site.test/feed.xml');
		INSERT INTO entries(id, uid, feed_id, title, first_seen, last_seen, sort_time, read_at) VALUES
			(1, 'k1', 1, 'one', 1, 1, 1, NULL), (2, 'k2', 1, 'two', 2, 2, 2, 5);
		INSERT INTO entry_feeds(entry_id, feed_id, sort_time, uid, unread) VALUES (1, 1, 1, 'k1', 1), (2, 1, 2, 'k2', 0);
		INSERT INTO server_items(server_id, entry_id, read, starred) VALUES ('101', 1, 0, 0), ('102', 2, 1, 0);
		CREATE TRIGGER server_queue_read AFTER UPDATE OF read_at ON entries
		WHEN (old.read_at IS NULL) != (new.read_at IS NULL)
		BEGIN
			INSERT OR REPLACE INTO server_outbox(entry_id, field, value, at)
				SELECT new.id, 'read', new.read_at IS NOT NULL, 1 FROM server_items WHERE entry_id = new.id LIMIT 1;
		END;`)
	if err != nil {
		t.Fatalf("fill v10: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v10) = %v", err)
	}
	defer st.Close()
	if err := st.CheckReadState(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRead(ctx, "k1", true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRead(ctx, "k2", false); err != nil {
		t.Fatal(err)
	}
	if q, want := queued(t, st), []string{"101 read=true", "102 read=false"}; !slices.Equal(q, want) {
		t.Errorf("queued after the upgrade %v, want %v", q, want)
	}
}
