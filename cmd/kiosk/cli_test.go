package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelpAndBadFlags is issue 10's CLI point: -h, --help and kiosk CMD -h
// print the usage on stdout and exit 0; a bad flag or command is one line
// on stderr and exit 2, like other Go tools.
func TestHelpAndBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		status int
		stdout string // in the output
		stderr string // the whole of stderr
	}{
		{[]string{"-h"}, 0, "usage:", ""},
		{[]string{"--help"}, 0, "kiosk read ID|URL|FILE", ""},
		{[]string{"read", "-h"}, 0, "usage: kiosk read", ""},
		{[]string{"feeds", "--help"}, 0, "kiosk feeds list [--json]", ""},
		{[]string{"--bogus"}, 2, "", "kiosk: unknown flag --bogus (see kiosk -h)\n"},
		{[]string{"list", "--bogus"}, 2, "", "kiosk: unknown flag --bogus (see kiosk list -h)\n"},
		{[]string{"read", "x", "--width"}, 2, "", "kiosk: --width needs a value (see kiosk read -h)\n"},
		{[]string{"read", "x", "--width", "wide"}, 2, "", "kiosk: invalid value \"wide\" for --width (see kiosk read -h)\n"},
		{[]string{"bogus"}, 2, "", "kiosk: unknown command \"bogus\" (see kiosk -h)\n"},
		{[]string{"feeds"}, 2, "", "kiosk: feeds: missing list, add or remove (see kiosk feeds -h)\n"},
		{[]string{"feeds", "add"}, 2, "", "kiosk: feeds add: want one URL (see kiosk feeds -h)\n"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
			e.g.config = t.TempDir() + "/config.toml"
			status := runMain(e, tt.args, nil, run, interruptGrace, func() error { return nil })
			if status != tt.status || !strings.Contains(out.String(), tt.stdout) || errb.String() != tt.stderr {
				t.Errorf("kiosk %v: status %d, stdout %q, stderr %q; want %d, %q in stdout, stderr %q",
					tt.args, status, out.String(), errb.String(), tt.status, tt.stdout, tt.stderr)
			}
			if strings.Contains(errb.String(), ": usage") {
				t.Errorf("stray \": usage\" in %q", errb.String())
			}
		})
	}
}

// TestJSONHasNoZeroDates: read --format json leaves out dates a page does
// not give instead of printing year 1.
func TestJSONHasNoZeroDates(t *testing.T) {
	page := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(page, []byte(`<!DOCTYPE html><html><head><title>Undated</title></head><body><article><h1>Undated</h1><p>`+
		strings.Repeat("A page that gives no date at all. ", 20)+`</p></article></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := readEnv(t, nil, "read", page, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "0001-01-01") || strings.Contains(out, `"modified"`) || strings.Contains(out, `"published"`) {
		t.Errorf("JSON of an undated page has zero dates:\n%s", out)
	}
}

// TestTableCountsCells: a CJK character takes two terminal cells, so the
// table pads and cuts by cells, not runes.
func TestTableCountsCells(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"日本語のニュース", 9, "日本語の…"}, // 8 cells and the ellipsis
		{"abc", 5, "abc"},
		{"Grüße aus München", 10, "Grüße aus…"},
	} {
		if got := fit(tt.in, tt.n); got != tt.want {
			t.Errorf("fit(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
	if got := pad("日本", 6); got != "日本  " {
		t.Errorf("pad(日本, 6) = %q, want two spaces (4 cells + 2)", got)
	}
}
