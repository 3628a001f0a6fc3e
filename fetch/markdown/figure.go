package markdown

import (
	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// FigureOf reads an image, its alt text, caption and credit from a figure-like
// element: <figure>, heise's <a-lightbox>/<a-bilderstrecke>, <picture>, or a
// bare <img>. It never takes a data: placeholder; lazy-loading attributes and
// the <noscript> copy are used instead. With original set (heise), the
// original image named by a-lightbox[src] or a-img[src] wins over the
// resized copy. ok is false when no usable image URL is found.
func FigureOf(base *url.URL, n *html.Node, original bool) (f article.Figure, ok bool) {
	img := figureImage(base, n, &f)
	if f.Alt == "" {
		// The URL may have come from a <source> before the <img>, which
		// holds the alt text.
		if im := dom.Find(n, dom.ByTag("img")); im != nil || n.Data == "img" {
			if im == nil {
				im = n
			}
			f.Alt = article.CleanLine(dom.Attr(im, "alt"))
		}
	}
	if original {
		// heise: the lightbox or a-img source is the original image, the
		// <img> a resized copy on a CDN.
		if u := ResolveImage(base, dom.Attr(n, "src")); u != "" && n.Data != "img" {
			img = u
		} else if ai := dom.Find(n, dom.ByTag("a-img")); ai != nil {
			if u := ResolveImage(base, dom.Attr(ai, "src")); u != "" {
				img = u
			}
		}
	}
	if img == "" {
		return article.Figure{}, false
	}
	f.Image = img
	if isFileNameAlt(f.Alt) {
		f.Alt = "" // "12-IMG_3886.jpg" says nothing; never show it as a caption
	}
	fc := n
	if !dom.IsElem(n, "figcaption") {
		fc = dom.Find(n, dom.ByTag("figcaption"))
	}
	if fc == nil {
		fc = SiblingCaption(n)
	}
	if fc == nil && n.Data != "img" && n.Data != "picture" {
		fc = n // no figcaption: a caption may still sit in p.caption / p.source
	}
	if fc != nil {
		f.Caption, f.Credit = captionOf(fc)
	}
	if f.Caption == "" && f.Credit == "" && n.Data == "img" {
		if t := dom.Attr(n, "title"); t != "" {
			f.Caption = article.CleanLine(t)
		}
	}
	if f.Credit == "" && n.Data != "img" && n.Data != "picture" {
		f.Credit = figureCredit(n)
	}
	if f.Caption == "" || f.Credit == "" {
		dataCaption(n, &f)
	}
	if uiCaption.MatchString(f.Caption) {
		f.Caption = "" // the label of a button beside the picture
	}
	if f.Credit == "" && f.Caption != "" {
		f.Caption, f.Credit = splitCredit(f.Caption)
		if f.Credit == "" && trailingAgency(". "+f.Caption) == 2 {
			f.Caption, f.Credit = "", f.Caption // the caption is only a credit: "Devindra Hardawar/AOL"
		}
	}
	if f.Credit != "" {
		f.Caption = trimCredit(f.Caption, f.Credit)
	}
	if isFileNameAlt(f.Caption) {
		f.Caption = "" // a title attribute or caption that only names the file
	}
	return f, true
}

// figureCredit finds a credit a figure keeps outside its caption: an
// element with a credit class, or a <footer>, <cite> or <small> (DER
// STANDARD writes "<figcaption>…</figcaption><footer>Imago/…</footer>").
func figureCredit(n *html.Node) string {
	e := dom.Find(n, func(e *html.Node) bool {
		if dom.Ancestor(e, dom.ByTag("figcaption")) != nil || e.Data == "figcaption" {
			return false
		}
		return isCreditElement(e) || e.Data == "footer" || e.Data == "cite" || e.Data == "small"
	})
	if e == nil {
		return ""
	}
	if t := dom.TextOf(e); len(t) <= 120 {
		return cleanCredit(t)
	}
	return ""
}

// dataCaption fills a figure's missing caption and credit from what the
// picture carries itself: data attributes on the image or the figure
// (data-caption, data-credit, data-copyright, a data-source that is no
// URL), then a credit written into the image's title or alt text
// ("Feuerwehrleute … | Bildquelle: WDR / Biernat").
func dataCaption(n *html.Node, f *article.Figure) {
	img := n
	if n.Data != "img" {
		if img = dom.Find(n, dom.ByTag("img")); img == nil {
			img = n
		}
	}
	for _, e := range []*html.Node{img, n} {
		if f.Caption == "" {
			f.Caption = article.CleanLine(dom.Attr(e, "data-caption"))
		}
		if f.Credit != "" {
			continue
		}
		for _, k := range []string{"data-credit", "data-copyright", "data-photographer", "data-source"} {
			v := article.CleanLine(dom.Attr(e, k))
			if v != "" && len(v) <= 120 && !looksLikeURL(v) {
				f.Credit = cleanCredit(v)
				break
			}
		}
	}
	if f.Credit != "" {
		return
	}
	for _, k := range []string{"title", "alt"} {
		t := article.CleanLine(dom.Attr(img, k))
		if t == "" {
			continue
		}
		if _, credit := splitCredit(t); credit != "" && CreditLabelled(t) {
			f.Credit = credit
			return
		}
		// "Alt text | Getty Images/Naomi Baker": the title repeats the
		// alt text or the caption and adds the credit.
		if i := strings.LastIndex(t, " | "); i > 0 && len(t)-i-3 <= 80 {
			head := t[:i]
			if strings.EqualFold(head, article.CleanLine(dom.Attr(img, "alt"))) || strings.EqualFold(head, f.Caption) {
				f.Credit = cleanCredit(t[i+3:])
				return
			}
		}
	}
}

// trimCredit removes a credit the caption repeats at its end ("Dig a
// hole. (Lucy Akins)" with the credit "Lucy Akins" from data-credit).
func trimCredit(caption, credit string) string {
	if c := strings.Trim(caption, "() "); c == credit || cleanCredit(caption) == credit {
		return "" // the caption is only the credit
	}
	for _, tail := range []string{"(" + credit + ")", credit} {
		if len(caption) > len(tail) && strings.HasSuffix(caption, tail) {
			return trimCaption(caption[:len(caption)-len(tail)])
		}
	}
	return caption
}

// looksLikeURL reports a value that is a URL or a path rather than words.
func looksLikeURL(v string) bool {
	return strings.Contains(v, "://") || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "www.") ||
		!strings.Contains(v, " ") && strings.ContainsAny(v, "?=&")
}

