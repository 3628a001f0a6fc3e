package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2024, 4, 19, 18, 0, 0, 0, time.UTC)

const (
	heiseFeed   = "https://www.heise.de/rss/heise-atom.xml"
	tpFeed      = "https://www.telepolis.de/news-atom.xml"
	heiseURL    = "https://www.heise.de/news/Ionos-Phishing-Masche-mit-neuen-EU-Richtlinien-soll-Opfer-ueberzeugen-9691259.html"
	radarURL    = "https://www.verbraucherzentrale.de/wissen/digitale-welt/phishingradar/phishingradar-aktuelle-warnungen-6059"
	errNotHTMLs = "not an HTML page"
)

// fakeSource is an in-memory Source. With synthetic > 0 it serves that many
// generated items without holding them, for the big-cache tests.
type fakeSource struct {
	mu        sync.Mutex
	items     []cache.Item // newest first
	synthetic int
	articles  map[string]fetch.Article
	pages     map[string]fetch.Article // OpenURL by URL
	feeds     []cache.FeedInfo

	articleGate chan struct{} // when set, Article waits for it
	syncGate    chan struct{} // when set, Sync waits for it
	syncEvents  []fetch.Event
	syncNew     []cache.Item // prepended by Sync
	syncErr     error

	listCalls, syncCalls int
	overviewCalls        int
	opened               []string // OpenURL calls

	pictures      map[string][]fetch.Picture // stored pictures by entry ID
	pictureCalls  int
	picturesError error
}

func (f *fakeSource) synth(i int) cache.Item {
	it := cache.Item{FeedTitles: []string{"heise online"}, Read: i%3 == 0, Offline: i%2 == 0}
	it.ID = fmt.Sprintf("s%06d", i)
	it.Feed = heiseFeed
	it.Title = fmt.Sprintf("Synthetic article number %d about storage and networks", i)
	it.URL = fmt.Sprintf("https://www.heise.de/news/synthetic-%d.html", i)
	it.Published = testNow.Add(-time.Duration(i) * time.Minute)
	return it
}

func (f *fakeSource) matches(it cache.Item, q cache.Query) bool {
	return (q.Feed == "" || it.Feed == q.Feed) && (!q.Unread || !it.Read) && (!q.Starred || it.Starred) &&
		(q.Match == "" || strings.Contains(strings.ToLower(it.Title), strings.ToLower(q.Match)))
}

func (f *fakeSource) List(ctx context.Context, q cache.Query) ([]cache.Item, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listCalls++
	if q.Limit <= 0 {
		q.Limit = 50
	}
	var out []cache.Item
	if f.synthetic > 0 && q == (cache.Query{Offset: q.Offset, Limit: q.Limit}) {
		for i := q.Offset; i < min(f.synthetic, q.Offset+q.Limit); i++ {
			out = append(out, f.synth(i))
		}
		return out, nil
	}
	skip := q.Offset
	for _, it := range f.items {
		if !f.matches(it, q) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		out = append(out, it)
		if len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

func (f *fakeSource) Count(ctx context.Context, q cache.Query) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.synthetic > 0 && q == (cache.Query{}) {
		return f.synthetic, nil
	}
	n := 0
	for _, it := range f.items {
		if f.matches(it, q) {
			n++
		}
	}
	return n, nil
}

// Overview counts the items of each feed in f.feeds (whose counts it
// ignores) and of all.
func (f *fakeSource) Overview(ctx context.Context) (cache.Overview, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.overviewCalls++
	ov := cache.Overview{Feeds: append([]cache.FeedInfo(nil), f.feeds...)}
	for i := range ov.Feeds {
		fi := &ov.Feeds[i]
		fi.Total, fi.Unread = 0, 0
		for _, it := range f.items {
			if it.Feed == fi.URL {
				fi.Total++
				if !it.Read {
					fi.Unread++
				}
			}
		}
	}
	for _, it := range f.items {
		ov.Total++
		if !it.Read {
			ov.Unread++
		}
	}
	return ov, nil
}

func (f *fakeSource) MarkQueryRead(ctx context.Context, q cache.Query) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q.Unread = true
	var ids []string
	for i := range f.items {
		if f.matches(f.items[i], q) {
			f.items[i].Read = true
			ids = append(ids, f.items[i].ID)
		}
	}
	return ids, nil
}

