package ui

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// counterModel shows how many keys it has seen; nothing else changes its view.
type counterModel struct{ keys int }

func (m counterModel) Init() tea.Cmd { return nil }

func (m counterModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		m.keys++
	}
	return m, nil
}

func (m counterModel) View() tea.View { return tea.NewView(fmt.Sprintf("keys %d", m.keys)) }

// stampedWriter records when each write came. The renderer writes a frame
// (only its changed cells) in one write.
type stampedWriter struct {
	mu sync.Mutex
	at []time.Time
}

func (w *stampedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.at = append(w.at, time.Now())
	return len(p), nil
}

// wait returns when write n (counted from 1) came, failing the test after 5 s.
func (w *stampedWriter) wait(t *testing.T, n int) time.Time {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		w.mu.Lock()
		at := w.at
		w.mu.Unlock()
		if len(at) >= n {
			return at[n-1]
		}
	}
	t.Fatalf("write %d never came", n)
	return time.Time{}
}

// TestProgramDrawsAfterQuietAtOnce pins what the patched bubbletea
// (third_party/bubbletea, KIOSK-PATCH.md) does for kiosk's keypress latency:
// a frame that follows a quiet frame interval is drawn at once, not at the
// next tick of the frame clock, and frames stay at least an interval apart.
// At 2 frames per second the unpatched renderer draws the first frame 500 ms
// after the start and a key sent 600 ms after it at the 1,000 ms tick.
func TestProgramDrawsAfterQuietAtOnce(t *testing.T) {
	t.Parallel()
	const interval = 500 * time.Millisecond
	out := &stampedWriter{}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	p := tea.NewProgram(counterModel{}, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(out),
		tea.WithWindowSize(40, 5), tea.WithFPS(2))
	done := make(chan error, 1)
	start := time.Now()
	go func() { _, err := p.Run(); done <- err }()

	first := out.wait(t, 1)
	if d := first.Sub(start); d > interval/2 {
		t.Errorf("first frame after %v, want it at once (the first tick is at %v)", d, interval)
	}

	time.Sleep(first.Add(interval + 100*time.Millisecond).Sub(time.Now()))
	sent := time.Now()
	p.Send(tea.KeyPressMsg{Code: 'j', Text: "j"})
	drawn := out.wait(t, 2)
	if d := drawn.Sub(sent); d > interval/2 {
		t.Errorf("key after a quiet interval drawn after %v, want it at once", d)
	}

	// A second key right after is drawn by the next tick: still at most
	// one frame per interval.
	p.Send(tea.KeyPressMsg{Code: 'j', Text: "j"})
	if d := out.wait(t, 3).Sub(drawn); d < interval*8/10 {
		t.Errorf("second frame %v after the first, want at least about %v", d, interval)
	}

	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
