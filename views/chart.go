package views

import (
	"strconv"
	"strings"
)

// Charts are drawn on the server as SVG: no script, no chart library, and
// nothing the Content-Security-Policy forbids (colours and fonts come
// from classes in app.css, so dark mode and print restyle them). Across
// the page, positions are percentages of the chart's width, so a chart
// fills a phone or a laptop with its text at the page's own size; down the
// page, they are pixels. The SVG is an image to screen readers (role img,
// a title, a description); the numbers are in a table beside it.

// BarChart is a horizontal bar chart: each bar's label above it and its
// value after its end.
type BarChart struct {
	ID, Title, Desc string
	Bars            []Bar
}

// Bar is one labelled value of a BarChart.
type Bar struct {
	Label string
	Value int64
}

// Geometry of a BarChart row, in pixels.
const (
	barRowHeight = 38
	barLabelY    = 14 // baseline of the label, from the row's top
	barTop       = 21 // top of the bar
	barHeight    = 13
	// barMaxWidth is the largest bar's share of the width (percent), which
	// leaves room for its value after it.
	barMaxWidth = 82.0
)

// BarRow is a Bar placed in its chart.
type BarRow struct {
	Label, Value  string
	LabelY, BarY  int
	BarH, ValueY  int
	Width, ValueX string // percentages
	Empty         bool   // a zero value: no bar, only its number
}

// Height is the chart's height in pixels.
func (c BarChart) Height() int { return len(c.Bars)*barRowHeight + 2 }

// Rows places every bar: the largest spans barMaxWidth percent.
func (c BarChart) Rows() []BarRow {
	var top int64
	for _, b := range c.Bars {
		top = max(top, b.Value)
	}
	rows := make([]BarRow, len(c.Bars))
	for i, b := range c.Bars {
		w := 0.0
		if top > 0 {
			w = barMaxWidth * float64(b.Value) / float64(top)
		}
		y := i * barRowHeight
		rows[i] = BarRow{
			Label: b.Label, Value: FormatCount(b.Value), LabelY: y + barLabelY, BarY: y + barTop, BarH: barHeight,
			ValueY: y + barTop + barHeight - 2, Width: percent(w), ValueX: percent(w), Empty: b.Value == 0,
		}
	}
	return rows
}

// ColumnChart is a chart of grouped columns: per group (a week) one
// column per series, on a scale with grid lines.
type ColumnChart struct {
	ID, Title, Desc string
	Series          []string // the series' names, for the legend
	Groups          []ColumnGroup
}

// ColumnGroup is one group's label and its value in each series.
type ColumnGroup struct {
	Label  string
	Values []int64
}

// Geometry of a ColumnChart: pixels down, percentages across.
const (
	columnTop      = 12  // the highest grid line
	columnBase     = 182 // the baseline
	columnLabelY   = 202 // baseline of the group labels
	columnsHeight  = 210
	columnAxisArea = 10.0 // percent of the width kept for the scale's numbers
)

// Height is the chart's height in pixels.
func (c ColumnChart) Height() int { return columnsHeight }

// AxisX is where the scale's numbers end (they are right-aligned there).
func (c ColumnChart) AxisX() string { return percent(columnAxisArea - 1.5) }

// PlotX is where the plot begins, after the scale's numbers.
func (c ColumnChart) PlotX() string { return percent(columnAxisArea) }

// BaseY is the baseline's height.
func (c ColumnChart) BaseY() int { return columnBase }

// LabelY is the group labels' baseline.
func (c ColumnChart) LabelY() int { return columnLabelY }

// GridLine is a horizontal line of the scale with its value.
type GridLine struct {
	Y     int
	Value string
}

// ChartColumn is one value placed in its chart.
type ChartColumn struct {
	X, Width string // percentages
	Y, H     int
	Series   int    // index into Series
	Class    string // its classes: "bar", and the series' colour
	Value    string
	Title    string // the column's tooltip: series and value
}

// PlacedGroup is a group's label and columns placed in the chart.
type PlacedGroup struct {
	Label, LabelX string
	// Class is the label's: every other one is "odd", left out on narrow
	// screens.
	Class   string
	Columns []ChartColumn
}

// scaleTop is the top of the scale: the largest value rounded up to a
// multiple of a round step (1, 2 or 5 times a power of ten), with at most
// four steps; the step comes with it.
func scaleTop(largest int64) (top, step int64) {
	if largest <= 0 {
		return 4, 1
	}
	for pow := int64(1); ; pow *= 10 {
		for _, m := range []int64{1, 2, 5} {
			step = m * pow
			if (largest+step-1)/step <= 4 {
				return (largest + step - 1) / step * step, step
			}
		}
	}
}

// Grid lists the scale's lines, from the baseline up.
func (c ColumnChart) Grid() []GridLine {
	top, step := scaleTop(c.largest())
	var lines []GridLine
	for v := int64(0); v <= top; v += step {
		lines = append(lines, GridLine{Y: c.y(v, top), Value: FormatCount(v)})
	}
	return lines
}

func (c ColumnChart) largest() int64 {
	var m int64
	for _, g := range c.Groups {
		for _, v := range g.Values {
			m = max(m, v)
		}
	}
	return m
}

// y is the height of value v on a scale ending at top.
func (c ColumnChart) y(v, top int64) int {
	return columnBase - int(float64(columnBase-columnTop)*float64(v)/float64(top)+0.5)
}

// Placed places every group and column; a zero value has no column.
func (c ColumnChart) Placed() []PlacedGroup {
	top, _ := scaleTop(c.largest())
	groupW := (100 - columnAxisArea) / float64(max(1, len(c.Groups)))
	n := float64(max(1, len(c.Series)))
	colW := groupW * 0.7 / n
	out := make([]PlacedGroup, len(c.Groups))
	for i, g := range c.Groups {
		left := columnAxisArea + groupW*float64(i)
		pg := PlacedGroup{Label: g.Label, LabelX: percent(left + groupW/2), Class: "axis"}
		if i%2 == 1 {
			pg.Class = "axis odd"
		}
		for s, v := range g.Values {
			if v == 0 {
				continue
			}
			y := c.y(v, top)
			pg.Columns = append(pg.Columns, ChartColumn{
				X: percent(left + groupW*0.15 + colW*float64(s)), Width: percent(colW), Y: y, H: columnBase - y,
				Series: s, Class: "bar " + SeriesClass(s), Value: FormatCount(v), Title: c.Series[s] + ": " + FormatCount(v),
			})
		}
		out[i] = pg
	}
	return out
}

// SeriesClass is the class that colours series s.
func SeriesClass(s int) string { return "series-" + strconv.Itoa(s+1) }

// percent writes a share of the width as an SVG length.
func percent(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + "%" }

// FormatCount writes a whole number as people in Brazil read it:
// thousands apart with dots (1.234.567).
func FormatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return sign + b.String()
}
