package extract

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// embedHint reports whether s has a word every embedText match needs; it
// spares the regular expression most of a page's text.
func embedHint(s string) bool {
	for _, w := range []string{"inhalt", "einverstanden", "zustimmung", "content", "click to", "enable", "accept", "extern", "datenschutz", "klicken", "nachgeladen"} {
		if containsFold(s, w) {
			return true
		}
	}
	return false
}

// moreLink is the link text that ends a teaser of another article.
var moreLink = lazy(`(?i)^(mehr|weiterlesen|mehr lesen|zum artikel|more|read more|continue reading)( ?[»›>→])?$`)

// teaserCard reports a short block that ends in a "mehr" link to another
// page: a teaser of another article inside this one.
func teaserCard(n *html.Node, t string) bool {
	var last *html.Node
	for _, e := range dom.FindAll(n, func(e *html.Node) bool { return e.Data == "a" || e.Data == "span" }) {
		last = e
	}
	if last == nil {
		return false
	}
	lt := dom.TextOf(last)
	if !moreLink.MatchString(lt) || !strings.HasSuffix(t, strings.ToLower(lt)) {
		return false
	}
	if last.Data == "a" {
		return !strings.HasPrefix(dom.Attr(last, "href"), "#")
	}
	// A "mehr" that is no link itself: the teaser's link is around its
	// headline; the site's class says teaser.
	for a, k := n, 0; a != nil && k < 4; a, k = a.Parent, k+1 {
		if classHas(a, "teaser") {
			return true
		}
	}
	return false
}

// isShareBar reports whether a short text is only the names of share buttons.
func isShareBar(t string) bool {
	words := strings.Fields(strings.ToLower(t))
	if len(words) == 0 || len(words) > 12 {
		return false
	}
	seen := map[string]bool{}
	for _, w := range words {
		w = strings.Trim(w, ".,:|/")
		if !shareWords[w] {
			return false
		}
		seen[w] = true
	}
	// One word alone ("X", "Mail") may be the article's; a bar names
	// several services, or says what it is.
	return len(seen) >= 2 || seen["teilen"] || seen["share"]
}

// textBlock reports the elements whose whole text the patterns judge.
func textBlock(n *html.Node) bool {
	switch n.Data {
	case "p", "li", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "time", "small", "aside", "section", "ul", "ol", "header", "footer":
		return true
	case "div", "span":
		// a leaf-ish container: no block children of its own
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				switch c.Data {
				case "p", "div", "ul", "ol", "figure", "table", "blockquote", "section", "h2", "h3", "h4":
					return false
				}
			}
		}
		return true
	}
	return false
}

