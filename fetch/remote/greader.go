package remote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// greader speaks the Google Reader API as Miniflux, FreshRSS, Inoreader,
// The Old Reader and BazQux serve it: ClientLogin for a token, stream IDs
// to list items, item contents by ID, edit-tag for state.
type greader struct {
	cfg Config

	mu    sync.Mutex
	auth  string // ClientLogin token
	token string // edit token (T)
}

// Google Reader's stream and state names.
const (
	grReadingList = "user/-/state/com.google/reading-list"
	grRead        = "user/-/state/com.google/read"
	grStarred     = "user/-/state/com.google/starred"
	grItemPrefix  = "tag:google.com,2005:reader/item/"
	grIDsPage     = 10000 // item IDs per request (Miniflux's maximum)
	grContentPage = 250   // item contents per request
)

func (g *greader) login(ctx context.Context) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.auth != "" {
		return g.auth, nil
	}
	form := url.Values{"Email": {g.cfg.User}, "Passwd": {g.cfg.Password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.cfg.URL+"/accounts/ClientLogin", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body, err := roundTrip(g.cfg.HTTP, req, "greader login", 1<<20, g.cfg.Password)
	if err != nil {
		return "", err
	}
	if resp.StatusCode/100 != 2 {
		return "", scrub(statusError("greader login", resp, body, g.cfg.Password), g.cfg.Password)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Auth="); ok && v != "" {
			g.auth = v
			return v, nil
		}
	}
	return "", errors.New("greader login: the answer has no Auth token")
}

// do sends a request with the login token; a 401 logs in again once (the
// token may have expired).
func (g *greader) do(ctx context.Context, method, path string, form url.Values, out any) error {
	for attempt := 0; ; attempt++ {
		auth, err := g.login(ctx)
		if err != nil {
			return err
		}
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequestWithContext(ctx, method, g.cfg.URL+path, body)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "GoogleLogin auth="+auth)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		what := "greader " + strings.SplitN(path, "?", 2)[0]
		resp, data, err := roundTrip(g.cfg.HTTP, req, what, maxAnswer, g.cfg.Password, auth)
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			g.mu.Lock()
			g.auth, g.token = "", ""
			g.mu.Unlock()
			continue
		}
		if resp.StatusCode/100 != 2 {
			return scrub(statusError(what, resp, data, g.cfg.Password, auth), g.cfg.Password, auth)
		}
		if out == nil {
			return nil
		}
		if s, ok := out.(*string); ok {
			*s = strings.TrimSpace(string(data))
			return nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s: decode answer: %w", what, err)
		}
		return nil
	}
}

// edit sends a POST with the edit token (T), which some servers (Miniflux)
// want on every form POST, fetching a new token once when the server
// refuses the old one.
func (g *greader) edit(ctx context.Context, path string, form url.Values, out any) error {
	for attempt := 0; ; attempt++ {
		g.mu.Lock()
		tok := g.token
		g.mu.Unlock()
		if tok == "" {
			if err := g.do(ctx, http.MethodGet, "/reader/api/0/token", nil, &tok); err != nil {
				return err
			}
			g.mu.Lock()
			g.token = tok
			g.mu.Unlock()
		}
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("T", tok)
		err := g.do(ctx, http.MethodPost, path, f, out)
		if err != nil && attempt == 0 && errors.Is(err, ErrAuth) {
			// An expired edit token is refused like a bad login on some
			// servers: fetch a new one and try once more.
			g.mu.Lock()
			g.token = ""
			g.mu.Unlock()
			continue
		}
		return err
	}
}

type grSubscription struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	URL        string `json:"url"`
	HTMLURL    string `json:"htmlUrl"`
	Categories []struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	} `json:"categories"`
}

func (s grSubscription) subscription() Subscription {
	sub := Subscription{ID: s.ID, URL: s.URL, Title: fetch.CleanLine(s.Title), SiteURL: s.HTMLURL}
	if sub.URL == "" {
		sub.URL = strings.TrimPrefix(s.ID, "feed/")
	}
	for _, c := range s.Categories {
		if l := fetch.CleanLine(c.Label); l != "" {
			sub.Category = l
			break
		}
	}
	return sub
}

