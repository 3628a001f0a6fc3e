package cache

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// TestPictures: pictures are stored per entry, replaced by a new set, read
// back offline from a reopened file, and go with their entry when
// retention prunes it.
func TestPictures(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	const feed = "https://blog.example/feed"
	old := time.Now().Add(-400 * 24 * time.Hour)
	if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: feed}, FetchedAt: old, Entries: []fetch.Entry{
		{ID: "a", Feed: feed, URL: "https://blog.example/a", Title: "A", Published: old},
		{ID: "b", Feed: feed, URL: "https://blog.example/b", Title: "B", Published: time.Now()},
	}}); err != nil {
		t.Fatal(err)
	}
	pic := func(u string, n byte) fetch.Picture {
		return fetch.Picture{URL: u, Type: "image/jpeg", Width: 10, Height: 5, Data: bytes.Repeat([]byte{n}, 100)}
	}
	if err := s.SavePictures(ctx, []string{"a", "b", "gone"}, []fetch.Picture{pic("https://x.example/1.jpg", 1), pic("https://x.example/2.jpg", 2)}); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePictures(ctx, []string{"b"}, []fetch.Picture{pic("https://x.example/3.jpg", 3)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Pictures(ctx, "a")
	if err != nil || len(a) != 2 || a[0].URL != "https://x.example/1.jpg" || a[1].Data[0] != 2 || a[0].Width != 10 {
		t.Errorf("Pictures(a) = %+v, %v", a, err)
	}
	b, err := s.Pictures(ctx, "b")
	if err != nil || len(b) != 1 || b[0].URL != "https://x.example/3.jpg" {
		t.Errorf("Pictures(b) after replacing = %+v, %v", b, err)
	}
	if none, err := s.Pictures(ctx, "nope"); err != nil || len(none) != 0 {
		t.Errorf("Pictures(unknown) = %+v, %v", none, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.Prune(ctx, 30, time.Now()); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want the old entry", n, err)
	}
	var left int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM pictures`).Scan(&left); err != nil || left != 1 {
		t.Errorf("%d pictures left after pruning a's entry, %v; want b's 1", left, err)
	}
}