// dropNoiseBlocks removes the short blocks the patterns recognise, the
// list after a related-articles heading, paragraphs that repeat the lead
// picture's caption, and screen-reader hints inside links.
func dropNoiseBlocks(root *html.Node, hero *article.Figure) {
	var drop []*html.Node
	heroCaption := ""
	if hero != nil {
		heroCaption = strings.ToLower(hero.Caption)
		if heroCaption == "" {
			heroCaption = strings.ToLower(hero.Alt)
		}
	}
	memo := map[string]textFacts{}
	for n := dom.Next(root, root, false); n != nil; {
		skip := false
		switch {
		case n.Type == html.ElementNode && (n.Data == "pre" || n.Data == "code" || n.Data == "table" || n.Data == "math" || n.Data == "samp"):
			skip = true // content, whatever its words
		case n.Type == html.TextNode && strings.IndexByte(n.Data, '(') >= 0 && newWindow.MatchString(n.Data):
			n.Data = newWindow.ReplaceAllString(n.Data, "")
		case n.Type == html.ElementNode && textBlock(n):
			t, ok := boundedText(n, 1500)
			if !ok || t == "" {
				break
			}
			t = strings.ToLower(t) // the patterns are written in lower case
			f := factsOf(t, memo)
			switch {
			case f.meta && (n.Data != "span" || !strings.ContainsAny(t[:1], "0123456789")) || f.share:
				drop, skip = append(drop, n), true
			case f.related:
				drop, skip = append(drop, n), true
				if s := nextElement(n); s != nil && (s.Data == "ul" || s.Data == "ol" || linkText(s)*10 >= len(dom.TextOf(s))*7) {
					drop = append(drop, s)
				}
			case len(t) < 300 && teaserCard(n, t):
				drop, skip = append(drop, n), true
				if prev := prevElement(n); prev != nil && isPictureOnly(prev) {
					drop = append(drop, prev) // the teaser's picture
				}
			case f.box:
				drop, skip = append(drop, n), true
			case f.cite && n.Data != "li" && dom.Ancestor(n, func(a *html.Node) bool { return a.Data == "ol" || a.Data == "ul" }) == nil:
				drop, skip = append(drop, n), true // "Zitiervorschlag": how to cite the article, not a reference list
			case f.bio, f.forum:
				drop, skip = append(drop, n), true
			case f.source && dom.Ancestor(n, dom.ByTag("figure")) == nil && n.Data != "figcaption":
				drop, skip = append(drop, n), true
				if f.video {
					if prev := prevElement(n); prev != nil && isPictureOnly(prev) {
						drop = append(drop, prev) // the video's still
					}
				}
			case heroCaption != "" && dom.Ancestor(n, dom.ByTag("figure")) == nil && captionRepeat(t, heroCaption, hero):
				drop, skip = append(drop, n), true
			}
		}
		n = dom.Next(root, n, skip)
	}
	for _, n := range drop {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// textFacts are what the patterns say about a block's (lower-cased) text,
// each within the length its pattern is meant for.
type textFacts struct {
	meta, share, related, box, cite, bio, forum, source bool
	video                                               bool // a video's teaser (source is set too)
}

// maxMemoText is the longest text whose facts are remembered: a page that
// repeats a short text (a hostile one, thousands of times) runs the
// patterns on it once; long texts seldom repeat.
const maxMemoText = 200

// factsOf runs the patterns on t, or returns what they said before.
func factsOf(t string, memo map[string]textFacts) textFacts {
	if f, ok := memo[t]; ok {
		return f
	}
	var f textFacts
	n := len(t)
	if n < 160 {
		f.meta = metaLine.MatchString(t)
		f.share = isShareBar(t)
	}
	f.related = n < 200 && relatedHeading.MatchString(t) && !strings.HasSuffix(t, ".")
	f.box = n < 250 && boxText.MatchString(t) || n < 600 && podcastBox.MatchString(t)
	f.cite = n < 400 && citeLine.MatchString(t)
	f.bio = n < 1500 && bioText.MatchString(t)
	f.forum = n < 800 && forumNote.MatchString(t)
	f.video = n < 400 && videoTeaser.MatchString(t)
	f.source = f.video || n < 400 && (sourceLine.MatchString(t) || creditLine.MatchString(t))
	if n <= maxMemoText {
		memo[t] = f
	}
	return f
}

// isPictureOnly reports a figure, a picture or an image, or an element
// that holds one and no text: the picture of a teaser or a video.
func isPictureOnly(n *html.Node) bool {
	switch n.Data {
	case "figure", "picture", "img":
		return true
	}
	return textLen(n) == 0 && dom.Find(n, func(e *html.Node) bool { return e.Data == "img" || e.Data == "picture" }) != nil
}

// boundedText returns the text of n as dom.TextOf does when it is at most
// limit bytes long; ok is false (and the walk stops early) when longer.
func boundedText(n *html.Node, limit int) (string, bool) {
	var b strings.Builder
	for e := dom.Next(n, n, false); e != nil; {
		skip := false
		switch e.Type {
		case html.TextNode:
			b.WriteString(e.Data)
			if b.Len() > 2*limit+256 {
				return "", false
			}
		case html.ElementNode:
			switch e.Data {
			case "script", "style", "template", "svg":
				skip = true
			case "br", "p", "div", "li":
				b.WriteByte(' ')
			}
		}
		e = dom.Next(n, e, skip)
	}
	t := article.CleanLine(b.String())
	return t, len(t) <= limit
}

// callToAction is the button of a newsletter, subscription or donation box.
var callToAction = lazy(`(?i)^((jetzt )?(unterstützen|spenden|abonnieren|abo abschließen|testen|kostenlos testen|gratis testen|mitglied werden|newsletter abonnieren)|zum newsletter|(hier|jetzt) (anmelden|registrieren)|((subscribe|donate|sign up|register)( now| today)?)|support us|become a (member|subscriber))!?$`)

// dropBoxes removes the boxes around calls to action ("Jetzt
// unterstützen", "Newsletter abonnieren"): the largest block around the
// button that stays short; a button inside a paragraph of the article
// leaves it alone.
func dropBoxes(root *html.Node) {
	dropAround(root, callToAction.get(), nil)
}

// consentAction is a button of a consent or cookie panel.
var consentAction = lazy(`(?i)^((alle )?(akzeptieren|annehmen|zustimmen|ablehnen)|(cookies )?(akzeptieren|erlauben)|(accept|reject|allow)( all)?( cookies)?|i agree|agree( and (close|continue))?|einverstanden|cookie-einstellungen|einstellungen (verwalten|anpassen)|manage (cookies|preferences|settings|options))!?$`)

// dropConsent removes consent and cookie panels by their buttons, for the
// panels whose class names say nothing: the box around an "Akzeptieren"
// or "Accept all" button that talks about cookies or data.
func dropConsent(root *html.Node) {
	dropAround(root, consentAction.get(), func(t string) bool {
		t = strings.ToLower(t)
		return strings.Contains(t, "cookie") || strings.Contains(t, "datenschutz") || strings.Contains(t, "privacy") ||
			strings.Contains(t, "consent") || strings.Contains(t, "einwilligung") || strings.Contains(t, "personenbezogen")
	})
}

// dropAround removes the largest short box around each button or link
// whose text matches action (and whose box's text passes about, if set).
func dropAround(root *html.Node, action *regexp.Regexp, about func(string) bool) {
	var drop []*html.Node
	for _, a := range dom.FindAll(root, func(n *html.Node) bool { return n.Data == "a" || n.Data == "button" }) {
		if t, ok := boundedText(a, 40); !ok || !action.MatchString(t) {
			continue
		}
		box := a
		for p := a.Parent; p != nil && p != root && p.Type == html.ElementNode; p = p.Parent {
			if p.Data == "article" || p.Data == "main" || p.Data == "body" || textLen(p) > 1500 || longParagraphs(p) > 1 ||
				dom.Find(p, dom.ByTag("h1")) != nil {
				break
			}
			box = p
		}
		if box == a || (box.Data == "p" && textLen(box) > 300) {
			continue
		}
		if about != nil {
			if t, ok := boundedText(box, 1500); !ok || !about(t) {
				continue
			}
		}
		drop = append(drop, box)
	}
	for _, n := range drop {
		if n.Parent != nil && isInside(n, root) {
			n.Parent.RemoveChild(n)
		}
	}
}

// longParagraphs counts the paragraphs of article length below n.
func longParagraphs(n *html.Node) int {
	return len(dom.FindAll(n, func(e *html.Node) bool { return e.Data == "p" && textLen(e) >= 150 }))
}

// captionRepeat reports whether t is the lead picture's caption again,
// perhaps with its credit.
func captionRepeat(t, caption string, hero *article.Figure) bool {
	if !strings.HasPrefix(t, caption) {
		return false
	}
	rest := strings.TrimSpace(t[len(caption):])
	credit := strings.ToLower(hero.Credit)
	return rest == "" || len(rest) < 60 || (credit != "" && len(rest) < len(credit)+40 && strings.Contains(rest, credit))
}

// nextElement returns the next sibling element of n.
func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
		if strings.TrimSpace(s.Data) != "" {
			return nil
		}
	}
	return nil
}

