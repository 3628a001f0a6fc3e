package extract

import (
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// splitNames splits "A, B & C" and "A und B" into names.
func splitNames(s string) []string {
	s = article.CleanLine(s)
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

// The authors of a page without a site rule come from the first source
// that names people once cleaned: the JSON-LD author, readability's byline
// (the author meta tag or a byline it found), then the byline on the page
// (pageByline). Cleaning drops "Von:"/"By", dates, roles, e-mail
// addresses, web addresses and the site's own name, which sites put into
// these fields as often as names.

// genericAuthors picks and cleans the authors of a page without a site
// rule; byline is readability's and onPage what pageByline found before
// readability ran. A source that names only the site ("STERN.de", "LTO")
// gives way to one that names people; the site stands as the author only
// when no source names anyone else, as a byline of the newsroom.
func genericAuthors(p *page, byline string, onPage []string, sites []string) []string {
	var site []string
	for i, src := range [][]string{p.ldAuthors(), {byline}, {dom.MetaContent(p.metas, "author")}, onPage} {
		people, org := cleanAuthors(src, p, sites)
		if i == 3 {
			// The page's byline is found by its markup, which also marks
			// initials and agencies: only full names count from it.
			people = slices.DeleteFunc(people, func(n string) bool { return len(strings.Fields(n)) < 2 })
		}
		if len(people) > 0 {
			return people
		}
		if site == nil {
			site = org
		}
	}
	return site
}

// cleanAuthors splits and cleans author strings into the names of people
// and the names that are the site's own.
func cleanAuthors(src []string, p *page, sites []string) (people, site []string) {
	for _, s := range src {
		s = article.CleanLine(s)
		if low := strings.ToLower(s); strings.Contains(low, "www.") || strings.Contains(low, "http") || strings.Contains(s, "@") {
			continue
		}
		s = authorLabel.ReplaceAllString(s, "")
		if loc := authorDate.FindStringIndex(s); loc != nil {
			s = s[:loc[0]]
		}
		s = strings.NewReplacer(" and ", ",", " und ", ",", " & ", ",", ";", ",", " | ", ",", " / ", ",").Replace(s)
		for i, n := range strings.Split(s, ",") {
			n = strings.TrimSpace(authorLabel.ReplaceAllString(strings.TrimSpace(n), ""))
			n = strings.TrimSpace(parenthetical.ReplaceAllString(n, ""))
			n = strings.Trim(n, " .:·-–|")
			switch {
			case !isName(n):
			case isSiteAuthor(n, p, sites):
				site = append(site, n)
			case i > 0 && len(site) > 0 && len(people) == 0:
				// "hessenschau.de, Frankfurt, Germany": after the site
				// come its places, not people.
			default:
				people = append(people, n)
			}
		}
	}
	return dedupe(people), dedupe(site)
}

var (
	// authorLabel is what sites put before names.
	authorLabel = lazy(`(?i)^([a-zäöü]\S* )?(von|by|autor(in)?(/autor(in)?)?|autoren|text|ein (kommentar|gastbeitrag|interview|essay|bericht) von|eine (analyse|kolumne|reportage) von|written by|posted by|reporting by|story by)\s*:?\s+`)
	// authorDate starts a date or time after the names.
	authorDate = lazy(`(?i)(^|\s)(\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\d{1,2}\.? (januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember)\b|(updated|published|aktualisiert|veröffentlicht|stand|last updated)\b)`)
	// parenthetical is a bracketed remark after a name: "(obe)", "(www.dw.com)".
	parenthetical = lazy(`\s*\([^)]*\)`)
	// roleWords are job titles, not names.
	roleWords = map[string]bool{
		"redakteur": true, "redakteurin": true, "redaktion": true, "korrespondent": true, "korrespondentin": true,
		"reporter": true, "reporterin": true, "editor": true, "chefredakteur": true, "chefredakteurin": true,
		"autor": true, "autorin": true, "staff": true, "newsdesk": true, "online-redaktion": true, "volontär": true,
		"volontärin": true, "praktikant": true, "praktikantin": true, "freie": true, "freier": true, "ressortleiter": true,
		"ressortleiterin": true, "senior": true, "contributor": true, "correspondent": true, "writer": true,
	}
)

// isName reports whether s can be a byline's name: one to six words with
// letters, no digits or address characters, not a role.
func isName(s string) bool {
	if s == "" || len(s) > 60 || strings.ContainsAny(s, "@/\\:=<>#0123456789") {
		return false
	}
	words := strings.Fields(s)
	if len(words) > 6 {
		return false
	}
	if roleWords[strings.ToLower(words[0])] || roleWords[strings.ToLower(words[len(words)-1])] {
		return false
	}
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// isSiteAuthor reports whether a byline name is the site's own: its name
// ("Der Postillon"), its host ("STERN.de") or the host's first label
// ("LTO" on lto.de).
func isSiteAuthor(s string, p *page, sites []string) bool {
	low := strings.ToLower(s)
	for _, site := range sites {
		if site != "" && (strings.EqualFold(s, site) || strings.EqualFold(strings.TrimPrefix(low, "der "), site) || strings.EqualFold(strings.TrimPrefix(low, "die "), site)) {
			return true
		}
	}
	host := p.hostName()
	if host == "" {
		return false
	}
	label, _, _ := strings.Cut(host, ".")
	return low == host || low == label || strings.TrimPrefix(low, "redaktion ") == host
}

// hostName is the host of the page's canonical URL, else of og:url, else
// of the URL it came from, without "www."; "" when none is known.
func (p *page) hostName() string {
	for _, raw := range []string{p.canonical, dom.MetaContent(p.metas, "og:url"), p.rawURL} {
		if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && u.Hostname() != "" {
			return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		}
	}
	return ""
}

// bylineWords are the class and id words of a byline.
var bylineWords = map[string]bool{
	"byline": true, "author": true, "authors": true, "autor": true, "autoren": true, "autorin": true, "creator": true, "origins": true,
}

// pageByline returns the names of the byline at the head of the article:
// the first element near the headline marked as a byline (rel=author,
// itemprop=author, a byline or author class) or a link to an author's
// page. It must run before readability rewrites the document.
func pageByline(p *page) []string {
	scope := p.doc
	if h := headline(p); h != nil {
		if a := dom.Ancestor(h, func(n *html.Node) bool { return n.Data == "article" || n.Data == "main" }); a != nil {
			scope = a
		}
	}
	var names []string
	find(scope, func(n *html.Node) bool {
		switch n.Data {
		case "nav", "footer", "aside", "script", "style", "h1", "h2":
			return false
		}
		byline := strings.Contains(" "+dom.Attr(n, "rel")+" ", " author ") || dom.Attr(n, "itemprop") == "author" ||
			hasWord(dom.Attr(n, "class"), bylineWords) || hasWord(dom.Attr(n, "id"), bylineWords) ||
			(n.Data == "a" && authorLink(dom.Attr(n, "href")))
		if !byline && (n.Data == "li" || n.Data == "p" || n.Data == "span" || n.Data == "div") && n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
			if t, ok := boundedText(n, 80); ok && labelledByline.MatchString(t) {
				byline = true
			}
		}
		if !byline || dom.Ancestor(n, func(a *html.Node) bool { return a.Data == "nav" || a.Data == "footer" }) != nil {
			return false
		}
		t, ok := boundedText(n, 200)
		if !ok || t == "" {
			return false
		}
		if n.Data != "a" {
			for _, a := range dom.FindAll(n, dom.ByTag("a")) {
				if authorLink(dom.Attr(a, "href")) {
					names = append(names, dom.TextOf(a))
				}
			}
			if len(names) == 0 {
				for _, e := range dom.FindAll(n, func(e *html.Node) bool { return dom.Attr(e, "itemprop") == "name" }) {
					names = append(names, dom.TextOf(e))
				}
			}
			if len(names) == 0 {
				names = leafNames(n)
			}
		}
		if len(names) == 0 {
			names = []string{t}
		}
		return true
	})
	return names
}

// leafNames returns the texts of a byline's innermost elements when
// there are several and each can be a name: names in <span>s side by side
// without commas between them.
func leafNames(n *html.Node) []string {
	var out []string
	for _, e := range dom.FindAll(n, func(e *html.Node) bool {
		return dom.Find(e, func(*html.Node) bool { return true }) == nil
	}) {
		t := dom.TextOf(e)
		if t == "" {
			continue
		}
		if !isName(t) || len(strings.Fields(t)) < 2 {
			return nil
		}
		out = append(out, t)
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// labelledByline matches a block that names the author by a label.
var labelledByline = lazy(`^(Autorin/Autor|Autor/Autorin|Autorin|Autor|Autoren|Text|Von)(:\s*|\s+)\p{Lu}`)

// authorLink reports whether a link goes to an author's page.
func authorLink(href string) bool {
	h := strings.ToLower(href)
	for _, s := range []string{"/autor/", "/autoren/", "/author/", "/authors/", "/autorin/", "/redaktion/"} {
		if strings.Contains(h, s) {
			return true
		}
	}
	return false
}
