package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// plain is the screen without escape sequences.
func plain(m Model) string { return ansi.Strip(view(m)) }

// lineWith returns the first screen line containing s, or "".
func lineWith(m Model, s string) string {
	for _, l := range strings.Split(plain(m), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func TestListShowsCacheAtStart(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24))
	out := plain(m)
	for _, want := range []string{"kiosk · all feeds", "1/6", "Ionos-Phishing", "Energiewende", "Linux 6.9"} {
		if !strings.Contains(out, want) {
			t.Errorf("list view lacks %q:\n%s", want, out)
		}
	}
	if got := strings.Count(view(m), "\n") + 1; got != 24 {
		t.Errorf("view has %d lines, want 24", got)
	}
	row := lineWith(m, "NAS-Systeme")
	if !strings.HasPrefix(row, "●★↓+") {
		t.Errorf("row of an unread, starred, offline, heise+ item = %q, want markers ●★↓+", row)
	}
	if row := lineWith(m, "Missing Link"); !strings.HasPrefix(row, "    ") {
		t.Errorf("row of a read item = %q, want no markers", row)
	}
	if src.syncCalls != 0 {
		t.Errorf("Sync called %d times without RefreshOnStart", src.syncCalls)
	}
}

func TestOpenMarksReadAndBackReturns(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 100, 30))
	m = press(t, m, "enter")
	if m.active != screenReader {
		t.Fatalf("after enter the active screen is %d, want the reader", m.active)
	}
	out := plain(m)
	for _, want := range []string{
		"heise online · 19.04.2024 11:37 Uhr · Dirk Knop", "2 Min.", // header
		"# Ionos-Phishing", "Das Phishingradar warnt", // title and lead
		"Online-Kriminelle phishen",    // the hero figure
		"lines 1–", "4 references (L)", // footer
	} {
		if !strings.Contains(out, want) {
			t.Errorf("reader lacks %q:\n%s", want, out)
		}
	}
	if !src.items[0].Read {
		t.Error("opening the article did not mark it read in the source")
	}
	m = press(t, m, "esc")
	if m.active != screenList {
		t.Fatalf("after esc the active screen is %d, want the list", m.active)
	}
	if row := lineWith(m, "Ionos-Phishing"); strings.HasPrefix(row, "●") {
		t.Errorf("row after reading = %q, want no unread marker", row)
	}
}

func TestGShowsReferencesAtEnd(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 100, 30))
	m = press(t, m, "enter", "G")
	out := plain(m)
	if !strings.Contains(out, "Links in diesem Artikel") || !strings.Contains(out, "[2] ") || !strings.Contains(out, "100%") {
		t.Errorf("G does not show the references at the end:\n%s", out)
	}
	m = press(t, m, "g")
	if !strings.Contains(plain(m), "# Ionos-Phishing") {
		t.Errorf("g does not go back to the top:\n%s", plain(m))
	}
}

func TestFilterThenOpen(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "/", "type:linux")
	if !strings.Contains(plain(m), "/linux") {
		t.Errorf("the status line does not show the filter input:\n%s", plain(m))
	}
	// One enter ends the filter and opens the first match.
	m = press(t, m, "enter")
	if m.active != screenReader || !strings.Contains(plain(m), "Linux 6.9") {
		t.Fatalf("enter after the filter did not open the match:\n%s", plain(m))
	}
	// It has no cached article: the teaser and the reason show instead.
	if !strings.Contains(plain(m), "Nur der Anreißer") || !strings.Contains(plain(m), "Kernel-Log") {
		t.Errorf("an article that cannot load does not show its teaser and the reason:\n%s", plain(m))
	}
	m = press(t, m, "esc")
	out := plain(m)
	if !strings.Contains(out, `filter "linux"`) || !strings.Contains(out, "1/1") || strings.Contains(out, "Ionos") {
		t.Fatalf("esc from the reader does not return to the filtered list:\n%s", out)
	}
	m = press(t, m, "esc")
	if bar := lineWith(m, "kiosk"); strings.Contains(bar, "filter") || !strings.Contains(bar, "1/6") {
		t.Errorf("esc on the list does not clear the filter:\n%s", plain(m))
	}
}

