package fetch

import (
	"strings"
	"testing"
)

// TestPrintTextIsClean: escapes and character references in a page's text
// cannot bring terminal control sequences back into the print view.
func TestPrintTextIsClean(t *testing.T) {
	page := []byte(`<!DOCTYPE html><html><head><title>T</title></head><body><article><h1>T</h1>
<p>` + strings.Repeat("Some ordinary words of the article. ", 10) + `</p>
<p>red &amp;#27;[2J&amp;#27;]0;pwned&amp;#7; text and &amp;#x9b;31m more</p>
<pre><code>code &amp;#27;[31m line</code></pre>
<figure><img src="https://x.example/a.jpg"><figcaption>Warten…</figcaption></figure>
</article></body></html>`)
	a, err := Extract("https://x.example/a.html", page)
	if err != nil {
		t.Fatal(err)
	}
	a.Hero = &Figure{Image: "https://x.example/h.jpg", Caption: "Warten…", Credit: "dpa"}
	out := PrintText(a, 60)
	if strings.ContainsAny(out, "\x1b\x07\u009b") {
		t.Errorf("control characters in the print view:\n%q", out)
	}
	if !strings.Contains(out, "Warten… Image: dpa") {
		t.Errorf("a caption ending in … got another full stop:\n%s", out)
	}
}
