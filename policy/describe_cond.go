package policy

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// describeConditions joins one clause per operator and key (all must hold),
// in sorted order so the sentence is deterministic.
func describeConditions(c Conditions, vars *descVars) string {
	var clauses []string
	for _, op := range sortedKeys(c) {
		for _, key := range sortedKeys(c[op]) {
			clauses = append(clauses, describeCondition(op, key, c[op][key], vars))
		}
	}
	return descJoinAnd(clauses)
}

// describeCondition reads one operator, key and values. Values of one key are
// alternatives (any may match; for a negated operator, none may).
func describeCondition(op, key string, v CondValues, vars *descVars) string {
	values := v.Strings()
	for i, s := range values {
		values[i] = vars.plain(s)
	}
	set, base, ifExists := descSplitOp(op)
	if base == "Null" {
		return describeNull(key, values)
	}
	if key == "aws:SecureTransport" && base == "Bool" && set == "" && len(values) == 1 && !ifExists {
		switch strings.ToLower(values[0]) {
		case "true":
			return "the request is over HTTPS"
		case "false":
			return "the request is not over HTTPS"
		}
	}
	if strings.EqualFold(key, "s3:ObjectCreationOperation") &&
		base == "Bool" && set == "" && len(values) == 1 && !ifExists {
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
		switch strings.ToLower(values[0]) {
		case "true":
			return "the request creates the object (PutObject, CopyObject, CompleteMultipartUpload; " +
				"not CreateMultipartUpload, UploadPart or UploadPartCopy)"
		case "false":
			return "the request is a step of a multipart upload that does not create the object " +
				"(CreateMultipartUpload, UploadPart, UploadPartCopy)"
		}
	}
	clause := descOperatorWords(base, values)
	switch set {
	case "ForAnyValue:":
		clause = "at least one value of " + descKeyWords(key) + " " + clause
	case "ForAllValues:":
		clause = "every value of " + descKeyWords(key) + " " + clause + " (also true when it has no values)"
	default:
		clause = descKeyWords(key) + " " + clause
		if descNegated(base) {
			// AWS: a negated operator is true when the key is absent.
			clause += " (or is absent)"
		}
	}
	if ifExists && (set != "" || !descNegated(base)) {
		clause += " (or " + key + " is absent)"
	}
	return clause
}

// descSplitOp splits "ForAnyValue:StringLikeIfExists" into its set
// prefix, base operator and IfExists suffix.
func descSplitOp(op string) (set, base string, ifExists bool) {
	for _, pre := range []string{"ForAnyValue:", "ForAllValues:"} {
		if strings.HasPrefix(op, pre) {
			set, op = pre, strings.TrimPrefix(op, pre)
		}
	}
	if op != "Null" && strings.HasSuffix(op, "IfExists") {
		return set, strings.TrimSuffix(op, "IfExists"), true
	}
	return set, op, false
}

func descNegated(base string) bool {
	return strings.Contains(base, "Not")
}

func describeNull(key string, values []string) string {
	if len(values) == 1 {
		switch strings.ToLower(values[0]) {
		case "true":
			return descKeyWords(key) + " is absent"
		case "false":
			return descKeyWords(key) + " is present"
		}
	}
	return fmt.Sprintf("the Null check of %s against %s holds",
		descKeyWords(key), descJoinWith(descQuoteAll(values), ", "))
}

// descOperatorWords is the verb phrase of an operator with its values.
func descOperatorWords(base string, values []string) string {
	one := len(values) == 1
	q := descJoinWith(descQuoteAll(values), ", ")
	bare := descJoinWith(values, ", ")
	pick := func(single, many, vals string) string {
		if one {
			return single + " " + vals
		}
		return many + " " + vals
	}
	switch base {
	case "StringEquals", "ArnEquals":
		return pick("is", "is one of", q)
	case "StringNotEquals", "ArnNotEquals":
		return pick("is not", "is none of", q)
	case "StringEqualsIgnoreCase":
		return pick("is", "is one of", q) + " (ignoring case)"
	case "StringNotEqualsIgnoreCase":
		return pick("is not", "is none of", q) + " (ignoring case)"
	case "StringLike", "ArnLike":
		return pick("matches", "matches one of", q)
	case "StringNotLike", "ArnNotLike":
		return pick("does not match", "matches none of", q)
	case "NumericEquals":
		return pick("is", "is one of", bare)
	case "NumericNotEquals":
		return pick("is not", "is none of", bare)
	case "NumericLessThan":
		return pick("is less than", "is less than one of", bare)
	case "NumericLessThanEquals":
		return pick("is at most", "is at most one of", bare)
	case "NumericGreaterThan":
		return pick("is greater than", "is greater than one of", bare)
	case "NumericGreaterThanEquals":
		return pick("is at least", "is at least one of", bare)
	case "DateEquals":
		return pick("is the time", "is one of the times", bare)
	case "DateNotEquals":
		return pick("is not the time", "is none of the times", bare)
	case "DateLessThan":
		return pick("is before", "is before one of", bare)
	case "DateLessThanEquals":
		return pick("is at or before", "is at or before one of", bare)
	case "DateGreaterThan":
		return pick("is after", "is after one of", bare)
	case "DateGreaterThanEquals":
		return pick("is at or after", "is at or after one of", bare)
	case "Bool":
		return pick("is", "is one of", bare)
	case "BinaryEquals":
		return pick("is the base64 value", "is one of the base64 values", q)
	case "IpAddress":
		return pick("is in", "is in one of", bare)
	case "NotIpAddress":
		return pick("is not in", "is in none of", bare)
	}
	return "passes " + base + " with " + q
}

