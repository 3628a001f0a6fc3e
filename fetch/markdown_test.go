package fetch

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// renderHTML renders Markdown the way glamour parses it (CommonMark with the
// GitHub extensions), so tests can see what the Markdown means.
func renderHTML(t *testing.T, md string) string {
	t.Helper()
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPageTextCannotInjectMarkdown(t *testing.T) {
	hostile := []string{
		"# Heading", "## Heading", "> quote", "- item", "+ item", "* item", "1. item", "2) item", "---", "===",
		"*emphasis* and **strong**", "_under_ and __score__", "[link](https://evil.example/)", "![img](https://evil.example/i.png)",
		"`code`", "<script>alert(1)</script>", "<b>raw</b>", "&lt;tag&gt; &amp;copy; &#60;", "~~strike~~", "| a | b |",
		"[1]: https://evil.example/", "\\*escaped\\*", "<https://evil.example/>",
	}
	var page strings.Builder
	page.WriteString(`<html><head><title>Title</title></head><body><article><h1>Title</h1>`)
	for _, h := range hostile {
		page.WriteString("<p>" + htmlEscape(h) + "</p>")
	}
	page.WriteString("<p>" + strings.Repeat("Filler text so that readability takes this for an article. ", 20) + "</p></article></body></html>")
	a, err := Extract("https://example.org/post", []byte(page.String()))
	if err != nil {
		t.Fatal(err)
	}
	md := Markdown(a)
	out := renderHTML(t, md)
	for _, bad := range []string{"<h2", "<h3", "<blockquote", "<ul", "<ol", "<li", "<hr", "<em>", "<strong>", "<img",
		"<code>", "<script", "<b>", "<del>", "<table"} {
		if strings.Contains(out, bad) {
			t.Errorf("page text produced %s:\n%s\nfrom Markdown:\n%s", bad, out, md)
		}
	}
	// A URL written in the page text may become a link (GFM autolinks), but
	// only to what the text shows: no link hides its target.
	for _, m := range anchorPattern.FindAllStringSubmatch(out, -1) {
		if m[1] != m[2] {
			t.Errorf("link text %q hides target %q", m[2], m[1])
		}
	}
	// Every hostile line is still readable as text.
	for _, h := range []string{"# Heading", "1. item", "*emphasis* and **strong**", "`code`", "&lt;tag&gt; &amp;copy; &#60;", "| a | b |"} {
		if !strings.Contains(out, htmlEscape(h)) {
			t.Errorf("rendered text lacks %q:\n%s", h, out)
		}
	}
}

// anchorPattern matches a rendered link: its target and its text.
var anchorPattern = regexp.MustCompile(`<a href="([^"]*)">([^<]*)</a>`)

// htmlEscape escapes text for HTML the way goldmark writes it.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

func TestEscapeLineStart(t *testing.T) {
	for in, want := range map[string]string{
		"# a": "\\# a", "#a": "\\#a", "> a": "\\> a", "- a": "\\- a", "-5 Grad": "-5 Grad", "--": "\\--",
		"+ a": "\\+ a", "=": "\\=", "1. Mai": "1\\. Mai", "2024) Jahr": "2024\\) Jahr", "1.5 Liter": "1.5 Liter",
		"12345678901. x": "12345678901. x", "a # b": "a # b", "": "",
	} {
		if got := escapeLineStart(in); got != want {
			t.Errorf("escapeLineStart(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeInline(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "plain", "a*b_c": "a\\*b\\_c", "[x]": "\\[x\\]", "`c`": "\\`c\\`", "<x>": "\\<x>", "a|b": "a\\|b",
		"~x~": "\\~x\\~", "1&1": "1&1", "AT&T": "AT\\&T", "&#60;": "\\&#60;", "a\\b": "a\\\\b", "ü & ö": "ü & ö",
	} {
		if got := escapeInline(in); got != want {
			t.Errorf("escapeInline(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownDocument(t *testing.T) {
	a := Article{
		Rule:         "heise",
		Title:        "Titel mit *Stern* und [Klammer]",
		Lead:         "1. Satz des Vorspanns.",
		Notice:       "Archiv",
		Hero:         &Figure{Image: "https://example.org/h.jpg", Caption: "Bildtext", Credit: "Agentur", Ref: 2},
		Body:         "Ein Link [1].",
		CanonicalURL: "https://www.heise.de/-1",
		URL:          "https://www.heise.de/news/x-1.html",
		References: []Reference{
			{N: 1, URL: "https://example.org/a b<c>"},
			{N: 2, URL: "https://example.org/h.jpg", Image: true},
		},
	}
	want := "# Titel mit \\*Stern\\* und \\[Klammer\\]\n\n" +
		"*Archiv*\n\n" +
		"1\\. Satz des Vorspanns.\n\n" +
		"**Bild** [2]: *Bildtext* (Bild: Agentur)\n\n" +
		"Ein Link [1].\n\n" +
		"URL dieses Artikels: <https://www.heise.de/-1>\n\n" +
		"Links in diesem Artikel:\n\n" +
		"[1] <https://example.org/a%20b%3Cc%3E>\n\n" +
		"[2] <https://example.org/h.jpg>\n"
	if got := Markdown(a); got != want {
		t.Errorf("Markdown =\n%s\nwant\n%s", got, want)
	}
	// Other sites get English words.
	a.Rule = "readability"
	if en := Markdown(a); !strings.Contains(en, "**Image** [2]: *Bildtext* (Image: Agentur)") ||
		!strings.Contains(en, "URL of this article: <https://www.heise.de/-1>") || !strings.Contains(en, "Links in this article:") {
		t.Errorf("Markdown of a non-heise article uses other words:\n%s", en)
	}
	// Each reference renders as a paragraph of its own, with its URL as a link.
	out := renderHTML(t, want)
	for _, w := range []string{"<p>[1] <a href=\"https://example.org/a%20b%3Cc%3E\">", "<p>[2] <a href=\"https://example.org/h.jpg\">", "<h1>"} {
		if !strings.Contains(out, w) {
			t.Errorf("rendered document lacks %q:\n%s", w, out)
		}
	}
	// Without a canonical URL the page URL is the article's URL; without
	// references there is no list.
	a.Rule, a.CanonicalURL, a.References = "heise", "", nil
	md := Markdown(a)
	if !strings.Contains(md, "URL dieses Artikels: <https://www.heise.de/news/x-1.html>") || strings.Contains(md, "Links in diesem Artikel") {
		t.Errorf("Markdown without canonical URL and references:\n%s", md)
	}
}

func TestFigureMarkdownLooksDifferent(t *testing.T) {
	md := "Body text.\n\n> A quote.\n\n" + figureMarkdown(Figure{Image: "x", Caption: "Caption", Credit: "Credit"}, "3", germanLabels())
	out := renderHTML(t, md)
	want := "<p>Body text.</p>\n<blockquote>\n<p>A quote.</p>\n</blockquote>\n<p><strong>Bild</strong> [3]: <em>Caption</em> (Bild: Credit)</p>\n"
	if out != want {
		t.Errorf("rendered figure =\n%s\nwant\n%s", out, want)
	}
	for _, tt := range []struct {
		f    Figure
		want string
	}{
		{Figure{Image: "x", Alt: "Alt only"}, "**Bild** [1]: *Alt only*"},
		{Figure{Image: "x", Credit: "Only credit"}, "**Bild** [1]: (Bild: Only credit)"},
		{Figure{Image: "x"}, "**Bild** [1]"},
	} {
		if got := figureMarkdown(tt.f, "1", germanLabels()); got != tt.want {
			t.Errorf("figureMarkdown(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}
