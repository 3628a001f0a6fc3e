package extract

import (
	"github.com/kiosk-reader/kiosk/fetch/article"
)

// A siteRule extracts the pages of one site, or of one CMS several sites
// share, better than the generic path can. Each rule lives in a file of its
// own (rule_<name>*.go) and recognises its pages by their markup and
// metadata, never only by the host they came from, so archived copies and
// local test servers work too.
//
// To add a rule: write rule_<name>.go with a func(*page) (article.Article,
// bool) that reports false for pages that are not the site's (or hold no
// text, so that the generic path can try), and list it in siteRules. Prefer
// a generic fix when other sites show the same markup: clean.go (noise by
// markup), clean_patterns.go (noise by its words), figures.go (pictures,
// captions and credits).
type siteRule struct {
	name    string // Article.Rule of what it extracts
	extract func(p *page) (article.Article, bool)
}

// siteRules lists the rules in the order they are tried; the first that
// reports true wins. Pages no rule takes go through extractReadability.
func siteRules() []siteRule {
	return []siteRule{
		{name: "heise", extract: extractHeise}, // heise online and Telepolis (rule_heise.go)
	}
}
