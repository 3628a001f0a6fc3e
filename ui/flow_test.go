package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// startProgram runs the UI in a real bubbletea program at 80×24 with the
// ASCII profile.
func startProgram(t *testing.T, src Source, opts ...func(*Options)) *teatest.TestModel {
	t.Helper()
	m := newTestModel(src, 0, 0, opts...) // the size comes from the program
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)),
	)
	t.Cleanup(func() {
		if err := tm.Quit(); err != nil {
			t.Error(err)
		}
	})
	return tm
}

// waitFor waits until the screen output shows every string in want.
func waitFor(t *testing.T, tm *teatest.TestModel, want ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, w := range want {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// finalModel quits with Q and returns the model the program ended with.
func finalModel(t *testing.T, tm *teatest.TestModel) Model {
	t.Helper()
	tm.Send(keyMsg("Q"))
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
}

func TestFlowOpenAndBack(t *testing.T) {
	tm := startProgram(t, newFake(t))
	waitFor(t, tm, "Ionos-Phishing", "Energiewende")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "Dirk Knop", "Das Phishingradar warnt")
	tm.Send(keyMsg("esc"))
	waitFor(t, tm, "kiosk · all feeds")
	m := finalModel(t, tm)
	if m.active != screenList || m.list.cursor != 0 {
		t.Errorf("after open and back: screen %d, cursor %d", m.active, m.list.cursor)
	}
}

func TestFlowFilterAndOpen(t *testing.T) {
	tm := startProgram(t, newFake(t))
	waitFor(t, tm, "Ionos-Phishing")
	tm.Send(keyMsg("/"))
	tm.Type("linux")
	tm.Send(keyMsg("enter")) // filters and opens the first match
	waitFor(t, tm, "Kernel-Log")
	m := finalModel(t, tm)
	if m.active != screenReader || m.list.q.Match != "linux" {
		t.Errorf("after filter and open: screen %d, filter %q", m.active, m.list.q.Match)
	}
}

func TestFlowReferenceAndBack(t *testing.T) {
	tm := startProgram(t, newFake(t))
	waitFor(t, tm, "Ionos-Phishing")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "Das Phishingradar warnt")
	tm.Send(keyMsg("2"))
	waitFor(t, tm, "Paketbenachrichtigungen")
	tm.Send(keyMsg("esc"))
	waitFor(t, tm, "Dirk Knop")
	m := finalModel(t, tm)
	if m.active != screenReader || len(m.reader.stack) != 1 || m.reader.stack[0].item.ID != "9691259" {
		t.Errorf("after the reference and back: screen %d, stack %d", m.active, len(m.reader.stack))
	}
}

func TestFlowHelp(t *testing.T) {
	tm := startProgram(t, newFake(t))
	waitFor(t, tm, "Ionos-Phishing")
	tm.Send(keyMsg("?"))
	waitFor(t, tm, "toggle star", "starred only")
	tm.Send(keyMsg("esc"))
	waitFor(t, tm, "Energiewende")
	if m := finalModel(t, tm); m.active != screenList {
		t.Errorf("after help and esc the screen is %d", m.active)
	}
}

// TestKeysWorkWhileTheSourceBlocks holds a sync and an article load on
// channels and checks that the UI keeps answering keys meanwhile.
func TestKeysWorkWhileTheSourceBlocks(t *testing.T) {
	src := newFake(t)
	src.syncGate = make(chan struct{})
	src.articleGate = make(chan struct{})
	released := false
	release := func() {
		if !released {
			close(src.syncGate)
			close(src.articleGate)
			released = true
		}
	}
	t.Cleanup(release)
	tm := startProgram(t, src, func(o *Options) { o.RefreshOnStart = true })
	waitFor(t, tm, "Ionos-Phishing", "syncing…")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "loading…")
	tm.Send(keyMsg("esc")) // back while the article still loads
	tm.Send(keyMsg("?"))
	waitFor(t, tm, "toggle star")
	tm.Send(keyMsg("esc"))
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("/"))
	tm.Type("zzz")
	waitFor(t, tm, "no matching articles")
	tm.Send(keyMsg("esc"))
	waitFor(t, tm, "Energiewende")
	release()
	waitFor(t, tm, "0 new")
	m := finalModel(t, tm)
	if m.list.cursor != 0 || m.sync.running || m.list.q.Match != "" {
		t.Errorf("after the blocked source: cursor %d, sync running %v, filter %q", m.list.cursor, m.sync.running, m.list.q.Match)
	}
	if !strings.Contains(view(m), "synced") {
		t.Errorf("final view:\n%s", view(m))
	}
}
