package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/cache/cachetest"
	"github.com/kiosk-reader/kiosk/fetch"
)

// storeSource is a Source over a real cache.Store, as cmd/kiosk builds one,
// without the network: OpenURL and Sync fail. With readOnly the flag writes
// are dropped, for the shared benchmark cache.
type storeSource struct {
	*cache.Store
	readOnly bool
}

func (s storeSource) Article(ctx context.Context, id string) (fetch.Article, error) {
	a, err := s.Store.Article(ctx, id)
	if !errors.Is(err, cache.ErrNotFound) {
		return a, err
	}
	it, ierr := s.Store.Item(ctx, id)
	if ierr != nil {
		return fetch.Article{}, ierr
	}
	return teaser(it, nil), nil
}

func (s storeSource) SetRead(ctx context.Context, id string, read bool) error {
	if s.readOnly {
		return nil
	}
	return s.Store.SetRead(ctx, id, read)
}

func (s storeSource) SetStarred(ctx context.Context, id string, starred bool) error {
	if s.readOnly {
		return nil
	}
	return s.Store.SetStarred(ctx, id, starred)
}

func (s storeSource) OpenURL(ctx context.Context, u string) (fetch.Article, error) {
	return fetch.Article{}, errors.New("offline")
}

func (s storeSource) Sync(ctx context.Context, feeds []string, progress func(fetch.Event)) (fetch.Summary, error) {
	return fetch.Summary{}, errors.New("offline")
}

// TestWithRealCache runs the UI over a real SQLite cache of 1,000 generated
// entries: paging to the end, filtering, opening and marking read.
func TestWithRealCache(t *testing.T) {
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
	const n = 1000
	if err := cachetest.Fill(ctx, st, 0, n); err != nil {
		t.Fatal(err)
	}
	m := start(t, newTestModel(storeSource{Store: st}, 100, 30))
	if !strings.Contains(plain(m), fmt.Sprintf("1/%d", n)) || len(m.list.win) > pageSize {
		t.Fatalf("list over the real cache:\n%s", plain(m))
	}
	oldest, err := st.List(ctx, cache.Query{Offset: n - 1, Limit: 1})
	if err != nil || len(oldest) != 1 {
		t.Fatalf("List(last) = %v, %v", oldest, err)
	}
	last := oldest[0]
	m = press(t, m, "G")
	if it, ok := m.list.selected(); !ok || it.ID != last.ID || !strings.Contains(plain(m), fmt.Sprintf("%d/%d", n, n)) {
		t.Errorf("G selects %s (loaded %v), want the oldest entry %s:\n%s", it.ID, ok, last.ID, plain(m))
	}
	if len(m.list.win) > pageSize || m.list.winOff == 0 {
		t.Errorf("after G the window is %d rows at %d", len(m.list.win), m.list.winOff)
	}
	m = press(t, m, "g", "enter")
	first, a := cachetest.Entry(0)
	if !strings.Contains(plain(m), a.Authors[0]) || !strings.Contains(plain(m), "4 Min.") ||
		!strings.Contains(plain(m), "# "+strings.Join(strings.Fields(a.Title)[:2], " ")) {
		t.Errorf("the newest article does not open:\n%s", plain(m))
	}
	it, err := st.Item(ctx, first.ID)
	if err != nil || !it.Read {
		t.Errorf("after opening, Item(%s) = read %v, %v", first.ID, it.Read, err)
	}
	word := strings.Fields(a.Title)[1]
	m = press(t, m, "esc", "/", "type:"+word, "enter")
	if m.list.length() == 0 || m.list.length() == n || !strings.Contains(strings.ToLower(plain(m)), strings.ToLower(word)) {
		t.Errorf("filter %q leaves %d rows", word, m.list.length())
	}
}
