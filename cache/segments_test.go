package cache

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// TestSaveFeedWritesOneSegment checks that SaveFeed and SaveArticles
// index a whole batch at once: FTS5 writes a new segment for what it
// holds in memory whenever a statement with a statement journal runs after
// the table was written to, and one segment per entry made syncs several
// times slower (docs/perf-sync.md). search_data holds a few rows per
// segment (its leaf pages) and two for the structure.
func TestSaveFeedWritesOneSegment(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 300
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	res := fetch.FeedResult{Feed: fetch.Feed{URL: "https://example.org/feed"}, FetchedAt: at}
	for i := range n {
		res.Entries = append(res.Entries, fetch.Entry{
			ID: fmt.Sprint("e", i), URL: fmt.Sprintf("https://example.org/%d", i), Title: fmt.Sprint("Titel ", i),
			Summary: fmt.Sprint("Anreißer Nummer ", i), Published: at.Add(-time.Duration(i) * time.Minute),
		})
	}
	rows := func() int {
		t.Helper()
		var c int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM search_data`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if _, err := s.SaveFeed(ctx, res); err != nil {
		t.Fatal(err)
	}
	if got := rows(); got > 6 {
		t.Errorf("after SaveFeed of %d entries: %d rows in search_data, want one segment (≤ 6)", n, got)
	}
	var arts []fetch.ArticleResult
	for i := range n {
		arts = append(arts, fetch.ArticleResult{EntryID: fmt.Sprint("e", i), FetchedAt: at,
			Article: &fetch.Article{Title: fmt.Sprint("Titel ", i), Lead: "Vorspann", Body: "Ein Text über nichts."}})
	}
	before := rows()
	if err := s.SaveArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if got := rows(); got > before+6 {
		t.Errorf("after SaveArticles of %d articles: %d rows in search_data (%d before), want one more segment", n, got, before)
	}
}
