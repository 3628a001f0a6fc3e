package fetch

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/feedxml"
	"github.com/kiosk-reader/kiosk/fetch/internal/plainurl"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrNotFeed is returned by ParseFeed for a body that is no RSS, Atom or JSON
// feed, such as an HTML page or an empty answer.
var ErrNotFeed = errors.New("not a feed")

// ErrTruncated is returned by ParseFeed for a feed that ends before its
// root element closes and has no complete entry before the break. A cut
// feed with complete entries parses; Syncer reports it as cut.
var ErrTruncated = errors.New("feed cut off")

// maxSummary caps an entry's teaser, in runes: some feeds put the whole
// article into the description, and the list only needs a preview.
const maxSummary = 600

// paywallPrefix marks heise+ entries in heise feed titles.
const paywallPrefix = "heise+ | "

// ParseFeed parses an RSS 0.9–2.0, Atom or JSON feed fetched from feedURL
// into the feed and its entries. It is pure: bytes in, values out. Entry IDs
// follow EntryID, URLs lose their tracking parameters, text is cleaned with
// CleanText, and when one ID occurs twice only the newest entry is kept.
// Entries without an http(s) link are skipped; dates that are missing or
// implausible stay zero.
func ParseFeed(feedURL string, body []byte) (Feed, []Entry, error) {
	return parseFeed(feedURL, feedURL, body)
}

// parseFeed is ParseFeed with relative links resolved against baseURL, the
// URL the feed was finally fetched from after redirects.
func parseFeed(feedURL, baseURL string, body []byte) (Feed, []Entry, error) {
	feed, entries, _, err := parseFeedFix(feedURL, baseURL, body)
	return feed, entries, err
}

// parseFeedFix is parseFeed that also says what prepareFeed had to repair.
func parseFeedFix(feedURL, baseURL string, body []byte) (Feed, []Entry, feedFix, error) {
	feed := Feed{URL: feedURL}
	trimmed, fix := prepareFeed(body)
	if len(trimmed) == 0 {
		return feed, nil, fix, fmt.Errorf("parse feed %s: %w: empty body", feedURL, ErrNotFeed)
	}
	entries, err := parseFeedItems(&feed, feedURL, baseURL, trimmed)
	if err == nil && fix.truncated && len(entries) == 0 {
		err = fmt.Errorf("parse feed %s: %w before its first complete entry", feedURL, ErrTruncated)
	}
	return feed, entries, fix, err
}

// parseFeedItems parses a prepared feed body into feed and its entries.
// Common RSS and Atom feeds take feedxml's fast path, which builds what
// gofeed would from them at a fraction of the cost; anything it is not
// certain of goes to gofeed.
func parseFeedItems(feed *Feed, feedURL, baseURL string, trimmed []byte) ([]Entry, error) {
	gf, ok := feedxml.Parse(trimmed)
	if !ok {
		var err error
		if gf, err = parseGofeed(feedURL, baseURL, trimmed); err != nil {
			return nil, err
		}
	}
	return feedEntries(feed, feedURL, baseURL, gf), nil
}

// parseGofeed parses a prepared feed body with gofeed.
func parseGofeed(feedURL, baseURL string, trimmed []byte) (*gofeed.Feed, error) {
	p := gofeed.NewParser()
	// The item image is found below with one cheap tokenizer pass; gofeed's
	// own scan would parse every item's HTML into a tree.
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	gf, err := p.Parse(bytes.NewReader(trimmed))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			if looksLikeHTML(trimmed) {
				if alt := feedLinkInPage(baseURL, trimmed); alt != "" {
					return nil, fmt.Errorf("parse feed %s: %w: an HTML page that links to the feed %s", feedURL, ErrNotFeed, alt)
				}
				return nil, fmt.Errorf("parse feed %s: %w: an HTML page", feedURL, ErrNotFeed)
			}
			return nil, fmt.Errorf("parse feed %s: %w: unknown format", feedURL, ErrNotFeed)
		}
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, err)
	}
	return gf, nil
}

// feedEntries turns a parsed feed into feed's title and site and its entries.
func feedEntries(feed *Feed, feedURL, baseURL string, gf *gofeed.Feed) []Entry {
	base, err := url.Parse(baseURL)
	if err != nil {
		base = &url.URL{}
	}
	feed.Title = CleanLine(feedHTMLText(gf.Title))
	if site := feedAbsURL(base, gf.Link); site != "" {
		feed.SiteURL = site
	}
	entries := make([]Entry, 0, len(gf.Items))
	seen := make(map[string]int, len(gf.Items))
	for _, it := range gf.Items {
		if it == nil {
			continue
		}
		e, ok := entryOf(feedURL, base, it)
		if !ok {
			continue
		}
		if i, dup := seen[e.ID]; dup {
			if newerEntry(e, entries[i]) {
				entries[i] = e
			}
			continue
		}
		seen[e.ID] = len(entries)
		entries = append(entries, e)
	}
	return entries
}

