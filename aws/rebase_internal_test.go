package aws

import (
	"errors"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/journal"
)

func doc(stmts ...string) Doc {
	return Doc{Exists: true, Raw: `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`}
}

const (
	stOurs    = `{"Sid":"S3GrantAB12Read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/r/*"}`
	stOurs2   = `{"Sid":"S3GrantAB12Read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b/r/*"}`
	stTheirs  = `{"Sid":"Theirs","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/t/*"}`
	stOld     = `{"Sid":"Old","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`
	stEditors = `{"Sid":"S3GrantAB12Read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/edited/*"}`
)

func TestRebase(t *testing.T) {
	none := Doc{}
	for _, c := range []struct {
		name          string
		from, to, cur Doc
		want          Doc
		conflict      bool
	}{
		{"nothing changed since", doc(stOld), doc(stOld, stOurs), doc(stOld), doc(stOld, stOurs), false},
		{"theirs added meanwhile is kept", doc(stOld), doc(stOld, stOurs), doc(stOld, stTheirs), doc(stOld, stTheirs, stOurs), false},
		{"undo keeps theirs", doc(stOld, stOurs), doc(stOld), doc(stOld, stOurs, stTheirs), doc(stOld, stTheirs), false},
		{"undo puts back what the run removed", doc(stOurs2), doc(stOld, stOurs), doc(stOurs2, stTheirs), doc(stTheirs, stOld, stOurs), false},
		{"undo of a creation with theirs left", doc(stOurs), none, doc(stOurs, stTheirs), doc(stTheirs), false},
		{"undo of a creation", doc(stOurs), none, doc(stOurs), none, false},
		{"already undone (write never landed)", doc(stOld, stOurs), doc(stOld), doc(stOld, stTheirs), doc(stOld, stTheirs), false},
		{"already applied (write landed)", doc(stOld), doc(stOld, stOurs), doc(stOld, stOurs, stTheirs), doc(stOld, stOurs, stTheirs), false},
		{"our statement edited in place", doc(stOld, stOurs), doc(stOld), doc(stOld, stEditors), none, true},
		{"update over our edited statement", doc(stOurs), doc(stOurs2), doc(stEditors), none, true},
		{"document deleted since", doc(stOld, stOurs), doc(stOld), none, none, true},
		{"theirs removed ours", doc(stOld, stOurs), doc(stOld), doc(stTheirs), doc(stTheirs), false},
	} {
		got, err := rebase(journal.BucketPolicy, c.from, c.to, c.cur)
		if c.conflict {
			if !errors.Is(err, ErrConflict) {
				t.Errorf("%s: want a conflict, got %v %s", c.name, err, got.Raw)
			}
			continue
		}
		if err != nil || !Same(journal.BucketPolicy, got, c.want) {
			t.Errorf("%s: %v\n got  %s\n want %s", c.name, err, got.Raw, c.want.Raw)
		}
		if again, err := rebase(journal.BucketPolicy, c.from, c.to, got); err != nil || !Same(journal.BucketPolicy, again, got) {
			t.Errorf("%s: not idempotent: %v %s", c.name, err, again.Raw)
		}
	}
}

func TestRebaseWholeValuesAndACL(t *testing.T) {
	own := func(v string) Doc { return Doc{Exists: true, Raw: v} }
	if _, err := rebase(journal.ObjectOwnership, own("BucketOwnerPreferred"), own("BucketOwnerEnforced"), own("ObjectWriter")); !errors.Is(err, ErrConflict) {
		t.Errorf("ownership changed to a third value: %v", err)
	}
	if got, err := rebase(journal.ObjectOwnership, own("BucketOwnerPreferred"), own("BucketOwnerEnforced"), own("BucketOwnerPreferred")); err != nil || got.Raw != "BucketOwnerEnforced" {
		t.Errorf("ownership restore: %v %s", err, got.Raw)
	}
	acl := func(ids ...string) Doc {
		var g []string
		for _, id := range ids {
			g = append(g, `{"Type":"CanonicalUser","ID":"`+id+`","Permission":"READ"}`)
		}
		return Doc{Exists: true, Raw: `{"Owner":"o","Grants":[` + strings.Join(g, ",") + `]}`}
	}
	got, err := rebase(journal.BucketACL, acl("a", "ours"), acl("a"), acl("a", "ours", "theirs"))
	if err != nil || !Same(journal.BucketACL, got, acl("a", "theirs")) {
		t.Errorf("ACL undo: %v %s", err, got.Raw)
	}
}
