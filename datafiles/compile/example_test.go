package compile_test

import (
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
)

func ExampleCompile() {
	p := datafiles.NewProject(".")
	p.Datasources["events"] = &datafiles.Datasource{Name: "events"}
	pipe, _ := datafiles.ParsePipe("top.pipe", []byte(`NODE filtered
SQL >
    %
    SELECT * FROM events
    {% if defined(country) %} WHERE country = {{ String(country) }} {% end %}

NODE endpoint
SQL >
    SELECT country, count() AS c FROM filtered GROUP BY country
TYPE endpoint
`))
	p.Pipes[pipe.Name] = pipe
	res, err := compile.Compile(p, "top", "", compile.Options{Mode: template.Given, Params: map[string]string{"country": "ES"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.SQL)
	fmt.Println(res.Nodes, res.Datasources)
	refs, _ := compile.TableRefs(res.SQL)
	fmt.Println(refs.Names(), refs.Fallback)
	// Output:
	// SELECT country, count() AS c FROM (
	// SELECT * FROM events
	//  WHERE country = 'ES'
	// ) AS filtered GROUP BY country
	// [top.endpoint top.filtered] [events]
	// [events] false
}
