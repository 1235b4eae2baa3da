#!/usr/bin/env node
// Times @cloud-copilot/iam-simulate on the requests s3grant's evaluator
// benchmark generates (policy/bench_vs_test.go runs this in the same run).
// Reads {"cases": [...], "rounds": N} on stdin, the cases in the oracle's
// form (test-tools/oracle.js) with every policy as JSON text, and writes
// {"n", "parse_seconds", "decide_seconds", "parse_cpu_seconds",
// "decide_cpu_seconds", "decisions": {...}}: the best of N rounds, each
// timed inside node with process.hrtime and process.cpuUsage (no process
// start, no reading of the input), after one untimed warm-up round for the
// JIT. The CPU seconds stay fair when other work loads the machine.
// parse_seconds parses each request's policies from text and decides it,
// as s3grant's "parse per request" figure does; decide_seconds takes the
// policies already parsed into objects.
'use strict';
const path = require('path');
const { createRequire } = require('module');
const load = createRequire(path.join(__dirname, '..', 'test-tools', 'package.json'));
const { runSimulation } = load('@cloud-copilot/iam-simulate');

async function decide(c, identity, resource) {
  const r = await runSimulation({
    request: { principal: c.principal, action: c.action, resource: { resource: c.resource, accountId: c.accountId }, contextVariables: c.context },
    identityPolicies: identity.map((policy, i) => ({ name: 'identity' + i, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resource,
  }, { simulationMode: 'Strict' });
  return r.resultType === 'single' ? r.overallResult : 'error';
}

async function round(cases, parse, out) {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (const c of cases) {
    const identity = parse ? c.identityText.map((t) => JSON.parse(t)) : c.identityPolicies;
    const resource = parse ? (c.resourceText ? JSON.parse(c.resourceText) : undefined) : c.resourcePolicy || undefined;
    const d = await decide(c, identity, resource);
    if (out) out[d] = (out[d] || 0) + 1;
  }
  const used = process.cpuUsage(cpu);
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, cpu: (used.user + used.system) / 1e6 };
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const { cases, rounds } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  for (const c of cases) {
    c.identityText = c.identityPolicies.map((p) => JSON.stringify(p));
    c.resourceText = c.resourcePolicy ? JSON.stringify(c.resourcePolicy) : '';
  }
  const decisions = {};
  await round(cases, true, decisions); // warm-up, and the decisions
  const best = { parse: Infinity, decide: Infinity, parseCPU: Infinity, decideCPU: Infinity };
  for (let i = 0; i < (rounds || 3); i++) {
    const p = await round(cases, true);
    const d = await round(cases, false);
    best.parse = Math.min(best.parse, p.wall);
    best.parseCPU = Math.min(best.parseCPU, p.cpu);
    best.decide = Math.min(best.decide, d.wall);
    best.decideCPU = Math.min(best.decideCPU, d.cpu);
  }
  process.stdout.write(JSON.stringify({
    n: cases.length, parse_seconds: best.parse, decide_seconds: best.decide,
    parse_cpu_seconds: best.parseCPU, decide_cpu_seconds: best.decideCPU, decisions,
  }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
