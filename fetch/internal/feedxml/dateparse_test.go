package feedxml

import (
	"testing"
	"time"
)

// TestParseDateShortcuts compares parseDate's shortcuts with gofeed's full
// list of layouts on dates of every weekday, month and hour over three
// years, and on near misses of their shapes.
func TestParseDateShortcuts(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("", 2*3600), time.FixedZone("", -(9*3600 + 30*60))}
	gmt := time.FixedZone("GMT", 0)
	var inputs []string
	for d := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2026; d = d.Add(7*time.Hour + 13*time.Minute + 7*time.Second) {
		inputs = append(inputs, d.In(gmt).Format(time.RFC1123), d.In(zones[d.Day()%3]).Format(time.RFC1123Z), d.In(zones[d.Hour()%3]).Format(time.RFC3339))
	}
	inputs = append(inputs, "Mon, 02 Jan 2006 15:04:05 GMT", "Tue, 02 Jan 2006 15:04:05 GMT", "Mon, 2 Jan 2006 15:04:05 GMT",
		"Mon, 02 Jan 2006 15:04:05 UTC", "Mon, 02 Jan 2006 15:04:05 GMT ", " Mon, 02 Jan 2006 15:04:05 GMT", "mon, 02 jan 2006 15:04:05 GMT",
		"Mon, 32 Jan 2006 15:04:05 GMT", "Mon, 02 Jan 2006 25:04:05 GMT", "Mon, 02 Jan 2006 15:04:05 +0000", "Mon, 02 Jan 2006 15:04:05 -0000",
		"Mon, 02 Jan 2006 15:04:05 +02:00", "Mon, 2 Jan 2006 15:04:05 +0200", "Monday, 02 Jan 2006 15:04:05 +0200", "Mon, 02 Jan 06 15:04:05 +0200",
		"Mon, 02 Jan 2006 15:04:05 CEST", "2024-10-24T10:00:00Z", "2024-10-24T10:00:00.123+02:00", "2024-10-24T10:00:00", "2024-10-24 10:00:00Z",
		"2024-10-24T10:00Z", "2024-10-24T10:00:00+0200", "20241-10-24T10:00:00Z", "2024-13-24T10:00:00Z", "", "Sun, 31 Feb 2024 10:00:00 GMT", "Sat, 29 Feb 2025 10:00:00 +0100")
	shortcuts := 0
	for _, s := range inputs {
		got, err := parseDate(s)
		want, werr := parseDateList(s)
		if (err == nil) != (werr == nil) || !got.Equal(want) || got.Location().String() != want.Location().String() {
			t.Errorf("parseDate(%q) = %v, %v; gofeed's list says %v, %v", s, got, err, want, werr)
		}
		if _, err := time.Parse(time.RFC1123Z, s); err == nil || isRFC1123GMT(s) || len(s) > 10 && s[10] == 'T' {
			shortcuts++
		}
	}
	if shortcuts < len(inputs)*9/10 {
		t.Errorf("only %d of %d dates took a shortcut", shortcuts, len(inputs))
	}
}
