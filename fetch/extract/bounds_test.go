package extract

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/internal/dom"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
	"golang.org/x/net/html"
)

// Regression tests for issue 8: hostile pages must not crash kiosk or blow
// up its memory. The big inputs are generated here; they go through the
// real parser and converter.

// nestedQuotesPage is the page of issue 8: depth nested block quotes
// around paras short paragraphs.
func nestedQuotesPage(depth, paras int) []byte {
	var b bytes.Buffer
	b.WriteString("<html><head><title>Zitate</title></head><body><article>")
	b.WriteString(strings.Repeat("<blockquote>", depth))
	for range paras {
		b.WriteString("<p>x y</p>\n")
	}
	b.WriteString(strings.Repeat("</blockquote>", depth))
	b.WriteString("</article></body></html>")
	return b.Bytes()
}

// deepPage nests n elements of tag around a short text.
func deepPage(tag string, n int) []byte {
	var b bytes.Buffer
	b.WriteString("<html><head><title>Tief</title></head><body><p>")
	for range n {
		b.WriteString("<" + tag + ">")
	}
	b.WriteString("Tiefer Text am Grund der Seite.</p></body></html>")
	return b.Bytes()
}

// manyFiguresPage holds n bare pictures with a caption block each and n
// figures, all in one container.
func manyFiguresPage(n int) []byte {
	var b bytes.Buffer
	b.WriteString("<html><head><title>Bilder</title></head><body><article><h1>Bilder</h1><div>")
	for i := range n {
		fmt.Fprintf(&b, `<div><img src="/i%d.jpg" alt="Bild Nummer %d im Text"><div>Bild Nummer %d im Text © X</div></div>`, i, i, i)
		fmt.Fprintf(&b, `<figure><img src="/f%d.jpg"><figcaption>Bild %d</figcaption></figure><p>Text %d</p>`, i, i, i)
	}
	b.WriteString("</div></article></body></html>")
	return b.Bytes()
}

// reopenPage opens formatting elements that every later paragraph makes
// the parser reopen (clone).
func reopenPage(open, paras int) []byte {
	var b bytes.Buffer
	b.WriteString("<html><head><title>Fett</title></head><body><p>")
	for i := range open {
		fmt.Fprintf(&b, "<b id=b%d>", i)
	}
	b.WriteString("Anfang</p>")
	for range paras {
		b.WriteString("<p>t</p>") // no white space: the parser reopens inside each <p>
	}
	b.WriteString("</body></html>")
	return b.Bytes()
}

// quoteDepth returns the deepest quote level of the lines of md, code
// blocks (whose lines are the page's) excepted.
func quoteDepth(md string) int {
	deepest := 0
	fence := ""
	for _, l := range strings.Split(md, "\n") {
		d := 0
		for strings.HasPrefix(l, ">") {
			d++
			l = strings.TrimPrefix(strings.TrimPrefix(l, ">"), " ")
		}
		if t := strings.TrimLeft(l, " "); strings.HasPrefix(t, "```") {
			switch f := t[:len(t)-len(strings.TrimLeft(t, "`"))]; {
			case fence == "":
				fence = f
			case f == fence:
				fence = ""
			}
		}
		if fence == "" {
			deepest = max(deepest, d)
		}
	}
	return deepest
}

// treeDepth returns the depth of the deepest node below root, iteratively.
func treeDepth(root *html.Node) int {
	deepest, depth := 0, 0
	for n := root; n != nil; {
		deepest = max(deepest, depth)
		if n.FirstChild != nil {
			n, depth = n.FirstChild, depth+1
			continue
		}
		for n != root && n.NextSibling == nil {
			n, depth = n.Parent, depth-1
		}
		if n == root {
			break
		}
		n = n.NextSibling
	}
	return deepest
}

