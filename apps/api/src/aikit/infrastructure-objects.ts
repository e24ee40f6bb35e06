// The in-cluster build infrastructure as Kubernetes objects: an OCI registry (Deployment,
// Service, volume) and a rootless BuildKit daemon (Deployment, Service) that only build Jobs
// may reach. Applied with server-side apply, so setup can be repeated and converges.
import { Resources, type KubeObject, type ResourceDescriptor } from '@airunway/kube';
import {
  BUILDER_NAME,
  BUILDER_PORT,
  REGISTRY_NAME,
  REGISTRY_PORT,
  REGISTRY_VOLUME_CLAIM,
  type AikitSettings,
} from './settings.js';

export const NetworkPolicyResource: ResourceDescriptor = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'networkpolicies',
  kind: 'NetworkPolicy',
  namespaced: true,
};

/** Pods of build Jobs carry it; the builder accepts connections from them only. */
export const BUILD_COMPONENT = 'aikit-build';

export function labels(component: string, name: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'airunway',
    'app.kubernetes.io/managed-by': 'airunway',
  };
}

export interface InfrastructureObject {
  readonly object: KubeObject;
  readonly resource: ResourceDescriptor;
}

const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

function registryObjects(s: AikitSettings): InfrastructureObject[] {
  const meta = {
    name: REGISTRY_NAME,
    namespace: s.namespace,
    labels: labels('aikit-registry', REGISTRY_NAME),
  };
  const selector = {
    'app.kubernetes.io/name': REGISTRY_NAME,
    'app.kubernetes.io/component': 'aikit-registry',
  };
  return [
    {
      resource: Resources.PersistentVolumeClaim,
      object: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { ...meta, name: REGISTRY_VOLUME_CLAIM },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: s.registryStorage } } },
      } as KubeObject,
    },
    {
      resource: Resources.Deployment,
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          replicas: 1,
          // One writer of the volume at a time.
          strategy: { type: 'Recreate' },
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: meta.labels },
            spec: {
              containers: [
                {
                  name: 'registry',
                  image: s.registryImage,
                  ports: [{ name: 'registry', containerPort: REGISTRY_PORT }],
                  env: [{ name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'true' }],
                  readinessProbe: { httpGet: { path: '/v2/', port: REGISTRY_PORT }, periodSeconds: 10 },
                  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
                  securityContext: restricted,
                  volumeMounts: [{ name: 'data', mountPath: '/var/lib/registry' }],
                },
              ],
              volumes: [{ name: 'data', persistentVolumeClaim: { claimName: REGISTRY_VOLUME_CLAIM } }],
            },
          },
        },
      } as KubeObject,
    },
    {
      resource: Resources.Service,
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta,
        spec: { selector, ports: [{ name: 'registry', port: REGISTRY_PORT, targetPort: REGISTRY_PORT }] },
      } as KubeObject,
    },
  ];
}

function builderObjects(s: AikitSettings): InfrastructureObject[] {
  const meta = { name: BUILDER_NAME, namespace: s.namespace, labels: labels('aikit-builder', BUILDER_NAME) };
  const selector = { 'app.kubernetes.io/name': BUILDER_NAME, 'app.kubernetes.io/component': 'aikit-builder' };
  return [
    {
      resource: Resources.Deployment,
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          replicas: 1,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: meta.labels },
            spec: {
              containers: [
                {
                  name: 'buildkitd',
                  image: s.builderImage,
                  // Rootless: no privileged container; the process sandbox needs a user namespace
                  // the pod cannot create, so builds run without it.
                  args: ['--addr', `tcp://0.0.0.0:${BUILDER_PORT}`, '--oci-worker-no-process-sandbox'],
                  ports: [{ name: 'buildkit', containerPort: BUILDER_PORT }],
                  readinessProbe: {
                    exec: {
                      command: ['buildctl', '--addr', `tcp://127.0.0.1:${BUILDER_PORT}`, 'debug', 'workers'],
                    },
                    periodSeconds: 15,
                  },
                  resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '8Gi' } },
                  securityContext: {
                    runAsUser: 1000,
                    runAsGroup: 1000,
                    seccompProfile: { type: 'Unconfined' },
                    appArmorProfile: { type: 'Unconfined' },
                  },
                  volumeMounts: [{ name: 'state', mountPath: '/home/user/.local/share/buildkit' }],
                },
              ],
              volumes: [{ name: 'state', emptyDir: {} }],
            },
          },
        },
      } as KubeObject,
    },
    {
      resource: Resources.Service,
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta,
        spec: { selector, ports: [{ name: 'buildkit', port: BUILDER_PORT, targetPort: BUILDER_PORT }] },
      } as KubeObject,
    },
    {
      // buildkitd listens without TLS: only build Jobs of this namespace may connect (where the
      // network plugin enforces NetworkPolicy).
      resource: NetworkPolicyResource,
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta,
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': BUILD_COMPONENT } } }],
              ports: [{ port: BUILDER_PORT, protocol: 'TCP' }],
            },
          ],
        },
      } as KubeObject,
    },
  ];
}

export function infrastructureObjects(settings: AikitSettings): InfrastructureObject[] {
  return [...registryObjects(settings), ...builderObjects(settings)];
}
