// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// BullMQ 5 (its own ioredis; every queue operation is a Lua script sent with EVALSHA, arguments
// packed with msgpack and unpacked by cmsgpack): a Queue, one Worker and QueueEvents. Plain jobs
// with return values, jobs that fail twice and then succeed under attempts: 3 with fixed and
// exponential backoff, a job that exhausts its attempts, a delayed job, a legacy repeatable job
// and a job scheduler both limited to 3 runs. Run against redis-server and ringkv; the outcomes
// must be equal.
import assert from 'node:assert/strict';
import { Queue, Worker, QueueEvents, Job } from 'bullmq';
import { scenarioTests, waitFor, sleep } from './scenario.js';

const QUEUE = 'scenario';
const TICKS = 3;

async function bullmqScenario({ host, port, defer }) {
  // No reconnecting once a test has closed the server under a client.
  const connection = { host, port, retryStrategy: () => null };
  const errors = [];
  const onError = (who) => (err) => errors.push(`${who}: ${err.message}`);

  const events = new QueueEvents(QUEUE, { connection, lastEventId: '0-0' });
  defer(() => events.close());
  events.on('error', onError('QueueEvents'));
  const completedEvents = [];
  const failedEvents = [];
  events.on('completed', ({ jobId, returnvalue }) => completedEvents.push({ jobId, returnvalue }));
  events.on('failed', ({ jobId, failedReason }) => failedEvents.push({ jobId, failedReason }));
  await events.waitUntilReady();

  const queue = new Queue(QUEUE, { connection });
  defer(() => queue.close());
  queue.on('error', onError('Queue'));

  const calls = new Map(); // job id -> [{ name, attemptsMade, at }]
  const names = new Map(); // job id -> name
  const plainOrder = [];
  const worker = new Worker(QUEUE, async (job) => {
    const seen = calls.get(job.id) ?? [];
    seen.push({ attemptsMade: job.attemptsMade, at: Date.now() });
    calls.set(job.id, seen);
    names.set(job.id, job.name);
    switch (job.name) {
      case 'plain':
        plainOrder.push(job.id);
        return job.data.n * 2;
      case 'flaky':
        if (seen.length < 3) throw new Error(`flaky failure ${seen.length}`);
        return { recovered: job.data.backoff, after: seen.length };
      case 'doomed':
        throw new Error('always fails');
      case 'delayed':
        return `waited ${job.data.delay}`;
      default: // the repeatable jobs
        return `${job.name} run`;
    }
  }, { connection, concurrency: 1 });
  defer(() => worker.close(true));
  worker.on('error', onError('Worker'));
  await worker.waitUntilReady();

  const plain = await queue.addBulk([1, 2, 3].map((n) => ({ name: 'plain', data: { n } })));
  const fixed = await queue.add('flaky', { backoff: 'fixed' },
    { attempts: 3, backoff: { type: 'fixed', delay: 50 } });
  const exponential = await queue.add('flaky', { backoff: 'exponential' },
    { attempts: 3, backoff: { type: 'exponential', delay: 50 } });
  const doomed = await queue.add('doomed', {},
    { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
  const delayedAt = Date.now();
  const delayed = await queue.add('delayed', { delay: 300 }, { delay: 300 });
  const delayedStateBefore = await delayed.getState();
  await queue.add('tick-legacy', {}, { repeat: { every: 200, limit: TICKS } });
  await queue.upsertJobScheduler('ticker', { every: 200, limit: TICKS },
    { name: 'tick-scheduler' });

  const ran = (name) => [...names.values()].filter((n) => n === name).length;
  await waitFor(() => completedEvents.length >= 3 + 2 + 1 + 2 * TICKS && failedEvents.length >= 1,
    12000, 'every completed and failed event');
  // Room for a run past the limit, which must not happen.
  await sleep(500);

  const jobState = async (job) => {
    const j = await Job.fromId(queue, job.id);
    return {
      state: await j.getState(),
      returnvalue: j.returnvalue,
      attemptsMade: j.attemptsMade,
      attemptsStarted: j.attemptsStarted,
      failedReason: j.failedReason ?? null,
      stacktrace: j.stacktrace.length,
    };
  };
  const gaps = (job) => {
    const at = (calls.get(job.id) ?? []).map((c) => c.at);
    return at.slice(1).map((t, i) => t - at[i]);
  };
  // Repeatable job ids carry timestamps; they are compared by name.
  const tag = (id) => (id.startsWith('repeat:') ? `${names.get(id)}` : id);
  const bySortedJson = (a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b));

  return {
    errors,
    ids: { plain: plain.map((j) => j.id), fixed: fixed.id, exponential: exponential.id,
      doomed: doomed.id, delayed: delayed.id },
    plainOrder,
    plain: await Promise.all(plain.map(jobState)),
    fixed: await jobState(fixed),
    exponential: await jobState(exponential),
    doomed: await jobState(doomed),
    delayed: await jobState(delayed),
    delayedStateBefore,
    callsPerJob: Object.fromEntries([fixed, exponential, doomed, delayed, ...plain]
      .map((j) => [j.id, (calls.get(j.id) ?? []).map((c) => c.attemptsMade)])),
    // Timing, reduced to what both servers must satisfy.
    delayedWaited: (calls.get(delayed.id) ?? [{ at: 0 }])[0].at - delayedAt >= 290,
    fixedGapsAtLeastDelay: gaps(fixed).every((g) => g >= 45),
    exponentialGapsGrow: gaps(exponential).length === 2 && gaps(exponential)[0] >= 45
      && gaps(exponential)[1] >= 95,
    runs: { 'tick-legacy': ran('tick-legacy'), 'tick-scheduler': ran('tick-scheduler') },
    completedEvents: completedEvents.map((e) => ({ ...e, jobId: tag(e.jobId) })).sort(bySortedJson),
    failedEvents,
    counts: await queue.getJobCounts('active', 'completed', 'delayed', 'failed', 'paused',
      'prioritized', 'waiting', 'waiting-children'),
    schedulers: await queue.getJobSchedulersCount(),
  };
}

function check(o) {
  assert.deepEqual(o.errors, []);
  assert.deepEqual(o.plainOrder, o.ids.plain, 'plain jobs in the order they were added');
  for (const [i, p] of o.plain.entries()) {
    assert.equal(p.state, 'completed');
    assert.equal(p.returnvalue, (i + 1) * 2);
    assert.equal(p.attemptsMade, 1);
  }
  for (const [f, kind] of [[o.fixed, 'fixed'], [o.exponential, 'exponential']]) {
    assert.equal(f.state, 'completed');
    assert.deepEqual(f.returnvalue, { recovered: kind, after: 3 });
    assert.equal(f.attemptsStarted, 3);
    assert.equal(f.stacktrace, 2, 'the two failures are recorded');
  }
  assert.deepEqual(o.callsPerJob[o.ids.fixed], [0, 1, 2]);
  assert.deepEqual(o.callsPerJob[o.ids.exponential], [0, 1, 2]);
  assert.ok(o.fixedGapsAtLeastDelay, 'fixed backoff waits 50 ms between attempts');
  assert.ok(o.exponentialGapsGrow, 'exponential backoff waits 50 ms, then 100 ms');
  assert.equal(o.doomed.state, 'failed');
  assert.equal(o.doomed.failedReason, 'always fails');
  assert.equal(o.doomed.attemptsMade, 2);
  assert.deepEqual(o.callsPerJob[o.ids.doomed], [0, 1]);
  assert.deepEqual(o.failedEvents, [{ jobId: o.ids.doomed, failedReason: 'always fails' }]);
  assert.equal(o.delayedStateBefore, 'delayed');
  assert.equal(o.delayed.state, 'completed');
  assert.equal(o.delayed.returnvalue, 'waited 300');
  assert.ok(o.delayedWaited, 'the delayed job ran no sooner than 300 ms after it was added');
  assert.deepEqual(o.runs, { 'tick-legacy': TICKS, 'tick-scheduler': TICKS });
  assert.equal(o.completedEvents.length, 3 + 2 + 1 + 2 * TICKS);
  assert.equal(o.counts.completed, 3 + 2 + 1 + 2 * TICKS);
  assert.equal(o.counts.failed, 1);
  for (const k of ['active', 'waiting', 'prioritized', 'waiting-children', 'paused']) {
    assert.equal(o.counts[k], 0, k);
  }
}

scenarioTests('bullmq: queue, worker, retries, delay, repeat, events', bullmqScenario, { check });
