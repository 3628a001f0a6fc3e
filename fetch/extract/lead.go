package extract

import (
	"slices"
	"strings"
	"unicode"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// The lead of a page without a site rule is its on-page teaser, the
// paragraph under the headline that the site marks as such (excerpt,
// teaser, intro, lead, standfirst …), as plain text; the meta description
// stands in only when the page marks none, and never when it merely
// repeats the lead picture's caption or the body's first paragraph.

// teaserWords are the class words of an on-page teaser.
var teaserWords = map[string]bool{
	"excerpt": true, "teaser": true, "intro": true, "lead": true, "leadtext": true, "standfirst": true, "summary": true,
	"abstract": true, "kurztext": true, "vorspann": true, "dek": true, "subtitle": true, "subheadline": true, "lede": true,
	"introduction": true, "einleitung": true, "description": true,
}

// pageTeaser returns the text of the teaser marked as such between the
// headline and the body's first long paragraph, or "". It must run before
// readability rewrites the document.
func pageTeaser(p *page) string {
	h := headline(p)
	if h == nil {
		return ""
	}
	scope := p.doc
	if a := dom.Ancestor(h, func(n *html.Node) bool { return n.Data == "article" || n.Data == "main" }); a != nil {
		scope = a
	}
	seen := false
	teaser := ""
	find(scope, func(n *html.Node) bool {
		if n == h {
			seen = true
			return false
		}
		if !seen || skipForLead(n) || isFigureLike(n) || dom.Ancestor(n, isFigureLike) != nil {
			return false
		}
		marked := hasWord(dom.Attr(n, "class"), teaserWords) || hasWord(dom.Attr(n, "id"), teaserWords)
		if !marked && n.Data == "p" && textLen(n) >= 250 {
			return true // the body has begun: no teaser
		}
		if !marked || dom.Find(n, func(e *html.Node) bool {
			return e.Data == "h1" || e.Data == "h2" || e.Data == "figure" || e.Data == "img"
		}) != nil {
			return false
		}
		if t, ok := boundedText(n, 700); ok && len(t) >= 40 {
			teaser = t
			return true
		}
		return false
	})
	return teaser
}

// plainLead returns a lead as plain text: a meta description that carries
// HTML markup ("<p>Text</p>", escaped in the attribute) loses its tags.
func plainLead(s string) string {
	s = article.CleanLine(s)
	if !strings.Contains(s, "<") || !strings.Contains(s, ">") {
		return s
	}
	doc, err := html.Parse(strings.NewReader("<body>" + s))
	if err != nil {
		return s
	}
	return dom.TextOf(doc)
}

// dropTeaser removes the body's copy of the teaser, which the article
// shows as its lead.
func dropTeaser(root *html.Node, teaser string) {
	want := strings.ToLower(teaser)
	var drop *html.Node
	find(root, func(n *html.Node) bool {
		if n.Data != "p" && n.Data != "div" && n.Data != "span" && n.Data != "strong" && n.Data != "h2" {
			return false
		}
		if t, ok := boundedText(n, len(teaser)+20); ok && strings.ToLower(t) == want {
			drop = n
			return true
		}
		return false
	})
	if drop != nil && drop.Parent != nil {
		drop.Parent.RemoveChild(drop)
	}
}

// dropTitleHeadings removes the headings of the article node that repeat
// the title (readability keeps the page's headline block), and returns
// the kicker, the short line above the headline or before the title in
// the same heading ("Extremismus", "Finanzmärkte"), which Article keeps
// as its own field.
func dropTitleHeadings(root *html.Node, title string) (kicker string) {
	want := wordKey(title)
	if want == "" {
		return ""
	}
	var drop []*html.Node
	for _, n := range dom.FindAll(root, func(n *html.Node) bool {
		switch n.Data {
		case "h1", "h2", "h3", "h4":
			return true
		}
		return false
	}) {
		t, ok := boundedText(n, 400)
		if !ok {
			continue
		}
		key := wordKey(t)
		switch {
		case strings.ReplaceAll(key, " ", "") == strings.ReplaceAll(want, " ", ""): // "Phishing-Radar" is "Phishingradar"
		case strings.HasSuffix(key, " "+want) && len(key)-len(want) <= 60:
			if kicker == "" {
				kicker = strings.TrimRight(strings.TrimSpace(t[:len(t)-len(title)]), ":–-| ")
				if wordKey(kicker) != strings.TrimSuffix(key, " "+want) {
					kicker = "" // the title's words differ in punctuation: no clean cut
				}
			}
		default:
			continue
		}
		drop = append(drop, n)
		if prev := prevElement(n); prev != nil && !slices.Contains(drop, prev) {
			if pt, ok := boundedText(prev, 60); ok && pt != "" && len(strings.Fields(pt)) <= 5 && !strings.HasSuffix(pt, ".") &&
				(prev.Data == "h2" || prev.Data == "h3" || prev.Data == "h4" || prev.Data == "span" || prev.Data == "p" || prev.Data == "div") {
				if kicker == "" {
					kicker = pt
				}
				drop = append(drop, prev)
			}
		}
	}
	for _, n := range drop {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
	return kicker
}

// prevElement returns the element before n among its siblings.
func prevElement(n *html.Node) *html.Node {
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode {
			return s
		}
		if strings.TrimSpace(s.Data) != "" {
			return nil
		}
	}
	return nil
}

// wordKey is s as lower-case words joined by single spaces, punctuation
// dropped, for comparing headlines that differ in quotes and colons.
func wordKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}
