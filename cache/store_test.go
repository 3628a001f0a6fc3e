package cache_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

const (
	heiseFeed = "https://www.heise.de/rss/heise-atom.xml"
	tpFeed    = "https://www.telepolis.de/news-atom.xml"
)

var t0 = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

func openTemp(t *testing.T) (*cache.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "kiosk.db")
	s, err := cache.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open(%s) = %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.CheckReadState(context.Background()); err != nil {
			t.Error(err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, path
}

func entry(id, title string, published time.Time) fetch.Entry {
	return fetch.Entry{
		ID: id, Feed: heiseFeed, GUID: "http://heise.de/-" + id,
		URL:   "https://www.heise.de/news/Artikel-" + id + ".html",
		Title: title, Summary: "Anreißer zu " + title, Author: "Jane Doe",
		Published: published, Updated: published, Image: "https://heise.cloudimg.io/" + id + ".jpg",
	}
}

func saveFeed(t *testing.T, s *cache.Store, feed, title string, at time.Time, entries ...fetch.Entry) []string {
	t.Helper()
	ids, err := s.SaveFeed(t.Context(), fetch.FeedResult{
		Feed:    fetch.Feed{URL: feed, Title: title, ETag: `"e1"`, LastModified: "Fri, 20 Nov 2026 08:00:00 GMT"},
		Entries: entries, FetchedAt: at,
	})
	if err != nil {
		t.Fatalf("SaveFeed(%s) = %v", feed, err)
	}
	return ids
}

func article(id, title, body string) *fetch.Article {
	return &fetch.Article{
		ID: id, URL: "https://www.heise.de/news/Artikel-" + id + ".html", CanonicalURL: "https://www.heise.de/-" + id,
		Site: "heise online", Title: title, Kicker: "Dachzeile", Lead: "Der Vorspann von " + title + ".",
		Authors: []string{"Jane Doe", "Max Mustermann"}, Published: t0, Modified: t0.Add(time.Hour),
		ReadingTime: "2 Min.",
		Hero:        &fetch.Figure{Image: "https://heise.cloudimg.io/hero.jpg", Alt: "Bild", Caption: "Ein Bild", Credit: "heise", Ref: 2},
		Figures:     []fetch.Figure{{Image: "https://heise.cloudimg.io/f.jpg", Caption: "Grafik"}},
		Body:        body,
		References:  []fetch.Reference{{N: 1, URL: "https://example.org/", Text: "Quelle"}, {N: 2, URL: "https://heise.cloudimg.io/hero.jpg", Image: true}},
		Rule:        "heise",
	}
}

func saveArticle(t *testing.T, s *cache.Store, a *fetch.Article) {
	t.Helper()
	if err := s.SaveArticles(t.Context(), []fetch.ArticleResult{{EntryID: a.ID, Article: a, FetchedAt: t0}}); err != nil {
		t.Fatalf("SaveArticles(%s) = %v", a.ID, err)
	}
}

func listIDs(t *testing.T, s *cache.Store, q cache.Query) []string {
	t.Helper()
	items, err := s.List(t.Context(), q)
	if err != nil {
		t.Fatalf("List(%+v) = %v", q, err)
	}
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

func TestSaveLoadCompare(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	e1 := entry("1001", "Erster Artikel über Straßenbahnen", t0)
	e2 := entry("1002", "Zweiter Artikel", t0.Add(time.Hour))
	e2.Paywalled = true
	ids := saveFeed(t, s, heiseFeed, "heise online", t0.Add(2*time.Hour), e1, e2)
	if want := []string{"1001", "1002"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("SaveFeed new IDs = %v, want %v", ids, want)
	}
	a := article("1001", e1.Title, "## Zwischentitel\n\nDer Text mit einem Link [1].\n\n> Ein Zitat\n")
	saveArticle(t, s, a)

	got, err := s.Article(ctx, "1001")
	if err != nil {
		t.Fatalf("Article(1001) = %v", err)
	}
	if !got.Published.Equal(a.Published) || !got.Modified.Equal(a.Modified) {
		t.Errorf("Article times = %v, %v; want %v, %v", got.Published, got.Modified, a.Published, a.Modified)
	}
	got.Published, got.Modified = a.Published, a.Modified
	if !reflect.DeepEqual(got, *a) {
		t.Errorf("Article(1001) =\n%+v\nwant\n%+v", got, *a)
	}
	if _, err := s.Article(ctx, "1002"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("Article(1002) without article: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Article(ctx, "nope"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("Article(nope): err = %v, want ErrNotFound", err)
	}

	it, err := s.Item(ctx, "1001")
	if err != nil {
		t.Fatalf("Item(1001) = %v", err)
	}
	want := e1
	if !it.Published.Equal(want.Published) || !it.Updated.Equal(want.Updated) {
		t.Errorf("Item times = %v %v, want %v", it.Published, it.Updated, want.Published)
	}
	it.Entry.Published, it.Entry.Updated = want.Published, want.Updated
	if !reflect.DeepEqual(it.Entry, want) {
		t.Errorf("Item(1001).Entry =\n%+v\nwant\n%+v", it.Entry, want)
	}
	if !it.Offline || it.Read || it.Starred || it.ArticleErr != "" || !reflect.DeepEqual(it.FeedTitles, []string{"heise online"}) {
		t.Errorf("Item(1001) flags = offline %v read %v starred %v err %q feeds %v", it.Offline, it.Read, it.Starred, it.ArticleErr, it.FeedTitles)
	}
	if !it.FirstSeen.Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("Item(1001).FirstSeen = %v, want %v", it.FirstSeen, t0.Add(2*time.Hour))
	}
	it2, err := s.Item(ctx, "1002")
	if err != nil {
		t.Fatalf("Item(1002) = %v", err)
	}
	if it2.Offline || !it2.Paywalled {
		t.Errorf("Item(1002) offline %v paywalled %v, want false true", it2.Offline, it2.Paywalled)
	}
	if _, err := s.Item(ctx, "nope"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("Item(nope): err = %v, want ErrNotFound", err)
	}

	st, err := s.FeedState(ctx, heiseFeed)
	if err != nil || st.ETag != `"e1"` || st.LastModified != "Fri, 20 Nov 2026 08:00:00 GMT" {
		t.Errorf("FeedState = %+v, %v", st, err)
	}
	if st, err := s.FeedState(ctx, "https://unknown.example/feed"); err != nil || st != (fetch.FeedState{}) {
		t.Errorf("FeedState(unknown) = %+v, %v; want zero, nil", st, err)
	}
	if got := listIDs(t, s, cache.Query{}); !reflect.DeepEqual(got, []string{"1002", "1001"}) {
		t.Errorf("List = %v, want newest first [1002 1001]", got)
	}
}

func TestStateSurvivesResync(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	e := entry("2001", "Titel", t0)
	saveFeed(t, s, heiseFeed, "heise online", t0, e)
	saveArticle(t, s, article("2001", "Titel", "Alter Text"))
	if err := s.SetRead(ctx, "2001", true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, "2001", true); err != nil {
		t.Fatal(err)
	}
	before, err := s.Item(ctx, "2001")
	if err != nil {
		t.Fatal(err)
	}

	// The same entry again: nothing new, nothing pending, state kept.
	if ids := saveFeed(t, s, heiseFeed, "heise online", t0.Add(time.Hour), e); len(ids) != 0 {
		t.Errorf("re-sync new IDs = %v, want none", ids)
	}
	pending, err := s.PendingArticles(ctx, nil, 3)
	if err != nil || len(pending) != 0 {
		t.Errorf("PendingArticles after unchanged re-sync = %v, %v; want none", pending, err)
	}

	// An updated entry: article stale, state kept.
	e.Title = "Titel (Update)"
	e.Updated = t0.Add(2 * time.Hour)
	saveFeed(t, s, heiseFeed, "heise online", t0.Add(2*time.Hour), e)
	pending, err = s.PendingArticles(ctx, nil, 3)
	if err != nil || len(pending) != 1 || pending[0].ID != "2001" || pending[0].Title != "Titel (Update)" {
		t.Fatalf("PendingArticles after update = %+v, %v; want [2001] with the new title", pending, err)
	}
	after, err := s.Item(ctx, "2001")
	if err != nil {
		t.Fatal(err)
	}
	if !after.Read || !after.Starred || !after.ReadAt.Equal(before.ReadAt) || !after.StarredAt.Equal(before.StarredAt) || !after.Offline {
		t.Errorf("after update: read %v %v starred %v %v offline %v; want state kept", after.Read, after.ReadAt, after.Starred, after.StarredAt, after.Offline)
	}
	// A new body replaces the old one, state still kept.
	saveArticle(t, s, article("2001", "Titel (Update)", "Neuer Text"))
	a, err := s.Article(ctx, "2001")
	if err != nil || a.Body != "Neuer Text" {
		t.Errorf("Article after update = %q, %v; want the new body", a.Body, err)
	}
	if hits, err := s.Search(ctx, "Alter", 10); err != nil || len(hits) != 0 {
		t.Errorf("Search(old body word) = %v, %v; want nothing", hits, err)
	}
	if hits, err := s.Search(ctx, "Neuer", 10); err != nil || len(hits) != 1 {
		t.Errorf("Search(new body word) = %v, %v; want one hit", hits, err)
	}
	after, err = s.Item(ctx, "2001")
	if err != nil || !after.Read || !after.Starred {
		t.Errorf("after new body: %+v, %v; want read and starred", after, err)
	}
	if pending, err := s.PendingArticles(ctx, nil, 3); err != nil || len(pending) != 0 {
		t.Errorf("PendingArticles after new body = %v, %v; want none", pending, err)
	}
	// Unmark.
	if err := s.SetRead(ctx, "2001", false); err != nil {
		t.Fatal(err)
	}
	if it, _ := s.Item(ctx, "2001"); it.Read || !it.ReadAt.IsZero() {
		t.Errorf("after SetRead(false): read %v at %v", it.Read, it.ReadAt)
	}
	if err := s.SetRead(ctx, "nope", true); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("SetRead(nope) = %v, want ErrNotFound", err)
	}
}

func TestDedupeAcrossFeeds(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	shared := entry("3001", "In beiden Feeds", t0)
	saveFeed(t, s, heiseFeed, "heise online", t0, shared, entry("3002", "Nur heise", t0.Add(time.Minute)))
	tp := shared
	tp.Feed = tpFeed
	tp.URL = "https://www.telepolis.de/features/In-beiden-Feeds-3001.html"
	if ids := saveFeed(t, s, tpFeed, "", t0.Add(time.Hour), tp, entry("3003", "Nur Telepolis", t0.Add(2*time.Minute))); !reflect.DeepEqual(ids, []string{"3003"}) {
		t.Errorf("second feed new IDs = %v, want [3003]", ids)
	}
	if n, err := s.Count(ctx, cache.Query{}); err != nil || n != 3 {
		t.Errorf("Count = %d, %v; want 3", n, err)
	}
	it, err := s.Item(ctx, "3001")
	if err != nil {
		t.Fatal(err)
	}
	if it.Feed != heiseFeed || !reflect.DeepEqual(it.FeedTitles, []string{"heise online", tpFeed}) {
		t.Errorf("Item(3001) feed %q titles %v; want first feed heise and both titles", it.Feed, it.FeedTitles)
	}
	if got := listIDs(t, s, cache.Query{Feed: tpFeed}); !reflect.DeepEqual(got, []string{"3003", "3001"}) {
		t.Errorf("List(telepolis) = %v, want [3003 3001]", got)
	}
	if got := listIDs(t, s, cache.Query{Feed: heiseFeed}); !reflect.DeepEqual(got, []string{"3002", "3001"}) {
		t.Errorf("List(heise) = %v, want [3002 3001]", got)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 2 {
		t.Fatalf("Feeds = %+v, %v", feeds, err)
	}
	for _, f := range feeds {
		if f.Total != 2 || f.Unread != 2 || !f.LastFetch.After(t0.Add(-time.Second)) {
			t.Errorf("feed %s: total %d unread %d last %v; want 2 2", f.URL, f.Total, f.Unread, f.LastFetch)
		}
	}
	// Alternating syncs of the two feeds keep the first feed's version and
	// do not make the article pending again; a newer version from the
	// second feed wins.
	saveArticle(t, s, article("3001", shared.Title, "Text"))
	for i := range 3 {
		saveFeed(t, s, heiseFeed, "heise online", t0.Add(time.Duration(2+i)*time.Hour), shared)
		saveFeed(t, s, tpFeed, "Telepolis", t0.Add(time.Duration(2+i)*time.Hour), tp)
	}
	if p, err := s.PendingArticles(ctx, []string{heiseFeed, tpFeed}, 3); err != nil || len(p) != 2 || p[0].ID != "3003" || p[1].ID != "3002" {
		t.Errorf("PendingArticles after alternating syncs = %v, %v; want only 3003 and 3002", p, err)
	}
	if it, err := s.Item(ctx, "3001"); err != nil || it.URL != shared.URL {
		t.Errorf("Item(3001).URL = %q, %v; want the first feed's %q", it.URL, err, shared.URL)
	}
	tp.Title, tp.Updated = "In beiden Feeds (aktualisiert)", t0.Add(time.Hour)
	saveFeed(t, s, tpFeed, "Telepolis", t0.Add(6*time.Hour), tp)
	saveFeed(t, s, heiseFeed, "heise online", t0.Add(6*time.Hour), shared)
	if it, err := s.Item(ctx, "3001"); err != nil || it.Title != tp.Title || it.URL != tp.URL {
		t.Errorf("Item(3001) = %q %q, %v; want the newer version from the second feed", it.Title, it.URL, err)
	}
	if hits, err := s.Search(ctx, "aktualisiert", 5); err != nil || len(hits) != 1 {
		t.Errorf("Search(new title word) = %d hits, %v", len(hits), err)
	}
	if got := listIDs(t, s, cache.Query{Feed: tpFeed}); !reflect.DeepEqual(got, []string{"3003", "3001"}) {
		t.Errorf("List(telepolis) after updates = %v, want [3003 3001]", got)
	}

	// Removing one feed keeps the shared entry and drops the other's own.
	if err := s.RemoveFeed(ctx, heiseFeed); err != nil {
		t.Fatal(err)
	}
	if got := listIDs(t, s, cache.Query{}); !reflect.DeepEqual(got, []string{"3003", "3001"}) {
		t.Errorf("after RemoveFeed: List = %v, want [3003 3001]", got)
	}
	if it, err := s.Item(ctx, "3001"); err != nil || it.Feed != tpFeed {
		t.Errorf("after RemoveFeed: Item(3001).Feed = %q, %v; want %s", it.Feed, err, tpFeed)
	}
	if err := s.RemoveFeed(ctx, heiseFeed); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("RemoveFeed(again) = %v, want ErrNotFound", err)
	}
}

func TestRemoveFeedKeepsStarred(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("3101", "Gemerkt", t0), entry("3102", "Weg", t0))
	if err := s.SetStarred(ctx, "3101", true); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, heiseFeed); err != nil {
		t.Fatal(err)
	}
	if got := listIDs(t, s, cache.Query{}); !reflect.DeepEqual(got, []string{"3101"}) {
		t.Errorf("after RemoveFeed: List = %v, want the starred [3101]", got)
	}
	if hits, err := s.Search(ctx, "Weg", 5); err != nil || len(hits) != 0 {
		t.Errorf("Search(removed) = %v, %v; want none", hits, err)
	}
}

