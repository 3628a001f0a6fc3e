package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

const (
	brokenFeed = "https://broken.example/feed.xml"
	brokenErr  = "fetch feed https://broken.example/feed.xml: 404 Not Found: the server answered with an HTML error page instead of a feed, so nothing was stored"
)

// routineFake is newFake with a third, failing feed.
func routineFake(t *testing.T) *fakeSource {
	t.Helper()
	src := newFake(t)
	src.feeds = append(src.feeds, cache.FeedInfo{URL: brokenFeed, Title: "Broken", LastError: brokenErr})
	return src
}

// unreadIDs lists the unread items of the source.
func unreadIDs(src *fakeSource) []string {
	src.mu.Lock()
	defer src.mu.Unlock()
	var ids []string
	for _, it := range src.items {
		if !it.Read {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

func TestFeedsOverview(t *testing.T) {
	src := routineFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "f")
	if m.active != screenFeeds {
		t.Fatalf("f opened screen %d, want the overview", m.active)
	}
	v := view(m)
	for _, want := range []string{"kiosk · feeds", "all feeds", "4/6", "heise online", "3/4", "Telepolis", "1/2", "Broken", "failed: fetch feed"} {
		if !strings.Contains(v, want) {
			t.Errorf("overview lacks %q:\n%s", want, v)
		}
	}
	// The whole error shows under the failed feed once it is selected.
	m = press(t, m, "G")
	flat := strings.Join(strings.Fields(ansi.Strip(view(m))), " ")
	if !strings.Contains(flat, "last sync failed: "+brokenErr) {
		t.Errorf("the selected failed feed does not show its whole error:\n%s", view(m))
	}
	golden.RequireEqual(t, view(m))

	// enter shows that feed's articles, esc comes back to the overview.
	m = press(t, m, "k", "enter")
	if m.active != screenList || m.list.q.Feed != tpFeed {
		t.Fatalf("enter on Telepolis: screen %d, feed %q", m.active, m.list.q.Feed)
	}
	if v := view(m); !strings.Contains(v, "kiosk · Telepolis") || strings.Contains(v, "Ionos") {
		t.Errorf("Telepolis list:\n%s", v)
	}
	m = press(t, m, "esc")
	if m.active != screenFeeds || m.feeds.selectedURL() != tpFeed {
		t.Errorf("esc from the feed's list: screen %d, selected %q", m.active, m.feeds.selectedURL())
	}
	m = press(t, m, "g", "enter")
	if m.active != screenList || m.list.q.Feed != "" || m.list.total != 6 {
		t.Errorf("enter on all feeds: screen %d, feed %q, %d rows", m.active, m.list.q.Feed, m.list.total)
	}
	// The overview is the top: esc stays, q quits.
	m = press(t, m, "esc")
	m = press(t, m, "esc")
	if m.active != screenFeeds {
		t.Errorf("esc on the overview left it for screen %d", m.active)
	}
	if _, cmd := m.Update(keyMsg("q")); cmd == nil {
		t.Error("q on the overview does not quit")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q on the overview does not quit")
	}
}

func TestStartScreenFeeds(t *testing.T) {
	src := routineFake(t)
	m := start(t, newTestModel(src, 80, 24, func(o *Options) { o.StartScreen = "feeds" }))
	if m.active != screenFeeds || !m.feeds.loaded || src.overviewCalls == 0 {
		t.Fatalf("start_screen feeds: screen %d, loaded %v", m.active, m.feeds.loaded)
	}
	if v := view(m); !strings.Contains(v, "Broken") || !strings.Contains(v, "all feeds") {
		t.Errorf("first screen:\n%s", v)
	}
	m = press(t, m, "j", "enter")
	if m.active != screenList || m.list.q.Feed != heiseFeed {
		t.Errorf("enter on heise online: screen %d, feed %q", m.active, m.list.q.Feed)
	}
	// From the list f comes back to the overview; esc returns to the list.
	m = press(t, m, "f")
	if m.active != screenFeeds || m.feeds.selectedURL() != heiseFeed {
		t.Errorf("f from heise's list: screen %d, selected %q", m.active, m.feeds.selectedURL())
	}
	m = press(t, m, "esc")
	if m.active != screenList {
		t.Errorf("esc after f: screen %d, want the list", m.active)
	}
}

// TestFeedsAreNamedByConfigName checks that a feed's name from the overview
// (the config's, in cmd/kiosk) is used in rows, the bar and failures, not
// the title the cache has or the host.
func TestFeedsAreNamedByConfigName(t *testing.T) {
	src := routineFake(t)
	src.feeds[1].Title = "TP (mein Name)"
	src.syncEvents = []fetch.Event{
		{Kind: fetch.EventStart, Total: 3},
		{Kind: fetch.EventFeedDone, Feed: brokenFeed, Done: 1, Total: 3, Err: errors.New("404 Not Found")},
	}
	m := start(t, newTestModel(src, 100, 24))
	if v := view(m); !strings.Contains(v, "TP (mein Name)") || strings.Contains(v, "Telepolis ") {
		t.Errorf("rows do not use the configured name:\n%s", v)
	}
	m = press(t, m, "tab", "tab")
	if !strings.Contains(view(m), "kiosk · TP (mein Name)") {
		t.Errorf("the bar after tab tab:\n%s", view(m))
	}
	m = press(t, m, "R")
	if !strings.Contains(view(m), "Broken: 404 Not Found") || strings.Contains(view(m), "broken.example") {
		t.Errorf("the failure is not named by the feed's name:\n%s", view(m))
	}
}

func TestMarkAllReadAndUndo(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want []string // unread after A
	}{
		{"all", nil, nil},
		{"one feed", []string{"tab"}, []string{"9690001"}},
		{"filter", []string{"/", "type:die"}, []string{"9691259", "9690001"}}, // enter opens 9690002
		{"search", []string{"S", "type:phishing", "enter"}, []string{"9690001", "9690002", "9690005"}},
		{"from the reader", []string{"tab", "enter"}, []string{"9690001"}},
		{"overview", []string{"f", "G", "k"}, []string{"9691259", "9690002", "9690005"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := routineFake(t)
			m := start(t, newTestModel(src, 80, 24))
			m = press(t, m, tt.keys...)
			if m.list.typing() {
				m = send(t, m, keyMsg("enter"))
				m = press(t, m, "esc") // back from the article enter opened
			}
			before := unreadIDs(src)
			m = press(t, m, "A")
			if got := unreadIDs(src); !slices.Equal(got, tt.want) {
				t.Errorf("unread after A = %v, want %v", got, tt.want)
			}
			if !strings.Contains(view(m), "ctrl+z undoes") {
				t.Errorf("status after A:\n%s", view(m))
			}
			m = press(t, m, "ctrl+z")
			if got := unreadIDs(src); !slices.Equal(got, before) {
				t.Errorf("unread after undo = %v, want %v", got, before)
			}
			m = press(t, m, "ctrl+z")
			if !strings.Contains(view(m), "nothing to undo") {
				t.Errorf("a second undo:\n%s", view(m))
			}
		})
	}
}

func TestMarkAllReadGolden(t *testing.T) {
	src := routineFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "A")
	for i := range m.list.win {
		if !m.list.win[i].Read {
			t.Errorf("row %s still unread after A", m.list.win[i].ID)
		}
	}
	golden.RequireEqual(t, view(m))
	m = press(t, m, "ctrl+z")
	if n := len(unreadIDs(src)); n != 4 {
		t.Errorf("%d unread after undo, want 4", n)
	}
	if !strings.Contains(view(m), "undone: 4 articles unread again") {
		t.Errorf("status after undo:\n%s", view(m))
	}
}

