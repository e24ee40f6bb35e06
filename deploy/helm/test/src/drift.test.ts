// What must stay in step with the rest of the repository: the chart's copies of generated files,
// the versions the images are built with, the paths the chart starts them from, and the
// documentation of every value. The images cannot be built here (no container engine), so
// what can be checked about them without building is checked here.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '@airunway/testenv';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parse, parseDocument, type YAMLMap } from 'yaml';
import { GENERATED_COPIES, chartDir, find, render } from './chart.js';

const read = (...path: string[]) => readFileSync(join(repoRoot, ...path), 'utf8');
const APPS = ['operator', 'api', 'web'] as const;
/** The program each image runs: the app's build, or for the dashboard `next start`. */
const ENTRY: Record<(typeof APPS)[number], string> = {
  operator: '/app/apps/operator/dist/main.js',
  api: '/app/apps/api/dist/main.js',
  web: '/app/node_modules/next/dist/bin/next',
};

describe('generated files the chart carries', () => {
  it.each(GENERATED_COPIES.map((c) => [relative(repoRoot, c.copy), c] as const))(
    '%s is a byte copy of its source (run `npm run generate` to refresh it)',
    (_name, { source, copy }) => {
      expect(readFileSync(copy, 'utf8')).toBe(readFileSync(source, 'utf8'));
    },
  );

  it('the CRD the chart installs is deploy/crds’ CRD, plus only labels and the keep policy', async () => {
    const committed = parse(read('deploy', 'crds', 'airunway.ai_modeldeployments.yaml'));
    const rendered = find(await render(), 'CustomResourceDefinition');
    expect(rendered.metadata.name).toBe(committed.metadata.name);
    expect(rendered.spec).toEqual(committed.spec);
    expect(rendered.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
    expect(Object.keys(rendered)).toEqual(Object.keys(committed));
  });
});

describe('versions', () => {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8'));

  it('the chart’s appVersion is the version of the operator, the API and the dashboard', () => {
    for (const app of APPS)
      expect(JSON.parse(read('apps', app, 'package.json')).version, app).toBe(chart.appVersion);
  });

  describe.each(APPS)('apps/%s/Dockerfile', (app) => {
    const dockerfile = read('apps', app, 'Dockerfile');
    const arg = (name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(dockerfile)?.[1];

    it('builds with the Node.js, npm and turbo versions the repository uses', () => {
      const node = /want_version=\$\{AIRUNWAY_NODE_VERSION:-([0-9.]+)\}/.exec(
        read('scripts', 'ensure-node.sh'),
      )?.[1];
      expect(node).toBeTruthy();
      expect(arg('NODE_VERSION')).toBe(node);
      expect(`npm@${arg('NPM_VERSION')}`).toBe(JSON.parse(read('package.json')).packageManager);
      const lock = JSON.parse(read('package-lock.json'));
      expect(arg('TURBO_VERSION')).toBe(lock.packages['node_modules/turbo'].version);
    });

    it('starts only from version-pinned or explicitly chosen images, never a moving tag', () => {
      const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
      expect(froms).toEqual([
        'node:${NODE_VERSION}-bookworm-slim',
        'node:${NODE_VERSION}-bookworm-slim',
        ...(app === 'api' ? ['golang:${GO_VERSION}-bookworm'] : []),
        '${RUNTIME_IMAGE}',
      ]);
      expect(dockerfile).not.toMatch(/:latest\b/);
      // The runtime is distroless (no shell); its only tag is nonroot, so the digest is a build argument.
      expect(arg('RUNTIME_IMAGE')).toBe('gcr.io/distroless/cc-debian12:nonroot');
    });

    it('installs exactly the lockfile without install scripts, builds this app, and drops dev dependencies', () => {
      expect(dockerfile).toMatch(/^RUN .*npm ci --ignore-scripts/m);
      expect(dockerfile).toContain(`turbo prune @airunway/${app} --docker`);
      expect(dockerfile).toContain(`turbo run build --filter=@airunway/${app}`);
      expect(dockerfile).toMatch(/^RUN npm prune --omit=dev/m);
    });

    it('runs as uid 65532 the entry point the chart starts', async () => {
      const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
      expect(users).toEqual(['65532:65532']);
      const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1] ?? 'null');
      const deployment = find(await render(), 'Deployment', `-${app}`);
      const command: string[] = deployment.spec.template.spec.containers[0].command;
      expect(entrypoint).toEqual([command[0], command.at(-1)]);
      expect(entrypoint[1]).toBe(ENTRY[app]);
    });
  });

  it('apps/api/Dockerfile ships the Helm the repository tests with, for provider installs', () => {
    const dockerfile = read('apps', 'api', 'Dockerfile');
    const arg = (name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(dockerfile)?.[1];
    const goMod = read('packages', 'testenv', 'tools', 'helm', 'go.mod');
    expect(arg('HELM_VERSION')).toBe(/^\s*helm\.sh\/helm\/v4 (v\S+)/m.exec(goMod)?.[1]);
    // The Go toolchain of the build is at least the one helm's module asks for.
    const wanted = /^go (\d+\.\d+)/m.exec(goMod)?.[1];
    expect(arg('GO_VERSION')?.startsWith(`${wanted}.`)).toBe(true);
    expect(dockerfile).toContain('COPY --from=helm /go/bin/helm /usr/local/bin/helm');
  });

  it('apps/web/Dockerfile carries the Next.js build and runs `next start` where the chart does', async () => {
    const dockerfile = read('apps', 'web', 'Dockerfile');
    // Standalone output only if next.config enables it; it does not, so the image carries .next
    // with the production node_modules.
    const nextConfig = read('apps', 'web', 'next.config.ts');
    expect(nextConfig).not.toMatch(/output:\s*['"]standalone['"]/);
    expect(dockerfile).not.toContain('.next/standalone');
    expect(dockerfile).toContain(
      'cp -a apps/web/package.json apps/web/next.config.ts apps/web/.next /out/apps/web/',
    );
    expect(dockerfile).toContain('test -f /out/apps/web/.next/BUILD_ID');
    expect(dockerfile).toContain(`test -f /out${ENTRY.web.slice('/app'.length)}`);
    // The image's command and working directory are the chart's: `next start` in apps/web, and the
    // chart's writable cache is mounted where Next.js writes.
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? 'null');
    const workdirs = [...dockerfile.matchAll(/^WORKDIR (\S+)/gm)].map((m) => m[1]);
    const container = find(await render(), 'Deployment', '-web').spec.template.spec.containers[0];
    expect(cmd).toEqual(['start']);
    expect(container.args[0]).toBe('start');
    expect(workdirs.at(-1)).toBe('/app/apps/web');
    expect(container.workingDir).toBe(workdirs.at(-1));
    expect(container.volumeMounts).toContainEqual({
      name: 'cache',
      mountPath: `${workdirs.at(-1)}/.next/cache`,
    });
    expect(/^EXPOSE (\d+)$/m.exec(dockerfile)?.[1]).toBe(String(container.ports[0].containerPort));
  });

  it('.dockerignore keeps local installs and builds out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const pattern of ['**/node_modules', '**/dist', '**/.next', '.git'])
      expect(ignored).toContain(pattern);
  });
});

describe('documentation of values', () => {
  const text = readFileSync(join(chartDir, 'values.yaml'), 'utf8');
  const readme = readFileSync(join(chartDir, 'README.md'), 'utf8');

  /** Paths of the values that carry their own comment; fails on a value with none. */
  function documentedPaths(map: YAMLMap, prefix: string, undocumented: string[]): string[] {
    const paths: string[] = [];
    map.items.forEach((pair, index) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const path = prefix ? `${prefix}.${key}` : key;
      // The parser attaches the comment above a map's first key to the map itself, and joins the
      // file's header to the first key's comment; the value's own comment is the last paragraph.
      const raw =
        (isScalar(pair.key) ? pair.key.commentBefore : undefined) ??
        (index === 0 ? map.commentBefore : undefined);
      const comment = raw?.split('\n\n').at(-1)?.trim();
      if (comment?.startsWith('--')) paths.push(path);
      else if (isMap(pair.value) && pair.value.items.length > 0)
        paths.push(...documentedPaths(pair.value, path, undocumented));
      else undocumented.push(path);
    });
    return paths;
  }

  it('every value has a "# --" comment in values.yaml and a row in the README', () => {
    const doc = parseDocument(text);
    expect(isMap(doc.contents)).toBe(true);
    const undocumented: string[] = [];
    const paths = documentedPaths(doc.contents as YAMLMap, '', undocumented);
    expect(undocumented).toEqual([]);
    expect(paths.length).toBeGreaterThan(60);
    const missing = paths.filter((p) => !readme.includes(`| \`${p}\``));
    expect(missing).toEqual([]);
  });
});
