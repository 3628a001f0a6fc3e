// Package eval scores kiosk's extraction against pages with known expected
// extractions, page by page: precision, recall and F1 of the lead and body
// text, whether title and authors are exactly right, whether the lead
// picture's caption and the inline captions are kept as captions, and
// whether a German page shows English labels. scripts/extract-eval prints
// its report; fetch/extract's tests hold the development set to floors.
//
// Two corpus formats are read (Load tells them apart by their files):
//
//   - news: <dir>/**/<Publisher>_<YYYY_MM_DD>.html.gz pages with one
//     <dir>/**/<Publisher>.json per publisher (the fundus parser test data):
//     keys V1, V1_1, V2, … in version order, the publisher's pages mapped
//     onto them in date order; each value has title, authors, images and
//     body.summary / body.sections[].headline / .paragraphs.
//   - readability: <dir>/<name>/source.html[.gz] with expected.html[.gz]
//     and expected-metadata.json (go-readability's test pages). The
//     metadata's excerpt is the expected lead when it is a text of its own
//     (the page's description), not the body's first paragraph.
package eval

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// Kinds of pages.
const (
	KindNews        = "news"        // a news page with a fundus-style expectation
	KindReadability = "readability" // a go-readability test page
)

// readabilityURL is the URL go-readability's own tests give its pages.
const readabilityURL = "http://fakehost/test/page.html"

// Page is one page of a corpus with what its extraction should give.
type Page struct {
	Name string // path below the corpus directory, without extension
	Kind string // KindNews or KindReadability
	URL  string // the page URL to extract it as ("" for a local file)
	HTML []byte
	Want Expected
}

// Expected is what a careful extraction of a page gives.
type Expected struct {
	Title   string
	Authors []string // nil when the expectation names none
	Lead    []string // paragraphs of the lead (for readability pages, an excerpt not in the body)
	Body    []string // paragraphs and subheadings of the body
	Images  []Image  // news only
	Lang    string   // "de" for the news corpus; readability's language
}

// Image is an expected picture.
type Image struct {
	Caption string
	Credit  string // the credit parts joined with " / "
	Alt     string
	Cover   bool // the lead picture
}

// Load reads every page of the corpus in dir, in name order.
func Load(dir string) ([]Page, error) {
	var pages []Page
	news, err := loadNews(dir)
	if err != nil {
		return nil, err
	}
	pages = append(pages, news...)
	rd, err := loadReadability(dir)
	if err != nil {
		return nil, err
	}
	pages = append(pages, rd...)
	if len(pages) == 0 {
		return nil, fmt.Errorf("load corpus %s: no pages (want *.html.gz with <Publisher>.json, or */source.html)", dir)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].Name < pages[j].Name })
	return pages, nil
}

// readMaybeGzip reads path, or path+".gz" gunzipped when path is missing.
func readMaybeGzip(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return b, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return readGzip(path + ".gz")
}

// readGzip reads a gzipped file.
func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("gunzip %s: %w", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("gunzip %s: %w", path, err)
	}
	return b, nil
}

// newsVersion is one expectation of a publisher's JSON file.
type newsVersion struct {
	Title   string   `json:"title"`
	Authors []string `json:"authors"`
	Body    struct {
		Summary  []string `json:"summary"`
		Sections []struct {
			Headline   []string `json:"headline"`
			Paragraphs []string `json:"paragraphs"`
		} `json:"sections"`
	} `json:"body"`
	Images []struct {
		Caption     *string  `json:"caption"`
		Authors     []string `json:"authors"`
		Description *string  `json:"description"`
		IsCover     bool     `json:"is_cover"`
	} `json:"images"`
}

// loadNews reads the news pages below dir.
func loadNews(dir string) ([]Page, error) {
	var jsons []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".json") && !strings.HasSuffix(path, "expected-metadata.json") {
			jsons = append(jsons, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load corpus %s: %w", dir, err)
	}
	var pages []Page
	for _, jf := range jsons {
		b, err := os.ReadFile(jf)
		if err != nil {
			return nil, fmt.Errorf("load corpus: %w", err)
		}
		var versions map[string]newsVersion
		if err := json.Unmarshal(b, &versions); err != nil {
			return nil, fmt.Errorf("load corpus: %s: %w", jf, err)
		}
		keys := make([]string, 0, len(versions))
		for k := range versions {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return versionLess(keys[i], keys[j]) })
		prefix := strings.TrimSuffix(jf, ".json") + "_"
		files, err := filepath.Glob(prefix + "*.html.gz")
		if err != nil {
			return nil, fmt.Errorf("load corpus: %w", err)
		}
		sort.Strings(files) // _YYYY_MM_DD sorts by date
		if len(files) != len(keys) {
			return nil, fmt.Errorf("load corpus: %s has %d versions for %d pages", jf, len(keys), len(files))
		}
		for i, f := range files {
			page, err := readGzip(f)
			if err != nil {
				return nil, fmt.Errorf("load corpus: %w", err)
			}
			rel, _ := filepath.Rel(dir, f)
			pages = append(pages, Page{Name: strings.TrimSuffix(rel, ".html.gz"), Kind: KindNews, HTML: page, Want: newsExpected(versions[keys[i]])})
		}
	}
	return pages, nil
}

