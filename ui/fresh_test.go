package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/cache/cachetest"
	"github.com/kiosk-reader/kiosk/fetch"
)

// TestExternalChangeReloadsList runs the UI over a real cache while a
// second connection (another process's kiosk sync) stores a newer entry:
// one poll notices it, the list shows it, and the cursor stays on the
// article it was on although that moved down a row.
func TestExternalChangeReloadsList(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	st, err := cache.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Error(err)
		}
	})
	if err := cachetest.Fill(ctx, st, 0, 20); err != nil {
		t.Fatal(err)
	}
	m := start(t, newTestModel(storeSource{Store: st}, 100, 30))
	m = send(t, m, watchTickMsg{}) // the baseline
	m = press(t, m, "j", "j", "j")
	before, ok := m.list.selected()
	if !ok || !m.watch.known {
		t.Fatalf("no selection (%v) or no baseline (%+v)", ok, m.watch)
	}
	m = send(t, m, watchTickMsg{}) // nothing changed: nothing moves
	if it, _ := m.list.selected(); it.ID != before.ID || m.list.total != 20 {
		t.Fatalf("a poll without a change moved the cursor to %s or the total to %d", it.ID, m.list.total)
	}

	other, err := cache.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := other.Close(); err != nil {
			t.Error(err)
		}
	})
	fresh := fetch.Entry{ID: "9999001", Feed: cachetest.HeiseFeed, URL: "https://www.heise.de/-9999001",
		Title: "Breaking: a cron sync stored this", Published: time.Now().Add(time.Hour)}
	if _, err := other.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: cachetest.HeiseFeed, Title: "heise online"},
		Entries: []fetch.Entry{fresh}, FetchedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain(m), "cron sync stored") {
		t.Fatal("the list shows the new entry before any poll")
	}
	m = send(t, m, watchTickMsg{})
	if !strings.Contains(plain(m), "Breaking: a cron sync stored this") || m.list.total != 21 {
		t.Errorf("after a poll the list does not show the other process's entry (total %d):\n%s", m.list.total, plain(m))
	}
	if it, ok := m.list.selected(); !ok || it.ID != before.ID || m.list.cursor != 4 {
		t.Errorf("after the reload the cursor is on %s (row %d), want %s (now row 4)", it.ID, m.list.cursor, before.ID)
	}
}

// TestOwnWritesDoNotReload marks an article read through the UI: the
// poll after it must not count that as another process's change.
func TestOwnWritesDoNotReload(t *testing.T) {
	st, _ := cachetest.New(t, 5)
	src := &countingSource{storeSource: storeSource{Store: st}}
	m := start(t, newTestModel(src, 100, 30))
	m = send(t, m, watchTickMsg{})
	m = press(t, m, "m") // toggle read: a write through the pool
	lists := src.lists
	m = send(t, m, watchTickMsg{})
	if src.lists != lists {
		t.Errorf("a poll after the reader's own write reloaded the list (%d reads, want %d)", src.lists, lists)
	}
}

// countingSource counts the list reads.
type countingSource struct {
	storeSource
	lists int
}

func (s *countingSource) List(ctx contextT, q cache.Query) ([]cache.Item, error) {
	s.lists++
	return s.Store.List(ctx, q)
}

// TestRefreshTickSyncs checks the periodic sync: a tick starts one unless
// one runs or kiosk is offline.
func TestRefreshTickSyncs(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = send(t, m, refreshTickMsg{})
	if src.syncCalls != 1 {
		t.Errorf("a refresh tick ran %d syncs, want 1", src.syncCalls)
	}
	m.opts.Offline = true
	send(t, m, refreshTickMsg{})
	if src.syncCalls != 1 {
		t.Errorf("a refresh tick offline ran a sync (%d)", src.syncCalls)
	}
}
