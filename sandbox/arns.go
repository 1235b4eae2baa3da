package sandbox

import "github.com/s3grant/s3grant/arn"

// partition is the sandbox's: its accounts and buckets live in Region, a
// commercial region, so every ARN it builds (through package arn, never by
// hand) is in aws.
var partition = arn.Partition(Region)

// adminPolicy is the AWS managed AdministratorAccess policy every seeded
// admin user holds.
var adminPolicy = arn.ManagedPolicy(partition, "AdministratorAccess")