func (g *greader) Subscriptions(ctx context.Context) ([]Subscription, error) {
	var list struct {
		Subscriptions []grSubscription `json:"subscriptions"`
	}
	if err := g.do(ctx, http.MethodGet, "/reader/api/0/subscription/list?output=json", nil, &list); err != nil {
		return nil, err
	}
	subs := make([]Subscription, 0, len(list.Subscriptions))
	for _, s := range list.Subscriptions {
		subs = append(subs, s.subscription())
	}
	return subs, nil
}

func (g *greader) Subscribe(ctx context.Context, feedURL, title, category string) (Subscription, error) {
	var added struct {
		StreamID string `json:"streamId"`
		Error    string `json:"error"`
	}
	if err := g.edit(ctx, "/reader/api/0/subscription/quickadd", url.Values{"quickadd": {feedURL}}, &added); err != nil {
		return Subscription{}, err
	}
	if added.StreamID == "" {
		msg := fetch.CleanLine(added.Error)
		if msg == "" {
			msg = "no stream ID in the answer"
		}
		return Subscription{}, fmt.Errorf("greader subscribe %s: %s", feedURL, msg)
	}
	if title != "" || category != "" {
		f := url.Values{"ac": {"edit"}, "s": {added.StreamID}}
		if title != "" {
			f.Set("t", title)
		}
		if category != "" {
			f.Set("a", "user/-/label/"+category)
		}
		if err := g.edit(ctx, "/reader/api/0/subscription/edit", f, nil); err != nil {
			return Subscription{}, err
		}
	}
	subs, err := g.Subscriptions(ctx)
	if err != nil {
		return Subscription{}, err
	}
	for _, s := range subs {
		if s.ID == added.StreamID {
			return s, nil
		}
	}
	return Subscription{ID: added.StreamID, URL: feedURL, Title: title, Category: category}, nil
}

func (g *greader) Unsubscribe(ctx context.Context, sub Subscription) error {
	return g.edit(ctx, "/reader/api/0/subscription/edit", url.Values{"ac": {"unsubscribe"}, "s": {sub.ID}}, nil)
}

// ids lists the item IDs of a stream (all pages), as decimal strings;
// complete is false when it took more than one page (see StateSets).
func (g *greader) ids(ctx context.Context, q url.Values) (out []string, complete bool, err error) {
	cont := ""
	for page := 0; ; page++ {
		p := url.Values{}
		for k, v := range q {
			p[k] = v
		}
		p.Set("output", "json")
		p.Set("n", strconv.Itoa(grIDsPage))
		if cont != "" {
			p.Set("c", cont)
		}
		var answer struct {
			ItemRefs []struct {
				ID string `json:"id"`
			} `json:"itemRefs"`
			Continuation string `json:"continuation"`
		}
		if err := g.do(ctx, http.MethodGet, "/reader/api/0/stream/items/ids?"+p.Encode(), nil, &answer); err != nil {
			return nil, false, err
		}
		for _, r := range answer.ItemRefs {
			if id, ok := decimalID(r.ID); ok {
				out = append(out, id)
			}
		}
		if answer.Continuation == "" || answer.Continuation == cont || len(answer.ItemRefs) == 0 {
			return out, page == 0, nil
		}
		cont = answer.Continuation
	}
}

// decimalID normalises an item ID: decimal ("123"), the long form
// ("tag:google.com,2005:reader/item/000000000000007b") or bare hex.
func decimalID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if h, ok := strings.CutPrefix(s, grItemPrefix); ok {
		n, err := strconv.ParseUint(h, 16, 64)
		if err != nil {
			return "", false
		}
		return strconv.FormatUint(n, 10), true
	}
	if n, err := strconv.ParseUint(s, 10, 64); err == nil {
		return strconv.FormatUint(n, 10), true
	}
	if n, err := strconv.ParseUint(s, 16, 64); err == nil {
		return strconv.FormatUint(n, 10), true
	}
	return "", false
}

type grItem struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Published int64    `json:"published"`
	Updated   int64    `json:"updated"`
	Author    string   `json:"author"`
	Cats      []string `json:"categories"`
	Canonical []struct {
		Href string `json:"href"`
	} `json:"canonical"`
	Alternate []struct {
		Href string `json:"href"`
	} `json:"alternate"`
	Summary struct {
		Content string `json:"content"`
	} `json:"summary"`
	Content struct {
		Content string `json:"content"`
	} `json:"content"`
	Origin struct {
		StreamID string `json:"streamId"`
	} `json:"origin"`
}

