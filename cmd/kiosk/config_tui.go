package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/ui"
)

// The TUI's settings: refresh_interval, save_dir and [keys].

const (
	// defaultRefreshInterval keeps a reader left open fresh. Conditional
	// GETs make a sync of unchanged feeds a few small requests, and half an
	// hour is far below what news sites consider polling.
	defaultRefreshInterval = 30 * time.Minute
	// minRefreshInterval and maxRefreshInterval bound refresh_interval: a
	// typo ("30s" for "30m") must not hammer the sites.
	minRefreshInterval = time.Minute
	maxRefreshInterval = 7 * 24 * time.Hour
)

// configDuration is refresh_interval: a duration written as a string
// ("30m", "2h", "0").
type configDuration time.Duration

// UnmarshalTOML implements toml.Unmarshaler. The integer 0 means off too.
func (d *configDuration) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		t, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("refresh_interval: want a duration like \"30m\" or \"2h\", or \"0\" for off: %w", err)
		}
		*d = configDuration(t)
		return nil
	case int64:
		if v == 0 {
			*d = 0
			return nil
		}
	}
	return fmt.Errorf("refresh_interval: want a duration string like \"30m\" or \"2h\", or \"0\" for off, not %v", v)
}

// keyList is the keys of one action: a list of key names, or one name.
type keyList []string

// UnmarshalTOML implements toml.Unmarshaler.
func (k *keyList) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*k = keyList{v}
		return nil
	case []any:
		out := make(keyList, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("[keys]: want key names as strings, like [\"q\", \"x\"], not %v", e)
			}
			out = append(out, s)
		}
		*k = out
		return nil
	}
	return fmt.Errorf("[keys]: want a list of keys, like [\"q\", \"x\"], not %v", v)
}

// keyBindings is the [keys] table in the form ui.Options.Keys takes.
func (c Config) keyBindings() map[string][]string {
	if len(c.Keys) == 0 {
		return nil
	}
	m := make(map[string][]string, len(c.Keys))
	for name, keys := range c.Keys {
		m[name] = keys
	}
	return m
}

// checkTUISettings checks refresh_interval, save_dir and [keys]; an error
// starts with the line number (the caller prefixes the file name).
func checkTUISettings(cfg *Config, lines tomlLines) error {
	if d := time.Duration(cfg.RefreshInterval); d != 0 && (d < minRefreshInterval || d > maxRefreshInterval) {
		return fmt.Errorf("%d: refresh_interval = %q: want %v to %v, or \"0\" for off", lines.keys["refresh_interval"], d, minRefreshInterval, "168h")
	}
	if fetch.HasControl(cfg.SaveDir) || cfg.SaveDir != strings.TrimSpace(cfg.SaveDir) {
		return fmt.Errorf("%d: save_dir %s holds control characters or surrounding spaces", lines.keys["save_dir"], strconv.QuoteToASCII(cfg.SaveDir))
	}
	errs := ui.CheckKeys(cfg.keyBindings())
	if len(errs) == 0 {
		return nil
	}
	// Report the problem that comes first in the file; a conflict belongs
	// to the later of its two lines.
	lineOf := func(action string) int {
		if n, ok := lines.keys["keys."+action]; ok {
			return n
		}
		return lines.keys["keys"] // an inline table: keys = { … }
	}
	best, bestLine := errs[0], 0
	for i, e := range errs {
		n := lineOf(e.Action)
		if e.Other != "" && cfg.Keys[e.Other] != nil {
			n = max(n, lineOf(e.Other))
		}
		if i == 0 || n < bestLine {
			best, bestLine = e, n
		}
	}
	return fmt.Errorf("%d: [keys] %s", bestLine, best.Msg)
}

// saveDir is where the TUI saves articles: save_dir from the config (with
// "~/" as the home directory), else $XDG_DOCUMENTS_DIR, else ~/Documents
// or ~/Downloads when they exist, else the home directory.
func saveDir(cfg Config, getenv func(string) string) (string, error) {
	home, herr := os.UserHomeDir()
	if herr != nil {
		herr = fmt.Errorf("find the home directory for saving: %w", herr)
	}
	if d := cfg.SaveDir; d != "" {
		if rest, ok := strings.CutPrefix(d, "~/"); ok || d == "~" {
			if herr != nil {
				return "", herr
			}
			if !ok {
				rest = ""
			}
			return filepath.Join(home, rest), nil
		}
		return d, nil
	}
	if d := getenv("XDG_DOCUMENTS_DIR"); d != "" {
		return d, nil
	}
	if herr != nil {
		return "", herr
	}
	for _, sub := range []string{"Documents", "Downloads"} {
		d := filepath.Join(home, sub)
		st, err := os.Stat(d)
		if err == nil && st.IsDir() {
			return d, nil
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("find the directory for saving: %w", err)
		}
	}
	return home, nil
}
