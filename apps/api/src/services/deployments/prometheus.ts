// The Prometheus text exposition format (version 0.0.4, and the OpenMetrics text vLLM and
// llama.cpp may also serve): `# TYPE` lines and samples `name{label="value",…} value [time]`.

export interface ParsedSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  /** counter, gauge, histogram, … of its family, when declared. */
  readonly type?: string;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const FAMILY_SUFFIXES = ['_bucket', '_sum', '_count', '_created', '_total', '_info'];

function parseValue(text: string): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Labels from just after `{`; returns them and the index after `}` (or -1 when malformed). */
function parseLabels(line: string, start: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return [labels, i + 1];
    const name = NAME.exec(line.slice(i))?.[0];
    if (!name) return [labels, -1];
    i += name.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=' || line[i + 1] !== '"') return [labels, -1];
    i += 2;
    let value = '';
    for (; i < line.length && line[i] !== '"'; i++) {
      if (line[i] === '\\') {
        const next = line[++i];
        value += next === 'n' ? '\n' : (next ?? '');
      } else value += line[i] ?? '';
    }
    if (line[i] !== '"') return [labels, -1];
    labels[name] = value;
    i++;
  }
}

function familyType(name: string, types: ReadonlyMap<string, string>): string | undefined {
  const direct = types.get(name);
  if (direct) return direct;
  for (const suffix of FAMILY_SUFFIXES)
    if (name.endsWith(suffix)) {
      const type = types.get(name.slice(0, -suffix.length));
      if (type) return type;
    }
  return undefined;
}

/** Every sample with a finite value; malformed lines are skipped. */
export function parsePrometheusText(text: string): ParsedSample[] {
  const types = new Map<string, string>();
  const samples: ParsedSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const type = /^#\s+TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (type?.[1] && type[2]) types.set(type[1], type[2]);
      continue;
    }
    const name = NAME.exec(line)?.[0];
    if (!name) continue;
    let rest = name.length;
    let labels: Record<string, string> = {};
    if (line[rest] === '{') {
      const [parsed, end] = parseLabels(line, rest + 1);
      if (end < 0) continue;
      labels = parsed;
      rest = end;
    }
    const value = parseValue(line.slice(rest).trim().split(/\s+/)[0] ?? '');
    if (!Number.isFinite(value)) continue;
    const type = familyType(name, types);
    samples.push({ name, labels, value, ...(type ? { type } : {}) });
  }
  return samples;
}