// Pull lists the reading list's IDs published since the cursor (less a
// day, for feeds that publish late), the IDs of every unread and every
// starred item, downloads the items the cache has never seen, and returns
// the state sets for the cache to compare.
func (g *greader) Pull(ctx context.Context, cursor string, subs []Subscription, known func([]string) (map[string]bool, error)) (Pull, error) {
	var since int64
	if cursor != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(cursor, "published:"), 10, 64)
		if err != nil {
			return Pull{}, fmt.Errorf("greader: bad sync cursor %q", cursor)
		}
		since = n
	}
	start := time.Now()
	q := url.Values{"s": {grReadingList}}
	if since > 0 {
		q.Set("ot", strconv.FormatInt(since-86400, 10))
	}
	recent, _, err := g.ids(ctx, q)
	if err != nil {
		return Pull{}, err
	}
	unread, unreadComplete, err := g.ids(ctx, url.Values{"s": {grReadingList}, "xt": {grRead}})
	if err != nil {
		return Pull{}, err
	}
	starred, starredComplete, err := g.ids(ctx, url.Values{"s": {grStarred}})
	if err != nil {
		return Pull{}, err
	}
	sets := &StateSets{Unread: make(map[string]bool, len(unread)), Starred: make(map[string]bool, len(starred)),
		UnreadComplete: unreadComplete, StarredComplete: starredComplete}
	for _, id := range unread {
		sets.Unread[id] = true
	}
	for _, id := range starred {
		sets.Starred[id] = true
	}
	// Every item listed, new or unread or starred, that the cache has
	// never seen (an item whose entry keep_days removed is known).
	seen := map[string]bool{}
	var candidates []string
	for _, list := range [][]string{recent, unread, starred} {
		for _, id := range list {
			if !seen[id] {
				seen[id] = true
				candidates = append(candidates, id)
			}
		}
	}
	have, err := known(candidates)
	if err != nil {
		return Pull{}, err
	}
	var missing []string
	for _, id := range candidates {
		if _, ok := have[id]; !ok {
			missing = append(missing, id)
		}
	}
	feedURLs := make(map[string]string, len(subs))
	for _, s := range subs {
		feedURLs[s.ID] = s.URL
	}
	p := Pull{Sets: sets, Cursor: "published:" + strconv.FormatInt(start.Unix(), 10)}
	for len(missing) > 0 {
		n := min(len(missing), grContentPage)
		form := url.Values{"i": missing[:n]}
		var page struct {
			Items []grItem `json:"items"`
		}
		if err := g.edit(ctx, "/reader/api/0/stream/items/contents?output=json", form, &page); err != nil {
			return Pull{}, err
		}
		missing = missing[n:]
		for _, it := range page.Items {
			id, ok := decimalID(it.ID)
			if !ok {
				continue
			}
			link := ""
			for _, l := range append(it.Canonical, it.Alternate...) {
				if l.Href != "" {
					link = l.Href
					break
				}
			}
			content := it.Content.Content
			if content == "" {
				content = it.Summary.Content
			}
			feedURL := feedURLs[it.Origin.StreamID]
			if feedURL == "" {
				feedURL = strings.TrimPrefix(it.Origin.StreamID, "feed/")
			}
			si := fetch.ServerItem{FeedURL: feedURL, Link: link, Title: it.Title, Content: content, Author: it.Author}
			if it.Published > 0 {
				si.Published = time.Unix(it.Published, 0).UTC()
			}
			if it.Updated > 0 {
				si.Updated = time.Unix(it.Updated, 0).UTC()
			}
			entry, ok := fetch.EntryFromServer(si)
			if !ok {
				entry = fetch.Entry{} // kept as known, never stored
			}
			// Missing from an incomplete unread list says nothing: unread.
			read := sets.UnreadComplete && !sets.Unread[id]
			p.Items = append(p.Items, Item{ID: id, Entry: entry, Read: read, Starred: sets.Starred[id]})
		}
	}
	return p, nil
}

// Push sends the changes with edit-tag, one request per field and value
// for up to 500 items.
func (g *greader) Push(ctx context.Context, changes []Change) error {
	for _, grp := range groupChanges(changes, 500) {
		tag, op := grRead, "r"
		if grp.Field == FieldStarred {
			tag = grStarred
		}
		if grp.Value {
			op = "a"
		}
		if err := g.edit(ctx, "/reader/api/0/edit-tag", url.Values{"i": grp.IDs, op: {tag}}, nil); err != nil {
			return err // the next request would fail the same way
		}
	}
	return nil
}