func TestDuplicateInOneFeedKeepsNewest(t *testing.T) {
	s, _ := openTemp(t)
	old := entry("4001", "Alte Fassung", t0)
	newer := entry("4001", "Neue Fassung", t0.Add(time.Hour))
	ids := saveFeed(t, s, heiseFeed, "heise online", t0, old, newer, entry("", "ohne ID", t0))
	if !reflect.DeepEqual(ids, []string{"4001"}) {
		t.Errorf("new IDs = %v, want [4001]", ids)
	}
	it, err := s.Item(t.Context(), "4001")
	if err != nil || it.Title != "Neue Fassung" {
		t.Errorf("Item(4001).Title = %q, %v; want the newest", it.Title, err)
	}
	if n, _ := s.Count(t.Context(), cache.Query{}); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
}

func TestFeedErrorAndNotModified(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("5001", "Eins", t0))
	if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: heiseFeed}, Err: errors.New("fetch feed: 503 Service Unavailable"), FetchedAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 1 {
		t.Fatalf("Feeds = %v, %v", feeds, err)
	}
	if f := feeds[0]; f.LastError != "fetch feed: 503 Service Unavailable" || !f.LastFetch.Equal(t0) || f.Title != "heise online" || f.Total != 1 {
		t.Errorf("after error: %+v; want the error recorded, the rest untouched", f)
	}
	if st, _ := s.FeedState(ctx, heiseFeed); st.ETag != `"e1"` {
		t.Errorf("after error: ETag %q, want kept", st.ETag)
	}
	ids, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: heiseFeed}, NotModified: true, FetchedAt: t0.Add(2 * time.Hour)})
	if err != nil || len(ids) != 0 {
		t.Fatalf("SaveFeed(not modified) = %v, %v", ids, err)
	}
	feeds, _ = s.Feeds(ctx)
	if f := feeds[0]; !f.LastFetch.Equal(t0.Add(2*time.Hour)) || f.LastError != "" || f.Total != 1 {
		t.Errorf("after not modified: %+v", f)
	}
	// An error for a feed never fetched creates it with the error.
	if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: tpFeed}, Err: errors.New("dns")}); err != nil {
		t.Fatal(err)
	}
	feeds, _ = s.Feeds(ctx)
	if len(feeds) != 2 {
		t.Errorf("Feeds after new failing feed = %+v", feeds)
	}
}

