package aws

import (
	"context"
	"fmt"
	"strings"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/audit"
)

// cloudTrailAPI holds the CloudTrail calls the audit makes.
type cloudTrailAPI interface {
	DescribeTrails(
		context.Context, *cloudtrail.DescribeTrailsInput, ...func(*cloudtrail.Options),
	) (*cloudtrail.DescribeTrailsOutput, error)
	GetTrailStatus(
		context.Context, *cloudtrail.GetTrailStatusInput, ...func(*cloudtrail.Options),
	) (*cloudtrail.GetTrailStatusOutput, error)
	GetEventSelectors(
		context.Context, *cloudtrail.GetEventSelectorsInput, ...func(*cloudtrail.Options),
	) (*cloudtrail.GetEventSelectorsOutput, error)
}

// cloudTrail builds a CloudTrail client from the same configuration as the
// account's other clients.
func (c *sdkClients) cloudTrail(region string) cloudTrailAPI {
	return cloudtrail.NewFromConfig(c.cfg, func(o *cloudtrail.Options) {
		if region != "" {
			o.Region = region
		}
	})
}

// readTrails lists the trails that cover the bucket's region (its own and
// multi-region ones) and says which record S3 data events for the bucket;
// false when they cannot be read.
func readTrails(ctx context.Context, owner *Account, bucket, region string) ([]audit.TrailState, bool) {
	trails, ok := listTrails(ctx, owner, region)
	if !ok {
		return nil, false
	}
	return trailsFor(trails, bucket, region), true
}

// regionTrail is a trail with its event selectors, read once per region
// and matched against each bucket.
type regionTrail struct {
	state audit.TrailState
	sel   *cloudtrail.GetEventSelectorsOutput
}

// listTrails reads the trails that cover region with their status and
// event selectors; false when they cannot be read.
func listTrails(ctx context.Context, owner *Account, region string) ([]regionTrail, bool) {
	sc, ok := owner.Clients.(*sdkClients)
	if !ok {
		return nil, false
	}
	in := &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: sdk.Bool(true)}
	out, err := sc.cloudTrail(region).DescribeTrails(ctx, in)
	if err != nil {
		return nil, false
	}
	var trails []regionTrail
	for _, t := range out.TrailList {
		home := sdk.ToString(t.HomeRegion)
		if home == "" {
			home = region
		}
		ct := sc.cloudTrail(home)
		ts := audit.TrailState{
			Name: sdk.ToString(t.Name), ARN: sdk.ToString(t.TrailARN), MultiRegion: sdk.ToBool(t.IsMultiRegionTrail),
		}
		name := ts.ARN
		if name == "" {
			name = ts.Name
		}
		status, err := ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: &name})
		if err != nil {
			return nil, false
		}
		ts.Logging = sdk.ToBool(status.IsLogging)
		sel, err := ct.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: &name})
		if err != nil {
			return nil, false
		}
		trails = append(trails, regionTrail{state: ts, sel: sel})
	}
	return trails, true
}

// trailsFor says which of a region's trails record data events for bucket.
func trailsFor(trails []regionTrail, bucket, region string) []audit.TrailState {
	out := make([]audit.TrailState, 0, len(trails))
	for _, t := range trails {
		ts := t.state
		ts.DataEvents, ts.Scope = selectsBucket(t.sel, arn.Bucket(arn.Partition(region), bucket))
		out = append(out, ts)
	}
	return out
}

// selectsBucket reports whether a trail's event selectors record S3 object
// data events for the bucket (its ARN, in the trail's partition), with the
// scope in words.
func selectsBucket(sel *cloudtrail.GetEventSelectorsOutput, bucketARN string) (bool, string) {
	objects := bucketARN + "/"
	b, _ := arn.Parse(bucketARN)
	allBuckets := arn.ARN{Partition: b.Partition, Service: "s3"}.String() // arn:P:s3:::
	for _, es := range sel.EventSelectors {
		for _, dr := range es.DataResources {
			if sdk.ToString(dr.Type) != "AWS::S3::Object" {
				continue
			}
			for _, v := range dr.Values {
				switch {
				case v == strings.TrimSuffix(allBuckets, ":::") || v == allBuckets:
					return true, fmt.Sprintf("all S3 buckets, %s events", es.ReadWriteType)
				case strings.HasPrefix(v, objects):
					under := strings.TrimPrefix(v, allBuckets)
					return true, fmt.Sprintf("objects under s3://%s, %s events", under, es.ReadWriteType)
				}
			}
		}
	}
	for _, as := range sel.AdvancedEventSelectors {
		if ok, scope := advancedSelectsBucket(as, objects); ok {
			return true, scope
		}
	}
	return false, ""
}

// advancedSelectsBucket reads one advanced event selector: data events of
// type AWS::S3::Object whose ARN conditions admit the bucket's objects.
func advancedSelectsBucket(as cttypes.AdvancedEventSelector, objects string) (bool, string) {
	data, s3objects, arnOK := false, false, true
	scope := "all S3 objects"
	for _, f := range as.FieldSelectors {
		switch sdk.ToString(f.Field) {
		case "eventCategory":
			data = auditHas(f.Equals, "Data")
		case "resources.type":
			s3objects = auditHas(f.Equals, "AWS::S3::Object")
		case "resources.ARN":
			arnOK, scope = arnFieldAdmits(f, objects)
		}
	}
	name := sdk.ToString(as.Name)
	if name != "" {
		scope += ", selector " + name
	}
	return data && s3objects && arnOK, scope
}

func arnFieldAdmits(f cttypes.AdvancedFieldSelector, objects string) (bool, string) {
	for _, v := range f.NotStartsWith {
		if strings.HasPrefix(objects, v) {
			return false, ""
		}
	}
	if len(f.StartsWith) == 0 && len(f.Equals) == 0 {
		return true, "all S3 objects except those excluded"
	}
	for _, v := range f.StartsWith {
		if strings.HasPrefix(objects, v) || strings.HasPrefix(v, objects) {
			return true, "objects under " + v
		}
	}
	for _, v := range f.Equals {
		if strings.HasPrefix(v, objects) {
			return true, "object " + v
		}
	}
	return false, ""
}

func auditHas(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
