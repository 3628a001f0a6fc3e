package cache_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// markStore holds 10 heise entries h0…h9 (h0 newest, every third with
// "Linux" in the title) and 4 Telepolis entries t0…t3; h4 is in both feeds.
func markStore(t *testing.T) *cache.Store {
	t.Helper()
	s, _ := openTemp(t)
	var heise, tp []fetch.Entry
	for i := range 10 {
		title := fmt.Sprintf("Heise %d", i)
		if i%3 == 0 {
			title = fmt.Sprintf("Linux %d", i)
		}
		heise = append(heise, entry(fmt.Sprintf("h%d", i), title, t0.Add(-time.Duration(2*i)*time.Hour)))
	}
	for i := range 4 {
		e := entry(fmt.Sprintf("t%d", i), fmt.Sprintf("Telepolis %d", i), t0.Add(-time.Duration(2*i+1)*time.Hour))
		e.Feed = tpFeed
		tp = append(tp, e)
	}
	shared := heise[4]
	shared.Feed = tpFeed
	saveFeed(t, s, heiseFeed, "heise online", t0, heise...)
	saveFeed(t, s, tpFeed, "Telepolis", t0, append(tp, shared)...)
	return s
}

// counts returns, for each feed and for all, the unread count that
// feed_unread and unread give (Feeds, Count) and the one reads gives (the
// Read flag of listed items): the two must agree.
func counts(t *testing.T, s *cache.Store) map[string][2]int {
	t.Helper()
	feeds, err := s.Feeds(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	unread := func(q cache.Query) int {
		items, err := s.List(t.Context(), cache.Query{Feed: q.Feed, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, it := range items {
			if !it.Read {
				n++
			}
		}
		return n
	}
	out := map[string][2]int{}
	for _, f := range feeds {
		out[f.Title] = [2]int{f.Unread, unread(cache.Query{Feed: f.URL})}
	}
	all, err := s.Count(t.Context(), cache.Query{Unread: true})
	if err != nil {
		t.Fatal(err)
	}
	out["all"] = [2]int{all, unread(cache.Query{})}
	return out
}

func TestMarkQueryReadAndUndo(t *testing.T) {
	tests := []struct {
		name string
		q    cache.Query
		want []string
	}{
		{"all", cache.Query{}, []string{"h0", "t0", "h1", "t1", "h2", "t2", "h3", "t3", "h4", "h5", "h6", "h7", "h8", "h9"}},
		{"one feed", cache.Query{Feed: tpFeed}, []string{"t0", "t1", "t2", "t3", "h4"}},
		{"filter", cache.Query{Match: "linux"}, []string{"h0", "h3", "h6", "h9"}},
		{"feed and filter", cache.Query{Feed: heiseFeed, Match: "heise"}, []string{"h1", "h2", "h4", "h5", "h7", "h8"}},
		{"nothing", cache.Query{Match: "zzz"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := markStore(t)
			ctx := t.Context()
			// h1 was read before: mark-all must not report it, and undo must
			// leave it read.
			if err := s.SetRead(ctx, "h1", true); err != nil {
				t.Fatal(err)
			}
			before := counts(t, s)
			ids, err := s.MarkQueryRead(ctx, tt.q)
			if err != nil {
				t.Fatalf("MarkQueryRead = %v", err)
			}
			want := slices.DeleteFunc(slices.Clone(tt.want), func(id string) bool { return id == "h1" })
			slices.Sort(ids)
			slices.Sort(want)
			if !slices.Equal(ids, want) {
				t.Errorf("MarkQueryRead(%+v) = %v, want %v", tt.q, ids, want)
			}
			q := tt.q
			q.Unread = true
			if left := listIDs(t, s, q); len(left) != 0 {
				t.Errorf("unread after MarkQueryRead: %v", left)
			}
			for name, c := range counts(t, s) {
				if c[0] != c[1] {
					t.Errorf("after MarkQueryRead, %s: the counts say %d unread, the items %d", name, c[0], c[1])
				}
			}
			changed, err := s.SetReadIDs(ctx, ids, false)
			if err != nil {
				t.Fatalf("SetReadIDs = %v", err)
			}
			slices.Sort(changed)
			if !slices.Equal(changed, ids) {
				t.Errorf("SetReadIDs(unread) changed %v, want %v", changed, ids)
			}
			if after := counts(t, s); !mapsEqual(after, before) {
				t.Errorf("after undo the counts are %v, want %v", after, before)
			}
			if it, err := s.Item(ctx, "h1"); err != nil || !it.Read {
				t.Errorf("h1 after undo: read %v, %v; want still read", it.Read, err)
			}
		})
	}
}

func mapsEqual(a, b map[string][2]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestSetReadIDs(t *testing.T) {
	s := markStore(t)
	ctx := t.Context()
	changed, err := s.SetReadIDs(ctx, []string{"h0", "t1", "nope", "h0"}, true)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(changed)
	if !slices.Equal(changed, []string{"h0", "t1"}) {
		t.Errorf("SetReadIDs(read) changed %v, want [h0 t1]", changed)
	}
	first, err := s.Item(ctx, "h0")
	if err != nil || !first.Read {
		t.Fatalf("h0 = read %v, %v", first.Read, err)
	}
	// Marking again changes nothing and keeps the first read time.
	changed, err = s.SetReadIDs(ctx, []string{"h0"}, true)
	if err != nil || len(changed) != 0 {
		t.Errorf("SetReadIDs again = %v, %v; want nothing changed", changed, err)
	}
	if again, err := s.Item(ctx, "h0"); err != nil || !again.ReadAt.Equal(first.ReadAt) {
		t.Errorf("read time after a second mark = %v, want %v (%v)", again.ReadAt, first.ReadAt, err)
	}
	for name, c := range counts(t, s) {
		if c[0] != c[1] {
			t.Errorf("%s: entry_feeds says %d unread, entries %d", name, c[0], c[1])
		}
	}
	if changed, err := s.SetReadIDs(ctx, nil, true); err != nil || changed != nil {
		t.Errorf("SetReadIDs(nil) = %v, %v", changed, err)
	}
}

func TestNextUnread(t *testing.T) {
	s := markStore(t)
	ctx := t.Context()
	for _, id := range []string{"t0", "h1", "t1", "h2", "h3", "h7"} {
		if err := s.SetRead(ctx, id, true); err != nil {
			t.Fatal(err)
		}
	}
	// All, newest first: h0 t0 h1 t1 h2 t2 h3 t3 h4 h5 h6 h7 h8 h9
	// (unread: h0 t2 t3 h4 h5 h6 h8 h9).
	tests := []struct {
		name     string
		q        cache.Query
		from     string
		backward bool
		want     string
		offset   int
	}{
		{"from the top", cache.Query{}, "", false, "h0", 0},
		{"after h0", cache.Query{}, "h0", false, "t2", 5},
		{"after a read one", cache.Query{}, "t3", false, "h4", 8},
		{"last", cache.Query{}, "h8", false, "h9", 13},
		{"none after", cache.Query{}, "h9", false, "", 0},
		{"backward from the end", cache.Query{}, "", true, "h9", 13},
		{"backward", cache.Query{}, "h4", true, "t3", 7},
		{"backward over read", cache.Query{}, "t2", true, "h0", 0},
		{"none before", cache.Query{}, "h0", true, "", 0},
		{"feed", cache.Query{Feed: tpFeed}, "t1", false, "t2", 2},
		{"feed backward", cache.Query{Feed: tpFeed}, "h4", true, "t3", 3},
		{"filter", cache.Query{Match: "linux"}, "h0", false, "h6", 2},
		{"unread view", cache.Query{Unread: true}, "t2", false, "t3", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, off, err := s.NextUnread(ctx, tt.q, tt.from, tt.backward)
			if tt.want == "" {
				if !errors.Is(err, cache.ErrNotFound) {
					t.Errorf("NextUnread(%q) = %s, %v; want ErrNotFound", tt.from, it.ID, err)
				}
				return
			}
			if err != nil || it.ID != tt.want || off != tt.offset || it.Read {
				t.Errorf("NextUnread(%+v, %q, %v) = %s at %d (read %v), %v; want %s at %d", tt.q, tt.from, tt.backward, it.ID, off, it.Read, err, tt.want, tt.offset)
			}
			// The offset is where List shows it.
			q := tt.q
			q.Offset, q.Limit = off, 1
			if ids := listIDs(t, s, q); len(ids) != 1 || ids[0] != it.ID {
				t.Errorf("List at offset %d = %v, want [%s]", off, ids, it.ID)
			}
		})
	}
	if _, _, err := s.NextUnread(ctx, cache.Query{}, "unknown", false); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("NextUnread from an unknown ID = %v, want ErrNotFound", err)
	}
}

// TestReadStateFollowsEntry changes what the read state tables repeat of
// an entry (its time, its feeds) and checks the unread lists and counts
// after each step, and the tables' rules (CheckReadState).
func TestReadStateFollowsEntry(t *testing.T) {
	s := markStore(t)
	ctx := t.Context()
	check := func(step string) {
		t.Helper()
		if err := s.CheckReadState(ctx); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		for name, c := range counts(t, s) {
			if c[0] != c[1] {
				t.Errorf("%s, %s: the counts say %d unread, the items %d", step, name, c[0], c[1])
			}
		}
	}
	if err := s.SetRead(ctx, "h5", true); err != nil {
		t.Fatal(err)
	}
	// h2 (unread) and h5 (read) become the newest entries.
	h2 := entry("h2", "Heise 2", t0.Add(time.Hour))
	h5 := entry("h5", "Heise 5", t0.Add(2*time.Hour))
	saveFeed(t, s, heiseFeed, "heise online", t0.Add(time.Minute), h2, h5)
	check("new times")
	if got := listIDs(t, s, cache.Query{Unread: true, Limit: 2}); !slices.Equal(got, []string{"h2", "h0"}) {
		t.Errorf("unread after h2 moved up = %v, want [h2 h0]", got)
	}
	if got := listIDs(t, s, cache.Query{Feed: heiseFeed, Unread: true, Limit: 2}); !slices.Equal(got, []string{"h2", "h0"}) {
		t.Errorf("heise unread after h2 moved up = %v, want [h2 h0]", got)
	}
	// Telepolis lists h2 too, and h5.
	saveFeed(t, s, tpFeed, "Telepolis", t0.Add(2*time.Minute), h2, h5)
	check("new feed")
	if got := listIDs(t, s, cache.Query{Feed: tpFeed, Unread: true, Limit: 2}); !slices.Equal(got, []string{"h2", "t0"}) {
		t.Errorf("Telepolis unread after it listed h2 = %v, want [h2 t0]", got)
	}
	// Marking Telepolis read marks h2 and h4 read in heise too.
	ids, err := s.MarkQueryRead(ctx, cache.Query{Feed: tpFeed})
	slices.Sort(ids)
	if want := []string{"h2", "h4", "t0", "t1", "t2", "t3"}; err != nil || !slices.Equal(ids, want) {
		t.Fatalf("MarkQueryRead(Telepolis) = %v, %v; want %v", ids, err, want)
	}
	check("Telepolis read")
	if got := listIDs(t, s, cache.Query{Feed: heiseFeed, Unread: true}); !slices.Equal(got, []string{"h0", "h1", "h3", "h6", "h7", "h8", "h9"}) {
		t.Errorf("heise unread after Telepolis was marked = %v", got)
	}
	if _, err := s.SetReadIDs(ctx, []string{"h4", "t1"}, false); err != nil {
		t.Fatal(err)
	}
	check("h4 and t1 unread again")
	// Removing Telepolis keeps h4 unread in heise, and its own entries go.
	if err := s.RemoveFeed(ctx, tpFeed); err != nil {
		t.Fatal(err)
	}
	check("Telepolis removed")
	if got := listIDs(t, s, cache.Query{Unread: true}); !slices.Equal(got, []string{"h0", "h1", "h3", "h4", "h6", "h7", "h8", "h9"}) {
		t.Errorf("unread after Telepolis was removed = %v", got)
	}
	// Everything goes (a year later, nothing starred).
	if _, err := s.Prune(ctx, 30, t0.AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	check("pruned")
	if n, err := s.Count(ctx, cache.Query{Unread: true}); err != nil || n != 0 {
		t.Errorf("unread after pruning all = %d, %v; want 0", n, err)
	}
}
