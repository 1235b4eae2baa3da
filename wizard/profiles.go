package wizard

import (
	"bufio"
	"cmp"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ConfigProfiles lists the profile names of the shared AWS config and
// credentials files. It reads section headers only: no value of either file
// is kept.
type ConfigProfiles struct {
	ConfigFile      string
	CredentialsFile string
}

// DefaultConfigProfiles uses the files the AWS CLI and SDKs use, honouring
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE.
func DefaultConfigProfiles() ConfigProfiles {
	home, _ := os.UserHomeDir()
	c := ConfigProfiles{
		ConfigFile:      os.Getenv("AWS_CONFIG_FILE"),
		CredentialsFile: os.Getenv("AWS_SHARED_CREDENTIALS_FILE"),
	}
	if c.ConfigFile == "" {
		c.ConfigFile = filepath.Join(home, ".aws", "config")
	}
	if c.CredentialsFile == "" {
		c.CredentialsFile = filepath.Join(home, ".aws", "credentials")
	}
	return c
}

// Profiles returns the profile names, sorted, "default" first when present.
// Missing files are no profiles, not an error.
func (c ConfigProfiles) Profiles() ([]string, error) {
	seen := map[string]bool{}
	for _, f := range []struct {
		path   string
		config bool
	}{{c.ConfigFile, true}, {c.CredentialsFile, false}} {
		if err := sections(f.path, f.config, seen); err != nil {
			return nil, err
		}
	}
	return slices.SortedFunc(maps.Keys(seen), func(a, b string) int {
		return cmp.Or(-cmp.Compare(boolInt(a == "default"), boolInt(b == "default")), cmp.Compare(a, b))
	}), nil
}

// sections adds the profile names of one file: in the config file they are
// [default] and [profile NAME]; in the credentials file, [NAME].
func sections(path string, config bool, seen map[string]bool) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) || path == "" {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "[") || !strings.HasSuffix(line, "]") {
			continue
		}
		name := strings.TrimSpace(line[1 : len(line)-1])
		if config && name != "default" {
			rest, ok := strings.CutPrefix(name, "profile ")
			if !ok {
				continue // sso-session, services and other sections
			}
			name = strings.TrimSpace(rest)
		}
		if name != "" {
			seen[name] = true
		}
	}
	return sc.Err()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