// Terminals send pasted text as one bracketed paste (bubbletea's PasteMsg),
// not as key presses; the filter, search and find inputs take it.
func TestPasteIntoInputs(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "/")
	m = send(t, m, tea.PasteMsg{Content: "linux"})
	if bar := lineWith(m, "kiosk"); !strings.Contains(bar, `filter "linux"`) || !strings.Contains(bar, "1/1") {
		t.Fatalf("a paste into the filter does not filter:\n%s", plain(m))
	}
	m = press(t, m, "esc", "S")
	m = send(t, m, tea.PasteMsg{Content: "bundesnetzagentur"})
	if !strings.Contains(plain(m), "search: bundesnetzagentur") {
		t.Errorf("a paste into the search input is lost:\n%s", plain(m))
	}
	m = press(t, m, "esc", "enter", "/")
	m = send(t, m, tea.PasteMsg{Content: "ionos"})
	if !strings.Contains(plain(m), "find: ionos") {
		t.Errorf("a paste into the find input is lost:\n%s", plain(m))
	}
	// Outside an input, a paste does nothing.
	m = press(t, m, "esc")
	m = send(t, m, tea.PasteMsg{Content: "q"})
	if m.active != screenReader {
		t.Errorf("a paste outside an input changed the screen to %v", m.active)
	}
}

func TestFilterEscCancels(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "/", "type:zzz")
	if !strings.Contains(plain(m), "no matching articles") {
		t.Errorf("a filter without match shows:\n%s", plain(m))
	}
	m = press(t, m, "q") // typed into the filter, not quit
	if !m.list.typing() {
		t.Fatal("q in the filter input left the input")
	}
	m = press(t, m, "esc")
	if m.list.typing() || m.list.q.Match != "" || !strings.Contains(plain(m), "1/6") {
		t.Errorf("esc does not cancel the filter:\n%s", plain(m))
	}
}

func TestToggleReadAndStar(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "m", "s")
	if !src.items[0].Read || !src.items[0].Starred {
		t.Errorf("m and s wrote read=%v starred=%v, want both true", src.items[0].Read, src.items[0].Starred)
	}
	if row := lineWith(m, "Ionos"); !strings.HasPrefix(row, " ★") {
		t.Errorf("row after m and s = %q, want the star and no unread marker", row)
	}
	m = press(t, m, "m")
	if !src.items[0].Read == false {
		t.Error("second m did not mark unread")
	}
	if row := lineWith(m, "Ionos"); !strings.HasPrefix(row, "●★") {
		t.Errorf("row after second m = %q", row)
	}
}

func TestToggleRevertsWhenTheWriteFails(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24))
	src.items = src.items[1:] // the shown first row no longer exists in the source
	m = press(t, m, "s")
	if m.err == nil || !strings.Contains(plain(m), "not found") {
		t.Errorf("a failed write is not reported:\n%s", plain(m))
	}
	if row := lineWith(m, "Ionos"); strings.Contains(row, "★") {
		t.Errorf("row after a failed star = %q, want the star reverted", row)
	}
}

func TestFeedsUnreadStarred(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "tab")
	out := plain(m)
	if !strings.Contains(out, "kiosk · heise online") || strings.Contains(out, "Telepolis ") || !strings.Contains(out, "1/4") {
		t.Errorf("tab to the first feed shows:\n%s", out)
	}
	m = press(t, m, "tab")
	if out := plain(m); !strings.Contains(out, "kiosk · Telepolis") || !strings.Contains(out, "1/2") {
		t.Errorf("second tab shows:\n%s", out)
	}
	m = press(t, m, "tab")
	if out := plain(m); !strings.Contains(out, "all feeds") || !strings.Contains(out, "1/6") {
		t.Errorf("third tab does not come back to all feeds:\n%s", out)
	}
	m = press(t, m, "shift+tab")
	if out := plain(m); !strings.Contains(out, "kiosk · Telepolis") {
		t.Errorf("shift+tab does not go to the last feed:\n%s", out)
	}
	m = press(t, m, "shift+tab", "shift+tab", "u")
	if out := plain(m); !strings.Contains(out, "unread") || !strings.Contains(out, "1/4") || strings.Contains(out, "Missing Link") {
		t.Errorf("u shows:\n%s", out)
	}
	m = press(t, m, "u", "*")
	if out := plain(m); !strings.Contains(out, "starred") || !strings.Contains(out, "1/1") || !strings.Contains(out, "NAS") {
		t.Errorf("* shows:\n%s", out)
	}
}

func TestFullTextSearch(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "S", "type:bundesnetzagentur", "enter")
	out := plain(m)
	if !strings.Contains(out, `search "bundesnetzagentur"`) || !strings.Contains(out, "Energiewende") || strings.Contains(out, "Ionos") {
		t.Fatalf("search shows:\n%s", out)
	}
	if !strings.Contains(out, "Die Bundesnetzagentur meldet") {
		t.Errorf("the selected hit's snippet is not in the status line:\n%s", out)
	}
	m = press(t, m, "enter")
	if m.active != screenReader {
		t.Fatal("enter on a search hit does not open it")
	}
	m = press(t, m, "esc", "esc")
	if bar := lineWith(m, "kiosk"); strings.Contains(bar, "search") || !strings.Contains(bar, "1/6") {
		t.Errorf("esc does not leave the search results:\n%s", out)
	}
}