// hasNotice reports whether a carries a notice containing s.
func hasNotice(a article.Article, s string) bool {
	for _, n := range a.Notices {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// checkBounds checks the bounds every extracted body keeps.
func checkBounds(t *testing.T, a article.Article, page []byte) {
	t.Helper()
	checkArticle(t, a)
	if n := len(a.Body); n > markdown.BodyLimit(len(page)) {
		t.Errorf("body is %d bytes, limit %d for a page of %d", n, markdown.BodyLimit(len(page)), len(page))
	}
	if n := strings.Count(a.Body, "\n") + 1; n > markdown.MaxBodyLines {
		t.Errorf("body has %d lines, limit %d", n, markdown.MaxBodyLines)
	}
	if d := quoteDepth(a.Body); d > markdown.MaxQuoteDepth {
		t.Errorf("body quotes %d deep, limit %d", d, markdown.MaxQuoteDepth)
	}
	links := 0
	for _, r := range a.References {
		if !r.Image {
			links++
			if !strings.Contains(a.Body, "["+strconv.Itoa(r.N)+"]") {
				t.Errorf("reference %d (%s) is not in the body", r.N, r.URL)
			}
		}
	}
	if links > markdown.MaxRefs {
		t.Errorf("%d link references, limit %d", links, markdown.MaxRefs)
	}
	md := markdown.Document(a)
	for _, n := range a.Notices {
		if !strings.Contains(md, "*"+n+"*") {
			t.Errorf("Markdown lacks the notice %q", n)
		}
	}
}

func TestNestedQuotesBounded(t *testing.T) {
	t.Run("issue 8 page", func(t *testing.T) {
		page := nestedQuotesPage(150, 11_000)
		a, err := Article("https://example.org/zitate", page)
		if err != nil {
			t.Fatal(err)
		}
		checkBounds(t, a, page)
		if d := quoteDepth(a.Body); d != markdown.MaxQuoteDepth {
			t.Errorf("quote depth = %d, want %d (flattened, not dropped)", d, markdown.MaxQuoteDepth)
		}
		if !hasNotice(a, "block quotes nested deeper") || !hasNotice(a, "shows only the start") {
			t.Errorf("notices = %q, want the quote and the cut notice", a.Notices)
		}
		if md := markdown.Document(a); len(md) > 10*len(page) {
			t.Errorf("Markdown is %d bytes for a page of %d", len(md), len(page))
		}
	})
	t.Run("text of deep quotes kept", func(t *testing.T) {
		page := []byte("<html><body><article>" + strings.Repeat("<blockquote>", 12) +
			"<p>ganz innen</p>" + strings.Repeat("</blockquote>", 6) + "<p>weiter außen</p>" +
			strings.Repeat("</blockquote>", 6) + "<p>Schluss.</p></article></body></html>")
		a, err := Article("https://example.org/q", page)
		if err != nil {
			t.Fatal(err)
		}
		checkBounds(t, a, page)
		for _, want := range []string{"> > > > ganz innen", "> > > > weiter außen", "Schluss."} {
			if !strings.Contains(a.Body, want) {
				t.Errorf("body lacks %q:\n%s", want, a.Body)
			}
		}
		if !hasNotice(a, "block quotes nested deeper") || hasNotice(a, "shows only the start") {
			t.Errorf("notices = %q, want only the quote notice", a.Notices)
		}
	})
	t.Run("shallow quotes untouched", func(t *testing.T) {
		page := nestedQuotesPage(markdown.MaxQuoteDepth, 3)
		a, err := Article("https://example.org/q", page)
		if err != nil {
			t.Fatal(err)
		}
		if d := quoteDepth(a.Body); d != markdown.MaxQuoteDepth || len(a.Notices) != 0 {
			t.Errorf("quote depth %d, notices %q; want %d and none", d, a.Notices, markdown.MaxQuoteDepth)
		}
	})
}

func TestNestedListsBounded(t *testing.T) {
	page := []byte("<html><body><article><p>Gliederung:</p>" + strings.Repeat(`<ol start="999990"><li>Punkt`, 40) +
		strings.Repeat("<li>x", 1000) + strings.Repeat("</ol>", 40) + "<p>Ende.</p></article></body></html>")
	a, err := Article("https://example.org/l", page)
	if err != nil {
		t.Fatal(err)
	}
	checkBounds(t, a, page)
	if !hasNotice(a, "lists nested deeper") {
		t.Errorf("notices = %q, want the list notice", a.Notices)
	}
	// Each list level indents by its marker's width ("999990. ").
	indent := regexp.MustCompile(`(?m)^ *`)
	widest := 0
	for _, m := range indent.FindAllString(a.Body, -1) {
		widest = max(widest, len(m))
	}
	if want := markdown.MaxListDepth * len("999990. "); widest > want {
		t.Errorf("deepest indentation %d, want at most %d", widest, want)
	}
	if !strings.Contains(a.Body, "Ende.") || strings.Count(a.Body, "Punkt") != 40 {
		t.Errorf("list text lost:\n%.2000s", a.Body)
	}
}

func TestDeepNestingBounded(t *testing.T) {
	for _, tc := range []struct {
		name string
		page []byte
	}{
		{"2M nested b", deepPage("b", 2_000_000)},
		{"2M nested div", deepPage("div", 2_000_000)},
		{"2M nested span", deepPage("span", 2_000_000)},
		{"600 nested div", deepPage("div", 600)},
		{"2M b i pairs", []byte("<p>" + strings.Repeat("<b><i>", 1_000_000) + "Tiefer Text am Grund der Seite.")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, notices, err := parseBounded(tc.page)
			if err != nil {
				t.Fatal(err)
			}
			if d := treeDepth(doc); d > dom.MaxNesting+1 {
				t.Errorf("tree depth %d, limit %d", d, dom.MaxNesting)
			}
			if n := countNodes(doc, 1<<30); n > 10_000 {
				t.Errorf("%d nodes for a page of one text", n)
			}
			if len(notices) != 1 || notices[0] != dom.NestingNotice {
				t.Errorf("notices = %q, want the nesting notice", notices)
			}
			a, err := Article("https://example.org/tief", tc.page)
			if err != nil {
				t.Fatal(err)
			}
			checkBounds(t, a, tc.page)
			if !strings.Contains(a.Body, "Tiefer Text am Grund der Seite.") || !hasNotice(a, "nested deeper") {
				t.Errorf("body %q, notices %q; want the text and the nesting notice", a.Body, a.Notices)
			}
		})
	}
}

func TestReopenedFormattingBounded(t *testing.T) {
	// 400 open <b> that the parser would clone into each of 50,000
	// paragraphs: 20 million nodes without the bound.
	page := reopenPage(400, 50_000)
	doc, notices, err := parseBounded(page)
	if err != nil {
		t.Fatal(err)
	}
	if n, limit := countNodes(doc, 1<<30), 3*50_000+dom.MaxReopens+10_000; n > limit {
		t.Errorf("%d nodes, want at most %d", n, limit)
	}
	if len(notices) == 0 {
		t.Error("no notice")
	}
	// The parser alone does clone them: 400 per paragraph.
	small := reopenPage(400, 200)
	raw, err := html.Parse(bytes.NewReader(small))
	if err != nil {
		t.Fatal(err)
	}
	if n := countNodes(raw, 1<<30); n < 400*200 {
		t.Errorf("html.Parse made only %d nodes of %d paragraphs: the test page does not amplify", n, 200)
	}
	// A sloppy page that reopens a few elements is parsed as it is.
	for _, page := range [][]byte{reopenPage(3, 1000), []byte("<p><font face=x>a<p>b<p>c<p><b>d<p>e</b>f")} {
		doc, notices, err := parseBounded(page)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := html.Parse(bytes.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := countNodes(doc, 1<<30), countNodes(raw, 1<<30); got != want || len(notices) != 0 {
			t.Errorf("parseBounded: %d nodes and notices %q; html.Parse: %d nodes", got, notices, want)
		}
	}
}

func TestFlattenDeep(t *testing.T) {
	src := "<div>" + strings.Repeat("<section><p>Absatz <b>fett</b></p>", 30) + "<img src=x.png>Ende" + strings.Repeat("</section>", 30) + "</div><p>Danach</p>"
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if !dom.FlattenDeep(doc, 10) {
		t.Fatal("dom.FlattenDeep(30 levels, 10) = false")
	}
	if d := treeDepth(doc); d > 11 {
		t.Errorf("depth after flattenDeep = %d, want at most 11", d)
	}
	if got := strings.Count(dom.TextOf(doc), "Absatz fett"); got != 30 {
		t.Errorf("text kept %d of 30 paragraphs: %q", got, dom.TextOf(doc))
	}
	if dom.Find(doc, dom.ByTag("img")) == nil || !strings.Contains(dom.TextOf(doc), "Ende Danach") {
		t.Errorf("image or text lost: %q", dom.TextOf(doc))
	}
	conv := &markdown.Converter{}
	md := conv.Convert(doc)
	if strings.Count(md, "Absatz ") != 30 || strings.Count(md, "\n\n") < 30 {
		t.Errorf("flattened paragraphs run together (%d paragraphs, %d breaks):\n%s", strings.Count(md, "Absatz "), strings.Count(md, "\n\n"), md)
	}
	if dom.FlattenDeep(doc, 10) {
		t.Error("flattenDeep twice changed the tree again")
	}
}

func TestBodyBounded(t *testing.T) {
	var many, long, code, links bytes.Buffer
	for i := range 20_000 {
		fmt.Fprintf(&many, "<p>Absatz %d mit <a href=\"https://example.org/ziel/%d\">Link</a>.</p>\n", i, i)
	}
	for range 150_000 {
		long.WriteString("Wort und noch ein Wort ")
	}
	for i := range 60_000 {
		fmt.Fprintf(&code, "line %d of code\n", i)
	}
	for i := range 5000 {
		fmt.Fprintf(&links, "<a href=\"https://example.org/%d\">l</a> ", i)
	}
	wrap := func(s string) []byte {
		return []byte("<html><head><title>Lang</title></head><body><article>" + s + "</article></body></html>")
	}
	for _, tc := range []struct {
		name, notice string
		page         []byte
	}{
		{"20,000 paragraphs", "shows only the start", wrap(many.String())},
		{"one 3 MB paragraph", "shows only the start", wrap("<p>" + long.String() + "</p>")},
		{"a 1 MB listing", "shows only the start", wrap("<p>Listing:</p><pre>" + code.String() + "</pre><p>Nachher.</p>")},
		{"5,000 links", "numbered only the first", wrap("<p>" + links.String() + "</p>")},
		{"heise page", "shows only the start", []byte(`<html><head><meta name="DC.identifier" content="https://heise.de/-7777777"></head><body><article id="meldung"><header class="a-article-header"><h1 class="a-article-header__title">Lang</h1></header><div class="article-content">` + many.String() + `</div></article></body></html>`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Article("https://example.org/lang", tc.page)
			if err != nil {
				t.Fatal(err)
			}
			checkBounds(t, a, tc.page)
			if !hasNotice(a, tc.notice) {
				t.Errorf("notices = %q, want one with %q", a.Notices, tc.notice)
			}
			if f := strings.Count(a.Body, "```"); f%2 != 0 {
				t.Errorf("body has %d fences: an unclosed code block", f)
			}
			if strings.HasSuffix(a.Body, "\\") {
				t.Error("body ends in a dangling hard break")
			}
		})
	}
}

func TestBodyRelativeToPage(t *testing.T) {
	// Deep ordered lists with wide markers make every short item many
	// times its HTML: the body may be at most markdown.BodyPageRatio times the page.
	items := strings.Repeat("<li>x", 2000)
	page := []byte("<html><body><article>" + strings.Repeat(`<ol start="999990"><li>y`, markdown.MaxListDepth) + items + "</article></body></html>")
	a, err := Article("https://example.org/l", page)
	if err != nil {
		t.Fatal(err)
	}
	checkBounds(t, a, page)
	if limit := markdown.BodyLimit(len(page)); limit >= markdown.MaxBodyBytes || len(a.Body) < limit/2 {
		t.Errorf("limit %d (page %d), body %d: the relative bound was not what cut", limit, len(page), len(a.Body))
	}
	if !hasNotice(a, "shows only the start") {
		t.Errorf("notices = %q", a.Notices)
	}
}

func TestCutPrunesReferencesAndFigures(t *testing.T) {
	var b strings.Builder
	b.WriteString("<html><body><article>")
	for i := range 6000 {
		fmt.Fprintf(&b, `<p>Absatz <a href="https://example.org/%d">%d</a></p><figure><img src="https://img.example.org/%d.jpg" alt="Bild %d"></figure>`, i, i, i, i)
	}
	b.WriteString("</article></body></html>")
	page := []byte(b.String())
	a, err := Article("https://example.org/p", page)
	if err != nil {
		t.Fatal(err)
	}
	checkBounds(t, a, page)
	if len(a.Figures) == 0 || len(a.Figures) >= 6000 {
		t.Fatalf("%d figures, want the kept ones only", len(a.Figures))
	}
	for _, f := range a.Figures {
		if f.Ref == 0 || !strings.Contains(a.Body, "["+strconv.Itoa(f.Ref)+"]") {
			t.Errorf("figure %s (ref %d) is not in the body", f.Image, f.Ref)
		}
	}
	if last := a.References[len(a.References)-1]; !last.Image || last.N != len(a.References) {
		t.Errorf("last reference %+v, want an image numbered last", last)
	}
}

func TestTablesBounded(t *testing.T) {
	row := func(cols int) string {
		return "<tr>" + strings.Repeat("<td>a b</td>", cols) + "</tr>"
	}
	wide := "<table>" + strings.Repeat(row(40), 5) + "</table>"
	tall := "<table>" + strings.Repeat(row(4), 3000) + "</table>"
	for _, tc := range []struct {
		name, html string
		tables     int // pipe tables expected
	}{
		{"40 columns", wide, 0},
		{"12,000 cells", tall, 0},
		{"small table", "<table>" + strings.Repeat(row(3), 3) + "</table>", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := []byte("<html><body><article><p>Tabelle:</p>" + tc.html + "<p>Ende.</p></article></body></html>")
			a, err := Article("https://example.org/t", page)
			if err != nil {
				t.Fatal(err)
			}
			checkBounds(t, a, page)
			if got := strings.Count("\n"+a.Body, "\n| --- |"); got != tc.tables {
				t.Errorf("%d pipe tables, want %d", got, tc.tables)
			}
			if flat := hasNotice(a, "tables wider"); flat != (tc.tables == 0) {
				t.Errorf("notices = %q", a.Notices)
			}
			if !strings.Contains(a.Body, "a b · a b") && tc.tables == 0 {
				t.Errorf("flattened rows lost their cells:\n%.500s", a.Body)
			}
		})
	}
	// Nested tables: each is converted once, not once per enclosing table.
	nested := strings.Repeat("<table><tr><td>", 100) + strings.Repeat(row(2), 50) + strings.Repeat("</td></tr></table>", 100)
	page := []byte("<html><body><article><p>Verschachtelt:</p>" + nested + "</article></body></html>")
	a, err := Article("https://example.org/n", page)
	if err != nil {
		t.Fatal(err)
	}
	checkBounds(t, a, page)
}

func TestCanonicalOnlyHTTP(t *testing.T) {
	body := "<body><article><h1>Titel</h1><p>Ein Absatz mit genug Text, damit es ein Artikel ist, und noch etwas mehr Text.</p></article></body></html>"
	for _, tc := range []struct {
		name, pageURL, head, wantURL, wantCanonical string
	}{
		{"file canonical", "https://example.org/a", `<link rel="canonical" href="file:///etc/passwd">`, "https://example.org/a", ""},
		{"javascript canonical", "https://example.org/a", `<link rel="canonical" href="javascript:alert(1)">`, "https://example.org/a", ""},
		{"data canonical", "https://example.org/a", `<link rel="canonical" href="data:text/html,<b>x</b>">`, "https://example.org/a", ""},
		{"ftp canonical", "https://example.org/a", `<link rel="canonical" href="ftp://example.org/a">`, "https://example.org/a", ""},
		{"junk canonical", "https://example.org/a", `<link rel="canonical" href="http://">`, "https://example.org/a", ""},
		{"file og:url", "https://example.org/a", `<meta property="og:url" content="file:///etc/passwd">`, "https://example.org/a", ""},
		{"relative canonical resolves", "https://example.org/a", `<link rel="canonical" href="/b">`, "https://example.org/a", "https://example.org/b"},
		{"relative canonical, no base", "", `<link rel="canonical" href="relative/junk">`, "", ""},
		{"file canonical, no page URL", "", `<link rel="canonical" href="file:///etc/passwd">`, "", ""},
		{"local copy keeps its file URL", "file:///tmp/copy.html", `<link rel="canonical" href="javascript:void(0)">`, "file:///tmp/copy.html", ""},
		{"page URL not http", "javascript:alert(1)", `<link rel="canonical" href="https://example.org/c">`, "", "https://example.org/c"},
		{"https canonical kept", "https://example.org/a?utm_source=x", `<link rel="canonical" href="https://example.org/c">`, "https://example.org/a", "https://example.org/c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Article(tc.pageURL, []byte("<html><head><title>T</title>"+tc.head+"</head>"+body))
			if err != nil {
				t.Fatal(err)
			}
			if a.URL != tc.wantURL || a.CanonicalURL != tc.wantCanonical {
				t.Errorf("URL, CanonicalURL = %q, %q; want %q, %q", a.URL, a.CanonicalURL, tc.wantURL, tc.wantCanonical)
			}
			if md := markdown.Document(a); strings.Contains(md, "passwd") || strings.Contains(md, "javascript:") {
				t.Errorf("Markdown shows the page's URL claim:\n%s", md)
			}
		})
	}
	heise := func(head string) []byte {
		return []byte(`<html><head>` + head + `</head><body><article id="meldung"><header class="a-article-header"><h1 class="a-article-header__title">Titel</h1></header><div class="article-content"><p>Text des Artikels.</p></div></article></body></html>`)
	}
	for _, tc := range []struct {
		name, pageURL, head, wantURL, wantCanonical string
	}{
		{"heise file canonical", "", `<meta name="DC.identifier" content="https://heise.de/-123456"><link rel="canonical" href="file:///etc/passwd">`, "", "https://www.heise.de/-123456"},
		{"heise javascript canonical, no ID", "", `<title>X | heise online</title><link rel="canonical" href="javascript:alert(1)">`, "", ""},
		{"heise data og:url", "https://www.heise.de/news/x.html", `<title>X | heise online</title><meta property="og:url" content="data:,x">`, "https://www.heise.de/news/x.html", ""},
		{"heise relative canonical", "", `<title>X | heise online</title><link rel="canonical" href="/news/y.html">`, "https://www.heise.de/news/y.html", "https://www.heise.de/news/y.html"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Article(tc.pageURL, heise(tc.head))
			if err != nil {
				t.Fatal(err)
			}
			if a.Rule != "heise" {
				t.Fatalf("rule %q, want heise", a.Rule)
			}
			if a.URL != tc.wantURL || a.CanonicalURL != tc.wantCanonical {
				t.Errorf("URL, CanonicalURL = %q, %q; want %q, %q", a.URL, a.CanonicalURL, tc.wantURL, tc.wantCanonical)
			}
		})
	}
}

func TestTagCharactersDropped(t *testing.T) {
	tags := "\U000E0001\U000E0049\U000E0067\U000E006E\U000E006F\U000E0072\U000E0065\U000E007F"
	page := []byte(`<html><head><title>Titel` + tags + `</title><meta name="author" content="Autor` + tags + `"></head><body><article>` +
		`<p>Absatz` + tags + ` mit <a href="https://example.org/x">Link` + tags + `</a> und <code>code` + tags + `</code>.</p>` +
		`<figure><img src="https://img.example.org/a.jpg" alt="Alt` + tags + `"><figcaption>Bild` + tags + `</figcaption></figure>` +
		`<pre>pre` + tags + `</pre><p>Genug Text für einen Artikel, wirklich genug Text.` + "\ufff9an\ufffaanno\ufffb" + `</p></article></body></html>`)
	a, err := Article("https://example.org/t", page)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range articleTexts(a) {
		for _, r := range s {
			if article.IsInvisible(r) {
				t.Errorf("%s keeps %U: %q", name, r, s)
				break
			}
		}
	}
	if !strings.Contains(a.Body, "Absatz mit Link [1]") || !strings.Contains(a.Body, "`code`") {
		t.Errorf("body = %q", a.Body)
	}
}
