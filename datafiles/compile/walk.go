package compile

import "reflect"

// maxWalkDepth bounds the reflective walk of deeply nested ASTs.
const maxWalkDepth = 500

// walkAST visits every non-nil pointer of a doubleclick AST by reflection,
// parents before children, so that every node type (present and future) is
// reached. visit sees each pointer before its fields are walked.
func walkAST(v reflect.Value, visit func(reflect.Value)) {
	walkDepth(v, visit, 0)
}

func walkDepth(v reflect.Value, visit func(reflect.Value), depth int) {
	if depth > maxWalkDepth || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			walkDepth(v.Elem(), visit, depth+1)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkDepth(v.Index(i), visit, depth+1)
		}
	case reflect.Ptr:
		if v.IsNil() {
			return
		}
		visit(v)
		walkDepth(v.Elem(), visit, depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkDepth(v.Field(i), visit, depth+1)
			}
		}
	}
}
