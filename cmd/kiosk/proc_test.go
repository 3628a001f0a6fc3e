package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// TestMain lets tests run kiosk as a real process: with KIOSK_TEST_MAIN=1
// the test binary is kiosk, its arguments kiosk's.
func TestMain(m *testing.M) {
	if os.Getenv("KIOSK_TEST_MAIN") == "1" {
		main()
		return // main exits; not reached
	}
	code := m.Run()
	if err := stopMiniflux(); err != nil {
		fmt.Fprintln(os.Stderr, "stop miniflux:", err)
		code = 1
	}
	os.Exit(code)
}

// kioskCmd returns a command running kiosk (this test binary as kiosk)
// with args, its stdout and stderr captured.
func kioskCmd(t *testing.T, args ...string) (cmd *exec.Cmd, stdout, stderr *bytes.Buffer) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd = exec.CommandContext(t.Context(), self, args...)
	cmd.Env = append(os.Environ(), "KIOSK_TEST_MAIN=1", "NO_COLOR=1")
	stdout, stderr = new(bytes.Buffer), new(bytes.Buffer)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd, stdout, stderr
}
