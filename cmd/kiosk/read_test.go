package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

const seedFixture = pagesDir + "/constructed-telepolis-9675153-2024.html"

// readEnv runs kiosk with short HTTP limits, as a user would with a slow network.
func readEnv(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	e.http = fetch.ClientOptions{Timeout: 300 * time.Millisecond, MaxBody: 1 << 20, RetryBase: time.Millisecond}
	err = run(t.Context(), e, args)
	return out.String(), errb.String(), err
}

// seedServer serves the seed article like telepolis.de would, plus broken answers.
func seedServer(t *testing.T) *httptest.Server {
	t.Helper()
	page, err := os.ReadFile(seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/features/Schoigu-Anruf-9675153.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/404", http.NotFound)
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><p>"))
		w.Write(bytes.Repeat([]byte("Lorem ipsum "), 200_000))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/doc.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4 binary"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestReadTextGolden(t *testing.T) {
	for _, page := range []string{"constructed-telepolis-9675153-2024", "heise-news-9691259-2024"} {
		for _, width := range []int{40, 80, 120} {
			t.Run(fmt.Sprintf("%s-%d", page, width), func(t *testing.T) {
				out, _, err := readEnv(t, nil, "read", "--format", "text", "--width", fmt.Sprint(width), filepath.Join(pagesDir, page+".html"))
				if err != nil {
					t.Fatalf("read: %v", err)
				}
				if strings.Contains(out, "\x1b") {
					t.Errorf("text output contains an escape sequence")
				}
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
}

func TestReadURLPrintsEveryElement(t *testing.T) {
	srv := seedServer(t)
	out, _, err := readEnv(t, nil, "read", srv.URL+"/features/Schoigu-Anruf-9675153.html?wt_mc=rss.red.tp.tp.atom.beitrag.beitrag", "--format", "markdown")
	if err != nil {
		t.Fatalf("read URL: %v", err)
	}
	for _, want := range []string{
		"# Schoigu-Anruf: Russland warnt Frankreich, Truppen in Ukraine zu schicken\n",
		"Russischer Verteidigungsminister droht Paris mit Reaktion.",
		"In Paris sieht jemand die Fernsehübertragung",
		"Hadrian / Shutterstock.com",
		"## Moskauer Anschlag und Ukraine-Krise",
		"## Gefährliches Szenario, das im Atomkrieg enden könnte",
		"> Die Arithmetik ist unausweichlich:",
		"RIA Novosti verbreitet [1].",
		"Edward Luttwak [2],",
		"die davor warnen [3].",
		"https://www.heise.de/-9675153",
		"[1] <https://ria.ru/20240403/peregovory-1937718100.html>",
		"[2] <https://unherd.com/2024/04/its-time-to-send-nato-troops-to-ukraine/>",
		"[3] <https://www.telepolis.de/features/Der-letzte-Versuch-der-Europaeer-den-Sieg-fuer-die-Ukraine-zu-erringen-9644037.html?seite=all>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("read URL output lacks %q", want)
		}
	}
	for _, noise := range []string{"Anzeige", "Lesen Sie auch", "Newsletter", "(tiw)", "<script", "data:image"} {
		if strings.Contains(out, noise) {
			t.Errorf("read URL output contains noise %q", noise)
		}
	}
}

func TestReadJSON(t *testing.T) {
	out, _, err := readEnv(t, nil, "read", seedFixture, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var a fetch.Article
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("read --format json is not an Article: %v", err)
	}
	if a.ID != "9675153" || a.Hero == nil || a.Hero.Credit != "Hadrian / Shutterstock.com" || len(a.References) < 3 ||
		a.References[0].URL != "https://ria.ru/20240403/peregovory-1937718100.html" {
		t.Errorf("read --format json = id %q hero %+v refs %+v", a.ID, a.Hero, a.References)
	}
}

func TestReadANSI(t *testing.T) {
	colour, _, err := readEnv(t, nil, "read", seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(colour, "\x1b[38;5;") {
		t.Errorf("ansi output has no colour")
	}
	plain, _, err := readEnv(t, map[string]string{"NO_COLOR": "1"}, "read", seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain, "\x1b[38;5;") || !strings.Contains(plain, "Hadrian / Shutterstock.com") {
		t.Errorf("NO_COLOR output has colour or lost text")
	}
	for _, line := range strings.Split(plain, "\n") {
		if w := ansi.StringWidth(line); w > 80 { // NO_COLOR keeps bold and italics
			t.Errorf("piped ansi output wider than 80 columns (%d): %q", w, line)
		}
	}
}

func TestReadFailures(t *testing.T) {
	srv := seedServer(t)
	dir := t.TempDir()
	binary := filepath.Join(dir, "image.png")
	if err := os.WriteFile(binary, []byte("\x89PNG\r\n\x1a\n\x00\x00binary"), 0o644); err != nil {
		t.Fatal(err)
	}
	unreadable := filepath.Join(dir, "secret.html")
	if err := os.WriteFile(unreadable, []byte("<p>x</p>"), 0o000); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"404", []string{srv.URL + "/404"}, "HTTP 404"},
		{"500", []string{srv.URL + "/500"}, "HTTP 500"},
		{"timeout", []string{srv.URL + "/slow"}, "Timeout"},
		{"oversize", []string{srv.URL + "/big"}, "too large"},
		{"redirect loop", []string{srv.URL + "/loop"}, "redirects"},
		{"not html", []string{srv.URL + "/doc.pdf"}, "not an HTML page"},
		{"offline", []string{"--offline", srv.URL + "/features/Schoigu-Anruf-9675153.html"}, "offline"},
		{"missing file", []string{filepath.Join(dir, "nope.html")}, "no such file"},
		{"directory", []string{dir}, "is a directory"},
		{"binary file", []string{binary}, "not an HTML page"},
		{"bad format", []string{seedFixture, "--format", "pdf"}, "unknown format"},
		{"no argument", nil, "want one ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--data-dir", dir, "read"}, tc.args...)
			out, _, err := readEnv(t, nil, args...)
			if err == nil {
				t.Fatalf("read %v succeeded, want an error", tc.args)
			}
			if out != "" {
				t.Errorf("read %v wrote to stdout on failure: %q", tc.args, out)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("read %v error = %q, want one line containing %q", tc.args, msg, tc.want)
			}
		})
	}
	if os.Geteuid() != 0 { // root reads anything
		if _, _, err := readEnv(t, nil, "read", unreadable); err == nil || !errors.Is(err, os.ErrPermission) {
			t.Errorf("read unreadable file = %v, want a permission error", err)
		}
	}
}

