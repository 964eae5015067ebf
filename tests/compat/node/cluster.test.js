// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ioredis Redis.Cluster against three ringkv nodes (cluster-enabled yes) whose slot map is
// pushed with CLUSTER SETTOPOLOGY (ringkv has no cluster bus): SET/GET/MGET with hash tags,
// pipelines (one node's keys, and auto-pipelining across the nodes), MULTI/EXEC with hash
// tags, and a slot moved with the Redis procedure (SETSLOT IMPORTING/MIGRATING, GETKEYSINSLOT +
// MIGRATE, SETSLOT NODE on every node): ASK while it is in progress, MOVED afterwards, no key
// lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { startServer } from './server.js';

const SLOTS = 16384;

// CRC16-XMODEM of the key's hash tag, as Redis Cluster computes slots.
function crc16(buf) {
  let crc = 0;
  for (const b of buf) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) {
      crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}
function keySlot(key) {
  const s = key.indexOf('{');
  if (s >= 0) {
    const e = key.indexOf('}', s + 1);
    if (e > s + 1) key = key.slice(s + 1, e);
  }
  return crc16(Buffer.from(key)) % SLOTS;
}

const servers = [];
const direct = []; // a plain client per node
const ids = [];
const owner = new Array(SLOTS).fill(-1);
const clusters = [];

function node(i) {
  return { port: servers[i].port, id: ids[i], c: direct[i] };
}
function ownerOf(slot) {
  return node(owner[slot]);
}

async function currentEpoch() {
  let max = 0;
  for (const c of direct) {
    const m = /cluster_current_epoch:(\d+)/.exec(await c.call('CLUSTER', 'INFO'));
    max = Math.max(max, Number(m[1]));
  }
  return max;
}

async function pushTopology() {
  const lines = [];
  for (let i = 0; i < servers.length; i++) {
    const ranges = [];
    for (let s = 0; s < SLOTS; s++) {
      if (owner[s] !== i) continue;
      let e = s;
      while (e + 1 < SLOTS && owner[e + 1] === i) e++;
      ranges.push(s === e ? String(s) : `${s}-${e}`);
      s = e;
    }
    const p = servers[i].port;
    lines.push(`${ids[i]} 127.0.0.1:${p}@${p + 10000} master - 0 0 ${i + 1} connected `
      + ranges.join(' '));
  }
  // A node refuses a map older than its currentEpoch (SETSLOT NODE bumps it).
  lines.push(`vars currentEpoch ${Math.max(servers.length, await currentEpoch())} lastVoteEpoch 0`);
  const text = `${lines.join('\n')}\n`;
  for (const c of direct) assert.equal(await c.call('CLUSTER', 'SETTOPOLOGY', text), 'OK');
}

function newCluster(options = {}) {
  const cluster = new Redis.Cluster([{ host: '127.0.0.1', port: servers[0].port }],
    { slotsRefreshTimeout: 5000, ...options });
  clusters.push(cluster);
  return cluster;
}

