package markdown

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// maxDepth bounds the recursion of the HTML to Markdown conversion. Deeper
// subtrees are flattened to plain text. Extract already flattens the page
// below maxNesting, so this is a second line of defence.
const maxDepth = 200

// imgMark brackets the placeholder of an image reference number in the body
// while it is converted; image numbers are known only after all body links
// are numbered. CleanText removes NUL from page text, so it cannot collide.
const imgMark = "\x00"

// Converter turns an article's HTML into the Markdown body and collects
// references and inline figures on the way. One Converter serves one page:
// a site rule sets the fields that describe its markup, calls Convert, then
// FillImageRefs, and reads Figures, References and Notices.
type Converter struct {
	Base     *url.URL              // what relative links and images resolve against
	Noise    func(*html.Node) bool // site-specific noise; nil for none
	IsFigure func(*html.Node) bool // site-specific figure containers; nil for none
	// PrintRefs maps the numbers of a print view's "Links in diesem
	// Artikel" list to their URLs; in-text "[n]" markers use them.
	PrintRefs map[int]string
	Original  bool // prefer original images over resized copies (heise)
	// FlatHeadings maps h5 to "##" like h2 and h3: heise's older pages use
	// h5 for subheadings, and h4 only in boxes.
	FlatHeadings bool
	Lang         string // the article's language, which picks the words of figures ("de": German)
	// MaxBody is the byte budget of the body (BodyLimit); 0 means MaxBodyBytes.
	MaxBody int

	refs    *refCollector
	figures []article.Figure
	lab     labels
	// quoteDepth and listDepth count the quotes and lists being converted;
	// cells counts the table cells written.
	quoteDepth, listDepth, cells int
	// What the bounds cut, for notices.
	flatQuotes, flatLists, flatTables, flatDeep, cut bool
}

// Figures returns the inline figures in reading order.
func (c *Converter) Figures() []article.Figure { return c.figures }

// References returns the numbered links collected so far.
func (c *Converter) References() []article.Reference {
	if c.refs == nil {
		return nil
	}
	return c.refs.refs
}

// init sets up what the zero Converter lacks.
func (c *Converter) init() {
	if c.refs == nil {
		c.refs = newRefCollector()
	}
	if c.lab.image == "" {
		c.lab = labelsForLang(c.Lang)
	}
}

// Convert renders the children of root as Markdown blocks, within the
// body's byte and line budget.
func (c *Converter) Convert(root *html.Node) string {
	c.init()
	w := &blockWriter{}
	c.children(root, w, 0)
	w.flush()
	b := w.blocks
	for len(b) > 0 && b[0] == "---" {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == "---" {
		b = b[:len(b)-1]
	}
	b = c.bound(b)
	body := strings.Join(b, "\n\n")
	if c.cut {
		c.prune(body)
	}
	return body
}

// children converts the children of n into w.
func (c *Converter) children(n *html.Node, w *blockWriter, depth int) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.node(ch, w, depth+1)
	}
}

// inlineOf renders the children of n into a separate writer and returns its
// inline text (trimmed) and whether white space surrounded it. Blocks that
// appear inside (a figure inside a link, say) go to w first.
func (c *Converter) inlineOf(n *html.Node, w *blockWriter, depth int) (s string, lead, trail bool) {
	tmp := &blockWriter{}
	c.children(n, tmp, depth)
	if len(tmp.blocks) > 0 {
		w.flush()
		w.blocks = append(w.blocks, tmp.blocks...)
	}
	s = tmp.inl.b.String()
	trail = tmp.inl.pending
	lead = tmp.inl.lead
	return strings.Trim(s, " \n"), lead, trail
}

// genericNoise is dropped on every page: scripts, styles, forms, embeds.
func genericNoise(n *html.Node) bool {
	switch n.Data {
	case "script", "style", "noscript", "template", "iframe", "object", "embed", "form", "input",
		"button", "select", "textarea", "svg", "canvas", "map", "audio", "video", "head", "title",
		"meta", "link", "nav", "dialog":
		return true
	}
	if dom.Attr(n, "aria-hidden") == "true" || dom.HasAttr(n, "hidden") {
		return true
	}
	return false
}

