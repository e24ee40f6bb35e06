// Values shared by the tests.

/** Every optional feature on at once, to render and lint each branch of the templates. */
export const EVERYTHING_ON = {
  commonLabels: { team: 'ml-platform' },
  image: { registry: 'registry.example.com/airunway', pullSecrets: [{ name: 'regcred' }] },
  gateway: 'gateway-system/inference/http',
  operator: {
    image: { digest: `sha256:${'a'.repeat(64)}` },
    leaderElection: { leaseName: 'airunway-leader' },
    extraNodeArgs: ['--max-old-space-size=512'],
    extraArgs: ['--namespace=models'],
    extraEnv: [{ name: 'EXTRA', value: '1' }],
    podAnnotations: { 'prometheus.io/scrape': 'true' },
    podLabels: { tier: 'control' },
    priorityClassName: 'system-cluster-critical',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Exists' }],
    affinity: { nodeAffinity: {} },
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
    ],
    serviceAccount: { annotations: { 'example.com/role': 'operator' } },
  },
  api: {
    image: { registry: 'other.example.com', repository: 'airunway-api', tag: '0.1.0-rc.1' },
    defaultNamespace: 'models',
    logLevel: 'debug',
    service: { type: 'LoadBalancer', port: 80, annotations: { 'example.com/lb': 'internal' } },
    extraEnv: [{ name: 'EXTRA', value: '1' }],
    providerInstalls: {
      enabled: true,
      extraClusterRules: [
        { apiGroups: ['nvidia.com'], resources: ['clusterpolicies'], verbs: ['get', 'create'] },
      ],
    },
  },
  web: {
    replicas: 3,
    image: { tag: '0.1.0-rc.1' },
    port: 8080,
    service: { type: 'NodePort', port: 80, annotations: { 'example.com/lb': 'internal' } },
    secureCookies: 'always',
    sessionMaxAge: 3600,
    cacheSizeLimit: '512Mi',
    extraNodeArgs: ['--max-old-space-size=384'],
    extraEnv: [{ name: 'EXTRA', value: '1' }],
    podDisruptionBudget: { maxUnavailable: '50%' },
    serviceAccount: { annotations: { 'example.com/role': 'web' } },
    podLabels: { tier: 'frontend' },
    nodeSelector: { 'kubernetes.io/os': 'linux' },
  },
};
