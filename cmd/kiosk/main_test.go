package main

import (
	"errors"
	"testing"
)

func TestErrorLineIsOneCleanLine(t *testing.T) {
	err := errors.Join(errors.New("parse feed http://a.example/f: bad \x1b]0;title\x07XML"), errors.New("fetch feed: HTTP 404\tNot\u00a0Found"))
	got := errorLine(err)
	want := "kiosk: parse feed http://a.example/f: bad XML; fetch feed: HTTP 404 Not Found"
	if got != want {
		t.Errorf("errorLine = %q, want %q", got, want)
	}
}
