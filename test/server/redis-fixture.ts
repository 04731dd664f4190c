/**
 * A throwaway redis-server for tests: `redis-server --port <free> --save "" --appendonly no`
 * (Debian's /usr/bin/redis-server, or REDIS_SERVER_PATH), stopped with `stop()`.
 */
import { spawn } from 'node:child_process';
import { freePort } from '../helpers/net.ts';

export interface RedisFixture {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts redis-server and resolves once it accepts connections (≤ 10 s).
 * @param port default: a free one; pass the port of a stopped fixture to restart Redis where
 *   clients already point (an outage and its end).
 */
export async function startRedis(port?: number): Promise<RedisFixture> {
  port ??= await freePort();
  const child = spawn(
    process.env.REDIS_SERVER_PATH || 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run redis-server (apt-get install redis-server): ${err.message}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
