package markdown

import (
	"github.com/kiosk-reader/kiosk/fetch/article"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// PrintText renders an article as plain text the way its site's print view
// shows it: the title; the hero figure as "<caption>. Bild: <credit>" (in
// the article's language); the lead; the body's paragraphs, subheadings and
// quotes as plain paragraphs with their "[n]" markers, list items with "•",
// figures as caption lines; then "URL dieses Artikels:" with the URL and
// "Links in diesem Artikel:" with one "[n] URL" per line (a no-break space
// after the number, as in the print view; image references
// aside, as in the print view). There is no Markdown syntax. Paragraphs are
// wrapped at width columns (0: not at all); a URL or any other word longer
// than the line is never broken, and code keeps its lines.
func PrintText(a article.Article, width int) string {
	lab := labelsFor(a)
	p := printer{width: width}
	p.para(article.CleanLine(a.Title))
	p.para(article.CleanLine(a.Notice))
	for _, n := range a.Notices {
		p.para(article.CleanLine(n))
	}
	if a.Hero != nil {
		p.para(printCaption(*a.Hero, lab))
	}
	p.para(article.CleanLine(a.Lead))
	p.body(article.CleanText(a.Body), a.Figures, lab)
	if a.Paywalled {
		p.para(lab.paywall)
	}
	if u := article.CleanLine(a.AllPagesURL); u != "" {
		p.lines([]string{lab.pages, u})
	}
	u := a.CanonicalURL
	if u == "" {
		u = a.URL
	}
	if u = article.CleanLine(u); u != "" {
		p.lines([]string{lab.url, u})
	}
	var refs []string
	for _, r := range a.References {
		if !r.Image {
			// A no-break space, as the print view has it: the number stays
			// with its URL.
			refs = append(refs, "["+strconv.Itoa(r.N)+"]\u00a0"+article.CleanLine(r.URL))
		}
	}
	if len(refs) > 0 {
		p.lines(append([]string{lab.links}, refs...))
	}
	return strings.Join(p.out, "\n\n") + "\n"
}

// printCaption is a figure's line in the print view: "<caption>. Bild:
// <credit>", the caption falling back to the alt text.
func printCaption(f article.Figure, lab labels) string {
	caption := article.CleanLine(f.Caption)
	if caption == "" {
		caption = article.CleanLine(f.Alt)
	}
	credit := article.CleanLine(f.Credit)
	switch {
	case credit == "":
		return caption
	case caption == "":
		return lab.credit + " " + credit
	}
	if last, _ := utf8.DecodeLastRuneInString(caption); !strings.ContainsRune(".!?…:", last) {
		caption += "."
	}
	return caption + " " + lab.credit + " " + credit
}

// printer collects the print view's paragraphs.
type printer struct {
	width int
	out   []string
}

// para adds a paragraph of running text, wrapped; an empty one is skipped.
func (p *printer) para(s string) {
	p.prefixed("", "", s)
}

// prefixed adds a paragraph whose first line starts with first and whose
// other lines with rest (list items).
func (p *printer) prefixed(first, rest, s string) {
	// CleanLine again: resolving the Markdown's escapes and character
	// references ("\&#27;") can bring back what cleaning took out.
	s = strings.Join(strings.Fields(article.CleanLine(s)), " ")
	if s == "" {
		return
	}
	p.out = append(p.out, wrapWords(s, p.width, first, rest))
}

// lines adds a block of lines kept as they are (URLs, code).
func (p *printer) lines(ls []string) {
	if len(ls) > 0 {
		p.out = append(p.out, strings.Join(ls, "\n"))
	}
}

// body walks the Markdown of an article body and adds its blocks.
func (p *printer) body(md string, figures []article.Figure, lab labels) {
	if strings.TrimSpace(md) == "" {
		return
	}
	src := []byte(md)
	md2 := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
	doc := md2.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext()))
	// A figure is a paragraph of exactly the Markdown figureMarkdown wrote.
	figs := make(map[string]article.Figure, len(figures))
	for _, f := range figures {
		figs[figureMarkdown(f, refLabel(f.Ref), lab)] = f
	}
	p.blocks(doc, src, figs, lab, 0)
}

