package remote_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/fetch/remote"
	"github.com/kiosk-reader/kiosk/fetch/remote/remotetest"
)

// srv is the Miniflux every test here runs against (see TestMain).
var srv *remotetest.Server

// helperEnv names the cache a helper process marks an entry in (the kill
// test); such a process starts no server.
const helperEnv = "KIOSK_REMOTE_HELPER_DB"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(m.Run())
	}
	var err error
	srv, err = remotetest.Start()
	if err != nil {
		if errors.Is(err, remotetest.ErrUnavailable) && os.Getenv("KIOSK_REQUIRE_SERVER") == "" {
			fmt.Println("server tests skipped:", err)
			os.Exit(m.Run())
		}
		fmt.Fprintln(os.Stderr, "start miniflux:", err)
		os.Exit(1)
	}
	code := m.Run()
	if code != 0 {
		fmt.Fprintln(os.Stderr, "miniflux log:\n"+srv.Log())
	}
	if err := srv.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stop miniflux:", err)
		code = 1
	}
	os.Exit(code)
}

func needServer(t *testing.T) {
	t.Helper()
	if srv == nil {
		t.Skip("no Miniflux (set KIOSK_MINIFLUX, see fetch/remote/remotetest)")
	}
}

// site is a local feed with n items whose links are article pages, the
// testdata page each.
type site struct {
	mu       sync.Mutex
	n        int
	tagGUIDs bool // items have tag: GUIDs instead of their links
	srv      *httptest.Server
	feedURL  string
}

func newSite(t *testing.T, n int) *site {
	t.Helper()
	return newSiteTB(t, n, true)
}

