package markdown

import (
	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"net/url"
	"regexp"
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
	if fc == nil {
		fc = SiblingCaption(n)
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
	if f.Credit == "" && n.Data == "figure" {
		f.Credit = figureCredit(n)
	}
	if uiCaption.MatchString(f.Caption) {
		f.Caption = "" // the label of a button beside the picture
	}
	if f.Credit == "" && f.Caption != "" {
		f.Caption, f.Credit = splitCredit(f.Caption)
	}
	if isFileNameAlt(f.Caption) {
		f.Caption = "" // a title attribute or caption that only names the file
	}
	return f, true
}

// figureCredit finds a credit a figure keeps outside its caption: an
// element with a credit class, or a <footer>, <cite> or <small> (DER
// STANDARD writes "<figcaption>…</figcaption><footer>Imago/…</footer>").
func figureCredit(n *html.Node) string {
	e := dom.Find(n, func(e *html.Node) bool {
		if dom.Ancestor(e, dom.ByTag("figcaption")) != nil || e.Data == "figcaption" {
			return false
		}
		return isCreditElement(e) || e.Data == "footer" || e.Data == "cite" || e.Data == "small"
	})
	if e == nil {
		return ""
	}
	if t := dom.TextOf(e); len(t) <= 120 {
		return cleanCredit(t)
	}
	return ""
}

// uiCaption is a button's label that sites put into a figure's caption.
var uiCaption = regexp.MustCompile(`(?i)^(bildbeschreibung (einblenden|ausblenden)|bild vergrößern|vergrößern|zoom|enlarge( image)?|mehr anzeigen|show more|video starten.*|play video)$`)

// SiblingCaption returns the <figcaption> that follows a picture or image
// outside any <figure>, or a <figure> without a caption of its own, as its
// next element ("<picture>…</picture><figcaption>…</figcaption>"), which
// some sites write instead of a captioned figure; nil when there is none.
func SiblingCaption(n *html.Node) *html.Node {
	switch {
	case n.Data == "figure":
		if dom.Find(n, dom.ByTag("figcaption")) != nil {
			return nil
		}
	case n.Data != "picture" && n.Data != "img" || dom.Ancestor(n, dom.ByTag("figure")) != nil:
		return nil
	}
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		switch s.Type {
		case html.ElementNode:
			if s.Data == "figcaption" {
				return s
			}
			return nil
		case html.TextNode:
			if strings.TrimSpace(s.Data) != "" {
				return nil
			}
		}
	}
	return nil
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
		default:
			// A custom element of a site's framework that stands for an
			// image (<amp-img>, <storefront-image>, <nuxt-img>).
			if strings.HasSuffix(e.Data, "-img") || strings.HasSuffix(e.Data, "-image") {
				if f.Alt == "" {
					f.Alt = article.CleanLine(dom.Attr(e, "alt"))
				}
				return ResolveImage(base, dom.Attr(e, "src"))
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
			case isCreditElement(e):
				if creditNode == nil {
					creditNode = e
				}
				skip = true
			case dom.HasClass(e, "a-caption__text") || dom.HasClass(e, "text") || dom.HasClass(e, "caption") || e.Data == "p" || e.Data == "div":
				flush()
				if dom.Find(e, isCreditElement) != nil {
					break // a part that holds the credit too: walk into it
				}
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

// creditWords are the class words of the element that holds a picture's
// credit ("a-caption__source", "responsive-image-detailed__copyright",
// "c-content-image__caption-source").
var creditWords = map[string]bool{
	"source": true, "credit": true, "credits": true, "copyright": true, "quelle": true, "bildquelle": true,
	"urheber": true, "rights": true, "photographer": true, "fotograf": true, "attribution": true,
	"bildautor": true, "bildnachweis": true, "fotonachweis": true, "imagecredit": true, "photocredit": true,
}

// isCreditElement reports whether e holds a credit, by its class words.
func isCreditElement(e *html.Node) bool {
	if dom.HasClassPrefix(e, "credit") {
		return true
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(dom.Attr(e, "class")), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if creditWords[w] {
			return true
		}
	}
	return false
}

// creditPrefixes are the labels that introduce a picture credit.
func creditPrefixes() []string {
	return []string{"Bild:", "Bilder:", "Foto:", "Fotos:", "Grafik:", "Quelle:", "Image:", "Photo:", "Credit:",
		"Symbolfoto:", "Symbolbild:", "Archivfoto:", "Archivbild:", "Fotograf:", "Fotografin:", "Copyright:", "Photos:", "Credits:"}
}

// captionCreditPrefixes introduce a credit inside caption text; they are
// unlikely to start ordinary caption words. "Screenshot:" stays part of the
// credit, as it says what the picture is.
func captionCreditPrefixes() []string {
	return []string{"Bild:", "Bilder:", "Foto:", "Fotos:", "Grafik:", "Photo:", "Credit:", "Screenshot:",
		"Symbolfoto:", "Symbolbild:", "Archivfoto:", "Archivbild:", "Quelle:", "Copyright:", "Photos:", "Credits:"}
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
			s = strings.TrimSpace(s[len(p):])
			for _, q := range creditPrefixes() { // "Foto: Bild: SN/APA"
				if len(s) >= len(q) && strings.EqualFold(s[:len(q)], q) {
					return strings.TrimSpace(s[len(q):])
				}
			}
			return s
		}
	}
	// "Bild © Name", "Foto: © Name", "© Name": the sign says nothing more.
	for _, p := range []string{"Bild ©", "Foto ©", "Image ©", "Photo ©", "©"} {
		if rest, ok := strings.CutPrefix(s, p); ok && strings.TrimSpace(rest) != "" {
			return strings.TrimSpace(rest)
		}
	}
	return s
}

