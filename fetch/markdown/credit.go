package markdown

import (
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// How a caption and its credit are told apart: by the markup (a credit
// element inside or beside the caption, by its class words or its tag)
// and by the text (a "Bild:" label, "©", a trailing agency).

// CaptionOf reads the caption and credit of a caption element: a
// <figcaption>, or the block a site writes beside a picture instead. A
// credit written into the text ("… Foto: X", "… © X") is split off.
func CaptionOf(n *html.Node) (caption, credit string) {
	caption, credit = captionOf(n)
	if uiCaption.MatchString(caption) {
		caption = ""
	}
	if credit == "" && caption != "" {
		caption, credit = splitCredit(caption)
	}
	return caption, credit
}

// CreditLabelled reports whether t holds a credit that a label or the
// copyright sign marks ("… | Bildquelle: WDR", "© X"), so that ordinary
// words are never taken for one.
func CreditLabelled(t string) bool {
	if strings.Contains(t, "©") {
		return true
	}
	for _, p := range captionCreditPrefixes() {
		if lastLabel(t, p) >= 0 {
			return true
		}
	}
	return false
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
	tail := trailingSmall(fc)
	for e := dom.Next(fc, fc, false); e != nil; {
		skip := false
		switch e.Type {
		case html.ElementNode:
			switch {
			case (isCreditElement(e) || hasClassWord(e, creditAuthorWords)) && dom.Find(e, isCreditElement) == nil ||
				e == tail && (len(parts) > 0 || strings.TrimSpace(cur.String()) != ""):
				// The innermost credit element: a line whose class says
				// "copyright" may hold the caption and, in a span of its
				// own, the credit.
				if creditNode == nil {
					creditNode = e
				}
				skip = true
			case e.Data == "script" || e.Data == "style" || e.Data == "svg" || isControl(e):
				skip = true // controls and what the page hides are no caption
			case dom.HasClass(e, "a-caption__text") || dom.HasClass(e, "text") || dom.HasClass(e, "caption") || e.Data == "p" || e.Data == "div":
				flush()
				if dom.Find(e, func(x *html.Node) bool {
					return x == tail || isCreditElement(x) || hasClassWord(x, creditAuthorWords) || isControl(x)
				}) != nil {
					break // a part that holds the credit or a control too: walk into it
				}
				if t := dom.TextOf(e); t != "" {
					parts = append(parts, t)
				}
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

// isControl reports a button or an element the page hides (a tooltip
// "Link copied"), whose text is no caption.
func isControl(e *html.Node) bool {
	return e.Type == html.ElementNode && (e.Data == "button" || e.Data == "noscript" || dom.Attr(e, "role") == "button" ||
		dom.HasAttr(e, "hidden") || dom.Attr(e, "aria-hidden") == "true")
}

// trailingSmall returns the <small>, <cite> or <footer> that ends a
// caption with nothing after it, short enough to be a credit
// ("<span>Caption</span> <small>dpa</small>"); nil when there is none.
func trailingSmall(fc *html.Node) *html.Node {
	var cand *html.Node
	for e := dom.Next(fc, fc, false); e != nil; {
		skip := false
		switch e.Type {
		case html.ElementNode:
			switch e.Data {
			case "small", "cite", "footer":
				cand, skip = e, true
			case "script", "style", "svg":
				skip = true
			}
		case html.TextNode:
			if strings.TrimSpace(e.Data) != "" {
				cand = nil
			}
		}
		e = dom.Next(fc, e, skip)
	}
	if cand != nil && len(dom.TextOf(cand)) > 80 {
		return nil
	}
	return cand
}

// creditWords are the class words of the element that holds a picture's
// credit ("a-caption__source", "responsive-image-detailed__copyright",
// "c-content-image__caption-source").
var creditWords = map[string]bool{
	"source": true, "credit": true, "credits": true, "copyright": true, "quelle": true, "bildquelle": true,
	"urheber": true, "rights": true, "photographer": true, "fotograf": true, "attribution": true,
	"bildautor": true, "bildnachweis": true, "fotonachweis": true, "imagecredit": true, "photocredit": true,
	"license": true, "licence": true, "lizenz": true, "bildrechte": true, "fotocredit": true, "bildcredit": true,
}

// creditAuthorWords are the class words that name a picture's author; they
// mark the credit inside a caption, and a byline anywhere else.
var creditAuthorWords = map[string]bool{"author": true, "autor": true, "authors": true, "autoren": true}

// isCreditElement reports whether e holds a credit, by its class words.
func isCreditElement(e *html.Node) bool {
	return dom.HasClassPrefix(e, "credit") || hasClassWord(e, creditWords)
}

// hasClassWord reports whether one of the words of e's class is in words.
// Words are split at every character that is not an ASCII letter or digit
// and where camel case starts one ("atc-ImageDescriptionCopyright" has
// "copyright").
func hasClassWord(e *html.Node, words map[string]bool) bool {
	c := dom.Attr(e, "class")
	start := -1
	for i := 0; i <= len(c); i++ {
		var ch byte
		if i < len(c) {
			ch = c[i]
		}
		lower, upper, digit := ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9'
		if start >= 0 && (!(lower || upper || digit) || upper && i > 0 && c[i-1] >= 'a' && c[i-1] <= 'z') {
			if words[strings.ToLower(c[start:i])] {
				return true
			}
			start = -1
		}
		if start < 0 && (lower || upper || digit) {
			start = i
		}
	}
	return false
}

// creditPrefixes are the labels that introduce a picture credit.
func creditPrefixes() []string {
	return []string{"Bild:", "Bilder:", "Foto:", "Fotos:", "Grafik:", "Quelle:", "Image:", "Photo:", "Credit:",
		"Symbolfoto:", "Symbolbild:", "Archivfoto:", "Archivbild:", "Fotograf:", "Fotografin:", "Copyright:", "Photos:", "Credits:",
		"Bildquelle:", "Bildquellen:", "Fotoquelle:", "Bildrechte:", "Bildnachweis:", "Fotonachweis:",
		"Photograph:", "Photographs:", "Photographer:", "Photo credit:", "Image credit:", "Illustration:"}
}

// captionCreditPrefixes introduce a credit inside caption text; they are
// unlikely to start ordinary caption words. "Screenshot:" stays part of the
// credit, as it says what the picture is.
func captionCreditPrefixes() []string {
	return []string{"Bild:", "Bilder:", "Foto:", "Fotos:", "Grafik:", "Photo:", "Credit:", "Screenshot:",
		"Symbolfoto:", "Symbolbild:", "Archivfoto:", "Archivbild:", "Quelle:", "Copyright:", "Photos:", "Credits:",
		"Bildquelle:", "Bildquellen:", "Fotoquelle:", "Bildrechte:", "Bildnachweis:", "Fotonachweis:",
		"Photograph:", "Photographs:", "Photographer:", "Photo credit:", "Image credit:", "Illustration:"}
}

// cleanCredit strips surrounding parentheses and a "Bild:" style label from
// a credit and keeps the rest exactly: "(Bild: Hadrian / Shutterstock.com)"
// becomes "Hadrian / Shutterstock.com".
func cleanCredit(s string) string {
	s = article.CleanLine(s)
	if t := strings.TrimLeft(s, "–—- "); t != s && t != "" {
		s = t // "– Midjourney": the dash that separated it from the caption
	}
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

// SplitCredit separates the credit a caption's text carries ("Caption
// (Photo: X)", "Caption © X", "Caption. AP/Name"); see splitCredit.
func SplitCredit(s string) (caption, credit string) {
	return splitCredit(s)
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
