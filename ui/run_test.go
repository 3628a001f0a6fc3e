package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kiosk-reader/kiosk/fetch"
)

// blockingSync holds Sync until its context ends and reports that.
type blockingSync struct {
	*fakeSource
	started chan struct{}
	ended   chan error
}

func (b blockingSync) Sync(ctx context.Context, feeds []string, progress func(fetch.Event)) (fetch.Summary, error) {
	close(b.started)
	<-ctx.Done()
	b.ended <- ctx.Err()
	return fetch.Summary{}, ctx.Err()
}

// TestRunEndsWithItsContext runs a real program and cancels its context
// while a sync runs: Run returns and the sync is cancelled.
func TestRunEndsWithItsContext(t *testing.T) {
	src := blockingSync{fakeSource: newFake(t), started: make(chan struct{}), ended: make(chan error, 1)}
	m := newTestModel(src, 80, 24, func(o *Options) { o.RefreshOnStart = true })
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, m, tea.WithInput(bytes.NewReader(nil)), tea.WithOutput(io.Discard), tea.WithWindowSize(80, 24))
	}()
	select {
	case <-src.started:
	case <-time.After(5 * time.Second):
		t.Fatal("the background sync did not start")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	select {
	case err := <-src.ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the sync ended with %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the sync was not cancelled")
	}
}
