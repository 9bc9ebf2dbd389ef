package datafiles

import (
	"reflect"
	"strings"
	"testing"
)

// noEnv parses without environment substitution, for deterministic tests.
func parseDS(t *testing.T, src string) (*Datasource, []Diagnostic) {
	t.Helper()
	c := &parseCtx{kind: KindDatasource}
	return c.datasource("ds/events.datasource", src), c.diags
}

func parsePipe(t *testing.T, src string) (*Pipe, []Diagnostic) {
	t.Helper()
	c := &parseCtx{kind: KindPipe}
	return c.pipe("pipes/p.pipe", src), c.diags
}

func errorsOf(diags []Diagnostic) []Diagnostic {
	var out []Diagnostic
	for _, d := range diags {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

func TestBlockRules(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		wantSQL   []string // SQL of each node
		wantLines [][]int  // file line of each SQL line
		wantType  []NodeType
	}{
		{
			name:      "block ends at a column-0 directive",
			src:       "NODE a\nSQL >\n    SELECT 1\nTYPE endpoint\n",
			wantSQL:   []string{"SELECT 1"},
			wantLines: [][]int{{3}},
			wantType:  []NodeType{NodeEndpoint},
		},
		{
			name:      "directives are case-insensitive",
			src:       "node a\nsql >\n    SELECT 1\ntype ENDPOINT\n",
			wantSQL:   []string{"SELECT 1"},
			wantLines: [][]int{{3}},
			wantType:  []NodeType{NodeEndpoint},
		},
		{
			name:      "column-0 SQL that is not a directive stays in the block",
			src:       "NODE a\nSQL >\n%\nSELECT x\n    FROM t\nWHERE 1\n",
			wantSQL:   []string{"%\nSELECT x\n    FROM t\nWHERE 1"},
			wantLines: [][]int{{3, 4, 5, 6}},
			wantType:  []NodeType{NodePlain},
		},
		{
			name:      "indented directive words stay in the block",
			src:       "NODE a\nSQL >\n    SELECT type\n    TYPE\nNODE b\nSQL >\n    SELECT 2\n",
			wantSQL:   []string{"SELECT type\nTYPE", "SELECT 2"},
			wantLines: [][]int{{3, 4}, {7}},
			wantType:  []NodeType{NodePlain, NodePlain},
		},
		{
			name:      "blank and # lines vanish, -- comments stay",
			src:       "NODE a\nSQL >\n\n    SELECT 1 -- one\n\n    # gone\n# gone too\n    -- kept\n    FROM t\n\n\nTYPE endpoint\n",
			wantSQL:   []string{"SELECT 1 -- one\n-- kept\nFROM t"},
			wantLines: [][]int{{4, 8, 9}},
			wantType:  []NodeType{NodeEndpoint},
		},
		{
			name:      "a column-0 word that only starts like a directive stays in the block",
			src:       "NODE a\nSQL >\n    SELECT\nnode_id FROM t\nTYPE endpoint\n",
			wantSQL:   []string{"    SELECT\nnode_id FROM t"},
			wantLines: [][]int{{3, 4}},
			wantType:  []NodeType{NodeEndpoint},
		},
		{
			name:      "text after > starts the body",
			src:       "NODE a\nSQL > SELECT 1\n",
			wantSQL:   []string{"SELECT 1"},
			wantLines: [][]int{{2}},
			wantType:  []NodeType{NodePlain},
		},
		{
			name:      "single-line SQL",
			src:       "NODE a\nSQL SELECT 1\n",
			wantSQL:   []string{"SELECT 1"},
			wantLines: [][]int{{2}},
			wantType:  []NodeType{NodePlain},
		},
		{
			name:      "unbalanced quote inside a block is raw text",
			src:       "NODE a\nDESCRIPTION >\n    player's stats\nSQL >\n    SELECT 'it''s'\n",
			wantSQL:   []string{"SELECT 'it''s'"},
			wantLines: [][]int{{5}},
			wantType:  []NodeType{NodePlain},
		},
		{
			name:      "CRLF line endings",
			src:       "NODE a\r\nSQL >\r\n    SELECT 1\r\nTYPE endpoint\r\n",
			wantSQL:   []string{"SELECT 1"},
			wantLines: [][]int{{3}},
			wantType:  []NodeType{NodeEndpoint},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := parsePipe(t, tt.src)
			if errs := errorsOf(diags); len(errs) > 0 {
				t.Fatalf("unexpected errors: %v", errs)
			}
			var sqls []string
			var lines [][]int
			var types []NodeType
			for _, n := range p.Nodes {
				sqls = append(sqls, n.SQL)
				lines = append(lines, n.SQLLines)
				types = append(types, n.Type)
			}
			if !reflect.DeepEqual(sqls, tt.wantSQL) {
				t.Errorf("SQL = %q, want %q", sqls, tt.wantSQL)
			}
			if !reflect.DeepEqual(lines, tt.wantLines) {
				t.Errorf("SQL lines = %v, want %v", lines, tt.wantLines)
			}
			if !reflect.DeepEqual(types, tt.wantType) {
				t.Errorf("types = %v, want %v", types, tt.wantType)
			}
		})
	}
}

