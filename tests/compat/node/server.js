// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Starts a server on a free loopback port for one test file and stops it afterwards: the
// ringkv-server named by RINGKV_SERVER_BIN (two worker threads) by default, or with
// startServer({ reference: true }) Debian's redis-server (RINGKV_REDIS_SERVER_BIN overrides
// /usr/bin/redis-server), so a scenario can be run against both and the outcomes compared.
//
// RINGKV_NODE_MONITOR_DIR=<dir> (a debugging aid, unset in ctest): each server started gets a
// MONITOR connection whose output is written to <dir>/<kind>-<port>.monitor, to see which
// commands a library sends.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REDIS_SERVER_BIN = process.env.RINGKV_REDIS_SERVER_BIN || '/usr/bin/redis-server';

// Why the reference server cannot run here, or null when it can (for a test's `skip`).
export function referenceMissing() {
  try {
    fs.accessSync(REDIS_SERVER_BIN, fs.constants.X_OK);
    return null;
  } catch {
    return `${REDIS_SERVER_BIN} is not installed`;
  }
}

function freePort(port = 0) {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(port, '127.0.0.1', () => {
      const { port: bound } = s.address();
      s.close(() => resolve(bound));
    });
    s.on('error', reject);
  });
}

// A free port below 55536, so that a cluster node's bus port (port + 10000, which CLUSTER NODES
// and SETTOPOLOGY carry) is a port number.
async function freeClusterPort() {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 35000);
    try {
      return await freePort(port);
    } catch {
      // taken: try another
    }
  }
  throw new Error('no free port');
}

function answersPing(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.on('connect', () => c.write('PING\r\n'));
    c.on('data', (d) => { c.destroy(); resolve(d.toString().startsWith('+PONG')); });
    c.on('error', () => resolve(false));
  });
}

function startMonitor(port, file) {
  const out = fs.createWriteStream(file);
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => c.write('MONITOR\r\n'));
  c.on('error', () => {});
  c.pipe(out);
  return () => { c.destroy(); out.end(); };
}

// cluster: true starts ringkv with cluster-enabled yes and cluster-announce-ip 127.0.0.1.
export async function startServer({ reference = false, cluster = false } = {}) {
  const kind = reference ? 'redis-server' : 'ringkv';
  const port = cluster ? await freeClusterPort() : await freePort();
  // An empty directory of its own: no snapshot of the working directory is loaded.
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), reference ? 'ringkv-node-ref-' : 'ringkv-node-'));
  let proc;
  if (reference) {
    const why = referenceMissing();
    if (why) throw new Error(why);
    proc = spawn(REDIS_SERVER_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
      '--appendonly', 'no', '--dir', dir, '--notify-keyspace-events', 'Ex'],
    { stdio: 'ignore' });
  } else {
    const bin = process.env.RINGKV_SERVER_BIN;
    if (!bin) throw new Error('RINGKV_SERVER_BIN is not set (run through ctest)');
    const clusterArgs = cluster
      ? ['--cluster-enabled', 'yes', '--cluster-announce-ip', '127.0.0.1'] : [];
    proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--threads', '2',
      '--save', '', '--dir', dir, '--notify-keyspace-events', 'Ex', ...clusterArgs],
    { stdio: 'ignore' });
  }
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const deadline = Date.now() + 20000;
  while (!(await answersPing(port))) {
    if (Date.now() > deadline || proc.exitCode !== null || proc.signalCode !== null) {
      proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`${kind} did not start`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const monitorDir = process.env.RINGKV_NODE_MONITOR_DIR;
  const stopMonitor = monitorDir
    ? startMonitor(port, path.join(monitorDir, `${kind}-${port}.monitor`))
    : () => {};
  let stopping;
  return {
    port,
    kind,
    // Safe to call more than once; SIGKILL when SIGTERM has not ended the server in 5 s.
    stop: () => {
      stopping ??= (async () => {
        stopMonitor();
        if (proc.exitCode === null && proc.signalCode === null) {
          proc.kill('SIGTERM');
          const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
