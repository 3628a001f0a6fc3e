package markdown

import (
	"strconv"
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// list writes an ordered or unordered list; items with several blocks make
// the list loose.
func (c *Converter) list(n *html.Node, w *blockWriter, depth int) {
	w.flush()
	if c.listDepth >= MaxListDepth {
		c.flatLists = true // its items become paragraphs of the deepest item
		c.children(n, w, depth)
		w.flush()
		return
	}
	if dom.Find(n, func(e *html.Node) bool { return e != n && e.Data == "li" }) == nil {
		// A list without items is an indent on old pages ("<ul> (Really
		// my goal …) </ul>"): its text is paragraphs.
		c.children(n, w, depth)
		w.flush()
		return
	}
	c.listDepth++
	defer func() { c.listDepth-- }()
	ordered := n.Data == "ol"
	num := 1
	if v, err := strconv.Atoi(dom.Attr(n, "start")); err == nil && v >= 0 && v < 1e6 {
		num = v
	}
	var items []string
	loose := false
	run := &blockWriter{} // text and inline markup between the items
	addItem := func(sub *blockWriter) {
		sub.flush()
		if len(sub.blocks) == 0 {
			return
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
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type == html.TextNode || (li.Type == html.ElementNode && inlineTags[li.Data]) {
			// Text outside the <li>s, with its inline markup, is an
			// item of its own rather than lost.
			c.node(li, run, depth+1)
			continue
		}
		if li.Type != html.ElementNode || genericNoise(li) || (c.Noise != nil && c.Noise(li)) {
			continue
		}
		addItem(run)
		run = &blockWriter{}
		sub := &blockWriter{}
		if li.Data == "li" {
			c.children(li, sub, depth+1)
		} else {
			c.node(li, sub, depth+1)
		}
		addItem(sub)
	}
	addItem(run)
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
func (c *Converter) table(n *html.Node, w *blockWriter, depth int) {
	w.flush()
	var rows [][]string
	cols := 0
	for _, tr := range tableRows(n) {
		var row []string
		for cell := tr.FirstChild; cell != nil; cell = cell.NextSibling {
			if !dom.IsElem(cell, "td") && !dom.IsElem(cell, "th") {
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
	if cols > MaxTableCols || c.cells+len(rows)*cols > MaxTableCells {
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
		case dom.IsElem(ch, "tr"):
			rows = append(rows, ch)
		case dom.IsElem(ch, "thead") || dom.IsElem(ch, "tbody") || dom.IsElem(ch, "tfoot"):
			for tr := ch.FirstChild; tr != nil; tr = tr.NextSibling {
				if dom.IsElem(tr, "tr") {
					rows = append(rows, tr)
				}
			}
		}
	}
	return rows
}

// inlineTags are the elements that continue a line of text.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true, "data": true, "dfn": true,
	"em": true, "font": true, "i": true, "kbd": true, "mark": true, "nobr": true, "q": true, "s": true, "samp": true,
	"small": true, "span": true, "strike": true, "strong": true, "sub": true, "sup": true, "time": true, "tt": true,
	"u": true, "var": true, "wbr": true, "br": true,
}
