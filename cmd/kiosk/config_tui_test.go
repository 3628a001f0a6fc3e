package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseConfigTUISettings(t *testing.T) {
	text := `refresh_interval = "2h"
save_dir = "~/news"

[keys]
quit = ["q", "x"]
help = "f1"
"copy" = []
`
	cfg, err := parseConfig("c.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if got := time.Duration(cfg.RefreshInterval); got != 2*time.Hour {
		t.Errorf("refresh_interval = %v, want 2h", got)
	}
	keys := cfg.keyBindings()
	if !slices.Equal(keys["quit"], []string{"q", "x"}) || !slices.Equal(keys["help"], []string{"f1"}) || keys["copy"] == nil || len(keys["copy"]) != 0 {
		t.Errorf("[keys] = %q", keys)
	}
	def, err := parseConfig("c.toml", nil)
	if err != nil || time.Duration(def.RefreshInterval) != defaultRefreshInterval || def.keyBindings() != nil {
		t.Errorf("defaults: refresh_interval %v, keys %v, %v", time.Duration(def.RefreshInterval), def.keyBindings(), err)
	}
	for _, off := range []string{`refresh_interval = "0"`, `refresh_interval = 0`} {
		cfg, err := parseConfig("c.toml", []byte(off+"\n"))
		if err != nil || cfg.RefreshInterval != 0 {
			t.Errorf("parseConfig(%s) = %v, %v, want 0 (off)", off, time.Duration(cfg.RefreshInterval), err)
		}
	}
}

// TestConfigTUIErrors checks that each bad setting names its line.
func TestConfigTUIErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"unknown action", "keep_days = 3\n[keys]\nquit = [\"x\"]\nquitt = [\"y\"]\n", `c.toml:4: [keys] unknown action "quitt"`},
		{"unknown key name", "[keys]\n\nhelp = [\"F1\"]\n", `c.toml:3: [keys] help: unknown key "F1"`},
		{"ctrl with a capital", "[keys]\nquit = \"ctrl+Q\"\n", `c.toml:2: [keys] quit: unknown key "ctrl+Q"`},
		{"conflict with a default", "[keys]\nhelp = [\"?\"]\nsearch = [\"s\"]\n", `c.toml:3: [keys] key "s" is bound to both search and toggle_star`},
		{"conflict between two lines", "[keys]\ncopy = [\"x\"]\n# a comment\nsync_all = [\"x\"]\n", `c.toml:4: [keys] key "x" is bound to both copy and sync_all`},
		{"the earlier problem first", "[keys]\nzzz = [\"1\"]\naaa = [\"x\"]\n", `c.toml:2: [keys] unknown action "zzz"`},
		{"not a list", "[keys]\nquit = 5\n", `c.toml:2: [keys]: want a list of keys`},
		{"not strings", "[keys]\nquit = [5]\n", `c.toml:2: [keys]: want key names as strings`},
		{"inline table", "keys = { search = \"s\" }\n", `c.toml:1: [keys] key "s"`},
		{"bad duration", "\nrefresh_interval = \"soon\"\n", `c.toml:2: refresh_interval: want a duration`},
		{"duration as a number", "refresh_interval = 30\n", `c.toml:1: refresh_interval: want a duration string`},
		{"too often", "max_items = 5\nrefresh_interval = \"30s\"\n", `c.toml:2: refresh_interval = "30s": want 1m0s to 168h`},
		{"too rarely", "refresh_interval = \"200h\"\n", `c.toml:1: refresh_interval = "200h0m0s"`},
		{"save_dir with a control character", "save_dir = \"/tmp/a\\u001b[31m\"\n", `c.toml:1: save_dir "/tmp/a\x1b[31m"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("c.toml", []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseConfig(%q) = %v, want an error with %q", tt.text, err, tt.want)
			}
		})
	}
}

func TestSaveDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	check := func(name string, cfg Config, getenv func(string) string, want string) {
		t.Helper()
		got, err := saveDir(cfg, getenv)
		if err != nil || got != want {
			t.Errorf("%s: saveDir = %q, %v, want %q", name, got, err, want)
		}
	}
	none := env(nil)
	check("nothing exists", Config{}, none, home)
	if err := os.Mkdir(filepath.Join(home, "Downloads"), 0o755); err != nil {
		t.Fatal(err)
	}
	check("Downloads", Config{}, none, filepath.Join(home, "Downloads"))
	if err := os.Mkdir(filepath.Join(home, "Documents"), 0o755); err != nil {
		t.Fatal(err)
	}
	check("Documents before Downloads", Config{}, none, filepath.Join(home, "Documents"))
	check("XDG_DOCUMENTS_DIR", Config{}, env(map[string]string{"XDG_DOCUMENTS_DIR": "/srv/docs"}), "/srv/docs")
	check("save_dir", Config{SaveDir: "/srv/news"}, env(map[string]string{"XDG_DOCUMENTS_DIR": "/srv/docs"}), "/srv/news")
	check("save_dir in home", Config{SaveDir: "~/news"}, none, filepath.Join(home, "news"))
	check("save_dir home", Config{SaveDir: "~"}, none, home)
}
