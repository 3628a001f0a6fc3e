// Package fetch is kiosk's network side: HTTP with its guards, feeds (RSS,
// Atom, JSON Feed, OPML), the sync that stores them and their full articles
// through a Store, and the pictures of those articles. It turns feed bytes
// into Entry values and fetched pages into Article values, never touching
// SQLite or the terminal.
//
// What happens to a page after it is fetched lives in sub-packages, along
// the data flow:
//
//   - fetch/article: the Article model, text cleaning and stable IDs;
//   - fetch/extract: HTML page → Article, with the site rules (one file per
//     rule) and the generic readability path and its cleaning;
//   - fetch/markdown: HTML → Markdown body with numbered references and
//     figures, and the Article → Markdown / print-view text rendering.
//
// fetch re-exports the model and the few functions its callers need, so
// that cache, ui and cmd keep one import for a fetched article.
package fetch

import (
	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/extract"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
	"strings"
)

// The article model, see package article.
type (
	Article   = article.Article
	Figure    = article.Figure
	Reference = article.Reference
)

// Errors of extraction, see package extract.
var (
	ErrNoArticle = extract.ErrNoArticle
	ErrTooDeep   = extract.ErrTooDeep
)

// Extract turns an HTML page into an Article; see extract.Article.
func Extract(pageURL string, page []byte) (Article, error) { return extract.Article(pageURL, page) }

// SniffHTML reports whether b looks like an HTML page; see extract.SniffHTML.
func SniffHTML(b []byte) bool { return extract.SniffHTML(b) }

// Markdown renders a whole article as kiosk's Markdown; see markdown.Document.
func Markdown(a Article) string { return markdown.Document(a) }

// PrintText renders an article as the print view's plain text; see markdown.PrintText.
func PrintText(a Article, width int) string { return markdown.PrintText(a, width) }

// CleanText is article.CleanText.
func CleanText(s string) string { return article.CleanText(s) }

// CleanLine is article.CleanLine.
func CleanLine(s string) string { return article.CleanLine(s) }

// StableID is article.StableID.
func StableID(contentID, guid, rawURL string) string {
	return article.StableID(contentID, guid, rawURL)
}

// EntryID is article.EntryID.
func EntryID(feedURL, contentID, guid, rawURL string) string {
	return article.EntryID(feedURL, contentID, guid, rawURL)
}

// HeiseContentID is article.HeiseContentID.
func HeiseContentID(raw string) string { return article.HeiseContentID(raw) }

// StripTracking is article.StripTracking.
func StripTracking(raw string) string { return article.StripTracking(raw) }

// TeaserLang is the language of an entry shown as its feed's teaser (no
// page to read it from): German for a heise or Telepolis content ID, else
// article.TextLang of its title and teaser.
func TeaserLang(id, title, summary string) string {
	if id != "" && strings.Trim(id, "0123456789") == "" {
		return "de"
	}
	return article.TextLang(title, summary)
}
