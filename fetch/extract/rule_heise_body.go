package extract

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// printFooter reads a print view's footer: "URL dieses Artikels" and
// "Links in diesem Artikel" with its "[n] URL" lines. The footer blocks are
// consumed so the body does not repeat them.
func (x *heiseExtraction) printFooter() (refs map[int]string, articleURL string) {
	refs = make(map[int]string)
	for _, label := range dom.FindAll(x.root, func(n *html.Node) bool {
		if n.Data != "strong" && n.Data != "b" && n.Data != "h2" && n.Data != "h3" && n.Data != "h4" && n.Data != "p" && n.Data != "div" {
			return false
		}
		t := dom.TextOf(n)
		return strings.HasPrefix(t, "URL dieses Artikels") || strings.HasPrefix(t, "Links in diesem Artikel")
	}) {
		block := label
		if label.Data == "strong" || label.Data == "b" {
			if p := dom.Ancestor(label, func(n *html.Node) bool { return n.Data == "p" || n.Data == "div" }); p != nil && p != x.root {
				block = p
			}
		}
		if x.consumed[block] {
			continue
		}
		text := dom.TextOf(block)
		x.consumed[block] = true
		if strings.HasPrefix(dom.TextOf(label), "URL dieses Artikels") {
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
			if parseRefList(dom.TextOf(sib), refs) {
				found = true
			} else if sib.Data == "ol" || sib.Data == "ul" {
				for i, li := range dom.FindAll(sib, dom.ByTag("li")) {
					if u := urlPattern.FindString(dom.TextOf(li)); u != "" && refs[i+1] == "" {
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
	urlPattern     = lazy(`https?://\S+`)
	refListPattern = lazy(`\[(\d{1,4})\]\s*(https?://\S+)`)
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
		n = dom.Find(x.root, func(n *html.Node) bool {
			return dom.HasClass(n, "pre-akwa-article__content") ||
				(dom.HasClass(n, "article-content") && !x.consumed[n] && dom.Ancestor(n, dom.ByClass("a-article-header")) == nil)
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
	for _, n := range dom.FindAll(body, func(n *html.Node) bool {
		return dom.HasClass(n, "heisebox") || (n.Data == "p" && dom.HasClass(n, "frage")) ||
			n.Data == "embetty-video" || n.Data == "embetty-tweet"
	}) {
		switch {
		case dom.HasClass(n, "heisebox"):
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
	case n.Data == "embetty-video" && dom.Attr(n, "video-id") != "":
		id := url.QueryEscape(dom.Attr(n, "video-id"))
		switch strings.ToLower(dom.Attr(n, "type")) {
		case "youtube", "":
			href, text = "https://www.youtube.com/watch?v="+id, "Video (YouTube)"
		case "vimeo":
			href, text = "https://vimeo.com/"+id, "Video (Vimeo)"
		}
	case n.Data == "embetty-tweet" && dom.Attr(n, "status") != "":
		href, text = "https://twitter.com/i/status/"+url.PathEscape(dom.Attr(n, "status")), "Tweet"
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
		if dom.HasClass(n, "redakteurskuerzel") || dom.HasClass(n, "ISI_IGNORE") {
			if a := dom.Find(n, func(e *html.Node) bool { return e.Data == "a" && dom.Attr(e, "title") != "" }); a != nil && x.shortCode == "" {
				x.shortCode = article.CleanLine(dom.Attr(a, "title"))
			}
			return true
		}
	case "p":
		if dom.HasClass(n, "json-ld-paid-content-marker") {
			return true
		}
	}
	if c := dom.Attr(n, "data-component"); c == "RecommendationBox" || c == "TeaserContainer" || c == "TeaserList" {
		return true
	}
	if dom.Attr(n, "class") != "" {
		for _, c := range []string{"ad", "ad-label", "ad-microsites", "wrbg-note", "inread-cls-reduc", "incontent3-cls-reduc",
			"a-inline-textbox", "collapse-box", "article-sidebar", "article-layout__footer", "a-article-header__service",
			"comment-button", "printversion--hide", "printversion__back-to-article", "printversion__logo",
			"printversion__copyright", "leaderboard_print", "opt-in__cta-container", "pre-akwa-toc", "akwa-seitenweise",
			"a-pagination", "beitragsfooter", "a-publish-info", "creator", "a-creator", "publish-info",
			"a-breadcrumb", "printversion", "news_option", "shariff", "a-article-header"} {
			if dom.HasClass(n, c) {
				return true
			}
		}
		if dom.HasClassPrefix(n, "newsletter") || dom.HasClassPrefix(n, "article-newsletter") || dom.HasClassPrefix(n, "a-paid-content") {
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