func TestZeroPublishedUsesFirstSeen(t *testing.T) {
	s, _ := openTemp(t)
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("6001", "Mit Datum", t0.Add(-time.Hour)))
	saveFeed(t, s, tpFeed, "Telepolis", t0.Add(time.Minute), entry("6002", "Ohne Datum A", time.Time{}), entry("6003", "Ohne Datum B", time.Time{}))
	if got := listIDs(t, s, cache.Query{}); !reflect.DeepEqual(got, []string{"6002", "6003", "6001"}) {
		t.Errorf("List = %v, want [6002 6003 6001] (first seen, feed order)", got)
	}
}

func TestArticleFailuresAndPending(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("7001", "A", t0), entry("7002", "B", t0.Add(time.Hour)))
	saveFeed(t, s, tpFeed, "Telepolis", t0, entry("7003", "C", t0.Add(2*time.Hour)))
	pend := func(feeds []string, max int) []string {
		t.Helper()
		es, err := s.PendingArticles(ctx, feeds, max)
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{}
		for _, e := range es {
			ids = append(ids, e.ID)
		}
		return ids
	}
	if got := pend(nil, 2); !reflect.DeepEqual(got, []string{"7003", "7002", "7001"}) {
		t.Errorf("pending = %v, want newest first", got)
	}
	if got := pend([]string{heiseFeed}, 2); !reflect.DeepEqual(got, []string{"7002", "7001"}) {
		t.Errorf("pending(heise) = %v", got)
	}
	fail := []fetch.ArticleResult{{EntryID: "7001", Err: errors.New("fetch article: 500")}, {EntryID: "gone", Err: errors.New("x")}}
	for range 2 {
		if err := s.SaveArticles(ctx, fail); err != nil {
			t.Fatal(err)
		}
	}
	if got := pend(nil, 2); !reflect.DeepEqual(got, []string{"7003", "7002"}) {
		t.Errorf("pending after 2 failures (max 2) = %v, want 7001 left out", got)
	}
	if got := pend(nil, 3); !reflect.DeepEqual(got, []string{"7003", "7002", "7001"}) {
		t.Errorf("pending (max 3) = %v", got)
	}
	it, _ := s.Item(ctx, "7001")
	if it.ArticleErr != "fetch article: 500" || it.Offline {
		t.Errorf("Item(7001) err %q offline %v", it.ArticleErr, it.Offline)
	}
	saveArticle(t, s, article("7001", "A", "Text"))
	it, _ = s.Item(ctx, "7001")
	if it.ArticleErr != "" || !it.Offline {
		t.Errorf("after success: err %q offline %v", it.ArticleErr, it.Offline)
	}
	// A failure after a success keeps the body.
	if err := s.SaveArticles(ctx, fail[:1]); err != nil {
		t.Fatal(err)
	}
	if a, err := s.Article(ctx, "7001"); err != nil || a.Body != "Text" {
		t.Errorf("Article after a later failure = %q, %v", a.Body, err)
	}
}

