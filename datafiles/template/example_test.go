package template_test

import (
	"fmt"

	"github.com/perchdata/perch/datafiles/template"
)

func ExampleTemplate_Render() {
	tpl, err := template.Parse(`%
SELECT * FROM events
WHERE country = {{ String(country, 'ES') }}
{% if defined(since) %} AND ts >= {{ DateTime(since) }} {% end %}
LIMIT {{ Int32(limit, 10) }}`)
	if err != nil {
		panic(err)
	}
	res, err := tpl.Render(template.RenderOptions{Mode: template.Given, Params: map[string]string{"country": "it's"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.SQL)
	for _, p := range tpl.Params() {
		fmt.Printf("%s %s default=%s\n", p.Name, p.Type, p.DefaultSQL)
	}
	// Output:
	// SELECT * FROM events
	// WHERE country = 'it\'s'
	//
	// LIMIT 10
	// country String default='ES'
	// since DateTime default=
	// limit Int32 default=10
}
