package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kiosk-reader/kiosk/fetch"
)

// linksModel is the references panel: the numbered links of the shown page.
type linksModel struct {
	out           tea.Msg // a navigation request for the root
	refs          []fetch.Reference
	title         string
	cursor, top   int
	width, height int
}

// setRefs shows the references of a page.
func (l linksModel) setRefs(title string, refs []fetch.Reference) linksModel {
	l.title, l.refs = fetch.CleanLine(title), refs
	l.cursor, l.top = 0, 0
	return l
}

// setSize resizes the panel.
func (l linksModel) setSize(w, h int) linksModel {
	l.width, l.height = w, h
	return l.scroll()
}

// rows is the number of reference rows that fit.
func (l linksModel) rows() int { return max(1, l.height-1) }

// selected returns the reference under the cursor.
func (l linksModel) selected() (fetch.Reference, bool) {
	if l.cursor >= 0 && l.cursor < len(l.refs) {
		return l.refs[l.cursor], true
	}
	return fetch.Reference{}, false
}

func (l linksModel) moveTo(i int) linksModel {
	l.cursor = max(0, min(i, len(l.refs)-1))
	return l.scroll()
}

func (l linksModel) scroll() linksModel {
	n := l.rows()
	if l.cursor < l.top {
		l.top = l.cursor
	}
	if l.cursor >= l.top+n {
		l.top = l.cursor - n + 1
	}
	l.top = max(0, min(l.top, len(l.refs)-n))
	return l
}

// update handles keys in the panel.
func (l linksModel) update(msg tea.Msg, k *keyMap) (linksModel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelDown:
			return l.moveTo(l.cursor + 3), nil
		case tea.MouseWheelUp:
			return l.moveTo(l.cursor - 3), nil
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Down):
			return l.moveTo(l.cursor + 1), nil
		case key.Matches(msg, k.Up):
			return l.moveTo(l.cursor - 1), nil
		case key.Matches(msg, k.PageDown):
			return l.moveTo(l.cursor + l.rows()), nil
		case key.Matches(msg, k.PageUp):
			return l.moveTo(l.cursor - l.rows()), nil
		case key.Matches(msg, k.Top):
			return l.moveTo(0), nil
		case key.Matches(msg, k.Bottom):
			return l.moveTo(len(l.refs) - 1), nil
		case key.Matches(msg, k.Open):
			if ref, ok := l.selected(); ok {
				l.out = openRefMsg{ref: ref}
			}
		case key.Matches(msg, k.Ref):
			n, err := strconv.Atoi(msg.String())
			if err != nil {
				return l, nil
			}
			for i, ref := range l.refs {
				if ref.N == n {
					l = l.moveTo(i)
					l.out = openRefMsg{ref: ref}
					return l, nil
				}
			}
			return l, statusCmd(fmt.Sprintf("no reference [%d] on this page", n))
		case key.Matches(msg, k.Back):
			l.out = backMsg{}
		}
	}
	return l, nil
}

// view draws the panel.
func (l linksModel) view(st *styles) string {
	var b strings.Builder
	b.WriteString(barLine(st, fmt.Sprintf(" references · %s", l.title), fmt.Sprintf("%d ", len(l.refs)), l.width))
	numW := len(strconv.Itoa(len(l.refs))) + 2
	for r := 0; r < l.rows(); r++ {
		b.WriteByte('\n')
		i := l.top + r
		if i >= len(l.refs) {
			continue
		}
		ref := l.refs[i]
		num := padRight(fmt.Sprintf("[%d]", ref.N), numW)
		text := fetch.CleanLine(ref.Text)
		if ref.Image {
			text = "image " + text
		}
		u := fetch.CleanLine(ref.URL)
		line := " " + num + " "
		rest := max(0, l.width-ansi.StringWidth(line))
		if text != "" {
			textW := min(ansi.StringWidth(text), max(12, rest/2))
			line += ansi.Truncate(text, textW, "…") + "  "
		}
		line += st.Dim.Render(u)
		line = ansi.Truncate(line, l.width, "…")
		if i == l.cursor {
			line = st.Selected.Render(padRight(ansi.Strip(line), l.width))
		}
		b.WriteString(line)
	}
	return b.String()
}
