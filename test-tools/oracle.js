#!/usr/bin/env node
// Test oracle runner for s3grant's policy evaluator (policy/oracle_test.go).
//
// Reads {"cases": [...]} as JSON on stdin and writes one decision per case
// as JSON on stdout. Each case is decided by @cloud-copilot/iam-simulate, an
// independent implementation of AWS's policy evaluation logic, run here as a
// separate process: s3grant never includes or copies its code (AGPL-3.0).
//
// A case: {id, engine, principal, action, resource, accountId, context,
// identityPolicies: [policy], resourcePolicy: policy|null}. engine "simulate"
// uses the public runSimulation entry point; engine "core" calls the core
// engine's authorize directly, because runSimulation drops the
// s3:DataAccessPoint* keys on bucket and object ARNs (see oracle.md).
'use strict';
const path = require('path');
const { runSimulation } = require('@cloud-copilot/iam-simulate');
const { loadPolicy } = require('@cloud-copilot/iam-policy');

const dist = path.join(path.dirname(require.resolve('@cloud-copilot/iam-simulate')), '..', 'cjs');
const core = require(path.join(dist, 'core_engine', 'CoreSimulatorEngine.js'));
const { AwsRequestImpl } = require(path.join(dist, 'request', 'request.js'));
const { RequestContextImpl } = require(path.join(dist, 'requestContext.js'));
const { DiscoveryContextKeyConstraints } = require(path.join(dist, 'context_keys', 'discoveryContextKeyConstraints.js'));

async function simulate(c) {
  const r = await runSimulation({
    request: { principal: c.principal, action: c.action, resource: { resource: c.resource, accountId: c.accountId }, contextVariables: c.context },
    identityPolicies: c.identityPolicies.map((policy, i) => ({ name: 'identity' + i, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: c.resourcePolicy || undefined,
  }, { simulationMode: 'Strict' });
  if (r.resultType !== 'single') {
    return { decision: '', error: JSON.stringify(r.errors || r.resultType) };
  }
  return { decision: r.overallResult, ignored: r.result.ignoredContextKeys || [] };
}

function authorizeCore(c) {
  const r = core.authorize({
    request: new AwsRequestImpl(c.principal, { resource: c.resource, accountId: c.accountId }, c.action, new RequestContextImpl(c.context), false),
    sessionPolicy: undefined,
    identityPolicies: c.identityPolicies.map((p, i) => loadPolicy(p, { name: 'identity' + i })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: c.resourcePolicy ? loadPolicy(c.resourcePolicy, { name: 'resource' }) : undefined,
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
  });
  return { decision: r.result, ignored: [] };
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const { cases } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const out = [];
  for (const c of cases) {
    try {
      const r = c.engine === 'core' ? authorizeCore(c) : await simulate(c);
      out.push({ id: c.id, ...r });
    } catch (e) {
      out.push({ id: c.id, decision: '', error: String(e && e.stack || e) });
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
