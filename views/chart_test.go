package views

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
)

func TestScaleTopIsRoundWithAtMostFourSteps(t *testing.T) {
	cases := []struct{ largest, top, step int64 }{
		{0, 4, 1}, {1, 1, 1}, {4, 4, 1}, {5, 6, 2}, {7, 8, 2}, {9, 10, 5}, {17, 20, 5}, {21, 30, 10},
		{99, 100, 50}, {101, 150, 50}, {1234, 1500, 500}, {1_000_000, 1_000_000, 500_000},
	}
	for _, tc := range cases {
		top, step := scaleTop(tc.largest)
		if top != tc.top || step != tc.step {
			t.Errorf("scaleTop(%d) = %d by %d, want %d by %d", tc.largest, top, step, tc.top, tc.step)
		}
		if top < tc.largest || top/step > 4 || top%step != 0 {
			t.Errorf("scaleTop(%d) = %d by %d: not a round scale above the value", tc.largest, top, step)
		}
	}
}

func TestFormatCountSeparatesThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1.000", 1234567: "1.234.567", -4500: "-4.500"} {
		if got := FormatCount(n); got != want {
			t.Errorf("FormatCount(%d) = %q, want %q", n, got, want)
		}
	}
}

// pct reads a percentage written by percent.
func pct(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || !strings.HasSuffix(s, "%") {
		t.Fatalf("%q is not a percentage", s)
	}
	return v
}

func TestBarChartScalesToTheLargestBar(t *testing.T) {
	c := BarChart{Bars: []Bar{{"1A", 10}, {"5B", 40}, {"9C", 0}}}
	rows := c.Rows()
	if got := pct(t, rows[1].Width); got != barMaxWidth {
		t.Errorf("the largest bar is %v%% wide, want %v%%", got, barMaxWidth)
	}
	if got := pct(t, rows[0].Width); got != barMaxWidth/4 {
		t.Errorf("a quarter of the largest is %v%% wide, want %v%%", got, barMaxWidth/4)
	}
	if !rows[2].Empty || rows[2].Value != "0" {
		t.Errorf("a zero bar: %+v, want no bar and its number", rows[2])
	}
	for i, r := range rows {
		if r.LabelY >= r.BarY || r.BarY+r.BarH > c.Height() || (i > 0 && r.LabelY <= rows[i-1].BarY+rows[i-1].BarH) {
			t.Errorf("row %d overlaps: %+v", i, r)
		}
	}
	if (BarChart{Bars: []Bar{{"x", 0}}}).Rows()[0].Width != "0.00%" {
		t.Error("a chart of zeros divides by zero")
	}
}

func TestColumnChartPlacesColumnsInsideThePlot(t *testing.T) {
	c := ColumnChart{Series: []string{"a", "b"}}
	for i := range 12 {
		c.Groups = append(c.Groups, ColumnGroup{Label: strconv.Itoa(i), Values: []int64{int64(i), int64(2 * i)}})
	}
	grid := c.Grid()
	if top := grid[len(grid)-1]; top.Value != "30" || top.Y != columnTop || grid[0].Y != columnBase {
		t.Errorf("grid %+v, want 0 at the baseline up to 30 at the top", grid)
	}
	placed := c.Placed()
	if len(placed[0].Columns) != 0 || len(placed[1].Columns) != 2 {
		t.Errorf("columns of the first groups: %d, %d; want none for zeros, then two", len(placed[0].Columns), len(placed[1].Columns))
	}
	last := 0.0
	for _, g := range placed {
		for _, col := range g.Columns {
			x, w := pct(t, col.X), pct(t, col.Width)
			if x < columnAxisArea || x+w > 100 || x < last || col.Y < columnTop || col.Y+col.H != columnBase {
				t.Errorf("column %+v is outside the plot or out of order", col)
			}
			last = x + w
		}
	}
	if col := placed[11].Columns[1]; col.Y != columnBase-125 || col.Title != "b: 22" {
		t.Errorf("the last column %+v is not at 22 of 30", col)
	}
}

func TestWeekBoundsStartOnMondayInBrasilia(t *testing.T) {
	// Sunday 23:30 in Brasília is already Monday in UTC.
	now := time.Date(2026, 11, 30, 2, 30, 0, 0, time.UTC)
	b := WeekBounds(now, 3)
	if len(b) != 4 {
		t.Fatalf("%d bounds, want 4", len(b))
	}
	for i, want := range []string{"2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"} {
		local := b[i].In(schoolTime)
		if local.Format("2006-01-02") != want || local.Weekday() != time.Monday || local.Hour() != 0 {
			t.Errorf("bound %d = %s, want Monday %s at midnight", i, local, want)
		}
	}
	if !b[2].Before(now) || !b[3].After(now) {
		t.Errorf("now %s is not in the last week [%s, %s)", now, b[2], b[3])
	}
}

func renderPainel(t *testing.T, v Painel) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	p := PageData{Perms: []string{models.PermListAlunos}}
	if err := PainelPage(p, v).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The integrity check's place on the home page: left out until a check
// reports, then what it found.
func TestPainelIntegritySection(t *testing.T) {
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	if renderPainel(t, Painel{Now: at}).Find(`[data-testid="integrity-section"]`).Length() != 0 {
		t.Error("an integrity section without a check")
	}
	for problems, want := range map[int64]string{0: "Tudo em ordem", 3: "3 problema"} {
		doc := renderPainel(t, Painel{Now: at, Integrity: &IntegrityStatus{CheckedAt: at, Problems: problems}})
		status := doc.Find(`[data-testid="integrity-status"]`)
		if !strings.Contains(status.Text(), want) || !strings.Contains(doc.Find(`[data-testid="integrity-section"]`).Text(), "29/11/2026 09:00") {
			t.Errorf("%d problems: %q, want %q and when it ran", problems, status.Text(), want)
		}
		if status.HasClass("status-ok") != (problems == 0) {
			t.Errorf("%d problems: classes %q", problems, status.AttrOr("class", ""))
		}
	}
}