async function beginMove(slot, src, dst) {
  assert.equal(await dst.c.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', src.id), 'OK');
  assert.equal(await src.c.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', dst.id), 'OK');
}
async function migrateBatch(slot, src, dst, count) {
  const keys = await src.c.call('CLUSTER', 'GETKEYSINSLOT', slot, count);
  if (keys.length > 0) {
    assert.equal(
      await src.c.call('MIGRATE', '127.0.0.1', dst.port, '', 0, 5000, 'KEYS', ...keys), 'OK');
  }
  return keys;
}
async function finishMove(slot, src, dst) {
  while ((await migrateBatch(slot, src, dst, 100)).length > 0);
  // No gossip: every node is told the new owner, the target first.
  const rest = [0, 1, 2].map(node).filter((n) => n.port !== src.port && n.port !== dst.port);
  for (const n of [dst, src, ...rest]) {
    assert.equal(await n.c.call('CLUSTER', 'SETSLOT', slot, 'NODE', dst.id), 'OK');
  }
  owner[slot] = servers.findIndex((s) => s.port === dst.port);
}

before(async () => {
  for (let i = 0; i < 3; i++) servers.push(await startServer({ cluster: true }));
  for (const s of servers) {
    const c = new Redis({ port: s.port, host: '127.0.0.1' });
    direct.push(c);
    ids.push(await c.call('CLUSTER', 'MYID'));
  }
  assert.equal(new Set(ids).size, 3);
  [[0, 5460], [5461, 10922], [10923, 16383]].forEach(([a, b], i) => {
    for (let s = a; s <= b; s++) owner[s] = i;
  });
  await pushTopology();
});

after(async () => {
  for (const c of clusters) c.disconnect();
  for (const c of direct) c.disconnect();
  for (const s of servers) await s.stop();
});

test('the slot map: CLUSTER SLOTS on every node, KEYSLOT', async () => {
  for (const c of direct) {
    const slots = (await c.call('CLUSTER', 'SLOTS')).map((r) => [r[0], r[1], r[2][1]]);
    slots.sort((x, y) => x[0] - y[0]);
    assert.deepEqual(slots, [[0, 5460, servers[0].port], [5461, 10922, servers[1].port],
      [10923, 16383, servers[2].port]]);
  }
  for (const k of ['foo', '{user1}:a', '123456789', 'a{b}c', '{}x']) {
    assert.equal(await direct[0].call('CLUSTER', 'KEYSLOT', k), keySlot(k));
  }
  assert.equal(keySlot('foo'), 12182);
});

test('SET/GET across three nodes, MGET/MSET with hash tags', async () => {
  const cluster = newCluster();
  for (let i = 0; i < 300; i++) assert.equal(await cluster.set(`key:${i}`, String(i)), 'OK');
  for (let i = 0; i < 300; i++) assert.equal(await cluster.get(`key:${i}`), String(i));
  const sizes = await Promise.all(direct.map((c) => c.dbsize()));
  assert.ok(sizes.every((n) => n > 50), String(sizes));
  assert.equal(sizes.reduce((a, b) => a + b), 300);
  assert.equal(await ownerOf(keySlot('key:7')).c.get('key:7'), '7');

  assert.equal(await cluster.mset('{user1}:a', '1', '{user1}:b', '2'), 'OK');
  assert.deepEqual(await cluster.mget('{user1}:a', '{user1}:b', '{user1}:none'), ['1', '2', null]);
  assert.deepEqual(await ownerOf(keySlot('{user1}')).c.mget('{user1}:a', '{user1}:b'), ['1', '2']);
  await assert.rejects(cluster.mget('{user1}:a', '{user2}:b'), /CROSSSLOT/);
  assert.equal(await cluster.del('{user1}:a', '{user1}:b'), 2);
  // A node that does not serve the slot answers MOVED.
  const slot = keySlot('foo');
  const notOwner = direct.find((c, i) => i !== owner[slot]);
  await assert.rejects(notOwner.get('foo'),
    { message: `MOVED ${slot} 127.0.0.1:${ownerOf(slot).port}` });
});

test('pipelines: one node, and auto-pipelining across the cluster', async () => {
  const cluster = newCluster();
  const p = cluster.pipeline();
  for (let i = 0; i < 200; i++) p.set(`{pipe}:${i}`, String(i)).incr(`{pipe}:${i}`);
  const out = await p.exec();
  assert.equal(out.length, 400);
  for (let i = 0; i < 200; i++) assert.deepEqual(out[2 * i + 1], [null, i + 1]);

  const auto = newCluster({ enableAutoPipelining: true });
  await Promise.all(Array.from({ length: 500 }, (_, i) => auto.set(`auto:${i}`, String(i))));
  const got = await Promise.all(Array.from({ length: 500 }, (_, i) => auto.get(`auto:${i}`)));
  assert.deepEqual(got, Array.from({ length: 500 }, (_, i) => String(i)));
  for (const c of direct) assert.ok((await c.keys('auto:*')).length > 0);
});

test('MULTI/EXEC with hash tags; CROSSSLOT inside a transaction', async () => {
  const cluster = newCluster();
  const res = await cluster.multi().set('{tx}a', '1').incr('{tx}a').get('{tx}a').exec();
  assert.deepEqual(res, [[null, 'OK'], [null, 2], [null, '2']]);
  assert.equal(await cluster.get('{tx}a'), '2');
  // Two slots served by one node: each command is queued, EXEC answers CROSSSLOT.
  const o = ownerOf(keySlot('{tx}'));
  let tag2 = null;
  for (let i = 0; tag2 === null; i++) {
    const s = keySlot(`t${i}`);
    if (owner[s] === owner[keySlot('{tx}')] && s !== keySlot('{tx}')) tag2 = `t${i}`;
  }
  const c = new Redis({ port: o.port, host: '127.0.0.1' });
  await assert.rejects(c.multi().set('{tx}a', '5').set(`{${tag2}}b`, '6').exec(), /CROSSSLOT/);
  await assert.rejects(c.multi().set('{tx}a', '7').mset('{tx}a', '1', `{${tag2}}b`, '2').exec(),
    /EXECABORT/);
  assert.equal(await c.get('{tx}a'), '2');
  assert.equal(await c.get(`{${tag2}}b`), null);
  c.disconnect();
});

test('ASK during a migration, MOVED after it, no key lost', async () => {
  const cluster = newCluster();
  const slot = keySlot('{mig}');
  const src = ownerOf(slot);
  const dst = node((owner[slot] + 1) % 3);
  const p = cluster.pipeline();
  for (let i = 0; i < 300; i++) p.set(`{mig}:${i}`, `v${i}`);
  await p.exec();
  // 1000 keys of other slots, checked at the end too.
  const bg = Array.from({ length: 1000 }, (_, i) => `bg:${i}`).filter((k) => keySlot(k) !== slot);
  await Promise.all(bg.map((k) => cluster.set(k, k)));

  await beginMove(slot, src, dst);
  const moved = await migrateBatch(slot, src, dst, 100);
  assert.equal(moved.length, 100);
  await assert.rejects(src.c.get(moved[0]), { message: `ASK ${slot} 127.0.0.1:${dst.port}` });
  // The cluster client reads every key (ASK for the moved ones) and writes new ones.
  for (let i = 0; i < 300; i++) assert.equal(await cluster.get(`{mig}:${i}`), `v${i}`);
  for (let i = 0; i < 50; i++) assert.equal(await cluster.set(`{mig}:new:${i}`, String(i)), 'OK');
  assert.equal(await cluster.set(moved[0], 'updated'), 'OK');
  assert.equal(await dst.c.call('CLUSTER', 'COUNTKEYSINSLOT', slot), 150);

  await finishMove(slot, src, dst);
  await assert.rejects(src.c.get('{mig}:0'), { message: `MOVED ${slot} 127.0.0.1:${dst.port}` });
  // The client's map is stale: it follows MOVED.
  const names = Array.from({ length: 300 }, (_, i) => `{mig}:${i}`);
  const values = await cluster.mget(...names);
  names.forEach((k, i) => assert.equal(values[i], k === moved[0] ? 'updated' : `v${i}`, k));
  for (let i = 0; i < 50; i++) assert.equal(await cluster.get(`{mig}:new:${i}`), String(i));
  assert.deepEqual(await Promise.all(bg.map((k) => cluster.get(k))), bg);
  assert.equal(await src.c.call('CLUSTER', 'COUNTKEYSINSLOT', slot), 0);
  assert.equal(await dst.c.call('CLUSTER', 'COUNTKEYSINSLOT', slot), 350);
  assert.equal(await cluster.set('{mig}:after', '1'), 'OK');
  assert.equal(await dst.c.get('{mig}:after'), '1');
});