// blocks adds the block children of n; depth is the list nesting.
func (p *printer) blocks(n ast.Node, src []byte, figs map[string]article.Figure, lab labels, depth int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		p.block(c, src, figs, lab, depth)
	}
}

// block adds one block node.
func (p *printer) block(c ast.Node, src []byte, figs map[string]article.Figure, lab labels, depth int) {
	switch c := c.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		raw := strings.TrimSpace(string(c.Lines().Value(src)))
		if f, ok := figs[raw]; ok {
			p.para(printCaption(f, lab))
			return
		}
		p.para(inlineText(c, src))
	case *ast.Heading:
		p.para(inlineText(c, src))
	case *ast.Blockquote:
		p.blocks(c, src, figs, lab, depth)
	case *ast.List:
		n := c.Start
		for item := c.FirstChild(); item != nil; item = item.NextSibling() {
			marker := "• "
			if c.IsOrdered() {
				marker = strconv.Itoa(n) + ". "
				n++
			}
			p.item(item, src, figs, lab, depth, marker)
		}
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var ls []string
		lines := c.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			ls = append(ls, article.CleanLine(strings.TrimRight(string(seg.Value(src)), "\n")))
		}
		p.lines(ls)
	case *extast.Table:
		var rows []string
		for row := c.FirstChild(); row != nil; row = row.NextSibling() {
			var cells []string
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				cells = append(cells, article.CleanLine(inlineText(cell, src)))
			}
			rows = append(rows, strings.Join(cells, " | "))
		}
		p.lines(rows)
	case *ast.ThematicBreak, *ast.HTMLBlock:
		// Neither has text of its own in an article.
	default:
		p.blocks(c, src, figs, lab, depth)
	}
}

// item adds one list item: its first paragraph after the marker, the rest
// (nested lists, further paragraphs) indented under it.
func (p *printer) item(item ast.Node, src []byte, figs map[string]article.Figure, lab labels, depth int, marker string) {
	indent := strings.Repeat("  ", depth)
	pad := indent + strings.Repeat(" ", runewidth.StringWidth(marker))
	first := true
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			if first {
				p.prefixed(indent+marker, pad, inlineText(c, src))
			} else {
				p.prefixed(pad, pad, inlineText(c, src))
			}
		default:
			p.block(c, src, figs, lab, depth+1)
		}
		first = false
	}
}

// inlineText is the plain text of a block's inline content: markers and
// escapes gone, code spans as their text, links as their text.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				v := c.Segment.Value(src)
				if !c.IsRaw() {
					v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
				}
				b.Write(v)
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.CodeSpan:
				for t := c.FirstChild(); t != nil; t = t.NextSibling() {
					if tx, ok := t.(*ast.Text); ok {
						b.Write(tx.Segment.Value(src))
					}
				}
			case *ast.AutoLink:
				b.Write(c.URL(src))
			case *ast.Image:
				walk(c) // the alt text
			case *ast.RawHTML:
				// Not text.
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// wrapWords wraps s at width display columns, the first line starting with
// first and the others with rest. A word wider than the line (a URL) gets a
// line of its own, unbroken. width <= 0 means one line.
func wrapWords(s string, width int, first, rest string) string {
	if width <= 0 {
		return first + s
	}
	var b strings.Builder
	line := first
	lineW := runewidth.StringWidth(first)
	empty := true
	for _, w := range strings.Fields(s) {
		ww := runewidth.StringWidth(w)
		if !empty && lineW+1+ww > width {
			b.WriteString(line)
			b.WriteByte('\n')
			line, lineW, empty = rest, runewidth.StringWidth(rest), true
		}
		if !empty {
			line += " "
			lineW++
		}
		line += w
		lineW += ww
		empty = false
	}
	b.WriteString(line)
	return b.String()
}
