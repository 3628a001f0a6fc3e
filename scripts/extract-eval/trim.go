package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// copyTrimmed copies the corpus in src into dst for the project's
// testdata: pages gzipped, with the bodies of scripts (except JSON-LD,
// which extraction reads) and of style sheets emptied, which is most of a
// page's bytes and nothing extraction or scoring looks at.
func copyTrimmed(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		switch {
		case strings.HasSuffix(path, ".html.gz"):
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			var raw bytes.Buffer
			if _, err := raw.ReadFrom(zr); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			b = gz(trimPage(raw.Bytes()))
		case strings.HasSuffix(path, ".html"):
			if filepath.Base(path) == "source.html" {
				b = trimPage(b)
			}
			b, out = gz(b), out+".gz"
		case strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".md"):
		default:
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
}

// gz compresses b.
func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// trimPage empties <script> elements other than JSON-LD and <style>
// elements. Like the HTML parser, it ends an element at the first
// case-insensitive "</script" or "</style".
func trimPage(b []byte) []byte {
	lower := bytes.ToLower(b)
	var out bytes.Buffer
	i := 0
	for {
		j := indexTag(lower, i)
		if j < 0 {
			break
		}
		name := "script"
		if bytes.HasPrefix(lower[j:], []byte("<style")) {
			name = "style"
		}
		gt := bytes.IndexByte(lower[j:], '>')
		if gt < 0 {
			break
		}
		open := j + gt + 1
		end := bytes.Index(lower[open:], []byte("</"+name))
		if end < 0 {
			break
		}
		end += open
		out.Write(b[i:open])
		if name == "script" && bytes.Contains(lower[j:open], []byte("ld+json")) {
			out.Write(b[open:end])
		}
		i = end
	}
	out.Write(b[i:])
	return out.Bytes()
}

// indexTag finds the next "<script" or "<style" start tag from i.
func indexTag(lower []byte, i int) int {
	for {
		k := bytes.IndexByte(lower[i:], '<')
		if k < 0 {
			return -1
		}
		k += i
		rest := lower[k:]
		for _, t := range []string{"<script", "<style"} {
			if bytes.HasPrefix(rest, []byte(t)) && len(rest) > len(t) && (rest[len(t)] == '>' || rest[len(t)] == ' ' || rest[len(t)] == '\t' || rest[len(t)] == '\n' || rest[len(t)] == '\r' || rest[len(t)] == '/') {
				return k
			}
		}
		i = k + 1
	}
}
