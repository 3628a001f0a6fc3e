package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/kitty"

	"github.com/kiosk-reader/kiosk/fetch"
)

// pictureFake is the fake source with stored pictures for the heise
// article: its hero (a JPEG) and its inline figure (the fixture PNG).
func pictureFake(t *testing.T) (*fakeSource, fetch.Article) {
	t.Helper()
	f := newFake(t)
	a := f.articles[f.items[0].ID]
	f.pictures = map[string][]fetch.Picture{a.ID: {
		jpegPicture(t, a.Hero.Image, 1200, 800),
		fixturePicture(t, a.Figures[0].Image),
	}}
	return f, a
}

// picturesOn turns pictures on with a protocol, in colour, outside tmux.
func picturesOn(t *testing.T, proto string) func(*Options) {
	t.Helper()
	t.Setenv("NO_COLOR", "")
	t.Setenv("TMUX", "")
	return func(o *Options) { o.Images, o.ImageProtocol, o.NoColor = true, proto, false }
}

// screenLines is the screen as plain text lines.
func screenLines(m Model) []string { return strings.Split(ansi.Strip(view(m)), "\n") }

// pictureRows counts the screen lines that show a picture.
func pictureRows(m Model) int {
	n := 0
	for _, l := range screenLines(m) {
		if strings.Contains(l, "▀▀") {
			n++
		}
	}
	return n
}

// lineAbove returns the screen line above the first one that starts with
// prefix (spaces aside), and whether there is one.
func lineAbove(m Model, prefix string) (string, bool) {
	lines := screenLines(m)
	i := indexOfPrefix(lines, prefix)
	if i < 1 {
		return "", false
	}
	return lines[i-1], true
}

func TestReaderShowsPicturesAboveCaptions(t *testing.T) {
	f, _ := pictureFake(t)
	m := start(t, newTestModel(f, 80, 30, picturesOn(t, ProtocolHalfblocks)))
	m = press(t, m, "enter")
	above, ok := lineAbove(m, "**Bild** [3]:")
	if !ok {
		t.Fatalf("no hero caption on screen:\n%s", plain(m))
	}
	if !strings.Contains(above, "▀") {
		t.Errorf("the line above the hero caption is %q, want the picture", above)
	}
	// The hero is capped at 40 % of the screen: 12 of 30 lines.
	if n := pictureRows(m); n == 0 || n > 12 {
		t.Errorf("the hero takes %d lines, want 1 to 12", n)
	}
	if strings.Contains(view(m), "\x1b[38;2;") == false {
		t.Errorf("the picture has no 24-bit colours")
	}

	// The inline figure's picture is above its caption too.
	for range 200 {
		if _, ok := lineAbove(m, "**Bild** [4]:"); ok {
			break
		}
		m = press(t, m, "j")
	}
	if above, ok := lineAbove(m, "**Bild** [4]:"); !ok || !strings.Contains(above, "▀") {
		t.Errorf("the line above the inline caption is %q (found %v), want the picture", above, ok)
	}

	// i switches pictures off and on again, for the session.
	m = press(t, m, "g", "i")
	if strings.Contains(plain(m), "▀") {
		t.Errorf("pictures still shown after i")
	}
	if !strings.Contains(plain(m), "pictures off") {
		t.Errorf("the status line does not say pictures are off")
	}
	m = press(t, m, "esc", "enter")
	if strings.Contains(plain(m), "▀") {
		t.Errorf("pictures shown again in the next article while switched off")
	}
	m = press(t, m, "i")
	if above, _ := lineAbove(m, "**Bild** [3]:"); !strings.Contains(above, "▀") {
		t.Errorf("pictures not back after i again: %q", above)
	}
}

