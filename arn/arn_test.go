package arn

import "testing"

func TestPartition(t *testing.T) {
	for region, want := range map[string]string{
		"": AWS, "us-east-1": AWS, "eu-west-1": AWS, "us-west-2": AWS,
		"cn-north-1": China, "cn-northwest-1": China,
		"us-gov-west-1": GovCloud, "us-gov-east-1": GovCloud,
		"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eu-isoe-west-1": "aws-iso-e",
		"us-isof-south-1": "aws-iso-f", "eusc-de-east-1": "aws-eusc",
	} {
		if got := Partition(region); got != want {
			t.Errorf("Partition(%q) = %q, want %q", region, got, want)
		}
		if !Known(want) {
			t.Errorf("Known(%q) = false", want)
		}
	}
	if Known("aws-xx") || Known("") {
		t.Error("Known accepts an unknown partition")
	}
}

func TestBuildAndParse(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Bucket(China, "b"), "arn:aws-cn:s3:::b"},
		{Object(GovCloud, "b", "r/*"), "arn:aws-us-gov:s3:::b/r/*"},
		{AccessPoint(China, "cn-north-1", "111122223333", "ap"), "arn:aws-cn:s3:cn-north-1:111122223333:accesspoint/ap"},
		{Role(GovCloud, "111122223333", "r"), "arn:aws-us-gov:iam::111122223333:role/r"},
		{User(AWS, "111122223333", "u"), "arn:aws:iam::111122223333:user/u"},
		{Root(China, "111122223333"), "arn:aws-cn:iam::111122223333:root"},
		{Policy(China, "111122223333", "p"), "arn:aws-cn:iam::111122223333:policy/p"},
		{ManagedPolicy(GovCloud, "AdministratorAccess"), "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"},
		{AssumedRole(China, "111122223333", "r", "s"), "arn:aws-cn:sts::111122223333:assumed-role/r/s"},
		{Key(GovCloud, "us-gov-west-1", "111122223333", "k"), "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/k"},
		{Alias(AWS, "eu-west-1", "111122223333", "aws/s3"), "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
		a, ok := Parse(c.got)
		if !ok || a.String() != c.got {
			t.Errorf("Parse(%q) = %+v, %v: does not round-trip", c.got, a, ok)
		}
	}
	if AccountOf("arn:aws-cn:s3:cn-north-1:111122223333:accesspoint/x:y") != "111122223333" || PartitionOf("arn:aws-us-gov:s3:::b") != GovCloud {
		t.Error("AccountOf/PartitionOf misread an ARN")
	}
	for _, bad := range []string{"", "111122223333", "arn:aws:s3", "xrn:aws:s3:::b:c"} {
		if _, ok := Parse(bad); ok || AccountOf(bad) != "" || PartitionOf(bad) != "" {
			t.Errorf("Parse(%q) accepted a non-ARN", bad)
		}
	}
}
