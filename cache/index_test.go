package cache

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// TestIndexMatchesRebuild drives the store through every path that changes
// indexed text (new entries, changed titles and summaries, articles
// replaced and failed, prune, feed removal) and then compares the
// maintained search index, term by term and document by document, with an
// index built afresh from the stored text. A 'delete' with text that
// differs from what was indexed would leave a difference.
func TestIndexMatchesRebuild(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const feedA, feedB = "https://a.example/feed", "https://b.example/feed"
	e := func(id, title, summary string, days int) fetch.Entry {
		return fetch.Entry{ID: id, URL: "https://a.example/" + id, Title: title, Summary: summary, Published: t0.AddDate(0, 0, days)}
	}
	save := func(feed string, es ...fetch.Entry) {
		t.Helper()
		if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: feed}, Entries: es, FetchedAt: t0.AddDate(0, 0, 300)}); err != nil {
			t.Fatal(err)
		}
	}
	art := func(id, lead, body string) fetch.ArticleResult {
		return fetch.ArticleResult{EntryID: id, Article: &fetch.Article{ID: id, Lead: lead, Body: body}}
	}
	steps := []func() error{
		func() error {
			save(feedA, e("1", "Grüße aus Köln", "Straßenfest", 0), e("2", "Zweiter", "Größe", 100), e("3", "Dritter", "", 250))
			return nil
		},
		func() error {
			return s.SaveArticles(ctx, []fetch.ArticleResult{art("1", "Vorspann Öl", "Körper eins"), art("2", "", "Körper zwei"), {EntryID: "3", Err: errors.New("x")}})
		},
		func() error { save(feedA, e("1", "Grüße aus Bonn", "Straßenfest", 0)); return nil }, // title changes
		func() error { save(feedA, e("2", "Zweiter", "Maße statt Größe", 100)); return nil }, // summary of an article without lead
		func() error {
			save(feedB, e("2", "Zweiter", "Maße statt Größe", 100), e("4", "Vierter", "B", 260))
			return nil
		},
		func() error {
			return s.SaveArticles(ctx, []fetch.ArticleResult{art("1", "", "Neuer Körper"), art("3", "Spät", "Endlich")})
		},
		func() error { save(feedA, e("3", "Dritter, geändert", "Übel", 250)); return nil },
		func() error { return s.SetStarred(ctx, "2", true) },
		func() error { return s.RemoveFeed(ctx, feedB) },                               // removes 4
		func() error { _, err := s.Prune(ctx, 90, t0.AddDate(0, 0, 400)); return err }, // removes 1 and 3; 2 is starred
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	checkIndex(t, s)
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM entries`).Scan(&n); err != nil || n != 1 {
		t.Errorf("entries left = %d, %v; want 1", n, err)
	}
}

// checkIndex compares the maintained search index, term by term and
// position by position (fts5vocab), with one built afresh from the stored
// text.
func checkIndex(t *testing.T, s *Store) {
	t.Helper()
	ctx := t.Context()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `
		DROP TABLE IF EXISTS temp.v_kept; DROP TABLE IF EXISTS temp.v_fresh; DROP TABLE IF EXISTS temp.fresh;
		CREATE VIRTUAL TABLE temp.fresh USING fts5(title, lead, body, content='', tokenize='unicode61 remove_diacritics 2');
		INSERT INTO temp.fresh(rowid, title, lead, body) SELECT e.id, `+docSQL()+` FROM entries e LEFT JOIN articles a ON a.entry_id = e.id;
		CREATE VIRTUAL TABLE temp.v_kept USING fts5vocab(main, search, instance);
		CREATE VIRTUAL TABLE temp.v_fresh USING fts5vocab(temp, fresh, instance);`); err != nil {
		t.Fatal(err)
	}
	vocab := func(table string) [][4]any {
		rows, err := conn.QueryContext(ctx, `SELECT term, doc, col, offset FROM `+table+` ORDER BY term, doc, col, offset`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out [][4]any
		for rows.Next() {
			var term, col string
			var doc, off int64
			if err := rows.Scan(&term, &doc, &col, &off); err != nil {
				t.Fatal(err)
			}
			out = append(out, [4]any{term, doc, col, off})
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	kept, fresh := vocab("temp.v_kept"), vocab("temp.v_fresh")
	if len(fresh) == 0 || !reflect.DeepEqual(kept, fresh) {
		t.Errorf("maintained index differs from a rebuild:\nkept  %v\nfresh %v", kept, fresh)
	}
}
