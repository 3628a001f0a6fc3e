//go:build unix

package cache

import "syscall"

// canWrite reports whether this process may write to path (a file, or a
// directory: create files in it). access(2) answers for root too: true
// whatever the permission bits, false on a read-only file system.
func canWrite(path string) bool {
	const wOK = 0x2 // W_OK
	return syscall.Access(path, wOK) == nil
}
