// Package article is the model every part of kiosk shares: Article with
// its figures and references, the text cleaning every field goes through
// (CleanText, CleanLine), and the stable IDs that make two URLs of one
// story the same article. It parses nothing and fetches nothing.
package article

import "time"

// Article is everything the reader shows of one page, whatever the site.
// All text fields are already cleaned with CleanText.
type Article struct {
	ID           string    `json:"id"`             // stable ID, see StableID
	URL          string    `json:"url"`            // the URL it was fetched from (tracking stripped)
	CanonicalURL string    `json:"canonical_url"`  // absolute canonical URL; for heise the short https://www.heise.de/-N form
	Site         string    `json:"site"`           // "heise online", "Telepolis", or the page's site name
	Lang         string    `json:"lang,omitempty"` // the article's language, a primary subtag ("de", "en"); "" if unknown
	Title        string    `json:"title"`
	Kicker       string    `json:"kicker,omitempty"`
	Lead         string    `json:"lead,omitempty"`
	Authors      []string  `json:"authors,omitempty"`
	Published    time.Time `json:"published,omitzero"`
	Modified     time.Time `json:"modified,omitzero"`
	ReadingTime  string    `json:"reading_time,omitempty"` // as the site says it, e.g. "2 Min."
	Hero         *Figure   `json:"hero,omitempty"`
	Figures      []Figure  `json:"figures,omitempty"` // inline figures in reading order (the body also carries them)
	// Body is the Markdown of the article text only: no title, lead, hero,
	// URL or reference list; links are already "text [n]".
	Body       string      `json:"body"`
	References []Reference `json:"references,omitempty"`
	Paywalled  bool        `json:"paywalled,omitempty"` // heise+: only the free part is in Body
	Notice     string      `json:"notice,omitempty"`    // e.g. the Telepolis pre-2021 archive notice
	// Notices are kiosk's own one-line remarks on what it left out of a
	// hostile or oversized page (markup nested too deeply, a body cut
	// short); Markdown shows each as an italic line.
	Notices []string `json:"notices,omitempty"`
	Rule    string   `json:"rule"` // which extractor made it: "heise" or "readability"
	// AllPagesURL is set when the page is one page of a multi-page article:
	// the URL (with ?seite=all) that shows the whole article on one page.
	AllPagesURL string `json:"all_pages_url,omitempty"`
}

// Figure is an image with its caption and credit.
type Figure struct {
	Image   string `json:"image"`             // absolute URL, never a data: URL
	Alt     string `json:"alt,omitempty"`     // alt text
	Caption string `json:"caption,omitempty"` // without the credit
	Credit  string `json:"credit,omitempty"`  // without "Bild:" and parentheses, e.g. "Hadrian / Shutterstock.com"
	Ref     int    `json:"ref,omitempty"`     // number of the image's reference, 0 if none
}

// Reference is one numbered link of an article.
type Reference struct {
	N     int    `json:"n"`               // 1-based, in order of first appearance
	URL   string `json:"url"`             // absolute
	Text  string `json:"text,omitempty"`  // the link text at its first appearance
	Image bool   `json:"image,omitempty"` // an image URL; numbered after the body links
}
