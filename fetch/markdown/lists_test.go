package markdown

import "testing"

// TestListTextOutsideItems checks that text a list holds outside its
// <li>s is kept: a list without items (an indent on old pages) reads as a
// paragraph, and text between items, with its inline markup, is an item
// of its own.
func TestListTextOutsideItems(t *testing.T) {
	for _, tc := range []struct{ name, fragment, want string }{
		{
			name:     "indent without items",
			fragment: `<p>Before.</p><ul> (Really my goal is to <i>create</i> video, but I start with <i>playback</i>.) </ul><p>After.</p>`,
			want:     "Before.\n\n(Really my goal is to *create* video, but I start with *playback*.)\n\nAfter.",
		},
		{
			name:     "text between items",
			fragment: `<ul><li>one</li> loose <b>bold</b> text <li>two</li></ul>`,
			want:     "- one\n- loose **bold** text\n- two",
		},
		{
			name:     "items only",
			fragment: `<ol start="3"><li>three</li>  <li>four</li></ol>`,
			want:     "3. three\n4. four",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, _, _ := convertFragment(t, "", tc.fragment, nil)
			if body != tc.want {
				t.Errorf("got\n%q\nwant\n%q", body, tc.want)
			}
		})
	}
}
