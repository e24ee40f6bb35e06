// An install or uninstall is checked first (provider known, Helm present, permissions) and
// run second, so a refusal is a plain HTTP error while the work itself can stream. `run`
// reports each step as events; the steps' results end up in the response or, when a step
// fails, in the error's details.
import type { InstallEvent, InstallStepResult } from '@airunway/schema';
import { ApiError, toApiError } from '../errors.js';

export type EmitEvent = (event: InstallEvent) => void;

/** Work whose checks have passed. */
export interface Operation<T> {
  run(emit: EmitEvent): Promise<T>;
}

const MAX_STEP_OUTPUT = 64 * 1024;

export class StepLog {
  readonly results: InstallStepResult[] = [];

  constructor(private readonly emit: EmitEvent) {}

  /**
   * Runs one step: announces it, passes each line it prints to the client as it comes, and
   * records its output. A step fails by throwing.
   */
  async step(name: string, work: (print: (line: string) => void) => Promise<void>): Promise<void> {
    this.emit({ event: 'step', step: name, status: 'running' });
    let output = '';
    const print = (line: string) => {
      output = output ? `${output}\n${line}` : line;
      if (output.length > MAX_STEP_OUTPUT) output = output.slice(-MAX_STEP_OUTPUT);
      this.emit({ event: 'output', step: name, line });
    };
    try {
      await work(print);
    } catch (err) {
      const failure = toApiError(err);
      if (!output) print(failure.message);
      this.results.push({ step: name, success: false, output });
      this.emit({ event: 'step', step: name, status: 'failed' });
      throw err;
    }
    this.results.push({ step: name, success: true, output });
    this.emit({ event: 'step', step: name, status: 'succeeded' });
  }
}

/**
 * Runs `work` with a StepLog and returns its result; a failure comes out as an ApiError whose
 * details carry every step's result (the documented `results`) with `success: false`.
 */
export async function withSteps<T>(emit: EmitEvent, work: (log: StepLog) => Promise<T>): Promise<T> {
  const log = new StepLog(emit);
  try {
    return await work(log);
  } catch (err) {
    const failure = toApiError(err);
    throw new ApiError(
      failure.code,
      failure.message,
      { ...failure.details, success: false, results: log.results },
      err,
    );
  }
}

/** An operation that has nothing to check beforehand. */
export function operation<T>(run: (emit: EmitEvent) => Promise<T>): Operation<T> {
  return { run };
}

/** Polls an in-memory condition (a cache) until it holds; false on timeout. */
export async function waitUntil(check: () => boolean, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
