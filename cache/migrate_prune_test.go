package cache

import (
	"slices"
	"testing"
	"time"
)

// TestMigratePruneIndex upgrades a version 8 cache, as kiosk left it
// before Prune had an index of its own (migration 9), and checks that
// Prune then removes what it removed before: the unstarred entry that no
// feed lists any more, not the one its 304-answering feed still lists, a
// starred one or one seen within keep_days.
func TestMigratePruneIndex(t *testing.T) {
	ctx := t.Context()
	path, db := cacheAtVersion(t, 8)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	day := int64(24 * time.Hour)
	n := now.UnixNano()
	changed := n - 100*day
	_, err := db.ExecContext(ctx, `
		INSERT INTO feeds(id, url, title, last_fetch, last_changed) VALUES (1, 'https://www.heise.de/rss/heise-atom.xml', 'heise online', ?1, ?2);
		INSERT INTO entries(id, uid, feed_id, title, first_seen, last_seen, sort_time, starred_at) VALUES
			(1, 'listed', 1, 'still in the feed', ?3, ?2 - 1, ?3, NULL),
			(2, 'dropped', 1, 'gone from the feed', ?3, ?2 - 10 * ?4, ?3, NULL),
			(3, 'starred', 1, 'gone but starred', ?3, ?2 - 10 * ?4, ?3, ?3),
			(4, 'recent', 1, 'seen yesterday', ?3, ?1 - ?4, ?3, NULL);
		INSERT INTO entry_feeds(entry_id, feed_id, sort_time, uid) VALUES
			(1, 1, ?3, 'listed'), (2, 1, ?3, 'dropped'), (3, 1, ?3, 'starred'), (4, 1, ?3, 'recent');`,
		n-int64(time.Hour), changed, n-400*day, day)
	if err != nil {
		t.Fatalf("fill v8: %v", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO search(rowid, title, lead, body)
		SELECT e.id, `+docSQL()+` FROM entries e LEFT JOIN articles a ON a.entry_id = e.id`); err != nil {
		t.Fatalf("index v8: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v8) = %v", err)
	}
	defer s.Close()
	var name string
	if err := s.db.QueryRowContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'seen_by_time'`).Scan(&name); err != nil {
		t.Fatalf("index seen_by_time after upgrade: %v", err)
	}
	if removed, err := s.Prune(ctx, 30, now); err != nil || removed != 1 {
		t.Fatalf("Prune(30 days) after upgrade = %d, %v; want 1", removed, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT uid FROM entries ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var left []string
	for rows.Next() {
		var uid string
		if err := rows.Scan(&uid); err != nil {
			t.Fatal(err)
		}
		left = append(left, uid)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"listed", "starred", "recent"}; !slices.Equal(left, want) {
		t.Errorf("entries after Prune = %v, want %v", left, want)
	}
}
