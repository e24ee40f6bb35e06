// Test helpers: ModelDeployments parsed (and defaulted) by the schema, as the operator sees them.
import { readFileSync } from 'node:fs';
import {
  parseModelDeployment,
  parseModelDeploymentSpec,
  type ModelDeployment,
  type ModelDeploymentInput,
  type ModelDeploymentSpec,
  type ModelDeploymentSpecInput,
  type ProviderName,
} from '@airunway/schema';
import { parse } from 'yaml';
import { usableProviders, type ClusterFacts, type ProviderUsability } from '../usability.js';
import { PROVIDER_CATALOGUE } from '../catalogue.js';

export function md(input: Omit<ModelDeploymentInput, 'apiVersion' | 'kind'>): ModelDeployment {
  const result = parseModelDeployment({
    apiVersion: 'airunway.ai/v1alpha1',
    kind: 'ModelDeployment',
    ...input,
  });
  if (!result.success) throw new Error(`invalid ModelDeployment: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export function spec(input: ModelDeploymentSpecInput): ModelDeploymentSpec {
  const result = parseModelDeploymentSpec(input);
  if (!result.success) throw new Error(`invalid spec: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** An example of packages/schema/src/examples, parsed. */
export function example(name: string): ModelDeployment {
  const url = new URL(`../../../schema/src/examples/${name}.yaml`, import.meta.url);
  const result = parseModelDeployment(parse(readFileSync(url, 'utf8')));
  if (!result.success) throw new Error(`invalid example ${name}: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** Facts of a cluster where exactly `installed` providers are installed and running. */
export function factsWith(...installed: ProviderName[]): ClusterFacts {
  return {
    establishedCrds: installed.flatMap((p) => PROVIDER_CATALOGUE[p].detection.crds),
    readyOperators: installed.filter((p) => PROVIDER_CATALOGUE[p].detection.operator.length > 0),
  };
}

export function usability(...installed: ProviderName[]): ProviderUsability {
  return usableProviders(factsWith(...installed));
}

export const ALL: ProviderName[] = ['dynamo', 'kaito', 'kuberay', 'llmd', 'vllm'];
