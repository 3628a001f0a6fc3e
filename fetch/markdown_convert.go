package fetch

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// maxDepth bounds the recursion of the HTML to Markdown conversion. Deeper
// subtrees are flattened to plain text. Extract already flattens the page
// below maxNesting, so this is a second line of defence.
const maxDepth = 200

// Bounds on the Markdown body. Every level of a block quote prefixes each
// of its lines with "> " and every list level indents them, so 150 nested
// quotes around 11,000 short paragraphs (116 KB of HTML) made 6.7 MB of
// Markdown, and glamour needs time and memory per block and per level
// (about 30 KB per deeply quoted paragraph, 4 KB per table cell, in the
// dark style). The bounds keep the worst body glamour can be handed within
// a few seconds and well under 300 MB, and are far above real articles.
// Whatever a bound cuts is named in Article.Notices.
const (
	// maxQuoteDepth is the deepest block quote; deeper quotes are written
	// into the deepest one, text kept. Real articles quote at most two or
	// three levels (an e-mail thread).
	maxQuoteDepth = 4
	// maxListDepth is the deepest list; the items of deeper lists become
	// paragraphs of the deepest item. Outlines rarely go past four levels.
	maxListDepth = 6
	// maxTableCols and maxTableCells bound tables: a wider table, or one
	// that would take the article past maxTableCells cells, is written as
	// one paragraph per row. A terminal cannot show 16 columns anyway.
	maxTableCols  = 16
	maxTableCells = 10_000
	// maxBodyBytes caps the body whatever the page size; a long article is
	// 50 to 200 KB of Markdown. 2 MB of long paragraphs four quotes deep
	// took glamour's dark style 3.7 s and 296 MB; 1 MB halves that.
	maxBodyBytes = 1 << 20
	// bodyPageRatio and minBodyBytes bound the body relative to its page:
	// at most bodyPageRatio times the page's bytes, but never less than
	// minBodyBytes. Markdown is normally smaller than its HTML; only
	// amplification (deep quotes and lists, escapes) gets near the ratio.
	bodyPageRatio = 4
	minBodyBytes  = 64 << 10
	// maxBodyLines caps the lines of the body, blank ones included: glamour
	// pays per block, however short. 5,000 lines are some 2,500 paragraphs,
	// a small book.
	maxBodyLines = 5000
	// maxRefs caps the numbered links; later links keep their text but get
	// no number. A long Wikipedia article has about 1,500 links.
	maxRefs = 3000
)

// bodyLimit is the byte budget of the Markdown body of a page of pageBytes.
func bodyLimit(pageBytes int) int {
	return min(maxBodyBytes, max(bodyPageRatio*pageBytes, minBodyBytes))
}

// imgMark brackets the placeholder of an image reference number in the body
// while it is converted; image numbers are known only after all body links
// are numbered. CleanText removes NUL from page text, so it cannot collide.
const imgMark = "\x00"

// converter turns an article's HTML into the Markdown body and collects
// references and inline figures on the way. One converter serves one page.
type converter struct {
	base    *url.URL
	refs    *refCollector
	noise   func(*html.Node) bool // site-specific noise; nil for none
	figure  func(*html.Node) bool // site-specific figure containers; nil for none
	figures []Figure
	// printRefs maps the numbers of a print view's "Links in diesem
	// Artikel" list to their URLs; in-text "[n]" markers use them.
	printRefs map[int]string
	shortCode string // title of a dropped author short code, if any
	original  bool   // prefer original images over resized copies (heise)
	// flatHeadings maps h5 to "##" like h2 and h3: heise's older pages use
	// h5 for subheadings, and h4 only in boxes.
	flatHeadings bool
	lab          labels // the words of figures; German (heise) when unset
	// maxBody is the byte budget of the body (bodyLimit); 0 means maxBodyBytes.
	maxBody int
	// quoteDepth and listDepth count the quotes and lists being converted;
	// cells counts the table cells written.
	quoteDepth, listDepth, cells int
	// What the bounds cut, for notices.
	flatQuotes, flatLists, flatTables, flatDeep, cut bool
}

