package extract

import (
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// The generic cleaning pass. Pages without a site rule carry furniture
// that readability keeps when it sits inside the article: consent and
// cookie panels, placeholders of embedded content, related-article and
// teaser blocks, newsletter, subscription and donation boxes, meta lines
// (date, reading time, comment counts, share bars), breadcrumbs and author
// bios. cleanPage runs on the whole page before readability (so that a
// consent panel or an embed placeholder cannot become, or cut short, the
// article); cleanArticle runs on readability's article node. Both go by
// class and id words (noiseWords) and by the text of short blocks
// (clean_text.go), in German and English. A new noise pattern goes into
// one of those lists; a site's own markup goes into its site rule.

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

// isNoiseContainer reports whether n is furniture by its class or id.
func isNoiseContainer(n *html.Node) bool {
	switch n.Data {
	case "html", "body", "main", "article":
		return false
	}
	return hasNoiseWord(n, noiseWords)
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
				}
			}
		}
		n = dom.Next(doc, n, skip)
	}
	for _, n := range drop {
		n.Parent.RemoveChild(n)
	}
	dropConsent(doc)
	replaceEmbeds(doc, lang)
}

// cleanArticle removes furniture from readability's article node: by class
// and id, then by the text of short blocks.
func cleanArticle(root *html.Node, lang string, hero *article.Figure) {
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
	joinDropCaps(root)
	replaceEmbeds(root, lang)
	dropBoxes(root)
	dropNoiseBlocks(root, hero)
}

// safeToDrop reports whether removing n cannot lose the article: it holds
// no <h1> and less than a third of the text.
func safeToDrop(n *html.Node, total int) bool {
	if n.Parent == nil || dom.Find(n, dom.ByTag("h1")) != nil {
		return false
	}
	return textLen(n)*3 < total || textLen(n) < 200
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