func (f *fakeSource) SetReadIDs(ctx context.Context, ids []string, read bool) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var changed []string
	for i := range f.items {
		if f.items[i].Read != read && slices.Contains(ids, f.items[i].ID) {
			f.items[i].Read = read
			changed = append(changed, f.items[i].ID)
		}
	}
	return changed, nil
}

func (f *fakeSource) NextUnread(ctx context.Context, q cache.Query, fromID string, backward bool) (cache.Item, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var view []cache.Item
	for _, it := range f.items {
		if f.matches(it, q) {
			view = append(view, it)
		}
	}
	start, d := 0, 1
	if backward {
		start, d = len(view)-1, -1
	}
	if fromID != "" {
		i := slices.IndexFunc(view, func(it cache.Item) bool { return it.ID == fromID })
		if i < 0 {
			return cache.Item{}, 0, fmt.Errorf("entry %s: %w", fromID, cache.ErrNotFound)
		}
		start = i + d
	}
	for i := start; i >= 0 && i < len(view); i += d {
		if !view[i].Read {
			return view[i], i, nil
		}
	}
	return cache.Item{}, 0, fmt.Errorf("next unread: %w", cache.ErrNotFound)
}

func (f *fakeSource) Article(ctx context.Context, id string) (fetch.Article, error) {
	if f.articleGate != nil {
		select {
		case <-f.articleGate:
		case <-ctx.Done():
			return fetch.Article{}, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.articles[id]
	if !ok {
		return fetch.Article{}, fmt.Errorf("article %s: %w", id, cache.ErrNotFound)
	}
	return a, nil
}

func (f *fakeSource) Search(ctx context.Context, query string, limit int) ([]cache.Hit, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var hits []cache.Hit
	for _, it := range f.items {
		text := strings.ToLower(it.Title + " " + it.Summary)
		if i := strings.Index(text, strings.ToLower(query)); i >= 0 {
			hits = append(hits, cache.Hit{Item: it, Snippet: "…" + it.Summary + "…"})
		}
	}
	return hits, nil
}

func (f *fakeSource) setFlag(id string, set func(*cache.Item)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.items {
		if f.items[i].ID == id {
			set(&f.items[i])
			return nil
		}
	}
	return fmt.Errorf("entry %s: %w", id, cache.ErrNotFound)
}

func (f *fakeSource) SetRead(ctx context.Context, id string, read bool) error {
	return f.setFlag(id, func(it *cache.Item) { it.Read = read })
}

func (f *fakeSource) SetStarred(ctx context.Context, id string, starred bool) error {
	return f.setFlag(id, func(it *cache.Item) { it.Starred = starred })
}

// Pictures returns the stored pictures of an entry.
func (f *fakeSource) Pictures(ctx context.Context, id string) ([]fetch.Picture, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pictureCalls++
	if f.picturesError != nil {
		return nil, f.picturesError
	}
	return f.pictures[id], nil
}

func (f *fakeSource) OpenURL(ctx context.Context, u string) (fetch.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened = append(f.opened, u)
	if a, ok := f.pages[u]; ok {
		return a, nil
	}
	return fetch.Article{}, errors.New(errNotHTMLs)
}

func (f *fakeSource) Sync(ctx context.Context, feeds []string, progress func(fetch.Event)) (fetch.Summary, error) {
	f.mu.Lock()
	f.syncCalls++
	f.mu.Unlock()
	if f.syncGate != nil {
		select {
		case <-f.syncGate:
		case <-ctx.Done():
			return fetch.Summary{}, ctx.Err()
		}
	}
	f.mu.Lock()
	f.items = append(append([]cache.Item(nil), f.syncNew...), f.items...)
	events := f.syncEvents
	f.mu.Unlock()
	var sum fetch.Summary
	for _, ev := range events {
		progress(ev)
		if ev.Kind == fetch.EventFeedDone {
			if ev.Err != nil {
				sum.FeedsFailed++
				sum.Failures = append(sum.Failures, fetch.Failure{Feed: ev.Feed, Err: ev.Err})
			} else {
				sum.FeedsOK++
			}
			sum.NewEntries += ev.New
		}
	}
	return sum, f.syncErr
}

// extractPage parses a saved page with the real extractor.
func extractPage(t testing.TB, path, pageURL string) fetch.Article {
	t.Helper()
	name := filepath.Base(path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := fetch.Extract(pageURL, b)
	if err != nil {
		t.Fatalf("Extract(%s): %v", name, err)
	}
	return a
}

// newFake returns a source with the real heise article as the newest item,
// a few older ones from two feeds, and the page of reference [2].
func newFake(t testing.TB) *fakeSource {
	t.Helper()
	// The real heise page lives with the extractor's fixtures.
	heise := extractPage(t, filepath.Join("..", "fetch", "testdata", "pages", "heise-news-9691259-2024.html"), heiseURL)
	radar := extractPage(t, filepath.Join("testdata", "pages", "ref-page.html"), radarURL)
	f := &fakeSource{
		articles: map[string]fetch.Article{heise.ID: heise},
		pages:    map[string]fetch.Article{radarURL: radar},
		feeds: []cache.FeedInfo{
			{URL: heiseFeed, Title: "heise online", Total: 4, Unread: 3},
			{URL: tpFeed, Title: "Telepolis", Total: 2, Unread: 2},
		},
	}
	add := func(id, feed, feedTitle, title, summary string, age time.Duration, read, starred, offline, paywalled bool) {
		it := cache.Item{FeedTitles: []string{feedTitle}, Read: read, Starred: starred, Offline: offline}
		it.ID, it.Feed, it.Title, it.Summary = id, feed, title, summary
		it.URL = "https://www.heise.de/news/" + id + ".html"
		it.Published = testNow.Add(-age)
		it.Paywalled = paywalled
		f.items = append(f.items, it)
	}
	add(heise.ID, heiseFeed, "heise online", heise.Title, heise.Lead, 4*time.Hour, false, false, true, false)
	f.items[0].URL = heiseURL
	f.items[0].Author = "Dirk Knop"
	add("9690001", tpFeed, "Telepolis", "Energiewende: Netzausbau kommt schneller voran als gedacht", "Die Bundesnetzagentur meldet Fortschritte.", 5*time.Hour, false, false, false, false)
	add("9690002", heiseFeed, "heise online", "heise+ | Test: Die besten NAS-Systeme für zu Hause", "Zehn Geräte im Vergleich.", 26*time.Hour, false, true, true, true)
	add("9690003", heiseFeed, "heise online", "Missing Link: Wie Phishing-Mails entstehen", "Ein Blick hinter die Kulissen.", 50*time.Hour, true, false, false, false)
	add("9690004", tpFeed, "Telepolis", "Kommentar: Die Zukunft des Radios", "Ein Essay.", 400*24*time.Hour, true, false, false, false)
	add("9690005", heiseFeed, "heise online", "Linux 6.9 freigegeben: Die wichtigsten Neuerungen", "Kernel-Log.", 72*time.Hour, false, false, false, false)
	return f
}

// newTestModel builds a UI over src at w×h with the ASCII article style.
func newTestModel(src Source, w, h int, opts ...func(*Options)) Model {
	o := Options{Width: w, Height: h, ASCII: true, NoColor: true, Now: func() time.Time { return testNow }, Renderer: NewRenderer(),
		Browser: func(string) error { return errors.New("no browser in tests") }}
	for _, f := range opts {
		f(&o)
	}
	return New(src, o)
}

// send gives msg to m and runs the commands that follow, feeding their
// messages back, until none are left.
func send(t testing.TB, m Model, msg tea.Msg) Model {
	t.Helper()
	nm, cmd := m.Update(msg)
	return runCmds(t, nm.(Model), cmd)
}

// runCmds runs cmd and everything it leads to.
func runCmds(t testing.TB, m Model, cmd tea.Cmd) Model {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatal("runCmds: commands do not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil, tea.QuitMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			nm, next := m.Update(msg)
			m = nm.(Model)
			queue = append(queue, next)
		}
	}
	return m
}

// start runs Init's commands.
func start(t testing.TB, m Model) Model {
	t.Helper()
	return runCmds(t, m, m.Init())
}

// press sends key presses, one per argument ("enter", "G", "shift+tab", or
// several printable runes typed one by one when prefixed with "type:").
func press(t testing.TB, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		if s, ok := strings.CutPrefix(k, "type:"); ok {
			for _, r := range s {
				m = send(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		m = send(t, m, keyMsg(k))
	}
	return m
}

// keyMsg is the key press that bubbletea reports for k.
func keyMsg(k string) tea.KeyPressMsg {
	named := map[string]tea.KeyPressMsg{
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"down":      {Code: tea.KeyDown},
		"up":        {Code: tea.KeyUp},
		"space":     {Code: tea.KeySpace, Text: " "},
		"backspace": {Code: tea.KeyBackspace},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	}
	if msg, ok := named[k]; ok {
		return msg
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// view is the screen's text.
func view(m Model) string { return m.View().Content }
