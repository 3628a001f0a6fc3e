package extract

import (
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// Readability takes the best-scoring container and its like siblings. A
// page that splits one article over several sibling modules (a video
// player between them, one module per subheading) loses all but one of
// them: WDR's pages kept only their second half. completeArticle puts
// back the paragraphs of the page's <article> element that readability
// left out, in page order, when they are many: the <article> element
// says they belong to the story.

// storyParagraphs returns the <article> element around the headline and
// its paragraphs of article length, in page order, outside figures,
// asides, navigation, forms and furniture. It must run before readability.
func storyParagraphs(p *page) []*html.Node {
	h := headline(p)
	if h == nil {
		return nil
	}
	scope := dom.Ancestor(h, dom.ByTag("article"))
	if scope == nil {
		return nil
	}
	var paras []*html.Node
	for n := dom.Next(scope, scope, false); n != nil; {
		skip := false
		if n.Type == html.ElementNode {
			switch {
			case skipForLead(n) || n.Data == "figure" || n.Data == "blockquote" || n.Data == "table" || n.Data == "li" || isHidden(n):
				skip = true
			case n.Data == "p":
				if textLen(n) >= 80 {
					paras = append(paras, n)
				}
				skip = true
			}
		}
		n = dom.Next(scope, n, skip)
	}
	return paras
}

// shape describes how a paragraph is made: its class and its container's
// tag and class.
func shape(n *html.Node) string {
	s := dom.Attr(n, "class")
	if n.Parent != nil {
		s += "|" + n.Parent.Data + "." + dom.Attr(n.Parent, "class")
	}
	return s
}

// isHidden reports an element the page hides: the hidden attribute,
// aria-hidden, or an inline display:none or visibility:hidden.
func isHidden(n *html.Node) bool {
	if dom.HasAttr(n, "hidden") || dom.Attr(n, "aria-hidden") == "true" {
		return true
	}
	st := strings.ReplaceAll(strings.ToLower(dom.Attr(n, "style")), " ", "")
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}

// completeArticle moves the story's paragraphs that readability left out
// (and the subheading and figures right before each) into root, before the kept
// paragraph that follows them on the page, or at the end. It acts only
// when readability kept some of them and left out at least two holding a
// quarter of their text. It must run before the cleaning pass, which
// changes the kept paragraphs' text.
func completeArticle(root *html.Node, paras []*html.Node) {
	if len(paras) < 2 {
		return // nothing that could be missing twice
	}
	// readability's article is a copy: its paragraphs are found by text.
	keptAt := map[string]*html.Node{}
	for _, n := range dom.FindAll(root, dom.ByTag("p")) {
		if t, ok := boundedText(n, 5000); ok {
			keptAt[t] = n
		}
	}
	texts := make([]string, len(paras))
	in := make([]bool, len(paras))
	kept, missing, keptLen, missingLen := 0, 0, 0, 0
	for i, n := range paras {
		t, ok := boundedText(n, 5000)
		if !ok {
			continue
		}
		texts[i] = t
		if keptAt[t] != nil {
			in[i] = true
			kept++
			keptLen += len(t)
		} else {
			missing++
			missingLen += len(t)
		}
	}
	if kept == 0 || missing < 2 || missingLen*4 < keptLen {
		return
	}
	// Only paragraphs made like the kept ones (the same class, in the same
	// kind of container) are the story's; the rest was left out for a
	// reason.
	shapes := map[string]bool{}
	for i, n := range paras {
		if in[i] {
			shapes[shape(n)] = true
		}
	}
	for i, n := range paras {
		if in[i] || texts[i] == "" || n.Parent == nil || !shapes[shape(n)] {
			continue
		}
		// The next kept paragraph, as a child of root, is where n goes.
		var before *html.Node
		for j := i + 1; j < len(paras); j++ {
			if in[j] {
				if before = keptAt[texts[j]]; before != nil {
					for before.Parent != nil && before.Parent != root {
						before = before.Parent
					}
				}
				break
			}
		}
		// The subheading and the figures right before it come along.
		move := []*html.Node{n}
		for h, k := prevElement(n), 0; h != nil && k < 3 && (h.Data == "h2" || h.Data == "h3" || h.Data == "h4" || h.Data == "figure"); h, k = prevElement(h), k+1 {
			move = append([]*html.Node{h}, move...)
		}
		for _, m := range move {
			m.Parent.RemoveChild(m)
			if before != nil && before.Parent == root {
				root.InsertBefore(m, before)
			} else {
				root.AppendChild(m)
			}
		}
	}
}