// entryOf turns one gofeed item into an Entry; false when it has no usable link.
func entryOf(feedURL string, base *url.URL, it *gofeed.Item) (Entry, bool) {
	link := feedAbsURL(base, it.Link)
	if link == "" {
		for _, l := range it.Links {
			if link = feedAbsURL(base, l); link != "" {
				break
			}
		}
	}
	guid := CleanLine(it.GUID)
	if link == "" {
		link = feedAbsURL(nil, guid) // some feeds only have a permalink GUID; a relative one is no URL
	}
	if link == "" {
		return Entry{}, false
	}
	title := CleanLine(feedHTMLText(it.Title))
	paywalled := strings.Contains(link, "beitrag_plus")
	if t, ok := strings.CutPrefix(title, paywallPrefix); ok {
		title, paywalled = t, true
	}
	clean := StripTracking(link)
	cid := HeiseContentID(guid)
	if cid == "" {
		cid = HeiseContentID(clean)
	}
	summary := it.Description
	if strings.TrimSpace(summary) == "" {
		summary = it.Content
	}
	featured, firstImg := scanImages(it.Content)
	if featured == "" {
		var first2 string
		featured, first2 = scanImages(it.Description)
		if firstImg == "" {
			firstImg = first2
		}
	}
	img := featured
	if img == "" {
		img = itemImage(it)
	}
	if img == "" {
		img = firstImg
	}
	if title == "" {
		title = CleanLine(clipRunes(feedHTMLText(summary), 80))
	}
	e := Entry{
		ID:        EntryID(feedURL, cid, guid, clean),
		Feed:      feedURL,
		GUID:      guid,
		URL:       clean,
		Title:     title,
		Summary:   clipRunes(CleanLine(feedHTMLText(summary)), maxSummary),
		Author:    authorOf(it),
		Published: plausibleDate(it.PublishedParsed),
		Updated:   plausibleDate(it.UpdatedParsed),
		Image:     imageURL(clean, img),
		Paywalled: paywalled,
	}
	return e, true
}

// newerEntry reports whether a is a more recent version of an entry than b.
func newerEntry(a, b Entry) bool {
	if !a.Published.Equal(b.Published) {
		return a.Published.After(b.Published)
	}
	return a.Updated.After(b.Updated)
}

// itemImage is the image gofeed found in an item's metadata (itunes, media,
// enclosures), then image enclosures and media:thumbnail.
func itemImage(it *gofeed.Item) string {
	if it.Image != nil && it.Image.URL != "" {
		return it.Image.URL
	}
	for _, enc := range it.Enclosures {
		if enc != nil && strings.HasPrefix(enc.Type, "image/") {
			return enc.URL
		}
	}
	if media, ok := it.Extensions["media"]; ok {
		for _, name := range []string{"thumbnail", "content"} {
			for _, m := range media[name] {
				if u := m.Attrs["url"]; u != "" && (name == "thumbnail" || strings.Contains(m.Attrs["type"], "image") || m.Attrs["medium"] == "image") {
					return u
				}
			}
		}
	}
	return ""
}

// authorOf joins the item's author names.
func authorOf(it *gofeed.Item) string {
	var names []string
	for _, p := range it.Authors {
		if p == nil {
			continue
		}
		if n := CleanLine(p.Name); n != "" {
			names = append(names, n)
		} else if m := CleanLine(p.Email); m != "" {
			names = append(names, m)
		}
	}
	if len(names) == 0 && it.Author != nil {
		if n := CleanLine(it.Author.Name); n != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 && it.DublinCoreExt != nil {
		for _, c := range it.DublinCoreExt.Creator {
			if n := CleanLine(c); n != "" {
				names = append(names, n)
			}
		}
	}
	return strings.Join(names, ", ")
}

// plausibleDate returns t unless it is nil or outside the years feeds can mean
// (a typo like year 0 or 20240 sorts an entry absurdly); zero means "unknown"
// and the cache falls back to the time it first saw the entry.
func plausibleDate(t *time.Time) time.Time {
	if t == nil || t.Year() < 1990 || t.Year() > 2200 {
		return time.Time{}
	}
	return t.UTC()
}

// feedAbsURL resolves ref against base and returns it only when it is an
// absolute http or https URL.
func feedAbsURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	if plainurl.Is(ref) {
		return ref // what parsing, resolving, printing and cleaning give back
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return CleanLine(u.String())
}

// imageURL is the absolute URL of an item's image img, resolved against
// the item's link (feedAbsURL); "" when there is none.
func imageURL(link, img string) string {
	img = strings.TrimSpace(img)
	if img == "" {
		return ""
	}
	if plainurl.Is(img) {
		return img // as feedAbsURL would say, whatever the base
	}
	return feedAbsURL(parseOrNil(link), img)
}

// parseOrNil parses an URL that feedAbsURL produced, nil on the impossible error.
func parseOrNil(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	return u
}

// clipRunes shortens s to at most n runes, ending in "…" at a word boundary.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-") + "…"
}