func TestReferenceOpensInsideAndBackKeepsScroll(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "enter", "j", "j", "j", "j", "j")
	before := m.reader.vp.YOffset()
	if before != 5 {
		t.Fatalf("after five j the offset is %d", before)
	}
	m = press(t, m, "2")
	out := plain(m)
	if !strings.Contains(out, "Phishingradar") || !strings.Contains(out, "↳ 1") || !strings.Contains(out, "Verbraucherzentrale") {
		t.Fatalf("reference 2 does not open inside kiosk:\n%s", out)
	}
	if got := src.opened; len(got) != 1 || got[0] != radarURL {
		t.Errorf("OpenURL calls = %v, want [%s]", got, radarURL)
	}
	m = press(t, m, "esc")
	if m.active != screenReader || m.reader.vp.YOffset() != before || !strings.Contains(plain(m), "**Bild** [3]") {
		t.Errorf("esc returns to offset %d (want %d):\n%s", m.reader.vp.YOffset(), before, plain(m))
	}
	m = press(t, m, "esc")
	if m.active != screenList {
		t.Error("second esc does not return to the list")
	}
}

func TestReferenceByNumberAndPanel(t *testing.T) {
	var mu sync.Mutex
	var browsed []string
	browser := func(o *Options) {
		o.Browser = func(u string) error { mu.Lock(); browsed = append(browsed, u); mu.Unlock(); return nil }
	}
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24, browser))
	m = press(t, m, "enter", "#", "1", "enter")
	// [1] is not an extractable page in the fake: it goes to the browser.
	if len(browsed) != 1 || browsed[0] != "https://www.heise.de/thema/Phishing" {
		t.Fatalf("#1 enter opened %v in the browser", browsed)
	}
	if !strings.Contains(plain(m), "opened in the browser") {
		t.Errorf("status after the browser: %s", plain(m))
	}
	m = press(t, m, "L")
	if m.active != screenLinks || !strings.Contains(plain(m), "[4] image") {
		t.Fatalf("L shows:\n%s", plain(m))
	}
	m = press(t, m, "j", "enter")
	if m.active != screenReader || !strings.Contains(plain(m), "Phishingradar") {
		t.Fatalf("enter on [2] in the panel shows:\n%s", plain(m))
	}
	m = press(t, m, "esc", "L", "G", "o")
	if got := browsed[len(browsed)-1]; !strings.HasSuffix(got, "2bc7fb124b8965a1.png") {
		t.Errorf("o on the last reference opened %s", got)
	}
	m = press(t, m, "3") // an image: straight to the browser, never OpenURL
	if len(src.opened) != 2 {
		t.Errorf("OpenURL calls %v, want two", src.opened)
	}
	m = press(t, m, "esc")
	if m.active != screenReader {
		t.Errorf("esc in the panel goes to %d, want the reader", m.active)
	}
	m = press(t, m, "9")
	if !strings.Contains(plain(m), "no reference [9]") {
		t.Errorf("9 on a page with four references:\n%s", plain(m))
	}
}

func TestBrowserOnlyForWebURLs(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://www.heise.de/-9691259", true},
		{"http://example.org/a?b=c", true},
		{"javascript:alert(1)", false},
		{"file:///etc/passwd", false},
		{"https://", false},
		{"ftp://example.org/", false},
		{"; rm -rf ~", false},
	} {
		if err := checkWebURL(tc.url); (err == nil) != tc.ok {
			t.Errorf("checkWebURL(%q) = %v, want ok %v", tc.url, err, tc.ok)
		}
	}
	called := false
	msg := browseCmd(func(string) error { called = true; return nil }, "file:///etc/passwd")()
	if bm, ok := msg.(browserOpenedMsg); !ok || bm.err == nil || called {
		t.Errorf("browseCmd(file URL) = %#v, browser called %v", msg, called)
	}
}

