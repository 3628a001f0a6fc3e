package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// styles holds every style of the UI, built for the terminal's background.
// It is the only place with colours.
type styles struct {
	Bar                        lipgloss.Style // the top line of each screen
	Item, Selected, Unread     lipgloss.Style
	Marker, Star, Paywall, Dim lipgloss.Style
	Footer, Status, Error      lipgloss.Style
	Match, CurrentMatch        lipgloss.Style
	Help                       help.Styles
	rows                       rowSpans // the list's *styles as escape sequences, for speed
	Input                      textinput.Styles
	isDark, noColor            bool
}

// newStyles builds the styles for a dark or light background; with noColor
// (NO_COLOR) it keeps only bold, faint and reverse.
func newStyles(isDark, noColor bool) *styles {
	s := &styles{isDark: isDark, noColor: noColor}
	// A static cursor: blinking would need a stream of timer messages.
	s.Input = textinput.DefaultStyles(isDark)
	s.Input.Cursor.Blink = false
	if noColor {
		s.Input = textinput.Styles{}
	}
	ld := lipgloss.LightDark(isDark)
	base := lipgloss.NewStyle()
	if noColor {
		s.Bar = base.Bold(true).Reverse(true)
		s.Item = base
		s.Selected = base.Reverse(true)
		s.Unread = base.Bold(true)
		s.Marker = base
		s.Star = base
		s.Paywall = base
		s.Dim = base.Faint(true)
		s.Footer = base.Faint(true)
		s.Status = base
		s.Error = base.Bold(true)
		s.Match = base.Underline(true)
		s.CurrentMatch = base.Reverse(true)
		s.Help = help.Styles{}
		s.rows = newRowSpans(s)
		return s
	}
	accent := ld(lipgloss.Color("#5A56E0"), lipgloss.Color("#7571F9"))
	subtle := ld(lipgloss.Color("#8A8A8A"), lipgloss.Color("#6C6C6C"))
	// Bars and the selection are reversed, so that they stay visible when a
	// terminal has no colours at all.
	s.Bar = base.Bold(true).Reverse(true).Foreground(accent)
	s.Item = base
	s.Selected = base.Reverse(true).Foreground(ld(lipgloss.Color("#3B3880"), lipgloss.Color("#B9B6FF")))
	s.Unread = base.Bold(true)
	s.Marker = base.Foreground(accent)
	s.Star = base.Foreground(ld(lipgloss.Color("#B8860B"), lipgloss.Color("#FFD75F")))
	s.Paywall = base.Foreground(ld(lipgloss.Color("#C0392B"), lipgloss.Color("#FF6B5F")))
	s.Dim = base.Foreground(subtle)
	s.Footer = base.Foreground(subtle)
	s.Status = base.Foreground(ld(lipgloss.Color("#3A3A3A"), lipgloss.Color("#C8C8C8")))
	s.Error = base.Foreground(ld(lipgloss.Color("#C0392B"), lipgloss.Color("#FF6B5F")))
	s.Match = base.Underline(true).Background(ld(lipgloss.Color("#FFF3A0"), lipgloss.Color("#5F5F00")))
	s.CurrentMatch = base.Reverse(true).Foreground(ld(lipgloss.Color("#FFB000"), lipgloss.Color("#FFAF00")))
	s.Help = help.DefaultStyles(isDark)
	s.rows = newRowSpans(s)
	return s
}

// span is a style taken apart into the sequences before and after the text,
// so that a list row costs string concatenation instead of lipgloss
// rendering. It holds only for one-line text without width or padding.
type span struct{ open, close string }

func spanOf(st lipgloss.Style) span {
	const mark = "\x00"
	out := st.Render(mark)
	i := strings.Index(out, mark)
	if i < 0 {
		return span{}
	}
	return span{open: out[:i], close: out[i+len(mark):]}
}

// wrap styles text.
func (sp span) wrap(text string) string {
	if sp.open == "" && sp.close == "" {
		return text
	}
	return sp.open + text + sp.close
}

// rowSpans are the styles of a list row, prepared once per theme.
type rowSpans struct {
	dim, unread, item, selected span
	unreadMark, starMark        string // rendered markers
	offlineMark, paywallMark    string
}

func newRowSpans(s *styles) rowSpans {
	return rowSpans{
		dim: spanOf(s.Dim), unread: spanOf(s.Unread), item: spanOf(s.Item), selected: spanOf(s.Selected),
		unreadMark: s.Marker.Render("●"), starMark: s.Star.Render("★"),
		offlineMark: s.Marker.Render("↓"), paywallMark: s.Paywall.Render("+"),
	}
}

// renderStyle is the glamour style that goes with these styles.
func (s *styles) renderStyle(ascii bool) Style {
	switch {
	case ascii:
		return StyleASCII
	case s.noColor:
		return StyleNoColor
	case s.isDark:
		return StyleDark
	default:
		return StyleLight
	}
}
