package extract

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch/article"
	"github.com/kiosk-reader/kiosk/fetch/markdown"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

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
	a, err := Article("https://example.org/post", []byte(page.String()))
	if err != nil {
		t.Fatal(err)
	}
	md := markdown.Document(a)
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

// TestPrintTextIsClean: escapes and character references in a page's text
// cannot bring terminal control sequences back into the print view.
func TestPrintTextIsClean(t *testing.T) {
	page := []byte(`<!DOCTYPE html><html><head><title>T</title></head><body><article><h1>T</h1>
<p>` + strings.Repeat("Some ordinary words of the article. ", 10) + `</p>
<p>red &amp;#27;[2J&amp;#27;]0;pwned&amp;#7; text and &amp;#x9b;31m more</p>
<pre><code>code &amp;#27;[31m line</code></pre>
<figure><img src="https://x.example/a.jpg"><figcaption>Warten…</figcaption></figure>
</article></body></html>`)
	a, err := Article("https://x.example/a.html", page)
	if err != nil {
		t.Fatal(err)
	}
	a.Hero = &article.Figure{Image: "https://x.example/h.jpg", Caption: "Warten…", Credit: "dpa"}
	out := markdown.PrintText(a, 60)
	if strings.ContainsAny(out, "\x1b\x07\u009b") {
		t.Errorf("control characters in the print view:\n%q", out)
	}
	if !strings.Contains(out, "Warten… Image: dpa") {
		t.Errorf("a caption ending in … got another full stop:\n%s", out)
	}
}

func TestPrintHeroWithoutFigcaption(t *testing.T) {
	page := `<html><head><title>Druckversion - Held | heise online</title></head><body><article class="printversion">
<header><h1>Held</h1></header><div class="aufmacherbild"><img src="/imgs/p.jpg" alt="P"><p class="caption">Bildtext</p><p class="source">(Bild: Agentur)</p></div>
<p>Text.</p><p><strong>URL dieses Artikels:</strong><br>https://www.heise.de/-9000005</p></article></body></html>`
	a, err := Article("", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	want := article.Figure{Image: "https://www.heise.de/imgs/p.jpg", Alt: "P", Caption: "Bildtext", Credit: "Agentur", Ref: 1}
	if a.Hero == nil || *a.Hero != want {
		t.Errorf("Hero = %+v, want %+v", a.Hero, want)
	}
	if a.Body != "Text." {
		t.Errorf("Body = %q, want the caption kept out of it", a.Body)
	}
}

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
