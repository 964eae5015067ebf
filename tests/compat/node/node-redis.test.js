// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// node-redis v5 speaking RESP3 against ringkv: maps and sets in their RESP3 forms, pipelines,
// MULTI, pub/sub, and the session-store pattern with its expired event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { startServer } from './server.js';

let server;
let client;
before(async () => {
  server = await startServer();
  client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP: 3 });
  await client.connect();
});
after(async () => {
  await client.quit();
  await server.stop();
});

test('HELLO 3 and basic commands', async () => {
  assert.equal(await client.set('a', '1'), 'OK');
  assert.equal(await client.get('a'), '1');
  assert.equal(await client.incr('a'), 2);
  assert.equal(await client.exists('a'), 1);
});

test('pipelined commands', async () => {
  const replies = await Promise.all(
    Array.from({ length: 1000 }, (_, i) => client.set(`k${i}`, String(i))));
  assert.equal(replies.length, 1000);
  assert.equal(await client.get('k999'), '999');
});

test('MULTI/EXEC', async () => {
  const res = await client.multi().set('m', '1').incr('m').get('m').exec();
  assert.deepEqual(res, ['OK', 2, '2']);
});

test('pub/sub with a duplicated connection', async () => {
  const sub = client.duplicate();
  await sub.connect();
  const got = new Promise((resolve) => {
    sub.subscribe('chat', (message, channel) => resolve([channel, message]));
  });
  // Wait for the subscription to be active before publishing.
  for (let i = 0; i < 100 && (await client.publish('chat', 'hi')) === 0; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.deepEqual(await got, ['chat', 'hi']);
  await sub.quit();
});

test('session store: RESP3 map from HGETALL, sliding TTL, expired event', async () => {
  const listener = client.duplicate();
  await listener.connect();
  const expired = new Promise((resolve) => {
    listener.subscribe('__keyevent@0__:expired', (message) => resolve(message));
  });
  await new Promise((r) => setTimeout(r, 50));
  const sid = 'session:node-redis';
  await client.hSet(sid, { user_id: '1001', cart: '3' });
  await client.expire(sid, 30);
  assert.deepEqual({ ...(await client.hGetAll(sid)) }, { user_id: '1001', cart: '3' });
  await client.pExpire(sid, 200);
  assert.equal(await expired, sid);
  await listener.quit();
});

test('client-side caching: CLIENT TRACKING, hits, and invalidation by another client', async () => {
  const cached = createClient({
    socket: { port: server.port, host: '127.0.0.1' },
    RESP: 3,
    clientSideCache: { ttl: 0, maxEntries: 0, evictPolicy: 'LRU' },
  });
  await cached.connect();
  assert.equal(await client.set('csc', 'v1'), 'OK');
  assert.equal(await cached.get('csc'), 'v1');  // miss: read from the server, now cached
  assert.equal(await cached.get('csc'), 'v1');  // hit: served from the local cache
  const tracking = await cached.sendCommand(['CLIENT', 'TRACKINGINFO']);
  assert.ok(JSON.stringify(tracking).includes('on'), JSON.stringify(tracking));
  let stats = cached.clientSideCache.stats();
  assert.equal(stats.hitCount, 1);
  assert.equal(stats.missCount, 1);
  // Another client changes the key: the server pushes an invalidation, the next read misses
  // and sees the new value.
  assert.equal(await client.set('csc', 'v2'), 'OK');
  let value;
  for (let i = 0; i < 100; i++) {
    value = await cached.get('csc');
    if (value === 'v2') break;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(value, 'v2');
  stats = cached.clientSideCache.stats();
  assert.ok(stats.missCount >= 2, JSON.stringify(stats));
  // A flush invalidates everything the client cached.
  assert.equal(await cached.get('csc'), 'v2');
  await client.flushAll();
  for (let i = 0; i < 100; i++) {
    value = await cached.get('csc');
    if (value === null) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(value, null);
  await cached.quit();
});