// stripEscapes removes terminal escape sequences from raw feed bytes. The XML
// parser drops the bare ESC byte but keeps the rest ("[31m"), so they are cut
// whole before parsing; CleanText handles whatever arrives escaped in JSON.
// Only ASCII bytes are inspected, so any ASCII-compatible charset survives.
func stripEscapes(b []byte) []byte {
	if bytes.IndexByte(b, 0x1b) < 0 {
		return b
	}
	s := string(b)
	out := make([]byte, 0, len(b))
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			i = article.SkipEscape(s, i+1)
			continue
		}
		out = append(out, s[i])
		i++
	}
	return out
}

// looksLikeHTML reports whether a body starts like an HTML document.
func looksLikeHTML(b []byte) bool {
	head := bytes.ToLower(b[:min(len(b), 512)])
	return bytes.Contains(head, []byte("<!doctype html")) || bytes.Contains(head, []byte("<html"))
}

// feedLinkInPage returns the first feed an HTML page announces with
// <link rel="alternate" type="application/atom+xml|rss+xml|feed+json">,
// made absolute, or "" when it names none.
func feedLinkInPage(pageURL string, page []byte) string {
	base, err := url.Parse(pageURL)
	if err != nil {
		return ""
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				return "" // feed links live in the head
			case atom.Link:
			default:
				continue
			}
			var rel, typ, href string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "rel":
					rel = strings.ToLower(string(v))
				case "type":
					typ = strings.ToLower(string(v))
				case "href":
					href = string(v)
				}
			}
			if strings.Contains(" "+rel+" ", " alternate ") && (strings.Contains(typ, "atom+xml") || strings.Contains(typ, "rss+xml") || strings.Contains(typ, "feed+json")) {
				if u := feedAbsURL(base, href); u != "" {
					return u
				}
			}
		}
	}
}

// feedHTMLText returns the text of an HTML fragment, block elements separated
// by spaces, scripts and styles dropped, entities decoded. Plain text passes
// through unchanged. Feeds carry short fragments by the thousand, so this is
// a small scanner rather than a full tokenizer.
func feedHTMLText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' || i+1 == len(s) || !isTagStart(s[i+1]) {
			b.WriteByte(c)
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break // an unterminated tag: drop the rest, as a browser would
		}
		tag := s[i+1 : i+end]
		i += end + 1
		name := strings.ToLower(strings.TrimLeft(tag, "/"))
		if j := strings.IndexAny(name, " \t\n\r/"); j >= 0 {
			name = name[:j]
		}
		switch name {
		case "script", "style":
			if tag[0] == '/' {
				continue
			}
			closing := strings.Index(strings.ToLower(s[i:]), "</"+name)
			if closing < 0 {
				i = len(s)
				continue
			}
			i += closing
		case "br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "tr", "blockquote":
			b.WriteByte(' ')
		}
	}
	return html.UnescapeString(b.String())
}

// isTagStart reports whether c may follow "<" in a tag (or comment).
func isTagStart(c byte) bool {
	return c == '/' || c == '!' || c == '?' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// scanImages returns the src of the first img.webfeedsFeaturedVisual (the
// heise feed's teaser image) and of the first img at all in an HTML fragment.
func scanImages(s string) (featured, first string) {
	if !strings.Contains(s, "<img") && !strings.Contains(s, "<IMG") {
		return "", ""
	}
	if featured, first, ok := scanImagesPlain(s); ok {
		return featured, first
	}
	return scanImagesTokenizer(s)
}

// scanImagesTokenizer is scanImages with x/net/html's tokenizer.
func scanImagesTokenizer(s string) (featured, first string) {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return featured, first
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if atom.Lookup(name) != atom.Img || !hasAttr {
			continue
		}
		var src, class string
		for {
			k, v, more := z.TagAttr()
			switch string(k) {
			case "src":
				src = string(v)
			case "class":
				class = string(v)
			}
			if !more {
				break
			}
		}
		if src == "" || strings.HasPrefix(strings.TrimSpace(src), "data:") {
			continue
		}
		if first == "" {
			first = src
		}
		if strings.Contains(" "+class+" ", " webfeedsFeaturedVisual ") {
			return src, first
		}
	}
}

