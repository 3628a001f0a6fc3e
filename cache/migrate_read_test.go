package cache

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// v9Golden is what the schema-9 code answered on testdata/v9.db (written
// with it to testdata/v9.json): lists, counts and next-unread answers of
// several queries, and the overview.
type v9Golden struct {
	Lists    map[string][]v9Item
	Counts   map[string]int
	Overview Overview
	Next     map[string]string
}

type v9Item struct {
	ID         string
	Read       bool
	ReadAt     time.Time
	Starred    bool
	FeedTitles []string
	Offline    bool
}

// v9Queries are the queries of v9.json, by name.
var v9Queries = map[string]Query{
	"all": {Limit: 1000}, "unread": {Unread: true, Limit: 1000}, "starred": {Starred: true, Limit: 1000},
	"heise-unread": {Feed: "https://www.heise.de/rss/heise-atom.xml", Unread: true, Limit: 1000},
	"top-unread":   {Feed: "https://www.heise.de/rss/heise-top-atom.xml", Unread: true, Limit: 1000},
	"top":          {Feed: "https://www.heise.de/rss/heise-top-atom.xml", Limit: 1000},
	"rss":          {Feed: "https://example.org/rss2.xml", Limit: 1000}, "match-unread": {Match: "e", Unread: true, Limit: 1000},
}

// v9Answers asks s what v9.json records.
func v9Answers(t *testing.T, s *Store) v9Golden {
	t.Helper()
	ctx := t.Context()
	g := v9Golden{Lists: map[string][]v9Item{}, Counts: map[string]int{}, Next: map[string]string{}}
	for name, q := range v9Queries {
		items, err := s.List(ctx, q)
		if err != nil {
			t.Fatalf("List(%s) = %v", name, err)
		}
		for _, it := range items {
			g.Lists[name] = append(g.Lists[name], v9Item{it.ID, it.Read, it.ReadAt, it.Starred, it.FeedTitles, it.Offline})
		}
		if g.Counts[name], err = s.Count(ctx, q); err != nil {
			t.Fatalf("Count(%s) = %v", name, err)
		}
		if next, _, err := s.NextUnread(ctx, q, "", false); err == nil {
			g.Next[name] = next.ID
		}
		if len(items) > 10 {
			if next, _, err := s.NextUnread(ctx, q, items[10].ID, false); err == nil {
				g.Next[name+"-from10"] = next.ID
			}
		}
	}
	ov, err := s.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ov.Feeds {
		ov.Feeds[i].LastFetch = time.Time{}
	}
	g.Overview = ov
	return g
}

// TestMigrateReadState upgrades a schema-9 cache of real feeds (the heise
// Atom feed of fetch's testdata, 20 of its entries in a second feed, an
// RSS 2 feed marked read, starred entries of a removed feed, one read and
// one not) that the schema-9 code filled and marked through its own API,
// and checks that every list, count, next-unread answer, read time and the
// overview are what that code gave, and that marking and its undo work on
// the upgraded file.
func TestMigrateReadState(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	copyFile(t, filepath.Join("testdata", "v9.db"), path)
	b, err := os.ReadFile(filepath.Join("testdata", "v9.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want v9Golden
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v9) = %v", err)
	}
	defer s.Close()
	var v int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("user_version after Open = %d, %v; want %d", v, err, SchemaVersion())
	}
	if err := s.CheckReadState(ctx); err != nil {
		t.Fatal(err)
	}
	got := v9Answers(t, s)
	for name := range want.Lists {
		if !reflect.DeepEqual(got.Lists[name], want.Lists[name]) {
			t.Errorf("List(%s) after upgrade differs:\ngot  %v\nwant %v", name, got.Lists[name], want.Lists[name])
		}
	}
	if !reflect.DeepEqual(got.Counts, want.Counts) || !reflect.DeepEqual(got.Next, want.Next) {
		t.Errorf("counts, next unread after upgrade = %v, %v; want %v, %v", got.Counts, got.Next, want.Counts, want.Next)
	}
	if !reflect.DeepEqual(got.Overview, want.Overview) {
		t.Errorf("Overview after upgrade = %+v, want %+v", got.Overview, want.Overview)
	}
	for _, col := range []string{"entries.read_at", "entry_feeds.unread"} {
		tbl, c, _ := strings.Cut(col, ".")
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, tbl, c).Scan(&n); err != nil || n != 0 {
			t.Errorf("column %s after upgrade: %d, %v; want gone", col, n, err)
		}
	}

	// Mark-all and its undo on the upgraded file: the heise feed, whose
	// entries include the 20 the second feed lists too.
	heise := v9Queries["heise-unread"].Feed
	ids, err := s.MarkQueryRead(ctx, Query{Feed: heise})
	if err != nil || len(ids) != want.Counts["heise-unread"] {
		t.Fatalf("MarkQueryRead(heise) = %d IDs, %v; want %d", len(ids), err, want.Counts["heise-unread"])
	}
	if err := s.CheckReadState(ctx); err != nil {
		t.Fatal(err)
	}
	ov, err := s.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ov.Feeds {
		if f.URL != "https://example.org/rss2.xml" && f.Unread != 0 {
			t.Errorf("after marking heise read, %s has %d unread; want 0", f.Title, f.Unread)
		}
	}
	if ov.Unread != want.Overview.Unread-len(ids) {
		t.Errorf("after marking heise read, %d unread in all; want %d", ov.Unread, want.Overview.Unread-len(ids))
	}
	if _, err := s.SetReadIDs(ctx, ids, false); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckReadState(ctx); err != nil {
		t.Fatal(err)
	}
	again := v9Answers(t, s)
	for _, name := range []string{"unread", "heise-unread", "top-unread"} {
		if !reflect.DeepEqual(again.Lists[name], want.Lists[name]) {
			t.Errorf("List(%s) after mark and undo differs:\ngot  %v\nwant %v", name, again.Lists[name], want.Lists[name])
		}
	}
	if !reflect.DeepEqual(again.Overview, want.Overview) {
		t.Errorf("Overview after mark and undo = %+v, want %+v", again.Overview, want.Overview)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
