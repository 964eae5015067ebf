// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Bull 4 (ioredis; Lua scripts sent with EVALSHA, job events published from inside the scripts
// and read by a subscriber connection, BRPOPLPUSH for waiting): plain jobs with return values, a
// job that fails twice and then succeeds under attempts: 3 with fixed backoff, a delayed job, the
// local and global 'completed' events. Run against redis-server and ringkv; the outcomes must be
// equal.
import assert from 'node:assert/strict';
import Queue from 'bull';
import { scenarioTests, waitFor } from './scenario.js';

async function bullScenario({ host, port, defer }) {
  const queue = new Queue('scenario', { redis: { host, port, retryStrategy: () => null } });
  defer(() => queue.close());
  const errors = [];
  queue.on('error', (err) => errors.push(err.message));
  const completed = [];
  const globalCompleted = [];
  const failed = [];
  queue.on('completed', (job, result) => completed.push({ id: String(job.id), result }));
  queue.on('failed', (job, err) => failed.push({ id: String(job.id), reason: err.message }));
  queue.on('global:completed', (id, result) => globalCompleted.push({ id: String(id), result }));
  await queue.isReady();

  const calls = new Map(); // job id -> [attemptsMade when the processor ran]
  const flakyAt = [];
  const plainOrder = [];
  queue.process(1, async (job) => {
    const seen = calls.get(String(job.id)) ?? [];
    seen.push(job.attemptsMade);
    calls.set(String(job.id), seen);
    switch (job.data.kind) {
      case 'plain':
        plainOrder.push(String(job.id));
        return job.data.n * 2;
      case 'flaky':
        flakyAt.push(Date.now());
        if (seen.length < 3) throw new Error(`flaky failure ${seen.length}`);
        return { recovered: true, after: seen.length };
      default:
        return `waited ${job.data.delay}`;
    }
  });

  const plain = await Promise.all([1, 2, 3].map((n) => queue.add({ kind: 'plain', n })));
  const flaky = await queue.add({ kind: 'flaky' },
    { attempts: 3, backoff: { type: 'fixed', delay: 50 } });
  const delayedAt = Date.now();
  const delayed = await queue.add({ kind: 'delayed', delay: 300 }, { delay: 300 });
  const delayedStateBefore = await delayed.getState();

  await waitFor(() => completed.length >= 5 && globalCompleted.length >= 5, 10000,
    'five completed and five global:completed events');

  const jobState = async (job) => {
    const j = await queue.getJob(job.id);
    return {
      state: await j.getState(),
      returnvalue: j.returnvalue,
      attemptsMade: j.attemptsMade,
      failedReason: j.failedReason ?? null,
      stacktrace: j.stacktrace.length,
    };
  };
  const byId = (a, b) => Number(a.id) - Number(b.id);
  const delayedJob = await queue.getJob(delayed.id);
  return {
    errors,
    ids: {
      plain: plain.map((j) => String(j.id)), flaky: String(flaky.id), delayed: String(delayed.id),
    },
    plainOrder,
    plain: await Promise.all(plain.map(jobState)),
    flaky: await jobState(flaky),
    delayed: await jobState(delayed),
    delayedStateBefore,
    delayedWaited: delayedJob.processedOn - delayedAt >= 290,
    backoffGapsAtLeastDelay: flakyAt.length === 3
      && flakyAt.slice(1).every((t, i) => t - flakyAt[i] >= 45),
    calls: Object.fromEntries([...calls].sort()),
    completed: completed.sort(byId),
    // Bull publishes the return value as JSON.
    globalCompleted: globalCompleted.sort(byId),
    failed,
    counts: await queue.getJobCounts(),
  };
}

function check(o) {
  assert.deepEqual(o.errors, []);
  assert.deepEqual(o.plainOrder, o.ids.plain, 'plain jobs in the order they were added');
  for (const [i, p] of o.plain.entries()) {
    assert.equal(p.state, 'completed');
    assert.equal(p.returnvalue, (i + 1) * 2);
  }
  assert.equal(o.flaky.state, 'completed');
  assert.deepEqual(o.flaky.returnvalue, { recovered: true, after: 3 });
  assert.equal(o.flaky.stacktrace, 2, 'the two failures are recorded');
  assert.deepEqual(o.calls[o.ids.flaky], [0, 1, 2]);
  assert.ok(o.backoffGapsAtLeastDelay, 'fixed backoff waits 50 ms between attempts');
  assert.deepEqual(o.failed.map((f) => f.reason), ['flaky failure 1', 'flaky failure 2']);
  assert.equal(o.delayedStateBefore, 'delayed');
  assert.equal(o.delayed.state, 'completed');
  assert.equal(o.delayed.returnvalue, 'waited 300');
  assert.ok(o.delayedWaited, 'the delayed job ran no sooner than 300 ms after it was added');
  assert.equal(o.completed.length, 5);
  assert.deepEqual(o.globalCompleted.map((e) => e.id), o.completed.map((e) => e.id));
  assert.deepEqual(o.globalCompleted.map((e) => JSON.parse(e.result)),
    o.completed.map((e) => e.result));
  assert.deepEqual(o.counts,
    { waiting: 0, active: 0, completed: 5, failed: 0, delayed: 0, paused: 0 });
}

scenarioTests('bull: process, retry with backoff, delayed job, completed events', bullScenario,
  { check });