func TestPruneKeepsStarred(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	now := t0.AddDate(0, 0, 200)
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("8001", "alt", t0), entry("8002", "alt gemerkt", t0))
	saveFeed(t, s, tpFeed, "Telepolis", now, entry("8003", "neu", now.Add(-time.Hour)), entry("8004", "alt aber noch im Feed", t0))
	saveArticle(t, s, article("8001", "alt", "Körper"))
	if err := s.SetStarred(ctx, "8002", true); err != nil {
		t.Fatal(err)
	}
	n, err := s.Prune(ctx, 180, now)
	if err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1", n, err)
	}
	if got := listIDs(t, s, cache.Query{}); !reflect.DeepEqual(got, []string{"8003", "8004", "8002"}) {
		t.Errorf("after Prune: List = %v, want [8003 8004 8002]", got)
	}
	if _, err := s.Article(ctx, "8001"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("Article(pruned) = %v, want ErrNotFound", err)
	}
	if hits, err := s.Search(ctx, "Körper", 5); err != nil || len(hits) != 0 {
		t.Errorf("Search(pruned body) = %v, %v; want none", hits, err)
	}
	if n, err := s.Prune(ctx, 0, now); n != 0 || err != nil {
		t.Errorf("Prune(0 days) = %d, %v; want 0, nil", n, err)
	}
}

