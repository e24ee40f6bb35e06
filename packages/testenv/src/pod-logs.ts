// Container logs for pods on simulated nodes. kwok runs no containers, but its kubelet server
// can serve a file in the CRI log format (what container runtimes write and the kubelet reads)
// as the logs of every container. The file says plainly where the lines come from, and tests
// append to it to see followed logs move.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Name of the shared log file in the control plane's work directory. */
const POD_LOG_FILE = 'simulated-pods.cri';

/** What every simulated container "prints" before anything is appended. */
export const SIMULATED_POD_LOG_LINES: readonly string[] = [
  'This pod runs on a simulated node (kwok): no container process was started.',
  'These lines come from the local AI Runway control plane so that log viewers can be tried.',
  'Every container of every simulated pod shows the same lines; new lines appear as they are appended.',
];

/**
 * One line in the CRI log format: `<RFC 3339 time> <stream> F <text>` ("F" marks a full line,
 * not a fragment of a longer one). Line breaks in `text` would start new records, so a
 * multi-line text becomes several lines.
 */
export function criLogLines(text: string, time = new Date(), stream: 'stdout' | 'stderr' = 'stdout'): string {
  return text
    .split(/\r?\n/)
    .map((line) => `${time.toISOString()} ${stream} F ${line}\n`)
    .join('');
}

/** Writes the log file with the introductory lines and returns its path. */
export async function writePodLogFile(workDir: string): Promise<string> {
  const path = join(workDir, POD_LOG_FILE);
  const now = new Date();
  await writeFile(path, SIMULATED_POD_LOG_LINES.map((l) => criLogLines(l, now)).join(''));
  return path;
}

/**
 * Appends `text` to the simulated containers' log; whoever follows a pod's logs on the control
 * plane (`kubectl logs -f`, the apiserver's stream) receives it.
 */
export async function appendPodLog(podLogFile: string, text: string): Promise<void> {
  // One write per call, so a follower never sees half a record.
  await appendFile(podLogFile, criLogLines(text));
}

/**
 * kwok's configuration: the node and pod stages plus a ClusterLogs that gives every container of
 * every pod (no selector, no container list) the log file, followed as it grows. kwok reads
 * several documents from one --config file.
 */
export async function kwokConfig(stagesFile: string, podLogFile: string): Promise<string> {
  const stages = await readFile(stagesFile, 'utf8');
  const clusterLogs = JSON.stringify({
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name: 'simulated-pods' },
    spec: { logs: [{ logsFile: podLogFile, follow: true }] },
  });
  // The stages file may end with a document separator already.
  return `${stages.replace(/(\n---)?\s*$/, '\n')}---\n${clusterLogs}\n`;
}
