package remote_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch/remote"
	"github.com/kiosk-reader/kiosk/fetch/remote/remotetest"
)

// benchEntries is the size of the server the benchmarks sync with: 20
// subscriptions of 1,000 entries each, with a teaser of about 1 kB, every
// third one read and every twentieth starred.
const (
	benchFeeds    = 20
	benchPerFeed  = 1000
	benchEntries  = benchFeeds * benchPerFeed
	benchPushSize = 1000
)

var (
	benchOnce sync.Once
	benchUser user
	benchErr  error
)

// benchServer fills a user's account on the test server once: the feeds
// subscribed through the API (Miniflux polls them), the entries written
// into its database directly (polling 20,000 items would measure
// Miniflux, not kiosk).
func benchServer(b *testing.B) user {
	b.Helper()
	if srv == nil {
		b.Skip("no Miniflux (set KIOSK_MINIFLUX, see fetch/remote/remotetest)")
	}
	benchOnce.Do(func() {
		u := user{name: "bench" + remotetest.Suffix, password: "bench-Secret-pw"}
		if benchErr = srv.NewUser(u.name, u.password); benchErr != nil {
			return
		}
		s := newSiteB(b)
		c, err := remote.New(remote.Config{Kind: remote.KindMiniflux, URL: srv.URL, User: u.name, Password: u.password})
		if err != nil {
			benchErr = err
			return
		}
		for i := range benchFeeds {
			if _, err := c.Subscribe(b.Context(), fmt.Sprintf("%s?f=%d", s.feedURL, i), fmt.Sprintf("Feed %d", i), fmt.Sprintf("Category %d", i%4)); err != nil {
				benchErr = err
				return
			}
		}
		teaser := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 18)
		_, benchErr = srv.SQLDB("miniflux", fmt.Sprintf(`INSERT INTO entries (user_id, feed_id, hash, published_at, title, url, author, content, status, starred, changed_at, created_at)
			SELECT u.id, f.id, md5(f.id::text || '-' || g::text), now() - g * interval '1 minute', 'Entry ' || g || ' of ' || f.title,
				'%s/a/' || f.id || '-' || g || '.html', 'Author', '<p>%s ' || g || '</p>',
				CASE WHEN g %% 3 = 0 THEN 'read'::entry_status ELSE 'unread'::entry_status END, g %% 20 = 0,
				now() - interval '1 hour', now() - interval '1 hour'
			FROM users u JOIN feeds f ON f.user_id = u.id, generate_series(1, %d) g
			WHERE u.username = '%s'`, s.srv.URL, teaser, benchPerFeed, u.name))
		benchUser = u
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchUser
}

// newSiteB is a one-item feed site that outlives the benchmark that made
// it (the shared account's feeds point at it).
func newSiteB(b *testing.B) *site {
	return newSiteTB(b, 1, false)
}

func openCacheB(b *testing.B) *cache.Store {
	b.Helper()
	st, err := cache.Open(b.Context(), filepath.Join(b.TempDir(), "kiosk.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	return st
}

// BenchmarkServerSync measures, for each protocol against the real
// Miniflux with 20,000 entries: the first sync (subscriptions, entries and
// state, no article pages) into an empty cache, a sync with nothing new,
// and pushing 1,000 queued changes.
func BenchmarkServerSync(b *testing.B) {
	u := benchServer(b)
	for _, kind := range []string{remote.KindMiniflux, remote.KindGReader} {
		c, err := remote.New(remote.Config{Kind: kind, URL: srv.URL, User: u.name, Password: u.password})
		if err != nil {
			b.Fatal(err)
		}
		acct := remote.Account{Kind: kind, URL: srv.URL, User: u.name}
		b.Run(kind+"/first-20k", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				st := openCacheB(b)
				b.StartTimer()
				res, err := remote.Sync(b.Context(), c, st, acct)
				if err != nil || res.NewEntries < benchEntries {
					b.Fatalf("first sync = %d new entries, %v", res.NewEntries, err)
				}
			}
		})
		st := openCacheB(b)
		if _, err := remote.Sync(b.Context(), c, st, acct); err != nil {
			b.Fatal(err)
		}
		b.Run(kind+"/nothing-new", func(b *testing.B) {
			for b.Loop() {
				res, err := remote.Sync(b.Context(), c, st, acct)
				if err != nil || res.NewEntries != 0 || res.Pushed != 0 {
					b.Fatalf("sync = %+v, %v", res, err)
				}
			}
		})
		b.Run(kind+"/push-1000", func(b *testing.B) {
			items, err := st.List(b.Context(), cache.Query{Unread: true, Limit: benchPushSize})
			if err != nil || len(items) != benchPushSize {
				b.Fatalf("list %d unread: %v", len(items), err)
			}
			ids := make([]string, len(items))
			for i, it := range items {
				ids[i] = it.ID
			}
			for b.Loop() {
				b.StopTimer()
				if _, err := st.SetReadIDs(b.Context(), ids, true); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				n, err := remote.PushQueued(b.Context(), c, st)
				b.StopTimer()
				if err != nil || n != benchPushSize {
					b.Fatalf("pushed %d, %v", n, err)
				}
				// Back to unread, on both sides, untimed.
				if _, err := st.SetReadIDs(b.Context(), ids, false); err != nil {
					b.Fatal(err)
				}
				if _, err := remote.PushQueued(b.Context(), c, st); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}
