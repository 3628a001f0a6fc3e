// Package markdown owns kiosk's Markdown: the conversion of an article's
// HTML into the Markdown body (Converter: paragraphs, headings, quotes,
// lists, tables, code, figures with caption and credit, every link as a
// numbered reference "text [n]", and the bounds that keep hostile markup
// small), and the rendering of a whole Article as kiosk's Markdown document
// (Document) or the print view's plain text (PrintText), with labels in the
// article's language. It knows nothing of sites: site rules and the
// cleaning of pages live in package extract.
package markdown

import (
	"github.com/kiosk-reader/kiosk/fetch/article"
	"strconv"
	"strings"
)

// labels are the words kiosk adds to an article: the tail, figures, notes.
// German articles (heise online and Telepolis always) get the print view's
// own German words; every other page gets English ones.
type labels struct {
	url, links, image, credit, pages, paywall string
}

// germanLabels are the print view's words.
func germanLabels() labels {
	return labels{
		url:     "URL dieses Artikels:",
		links:   "Links in diesem Artikel:",
		image:   "Bild",
		credit:  "Bild:",
		pages:   "Alle Seiten dieses Artikels:",
		paywall: "Hinweis: Dies ist nur der frei lesbare Teil, der ganze Artikel steht hinter der Bezahlschranke (heise+).",
	}
}

// englishLabels are the words for every other site.
func englishLabels() labels {
	return labels{
		url:     "URL of this article:",
		links:   "Links in this article:",
		image:   "Image",
		credit:  "Image:",
		pages:   "All pages of this article:",
		paywall: "Note: this is only the free part; the whole article is behind a paywall.",
	}
}

// labelsFor picks the words for an article: German for heise online and
// Telepolis (their rule, or a numeric heise content ID on a teaser) and for
// every article in German, English otherwise.
func labelsFor(a article.Article) labels {
	if a.Rule == "heise" || (a.ID != "" && strings.Trim(a.ID, "0123456789") == "") {
		return germanLabels()
	}
	return labelsForLang(a.Lang)
}

// labelsForLang picks the words for a language ("de", "en", ""): German
// for German, English for everything else.
func labelsForLang(lang string) labels {
	if lang == "de" {
		return germanLabels()
	}
	return englishLabels()
}

// Document renders the whole document: "# Title", the notices if any, the lead,
// the hero figure, the body, a note on paywalled (heise+) articles, the
// all-pages URL of a multi-page article, then
// the article's URL and the numbered list of references, one "[n] URL" per line, like the print view's "Links in diesem
// Artikel". Text fields are escaped so page text cannot inject formatting.
func Document(a article.Article) string {
	lab := labelsFor(a)
	var blocks []string
	if t := article.CleanLine(a.Title); t != "" {
		blocks = append(blocks, "# "+escapeInline(t))
	}
	if s := article.CleanLine(a.Notice); s != "" {
		// The notice speaks for itself (the site's banner, or kiosk saying
		// the full text is missing): no label in a language it may not share.
		blocks = append(blocks, "*"+escapeInline(s)+"*")
	}
	for _, n := range a.Notices {
		if s := article.CleanLine(n); s != "" {
			blocks = append(blocks, "*"+escapeInline(s)+"*")
		}
	}
	if s := article.CleanLine(a.Lead); s != "" {
		blocks = append(blocks, escapeLineStart(escapeInline(s)))
	}
	if a.Hero != nil && a.Hero.Image != "" {
		blocks = append(blocks, figureMarkdown(*a.Hero, refLabel(a.Hero.Ref), lab))
	}
	if body := strings.TrimSpace(article.CleanText(a.Body)); body != "" {
		blocks = append(blocks, body)
	}
	if a.Paywalled {
		blocks = append(blocks, "*"+escapeInline(lab.paywall)+"*")
	}
	if p := article.CleanLine(a.AllPagesURL); p != "" {
		blocks = append(blocks, lab.pages+" "+markdownURL(p))
	}
	u := a.CanonicalURL
	if u == "" {
		u = a.URL
	}
	if u = article.CleanLine(u); u != "" {
		blocks = append(blocks, lab.url+" "+markdownURL(u))
	}
	if len(a.References) > 0 {
		// One paragraph per line: glamour joins hard-broken lines.
		blocks = append(blocks, lab.links)
		for _, r := range a.References {
			blocks = append(blocks, "["+strconv.Itoa(r.N)+"] "+markdownURL(article.CleanLine(r.URL)))
		}
	}
	return strings.Join(blocks, "\n\n") + "\n"
}

// refLabel is the reference number of a figure, or "" when it has none.
func refLabel(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// figureMarkdown renders a figure as a paragraph of its own:
//
//	**Bild** [4]: *Caption* (Bild: Credit)
//
// The bold label and the italic caption set it apart from body text and from
// quotes, in colour and in plain ASCII alike. The number stays outside the
// bold label because glamour's ASCII style would split "**Bild [4]:**" at
// the bracket. ref is the reference number (or a placeholder the converter
// fills in later); lab gives the words.
func figureMarkdown(f article.Figure, ref string, lab labels) string {
	var b strings.Builder
	b.WriteString("**" + lab.image + "**")
	if ref != "" {
		b.WriteString(" [" + ref + "]")
	}
	caption := article.CleanLine(f.Caption)
	if caption == "" {
		caption = article.CleanLine(f.Alt)
	}
	credit := article.CleanLine(f.Credit)
	if caption != "" || credit != "" {
		b.WriteString(":")
	}
	if caption != "" {
		b.WriteString(" *" + escapeInline(caption) + "*")
	}
	if credit != "" {
		b.WriteString(" (" + lab.credit + " " + escapeInline(credit) + ")")
	}
	return b.String()
}

// markdownURL writes a URL so that Markdown shows it literally: as an
// autolink, with the characters an autolink cannot hold percent-encoded.
func markdownURL(u string) string {
	if strings.ContainsAny(u, "<> \t\n`\\") {
		u = strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "\t", "%09", "\n", "%0A", "`", "%60", "\\", "%5C").Replace(u)
	}
	return "<" + u + ">"
}

// escapeInline escapes the characters that would start Markdown inline
// formatting in page text: emphasis, links, code, HTML, tables, strikethrough
// and entities. s must already be cleaned.
func escapeInline(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if needsEscape(s, i) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + n)
	for i := 0; i < len(s); i++ {
		if needsEscape(s, i) {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// needsEscape reports whether the byte at s[i] must be backslash-escaped.
func needsEscape(s string, i int) bool {
	switch s[i] {
	case '\\', '*', '_', '[', ']', '`', '<', '|', '~':
		return true
	case '&':
		if i+1 < len(s) {
			c := s[i+1]
			return c == '#' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		}
	}
	return false
}

// escapeLineStart escapes what would make a line of page text a block of its
// own: a heading, quote, list item, thematic break or setext underline.
// Inline characters are already escaped.
func escapeLineStart(l string) string {
	if l == "" {
		return l
	}
	switch c := l[0]; c {
	case '#', '>':
		return "\\" + l
	case '-', '+', '=':
		if len(l) == 1 || l[1] == ' ' || l[1] == '\t' || l[1] == c {
			return "\\" + l
		}
	case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		i := 1
		for i < len(l) && i < 10 && l[i] >= '0' && l[i] <= '9' {
			i++
		}
		if i < len(l) && (l[i] == '.' || l[i] == ')') && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t') {
			return l[:i] + "\\" + l[i:]
		}
	}
	return l
}
