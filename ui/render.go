package ui

import (
	"fmt"
	"strings"
	"sync"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	glamourstyles "charm.land/glamour/v2/styles"
	xansi "github.com/charmbracelet/x/ansi"
)

// Style is the look of a rendering: it follows the terminal's background,
// or has no colour at all.
type Style int

const (
	// StyleDark is for dark terminal backgrounds.
	StyleDark Style = iota
	// StyleLight is for light terminal backgrounds.
	StyleLight
	// StyleNoColor keeps glamour's layout without any colour (NO_COLOR).
	StyleNoColor
	// StyleASCII is plain ASCII-decorated text: --format text, pipes and tests.
	StyleASCII
)

// String names the style.
func (s Style) String() string {
	switch s {
	case StyleDark:
		return "dark"
	case StyleLight:
		return "light"
	case StyleNoColor:
		return "notty"
	case StyleASCII:
		return "ascii"
	}
	return fmt.Sprintf("Style(%d)", int(s))
}

func (s Style) config() ansi.StyleConfig {
	switch s {
	case StyleLight:
		return glamourstyles.LightStyleConfig
	case StyleNoColor:
		return noColorStyle()
	case StyleASCII:
		return glamourstyles.ASCIIStyleConfig
	}
	return glamourstyles.DarkStyleConfig
}

// noColorStyle is glamour's ASCII style with the Markdown markers (#, **,
// *, ~~) replaced by attributes: NO_COLOR asks for no colour, not for
// Markdown source. Headings are bold (the title also underlined), strong
// text bold, emphasis italic; quote bars stay.
func noColorStyle() ansi.StyleConfig {
	c := glamourstyles.ASCIIStyleConfig
	on := true
	heading := func(underline bool) ansi.StyleBlock {
		return ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{Bold: &on, Underline: &underline}}
	}
	c.Heading = ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{BlockSuffix: "\n", Bold: &on}}
	c.H1 = heading(true)
	c.H2, c.H3, c.H4, c.H5, c.H6 = heading(false), heading(false), heading(false), heading(false), heading(false)
	c.Strong = ansi.StylePrimitive{Bold: &on}
	c.Emph = ansi.StylePrimitive{Italic: &on}
	c.Strikethrough = ansi.StylePrimitive{CrossedOut: &on}
	c.DefinitionDescription = ansi.StylePrimitive{BlockPrefix: "\n  "}
	return c
}

// MaxWidth is the widest the reader and kiosk read wrap an article by
// default: longer lines read badly. An explicit width may exceed it.
const MaxWidth = 100

// Renderer renders article Markdown with glamour. Building a glamour
// renderer costs more than rendering a short article, so it keeps one per
// (width, style) and reuses it. It is safe for concurrent use.
type Renderer struct {
	mu    sync.Mutex
	terms map[renderKey]*termRenderer
}

type renderKey struct {
	width int
	style Style
}

// termRenderer is a glamour renderer with its own lock: a glamour
// TermRenderer keeps a buffer and may not be used by two goroutines at once.
type termRenderer struct {
	mu sync.Mutex
	tr *glamour.TermRenderer
}

// NewRenderer returns an empty Renderer.
func NewRenderer() *Renderer {
	return &Renderer{terms: make(map[renderKey]*termRenderer)}
}

// Render wraps markdown at width columns (20 to 500) in the given style.
func (r *Renderer) Render(markdown string, width int, style Style) (string, error) {
	width = max(20, min(width, 500))
	t, err := r.term(renderKey{width, style})
	if err != nil {
		return "", err
	}
	t.mu.Lock()
	out, err := t.tr.Render(prewrapQuotes(markdown, width-quoteSlack))
	t.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	if style == StyleASCII {
		// glamour marks links with OSC 8 hyperlinks whatever the style;
		// plain text must carry no escape sequence at all.
		out = xansi.Strip(out)
	}
	return trimLines(out), nil
}

