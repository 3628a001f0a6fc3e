package extract

import (
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
)

// pageLang is the language a page declares, as a lower-case primary subtag
// ("de" for de-AT or de_CH): <html lang> or xml:lang first, then the
// Content-Language meta, then og:locale. It is "" when the page declares
// none.
func (p *page) pageLang() string {
	for n := p.doc.FirstChild; n != nil; n = n.NextSibling {
		if dom.IsElem(n, "html") {
			for _, k := range []string{"lang", "xml:lang"} {
				if l := primaryLang(dom.Attr(n, k)); l != "" {
					return l
				}
			}
		}
	}
	for _, m := range p.metas {
		if strings.EqualFold(dom.Attr(m, "http-equiv"), "content-language") {
			if l := primaryLang(dom.Attr(m, "content")); l != "" {
				return l
			}
		}
	}
	return primaryLang(dom.MetaContent(p.metas, "og:locale"))
}

// primaryLang reduces a language tag or locale ("de-DE", "de_AT", "en") to
// its primary subtag in lower case; it is "" unless that is two or three
// letters.
func primaryLang(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_,; "); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	for i := range len(tag) {
		if !isASCIILetter(tag[i]) {
			return ""
		}
	}
	return strings.ToLower(tag)
}

// textLang guesses whether the text under n is German or English by counting
// the commonest short words of each in its first few hundred words; it is ""
// when neither clearly wins. It is the fallback for pages that declare no
// language.
func textLang(n *html.Node) string {
	var c article.LangCounter
	for e := n; e != nil && !c.Full(); {
		skip := false
		switch e.Type {
		case html.TextNode:
			c.Add(e.Data)
		case html.ElementNode:
			skip = e.Data == "script" || e.Data == "style" || e.Data == "svg"
		}
		e = dom.Next(n, e, skip)
	}
	return c.Lang()
}
