package dom

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxNesting is the deepest element nesting any code after html.Parse sees.
// Real pages nest 20 to 60 elements deep, rarely more than 150;
// golang.org/x/net/html rejects a page whose open elements exceed 512, and
// the recursive code after it (readability, the Markdown converter) must
// not meet hostile depth at all. Deeper markup is dropped, its text kept:
// CapNesting before parsing, and FlattenDeep on the parsed tree, which
// makes the bound exact.
const MaxNesting = 160

// NestingNotice says that markup was dropped for depth.
const NestingNotice = "kiosk dropped HTML markup nested deeper than 160 elements or reopened too often; its text is kept."

// voidElements have no end tag and so never nest.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true, "input": true,
	"link": true, "meta": true, "source": true, "track": true, "wbr": true, "param": true, "keygen": true,
	"basefont": true, "bgsound": true, "frame": true, "image": true,
}

// formattingElements are reopened by the parser after a block closes them
// (the "list of active formatting elements"), so they count as open until
// their own end tag.
var formattingElements = map[string]bool{
	"a": true, "b": true, "big": true, "code": true, "em": true, "font": true, "i": true, "nobr": true,
	"s": true, "small": true, "strike": true, "strong": true, "tt": true, "u": true,
}

// blockBreaks are the elements whose dropped tags become a <br>, so that
// the paragraphs of dropped markup do not run together.
var blockBreaks = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "dd": true, "details": true, "div": true,
	"dl": true, "dt": true, "fieldset": true, "figcaption": true, "figure": true, "footer": true, "h1": true,
	"h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "header": true, "li": true, "main": true,
	"ol": true, "p": true, "pre": true, "section": true, "summary": true, "table": true, "td": true, "th": true,
	"tr": true, "ul": true, "center": true,
}

// closesP are the start tags that end an open <p>.
var closesP = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "center": true, "details": true,
	"dialog": true, "dir": true, "div": true, "dl": true, "fieldset": true, "figcaption": true, "figure": true,
	"footer": true, "form": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "hgroup": true, "hr": true, "main": true, "menu": true, "nav": true, "ol": true, "p": true,
	"pre": true, "section": true, "summary": true, "table": true, "ul": true, "li": true, "dd": true, "dt": true,
}

// MaxReopens bounds the elements the parser may clone when it reopens
// formatting elements. After a block closes an unclosed <b> (say), the
// parser reopens it before the Next text or inline tag: 150 open <b id=N>
// before 200,000 short paragraphs make 30 million nodes and 5 GB. A sloppy
// real page (an unclosed <font> per paragraph) reopens a few thousand.
const MaxReopens = 20_000

// CapNesting rewrites page so that the parser neither nests elements deeper
// than limit nor reopens formatting elements more than MaxReopens times: a
// cheap tokenizer pass that follows the parser's nesting closely enough
// (void elements, optional end tags, reopened formatting elements). Start
// tags beyond limit are dropped together with their end tags (dropped block
// tags become a <br>, so paragraphs stay apart), and once the reopen budget
// is spent the formatting elements waiting to be reopened are closed. Text
// is always kept. It returns page itself, and false, when it changed
// nothing, which is the case for ordinary pages. The parse that follows is
// the judge: CapNesting only has to keep hostile pages small.
func CapNesting(page []byte, limit int) ([]byte, bool) {
	z := html.NewTokenizer(bytes.NewReader(page))
	var out bytes.Buffer
	var stack []string
	var reopened []string       // formatting elements a block closed; the parser reopens them
	dropped := map[string]int{} // dropped start tags still waiting for their end tag
	clones, breaks := 0, 0
	off, end := 0, 0 // where the current token starts and ends in page
	cut := false
	start := func() {
		if !cut {
			cut = true
			out.Grow(len(page))
			out.Write(page[:off]) // what was passed through so far
		}
	}
	write := func(b []byte) {
		if cut {
			out.Write(b)
		}
	}
	brk := func() { // a <br> for a dropped block tag; two in a row at most
		if breaks < 2 {
			out.WriteString("<br>")
			breaks++
		}
	}
	open := map[string]int{} // how many of each tag the stack holds
	push := func(tags ...string) {
		for _, t := range tags {
			open[t]++
		}
		stack = append(stack, tags...)
	}
	popTo := func(i int) { // close stack[i:]; formatting elements above i get reopened
		for j, t := range stack[i:] {
			open[t]--
			if j > 0 && formattingElements[t] {
				reopened = append(reopened, t)
			}
		}
		stack = stack[:i]
	}
	reconstruct := func() {
		if len(reopened) == 0 {
			return
		}
		if clones+len(reopened) > MaxReopens {
			start()
			for i := len(reopened) - 1; i >= 0; i-- {
				out.WriteString("</" + reopened[i] + ">")
			}
			reopened = reopened[:0]
			return
		}
		clones += len(reopened)
		push(reopened...)
		reopened = reopened[:0]
	}
	lookup := func(name string, stop ...string) int {
		if open[name] == 0 {
			return -1
		}
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i] == name {
				return i
			}
			for _, s := range stop {
				if stack[i] == s {
					return -1
				}
			}
		}
		return -1
	}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break // io.EOF; the tokenizer reads from memory
		}
		raw := z.Raw()
		off, end = end, end+len(raw)
		switch tt {
		case html.TextToken:
			reconstruct()
		case html.StartTagToken:
			name, _ := z.TagName()
			tag := tokenTag(name)
			if voidElements[tag] {
				if !blockBreaks[tag] && tag != "hr" {
					reconstruct()
				}
				break
			}
			switch {
			case tag == "li":
				if i := lookup("li", "ul", "ol", "menu", "table"); i >= 0 {
					popTo(i)
				}
			case tag == "dd" || tag == "dt":
				if i := lookup("dd", "dl", "table"); i >= 0 {
					popTo(i)
				} else if i := lookup("dt", "dl", "table"); i >= 0 {
					popTo(i)
				}
			case tag == "tr":
				if i := lookup("tr", "table"); i >= 0 {
					popTo(i)
				}
			case tag == "td" || tag == "th":
				if i := lookup("td", "tr", "table"); i >= 0 {
					popTo(i)
				} else if i := lookup("th", "tr", "table"); i >= 0 {
					popTo(i)
				}
			case tag == "option":
				if len(stack) > 0 && stack[len(stack)-1] == "option" {
					popTo(len(stack) - 1)
				}
			}
			if closesP[tag] {
				if i := lookup("p", "table", "td", "th", "button", "caption", "object", "marquee", "applet"); i >= 0 {
					popTo(i)
				}
			} else if !blockBreaks[tag] {
				reconstruct()
			}
			if len(stack)+len(reopened) >= limit {
				start()
				dropped[tag]++
				if blockBreaks[tag] {
					brk()
				}
				continue
			}
			push(tag)
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := tokenTag(name)
			switch i := lookup(tag); {
			case dropped[tag] > 0:
				dropped[tag]--
				if blockBreaks[tag] {
					brk()
				}
				continue
			case i >= 0:
				popTo(i)
			default:
				for j := len(reopened) - 1; j >= 0; j-- {
					if reopened[j] == tag {
						reopened = append(reopened[:j], reopened[j+1:]...)
						break
					}
				}
			}
		}
		breaks = 0
		write(raw)
	}
	if !cut {
		return page, false
	}
	return out.Bytes(), true
}