func TestDatasourceDirectives(t *testing.T) {
	src := `DESCRIPTION >
    Raw page views
    (one row per view)
TOKEN "ingest" APPEND
TOKEN reader READ
TAGS "web, billing,k=v"
SHARED_WITH >
    ws_a, ws_b
    ws_c
SCHEMA >
    ` + "`timestamp` DateTime `json:$.timestamp`," + `
    ` + "`user_id` String `json:$.user.id` DEFAULT ''," + `
    -- the tags
    ` + "`tags` Array(String) `json:$.tags[:]`," + `
    ` + "country LowCardinality(Nullable(String)) `json:$.geo.country`, -- ISO code" + `
    ` + "`payload` String `json:$` CODEC(ZSTD(1))," + `
    ` + "`day` Date MATERIALIZED toDate(timestamp)," + `
    ` + "`t` Tuple(a String,  b Int32) ALIAS tuple('x', 1)" + `
INDEXES >
    idx_user user_id TYPE bloom_filter(0.01) GRANULARITY 4
    INDEX idx_c lower(country) TYPE set(100),
ENGINE "ReplacingMergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(timestamp)"
ENGINE_SORTING_KEY user_id, timestamp
ENGINE_PRIMARY_KEY "user_id"
ENGINE_SAMPLING_KEY "cityHash64(user_id)"
ENGINE_VER "timestamp"
ENGINE_IS_DELETED "deleted"
ENGINE_TTL "timestamp + INTERVAL 90 DAY"
ENGINE_SETTINGS "index_granularity=8192"
FORWARD_QUERY >
    SELECT * EXCEPT (user_id), toString(user_id) AS user_id
BACKFILL skip
VERSION 3
KAFKA_CONNECTION_NAME kafka_main
KAFKA_TOPIC "events"
IMPORT_SCHEDULE "@auto"
`
	d, diags := parseDS(t, src)
	if errs := errorsOf(diags); len(errs) > 0 {
		t.Fatalf("unexpected errors: %v", errs)
	}
	want := &Datasource{
		Name:        "events",
		File:        "ds/events.datasource",
		Description: "Raw page views\n(one row per view)",
		Tokens:      []Token{{"ingest", "APPEND"}, {"reader", "READ"}},
		Tags:        []string{"web", "billing", "k=v"},
		SharedWith:  []string{"ws_a", "ws_b", "ws_c"},
		Columns: []Column{
			{Name: "timestamp", Type: "DateTime", JSONPath: "$.timestamp", Pos: Pos{"ds/events.datasource", 11, 5}},
			{Name: "user_id", Type: "String", JSONPath: "$.user.id", DefaultKind: "DEFAULT", Default: "''", Pos: Pos{"ds/events.datasource", 12, 5}},
			{Name: "tags", Type: "Array(String)", JSONPath: "$.tags[:]", Comment: "the tags", Pos: Pos{"ds/events.datasource", 14, 5}},
			{Name: "country", Type: "LowCardinality(Nullable(String))", JSONPath: "$.geo.country", Comment: "ISO code", Pos: Pos{"ds/events.datasource", 15, 5}},
			{Name: "payload", Type: "String", JSONPath: "$", Codec: "ZSTD(1)", Pos: Pos{"ds/events.datasource", 16, 5}},
			{Name: "day", Type: "Date", DefaultKind: "MATERIALIZED", Default: "toDate(timestamp)", Pos: Pos{"ds/events.datasource", 17, 5}},
			{Name: "t", Type: "Tuple(a String, b Int32)", DefaultKind: "ALIAS", Default: "tuple('x', 1)", Pos: Pos{"ds/events.datasource", 18, 5}},
		},
		Indexes: []Index{
			{Name: "idx_user", Expr: "user_id", Type: "bloom_filter(0.01)", Granularity: 4, Pos: Pos{"ds/events.datasource", 20, 5}},
			{Name: "idx_c", Expr: "lower(country)", Type: "set(100)", Pos: Pos{"ds/events.datasource", 21, 5}},
		},
		Engine: Engine{
			Name: "ReplacingMergeTree", PartitionKey: "toYYYYMM(timestamp)", SortingKey: "user_id, timestamp",
			PrimaryKey: "user_id", SamplingKey: "cityHash64(user_id)", Ver: "timestamp", IsDeleted: "deleted",
			TTL: "timestamp + INTERVAL 90 DAY", Settings: "index_granularity=8192", Pos: Pos{"ds/events.datasource", 22, 1},
		},
		ForwardQuery: "SELECT * EXCEPT (user_id), toString(user_id) AS user_id",
		Backfill:     "skip",
		Version:      3,
		Kafka: []Setting{
			{Key: "KAFKA_CONNECTION_NAME", Value: "kafka_main", Pos: Pos{"ds/events.datasource", 35, 1}},
			{Key: "KAFKA_TOPIC", Value: "events", Pos: Pos{"ds/events.datasource", 36, 1}},
		},
		Import: []Setting{{Key: "IMPORT_SCHEDULE", Value: "@auto", Pos: Pos{"ds/events.datasource", 37, 1}}},
		Pos:    Pos{"ds/events.datasource", 1, 1},
	}
	if d.DirectivePos["SCHEMA"] != (Pos{"ds/events.datasource", 10, 1}) || d.DirectivePos["ENGINE_TTL"] != (Pos{"ds/events.datasource", 29, 1}) ||
		d.DirectivePos["TOKEN"] != (Pos{"ds/events.datasource", 5, 1}) || len(d.DirectivePos) != 21 {
		t.Errorf("directive positions = %v", d.DirectivePos)
	}
	d.DirectivePos = nil
	if !reflect.DeepEqual(d, want) {
		gotCols, wantCols := d.Columns, want.Columns
		for i := range wantCols {
			if i < len(gotCols) && !reflect.DeepEqual(gotCols[i], wantCols[i]) {
				t.Errorf("column %d = %+v\nwant %+v", i, gotCols[i], wantCols[i])
			}
		}
		t.Errorf("datasource =\n%+v\nwant\n%+v", d, want)
	}
}

