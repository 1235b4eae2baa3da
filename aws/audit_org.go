package aws

import (
	"context"
	"fmt"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
)

// organizationsAPI holds the AWS Organizations calls the audit makes.
type organizationsAPI interface {
	DescribeOrganization(
		context.Context, *organizations.DescribeOrganizationInput, ...func(*organizations.Options),
	) (*organizations.DescribeOrganizationOutput, error)
	ListAccounts(
		context.Context, *organizations.ListAccountsInput, ...func(*organizations.Options),
	) (*organizations.ListAccountsOutput, error)
}

func (c *sdkClients) organizations() organizationsAPI { return organizations.NewFromConfig(c.cfg) }

// readOrgAccounts lists the member accounts of organization orgID. Only its
// management account or a delegated administrator may list them: otherwise
// the members are unknown (nil) and the note says why.
func readOrgAccounts(ctx context.Context, owner *Account, orgID string) ([]string, string) {
	sc, ok := owner.Clients.(*sdkClients)
	if !ok {
		return nil, "no Organizations client"
	}
	org := sc.organizations()
	d, err := org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		return nil, "organizations:DescribeOrganization: " + shortErr(err)
	}
	if d.Organization == nil {
		return nil, "organizations:DescribeOrganization returned no organization"
	}
	if got := sdk.ToString(d.Organization.Id); got != orgID {
		return nil, fmt.Sprintf("the owner account belongs to organization %s, not %s", got, orgID)
	}
	var ids []string
	in := &organizations.ListAccountsInput{}
	for {
		page, err := org.ListAccounts(ctx, in)
		if err != nil {
			return nil, "organizations:ListAccounts " +
				"(the management account or a delegated administrator may list members): " + shortErr(err)
		}
		for _, a := range page.Accounts {
			ids = append(ids, sdk.ToString(a.Id))
		}
		if sdk.ToString(page.NextToken) == "" {
			return ids, ""
		}
		in.NextToken = page.NextToken
	}
}
