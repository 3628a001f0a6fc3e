package cache_test

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

func TestOpenTwiceRunsNoMigration(t *testing.T) {
	s, path := openTemp(t)
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("1", "Eins", t0))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		s2, err := cache.Open(t.Context(), path)
		if err != nil {
			t.Fatalf("Open again = %v", err)
		}
		if n, err := s2.Count(t.Context(), cache.Query{}); err != nil || n != 1 {
			t.Errorf("Count after reopen = %d, %v; want 1", n, err)
		}
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("opening a current cache changed the file")
	}
	// openTemp's cleanup closes s again; that must be harmless.
}

func TestOpenReadOnly(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "kiosk.db")
	if _, err := cache.OpenReadOnly(ctx, path); !errors.Is(err, cache.ErrNotFound) || !strings.Contains(err.Error(), path) {
		t.Errorf("OpenReadOnly(missing) = %v, want ErrNotFound naming the file", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenReadOnly(missing) created the file")
	}
	w, err := cache.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	saveFeed(t, w, heiseFeed, "heise online", t0, entry("1", "Eins", t0))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := cache.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly = %v", err)
	}
	if items, err := r.List(ctx, cache.Query{}); err != nil || len(items) != 1 {
		t.Errorf("List read-only = %v, %v", items, err)
	}
	if _, err := r.Search(ctx, "Eins", 5); err != nil {
		t.Errorf("Search read-only = %v", err)
	}
	if err := r.SetRead(ctx, "1", true); err == nil {
		t.Errorf("SetRead on a read-only store succeeded")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("a read-only session changed the file")
	}
}

