package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// helpModel is the help screen: every key of the screen it was opened from,
// straight from the key map, and the list markers.
type helpModel struct {
	out           tea.Msg // a navigation request for the root
	from          screen
	width, height int
}

// update leaves help on esc, q or ?.
func (h helpModel) update(msg tea.Msg, k *keyMap) (helpModel, tea.Cmd) {
	if msg, ok := msg.(tea.KeyPressMsg); ok && key.Matches(msg, k.Back, k.Help) {
		h.out = backMsg{}
		return h, nil
	}
	return h, nil
}

// view draws the full help of the screen help was opened from.
func (h helpModel) view(st *styles, km help.KeyMap) string {
	hm := help.New()
	hm.Styles = st.Help
	hm.SetWidth(h.width - 2)
	var b strings.Builder
	b.WriteString(barLine(st, " kiosk · help", "", h.width))
	b.WriteString("\n\n")
	for _, row := range packColumns(hm, km.FullHelp(), h.width-2) {
		for _, line := range strings.Split(hm.FullHelpView(row), "\n") {
			b.WriteString(" " + line + "\n")
		}
		b.WriteString("\n")
	}
	if h.from == screenList {
		b.WriteString(" " + st.Marker.Render("●") + " unread  " + st.Star.Render("★") + " starred  " +
			st.Marker.Render("↓") + " full text offline  " + st.Paywall.Render("+") + " heise+ (paywalled)\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// packColumns splits the help columns into rows that fit in width, so that
// narrow terminals show every key instead of cutting columns off.
func packColumns(hm help.Model, groups [][]key.Binding, width int) [][][]key.Binding {
	hm.SetWidth(0)
	var rows [][][]key.Binding
	var row [][]key.Binding
	for _, g := range groups {
		try := append(append([][]key.Binding(nil), row...), g)
		if len(row) > 0 && lipgloss.Width(hm.FullHelpView(try)) > width {
			rows = append(rows, row)
			row = [][]key.Binding{g}
			continue
		}
		row = try
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}
