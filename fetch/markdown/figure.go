package markdown

import (
	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// FigureOf reads an image, its alt text, caption and credit from a figure-like
// element: <figure>, heise's <a-lightbox>/<a-bilderstrecke>, <picture>, or a
// bare <img>. It never takes a data: placeholder; lazy-loading attributes and
// the <noscript> copy are used instead. With original set (heise), the
// original image named by a-lightbox[src] or a-img[src] wins over the
// resized copy. ok is false when no usable image URL is found.
func FigureOf(base *url.URL, n *html.Node, original bool) (f article.Figure, ok bool) {
	img := figureImage(base, n, &f)
	if original {
		// heise: the lightbox or a-img source is the original image, the
		// <img> a resized copy on a CDN.
		if u := ResolveImage(base, dom.Attr(n, "src")); u != "" && n.Data != "img" {
			img = u
		} else if ai := dom.Find(n, dom.ByTag("a-img")); ai != nil {
			if u := ResolveImage(base, dom.Attr(ai, "src")); u != "" {
				img = u
			}
		}
	}
	if img == "" {
		return article.Figure{}, false
	}
	f.Image = img
	if isFileNameAlt(f.Alt) {
		f.Alt = "" // "12-IMG_3886.jpg" says nothing; never show it as a caption
	}
	fc := n
	if !dom.IsElem(n, "figcaption") {
		fc = dom.Find(n, dom.ByTag("figcaption"))
	}
	if fc == nil && n.Data != "img" && n.Data != "picture" {
		fc = n // no figcaption: a caption may still sit in p.caption / p.source
	}
	if fc != nil {
		f.Caption, f.Credit = captionOf(fc)
	}
	if f.Caption == "" && f.Credit == "" && n.Data == "img" {
		if t := dom.Attr(n, "title"); t != "" {
			f.Caption = article.CleanLine(t)
		}
	}
	if f.Credit == "" && f.Caption != "" {
		f.Caption, f.Credit = splitCredit(f.Caption)
	}
	if isFileNameAlt(f.Caption) {
		f.Caption = "" // a title attribute or caption that only names the file
	}
	return f, true
}

// figureImage finds the best image URL inside n and records the alt text.
func figureImage(base *url.URL, n *html.Node, f *article.Figure) string {
	var aImg string
	check := func(e *html.Node) string {
		switch e.Data {
		case "img", "source":
			if f.Alt == "" {
				f.Alt = article.CleanLine(dom.Attr(e, "alt"))
			}
			for _, k := range []string{"src", "data-src", "data-original", "data-lazy-src", "data-srcset", "srcset"} {
				v := dom.Attr(e, k)
				if k == "srcset" || k == "data-srcset" {
					v = firstSrcset(v)
				}
				if u := ResolveImage(base, v); u != "" {
					return u
				}
			}
		case "a-img":
			if f.Alt == "" {
				f.Alt = article.CleanLine(dom.Attr(e, "alt"))
			}
			if aImg == "" {
				aImg = ResolveImage(base, dom.Attr(e, "src"))
			}
		}
		return ""
	}
	if n.Type == html.ElementNode {
		if u := check(n); u != "" {
			return u
		}
	}
	for e := dom.Next(n, n, false); e != nil; e = dom.Next(n, e, false) {
		if e.Type != html.ElementNode {
			continue
		}
		if e.Data == "figcaption" {
			e = lastDescendant(e)
			continue
		}
		if u := check(e); u != "" {
			return u
		}
	}
	if aImg != "" {
		return aImg
	}
	return ResolveImage(base, dom.Attr(n, "src")) // a-lightbox[src]
}

// lastDescendant returns the last node of n's subtree, so that a walk can
// continue after it.
func lastDescendant(n *html.Node) *html.Node {
	for n.LastChild != nil {
		n = n.LastChild
	}
	return n
}

// firstSrcset returns the first URL of a srcset value.
func firstSrcset(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	if f := strings.Fields(v); len(f) > 0 {
		return f[0]
	}
	return ""
}

// captionOf splits a <figcaption> into caption and credit. heise writes the
// caption in p.a-caption__text, or (a real-world quirk) in a sibling
// div.text next to an empty p.a-caption__text, and the credit in
// p.a-caption__source as "(Bild: X)"; older pages use p.caption and p.source.
func captionOf(fc *html.Node) (caption, credit string) {
	var creditNode *html.Node
	var parts []string
	var cur strings.Builder
	flush := func() {
		if t := article.CleanLine(cur.String()); t != "" {
			parts = append(parts, t)
		}
		cur.Reset()
	}
	for e := dom.Next(fc, fc, false); e != nil; {
		skip := false
		switch e.Type {
		case html.ElementNode:
			switch {
			case dom.HasClass(e, "a-caption__source") || dom.HasClass(e, "source") || dom.HasClass(e, "credit") ||
				dom.HasClassPrefix(e, "credit") || dom.HasClass(e, "caption__credit") || dom.HasClass(e, "figure__credit"):
				if creditNode == nil {
					creditNode = e
				}
				skip = true
			case dom.HasClass(e, "a-caption__text") || dom.HasClass(e, "text") || dom.HasClass(e, "caption") || e.Data == "p" || e.Data == "div":
				flush()
				if t := dom.TextOf(e); t != "" {
					parts = append(parts, t)
				}
				skip = true
			case e.Data == "script" || e.Data == "style" || e.Data == "svg":
				skip = true
			case e.Data == "br":
				cur.WriteByte(' ')
			}
		case html.TextNode:
			cur.WriteString(e.Data)
		}
		e = dom.Next(fc, e, skip)
	}
	flush()
	caption = strings.Join(parts, " ")
	if creditNode != nil {
		credit = cleanCredit(dom.TextOf(creditNode))
	}
	return caption, credit
}

// creditPrefixes are the labels that introduce a picture credit.
func creditPrefixes() []string {
	return []string{"Bild:", "Bilder:", "Foto:", "Fotos:", "Grafik:", "Quelle:", "Image:", "Photo:", "Credit:"}
}

// captionCreditPrefixes introduce a credit inside caption text; they are
// unlikely to start ordinary caption words. "Screenshot:" stays part of the
// credit, as it says what the picture is.
func captionCreditPrefixes() []string {
	return []string{"Bild:", "Bilder:", "Foto:", "Fotos:", "Grafik:", "Photo:", "Credit:", "Screenshot:"}
}

// cleanCredit strips surrounding parentheses and a "Bild:" style label from
// a credit and keeps the rest exactly: "(Bild: Hadrian / Shutterstock.com)"
// becomes "Hadrian / Shutterstock.com".
func cleanCredit(s string) string {
	s = article.CleanLine(s)
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	for _, p := range creditPrefixes() {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
}

// splitCredit separates a credit written into the caption text itself:
// "Caption (Bild: X)", "Caption. Bild: X" or just "Bild: X".
func splitCredit(s string) (caption, credit string) {
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i >= 0 {
			inner := s[i+1 : len(s)-1]
			if c := cleanCredit(inner); c != inner {
				return strings.TrimSpace(s[:i]), c
			}
		}
	}
	for _, p := range captionCreditPrefixes() {
		i := -1
		switch {
		case strings.HasPrefix(s, p):
			i = 0
		case strings.LastIndex(s, " "+p) >= 0:
			i = strings.LastIndex(s, " "+p) + 1
		default:
			continue
		}
		caption, credit = strings.TrimSpace(s[:i]), cleanCredit(s[i:])
		if p == "Screenshot:" {
			credit = strings.TrimSpace(s[i:])
		}
		return caption, credit
	}
	return s, ""
}

// isFileNameAlt reports whether an alt text (or a caption) is a file name
// rather than words: one token that ends in an image extension ("image.png"), holds an
// underscore ("foto_1") or a run of four digits (a camera's "DSC01234",
// "P1610088").
func isFileNameAlt(alt string) bool {
	if alt == "" || strings.ContainsAny(alt, " \t\n") {
		return false
	}
	lower := strings.ToLower(alt)
	if i := strings.LastIndexByte(lower, '.'); i >= 0 {
		switch lower[i+1:] {
		case "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp", "tif", "tiff", "heic":
			return true
		}
	}
	if strings.ContainsRune(alt, '_') {
		return true
	}
	run := 0
	for i := range len(alt) {
		if alt[i] >= '0' && alt[i] <= '9' {
			if run++; run >= 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
