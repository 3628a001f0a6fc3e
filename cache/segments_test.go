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
// the table was written to, or when the rowids it gets go down, and one
// segment per entry made syncs several times slower (docs/perf-sync.md). search_data holds a few rows per
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
	written := func() int64 { t.Helper(); return leavesWritten(t, s) }
	if _, err := s.SaveFeed(ctx, res); err != nil {
		t.Fatal(err)
	}
	if got := written(); got > 4 {
		t.Errorf("after SaveFeed of %d entries: FTS5 wrote %d leaf pages, want one small segment (≤ 4)", n, got)
	}
	// Newest first, as fetched: rowids going down made FTS5 flush per article.
	var arts []fetch.ArticleResult
	for i := n - 1; i >= 0; i-- {
		arts = append(arts, fetch.ArticleResult{EntryID: fmt.Sprint("e", i), FetchedAt: at,
			Article: &fetch.Article{Title: fmt.Sprint("Titel ", i), Lead: "Vorspann", Body: "Ein Text über nichts."}})
	}
	before := written()
	if err := s.SaveArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if got := written() - before; got > 4 {
		t.Errorf("SaveArticles of %d articles: FTS5 wrote %d leaf pages, want one small segment (≤ 4)", n, got)
	}
}

// leavesWritten reads FTS5's write counter from the index structure
// record (rowid 10 of search_data: a 4-byte cookie, then the varints
// nLevel, nSegment and nWriteCounter). FTS5 adds the leaf pages of every
// segment it writes from memory to it, so a flush per document shows.
func leavesWritten(t *testing.T, s *Store) int64 {
	t.Helper()
	var rec []byte
	if err := s.db.QueryRowContext(t.Context(), `SELECT block FROM search_data WHERE id = 10`).Scan(&rec); err != nil {
		t.Fatal(err)
	}
	rest := rec[min(4, len(rec)):]
	var v int64
	for range 3 {
		var ok bool
		if v, rest, ok = sqliteVarint(rest); !ok {
			t.Fatalf("cannot read the FTS5 structure record %x", rec)
		}
	}
	return v
}

// sqliteVarint decodes SQLite's big-endian varint (up to 9 bytes, the
// ninth with all 8 bits).
func sqliteVarint(b []byte) (int64, []byte, bool) {
	var v int64
	for i := 0; i < len(b) && i < 9; i++ {
		if i == 8 {
			return v<<8 | int64(b[i]), b[i+1:], true
		}
		v = v<<7 | int64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, b[i+1:], true
		}
	}
	return 0, nil, false
}
