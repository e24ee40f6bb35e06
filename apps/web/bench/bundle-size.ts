// First-load JavaScript of each route, from the production build's own manifests: the root
// chunks every page loads plus every chunk the route's client reference manifest lists for its
// layouts, boundaries and page — what a browser downloads to show the route cold. Sizes are
// gzipped (level 6, what servers commonly send).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

export interface RouteSize {
  readonly route: string;
  readonly files: number;
  readonly rawBytes: number;
  readonly gzipBytes: number;
}

function findManifests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...findManifests(path));
    else if (entry === 'page_client-reference-manifest.js') out.push(path);
  }
  return out;
}

/** "/(app)/deployments/[namespace]/[name]/page" → "/deployments/[namespace]/[name]". */
function routeName(key: string): string {
  const path = key.replace(/\/page$/, '').replace(/\/\([^)]+\)/g, '');
  return path === '' ? '/' : path;
}

export function routeSizes(nextDir: string): RouteSize[] {
  const build = JSON.parse(readFileSync(join(nextDir, 'build-manifest.json'), 'utf8')) as {
    rootMainFiles: string[];
  };
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const sizeOf = (file: string) => {
    let size = sizes.get(file);
    if (!size) {
      const bytes = readFileSync(join(nextDir, file));
      size = { raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
      sizes.set(file, size);
    }
    return size;
  };
  const routes: RouteSize[] = [];
  for (const manifestFile of findManifests(join(nextDir, 'server', 'app'))) {
    const sandbox: Record<string, unknown> = {};
    sandbox.globalThis = sandbox;
    runInNewContext(readFileSync(manifestFile, 'utf8'), sandbox, {
      filename: relative(nextDir, manifestFile),
    });
    const manifests = sandbox.__RSC_MANIFEST as Record<string, { entryJSFiles: Record<string, string[]> }>;
    for (const [key, manifest] of Object.entries(manifests)) {
      if (key.startsWith('/_')) continue;
      const files = new Set(build.rootMainFiles);
      for (const chunks of Object.values(manifest.entryJSFiles)) for (const chunk of chunks) files.add(chunk);
      let raw = 0;
      let gzip = 0;
      for (const file of files) {
        const size = sizeOf(file);
        raw += size.raw;
        gzip += size.gzip;
      }
      routes.push({ route: routeName(key), files: files.size, rawBytes: raw, gzipBytes: gzip });
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}
