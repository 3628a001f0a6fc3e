package markdown

import "testing"

func TestIsFileNameAlt(t *testing.T) {
	for _, tc := range []struct {
		alt  string
		want bool
	}{
		{"12-IMG_3886.jpg", true}, {"DSC01234", true}, {"image.png", true}, {"foto_1", true},
		{"P1610088", true}, {"performance.JPG", true},
		{"Überweisung", false}, {"COVID-19", false}, {"Kate Moss, Parfum, Beauty-Routine", false},
		{"F-35", false}, {"Christin Jordan, SWR", false}, {"", false}, {"Stand: 12.03.2024", false},
	} {
		if got := isFileNameAlt(tc.alt); got != tc.want {
			t.Errorf("isFileNameAlt(%q) = %v, want %v", tc.alt, got, tc.want)
		}
	}
}
