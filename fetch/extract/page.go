package extract

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
	"golang.org/x/net/html"
)

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
	notices       []string // what parsing dropped, for article.Article.Notices
	nextLink      string   // link rel=next
	ld            []map[string]any
	roots         roots
	headline      *html.Node // see headline; valid when headlineFound
	headlineFound bool
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
	for n := dom.Next(doc, doc, false); n != nil; {
		skip := false
		if n.Type == html.ElementNode {
			switch n.Data {
			case "meta":
				p.metas = append(p.metas, n)
			case "title":
				if p.title == "" && n.Parent != nil && n.Parent.Data != "svg" {
					p.title = dom.TextOf(n)
				}
				skip = true
			case "link":
				rel := " " + strings.ToLower(dom.Attr(n, "rel")) + " "
				if strings.Contains(rel, " canonical ") && p.canonicalHref == "" {
					p.canonicalHref = dom.Attr(n, "href")
				}
				if strings.Contains(rel, " next ") && p.nextLink == "" {
					p.nextLink = dom.Attr(n, "href")
				}
			case "base":
				if baseHref == "" {
					baseHref = dom.Attr(n, "href")
				}
			case "script":
				if strings.EqualFold(dom.Attr(n, "type"), "application/ld+json") && n.FirstChild != nil {
					p.addLD(n.FirstChild.Data)
				}
				skip = true
			case "style", "svg", "template":
				skip = true
			case "article":
				switch {
				case p.roots.meldung == nil && dom.Attr(n, "id") == "meldung":
					p.roots.meldung = n
				case p.roots.print == nil && dom.HasClass(n, "printversion"):
					p.roots.print = n
				case p.roots.preAkwa == nil && (dom.HasClass(n, "pre-akwa-article") || dom.HasClass(n, "akwa-article")):
					p.roots.preAkwa = n
				}
				if p.roots.main == nil && dom.Attr(n, "data-component") != "TeaserContainer" && dom.Ancestor(n, dom.ByTag("main")) != nil {
					p.roots.main = n
				}
			case "div":
				if p.roots.wrapper == nil && dom.HasClass(n, "meldung_wrapper") {
					p.roots.wrapper = n
				}
			}
			if p.roots.header == nil && dom.HasClass(n, "a-article-header") {
				p.roots.header = n
			}
		}
		n = dom.Next(doc, n, skip)
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
	for _, c := range []string{dom.MetaContent(p.metas, "og:url"), p.canonicalHref} {
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
	if u, ok := markdown.ResolveRef(p.base, p.canonicalHref); ok {
		p.canonical = u
	}
}

// articleURL is Article.URL: the page URL when it is http(s), without
// tracking parameters, or the file:// URL of a local copy as the caller
// gave it. Nothing the page says about itself goes here.
func (p *page) articleURL() string {
	if p.url != nil {
		return article.StripTracking(p.url.String())
	}
	raw := article.CleanLine(p.rawURL)
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

// ldPublisher returns the name of the JSON-LD article's publisher.
func (p *page) ldPublisher() string {
	for _, m := range p.ld {
		switch v := m["publisher"].(type) {
		case map[string]any:
			if s, ok := v["name"].(string); ok && strings.TrimSpace(s) != "" {
				return s
			}
		case string:
			if strings.TrimSpace(v) != "" {
				return v
			}
		}
	}
	return ""
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