func TestDefaultBrowserRunsWithoutShell(t *testing.T) {
	dir := t.TempDir()
	out := dir + "/args"
	script := dir + "/browser"
	if err := writeExecutable(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > "+out+"\n"); err != nil {
		t.Fatal(err)
	}
	open := Browser(EnvBrowser(func(k string) string {
		if k == "BROWSER" {
			return script + " --new-tab:firefox"
		}
		return ""
	}))
	u := "https://example.org/a?x=1&y=$(touch " + dir + "/pwned)"
	if err := open(u); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, out)
	if got != "--new-tab\n"+u+"\n" {
		t.Errorf("browser got args %q", got)
	}
	if fileExists(dir + "/pwned") {
		t.Error("the URL went through a shell")
	}
	if err := open("javascript:alert(1)"); err == nil {
		t.Error("Browser opened a javascript: URL")
	}
}

func TestFindInArticle(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "enter", "/", "type:phishing", "enter")
	out := plain(m)
	if !strings.Contains(out, `find "phishing" 1/`) {
		t.Fatalf("find shows:\n%s", out)
	}
	n := len(m.reader.matches)
	if n < 2 {
		t.Fatalf("phishing found %d times, want several", n)
	}
	first := m.reader.matches[0].line
	if y := m.reader.vp.YOffset(); first < y || first >= y+m.reader.vp.Height() {
		t.Errorf("the first match (line %d) is not on screen (offset %d)", first, y)
	}
	m = press(t, m, "n")
	if !strings.Contains(plain(m), fmt.Sprintf(`find "phishing" 2/%d`, n)) {
		t.Errorf("n does not go to the next match:\n%s", plain(m))
	}
	m = press(t, m, "N", "N")
	if !strings.Contains(plain(m), fmt.Sprintf(`find "phishing" %d/%d`, n, n)) {
		t.Errorf("N N does not wrap to the last match:\n%s", plain(m))
	}
	m = press(t, m, "esc")
	if m.active != screenReader || m.reader.find != "" {
		t.Error("esc does not clear the find first")
	}
	m = press(t, m, "/", "type:zzzz", "enter")
	if !strings.Contains(plain(m), `"zzzz" not found`) {
		t.Errorf("a find without match shows:\n%s", plain(m))
	}
}

func TestFindHighlights(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24, func(o *Options) { o.NoColor = false }))
	m = send(t, m, tea.BackgroundColorMsg{Color: colorBlack})
	m = press(t, m, "enter", "/", "type:phishing", "enter")
	cur := m.reader.matches[m.reader.matchIdx]
	word := ansi.Cut(ansi.Strip(m.reader.lines[cur.line]), cur.start, cur.end)
	if !strings.EqualFold(word, "phishing") {
		t.Fatalf("the current match covers %q", word)
	}
	if !strings.Contains(view(m), m.styles.CurrentMatch.Render(word)) {
		t.Errorf("the current match is not highlighted:\n%q", view(m))
	}
	if !strings.Contains(view(m), m.styles.Match.Render("Phishing")) && !strings.Contains(view(m), m.styles.Match.Render("phishing")) {
		t.Errorf("the other matches are not highlighted:\n%q", view(m))
	}
}

// TestNextPreviousArticle steps with J and K, which open the next and
// previous article whether read or not (n and p go to unread ones).
func TestNextPreviousArticle(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "enter", "J")
	if !strings.Contains(plain(m), "Energiewende") {
		t.Fatalf("J does not open the next article:\n%s", plain(m))
	}
	if !src.items[1].Read {
		t.Error("J did not mark the next article read")
	}
	m = press(t, m, "K")
	if !strings.Contains(plain(m), "# Ionos-Phishing") {
		t.Errorf("K does not open the previous article:\n%s", plain(m))
	}
	m = press(t, m, "K")
	if !strings.Contains(plain(m), "no previous article") {
		t.Errorf("K on the first article:\n%s", plain(m))
	}
	m = press(t, m, "esc")
	if m.list.cursor != 0 {
		t.Errorf("list cursor after J K = %d, want 0", m.list.cursor)
	}
}

func TestHelpShowsKeysOfTheScreen(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "?")
	out := plain(m)
	for _, want := range []string{"tab", "next feed", "u", "unread only", "*", "starred only", "S", "search all text", "● unread"} {
		if !strings.Contains(out, want) {
			t.Errorf("list help lacks %q:\n%s", want, out)
		}
	}
	m = press(t, m, "esc", "enter", "?")
	if out := plain(m); !strings.Contains(out, "find in article") || !strings.Contains(out, "open reference n") {
		t.Errorf("reader help:\n%s", out)
	}
	m = press(t, m, "?")
	if m.active != screenReader {
		t.Errorf("? in help goes to %d, want back to the reader", m.active)
	}
}