// node converts one node: noise is dropped, figures become figure blocks,
// block elements start new blocks and inline elements add to the paragraph.
func (c *Converter) node(n *html.Node, w *blockWriter, depth int) {
	switch n.Type {
	case html.TextNode:
		c.textNode(n, w)
		return
	case html.ElementNode:
	default:
		if n.Type == html.DocumentNode {
			c.children(n, w, depth)
		}
		return
	}
	if genericNoise(n) || (c.Noise != nil && c.Noise(n)) {
		return
	}
	if depth > maxDepth {
		c.flatDeep = true
		var b strings.Builder
		dom.AppendText(&b, n)
		w.inl.text(article.CleanText(b.String()))
		return
	}
	if n.Data == "img" && isInlineImage(n) {
		w.inl.text(article.CleanText(dom.Attr(n, "alt"))) // an emoji or icon reads as its alt text
		return
	}
	if (c.IsFigure != nil && c.IsFigure(n)) || n.Data == "figure" || n.Data == "picture" || n.Data == "img" {
		if c.figureBlock(n, w) {
			return
		}
		if n.Data == "img" || n.Data == "picture" {
			return
		}
	}
	if n.Data == "figcaption" && c.consumedCaption(n) {
		return // written with the picture before it
	}
	switch n.Data {
	case "p", "div", "section", "article", "main", "header", "footer", "aside", "address",
		"center", "details", "summary", "dl", "dd", "dt", "fieldset", "hgroup", "body", "html", "figcaption":
		w.flush()
		c.children(n, w, depth)
		w.flush()
	case "h1", "h2", "h3", "h4", "h5", "h6":
		c.heading(n, w, depth)
	case "blockquote":
		w.flush()
		if c.quoteDepth >= MaxQuoteDepth {
			c.flatQuotes = true // its blocks join the deepest quote
			c.children(n, w, depth)
			w.flush()
			break
		}
		c.quoteDepth++
		sub := &blockWriter{}
		c.children(n, sub, depth)
		sub.flush()
		c.quoteDepth--
		w.add(prefixLines(strings.Join(sub.blocks, "\n\n"), "> ", ">"))
	case "ul", "ol", "menu":
		c.list(n, w, depth)
	case "li":
		w.flush() // a stray <li> outside a list
		c.children(n, w, depth)
		w.flush()
	case "pre":
		w.add(codeBlock(n))
	case "table":
		c.table(n, w, depth)
	case "hr":
		w.add("---")
	case "br":
		if w.inl.lineBreak() {
			w.flush()
		}
	case "a":
		c.link(n, w, depth)
	case "strong", "b":
		c.emphasis(n, w, depth, "**")
	case "em", "i", "cite", "dfn":
		c.emphasis(n, w, depth, "*")
	case "code", "kbd", "samp", "tt", "var":
		c.inlineCode(n, w)
	default:
		c.children(n, w, depth)
	}
}

// consumedCaption reports whether a <figcaption> outside a figure belongs
// to the picture right before it, whose figure block already shows it.
func (c *Converter) consumedCaption(n *html.Node) bool {
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode {
			if SiblingCaption(s) != n {
				return false
			}
			_, ok := FigureOf(c.Base, s, c.Original)
			return ok
		}
	}
	return false
}

// figureBlock renders a figure as its own block and records it; it reports
// false when n holds no usable image.
func (c *Converter) figureBlock(n *html.Node, w *blockWriter) bool {
	f, ok := FigureOf(c.Base, n, c.Original)
	if !ok {
		return false
	}
	k := len(c.figures)
	c.figures = append(c.figures, f)
	w.add(figureMarkdown(f, imgMark+strconv.Itoa(k)+imgMark, c.lab))
	return true
}

// isInlineImage reports whether an <img> is part of the text rather than a
// figure: an emoji, an icon, or an image declared at most 64 pixels large
// (tracking pixels included), or at most 32 pixels in the one dimension
// it declares.
func isInlineImage(n *html.Node) bool {
	if dom.HasClassPrefix(n, "emoji") || dom.HasClassPrefix(n, "icon") || dom.HasClass(n, "wp-smiley") {
		return true
	}
	w, errW := strconv.Atoi(strings.TrimSuffix(dom.Attr(n, "width"), "px"))
	h, errH := strconv.Atoi(strings.TrimSuffix(dom.Attr(n, "height"), "px"))
	switch {
	case errW == nil && errH == nil:
		return w <= 64 && h <= 64
	case errW == nil && dom.Attr(n, "height") == "":
		return w <= 32 // a check mark in a table cell: width="20px" alone
	case errH == nil && dom.Attr(n, "width") == "":
		return h <= 32
	}
	return false
}

// prefixLines puts prefix before every line of s (emptyPrefix before empty ones).
func prefixLines(s, prefix, emptyPrefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = emptyPrefix
		} else {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// FillImageRefs numbers the images after all body links (the hero first,
// then inline figures in reading order) and puts their numbers into body.
func (c *Converter) FillImageRefs(hero *article.Figure, body string) string {
	c.init()
	if hero != nil {
		hero.Ref = c.refs.add(hero.Image, imageRefText(*hero), true)
	}
	if len(c.figures) == 0 {
		return body
	}
	var b strings.Builder
	b.Grow(len(body))
	for i := range c.figures {
		c.figures[i].Ref = c.refs.add(c.figures[i].Image, imageRefText(c.figures[i]), true)
	}
	for {
		i := strings.Index(body, imgMark)
		if i < 0 {
			break
		}
		j := strings.Index(body[i+1:], imgMark)
		if j < 0 {
			break
		}
		k, err := strconv.Atoi(body[i+1 : i+1+j])
		b.WriteString(body[:i])
		if err == nil && k >= 0 && k < len(c.figures) {
			b.WriteString(strconv.Itoa(c.figures[k].Ref))
		}
		body = body[i+1+j+1:]
	}
	b.WriteString(body)
	return b.String()
}

// imageRefText is the text of an image reference: the caption, else the alt text.
func imageRefText(f article.Figure) string {
	if f.Caption != "" {
		return f.Caption
	}
	return f.Alt
}
