// CustomResourceDefinitions the test control plane can install: the product's own
// (generated into deploy/crds) and the upstream provider CRDs, grouped by project.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { productCrdDir, upstreamCrdDir } from './paths.js';

export const UPSTREAM_CRD_SETS = [
  'kaito',
  'dynamo',
  'kuberay',
  'gateway-api',
  'gateway-api-inference-extension',
  'gpu-operator',
] as const;
export type UpstreamCrdSet = (typeof UPSTREAM_CRD_SETS)[number];

async function yamlFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((n) => join(dir, n));
}

export function productCrdFiles(): Promise<string[]> {
  return yamlFiles(productCrdDir);
}

export function upstreamCrdFiles(set: UpstreamCrdSet): Promise<string[]> {
  return yamlFiles(join(upstreamCrdDir(), set));
}
