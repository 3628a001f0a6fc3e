package ui

import (
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
)

func TestDefaultKeysHaveNoConflicts(t *testing.T) {
	if errs := CheckKeys(nil); errs != nil {
		t.Errorf("CheckKeys(nil) = %v, want no problems", errs)
	}
}

func TestCheckKeys(t *testing.T) {
	tests := []struct {
		name          string
		bind          map[string][]string
		action, other string // of the first problem; "" = no problem
		msg           string // part of its message
	}{
		{"remap", map[string][]string{"quit": {"q", "x"}, "help": {"f1", "?"}, "down": {"j", "down", "ctrl+n"}}, "", "", ""},
		{"all kinds of names", map[string][]string{"copy": {"Y", "ctrl+alt+y", "alt+enter", "f12", "ä", "insert"}, "next_feed": {"]"}, "prev_feed": {"["}}, "", "", ""},
		{"unbind", map[string][]string{"copy": {}}, "", "", ""},
		{"unknown action", map[string][]string{"quitt": {"x"}}, "quitt", "", `unknown action "quitt"`},
		{"unknown key", map[string][]string{"quit": {"quit"}}, "quit", "", `unknown key "quit"`},
		{"upper-case ctrl", map[string][]string{"quit": {"ctrl+X"}}, "quit", "", `"ctrl+x"`},
		{"shift with a letter", map[string][]string{"quit": {"shift+x"}}, "quit", "", `"X"`},
		{"modifier order", map[string][]string{"quit": {"alt+ctrl+x"}}, "quit", "", "ctrl+alt+shift"},
		{"bare space", map[string][]string{"page_down": {" "}}, "page_down", "", `"space"`},
		{"unknown modifier", map[string][]string{"quit": {"cmd+x"}}, "quit", "", `"cmd" is not a modifier`},
		{"force_quit unbound", map[string][]string{"force_quit": {}}, "force_quit", "", "at least one key"},
		{"conflict with a default", map[string][]string{"search": {"s"}}, "search", "toggle_star", `key "s" is bound to both search and toggle_star`},
		{"conflict of two remaps", map[string][]string{"copy": {"x"}, "sync_all": {"x"}}, "copy", "sync_all", "(both work on the list, the reader, the feeds overview)"},
		{"conflict with the reference digits", map[string][]string{"references": {"3"}}, "references", "", "reference numbers"},
		{"same key on different screens", map[string][]string{"unread_only": {"L"}}, "", "", ""},
		{"find keys shadow article steps", map[string][]string{"find_prev": {"p"}}, "", "", ""},
		{"find keys must not hide scrolling", map[string][]string{"find_next": {"j"}}, "down", "find_next", `key "j"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := CheckKeys(tt.bind)
			if tt.msg == "" {
				if errs != nil {
					t.Fatalf("CheckKeys(%v) = %v, want no problems", tt.bind, errs)
				}
				return
			}
			if len(errs) == 0 {
				t.Fatalf("CheckKeys(%v) = no problems, want %q", tt.bind, tt.msg)
			}
			e := errs[0]
			if e.Action != tt.action || e.Other != tt.other || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("CheckKeys(%v)[0] = %+v, want action %q, other %q, message with %q", tt.bind, e, tt.action, tt.other, tt.msg)
			}
		})
	}
}

// TestRemappedKeysWorkAndHelpShowsThem remaps quit, help and down, then
// uses them and pins the help screen, which must show the new keys.
func TestRemappedKeysWorkAndHelpShowsThem(t *testing.T) {
	keys := map[string][]string{"quit": {"x"}, "help": {"f1"}, "down": {"e", "down"}, "copy": {}}
	m := start(t, newTestModel(newFake(t), 120, 24, func(o *Options) { o.Keys = keys }))
	if m.err != nil {
		t.Fatalf("a valid [keys] table gives %v", m.err)
	}
	m = press(t, m, "e")
	if m.list.cursor != 1 {
		t.Errorf("the remapped down key e leaves the cursor at %d, want 1", m.list.cursor)
	}
	if _, cmd := m.Update(keyMsg("q")); cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Error("q still quits after quit = [\"x\"]")
		}
	}
	_, cmd := m.Update(keyMsg("x"))
	if cmd == nil {
		t.Fatal("x does nothing after quit = [\"x\"]")
	}
	if _, quit := cmd().(tea.QuitMsg); !quit {
		t.Errorf("x after quit = [\"x\"] gives %T, want tea.QuitMsg", cmd())
	}
	if short := lineWith(m, "quit"); !strings.Contains(short, "x quit") || !strings.Contains(short, "f1 help") {
		t.Errorf("the short help does not show the remapped keys: %q", short)
	}
	m = send(t, m, tea.KeyPressMsg{Code: tea.KeyF1})
	if m.active != screenHelp {
		t.Fatalf("f1 after help = [\"f1\"] shows screen %d, want help", m.active)
	}
	out := plain(m)
	for _, want := range []string{"e/↓", "x", "f1"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "copy URL") {
		t.Errorf("help shows the unbound copy action:\n%s", out)
	}
	golden.RequireEqual(t, out)
}

// TestBadKeysFallBackToDefaults gives New a table that does not check: the
// default keys work and the status line says why.
func TestBadKeysFallBackToDefaults(t *testing.T) {
	m := start(t, newTestModel(newFake(t), 80, 24, func(o *Options) { o.Keys = map[string][]string{"search": {"s"}} }))
	if m.err == nil || !strings.Contains(plain(m), "[keys]") {
		t.Errorf("a conflicting [keys] table is not reported:\n%s", plain(m))
	}
	m = press(t, m, "S")
	if !m.list.typing() {
		t.Error("the default search key S does not work after a bad [keys] table")
	}
}

// TestReadmeListsEveryAction keeps the README's [keys] section complete.
func TestReadmeListsEveryAction(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ActionNames() {
		if !strings.Contains(string(b), "`"+name+"`") {
			t.Errorf("README.md does not list the action `%s`", name)
		}
	}
}
