package extract

import (
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The generic cleaning pass. Pages without a site rule carry furniture
// that readability keeps when it sits inside the article: consent and
// cookie panels, placeholders of embedded content, related-article and
// teaser blocks, newsletter, subscription and donation boxes, meta lines
// (date, reading time, comment counts, share bars), breadcrumbs and author
// bios. cleanPage runs on the whole page before readability (so that a
// consent panel or an embed placeholder cannot become, or cut short, the
// article); cleanArticle runs on readability's article node. Both go by
// class and id words (noiseWords) and by the text of short blocks (the
// patterns in clean_patterns.go, applied in clean_text.go), in German and
// English. A new noise pattern goes into one of those lists; a site's own
// markup goes into its site rule.

// noiseWords are the class and id words of furniture, matched as whole
// words of the attribute ("c-related-articles" has "related").
var noiseWords = map[string]bool{
	"cookie": true, "cookies": true, "consent": true, "gdpr": true, "cmp": true, "onetrust": true, "usercentrics": true,
	"related": true, "recommendations": true, "recommended": true, "empfehlungen": true, "outbrain": true, "taboola": true,
	"newsletter": true, "subscribe": true, "subscription": true, "donate": true, "donation": true, "spenden": true,
	"share": true, "sharing": true, "social": true, "socials": true, "sharebar": true, "shariff": true,
	"breadcrumb": true, "breadcrumbs": true,
	"comments": true, "kommentare": true, "disqus": true,
	"advert": true, "advertisement": true, "anzeige": true, "ad": true, "ads": true, "adslot": true, "sponsored": true,
	"bookmark": true, "merkliste": true, "toolbar": true, "authorbox": true, "autorenbox": true, "bio": true,
	// Bylines and author boxes: their names are metadata (pageByline
	// reads them first), their portraits and bios are not the article.
	"author": true, "authors": true, "autor": true, "autoren": true, "byline": true,
}

// consentWords are the noise words cleanPage removes from the whole page;
// the rest wait for the article node, where they are safer.
var consentWords = map[string]bool{
	"cookie": true, "cookies": true, "consent": true, "gdpr": true, "cmp": true, "onetrust": true, "usercentrics": true,
	"breadcrumb": true, "breadcrumbs": true,
}

// hasWord reports whether the attribute value v has one of words as a
// whole word, case-insensitively, without allocating.
func hasWord(v string, words map[string]bool) bool {
	var buf [24]byte
	for i := 0; i < len(v); {
		for i < len(v) && !isAlnum(v[i]) {
			i++
		}
		j := i
		for j < len(v) && isAlnum(v[j]) {
			j++
		}
		if w := v[i:j]; len(w) > 0 && len(w) <= len(buf) {
			for k := range len(w) {
				c := w[k]
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf[k] = c
			}
			if words[string(buf[:len(w)])] {
				return true
			}
		}
		i = j
	}
	return false
}

// isAlnum reports an ASCII letter or digit.
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// hasNoiseWord reports whether n's class or id has one of words.
func hasNoiseWord(n *html.Node, words map[string]bool) bool {
	if hasWord(dom.Attr(n, "class"), words) {
		return true
	}
	// An id is often a slug of the section's heading
	// ("sharing-with-a-single-developer"): only a short one counts.
	if id := dom.Attr(n, "id"); id != "" && strings.Count(id, "-")+strings.Count(id, "_") <= 2 && hasWord(id, words) {
		return true
	}
	if strings.EqualFold(dom.Attr(n, "aria-label"), "breadcrumb") {
		return words["breadcrumb"]
	}
	return false
}

// isNoiseContainer reports whether n is furniture by its class or id, or
// an author box by its data attributes.
func isNoiseContainer(n *html.Node) bool {
	switch n.Data {
	case "html", "body", "main", "article":
		return false
	}
	return hasNoiseWord(n, noiseWords) || hasWordPrefix(dom.Attr(n, "class"), "author", "byline") ||
		dom.HasAttr(n, "data-author-id") || dom.HasAttr(n, "data-author-name") || dom.HasAttr(n, noiseMark)
}

// noiseMark is the attribute cleanPage sets on the <div>s and <section>s
// that isNoiseContainer recognises. Readability folds a div that holds a
// single div into its child and gives the child the parent's class and
// id, so a newsletter box wrapped in a plain div ("<div
// class=body-component><div class=newsletter-wrapper>") would reach
// cleanArticle without its class; the mark survives the fold.
const noiseMark = "data-kiosk-noise"

// markNoise sets noiseMark on n.
func markNoise(n *html.Node) {
	if !dom.HasAttr(n, noiseMark) {
		n.Attr = append(n.Attr, html.Attribute{Key: noiseMark})
	}
}

// hasWordPrefix reports whether a word of the attribute value v starts
// with one of the lower-case prefixes ("wp-block-authorline"), ignoring
// case.
func hasWordPrefix(v string, prefixes ...string) bool {
	for i := 0; i < len(v); {
		for i < len(v) && !isAlnum(v[i]) {
			i++
		}
		j := i
		for j < len(v) && isAlnum(v[j]) {
			j++
		}
		for _, p := range prefixes {
			if j-i >= len(p) && strings.EqualFold(v[i:i+len(p)], p) {
				return true
			}
		}
		i = j
	}
	return false
}

// cleanPage removes consent panels and breadcrumbs from the whole page and
// turns embed placeholders into one-line notices, before readability.
// Nothing that holds the headline or a large part of the page's text is
// removed, whatever its class says.
func cleanPage(doc *html.Node, lang string) {
	total := -1 // the page's text length, measured when first needed
	var drop []*html.Node
	for n := dom.Next(doc, doc, false); n != nil; {
		skip := false
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "template", "svg", "head", "html", "body", "main", "article":
			default:
				if hasNoiseWord(n, consentWords) {
					if total < 0 {
						total = textLen(doc)
					}
					if !safeToDrop(n, total) {
						break
					}
					drop = append(drop, n)
					skip = true
				} else if (n.Data == "div" || n.Data == "section") && isNoiseContainer(n) {
					markNoise(n)
				}
			}
		}
		n = dom.Next(doc, n, skip)
	}
	for _, n := range drop {
		n.Parent.RemoveChild(n)
	}
	dropConsent(doc)
	dropLinkTeasers(doc)
	dropKickerLists(doc)
	dropSignupBoxes(doc)
	keepInfoBoxes(doc)
	replaceEmbeds(doc, lang)
}

