package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// miniflux speaks Miniflux's REST API (/v1). With a user it logs in with
// HTTP basic auth; without one, the password is an API key (X-Auth-Token).
type miniflux struct {
	cfg Config
}

// mfPage is the number of entries asked for per request.
const mfPage = 1000

// maxAnswer caps a server's answer (a page of 1000 entries with their
// content is a few MB).
const maxAnswer = 256 << 20

func (m *miniflux) do(ctx context.Context, method, path string, body any, out any) (http.Header, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, m.cfg.URL+path, rd)
	if err != nil {
		return nil, err
	}
	if m.cfg.User != "" {
		req.SetBasicAuth(m.cfg.User, m.cfg.Password)
	} else {
		req.Header.Set("X-Auth-Token", m.cfg.Password)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	what := "miniflux " + method + " " + strings.SplitN(path, "?", 2)[0]
	resp, data, err := roundTrip(m.cfg.HTTP, req, what, maxAnswer, m.cfg.Password)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, scrub(statusError(what, resp, data, m.cfg.Password), m.cfg.Password)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return nil, fmt.Errorf("%s: decode answer: %w", what, err)
		}
	}
	return resp.Header, nil
}

type mfCategory struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

type mfFeed struct {
	ID       int64      `json:"id"`
	FeedURL  string     `json:"feed_url"`
	SiteURL  string     `json:"site_url"`
	Title    string     `json:"title"`
	Category mfCategory `json:"category"`
}

func (f mfFeed) subscription() Subscription {
	return Subscription{ID: strconv.FormatInt(f.ID, 10), URL: f.FeedURL, Title: fetch.CleanLine(f.Title), SiteURL: f.SiteURL, Category: fetch.CleanLine(f.Category.Title)}
}

func (m *miniflux) Subscriptions(ctx context.Context) ([]Subscription, error) {
	var feeds []mfFeed
	if _, err := m.do(ctx, http.MethodGet, "/v1/feeds", nil, &feeds); err != nil {
		return nil, err
	}
	subs := make([]Subscription, 0, len(feeds))
	for _, f := range feeds {
		subs = append(subs, f.subscription())
	}
	return subs, nil
}

// category returns the ID of the category named title, creating it; ""
// means the user's first category (Miniflux puts every feed in one).
func (m *miniflux) category(ctx context.Context, title string) (int64, error) {
	var cats []mfCategory
	if _, err := m.do(ctx, http.MethodGet, "/v1/categories", nil, &cats); err != nil {
		return 0, err
	}
	for _, c := range cats {
		if (title == "" && len(cats) > 0) || strings.EqualFold(c.Title, title) {
			return c.ID, nil
		}
	}
	if title == "" {
		title = "All"
	}
	var c mfCategory
	if _, err := m.do(ctx, http.MethodPost, "/v1/categories", map[string]string{"title": title}, &c); err != nil {
		return 0, err
	}
	return c.ID, nil
}

func (m *miniflux) Subscribe(ctx context.Context, feedURL, title, category string) (Subscription, error) {
	catID, err := m.category(ctx, category)
	if err != nil {
		return Subscription{}, err
	}
	var created struct {
		FeedID int64 `json:"feed_id"`
	}
	if _, err := m.do(ctx, http.MethodPost, "/v1/feeds", map[string]any{"feed_url": feedURL, "category_id": catID}, &created); err != nil {
		return Subscription{}, err
	}
	path := "/v1/feeds/" + strconv.FormatInt(created.FeedID, 10)
	if title != "" {
		if _, err := m.do(ctx, http.MethodPut, path, map[string]string{"title": title}, nil); err != nil {
			return Subscription{}, err
		}
	}
	var f mfFeed
	if _, err := m.do(ctx, http.MethodGet, path, nil, &f); err != nil {
		return Subscription{}, err
	}
	return f.subscription(), nil
}

func (m *miniflux) Unsubscribe(ctx context.Context, sub Subscription) error {
	_, err := m.do(ctx, http.MethodDelete, "/v1/feeds/"+url.PathEscape(sub.ID), nil, nil)
	return err
}

