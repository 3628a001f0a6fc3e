package ui

import (
	"fmt"
	"strings"
	"sync"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	glamourstyles "charm.land/glamour/v2/styles"
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
		return glamourstyles.NoTTYStyleConfig
	case StyleASCII:
		return glamourstyles.ASCIIStyleConfig
	}
	return glamourstyles.DarkStyleConfig
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
	out, err := t.tr.Render(markdown)
	t.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
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
	)
	if err != nil {
		return nil, fmt.Errorf("build renderer (width %d, %s): %w", k.width, k.style, err)
	}
	t := &termRenderer{tr: tr}
	r.terms[k] = t
	return t, nil
}

// trimLines drops the trailing blanks glamour pads every line with, and
// blank lines at the start and end, so output pipes and diffs cleanly.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n") + "\n"
}
