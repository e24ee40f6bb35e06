// Label selectors evaluated locally, against cached objects, with the apiserver's semantics:
// the string syntax of `?labelSelector=` ("app=x,tier!=db,env in (a,b),!legacy") and the
// metav1.LabelSelector object (matchLabels + matchExpressions). "!=" and "notin" match
// objects that lack the label, exactly as on the server.

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export type Labels = Readonly<Record<string, string>> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;

export class LabelSelectorError extends Error {
  override readonly name = 'LabelSelectorError';
}

function requirementMatcher(req: LabelSelectorRequirement): LabelMatcher {
  const values = new Set(req.values ?? []);
  switch (req.operator) {
    case 'In':
      return (l) => l?.[req.key] !== undefined && values.has(l[req.key] ?? '');
    case 'NotIn':
      return (l) => l?.[req.key] === undefined || !values.has(l[req.key] ?? '');
    case 'Exists':
      return (l) => l?.[req.key] !== undefined;
    case 'DoesNotExist':
      return (l) => l?.[req.key] === undefined;
    default:
      throw new LabelSelectorError(`unknown operator ${String(req.operator)}`);
  }
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

export function parseLabelSelector(selector: string): LabelSelectorRequirement[] {
  return splitTerms(selector).map((term): LabelSelectorRequirement => {
    let m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (m) {
      const values = (m[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      return { key: m[1] ?? '', operator: m[2] === 'in' ? 'In' : 'NotIn', values };
    }
    m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
    if (m) {
      return { key: m[1] ?? '', operator: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3] ?? ''] };
    }
    m = /^(!?)\s*([^\s!=(),]+)$/.exec(term);
    if (m) return { key: m[2] ?? '', operator: m[1] ? 'DoesNotExist' : 'Exists' };
    throw new LabelSelectorError(`cannot parse label selector term "${term}"`);
  });
}

/** A predicate for a selector string or object; an empty selector matches everything. */
export function labelMatcher(selector: string | LabelSelector | undefined): LabelMatcher {
  if (selector === undefined) return () => true;
  const requirements: LabelSelectorRequirement[] =
    typeof selector === 'string'
      ? parseLabelSelector(selector)
      : [
          ...Object.entries(selector.matchLabels ?? {}).map(([key, value]): LabelSelectorRequirement => ({
            key,
            operator: 'In',
            values: [value],
          })),
          ...(selector.matchExpressions ?? []),
        ];
  const matchers = requirements.map(requirementMatcher);
  return (labels) => matchers.every((m) => m(labels));
}

/** The string form of a LabelSelector object, for ?labelSelector= on lists and watches. */
export function formatLabelSelector(selector: LabelSelector): string {
  const terms: string[] = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const req of selector.matchExpressions ?? []) {
    const values = [...(req.values ?? [])].join(',');
    if (req.operator === 'In') terms.push(`${req.key} in (${values})`);
    else if (req.operator === 'NotIn') terms.push(`${req.key} notin (${values})`);
    else if (req.operator === 'Exists') terms.push(req.key);
    else terms.push(`!${req.key}`);
  }
  return terms.join(',');
}
