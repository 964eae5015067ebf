// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// express 4 + express-session with connect-redis 9 (node-redis v5 only: GET, SET EX, EXPIRE,
// DEL; no scripts) on an HTTP server on 127.0.0.1, driven by Node's fetch: a session is created,
// read back with its cookie, touched by a later request (rolling: the key's TTL slides back up),
// changed, and destroyed (its key is gone). Run against redis-server and ringkv; the outcomes
// must be equal.
import assert from 'node:assert/strict';
import express from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { scenarioTests, sleep } from './scenario.js';

const MAX_AGE_MS = 60000;

async function sessionScenario({ host, port, defer }) {
  const client = createClient({ socket: { host, port, reconnectStrategy: false } });
  client.on('error', () => {});
  defer(() => client.destroy());
  await client.connect();

  const app = express();
  app.use(session({
    store: new RedisStore({ client, prefix: 'sess:' }),
    secret: 'ringkv scenario secret',
    name: 'sid',
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { maxAge: MAX_AGE_MS, httpOnly: true },
  }));
  app.get('/set', (req, res) => {
    req.session.value = req.query.v;
    req.session.visits = (req.session.visits ?? 0) + 1;
    res.json({ ok: true });
  });
  app.get('/get', (req, res) => res.json(
    { value: req.session.value ?? null, visits: req.session.visits ?? 0 }));
  app.get('/destroy', (req, res, next) => req.session.destroy(
    (err) => (err ? next(err) : res.json({ ok: true }))));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  defer(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  const base = `http://127.0.0.1:${server.address().port}`;

  let cookie = null;
  const request = async (pathAndQuery) => {
    const res = await fetch(base + pathAndQuery, { headers: cookie ? { cookie } : {} });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    return { status: res.status, body: await res.json(), setCookie: setCookie !== null };
  };
  // The session id is the signed cookie's value: s:<id>.<signature>, URL-encoded.
  const key = () => `sess:${decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0]}`;
  const stored = async () => {
    const raw = await client.get(key());
    return raw === null ? null : (({ value, visits }) => ({ value, visits }))(JSON.parse(raw));
  };

  const anonymous = await request('/get');
  const keysBefore = await client.keys('sess:*');
  const created = await request('/set?v=hello');
  const afterCreate = { stored: await stored(), keys: (await client.keys('sess:*')).length };
  const pttlCreated = await client.pTTL(key());
  const readBack = await request('/get');
  await sleep(1100);
  const pttlAged = await client.pTTL(key());
  const touched = await request('/get');
  const pttlTouched = await client.pTTL(key());
  const changed = await request('/set?v=world');
  const afterChange = await stored();
  const staleKey = key();
  const destroyed = await request('/destroy');
  const afterDestroy = { exists: await client.exists(staleKey), keys: await client.keys('sess:*') };
  const withStaleCookie = await request('/get');

  return {
    anonymous,
    keysBefore,
    created,
    afterCreate,
    ttlNearMaxAge: pttlCreated > MAX_AGE_MS - 2000 && pttlCreated <= MAX_AGE_MS,
    readBack,
    ttlAged: pttlAged < pttlCreated && pttlAged <= MAX_AGE_MS - 1000,
    touched,
    ttlSlid: pttlTouched > pttlAged,
    changed,
    afterChange,
    destroyed,
    afterDestroy,
    withStaleCookie,
  };
}

function check(o) {
  assert.deepEqual(o.anonymous, { status: 200, body: { value: null, visits: 0 }, setCookie: false },
    'saveUninitialized: false stores nothing for a visitor');
  assert.deepEqual(o.keysBefore, []);
  assert.deepEqual(o.created, { status: 200, body: { ok: true }, setCookie: true });
  assert.deepEqual(o.afterCreate, { stored: { value: 'hello', visits: 1 }, keys: 1 });
  assert.ok(o.ttlNearMaxAge, 'the key expires with the cookie');
  const hello = { status: 200, body: { value: 'hello', visits: 1 }, setCookie: true };
  assert.deepEqual(o.readBack, hello);
  assert.ok(o.ttlAged, 'the TTL runs down between requests');
  assert.deepEqual(o.touched, hello);
  assert.ok(o.ttlSlid, 'a later request (rolling) sets the TTL back up');
  assert.deepEqual(o.changed, { status: 200, body: { ok: true }, setCookie: true });
  assert.deepEqual(o.afterChange, { value: 'world', visits: 2 });
  assert.deepEqual(o.destroyed, { status: 200, body: { ok: true }, setCookie: false });
  assert.deepEqual(o.afterDestroy, { exists: 0, keys: [] });
  assert.deepEqual(o.withStaleCookie,
    { status: 200, body: { value: null, visits: 0 }, setCookie: false });
}

scenarioTests('express-session with connect-redis: create, read, touch, destroy', sessionScenario,
  { check });
