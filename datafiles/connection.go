package datafiles

import "strings"

// ParseConnection parses a .connection file (Forward): `TYPE kafka|s3|gcs`
// and its KAFKA_* / S3_* / GCS_* settings. The resource name is the file name
// without its extension; file is used in positions.
func ParseConnection(file string, src []byte) (*Connection, []Diagnostic) {
	c := newFileCtx(KindConnection, osEnv)
	conn := c.connection(file, string(src))
	return conn, c.diags
}

// connectionPrefixes maps a connection TYPE to the prefix of its settings.
var connectionPrefixes = map[string]string{"kafka": "KAFKA_", "s3": "S3_", "gcs": "GCS_"}

func (c *parseCtx) connection(file, src string) *Connection {
	conn := &Connection{Name: resourceName(file), File: file, Pos: Pos{file, 1, 1}}
	c.checkName(KindConnection, conn.Name, conn.Pos)
	c.mark(GenerationForward, ".connection file", conn.Pos)
	once := &onceTracker{}
	var typePos Pos
	conn.DirectivePos = map[string]Pos{}
	for _, s := range c.statements(splitLines(file, src)) {
		conn.DirectivePos[s.Dir] = s.Pos
		if prev, dup := once.seen(s.Dir, s.Pos); dup {
			c.warnf(s.Pos, "%s given twice (first at line %d); the last one wins", s.Dir, prev)
		}
		switch s.Dir {
		case "TYPE":
			conn.Type = strings.ToLower(c.value(s))
			typePos = s.Pos
			if _, ok := connectionPrefixes[conn.Type]; !ok {
				c.errorf(s.Pos, "connection TYPE %q is not known; allowed: kafka, s3, gcs", conn.Type)
			}
		case "DESCRIPTION":
			conn.Description = c.text(s)
		default:
			conn.Settings = append(conn.Settings, Setting{Key: s.Dir, Value: c.value(s), Pos: s.Pos})
		}
	}
	if conn.Type == "" {
		c.errorf(conn.Pos, "connection %s has no TYPE: add `TYPE kafka`, `TYPE s3` or `TYPE gcs`", conn.Name)
		return conn
	}
	if prefix, ok := connectionPrefixes[conn.Type]; ok {
		for _, st := range conn.Settings {
			if !strings.HasPrefix(st.Key, prefix) {
				c.warnf(st.Pos, "%s does not apply to a %s connection (TYPE at line %d)", st.Key, conn.Type, typePos.Line)
			}
		}
	}
	return conn
}
