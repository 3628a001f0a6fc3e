package fetch

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

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
	for _, u := range []string{metaContent(p.metas, "DC.identifier"), p.canonical, metaContent(p.metas, "og:url")} {
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
	case p.roots.preAkwa != nil && (signal || hasClass(p.roots.preAkwa, "pre-akwa-article")):
		return p.roots.preAkwa, layoutPreAkwa, true
	case p.roots.main != nil && signal && p.roots.wrapper == nil:
		// A current page without the #meldung markup: Telepolis keeps its
		// article as the first <article> in <main>.
		return p.roots.main, layoutCurrent, true
	case p.roots.wrapper != nil && signal:
		root := ancestor(p.roots.wrapper, byTag("article"))
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
	return find(root, func(n *html.Node) bool {
		return (n.Data == "strong" || n.Data == "b") && strings.HasPrefix(textOf(n), "URL dieses Artikels")
	}) != nil
}

// heiseExtraction is the state of one heise extraction: the nodes consumed
// by header fields, which the body skips.
type heiseExtraction struct {
	p        *page
	root     *html.Node
	layout   heiseLayout
	consumed map[*html.Node]bool
	conv     *converter
}

// extractHeise applies the heise online / Telepolis rule. It reports false
// when the page is not one of theirs or holds no text, so readability can try.
func extractHeise(p *page) (Article, bool) {
	root, layout, ok := p.heiseRoot()
	if !ok {
		return Article{}, false
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
	x.conv = &converter{base: p.base, refs: newRefCollector(), original: true, flatHeadings: true, maxBody: bodyLimit(p.size)}
	x.conv.noise = x.noise
	x.conv.figure = isHeiseFigure

	a := Article{Rule: "heise", Site: x.site()}
	a.Title = x.title()
	a.Kicker = textOf(find(root, byClass("publish-info__rubrik")))
	a.Lead = x.lead()
	a.Published, a.Modified = x.times()
	a.ReadingTime = x.readingTime()
	a.Paywalled = x.paywalled()
	a.AllPagesURL = x.allPagesURL()
	linkURL := ""
	if layout == layoutPrint {
		var refs map[int]string
		refs, linkURL = x.printFooter()
		x.conv.printRefs = refs
	}
	a.Hero = x.hero()
	a.Notice = x.notice()
	permalink := x.permalink()
	if linkURL == "" {
		linkURL = permalink
	}
	body := x.body()
	a.Body = x.conv.convert(body)
	a.Body = trimShortCodeResidue(a.Body)
	a.Body = x.conv.fillImageRefs(a.Hero, a.Body)
	a.Figures = x.conv.figures
	a.References = x.conv.refs.refs
	a.Notices = append(append([]string(nil), p.notices...), x.conv.notices()...)
	a.Authors = x.authors()
	a.ID, a.URL, a.CanonicalURL = x.identity(linkURL)
	if a.Body == "" && a.Lead == "" {
		return Article{}, false // nothing here: let readability try
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

// site tells heise online from Telepolis. og:site_name on heise is the
// section brand ("Security"), so it only counts when it says Telepolis.
func (x *heiseExtraction) site() string {
	p := x.p
	if strings.EqualFold(strings.TrimSpace(metaContent(p.metas, "og:site_name")), "Telepolis") ||
		strings.HasSuffix(strings.ToLower(p.title), "| telepolis") {
		return "Telepolis"
	}
	for _, raw := range []string{p.canonical, metaContent(p.metas, "og:url"), p.rawURL} {
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
	if x.root != nil && find(x.root, func(n *html.Node) bool { return hasClass(n, "beitragsfooter") || hasClass(n, "beitraganriss") }) != nil {
		return "Telepolis"
	}
	return "heise online"
}

// title reads the headline: h1 in the current layout, h2 under a breadcrumb
// h1 in 2019, h1.article__heading in pre-akwa, the header h1 in print.
func (x *heiseExtraction) title() string {
	n := find(x.root, func(n *html.Node) bool {
		return hasClass(n, "a-article-header__title") || hasClass(n, "article__heading") || attr(n, "itemprop") == "headline"
	})
	if n == nil {
		n = find(x.root, func(n *html.Node) bool {
			return n.Data == "h1" && !hasClassPrefix(n, "a-breadcrumb") && ancestor(n, byTag("nav")) == nil
		})
	}
	if t := textOf(n); t != "" {
		x.consumed[n] = true
		return t
	}
	for _, t := range []string{metaContent(x.p.metas, "og:title"), x.p.ldString("headline"), metaContent(x.p.metas, "title")} {
		if t = CleanLine(t); t != "" {
			return t
		}
	}
	return cleanPageTitle(x.p.title)
}

// cleanPageTitle strips the "Druckversion - " prefix and the " | site" suffix.
func cleanPageTitle(t string) string {
	t = CleanLine(t)
	t = strings.TrimPrefix(t, "Druckversion - ")
	if i := strings.LastIndex(t, " | "); i > 0 {
		t = t[:i]
	}
	return t
}

// lead reads the standfirst of any layout and keeps it out of the body.
func (x *heiseExtraction) lead() string {
	n := find(x.root, func(n *html.Node) bool {
		return hasClass(n, "a-article-header__lead") || hasClass(n, "article-content__lead") ||
			hasClass(n, "beitraganriss") || hasClass(n, "meldung_anrisstext") || hasClass(n, "printversion__untertitel")
	})
	if n == nil {
		return ""
	}
	x.consumed[n] = true
	return textOf(n)
}

// times reads the publication time (from the time element's attribute, not
// its text, which may be just "13:37 Uhr") and the modification time.
func (x *heiseExtraction) times() (published, modified time.Time) {
	n := find(x.root, func(n *html.Node) bool {
		return n.Data == "time" && hasAttr(n, "datetime") &&
			(hasClass(n, "a-publish-info__datetime") || hasClass(n, "publish-info__date") || attr(n, "itemprop") == "datePublished")
	})
	if n == nil {
		n = find(x.root, func(n *html.Node) bool {
			return n.Data == "time" && hasAttr(n, "datetime") && ancestor(n, byTag("article")) == x.root
		})
	}
	published = parseTime(attr(n, "datetime"))
	if published.IsZero() {
		published = parseTime(metaContent(x.p.metas, "date"))
	}
	if published.IsZero() {
		published = parseTime(x.p.ldString("datePublished"))
	}
	if published.IsZero() {
		if d := find(x.root, byClass("news_datum")); d != nil {
			published = parseTime(germanDate.FindString(textOf(d)))
		}
	}
	modified = parseTime(x.p.ldString("dateModified"))
	return published, modified
}

// germanDate finds "08.04.2015 12:46" and "08.04.2015" in text.
var germanDate = regexp.MustCompile(`\d{2}\.\d{2}\.\d{4}(?:,? \d{1,2}:\d{2})?`)

// readingTime reads "Lesezeit: 2 Min." as "2 Min.".
func (x *heiseExtraction) readingTime() string {
	t := textOf(find(x.root, byClass("a-publish-info__read-time-value")))
	t = strings.TrimSpace(strings.TrimPrefix(t, "Lesezeit:"))
	return t
}

// authors reads the byline; the author short code's title is the fallback.
func (x *heiseExtraction) authors() []string {
	var names []string
	for _, n := range findAll(x.root, func(n *html.Node) bool {
		return hasClass(n, "creator__name") || hasClass(n, "a-creator__name")
	}) {
		names = append(names, splitNames(textOf(n))...)
	}
	if len(names) == 0 {
		names = splitNames(textOf(find(x.root, byClass("publish-info__author"))))
	}
	if len(names) == 0 {
		for _, s := range x.p.ldAuthors() {
			names = append(names, splitNames(s)...)
		}
	}
	if len(names) == 0 {
		names = splitNames(metaContent(x.p.metas, "author"))
	}
	if len(names) == 0 && x.conv.shortCode != "" {
		names = []string{x.conv.shortCode}
	}
	return dedupe(names)
}

// splitNames splits "A, B & C" and "A und B" into names.
func splitNames(s string) []string {
	s = CleanLine(s)
	s = strings.TrimPrefix(s, "Von ")
	if s == "" {
		return nil
	}
	s = strings.NewReplacer(" & ", ",", " und ", ",", ";", ",").Replace(s)
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// dedupe drops repeated names, keeping the first; nil when none remain.
func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// paywalled reports heise+ pages: a content tier other than free, JSON-LD
// isAccessibleForFree false, or paid-content markers in the article.
func (x *heiseExtraction) paywalled() bool {
	if tier := strings.TrimSpace(metaContent(x.p.metas, "article:content_tier")); tier != "" && !strings.EqualFold(tier, "free") {
		return true
	}
	if free, ok := x.p.ldFree(); ok && !free {
		return true
	}
	return find(x.root, func(n *html.Node) bool {
		return strings.HasPrefix(n.Data, "a-paid-content") || hasClassPrefix(n, "a-paid-content") ||
			hasClass(n, "json-ld-paid-content-marker")
	}) != nil
}

// allPagesURL reports a multi-page article: the "?seite=all" URL that shows
// every page, or "" when the page is complete.
func (x *heiseExtraction) allPagesURL() string {
	if x.p.url != nil && x.p.url.Query().Get("seite") == "all" {
		return ""
	}
	if n := find(x.root, func(n *html.Node) bool { return hasClass(n, "pre-akwa-toc__item--onepage") }); n != nil {
		if a := find(n, byTag("a")); a != nil {
			if u, ok := resolveRef(x.p.base, attr(a, "href")); ok {
				return u
			}
		}
	}
	more := x.p.nextLink != "" || find(x.root, func(n *html.Node) bool {
		return hasClass(n, "pre-akwa-toc") || hasClass(n, "akwa-seitenweise") || hasClass(n, "a-pagination__items") ||
			hasClass(n, "a-pagination--all-on-one-page") || hasClass(n, "seite_weiter") ||
			(n.Data == "a" && strings.Contains(attr(n, "id"), "pagination-all-on-one-page"))
	}) != nil
	if !more {
		return ""
	}
	if a := find(x.root, func(n *html.Node) bool {
		return n.Data == "a" && strings.HasSuffix(attr(n, "href"), "seite=all")
	}); a != nil {
		if u, ok := resolveRef(x.p.base, attr(a, "href")); ok {
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
	return n.Data == "a-lightbox" || n.Data == "a-bilderstrecke" || (n.Data == "a-img" && ancestor(n, byTag("figure")) == nil)
}

// hero finds the lead image: in the header (current layouts), as
// figure.aufmacherbild (older ones) or .aufmacherbild img (print).
func (x *heiseExtraction) hero() *Figure {
	n := find(x.root, func(n *html.Node) bool {
		return (n.Data == "a-lightbox" && hasClass(n, "article-image")) ||
			(n.Data == "figure" && (hasClass(n, "article-image") || hasClass(n, "aufmacherbild"))) ||
			hasClass(n, "aufmacherbild")
	})
	if n == nil {
		return nil
	}
	if n.Data == "figure" {
		if lb := ancestor(n, byTag("a-lightbox")); lb != nil {
			n = lb
		}
	}
	f, ok := figureOf(x.p.base, n, true)
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
		return len(textOf(n)) < 400
	}
	n := find(x.root, func(n *html.Node) bool { return n.Data == "p" && isBanner(n) })
	if n == nil {
		n = find(x.root, func(n *html.Node) bool {
			return (n.Data == "div" || n.Data == "aside") && isBanner(n) &&
				find(n, func(e *html.Node) bool { return e.Data == "p" || e.Data == "div" }) == nil
		})
	}
	if n == nil {
		return ""
	}
	x.consumed[n] = true
	return textOf(n)
}

// firstText returns the first non-blank text below n, trimmed.
func firstText(n *html.Node) string {
	for e := next(n, n, false); e != nil; e = next(n, e, false) {
		if e.Type == html.TextNode {
			if t := strings.TrimSpace(e.Data); t != "" {
				return t
			}
		}
	}
	return ""
}

// printFooter reads a print view's footer: "URL dieses Artikels" and
// "Links in diesem Artikel" with its "[n] URL" lines. The footer blocks are
// consumed so the body does not repeat them.
func (x *heiseExtraction) printFooter() (refs map[int]string, articleURL string) {
	refs = make(map[int]string)
	for _, label := range findAll(x.root, func(n *html.Node) bool {
		if n.Data != "strong" && n.Data != "b" && n.Data != "h2" && n.Data != "h3" && n.Data != "h4" && n.Data != "p" && n.Data != "div" {
			return false
		}
		t := textOf(n)
		return strings.HasPrefix(t, "URL dieses Artikels") || strings.HasPrefix(t, "Links in diesem Artikel")
	}) {
		block := label
		if label.Data == "strong" || label.Data == "b" {
			if p := ancestor(label, func(n *html.Node) bool { return n.Data == "p" || n.Data == "div" }); p != nil && p != x.root {
				block = p
			}
		}
		if x.consumed[block] {
			continue
		}
		text := textOf(block)
		x.consumed[block] = true
		if strings.HasPrefix(textOf(label), "URL dieses Artikels") {
			if m := urlPattern.FindString(text); m != "" {
				articleURL = m
			}
			continue
		}
		found := parseRefList(text, refs)
		// The list may follow the label as sibling blocks, as "[n] URL"
		// lines or as an ordered list of bare URLs.
		for sib := block.NextSibling; sib != nil && !found; sib = sib.NextSibling {
			if sib.Type != html.ElementNode {
				continue
			}
			if parseRefList(textOf(sib), refs) {
				found = true
			} else if sib.Data == "ol" || sib.Data == "ul" {
				for i, li := range findAll(sib, byTag("li")) {
					if u := urlPattern.FindString(textOf(li)); u != "" && refs[i+1] == "" {
						refs[i+1] = u
						found = true
					}
				}
			}
			if found {
				x.consumed[sib] = true
			}
		}
	}
	return refs, articleURL
}

var (
	urlPattern     = regexp.MustCompile(`https?://\S+`)
	refListPattern = regexp.MustCompile(`\[(\d{1,4})\]\s*(https?://\S+)`)
)

// parseRefList adds the "[n] URL" pairs of text to refs.
func parseRefList(text string, refs map[int]string) bool {
	ms := refListPattern.FindAllStringSubmatch(text, -1)
	for _, m := range ms {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		if _, dup := refs[n]; !dup {
			refs[n] = m[2]
		}
	}
	return len(ms) > 0
}

// body returns the container of the article text.
func (x *heiseExtraction) body() *html.Node {
	var n *html.Node
	switch x.layout {
	case layoutCurrent, layoutPreAkwa:
		n = find(x.root, func(n *html.Node) bool {
			return hasClass(n, "pre-akwa-article__content") ||
				(hasClass(n, "article-content") && !x.consumed[n] && ancestor(n, byClass("a-article-header")) == nil)
		})
	case layoutClassic:
		n = x.p.roots.wrapper
	}
	if n == nil {
		n = x.root
	}
	rewriteHeiseBody(n)
	return n
}

// rewriteHeiseBody turns heise's custom elements into plain HTML the
// converter knows: info boxes into quotes, interview questions into bold
// paragraphs, and YouTube and Twitter embeds into links, so they become
// references instead of vanishing.
func rewriteHeiseBody(body *html.Node) {
	for _, n := range findAll(body, func(n *html.Node) bool {
		return hasClass(n, "heisebox") || (n.Data == "p" && hasClass(n, "frage")) ||
			n.Data == "embetty-video" || n.Data == "embetty-tweet"
	}) {
		switch {
		case hasClass(n, "heisebox"):
			n.Data = "blockquote"
		case n.Data == "p":
			strong := &html.Node{Type: html.ElementNode, Data: "strong"}
			for c := n.FirstChild; c != nil; c = n.FirstChild {
				n.RemoveChild(c)
				strong.AppendChild(c)
			}
			n.AppendChild(strong)
		default:
			replaceWithLink(n)
		}
	}
}

// replaceWithLink replaces an embetty embed with a paragraph linking to the
// video or tweet; an embed without a usable ID is dropped.
func replaceWithLink(n *html.Node) {
	var href, text string
	switch {
	case n.Data == "embetty-video" && attr(n, "video-id") != "":
		id := url.QueryEscape(attr(n, "video-id"))
		switch strings.ToLower(attr(n, "type")) {
		case "youtube", "":
			href, text = "https://www.youtube.com/watch?v="+id, "Video (YouTube)"
		case "vimeo":
			href, text = "https://vimeo.com/"+id, "Video (Vimeo)"
		}
	case n.Data == "embetty-tweet" && attr(n, "status") != "":
		href, text = "https://twitter.com/i/status/"+url.PathEscape(attr(n, "status")), "Tweet"
	}
	if n.Parent == nil {
		return
	}
	if href != "" {
		a := &html.Node{Type: html.ElementNode, Data: "a", Attr: []html.Attribute{{Key: "href", Val: href}}}
		a.AppendChild(&html.Node{Type: html.TextNode, Data: text})
		p := &html.Node{Type: html.ElementNode, Data: "p"}
		p.AppendChild(a)
		n.Parent.InsertBefore(p, n)
	}
	n.Parent.RemoveChild(n)
}

// noise is the heise rule's list of what is not article text.
func (x *heiseExtraction) noise(n *html.Node) bool {
	if x.consumed[n] {
		return true
	}
	switch n.Data {
	case "a-paternoster", "a-ad", "a-collapse", "a-opt-in", "a-gift", "a-with-access", "a-paid-content-teaser",
		"embetty-tweet", "embetty-video", "header", "footer", "aside":
		return true
	case "span":
		if hasClass(n, "redakteurskuerzel") || hasClass(n, "ISI_IGNORE") {
			if a := find(n, func(e *html.Node) bool { return e.Data == "a" && attr(e, "title") != "" }); a != nil && x.conv.shortCode == "" {
				x.conv.shortCode = CleanLine(attr(a, "title"))
			}
			return true
		}
	case "p":
		if hasClass(n, "json-ld-paid-content-marker") {
			return true
		}
	}
	if c := attr(n, "data-component"); c == "RecommendationBox" || c == "TeaserContainer" || c == "TeaserList" {
		return true
	}
	if attr(n, "class") != "" {
		for _, c := range []string{"ad", "ad-label", "ad-microsites", "wrbg-note", "inread-cls-reduc", "incontent3-cls-reduc",
			"a-inline-textbox", "collapse-box", "article-sidebar", "article-layout__footer", "a-article-header__service",
			"comment-button", "printversion--hide", "printversion__back-to-article", "printversion__logo",
			"printversion__copyright", "leaderboard_print", "opt-in__cta-container", "pre-akwa-toc", "akwa-seitenweise",
			"a-pagination", "beitragsfooter", "a-publish-info", "creator", "a-creator", "publish-info",
			"a-breadcrumb", "printversion", "news_option", "shariff", "a-article-header"} {
			if hasClass(n, c) {
				return true
			}
		}
		if hasClassPrefix(n, "newsletter") || hasClassPrefix(n, "article-newsletter") || hasClassPrefix(n, "a-paid-content") {
			return true
		}
	}
	// A lone "Anzeige" label, or the print view's back link.
	if fc := n.FirstChild; fc != nil && fc == n.LastChild && fc.Type == html.TextNode && len(fc.Data) < 40 {
		switch strings.TrimSpace(fc.Data) {
		case "Anzeige", "zurück zum Artikel":
			return true
		}
	}
	return false
}

// permalink finds the short link older pages print as "Permalink:
// http://heise.de/-ID" and drops its line from the body.
func (x *heiseExtraction) permalink() string {
	a := find(x.root, func(n *html.Node) bool {
		if n.Data != "a" {
			return false
		}
		h := attr(n, "href")
		return HeiseContentID(h) != "" && strings.Contains(h, "/-")
	})
	if a == nil {
		return ""
	}
	if p := ancestor(a, func(n *html.Node) bool { return n.Data == "p" || n.Data == "div" }); p != nil && p != x.root &&
		strings.HasPrefix(textOf(p), "Permalink") {
		x.consumed[p] = true
	}
	return attr(a, "href")
}

// identity derives the stable ID and URLs: the content ID from
// DC.identifier, the canonical URL, og:url, the page URL or the print
// footer; the canonical URL is the short https://www.heise.de/-ID form.
func (x *heiseExtraction) identity(printURL string) (id, pageURL, canonical string) {
	p := x.p
	cid := ""
	for _, u := range []string{metaContent(p.metas, "DC.identifier"), p.canonical, metaContent(p.metas, "og:url"), printURL, p.rawURL} {
		if cid = HeiseContentID(u); cid != "" {
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
	id = StableID(cid, "", idKey)
	if cid != "" {
		canonical = "https://www.heise.de/-" + cid
	} else {
		canonical = p.canonical // absolute http(s) or ""
	}
	return id, pageURL, canonical
}
