// Package extract turns a fetched HTML page into an Article: it parses the
// page within bounds, gathers its metadata (page.go), and hands it to the
// first site rule that recognises it (rules.go, one rule_<site>*.go file
// per rule) or else to the generic path: readability plus kiosk's own
// cleaning of noise, figures and metadata (readability.go and the files it
// names). The body is converted by package markdown. Where a new noise
// pattern or site rule goes is said in rules.go.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// ErrNoArticle is returned by Article when a page holds no article text.
var ErrNoArticle = errors.New("no article text found")

// Article turns an HTML page into an Article. pageURL is the URL the page
// came from; it resolves relative links and images and may be a file:// URL
// or "" for a local file. A site rule (see rules.go) is chosen by the
// page's markup and metadata (canonical URL, DC.identifier, layout
// classes), not by its host, so archived copies and local servers work
// too; every other page goes through readability and kiosk's cleaning.
// Article returns an error only when no article text can be found at all.
func Article(pageURL string, page []byte) (article.Article, error) {
	name := pageURL
	if name == "" {
		name = "page"
	}
	page = toUTF8(page)
	doc, notices, err := parseBounded(page)
	if err != nil {
		return article.Article{}, fmt.Errorf("extract %s: %w", name, err)
	}
	p := newPage(pageURL, doc)
	p.size = len(page)
	p.notices = notices
	for _, r := range siteRules() {
		if a, ok := r.extract(p); ok {
			return a, nil
		}
	}
	a, err := extractReadability(p)
	if err != nil {
		return article.Article{}, fmt.Errorf("extract %s: %w", name, err)
	}
	return a, nil
}

// ErrTooDeep is returned by Article for a page whose markup nests too
// deeply to parse even after kiosk dropped the excess.
var ErrTooDeep = errors.New("html nested too deeply")

// parseBounded parses page so that no element lies deeper than
// maxNesting. golang.org/x/net/html gives up on more than 512 open elements
// and clones reopened formatting elements without limit, so capNesting
// first drops the markup that would go too deep or reopen too often;
// flattenDeep then enforces the depth exactly on the tree. The notices say
// what was dropped.
func parseBounded(page []byte) (*html.Node, []string, error) {
	var notices []string
	page, cut := dom.CapNesting(page, dom.MaxNesting)
	doc, err := html.ParseWithOptions(bytes.NewReader(page), html.ParseOptionEnableScripting(false))
	if err != nil {
		if cut {
			return nil, nil, fmt.Errorf("parse html: %w (%w)", ErrTooDeep, err)
		}
		return nil, nil, fmt.Errorf("parse html: %w", err)
	}
	if dom.FlattenDeep(doc, dom.MaxNesting) || cut {
		notices = append(notices, dom.NestingNotice)
	}
	return doc, notices, nil
}

// toUTF8 decodes a page that is not UTF-8 (older heise pages are
// ISO-8859-1) by the charset its <meta> declares, or as windows-1252 when it
// declares none. Valid UTF-8 is returned as it is, whatever it declares.
func toUTF8(page []byte) []byte {
	if utf8.Valid(page) {
		return page
	}
	enc, name, _ := charset.DetermineEncoding(page, "")
	if enc == nil || name == "utf-8" {
		return page // article.CleanText replaces the invalid bytes
	}
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return page
	}
	return out
}
