package datafiles

import "testing"

func TestConnector(t *testing.T) {
	d, diags := parseDS(t, "SCHEMA >\n    `__value` String,\n    `a` String\nKAFKA_CONNECTION_NAME k\nKAFKA_TOPIC t\nKAFKA_STORE_HEADERS true\n")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if d.Connector() != "kafka" {
		t.Errorf("connector = %q", d.Connector())
	}
	if v, ok := d.Setting("KAFKA_TOPIC"); !ok || v != "t" {
		t.Errorf("KAFKA_TOPIC = %q %v", v, ok)
	}
	var names []string
	for _, c := range d.KafkaMetadataColumns() {
		names = append(names, c.Name)
	}
	want := "__topic __partition __offset __timestamp __key __headers"
	if got := joinWords(names); got != want {
		t.Errorf("metadata columns = %s, want %s", got, want)
	}
	plain, _ := parseDS(t, "SCHEMA >\n    `a` String\n")
	if plain.Connector() != "" || plain.KafkaMetadataColumns() != nil {
		t.Error("plain data source has a connector")
	}
	imp, _ := parseDS(t, "SCHEMA >\n    `a` String\nIMPORT_CONNECTION_NAME s3\nIMPORT_BUCKET_URI s3://b/*.csv\n")
	if imp.Connector() != "import" {
		t.Errorf("connector = %q", imp.Connector())
	}
}

func joinWords(s []string) string {
	out := ""
	for i, w := range s {
		if i > 0 {
			out += " "
		}
		out += w
	}
	return out
}
