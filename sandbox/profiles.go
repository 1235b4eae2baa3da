package sandbox

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/s3grant/s3grant/arn"
)

// Profile is one ready identity in the sandbox: an access key and whom it
// acts as. These are the sandbox's own keys; they open nothing real.
type Profile struct {
	Name         string // the AWS profile name, e.g. sandbox-owner
	Account      string
	Principal    string
	AccessKeyID  string
	Secret       string
	SessionToken string
	About        string // one line for the user
}

// Profiles lists the demo's identities: each account's admin user, and the
// consumer's analytics role session (the consumer's everyday identity).
func (sb *Sandbox) Profiles() []Profile {
	sb.mu.RLock()
	defer sb.mu.RUnlock()
	var out []Profile
	for _, id := range sortedKeys(sb.st.Accounts) {
		a := sb.st.Accounts[id]
		if k := sb.keyFor(arn.User(partition, id, "admin")); k != nil {
			name, about := "sandbox-"+a.Alias, "admin of account "+id+" ("+a.Alias+")"
			if id == ConsumerAccount {
				name += "-admin"
			}
			out = append(out, profileOf(name, about, k))
		}
	}
	if k := sb.keyFor(arn.AssumedRole(partition, ConsumerAccount, ConsumerRoleName, "sandbox")); k != nil {
		about := "the consumer: a session of role " + ConsumerRoleName + " in account " + ConsumerAccount
		out = append(out, profileOf("sandbox-consumer", about, k))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func profileOf(name, about string, k *Cred) Profile {
	return Profile{
		Name: name, About: about, Account: k.Account, Principal: k.Principal,
		AccessKeyID: k.AccessKeyID, Secret: k.Secret, SessionToken: k.Token,
	}
}

// keyFor returns a non-expiring key of principal, in a stable order.
func (sb *Sandbox) keyFor(principal string) *Cred {
	for _, id := range sortedKeys(sb.st.Keys) {
		if k := sb.st.Keys[id]; k.Principal == principal && k.Expires.IsZero() {
			return k
		}
	}
	return nil
}

// AdminProfile returns credentials of an administrator (user admin with
// AdministratorAccess) of account, creating the account when the sandbox
// does not have it yet.
func (sb *Sandbox) AdminProfile(account, name string) (Profile, error) {
	if len(account) != 12 || strings.Trim(account, "0123456789") != "" {
		return Profile{}, fmt.Errorf("sandbox: account ID %q must be 12 digits", account)
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	a := sb.st.AddAccount(account, name)
	principal := arn.User(partition, account, "admin")
	if a.Users["admin"] == nil {
		sb.st.addUser(a, "admin", time.Now().UTC()).Attached = []string{adminPolicy}
	}
	k := sb.keyFor(principal)
	if k == nil {
		k = sb.st.NewAccessKey(account, principal)
	}
	return profileOf(name, "admin of account "+account, k), sb.save()
}

// CACertPEM is the certificate clients trust (AWS_CA_BUNDLE).
func (sb *Sandbox) CACertPEM() string {
	sb.mu.RLock()
	defer sb.mu.RUnlock()
	if sb.st.TLS == nil {
		return ""
	}
	return sb.st.TLS.CACert
}

// EnvBlock renders a profile as shell exports for the AWS CLI and SDKs.
func EnvBlock(p Profile, endpoint, region, caFile string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n# acts as %s\n", p.About, p.Principal)
	fmt.Fprintf(&b, "export AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\n", p.AccessKeyID, p.Secret)
	if p.SessionToken != "" {
		fmt.Fprintf(&b, "export AWS_SESSION_TOKEN=%s\n", p.SessionToken)
	} else {
		b.WriteString("unset AWS_SESSION_TOKEN\n")
	}
	fmt.Fprintf(&b, "export AWS_REGION=%s AWS_DEFAULT_REGION=%s\n", region, region)
	fmt.Fprintf(&b, "export AWS_ENDPOINT_URL=%s\nexport AWS_CA_BUNDLE=%s\n", endpoint, caFile)
	return b.String()
}

// ConfigFile renders every profile as one AWS shared config file (keys
// inline, so AWS_CONFIG_FILE alone is enough), plus a profile that assumes
// the consumer's role from the consumer admin, to practise AssumeRole.
func ConfigFile(ps []Profile, endpoint, region, caFile string) string {
	var b strings.Builder
	b.WriteString("# s3grant sandbox profiles: keys of the sandbox only, nothing real.\n\n")
	common := fmt.Sprintf("region = %s\nendpoint_url = %s\nca_bundle = %s\n", region, endpoint, caFile) +
		"s3 =\n  addressing_style = path\n  signature_version = s3v4\n"
	for _, p := range ps {
		fmt.Fprintf(&b, "# %s\n[profile %s]\n%s", p.About, p.Name, common)
		fmt.Fprintf(&b, "aws_access_key_id = %s\naws_secret_access_key = %s\n", p.AccessKeyID, p.Secret)
		if p.SessionToken != "" {
			fmt.Fprintf(&b, "aws_session_token = %s\n", p.SessionToken)
		}
		b.WriteString("\n")
	}
	b.WriteString("# the consumer role, assumed from the consumer admin (sts:AssumeRole)\n" +
		"[profile sandbox-consumer-role]\n" + common)
	fmt.Fprintf(&b, "role_arn = %s\nsource_profile = sandbox-consumer-admin\n",
		arn.Role(partition, ConsumerAccount, ConsumerRoleName))
	return b.String()
}

// WriteFile writes text to path with mode 0600.
func WriteFile(path, text string) error {
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}
