package fetch

import (
	"strings"

	"golang.org/x/net/html"
)

// This file holds small helpers over golang.org/x/net/html trees. The
// extractor parses a page once and answers every question with these walks,
// which are cheap next to parsing and avoid compiling CSS selectors.

// attr returns the value of the attribute key of n, or "".
func attr(n *html.Node, key string) string {
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

// hasAttr reports whether n has the attribute key.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// isElem reports whether n is an element with the given tag name.
func isElem(n *html.Node, tag string) bool {
	return n != nil && n.Type == html.ElementNode && n.Data == tag
}

// hasClass reports whether the class attribute of n holds the class c.
func hasClass(n *html.Node, c string) bool {
	if n == nil || n.Type != html.ElementNode || c == "" {
		return false
	}
	cl := attr(n, "class")
	for cl != "" {
		i := strings.Index(cl, c)
		if i < 0 {
			return false
		}
		end := i + len(c)
		if (i == 0 || isHTMLSpace(cl[i-1])) && (end == len(cl) || isHTMLSpace(cl[end])) {
			return true
		}
		cl = cl[end:]
	}
	return false
}

// hasClassPrefix reports whether n has a class that starts with prefix.
func hasClassPrefix(n *html.Node, prefix string) bool {
	if n == nil || n.Type != html.ElementNode {
		return false
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}

// isHTMLSpace reports whether c is white space in HTML.
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// find returns the first element below root (root excluded) in document
// order for which match is true, or nil. The walk is iterative, so deeply
// nested hostile markup cannot exhaust the stack.
func find(root *html.Node, match func(*html.Node) bool) *html.Node {
	if root == nil {
		return nil
	}
	for n := next(root, root, false); n != nil; n = next(root, n, false) {
		if n.Type == html.ElementNode && match(n) {
			return n
		}
	}
	return nil
}

// findAll returns every element below root matching match, in document order.
// Elements inside a match are searched too.
func findAll(root *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if root == nil {
		return nil
	}
	for n := next(root, root, false); n != nil; n = next(root, n, false) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
	}
	return out
}

// next returns the node after n in a pre-order walk of root's subtree,
// skipping n's children when skipChildren is set; nil at the end.
func next(root, n *html.Node, skipChildren bool) *html.Node {
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

// byClass matches elements with the class c.
func byClass(c string) func(*html.Node) bool {
	return func(n *html.Node) bool { return hasClass(n, c) }
}

// byTag matches elements with the tag name.
func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

// textOf returns the text content of n (scripts and styles excluded) with
// white space folded and the result cleaned, as CleanLine does.
func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	appendText(&b, n)
	return CleanLine(b.String())
}

// appendText appends the raw text below n to b, iteratively.
func appendText(b *strings.Builder, root *html.Node) {
	if root.Type == html.TextNode {
		b.WriteString(root.Data)
		return
	}
	for n := next(root, root, false); n != nil; {
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
		n = next(root, n, skip)
	}
}

// ancestor returns the nearest ancestor of n (n excluded) matching match, or nil.
func ancestor(n *html.Node, match func(*html.Node) bool) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && match(p) {
			return p
		}
	}
	return nil
}

// metaContent returns the content of the first <meta> whose name or property
// equals key (case-insensitive), or "".
func metaContent(metas []*html.Node, key string) string {
	for _, m := range metas {
		if strings.EqualFold(attr(m, "name"), key) || strings.EqualFold(attr(m, "property"), key) {
			return attr(m, "content")
		}
	}
	return ""
}
