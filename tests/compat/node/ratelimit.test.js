// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// rate-limiter-flexible's RateLimiterRedis, 5 points per 1 s window. Each consume, penalty and
// reward is one Lua script (SET NX EX, INCRBY, PTTL, EXPIRE): on ioredis it is a defined command,
// sent as EVALSHA (EVAL after NOSCRIPT); on node-redis (useRedisPackage) it is EVAL every time.
// get and block are MULTI/EXEC. Run on both clients, against redis-server and ringkv; the
// outcomes must be equal.
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { scenarioTests, sleep } from './scenario.js';

const POINTS = 5;

async function connect(clientKind, host, port, defer) {
  if (clientKind === 'ioredis') {
    const client = new Redis({ host, port, lazyConnect: true, retryStrategy: () => null });
    defer(() => client.disconnect());
    await client.connect();
    return { client, opts: {}, pttl: (k) => client.pttl(k), getRaw: (k) => client.get(k) };
  }
  const client = createClient({ socket: { host, port, reconnectStrategy: false } });
  client.on('error', () => {});
  defer(() => client.destroy());
  await client.connect();
  return { client, opts: { useRedisPackage: true }, pttl: (k) => client.pTTL(k),
    getRaw: (k) => client.get(k) };
}

function rateLimitScenario(clientKind) {
  return async ({ host, port, defer }) => {
    const store = await connect(clientKind, host, port, defer);
    const limiter = new RateLimiterRedis({
      storeClient: store.client, ...store.opts, keyPrefix: 'rl', points: POINTS, duration: 1,
    });
    // A consume's outcome without its timing: a rejection by the limiter is a RateLimiterRes, any
    // other rejection (a store error) fails the test.
    const timings = [];
    const attempt = async (fn) => {
      let res;
      let rejected = false;
      try {
        res = await fn();
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        res = e;
        rejected = true;
      }
      timings.push(res.msBeforeNext);
      return { rejected, consumed: res.consumedPoints, remaining: res.remainingPoints,
        first: res.isFirstInDuration };
    };

    const window = [];
    for (let i = 0; i < POINTS + 1; i++) window.push(await attempt(() => limiter.consume('user')));
    const msBeforeNext = timings[timings.length - 1];
    const stored = { value: await store.getRaw('rl:user'), pttl: await store.pttl('rl:user') };
    const got = await limiter.get('user');
    await sleep(msBeforeNext + 50);
    const afterWindow = await attempt(() => limiter.consume('user'));
    const penalty = await attempt(() => limiter.penalty('user', 3));
    const fillUp = await attempt(() => limiter.consume('user'));
    const overLimit = await attempt(() => limiter.consume('user'));
    const reward = await attempt(() => limiter.reward('user', 3));
    const afterReward = await attempt(() => limiter.consume('user'));
    const block = await attempt(() => limiter.block('blocked', 2));
    const blockedConsume = await attempt(() => limiter.consume('blocked'));
    const blockedPttl = await store.pttl('rl:blocked');
    const deleted = await limiter.delete('user');
    return {
      window,
      msBeforeNextInWindow: msBeforeNext > 0 && msBeforeNext <= 1000,
      timingsWithinBounds: timings.every((ms) => ms >= 0 && ms <= 2000),
      stored: { value: stored.value, pttlInWindow: stored.pttl > 0 && stored.pttl <= 1000 },
      got: { consumed: got.consumedPoints, remaining: got.remainingPoints },
      afterWindow,
      penalty,
      fillUp,
      overLimit,
      reward,
      afterReward,
      block,
      blockedConsume,
      blockedFor2s: blockedPttl > 1000 && blockedPttl <= 2000,
      deleted,
      afterDelete: await limiter.get('user'),
    };
  };
}

function check(o) {
  assert.deepEqual(o.window.map((r) => [r.rejected, r.consumed, r.remaining]),
    [[false, 1, 4], [false, 2, 3], [false, 3, 2], [false, 4, 1], [false, 5, 0], [true, 6, 0]]);
  assert.equal(o.window[0].first, true);
  assert.ok(o.msBeforeNextInWindow, 'the sixth consume is told to wait for the rest of the window');
  assert.ok(o.timingsWithinBounds);
  assert.deepEqual(o.stored, { value: '6', pttlInWindow: true });
  assert.deepEqual(o.got, { consumed: 6, remaining: 0 });
  assert.deepEqual(o.afterWindow, { rejected: false, consumed: 1, remaining: 4, first: true });
  assert.deepEqual(o.penalty, { rejected: false, consumed: 4, remaining: 1, first: false });
  assert.deepEqual(o.fillUp, { rejected: false, consumed: 5, remaining: 0, first: false });
  assert.deepEqual(o.overLimit, { rejected: true, consumed: 6, remaining: 0, first: false });
  assert.deepEqual(o.reward, { rejected: false, consumed: 3, remaining: 2, first: false });
  assert.deepEqual(o.afterReward, { rejected: false, consumed: 4, remaining: 1, first: false });
  assert.equal(o.block.consumed, POINTS + 1);
  assert.deepEqual(o.blockedConsume,
    { rejected: true, consumed: POINTS + 2, remaining: 0, first: false });
  assert.ok(o.blockedFor2s, 'block keeps the key for its 2 s');
  assert.equal(o.deleted, true);
  assert.equal(o.afterDelete, null);
}

scenarioTests('rate-limiter-flexible on ioredis (EVALSHA)', rateLimitScenario('ioredis'),
  { check });
scenarioTests('rate-limiter-flexible on node-redis (EVAL)', rateLimitScenario('node-redis'),
  { check });
