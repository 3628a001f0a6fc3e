package fetch

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/kiosk-reader/kiosk/fetch/article"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// OPMLFeed is one feed of an OPML subscription list.
type OPMLFeed struct {
	Title   string // the outline's title, else its text; cleaned
	URL     string // xmlUrl: absolute http(s)
	SiteURL string // htmlUrl, when given
	// Category is the folder: the title of the nearest enclosing outline
	// that is not a feed ("" at the top level).
	Category string
}

// opmlOutline is an <outline>, possibly with children.
type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Outlines []opmlOutline `xml:"outline"`
}

type opmlDoc struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    struct {
		Title       string `xml:"title"`
		DateCreated string `xml:"dateCreated,omitempty"`
		Docs        string `xml:"docs,omitempty"`
	} `xml:"head"`
	Body struct {
		Outlines []opmlOutline `xml:"outline"`
	} `xml:"body"`
}

// OPMLSkip is an outline with an xmlUrl that ParseOPML left out.
type OPMLSkip struct {
	URL    string // the xmlUrl as given: quote it (strconv.QuoteToASCII) before printing
	Reason string // why, e.g. "not an http or https URL"
}

// HasControl reports whether s holds a character that must never reach a
// terminal or a config file unescaped: C0 and C1 controls (U+009B is a
// CSI), format characters (bidi overrides such as U+202E, zero-width
// characters), line and paragraph separators, or invalid UTF-8. A URL with
// one is rejected rather than cleaned: cleaning would change where it
// points.
func HasControl(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) || article.IsInvisible(r) {
			return true
		}
	}
	return false
}

// ParseOPML returns the feeds of an OPML 1.0 or 2.0 document in document
// order: nested outlines (categories) are flattened, and a feed listed
// twice is kept once. Outlines whose xmlUrl is not an absolute http(s) URL,
// or holds control or bidi characters (HasControl), are left out and
// returned as skipped, in document order.
func ParseOPML(data []byte) ([]OPMLFeed, []OPMLSkip, error) {
	var doc opmlDoc
	dec := xml.NewDecoder(bytes.NewReader(stripEscapes(data)))
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errors.New("parse opml: empty document")
		}
		return nil, nil, fmt.Errorf("parse opml: %w", err)
	}
	var out []OPMLFeed
	var skipped []OPMLSkip
	seen := map[string]bool{}
	var walk func([]opmlOutline, int, string)
	walk = func(outlines []opmlOutline, depth int, folder string) {
		if depth > 64 {
			return // absurd nesting; the feeds above are kept
		}
		for _, o := range outlines {
			if u := strings.TrimSpace(o.XMLURL); u != "" {
				pu, err := url.Parse(u)
				switch {
				case HasControl(u):
					skipped = append(skipped, OPMLSkip{URL: u, Reason: "control or invisible characters in the URL"})
				case err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "":
					skipped = append(skipped, OPMLSkip{URL: u, Reason: "not an http or https URL"})
				case !seen[u]:
					seen[u] = true
					title := CleanLine(o.Title)
					if title == "" {
						title = CleanLine(o.Text)
					}
					site := feedAbsURL(nil, o.HTMLURL)
					if HasControl(site) {
						site = ""
					}
					out = append(out, OPMLFeed{Title: title, URL: u, SiteURL: site, Category: folder})
				}
			}
			sub := folder
			if strings.TrimSpace(o.XMLURL) == "" {
				if sub = CleanLine(o.Title); sub == "" {
					sub = CleanLine(o.Text)
				}
			}
			walk(o.Outlines, depth+1, sub)
		}
	}
	walk(doc.Body.Outlines, 0, "")
	return out, skipped, nil
}

// WriteOPML writes feeds as an OPML 2.0 document: feeds without a category
// at the top level, the others in one folder outline per category, in the
// order the categories first appear.
func WriteOPML(w io.Writer, title string, feeds []OPMLFeed, now time.Time) error {
	doc := opmlDoc{Version: "2.0"}
	doc.Head.Title = title
	doc.Head.DateCreated = now.UTC().Format(time.RFC1123Z)
	doc.Head.Docs = "https://opml.org/spec2.opml"
	folders := map[string]int{}
	for _, f := range feeds {
		text := f.Title
		if text == "" {
			text = f.URL
		}
		o := opmlOutline{Text: text, Title: f.Title, Type: "rss", XMLURL: f.URL, HTMLURL: f.SiteURL}
		if f.Category == "" {
			doc.Body.Outlines = append(doc.Body.Outlines, o)
			continue
		}
		i, ok := folders[f.Category]
		if !ok {
			i = len(doc.Body.Outlines)
			folders[f.Category] = i
			doc.Body.Outlines = append(doc.Body.Outlines, opmlOutline{Text: f.Category, Title: f.Category})
		}
		doc.Body.Outlines[i].Outlines = append(doc.Body.Outlines[i].Outlines, o)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	return nil
}
