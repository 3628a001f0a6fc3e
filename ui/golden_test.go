package ui

import (
	"bytes"
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
)

// asciiView is the screen as a terminal with the ASCII profile gets it:
// attributes such as bold and reverse stay, colours go.
func asciiView(t *testing.T, m Model) string {
	t.Helper()
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
	if _, err := w.Write([]byte(view(m))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestGoldenViews pins every screen at 80×24 and 120×40, with the real
// (dark) styles downsampled to the ASCII profile and ASCII article rendering.
func TestGoldenViews(t *testing.T) {
	flows := []struct {
		name string
		keys []string
	}{
		{"list", nil},
		{"reader", []string{"enter"}},
		{"reader-end", []string{"enter", "G"}},
		{"reader-find", []string{"enter", "/", "type:phishing", "enter", "n"}},
		{"reference", []string{"enter", "2"}},
		{"links", []string{"enter", "L", "j"}},
		{"help-list", []string{"?"}},
		{"help-reader", []string{"enter", "?"}},
		{"filter", []string{"/", "type:phish"}},
		{"search", []string{"S", "type:phishing", "enter"}},
		{"teaser", []string{"G", "enter"}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, f := range flows {
			t.Run(fmt.Sprintf("%s-%dx%d", f.name, size[0], size[1]), func(t *testing.T) {
				m := newTestModel(newFake(t), size[0], size[1], func(o *Options) { o.NoColor = false })
				m = start(t, m)
				m = send(t, m, tea.BackgroundColorMsg{Color: colorBlack})
				m = press(t, m, f.keys...)
				golden.RequireEqual(t, asciiView(t, m))
			})
		}
	}
}
