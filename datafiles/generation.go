package datafiles

import "fmt"

// Generation is a generation of the datafile format: Classic (the older CLI,
// tb push) or Forward (the newer CLI, tb build / tb deploy).
type Generation string

// The generations of the format.
const (
	GenerationClassic Generation = "classic"
	GenerationForward Generation = "forward"
)

// marker is a keyword only one generation uses, found while parsing.
type marker struct {
	gen  Generation
	what string
	pos  Pos
}

// decideGeneration picks the generation a project is written for: the one
// with more generation-specific keywords, Forward on a tie (or when there
// are none, Classic). It returns warnings for every keyword of the other
// generation: such files still load, but the user should know the keyword
// is deprecated or unknown where the project is deployed.
func decideGeneration(markers []marker) (Generation, []Diagnostic) {
	var classic, forward int
	for _, m := range markers {
		if m.gen == GenerationClassic {
			classic++
		} else {
			forward++
		}
	}
	gen := GenerationClassic
	if forward > 0 && forward >= classic {
		gen = GenerationForward
	}
	var out []Diagnostic
	for _, m := range markers {
		if m.gen == gen {
			continue
		}
		var msg string
		if gen == GenerationForward {
			msg = fmt.Sprintf("%s is a Classic-format keyword, deprecated in the Forward format this project uses (perch still reads it)", m.what)
		} else {
			msg = fmt.Sprintf("%s is a Forward-format keyword that the Classic format this project uses does not know (perch still reads it)", m.what)
		}
		out = append(out, Diagnostic{Pos: m.pos, Severity: Warning, Message: msg})
	}
	return gen, out
}

// classicKafkaKeys are connection credentials that Classic allowed inline in
// a .datasource and Forward moved to .connection files.
var classicKafkaKeys = map[string]bool{
	"KAFKA_BOOTSTRAP_SERVERS": true, "KAFKA_KEY": true, "KAFKA_SECRET": true,
	"KAFKA_SASL_MECHANISM": true, "KAFKA_SECURITY_PROTOCOL": true, "KAFKA_SCHEMA_REGISTRY_URL": true,
}

// classicImportKeys are import directives only Classic knows.
var classicImportKeys = map[string]bool{
	"IMPORT_SERVICE": true, "IMPORT_STRATEGY": true, "IMPORT_EXTERNAL_DATASOURCE": true, "IMPORT_QUERY": true,
}
