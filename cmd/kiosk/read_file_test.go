package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch"
)

// TestReadFileLikeABrowser checks that kiosk read takes every file a browser
// opens as HTML: real pages with a BOM or a commented-out XML declaration,
// and the seed page behind <meta>, a conditional comment, a comment or a
// doctype broken over lines; empty and binary files are refused clearly.
func TestReadFileLikeABrowser(t *testing.T) {
	seed, err := os.ReadFile(seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	body := seed[bytes.Index(bytes.ToLower(seed), []byte("<html")):]
	gunzip := func(name string) []byte {
		f, err := os.Open(filepath.Join("..", "..", "fetch", "extract", "testdata", "readability", strings.TrimSuffix(name, ".html.gz"), "source.html.gz"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		page []byte
	}{
		{"la-nacion BOM", gunzip("la-nacion.html.gz")},
		{"herald-sun xml comment", gunzip("herald-sun-1.html.gz")},
		{"meta first", append([]byte("<meta charset=\"utf-8\">\n"), body...)},
		{"conditional comment", append([]byte("<!--[if IE]><p class=\"old\">Old browser</p><![endif]-->\n"), body...)},
		{"comment", append([]byte("<!-- saved from url=(0014)about:internet -->\n"), body...)},
		{"doctype newline", append([]byte("<!DOCTYPE html\n  PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n"), body...)},
		{"bom", append([]byte("\ufeff"), seed...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".html")
			if err := os.WriteFile(path, tc.page, 0o644); err != nil {
				t.Fatal(err)
			}
			a, err := readFile(path)
			if err != nil {
				t.Fatalf("readFile(%s) = %v, want an article", tc.name, err)
			}
			if strings.TrimSpace(a.Body) == "" || a.Title == "" {
				t.Errorf("readFile(%s): title %q, body %d bytes; want both", tc.name, a.Title, len(a.Body))
			}
		})
	}
	for _, tc := range []struct {
		name string
		page []byte
		want string
	}{
		{"empty", nil, "empty file"},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "looks like image/png"},
		{"text", []byte("Just a note.\n"), "looks like text/plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".html")
			if err := os.WriteFile(path, tc.page, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := readFile(path)
			if !errors.Is(err, fetch.ErrNotHTML) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("readFile(%s) = %v, want %v containing %q", tc.name, err, fetch.ErrNotHTML, tc.want)
			}
		})
	}
}