// scanImagesPlain is scanImages for the HTML feeds carry, read the way
// x/net/html's tokenizer reads tags (attribute names and values, quotes,
// the first of a repeated attribute), without its allocations. ok is false
// for a fragment it leaves to the tokenizer: one with a comment, doctype,
// processing instruction, bogus end tag, raw-text element (script, style,
// title, textarea, ...), NUL byte, or an img attribute value holding an
// entity or a carriage return.
func scanImagesPlain(s string) (featured, first string, ok bool) {
	if strings.IndexByte(s, 0) >= 0 {
		return "", "", false
	}
	for i := 0; ; {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 || i+j+1 >= len(s) {
			return featured, first, true
		}
		i += j + 1
		c := s[i]
		end := false
		switch {
		case isASCIILetter(c):
		case c == '/':
			if i+1 >= len(s) || !isASCIILetter(s[i+1]) {
				return "", "", false // "</>" or a bogus comment
			}
			end = true
			i++
		case c == '!' || c == '?':
			return "", "", false
		default:
			continue // text; the tokenizer reconsumes c
		}
		// The tag name.
		k := i
		for k < len(s) && !isHTMLSpace(s[k]) && s[k] != '/' && s[k] != '>' {
			k++
		}
		name := s[i:k]
		img := !end && asciiFold(name, "img")
		if !end && rawTextTag(name) {
			return "", "", false
		}
		var src, class string
		var haveSrc, haveClass bool
		i = skipHTMLSpace(s, k)
		for {
			if i >= len(s) {
				return featured, first, true // cut inside a tag: the tokenizer stops
			}
			if s[i] == '>' {
				i++
				break
			}
			// The attribute name.
			ks := i
			i++ // the first byte belongs to the name, even '=', '/', ...
			if s[ks] != '/' && s[ks] != '>' && !isHTMLSpace(s[ks]) {
				for i < len(s) && s[i] != '=' && s[i] != '/' && s[i] != '>' && !isHTMLSpace(s[i]) {
					i++
				}
			} else {
				i = ks // reconsumed below as an empty name
			}
			key := s[ks:i]
			// The value.
			var val string
			i = skipHTMLSpace(s, i)
			if i >= len(s) {
				return featured, first, true
			}
			switch s[i] {
			case '/':
				i++
			case '=':
				i = skipHTMLSpace(s, i+1)
				if i >= len(s) {
					return featured, first, true
				}
				switch q := s[i]; q {
				case '>':
				case '"', '\'':
					e := strings.IndexByte(s[i+1:], q)
					if e < 0 {
						return featured, first, true
					}
					val = s[i+1 : i+1+e]
					i += e + 2
				default:
					vs := i
					for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '>' {
						i++
					}
					if i >= len(s) {
						return featured, first, true
					}
					val = s[vs:i]
				}
			}
			if img && key != "" {
				switch {
				case asciiFold(key, "src") && !haveSrc:
					src, haveSrc = val, true
				case asciiFold(key, "class") && !haveClass:
					class, haveClass = val, true
				default:
					goto next
				}
				if strings.ContainsAny(val, "&\r") {
					return "", "", false
				}
			}
		next:
			i = skipHTMLSpace(s, i)
		}
		if !img || src == "" || strings.HasPrefix(strings.TrimSpace(src), "data:") {
			continue
		}
		if first == "" {
			first = src
		}
		if strings.Contains(" "+class+" ", " webfeedsFeaturedVisual ") {
			return src, first, true
		}
	}
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }

func skipHTMLSpace(s string, i int) int {
	for i < len(s) && isHTMLSpace(s[i]) {
		i++
	}
	return i
}

// rawTextTag reports whether the tokenizer reads the content of a start
// tag of this name as raw text.
func rawTextTag(name string) bool {
	for _, t := range [...]string{"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp"} {
		if asciiFold(name, t) {
			return true
		}
	}
	return false
}

// asciiFold reports whether s is lower, ignoring ASCII case only (as the
// tokenizer lower-cases names).
func asciiFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