// tokenTag returns a tag name as a string, without allocating for the
// names HTML knows.
func tokenTag(name []byte) string {
	if a := atom.Lookup(name); a != 0 {
		return a.String()
	}
	return string(name)
}

// FlattenDeep makes sure no element of doc lies deeper than limit: the
// subtree below an element at depth limit is replaced by its text and
// leaf elements (images, line breaks), with a <br> where a block began or
// ended. It reports whether it changed anything. The walk is iterative.
func FlattenDeep(doc *html.Node, limit int) bool {
	changed := false
	depth := 0
	for n := doc; n != nil; {
		if n.Type == html.ElementNode && depth >= limit && hasGrandchild(n) {
			flattenChildren(n)
			changed = true
		}
		// Advance in pre-order, tracking the depth.
		if n.FirstChild != nil {
			n = n.FirstChild
			depth++
			continue
		}
		for n != nil && n != doc && n.NextSibling == nil {
			n = n.Parent
			depth--
		}
		if n == nil || n == doc {
			break
		}
		n = n.NextSibling
	}
	return changed
}

// hasGrandchild reports whether a child of n has children: whether
// anything below n lies deeper than its children.
func hasGrandchild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.FirstChild != nil {
			return true
		}
	}
	return false
}

// flattenChildren replaces the descendants of root by a flat list: text
// nodes and childless elements (img, br) in document order, and a <br>
// where a block starts or ends.
func flattenChildren(root *html.Node) {
	var flat []*html.Node
	br := func() { flat = append(flat, &html.Node{Type: html.ElementNode, Data: "br", DataAtom: atom.Br}) }
	for n := root.FirstChild; n != nil; {
		descend := false
		switch n.Type {
		case html.TextNode:
			flat = append(flat, &html.Node{Type: html.TextNode, Data: n.Data})
		case html.ElementNode:
			switch {
			case n.Data == "script" || n.Data == "style" || n.Data == "template":
			case n.FirstChild == nil:
				flat = append(flat, &html.Node{Type: html.ElementNode, Data: n.Data, DataAtom: n.DataAtom, Namespace: n.Namespace, Attr: n.Attr})
			default:
				if blockBreaks[n.Data] {
					br()
				}
				descend = true
			}
		}
		if descend {
			n = n.FirstChild
			continue
		}
		// Leave n, and every Ancestor whose last child it was.
		for n != root {
			if n.FirstChild != nil && n.Type == html.ElementNode && blockBreaks[n.Data] {
				br()
			}
			if n.NextSibling != nil {
				n = n.NextSibling
				break
			}
			n = n.Parent
		}
		if n == root {
			break
		}
	}
	for c := root.FirstChild; c != nil; c = root.FirstChild {
		root.RemoveChild(c)
	}
	for _, c := range flat {
		root.AppendChild(c)
	}
}