// keepInfoBoxes turns the <aside>s inside an <article> that hold prose
// (an info box: "Neuronales Netz wird mit Daten trainiert" and its
// paragraphs) into <div>s, which readability does not remove wholesale as
// it does every <aside>. An aside with furniture's class words, mostly
// links, or without a paragraph of article length stays an aside.
func keepInfoBoxes(doc *html.Node) {
	for _, a := range dom.FindAll(doc, dom.ByTag("aside")) {
		if dom.Ancestor(a, dom.ByTag("article")) == nil || isNoiseContainer(a) || dom.Find(a, isNoiseContainer) != nil {
			continue
		}
		t, ok := boundedText(a, 3000)
		if !ok || len(t) < 300 || linkText(a)*4 > len(t) || longParagraphs(a) == 0 {
			continue
		}
		a.Data, a.DataAtom = "div", atom.Div
	}
}

// dropSignupBoxes removes the boxes around an e-mail field (a newsletter
// sign-up with its pitch and consent line): the largest short block around
// the field, as dropAround does for buttons.
func dropSignupBoxes(doc *html.Node) {
	var drop []*html.Node
	for _, in := range dom.FindAll(doc, func(n *html.Node) bool {
		return n.Data == "input" && strings.EqualFold(dom.Attr(n, "type"), "email")
	}) {
		box := in
		for p := in.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
			if p.Data == "article" || p.Data == "main" || p.Data == "body" || visibleTextLen(p, 600) > 600 || longParagraphs(p) > 0 ||
				dom.Find(p, dom.ByTag("h1")) != nil {
				break
			}
			box = p
		}
		if box != in {
			drop = append(drop, box)
		}
	}
	for _, n := range drop {
		if n.Parent != nil && isInside(n, doc) {
			n.Parent.RemoveChild(n)
		}
	}
}

// dropKickerLists removes lists of teasers inside the text, each item a
// bold topic and a link to another article of the site ("<li><strong>
// Russische Drohnen:</strong> <a href="/politik/…">Experten
// warnen</a></li>"), which some publishers put between paragraphs.
func dropKickerLists(doc *html.Node) {
	var drop []*html.Node
	for _, l := range dom.FindAll(doc, func(n *html.Node) bool { return n.Data == "ul" || n.Data == "ol" }) {
		items := 0
		ok := true
		for li := l.FirstChild; li != nil && ok; li = li.NextSibling {
			if li.Type != html.ElementNode {
				continue
			}
			items++
			ok = li.Data == "li" && isKickerItem(li)
		}
		if ok && items >= 2 {
			drop = append(drop, l)
		}
	}
	for _, n := range drop {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// isKickerItem reports a list item made of a short bold topic ("Russische
// Drohnen:", "Kinderschutz als Vorwand?") and one link to a page of the same site that holds the rest of its text.
func isKickerItem(li *html.Node) bool {
	var label, link *html.Node
	for c := li.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return false
			}
		case c.Type != html.ElementNode:
		case (c.Data == "strong" || c.Data == "b") && label == nil && link == nil:
			label = c
		case c.Data == "a" && link == nil:
			link = c
		default:
			return false
		}
	}
	if label == nil || link == nil || len(dom.TextOf(label)) > 60 || !strings.ContainsAny(dom.TextOf(label), ":?!") {
		return false
	}
	h := dom.Attr(link, "href")
	return strings.HasPrefix(h, "/") && !strings.HasPrefix(h, "//") && dom.TextOf(link) != ""
}

