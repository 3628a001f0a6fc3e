package fetch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// ErrNoArticle is returned by Extract when a page holds no article text.
var ErrNoArticle = errors.New("no article text found")

// Extract turns an HTML page into an Article. pageURL is the URL the page
// came from; it resolves relative links and images and may be a file:// URL
// or "" for a local file. The heise online / Telepolis rule is chosen by the
// page's markup and metadata (canonical URL, DC.identifier, layout classes),
// not by its host, so archived copies and local servers work too; every
// other page goes through readability. Extract returns an error only when no
// article text can be found at all.
func Extract(pageURL string, page []byte) (Article, error) {
	name := pageURL
	if name == "" {
		name = "page"
	}
	page = toUTF8(page)
	doc, notices, err := parseBounded(page)
	if err != nil {
		return Article{}, fmt.Errorf("extract %s: %w", name, err)
	}
	p := newPage(pageURL, doc)
	p.size = len(page)
	p.notices = notices
	if a, ok := extractHeise(p); ok {
		if a.Lang = p.pageLang(); a.Lang == "" {
			a.Lang = "de" // the heise rule's pages are German unless they say otherwise
		}
		return a, nil
	}
	a, err := extractReadability(p)
	if err != nil {
		return Article{}, fmt.Errorf("extract %s: %w", name, err)
	}
	return a, nil
}

// ErrTooDeep is returned by Extract for a page whose markup nests too
// deeply to parse even after kiosk dropped the excess.
var ErrTooDeep = errors.New("html nested too deeply")

// parseBounded parses page so that no element lies deeper than
// maxNesting. golang.org/x/net/html gives up on more than 512 open elements
// and clones reopened formatting elements without limit, so capNesting
// first drops the markup that would go too deep or reopen too often;
// flattenDeep then enforces the depth exactly on the tree. The notices say
// what was dropped.
func parseBounded(page []byte) (*html.Node, []string, error) {
	var notices []string
	page, cut := capNesting(page, maxNesting)
	doc, err := html.ParseWithOptions(bytes.NewReader(page), html.ParseOptionEnableScripting(false))
	if err != nil {
		if cut {
			return nil, nil, fmt.Errorf("parse html: %w (%w)", ErrTooDeep, err)
		}
		return nil, nil, fmt.Errorf("parse html: %w", err)
	}
	if flattenDeep(doc, maxNesting) || cut {
		notices = append(notices, nestingNotice)
	}
	return doc, notices, nil
}

// toUTF8 decodes a page that is not UTF-8 (older heise pages are
// ISO-8859-1) by the charset its <meta> declares, or as windows-1252 when it
// declares none. Valid UTF-8 is returned as it is, whatever it declares.
func toUTF8(page []byte) []byte {
	if utf8.Valid(page) {
		return page
	}
	enc, name, _ := charset.DetermineEncoding(page, "")
	if enc == nil || name == "utf-8" {
		return page // CleanText replaces the invalid bytes
	}
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return page
	}
	return out
}

// page is a parsed document with the metadata every rule needs, gathered in
// one walk.
type page struct {
	doc           *html.Node
	rawURL        string   // as given to Extract
	url           *url.URL // the page URL when it is http(s), else nil
	base          *url.URL // what relative URLs resolve against (may be nil)
	metas         []*html.Node
	title         string   // <title>
	canonical     string   // link rel=canonical when it resolves to an absolute http(s) URL, else ""
	canonicalHref string   // link rel=canonical as the page wrote it
	size          int      // bytes of the (UTF-8) page, which bounds the Markdown body
	notices       []string // what parsing dropped, for Article.Notices
	nextLink      string   // link rel=next
	ld            []map[string]any
	roots         roots
}

// roots are the layout containers the heise rule recognises.
type roots struct {
	meldung *html.Node // article#meldung (2019 akwa and current layouts)
	print   *html.Node // article.printversion
	preAkwa *html.Node // article.pre-akwa-article / .akwa-article
	wrapper *html.Node // div.meldung_wrapper (2010, 2015)
	header  *html.Node // .a-article-header
	main    *html.Node // the first non-teaser article inside <main> (Telepolis, per ftr-tp)
}

