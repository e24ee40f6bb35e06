// Runs the real Helm binary: an argument array (no shell, so nothing in a value is ever
// interpreted), an environment of its own (Helm's cache, config and data under the product's
// cache directory; none of the API's variables but PATH and proxies, so no ambient
// KUBECONFIG or in-cluster account leaks in), a deadline, and output captured line by line
// for streaming. Credentials come only through the kubeconfig file of the run, and every
// output is scrubbed of them.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface HelmRunnerOptions {
  /** The helm binary: a path, or a name looked up on PATH. */
  readonly helmPath: string;
  /** Helm's homes (cache, config, data) and the runs' temporary files live below this. */
  readonly homeDir: string;
  /** The only variables Helm inherits (PATH, proxies). */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** Deadline of a run unless it sets its own. */
  readonly defaultTimeoutMs: number;
}

export interface HelmInvocation {
  readonly args: readonly string[];
  /** Kubeconfig to act with; without one Helm has no cluster credentials at all. */
  readonly kubeconfig?: string;
  readonly timeoutMs?: number;
  /** Strings to replace with `[redacted]` wherever they appear in the output. */
  readonly secrets?: readonly string[];
  /** Each line Helm prints (stdout and stderr, in arrival order), already scrubbed. */
  readonly onLine?: (line: string) => void;
}

export interface HelmResult {
  /** Exit code; null when Helm was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Both streams as the lines were printed (the last 256 KiB). */
  readonly transcript: string;
  readonly timedOut: boolean;
}

/** Helm could not be started: missing binary, or not executable. */
export class HelmUnavailableError extends Error {
  override readonly name = 'HelmUnavailableError';
}

const KILL_GRACE_MS = 5_000;
const MAX_TRANSCRIPT = 256 * 1024;
const MAX_STDOUT = 64 * 1024 * 1024;

export class HelmRunner {
  private homes: Promise<Record<string, string>> | undefined;

  constructor(readonly options: HelmRunnerOptions) {}

  /** Where temporary files of runs (kubeconfigs, pulled charts) go; private to the API. */
  async workDir(): Promise<string> {
    await this.helmHomes();
    return join(this.options.homeDir, 'run');
  }

  private helmHomes(): Promise<Record<string, string>> {
    this.homes ??= (async () => {
      const base = this.options.homeDir;
      const dirs = {
        HELM_CACHE_HOME: join(base, 'cache'),
        HELM_CONFIG_HOME: join(base, 'config'),
        HELM_DATA_HOME: join(base, 'data'),
        HOME: join(base, 'home'),
      };
      for (const dir of [...Object.values(dirs), join(base, 'run')])
        await mkdir(dir, { recursive: true, mode: 0o700 });
      return dirs;
    })().catch((err: unknown) => {
      this.homes = undefined;
      throw err;
    });
    return this.homes;
  }

  /** `helm version`, e.g. "v4.2.4"; throws HelmUnavailableError when Helm cannot run. */
  async version(): Promise<string> {
    const result = await this.run({ args: ['version', '--template', '{{.Version}}'], timeoutMs: 10_000 });
    if (result.code !== 0)
      throw new HelmUnavailableError(`helm version failed: ${lastLine(result.transcript) || 'no output'}`);
    return result.stdout.trim();
  }

  async run(invocation: HelmInvocation): Promise<HelmResult> {
    const homes = await this.helmHomes();
    const env: Record<string, string> = { ...this.options.baseEnv, ...homes };
    if (invocation.kubeconfig) env.KUBECONFIG = invocation.kubeconfig;
    const scrub = scrubber(invocation.secrets ?? []);
    const timeoutMs = invocation.timeoutMs ?? this.options.defaultTimeoutMs;

    return new Promise<HelmResult>((resolve, reject) => {
      const child = spawn(this.options.helmPath, [...invocation.args], {
        env,
        cwd: homes.HOME,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: a timeout kills Helm and anything it started (plugins).
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      const transcript = new Tail(MAX_TRANSCRIPT);
      let timedOut = false;
      const emit = (line: string) => {
        const clean = scrub(line);
        transcript.push(clean);
        invocation.onLine?.(clean);
      };
      const lines = (onText: (text: string) => void) => {
        let partial = '';
        return {
          push(text: string) {
            onText(text);
            partial += text;
            const parts = partial.split('\n');
            partial = parts.pop() ?? '';
            for (const part of parts) emit(part.replace(/\r$/, ''));
          },
          flush() {
            if (partial) emit(partial);
            partial = '';
          },
        };
      };
      const out = lines((t) => {
        if (stdout.length < MAX_STDOUT) stdout += t;
      });
      const err = lines((t) => {
        if (stderr.length < MAX_TRANSCRIPT) stderr += t;
      });
      child.stdout.setEncoding('utf8').on('data', (t: string) => {
        out.push(t);
      });
      child.stderr.setEncoding('utf8').on('data', (t: string) => {
        err.push(t);
      });

      const killGroup = (signal: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        } catch {
          // Already gone.
        }
      };
      let killTimer: NodeJS.Timeout | undefined;
      const deadline = setTimeout(() => {
        timedOut = true;
        killGroup('SIGTERM');
        killTimer = setTimeout(() => {
          killGroup('SIGKILL');
        }, KILL_GRACE_MS);
      }, timeoutMs);

      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(deadline);
        clearTimeout(killTimer);
        if (error.code === 'ENOENT' || error.code === 'EACCES')
          reject(
            new HelmUnavailableError(
              `Helm was not found at "${this.options.helmPath}" (${error.code}); install Helm 3.8 or newer, or set HELM_PATH`,
            ),
          );
        else reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(deadline);
        clearTimeout(killTimer);
        out.flush();
        err.flush();
        if (timedOut) emit(`helm did not finish within ${timeoutMs / 1000} s and was stopped`);
        resolve({
          code,
          stdout: scrub(stdout),
          stderr: scrub(stderr),
          transcript: transcript.text(),
          timedOut,
        });
      });
    });
  }
}

/** The last `max` characters of a stream of lines, without copying them per line. */
class Tail {
  private lines: string[] = [];
  private size = 0;

  constructor(private readonly max: number) {}

  push(line: string): void {
    this.lines.push(line);
    this.size += line.length + 1;
    if (this.size > 2 * this.max) {
      let drop = 0;
      while (this.size > this.max && drop < this.lines.length - 1)
        this.size -= (this.lines[drop++]?.length ?? 0) + 1;
      this.lines = this.lines.slice(drop);
    }
  }

  text(): string {
    const joined = this.lines.join('\n');
    return joined.length > this.max ? joined.slice(-this.max) : joined;
  }
}

function scrubber(secrets: readonly string[]): (text: string) => string {
  const values = secrets.filter((s) => s.length > 0);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
}

/** The last non-empty line of Helm's output: usually the error. */
export function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? ''
  );
}
