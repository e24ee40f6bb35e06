'use client';
// The deployment as Kubernetes objects: the ModelDeployment first, then everything the
// operator created for it, as YAML.
import { CodeBlock } from '~/components/code-block';
import { EmptyState, ErrorState, Loading, Notice } from '~/components/states';
import { useManifest } from '~/lib/queries';
import { cleanManifest, toYaml } from '~/lib/manifest-yaml';
import styles from './deployment.module.css';

export function ManifestsTab({ namespace, name }: { namespace: string; name: string }) {
  const manifest = useManifest(namespace, name, true);
  if (manifest.error) return <ErrorState title="The manifests could not be read" error={manifest.error} />;
  if (manifest.isPending) return <Loading />;
  const { resources, omitted } = manifest.data;
  if (resources.length === 0) return <EmptyState title="No objects" />;
  return (
    <div className={styles.steps}>
      {omitted && omitted.length > 0 && (
        <Notice tone="warning" title="Some objects are hidden">
          {omitted.map((o) => `${o.kind}: ${o.reason}`).join('; ')}
        </Notice>
      )}
      {resources.map((r) => (
        <CodeBlock
          key={`${r.kind}/${r.name}`}
          label={`${r.kind} ${r.name} (${r.apiVersion})`}
          code={toYaml(cleanManifest(r.manifest, true))}
          maxHeight={420}
        />
      ))}
    </div>
  );
}
