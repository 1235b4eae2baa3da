package policy

import "strings"

// describeActions turns an Action or NotAction list into words: the known
// actions by their phrase, the rest by name ("call s3:RestoreObject"), and
// wildcard patterns as patterns.
func describeActions(actions []string) string {
	var words, names, patterns []string
	for _, a := range descUnique(actions) {
		if w, ok := descActionPhrase(a); ok {
			words = append(words, w)
			continue
		}
		a = strings.ToLower(a[:strings.Index(a, ":")+1]) + a[strings.Index(a, ":")+1:]
		if strings.ContainsAny(a, "*?") {
			patterns = append(patterns, descQuote(a))
			continue
		}
		names = append(names, a)
	}
	// Actions are case-insensitive: "S3:getobject" and "s3:GetObject" read
	// the same, so equal words are said once.
	words = descUnique(words)
	if names = descUnique(names); len(names) > 0 {
		words = append(words, "call "+descJoinAnd(names))
	}
	if patterns = descUnique(patterns); len(patterns) > 0 {
		words = append(words, "use any action matching "+descJoinWith(patterns, " or "))
	}
	return descJoinAnd(words)
}

// descActionPhrase returns the plain words for one action (actions are
// case-insensitive). Each phrase means exactly that one action; an action
// without a phrase is shown by name.
func descActionPhrase(action string) (string, bool) {
	switch strings.ToLower(action) {
	case "*":
		return "do anything (every action of every service)", true
	case "s3:*":
		return "do anything in S3", true
	case "s3:getobject":
		return "read objects", true
	case "s3:getobjectversion":
		return "read object versions", true
	case "s3:putobject":
		return "write objects", true
	case "s3:deleteobject":
		return "delete objects", true
	case "s3:deleteobjectversion":
		return "delete object versions", true
	case "s3:abortmultipartupload":
		return "abort multipart uploads", true
	case "s3:listmultipartuploadparts":
		return "list the parts of multipart uploads", true
	case "s3:listbucket":
		return "list keys", true
	case "s3:listbucketversions":
		return "list object versions", true
	case "s3:listbucketmultipartuploads":
		return "list multipart uploads", true
	case "s3:listallmybuckets":
		return "list all buckets of their account", true
	case "s3:getbucketlocation":
		return "look up the bucket's region", true
	case "s3:getobjectacl":
		return "read object ACLs", true
	case "s3:putobjectacl":
		return "change object ACLs", true
	case "s3:getobjecttagging":
		return "read object tags", true
	case "s3:putobjecttagging":
		return "change object tags", true
	case "s3:deleteobjecttagging":
		return "delete object tags", true
	case "s3:getbucketacl":
		return "read the bucket ACL", true
	case "s3:putbucketacl":
		return "change the bucket ACL", true
	case "s3:getbucketpolicy":
		return "read the bucket policy", true
	case "s3:putbucketpolicy":
		return "change the bucket policy", true
	case "s3:deletebucketpolicy":
		return "delete the bucket policy", true
	case "s3:restoreobject":
		return "restore archived objects", true
	case "kms:*":
		return "do anything in KMS", true
	case "kms:decrypt":
		return "decrypt", true
	case "kms:encrypt":
		return "encrypt", true
	case "kms:generatedatakey":
		return "generate data keys", true
	case "kms:describekey":
		return "read the key's details", true
	case "sts:assumerole":
		return "assume", true
	case "sts:assumerolewithsaml":
		return "assume (with a SAML assertion)", true
	case "sts:assumerolewithwebidentity":
		return "assume (with a web identity token)", true
	case "sts:tagsession":
		return "tag their session", true
	case "sts:setsourceidentity":
		return "set a source identity", true
	}
	return "", false
}
