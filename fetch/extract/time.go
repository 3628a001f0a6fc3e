package extract

import (
	"strings"
	"time"

	"github.com/kiosk-reader/kiosk/fetch/article"
)

// berlin returns the Europe/Berlin location, or nil when tzdata is missing.
func berlin() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return nil
	}
	return loc
}

// localLayouts are the time formats seen without a UTC offset.
func localLayouts() []string {
	return []string{
		"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04",
		"02.01.2006 15:04", "02.01.2006, 15:04", "02.01.2006", "2006-01-02",
	}
}

// parseTime parses a date as heise and most sites write it. A time without
// a UTC offset is German local time (Europe/Berlin).
func parseTime(s string) time.Time {
	s = strings.TrimSpace(article.CleanLine(s))
	s = strings.TrimSuffix(s, " Uhr")
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	for _, layout := range localLayouts() {
		if t, err := time.Parse(layout, s); err == nil {
			return inBerlin(t, berlin())
		}
	}
	return time.Time{}
}

// inBerlin reinterprets the wall clock of t (given in UTC) as Berlin time.
// Without tzdata (loc == nil) it applies the EU rule: CEST (UTC+2) from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
// October, CET (UTC+1) otherwise.
func inBerlin(t time.Time, loc *time.Location) time.Time {
	if loc != nil {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	}
	y := t.Year()
	start := lastSunday(y, time.March).Add(time.Hour) // 01:00 UTC
	end := lastSunday(y, time.October).Add(time.Hour) // 01:00 UTC
	cest := t.Add(-2 * time.Hour)                     // as UTC if it were CEST
	if !cest.Before(start) && cest.Before(end) {
		return cest.In(time.FixedZone("CEST", 2*3600))
	}
	return t.Add(-time.Hour).In(time.FixedZone("CET", 3600))
}

// lastSunday returns 00:00 UTC of the last Sunday of month m in year y.
func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) // last day of m
	return d.AddDate(0, 0, -int(d.Weekday()))
}
