package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/kiosk-reader/kiosk/fetch"
)

// Keeping and passing on an article: the save key writes its Markdown to a
// file, the pipe key gives its text to a shell command. Both are commands;
// Update only asks for them.

const (
	pipeTimeout = time.Minute // a command that reads the article and answers
	pipeWidth   = 80          // the text piped is wrapped like kiosk read --format text
	outputCap   = 64 << 10    // of a piped command's output kept, for its first line
	maxSlug     = 80          // bytes of a file name taken from the title
)

// saveArticleCmd writes the article as Markdown, references included, to a
// new file in dir named after its title; it never overwrites a file.
func saveArticleCmd(dir string, a fetch.Article) tea.Cmd {
	md := articleMarkdown(a)
	return func() tea.Msg {
		path, err := saveNew(dir, slug(a.Title), []byte(md))
		if err != nil {
			return savedMsg{err: fmt.Errorf("save article: %w", err)}
		}
		return savedMsg{path: path}
	}
}

// saveNew writes data to dir/name.md, or name-2.md, name-3.md… when taken.
func saveNew(dir, name string, data []byte) (string, error) {
	if dir == "" {
		return "", errors.New("no directory to save to (save_dir)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	for n := 1; n <= 1000; n++ {
		file := name + ".md"
		if n > 1 {
			file = fmt.Sprintf("%s-%d.md", name, n)
		}
		path := filepath.Join(dir, file)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("create file: %w", err)
		}
		if _, err := f.Write(data); err != nil {
			return "", fmt.Errorf("write %s: %w", path, errors.Join(err, f.Close(), os.Remove(path)))
		}
		if err := f.Close(); err != nil {
			return "", fmt.Errorf("write %s: %w", path, err)
		}
		return path, nil
	}
	return "", fmt.Errorf("%s already holds 1000 files named %s", dir, name)
}

// slug makes a file name of a title: lower-case letters and digits joined
// by hyphens, umlauts spelled out, at most maxSlug bytes; "article" when
// nothing is left.
func slug(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(fetch.CleanLine(title)) {
		s := ""
		switch {
		case r == 'ä':
			s = "ae"
		case r == 'ö':
			s = "oe"
		case r == 'ü':
			s = "ue"
		case r == 'ß':
			s = "ss"
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			s = string(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			s = string(r) // other scripts and accents are fine in file names
		}
		if s == "" {
			hyphen = b.Len() > 0
			continue
		}
		if b.Len()+len(s)+1 > maxSlug {
			break
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteString(s)
	}
	if b.Len() == 0 {
		return "article"
	}
	return b.String()
}

// interactive reports whether a pipe command needs the terminal (a pager
// or an editor), and the command without the "!" that forces it.
func interactive(command string) (string, bool) {
	if rest, ok := strings.CutPrefix(strings.TrimSpace(command), "!"); ok {
		return strings.TrimSpace(rest), true
	}
	fields := strings.Fields(command)
	if len(fields) == 0 {
		return command, false
	}
	switch filepath.Base(fields[0]) {
	case "less", "more", "most", "vi", "vim", "nvim", "view", "nano", "emacs", "micro", "hx", "kak",
		"bat", "w3m", "lynx", "elinks", "mutt", "neomutt", "aerc", "$PAGER", "${PAGER}", "$EDITOR", "${EDITOR}":
		return command, true
	}
	return command, false
}

// pipeTextCmd renders the article as plain text for a pipe command. An
// interactive command comes back as pipeReadyMsg, to run in the terminal;
// any other runs here, and its first output line comes back.
func pipeTextCmd(be backend, command string, a fetch.Article) tea.Cmd {
	return func() tea.Msg {
		text := plainText(a)
		if cmd, ok := interactive(command); ok {
			return pipeReadyMsg{command: cmd, text: text}
		}
		ctx, cancel := context.WithTimeout(be.ctx, pipeTimeout)
		defer cancel()
		return runPipe(ctx, command, text)
	}
}

// plainText is the article as plain text, as kiosk read --format text
// prints it: the print view, without Markdown markers.
func plainText(a fetch.Article) string {
	return fetch.PrintText(a, pipeWidth)
}

// runPipe runs command with sh -c, text on its stdin.
func runPipe(ctx context.Context, command, text string) pipedMsg {
	// The command is the user's own, typed at the prompt: a shell is
	// what they ask for.
	c := exec.CommandContext(ctx, "sh", "-c", command)
	c.Stdin = strings.NewReader(text)
	var stdout, stderr capped
	c.Stdout, c.Stderr = &stdout, &stderr
	err := c.Run()
	if err != nil {
		if line := firstLine(stderr.String()); line != "" {
			err = fmt.Errorf("%w: %s", err, line)
		}
		return pipedMsg{command: command, err: fmt.Errorf("| %s: %w", command, err)}
	}
	return pipedMsg{command: command, output: firstLine(stdout.String())}
}

// interactivePipe runs an interactive command in the terminal, the text on
// its stdin (a pager reads keys from /dev/tty).
func interactivePipe(ctx context.Context, command, text string) tea.Cmd {
	c := exec.CommandContext(ctx, "sh", "-c", command)
	c.Stdin = strings.NewReader(text)
	return tea.ExecProcess(c, func(err error) tea.Msg {
		if err != nil {
			err = fmt.Errorf("| %s: %w", command, err)
		}
		return pipedMsg{command: command, err: err, interactive: true}
	})
}

// firstLine is the first non-blank line of s, cleaned for the status line.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = fetch.CleanLine(l); strings.TrimSpace(l) != "" {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// capped keeps the first outputCap bytes written to it and drops the rest,
// so that a command printing megabytes costs no memory.
type capped struct{ bytes.Buffer }

// Write implements io.Writer; it never fails, so the command is not cut off.
func (c *capped) Write(p []byte) (int, error) {
	if room := outputCap - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
