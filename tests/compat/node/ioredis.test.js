// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ioredis (RESP2) against ringkv: strings, a 10k-command pipeline, MULTI/EXEC and WATCH,
// pub/sub across workers, the session-store pattern with its expired event, and a stream
// consumer group with a blocked reader.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { startServer } from './server.js';

let server;
let redis;
before(async () => {
  server = await startServer();
  redis = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true });
  await redis.connect();
});
after(async () => {
  redis.disconnect();
  await server.stop();
});

test('strings and keys', async () => {
  assert.equal(await redis.set('a', '1'), 'OK');
  assert.equal(await redis.incrby('a', 5), 6);
  assert.equal(await redis.get('a'), '6');
  assert.deepEqual(await redis.mget('a', 'missing'), ['6', null]);
  assert.equal(await redis.set('e', 'v', 'EX', 100), 'OK');
  assert.ok((await redis.ttl('e')) > 0);
  assert.equal(await redis.del('a', 'e'), 2);
});

test('a 10k-command pipeline', async () => {
  const p = redis.pipeline();
  for (let i = 0; i < 10000; i++) p.set(`p:${i}`, String(i));
  for (let i = 0; i < 10000; i++) p.get(`p:${i}`);
  const out = await p.exec();
  assert.equal(out.length, 20000);
  for (let i = 0; i < 10000; i++) assert.deepEqual(out[10000 + i], [null, String(i)]);
});

test('MULTI/EXEC and WATCH', async () => {
  const res = await redis.multi().set('t', '1').incr('t').exec();
  assert.deepEqual(res, [[null, 'OK'], [null, 2]]);
  const other = new Redis({ port: server.port, host: '127.0.0.1' });
  await redis.watch('t');
  await other.set('t', '100');
  const aborted = await redis.multi().set('t', '3').exec();
  assert.equal(aborted, null);
  assert.equal(await redis.get('t'), '100');
  other.disconnect();
});

function nextMessage(sub, event) {
  return new Promise((resolve) => sub.once(event, (...args) => resolve(args)));
}

test('pub/sub across connections', async () => {
  const subs = [0, 1, 2].map(() => new Redis({ port: server.port, host: '127.0.0.1' }));
  await subs[0].subscribe('news');
  await subs[1].subscribe('news');
  await subs[2].psubscribe('ne*');
  const got = [nextMessage(subs[0], 'message'), nextMessage(subs[1], 'message'),
    nextMessage(subs[2], 'pmessage')];
  assert.equal(await redis.publish('news', 'hello'), 3);
  const [m0, m1, m2] = await Promise.all(got);
  assert.deepEqual(m0, ['news', 'hello']);
  assert.deepEqual(m1, ['news', 'hello']);
  assert.deepEqual(m2, ['ne*', 'news', 'hello']);
  subs.forEach((s) => s.disconnect());
});

test('session store: hash, sliding TTL, expired event', async () => {
  const listener = new Redis({ port: server.port, host: '127.0.0.1' });
  await listener.subscribe('__keyevent@0__:expired');
  const expired = nextMessage(listener, 'message');
  const sid = 'session:ioredis';
  await redis.hset(sid, { user_id: '1001', csrf: 'x'.repeat(32) });
  await redis.expire(sid, 30);
  assert.deepEqual(await redis.hgetall(sid), { user_id: '1001', csrf: 'x'.repeat(32) });
  await redis.hset(sid, 'last_seen', 'now');
  await redis.pexpire(sid, 200);
  const [channel, key] = await expired;
  assert.equal(channel, '__keyevent@0__:expired');
  assert.equal(key, sid);
  assert.equal(await redis.exists(sid), 0);
  listener.disconnect();
});

test('streams: a blocked consumer-group reader gets the next job', async () => {
  await redis.del('jobs');
  assert.equal(await redis.xgroup('CREATE', 'jobs', 'workers', '$', 'MKSTREAM'), 'OK');
  const worker = new Redis({ port: server.port, host: '127.0.0.1' });
  const read = worker.xreadgroup('GROUP', 'workers', 'w1', 'COUNT', '1', 'BLOCK', '5000',
    'STREAMS', 'jobs', '>');
  await new Promise((r) => setTimeout(r, 100));
  const id = await redis.xadd('jobs', '*', 'task', 'email', 'to', 'a@example.com');
  assert.deepEqual(await read, [['jobs', [[id, ['task', 'email', 'to', 'a@example.com']]]]]);
  assert.equal(await worker.xack('jobs', 'workers', id), 1);
  assert.deepEqual(await redis.xpending('jobs', 'workers'), [0, null, null, null]);
  assert.equal(await redis.xlen('jobs'), 1);
  worker.disconnect();
});