func TestUnreadNavigationInTheList(t *testing.T) {
	src := routineFake(t)
	m := start(t, newTestModel(src, 80, 24))
	// All, newest first: 9691259 9690001 9690002 (unread), 9690003 (read),
	// 9690005 (unread, 72 h), 9690004 (read, 400 days).
	order := []string{}
	for range 5 {
		m = press(t, m, "n")
		it, _ := m.list.selected()
		order = append(order, it.ID)
	}
	if want := []string{"9690001", "9690002", "9690005", "9690005", "9690005"}; !slices.Equal(order, want) {
		t.Errorf("n n n n n visits %v, want %v", order, want)
	}
	if !strings.Contains(view(m), "no more unread articles") {
		t.Errorf("n at the last unread:\n%s", view(m))
	}
	m = press(t, m, "p")
	if it, _ := m.list.selected(); it.ID != "9690002" {
		t.Errorf("p went to %s, want 9690002 (over the read 9690003)", it.ID)
	}
	if m.active != screenList {
		t.Errorf("n in the list opened screen %d", m.active)
	}
}

// TestUnreadNavigationBeyondTheWindow puts the only unread article far
// below the loaded window: the list asks the source.
func TestUnreadNavigationBeyondTheWindow(t *testing.T) {
	src := &fakeSource{feeds: []cache.FeedInfo{{URL: heiseFeed, Title: "heise online"}}}
	for i := range 1000 {
		it := src.synth(i)
		it.Read = i != 0 && i != 700
		src.items = append(src.items, it)
	}
	m := start(t, newTestModel(src, 80, 24))
	if len(m.list.win) >= 700 {
		t.Fatalf("the window holds %d rows; the test needs 700 outside it", len(m.list.win))
	}
	m = press(t, m, "n")
	if it, ok := m.list.selected(); !ok || it.ID != "s000700" || m.list.cursor != 700 {
		t.Errorf("n selected %s at %d, want s000700 at 700", it.ID, m.list.cursor)
	}
	m = press(t, m, "p")
	if it, ok := m.list.selected(); !ok || it.ID != "s000000" || m.list.cursor != 0 {
		t.Errorf("p selected %s at %d, want s000000 at 0", it.ID, m.list.cursor)
	}
}

