// Child processes of the stack: each in its own process group (so stopping it stops whatever
// it started), its output written to a log file under test-results/logs, and stopped when
// this process exits however it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface RunningProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  stop(): Promise<void>;
}

const running = new Set<RunningProcess>();
process.once('exit', () => {
  for (const p of running) {
    try {
      if (p.child.pid) process.kill(-p.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string | undefined>; logDir: string },
): RunningProcess {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const handle: RunningProcess = {
    name,
    child,
    logFile,
    stop: async () => {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Exited meanwhile.
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(handle);
  return handle;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('no port'));
        return;
      }
      server.close(() => {
        resolve(address.port);
      });
    });
  });
}

/** Polls `url` until `ready(response)` or the process dies or time runs out. */
export async function waitForHttp(
  url: string,
  owner: RunningProcess,
  ready: (response: Response) => boolean = (r) => r.ok,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (owner.child.exitCode !== null)
      throw new Error(`${owner.name} exited with ${owner.child.exitCode}; see ${owner.logFile}`);
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5_000) });
      if (ready(response)) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${owner.name} not ready at ${url} after ${timeoutMs} ms (${last}); see ${owner.logFile}`);
}