func TestQuitKeys(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	for _, k := range []string{"q", "Q", "ctrl+c"} {
		if _, cmd := m.Update(keyMsg(k)); cmd == nil || cmd() != tea.Quit() {
			t.Errorf("%s on the list does not quit", k)
		}
	}
	m = press(t, m, "enter")
	if _, cmd := m.Update(keyMsg("q")); cmd != nil && cmd() == tea.Quit() {
		t.Error("q in the reader quits instead of going back")
	}
	if _, cmd := m.Update(keyMsg("Q")); cmd == nil || cmd() != tea.Quit() {
		t.Error("Q in the reader does not quit")
	}
}

func TestStaleRenderIsDropped(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "enter")
	id := m.reader.shown.id
	stale := articleRenderedMsg{key: renderID{id: id, width: 40, style: StyleASCII}, text: "STALE NARROW"}
	m = send(t, m, stale)
	other := articleRenderedMsg{key: renderID{id: "9690001", width: m.reader.bodyWidth(), style: StyleASCII}, text: "OTHER ARTICLE"}
	m = send(t, m, other)
	if out := plain(m); strings.Contains(out, "STALE") || strings.Contains(out, "OTHER") {
		t.Errorf("a stale render was shown:\n%s", out)
	}
	if _, ok := m.reader.renders.get(stale.key); ok {
		t.Error("a render for another width was cached")
	}
}

func TestResizeRerenders(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "enter")
	m = send(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	if m.reader.shown.width != 100 {
		t.Errorf("after resizing to 120 columns the body is %d wide, want 100", m.reader.shown.width)
	}
	for _, l := range strings.Split(plain(m), "\n") {
		if w := ansi.StringWidth(l); w > 120 {
			t.Errorf("line %q is %d wide", l, w)
		}
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 60, Height: 20})
	if m.reader.shown.width != 58 || strings.Count(view(m), "\n")+1 != 20 {
		t.Errorf("after resizing to 60×20: body %d wide, %d lines", m.reader.shown.width, strings.Count(view(m), "\n")+1)
	}
	// Back at 80 columns the first rendering comes from the cache: no command.
	nm, cmd := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if cmd != nil || nm.(Model).reader.shown.width != 78 {
		t.Errorf("a cached width is rendered again (cmd %v)", cmd != nil)
	}
}

func TestNetworkTextIsCleaned(t *testing.T) {
	src := newFake(t)
	src.items[1].Title = "Evil\x1b]0;pwned\x07 title\x1b[2J with\u202e bidi"
	src.items[1].FeedTitles = []string{"Feed\x1b[31m red"}
	m := start(t, newTestModel(src, 80, 24))
	out := view(m)
	for _, bad := range []string{"\x1b]0;", "pwned", "\x1b[2J", "\u202e", "\x1b[31m"} {
		if strings.Contains(out, bad) {
			t.Errorf("the list shows %q from the network", bad)
		}
	}
	if !strings.Contains(plain(m), "Evil title") {
		t.Errorf("the cleaned title is missing:\n%s", plain(m))
	}
}

func TestSyncInBackground(t *testing.T) {
	src := newFake(t)
	newItem := cache.Item{FeedTitles: []string{"heise online"}}
	newItem.ID, newItem.Feed, newItem.Title, newItem.Published = "9699999", heiseFeed, "Brandneu: Ein frischer Artikel", testNow
	src.syncNew = []cache.Item{newItem}
	src.syncEvents = []fetch.Event{
		{Kind: fetch.EventStart, Total: 2},
		{Kind: fetch.EventFeedDone, Feed: heiseFeed, New: 1, Done: 1, Total: 2},
		{Kind: fetch.EventFeedDone, Feed: tpFeed, Done: 2, Total: 2, Err: errors.New("fetch feed: 503 Service Unavailable")},
		{Kind: fetch.EventArticlesStart, Total: 1},
		{Kind: fetch.EventArticleDone, Done: 1, Total: 1},
	}
	m := newTestModel(src, 100, 24, func(o *Options) { o.RefreshOnStart = true })
	m = start(t, m)
	if src.syncCalls != 1 {
		t.Fatalf("Sync called %d times, want 1", src.syncCalls)
	}
	out := plain(m)
	if !strings.Contains(out, "Brandneu") || !strings.Contains(out, "1/7") {
		t.Errorf("the new item is not listed at the top:\n%s", out)
	}
	if it, _ := m.list.selected(); it.ID != "9699999" {
		t.Errorf("a cursor at the top moved off the newest item to %s", it.ID)
	}
	if !strings.Contains(out, "synced · 1 new · 1 feed failed: Telepolis: fetch feed: 503") {
		t.Errorf("the status line does not report the sync:\n%s", out)
	}
	if strings.Contains(out, "offline") {
		t.Errorf("one failed feed is reported as offline:\n%s", out)
	}
}

