package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Figures of pages without a site rule. Sites write a picture with its
// caption and credit in many ways: a <figure> with a <figcaption>, a
// <picture> followed by a caption block of its own, a container whose
// class names a picture; the credit in a <footer>, a <small>, an author
// span, a data attribute or the image's title; a lazy image only inside
// <noscript>. readability loses many of them on its way: it removes
// <footer>, <aside> and <noscript>, and containers whose lightbox links
// make them look like link lists. normalizeFigures therefore rewrites
// every picture of the page that has one image into one plain form
// before readability runs,
//
//	<figure><img src alt><figcaption>caption <span class="credit">credit</span></figcaption></figure>
//
// which readability keeps and markdown.FigureOf reads back as it was
// read here.

// maxFigureText is the most text a figure may hold; more is an article
// part that happens to have a picture (a teaser, a box), not a caption.
const maxFigureText = 1000

// maxCaptionBlock is the most text of a caption block beside a picture.
const maxCaptionBlock = 400

// normalizeFigures rewrites the pictures of the page in the plain form
// above. A picture inside a link to another page (a teaser), in a gallery,
// or an author's portrait is left as it is; so is a figure with several
// images or with headings, lists, tables or quotes.
func normalizeFigures(p *page) {
	type job struct {
		box, block *html.Node
		f          article.Figure
	}
	var jobs []job
	for n := dom.Next(p.doc, p.doc, false); n != nil; {
		skip := false
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "template", "svg", "head", "nav", "form", "button", "iframe", "noscript":
				skip = true
			default:
				if n.Data == "figure" || isFigureLike(n) || isBarePicture(n) {
					skip = true
					if f, box, block, ok := figureAt(p, n); ok {
						jobs = append(jobs, job{box, block, f})
					}
				}
			}
		}
		n = dom.Next(p.doc, n, skip)
	}
	for _, j := range jobs {
		if j.box.Parent == nil {
			continue
		}
		fig := figureNode(j.f, imageOf(j.box))
		j.box.Parent.InsertBefore(fig, j.box)
		j.box.Parent.RemoveChild(j.box)
		if j.block != nil && j.block.Parent != nil {
			j.block.Parent.RemoveChild(j.block)
		}
	}
}

// figureAt reads the picture at n with its caption and credit: those of
// its own markup, else those of a caption block beside it. box is the
// node the picture's markup ends at (n, or a wrapper that holds nothing
// else) and block the caption block, or nil. ok is false for what is no
// picture of the article.
func figureAt(p *page, n *html.Node) (f article.Figure, box, block *html.Node, ok bool) {
	if images(n) != 1 || inGallery(n) || linkedAway(n) {
		return f, nil, nil, false
	}
	if n.Data != "img" && n.Data != "picture" && (textLen(n) > maxFigureText || dom.Find(n, isStructuralOutsideCaption) != nil) {
		return f, nil, nil, false
	}
	f, ok = markdown.FigureOf(p.base, n, false)
	if !ok || isBylinePicture(n, f) {
		return f, nil, nil, false
	}
	box = n
	if fc := markdown.SiblingCaption(n); fc != nil {
		return f, n, fc, true // FigureOf read it already
	}
	if f.Credit == "" || f.Caption == "" {
		if b, blk := captionBlock(n, f); blk != nil {
			box, block = b, blk
			caption, credit := markdown.CaptionOf(blk)
			own := n.Data == "figure" && dom.Find(n, dom.ByTag("figcaption")) != nil
			if caption != "" && (f.Caption == "" || !own || derivedCaption(n, f.Caption)) {
				f.Caption = caption
			}
			if f.Credit == "" {
				f.Credit = credit
			}
		}
	}
	if block == nil && (n.Data == "img" || n.Data == "picture") && !noscriptOnly(n) {
		// A bare picture without a caption: readability keeps it, and
		// its alt text is all there is to show.
		return f, nil, nil, false
	}
	return f, box, block, true
}

// derivedCaption reports whether a caption was only read from the image's
// alt or title attribute.
func derivedCaption(n *html.Node, caption string) bool {
	img := imageOf(n)
	return img != nil && (strings.EqualFold(caption, article.CleanLine(dom.Attr(img, "title"))) || strings.EqualFold(caption, article.CleanLine(dom.Attr(img, "alt"))))
}

// isStructural matches what a caption never holds.
func isStructural(e *html.Node) bool {
	switch e.Data {
	case "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "form", "video", "audio", "iframe":
		return true
	}
	return false
}

// isStructuralOutsideCaption matches what a caption never holds, outside
// a <figcaption> (which may set the caption in a heading).
func isStructuralOutsideCaption(e *html.Node) bool {
	return isStructural(e) && dom.Ancestor(e, dom.ByTag("figcaption")) == nil
}