// linkTeaserWords are the class words of teasers of other articles (the
// same word marks a page's own lead, which has text of its own).
var linkTeaserWords = map[string]bool{"teaser": true, "teasers": true}

// dropLinkTeasers removes the teasers of other articles a page puts into
// the text ("c-inline-teaser": a picture, a topic line and a headline
// linking elsewhere), before readability keeps their picture and topic
// and drops their link. A teaser is an element with a teaser class word
// whose text is short and mostly the text of links to other pages; a
// lead paragraph with a teaser class has text of its own.
func dropLinkTeasers(doc *html.Node) {
	var drop []*html.Node
	for n := dom.Next(doc, doc, false); n != nil; {
		skip := false
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "template", "svg", "head", "html", "body", "main", "article":
				skip = n.Data != "html" && n.Data != "body" && n.Data != "main" && n.Data != "article"
			default:
				if hasWord(dom.Attr(n, "class"), linkTeaserWords) && isLinkTeaser(n) {
					drop, skip = append(drop, n), true
				}
			}
		}
		n = dom.Next(doc, n, skip)
	}
	for _, n := range drop {
		n.Parent.RemoveChild(n)
	}
}

// isLinkTeaser reports a short block whose text is mostly links to other
// pages, without the headline.
func isLinkTeaser(n *html.Node) bool {
	t, ok := boundedText(n, 600)
	if !ok || t == "" || dom.Find(n, dom.ByTag("h1")) != nil {
		return false
	}
	away := 0
	for _, a := range dom.FindAll(n, dom.ByTag("a")) {
		if h := dom.Attr(a, "href"); h != "" && !strings.HasPrefix(h, "#") && !strings.HasPrefix(h, "javascript:") {
			away += len(dom.TextOf(a))
		}
	}
	return away*2 >= len(t)
}

// cleanArticle removes furniture from readability's article node: by class
// and id, then by the text of short blocks.
func cleanArticle(root *html.Node, hero *article.Figure) {
	total := textLen(root)
	var drop []*html.Node
	for n := dom.Next(root, root, false); n != nil; {
		skip := false
		if n.Type == html.ElementNode && n.Data != "figure" && isNoiseContainer(n) && safeToDrop(n, total) {
			drop = append(drop, n)
			skip = true
		}
		n = dom.Next(root, n, skip)
	}
	for _, n := range drop {
		n.Parent.RemoveChild(n)
	}
	dropBylineLabels(root)
	joinDropCaps(root)
	dropBoxes(root)
	dropNoiseBlocks(root, hero)
}

// dropBylineLabels removes the blocks left holding only a byline's label
// ("By", "Por:") once the name, marked as a byline, was removed by
// readability or by cleanArticle ("<p>By <span class=byline>Name</span></p>").
func dropBylineLabels(root *html.Node) {
	for _, n := range dom.FindAll(root, func(n *html.Node) bool {
		switch n.Data {
		case "p", "div", "li", "section":
			t, ok := boundedText(n, 8)
			return ok && bylineLabels[strings.ToLower(strings.Trim(t, " :\u00a0"))]
		}
		return false
	}) {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// bylineLabels are the words that introduce a byline's names.
var bylineLabels = map[string]bool{"by": true, "von": true, "por": true, "par": true, "door": true, "di": true, "da": true, "av": true, "af": true}

// safeToDrop reports whether removing n cannot lose the article: it holds
// no <h1> and less than a third of the text.
func safeToDrop(n *html.Node, total int) bool {
	if n.Parent == nil || dom.Find(n, dom.ByTag("h1")) != nil {
		return false
	}
	l := textLen(n)
	return l*3 < total || l < 200
}

// textLen is the length of the text below n, scripts and styles excluded.
func textLen(n *html.Node) int {
	var b strings.Builder
	dom.AppendText(&b, n)
	return len(strings.Join(strings.Fields(b.String()), " "))
}

// joinDropCaps joins an initial letter set apart for a drop cap ("<span
// class=initial>N</span> <span>a endlich!</span>") to the word it
// begins, which the page's style sheet does and plain text cannot.
func joinDropCaps(root *html.Node) {
	for _, n := range dom.FindAll(root, func(n *html.Node) bool {
		return classHas(n, "initial", "dropcap", "drop-cap", "firstletter", "first-letter") && len([]rune(dom.TextOf(n))) == 1
	}) {
		// Climb to the outermost wrapper that holds only the letter.
		for n.Parent != nil && n.Parent != root && len([]rune(dom.TextOf(n.Parent))) == 1 {
			n = n.Parent
		}
		for s := n.NextSibling; s != nil; s = s.NextSibling {
			if s.Type == html.TextNode {
				if t := strings.TrimLeft(s.Data, " \t\n\r\f"); t != "" {
					s.Data = t
					break
				}
				s.Data = ""
				continue
			}
			if s.Type == html.ElementNode && s.FirstChild != nil && s.FirstChild.Type == html.TextNode {
				s.FirstChild.Data = strings.TrimLeft(s.FirstChild.Data, " \t\n\r\f")
			}
			break
		}
	}
}
