'use client';
// Runs an install or uninstall and follows its progress: the API streams one JSON event per
// line (NDJSON) when asked with Accept: application/x-ndjson — steps as they start and end,
// their output, then the result or the error.
import type { ApiErrorBody, InstallEvent } from '@airunway/schema';
import { useCallback, useRef, useState } from 'react';
import { ApiRequestError } from './api-client';

export interface OperationStep {
  readonly step: string;
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly output: readonly string[];
}

export interface OperationState {
  readonly running: boolean;
  readonly steps: readonly OperationStep[];
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly error: string; readonly code: string };
}

const IDLE: OperationState = { running: false, steps: [] };

function applyEvent(state: OperationState, event: InstallEvent): OperationState {
  switch (event.event) {
    case 'step': {
      const existing = state.steps.find((s) => s.step === event.step);
      const steps = existing
        ? state.steps.map((s) => (s.step === event.step ? { ...s, status: event.status } : s))
        : [...state.steps, { step: event.step, status: event.status, output: [] }];
      return { ...state, steps };
    }
    case 'output':
      return {
        ...state,
        steps: state.steps.map((s) =>
          s.step === event.step ? { ...s, output: [...s.output, event.line].slice(-200) } : s,
        ),
      };
    case 'result':
      return { ...state, running: false, result: event.result };
    case 'error':
      return { ...state, running: false, error: event.error };
  }
}

export function useOperationStream(): [OperationState, (path: string) => Promise<void>, () => void] {
  const [state, setState] = useState<OperationState>(IDLE);
  const busy = useRef(false);
  const run = useCallback(async (path: string) => {
    if (busy.current) return;
    busy.current = true;
    setState({ running: true, steps: [] });
    try {
      const response = await fetch(`/api${path}`, {
        method: 'POST',
        headers: { accept: 'application/x-ndjson' },
        credentials: 'same-origin',
      });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => undefined)) as ApiErrorBody | undefined;
        const error = body ?? {
          error: `The server answered ${response.status}`,
          code: 'INTERNAL_ERROR',
          details: {},
        };
        if (response.status === 401) throw new ApiRequestError(401, 'UNAUTHORIZED', error.error);
        setState((s) => ({ ...s, running: false, error }));
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        const events = lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as InstallEvent);
        setState((s) => events.reduce(applyEvent, s));
      }
      setState((s) => (s.running ? { ...s, running: false } : s));
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 401) {
        window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      setState((s) => ({
        ...s,
        running: false,
        error: { error: err instanceof Error ? err.message : String(err), code: 'NETWORK_ERROR' },
      }));
    } finally {
      busy.current = false;
    }
  }, []);
  const reset = useCallback(() => {
    setState(IDLE);
  }, []);
  return [state, run, reset];
}
