package extract

import (
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
	"golang.org/x/net/html"
)

// The lead picture of a page without a site rule is the page's own figure
// at the head of the article, with its caption and credit, as heise's
// print view shows it; og:image (often a cropped social card without a
// caption) stands in only when the page shows no such figure. readability
// often leaves the lead figure out (it sits in the article header, beside
// the text it scores), so it is found before readability runs.

// maxLeadParagraphs is how many paragraphs of body text may come between
// the headline and the lead picture; a picture further down is an inline
// figure.
const maxLeadParagraphs = 1

// leadFigure finds the page's lead picture: the figure the og:image names,
// else the first figure after the headline and before the body text has
// gone on for more than maxLeadParagraphs paragraphs, else the last figure
// before the headline in the article. It must run before readability
// rewrites the document.
func leadFigure(p *page) (*article.Figure, bool) {
	h1 := headline(p)
	scope := p.doc
	if h1 != nil {
		if a := dom.Ancestor(h1, func(n *html.Node) bool { return n.Data == "article" || n.Data == "main" }); a != nil {
			scope = a
		}
	}
	og := markdown.ResolveImage(p.base, dom.MetaContent(p.metas, "og:image"))
	var before, after, named *article.Figure
	seenH1, paras := h1 == nil, 0
	for n := dom.Next(scope, scope, false); n != nil; {
		skip := false
		if n.Type == html.ElementNode {
			switch {
			case n == h1:
				seenH1 = true
			case skipForLead(n):
				skip = true
			case n.Data == "p" && textAtLeast(n, 120) && len(dom.TextOf(n)) >= 120 && dom.Ancestor(n, isFigureLike) == nil:
				if seenH1 {
					paras++
				}
			case isFigureLike(n) || isBarePicture(n):
				skip = true
				f, ok := markdown.FigureOf(p.base, n, false)
				if !ok || f.Caption == "" && f.Credit == "" && len(strings.Fields(f.Alt)) < 3 || isBylinePicture(n, f) || inGallery(n) {
					break
				}
				if named == nil && og != "" && sameImage(f.Image, og) {
					named = &f
				}
				switch {
				case !seenH1:
					before = &f
				case after == nil && paras <= maxLeadParagraphs:
					after = &f
				}
			}
		}
		if named != nil {
			break
		}
		n = dom.Next(scope, n, skip)
	}
	for _, f := range []*article.Figure{named, after, before} {
		if f != nil {
			return f, true
		}
	}
	return nil, false
}

// textAtLeast reports whether the raw text below n (scripts and styles
// excluded) has at least k bytes: a cheap bound before dom.TextOf, which
// folds white space and can only shorten it.
func textAtLeast(n *html.Node, k int) bool {
	size := 0
	for e := dom.Next(n, n, false); e != nil; {
		skip := false
		switch e.Type {
		case html.TextNode:
			if size += len(e.Data); size >= k {
				return true
			}
		case html.ElementNode:
			switch e.Data {
			case "script", "style", "template", "svg":
				skip = true
			case "br", "p", "div", "li":
				size++ // dom.TextOf's separator
			}
		}
		e = dom.Next(n, e, skip)
	}
	return false
}

// headline returns the element of the article's headline: the <h1> or
// <h2> whose text is the JSON-LD headline or og:title, else the first <h1>
// outside navigation; nil when there is none. It is looked for once, on
// the page as parsed: the lead picture, the byline, the teaser and the
// story's paragraphs are all found around it before anything is removed.
func headline(p *page) *html.Node {
	if !p.headlineFound {
		p.headline, p.headlineFound = findHeadline(p), true
	}
	return p.headline
}

// findHeadline looks for the headline (see headline).
func findHeadline(p *page) *html.Node {
	var want []string
	for _, t := range []string{p.ldString("headline"), dom.MetaContent(p.metas, "og:title")} {
		if t = strings.ToLower(article.CleanLine(t)); t != "" {
			want = append(want, t)
		}
	}
	var first *html.Node
	var found *html.Node
	find(p.doc, func(n *html.Node) bool {
		if n.Data != "h1" && n.Data != "h2" {
			return false
		}
		t := strings.ToLower(dom.TextOf(n))
		if t == "" || hasWord(dom.Attr(n, "class"), breadcrumbWords) || dom.Ancestor(n, func(a *html.Node) bool {
			return a.Data == "nav" || a.Data == "aside" || a.Data == "footer" || hasWord(dom.Attr(a, "class"), breadcrumbWords)
		}) != nil {
			return false
		}
		if first == nil && n.Data == "h1" {
			first = n
		}
		for _, w := range want {
			if t == w {
				found = n
				return true
			}
		}
		return false
	})
	if found != nil {
		return found
	}
	return first
}

