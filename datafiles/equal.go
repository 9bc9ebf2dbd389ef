package datafiles

import "reflect"

// Definitions compare equal when they would deploy the same thing: positions,
// file names and the list of .incl files a definition came from are ignored,
// and empty lists equal missing ones.

// EqualDatasources reports whether two data sources have the same definition.
func EqualDatasources(a, b *Datasource) bool {
	if a == nil || b == nil {
		return a == b
	}
	return reflect.DeepEqual(a.normalized(), b.normalized())
}

// EqualPipes reports whether two pipes have the same definition.
func EqualPipes(a, b *Pipe) bool {
	if a == nil || b == nil {
		return a == b
	}
	return reflect.DeepEqual(a.normalized(), b.normalized())
}

// EqualConnections reports whether two connections have the same definition.
func EqualConnections(a, b *Connection) bool {
	if a == nil || b == nil {
		return a == b
	}
	return reflect.DeepEqual(a.normalized(), b.normalized())
}

// Equal compares two resources of the same kind (*Datasource, *Pipe or
// *Connection); resources of different kinds are not equal.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case *Datasource:
		y, ok := b.(*Datasource)
		return ok && EqualDatasources(x, y)
	case *Pipe:
		y, ok := b.(*Pipe)
		return ok && EqualPipes(x, y)
	case *Connection:
		y, ok := b.(*Connection)
		return ok && EqualConnections(x, y)
	}
	return false
}

func (d *Datasource) normalized() Datasource {
	c := *d
	c.File, c.Pos, c.Includes, c.DirectivePos = "", Pos{}, nil, nil
	c.Engine.Pos = Pos{}
	c.Tokens = nilIfEmpty(c.Tokens)
	c.Tags = nilIfEmpty(c.Tags)
	c.SharedWith = nilIfEmpty(c.SharedWith)
	c.Columns = nilIfEmpty(append([]Column(nil), c.Columns...))
	for i := range c.Columns {
		c.Columns[i].Pos = Pos{}
	}
	c.Indexes = nilIfEmpty(append([]Index(nil), c.Indexes...))
	for i := range c.Indexes {
		c.Indexes[i].Pos = Pos{}
	}
	c.Kafka = settingsWithoutPos(c.Kafka)
	c.Import = settingsWithoutPos(c.Import)
	return c
}

func (p *Pipe) normalized() Pipe {
	c := *p
	c.File, c.Pos, c.Includes, c.DirectivePos = "", Pos{}, nil, nil
	c.Tokens = nilIfEmpty(c.Tokens)
	c.Tags = nilIfEmpty(c.Tags)
	c.Nodes = nil
	for _, n := range p.Nodes {
		m := *n
		m.Pos, m.SQLPos, m.SQLLines, m.SQLIndent, m.SQLFirstIndent, m.DirectivePos = Pos{}, Pos{}, nil, 0, 0, nil
		m.Export = settingsWithoutPos(m.Export)
		if m.Engine != nil {
			e := *m.Engine
			e.Pos = Pos{}
			m.Engine = &e
		}
		c.Nodes = append(c.Nodes, &m)
	}
	return c
}

func (k *Connection) normalized() Connection {
	c := *k
	c.File, c.Pos, c.DirectivePos = "", Pos{}, nil
	c.Settings = settingsWithoutPos(c.Settings)
	return c
}

func settingsWithoutPos(s []Setting) []Setting {
	if len(s) == 0 {
		return nil
	}
	out := append([]Setting(nil), s...)
	for i := range out {
		out[i].Pos = Pos{}
	}
	return out
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
