package ansi

import (
	"testing"

	"github.com/microcosm-cc/bluemonday"
)

// sanitizeCases are HTML fragments of the kinds Markdown carries inline or
// as blocks, and malformed ones.
var sanitizeCases = []string{
	"", "   ", "plain text", "a < b & c > d", `say "hi" it's`, "line\r\nbreak",
	"<b>bold</b> and <i>italic</i>", "<br>", "<br/>", "<img src=x onerror=alert(1)>",
	"<p>para<p>another", "<!-- comment --> after", "<!DOCTYPE html><html><body>x</body></html>",
	"<script>alert(1)</script>after", "<style>p{}</style>text", "<SCRIPT>x</SCRIPT>y",
	"<title>t</title>body", "<iframe>in</iframe>out", "</iframe>stray<iframe>in</iframe>after",
	"<noscript><b>n</b></noscript>x", "<object><param>o</object>z", "<iframe><iframe>a</iframe>b</iframe>c",
	"&amp; &lt; &gt; &quot; &#39; &nbsp; &copy; &#x1F600; &bogus;", "<a href=\"https://x.y/?a=1&b=2\">link</a>",
	"<details><summary>s</summary>d</details>", "<kbd>Ctrl</kbd>+<kbd>C</kbd>", "<sup>1</sup>",
	"unclosed <b", "<", ">", "<<>>", "a\x00b", "<scr\x00ipt>x</scr\x00ipt>", "<textarea><b>t</b></textarea>",
	"<svg><script>s</script></svg>", "<math><style>m</style></math>", "<plaintext><b>p", "<xmp><i>x</i></xmp>",
	"<div>é ü ß 日本</div>", "<ScRiPt>a</sCrIpT>b", "<style/>c", "<script/>d", "<p>\u00a0</p>",
}

// TestStripTagsIsStrictPolicy: stripTags gives what bluemonday's
// StrictPolicy gives, which glamour used before.
func TestStripTagsIsStrictPolicy(t *testing.T) {
	p := bluemonday.StrictPolicy()
	for _, s := range sanitizeCases {
		if got, want := stripTags(s), p.Sanitize(s); got != want {
			t.Errorf("stripTags(%q) = %q, bluemonday gives %q", s, got, want)
		}
	}
}

func FuzzStripTagsIsStrictPolicy(f *testing.F) {
	for _, s := range sanitizeCases {
		f.Add(s)
	}
	p := bluemonday.StrictPolicy()
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := stripTags(s), p.Sanitize(s); got != want {
			t.Errorf("stripTags(%q) = %q, bluemonday gives %q", s, got, want)
		}
	})
}