// breadcrumbWords mark a breadcrumb trail, which some sites end with the
// headline in an <h1> of its own.
var breadcrumbWords = map[string]bool{"breadcrumb": true, "breadcrumbs": true}

// find is dom.Find that skips the subtrees of scripts, styles and templates.
func find(root *html.Node, match func(*html.Node) bool) *html.Node {
	for n := dom.Next(root, root, false); n != nil; {
		skip := false
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "template", "svg", "head":
				skip = true
			default:
				if match(n) {
					return n
				}
			}
		}
		n = dom.Next(root, n, skip)
	}
	return nil
}

// skipForLead reports elements whose pictures are never the lead picture:
// navigation, asides, forms, scripts, and teasers of other articles.
func skipForLead(n *html.Node) bool {
	switch n.Data {
	case "script", "style", "template", "svg", "nav", "aside", "footer", "form", "button", "noscript", "iframe":
		return n.Data != "noscript" || dom.Ancestor(n, isFigureLike) == nil
	}
	return isNoiseContainer(n)
}

// isFigureLike reports a figure, or a container a site uses as one: an
// element whose class names a picture and which holds one image and a
// short text.
func isFigureLike(n *html.Node) bool {
	if n.Data == "figure" {
		return true
	}
	if n.Data != "div" && n.Data != "p" && n.Data != "span" {
		return false
	}
	if !classHas(n, "image", "picture", "photo", "foto", "bild", "media") || classHas(n, "gallery", "slider") {
		return false
	}
	if dom.Find(n, func(e *html.Node) bool {
		return len(e.Data) == 2 && e.Data[0] == 'h' && e.Data[1] >= '1' && e.Data[1] <= '6'
	}) != nil {
		return false // a teaser or a section, not a picture with a caption
	}
	imgs := 0
	for _, e := range dom.FindAll(n, func(e *html.Node) bool { return e.Data == "img" }) {
		if dom.Ancestor(e, dom.ByTag("noscript")) == nil {
			imgs++
		}
	}
	if imgs != 1 {
		return false
	}
	t := len(dom.TextOf(n))
	return t > 0 && t < 600
}

// inGallery reports whether n is one picture of a gallery or slideshow:
// an ancestor close by with such a class holds several pictures. A
// gallery's first picture is not the article's lead picture.
func inGallery(n *html.Node) bool {
	a := n.Parent
	for range 5 {
		if a == nil || a.Type != html.ElementNode {
			return false
		}
		if classHas(a, "gallery", "slideshow", "slider", "carousel", "swiper", "galerie") {
			return len(dom.FindAll(a, func(e *html.Node) bool { return e.Data == "figure" || e.Data == "img" })) > 2
		}
		a = a.Parent
	}
	return false
}

// isBarePicture reports a <picture>, or an <img> outside one, that stands
// without a figure: its caption is a following <figcaption> or its alt
// text. One inside a link to another page is a teaser.
func isBarePicture(n *html.Node) bool {
	if n.Data != "picture" && (n.Data != "img" || dom.Ancestor(n, dom.ByTag("picture")) != nil) {
		return false
	}
	if a := dom.Ancestor(n, dom.ByTag("a")); a != nil {
		if h := dom.Attr(a, "href"); h != "" && !strings.HasPrefix(h, "#") && !imageLink(h) {
			return false
		}
	}
	return true
}

// imageLink reports whether a link points at an image file (a lightbox).
func imageLink(h string) bool {
	h = strings.ToLower(h)
	if i := strings.IndexAny(h, "?#"); i >= 0 {
		h = h[:i]
	}
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"} {
		if strings.HasSuffix(h, ext) {
			return true
		}
	}
	return false
}

