package extract

import (
	"strings"
	"unicode/utf8"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// maxHeadings bounds how many <h1> elements pageHeadings collects.
const maxHeadings = 8

// pageHeadings returns the text of the page's first <h1> elements, outside
// scripts, styles and templates. It must run before readability rewrites
// the document.
func pageHeadings(doc *html.Node) []string {
	var hs []string
	for n := dom.Next(doc, doc, false); n != nil && len(hs) < maxHeadings; {
		skip := false
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "svg", "template", "noscript":
				skip = true
			case "h1":
				if t := dom.TextOf(n); t != "" {
					hs = append(hs, t)
				}
				skip = true
			}
		}
		n = dom.Next(doc, n, skip)
	}
	return hs
}

// titleSeparators are what sites put between a headline and their name,
// section or date in <title> and og:title.
const titleSeparators = "|-–—:·/[(»•"

// articleTitle picks the headline of a page without a site rule:
// readability's title (JSON-LD headline, og:title or <title>) without a
// trailing site name. When that title is the page's own <h1>, alone or
// followed by a separator and something shorter ("Headline | Section | Site
// | Date", "Headline – DW – 30.01.2024"), the <h1> is taken, which drops
// any suffix whatever the site calls itself. A JSON-LD headline that
// differs from the <h1> is kept: on several publishers' pages (Funke's)
// it is the editorial headline and the <h1> a search-engine one.
func articleTitle(h1s []string, raTitle string, sites ...string) string {
	t := article.CleanLine(raTitle)
	for _, h := range h1s {
		h = article.CleanLine(h)
		if len(strings.Fields(h)) < 2 || isSiteName(h, sites) {
			continue
		}
		if t == h {
			return h
		}
		rest, ok := strings.CutPrefix(t, h)
		if !ok {
			continue
		}
		rest = strings.TrimSpace(rest)
		if r, _ := utf8.DecodeRuneInString(rest); strings.ContainsRune(titleSeparators, r) && len(rest) < len(h) {
			return h
		}
	}
	return stripSiteSuffix(t, sites)
}

// genericTitle is articleTitle with one more signal: when the <h1>, the
// JSON-LD headline and the <title> all give one headline and og:title
// another (not just the same with a suffix), the page carries a search
// headline ("EPI Zahlungssystem: So kann Europa …", repeated everywhere a
// search engine looks) and the editors' headline for people, which is the
// og:title ("Statt Paypal & Co.: So könnte Europas …"); the latter is
// taken.
func genericTitle(p *page, h1s []string, raTitle string, sites ...string) string {
	t := articleTitle(h1s, raTitle, sites...)
	og := stripSiteSuffix(article.CleanLine(dom.MetaContent(p.metas, "og:title")), sites)
	ld := article.CleanLine(html.UnescapeString(p.ldString("headline"))) // some sites escape their JSON-LD as HTML
	if og == "" || ld == "" || len(h1s) == 0 || sameHeadline(og, t) {
		return t
	}
	h1 := article.CleanLine(h1s[0])
	if sameHeadline(h1, t) && sameHeadline(ld, t) && sameHeadline(article.CleanLine(p.title), t) {
		return og
	}
	return t
}

// sameHeadline reports whether b is a, or a followed by a separator and
// more (a site suffix), ignoring case and white space.
func sameHeadline(a, b string) bool {
	a, b = strings.ToLower(strings.Join(strings.Fields(a), " ")), strings.ToLower(strings.Join(strings.Fields(b), " "))
	if a == b {
		return true
	}
	long, short := a, b
	if len(short) > len(long) {
		long, short = short, long
	}
	rest, ok := strings.CutPrefix(long, short)
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(rest))
	return ok && short != "" && strings.ContainsRune(titleSeparators, r)
}

// isSiteName reports whether s is one of the site's names, ignoring case.
func isSiteName(s string, sites []string) bool {
	for _, site := range sites {
		if site != "" && strings.EqualFold(s, site) {
			return true
		}
	}
	return false
}

// stripSiteSuffix removes a trailing site name from a title: " - Golem.de",
// " | Börsen-Zeitung" or " [LWN.net]" when it is one of sites, or a
// bracketed domain name ("[LWN.net]") whatever the site says it is called.
func stripSiteSuffix(t string, sites []string) string {
	if strings.HasSuffix(t, "]") {
		if i := strings.LastIndex(t, " ["); i > 0 {
			inner := t[i+2 : len(t)-1]
			if isSiteName(inner, sites) || (strings.Contains(inner, ".") && !strings.Contains(inner, " ")) {
				return strings.TrimSpace(t[:i])
			}
		}
	}
	for _, site := range sites {
		if site == "" || len(site) >= len(t) {
			continue
		}
		head := t[:len(t)-len(site)]
		if !strings.EqualFold(t[len(head):], site) {
			continue
		}
		trimmed := strings.TrimRight(head, " ")
		if r, size := utf8.DecodeLastRuneInString(trimmed); size > 0 && len(trimmed) < len(head) && strings.ContainsRune(titleSeparators, r) {
			if h := strings.TrimSpace(trimmed[:len(trimmed)-size]); h != "" {
				return h
			}
		}
	}
	return t
}

// cleanPageTitle strips the "Druckversion - " prefix and the " | site" suffix.
func cleanPageTitle(t string) string {
	t = article.CleanLine(t)
	t = strings.TrimPrefix(t, "Druckversion - ")
	if i := strings.LastIndex(t, " | "); i > 0 {
		t = t[:i]
	}
	return t
}
