package article

import (
	"strings"
	"testing"
	"unicode"
)

func TestCleanText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Hallo Welt", "Hallo Welt"},
		{"umlauts kept", "Grüße aus Köln, Maß", "Grüße aus Köln, Maß"},
		{"nbsp", "Bild:\u00a0Hadrian", "Bild: Hadrian"},
		{"narrow nbsp", "10\u202fkm", "10 km"},
		{"zero width", "Frankreich\u200b", "Frankreich"},
		{"bom and soft hyphen", "\ufeffVer\u00adhandlung", "Verhandlung"},
		{"csi colour", "\x1b[31mrot\x1b[0m", "rot"},
		{"csi clear screen", "a\x1b[2J\x1b[Hb", "ab"},
		{"osc title bel", "x\x1b]0;pwned\x07y", "xy"},
		{"osc hyperlink st", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"dcs", "a\x1bP1;2qdata\x1b\\b", "ab"},
		{"c1 csi", "a\u009b31mb", "ab"},
		{"c1 osc", "a\u009d0;t\u009cb", "ab"},
		{"charset select", "a\x1b(Bb", "ab"},
		{"controls", "a\x00b\x07c\x08d\x7fe", "abcde"},
		{"crlf", "a\r\nb\rc", "a\nb\nc"},
		{"tabs and newlines kept", "a\tb\nc", "a\tb\nc"},
		{"bidi override", "abc\u202edef", "abcdef"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"lone escape at end", "abc\x1b", "abc"},
		{"unterminated osc", "abc\x1b]0;title", "abc"},
		{"tag characters", "ok\U000E0001\U000E0069\U000E0067\U000E006E\U000E006F\U000E0072\U000E0065\U000E007F!", "ok!"},
		{"tag block ends", "a\U000E0000b\U000E007Fc", "abc"},
		{"past the tag block", "a\U000E0080b", "a\U000E0080b"},
		{"england flag loses its tags", "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", "\U0001F3F4"},
		{"interlinear annotation", "a\ufff9b\ufffac\ufffbd", "abcd"},
		{"invisible operators", "f\u2061(x)\u2062y\u2064", "f(x)y"},
		{"deprecated format", "a\u206ab\u206fc", "abc"},
		{"musical format", "a\U0001D173b\U0001D17Ac", "abc"},
		{"variation selectors kept", "\u2764\ufe0f \u8fbb\U000E0100", "\u2764\ufe0f \u8fbb\U000E0100"},
		{"general punctuation kept", "a\u2013b\u2026\u2030", "a\u2013b\u2026\u2030"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CleanText(tc.in); got != tc.want {
				t.Errorf("CleanText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCleanLine(t *testing.T) {
	in := "  Regisseur\u00a0der\n Olympischen\u200b\tSpiele  "
	if got, want := CleanLine(in), "Regisseur der Olympischen Spiele"; got != want {
		t.Errorf("CleanLine(%q) = %q, want %q", in, got, want)
	}
}

// TestCleanLineSingleSpaced checks the shortcut for lines that need no
// folding against the folding itself, on lines with and without white
// space to fold.
func TestCleanLineSingleSpaced(t *testing.T) {
	for _, in := range []string{"", " ", "a", "Grüße aus Köln", "f1 item 3", " lead", "trail ", "two  spaces", "tab\there",
		"new\nline", "cr\rx", "vt\vx", "ff\fx", "nbsp\u00a0x", "thin\u2009x", "ideo\u3000x", "nel\u0085x", "line\u2028sep",
		"ogham\u1680x", "a b c", "x\xffy", "\u200bzero width", "ends with nbsp\u00a0", "emoji 👍 ok", "Ärger × Ÿ ɏ ǅ", "soft\u00adhyphen"} {
		if got, want := CleanLine(in), strings.Join(strings.Fields(CleanText(in)), " "); got != want {
			t.Errorf("CleanLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{"plain", "a  b", " x", "x\u00a0y", "\u3000", "a\xffb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := CleanLine(s), strings.Join(strings.Fields(CleanText(s)), " "); got != want {
			t.Errorf("CleanLine(%q) = %q, want %q", s, got, want)
		}
	})
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[31mx", "\x1b]8;;u\x07t", "\u009b1m", "a\xffb", "\r\n\u200b", "x\U000E0041\U000E007Fy\ufff9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := CleanText(s)
		for _, r := range out {
			if r != '\n' && r != '\t' && (unicode.IsControl(r) || IsInvisible(r)) {
				t.Fatalf("CleanText(%q) = %q keeps control %U", s, out, r)
			}
		}
		if isClean(s) && cleanSlow(s) != s {
			t.Fatalf("isClean(%q) but cleaning changes it to %q", s, cleanSlow(s))
		}
		if again := CleanText(out); again != out {
			t.Fatalf("CleanText is not idempotent: %q → %q → %q", s, out, again)
		}
		if strings.Contains(out, "\x1b") {
			t.Fatalf("escape survived in %q", out)
		}
	})
}

func BenchmarkCleanText(b *testing.B) {
	for name, s := range map[string]string{
		"clean-german": strings.Repeat("Das russische Verteidigungsministerium gab bekannt, dass Grüße aus Köln kommen. ", 60),
		"with-nbsp":    strings.Repeat("Das russische Verteidigungsministerium gab bekannt, dass Grüße\u00a0aus Köln. ", 60),
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				CleanText(s)
			}
		})
	}
}
