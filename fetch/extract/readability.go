package extract

import (
	"fmt"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
	"golang.org/x/net/html"
)

// maxReadabilityNodes bounds the pages readability is run on; its scoring
// passes are superlinear, so a hostile page must not reach them whole.
const maxReadabilityNodes = 1_000_000

// extractReadability is the rule for pages without a site rule: readability
// finds the article, and the same HTML to Markdown conversion as the site
// rule numbers its references. It mutates p.doc.
func extractReadability(p *page) (article.Article, error) {
	if countNodes(p.doc, maxReadabilityNodes) >= maxReadabilityNodes {
		return article.Article{}, fmt.Errorf("readability: page too large (more than %d nodes)", maxReadabilityNodes)
	}
	lang := p.pageLang() // before readability rewrites the document
	h1s := pageHeadings(p.doc)
	normalizeFigures(p)
	hero, hasHero := leadFigure(p)
	byline := pageByline(p)
	teaser := pageTeaser(p)
	story := storyParagraphs(p)
	cleanLang := lang
	if cleanLang == "" {
		cleanLang = textLang(p.doc)
	}
	cleanPage(p.doc, cleanLang)
	parser := readability.NewParser()
	parser.KeepClasses = true // figure credits are found by class
	ra, err := parser.ParseAndMutate(p.doc, p.base)
	if err != nil {
		return article.Article{}, fmt.Errorf("readability: %w", err)
	}
	if ra.Node == nil {
		return article.Article{}, ErrNoArticle
	}
	if lang == "" {
		lang = textLang(ra.Node)
	}
	title := genericTitle(p, h1s, ra.Title(), article.CleanLine(dom.MetaContent(p.metas, "og:site_name")), article.CleanLine(ra.SiteName()))
	if title == "" {
		title = cleanPageTitle(p.title)
	}
	completeArticle(ra.Node, story)
	cleanArticle(ra.Node, hero)
	kicker := dropTitleHeadings(ra.Node, title)
	if teaser != "" {
		dropTeaser(ra.Node, teaser)
	}
	if hasHero {
		dropImage(ra.Node, p, hero)
	}
	conv := &markdown.Converter{Base: p.base, Lang: lang, MaxBody: markdown.BodyLimit(p.size), IsFigure: isFigureLike}
	body := strings.TrimSpace(conv.Convert(ra.Node))

	a := article.Article{Rule: "readability", Lang: lang}
	a.Title, a.Kicker = title, kicker
	a.Site = article.CleanLine(ra.SiteName())
	a.Lead = teaser
	if hasHero && teaser != "" && (wordKey(teaser) == wordKey(hero.Caption) || wordKey(teaser) == wordKey(hero.Alt)) {
		// The "teaser" is the lead picture's caption (a slideshow's
		// text under the headline): the picture's caption, not the lead.
		if hero.Caption == "" {
			hero.Caption, hero.Credit = markdown.SplitCredit(teaser)
		}
		a.Lead = ""
	}
	if a.Lead == "" {
		a.Lead = plainLead(ra.Excerpt())
		if a.Lead != "" && beginsBody(body, a.Lead) {
			a.Lead = "" // readability's excerpt is the first paragraph: don't say it twice
		}
		if hasHero && a.Lead != "" && (strings.EqualFold(a.Lead, hero.Caption) || strings.EqualFold(a.Lead, hero.Alt)) {
			// readability took the picture's caption for the excerpt:
			// the meta description, when it is another text.
			a.Lead = plainLead(dom.MetaContent(p.metas, "description"))
			if strings.EqualFold(a.Lead, hero.Caption) || strings.EqualFold(a.Lead, hero.Alt) ||
				beginsBody(body, a.Lead) {
				a.Lead = ""
			}
		}
	}
	switch {
	case hasHero:
		a.Hero = hero
	case len(conv.Figures()) == 0:
		// og:image is often a social card: it stands in for the lead
		// picture only when the page shows no picture of its own.
		if img := markdown.ResolveImage(p.base, ra.ImageURL()); img != "" {
			a.Hero = &article.Figure{Image: img}
		}
	}
	a.Body = conv.FillImageRefs(a.Hero, body)
	a.Figures = conv.Figures()
	a.References = conv.References()
	a.Notices = append(append([]string(nil), p.notices...), conv.Notices()...)
	a.Authors = genericAuthors(p, ra.Byline(), byline, []string{article.CleanLine(dom.MetaContent(p.metas, "og:site_name")), a.Site})
	if t, err := ra.PublishedTime(); err == nil {
		a.Published = t
	}
	if t, err := ra.ModifiedTime(); err == nil {
		a.Modified = t
	}
	if a.Body == "" && a.Lead == "" {
		return article.Article{}, ErrNoArticle
	}
	a.URL = p.articleURL()
	a.CanonicalURL = p.canonical // absolute http(s) or ""
	idURL := a.CanonicalURL
	if idURL == "" {
		idURL = a.URL
	}
	if idURL == "" {
		a.ID = article.StableID("", "title:"+a.Title, "") // a local file without any URL
	} else {
		a.ID = article.StableID(article.HeiseContentID(idURL), "", idURL)
	}
	if a.Site == "" {
		// Without og:site_name: the JSON-LD publisher, the application
		// name, and only then the host.
		a.Site = article.CleanLine(p.ldPublisher())
	}
	if a.Site == "" {
		a.Site = article.CleanLine(dom.MetaContent(p.metas, "application-name"))
	}
	if a.Site == "" {
		if u, err := url.Parse(idURL); err == nil && u.Host != "" {
			a.Site = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	return a, nil
}

// dropImage removes the figures of root that show the lead picture, which
// the article shows above the body. A figure further down the text with
// a caption of its own stays: the page shows the picture there again to
// say something else (a video's poster on top, the photo in the story).
func dropImage(root *html.Node, p *page, hero *article.Figure) {
	var drop []*html.Node
	text := 0 // the text before n
	for n := dom.Next(root, root, false); n != nil; {
		skip := false
		if n.Type == html.TextNode {
			text += len(strings.TrimSpace(n.Data))
		}
		if n.Type == html.ElementNode && (n.Data == "figure" || n.Data == "picture" || n.Data == "img") {
			if f, ok := markdown.FigureOf(p.base, n, false); ok {
				skip = true // one figure, whatever pictures it holds
				if sameImage(f.Image, hero.Image) && !ownUse(f, hero, text) {
					box := n
					if fig := dom.Ancestor(n, dom.ByTag("figure")); fig != nil {
						box = fig
					}
					drop = append(drop, box)
				}
			}
		}
		n = dom.Next(root, n, skip)
	}
	for _, n := range drop {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// ownUse reports whether a figure of the lead picture after text bytes of
// the body is a use of its own: far into the text, with another caption.
func ownUse(f article.Figure, hero *article.Figure, text int) bool {
	return text >= 500 && f.Caption != "" && hero.Caption != "" && wordKey(f.Caption) != wordKey(hero.Caption)
}

// beginsBody reports whether lead is said again near the start of the
// Markdown body: readability's excerpt taken from the first paragraph, or
// a description made of the text's first words ("Highlights Here's our
// …"), whatever headings, list marks, quotes and punctuation lie between.
func beginsBody(body, lead string) bool {
	key := wordKey(markupless(lead))
	if key == "" {
		return false
	}
	if len(key) > 60 {
		key = key[:60]
	}
	return strings.Contains(wordKey(plainPrefix(markupless(body), 1500)), key)
}

// plainPrefix returns up to n bytes of s with white space folded, for
// comparing the start of two texts.
func plainPrefix(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// refMarkers matches the " [n]" reference markers of the body.
var refMarkers = lazy(` ?\[\d+\]`)

// markupless is Markdown text without reference markers, emphasis, code
// marks and escapes, to compare it with plain text.
func markupless(s string) string {
	s = refMarkers.ReplaceAllString(s, "")
	return strings.Map(func(r rune) rune {
		switch r {
		case '*', '_', '`', '\\':
			return -1
		}
		return r
	}, s)
}

// countNodes counts the nodes of root's subtree, stopping at limit.
func countNodes(root *html.Node, limit int) int {
	c := 0
	for n := root; n != nil && c < limit; n = dom.Next(root, n, false) {
		c++
	}
	return c
}