// A feed that has not changed for longer than keep_days answers 304 at
// every sync; the entries it still lists must stay, or the next change of
// the feed brings them back as new and unread.
func TestPruneKeepsEntriesOfUnchangedFeed(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	now := t0.AddDate(0, 0, 200)
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("8001", "alt, noch im Feed", t0))
	saveFeed(t, s, tpFeed, "Telepolis", t0, entry("8002", "alt, Feed wird nicht mehr abgerufen", t0))
	if err := s.SetRead(ctx, "8001", true); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{t0.AddDate(0, 0, 100), now} {
		if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: heiseFeed}, NotModified: true, FetchedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Prune(ctx, 180, now)
	if err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1 (the entry of the feed no longer fetched)", n, err)
	}
	if got := listIDs(t, s, cache.Query{}); !reflect.DeepEqual(got, []string{"8001"}) {
		t.Errorf("after Prune: List = %v, want [8001]", got)
	}
	ids := saveFeed(t, s, heiseFeed, "heise online", now, entry("8003", "neu", now), entry("8001", "alt, noch im Feed", t0))
	if !reflect.DeepEqual(ids, []string{"8003"}) {
		t.Errorf("new IDs after the feed changed = %v, want [8003]", ids)
	}
	if it, err := s.Item(ctx, "8001"); err != nil || !it.Read {
		t.Errorf("Item(8001) = read %v, %v; want it still read", it.Read, err)
	}
}