// uiCaption is a button's label that sites put into a figure's caption.
var uiCaption = regexp.MustCompile(`(?i)^(bildbeschreibung (einblenden|ausblenden)|bild vergrößern|vergrößern|zoom|enlarge( image)?|mehr anzeigen|show more|video starten.*|play video|view (photo|photos|gallery|slideshow)( \.)?|zur bildergalerie|bildergalerie ansehen)$`)

// SiblingCaption returns the <figcaption> that follows a picture or image
// outside any <figure>, or a <figure> without a caption of its own, as its
// next element ("<picture>…</picture><figcaption>…</figcaption>"), which
// some sites write instead of a captioned figure; nil when there is none.
func SiblingCaption(n *html.Node) *html.Node {
	switch {
	case n.Data == "figure":
		if dom.Find(n, dom.ByTag("figcaption")) != nil {
			return nil
		}
	case n.Data != "picture" && n.Data != "img" || dom.Ancestor(n, dom.ByTag("figure")) != nil:
		return nil
	}
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		switch s.Type {
		case html.ElementNode:
			if s.Data == "figcaption" {
				return s
			}
			return nil
		case html.TextNode:
			if strings.TrimSpace(s.Data) != "" {
				return nil
			}
		}
	}
	return nil
}

// figureImage finds the best image URL inside n and records the alt text.
func figureImage(base *url.URL, n *html.Node, f *article.Figure) string {
	var aImg string
	check := func(e *html.Node) string {
		switch e.Data {
		case "img", "source":
			if f.Alt == "" {
				f.Alt = article.CleanLine(dom.Attr(e, "alt"))
			}
			placeholder := ""
			for _, k := range []string{"src", "data-src", "data-original", "data-lazy-src", "data-retina-src", "data-srcset", "srcset"} {
				v := dom.Attr(e, k)
				if k == "srcset" || k == "data-srcset" {
					v = firstSrcset(v)
				}
				if u := ResolveImage(base, v); u != "" {
					if !isPlaceholderImage(u) {
						return u
					}
					if placeholder == "" {
						placeholder = u
					}
				}
			}
			if placeholder != "" {
				return placeholder // nothing better: the page's own choice
			}
		case "a-img":
			if f.Alt == "" {
				f.Alt = article.CleanLine(dom.Attr(e, "alt"))
			}
			if aImg == "" {
				aImg = ResolveImage(base, dom.Attr(e, "src"))
			}
		default:
			// A custom element of a site's framework that stands for an
			// image (<amp-img>, <storefront-image>, <nuxt-img>).
			if strings.HasSuffix(e.Data, "-img") || strings.HasSuffix(e.Data, "-image") {
				if f.Alt == "" {
					f.Alt = article.CleanLine(dom.Attr(e, "alt"))
				}
				return ResolveImage(base, dom.Attr(e, "src"))
			}
		}
		return ""
	}
	if n.Type == html.ElementNode {
		if u := check(n); u != "" {
			return u
		}
	}
	for e := dom.Next(n, n, false); e != nil; e = dom.Next(n, e, false) {
		if e.Type != html.ElementNode {
			continue
		}
		if e.Data == "figcaption" {
			e = lastDescendant(e)
			continue
		}
		if u := check(e); u != "" {
			return u
		}
	}
	if aImg != "" {
		return aImg
	}
	return ResolveImage(base, dom.Attr(n, "src")) // a-lightbox[src]
}

