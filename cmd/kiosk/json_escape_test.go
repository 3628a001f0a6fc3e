package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// list --json and search --json write control and bidi characters from
// feeds as \u escapes: the same text for a JSON reader, nothing raw for a
// terminal.
func TestWriteJSONEscapesInvisible(t *testing.T) {
	in := itemJSON{ID: "1", Title: "Gut\u009b31m \u202eTitel\u200b\U000E0041\x7f", URL: "https://a.example/ä", Feeds: []string{}}
	var buf bytes.Buffer
	if err := writeJSON(&buf, []itemJSON{in}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.ContainsAny(out, "\u009b\u202e\u200b\U000E0041\x7f") {
		t.Errorf("writeJSON left a raw control or bidi character: %q", out)
	}
	for _, esc := range []string{`\u009b`, `\u202e`, `\u200b`, `\udb40\udc41`, `\u007f`, "https://a.example/ä"} {
		if !strings.Contains(out, esc) {
			t.Errorf("writeJSON output lacks %s: %s", esc, out)
		}
	}
	var back []itemJSON
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || len(back) != 1 || back[0].Title != in.Title {
		t.Errorf("round trip = %+v, %v; want title %q", back, err, in.Title)
	}
}