type mfEntry struct {
	ID          int64     `json:"id"`
	FeedID      int64     `json:"feed_id"`
	Status      string    `json:"status"`
	Title       string    `json:"title"`
	URL         string    `json:"url"`
	PublishedAt time.Time `json:"published_at"`
	ChangedAt   time.Time `json:"changed_at"`
	Content     string    `json:"content"`
	Author      string    `json:"author"`
	Starred     bool      `json:"starred"`
	Feed        struct {
		FeedURL string `json:"feed_url"`
	} `json:"feed"`
}

// mfCursor is the cursor of the REST API: "changed:" and the Unix second
// after which the server's changes are still to be pulled.
const mfCursorPrefix = "changed:"

// Pull pages through the entries changed after the cursor (new entries
// count as changed), by ascending ID so that paging is stable while the
// server adds entries. The next cursor is the server's clock (its Date
// header, whole seconds) before the first page, less a margin of 2 s for
// a change whose transaction began before that: such changes are pulled
// again next time rather than missed. Servers behind a load balancer with
// clocks further apart than the margin could still miss one.
func (m *miniflux) Pull(ctx context.Context, cursor string, subs []Subscription, _ func([]string) (map[string]bool, error)) (Pull, error) {
	var after int64
	if cursor != "" {
		s, ok := strings.CutPrefix(cursor, mfCursorPrefix)
		n, err := strconv.ParseInt(s, 10, 64)
		if !ok || err != nil {
			return Pull{}, fmt.Errorf("miniflux: bad sync cursor %q", cursor)
		}
		after = n
	}
	feedURLs := make(map[int64]string, len(subs))
	for _, s := range subs {
		if id, err := strconv.ParseInt(s.ID, 10, 64); err == nil {
			feedURLs[id] = s.URL
		}
	}
	// The server's clock before anything is listed (a cheap request):
	// the Date of a listing would come after its snapshot.
	h, err := m.do(ctx, http.MethodGet, "/v1/me", nil, nil)
	if err != nil {
		return Pull{}, err
	}
	serverStart := time.Now()
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		serverStart = d
	}
	var p Pull
	var lastID int64
	for {
		q := url.Values{}
		q.Set("order", "id")
		q.Set("direction", "asc")
		q.Set("limit", strconv.Itoa(mfPage))
		q.Add("status", "unread")
		q.Add("status", "read")
		if lastID > 0 {
			q.Set("after_entry_id", strconv.FormatInt(lastID, 10))
		}
		if after > 0 {
			q.Set("changed_after", strconv.FormatInt(after, 10))
		}
		var page struct {
			Entries []mfEntry `json:"entries"`
		}
		if _, err := m.do(ctx, http.MethodGet, "/v1/entries?"+q.Encode(), nil, &page); err != nil {
			return Pull{}, err
		}
		for _, e := range page.Entries {
			lastID = max(lastID, e.ID)
			feedURL := feedURLs[e.FeedID]
			if feedURL == "" {
				feedURL = e.Feed.FeedURL
			}
			entry, ok := fetch.EntryFromServer(fetch.ServerItem{FeedURL: feedURL, Link: e.URL, Title: e.Title, Content: e.Content, Author: e.Author, Published: e.PublishedAt})
			if !ok {
				entry = fetch.Entry{} // kept as known, never stored
			}
			p.Items = append(p.Items, Item{ID: strconv.FormatInt(e.ID, 10), Entry: entry, Read: e.Status == "read", Starred: e.Starred, Changed: e.ChangedAt})
		}
		if len(page.Entries) < mfPage {
			break
		}
	}
	p.Cursor = mfCursorPrefix + strconv.FormatInt(serverStart.Add(-2*time.Second).Unix(), 10)
	return p, nil
}

// Push sends the changes in as few requests as the API allows: one per
// field and value, 1000 entries each.
func (m *miniflux) Push(ctx context.Context, changes []Change) error {
	for _, g := range groupChanges(changes, 1000) {
		ids := make([]int64, 0, len(g.IDs))
		for _, s := range g.IDs {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				ids = append(ids, id) // else not a Miniflux ID: nothing it could take
			}
		}
		if len(ids) == 0 {
			continue
		}
		body := map[string]any{"entry_ids": ids}
		if g.Field == FieldStarred {
			body["starred"] = g.Value
		} else {
			body["status"] = map[bool]string{true: "read", false: "unread"}[g.Value]
		}
		if _, err := m.do(ctx, http.MethodPut, "/v1/entries", body, nil); err != nil {
			return err // the next request would fail the same way
		}
	}
	return nil
}
