package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/ui"
)

// storePath is the cache file: <data dir>/kiosk.db.
func (e *env) storePath() (string, error) {
	dir, err := e.dataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "kiosk.db"), nil
}

// openStore opens the cache for reading and writing (sync, the TUI),
// creating it when missing.
func (e *env) openStore(ctx context.Context) (*cache.Store, error) {
	path, err := e.storePath()
	if err != nil {
		return nil, err
	}
	return cache.Open(ctx, path)
}

// openStoreReadOnly opens an existing cache for list, search and read; it
// never writes. A missing cache gives a noCacheError.
func (e *env) openStoreReadOnly(ctx context.Context) (*cache.Store, error) {
	path, err := e.storePath()
	if err != nil {
		return nil, err
	}
	s, err := cache.OpenReadOnly(ctx, path)
	if errors.Is(err, cache.ErrNotFound) {
		return nil, noCacheError{path: path}
	}
	return s, err
}

// openStoreForTUI opens the cache for the TUI: for reading and writing,
// creating it when missing, unless the data dir or the file cannot be
// written (a read-only mount, another user's directory); then read-only,
// and readOnly is true.
func (e *env) openStoreForTUI(ctx context.Context) (s *cache.Store, readOnly bool, err error) {
	path, err := e.storePath()
	if err != nil {
		return nil, false, err
	}
	return openTUIStore(ctx, path, cache.Writable, false)
}

// openTUIStore is openStoreForTUI with the writability check injected;
// with current, a writable cache is opened only when it needs no upgrade
// (cache.OpenCurrent).
func openTUIStore(ctx context.Context, path string, writable func(string) bool, current bool) (*cache.Store, bool, error) {
	if writable(path) {
		open := cache.Open
		if current {
			open = cache.OpenCurrent
		}
		s, err := open(ctx, path)
		return s, false, err
	}
	s, err := cache.OpenReadOnly(ctx, path)
	if errors.Is(err, cache.ErrNotFound) {
		return nil, true, noCacheError{path: path}
	}
	return s, true, err
}

// noCacheError says that there is no cache file yet. It wraps
// cache.ErrNotFound.
type noCacheError struct{ path string }

func (e noCacheError) Error() string { return "no cache yet at " + e.path + ": run kiosk sync" }

func (e noCacheError) Unwrap() error { return cache.ErrNotFound }

// asyncStore is a cache being opened in the background, and the list's
// first screenful being read from it.
type asyncStore struct {
	done     chan struct{}
	store    *cache.Store
	readOnly bool
	first    *ui.FirstPage
	err      error
}

// openExistingStoreAsync starts opening the TUI's cache (see
// openStoreForTUI) when the file exists, and then reading the list's first
// rows rows from it (ui.Prefetch). A missing cache, and one whose schema
// needs upgrading (the error wraps cache.ErrOutdated), are left to
// openStoreForTUI, so that nothing is created or changed before the config
// is known to be good. The result is nil when nothing was started.
func (e *env) openExistingStoreAsync(ctx context.Context, rows int) *asyncStore {
	path, err := e.storePath()
	if err != nil {
		return nil
	}
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	a := &asyncStore{done: make(chan struct{})}
	go func() {
		defer close(a.done)
		a.store, a.readOnly, a.err = openTUIStore(ctx, path, cache.Writable, true)
		if a.err == nil {
			a.first = ui.Prefetch(ctx, a.store, rows)
		}
	}()
	return a
}

// wait returns the opened cache and its first page being read; a nil
// store and error when nothing was started.
func (a *asyncStore) wait() (*cache.Store, bool, *ui.FirstPage, error) {
	if a == nil {
		return nil, false, nil, nil
	}
	<-a.done
	return a.store, a.readOnly, a.first, a.err
}

// discard closes the cache when it was opened, once its first page is read.
func (a *asyncStore) discard() error {
	s, _, first, err := a.wait()
	if err != nil || s == nil {
		return nil // the command fails for another reason already
	}
	first.Wait()
	return s.Close()
}
