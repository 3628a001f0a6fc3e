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

// TestIconsInTableCells checks that small pictures declared by one
// dimension only (check marks in a table) read as their alt text, not as
// figures, while a picture of article size stays a figure.
func TestIconsInTableCells(t *testing.T) {
	const fragment = `<table><tr><th>Feature</th><th>Done</th></tr>
<tr><td>Load map</td><td><img src="https://x.example/tick.png" width="20px"></td></tr>
<tr><td>Save map</td><td><img src="https://x.example/cross.png" height="16" alt="no"></td></tr></table>
<p><img src="https://x.example/photo.jpg" width="640"></p>`
	body, _, figs := convertFragment(t, "", fragment, nil)
	want := "| Feature | Done |\n| --- | --- |\n| Load map |  |\n| Save map | no |"
	if len(body) < len(want) || body[:len(want)] != want {
		t.Errorf("got\n%s\nwant it to start with\n%s", body, want)
	}
	if len(figs) != 1 || figs[0].Image != "https://x.example/photo.jpg" {
		t.Errorf("figures = %+v, want the photo only", figs)
	}
}
