package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestTerminalAnswerPicksProtocol: with image_protocol "auto" the reader
// asks the terminal who it is, and its answer picks the protocol where the
// environment said nothing (over SSH); an explicit setting is kept.
func TestTerminalAnswerPicksProtocol(t *testing.T) {
	for _, tt := range []struct {
		setting, answer, want string
	}{
		{"auto", "kitty(0.35.2)", ProtocolKitty},
		{"auto", "ghostty 1.0.1", ProtocolKitty},
		{"auto", "WezTerm 20240203-110809-5046fc22", ProtocolHalfblocks},
		{"auto", "foot(1.16.2)", ProtocolHalfblocks},
		{"auto", "some terminal", "unchanged"},
		{"halfblocks", "kitty(0.35.2)", "unchanged"},
	} {
		m := newTestModel(newFake(t), 80, 24, func(o *Options) {
			o.NoColor, o.ASCII, o.Images, o.ImageProtocol = false, false, true, tt.setting
		})
		before := m.reader.pics.proto
		nm, _ := m.Update(tea.TerminalVersionMsg{Name: tt.answer})
		got := nm.(Model).reader.pics.proto
		want := tt.want
		if want == "unchanged" {
			want = before
		}
		if got != want {
			t.Errorf("%s, terminal %q: protocol %q, want %q", tt.setting, tt.answer, got, want)
		}
		if want != ProtocolNone && !nm.(Model).keys.Images.Enabled() {
			t.Errorf("%s, terminal %q: the pictures key is off", tt.setting, tt.answer)
		}
	}
}