// images counts the pictures below n (n included): <img> and the custom
// image elements of site frameworks, not icons; the copies in <noscript>
// count only when there is no other.
func images(n *html.Node) int {
	count, inNoscript := 0, 0
	for e := n; e != nil; e = dom.Next(n, e, false) {
		if e.Type != html.ElementNode || !isImageElement(e) {
			continue
		}
		if dom.Ancestor(e, dom.ByTag("noscript")) != nil {
			inNoscript++
		} else {
			count++
		}
	}
	if count == 0 {
		return inNoscript
	}
	return count
}

// isImageElement reports an <img> or a framework's image element with a
// source (<amp-img src>, <storefront-image src>) that is no icon.
func isImageElement(e *html.Node) bool {
	if e.Data != "img" && !((strings.HasSuffix(e.Data, "-img") || strings.HasSuffix(e.Data, "-image")) && dom.HasAttr(e, "src")) {
		return false
	}
	return !isIcon(e)
}

// isIcon reports an image of at most 64 pixels in both directions, or
// one whose class says it is an icon or emoji.
func isIcon(e *html.Node) bool {
	if classHas(e, "icon", "emoji", "smiley") {
		return true
	}
	w, h := dom.Attr(e, "width"), dom.Attr(e, "height")
	return w != "" && h != "" && smallSize(w) && smallSize(h)
}