func TestUnreadNavigationAcrossFeeds(t *testing.T) {
	src := routineFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "tab", "tab") // Telepolis: 9690001 (unread), 9690004 (read)
	if m.list.q.Feed != tpFeed {
		t.Fatalf("tab tab shows %q", m.list.q.Feed)
	}
	m = press(t, m, "enter")
	opened := func() string {
		t.Helper()
		if m.active != screenReader || len(m.reader.stack) == 0 {
			t.Fatalf("screen %d, not the reader", m.active)
		}
		return m.reader.stack[0].item.ID
	}
	if id := opened(); id != "9690001" {
		t.Fatalf("enter opened %s", id)
	}
	// n: Telepolis has no more unread; the broken feed has none at all;
	// heise online (round from the start) has 9691259 first.
	m = press(t, m, "n")
	if id := opened(); id != "9691259" || m.list.q.Feed != heiseFeed {
		t.Errorf("n opened %s in %q, want 9691259 in heise online", id, m.list.q.Feed)
	}
	if !strings.Contains(view(m), "next feed: heise online") {
		t.Errorf("status after wrapping:\n%s", view(m))
	}
	m = press(t, m, "n")
	if id := opened(); id != "9690002" {
		t.Errorf("second n opened %s, want 9690002", id)
	}
	golden.RequireEqual(t, view(m))
	// J and K step through every article, read or not.
	m = press(t, m, "J")
	if id := opened(); id != "9690003" {
		t.Errorf("J opened %s, want the read 9690003", id)
	}
	m = press(t, m, "K", "K")
	if id := opened(); id != "9691259" {
		t.Errorf("K K opened %s, want 9691259", id)
	}
	// Back in the list, the cursor is where the reader is.
	m = press(t, m, "esc")
	if it, _ := m.list.selected(); m.active != screenList || it.ID != "9691259" {
		t.Errorf("esc: screen %d, cursor on %s", m.active, it.ID)
	}
}