// descKeyWords names a condition key: a few common keys get a plain reading
// with the key after it; every other key is shown by name.
func descKeyWords(key string) string {
	if w := descKeyPhrase(key); w != "" {
		return w + " (" + key + ")"
	}
	return key
}

func descKeyPhrase(key string) string {
	switch strings.ToLower(key) {
	case "aws:sourceip":
		return "the caller's IP address"
	case "aws:principalorgid":
		return "the caller's organization"
	case "aws:principalaccount":
		return "the caller's account"
	case "aws:principalarn":
		return "the caller's ARN"
	case "aws:userid":
		return "the caller's unique ID"
	case "aws:username":
		return "the caller's IAM user name"
	case "aws:sourcevpc":
		return "the caller's VPC"
	case "aws:sourcevpce":
		return "the caller's VPC endpoint"
	case "aws:currenttime":
		return "the request time"
	case "s3:prefix":
		return "the listed prefix"
	case "s3:x-amz-acl":
		return "the canned ACL of the request"
	case "s3:resourceaccount":
		return "the account owning the bucket"
	case "s3:dataaccesspointarn":
		return "the access point used"
	case "s3:dataaccesspointaccount":
		return "the account owning the access point used"
	case "sts:externalid":
		return "the external ID"
	case "kms:viaservice":
		return "the service calling KMS"
	}
	return ""
}

var descVarPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{([^}]*)\}`) })

// descVars collects the policy variables of one sentence. plain swaps each
// variable for a placeholder without wildcards or colons, so ARNs split and
// patterns read as if the variable were plain text; restore puts the
// variables back and String explains them.
type descVars struct {
	literal bool // Version is not 2012-10-17: ${...} is plain text
	vars    []string
}

func (v *descVars) plain(s string) string {
	if v.literal {
		if descVarPattern().MatchString(s) {
			v.add("")
		}
		return s
	}
	return descVarPattern().ReplaceAllStringFunc(s, func(m string) string {
		return fmt.Sprintf("\x00%d\x00", v.add(m))
	})
}

func (v *descVars) add(m string) int {
	for i, x := range v.vars {
		if x == m {
			return i
		}
	}
	v.vars = append(v.vars, m)
	return len(v.vars) - 1
}

func (v *descVars) restore(s string) string {
	for i, m := range v.vars {
		s = strings.ReplaceAll(s, fmt.Sprintf("\x00%d\x00", i), m)
	}
	return s
}

// String explains the variables seen, e.g. "${aws:username} is the caller's
// IAM user name".
func (v *descVars) String() string {
	if v.literal {
		if len(v.vars) > 0 {
			return "${...} is literal text here: policy variables need Version 2012-10-17"
		}
		return ""
	}
	var notes []string
	for _, m := range v.vars {
		notes = append(notes, m+" is "+descVariableWords(m))
	}
	return strings.Join(notes, "; ")
}

// descVariableWords reads one ${...} variable, with its default if any.
func descVariableWords(m string) string {
	inner := strings.TrimSuffix(strings.TrimPrefix(m, "${"), "}")
	switch inner {
	case "*", "?", "$":
		return "a literal " + inner
	}
	key, def, hasDefault := strings.Cut(inner, ",")
	key = strings.TrimSpace(key)
	w := "the value of " + key + " in the request"
	if p := descKeyPhrase(key); p != "" {
		w = p
	}
	if hasDefault {
		def = strings.Trim(strings.TrimSpace(def), "'")
		w += ", or " + descQuote(def) + " when absent"
	}
	return w
}
