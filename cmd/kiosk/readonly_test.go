//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/kiosk-reader/kiosk/cache"
)

// syncedReadOnlyDir syncs the fixture feeds into dir/data, returns the
// first entry, and makes the data dir 0555 and kiosk.db 0444 with no -wal
// or -shm file, as a cache copied to a read-only place.
func syncedReadOnlyDir(t *testing.T) (dir string, first itemJSON) {
	t.Helper()
	srv := httptest.NewServer(newFixtureSite(t))
	defer srv.Close()
	dir = t.TempDir()
	if _, stderr, err := syncEnv(t, srv, dir, "sync", "--no-articles"); err != nil {
		t.Fatalf("sync: %v\n%s", err, stderr)
	}
	out, _, err := syncEnv(t, srv, dir, "list", "--json", "--limit", "1")
	if err != nil {
		t.Fatal(err)
	}
	var items []itemJSON
	if err := json.Unmarshal([]byte(out), &items); err != nil || len(items) != 1 {
		t.Fatalf("list --json = %v, %s", err, out)
	}
	data := filepath.Join(dir, "data")
	// The read-only list left empty -wal and -shm files; a writer's close
	// removes them.
	w, err := cache.Open(t.Context(), filepath.Join(data, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := dataNames(t, data); !slices.Equal(got, []string{"kiosk.db"}) {
		t.Fatalf("data dir after sync holds %v, want only kiosk.db", got)
	}
	if err := os.Chmod(filepath.Join(data, "kiosk.db"), 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(data, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.Chmod(data, 0o755); err != nil {
			t.Error(err)
		}
	})
	return dir, items[0]
}

func dataNames(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

// kiosk list, search and read ID work on a cache in a read-only data dir
// and create nothing there. They run as a real process without root: as
// nobody when the tests run as root, which ignores permission bits.
func TestReadOnlyDataDir(t *testing.T) {
	dir, first := syncedReadOnlyDir(t)
	bin := exeForNobody(t)
	word := strings.Fields(first.Title)[0]
	for _, args := range [][]string{
		{"list", "--json"},
		{"search", word},
		{"read", first.ID, "--format", "markdown"},
	} {
		all := append([]string{"--config", filepath.Join(dir, "none.toml"), "--data-dir", filepath.Join(dir, "data"), "--offline"}, args...)
		cmd := exec.CommandContext(t.Context(), bin, all...)
		cmd.Env = append(os.Environ(), "KIOSK_TEST_MAIN=1", "HOME=/")
		cmd.Dir = "/"
		if os.Geteuid() == 0 {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Errorf("kiosk %s in a read-only data dir = %v\n%s", strings.Join(args, " "), err, errb.String())
			continue
		}
		if !strings.Contains(out.String(), first.Title) && !strings.Contains(out.String(), first.ID) {
			t.Errorf("kiosk %s printed no sign of entry %s:\n%s", strings.Join(args, " "), first.ID, out.String())
		}
	}
	if got := dataNames(t, filepath.Join(dir, "data")); !slices.Equal(got, []string{"kiosk.db"}) {
		t.Errorf("reading left %v in the data dir", got)
	}
}

// exeForNobody returns this test binary, copied where user nobody can run
// it when the tests run as root.
func exeForNobody(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		return self
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "kiosk.test")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	// t.TempDir's directories are 0700: open the way to the binary and to
	// the other temp dirs of this test.
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return bin
}

// The TUI opens a cache it cannot write read-only: it lists, and a sync
// says why there is none without touching the network. The writability
// check is faked here; TestReadOnlyTUIStoreAsNobody uses the real one.
func TestTUIStoreFallsBackToReadOnly(t *testing.T) {
	srv := httptest.NewServer(newFixtureSite(t))
	defer srv.Close()
	dir := t.TempDir()
	if _, stderr, err := syncEnv(t, srv, dir, "sync", "--no-articles"); err != nil {
		t.Fatalf("sync: %v\n%s", err, stderr)
	}
	path := filepath.Join(dir, "data", "kiosk.db")
	ctx := t.Context()
	s, readOnly, err := openTUIStore(ctx, path, func(string) bool { return false }, false)
	if err != nil || !readOnly {
		t.Fatalf("openTUIStore(not writable) = %v, read-only %v", err, readOnly)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	e := tuiEnv(t, srv, dir, false)
	cfg, err := e.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	src := newTUISource(e, cfg, s)
	src.readOnly = readOnly
	items, err := src.List(ctx, cache.Query{Limit: 5})
	if err != nil || len(items) == 0 {
		t.Fatalf("List on the read-only store = %d items, %v", len(items), err)
	}
	if err := src.SetRead(ctx, items[0].ID, true); err == nil {
		t.Errorf("SetRead on the read-only store succeeded")
	}
	_, err = src.Sync(ctx, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Sync on a read-only cache = %v, want it to say read-only", err)
	}

	// Writable: read-write, as before.
	w, readOnly, err := openTUIStore(ctx, filepath.Join(t.TempDir(), "new", "kiosk.db"), cache.Writable, false)
	if err != nil || readOnly {
		t.Fatalf("openTUIStore(new cache) = %v, read-only %v", err, readOnly)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// No cache and no way to make one: the usual "run kiosk sync".
	if _, _, err := openTUIStore(ctx, filepath.Join(t.TempDir(), "kiosk.db"), func(string) bool { return false }, false); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("openTUIStore(missing, not writable) = %v, want ErrNotFound", err)
	}
}

// The TUI's real writability check in a read-only data dir, in a process
// without root.
func TestReadOnlyTUIStoreAsNobody(t *testing.T) {
	if path := os.Getenv("KIOSK_TEST_TUI_DB"); path != "" {
		s, readOnly, err := openTUIStore(t.Context(), path, cache.Writable, false)
		if err != nil || !readOnly {
			t.Fatalf("openTUIStore(read-only dir) = %v, read-only %v", err, readOnly)
		}
		defer s.Close()
		if items, err := s.List(t.Context(), cache.Query{Limit: 1}); err != nil || len(items) != 1 {
			t.Fatalf("List = %v, %v", items, err)
		}
		return
	}
	dir, _ := syncedReadOnlyDir(t)
	path := filepath.Join(dir, "data", "kiosk.db")
	if os.Geteuid() != 0 {
		t.Setenv("KIOSK_TEST_TUI_DB", path)
		TestReadOnlyTUIStoreAsNobody(t)
		return
	}
	cmd := exec.CommandContext(t.Context(), exeForNobody(t), "-test.run=^TestReadOnlyTUIStoreAsNobody$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KIOSK_TEST_TUI_DB="+path, "HOME=/")
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	if got := dataNames(t, filepath.Join(dir, "data")); !slices.Equal(got, []string{"kiosk.db"}) {
		t.Errorf("the TUI's open left %v in the data dir", got)
	}
}
