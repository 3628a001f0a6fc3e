// Package remote syncs kiosk with a feed server that people use from
// several devices: Miniflux through its REST API, and any Google Reader API
// server (Miniflux, FreshRSS, Inoreader, The Old Reader, BazQux).
//
// With a server, the server owns the subscriptions and the read and starred
// state; kiosk keeps the full articles. A sync (Sync) lists the
// subscriptions, pulls the entries that are new or changed since the last
// sync (each protocol's own paging), stores them as ordinary cache entries,
// applies the server's read and starred changes, pushes the changes made
// in kiosk, and leaves the full articles to fetch.Syncer as for any feed.
//
// Changes made in kiosk wait in a durable queue in the cache (written in
// the same transaction as the change itself) until the server has taken
// them, so a change made offline, or before kiosk was killed, is pushed by
// the next sync that reaches the server. When the same field of an entry
// (read, starred) changed on both sides since the last sync, the later
// change wins. A server change is seen as the field's value differing from
// the one kiosk last knew the server to have; Miniflux's change time is the
// entry's, so a star made on the server does not undo a read made in
// kiosk. A Google Reader server does not say when its change was made, and
// then kiosk's own queued change wins.
//
// The password is used for the requests only: it never appears in an error,
// a log line or the cache.
package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// Kinds of server.
const (
	KindMiniflux = "miniflux"
	KindGReader  = "greader"
)

// Config says how to reach a server.
type Config struct {
	Kind     string // KindMiniflux or KindGReader
	URL      string // base URL (Miniflux: its root; Google Reader: the API root, e.g. FreshRSS's .../api/greader.php)
	User     string // empty for Miniflux means Password is an API key
	Password string
	// HTTP is the client for the server's requests; nil means one with a
	// 60-second timeout.
	HTTP *http.Client
}

// ErrAuth says the server refused the credentials.
var ErrAuth = errors.New("the server refused the login (check user and password)")

// Subscription is a feed the server polls for the user.
type Subscription struct {
	ID       string // the server's ID of the feed
	URL      string // the feed's URL
	Title    string
	SiteURL  string
	Category string // folder or category, "" when none
}

// Item is an entry on the server with its state.
type Item struct {
	ID      string // the server's ID of the entry (decimal)
	Entry   fetch.Entry
	Read    bool
	Starred bool
	// Changed is when the server last changed the item's state; zero when
	// the protocol does not say.
	Changed time.Time
}

// Field is a piece of an entry's state kept in sync.
type Field string

// The fields synced with a server.
const (
	FieldRead    Field = "read"
	FieldStarred Field = "starred"
)

// Change is one queued local change for one server item.
type Change struct {
	ItemID  string // the server's item ID
	EntryID int64  // the cache's row of the entry
	Field   Field
	Value   bool
	At      time.Time // when it was made in kiosk
}

// Pull is what a server reports since a cursor.
type Pull struct {
	// Items are the entries new since the cursor and, where the protocol
	// tells them (Miniflux), the entries whose state changed.
	Items []Item
	// Sets, when not nil, is the server's complete unread and starred
	// state (Google Reader), to compare with what kiosk last saw.
	Sets *StateSets
	// Cursor is where the next pull starts.
	Cursor string
}

// StateSets is the read and starred state of a server: the IDs of its
// unread items and of its starred items. A list that took several pages
// may have missed an item (the server pages by offset, and items change
// meanwhile): then an item missing from it says nothing, and only the
// items in it count.
type StateSets struct {
	Unread, Starred                 map[string]bool
	UnreadComplete, StarredComplete bool
}

// Client is one protocol's client.
type Client interface {
	// Subscriptions lists the user's feeds.
	Subscriptions(ctx context.Context) ([]Subscription, error)
	// Subscribe adds a feed, with a title ("" keeps the feed's) and a
	// category ("" for none or the server's default).
	Subscribe(ctx context.Context, feedURL, title, category string) (Subscription, error)
	// Unsubscribe removes a feed.
	Unsubscribe(ctx context.Context, sub Subscription) error
	// Pull returns what changed since cursor ("" means everything). known
	// says which item IDs the cache has seen (see Store.KnownServerItems),
	// so that a protocol that lists IDs first only downloads the new ones.
	Pull(ctx context.Context, cursor string, subs []Subscription, known func([]string) (map[string]bool, error)) (Pull, error)
	// Push sends kiosk's changes.
	Push(ctx context.Context, changes []Change) error
}

