package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// isQuit reports whether cmd is (or batches) tea.Quit.
func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.QuitMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if isQuit(c) {
				return true
			}
		}
	}
	return false
}

// A capital Q typed into the filter is text, not "quit at once" (it quit
// kiosk in the middle of typing "Quotes"); ctrl+c still quits from there.
func TestForceQuitKeyIsTextInInputs(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24))
	m = press(t, m, "/")
	nm, cmd := m.Update(keyMsg("Q"))
	if isQuit(cmd) {
		t.Fatal("Q in the filter input quit")
	}
	m = runCmds(t, nm.(Model), cmd)
	if !m.list.typing() || !strings.Contains(plain(m), "/Q") {
		t.Errorf("Q did not reach the filter:\n%s", plain(m))
	}
	if _, cmd := m.Update(keyMsg("ctrl+c")); !isQuit(cmd) {
		t.Error("ctrl+c in the filter input did not quit")
	}
	m = press(t, m, "esc")
	if _, cmd := m.Update(keyMsg("Q")); !isQuit(cmd) {
		t.Error("Q outside an input did not quit")
	}
}
