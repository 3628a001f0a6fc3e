//go:build unix

package cache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// roFixture writes a WAL-mode cache with one feed, one entry and its
// article into a new directory and closes it, so that no -wal or -shm file
// is left, as after a sync.
func roFixture(t *testing.T) (dir, path string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "data")
	path = filepath.Join(dir, "kiosk.db")
	ctx := t.Context()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	_, err = s.SaveFeed(ctx, fetch.FeedResult{
		Feed:      fetch.Feed{URL: "https://ro.example/feed", Title: "Nur lesen"},
		Entries:   []fetch.Entry{{ID: "4711", Feed: "https://ro.example/feed", GUID: "ro-4711", URL: "https://ro.example/a/4711", Title: "Schreibgeschützt", Published: at}},
		FetchedAt: at,
	})
	if err != nil {
		t.Fatal(err)
	}
	a := &fetch.Article{ID: "4711", URL: "https://ro.example/a/4711", Title: "Schreibgeschützt", Body: "Ein Körper aus Bernstein."}
	if err := s.SaveArticles(ctx, []fetch.ArticleResult{{EntryID: "4711", Article: a, FetchedAt: at}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"kiosk.db"}) {
		t.Fatalf("after closing the writer the data dir holds %v, want only kiosk.db", got)
	}
	return dir, path
}

func dirNames(t *testing.T, dir string) []string {
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

// readAll lists, searches and reads the fixture's entry through s.
func readAll(ctx context.Context, s *Store) error {
	items, err := s.List(ctx, Query{})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	if len(items) != 1 || items[0].ID != "4711" {
		return fmt.Errorf("list = %+v, want entry 4711", items)
	}
	hits, err := s.Search(ctx, "Bernstein", 5)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if len(hits) != 1 {
		return fmt.Errorf("search = %+v, want one hit", hits)
	}
	a, err := s.Article(ctx, "4711")
	if err != nil {
		return fmt.Errorf("article: %w", err)
	}
	if !strings.Contains(a.Body, "Bernstein") {
		return fmt.Errorf("article body = %q", a.Body)
	}
	return nil
}

// When the directory cannot take SQLite's side files, OpenReadOnly opens
// the WAL database immutable: it reads everything and creates nothing. The
// directory is writable here (tests may run as root); the check is faked.
func TestOpenReadOnlyUnwritableDirCreatesNothing(t *testing.T) {
	ctx := t.Context()
	dir, path := roFixture(t)
	s, err := openReadOnly(ctx, path, func(string) bool { return false })
	if err != nil {
		t.Fatalf("openReadOnly(not writable) = %v", err)
	}
	if err := readAll(ctx, s); err != nil {
		t.Error(err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"kiosk.db"}) {
		t.Errorf("an immutable read created files: data dir holds %v", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// The contrast: a writable directory gets the side files, so the check
	// above can tell the two opens apart.
	s, err = openReadOnly(ctx, path, func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if err := readAll(ctx, s); err != nil {
		t.Error(err)
	}
	if got := dirNames(t, dir); len(got) == 1 {
		t.Errorf("a plain read-only open created no side files (%v); the test above proves nothing", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// A -wal file with frames (a writer is running) is not opened immutable,
// which would miss them.
func TestOpenReadOnlyUnwritableDirWithWAL(t *testing.T) {
	ctx := t.Context()
	_, path := roFixture(t)
	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	}()
	if err := w.SetStarred(ctx, "4711", true); err != nil {
		t.Fatal(err)
	}
	if !walInUse(path) {
		t.Fatal("the writer left no WAL frames")
	}
	s, err := openReadOnly(ctx, path, func(string) bool { return false })
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	it, err := s.Item(ctx, "4711")
	if err != nil || !it.Starred {
		t.Errorf("Item = %+v, %v; want the star from the WAL", it, err)
	}
}

func TestWritable(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kiosk.db")
	if !Writable(path) {
		t.Errorf("Writable(missing file in a temp dir) = false")
	}
	// Open creates a missing data dir: its parent decides.
	if !Writable(filepath.Join(dir, "missing", "deeper", "kiosk.db")) {
		t.Errorf("Writable(file in a missing dir under a temp dir) = false")
	}
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if Writable(filepath.Join(dir, "file", "kiosk.db")) {
		t.Errorf("Writable(file under a plain file) = true")
	}
}

// TestOpenReadOnlyRealReadOnlyDir makes the data dir 0555 and kiosk.db 0444
// and reads it with the real check, in a process without root: this test
// process when it is not root, else a copy of the test binary run as
// nobody (root ignores permission bits, which would test nothing).
func TestOpenReadOnlyRealReadOnlyDir(t *testing.T) {
	if path := os.Getenv("KIOSK_TEST_RO_DB"); path != "" {
		if err := readOnlyHelper(path); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(3)
		}
		return
	}
	dir, path := roFixture(t)
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Error(err)
		}
	})
	if os.Geteuid() != 0 {
		if Writable(path) {
			t.Fatal("Writable(0444 file in a 0555 dir) = true")
		}
		if err := readOnlyHelper(path); err != nil {
			t.Fatal(err)
		}
	} else {
		runAsNobody(t, path)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"kiosk.db"}) {
		t.Errorf("reading a read-only dir left %v", got)
	}
}

func readOnlyHelper(path string) error {
	if Writable(path) {
		return fmt.Errorf("Writable(%s) = true in a read-only dir", path)
	}
	ctx := context.Background()
	s, err := OpenReadOnly(ctx, path)
	if err != nil {
		return err
	}
	return errors.Join(readAll(ctx, s), s.Close())
}

// runAsNobody runs this test, as helper, as user nobody (65534) from a
// copy of the test binary that nobody may execute.
func runAsNobody(t *testing.T, path string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "cache.test")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	// t.TempDir's directories are 0700; nobody must reach both the binary
	// and the cache.
	for _, d := range []string{filepath.Dir(bin), filepath.Dir(filepath.Dir(bin)), filepath.Dir(filepath.Dir(path)), filepath.Dir(filepath.Dir(filepath.Dir(path)))} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.CommandContext(t.Context(), bin, "-test.run=^TestOpenReadOnlyRealReadOnlyDir$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KIOSK_TEST_RO_DB="+path, "HOME=/")
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the read as nobody failed: %v\n%s", err, out)
	}
}
