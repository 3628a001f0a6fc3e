package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/charmbracelet/x/term"
	"github.com/mattn/go-runewidth"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// cmdList runs "kiosk list": the newest entries of the cache, as a table or
// as JSON. It reads the cache only and works offline.
func cmdList(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet("list", e)
	feed := fs.String("feed", "", "only entries of this feed (`name` or URL)")
	unread := fs.Bool("unread", false, "only unread entries")
	starred := fs.Bool("starred", false, "only starred entries")
	limit := fs.Int("limit", 50, "show at most `N` entries")
	asJSON := fs.Bool("json", false, "print a JSON array")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: kiosk list [--feed NAME|URL] [--unread] [--starred] [--limit N] [--json]\n\n"+
			"Flags in the table: N unread, * starred, o full text offline, + heise+ (paywalled).\n\n")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("list: unexpected argument %q (see kiosk list -h)", pos[0])
	}
	if *limit < 1 {
		return fmt.Errorf("list: --limit must be at least 1, not %d", *limit)
	}
	s, err := e.openStoreReadOnly(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	q := cache.Query{Unread: *unread, Starred: *starred, Limit: *limit}
	if *feed != "" {
		url, err := s.FeedURL(ctx, *feed)
		if errors.Is(err, cache.ErrNotFound) {
			return fmt.Errorf("list: no feed %q in the cache (see kiosk feeds list)", *feed)
		}
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		q.Feed = url
	}
	items, err := s.List(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]itemJSON, len(items))
		for i, it := range items {
			out[i] = newItemJSON(it)
		}
		return writeJSON(e.stdout, out)
	}
	if len(items) == 0 {
		fmt.Fprintln(e.stderr, "no entries")
		return nil
	}
	t := newTable(items, e.width())
	for _, it := range items {
		if _, err := fmt.Fprintln(e.stdout, t.row(it)); err != nil {
			return fmt.Errorf("list: %w", err)
		}
	}
	return nil
}

// itemJSON is one entry of "list --json" (and, with Snippet, of
// "search --json"). The bool fields are always present.
type itemJSON struct {
	ID         string   `json:"id"`
	Feed       string   `json:"feed"`     // the first feed's title
	FeedURL    string   `json:"feed_url"` // the first feed's URL
	Feeds      []string `json:"feeds"`    // titles of every feed listing it
	Title      string   `json:"title"`
	URL        string   `json:"url"`
	Author     string   `json:"author,omitempty"`
	Summary    string   `json:"summary,omitempty"`
	Published  string   `json:"published"` // RFC 3339; the first-seen time when the feed gave none
	Read       bool     `json:"read"`
	Starred    bool     `json:"starred"`
	Offline    bool     `json:"offline"`
	Paywalled  bool     `json:"paywalled"`
	ArticleErr string   `json:"article_error,omitempty"`
	Snippet    string   `json:"snippet,omitempty"`
	Rank       float64  `json:"rank,omitempty"`
}

func newItemJSON(it cache.Item) itemJSON {
	j := itemJSON{
		ID: it.ID, FeedURL: it.Feed, Feeds: it.FeedTitles, Title: it.Title, URL: it.URL,
		Author: it.Author, Summary: it.Summary, Published: itemTime(it).Format(time.RFC3339),
		Read: it.Read, Starred: it.Starred, Offline: it.Offline, Paywalled: it.Paywalled, ArticleErr: it.ArticleErr,
	}
	if j.Feeds == nil {
		j.Feeds = []string{}
	}
	if len(it.FeedTitles) > 0 {
		j.Feed = it.FeedTitles[0]
	}
	return j
}

// itemTime is when an entry was published, or first seen when unknown.
func itemTime(it cache.Item) time.Time {
	if it.Published.IsZero() {
		return it.FirstSeen
	}
	return it.Published
}

// writeJSON prints v as indented JSON. Controls, bidi and other invisible
// characters (fetch.HasControl) are written as \u escapes, which JSON
// readers decode to the same text, so that no value from a feed reaches a
// terminal that shows the output raw.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	if _, err := w.Write(escapeInvisible(buf.Bytes())); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// escapeInvisible replaces the characters fetch.HasControl finds in JSON
// text with \u escapes. Outside strings JSON has only ASCII punctuation,
// digits, letters and white space, which are left alone.
func escapeInvisible(b []byte) []byte {
	if !fetch.HasControl(string(b)) || !utf8.Valid(b) {
		return b // json.Encoder writes valid UTF-8; the check is the fast path
	}
	out := make([]byte, 0, len(b)+32)
	for _, r := range string(b) {
		if r == '\n' || r == ' ' || !fetch.HasControl(string(r)) {
			out = utf8.AppendRune(out, r)
			continue
		}
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
			continue
		}
		out = fmt.Appendf(out, `\u%04x`, r)
	}
	return out
}

// width is the width for tables: the terminal's (asked of the terminal,
// since a shell's $COLUMNS is not exported and goes stale on a resize);
// when stdout is no terminal, $COLUMNS, else 100.
func (e *env) width() int {
	if f, ok := e.stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w >= 40 {
			return w
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(e.getenv("COLUMNS"))); err == nil && n >= 40 {
		return n
	}
	return 100
}

// table lays out entries in columns: ID, time, feed, flags, title.
type table struct{ idW, feedW, titleW int }

const (
	timeLayout = "2006-01-02 15:04"
	maxFeedW   = 18
)

func newTable(items []cache.Item, width int) table {
	t := table{}
	for _, it := range items {
		t.idW = max(t.idW, runewidth.StringWidth(it.ID))
		t.feedW = max(t.feedW, runewidth.StringWidth(feedName(it)))
	}
	t.feedW = min(t.feedW, maxFeedW)
	t.titleW = max(width-(t.idW+2+len(timeLayout)+2+t.feedW+2+4+2), 10)
	return t
}

func feedName(it cache.Item) string {
	if len(it.FeedTitles) > 0 {
		return it.FeedTitles[0]
	}
	return "-"
}

func (t table) row(it cache.Item) string {
	return pad(it.ID, t.idW) + "  " + itemTime(it).Local().Format(timeLayout) + "  " +
		pad(fit(feedName(it), t.feedW), t.feedW) + "  " + flags(it) + "  " + fit(it.Title, t.titleW)
}

// flags is the four-letter status column: N unread, * starred, o offline,
// + paywalled.
func flags(it cache.Item) string {
	f := []byte("    ")
	if !it.Read {
		f[0] = 'N'
	}
	if it.Starred {
		f[1] = '*'
	}
	if it.Offline {
		f[2] = 'o'
	}
	if it.Paywalled {
		f[3] = '+'
	}
	return string(f)
}

// fit shortens s to n terminal cells (a CJK character takes two), marking
// the cut with "…".
func fit(s string, n int) string {
	if runewidth.StringWidth(s) <= n {
		return s
	}
	return strings.TrimRight(runewidth.Truncate(s, n-1, ""), " ") + "…"
}

// pad fills s with spaces to n terminal cells.
func pad(s string, n int) string {
	if c := runewidth.StringWidth(s); c < n {
		return s + strings.Repeat(" ", n-c)
	}
	return s
}
