package datafiles

import "strings"

// Setting returns the value of the KAFKA_* or IMPORT_* directive key of the
// data source, and whether it is given.
func (d *Datasource) Setting(key string) (string, bool) {
	for _, list := range [][]Setting{d.Kafka, d.Import} {
		for _, s := range list {
			if s.Key == key {
				return s.Value, true
			}
		}
	}
	return "", false
}

// Connector says where the data source's rows come from besides the API:
// "kafka" (KAFKA_* directives), "import" (IMPORT_* directives: S3, GCS or a
// scheduled import) or "" for none.
func (d *Datasource) Connector() string {
	switch {
	case len(d.Kafka) > 0:
		return "kafka"
	case len(d.Import) > 0:
		return "import"
	}
	return ""
}

// KafkaMetadataColumns are the columns a Kafka landing table carries next to
// its schema: __value, __topic, __partition, __offset, __timestamp, __key,
// and __headers when KAFKA_STORE_HEADERS is true. Columns the schema already
// defines are left out. It returns nil for a data source without Kafka.
func (d *Datasource) KafkaMetadataColumns() []Column {
	if len(d.Kafka) == 0 {
		return nil
	}
	meta := []Column{
		{Name: "__value", Type: "String"},
		{Name: "__topic", Type: "LowCardinality(String)"},
		{Name: "__partition", Type: "Int16"},
		{Name: "__offset", Type: "Int64"},
		{Name: "__timestamp", Type: "DateTime"},
		{Name: "__key", Type: "String"},
	}
	if v, _ := d.Setting("KAFKA_STORE_HEADERS"); strings.EqualFold(v, "true") {
		meta = append(meta, Column{Name: "__headers", Type: "Map(String, String)"})
	}
	var out []Column
	for _, c := range meta {
		if d.Column(c.Name) == nil {
			c.Pos = d.Pos
			out = append(out, c)
		}
	}
	return out
}