func TestReaderWithoutPicturesIsAsBefore(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts func(*Options)
	}{
		{"images off", func(o *Options) { o.NoColor = false; o.ImageProtocol = ProtocolHalfblocks }},
		{"protocol none", func(o *Options) { o.NoColor = false; o.Images, o.ImageProtocol = true, ProtocolNone }},
		{"no colour", func(o *Options) { o.Images, o.ImageProtocol = true, ProtocolHalfblocks }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := pictureFake(t)
			plainF := newFake(t)
			m := press(t, start(t, newTestModel(f, 80, 24, tt.opts)), "enter")
			want := press(t, start(t, newTestModel(plainF, 80, 24, func(o *Options) { o.NoColor = tt.name == "no colour" })), "enter")
			if got, want := view(m), view(want); got != want {
				t.Errorf("the reader differs from the reader without pictures:\n%q\nwant\n%q", got, want)
			}
			if f.pictureCalls != 0 {
				t.Errorf("Pictures called %d times, want none", f.pictureCalls)
			}
			m = press(t, m, "?")
			if strings.Contains(plain(m), "view picture") || strings.Contains(plain(m), "pictures on/off") {
				t.Errorf("help lists the picture keys without pictures")
			}
		})
	}
}

func TestReaderKittyPlaceholders(t *testing.T) {
	f, _ := pictureFake(t)
	m := start(t, newTestModel(f, 80, 30, picturesOn(t, ProtocolKitty)))
	m = press(t, m, "enter")
	above, ok := lineAbove(m, "**Bild** [3]:")
	if !ok || !strings.ContainsRune(above, kitty.Placeholder) {
		t.Fatalf("the line above the hero caption is %q, want kitty placeholders", above)
	}
	// The placeholders' foreground is an image the terminal has been sent.
	var sent []uint32
	for id := range m.reader.pics.sent {
		sent = append(sent, id)
	}
	if len(sent) != 2 {
		t.Fatalf("sent %d kitty images, want 2 (hero and inline)", len(sent))
	}
	found := false
	for _, id := range sent {
		if strings.Contains(view(m), kittyPlaceholderLines(id, 1, 1)[0][:len("\x1b[38;2;0;0;0m")]) {
			found = true
		}
	}
	if !found {
		t.Errorf("no placeholder shows a transmitted image ID %v", sent)
	}
	// Shown again (back and open), nothing is sent twice.
	calls := f.pictureCalls
	m = press(t, m, "esc", "enter")
	if len(m.reader.pics.sent) != 2 || f.pictureCalls != calls {
		t.Errorf("reopening sent %d images and read pictures %d more times, want 2 and 0", len(m.reader.pics.sent), f.pictureCalls-calls)
	}
}

func TestKittyTransmissionReachesTheTerminal(t *testing.T) {
	f, _ := pictureFake(t)
	m := start(t, newTestModel(f, 80, 30, picturesOn(t, ProtocolKitty)))
	// Run the commands by hand to see the raw sequences they print.
	nm, cmd := m.Update(keyMsg("enter"))
	m = nm.(Model)
	var raw []string
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.RawMsg:
			raw = append(raw, msg.Msg.(string))
		default:
			nm, next := m.Update(msg)
			m = nm.(Model)
			queue = append(queue, next)
		}
	}
	if len(raw) != 1 || strings.Count(raw[0], "a=T") != 2 || !strings.Contains(raw[0], "U=1") {
		t.Errorf("raw output = %d sequences, want one with two transmissions with virtual placements", len(raw))
	}
}

func TestViewPictureFullScreen(t *testing.T) {
	f, a := pictureFake(t)
	m := start(t, newTestModel(f, 80, 30, picturesOn(t, ProtocolHalfblocks)))
	m = press(t, m, "enter", "v")
	lines := screenLines(m)
	if !strings.Contains(lines[0], fetch.CleanLine(a.Hero.Caption)[:30]) {
		t.Errorf("the full-screen view's top line is %q, want the hero caption", lines[0])
	}
	if n := pictureRows(m); n < 20 {
		t.Errorf("the full-screen picture takes %d lines, want most of the 30", n)
	}
	m = press(t, m, "esc")
	if _, ok := lineAbove(m, "**Bild** [3]:"); !ok {
		t.Errorf("esc does not go back to the text:\n%s", plain(m))
	}
	if m.active != screenReader {
		t.Errorf("esc left the reader")
	}
	// Nothing on screen: a note, no full-screen view.
	m = press(t, m, "G", "v")
	if !strings.Contains(plain(m), "no picture on screen") {
		t.Errorf("v without a picture on screen does not say so")
	}
}

