package extract

import (
	"net/url"
	"strings"
	"time"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
	"golang.org/x/net/html"
)

// site tells heise online from Telepolis. og:site_name on heise is the
// section brand ("Security"), so it only counts when it says Telepolis.
func (x *heiseExtraction) site() string {
	p := x.p
	if strings.EqualFold(strings.TrimSpace(dom.MetaContent(p.metas, "og:site_name")), "Telepolis") ||
		strings.HasSuffix(strings.ToLower(p.title), "| telepolis") {
		return "Telepolis"
	}
	for _, raw := range []string{p.canonical, dom.MetaContent(p.metas, "og:url"), p.rawURL} {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || u.Host == "" {
			continue
		}
		h := strings.ToLower(u.Hostname())
		if h == "telepolis.de" || strings.HasSuffix(h, ".telepolis.de") ||
			(strings.HasSuffix(h, "heise.de") && strings.HasPrefix(u.Path, "/tp/")) {
			return "Telepolis"
		}
		if strings.HasSuffix(h, "heise.de") {
			return "heise online"
		}
	}
	if x.root != nil && dom.Find(x.root, func(n *html.Node) bool { return dom.HasClass(n, "beitragsfooter") || dom.HasClass(n, "beitraganriss") }) != nil {
		return "Telepolis"
	}
	return "heise online"
}

// title reads the headline: h1 in the current layout, h2 under a breadcrumb
// h1 in 2019, h1.article__heading in pre-akwa, the header h1 in print.
func (x *heiseExtraction) title() string {
	n := dom.Find(x.root, func(n *html.Node) bool {
		return dom.HasClass(n, "a-article-header__title") || dom.HasClass(n, "article__heading") || dom.Attr(n, "itemprop") == "headline"
	})
	if n == nil {
		n = dom.Find(x.root, func(n *html.Node) bool {
			return n.Data == "h1" && !dom.HasClassPrefix(n, "a-breadcrumb") && dom.Ancestor(n, dom.ByTag("nav")) == nil
		})
	}
	if t := dom.TextOf(n); t != "" {
		x.consumed[n] = true
		return t
	}
	for _, t := range []string{dom.MetaContent(x.p.metas, "og:title"), x.p.ldString("headline"), dom.MetaContent(x.p.metas, "title")} {
		if t = article.CleanLine(t); t != "" {
			return t
		}
	}
	return cleanPageTitle(x.p.title)
}

// lead reads the standfirst of any layout and keeps it out of the body.
func (x *heiseExtraction) lead() string {
	n := dom.Find(x.root, func(n *html.Node) bool {
		return dom.HasClass(n, "a-article-header__lead") || dom.HasClass(n, "article-content__lead") ||
			dom.HasClass(n, "beitraganriss") || dom.HasClass(n, "meldung_anrisstext") || dom.HasClass(n, "printversion__untertitel")
	})
	if n == nil {
		return ""
	}
	x.consumed[n] = true
	return dom.TextOf(n)
}

// times reads the publication time (from the time element's attribute, not
// its text, which may be just "13:37 Uhr") and the modification time.
func (x *heiseExtraction) times() (published, modified time.Time) {
	n := dom.Find(x.root, func(n *html.Node) bool {
		return n.Data == "time" && dom.HasAttr(n, "datetime") &&
			(dom.HasClass(n, "a-publish-info__datetime") || dom.HasClass(n, "publish-info__date") || dom.Attr(n, "itemprop") == "datePublished")
	})
	if n == nil {
		n = dom.Find(x.root, func(n *html.Node) bool {
			return n.Data == "time" && dom.HasAttr(n, "datetime") && dom.Ancestor(n, dom.ByTag("article")) == x.root
		})
	}
	published = parseTime(dom.Attr(n, "datetime"))
	if published.IsZero() {
		published = parseTime(dom.MetaContent(x.p.metas, "date"))
	}
	if published.IsZero() {
		published = parseTime(x.p.ldString("datePublished"))
	}
	if published.IsZero() {
		if d := dom.Find(x.root, dom.ByClass("news_datum")); d != nil {
			published = parseTime(germanDate.FindString(dom.TextOf(d)))
		}
	}
	modified = parseTime(x.p.ldString("dateModified"))
	return published, modified
}

// germanDate finds "08.04.2015 12:46" and "08.04.2015" in text.
var germanDate = lazy(`\d{2}\.\d{2}\.\d{4}(?:,? \d{1,2}:\d{2})?`)

// readingTime reads "Lesezeit: 2 Min." as "2 Min.".
func (x *heiseExtraction) readingTime() string {
	t := dom.TextOf(dom.Find(x.root, dom.ByClass("a-publish-info__read-time-value")))
	t = strings.TrimSpace(strings.TrimPrefix(t, "Lesezeit:"))
	return t
}

// authors reads the byline; the author short code's title is the fallback.
func (x *heiseExtraction) authors() []string {
	var names []string
	for _, n := range dom.FindAll(x.root, func(n *html.Node) bool {
		return dom.HasClass(n, "creator__name") || dom.HasClass(n, "a-creator__name")
	}) {
		names = append(names, splitNames(dom.TextOf(n))...)
	}
	if len(names) == 0 {
		names = splitNames(dom.TextOf(dom.Find(x.root, dom.ByClass("publish-info__author"))))
	}
	if len(names) == 0 {
		for _, s := range x.p.ldAuthors() {
			names = append(names, splitNames(s)...)
		}
	}
	if len(names) == 0 {
		names = splitNames(dom.MetaContent(x.p.metas, "author"))
	}
	if len(names) == 0 && x.shortCode != "" {
		names = []string{x.shortCode}
	}
	return dedupe(names)
}

