package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSearchCLI(t *testing.T) {
	dir := fillDataDir(t)
	out, _, err := runKiosk(t, nil, "--data-dir", dir, "search", "Wärmeleitpaste")
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "1001  ") || lines[1] != "    Die Wärmeleitpaste trocknet aus." {
		t.Errorf("search output =\n%s", out)
	}

	out, _, err = runKiosk(t, nil, "--data-dir", dir, "search", "strassenbahnen", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var hits []map[string]any
	if err := json.Unmarshal([]byte(out), &hits); err != nil {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	if len(hits) != 1 || hits[0]["id"] != "1003" || hits[0]["snippet"] != "Nur der Anreißer über Straßenbahnen" ||
		hits[0]["offline"] != false || hits[0]["read"] != false || hits[0]["feed"] != "heise online" {
		t.Errorf("search --json = %v", hits)
	}

	// Words from several arguments, flags after them, hostile syntax.
	out, _, err = runKiosk(t, nil, "--data-dir", dir, "search", "Grafikkarten", "AND", "--limit", "5", "--json")
	if err != nil || strings.TrimSpace(out) != "[]" {
		t.Errorf("search Grafikkarten AND = %q, %v; want [] (AND is a word)", out, err)
	}
	for _, q := range []string{`"`, `NEAR(`, `(((`, `*`, `title:x`} {
		if _, _, err := runKiosk(t, nil, "--data-dir", dir, "search", q); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
	_, stderr, err := runKiosk(t, nil, "--data-dir", dir, "search", "Quantenschaum")
	if err != nil || !strings.Contains(stderr, "no matches") {
		t.Errorf("no match: %v, stderr %q", err, stderr)
	}
	if _, _, err := runKiosk(t, nil, "--data-dir", dir, "search"); err == nil || !strings.Contains(err.Error(), "no query") {
		t.Errorf("search without query: %v", err)
	}
	if _, _, err := runKiosk(t, nil, "--data-dir", t.TempDir(), "search", "x"); err == nil || !strings.Contains(err.Error(), "run kiosk sync") {
		t.Errorf("search without cache: %v", err)
	}
}