// TestReadURLStoresCachedEntry checks that reading the URL of a cached entry
// stores its full article, which then reads offline by ID and by URL.
func TestReadURLStoresCachedEntry(t *testing.T) {
	srv := seedServer(t)
	dir := t.TempDir()
	ctx := t.Context()
	s, err := cache.Open(ctx, filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	pageURL := srv.URL + "/features/Schoigu-Anruf-9675153.html"
	_, err = s.SaveFeed(ctx, fetch.FeedResult{
		Feed:      fetch.Feed{URL: srv.URL + "/news-atom.xml", Title: "Telepolis"},
		Entries:   []fetch.Entry{{ID: "9675153", Feed: srv.URL + "/news-atom.xml", URL: pageURL, Title: "Schoigu-Anruf", Summary: "Teaser."}},
		FetchedAt: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	before, _, err := readEnv(t, nil, "--data-dir", dir, "read", "9675153", "--format", "markdown")
	if err != nil || !strings.Contains(before, "nicht im Cache") {
		t.Fatalf("read ID before = %q, %v; want the teaser with a notice", before, err)
	}
	if _, _, err := readEnv(t, nil, "--data-dir", dir, "read", pageURL, "--format", "markdown"); err != nil {
		t.Fatalf("read URL: %v", err)
	}
	srv.Close() // from here on there is no network
	after, _, err := readEnv(t, nil, "--data-dir", dir, "read", "9675153", "--format", "markdown")
	if err != nil || !strings.Contains(after, "Hadrian / Shutterstock.com") || strings.Contains(after, "nicht im Cache") {
		t.Errorf("read ID after = %q, %v; want the full article", after, err)
	}
	// The entry's ID is its content ID, not the URL's: offline, the URL
	// still finds it.
	offline, _, err := readEnv(t, nil, "--data-dir", dir, "--offline", "read", pageURL+"?wt_mc=rss.red.tp.tp.atom.beitrag.beitrag", "--format", "markdown")
	if err != nil || offline != after {
		t.Errorf("read --offline URL = %v; want the cached article", err)
	}
	if _, _, err := readEnv(t, nil, "--data-dir", dir, "--offline", "read", srv.URL+"/other-1.html"); err == nil || !strings.Contains(err.Error(), "offline") {
		t.Errorf("read --offline of an uncached URL = %v, want an offline error", err)
	}
}

// TestReadURLCannotOverwriteAnotherSite is issue 8 item 3: a page on
// another host whose canonical URL names a cached entry replaced that
// entry's article. Only the entry the page was fetched from (or the same
// site's canonical of it) is updated.
func TestReadURLCannotOverwriteAnotherSite(t *testing.T) {
	page, err := os.ReadFile(seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	const blogPost = "https://blog.example/post"
	evilBlog := []byte(strings.Replace(`<!DOCTYPE html><html><head><title>Evil</title><link rel="canonical" href="`+blogPost+`"></head>
		<body><article><h1>Evil</h1><p>`+strings.Repeat("Words that replace the real post. ", 30)+`</p></article></body></html>`, "\n", "", -1))
	mux := http.NewServeMux()
	serve := func(path string, body []byte) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(body)
		})
	}
	// The seed article copied to another host, its canonical naming telepolis.de.
	page = bytes.Replace(page, []byte(`href="/features/Schoigu-Anruf`), []byte(`href="https://www.telepolis.de/features/Schoigu-Anruf`), 1)
	serve("/copy.html", page)
	serve("/evil.html", evilBlog) // canonical: the blog's post
	serve("/own.html", []byte(`<!DOCTYPE html><html><head><title>Own</title><link rel="canonical" href="/own-canonical.html"></head>
		<body><article><h1>Own</h1><p>`+strings.Repeat("The site's own words. ", 30)+`</p></article></body></html>`))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	dir := t.TempDir()
	ctx := t.Context()
	s, err := cache.Open(ctx, filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	const tp = "https://www.telepolis.de/news-atom.xml"
	const blog = "https://blog.example/feed"
	own := srv.URL + "/own-canonical.html"
	for _, res := range []fetch.FeedResult{
		{Feed: fetch.Feed{URL: tp}, Entries: []fetch.Entry{{ID: "9675153", Feed: tp, URL: "https://www.telepolis.de/features/Schoigu-Anruf-Russland-warnt-Frankreich-Truppen-in-Ukraine-zu-schicken-9675153.html", Title: "Schoigu"}}},
		{Feed: fetch.Feed{URL: blog}, Entries: []fetch.Entry{{ID: fetch.EntryID(blog, "", "", blogPost), Feed: blog, URL: blogPost, Title: "Post"}}},
		{Feed: fetch.Feed{URL: srv.URL + "/feed"}, Entries: []fetch.Entry{{ID: fetch.EntryID(srv.URL+"/feed", "", "", own), Feed: srv.URL + "/feed", URL: own, Title: "Own"}}},
	} {
		res.FetchedAt = time.Now()
		if _, err := s.SaveFeed(ctx, res); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/copy.html", "/evil.html", "/own.html"} {
		if _, _, err := readEnv(t, nil, "--data-dir", dir, "read", srv.URL+p, "--format", "markdown"); err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
	}
	s, err = cache.OpenReadOnly(ctx, filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, id := range []string{"9675153", fetch.EntryID(blog, "", "", blogPost)} {
		if a, err := s.Article(ctx, id); !errors.Is(err, cache.ErrNotFound) {
			t.Errorf("entry %s got an article from another host: %q, %v", id, a.Title, err)
		}
	}
	// The same site's canonical is the page's own entry.
	if a, err := s.Article(ctx, fetch.EntryID(srv.URL+"/feed", "", "", own)); err != nil || a.Title != "Own" {
		t.Errorf("same-site canonical entry = %q, %v; want the page stored", a.Title, err)
	}
}

// TestReadTextIsThePrintView is issue 10's print view as text: for the seed
// page, the paragraphs of kiosk read --format text equal those of the
// Telepolis print view (testdata/print-view.txt), in order; only the print
// view's "zurück zum Artikel" link and its bare alt-text line are not
// kiosk's. Wrapped at 40 columns, no URL is broken.
func TestReadTextIsThePrintView(t *testing.T) {
	seed := strings.ReplaceAll(string(readTestdata(t, "print-view.txt")), "\r\n", "\n")
	var want []string
	for _, p := range strings.Split(seed, "\n\n") {
		if p = strings.TrimSpace(p); p != "" && p != "zurück zum Artikel" {
			want = append(want, p)
		}
	}
	// The bare alt text: the caption without its credit, right after the title.
	if len(want) < 3 || !strings.HasPrefix(want[2], want[1]) {
		t.Fatalf("seed layout changed: %q", want[:3])
	}
	want = append(want[:1], want[2:]...)

	out, _, err := readEnv(t, nil, "read", "--format", "text", "--width", "100000", seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSpace(out), "\n\n")
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("paragraph %d:\n got %q\nwant %q", i+1, g, w)
		}
	}

	narrow, _, err := readEnv(t, nil, "read", "--format", "text", "--width", "40", seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(narrow, "\n") {
		if strings.ContainsAny(l, "#*`>") || strings.HasPrefix(l, "- ") {
			t.Errorf("Markdown syntax in text output: %q", l)
		}
	}
	for _, u := range []string{"https://www.heise.de/-9675153", "https://ria.ru/20240403/peregovory-1937718100.html",
		"https://www.telepolis.de/features/Der-letzte-Versuch-der-Europaeer-den-Sieg-fuer-die-Ukraine-zu-erringen-9644037.html?seite=all"} {
		if !strings.Contains(narrow, u) {
			t.Errorf("URL %s broken or missing at 40 columns", u)
		}
	}
}
