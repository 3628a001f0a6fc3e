//go:build !unix

package cache

import "os"

// canWrite reports whether this process may write to path (a file, or a
// directory: create files in it), by trying.
func canWrite(path string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	if !st.IsDir() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return false
		}
		return f.Close() == nil
	}
	f, err := os.CreateTemp(path, ".kiosk-probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	return f.Close() == nil && os.Remove(name) == nil
}
