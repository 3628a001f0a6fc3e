// Package dom holds the small helpers over golang.org/x/net/html trees that
// extraction and the Markdown conversion share, and the bounds on element
// nesting that keep hostile markup away from recursive code. The extractor
// parses a page once and answers every question with these walks, which are
// cheap next to parsing and avoid compiling CSS selectors.
package dom

import (
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"golang.org/x/net/html"
)

// Attr returns the value of the attribute key of n, or "".
func Attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

// HasAttr reports whether n has the attribute key.
func HasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// IsElem reports whether n is an element with the given tag name.
func IsElem(n *html.Node, tag string) bool {
	return n != nil && n.Type == html.ElementNode && n.Data == tag
}

// HasClass reports whether the class attribute of n holds the class c.
func HasClass(n *html.Node, c string) bool {
	if n == nil || n.Type != html.ElementNode || c == "" {
		return false
	}
	cl := Attr(n, "class")
	for cl != "" {
		i := strings.Index(cl, c)
		if i < 0 {
			return false
		}
		end := i + len(c)
		if (i == 0 || IsHTMLSpace(cl[i-1])) && (end == len(cl) || IsHTMLSpace(cl[end])) {
			return true
		}
		cl = cl[end:]
	}
	return false
}

// HasClassPrefix reports whether n has a class that starts with prefix.
func HasClassPrefix(n *html.Node, prefix string) bool {
	if n == nil || n.Type != html.ElementNode {
		return false
	}
	for _, c := range strings.Fields(Attr(n, "class")) {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}

// IsHTMLSpace reports whether c is white space in HTML.
func IsHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// Find returns the first element below root (root excluded) in document
// order for which match is true, or nil. The walk is iterative, so deeply
// nested hostile markup cannot exhaust the stack.
func Find(root *html.Node, match func(*html.Node) bool) *html.Node {
	if root == nil {
		return nil
	}
	for n := Next(root, root, false); n != nil; n = Next(root, n, false) {
		if n.Type == html.ElementNode && match(n) {
			return n
		}
	}
	return nil
}

// FindAll returns every element below root matching match, in document order.
// Elements inside a match are searched too.
func FindAll(root *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if root == nil {
		return nil
	}
	for n := Next(root, root, false); n != nil; n = Next(root, n, false) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
	}
	return out
}

// Next returns the node after n in a pre-order walk of root's subtree,
// skipping n's children when skipChildren is set; nil at the end.
func Next(root, n *html.Node, skipChildren bool) *html.Node {
	if !skipChildren && n.FirstChild != nil {
		return n.FirstChild
	}
	for n != nil && n != root {
		if n.NextSibling != nil {
			return n.NextSibling
		}
		n = n.Parent
	}
	return nil
}

// ByClass matches elements with the class c.
func ByClass(c string) func(*html.Node) bool {
	return func(n *html.Node) bool { return HasClass(n, c) }
}

// ByTag matches elements with the tag name.
func ByTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

// TextOf returns the text content of n (scripts and styles excluded) with
// white space folded and the result cleaned, as CleanLine does.
func TextOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	AppendText(&b, n)
	return article.CleanLine(b.String())
}

// AppendText appends the raw text below n to b, iteratively.
func AppendText(b *strings.Builder, root *html.Node) {
	if root.Type == html.TextNode {
		b.WriteString(root.Data)
		return
	}
	for n := Next(root, root, false); n != nil; {
		skip := false
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "template", "svg":
				skip = true
			case "br", "p", "div", "li":
				b.WriteByte(' ')
			}
		}
		n = Next(root, n, skip)
	}
}

// Ancestor returns the nearest ancestor of n (n excluded) matching match, or nil.
func Ancestor(n *html.Node, match func(*html.Node) bool) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && match(p) {
			return p
		}
	}
	return nil
}

// MetaContent returns the content of the first <meta> whose name or property
// equals key (case-insensitive), or "".
func MetaContent(metas []*html.Node, key string) string {
	for _, m := range metas {
		if strings.EqualFold(Attr(m, "name"), key) || strings.EqualFold(Attr(m, "property"), key) {
			return Attr(m, "content")
		}
	}
	return ""
}