// notices says what the conversion cut, one line per bound.
func (c *converter) notices() []string {
	var out []string
	if c.flatDeep {
		out = append(out, nestingNotice)
	}
	if c.flatQuotes {
		out = append(out, fmt.Sprintf("kiosk flattened block quotes nested deeper than %d levels.", maxQuoteDepth))
	}
	if c.flatLists {
		out = append(out, fmt.Sprintf("kiosk flattened lists nested deeper than %d levels.", maxListDepth))
	}
	if c.flatTables {
		out = append(out, fmt.Sprintf("kiosk wrote tables wider than %d columns, or past %d cells, as paragraphs.", maxTableCols, maxTableCells))
	}
	if c.refs != nil && c.refs.dropped {
		out = append(out, fmt.Sprintf("kiosk numbered only the first %d links.", maxRefs))
	}
	if c.cut {
		limit := c.maxBody
		if limit <= 0 {
			limit = maxBodyBytes
		}
		out = append(out, fmt.Sprintf("kiosk shows only the start of this article: the text is longer than its limit (%d KB or %d lines of Markdown).", limit>>10, maxBodyLines))
	}
	return out
}

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
		if i == len(s) || isHTMLSpace(s[i]) || s[i] == '\v' {
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

// convert renders the children of root as Markdown blocks, within the
// body's byte and line budget.
func (c *converter) convert(root *html.Node) string {
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

// bound keeps the blocks within the byte budget (c.maxBody) and
// maxBodyLines, cutting the first block that does not fit at a line (or,
// for one long line, a word) boundary and dropping the rest.
func (c *converter) bound(blocks []string) []string {
	limit := c.maxBody
	if limit <= 0 {
		limit = maxBodyBytes
	}
	size, lines := 0, 0
	for i, b := range blocks {
		sepBytes, sepLines := 0, 0
		if i > 0 {
			sepBytes, sepLines = 2, 1 // the blank line between blocks
		}
		n, l := len(b)+sepBytes, strings.Count(b, "\n")+1+sepLines
		if size+n <= limit && lines+l <= maxBodyLines {
			size, lines = size+n, lines+l
			continue
		}
		c.cut = true
		out := blocks[:i]
		if part := cutBlock(b, limit-size-sepBytes, maxBodyLines-lines-sepLines); part != "" {
			out = append(out, part)
		}
		return out
	}
	return blocks
}

// cutBlock returns the start of a Markdown block in at most maxBytes bytes
// and maxLines lines: whole lines, else the first line up to a space. A
// fenced code block keeps its closing fence. It returns "" when nothing
// useful fits.
func cutBlock(b string, maxBytes, maxLines int) string {
	fence := ""
	if strings.HasPrefix(b, "```") {
		fence = b[:len(b)-len(strings.TrimLeft(b, "`"))]
		maxBytes -= len(fence) + 1
		maxLines--
	}
	if maxBytes <= 0 || maxLines <= 0 {
		return ""
	}
	end, n := 0, 0 // end of the last whole line that fits
	for n < maxLines {
		i := strings.IndexByte(b[end:], '\n')
		if i < 0 || end+i > maxBytes {
			break
		}
		end += i + 1
		n++
	}
	kept := strings.TrimSuffix(b[:end], "\n")
	if end == 0 {
		if fence != "" {
			return ""
		}
		// One long first line: cut at the last space that fits.
		line := b
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		if len(line) <= maxBytes {
			kept = line
		} else {
			cut := strings.LastIndexByte(line[:maxBytes+1], ' ')
			if cut <= 0 {
				cut = maxBytes
				for cut > 0 && !utf8.RuneStart(line[cut]) {
					cut--
				}
			}
			kept = strings.TrimRight(line[:cut], " ")
		}
	}
	kept = strings.TrimSuffix(kept, "\\") // a hard break with nothing after it
	if strings.Count(kept, imgMark)%2 == 1 {
		kept = kept[:strings.LastIndex(kept, imgMark)] // half an image placeholder
	}
	if fence != "" {
		if strings.TrimRight(kept, "`") == "" {
			return ""
		}
		kept += "\n" + fence
	}
	return kept
}

// refMarker matches a reference marker "[n]" in the body.
var refMarker = regexp.MustCompile(`\[(\d+)\]`)

// prune forgets the references and figures that only the cut part of the
// body used: references are numbered in order of first appearance, and
// figures are recorded in reading order.
func (c *converter) prune(body string) {
	keep := 0
	for _, m := range refMarker.FindAllStringSubmatchIndex(body, -1) {
		if m[0] > 0 && body[m[0]-1] == '\\' {
			continue // page text, escaped
		}
		if n, err := strconv.Atoi(body[m[2]:m[3]]); err == nil && n > keep && n <= len(c.refs.refs) {
			keep = n
		}
	}
	c.refs.truncate(keep)
	figs := 0
	for rest := body; ; {
		i := strings.Index(rest, imgMark)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i+1:], imgMark)
		if j < 0 {
			break
		}
		if k, err := strconv.Atoi(rest[i+1 : i+1+j]); err == nil && k+1 > figs && k < len(c.figures) {
			figs = k + 1
		}
		rest = rest[i+1+j+1:]
	}
	c.figures = c.figures[:figs]
}