// smallSize reports a size attribute of at most 64 pixels.
func smallSize(v string) bool {
	v = strings.TrimSuffix(strings.TrimSpace(v), "px")
	if v == "" || len(v) > 2 {
		return false
	}
	for i := range len(v) {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return len(v) == 1 || v <= "64"
}

// imageOf returns the picture's <img> (or image element), preferring one
// outside <noscript>; nil when there is none.
func imageOf(n *html.Node) *html.Node {
	var fallback *html.Node
	for e := n; e != nil; e = dom.Next(n, e, false) {
		if e.Type != html.ElementNode || !isImageElement(e) {
			continue
		}
		if dom.Ancestor(e, dom.ByTag("noscript")) == nil {
			return e
		}
		if fallback == nil {
			fallback = e
		}
	}
	return fallback
}

// noscriptOnly reports a picture whose only image is inside <noscript>,
// which readability removes.
func noscriptOnly(n *html.Node) bool {
	img := imageOf(n)
	return img != nil && dom.Ancestor(img, dom.ByTag("noscript")) != nil
}

// linkedAway reports a picture inside a link to another page: a teaser.
func linkedAway(n *html.Node) bool {
	a := n
	if n.Data != "a" {
		a = dom.Ancestor(n, dom.ByTag("a"))
	}
	if a == nil {
		return false
	}
	h := dom.Attr(a, "href")
	return h != "" && !strings.HasPrefix(h, "#") && !imageLink(h)
}

// captionBlock finds the caption block a site writes after a picture
// instead of a <figcaption>: the next element after the picture, or after
// the wrappers around it that hold nothing else, that is short, holds no
// picture or structure, and says it is a caption (by its class words, by
// a credit element or label, or by repeating the image's alt text). box
// is the picture or its outermost such wrapper.
func captionBlock(n *html.Node, f article.Figure) (box, block *html.Node) {
	box = n
	own := visibleTextLen(n, -1)
	for range 4 {
		if sib := nextSubstantial(box); sib != nil && isCaptionBlock(sib, n, f) {
			if !captionClass(sib) {
				// A block around the caption that says nothing itself
				// may hold more (the lead paragraph under the picture):
				// the caption is the part whose class says so.
				if inner := dom.Find(sib, captionClass); inner != nil {
					return box, inner
				}
			}
			return box, sib
		}
		par := box.Parent
		if par == nil || par.Type != html.ElementNode {
			break
		}
		switch par.Data {
		case "body", "main", "article", "section", "figure", "p", "li", "td", "a":
			return n, nil
		}
		if boundedImages(par, maxWrapperNodes) != 1 || visibleTextLen(par, own) > own {
			break // the wrapper holds more than the picture
		}
		box = par
	}
	return n, nil
}

// maxWrapperNodes bounds the look into a wrapper around a picture: one
// that large holds more than the picture, and a page of thousands of
// pictures must not cost the square of their number.
const maxWrapperNodes = 500

// boundedImages is images, or -1 when n has more than limit nodes.
func boundedImages(n *html.Node, limit int) int {
	k := 0
	for e := n; e != nil; e = dom.Next(n, e, false) {
		if k++; k > limit {
			return -1
		}
	}
	return images(n)
}

// nextSubstantial returns the element after n, passing over those that
// show nothing (buttons, icons, empty spacers); nil at text or the end.
func nextSubstantial(n *html.Node) *html.Node {
	for e := nextElement(n); e != nil; e = nextElement(e) {
		switch {
		case e.Data == "script" || e.Data == "style" || e.Data == "template":
		case visibleTextLen(e, 0) > 0 || dom.Find(e, isImageElement) != nil:
			return e
		}
	}
	return nil
}

// isCaptionBlock reports whether e, the element after the picture n, is
// its caption.
func isCaptionBlock(e, n *html.Node, f article.Figure) bool {
	if e.Data == "figcaption" {
		return true
	}
	if e.Data == "script" || e.Data == "style" || e.Data == "noscript" {
		return false
	}
	t, ok := boundedText(e, maxCaptionBlock)
	if !ok || t == "" || e.Data == "a" || linkText(e)*2 > len(t) {
		return false // a teaser's link to another article says what its picture shows too
	}
	if dom.Find(e, func(x *html.Node) bool {
		return isStructural(x) || x.Data == "img" || x.Data == "picture" || x.Data == "figure"
	}) != nil {
		return false
	}
	if repeatsAlt(t, n) {
		return true // also when the page hides it behind a button
	}
	if isHidden(e) {
		return false
	}
	if dom.Find(e, func(x *html.Node) bool { return x.Type == html.ElementNode && captionClass(x) }) != nil || captionClass(e) {
		return true
	}
	return markdown.CreditLabelled(t) && len(t) < 200
}

// captionClass reports an element whose class or id says it is a caption
// or a credit, or the text beside a picture ("mediaInfo", "image-meta").
func captionClass(e *html.Node) bool {
	if classHas(e, "caption", "legend", "bildunterschrift", "credit", "copyright", "bildnachweis", "quelle", "source") {
		return true
	}
	return classHas(e, "image", "img", "bild", "foto", "photo", "media", "picture") &&
		classHas(e, "info", "meta", "text", "desc", "unterschrift")
}

// repeatsAlt reports whether a block's text begins with the words of the
// picture's alt text or title (at least 15 characters of them).
func repeatsAlt(t string, n *html.Node) bool {
	img := imageOf(n)
	if img == nil {
		return false
	}
	lt := strings.ToLower(t)
	for _, k := range []string{"alt", "title"} {
		a := strings.ToLower(article.CleanLine(dom.Attr(img, k)))
		if len(a) >= 15 && strings.HasPrefix(lt, a) {
			return true
		}
	}
	return false
}

// visibleTextLen is the length of the text below n, white space folded as
// strings.Fields and a join with single spaces would, without the text of
// buttons (a lightbox's "Vollbild anzeigen"). With limit >= 0 it stops as
// soon as the length passes limit.
func visibleTextLen(n *html.Node, limit int) int {
	size, space := 0, false // space: white space seen after the last word
	for e := dom.Next(n, n, false); e != nil; {
		skip := false
		switch e.Type {
		case html.TextNode:
			for _, r := range e.Data {
				if unicode.IsSpace(r) {
					space = size > 0
					continue
				}
				if space {
					size++
					space = false
				}
				size += utf8.RuneLen(r)
			}
			if limit >= 0 && size > limit {
				return size
			}
		case html.ElementNode:
			switch e.Data {
			case "button", "script", "style", "template", "svg", "noscript":
				skip = true
			}
		}
		e = dom.Next(n, e, skip)
	}
	return size
}

// figureNode makes the plain figure of f. The image keeps the size
// attributes of img, which later checks read.
func figureNode(f article.Figure, img *html.Node) *html.Node {
	fig := &html.Node{Type: html.ElementNode, Data: "figure", DataAtom: atom.Figure}
	im := &html.Node{Type: html.ElementNode, Data: "img", DataAtom: atom.Img, Attr: []html.Attribute{{Key: "src", Val: f.Image}}}
	if f.Alt != "" {
		im.Attr = append(im.Attr, html.Attribute{Key: "alt", Val: f.Alt})
	}
	if img != nil {
		for _, k := range []string{"width", "height"} {
			if v := dom.Attr(img, k); v != "" {
				im.Attr = append(im.Attr, html.Attribute{Key: k, Val: v})
			}
		}
	}
	fig.AppendChild(im)
	if f.Caption == "" && f.Credit == "" {
		return fig
	}
	fc := &html.Node{Type: html.ElementNode, Data: "figcaption", DataAtom: atom.Figcaption}
	if f.Caption != "" {
		fc.AppendChild(&html.Node{Type: html.TextNode, Data: f.Caption})
	}
	if f.Credit != "" {
		if f.Caption != "" {
			fc.AppendChild(&html.Node{Type: html.TextNode, Data: " "})
		}
		sp := &html.Node{Type: html.ElementNode, Data: "span", DataAtom: atom.Span, Attr: []html.Attribute{{Key: "class", Val: "credit"}}}
		sp.AppendChild(&html.Node{Type: html.TextNode, Data: f.Credit})
		fc.AppendChild(sp)
	}
	fig.AppendChild(fc)
	return fig
}
