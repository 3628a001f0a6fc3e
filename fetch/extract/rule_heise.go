package extract

import (
	"net/url"
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
	"golang.org/x/net/html"
)

// The heise rule covers heise online and Telepolis, which share one CMS, in
// every layout described in heise-format.md: the current one (2021 on), the
// 2019 "akwa" one, the pre-akwa one (with multi-page articles), the print
// view and the 2015/2010 ones.

// telepolisNotice starts the banner Telepolis puts above articles from
// before 2021.
const telepolisNotice = "Der folgende Beitrag ist vor 2021 erschienen"

// heiseLayout names the layout a page was recognised by.
type heiseLayout int

const (
	layoutCurrent heiseLayout = iota // article#meldung (2019 akwa and 2021+)
	layoutPrint                      // article.printversion
	layoutPreAkwa                    // article.pre-akwa-article
	layoutClassic                    // div.meldung_wrapper (2010, 2015)
)

// heiseSignal reports whether the page's metadata names heise online or
// Telepolis: DC.identifier, canonical or og:url on heise.de/telepolis.de,
// or a title carrying the brand.
func (p *page) heiseSignal() bool {
	for _, u := range []string{dom.MetaContent(p.metas, "DC.identifier"), p.canonical, dom.MetaContent(p.metas, "og:url")} {
		if isHeiseHost(u) {
			return true
		}
	}
	t := strings.ToLower(p.title)
	return strings.HasSuffix(t, "| heise online") || strings.HasPrefix(t, "heise online - ") || strings.HasPrefix(t, "telepolis - ") || strings.HasSuffix(t, "| telepolis") ||
		strings.Contains(t, "| heise ") || strings.HasSuffix(t, "| c't magazin")
}

// isHeiseHost reports whether raw is a URL on heise.de or telepolis.de.
func isHeiseHost(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	return h == "heise.de" || h == "telepolis.de" || strings.HasSuffix(h, ".heise.de") || strings.HasSuffix(h, ".telepolis.de")
}

// heiseRoot picks the layout and its article container, or reports false
// when the page is not a heise or Telepolis article.
func (p *page) heiseRoot() (*html.Node, heiseLayout, bool) {
	signal := p.heiseSignal()
	switch {
	case p.roots.print != nil && (signal || hasPrintFooter(p.roots.print)):
		return p.roots.print, layoutPrint, true
	case p.roots.meldung != nil && (signal || p.roots.header != nil):
		return p.roots.meldung, layoutCurrent, true
	case p.roots.preAkwa != nil && (signal || dom.HasClass(p.roots.preAkwa, "pre-akwa-article")):
		return p.roots.preAkwa, layoutPreAkwa, true
	case p.roots.main != nil && signal && p.roots.wrapper == nil:
		// A current page without the #meldung markup: Telepolis keeps its
		// article as the first <article> in <main>.
		return p.roots.main, layoutCurrent, true
	case p.roots.wrapper != nil && signal:
		root := dom.Ancestor(p.roots.wrapper, dom.ByTag("article"))
		if root == nil {
			root = p.roots.wrapper
		}
		return root, layoutClassic, true
	}
	return nil, 0, false
}

// hasPrintFooter reports whether a print view carries the "URL dieses
// Artikels" footer.
func hasPrintFooter(root *html.Node) bool {
	return dom.Find(root, func(n *html.Node) bool {
		return (n.Data == "strong" || n.Data == "b") && strings.HasPrefix(dom.TextOf(n), "URL dieses Artikels")
	}) != nil
}

// heiseExtraction is the state of one heise extraction: the nodes consumed
// by header fields, which the body skips.
type heiseExtraction struct {
	p        *page
	root     *html.Node
	layout   heiseLayout
	consumed map[*html.Node]bool
	conv     *markdown.Converter
	// shortCode is the title of a dropped author short code, if any.
	shortCode string
}