func TestPictureErrorsKeepTheArticle(t *testing.T) {
	f, a := pictureFake(t)
	f.picturesError = errors.New("disk on fire")
	m := start(t, newTestModel(f, 80, 30, picturesOn(t, ProtocolHalfblocks)))
	m = press(t, m, "enter")
	if !strings.Contains(plain(m), "disk on fire") {
		t.Errorf("the status line does not show the error")
	}
	if !strings.Contains(plain(m), "**Bild** [3]:") || strings.Contains(plain(m), "▀") {
		t.Errorf("the article is not shown as without pictures")
	}

	// A broken picture leaves its figure without it; the other shows.
	f, a = pictureFake(t)
	f.pictures[a.ID][0].Data = f.pictures[a.ID][0].Data[:100]
	m = start(t, newTestModel(f, 80, 30, picturesOn(t, ProtocolHalfblocks)))
	m = press(t, m, "enter")
	if above, _ := lineAbove(m, "**Bild** [3]:"); strings.Contains(above, "▀") {
		t.Errorf("a truncated picture is drawn: %q", above)
	}
	if !strings.Contains(plain(m), "draw pictures") {
		t.Errorf("the status line does not say a picture could not be drawn")
	}
}

func TestPicturesFollowTheWidth(t *testing.T) {
	f, _ := pictureFake(t)
	m := start(t, newTestModel(f, 80, 80, picturesOn(t, ProtocolHalfblocks)))
	m = press(t, m, "enter")
	width := func(m Model) int {
		above, _ := lineAbove(m, "**Bild** [3]:")
		return strings.Count(above, "▀")
	}
	w80 := width(m)
	m = send(t, m, tea.WindowSizeMsg{Width: 60, Height: 80})
	if w60 := width(m); w60 == 0 || w60 >= w80 {
		t.Errorf("the hero is %d cells wide at 60 columns and %d at 80, want narrower", w60, w80)
	}
}

func TestPicturesKeepTheViewInPlace(t *testing.T) {
	spans := []pictureSpan{{start: 5, size: 3}, {start: 20, size: 4}}
	// Text alone: captions at 5 and 17.
	for _, tt := range []struct{ y, text int }{{0, 0}, {4, 4}, {5, 5}, {7, 5}, {8, 5}, {9, 6}, {24, 17}, {30, 23}} {
		if got := textLine(spans, tt.y); got != tt.text {
			t.Errorf("textLine(%d) = %d, want %d", tt.y, got, tt.text)
		}
	}
	for _, tt := range []struct{ text, y int }{{0, 0}, {4, 4}, {5, 8}, {6, 9}, {17, 24}, {23, 30}} {
		if got := composedLine(spans, tt.text); got != tt.y {
			t.Errorf("composedLine(%d) = %d, want %d", tt.text, got, tt.y)
		}
	}
	// Scrolled down before the pictures arrive, the same text stays on top.
	f, _ := pictureFake(t)
	m := start(t, newTestModel(f, 80, 30, picturesOn(t, ProtocolHalfblocks), func(o *Options) { o.Images = false }))
	m = press(t, m, "enter", "space")
	topWithout := screenLines(m)[1]
	m2 := start(t, newTestModel(f, 80, 30, picturesOn(t, ProtocolHalfblocks)))
	m2 = press(t, m2, "enter")
	lines := slices.Clone(m2.reader.lines)
	y := composedLine(m2.reader.pics.spans, m.reader.vp.YOffset())
	if got := ansi.Strip(lines[y]); !strings.Contains(topWithout, strings.TrimSpace(got)) {
		t.Errorf("line %d with pictures is %q, want the top line without them, %q", y, got, topWithout)
	}
}
