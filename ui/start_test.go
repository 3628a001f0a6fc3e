package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

// limitsSource records the Limit of every List and FirstPage call, over a
// real cache.
type limitsSource struct {
	storeSource
	rows *[]int // the Limit of every List call
}

func (s limitsSource) List(ctx context.Context, q cache.Query) ([]cache.Item, error) {
	*s.rows = append(*s.rows, q.Limit)
	return s.storeSource.List(ctx, q)
}

func (s limitsSource) FirstPage(ctx context.Context, q cache.Query) ([]cache.Item, int, error) {
	*s.rows = append(*s.rows, q.Limit)
	return s.storeSource.FirstPage(ctx, q)
}

// filledStore is a real cache of n generated entries.
func filledStore(t *testing.T, n int) *cache.Store {
	t.Helper()
	ctx := context.Background()
	st, err := cache.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Error(err)
		}
	})
	if err := cachetest.Fill(ctx, st, 0, n); err != nil {
		t.Fatal(err)
	}
	return st
}

// head is the start of a title, as a row shows it even when cut.
func head(title string) string { return string([]rune(title)[:min(30, len([]rune(title)))]) }

// TestPrefetchedFirstScreen: with a first page read ahead, the first frame
// shows the newest rows and the count from a read of one screenful; once
// the UI has started, the whole page and the feeds are read and
// Options.Started is called.
func TestPrefetchedFirstScreen(t *testing.T) {
	const n, h = 1000, 30
	var rows []int
	src := limitsSource{storeSource{Store: filledStore(t, n)}, &rows}
	ctx := context.Background()
	first := Prefetch(ctx, src, h)
	started := false
	m := newTestModel(src, 100, h, func(o *Options) { o.FirstPage, o.Started = first, func() { started = true } })

	msg := first.waitCmd(ctx)()
	if _, ok := msg.(firstPageMsg); !ok {
		t.Fatalf("the prefetch gave %T, want firstPageMsg", msg)
	}
	nm, cmd := m.Update(msg)
	m = nm.(Model)
	if len(m.list.win) != h || !m.list.short {
		t.Errorf("first window: %d rows (short %v), want the %d prefetched", len(m.list.win), m.list.short, h)
	}
	out := plain(m)
	newest, err := src.Store.List(ctx, cache.Query{Limit: 1})
	if err != nil || len(newest) != 1 {
		t.Fatal(newest, err)
	}
	if !strings.Contains(out, fmt.Sprintf("1/%d", n)) || !strings.Contains(out, head(newest[0].Title)) {
		t.Errorf("first frame lacks the count or the newest row %q:\n%s", newest[0].Title, out)
	}
	if len(rows) != 1 || rows[0] != h {
		t.Errorf("reads before the first frame: limits %v, want one of %d rows", rows, h)
	}
	if m.list.feedsAsked || started {
		t.Errorf("before the start: feeds asked %v, Started called %v; want neither", m.list.feedsAsked, started)
	}

	m = runCmds(t, m, cmd) // startedMsg (StartDelay 0) and what follows
	if len(m.list.win) != pageSize || m.list.short {
		t.Errorf("after the start the window has %d rows (short %v), want a page of %d", len(m.list.win), m.list.short, pageSize)
	}
	if !m.list.feedsAsked || m.list.feeds == nil {
		t.Error("after the start the feeds were not read")
	}
	if !started {
		t.Error("Options.Started was not called at the start")
	}
	if got := rows[len(rows)-1]; got != pageSize {
		t.Errorf("last read asked for %d rows, want %d", got, pageSize)
	}
}

// TestShortWindowFillsOnFirstMove: a key that moves the cursor before the
// UI has started reads the whole page at once.
func TestShortWindowFillsOnFirstMove(t *testing.T) {
	var rows []int
	src := limitsSource{storeSource{Store: filledStore(t, 500)}, &rows}
	ctx := context.Background()
	first := Prefetch(ctx, src, 24)
	m := newTestModel(src, 80, 24, func(o *Options) { o.FirstPage = first })
	nm, _ := m.Update(first.waitCmd(ctx)()) // the start command is not run
	m = nm.(Model)
	for range 30 {
		m = press(t, m, "j") // past the 24 prefetched rows
	}
	if it, ok := m.list.selected(); !ok || m.list.cursor != 30 || !strings.Contains(plain(m), head(it.Title)) {
		t.Errorf("row 31 is not loaded and shown (cursor %d):\n%s", m.list.cursor, plain(m))
	}
	if len(m.list.win) != pageSize || m.list.short {
		t.Errorf("after moving, the window has %d rows (short %v), want %d", len(m.list.win), m.list.short, pageSize)
	}
}

// TestPrefetchAfterAQueryChangeIsDropped: when the query changed before
// the prefetched page arrived (a filter typed ahead), the page of the old
// query is not shown.
func TestPrefetchAfterAQueryChangeIsDropped(t *testing.T) {
	src := storeSource{Store: filledStore(t, 200)}
	ctx := context.Background()
	first := Prefetch(ctx, src, 24)
	m := newTestModel(src, 80, 24, func(o *Options) { o.FirstPage = first })
	m = press(t, m, "/", "type:article 7")
	want := m.list.length()
	nm, _ := m.Update(first.waitCmd(ctx)())
	m = nm.(Model)
	if m.list.q.Match != "article 7" || m.list.length() != want {
		t.Errorf("the old query's page replaced the filtered view: %d rows, want %d", m.list.length(), want)
	}
	for _, it := range m.list.win {
		if !strings.Contains(strings.ToLower(it.Title), "article 7") {
			t.Errorf("row %q does not match the filter", it.Title)
		}
	}
}

// TestPrefetchOfASmallCacheIsWhole: a cache smaller than a screen is read
// whole and known to end there, count or not.
func TestPrefetchOfASmallCacheIsWhole(t *testing.T) {
	src := storeSource{Store: filledStore(t, 5)}
	ctx := context.Background()
	first := Prefetch(ctx, src, 24)
	m := newTestModel(src, 80, 24, func(o *Options) { o.FirstPage = first })
	nm, _ := m.Update(first.waitCmd(ctx)())
	m = nm.(Model)
	if len(m.list.win) != 5 || m.list.short || !strings.Contains(plain(m), "1/5") {
		t.Errorf("small cache: %d rows (short %v):\n%s", len(m.list.win), m.list.short, plain(m))
	}
}