// extractHeise applies the heise online / Telepolis rule. It reports false
// when the page is not one of theirs or holds no text, so readability can try.
func extractHeise(p *page) (article.Article, bool) {
	root, layout, ok := p.heiseRoot()
	if !ok {
		return article.Article{}, false
	}
	x := &heiseExtraction{p: p, root: root, layout: layout, consumed: make(map[*html.Node]bool)}
	if p.base == nil {
		p.base = &url.URL{Scheme: "https", Host: "www.heise.de", Path: "/"}
		if x.site() == "Telepolis" {
			p.base.Host = "www.telepolis.de"
		}
	}
	if p.canonical == "" {
		p.resolveCanonical() // a relative canonical URL against the heise base
	}
	x.conv = &markdown.Converter{Base: p.base, Lang: "de", Original: true, FlatHeadings: true, MaxBody: markdown.BodyLimit(p.size), IsFigure: isHeiseFigure}
	x.conv.Noise = x.noise

	a := article.Article{Rule: "heise", Site: x.site()}
	a.Title = x.title()
	a.Kicker = dom.TextOf(dom.Find(root, dom.ByClass("publish-info__rubrik")))
	a.Lead = x.lead()
	a.Published, a.Modified = x.times()
	a.ReadingTime = x.readingTime()
	a.Paywalled = x.paywalled()
	a.AllPagesURL = x.allPagesURL()
	linkURL := ""
	if layout == layoutPrint {
		var refs map[int]string
		refs, linkURL = x.printFooter()
		x.conv.PrintRefs = refs
	}
	a.Hero = x.hero()
	a.Notice = x.notice()
	permalink := x.permalink()
	if linkURL == "" {
		linkURL = permalink
	}
	body := x.body()
	a.Body = x.conv.Convert(body)
	a.Body = trimShortCodeResidue(a.Body)
	a.Body = x.conv.FillImageRefs(a.Hero, a.Body)
	a.Figures = x.conv.Figures()
	a.References = x.conv.References()
	a.Notices = append(append([]string(nil), p.notices...), x.conv.Notices()...)
	a.Authors = x.authors()
	a.ID, a.URL, a.CanonicalURL = x.identity(linkURL)
	if a.Body == "" && a.Lead == "" {
		return article.Article{}, false // nothing here: let readability try
	}
	if a.Lang = p.pageLang(); a.Lang == "" {
		a.Lang = "de" // heise's and Telepolis' pages are German unless they say otherwise
	}
	return a, true
}

// trimShortCodeResidue drops the "()" an author short code leaves behind
// when its parentheses stand outside the dropped span.
func trimShortCodeResidue(body string) string {
	body = strings.TrimSpace(body)
	for _, r := range []string{" ()", "\n\n()", " ( )", "\n\n( )"} {
		body = strings.TrimSuffix(body, r)
	}
	if body == "()" || body == "( )" {
		return ""
	}
	return body
}

// permalink finds the short link older pages print as "Permalink:
// http://heise.de/-ID" and drops its line from the body.
func (x *heiseExtraction) permalink() string {
	a := dom.Find(x.root, func(n *html.Node) bool {
		if n.Data != "a" {
			return false
		}
		h := dom.Attr(n, "href")
		return article.HeiseContentID(h) != "" && strings.Contains(h, "/-")
	})
	if a == nil {
		return ""
	}
	if p := dom.Ancestor(a, func(n *html.Node) bool { return n.Data == "p" || n.Data == "div" }); p != nil && p != x.root &&
		strings.HasPrefix(dom.TextOf(p), "Permalink") {
		x.consumed[p] = true
	}
	return dom.Attr(a, "href")
}

// identity derives the stable ID and URLs: the content ID from
// DC.identifier, the canonical URL, og:url, the page URL or the print
// footer; the canonical URL is the short https://www.heise.de/-ID form.
func (x *heiseExtraction) identity(printURL string) (id, pageURL, canonical string) {
	p := x.p
	cid := ""
	for _, u := range []string{dom.MetaContent(p.metas, "DC.identifier"), p.canonical, dom.MetaContent(p.metas, "og:url"), printURL, p.rawURL} {
		if cid = article.HeiseContentID(u); cid != "" {
			break
		}
	}
	pageURL = p.articleURL()
	if pageURL == "" {
		pageURL = p.canonical // absolute http(s) or ""
	}
	idKey := pageURL
	if idKey == "" && cid == "" {
		idKey = "title:" + x.p.title // a local file without any URL
	}
	id = article.StableID(cid, "", idKey)
	if cid != "" {
		canonical = "https://www.heise.de/-" + cid
	} else {
		canonical = p.canonical // absolute http(s) or ""
	}
	return id, pageURL, canonical
}
