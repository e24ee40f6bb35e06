// Reads the status the cluster autoscaler writes to the ConfigMap kube-system/
// cluster-autoscaler-status (key `status`). Since cluster-autoscaler 1.30 it is YAML
// (time, autoscalerStatus, clusterWide.health, nodeGroups[].health.{status,minSize,maxSize,
// nodeCounts}); earlier releases wrote a human-readable text with the same facts. Both are read.
import type { AutoscalerNodeGroup } from '@airunway/schema';
import { parse as parseYaml } from 'yaml';
import type { CachedConfigMap } from '../cache/objects.js';

export const LAST_UPDATED_ANNOTATION = 'cluster-autoscaler.kubernetes.io/last-updated';

export interface ParsedAutoscalerStatus {
  /** Cluster-wide health: Healthy, Unhealthy, or Unknown when the status does not say. */
  readonly health: string;
  readonly lastUpdated: Date | undefined;
  readonly nodeGroups: readonly AutoscalerNodeGroup[];
}

/**
 * Go's time.Time.String(), which the autoscaler writes ("2024-01-15 10:30:00.123456789 +0000
 * UTC m=+12.3"), or RFC 3339.
 */
export function parseAutoscalerTime(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?/.exec(text.trim());
  if (!m) return undefined;
  const fraction = m[3] ? m[3].slice(0, 4) : '';
  const zone =
    !m[4] || m[4] === 'Z' ? 'Z' : m[4].includes(':') ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
  const date = new Date(`${m[1]}T${m[2]}${fraction}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

interface YamlNodeGroup {
  name?: string;
  health?: {
    status?: string;
    minSize?: number;
    maxSize?: number;
    cloudProviderTarget?: number;
    nodeCounts?: { registered?: { total?: number } };
  };
}

interface YamlStatus {
  time?: string;
  autoscalerStatus?: string;
  clusterWide?: { health?: { status?: string; lastProbeTime?: string } };
  nodeGroups?: YamlNodeGroup[];
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0);

function fromYaml(doc: YamlStatus): Omit<ParsedAutoscalerStatus, 'lastUpdated'> & { time: Date | undefined } {
  return {
    health: doc.clusterWide?.health?.status ?? 'Unknown',
    time: parseAutoscalerTime(doc.time) ?? parseAutoscalerTime(doc.clusterWide?.health?.lastProbeTime),
    nodeGroups: (doc.nodeGroups ?? []).map((g) => ({
      name: g.name ?? '',
      health: g.health?.status ?? 'Unknown',
      minSize: count(g.health?.minSize),
      maxSize: count(g.health?.maxSize),
      currentSize: count(g.health?.nodeCounts?.registered?.total ?? g.health?.cloudProviderTarget),
    })),
  };
}

/** The text format: "Cluster-autoscaler status at <time>:", "Cluster-wide:", "NodeGroups:" with "Name:"/"Health:" lines. */
function fromText(text: string): Omit<ParsedAutoscalerStatus, 'lastUpdated'> & { time: Date | undefined } {
  const time = parseAutoscalerTime(/status at (.+?):?\s*$/m.exec(text)?.[1]);
  const [clusterWide = '', groups = ''] = text.split(/^\s*NodeGroups:\s*$/m);
  const health = /Health:\s*(\w+)/.exec(clusterWide)?.[1] ?? 'Unknown';
  const nodeGroups = [...groups.matchAll(/Name:\s*(\S+)\s*\n\s*Health:\s*(\w+)([^\n]*)/g)].map((m) => {
    const details = m[3] ?? '';
    const n = (key: string) => count(Number(new RegExp(`${key}=(\\d+)`).exec(details)?.[1]));
    const registered = new RegExp('registered=(\\d+)').exec(details)?.[1];
    return {
      name: m[1] ?? '',
      health: m[2] ?? 'Unknown',
      minSize: n('minSize'),
      maxSize: n('maxSize'),
      currentSize: registered !== undefined ? n('registered') : n('cloudProviderTarget'),
    };
  });
  return { health, time, nodeGroups };
}

function yamlDocument(text: string): YamlStatus | undefined {
  try {
    const doc: unknown = parseYaml(text);
    if (
      doc &&
      typeof doc === 'object' &&
      ('clusterWide' in doc || 'nodeGroups' in doc || 'autoscalerStatus' in doc)
    )
      return doc as YamlStatus;
  } catch {
    // Not YAML: the text format.
  }
  return undefined;
}

export function parseAutoscalerStatus(cm: CachedConfigMap): ParsedAutoscalerStatus {
  const text = cm.data?.status ?? '';
  const doc = yamlDocument(text);
  const parsed = doc ? fromYaml(doc) : fromText(text);
  return {
    health: parsed.health,
    nodeGroups: parsed.nodeGroups,
    lastUpdated: parsed.time ?? parseAutoscalerTime(cm.metadata.annotations?.[LAST_UPDATED_ANNOTATION]),
  };
}