func TestEngineDirectives(t *testing.T) {
	tests := []struct {
		src  string
		want Engine
	}{
		{"ENGINE MergeTree()", Engine{Name: "MergeTree"}},
		{"ENGINE summingmergetree\nENGINE_COLUMNS a, b", Engine{Name: "SummingMergeTree", SummingColumns: "a, b"}},
		{"ENGINE SummingMergeTree\nENGINE_SUMMING_COLUMNS \"a\"", Engine{Name: "SummingMergeTree", SummingColumns: "a"}},
		{"ENGINE CollapsingMergeTree\nENGINE_SIGN sign", Engine{Name: "CollapsingMergeTree", Sign: "sign"}},
		{"ENGINE VersionedCollapsingMergeTree\nENGINE_SIGN s\nENGINE_VERSION v", Engine{Name: "VersionedCollapsingMergeTree", Sign: "s", Version: "v"}},
		{"ENGINE Join\nENGINE_JOIN_STRICTNESS ANY\nENGINE_JOIN_TYPE LEFT\nENGINE_KEY_COLUMNS id", Engine{Name: "Join", JoinStrictness: "ANY", JoinType: "LEFT", KeyColumns: "id"}},
		{"ENGINE Null", Engine{Name: "Null"}},
		{"ENGINE AggregatingMergeTree", Engine{Name: "AggregatingMergeTree"}},
		{"", Engine{Name: "MergeTree"}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			d, diags := parseDS(t, "SCHEMA >\n    `a` String\n"+tt.src+"\n")
			if len(diags) > 0 {
				t.Fatalf("unexpected diagnostics: %v", diags)
			}
			got := d.Engine
			got.Pos = Pos{}
			if got != tt.want {
				t.Errorf("engine = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPipeDirectives(t *testing.T) {
	src := `VERSION 2
DESCRIPTION >
    Top pages
TOKEN "dashboard" READ
TAGS "web"
CACHE 60

NODE filtered
DESCRIPTION >
    Filter events
SQL >
    %
    SELECT * FROM events
    WHERE c = {{ String(c) }}

NODE mv
SQL >
    SELECT a FROM filtered
TYPE Materialized
DATASOURCE target
DEPLOYMENT_METHOD alter
ENGINE "AggregatingMergeTree"
ENGINE_SORTING_KEY "a"
`
	p, diags := parsePipe(t, src)
	if errs := errorsOf(diags); len(errs) > 0 {
		t.Fatalf("unexpected errors: %v", errs)
	}
	f := "pipes/p.pipe"
	want := &Pipe{
		Name: "p", File: f, Description: "Top pages", Tokens: []Token{{"dashboard", "READ"}},
		Tags: []string{"web"}, Version: 2, Cache: 60, Pos: Pos{f, 1, 1},
		Nodes: []*Node{
			{
				Name: "filtered", Description: "Filter events", SQL: "%\nSELECT * FROM events\nWHERE c = {{ String(c) }}",
				Pos: Pos{f, 8, 1}, SQLPos: Pos{f, 12, 5}, SQLLines: []int{12, 13, 14}, SQLIndent: 4, SQLFirstIndent: 4,
			},
			{
				Name: "mv", SQL: "SELECT a FROM filtered", Type: NodeMaterialized, Datasource: "target", DeploymentMethod: "alter",
				Engine: &Engine{Name: "AggregatingMergeTree", SortingKey: "a", Pos: Pos{f, 22, 1}},
				Pos:    Pos{f, 16, 1}, SQLPos: Pos{f, 18, 5}, SQLLines: []int{18}, SQLIndent: 4, SQLFirstIndent: 4,
			},
		},
	}
	if p.DirectivePos["CACHE"] != (Pos{f, 6, 1}) || p.Nodes[1].DirectivePos["DATASOURCE"] != (Pos{f, 20, 1}) ||
		p.Nodes[0].DirectivePos["DESCRIPTION"] != (Pos{f, 9, 1}) || p.DirectivePos["DESCRIPTION"] != (Pos{f, 2, 1}) {
		t.Errorf("directive positions = %v %v %v", p.DirectivePos, p.Nodes[0].DirectivePos, p.Nodes[1].DirectivePos)
	}
	p.DirectivePos = nil
	for _, n := range p.Nodes {
		n.DirectivePos = nil
	}
	if !reflect.DeepEqual(p, want) {
		for i := range p.Nodes {
			if i < len(want.Nodes) && !reflect.DeepEqual(p.Nodes[i], want.Nodes[i]) {
				t.Errorf("node %d = %+v\nwant %+v", i, *p.Nodes[i], *want.Nodes[i])
			}
		}
		t.Errorf("pipe = %+v\nwant %+v", p, want)
	}
	if got := p.Nodes[0].FilePos(3, 5); got != (Pos{f, 14, 9}) {
		t.Errorf("FilePos(3,5) = %v", got)
	}
}

func TestNodeTypes(t *testing.T) {
	tests := []struct {
		name string
		tail string
		want Node
	}{
		{"endpoint", "TYPE endpoint", Node{Type: NodeEndpoint}},
		{"copy", "TYPE COPY\nTARGET_DATASOURCE t\nCOPY_SCHEDULE \"0 * * * *\"\nCOPY_MODE replace", Node{Type: NodeCopy, TargetDatasource: "t", CopySchedule: "0 * * * *", CopyMode: "replace"}},
		{"copy with MODE", "TYPE copy\nTARGET_DATASOURCE t\nCOPY_SCHEDULE @on-demand\nMODE append", Node{Type: NodeCopy, TargetDatasource: "t", CopySchedule: "@on-demand", CopyMode: "append"}},
		{"sink", "TYPE sink\nEXPORT_CONNECTION_NAME s3c\nEXPORT_BUCKET_URI s3://b/p\nEXPORT_FILE_TEMPLATE \"out_{date}\"\nEXPORT_SCHEDULE \"@daily\"\nEXPORT_FORMAT csv\nEXPORT_COMPRESSION gz\nEXPORT_WRITE_STRATEGY new",
			Node{Type: NodeSink, Export: []Setting{
				{Key: "EXPORT_CONNECTION_NAME", Value: "s3c"}, {Key: "EXPORT_BUCKET_URI", Value: "s3://b/p"},
				{Key: "EXPORT_FILE_TEMPLATE", Value: "out_{date}"}, {Key: "EXPORT_SCHEDULE", Value: "@daily"},
				{Key: "EXPORT_FORMAT", Value: "csv"}, {Key: "EXPORT_COMPRESSION", Value: "gz"}, {Key: "EXPORT_WRITE_STRATEGY", Value: "new"},
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := parsePipe(t, "NODE n\nSQL >\n    SELECT 1\n"+tt.tail+"\n")
			if len(diags) > 0 {
				t.Fatalf("unexpected diagnostics: %v", diags)
			}
			n := p.Nodes[0].normalizedNode()
			tt.want.Name, tt.want.SQL = "n", "SELECT 1"
			if !reflect.DeepEqual(n, tt.want) {
				t.Errorf("node = %+v\nwant %+v", n, tt.want)
			}
		})
	}
}

// normalizedNode is the node without positions, for comparisons.
func (n *Node) normalizedNode() Node {
	p := (&Pipe{Nodes: []*Node{n}}).normalized()
	return *p.Nodes[0]
}

func TestConnection(t *testing.T) {
	src := "TYPE kafka\nKAFKA_BOOTSTRAP_SERVERS {{ tb_secret(\"KAFKA_SERVERS\", \"localhost:9092\") }}\nKAFKA_SECURITY_PROTOCOL SASL_SSL\n"
	c := &parseCtx{kind: KindConnection}
	conn := c.connection("connections/kafka_main.connection", src)
	if len(c.diags) > 0 {
		t.Fatalf("unexpected diagnostics: %v", c.diags)
	}
	f := "connections/kafka_main.connection"
	want := &Connection{Name: "kafka_main", File: f, Type: "kafka", Pos: Pos{f, 1, 1}, Settings: []Setting{
		{Key: "KAFKA_BOOTSTRAP_SERVERS", Value: `{{ tb_secret("KAFKA_SERVERS", "localhost:9092") }}`, Pos: Pos{f, 2, 1}},
		{Key: "KAFKA_SECURITY_PROTOCOL", Value: "SASL_SSL", Pos: Pos{f, 3, 1}},
	}}
	if conn.DirectivePos["TYPE"] != (Pos{f, 1, 1}) {
		t.Errorf("directive positions = %v", conn.DirectivePos)
	}
	conn.DirectivePos = nil
	if !reflect.DeepEqual(conn, want) {
		t.Errorf("connection = %+v\nwant %+v", conn, want)
	}
}

func TestPublicParsersUseEnvironment(t *testing.T) {
	t.Setenv("PERCH_TEST_TOPIC", "orders")
	d, diags := ParseDatasource("x/orders.datasource", []byte("SCHEMA >\n    `a` String\nKAFKA_TOPIC $PERCH_TEST_TOPIC\n"))
	if len(diags) > 0 || d.Name != "orders" || d.Kafka[0].Value != "orders" {
		t.Errorf("datasource = %+v, diags %v", d, diags)
	}
	p, diags := ParsePipe("x/p.pipe", []byte("NODE n\nSQL >\n    SELECT '$PERCH_TEST_TOPIC'\n"))
	if len(diags) > 0 || p.Nodes[0].SQL != "SELECT '$PERCH_TEST_TOPIC'" {
		t.Errorf("SQL bodies are not substituted: %+v %v", p.Nodes[0], diags)
	}
	c, diags := ParseConnection("x/c.connection", []byte("TYPE s3\nS3_REGION $PERCH_TEST_TOPIC\n"))
	if len(diags) > 0 || c.Settings[0].Value != "orders" {
		t.Errorf("connection = %+v, diags %v", c, diags)
	}
}

func TestOutputAndKind(t *testing.T) {
	p, _ := parsePipe(t, "NODE a\nSQL >\n    SELECT 1\nNODE b\nSQL >\n    SELECT 2\n")
	if p.Output().Name != "b" || p.Kind() != PipePlain {
		t.Errorf("output %s kind %s", p.Output().Name, p.Kind())
	}
	p, _ = parsePipe(t, "NODE a\nSQL >\n    SELECT 1\nTYPE endpoint\nNODE b\nSQL >\n    SELECT 2\n")
	if p.Output().Name != "a" || p.Kind() != PipeEndpoint {
		t.Errorf("output %s kind %s", p.Output().Name, p.Kind())
	}
	if !strings.Contains(p.Nodes[1].SQL, "2") {
		t.Error("second node lost")
	}
}

func TestDirectiveForms(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		check func(d *Datasource) bool
	}{
		{"single-line DESCRIPTION", "DESCRIPTION \"one line\"\nSCHEMA >\n    `a` String\n", func(d *Datasource) bool { return d.Description == "one line" }},
		{"INDICES alias", "SCHEMA >\n    `a` String\nINDICES >\n    i a TYPE minmax GRANULARITY 1\n", func(d *Datasource) bool { return len(d.Indexes) == 1 && d.Indexes[0].Type == "minmax" }},
		{"single-line FORWARD_QUERY", "SCHEMA >\n    `a` String\nFORWARD_QUERY SELECT a\n", func(d *Datasource) bool { return d.ForwardQuery == "SELECT a" }},
		{"unquoted engine settings", "SCHEMA >\n    `a` String\nENGINE_SETTINGS index_granularity=8192, ttl_only_drop_parts=1\n", func(d *Datasource) bool {
			return d.Engine.Settings == "index_granularity=8192, ttl_only_drop_parts=1"
		}},
		{"token without scope reads", "TOKEN t\nSCHEMA >\n    `a` String\n", func(d *Datasource) bool { return d.Tokens[0] == Token{"t", "READ"} }},
		{"lower-case directives", "schema >\n    `a` String\nengine replacingmergetree\nengine_ver a\n", func(d *Datasource) bool {
			return d.Engine.Name == "ReplacingMergeTree" && d.Engine.Ver == "a"
		}},
		{"schema without backquotes", "SCHEMA >\n    a String,\n    b Nullable(Int32) DEFAULT NULL\n", func(d *Datasource) bool {
			return len(d.Columns) == 2 && d.Columns[1].Name == "b" && d.Columns[1].Default == "NULL"
		}},
		{"columns on one line", "SCHEMA >\n    `a` String, `b` Int32\n", func(d *Datasource) bool {
			return len(d.Columns) == 2 && d.Columns[1].Pos.Col == 17
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, diags := parseDS(t, tt.src)
			if len(diags) > 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			if !tt.check(d) {
				t.Errorf("unexpected model: %+v", d)
			}
		})
	}
}
