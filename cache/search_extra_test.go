package cache

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// TestSearchFindsCaptionsCreditsAuthors is issue 10's search point: a word
// only in the hero caption (the README's 'Fernseh*'), the credit, the
// kicker or an author's name finds its article; replacing or pruning the
// article keeps the index consistent.
func TestSearchFindsCaptionsCreditsAuthors(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const feed = "https://www.telepolis.de/news-atom.xml"
	if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: feed}, FetchedAt: time.Now(),
		Entries: []fetch.Entry{{ID: "9675153", Feed: feed, URL: "https://www.telepolis.de/-9675153", Title: "Schoigu-Anruf", Summary: "Teaser"}}}); err != nil {
		t.Fatal(err)
	}
	a := fetch.Article{ID: "9675153", Title: "Schoigu-Anruf", Lead: "Vorspann", Kicker: "Ukraine-Krieg", Authors: []string{"Bernd Müller"},
		Hero: &fetch.Figure{Image: "https://x.example/a.jpg", Caption: "Fernsehübertragung aus Moskau", Credit: "Hadrian / Shutterstock.com"},
		Body: "Der Text."}
	save := func(a fetch.Article) {
		t.Helper()
		if err := s.SaveArticles(ctx, []fetch.ArticleResult{{EntryID: "9675153", Article: &a, FetchedAt: time.Now()}}); err != nil {
			t.Fatal(err)
		}
	}
	save(a)
	for _, q := range []string{"Fernseh*", "Fernsehuebertragung", "Shutterstock", "Hadrian", "Ukraine-Krieg", "Müller", "Vorspann"} {
		if hits, err := s.Search(ctx, q, 5); err != nil || len(hits) != 1 {
			t.Errorf("Search(%q) = %d hits, %v; want the article", q, len(hits), err)
		}
	}
	// A new version of the article without the caption: the old words go.
	a.Hero.Caption, a.Authors = "Ein anderes Bild", nil
	save(a)
	for q, want := range map[string]int{"Fernseh*": 0, "Müller": 0, "anderes": 1, "Hadrian": 1} {
		if hits, err := s.Search(ctx, q, 5); err != nil || len(hits) != want {
			t.Errorf("after the update, Search(%q) = %d hits, %v; want %d", q, len(hits), err, want)
		}
	}
	checkIndexIntegrity(t, s.db)
}

// TestMigrateSearchExtra builds a version 6 cache with an article whose
// caption is not indexed and checks that Open makes it searchable.
func TestMigrateSearchExtra(t *testing.T) {
	ctx := t.Context()
	path, db := cacheAtVersion(t, 6)
	now := time.Now().UnixNano()
	_, err := db.ExecContext(ctx, `
		INSERT INTO feeds(id, url, title) VALUES (1, 'https://www.telepolis.de/news-atom.xml', 'Telepolis');
		INSERT INTO entries(id, uid, feed_id, url, title, summary, first_seen, last_seen, sort_time, has_article)
			VALUES (1, '9675153', 1, 'https://www.telepolis.de/-9675153', 'Schoigu-Anruf', 'Teaser', ?1, ?1, ?1, 1),
			       (2, '9675154', 1, 'https://www.telepolis.de/-9675154', 'Ohne Bild', 'Teaser', ?1, ?1, ?1, 1);
		INSERT INTO entry_feeds(entry_id, feed_id, sort_time, uid) VALUES (1, 1, ?1, '9675153'), (2, 1, ?1, '9675154');
		INSERT INTO articles(entry_id, fetched_at, lead, meta, body) VALUES
			(1, ?1, 'Vorspann', '{"id":"9675153","title":"Schoigu-Anruf","hero":{"image":"https://x.example/a.jpg","caption":"Fernsehübertragung","credit":"Hadrian / Shutterstock.com"}}', 'Der Text.'),
			(2, ?1, 'Vorspann', '{"id":"9675154","title":"Ohne Bild"}', 'Noch ein Text.');
		INSERT INTO search(rowid, title, lead, body) VALUES (1, 'Schoigu-Anruf', 'Vorspann', 'Der Text.'), (2, 'Ohne Bild', 'Vorspann', 'Noch ein Text.');`, now)
	if err != nil {
		t.Fatalf("fill v6: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v6) = %v", err)
	}
	defer s.Close()
	for q, want := range map[string]string{"Fernseh*": "9675153", "Shutterstock": "9675153", "Noch": "9675154"} {
		hits, err := s.Search(ctx, q, 5)
		if err != nil || len(hits) != 1 || hits[0].ID != want {
			t.Errorf("Search(%q) after upgrade = %+v, %v; want %s", q, hits, err, want)
		}
	}
	checkIndexIntegrity(t, s.db)
}

// checkIndexIntegrity runs FTS5's integrity check, which for a contentless
// table verifies the index's own structure.
func checkIndexIntegrity(t *testing.T, db *sql.DB) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), `INSERT INTO search(search) VALUES ('integrity-check')`); err != nil {
		t.Errorf("search index integrity: %v", err)
	}
}