func TestSyncKeepsTheCursorOnItsItem(t *testing.T) {
	src := newFake(t)
	newItem := cache.Item{FeedTitles: []string{"heise online"}}
	newItem.ID, newItem.Feed, newItem.Title, newItem.Published = "9699999", heiseFeed, "Brandneu: Ein frischer Artikel", testNow
	src.syncNew = []cache.Item{newItem}
	src.syncEvents = []fetch.Event{{Kind: fetch.EventFeedDone, Feed: heiseFeed, New: 1, Done: 1, Total: 1}}
	m := start(t, newTestModel(src, 100, 24))
	m = press(t, m, "j", "R")
	if it, _ := m.list.selected(); it.ID != "9690001" || !strings.Contains(plain(m), "3/7") {
		t.Errorf("after a sync the cursor is on %s, want it kept on 9690001:\n%s", it.ID, plain(m))
	}
}

func TestSyncProgressWhileRunning(t *testing.T) {
	m := newTestModel(newFake(t), 100, 24)
	m.sync.running = true
	ch := make(chan tea.Msg)
	close(ch)
	m = send(t, m, syncEventMsg{ev: fetch.Event{Kind: fetch.EventFeedDone, Feed: heiseFeed, Done: 1, Total: 2, New: 3}, next: ch})
	m = send(t, m, syncEventMsg{ev: fetch.Event{Kind: fetch.EventArticlesStart, Total: 40}, next: ch})
	m = send(t, m, syncEventMsg{ev: fetch.Event{Kind: fetch.EventArticleDone, Done: 12, Total: 40}, next: ch})
	if !strings.Contains(plain(m), "syncing feeds 1/2 · articles 12/40 · 3 new") {
		t.Errorf("progress shows:\n%s", plain(m))
	}
}

func TestAllFeedsFailedMeansOffline(t *testing.T) {
	src := newFake(t)
	src.syncEvents = []fetch.Event{
		{Kind: fetch.EventStart, Total: 2},
		{Kind: fetch.EventFeedDone, Feed: heiseFeed, Done: 1, Total: 2, Err: errors.New("dial tcp: no route to host")},
		{Kind: fetch.EventFeedDone, Feed: tpFeed, Done: 2, Total: 2, Err: errors.New("dial tcp: no route to host")},
	}
	m := start(t, newTestModel(src, 100, 24))
	m = press(t, m, "R")
	if !strings.Contains(plain(m), "offline (network down)") {
		t.Errorf("a sync with every feed failing shows:\n%s", plain(m))
	}
	m = press(t, m, "enter") // the cache still works
	if !strings.Contains(plain(m), "# Ionos-Phishing") {
		t.Errorf("the cached article does not open while offline:\n%s", plain(m))
	}
}

func TestOfflineNeverSyncs(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24, func(o *Options) { o.Offline, o.RefreshOnStart = true, true }))
	m = press(t, m, "R", "r")
	if src.syncCalls != 0 {
		t.Errorf("Sync called %d times with Offline", src.syncCalls)
	}
	if !strings.Contains(plain(m), "offline") {
		t.Errorf("the status line does not say offline:\n%s", plain(m))
	}
}

func TestSyncThisFeed(t *testing.T) {
	src := &recordingSync{fakeSource: newFake(t)}
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "j", "r")
	if len(src.feeds) != 1 || len(src.feeds[0]) != 1 || src.feeds[0][0] != tpFeed {
		t.Errorf("r on a Telepolis item synced %v", src.feeds)
	}
	press(t, m, "R")
	if len(src.feeds) != 2 || src.feeds[1] != nil {
		t.Errorf("R synced %v, want all feeds (nil)", src.feeds)
	}
}

// recordingSync records the feeds of every Sync call.
type recordingSync struct {
	*fakeSource
	feeds [][]string
}

func (r *recordingSync) Sync(ctx contextT, feeds []string, progress func(fetch.Event)) (fetch.Summary, error) {
	r.feeds = append(r.feeds, feeds)
	return r.fakeSource.Sync(ctx, feeds, progress)
}

func TestCopyURL(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	nm, cmd := m.Update(keyMsg("y"))
	if cmd == nil {
		t.Fatal("y returns no command")
	}
	if msg := cmd(); fmt.Sprint(msg) != fmt.Sprint(tea.SetClipboard(heiseURL)()) {
		t.Errorf("y returns %#v, want SetClipboard(%s)", msg, heiseURL)
	}
	if !strings.Contains(plain(nm.(Model)), "copied https://www.heise.de/news/Ionos") {
		t.Errorf("status after y:\n%s", plain(nm.(Model)))
	}
}

