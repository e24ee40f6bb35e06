import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageDir } from './paths.js';

export const BINARIES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'helm',
] as const;
export type BinaryName = (typeof BINARIES)[number];

let cached: Promise<string> | undefined;

/**
 * Returns the directory holding the control-plane binaries, building whatever is
 * missing first (scripts/build-binaries.sh; progress goes to stderr). A cold build
 * takes a few minutes on two cores, a warm one returns at once.
 */
export function ensureBinaries(): Promise<string> {
  cached ??= new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [join(packageDir, 'scripts', 'build-binaries.sh')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const dir = out.trim().split('\n').pop();
      if (code === 0 && dir) resolve(dir);
      else
        reject(new Error(`building the control-plane binaries failed (exit ${code}); see the output above`));
    });
  });
  return cached;
}

export function binaryPath(binDir: string, name: BinaryName | 'kwok-stages.yaml'): string {
  return join(binDir, name);
}
