package cache_test

import (
	"context"
	"testing"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

// TestChangedSeesOtherConnections writes through a second Store on the same
// file, as a cron kiosk sync does, and checks that Changed moves then and
// only then.
func TestChangedSeesOtherConnections(t *testing.T) {
	ctx := t.Context()
	reader, path := cachetest.New(t, 10)
	v0, err := reader.Changed(ctx)
	if err != nil {
		t.Fatalf("Changed() = %v", err)
	}
	for range 3 { // reads, its own and the pool's, change nothing
		if _, err := reader.List(ctx, cache.Query{Limit: 5}); err != nil {
			t.Fatal(err)
		}
		if v, err := reader.Changed(ctx); err != nil || v != v0 {
			t.Fatalf("Changed() after a read = %d, %v, want %d", v, err, v0)
		}
	}

	writer, err := cache.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := writer.Close(); err != nil {
			t.Error(err)
		}
	})
	if err := cachetest.Fill(ctx, writer, 10, 12); err != nil {
		t.Fatal(err)
	}
	v1, err := reader.Changed(ctx)
	if err != nil || v1 == v0 {
		t.Fatalf("Changed() after another connection's sync = %d, %v, want a value other than %d", v1, err, v0)
	}
	if v, err := reader.Changed(ctx); err != nil || v != v1 {
		t.Errorf("Changed() again without a write = %d, %v, want %d", v, err, v1)
	}
	if err := writer.SetRead(ctx, cachetest.ID(0), true); err != nil {
		t.Fatal(err)
	}
	if v, err := reader.Changed(ctx); err != nil || v == v1 {
		t.Errorf("Changed() after another connection's SetRead = %d, %v, want a value other than %d", v, err, v1)
	}
}

// TestChangedOnReadOnlyStore is the reader over a cache it may not write
// (OpenReadOnly): it still sees a writer's commits.
func TestChangedOnReadOnlyStore(t *testing.T) {
	ctx := t.Context()
	writer, path := cachetest.New(t, 3)
	ro, err := cache.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v0, err := ro.Changed(ctx)
	if err != nil {
		t.Fatalf("Changed() = %v", err)
	}
	if err := writer.SetStarred(ctx, cachetest.ID(1), true); err != nil {
		t.Fatal(err)
	}
	if v, err := ro.Changed(ctx); err != nil || v == v0 {
		t.Errorf("Changed() on a read-only store after a write = %d, %v, want a value other than %d", v, err, v0)
	}
	if err := ro.Close(); err != nil {
		t.Errorf("Close() with a pinned watch connection = %v", err)
	}
	if _, err := ro.Changed(ctx); err == nil {
		t.Error("Changed() after Close = nil error")
	}
}

// BenchmarkChanged is one poll of the reader's change watch; it must stay
// far below a millisecond (it runs every second). Reproduce with:
//
//	go test ./cache/ -run '^$' -bench Changed
func BenchmarkChanged(b *testing.B) {
	s, _ := cachetest.New(b, 100)
	ctx := context.Background()
	if _, err := s.Changed(ctx); err != nil { // pins the connection
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := s.Changed(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
