package ui

import (
	"context"
	"image/color"
	"os"
	"testing"
)

type contextT = context.Context

var (
	colorBlack = color.Black
	colorWhite = color.White
)

func writeExecutable(path, content string) error { return os.WriteFile(path, []byte(content), 0o700) }

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