// newSiteTB serves the site; cleanup closes it when tb ends.
func newSiteTB(t testing.TB, n int, cleanup bool) *site {
	t.Helper()
	// The readability fixture of fetch's tests: a blog post in a page.
	page, err := os.ReadFile(filepath.Join("..", "testdata", "pages", "blog-readability.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := &site{n: n}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n := s.n
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Field Notes</title><link>` + s.srv.URL + `/</link>`)
		for i := n; i >= 1; i-- {
			link := s.itemURL(i)
			pub := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour).Format(time.RFC1123Z)
			guid := link
			if s.tagGUIDs {
				guid = fmt.Sprintf("tag:site.test,2026:item-%d", i)
			}
			fmt.Fprintf(&b, `<item><title>Item %d</title><link>%s</link><guid isPermaLink="false">%s</guid><pubDate>%s</pubDate><description>Teaser %d</description></item>`, i, link, guid, pub, i)
		}
		b.WriteString(`</channel></rss>`)
		fmt.Fprint(w, b.String())
	})
	mux.HandleFunc("/a/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
	s.srv = httptest.NewServer(mux)
	if cleanup {
		t.Cleanup(s.srv.Close)
	}
	s.feedURL = s.srv.URL + "/feed.xml"
	return s
}

func (s *site) itemURL(i int) string { return fmt.Sprintf("%s/a/%d.html", s.srv.URL, i) }

// uid is the cache ID of item i.
func (s *site) uid(i int) string { return fetch.EntryID(s.feedURL, "", "", s.itemURL(i)) }

func (s *site) setItems(n int) {
	s.mu.Lock()
	s.n = n
	s.mu.Unlock()
}

// user is a Miniflux user with its own subscriptions and state.
type user struct {
	name, password string
}

func newUser(t *testing.T, name string) user {
	t.Helper()
	u := user{name: name, password: "pw-" + name + "-Secret"}
	if err := srv.NewUser(u.name, u.password); err != nil {
		t.Fatal(err)
	}
	return u
}

// mfEntry is an entry as Miniflux's REST API shows it.
type mfEntry struct {
	ID      int64  `json:"id"`
	URL     string `json:"url"`
	Status  string `json:"status"`
	Starred bool   `json:"starred"`
	FeedID  int64  `json:"feed_id"`
}

// serverEntries returns the user's entries on the server by URL.
func (u user) serverEntries(t *testing.T) map[string]mfEntry {
	t.Helper()
	var page struct {
		Entries []mfEntry `json:"entries"`
	}
	if err := srv.API(u.name, u.password, http.MethodGet, "/v1/entries?limit=1000&status=read&status=unread", "", &page); err != nil {
		t.Fatal(err)
	}
	out := map[string]mfEntry{}
	for _, e := range page.Entries {
		out[e.URL] = e
	}
	return out
}

// serverSet changes entries on the server as another device would.
func (u user) serverSet(t *testing.T, body string) {
	t.Helper()
	if err := srv.API(u.name, u.password, http.MethodPut, "/v1/entries", body, nil); err != nil {
		t.Fatal(err)
	}
}

func (u user) client(t *testing.T, kind string) remote.Client {
	t.Helper()
	c, err := remote.New(remote.Config{Kind: kind, URL: srv.URL, User: u.name, Password: u.password})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (u user) account(kind string) remote.Account {
	return remote.Account{Kind: kind, URL: srv.URL, User: u.name}
}

func openCache(t *testing.T, path string) *cache.Store {
	t.Helper()
	st, err := cache.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// syncAll is what kiosk sync does with a server: pull and push, then the
// full articles of the subscriptions' new entries.
func syncAll(t *testing.T, c remote.Client, st *cache.Store, acct remote.Account) remote.Result {
	t.Helper()
	res, err := remote.Sync(t.Context(), c, st, acct)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	var feeds []string
	for _, s := range res.Subscriptions {
		feeds = append(feeds, s.URL)
	}
	sy := &fetch.Syncer{Client: fetch.NewClient(fetch.ClientOptions{}), Store: st, Articles: true, StoredOnly: true}
	if _, err := sy.Run(t.Context(), feeds, nil); err != nil {
		t.Fatalf("articles: %v", err)
	}
	return res
}

func item(t *testing.T, st *cache.Store, id string) cache.Item {
	t.Helper()
	it, err := st.Item(t.Context(), id)
	if err != nil {
		t.Fatalf("item %s: %v", id, err)
	}
	return it
}

func pending(t *testing.T, st *cache.Store) int {
	t.Helper()
	acct, ok, err := st.ServerAccount(t.Context())
	if err != nil || !ok {
		t.Fatalf("server account: %v, %v", ok, err)
	}
	return acct.Pending
}

// TestServerSync runs the whole round trip against Miniflux, once through
// each protocol: subscribe, first sync with full articles, kiosk's
// changes reaching the server, the server's changes reaching kiosk, an
// incremental sync, and a wrong password.
func TestServerSync(t *testing.T) {
	needServer(t)
	for _, kind := range []string{remote.KindMiniflux, remote.KindGReader} {
		t.Run(kind, func(t *testing.T) {
			u := newUser(t, "sync-"+kind+remotetest.Suffix)
			s := newSite(t, 3)
			c := u.client(t, kind)
			sub, err := c.Subscribe(t.Context(), s.feedURL, "My Notes", "Tech")
			if err != nil {
				t.Fatalf("subscribe: %v", err)
			}
			if sub.URL != s.feedURL || sub.Title != "My Notes" || sub.Category != "Tech" {
				t.Errorf("subscribed %+v, want %s titled My Notes in Tech", sub, s.feedURL)
			}
			st := openCache(t, filepath.Join(t.TempDir(), "kiosk.db"))

			// First sync: every entry, with its full article, offline.
			res := syncAll(t, c, st, u.account(kind))
			if res.NewEntries != 3 || len(res.Subscriptions) != 1 || res.Subscriptions[0].Category != "Tech" {
				t.Fatalf("first sync = %+v, want 3 new entries of 1 subscription in Tech", res)
			}
			for i := 1; i <= 3; i++ {
				it := item(t, st, s.uid(i))
				if !it.Offline || it.Read || it.Starred || it.Title != fmt.Sprintf("Item %d", i) {
					t.Errorf("item %d = offline %v read %v starred %v title %q, want its full article, unread", i, it.Offline, it.Read, it.Starred, it.Title)
				}
				a, err := st.Article(t.Context(), s.uid(i))
				if err != nil || !strings.Contains(a.Body, "exit code 23") {
					t.Errorf("article %d: %v; body has the page's text: %v", i, err, strings.Contains(a.Body, "exit code 23"))
				}
			}
			feeds, err := st.ServerFeeds(t.Context())
			if err != nil || len(feeds) != 1 || feeds[0].Title != "My Notes" {
				t.Errorf("stored subscriptions = %+v, %v", feeds, err)
			}

			// kiosk → server.
			if err := st.SetRead(t.Context(), s.uid(1), true); err != nil {
				t.Fatal(err)
			}
			if err := st.SetStarred(t.Context(), s.uid(2), true); err != nil {
				t.Fatal(err)
			}
			if n := pending(t, st); n != 2 {
				t.Errorf("queued changes = %d, want 2", n)
			}
			res = syncAll(t, c, st, u.account(kind))
			if res.Pushed != 2 || pending(t, st) != 0 {
				t.Errorf("pushed %d, %d still queued; want 2, 0", res.Pushed, pending(t, st))
			}
			on := u.serverEntries(t)
			if on[s.itemURL(1)].Status != "read" || !on[s.itemURL(2)].Starred || on[s.itemURL(3)].Status != "unread" {
				t.Errorf("server after push: %+v", on)
			}

			// server → kiosk: another device stars item 3 and reads item 2.
			u.serverSet(t, fmt.Sprintf(`{"entry_ids":[%d],"starred":true}`, on[s.itemURL(3)].ID))
			u.serverSet(t, fmt.Sprintf(`{"entry_ids":[%d],"status":"read"}`, on[s.itemURL(2)].ID))
			res = syncAll(t, c, st, u.account(kind))
			if it := item(t, st, s.uid(3)); !it.Starred || it.Read {
				t.Errorf("item 3 after the server starred it: starred %v read %v", it.Starred, it.Read)
			}
			if it := item(t, st, s.uid(2)); !it.Read || !it.Starred {
				t.Errorf("item 2 after the server read it: read %v starred %v", it.Read, it.Starred)
			}
			if res.Applied.Starred != 1 || res.Applied.Read != 1 || res.Pushed != 0 {
				t.Errorf("applied %+v, pushed %d; want 1 read, 1 starred, nothing pushed", res.Applied, res.Pushed)
			}

			// A sync with nothing new changes nothing. (Miniflux's cursor
			// keeps a 2-second margin, on the server's whole-second
			// clock, for changes made while it pulls: the entries changed
			// up to 3 s before the last sync come again. Wait that out,
			// so that the next sync shows what it downloads.)
			if kind == remote.KindMiniflux {
				time.Sleep(3100 * time.Millisecond)
			}
			res = syncAll(t, c, st, u.account(kind))
			if res.NewEntries != 0 || res.Applied != (remote.Applied{}) || res.Pushed != 0 {
				t.Errorf("sync with nothing new = %+v", res)
			}
			// Incremental: a new item on the feed; only it is downloaded.
			s.setItems(4)
			if err := srv.API(u.name, u.password, http.MethodPut, "/v1/feeds/"+sub.ID[strings.LastIndex(sub.ID, "/")+1:]+"/refresh", "", nil); err != nil {
				t.Fatal(err)
			}
			res = syncAll(t, c, st, u.account(kind))
			if res.NewEntries != 1 {
				t.Errorf("incremental sync: %d new entries, want 1", res.NewEntries)
			}
			if res.Items != 1 {
				t.Errorf("incremental sync downloaded %d items, want only the new one", res.Items)
			}
			if it := item(t, st, s.uid(4)); !it.Offline || it.Read {
				t.Errorf("new item 4: offline %v read %v", it.Offline, it.Read)
			}

			// A wrong password: one clear error without the secret, and
			// the cache as it was.
			bad, err := remote.New(remote.Config{Kind: kind, URL: srv.URL, User: u.name, Password: "Wrong-Pass-42"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = remote.Sync(t.Context(), bad, st, u.account(kind))
			if !errors.Is(err, remote.ErrAuth) || strings.Contains(err.Error(), "Wrong-Pass-42") {
				t.Errorf("sync with a wrong password: %v; want ErrAuth without the password", err)
			}
			acct, _, err := st.ServerAccount(t.Context())
			if err != nil || acct.LastError == "" || acct.Items != 4 || acct.LastSync.IsZero() {
				t.Errorf("account after the failed sync = %+v, %v; want the error recorded and the 4 items kept", acct, err)
			}
			if it := item(t, st, s.uid(3)); !it.Starred || !it.Offline {
				t.Errorf("item 3 after the failed sync: starred %v offline %v", it.Starred, it.Offline)
			}
		})
	}
}

// TestServerConflicts: changes made on both sides since the last sync.
// Miniflux tells when its change was made and the later change of a field
// wins; a Google Reader server does not, and kiosk's queued change wins. A
// change of the other field on the server never undoes kiosk's.
func TestServerConflicts(t *testing.T) {
	needServer(t)
	for _, kind := range []string{remote.KindMiniflux, remote.KindGReader} {
		t.Run(kind, func(t *testing.T) {
			u := newUser(t, "conflict-"+kind+remotetest.Suffix)
			s := newSite(t, 3)
			c := u.client(t, kind)
			if _, err := c.Subscribe(t.Context(), s.feedURL, "", ""); err != nil {
				t.Fatal(err)
			}
			st := openCache(t, filepath.Join(t.TempDir(), "kiosk.db"))
			syncAll(t, c, st, u.account(kind))
			on := u.serverEntries(t)

			// Item 1: kiosk reads it, then the server stars it: both stay.
			// Item 2: the server reads it, then kiosk reads and unreads
			// it: kiosk's is the later change. Item 3: kiosk reads and
			// unreads it, then the server reads it: the server's is later.
			set := func(i int, read bool) {
				if err := st.SetRead(t.Context(), s.uid(i), read); err != nil {
					t.Fatal(err)
				}
			}
			set(1, true)
			set(3, true)
			set(3, false)
			time.Sleep(20 * time.Millisecond)
			u.serverSet(t, fmt.Sprintf(`{"entry_ids":[%d],"starred":true}`, on[s.itemURL(1)].ID))
			u.serverSet(t, fmt.Sprintf(`{"entry_ids":[%d,%d],"status":"read"}`, on[s.itemURL(2)].ID, on[s.itemURL(3)].ID))
			time.Sleep(20 * time.Millisecond)
			set(2, true)
			set(2, false)
			syncAll(t, c, st, u.account(kind))
			after := u.serverEntries(t)
			it1, it2, it3 := item(t, st, s.uid(1)), item(t, st, s.uid(2)), item(t, st, s.uid(3))
			if !it1.Starred || !it1.Read || after[s.itemURL(1)].Status != "read" {
				t.Errorf("item 1: kiosk read %v starred %v, server %s; want read on both and the server's star", it1.Read, it1.Starred, after[s.itemURL(1)].Status)
			}
			if it2.Read || after[s.itemURL(2)].Status != "unread" {
				t.Errorf("item 2 (kiosk later): kiosk read %v, server %s; want unread on both", it2.Read, after[s.itemURL(2)].Status)
			}
			switch kind {
			case remote.KindMiniflux: // the later change wins
				if !it3.Read || after[s.itemURL(3)].Status != "read" {
					t.Errorf("item 3 (server later): kiosk read %v, server %s; want read on both", it3.Read, after[s.itemURL(3)].Status)
				}
			default: // no server time: kiosk's queued change wins
				if it3.Read || after[s.itemURL(3)].Status != "unread" {
					t.Errorf("item 3: kiosk read %v, server %s; want unread on both", it3.Read, after[s.itemURL(3)].Status)
				}
			}
			if n := pending(t, st); n != 0 {
				t.Errorf("%d changes still queued", n)
			}
		})
	}
}

// TestServerQueueSurvivesKill marks an entry read in another process that
// is killed before it could push; the next sync pushes the change. A sync
// that cannot reach the server keeps the queue too.
func TestServerQueueSurvivesKill(t *testing.T) {
	needServer(t)
	kind := remote.KindMiniflux
	u := newUser(t, "kill"+remotetest.Suffix)
	s := newSite(t, 2)
	c := u.client(t, kind)
	if _, err := c.Subscribe(t.Context(), s.feedURL, "", ""); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "kiosk.db")
	st := openCache(t, db)
	syncAll(t, c, st, u.account(kind))
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMarkAndHang$")
	cmd.Env = append(os.Environ(), helperEnv+"="+db, "KIOSK_REMOTE_HELPER_ID="+s.uid(1))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "marked" {
		t.Fatalf("helper said %q, %v", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("the helper was not killed")
	}

	st = openCache(t, db)
	if n := pending(t, st); n != 1 {
		t.Fatalf("queued after the kill: %d, want 1", n)
	}
	// The server is unreachable: the sync fails, the queue stays.
	dead, err := remote.New(remote.Config{Kind: kind, URL: "http://127.0.0.1:1", User: u.name, Password: u.password})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := remote.Sync(ctx, dead, st, u.account(kind)); err == nil {
		t.Fatal("sync with an unreachable server worked")
	}
	if n := pending(t, st); n != 1 {
		t.Fatalf("queued after a failed sync: %d, want 1", n)
	}
	res := syncAll(t, c, st, u.account(kind))
	if res.Pushed != 1 || u.serverEntries(t)[s.itemURL(1)].Status != "read" {
		t.Errorf("pushed %d; server has item 1 %s; want it read", res.Pushed, u.serverEntries(t)[s.itemURL(1)].Status)
	}
}

// TestHelperMarkAndHang is the killed process of TestServerQueueSurvivesKill.
func TestHelperMarkAndHang(t *testing.T) {
	db := os.Getenv(helperEnv)
	if db == "" {
		t.Skip("helper process only")
	}
	st, err := cache.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetRead(context.Background(), os.Getenv("KIOSK_REMOTE_HELPER_ID"), true); err != nil {
		t.Fatal(err)
	}
	fmt.Println("marked")
	time.Sleep(time.Minute) // killed long before
	t.Fatal("not killed " + strconv.Itoa(os.Getpid()))
}

// TestServerMistypedURLKeepsQueue: a sync against a URL that does not
// answer leaves the attached server, its mapping and its queue alone.
func TestServerMistypedURLKeepsQueue(t *testing.T) {
	needServer(t)
	u := newUser(t, "typo"+remotetest.Suffix)
	s := newSite(t, 1)
	c := u.client(t, remote.KindMiniflux)
	if _, err := c.Subscribe(t.Context(), s.feedURL, "", ""); err != nil {
		t.Fatal(err)
	}
	st := openCache(t, filepath.Join(t.TempDir(), "kiosk.db"))
	syncAll(t, c, st, u.account(remote.KindMiniflux))
	if err := st.SetRead(t.Context(), s.uid(1), true); err != nil {
		t.Fatal(err)
	}
	typo, err := remote.New(remote.Config{Kind: remote.KindMiniflux, URL: "http://127.0.0.1:1/", User: u.name, Password: u.password})
	if err != nil {
		t.Fatal(err)
	}
	acct := remote.Account{Kind: remote.KindMiniflux, URL: "http://127.0.0.1:1", User: u.name}
	if _, err := remote.Sync(t.Context(), typo, st, acct); err == nil {
		t.Fatal("sync with a dead URL worked")
	}
	got, ok, err := st.ServerAccount(t.Context())
	if err != nil || !ok || got.URL != srv.URL || got.Pending != 1 || got.Items != 1 {
		t.Errorf("account after the failed sync = %+v, %v, %v; want the old server with its queue", got, ok, err)
	}
}

// TestServerAttachExistingCache: a cache that read a feed directly (its
// entries named by GUIDs the server does not pass on) is attached to a
// server that polls the same feed: no entry is doubled, and what was read
// before is pushed.
func TestServerAttachExistingCache(t *testing.T) {
	needServer(t)
	kind := remote.KindMiniflux
	u := newUser(t, "attach"+remotetest.Suffix)
	s := newSite(t, 2)
	s.tagGUIDs = true
	st := openCache(t, filepath.Join(t.TempDir(), "kiosk.db"))
	direct := &fetch.Syncer{Client: fetch.NewClient(fetch.ClientOptions{}), Store: st}
	if _, err := direct.Run(t.Context(), []string{s.feedURL}, nil); err != nil {
		t.Fatal(err)
	}
	guidID := fetch.EntryID(s.feedURL, "", "tag:site.test,2026:item-1", s.itemURL(1))
	if err := st.SetRead(t.Context(), guidID, true); err != nil {
		t.Fatalf("read the directly fetched entry %s: %v", guidID, err)
	}
	c := u.client(t, kind)
	if _, err := c.Subscribe(t.Context(), s.feedURL, "", ""); err != nil {
		t.Fatal(err)
	}
	res := syncAll(t, c, st, u.account(kind))
	if res.NewEntries != 0 || res.Pushed != 1 {
		t.Errorf("first server sync = %d new entries, %d pushed; want none new and the read pushed", res.NewEntries, res.Pushed)
	}
	items, err := st.List(t.Context(), cache.Query{})
	if err != nil || len(items) != 2 {
		t.Errorf("the cache lists %d entries, %v; want the 2 it had", len(items), err)
	}
	if u.serverEntries(t)[s.itemURL(1)].Status != "read" {
		t.Error("the read made before the server was attached did not reach it")
	}
}
