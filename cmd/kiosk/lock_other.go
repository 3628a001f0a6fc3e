//go:build !unix

package main

// lockFile does not lock on systems without flock(2): concurrent edits of
// the config can lose one another there, as before locking existed; each
// edit still replaces the file atomically.
func lockFile(string) (unlock func() error, err error) {
	return func() error { return nil }, nil
}

// syncDir does nothing: directories cannot be synced on every system.
func syncDir(string) error { return nil }