// splitCredit separates a credit written into the caption text itself:
// "Caption (Bild: X)", "Caption. Bild: X", "Caption, Foto: X", "Caption
// © X", "Caption. IMAGO/Name" (a trailing agency credit) or just "Bild: X".
func splitCredit(s string) (caption, credit string) {
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i >= 0 {
			inner := s[i+1 : len(s)-1]
			if c := cleanCredit(inner); c != inner {
				return strings.TrimSpace(s[:i]), c
			}
			if i > 0 && trailingAgency(". "+inner) == 2 {
				return strings.TrimSpace(s[:i]), strings.TrimSpace(inner) // "Caption (AFP / Jorge Guerrero)"
			}
		}
	}
	if i := strings.LastIndex(s, "©"); i >= 0 {
		if c := strings.TrimSpace(s[i+len("©"):]); c != "" && len(c) <= 120 {
			return trimCaption(s[:i]), c
		}
	}
	best, label := -1, ""
	for _, p := range captionCreditPrefixes() {
		if i := lastLabel(s, p); i > best {
			best, label = i, p
		}
	}
	if best >= 0 {
		caption, credit = trimCaption(s[:best]), cleanCredit(s[best:])
		if label == "Screenshot:" {
			credit = strings.TrimSpace(s[best:])
		}
		return caption, credit
	}
	if i := trailingAgency(s); i > 0 {
		return trimCaption(s[:i]), strings.TrimSpace(s[i:])
	}
	return s, ""
}

// lastLabel returns the index of the last occurrence of the credit label p
// in s that starts a word (at the start, or after a space or punctuation:
// "(AfD)Quelle: X"), or -1.
func lastLabel(s, p string) int {
	for end := len(s); end > 0; {
		i := strings.LastIndex(s[:end], p)
		if i < 0 {
			return -1
		}
		if i == 0 || !isWordByte(s[i-1]) {
			return i
		}
		end = i
	}
	return -1
}

// isWordByte reports an ASCII letter or digit, or a byte of a multi-byte rune.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// trimCaption trims the separator a credit leaves behind: "Caption, " or
// "Caption | ".
func trimCaption(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), " ,;|/–-")
}

// agencies are the picture agencies whose names mark a trailing credit.
var agencies = []string{"dpa", "afp", "reuters", "ap", "imago", "getty", "picture alliance", "picture-alliance", "shutterstock",
	"keystone", "apa", "epa", "istock", "unsplash", "ddp", "kna", "epd", "action press", "sz photo", "laif", "xinhua", "anp", "belga"}

// trailingAgency returns where a credit starts that follows the caption's
// last sentence without a label ("… sammeln. IMAGO/Nico Herbertz"): a short
// tail with a slash or an agency's name and no full stop; 0 when none.
func trailingAgency(s string) int {
	i := strings.LastIndex(s, ". ")
	if j := strings.LastIndex(s, " | "); j > i {
		i = j + 1
	}
	if i < 0 {
		return 0
	}
	tail := strings.TrimSpace(s[i+2:])
	words := strings.Fields(tail)
	if len(words) == 0 || len(words) > 6 || len(tail) > 60 || strings.HasSuffix(tail, ".") {
		return 0
	}
	low := strings.ToLower(tail)
	if strings.Contains(tail, "/") {
		return i + 2
	}
	for _, a := range agencies {
		if low == a || strings.HasPrefix(low, a+" ") || strings.HasSuffix(low, " "+a) {
			return i + 2
		}
	}
	return 0
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
