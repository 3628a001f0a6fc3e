package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/fetch/remote"
	"github.com/kiosk-reader/kiosk/fetch/remote/remotetest"
)

// The Miniflux of the server tests, started by the first test that needs
// it and stopped by TestMain.
var (
	mfOnce sync.Once
	mfSrv  *remotetest.Server
	mfErr  error
)

func minifluxServer(t *testing.T) *remotetest.Server {
	t.Helper()
	mfOnce.Do(func() { mfSrv, mfErr = remotetest.Start() })
	if errors.Is(mfErr, remotetest.ErrUnavailable) && os.Getenv("KIOSK_REQUIRE_SERVER") == "" {
		t.Skipf("no Miniflux: %v", mfErr)
	}
	if mfErr != nil {
		t.Fatalf("start miniflux: %v", mfErr)
	}
	return mfSrv
}

func stopMiniflux() error {
	if mfSrv == nil {
		return nil
	}
	return mfSrv.Stop()
}

// TestServerCLI is kiosk with a [server], through the CLI, for each
// protocol: feeds add/list, sync with full articles offline, list, read,
// a read mark pushed to the server, opml export, server status, and a
// wrong password.
func TestServerCLI(t *testing.T) {
	srv := minifluxServer(t)
	page, err := os.ReadFile(filepath.Join(pagesDir, "blog-readability.html"))
	if err != nil {
		t.Fatal(err)
	}
	var base string
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Field Notes</title><link>%s/</link>`, base)
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(w, `<item><title>Post %d</title><link>%s/p/%d.html</link><guid>%s/p/%d.html</guid><pubDate>Mon, 0%d Nov 2026 10:00:00 +0000</pubDate><description>Teaser</description></item>`, i, base, i, base, i, i+1)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("/p/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	site := httptest.NewServer(mux)
	defer site.Close()
	base = site.URL
	feedURL := site.URL + "/feed.xml"

	for _, kind := range []string{remote.KindMiniflux, remote.KindGReader} {
		t.Run(kind, func(t *testing.T) {
			user, pw := "cli-"+kind+remotetest.Suffix, "cli-"+kind+"-Secret-pw"
			if err := srv.NewUser(user, pw); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			config := filepath.Join(dir, "config.toml")
			text := fmt.Sprintf("[server]\nkind = %q\nurl = %q\nuser = %q\npassword_command = \"printf %%s %s\"\n", kind, srv.URL, user, pw)
			if err := os.WriteFile(config, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			data := filepath.Join(dir, "data")
			kiosk := func(vars map[string]string, args ...string) (string, string, error) {
				return runKiosk(t, vars, append([]string{"--config", config, "--data-dir", data}, args...)...)
			}

			if _, errOut, err := kiosk(nil, "feeds", "add", feedURL, "--name", "Notes", "--category", "Tech"); err != nil {
				t.Fatalf("feeds add: %v\n%s", err, errOut)
			}
			out, _, err := kiosk(nil, "feeds", "list")
			if err != nil || !strings.Contains(out, "Notes") || !strings.Contains(out, feedURL) || !strings.Contains(out, "Tech") {
				t.Errorf("feeds list = %q, %v; want Notes, its URL and Tech", out, err)
			}
			_, errOut, err := kiosk(nil, "sync")
			if err != nil || !strings.Contains(errOut, "1 feed, 3 entries pulled (3 new)") || !strings.Contains(errOut, "articles: 3 fetched, 0 failed") {
				t.Fatalf("sync: %v\n%s", err, errOut)
			}
			out, _, err = kiosk(nil, "--offline", "list", "--json")
			var items []struct {
				ID, Feed, Title string
				Offline, Read   bool
			}
			if err != nil || json.Unmarshal([]byte(out), &items) != nil || len(items) != 3 {
				t.Fatalf("list --json = %q, %v", out, err)
			}
			for _, it := range items {
				if !it.Offline || it.Read || it.Feed != "Notes" {
					t.Errorf("listed %+v, want offline, unread, in Notes", it)
				}
			}
			out, _, err = kiosk(nil, "--offline", "read", items[0].ID, "--format", "text")
			if err != nil || !strings.Contains(out, "exit code 23") {
				t.Errorf("read offline: %v\n%s", err, out)
			}

			// Read in kiosk (as the reader marks it), pushed by the next sync.
			st, err := cache.Open(t.Context(), filepath.Join(data, "kiosk.db"))
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetRead(t.Context(), items[0].ID, true); err != nil {
				t.Fatal(err)
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			out, _, err = kiosk(nil, "server", "status")
			if err != nil || !strings.Contains(out, "queued:     1 change waiting") || !strings.Contains(out, user) {
				t.Errorf("server status = %q, %v", out, err)
			}
			if _, errOut, err := kiosk(nil, "sync"); err != nil || !strings.Contains(errOut, "1 change pushed") {
				t.Errorf("sync: %v\n%s", err, errOut)
			}
			var onServer struct {
				Entries []struct{ Status, Title string } `json:"entries"`
			}
			if err := srv.API(user, pw, http.MethodGet, "/v1/entries?status=read", "", &onServer); err != nil {
				t.Fatal(err)
			}
			if len(onServer.Entries) != 1 || onServer.Entries[0].Title != items[0].Title {
				t.Errorf("read on the server: %+v, want %q", onServer.Entries, items[0].Title)
			}

			// OPML import: a feed in a folder lands in that category.
			opml := filepath.Join(dir, "import.opml")
			doc := fmt.Sprintf(`<?xml version="1.0"?><opml version="2.0"><body><outline text="Science"><outline text="Second" type="rss" xmlUrl="%s?second=1"/></outline><outline text="again" type="rss" xmlUrl="%s"/></body></opml>`, feedURL, feedURL)
			if err := os.WriteFile(opml, []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, errOut, err := kiosk(nil, "opml", "import", opml); err != nil || !strings.Contains(errOut, "to 1 feed (1 already there, 0 failed)") {
				t.Errorf("opml import: %v\n%s", err, errOut)
			}
			out, _, err = kiosk(nil, "feeds", "list", "--json")
			var subs []feedJSON
			if err != nil || json.Unmarshal([]byte(out), &subs) != nil || len(subs) != 2 {
				t.Fatalf("feeds list --json = %q, %v", out, err)
			}
			for _, f := range subs {
				if f.URL == feedURL+"?second=1" && f.Category != "Science" {
					t.Errorf("imported %+v, want it in Science", f)
				}
			}

			out, _, err = kiosk(nil, "opml", "export")
			if err != nil || !strings.Contains(out, `<outline text="Tech" title="Tech">`) || !strings.Contains(out, fetch.CleanLine(feedURL)) {
				t.Errorf("opml export = %q, %v", out, err)
			}

			// A wrong password: one line, no secret, the cache still reads.
			_, _, err = kiosk(map[string]string{passwordEnv: "Wrong-Secret-77"}, "sync")
			if err == nil || !strings.Contains(err.Error(), "refused the login") || strings.Contains(err.Error(), "Wrong-Secret-77") || strings.Contains(err.Error(), pw) {
				t.Errorf("sync with a wrong password: %v", err)
			}
			out, _, err = kiosk(nil, "server", "status")
			if err != nil || !strings.Contains(out, "last error:") {
				t.Errorf("server status after a failed sync = %q, %v", out, err)
			}
			if out, _, err := kiosk(nil, "--offline", "list"); err != nil || strings.Count(out, "\n") != 3 {
				t.Errorf("list after a failed sync = %q, %v", out, err)
			}
		})
	}
}