// children converts the children of n into w.
func (c *converter) children(n *html.Node, w *blockWriter, depth int) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.node(ch, w, depth+1)
	}
}

// inlineOf renders the children of n into a separate writer and returns its
// inline text (trimmed) and whether white space surrounded it. Blocks that
// appear inside (a figure inside a link, say) go to w first.
func (c *converter) inlineOf(n *html.Node, w *blockWriter, depth int) (s string, lead, trail bool) {
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
	if attr(n, "aria-hidden") == "true" || hasAttr(n, "hidden") {
		return true
	}
	return false
}

// node converts one node: noise is dropped, figures become figure blocks,
// block elements start new blocks and inline elements add to the paragraph.
func (c *converter) node(n *html.Node, w *blockWriter, depth int) {
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
	if genericNoise(n) || (c.noise != nil && c.noise(n)) {
		return
	}
	if depth > maxDepth {
		c.flatDeep = true
		var b strings.Builder
		appendText(&b, n)
		w.inl.text(CleanText(b.String()))
		return
	}
	if n.Data == "img" && isInlineImage(n) {
		w.inl.text(CleanText(attr(n, "alt"))) // an emoji or icon reads as its alt text
		return
	}
	if (c.figure != nil && c.figure(n)) || n.Data == "figure" || n.Data == "picture" || n.Data == "img" {
		if c.figureBlock(n, w) {
			return
		}
		if n.Data == "img" || n.Data == "picture" {
			return
		}
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
		if c.quoteDepth >= maxQuoteDepth {
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

// printMarker matches a print view's in-text reference marker.
var printMarker = regexp.MustCompile(`\[(\d{1,4})\]`)

// textNode adds page text. In a print view, "[n]" markers that the footer
// list knows become references, renumbered in order of appearance.
func (c *converter) textNode(n *html.Node, w *blockWriter) {
	s := CleanText(n.Data)
	if c.printRefs == nil || !strings.Contains(s, "[") {
		w.inl.text(s)
		return
	}
	for {
		m := printMarker.FindStringSubmatchIndex(s)
		if m == nil {
			break
		}
		num, err := strconv.Atoi(s[m[2]:m[3]])
		u, ok := c.printRefs[num]
		if err != nil || !ok {
			w.inl.text(s[:m[1]])
			s = s[m[1]:]
			continue
		}
		before := s[:m[0]]
		w.inl.text(before)
		text := strings.TrimSpace(before)
		if p := n.Parent; p != nil && (p.Data == "b" || p.Data == "strong" || p.Data == "a") {
			text = strings.TrimSpace(printMarker.ReplaceAllString(textOf(p), ""))
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
func (c *converter) heading(n *html.Node, w *blockWriter, depth int) {
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
		if c.flatHeadings {
			prefix = "## "
			if n.Data == "h6" {
				prefix = "### "
			}
		}
	}
	w.add(prefix + s)
}

// emphasis wraps the inline content of n in mark ("**" or "*").
func (c *converter) emphasis(n *html.Node, w *blockWriter, depth int, mark string) {
	s, lead, trail := c.inlineOf(n, w, depth)
	if lead {
		w.inl.space()
	}
	switch {
	case s == "":
	case c.printRefs != nil && printMarker.MatchString(s):
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
func (c *converter) link(n *html.Node, w *blockWriter, depth int) {
	s, lead, trail := c.inlineOf(n, w, depth)
	if lead {
		w.inl.space()
	}
	w.inl.write(s)
	if s != "" && !(c.printRefs != nil && printMarker.MatchString(s)) {
		if u, ok := resolveRef(c.base, attr(n, "href")); ok {
			if num := c.refs.add(u, textOf(n), false); num > 0 {
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
func (c *converter) inlineCode(n *html.Node, w *blockWriter) {
	var b strings.Builder
	appendText(&b, n)
	s := strings.Join(strings.Fields(CleanText(b.String())), " ")
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
	for e := next(n, n, false); e != nil; {
		skip := false
		switch {
		case e.Type == html.TextNode:
			b.WriteString(e.Data)
		case isElem(e, "br"):
			b.WriteByte('\n')
		case e.Type == html.ElementNode && (e.Data == "script" || e.Data == "style"):
			skip = true
		}
		e = next(n, e, skip)
	}
	s := strings.TrimRight(strings.TrimLeft(CleanText(b.String()), "\n"), " \n\t")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + "\n" + s + "\n" + fence
}

// list writes an ordered or unordered list; items with several blocks make
// the list loose.
func (c *converter) list(n *html.Node, w *blockWriter, depth int) {
	w.flush()
	if c.listDepth >= maxListDepth {
		c.flatLists = true // its items become paragraphs of the deepest item
		c.children(n, w, depth)
		w.flush()
		return
	}
	c.listDepth++
	defer func() { c.listDepth-- }()
	ordered := n.Data == "ol"
	num := 1
	if v, err := strconv.Atoi(attr(n, "start")); err == nil && v >= 0 && v < 1e6 {
		num = v
	}
	var items []string
	loose := false
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode {
			continue
		}
		if genericNoise(li) || (c.noise != nil && c.noise(li)) {
			continue
		}
		sub := &blockWriter{}
		if li.Data == "li" {
			c.children(li, sub, depth+1)
		} else {
			c.node(li, sub, depth+1)
		}
		sub.flush()
		if len(sub.blocks) == 0 {
			continue
		}
		if len(sub.blocks) > 1 {
			loose = true
		}
		marker := "- "
		if ordered {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		body := strings.Join(sub.blocks, "\n\n")
		items = append(items, marker+prefixLines(body, strings.Repeat(" ", len(marker)), "")[len(marker):])
	}
	if len(items) == 0 {
		return
	}
	sep := "\n"
	if loose {
		sep = "\n\n"
	}
	w.add(strings.Join(items, sep))
}

// table writes a pipe table with the first row as its header; a one-column
// (layout) table becomes paragraphs.
func (c *converter) table(n *html.Node, w *blockWriter, depth int) {
	w.flush()
	var rows [][]string
	cols := 0
	for _, tr := range tableRows(n) {
		var row []string
		for cell := tr.FirstChild; cell != nil; cell = cell.NextSibling {
			if !isElem(cell, "td") && !isElem(cell, "th") {
				continue
			}
			sub := &blockWriter{}
			c.children(cell, sub, depth+1)
			sub.flush()
			s := strings.Join(sub.blocks, " ")
			s = strings.ReplaceAll(s, "\\\n", " ")
			s = strings.ReplaceAll(s, "\n", " ")
			row = append(row, s)
		}
		if len(row) > 0 {
			rows = append(rows, row)
			cols = max(cols, len(row))
		}
	}
	if len(rows) == 0 {
		return
	}
	if cols == 1 { // a layout table: its cells are paragraphs
		for _, r := range rows {
			if r[0] != "" {
				w.add(r[0])
			}
		}
		return
	}
	if cols > maxTableCols || c.cells+len(rows)*cols > maxTableCells {
		c.flatTables = true // too big for glamour: a paragraph per row
		for _, r := range rows {
			var kept []string
			for _, cell := range r {
				if cell != "" {
					kept = append(kept, cell)
				}
			}
			w.add(strings.Join(kept, " · "))
		}
		return
	}
	c.cells += len(rows) * cols
	var b strings.Builder
	for i, r := range rows {
		b.WriteString("|")
		for j := 0; j < cols; j++ {
			cell := ""
			if j < len(r) {
				cell = r[j]
			}
			b.WriteString(" " + cell + " |")
		}
		if i == 0 {
			b.WriteString("\n|")
			for j := 0; j < cols; j++ {
				b.WriteString(" --- |")
			}
		}
		if i < len(rows)-1 {
			b.WriteByte('\n')
		}
	}
	w.add(b.String())
}

// tableRows returns the rows of table t, in its body sections or directly
// below it; rows of nested tables are theirs. It looks at two levels only,
// so nested tables cost no repeated walks.
func tableRows(t *html.Node) []*html.Node {
	var rows []*html.Node
	for ch := t.FirstChild; ch != nil; ch = ch.NextSibling {
		switch {
		case isElem(ch, "tr"):
			rows = append(rows, ch)
		case isElem(ch, "thead") || isElem(ch, "tbody") || isElem(ch, "tfoot"):
			for tr := ch.FirstChild; tr != nil; tr = tr.NextSibling {
				if isElem(tr, "tr") {
					rows = append(rows, tr)
				}
			}
		}
	}
	return rows
}

// figureBlock renders a figure as its own block and records it; it reports
// false when n holds no usable image.
func (c *converter) figureBlock(n *html.Node, w *blockWriter) bool {
	f, ok := figureOf(c.base, n, c.original)
	if !ok {
		return false
	}
	k := len(c.figures)
	c.figures = append(c.figures, f)
	lab := c.lab
	if lab.image == "" {
		lab = germanLabels()
	}
	w.add(figureMarkdown(f, imgMark+strconv.Itoa(k)+imgMark, lab))
	return true
}

// isInlineImage reports whether an <img> is part of the text rather than a
// figure: an emoji, an icon, or an image declared at most 64 pixels large
// (tracking pixels included).
func isInlineImage(n *html.Node) bool {
	if hasClassPrefix(n, "emoji") || hasClassPrefix(n, "icon") || hasClass(n, "wp-smiley") {
		return true
	}
	w, errW := strconv.Atoi(strings.TrimSuffix(attr(n, "width"), "px"))
	h, errH := strconv.Atoi(strings.TrimSuffix(attr(n, "height"), "px"))
	return errW == nil && errH == nil && w <= 64 && h <= 64
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

// fillImageRefs numbers the images after all body links (the hero first,
// then inline figures in reading order) and puts their numbers into body.
func (c *converter) fillImageRefs(hero *Figure, body string) string {
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
func imageRefText(f Figure) string {
	if f.Caption != "" {
		return f.Caption
	}
	return f.Alt
}
