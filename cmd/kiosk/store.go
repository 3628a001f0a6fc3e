package main

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/kiosk-reader/kiosk/cache"
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

// noCacheError says that there is no cache file yet. It wraps
// cache.ErrNotFound.
type noCacheError struct{ path string }

func (e noCacheError) Error() string { return "no cache yet at " + e.path + ": run kiosk sync" }

func (e noCacheError) Unwrap() error { return cache.ErrNotFound }
