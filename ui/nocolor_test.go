package ui

import (
	"regexp"
	"strings"
	"testing"
)

// TestNoColorShowsNoMarkdownMarkers opens the heise article with NO_COLOR:
// headings, bold and italics lose their #, ** and * (quote bars may stay).
func TestNoColorShowsNoMarkdownMarkers(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 100, 30, func(o *Options) { o.NoColor, o.ASCII = true, false }))
	m = press(t, m, "enter")
	var screens []string
	for range 4 {
		screens = append(screens, plain(m))
		m = press(t, m, "space")
	}
	out := strings.Join(screens, "\n")
	if !strings.Contains(out, "Ionos-Phishing: Masche") || !strings.Contains(out, "Bild [3]: Online-Kriminelle") ||
		!strings.Contains(out, "Phishing-Masche \"Zustimmung") {
		t.Fatalf("the NO_COLOR reader lost text:\n%s", out)
	}
	marker := regexp.MustCompile(`(?m)^\s*#+ |\*\*|(^|\s)\*\S|\S\*(\s|$)`)
	if loc := marker.FindStringIndex(out); loc != nil {
		t.Errorf("the NO_COLOR reader shows the Markdown marker %q:\n%s", out[loc[0]:loc[1]], out)
	}
	if strings.Contains(view(m), "\x1b[3") && strings.Contains(view(m), "8;5;") {
		t.Error("the NO_COLOR reader has colours")
	}
}
