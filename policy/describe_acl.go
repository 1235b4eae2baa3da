package policy

// DescribeACL returns one sentence per grant of a bucket ACL, in grant order.
func DescribeACL(a *ACL) []string {
	if a == nil {
		return nil
	}
	out := make([]string, len(a.Grants))
	for i, g := range a.Grants {
		out[i] = DescribeGrant(g, a.Owner)
	}
	return out
}

// DescribeGrant says what one bucket ACL grant lets its grantee do. owner is
// the bucket owner's canonical user ID, when known. The permissions read as
// the S3 User Guide's ACL overview maps them to bucket operations.
func DescribeGrant(g Grant, owner string) string {
	return descCapitalize(descGrantee(g, owner) + " may " + descACLPermission(g.Permission) +
		" (bucket ACL " + g.Permission + ").")
}

func descGrantee(g Grant, owner string) string {
	switch {
	case g.Type == GranteeCanonicalUser && g.ID != "" && g.ID == owner:
		return "the bucket owner (canonical user " + g.ID + ")"
	case g.Type == GranteeCanonicalUser:
		return "canonical user " + g.ID
	case g.URI == GroupAllUsers:
		return "anyone, including anonymous requests (group AllUsers),"
	case g.URI == GroupAuthenticatedUsers:
		return "anyone with AWS credentials, in any account (group AuthenticatedUsers),"
	case g.URI == GroupLogDelivery:
		return "the S3 log delivery group"
	case g.URI != "":
		return "group " + descQuote(g.URI)
	}
	return "grantee " + descQuote(g.Type+" "+g.ID)
}

func descACLPermission(p string) string {
	switch p {
	case PermRead:
		return "list the bucket's objects, object versions and multipart uploads"
	case PermWrite:
		return "write objects to the bucket (create new ones; " +
			"overwriting and deleting existing ones depends on who owns them)"
	case PermReadACP:
		return "read the bucket ACL"
	case PermWriteACP:
		return "change the bucket ACL"
	case PermFullControl:
		return "list and write objects and read and change the bucket ACL (READ, WRITE, READ_ACP and WRITE_ACP)"
	}
	return "use the permission " + descQuote(p)
}
