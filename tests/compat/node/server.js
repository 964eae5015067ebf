// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Starts the ringkv-server named by RINGKV_SERVER_BIN on a free loopback port for one test file
// (two worker threads) and stops it afterwards.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function answersPing(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.on('connect', () => c.write('PING\r\n'));
    c.on('data', (d) => { c.destroy(); resolve(d.toString().startsWith('+PONG')); });
    c.on('error', () => resolve(false));
  });
}

export async function startServer() {
  const bin = process.env.RINGKV_SERVER_BIN;
  if (!bin) throw new Error('RINGKV_SERVER_BIN is not set (run through ctest)');
  const port = await freePort();
  // An empty directory of its own: no snapshot of the working directory is loaded.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringkv-node-'));
  const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--threads', '2', '--save', '',
    '--dir', dir, '--notify-keyspace-events', 'Ex'],
    { stdio: 'ignore' });
  const deadline = Date.now() + 20000;
  while (!(await answersPing(port))) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error('ringkv-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: () => new Promise((resolve) => {
      proc.on('exit', () => { fs.rmSync(dir, { recursive: true, force: true }); resolve(); });
      proc.kill('SIGTERM');
    }),
  };
}