// linkText is the length of the text inside links below n.
func linkText(n *html.Node) int {
	k := 0
	for _, a := range dom.FindAll(n, dom.ByTag("a")) {
		k += len(dom.TextOf(a))
	}
	return k
}

// replaceEmbeds turns each placeholder of embedded content into a
// one-line notice that names it and links to it, in the article's
// language, so that the article goes on after it.
func replaceEmbeds(root *html.Node, lang string) {
	var found []*html.Node
	for n := dom.Next(root, root, false); n != nil; {
		skip := false
		switch {
		case n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "template" || n.Data == "svg" || n.Data == "head"):
			skip = true
		case n.Type == html.TextNode && len(n.Data) > 12 && len(n.Data) < 1500 && embedHint(n.Data) && embedText.MatchString(n.Data) && !isNotice(n):
			// The placeholder's words sit in one text node; its block is
			// the nearest block element around it.
			b := n.Parent
			for b != nil && b.Type == html.ElementNode && !(textBlock(b) && b.Data != "ul" && b.Data != "ol" && b.Data != "span") {
				b = b.Parent
			}
			if b != nil && b.Type == html.ElementNode && b != root {
				if t, ok := boundedText(b, 900); ok && embedText.MatchString(t) {
					found = append(found, b)
				}
			}
		}
		n = dom.Next(root, n, skip)
	}
	done := map[*html.Node]bool{}
	for _, n := range found {
		if done[n] || n.Parent == nil {
			continue
		}
		box := embedBox(n)
		if done[box] {
			continue
		}
		done[box] = true
		provider, href := embedTarget(box)
		box.Parent.InsertBefore(embedNotice(provider, href, lang), box)
		box.Parent.RemoveChild(box)
		for _, m := range found {
			if m != box && isInside(m, box) {
				done[m] = true
			}
		}
	}
}