func TestUnreadKeysWhileFinding(t *testing.T) {
	src := routineFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "enter", "/", "type:phishing", "enter")
	first := m.reader.matchIdx
	m = press(t, m, "n")
	if m.reader.stack[0].item.ID != "9691259" || m.reader.matchIdx != first+1 {
		t.Errorf("n while finding: article %s, match %d (was %d)", m.reader.stack[0].item.ID, m.reader.matchIdx, first)
	}
	m = press(t, m, "p")
	if m.reader.stack[0].item.ID != "9691259" || m.reader.matchIdx != first {
		t.Errorf("p while finding: article %s, match %d", m.reader.stack[0].item.ID, m.reader.matchIdx)
	}
}

func TestListDates(t *testing.T) {
	now := time.Date(2024, 4, 19, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2024, 4, 19, 9, 5, 0, 0, time.UTC), "09:05"},
		{time.Date(2024, 4, 18, 23, 0, 0, 0, time.UTC), "18 Apr"},
		{time.Date(2024, 1, 2, 10, 0, 0, 0, time.UTC), " 2 Jan"},
		{time.Date(2023, 12, 31, 10, 0, 0, 0, time.UTC), "31 Dec 23"},
		{time.Date(2024, 4, 19, 0, 0, 0, 0, time.FixedZone("x", 3*3600)), "18 Apr"}, // 21:00 the day before, in UTC
	}
	for _, tt := range tests {
		if got := shortTime(tt.t, time.Time{}, now); got != tt.want {
			t.Errorf("shortTime(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
	if got := shortTime(time.Time{}, tests[0].t, now); got != "09:05" {
		t.Errorf("shortTime without a published time = %q, want the first-seen time", got)
	}
}

// TestListColumnsOnNarrowTerminals checks that the feed column shrinks and
// then goes as the terminal narrows, while the title keeps its minimum.
func TestListColumnsOnNarrowTerminals(t *testing.T) {
	const title = "Missing Link: Wie Phishing-Mails entstehen"
	last := maxFeedW
	for _, w := range []int{120, 80, 60, 55, 52, 50, 46, 45, 40, 30} {
		src := routineFake(t)
		m := start(t, newTestModel(src, w, 24))
		row := ansi.Strip(strings.Split(view(m), "\n")[4]) // 9690003, read; 9690004 is from last year
		dateW := m.list.dateWidth()
		feedW := m.list.feedWidth(dateW)
		titleW := w - 5 - dateW - 1
		if feedW > 0 {
			titleW -= feedW + 1
		}
		switch {
		case dateW != 9:
			t.Errorf("width %d: date column %d, want 9 (a row is from 2023)", w, dateW)
		case feedW > last:
			t.Errorf("width %d: the feed column grew from %d to %d", w, last, feedW)
		case w >= 60 && feedW != maxFeedW:
			t.Errorf("width %d: feed column %d, want %d", w, feedW, maxFeedW)
		case feedW > 0 && titleW < minTitleW:
			t.Errorf("width %d: the title has %d cells while the feed column has %d", w, titleW, feedW)
		case w <= 45 && feedW != 0:
			t.Errorf("width %d: feed column %d, want none", w, feedW)
		}
		last = feedW
		want := title[:min(len(title), titleW-1)]
		if !strings.Contains(row, want) {
			t.Errorf("width %d: row %q lacks %q", w, row, want)
		}
		if feedW > 0 != strings.Contains(row, "heise") {
			t.Errorf("width %d (feed column %d): row %q", w, feedW, row)
		}
		if n := ansi.StringWidth(row); n > w {
			t.Errorf("width %d: the row is %d wide: %q", w, n, row)
		}
	}
}