func TestMouseWheelScrolls(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "enter")
	m = send(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if y := m.reader.vp.YOffset(); y != 3 {
		t.Errorf("wheel down in the reader: offset %d, want 3", y)
	}
	m = press(t, m, "esc")
	m = send(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.list.cursor != 3 {
		t.Errorf("wheel down in the list: cursor %d, want 3", m.list.cursor)
	}
}

func TestNoColorHasNoColours(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24)) // NoColor
	m = send(t, m, tea.BackgroundColorMsg{Color: colorWhite})
	for _, keys := range [][]string{nil, {"enter"}, {"L"}, {"esc", "?"}} {
		m = press(t, m, keys...)
		if v := view(m); strings.Contains(v, "38;") || strings.Contains(v, "48;") {
			t.Errorf("NO_COLOR view after %v has colour sequences: %q", keys, v)
		}
	}
}

func TestBackgroundPicksTheArticleStyle(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24, func(o *Options) { o.NoColor, o.ASCII = false, false }))
	m = press(t, m, "enter")
	if m.reader.shown.style != StyleDark {
		t.Errorf("before the terminal answers, the style is %v, want dark", m.reader.shown.style)
	}
	m = send(t, m, tea.BackgroundColorMsg{Color: colorWhite})
	if m.reader.shown.style != StyleLight || m.styles.isDark {
		t.Errorf("on a white background the article is %v (styles dark %v), want light", m.reader.shown.style, m.styles.isDark)
	}
	m = newTestModel(newFake(t), 80, 24, func(o *Options) { o.NoColor, o.ASCII = true, false })
	m = press(t, start(t, m), "enter")
	if m.reader.shown.style != StyleNoColor {
		t.Errorf("with NO_COLOR the article is %v, want notty", m.reader.shown.style)
	}
}

func TestTeaserIsNotKeptOnceTheFullTextArrives(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "j", "enter")
	if !strings.Contains(plain(m), "Nur der Anreißer") {
		t.Fatalf("article without full text:\n%s", plain(m))
	}
	m = press(t, m, "esc")
	// A sync stores the full text meanwhile.
	src.mu.Lock()
	src.articles["9690001"] = fetch.Article{ID: "9690001", Title: "Energiewende: Netzausbau kommt schneller voran als gedacht",
		Body: "Der volle Text über Leitungen und Umspannwerke.", URL: "https://www.heise.de/news/9690001.html"}
	src.items[1].Offline = true
	src.mu.Unlock()
	m = press(t, m, "enter")
	out := plain(m)
	if strings.Contains(out, "Nur der Anreißer") || !strings.Contains(out, "Umspannwerke") {
		t.Errorf("after the full text arrived the reader shows:\n%s", out)
	}
}

func TestHashNumberEntry(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "enter", "#", "1", "x", "4")
	if !strings.Contains(plain(m), "open reference #14") {
		t.Errorf("#14 shows:\n%s", plain(m))
	}
	m = press(t, m, "backspace", "backspace", "2", "enter")
	if !strings.Contains(plain(m), "Phishingradar") || len(src.opened) != 1 || src.opened[0] != radarURL {
		t.Errorf("# 1 4 ⌫ ⌫ 2 enter opened %v:\n%s", src.opened, plain(m))
	}
	m = press(t, m, "esc", "#", "3", "esc")
	if m.reader.typing() || len(src.opened) != 1 {
		t.Errorf("esc does not cancel the number entry (opened %v)", src.opened)
	}
}

func TestTinyAndOddSizes(t *testing.T) {
	for _, keys := range [][]string{nil, {"enter"}, {"enter", "L"}, {"?"}, {"/", "type:x"}, {"enter", "/", "type:phishing", "enter"}} {
		m := start(t, newTestModel(newFake(t), 80, 24))
		m = press(t, m, keys...)
		for _, size := range [][2]int{{1, 1}, {2, 3}, {10, 4}, {20, 5}, {33, 7}, {300, 100}, {80, 24}} {
			m = send(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			v := view(m)
			if got := strings.Count(v, "\n") + 1; got != size[1] {
				t.Errorf("after %v at %dx%d the view has %d lines", keys, size[0], size[1], got)
			}
			for _, l := range strings.Split(v, "\n") {
				if w := ansi.StringWidth(l); w > max(size[0], 1) {
					t.Errorf("after %v at %dx%d a line is %d wide: %q", keys, size[0], size[1], w, ansi.Strip(l))
					break
				}
			}
			m = press(t, m, "j", "k", "G", "g")
		}
	}
}

func TestReaderCopiesTheCanonicalURL(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "enter")
	_, cmd := m.Update(keyMsg("y"))
	if cmd == nil || fmt.Sprint(cmd()) != fmt.Sprint(tea.SetClipboard("https://www.heise.de/-9691259")()) {
		t.Errorf("y in the reader does not copy the canonical URL")
	}
}

