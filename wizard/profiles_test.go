package wizard

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestProfilesFromBothFiles reads section names only: default first, then
// sorted, each once, skipping sso-session and other sections.
func TestProfilesFromBothFiles(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	creds := filepath.Join(dir, "credentials")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(config, "[profile zeta]\nregion = eu-west-1\n[sso-session corp]\n[ default ]\n[profile alpha]\n[services s3]\n")
	write(creds, "[alpha]\naws_access_key_id = not-read\n[beta]\n")
	got, err := ConfigProfiles{ConfigFile: config, CredentialsFile: creds}.Profiles()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"default", "alpha", "beta", "zeta"}; !slices.Equal(got, want) {
		t.Errorf("profiles %v, want %v", got, want)
	}
	none, err := ConfigProfiles{ConfigFile: filepath.Join(dir, "missing")}.Profiles()
	if err != nil || len(none) != 0 {
		t.Errorf("missing files: %v, %v", none, err)
	}
}