// paywalled reports heise+ pages: a content tier other than free, JSON-LD
// isAccessibleForFree false, or paid-content markers in the article.
func (x *heiseExtraction) paywalled() bool {
	if tier := strings.TrimSpace(dom.MetaContent(x.p.metas, "article:content_tier")); tier != "" && !strings.EqualFold(tier, "free") {
		return true
	}
	if free, ok := x.p.ldFree(); ok && !free {
		return true
	}
	return dom.Find(x.root, func(n *html.Node) bool {
		return strings.HasPrefix(n.Data, "a-paid-content") || dom.HasClassPrefix(n, "a-paid-content") ||
			dom.HasClass(n, "json-ld-paid-content-marker")
	}) != nil
}

// allPagesURL reports a multi-page article: the "?seite=all" URL that shows
// every page, or "" when the page is complete.
func (x *heiseExtraction) allPagesURL() string {
	if x.p.url != nil && x.p.url.Query().Get("seite") == "all" {
		return ""
	}
	if n := dom.Find(x.root, func(n *html.Node) bool { return dom.HasClass(n, "pre-akwa-toc__item--onepage") }); n != nil {
		if a := dom.Find(n, dom.ByTag("a")); a != nil {
			if u, ok := markdown.ResolveRef(x.p.base, dom.Attr(a, "href")); ok {
				return u
			}
		}
	}
	more := x.p.nextLink != "" || dom.Find(x.root, func(n *html.Node) bool {
		return dom.HasClass(n, "pre-akwa-toc") || dom.HasClass(n, "akwa-seitenweise") || dom.HasClass(n, "a-pagination__items") ||
			dom.HasClass(n, "a-pagination--all-on-one-page") || dom.HasClass(n, "seite_weiter") ||
			(n.Data == "a" && strings.Contains(dom.Attr(n, "id"), "pagination-all-on-one-page"))
	}) != nil
	if !more {
		return ""
	}
	if a := dom.Find(x.root, func(n *html.Node) bool {
		return n.Data == "a" && strings.HasSuffix(dom.Attr(n, "href"), "seite=all")
	}); a != nil {
		if u, ok := markdown.ResolveRef(x.p.base, dom.Attr(a, "href")); ok {
			return u
		}
	}
	base := x.p.canonical
	if x.p.url != nil {
		base = x.p.url.String()
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return ""
	}
	q := u.Query()
	q.Del("wt_mc")
	q.Set("seite", "all")
	u.RawQuery = q.Encode()
	u.Fragment = ""
	return u.String()
}

// isHeiseFigure matches heise's figure containers: the lightbox around
// hero and inline images and the picture gallery.
func isHeiseFigure(n *html.Node) bool {
	return n.Data == "a-lightbox" || n.Data == "a-bilderstrecke" || (n.Data == "a-img" && dom.Ancestor(n, dom.ByTag("figure")) == nil)
}

// hero finds the lead image: in the header (current layouts), as
// figure.aufmacherbild (older ones) or .aufmacherbild img (print).
func (x *heiseExtraction) hero() *article.Figure {
	n := dom.Find(x.root, func(n *html.Node) bool {
		return (n.Data == "a-lightbox" && dom.HasClass(n, "article-image")) ||
			(n.Data == "figure" && (dom.HasClass(n, "article-image") || dom.HasClass(n, "aufmacherbild"))) ||
			dom.HasClass(n, "aufmacherbild")
	})
	if n == nil {
		return nil
	}
	if n.Data == "figure" {
		if lb := dom.Ancestor(n, dom.ByTag("a-lightbox")); lb != nil {
			n = lb
		}
	}
	f, ok := markdown.FigureOf(x.p.base, n, true)
	if !ok {
		return nil
	}
	x.consumed[n] = true
	return &f
}

// notice finds the Telepolis pre-2021 banner, which becomes Article.Notice.
func (x *heiseExtraction) notice() string {
	isBanner := func(n *html.Node) bool {
		if !strings.HasPrefix(firstText(n), telepolisNotice) {
			return false // cheap test first: most blocks start otherwise
		}
		return len(dom.TextOf(n)) < 400
	}
	n := dom.Find(x.root, func(n *html.Node) bool { return n.Data == "p" && isBanner(n) })
	if n == nil {
		n = dom.Find(x.root, func(n *html.Node) bool {
			return (n.Data == "div" || n.Data == "aside") && isBanner(n) &&
				dom.Find(n, func(e *html.Node) bool { return e.Data == "p" || e.Data == "div" }) == nil
		})
	}
	if n == nil {
		return ""
	}
	x.consumed[n] = true
	return dom.TextOf(n)
}

// firstText returns the first non-blank text below n, trimmed.
func firstText(n *html.Node) string {
	for e := dom.Next(n, n, false); e != nil; e = dom.Next(n, e, false) {
		if e.Type == html.TextNode {
			if t := strings.TrimSpace(e.Data); t != "" {
				return t
			}
		}
	}
	return ""
}
