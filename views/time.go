package views

import "time"

// schoolTime is the time zone dates are shown in: the users are in Brazil.
// Without zone data (a minimal container), UTC-3 is the same all year
// since Brazil dropped daylight saving time in 2019.
var schoolTime = func() *time.Location {
	if loc, err := time.LoadLocation("America/Sao_Paulo"); err == nil {
		return loc
	}
	return time.FixedZone("BRT", -3*60*60)
}()

// timeLayout is how dates are shown to people: day first, to the minute.
const timeLayout = "02/01/2006 15:04"

// FormatTime shows t to people: Brasília time, day first.
func FormatTime(t time.Time) string { return t.In(schoolTime).Format(timeLayout) }

// FormatTimeSeconds is FormatTime with seconds, for the audit trail.
func FormatTimeSeconds(t time.Time) string { return t.In(schoolTime).Format("02/01/2006 15:04:05") }
