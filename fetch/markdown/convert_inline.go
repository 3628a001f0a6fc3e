package markdown

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// blockWriter collects finished Markdown blocks and the paragraph being built.
type blockWriter struct {
	blocks []string
	inl    inlineBuf
}

// inlineBuf builds one paragraph of inline Markdown, folding white space.
type inlineBuf struct {
	b       strings.Builder
	pending bool // white space seen since the last content
	lead    bool // white space seen before any content
}

// space records white space; it becomes one blank before the next content.
func (w *inlineBuf) space() {
	if w.b.Len() == 0 {
		w.lead = true
	}
	w.pending = true
}

// write appends s, which must not start or end with white space.
func (w *inlineBuf) write(s string) {
	if s == "" {
		return
	}
	if w.pending && w.b.Len() > 0 {
		last := w.b.String()[w.b.Len()-1]
		if last != '\n' {
			w.b.WriteByte(' ')
		}
	}
	w.pending = false
	w.b.WriteString(s)
}

// text appends page text: it folds white space and escapes Markdown.
func (w *inlineBuf) text(s string) {
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || dom.IsHTMLSpace(s[i]) || s[i] == '\v' {
			if i > start {
				w.write(escapeInline(s[start:i]))
			}
			if i < len(s) {
				w.space()
			}
			start = i + 1
		}
	}
}

// lineBreak records a <br>. It reports true for a second <br> in a row,
// which old pages use to separate paragraphs.
func (w *inlineBuf) lineBreak() bool {
	if w.b.Len() == 0 {
		return false
	}
	if s := w.b.String(); s[len(s)-1] == '\n' {
		return true
	}
	w.pending = false
	w.b.WriteByte('\n')
	return false
}

// flush finishes the current paragraph as a block.
func (w *blockWriter) flush() {
	s := w.inl.b.String()
	w.inl = inlineBuf{}
	if p := finishParagraph(s); p != "" {
		w.blocks = append(w.blocks, p)
	}
}

// add finishes the current paragraph and appends a finished block.
func (w *blockWriter) add(block string) {
	w.flush()
	if block != "" {
		w.blocks = append(w.blocks, block)
	}
}

// finishParagraph trims every line of a paragraph, drops empty lines,
// escapes what would start a block at a line start, and joins the lines
// with hard breaks.
func finishParagraph(s string) string {
	if !strings.Contains(s, "\n") {
		return escapeLineStart(strings.TrimSpace(s))
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, escapeLineStart(l))
		}
	}
	return strings.Join(out, "\\\n")
}

// printMarker matches a print view's in-text reference marker.
var printMarker = regexp.MustCompile(`\[(\d{1,4})\]`)

// textNode adds page text. In a print view, "[n]" markers that the footer
// list knows become references, renumbered in order of appearance.
func (c *Converter) textNode(n *html.Node, w *blockWriter) {
	s := article.CleanText(n.Data)
	if c.PrintRefs == nil || !strings.Contains(s, "[") {
		w.inl.text(s)
		return
	}
	for {
		m := printMarker.FindStringSubmatchIndex(s)
		if m == nil {
			break
		}
		num, err := strconv.Atoi(s[m[2]:m[3]])
		u, ok := c.PrintRefs[num]
		if err != nil || !ok {
			w.inl.text(s[:m[1]])
			s = s[m[1]:]
			continue
		}
		before := s[:m[0]]
		w.inl.text(before)
		text := strings.TrimSpace(before)
		if p := n.Parent; p != nil && (p.Data == "b" || p.Data == "strong" || p.Data == "a") {
			text = strings.TrimSpace(printMarker.ReplaceAllString(dom.TextOf(p), ""))
		}
		if ref := c.refs.add(u, text, false); ref > 0 {
			w.inl.pending = true
			w.inl.write("[" + strconv.Itoa(ref) + "]")
		}
		s = s[m[1]:]
	}
	w.inl.text(s)
}

// heading writes a subheading; the document title alone is "#".
func (c *Converter) heading(n *html.Node, w *blockWriter, depth int) {
	w.flush()
	s, _, _ := c.inlineOf(n, w, depth)
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
	if s == "" {
		return
	}
	if strings.HasSuffix(s, "#") && !strings.HasSuffix(s, "\\#") {
		s = s[:len(s)-1] + "\\#" // a trailing "#" would close the heading
	}
	prefix := "## "
	switch n.Data {
	case "h4":
		prefix = "### "
	case "h5", "h6":
		prefix = "#### "
		if c.FlatHeadings {
			prefix = "## "
			if n.Data == "h6" {
				prefix = "### "
			}
		}
	}
	w.add(prefix + s)
}

// emphasis wraps the inline content of n in mark ("**" or "*").
func (c *Converter) emphasis(n *html.Node, w *blockWriter, depth int, mark string) {
	s, lead, trail := c.inlineOf(n, w, depth)
	if lead {
		w.inl.space()
	}
	switch {
	case s == "":
	case c.PrintRefs != nil && printMarker.MatchString(s):
		w.inl.write(s) // a print view's link: bold marks the link, not emphasis
	case strings.Contains(s, "\n") || strings.HasPrefix(s, mark) || strings.HasSuffix(s, mark):
		w.inl.write(s) // emphasis across breaks or nested alike: keep the text plain
	default:
		w.inl.write(mark + s + mark)
	}
	if trail {
		w.inl.space()
	}
}

// link writes the link text followed by " [n]", the number of its URL;
// links that are not references keep only their text.
func (c *Converter) link(n *html.Node, w *blockWriter, depth int) {
	s, lead, trail := c.inlineOf(n, w, depth)
	if lead {
		w.inl.space()
	}
	w.inl.write(s)
	if s != "" && !(c.PrintRefs != nil && printMarker.MatchString(s)) {
		if u, ok := ResolveRef(c.Base, dom.Attr(n, "href")); ok {
			if num := c.refs.add(u, dom.TextOf(n), false); num > 0 {
				w.inl.pending = true
				w.inl.write("[" + strconv.Itoa(num) + "]")
			}
		}
	}
	if trail {
		w.inl.space()
	}
}

// inlineCode writes a code span with a fence longer than any backtick run inside.
func (c *Converter) inlineCode(n *html.Node, w *blockWriter) {
	var b strings.Builder
	dom.AppendText(&b, n)
	s := strings.Join(strings.Fields(article.CleanText(b.String())), " ")
	if s == "" {
		return
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if s[0] == '`' || s[len(s)-1] == '`' {
		s = " " + s + " "
	}
	w.inl.write(fence + s + fence)
}

// codeBlock renders <pre> as a fenced code block; <br> inside counts as a
// line break, as heise's listings use it.
func codeBlock(n *html.Node) string {
	var b strings.Builder
	for e := dom.Next(n, n, false); e != nil; {
		skip := false
		switch {
		case e.Type == html.TextNode:
			b.WriteString(e.Data)
		case dom.IsElem(e, "br"):
			b.WriteByte('\n')
		case e.Type == html.ElementNode && (e.Data == "script" || e.Data == "style"):
			skip = true
		}
		e = dom.Next(n, e, skip)
	}
	s := strings.TrimRight(strings.TrimLeft(article.CleanText(b.String()), "\n"), " \n\t")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + "\n" + s + "\n" + fence
}
