package extract

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSniffHTML(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want bool
	}{
		{"doctype", "<!DOCTYPE html><html><p>x</p>", true},
		{"bom", "\ufeff<!DOCTYPE html>\n<html>", true},
		{"doctype newline", "<!DOCTYPE html\n PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">\n<html>", true},
		{"lower doctype newline", "<!doctype\nhtml>", true},
		{"meta first", "<meta charset=\"utf-8\">\n<title>x</title>", true},
		{"conditional comment", "<!--[if lt IE 9]><html class=\"ie\"><![endif]-->\n<html>", true},
		{"comment then doctype", "  <!-- saved from url=(0014)about:internet -->\n<!DOCTYPE html>", true},
		{"xml declaration in comment", "<!--?xml version=\"1.0\" encoding=\"UTF-8\" ?--><!DOCTYPE html PUBLIC", true},
		{"xml declaration", "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">", true},
		{"text before html", "garbage line\n<html><body>x", true},
		{"empty", "", false},
		{"only bom", "\ufeff", false},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00binary", false},
		{"pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", false},
		{"plain text", "Just some notes, no markup.\n", false},
		{"nul after markup", "<html>\x00\x01\x02", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SniffHTML([]byte(tc.in)); got != tc.want {
				t.Errorf("SniffHTML(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// TestSniffRealPages checks real pages that net/http's sniffer calls
// text/plain (a BOM, a commented-out XML declaration) and the news pages.
func TestSniffRealPages(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "news-de", "*", "*.html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob(filepath.Join("testdata", "readability", "*", "source.html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("found %d test pages, want at least 10", len(files))
	}
	for _, f := range files {
		if !SniffHTML(readGzip(t, f)) {
			t.Errorf("SniffHTML(%s) = false, want true", f)
		}
	}
	for _, name := range []string{"herald-sun-1", "la-nacion"} {
		page := readGzip(t, filepath.Join("testdata", "readability", name, "source.html.gz"))
		a, err := Article("http://fakehost/test/page.html", page)
		if err != nil || strings.TrimSpace(a.Body) == "" {
			t.Errorf("Article(%s) = body %d bytes, %v; want an article", name, len(a.Body), err)
		}
	}
}