// bylineCaption matches the caption of an author's portrait: "Von Name,
// Redakteur", "By Name".
var bylineCaption = lazy(`^(Von|By|von|by) \p{Lu}`)

// playerCaption is the text of a video or audio player, not a caption.
var playerCaption = lazy(`(?i)^((video|audio|podcast)\b.{0,20}(starten|abspielen|anhören|ansehen|\d+:\d+)|play( video)?\b|\d+:\d+( min\.?)?$)`)

// isBylinePicture reports an author's portrait or a logo rather than a
// picture of the story: a byline as caption, an author or avatar class, or
// an image declared at most 200 pixels wide.
func isBylinePicture(n *html.Node, f article.Figure) bool {
	if bylineCaption.MatchString(f.Caption) || playerCaption.MatchString(f.Caption) || classHas(n, "author", "avatar", "autor", "byline", "logo", "profile") {
		return true
	}
	img := n
	if n.Data != "img" {
		img = dom.Find(n, dom.ByTag("img"))
	}
	if img == nil {
		return false
	}
	if classHas(img, "author", "avatar", "autor", "logo", "profile", "icon") {
		return true
	}
	for a, k := img.Parent, 0; a != nil && k < 3; a, k = a.Parent, k+1 {
		if classHas(a, "logo") {
			return true // a site's logo, drawn as a picture
		}
	}
	if alt := strings.ToLower(dom.Attr(img, "alt")); strings.HasPrefix(alt, "startseite") || strings.HasPrefix(alt, "zur startseite") || alt == "logo" || strings.HasPrefix(alt, "logo ") || strings.HasSuffix(alt, " logo") {
		return true
	}
	w, err := strconv.Atoi(strings.TrimSuffix(dom.Attr(img, "width"), "px"))
	return err == nil && w > 0 && w <= 200
}

// classHas reports whether n's class or id contains one of the words
// (lower-case), ignoring case.
func classHas(n *html.Node, words ...string) bool {
	for _, k := range []string{"class", "id"} {
		v := dom.Attr(n, k)
		for _, w := range words {
			if containsFold(v, w) {
				return true
			}
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII word sub,
// ignoring the case of s, without allocating.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		k := 0
		for k < len(sub) {
			c := s[i+k]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[k] {
				break
			}
			k++
		}
		if k == len(sub) {
			return true
		}
	}
	return false
}

// sameImage reports whether two image URLs name the same picture, perhaps
// in other sizes: the same file name without extension and size suffix,
// or the same long numbers in the path (a CMS's image ID).
func sameImage(a, b string) bool {
	if a == b {
		return true
	}
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil {
		return false
	}
	if ka, kb := imageKey(ua.Path), imageKey(ub.Path); ka != "" && ka == kb {
		return true
	}
	// The same CMS image ID: every long number of one URL is in the
	// other. One shared number is not enough: an article's ID or an
	// upload's time stamp is in all of its pictures' paths.
	na, nb := longNumbers(ua.Path+"?"+ua.RawQuery), longNumbers(ub.Path+"?"+ub.RawQuery)
	if len(na) > len(nb) {
		na, nb = nb, na
	}
	if len(na) == 0 {
		return false
	}
	for _, id := range na {
		if !slices.Contains(nb, id) {
			return false
		}
	}
	return true
}

// imageKey is a picture's file name without extension and without the
// size suffixes CMSs add ("-1200x675", "_w640"); "" when too short to say.
func imageKey(p string) string {
	base := strings.ToLower(path.Base(p))
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	for _, sep := range []string{"-", "_"} {
		if i := strings.LastIndex(base, sep); i > 0 && strings.Trim(base[i+1:], "0123456789xwh") == "" {
			base = base[:i]
		}
	}
	if len(base) < 8 {
		return ""
	}
	return base
}

// longNumbers returns the runs of at least seven digits in s that stand
// apart from letters ("1065910_name", "/92243692/"), not those inside a
// hexadecimal ID ("ea8a857573e7"); six digits are often a date ("200601_a23499.jpg").
func longNumbers(s string) []string {
	var out []string
	start := -1
	letter := func(i int) bool {
		return i >= 0 && i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z')
	}
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= 7 && !letter(start-1) && !letter(i) {
			out = append(out, s[start:i])
		}
		start = -1
	}
	return out
}