// isNotice reports whether a text node is one of kiosk's own embed notices.
func isNotice(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Data == "em" && dom.Attr(p, "data-kiosk") == "notice" {
			return true
		}
	}
	return false
}

// isInside reports whether n lies in root's subtree.
func isInside(n, root *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == root {
			return true
		}
	}
	return false
}

// embedBox climbs from a placeholder's text to the whole placeholder: the
// largest ancestor whose text stays short and holds no long paragraph.
func embedBox(n *html.Node) *html.Node {
	box := n
	for p := n.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
		switch p.Data {
		case "body", "main", "article", "html":
			return box
		}
		if textLen(p) > 700 || dom.Find(p, dom.ByTag("h1")) != nil || hasLongParagraph(p) {
			return box
		}
		box = p
	}
	return box
}

// hasLongParagraph reports whether n holds a paragraph of article length.
func hasLongParagraph(n *html.Node) bool {
	return dom.Find(n, func(e *html.Node) bool { return e.Data == "p" && len(dom.TextOf(e)) > 250 }) != nil
}

// embedTarget finds what an embed shows: the provider's name and a link
// to the content (an iframe's source or the first link off the page's
// privacy notes).
func embedTarget(box *html.Node) (provider, href string) {
	for _, e := range dom.FindAll(box, func(e *html.Node) bool { return e.Data == "iframe" || e.Data == "a" }) {
		for _, k := range []string{"src", "data-src", "href"} {
			v := strings.TrimSpace(dom.Attr(e, k))
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				continue
			}
			low := strings.ToLower(v)
			if strings.Contains(low, "datenschutz") || strings.Contains(low, "privacy") || strings.Contains(low, "consent") {
				continue
			}
			return providerName(u.Hostname()), v
		}
	}
	t := dom.TextOf(box)
	for _, p := range []string{"YouTube", "Twitter", "X", "Instagram", "Facebook", "TikTok", "Vimeo", "Spotify", "Podigee", "Datawrapper", "Flourish", "Bluesky", "Mastodon", "Threads", "Telegram", "Reddit", "SoundCloud", "Apple Podcasts", "Google Maps", "OpenStreetMap"} {
		if strings.Contains(t, " "+p+" ") || strings.Contains(t, " "+p+".") || strings.Contains(t, " "+p+"-") {
			return p, ""
		}
	}
	return "", ""
}

// providerName names the service of a host ("www.youtube.com" is YouTube).
func providerName(host string) string {
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	for suffix, name := range map[string]string{
		"youtube.com": "YouTube", "youtu.be": "YouTube", "youtube-nocookie.com": "YouTube", "twitter.com": "X", "x.com": "X",
		"instagram.com": "Instagram", "facebook.com": "Facebook", "tiktok.com": "TikTok", "vimeo.com": "Vimeo",
		"spotify.com": "Spotify", "datawrapper.de": "Datawrapper", "dwcdn.net": "Datawrapper", "flourish.studio": "Flourish",
		"bsky.app": "Bluesky", "threads.net": "Threads", "t.me": "Telegram", "reddit.com": "Reddit", "soundcloud.com": "SoundCloud",
	} {
		if host == suffix || strings.HasSuffix(host, "."+suffix) {
			return name
		}
	}
	return host
}

// embedNotice is the one-line notice that stands for an embed: "Externer
// Inhalt (YouTube) [n]", italic.
func embedNotice(provider, href, lang string) *html.Node {
	label := "Embedded content"
	if lang == "de" {
		label = "Externer Inhalt"
	}
	p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
	em := &html.Node{Type: html.ElementNode, Data: "em", DataAtom: atom.Em, Attr: []html.Attribute{{Key: "data-kiosk", Val: "notice"}}}
	p.AppendChild(em)
	text := label
	if provider != "" {
		text += " (" + provider + ")"
	}
	if href == "" {
		em.AppendChild(&html.Node{Type: html.TextNode, Data: text})
		return p
	}
	a := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A, Attr: []html.Attribute{{Key: "href", Val: href}}}
	a.AppendChild(&html.Node{Type: html.TextNode, Data: text})
	em.AppendChild(a)
	return p
}