// isPlaceholderImage reports the blank picture a lazy-loading page puts
// into src until a script swaps in the real one ("/img/leer.gif",
// "blank.gif", "spacer.gif", "1x1.png"), which a data attribute names.
func isPlaceholderImage(u string) bool {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	name := strings.ToLower(u[strings.LastIndexByte(u, '/')+1:])
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	switch name {
	case "leer", "blank", "spacer", "empty", "transparent", "pixel", "1x1", "placeholder", "lazy", "lazyload", "loading", "grey", "gray":
		return true
	}
	return false
}

// lastDescendant returns the last node of n's subtree, so that a walk can
// continue after it.
func lastDescendant(n *html.Node) *html.Node {
	for n.LastChild != nil {
		n = n.LastChild
	}
	return n
}

// firstSrcset returns the first URL of a srcset value.
func firstSrcset(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	if f := strings.Fields(v); len(f) > 0 {
		return f[0]
	}
	return ""
}

// isFileNameAlt reports whether an alt text (or a caption) is a file name
// rather than words: one token that ends in an image extension ("image.png"), holds an
// underscore ("foto_1") or a run of four digits (a camera's "DSC01234",
// "P1610088").
func isFileNameAlt(alt string) bool {
	if alt == "" || strings.ContainsAny(alt, " \t\n") {
		return false
	}
	lower := strings.ToLower(alt)
	if i := strings.LastIndexByte(lower, '.'); i >= 0 {
		switch lower[i+1:] {
		case "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp", "tif", "tiff", "heic":
			return true
		}
	}
	if strings.ContainsRune(alt, '_') {
		return true
	}
	run := 0
	for i := range len(alt) {
		if alt[i] >= '0' && alt[i] <= '9' {
			if run++; run >= 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