func TestCorruptAndForeignFilesAreLeftAlone(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()

	garbage := filepath.Join(dir, "garbage", "kiosk.db")
	writeFile(t, garbage, bytes.Repeat([]byte("kein SQLite hier\n"), 500))

	truncated := filepath.Join(dir, "truncated", "kiosk.db")
	s, err := cache.Open(ctx, truncated)
	if err != nil {
		t.Fatal(err)
	}
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("1", "Eins", t0))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(truncated)
	if err != nil {
		t.Fatal(err)
	}
	for i := 16; i < len(b); i++ { // keep the magic, wreck the rest
		b[i] ^= 0x5a
	}
	writeFile(t, truncated, b)

	foreign := filepath.Join(dir, "foreign", "kiosk.db")
	if err := os.MkdirAll(filepath.Dir(foreign), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('Ada')`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	for _, path := range []string{garbage, truncated, foreign} {
		before, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for name, open := range map[string]func() (*cache.Store, error){
			"Open":         func() (*cache.Store, error) { return cache.Open(ctx, path) },
			"OpenReadOnly": func() (*cache.Store, error) { return cache.OpenReadOnly(ctx, path) },
		} {
			s, err := open()
			if err == nil {
				s.Close()
				t.Errorf("%s(%s) succeeded, want an error", name, path)
				continue
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("%s(%s) = %q, want the file named", name, path, err)
			}
		}
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("after Open: %v", err)
		}
		if !bytes.Equal(before, after) {
			t.Errorf("%s was changed by Open", path)
		}
		if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			t.Errorf("%s: directory now holds %v, want only kiosk.db", path, names)
		}
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestEmptyFileBecomesCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.db")
	writeFile(t, path, nil)
	s, err := cache.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open(empty file) = %v", err)
	}
	defer s.Close()
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("1", "Eins", t0))
}

// TestWriterAndReaderAtOnce runs a sync-like writer and a list/search
// reader on one file through two Store values, as two processes would.
func TestWriterAndReaderAtOnce(t *testing.T) {
	ctx := t.Context()
	w, path := openTemp(t)
	saveFeed(t, w, heiseFeed, "heise online", t0, entry("seed", "Anfang", t0))
	r, err := cache.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w2, err := cache.Open(ctx, path) // a second writer, like the TUI marking read
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()

	const batches = 30
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for b := range batches {
			var es []fetch.Entry
			var arts []fetch.ArticleResult
			for i := range 20 {
				id := string(rune('A'+b)) + string(rune('a'+i))
				es = append(es, entry(id, "Meldung "+id, t0.Add(time.Duration(b*20+i)*time.Second)))
				arts = append(arts, fetch.ArticleResult{EntryID: id, Article: article(id, "Meldung", strings.Repeat("Nebenläufigkeit im Cache. ", 200)), FetchedAt: t0})
			}
			if _, err := w.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: heiseFeed}, Entries: es, FetchedAt: t0}); err != nil {
				errs <- err
				return
			}
			if err := w.SaveArticles(ctx, arts); err != nil {
				errs <- err
				return
			}
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range batches * 2 {
			if err := w2.SetRead(ctx, "seed", true); err != nil {
				errs <- err
				return
			}
		}
	}()
	reads := 0
	last := 0
	for done := false; !done; {
		select {
		case err := <-errs:
			t.Fatalf("writer: %v", err)
		default:
		}
		n, err := r.Count(ctx, cache.Query{})
		if err != nil {
			t.Fatalf("reader Count: %v", err)
		}
		if n < last {
			t.Fatalf("reader saw %d entries after %d", n, last)
		}
		last = n
		if _, err := r.List(ctx, cache.Query{Limit: 100}); err != nil {
			t.Fatalf("reader List: %v", err)
		}
		if _, err := r.Search(ctx, "Nebenläufigkeit", 10); err != nil {
			t.Fatalf("reader Search: %v", err)
		}
		reads++
		done = n == batches*20+1
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("writer: %v", err)
	}
	if reads < 2 {
		t.Errorf("reader ran %d times, want it interleaved with the writer", reads)
	}
	hits, err := r.Search(ctx, "Nebenlaeufigkeit", 1000)
	if err != nil || len(hits) != batches*20 {
		t.Errorf("Search after writes = %d hits, %v; want %d", len(hits), err, batches*20)
	}
}

// pageSizeOf reads the page size from the file's header (bytes 16-17, big
// endian; 1 means 65536).
func pageSizeOf(t *testing.T, path string) int {
	t.Helper()
	head := make([]byte, 18)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Read(head); err != nil {
		t.Fatal(err)
	}
	n := int(head[16])<<8 | int(head[17])
	if n == 1 {
		n = 65536
	}
	return n
}

// TestPageSize checks that a new cache has 8 KiB pages (a cold sync's
// writer does less per entry) and that a cache made with SQLite's 4 KiB
// pages keeps them and works after the migrations.
func TestPageSize(t *testing.T) {
	s, path := openTemp(t)
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("1", "Eins", t0))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := pageSizeOf(t, path); got != 8192 {
		t.Errorf("new cache: page size %d, want 8192", got)
	}

	old := filepath.Join(t.TempDir(), "kiosk.db")
	raw, err := os.ReadFile(filepath.Join("testdata", "v9.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := pageSizeOf(t, old); got != 4096 {
		t.Fatalf("testdata/v9.db: page size %d, want SQLite's default 4096", got)
	}
	s2, err := cache.Open(t.Context(), old)
	if err != nil {
		t.Fatal(err)
	}
	saveFeed(t, s2, heiseFeed, "heise online", t0, entry("2", "Zwei", t0))
	if n, err := s2.Count(t.Context(), cache.Query{}); err != nil || n == 0 {
		t.Errorf("Count on the migrated cache = %d, %v", n, err)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	if got := pageSizeOf(t, old); got != 4096 {
		t.Errorf("migrated cache: page size %d, want the 4096 it had", got)
	}
}

// TestOpenCurrent: OpenCurrent opens a current cache and refuses, leaving
// the file as it was, one that Open would upgrade.
func TestOpenCurrent(t *testing.T) {
	s, path := openTemp(t)
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("1", "Eins", t0))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	cur, err := cache.OpenCurrent(t.Context(), path)
	if err != nil {
		t.Fatalf("OpenCurrent(current cache) = %v", err)
	}
	if n, err := cur.Count(t.Context(), cache.Query{}); err != nil || n != 1 {
		t.Errorf("Count = %d, %v; want 1", n, err)
	}
	if err := cur.Close(); err != nil {
		t.Fatal(err)
	}

	raw, err := os.ReadFile(filepath.Join("testdata", "v9.db"))
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(t.TempDir(), "kiosk.db")
	if err := os.WriteFile(old, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := cache.OpenCurrent(t.Context(), old); !errors.Is(err, cache.ErrOutdated) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("OpenCurrent(schema 9) = %v, want ErrOutdated", err)
	}
	after, err := os.ReadFile(old)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, after) {
		t.Errorf("OpenCurrent changed the older cache")
	}
}
