package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// listPaging is where a page of a list stands, for its headers.
type listPaging struct {
	page, perPage, last int
	rows                int // rows on this page
	total               int64
	// next is the cursor of the page after this one, "" to link by
	// page number.
	next func() string
}

// setListHeaders sets X-Total-Count and the Link header of a list page.
func setListHeaders(c echo.Context, p listPaging) {
	header := c.Response().Header()
	header.Set("X-Total-Count", strconv.FormatInt(p.total, 10))
	header.Set("Link", listLinks(c.Request().URL, p))
}

// listLinks builds the Link header: first, last, and prev/next when they
// exist, keeping every other query parameter. The next link carries a
// cursor when the list has one (with the page number, for display), so
// following it stays as cheap on page 2,000 as on page 2.
func listLinks(u *url.URL, p listPaging) string {
	link := func(page int, rel, cursor string) string {
		v := u.Query()
		v.Set("page", strconv.Itoa(page))
		v.Del("cursor")
		if cursor != "" {
			v.Set("cursor", cursor)
		}
		return `<` + u.Path + "?" + v.Encode() + `>; rel="` + rel + `"`
	}
	links := []string{link(1, "first", "")}
	if p.page > 1 {
		links = append(links, link(min(p.page-1, p.last), "prev", ""))
	}
	if p.page < p.last && p.rows == p.perPage {
		cursor := ""
		if p.next != nil {
			cursor = p.next()
		}
		links = append(links, link(p.page+1, "next", cursor))
	}
	links = append(links, link(p.last, "last", ""))
	return strings.Join(links, ", ")
}
