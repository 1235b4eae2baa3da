package aws

import (
	"slices"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/journal"
)

// TestLineageFollowsEditsOnly: a grants file edited one grant at a time
// ({A,B} -> {B,C} -> now {C,D}) finds all its earlier runs through the
// grants they share; runs of another owner, single grants' runs (no
// Grants recorded), a file sharing no grant with the chain, and another
// team's file that holds one identical grant (C) among its own are not
// its: prune with this file must not take out that file's grants.
func TestLineageFollowsEditsOnly(t *testing.T) {
	runs := []*journal.Run{
		{ID: "r1", Owner: "111", Grants: []string{"S3GrantA", "S3GrantB"}},
		{ID: "r2", Owner: "111", Grants: []string{"S3GrantB", "S3GrantC"}},
		{ID: "other-owner", Owner: "222", Grants: []string{"S3GrantC"}},
		{ID: "single", Owner: "111", GrantID: "C"},
		{ID: "other-file", Owner: "111", Grants: []string{"S3GrantX", "S3GrantY"}},
		{ID: "other-team", Owner: "111", Grants: []string{"S3GrantC", "S3GrantP", "S3GrantQ", "S3GrantR"}},
	}
	mine := lineage(runs, "111", []string{"S3GrantC", "S3GrantD"})
	var got []string
	for _, r := range runs {
		if mine[r.ID] {
			got = append(got, r.ID)
		}
	}
	if !slices.Equal(got, []string{"r1", "r2"}) {
		t.Fatalf("the file's runs: %v, want [r1 r2]", got)
	}
}

// TestReplayLastWriterOwns: a statement the file's run added and another
// run rewrote since is the other run's; one a later run removed is gone;
// undone writes count for nothing.
func TestReplayLastWriterOwns(t *testing.T) {
	d := newLeftDoc(journal.Ref{})
	replay(d, journal.Entry{BeforeExists: true, Before: doc(stTheirs).Raw, After: doc(stTheirs, stOurs).Raw}, "file")
	if d.sids["S3GrantAB12Read"] != "file" || d.sids["Theirs"] != "" || d.created {
		t.Fatalf("after the file's write: %+v", d)
	}
	replay(d, journal.Entry{BeforeExists: true, Before: doc(stOurs).Raw, After: doc(stOurs2, stTheirs).Raw}, "")
	if d.sids["S3GrantAB12Read"] != "" {
		t.Fatalf("a statement another run rewrote is still the file's: %+v", d.sids)
	}
	replay(d, journal.Entry{BeforeExists: true, Before: doc(stOurs2).Raw, After: doc(stOurs).Raw}, "file")
	replay(d, journal.Entry{BeforeExists: true, Before: doc(stOurs).Raw, After: doc(stTheirs).Raw}, "")
	if _, ok := d.sids["S3GrantAB12Read"]; ok {
		t.Fatalf("a statement a later run removed is still recorded: %+v", d.sids)
	}
	created := newLeftDoc(journal.Ref{})
	replay(created, journal.Entry{After: doc(stOurs).Raw}, "file")
	if !created.created {
		t.Fatal("a document the file's run created is not marked created")
	}
}

// TestLeftInAccountNotConnected: a document the file's runs wrote in an
// account that is not connected is an error naming the account, the run
// and the flag, never skipped (status would then say nothing is extra).
func TestLeftInAccountNotConnected(t *testing.T) {
	d := &leftDoc{
		ref: journal.Ref{
			Type: journal.ManagedPolicy, AccountID: "300000000009", Resource: "arn:aws:iam::300000000009:policy/p",
		},
		sids: map[string]string{"S3GrantAB12Read": "20261202T150405Z-1a2b3c4d"},
	}
	_, err := readLeft(t.Context(), []*leftDoc{d}, Accounts{}, 1)
	for _, want := range []string{"300000000009", "20261202T150405Z-1a2b3c4d", "--consumer-profile"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("not connected: %v, want it to name %q", err, want)
		}
	}
}
