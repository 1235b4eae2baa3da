package sandbox

import "testing"

func TestSmoke(t *testing.T) {
	e := startEnv(t)
	for _, cli := range awsCLIs(t) {
		t.Log(e.must(t, cli, "sandbox-owner", "sts", "get-caller-identity"))
		t.Log(e.must(t, cli, "sandbox-owner", "s3", "ls", "s3://analytics-exports/", "--recursive"))
		t.Log(e.must(t, cli, "sandbox-owner", "s3api", "list-objects-v2", "--bucket", "analytics-exports", "--prefix", "reports/", "--delimiter", "/"))
		t.Log(e.must(t, cli, "sandbox-owner", "s3control", "list-access-points", "--account-id", OwnerAccount))
		t.Log(e.must(t, cli, "sandbox-owner", "kms", "describe-key", "--key-id", DemoKeyID))
		t.Log(e.must(t, cli, "sandbox-owner", "s3", "cp", "s3://analytics-exports/exports/daily/2026-01-01.json", "-"))
		e.fails(t, "AccessDenied", cli, "sandbox-consumer", "s3", "ls", "s3://analytics-exports/reports/")
	}
}