func TestTeaserTurnsIntoTheFullTextDuringASync(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "j", "enter")
	if !strings.Contains(plain(m), "Nur der Anreißer") {
		t.Fatalf("article without full text:\n%s", plain(m))
	}
	src.mu.Lock()
	src.articles["9690001"] = fetch.Article{ID: "9690001", Title: "Energiewende: Netzausbau kommt schneller voran als gedacht",
		Body: "Der volle Text über Leitungen und Umspannwerke.", URL: src.items[1].URL}
	src.mu.Unlock()
	m.sync.running = true
	ch := make(chan tea.Msg)
	close(ch)
	// Another article first: nothing happens.
	m = send(t, m, syncEventMsg{ev: fetch.Event{Kind: fetch.EventArticleDone, URL: "https://www.heise.de/news/other-1.html", Done: 1, Total: 2}, next: ch})
	if !strings.Contains(plain(m), "Nur der Anreißer") {
		t.Fatalf("another article's fetch changed the reader:\n%s", plain(m))
	}
	m = send(t, m, syncEventMsg{ev: fetch.Event{Kind: fetch.EventArticleDone, URL: src.items[1].URL, Done: 2, Total: 2}, next: ch})
	out := plain(m)
	if strings.Contains(out, "Nur der Anreißer") || !strings.Contains(out, "Umspannwerke") {
		t.Errorf("after the sync fetched the shown article the reader shows:\n%s", out)
	}
}

// The real source answers an article without full text with a teaser and
// no error. A sync that ends without the full text must not make the reader
// keep that teaser as the article: once a later sync fetched it, opening
// the item shows the full text.
func TestTeaserReloadedAtSyncEndIsNotCachedAsTheArticle(t *testing.T) {
	src := newFake(t)
	src.articles["9690001"] = fetch.Article{ID: "9690001", Title: "Energiewende: Netzausbau kommt schneller voran als gedacht",
		Lead: "Die Bundesnetzagentur meldet Fortschritte.", Notice: "The full text of this article is not in the cache; this is the feed's teaser."}
	m := start(t, newTestModel(src, 80, 24))
	m = press(t, m, "j", "enter")
	if !strings.Contains(plain(m), "not in the cache") {
		t.Fatalf("article without full text:\n%s", plain(m))
	}
	m = send(t, m, syncDoneMsg{}) // the sync ends; the article is still missing
	m = press(t, m, "esc")
	src.mu.Lock()
	src.articles["9690001"] = fetch.Article{ID: "9690001", Title: "Energiewende: Netzausbau kommt schneller voran als gedacht",
		Body: "Der volle Text über Leitungen und Umspannwerke.", URL: src.items[1].URL}
	src.items[1].Offline = true
	src.mu.Unlock()
	m = send(t, m, syncDoneMsg{}) // a later sync fetched it
	m = press(t, m, "enter")
	if out := plain(m); strings.Contains(out, "not in the cache") || !strings.Contains(out, "Umspannwerke") {
		t.Errorf("after a later sync fetched the full text the reader shows:\n%s", out)
	}
}

// failingListSource cannot read the list.
type failingListSource struct{ *fakeSource }

func (s failingListSource) List(context.Context, cache.Query) ([]cache.Item, error) {
	return nil, errors.New("disk on fire")
}

// TestListShowsNothingUntilItsFirstPage: the first frame of the list has
// its rows (or its error), not an empty list that the rows replace a moment
// later.
func TestListShowsNothingUntilItsFirstPage(t *testing.T) {
	m := newTestModel(newFake(t), 80, 24)
	if got := view(m); got != "" {
		t.Errorf("before the first page the view is %q, want nothing", got)
	}
	if m = start(t, m); !strings.Contains(view(m), "Ionos-Phishing") {
		t.Errorf("after the first page the view has no rows:\n%s", view(m))
	}
	m = start(t, newTestModel(failingListSource{newFake(t)}, 80, 24))
	if !strings.Contains(view(m), "disk on fire") {
		t.Errorf("a failed first read shows no error:\n%s", view(m))
	}
}