// New returns the client for cfg.Kind.
func New(cfg Config) (Client, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server url %q: want an http or https URL", redactURL(cfg.URL))
	}
	if u.User != nil {
		return nil, errors.New("server url: put the user in user = and the password in password_command, not in the URL")
	}
	cfg.URL = strings.TrimRight(u.String(), "/")
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 60 * time.Second}
	}
	switch cfg.Kind {
	case KindMiniflux:
		if cfg.Password == "" {
			return nil, errors.New("miniflux: no password or API key (password_command or KIOSK_SERVER_PASSWORD)")
		}
		return &miniflux{cfg: cfg}, nil
	case KindGReader:
		if cfg.User == "" || cfg.Password == "" {
			return nil, errors.New("greader: needs user and password (password_command or KIOSK_SERVER_PASSWORD)")
		}
		return &greader{cfg: cfg}, nil
	}
	return nil, fmt.Errorf("server kind %q: want %q or %q", cfg.Kind, KindGReader, KindMiniflux)
}

// redactURL drops a password from a URL for messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// roundTrip sends req with hc and reads the answer, at most limit bytes.
// Its errors name what and hold none of secrets. A status outside 2xx is
// the caller's to judge (greader logs in again after a 401).
func roundTrip(hc *http.Client, req *http.Request, what string, limit int, secrets ...string) (*http.Response, []byte, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, scrub(fmt.Errorf("%s: %w", what, err), secrets...)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	if err != nil {
		return nil, nil, scrub(fmt.Errorf("%s: read answer: %w", what, err), secrets...)
	}
	if len(data) > limit {
		return nil, nil, fmt.Errorf("%s: answer larger than %d MB", what, max(1, limit>>20))
	}
	return resp, data, nil
}

// scrub removes the secrets from an error's text, whatever put them there
// (a server echoing a form, a URL in a transport error).
func scrub(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := hide(err.Error(), secrets)
	if msg == err.Error() {
		return err
	}
	return scrubbed{msg: msg, err: err}
}

// hide replaces every secret in s, as given and as a form or URL encodes
// it, by ***.
func hide(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		for _, form := range []string{sec, url.QueryEscape(sec), url.PathEscape(sec)} {
			s = strings.ReplaceAll(s, form, "***")
		}
	}
	return s
}

type scrubbed struct {
	msg string
	err error
}

func (s scrubbed) Error() string { return s.msg }

// Is keeps errors.Is working for the sentinel errors without exposing the
// wrapped text through Unwrap-based printing.
func (s scrubbed) Is(target error) bool { return errors.Is(s.err, target) }

// statusError is an HTTP status the server answered with; the secrets are
// hidden in the server's text before anything else touches it.
func statusError(what string, resp *http.Response, body []byte, secrets ...string) error {
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return fmt.Errorf("%s: %w (HTTP %d)", what, ErrAuth, resp.StatusCode)
	}
	msg := fetch.CleanLine(hide(string(body), secrets))
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	if msg != "" {
		return fmt.Errorf("%s: server answered HTTP %d: %s", what, resp.StatusCode, msg)
	}
	return fmt.Errorf("%s: server answered HTTP %d", what, resp.StatusCode)
}

// pushGroup is the changes of one field to one value: one kind of request.
type pushGroup struct {
	Field Field
	Value bool
	IDs   []string
}

// groupChanges splits changes by field and value, in the order they first
// appear, into batches of at most size item IDs, so that a push takes as
// few requests as the protocol allows.
func groupChanges(changes []Change, size int) []pushGroup {
	type key struct {
		f Field
		v bool
	}
	ids := map[key][]string{}
	var order []key
	for _, c := range changes {
		k := key{c.Field, c.Value}
		if _, ok := ids[k]; !ok {
			order = append(order, k)
		}
		ids[k] = append(ids[k], c.ItemID)
	}
	var out []pushGroup
	for _, k := range order {
		for list := ids[k]; len(list) > 0; {
			n := min(len(list), size)
			out = append(out, pushGroup{Field: k.f, Value: k.v, IDs: list[:n]})
			list = list[n:]
		}
	}
	return out
}