// newPage gathers the page URL, base URL, metadata, JSON-LD and layout roots
// in one walk over doc.
func newPage(rawURL string, doc *html.Node) *page {
	p := &page{doc: doc, rawURL: rawURL}
	if u, err := url.Parse(strings.TrimSpace(rawURL)); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		p.url = u
		p.base = u
	}
	var baseHref string
	for n := next(doc, doc, false); n != nil; {
		skip := false
		if n.Type == html.ElementNode {
			switch n.Data {
			case "meta":
				p.metas = append(p.metas, n)
			case "title":
				if p.title == "" && n.Parent != nil && n.Parent.Data != "svg" {
					p.title = textOf(n)
				}
				skip = true
			case "link":
				rel := " " + strings.ToLower(attr(n, "rel")) + " "
				if strings.Contains(rel, " canonical ") && p.canonicalHref == "" {
					p.canonicalHref = attr(n, "href")
				}
				if strings.Contains(rel, " next ") && p.nextLink == "" {
					p.nextLink = attr(n, "href")
				}
			case "base":
				if baseHref == "" {
					baseHref = attr(n, "href")
				}
			case "script":
				if strings.EqualFold(attr(n, "type"), "application/ld+json") && n.FirstChild != nil {
					p.addLD(n.FirstChild.Data)
				}
				skip = true
			case "style", "svg", "template":
				skip = true
			case "article":
				switch {
				case p.roots.meldung == nil && attr(n, "id") == "meldung":
					p.roots.meldung = n
				case p.roots.print == nil && hasClass(n, "printversion"):
					p.roots.print = n
				case p.roots.preAkwa == nil && (hasClass(n, "pre-akwa-article") || hasClass(n, "akwa-article")):
					p.roots.preAkwa = n
				}
				if p.roots.main == nil && attr(n, "data-component") != "TeaserContainer" && ancestor(n, byTag("main")) != nil {
					p.roots.main = n
				}
			case "div":
				if p.roots.wrapper == nil && hasClass(n, "meldung_wrapper") {
					p.roots.wrapper = n
				}
			}
			if p.roots.header == nil && hasClass(n, "a-article-header") {
				p.roots.header = n
			}
		}
		n = next(doc, n, skip)
	}
	if baseHref != "" {
		if bu, err := url.Parse(strings.TrimSpace(baseHref)); err == nil {
			if p.base != nil {
				bu = p.base.ResolveReference(bu)
			}
			if bu.Scheme == "http" || bu.Scheme == "https" {
				p.base = bu
			}
		}
	}
	// A local copy (a file, a test server, a mirror) of a page: its absolute
	// og:url or canonical URL is the best base. For heise and Telepolis
	// pages it wins over the address the copy was served from, so that
	// "/thema/Phishing" is listed as heise.de's, as the print view does.
	for _, c := range []string{metaContent(p.metas, "og:url"), p.canonicalHref} {
		u, err := url.Parse(strings.TrimSpace(c))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		if p.base == nil || (baseHref == "" && isHeiseHost(u.String()) && !isHeiseHost(p.base.String())) {
			p.base = u
		}
		break
	}
	p.resolveCanonical()
	return p
}

// resolveCanonical sets p.canonical from the page's canonical link when it
// resolves to an absolute http(s) URL. A file:, javascript: or data: URL,
// or a relative one without a base, never becomes an article's URL.
func (p *page) resolveCanonical() {
	p.canonical = ""
	if u, ok := resolveRef(p.base, p.canonicalHref); ok {
		p.canonical = u
	}
}

// articleURL is Article.URL: the page URL when it is http(s), without
// tracking parameters, or the file:// URL of a local copy as the caller
// gave it. Nothing the page says about itself goes here.
func (p *page) articleURL() string {
	if p.url != nil {
		return StripTracking(p.url.String())
	}
	raw := CleanLine(p.rawURL)
	if u, err := url.Parse(raw); err == nil && u.Scheme == "file" {
		return raw
	}
	return ""
}

