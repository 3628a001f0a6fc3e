package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

const (
	testHeise = "https://www.heise.de/rss/heise-atom.xml"
	testTP    = "https://www.telepolis.de/news-atom.xml"
)

var testT0 = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

// fillDataDir makes a data dir with a small cache: three heise entries
// (one paywalled, one whose article failed), one Telepolis entry that is
// in both feeds, read and starred state.
func fillDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ctx := t.Context()
	s, err := cache.Open(ctx, filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	mk := func(id, title, summary string, age time.Duration) fetch.Entry {
		return fetch.Entry{ID: id, URL: "https://www.heise.de/news/x-" + id + ".html", Title: title, Summary: summary,
			Author: "Jane Doe", Published: testT0.Add(-age)}
	}
	e1 := mk("1001", "Neue Grafikkarten im Test", "Teaser eins", 0)
	e2 := mk("1002", "heise+ Analyse: Glasfaser überall?", "Teaser zwei", time.Hour)
	e2.Paywalled = true
	e3 := mk("1003", "Ausfall beim Abruf", "Nur der Anreißer über Straßenbahnen", 2*time.Hour)
	e4 := mk("1004", strings.Repeat("Ein sehr langer Titel über Fernsehübertragungen ", 5), "Teaser vier", 3*time.Hour)
	steps := []func() error{
		func() error {
			_, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: testHeise, Title: "heise online"}, Entries: []fetch.Entry{e1, e2, e3, e4}, FetchedAt: testT0})
			return err
		},
		func() error {
			_, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: testTP, Title: "Telepolis"}, Entries: []fetch.Entry{e4}, FetchedAt: testT0})
			return err
		},
		func() error {
			return s.SaveArticles(ctx, []fetch.ArticleResult{
				{EntryID: "1001", Article: &fetch.Article{ID: "1001", Title: e1.Title, Lead: "Vorspann.", Body: "Die **Wärmeleitpaste** [1] trocknet aus.\n", Rule: "heise"}},
				{EntryID: "1002", Article: &fetch.Article{ID: "1002", Title: e2.Title, Body: "Nur der freie Teil.", Paywalled: true, Rule: "heise"}},
				{EntryID: "1003", Err: errors.New("fetch article: 503 Service Unavailable")},
				{EntryID: "1004", Article: &fetch.Article{ID: "1004", Title: e4.Title, Body: "Text.", Rule: "heise"}},
			})
		},
		func() error { return s.SetRead(ctx, "1001", true) },
		func() error { return s.SetStarred(ctx, "1002", true) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runKiosk runs the CLI with a fake environment and returns its output.
func runKiosk(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	err = run(t.Context(), e, args)
	return out.String(), errb.String(), err
}

func TestListTable(t *testing.T) {
	dir := fillDataDir(t)
	out, _, err := runKiosk(t, nil, "--data-dir", dir, "list")
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("list printed %d lines, want 4:\n%s", len(lines), out)
	}
	wantStart := []string{"1001", "1002", "1003", "1004"}
	wantFlags := []string{"  o ", "N*o+", "N   ", "N o "}
	for i, line := range lines {
		if !strings.HasPrefix(line, wantStart[i]+"  ") {
			t.Errorf("line %d = %q, want it to start with ID %s", i, line, wantStart[i])
		}
		if !strings.Contains(line, "  "+wantFlags[i]+"  ") {
			t.Errorf("line %d = %q, want flags %q", i, line, wantFlags[i])
		}
		if n := utf8.RuneCountInString(line); n > 100 {
			t.Errorf("line %d is %d columns, want at most 100: %q", i, n, line)
		}
	}
	if !strings.Contains(lines[0], "heise online") || !strings.Contains(lines[0], "Neue Grafikkarten im Test") {
		t.Errorf("line 0 = %q, want feed and title", lines[0])
	}
	if !strings.HasSuffix(lines[3], "…") {
		t.Errorf("long title not cut: %q", lines[3])
	}

	out, _, err = runKiosk(t, map[string]string{"COLUMNS": "60"}, "list", "--data-dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if n := utf8.RuneCountInString(line); n > 60 {
			t.Errorf("COLUMNS=60: line is %d columns: %q", n, line)
		}
	}
}

