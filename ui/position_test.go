package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// topBlock is the text of the block (paragraph) at the top of the reader,
// and the top line itself, without styles.
func topBlock(m Model) (block, top string) {
	r := m.reader
	y := r.vp.YOffset()
	starts := blockStarts(r.lines)
	b := 0
	for i, s := range starts {
		if s <= y {
			b = i
		}
	}
	var words []string
	for _, l := range r.lines[starts[b]:blockEnd(starts, b, len(r.lines))] {
		words = append(words, strings.Fields(ansi.Strip(l))...)
	}
	// Without spaces, so that words broken at hyphens compare equal.
	return strings.Join(words, ""), strings.Join(strings.Fields(ansi.Strip(r.lines[y])), "")
}

// TestResizeKeepsTopParagraph scrolls into the middle of a paragraph and
// resizes: the paragraph on top stays on top at every width, and going
// back to the first width comes back to the same line.
func TestResizeKeepsTopParagraph(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 100, 30))
	m = press(t, m, "enter")
	for !strings.Contains(func() string { _, top := topBlock(m); return top }(), "Betreffzeilen") {
		if m.reader.vp.AtBottom() {
			t.Fatal("no line with Betreffzeilen at the top")
		}
		m = press(t, m, "j")
	}
	wantBlock, wantTop := topBlock(m)
	y0 := m.reader.vp.YOffset()
	for _, w := range []int{60, 140, 45, 100} {
		m = send(t, m, tea.WindowSizeMsg{Width: w, Height: 30})
		block, top := topBlock(m)
		if block != wantBlock || !strings.Contains(wantBlock, top) {
			t.Errorf("at width %d the top line %q is not in the paragraph that was on top:\n%s", w, top, plain(m))
		}
		if w == 60 {
			golden.RequireEqual(t, plain(m))
		}
	}
	if _, top := topBlock(m); top != wantTop || m.reader.vp.YOffset() != y0 {
		t.Errorf("back at width 100 the top line is %q (offset %d), want %q (offset %d)", top, m.reader.vp.YOffset(), wantTop, y0)
	}
}

func TestMapOffset(t *testing.T) {
	old := []string{"# Title", "", "one two three", "four five six", "", "seven", "", "end"}
	new := []string{"# Title", "", "one two", "three four", "five six", "", "seven", "", "end"}
	for _, tt := range []struct{ y, want int }{{0, 0}, {2, 2}, {3, 3}, {4, 4}, {5, 6}, {7, 8}} {
		if got := mapOffset(old, new, tt.y); got != tt.want {
			t.Errorf("mapOffset(y=%d) = %d, want %d", tt.y, got, tt.want)
		}
	}
	if got := mapOffset(old, []string{"a", "", "b"}, 6); got != 2 {
		t.Errorf("mapOffset with other blocks = %d, want the proportional 2", got)
	}
}

// TestSearchHitOpensAtHit opens a full-text search result whose hit is
// deep in the body: the reader shows that line, highlighted.
func TestSearchHitOpensAtHit(t *testing.T) {
	src := newFake(t)
	src.items[0].Summary += " Labhost"
	m := start(t, newTestModel(src, 100, 30))
	m = press(t, m, "S", "type:labhost", "enter", "enter")
	if m.active != screenReader {
		t.Fatalf("enter on a search hit shows screen %d", m.active)
	}
	out := plain(m)
	if m.reader.vp.YOffset() == 0 || !strings.Contains(out, "über Labhost gestartet") || !strings.Contains(out, `find "labhost" 1/1`) {
		t.Errorf("the search hit does not open at the hit (offset %d):\n%s", m.reader.vp.YOffset(), out)
	}
	if h := lineWith(m, "19.04.2024"); !strings.Contains(h, "heise online") {
		t.Errorf("header from a search = %q, want the feed and the date", h)
	}
}

func TestSearchTerms(t *testing.T) {
	got := strings.Join(searchTerms(`"Fernseh*" AND Köln -Berlin x (Straße)`), "|")
	if got != "Fernseh|Köln|Straße" {
		t.Errorf("searchTerms = %q", got)
	}
}

// TestHeaderShowsSourceAndDate checks the header on every way into the
// reader: from the list, and a referenced page.
func TestHeaderShowsSourceAndDate(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 100, 30))
	m = press(t, m, "enter")
	if h := strings.Split(plain(m), "\n")[0]; !strings.Contains(h, "heise online · 19.04.2024") {
		t.Errorf("header from the list = %q", h)
	}
	m = press(t, m, "2")
	h := strings.Split(plain(m), "\n")[0]
	if !strings.Contains(h, "↳ 1") || !strings.Contains(strings.ToLower(h), "verbraucherzentrale") {
		t.Errorf("header of a referenced page = %q, want its source", h)
	}
	m = press(t, m, "esc", "esc", "j", "enter") // a teaser: no article cached
	it := m.reader.stack[0].item
	want := it.FeedTitles[0] + " · " + it.Published.Format("02.01.2006") // a German teaser: German date
	if h := strings.Split(plain(m), "\n")[0]; !strings.Contains(h, want) || !strings.Contains(plain(m), "Nur der Anreißer") {
		t.Errorf("header of a teaser = %q, want %q", h, want)
	}
}
