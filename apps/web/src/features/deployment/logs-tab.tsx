'use client';
// Logs of one container of one pod, followed live (Server-Sent Events from the API, which
// follows the kubelet's log stream) or as a snapshot of the last lines.
import type { PodStatus } from '@airunway/schema';
import { useEffect, useRef, useState } from 'react';
import { Button } from '~/components/button';
import { SelectField, Switch } from '~/components/field';
import { Icon } from '~/components/icon';
import { EmptyState, Notice } from '~/components/states';
import { apiPath, describeError } from '~/lib/api-client';
import { rpc, trpc } from '~/lib/trpc';
import styles from './deployment.module.css';

/** Lines kept in the browser; older ones scroll away, as in a terminal. */
const MAX_LINES = 5_000;

interface LogState {
  lines: string[];
  status: 'connecting' | 'following' | 'ended' | 'snapshot' | 'error';
  message?: string;
  pod?: string;
  container?: string;
}

function useLogs(
  namespace: string,
  name: string,
  options: {
    pod: string;
    container: string;
    tailLines: number;
    timestamps: boolean;
    follow: boolean;
    attempt: number;
  },
): LogState {
  const [state, setState] = useState<LogState>({ lines: [], status: 'connecting' });
  const { pod, container, tailLines, timestamps, follow, attempt } = options;
  useEffect(() => {
    setState({ lines: [], status: 'connecting' });
    const query = {
      namespace,
      ...(pod ? { podName: pod } : {}),
      ...(container ? { container } : {}),
      tailLines,
      timestamps,
    };
    const path = `/deployments/${encodeURIComponent(name)}/logs`;
    const controller = new AbortController();
    const snapshot = () =>
      rpc(() =>
        trpc.deployments.logs.query(
          {
            namespace,
            name,
            ...(pod ? { podName: pod } : {}),
            ...(container ? { container } : {}),
            tailLines,
            timestamps,
          },
          { signal: controller.signal },
        ),
      );
    if (!follow) {
      snapshot()
        .then((r) => {
          setState({
            lines: r.logs ? r.logs.replace(/\n$/, '').split('\n') : [],
            status: 'snapshot',
            ...(r.message ? { message: r.message } : {}),
            ...(r.podName ? { pod: r.podName } : {}),
            ...(r.container ? { container: r.container } : {}),
          });
        })
        .catch((err: unknown) => {
          if (!controller.signal.aborted)
            setState({ lines: [], status: 'error', message: describeError(err) });
        });
      return () => {
        controller.abort();
      };
    }
    const source = new EventSource(apiPath(path, { ...query, follow: true }));
    let pending: string[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      setState((s) => {
        const lines = s.lines.concat(batch);
        return {
          ...s,
          status: 'following',
          lines: lines.length > MAX_LINES ? lines.slice(-MAX_LINES) : lines,
        };
      });
    };
    source.addEventListener('meta', (e: MessageEvent<string>) => {
      const meta = JSON.parse(e.data) as { podName?: string; container?: string };
      setState((s) => ({
        ...s,
        status: 'following',
        ...(meta.podName ? { pod: meta.podName } : {}),
        ...(meta.container ? { container: meta.container } : {}),
      }));
    });
    source.addEventListener('log', (e: MessageEvent<string>) => {
      pending.push(JSON.parse(e.data) as string);
      frame ||= requestAnimationFrame(flush);
    });
    source.addEventListener('end', (e: MessageEvent<string>) => {
      const { message } = JSON.parse(e.data) as { message?: string };
      source.close();
      if (frame) cancelAnimationFrame(frame);
      flush();
      setState((s) => ({ ...s, status: 'ended', ...(message ? { message } : {}) }));
    });
    source.addEventListener('error', (e) => {
      if (e instanceof MessageEvent && typeof e.data === 'string') {
        const body = JSON.parse(e.data) as { error?: string };
        setState((s) => ({ ...s, status: 'error', message: body.error ?? 'The log stream failed' }));
        source.close();
        return;
      }
      if (source.readyState !== EventSource.CLOSED) return;
      // The API refused the stream; EventSource hides why, a plain read of the same logs says it.
      snapshot()
        .then((r) => {
          setState((s) => ({
            ...s,
            status: 'error',
            message: r.message ?? 'The log stream closed. Follow is off: showing the last lines instead.',
          }));
        })
        .catch((err: unknown) => {
          setState((s) => ({ ...s, status: 'error', message: describeError(err) }));
        });
    });
    return () => {
      source.close();
      controller.abort();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [namespace, name, pod, container, tailLines, timestamps, follow, attempt]);
  return state;
}

/** The choices of "Last lines": what the API reads at most is well above the largest. */
const TAIL_LINES = [100, 500, 1000, 5000] as const;

export function LogsTab({
  namespace,
  name,
  pods,
}: {
  namespace: string;
  name: string;
  pods: readonly PodStatus[];
}) {
  const [pod, setPod] = useState('');
  const [container, setContainer] = useState('');
  const [tailLines, setTailLines] = useState(500);
  const [timestamps, setTimestamps] = useState(false);
  const [follow, setFollow] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const logs = useLogs(namespace, name, { pod, container, tailLines, timestamps, follow, attempt });
  const output = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    const el = output.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [logs.lines]);

  if (pods.length === 0)
    return (
      <EmptyState icon="terminal" title="No pods, no logs yet">
        Logs appear here as soon as the provider has started a pod.
      </EmptyState>
    );
  const shownPod = pods.find((p) => p.name === (pod || logs.pod));
  return (
    <div>
      <div className={styles.logsToolbar}>
        <SelectField
          label="Pod"
          value={pod}
          onChange={(v) => {
            setPod(v);
            setContainer('');
          }}
          options={[
            { value: '', label: `Default (${logs.pod ?? pods[0]?.name ?? ''})` },
            ...pods.map((p) => ({ value: p.name, label: `${p.name} · ${p.phase}` })),
          ]}
        />
        <SelectField
          label="Container"
          value={container}
          onChange={setContainer}
          options={[
            { value: '', label: `Default${logs.container ? ` (${logs.container})` : ''}` },
            ...(shownPod?.containers ?? []).map((c) => ({ value: c, label: c })),
          ]}
        />
        <SelectField
          label="Last lines"
          value={String(tailLines)}
          onChange={(v) => {
            setTailLines(Number(v));
          }}
          options={TAIL_LINES.map((n) => ({ value: String(n), label: n }))}
        />
        <div className={styles.switches}>
          <Switch label="Follow" checked={follow} onChange={setFollow} />
          <Switch label="Timestamps" checked={timestamps} onChange={setTimestamps} />
        </div>
      </div>
      {logs.status === 'error' && (
        <Notice tone="danger" title="Logs unavailable" role="alert">
          {logs.message}{' '}
          <Button
            size="small"
            onClick={() => {
              setAttempt((n) => n + 1);
            }}
          >
            <Icon name="refresh" size={14} /> Retry
          </Button>
        </Notice>
      )}
      <pre
        ref={output}
        className={styles.logs}
        tabIndex={0}
        aria-label={`Logs of ${logs.pod ?? 'the pod'}`}
        data-testid="logs"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {logs.lines.length > 0
          ? logs.lines.join('\n')
          : logs.status === 'connecting'
            ? 'Connecting…'
            : logs.status === 'error'
              ? 'No output.'
              : (logs.message ?? 'No output yet.')}
      </pre>
      <p className={styles.logsStatus} role="status">
        {logs.status === 'following' && (
          <>
            <Icon name="progress" size={14} /> Following {logs.pod}
            {logs.container ? ` / ${logs.container}` : ''}
          </>
        )}
        {logs.status === 'ended' && (logs.message ?? 'The stream ended.')}
        {logs.status === 'snapshot' &&
          (logs.message ?? `Showing the last ${logs.lines.length} lines of ${logs.pod ?? 'the pod'}`)}
        {logs.lines.length >= MAX_LINES && ` · keeping the latest ${MAX_LINES} lines`}
      </p>
    </div>
  );
}
