// Runs the `aiconfigurator` CLI (PyPI package aiconfigurator) with argument arrays, never
// through a shell: model ids and GPU names reach it as single arguments whatever they contain.
import { execFile } from 'node:child_process';

export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
}

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    /** not-found: no such executable; timeout; failed: it ran and exited non-zero. */
    readonly reason: 'not-found' | 'timeout' | 'failed',
  ) {
    super(message);
  }
}

/** The CLI's own complaint: argparse ends with "aiconfigurator default: error: …". */
function complaintOf(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const error = lines.reverse().find((l) => /\berror\b:/i.test(l) || /^(\w+Error|Exception)\b/.test(l));
  const text = error ?? lines[0] ?? 'no output';
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

function failure(
  err: Error & { code?: unknown; killed?: boolean },
  command: string,
  args: readonly string[],
  timeoutMs: number,
  output: string,
): CliError {
  if (err.code === 'ENOENT' || err.code === 'EACCES')
    return new CliError(`${command}: not found or not executable`, 'not-found');
  if (err.killed)
    return new CliError(`aiconfigurator did not finish within ${timeoutMs / 1000} s`, 'timeout');
  const what = args.slice(0, 2).join(' ');
  return new CliError(`aiconfigurator ${what}: ${complaintOf(output)}`, 'failed');
}

export function runCli(command: string, args: readonly string[], timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 32 * 1024 * 1024,
        // No terminal colours in what is parsed; plots are written to files, never shown.
        env: { ...process.env, NO_COLOR: '1', MPLBACKEND: 'Agg', PYTHONUNBUFFERED: '1' },
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (err) reject(failure(err, command, args, timeoutMs, `${stderr}\n${stdout}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** "aiconfigurator 0.12.0" → "0.12.0". */
export function parseVersion(output: string): string | undefined {
  return /aiconfigurator\s+v?(\d+\.\d+[\w.+-]*)/i.exec(output)?.[1];
}