// versionLess orders fundus version keys: V1 < V1_1 < V1_2 < V2 < V10.
func versionLess(a, b string) bool {
	pa, pb := strings.Split(strings.TrimPrefix(a, "V"), "_"), strings.Split(strings.TrimPrefix(b, "V"), "_")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea != nil || eb != nil {
			if pa[i] != pb[i] {
				return pa[i] < pb[i]
			}
			continue
		}
		if na != nb {
			return na < nb
		}
	}
	return len(pa) < len(pb)
}

// newsExpected converts one fundus expectation.
func newsExpected(v newsVersion) Expected {
	e := Expected{Title: v.Title, Authors: v.Authors, Lead: v.Body.Summary, Lang: "de"}
	for _, s := range v.Body.Sections {
		e.Body = append(e.Body, s.Headline...)
		e.Body = append(e.Body, s.Paragraphs...)
	}
	for _, im := range v.Images {
		var x Image
		if im.Caption != nil {
			x.Caption = *im.Caption
		}
		if im.Description != nil {
			x.Alt = *im.Description
		}
		x.Credit = strings.Join(im.Authors, " / ")
		x.Cover = im.IsCover
		e.Images = append(e.Images, x)
	}
	return e
}

// readabilityMeta is expected-metadata.json.
type readabilityMeta struct {
	Title    string `json:"title"`
	Byline   string `json:"byline"`
	Language string `json:"language"`
	Excerpt  string `json:"excerpt"`
}

// loadReadability reads the go-readability test pages below dir.
func loadReadability(dir string) ([]Page, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load corpus: %w", err)
	}
	var pages []Page
	for _, d := range entries {
		if !d.IsDir() {
			continue
		}
		sub := filepath.Join(dir, d.Name())
		src, err := readMaybeGzip(filepath.Join(sub, "source.html"))
		if errors.Is(err, fs.ErrNotExist) {
			more, err := loadReadability(sub) // a corpus may keep them one level down
			if err != nil {
				return nil, err
			}
			pages = append(pages, more...)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("load corpus: %w", err)
		}
		exp, err := readMaybeGzip(filepath.Join(sub, "expected.html"))
		if err != nil {
			return nil, fmt.Errorf("load corpus: %w", err)
		}
		mb, err := os.ReadFile(filepath.Join(sub, "expected-metadata.json"))
		if err != nil {
			return nil, fmt.Errorf("load corpus: %w", err)
		}
		var meta readabilityMeta
		if err := json.Unmarshal(mb, &meta); err != nil {
			return nil, fmt.Errorf("load corpus: %s: %w", sub, err)
		}
		body, err := htmlParagraphs(exp)
		if err != nil {
			return nil, fmt.Errorf("load corpus: %s: %w", sub, err)
		}
		want := Expected{Title: meta.Title, Body: body, Lang: primaryLang(meta.Language)}
		if excerptOwn(meta.Excerpt, body) {
			want.Lead = []string{meta.Excerpt}
		}
		if meta.Byline != "" {
			want.Authors = []string{meta.Byline}
		}
		rel, _ := filepath.Rel(dir, sub)
		pages = append(pages, Page{Name: rel, Kind: KindReadability, URL: readabilityURL, HTML: src, Want: want})
	}
	return pages, nil
}

// excerptOwn reports whether readability's expected excerpt is a text of
// its own, the page's description, which readability returns beside the
// article as kiosk shows its lead above it; an excerpt that readability
// took from the article's first paragraph is already in the body.
func excerptOwn(excerpt string, body []string) bool {
	key := strings.Join(tokens(excerpt), " ")
	if key == "" {
		return false
	}
	if len(key) > 60 {
		key = key[:60]
	}
	head := strings.Join(body, "\n")
	if len(head) > 3000 {
		head = head[:3000]
	}
	return !strings.Contains(strings.Join(tokens(head), " "), key)
}

// primaryLang returns the primary subtag of a language tag, lower-case.
func primaryLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// htmlParagraphs returns the text of an HTML fragment, one string per block.
func htmlParagraphs(b []byte) ([]string, error) {
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	var out []string
	var cur strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(cur.String()), " "); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "template":
				return
			case "br":
				cur.WriteByte(' ')
			}
		}
		block := n.Type == html.ElementNode && blockTags[n.Data]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(doc)
	flush()
	return out, nil
}

// blockTags start and end a paragraph of text.
var blockTags = map[string]bool{
	"p": true, "div": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "pre": true, "figcaption": true, "figure": true, "td": true, "th": true, "tr": true,
	"section": true, "article": true, "ul": true, "ol": true, "dt": true, "dd": true, "table": true,
}
