// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Runs one library scenario against Debian's redis-server and against ringkv, as two tests in
// the calling file: `<title> [redis-server]` first, then `<title> [ringkv]`. Both outcomes must
// pass `check`, and ringkv's must equal redis-server's (assert.deepStrictEqual), so a scenario
// returns only what is deterministic: counts, states, return values, attempt counts, and order
// where the library fixes it, never timestamps or generated ids.
//
// A scenario is `async ({ host, port, kind, defer }) => outcome`; it hands every client, queue,
// worker and HTTP server it opens to `defer(closeFn)`. The closers run (last first, each bounded)
// when the scenario ends, fails, or its test times out, and then the server is stopped. (npm test
// also passes --test-force-exit: a library may leave a timer behind when its commands fail, as
// BullMQ's stalled-job checker does, and that must not hold a failed file open.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, referenceMissing } from './server.js';

const CLOSE_MS = 3000;

// Resolves with `promise`, or rejects naming `what` once `ms` have passed.
export function within(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `cond` every 20 ms until it returns a truthy value (which is returned), or fails after
// `ms`.
export async function waitFor(cond, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

class Run {
  constructor() {
    this.closers = [];
    this.server = null;
    this.done = null;
  }

  defer(fn) { this.closers.push(fn); }

  close() {
    this.done ??= (async () => {
      while (this.closers.length > 0) {
        const fn = this.closers.pop();
        try {
          await within(Promise.resolve().then(fn), CLOSE_MS, 'a closer');
        } catch { /* closing is best effort; the server stop below ends any connection left */ }
      }
      if (this.server) await this.server.stop();
    })();
    return this.done;
  }
}

// RINGKV_SCENARIO_DUMP=1 (a debugging aid) prints each outcome as test diagnostics.
function dump(t, outcome) {
  if (process.env.RINGKV_SCENARIO_DUMP) {
    for (const line of JSON.stringify(outcome, null, 1).split('\n')) t.diagnostic(line);
  }
}

const live = new Set();
let afterRegistered = false;

async function runOn(reference, scenario) {
  const run = new Run();
  live.add(run);
  try {
    run.server = await startServer({ reference });
    return await scenario({
      host: '127.0.0.1',
      port: run.server.port,
      kind: run.server.kind,
      defer: (fn) => run.defer(fn),
    });
  } finally {
    await run.close();
    live.delete(run);
  }
}

export function scenarioTests(title, scenario, { check, timeout = 20000 }) {
  if (!afterRegistered) {
    afterRegistered = true;
    // A test that timed out leaves its run open; close it here so the process can exit.
    after(() => Promise.all([...live].map((r) => r.close())));
  }
  let reference;
  test(`${title} [redis-server]`, { timeout, skip: referenceMissing() ?? false }, async (t) => {
    const outcome = await runOn(true, scenario);
    dump(t, outcome);
    check(outcome);
    reference = outcome;
  });
  test(`${title} [ringkv]`, { timeout }, async (t) => {
    const outcome = await runOn(false, scenario);
    dump(t, outcome);
    if (reference !== undefined) {
      assert.deepStrictEqual(outcome, reference, 'ringkv and redis-server outcomes differ');
    }
    check(outcome);
  });
}
