package extract

import "testing"

func TestBeginsBody(t *testing.T) {
	body := "## Highlights\n\n- Here’s our Firefox Year in Review! [1]\n- Here’s our Performance Year in Review! [2]\n- We’ve just landed Bug 1553982 [3], which aims to prevent starting an update."
	for _, c := range []struct {
		lead string
		want bool
	}{
		// A description made of the text's first words, with other quotes.
		{"Highlights Here's our Firefox Year in Review! Here’s our Performance Year in Review! We've just landed Bug 1553982, which aims ...", true},
		{"Our review of the year in Firefox, with the bugs we fixed.", false},
		{"", false},
	} {
		if got := beginsBody(body, c.lead); got != c.want {
			t.Errorf("beginsBody(%q) = %v, want %v", c.lead, got, c.want)
		}
	}
}