// Two feeds list one entry; the one fetched earlier is stored last (the
// sync stores feeds as they finish). The entry's last_seen must not go back
// to that earlier time, or the other feed, unchanged since, no longer
// protects it from Prune.
func TestPruneKeepsSharedEntryOfUnchangedFeed(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	now := t0.AddDate(0, 0, 200)
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("8001", "geteilt", t0))
	saveFeed(t, s, tpFeed, "Telepolis", t0.Add(-10*time.Second), entry("8001", "geteilt", t0))
	if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: heiseFeed}, NotModified: true, FetchedAt: now}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(ctx, 180, now); err != nil || n != 0 {
		t.Fatalf("Prune = %d, %v; want 0: heise online still lists 8001", n, err)
	}
}

func TestListFilters(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	var es []fetch.Entry
	for i := range 10 {
		es = append(es, entry(string(rune('a'+i)), "Meldung Nummer "+string(rune('A'+i)), t0.Add(time.Duration(i)*time.Minute)))
	}
	es[3].Title = "ÜBERTRAGUNG im Fernsehen"
	saveFeed(t, s, heiseFeed, "heise online", t0, es...)
	for _, id := range []string{"a", "b", "c"} {
		if err := s.SetRead(ctx, id, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetStarred(ctx, "b", true); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    cache.Query
		want []string
	}{
		{cache.Query{Limit: 3}, []string{"j", "i", "h"}},
		{cache.Query{Limit: 3, Offset: 8}, []string{"b", "a"}},
		{cache.Query{Unread: true, Offset: 5}, []string{"e", "d"}},
		{cache.Query{Starred: true}, []string{"b"}},
		{cache.Query{Match: "übertragung"}, []string{"d"}},
		{cache.Query{Match: "nummer c"}, []string{"c"}},
		{cache.Query{Feed: tpFeed}, []string{}},
		{cache.Query{Feed: heiseFeed, Unread: true, Limit: 2}, []string{"j", "i"}},
	}
	for _, tt := range tests {
		if got := listIDs(t, s, tt.q); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("List(%+v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if n, err := s.Count(ctx, cache.Query{Unread: true, Limit: 1}); err != nil || n != 7 {
		t.Errorf("Count(unread) = %d, %v; want 7", n, err)
	}
}

func TestFeedUnreadCounts(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("9001", "Eins", t0), entry("9002", "Zwei", t0.Add(time.Minute)))
	if err := s.SetRead(ctx, "9001", true); err != nil {
		t.Fatal(err)
	}
	// 9001 joins a second feed after it was read; 9002 is read after.
	saveFeed(t, s, tpFeed, "Telepolis", t0, entry("9001", "Eins", t0), entry("9002", "Zwei", t0.Add(time.Minute)), entry("9003", "Drei", t0))
	if err := s.SetRead(ctx, "9002", true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRead(ctx, "9003", true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRead(ctx, "9003", false); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 2 {
		t.Fatalf("Feeds = %+v, %v", feeds, err)
	}
	want := map[string][2]int{heiseFeed: {2, 0}, tpFeed: {3, 1}}
	for _, f := range feeds {
		if got := [2]int{f.Total, f.Unread}; got != want[f.URL] {
			t.Errorf("feed %s: total, unread = %v, want %v", f.URL, got, want[f.URL])
		}
	}
	if got := listIDs(t, s, cache.Query{Feed: tpFeed, Unread: true}); !reflect.DeepEqual(got, []string{"9003"}) {
		t.Errorf("List(telepolis, unread) = %v, want [9003]", got)
	}
	if n, err := s.Count(ctx, cache.Query{Feed: heiseFeed, Unread: true}); err != nil || n != 0 {
		t.Errorf("Count(heise, unread) = %d, %v; want 0", n, err)
	}
}

func TestIDByURL(t *testing.T) {
	ctx := t.Context()
	s, err := cache.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	entry := fetch.Entry{ID: fetch.StableID("", "urn:guid:7", ""), GUID: "urn:guid:7", URL: "https://blog.example.org/post-7", Title: "Post"}
	if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: "https://blog.example.org/feed"}, Entries: []fetch.Entry{entry}, FetchedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"https://blog.example.org/post-7", "https://blog.example.org/post-7?utm_source=x#top"} {
		if id, err := s.IDByURL(ctx, u); err != nil || id != entry.ID {
			t.Errorf("IDByURL(%q) = %q, %v; want %q", u, id, err, entry.ID)
		}
	}
	if _, err := s.IDByURL(ctx, "https://blog.example.org/other"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("IDByURL(unknown) = %v, want ErrNotFound", err)
	}
}
