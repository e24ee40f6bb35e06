// /api/docs: the OpenAPI document as one self-contained HTML page — no script, no stylesheet
// or font from elsewhere, so it reads the same offline and inside an air-gapped cluster.

type Json = Record<string, unknown>;

/** A field of the document as text ('' when absent or not a string). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1c2430;background:#f7f8fa}
header{background:#14213d;color:#fff;padding:24px 40px}header p{margin:4px 0 0;opacity:.85;max-width:60em}
main{display:grid;grid-template-columns:220px 1fr;gap:32px;padding:24px 40px}
nav{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto}nav a{display:block;color:#14213d;text-decoration:none;padding:2px 0;font-size:13px;overflow-wrap:anywhere}nav h3{margin:16px 0 4px;font-size:13px;text-transform:uppercase;color:#667}
section.op{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:16px 20px;margin:0 0 16px}
.m{display:inline-block;min-width:58px;text-align:center;font:600 12px monospace;border-radius:4px;padding:2px 6px;color:#fff;margin-right:8px}
.get{background:#2f7d32}.post{background:#1565c0}.put{background:#8e5a00}.patch{background:#6a1b9a}.delete{background:#b71c1c}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f2f4f7;padding:10px;border-radius:6px;overflow:auto;max-height:420px}
table{border-collapse:collapse;width:100%;margin:8px 0}td,th{border-bottom:1px solid #e4e7ec;text-align:left;padding:4px 8px;vertical-align:top}
.tag{font-size:12px;color:#667}summary{cursor:pointer;color:#14213d}h2{margin-top:32px}
`;

function schemaText(schema: unknown): string {
  return escape(JSON.stringify(schema, null, 2));
}

function refName(schema: unknown): string | undefined {
  const ref = (schema as Json | undefined)?.$ref;
  return typeof ref === 'string' ? ref.split('/').pop() : undefined;
}

function schemaLink(schema: unknown): string {
  const name = refName(schema);
  return name
    ? `<a href="#schema-${escape(name)}">${escape(name)}</a>`
    : `<code>${schemaText(schema)}</code>`;
}

function operationHtml(path: string, method: string, op: Json): string {
  const params = (op.parameters ?? []) as Json[];
  const body = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as
    Json | undefined;
  const responses = (op.responses ?? {}) as Record<string, Json>;
  const rows = params
    .map(
      (p) =>
        `<tr><td><code>${escape(String(p.name))}</code></td><td>${escape(String(p.in))}${p.required ? ', required' : ''}</td>` +
        `<td><code>${escape(JSON.stringify(p.schema))}</code></td><td>${escape(text(p.description))}</td></tr>`,
    )
    .join('');
  const responseRows = Object.entries(responses)
    .map(([status, r]) => {
      const content = (r.content ?? {}) as Record<string, Json>;
      const [type, media] = Object.entries(content)[0] ?? [];
      return `<tr><td>${escape(status)}</td><td>${type ? `<code>${escape(type)}</code> ` : ''}${media ? schemaLink(media.schema) : ''}</td><td>${escape(text(r.description))}</td></tr>`;
    })
    .join('');
  return `<section class="op" id="${escape(`${method}-${path}`)}">
<div><span class="m ${escape(method)}">${escape(method.toUpperCase())}</span><code>${escape(path)}</code>${
    Array.isArray(op.security) && op.security.length === 0 ? ' <span class="tag">public</span>' : ''
  }</div>
<p><strong>${escape(text(op.summary))}</strong>${op.description ? `<br>${escape(text(op.description))}` : ''}</p>
${rows ? `<table><tr><th>Parameter</th><th>In</th><th>Schema</th><th>Description</th></tr>${rows}</table>` : ''}
${body ? `<p>Request body: ${schemaLink(body.schema)}</p>` : ''}
<table><tr><th>Status</th><th>Body</th><th>When</th></tr>${responseRows}</table>
</section>`;
}

export function renderDocsPage(document: Json): string {
  const info = document.info as Json;
  const paths = document.paths as Record<string, Record<string, Json>>;
  const schemas = ((document.components as Json).schemas ?? {}) as Record<string, unknown>;
  const byTag = new Map<string, string[]>();
  const nav = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths))
    for (const [method, op] of Object.entries(methods)) {
      const tag = ((op.tags as string[] | undefined) ?? ['Other'])[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(path, method, op)]);
      nav.set(tag, [
        ...(nav.get(tag) ?? []),
        `<a href="#${escape(`${method}-${path}`)}"><code>${escape(method.toUpperCase())}</code> ${escape(path)}</a>`,
      ]);
    }
  const sections = [...byTag].map(
    ([tag, ops]) => `<h2 id="tag-${escape(tag)}">${escape(tag)}</h2>${ops.join('\n')}`,
  );
  const schemaSections = Object.entries(schemas).map(
    ([name, schema]) =>
      `<details id="schema-${escape(name)}"><summary><code>${escape(name)}</code></summary><pre>${schemaText(schema)}</pre></details>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(String(info.title))} ${escape(String(info.version))}</title><style>${STYLE}</style></head>
<body><header><h1>${escape(String(info.title))} <small>${escape(String(info.version))}</small></h1>
<p>${escape(text(info.description))}</p><p>Machine-readable: <a style="color:#fff" href="/api/openapi.json">/api/openapi.json</a></p></header>
<main><nav>${[...nav].map(([tag, links]) => `<h3>${escape(tag)}</h3>${links.join('')}`).join('')}<h3>Schemas</h3><a href="#schemas">All schemas</a></nav>
<div>${sections.join('\n')}<h2 id="schemas">Schemas</h2>${schemaSections.join('\n')}</div></main></body></html>`;
}
