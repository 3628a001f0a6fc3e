package ui

import (
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

const sampleMarkdown = "# Schoigu-Anruf: Russland warnt Frankreich\n\nRussischer Verteidigungsminister droht Paris mit Reaktion. Aber signalisiert auch Verhandlungsbereitschaft.\n\n## Moskauer Anschlag und Ukraine-Krise\n\nDiese Information wurde durch die russische Nachrichtenagentur RIA Novosti verbreitet [1].\n"

func TestRenderWraps(t *testing.T) {
	r := NewRenderer()
	for _, width := range []int{40, 80, 120} {
		out, err := r.Render(sampleMarkdown, width, StyleASCII)
		if err != nil {
			t.Fatalf("Render(width %d) error %v", width, err)
		}
		limit := width
		for _, line := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(line); w > limit {
				t.Errorf("Render(width %d): line %q is %d columns wide, want ≤ %d", width, line, w, limit)
			}
		}
		if strings.Contains(out, "\x1b") {
			t.Errorf("Render(width %d, ASCII) contains an escape sequence", width)
		}
		if !strings.Contains(out, "Novosti") || !strings.Contains(out, "[1]") {
			t.Errorf("Render(width %d) lost text:\n%s", width, out)
		}
	}
}

func TestRenderStylesDiffer(t *testing.T) {
	r := NewRenderer()
	dark, err := r.Render(sampleMarkdown, 80, StyleDark)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := r.Render(sampleMarkdown, 80, StyleNoColor)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dark, "\x1b[") {
		t.Errorf("dark rendering has no colour")
	}
	if strings.Contains(plain, "\x1b[3") || strings.Contains(plain, "\x1b[38") {
		t.Errorf("no-colour rendering sets a foreground colour: %q", plain)
	}
}

func TestRendererConcurrent(t *testing.T) {
	r := NewRenderer()
	want, err := r.Render(sampleMarkdown, 60, StyleASCII)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := r.Render(sampleMarkdown, 60, StyleASCII)
			if err != nil || got != want {
				t.Errorf("concurrent Render differs or failed: %v", err)
			}
		})
	}
	wg.Wait()
}

// TestRenderQuoteKeepsBar guards against glamour losing the quote bar on
// lines it wraps twice: every line of a rendered quote starts with the bar.
func TestRenderQuoteKeepsBar(t *testing.T) {
	quote := "Die Arithmetik ist unausweichlich: Die Nato-Länder müssen bald Soldaten in die Ukraine entsenden, sonst wird man eine katastrophale Niederlage erleben. Die Briten und Franzosen sowie die nordischen Länder bereiten sich bereits in aller Stille darauf vor, Truppen zu entsenden – sowohl kleine Eliteeinheiten als auch Logistik- und Unterstützungspersonal –, die weit von der Front entfernt bleiben können."
	r := NewRenderer()
	for _, width := range []int{40, 60, 80, 100, 120} {
		out, err := r.Render("Davor.\n\n> "+quote+"\n\nDanach.\n", width, StyleASCII)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(out, "\n")
		var body []string
		for _, l := range lines {
			l = strings.TrimSpace(l)
			if l == "" || l == "Davor." || l == "Danach." {
				continue
			}
			if !strings.HasPrefix(l, "| ") {
				t.Errorf("width %d: quote line without bar: %q\n%s", width, l, out)
			}
			body = append(body, strings.TrimPrefix(l, "| "))
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("width %d: line %d columns wide", width, w)
			}
		}
		if got := strings.Join(body, " "); got != quote {
			t.Errorf("width %d: quote text changed:\n got %q\nwant %q", width, got, quote)
		}
	}
}