// addLD decodes a JSON-LD block and keeps the objects that describe an
// article (directly, in an array or in an @graph).
func (p *page) addLD(s string) {
	if !strings.Contains(s, "Article") && !strings.Contains(s, "Posting") && !strings.Contains(s, "Report") {
		return
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return // broken JSON-LD is common; the page markup still counts
	}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 4 {
			return
		}
		switch t := v.(type) {
		case []any:
			for _, e := range t {
				walk(e, depth+1)
			}
		case map[string]any:
			if isArticleType(t["@type"]) {
				p.ld = append(p.ld, t)
			}
			if g, ok := t["@graph"]; ok {
				walk(g, depth+1)
			}
		}
	}
	walk(v, 0)
}

// isArticleType reports whether a JSON-LD @type names an article.
func isArticleType(v any) bool {
	switch t := v.(type) {
	case string:
		return strings.HasSuffix(t, "Article") || t == "BlogPosting" || t == "Report" || t == "SocialMediaPosting"
	case []any:
		for _, e := range t {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

// ldString returns the first string value of key among the JSON-LD articles.
func (p *page) ldString(key string) string {
	for _, m := range p.ld {
		if s, ok := m[key].(string); ok && strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// ldAuthors returns the author names of the JSON-LD article.
func (p *page) ldAuthors() []string {
	var out []string
	for _, m := range p.ld {
		var add func(v any)
		add = func(v any) {
			switch t := v.(type) {
			case string:
				out = append(out, t)
			case map[string]any:
				if s, ok := t["name"].(string); ok {
					out = append(out, s)
				}
			case []any:
				for _, e := range t {
					if _, nested := e.([]any); !nested {
						add(e)
					}
				}
			}
		}
		add(m["author"])
		if len(out) > 0 {
			return out
		}
	}
	return out
}

// ldFree reports the JSON-LD isAccessibleForFree value, if present.
func (p *page) ldFree() (free, ok bool) {
	for _, m := range p.ld {
		switch v := m["isAccessibleForFree"].(type) {
		case bool:
			return v, true
		case string:
			return !strings.EqualFold(v, "false"), true
		}
	}
	return false, false
}

// berlin returns the Europe/Berlin location, or nil when tzdata is missing.
func berlin() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return nil
	}
	return loc
}

// localLayouts are the time formats seen without a UTC offset.
func localLayouts() []string {
	return []string{
		"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04",
		"02.01.2006 15:04", "02.01.2006, 15:04", "02.01.2006", "2006-01-02",
	}
}

// parseTime parses a date as heise and most sites write it. A time without
// a UTC offset is German local time (Europe/Berlin).
func parseTime(s string) time.Time {
	s = strings.TrimSpace(CleanLine(s))
	s = strings.TrimSuffix(s, " Uhr")
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	for _, layout := range localLayouts() {
		if t, err := time.Parse(layout, s); err == nil {
			return inBerlin(t, berlin())
		}
	}
	return time.Time{}
}

// inBerlin reinterprets the wall clock of t (given in UTC) as Berlin time.
// Without tzdata (loc == nil) it applies the EU rule: CEST (UTC+2) from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
// October, CET (UTC+1) otherwise.
func inBerlin(t time.Time, loc *time.Location) time.Time {
	if loc != nil {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	}
	y := t.Year()
	start := lastSunday(y, time.March).Add(time.Hour) // 01:00 UTC
	end := lastSunday(y, time.October).Add(time.Hour) // 01:00 UTC
	cest := t.Add(-2 * time.Hour)                     // as UTC if it were CEST
	if !cest.Before(start) && cest.Before(end) {
		return cest.In(time.FixedZone("CEST", 2*3600))
	}
	return t.Add(-time.Hour).In(time.FixedZone("CET", 3600))
}

// lastSunday returns 00:00 UTC of the last Sunday of month m in year y.
func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) // last day of m
	return d.AddDate(0, 0, -int(d.Weekday()))
}