func TestListFiltersAndJSON(t *testing.T) {
	dir := fillDataDir(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"list", "--json"}, []string{"1001", "1002", "1003", "1004"}},
		{[]string{"list", "--unread", "--json"}, []string{"1002", "1003", "1004"}},
		{[]string{"list", "--json", "--starred"}, []string{"1002"}},
		{[]string{"list", "--json", "--limit", "2"}, []string{"1001", "1002"}},
		{[]string{"list", "--json", "--feed", "telepolis"}, []string{"1004"}},
		{[]string{"list", "--json", "--feed", testTP}, []string{"1004"}},
		{[]string{"list", "--json", "--feed", "HEISE ONLINE", "--unread", "--limit", "1"}, []string{"1002"}},
	}
	for _, tt := range tests {
		out, _, err := runKiosk(t, nil, append([]string{"--data-dir", dir}, tt.args...)...)
		if err != nil {
			t.Errorf("%v: %v", tt.args, err)
			continue
		}
		var got []map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Errorf("%v: output is not a JSON array: %v\n%s", tt.args, err, out)
			continue
		}
		var ids []string
		for _, g := range got {
			ids = append(ids, g["id"].(string))
		}
		if strings.Join(ids, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%v: ids %v, want %v", tt.args, ids, tt.want)
		}
	}

	out, _, err := runKiosk(t, nil, "--data-dir", dir, "list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": "1002", "feed": "heise online", "title": "heise+ Analyse: Glasfaser überall?",
		"url": "https://www.heise.de/news/x-1002.html", "published": "2026-11-20T07:00:00Z",
		"read": false, "starred": true, "offline": true, "paywalled": true,
	}
	for k, v := range want {
		if got[1][k] != v {
			t.Errorf("list --json [1][%s] = %#v, want %#v", k, got[1][k], v)
		}
	}
	if pt, err := time.Parse(time.RFC3339, got[1]["published"].(string)); err != nil || !pt.Equal(testT0.Add(-time.Hour)) {
		t.Errorf("published = %v, %v", got[1]["published"], err)
	}
	for _, k := range []string{"read", "starred", "offline", "paywalled"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("list --json [0] lacks %q", k)
		}
	}
	if got[2]["offline"] != false || got[2]["article_error"] != "fetch article: 503 Service Unavailable" {
		t.Errorf("failed article: offline %v error %v", got[2]["offline"], got[2]["article_error"])
	}
	if feeds := got[3]["feeds"].([]any); len(feeds) != 2 {
		t.Errorf("entry in two feeds: feeds = %v", feeds)
	}
}

func TestListErrors(t *testing.T) {
	dir := fillDataDir(t)
	empty := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--data-dir", empty, "list"}, "no cache yet at " + filepath.Join(empty, "kiosk.db") + ": run kiosk sync"},
		{[]string{"--data-dir", dir, "list", "--feed", "Nope"}, `no feed "Nope" in the cache`},
		{[]string{"--data-dir", dir, "list", "--limit", "0"}, "--limit must be at least 1"},
		{[]string{"--data-dir", dir, "list", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		_, _, err := runKiosk(t, nil, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err = %v, want %q", tt.args, err, tt.want)
		}
	}
	if _, _, err := runKiosk(t, nil, "--data-dir", empty, "list"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("missing cache: %v, want ErrNotFound", err)
	}
	if ents, _ := filepath.Glob(filepath.Join(empty, "*")); len(ents) != 0 {
		t.Errorf("list created %v in an empty data dir", ents)
	}
	_, stderr, err := runKiosk(t, nil, "--data-dir", dir, "list", "--starred", "--unread", "--feed", "Telepolis")
	if err != nil || stderr != "no entries\n" {
		t.Errorf("empty list: %v, stderr %q", err, stderr)
	}
	out, _, err := runKiosk(t, nil, "--data-dir", dir, "list", "--starred", "--feed", "Telepolis", "--json")
	if err != nil || strings.TrimSpace(out) != "[]" {
		t.Errorf("empty list --json = %q, %v; want []", out, err)
	}
}