// BenchmarkRenderSeed renders the seed article at 80 columns with a warm
// Renderer, as the reader and kiosk read do.
func BenchmarkRenderSeed(b *testing.B) {
	md, err := os.ReadFile("testdata/seed.md")
	if err != nil {
		b.Fatal(err)
	}
	for _, st := range []Style{StyleDark, StyleASCII} {
		b.Run(st.String(), func(b *testing.B) {
			r := NewRenderer()
			if _, err := r.Render(string(md), 80, st); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Render(string(md), 80, st); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderColdRenderer is the cost kiosk avoids by keeping renderers:
// building one glamour renderer per render.
func BenchmarkRenderColdRenderer(b *testing.B) {
	md, err := os.ReadFile("testdata/seed.md")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewRenderer().Render(string(md), 80, StyleDark); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTrimPadding(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain   ", "plain"},
		{"\x1b[38;5;252mtext\x1b[m\x1b[38;5;252m \x1b[m\x1b[38;5;252m \x1b[m", "\x1b[38;5;252mtext\x1b[m"},
		{"\x1b[38;5;252m \x1b[m\x1b[38;5;252m \x1b[m", ""},
		{"\x1b[38;5;228;48;5;63;1m Title \x1b[m", "\x1b[38;5;228;48;5;63;1m Title \x1b[m"},
		{"\x1b[7m selected \x1b[m  ", "\x1b[7m selected \x1b[m"},
		{"\x1b[48;5;1mbg\x1b[m\x1b[38;5;2m   \x1b[m", "\x1b[48;5;1mbg\x1b[m"},
		{"no padding", "no padding"},
	} {
		if got := trimPadding(tc.in); got != tc.want {
			t.Errorf("trimPadding(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestRenderHighlightsCode: code blocks are highlighted by language, both
// for a lexer written in Go (go), for one read from chroma's embedded XML
// (python), which the patched chroma in third_party/chroma loads on first
// use, and for one that remaps token types by word (lisp); several renders
// at once share that first load.
func TestRenderHighlightsCode(t *testing.T) {
	cases := []struct{ lang, code, keyword, name string }{
		{"go", "func main() {\n\treturn\n}", "func", "main"},
		{"python", "def greet(name):\n    return name", "def", "greet"},
		// Common Lisp's keywords are names the lexer remaps by word lists
		// (chroma's TypeRemappingLexer, whose tables the patch builds at
		// the first token).
		{"lisp", "(let ((greeting 1)) greeting)", "let", "greeting"},
	}
	sgr := regexp.MustCompile(`\x1b\[[0-9;]*m`)
	// styleOf is the last SGR sequence before word in s.
	styleOf := func(s, word string) string {
		i := strings.Index(s, word)
		if i < 0 {
			return ""
		}
		all := sgr.FindAllString(s[:i], -1)
		if len(all) == 0 {
			return ""
		}
		return all[len(all)-1]
	}
	r := NewRenderer()
	var wg sync.WaitGroup
	for _, c := range cases {
		wg.Go(func() {
			out, err := r.Render("Text.\n\n```"+c.lang+"\n"+c.code+"\n```\n", 80, StyleDark)
			if err != nil {
				t.Errorf("Render(%s code) error %v", c.lang, err)
				return
			}
			kw, name := styleOf(out, c.keyword), styleOf(out, c.name)
			if kw == "" || kw == name {
				t.Errorf("%s: keyword %q styled %q, name %q styled %q; want two different colours:\n%q",
					c.lang, c.keyword, kw, c.name, name, out)
			}
		})
	}
	wg.Wait()
}

// TestFirstPageWarmsTheRenderer: once the first page of the list has
// arrived, a command builds the renderer the reader will use (and with it
// chroma's lexers), so the first article opened does not wait for them.
func TestFirstPageWarmsTheRenderer(t *testing.T) {
	m := newTestModel(newFake(t), 80, 24)
	key := renderKey{max(20, min(m.reader.bodyWidth(), 500)), m.reader.style}
	built := func(m Model) bool {
		m.renderer.mu.Lock()
		defer m.renderer.mu.Unlock()
		_, ok := m.renderer.terms[key]
		return ok
	}
	if built(m) {
		t.Fatal("renderer built before the start")
	}
	m = start(t, m)
	if !built(m) {
		t.Errorf("after the first page, no renderer for %+v", key)
	}
	if !m.firstPage {
		t.Error("the model does not record that the first page arrived")
	}
}

// TestRenderStripsHTML: HTML in an article's Markdown (inline or as a
// block) is shown as its text, without tags, and script, style and
// comments are dropped (glamour's sanitizer, patched in third_party/glamour
// to strip tags without bluemonday).
func TestRenderStripsHTML(t *testing.T) {
	md := "Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to copy &amp; go<!-- note -->.\n\n" +
		"<div class=\"box\">\n<script>alert(1)</script><style>p{}</style>Boxed <b>text</b> &lt;here&gt;\n</div>\n\n" +
		"After the block.\n"
	out, err := NewRenderer().Render(md, 80, StyleASCII)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Press Ctrl+C to copy & go.", "Boxed text <here>", "After the block."} {
		if !strings.Contains(text, want) {
			t.Errorf("rendering lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"<kbd>", "<b>", "alert", "p{}", "note", "<div"} {
		if strings.Contains(out, bad) {
			t.Errorf("rendering shows %q:\n%s", bad, out)
		}
	}
}