func (r *Renderer) term(k renderKey) (*termRenderer, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, ok := r.terms[k]; ok {
		return t, nil
	}
	tr, err := glamour.NewTermRenderer(
		glamour.WithStyles(k.style.config()),
		glamour.WithWordWrap(k.width),
		// kiosk's Markdown writes a paragraph as one line, so a newline
		// inside a block is meant: quote lines, reference lists.
		glamour.WithPreservedNewLines(),
	)
	if err != nil {
		return nil, fmt.Errorf("build renderer (width %d, %s): %w", k.width, k.style, err)
	}
	t := &termRenderer{tr: tr}
	r.terms[k] = t
	return t, nil
}

// trimLines drops the padding glamour puts after every line (plain or
// coloured spaces; a background colour is kept, as it shows) and blank lines
// at the start and end, so output pipes, diffs and redraws cheaply.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = trimPadding(l)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n") + "\n"
}

// trimPadding removes a line's trailing run of spaces and SGR sequences,
// except spaces painted with a background (or reverse video), which show;
// it closes with a reset when it cut after an open style.
func trimPadding(l string) string {
	cut, painted := 0, false
	for i := 0; i < len(l); {
		if strings.HasPrefix(l[i:], "\x1b[") {
			j := i + 2
			for j < len(l) && (l[j] == ';' || (l[j] >= '0' && l[j] <= '9')) {
				j++
			}
			if j < len(l) && l[j] == 'm' {
				params := l[i+2 : j]
				switch {
				case params == "" || params == "0":
					painted = false
				case strings.Contains(params, "48;") || hasParam(params, "7"):
					painted = true
				}
				i = j + 1
				continue
			}
		}
		if l[i] != ' ' || painted {
			cut = i + 1
		}
		i++
	}
	if cut == len(l) {
		return l
	}
	kept := l[:cut]
	if strings.Contains(kept, "\x1b[") && !strings.HasSuffix(kept, "\x1b[m") {
		return kept + "\x1b[m"
	}
	return kept
}

// hasParam reports whether the SGR parameter list holds p on its own.
func hasParam(params, p string) bool {
	for _, f := range strings.Split(params, ";") {
		if f == p {
			return true
		}
	}
	return false
}

// quoteSlack is how much narrower than the page a quote's text must be:
// the document margins, the quote bar and one column of safety.
const quoteSlack = 8

// prewrapQuotes wraps the paragraphs of top-level block quotes itself.
// glamour v2.0.1 wraps a quoted paragraph a few columns too
// wide, then wraps it again and loses the quote bar on the broken lines;
// lines that already fit are left alone by both passes.
func prewrapQuotes(md string, width int) string {
	if !strings.Contains(md, "\n>") && !strings.HasPrefix(md, ">") {
		return md
	}
	width = max(width, 12)
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	var para []string
	inFence := false
	flush := func() {
		if len(para) == 0 {
			return
		}
		out = append(out, wrapQuoted(strings.Join(para, " "), width)...)
		para = para[:0]
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "```") {
			inFence = !inFence
		}
		text, quoted := strings.CutPrefix(l, "> ")
		if inFence || !quoted || !isPlainText(text) {
			flush()
			out = append(out, l)
			continue
		}
		para = append(para, strings.TrimSpace(text))
	}
	flush()
	return strings.Join(out, "\n")
}

// isPlainText reports whether a quoted line is ordinary paragraph text, not
// a nested quote, list item, heading, fence or blank line.
func isPlainText(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" {
		return false
	}
	switch t[0] {
	case '>', '#', '-', '*', '+', '|', '`':
		return false
	}
	if i := strings.IndexAny(t, ".)"); i > 0 && strings.Trim(t[:i], "0123456789") == "" {
		return false
	}
	return true
}

// wrapQuoted breaks text into "> " lines of at most width columns.
func wrapQuoted(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	curW := 0
	for _, w := range strings.Fields(text) {
		ww := xansi.StringWidth(w)
		if curW > 0 && curW+1+ww > width {
			lines = append(lines, "> "+cur.String())
			cur.Reset()
			curW = 0
		}
		if curW > 0 {
			cur.WriteByte(' ')
			curW++
		}
		cur.WriteString(w)
		curW += ww
	}
	if curW > 0 {
		lines = append(lines, "> "+cur.String())
	}
	return lines
}
