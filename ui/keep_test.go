package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Ionos-Phishing: Masche mit neuen EU-Richtlinien", "ionos-phishing-masche-mit-neuen-eu-richtlinien"},
		{"Größe, Übermaß & Ärger", "groesse-uebermass-aerger"},
		{"  ../../etc/passwd  ", "etc-passwd"},
		{"heise+ | Test: Die besten NAS-Systeme", "heise-test-die-besten-nas-systeme"},
		{"Café Zürich", "café-zuerich"},
		{"\x1b[31m!!!\x1b[m", "article"},
		{"", "article"},
		{strings.Repeat("abc ", 40), strings.TrimSuffix(strings.Repeat("abc-", 20), "-")},
	}
	for _, tt := range tests {
		if got := slug(tt.title); got != tt.want {
			t.Errorf("slug(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestSaveWritesMarkdownWithoutOverwriting(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "docs") // created on the first save
	src := newFake(t)
	m := start(t, newTestModel(src, 100, 30, func(o *Options) { o.SaveDir = dir }))
	m = press(t, m, "enter", "w")
	a := src.articles[src.items[0].ID]
	want := filepath.Join(dir, slug(a.Title)+".md")
	if m.status != "saved "+want {
		t.Errorf("status = %q, want where the article went (%s)", m.status, want)
	}
	got := readFile(t, want)
	if got != articleMarkdown(a) || !strings.Contains(got, "# Ionos-Phishing") || !strings.Contains(got, "Links in diesem Artikel") || !strings.Contains(got, "[4] ") {
		t.Errorf("saved file is not the article's Markdown with its references:\n%s", got)
	}
	m = press(t, m, "w")
	second := strings.TrimSuffix(want, ".md") + "-2.md"
	if m.status != "saved "+second || readFile(t, want) != got || !fileExists(second) {
		t.Errorf("a second save does not go to %s: status %q", second, m.status)
	}
}

func TestSaveFailureIsShown(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	m := start(t, newTestModel(newFake(t), 100, 30, func(o *Options) { o.SaveDir = file }))
	m = press(t, m, "enter", "w")
	if m.err == nil || !strings.Contains(plain(m), "save article") {
		t.Errorf("a save into a file as directory is not reported:\n%s", plain(m))
	}
}

func TestPipeShowsFirstLineOrError(t *testing.T) {
	src := newFake(t)
	m := start(t, newTestModel(src, 100, 30))
	m = press(t, m, "enter", "|", "type:wc -w", "enter")
	text := plainText(src.articles[src.items[0].ID])
	words := len(strings.Fields(text))
	if want := fmt.Sprintf("| wc -w: %d", words); !strings.Contains(plain(m), want) {
		t.Errorf("the status line lacks %q:\n%s", want, plain(m))
	}
	for _, marker := range []string{"**", "# ", "\x1b"} {
		if strings.Contains(text, marker) {
			t.Errorf("the piped text holds %q:\n%s", marker, text)
		}
	}
	// The prompt keeps the last command; a failing one shows its error.
	m = press(t, m, "|")
	if !strings.Contains(plain(m), "pipe to: wc -w") {
		t.Errorf("the pipe prompt does not offer the last command:\n%s", plain(m))
	}
	m = press(t, m, "esc", "|")
	for range len("wc -w") {
		m = press(t, m, "backspace")
	}
	m = press(t, m, "type:echo oops >&2; exit 3", "enter")
	if m.err == nil || !strings.Contains(plain(m), "exit status 3: oops") {
		t.Errorf("a failing pipe command is not reported with its stderr:\n%s", plain(m))
	}
	if m.active != screenReader {
		t.Errorf("after the pipe the screen is %d, want the reader", m.active)
	}
}

func TestPipeInteractiveRunsInTheTerminal(t *testing.T) {
	for _, command := range []string{"less", "!wc -l"} {
		m := start(t, newTestModel(newFake(t), 100, 30))
		m = press(t, m, "enter")
		nm, cmd := m.Update(pipeArticleMsg{command: command})
		msg := cmd()
		ready, ok := msg.(pipeReadyMsg)
		if !ok || ready.text == "" || strings.HasPrefix(ready.command, "!") {
			t.Fatalf("%s: the pipe gives %T %+v, want the text for the terminal", command, msg, msg)
		}
		_, cmd = nm.(Model).Update(ready)
		if cmd == nil || !strings.Contains(fmt.Sprintf("%T", cmd()), "execMsg") {
			t.Errorf("%s does not run through tea.ExecProcess", command)
		}
	}
}

func TestBrowserMarkRead(t *testing.T) {
	src := newFake(t)
	var mu sync.Mutex
	var opened []string
	m := start(t, newTestModel(src, 100, 30, func(o *Options) {
		o.Browser = func(u string) error {
			mu.Lock()
			defer mu.Unlock()
			opened = append(opened, u)
			return nil
		}
	}))
	m = press(t, m, "j", "O") // the second row, unread
	if len(opened) != 1 || opened[0] != src.items[1].URL || !src.items[1].Read {
		t.Errorf("O on the list opened %q and left read = %v, want %s opened and read", opened, src.items[1].Read, src.items[1].URL)
	}
	if row := lineWith(m, "Energiewende"); strings.HasPrefix(row, "●") {
		t.Errorf("the row after O still shows unread: %q", row)
	}
	m = press(t, m, "k", "enter", "m", "O") // mark unread in the reader, then O
	if len(opened) != 2 || !src.items[0].Read {
		t.Errorf("O in the reader opened %q and left read = %v", opened, src.items[0].Read)
	}
}
