package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFeedsRemoveForgetsCachedEntries checks that unsubscribing removes the
// feed's entries from the cache, except starred ones and those another feed
// still lists.
func TestFeedsRemoveForgetsCachedEntries(t *testing.T) {
	dir := fillDataDir(t)
	cfg := filepath.Join(t.TempDir(), "config.toml")
	writeCfg(t, cfg, "# mine\n[[feed]]\nname = \"heise online\"\nurl = \""+testHeise+"\"\n\n[[feed]]\nname = \"Telepolis\"\nurl = \""+testTP+"\"\n")
	if _, _, err := runKiosk(t, nil, "--config", cfg, "--data-dir", dir, "feeds", "remove", "heise online"); err != nil {
		t.Fatalf("feeds remove: %v", err)
	}
	out, _, err := runKiosk(t, nil, "--data-dir", dir, "list")
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		ids = append(ids, strings.Fields(line)[0])
	}
	// 1002 is starred, 1004 is also in Telepolis; 1001 and 1003 were only heise's.
	if got := strings.Join(ids, " "); got != "1002 1004" {
		t.Errorf("after feeds remove, list = %q, want %q\n%s", got, "1002 1004", out)
	}
	// Without a cache, removing a feed only edits the config.
	if _, _, err := runKiosk(t, nil, "--config", cfg, "--data-dir", t.TempDir(), "feeds", "remove", testTP); err != nil {
		t.Errorf("feeds remove without a cache: %v", err)
	}
}
