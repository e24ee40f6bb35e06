// AIKit routes against the real control plane: pre-made images, previews, builds refused with
// BUILDER_UNAVAILABLE until the infrastructure exists, the registry and BuildKit objects applied
// with the caller's token, their readiness as the Deployments report it (kwok runs the pods;
// no container runs, so no image is really built — what is tested is the API's side: the
// objects, the build Job, waiting for it, answering 202 then 200), and RBAC with auth on.
import {
  AikitBuildPreviewResponseSchema,
  AikitBuildResponseSchema,
  AikitModelsResponseSchema,
  BuildInfrastructureSetupResponseSchema,
  BuildInfrastructureStatusSchema,
} from '@airunway/schema';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, getJson, startTestApi, type TestApi } from './helpers.js';

const cluster = testCluster();
const { admin, editor: alice, viewer: bob } = cluster.users;
const ns = uniqueNamespace('aikit');
const pv = `${ns}-registry`;
const REGISTRY = `registry.${ns}.svc.cluster.local:5000`;
const MINUTES = 60_000;

let api: TestApi;
let patient: TestApi;
let secured: TestApi;

const fast = { setupWaitMs: 3_000, pollMs: 200 };

beforeAll(async () => {
  await cluster.createNamespace(ns);
  // Answers 202 at once: the build is waited for by asking again.
  api = await startTestApi(cluster, {
    productNamespace: ns,
    integrations: { aikit: { ...fast, buildWaitMs: 0 } },
  });
  patient = await startTestApi(cluster, {
    productNamespace: ns,
    integrations: { aikit: { ...fast, buildWaitMs: MINUTES } },
  });
  secured = await startTestApi(cluster, {
    authEnabled: true,
    productNamespace: ns,
    integrations: { aikit: { ...fast, buildWaitMs: 0 } },
  });
});

afterAll(async () => {
  await Promise.all([api.stop(), patient.stop(), secured.stop()]);
  await cluster.kubectl(['delete', 'namespace', ns, '--wait=false']);
  await cluster.kubectl(['delete', 'pv', pv, '--ignore-not-found', '--wait=false']);
});

const gguf = {
  modelSource: 'huggingface',
  modelId: 'bartowski/gemma-3-1b-it-GGUF',
  ggufFile: 'gemma-3-1b-it-Q8_0.gguf',
  imageName: 'my-model',
  imageTag: 'v1',
};
const post = (app: TestApi, path: string, body: unknown, token?: typeof admin) =>
  app.request(path, { method: 'POST', body, ...(token ? { token } : {}) });
const paths = (body: any) =>
  [...new Set((body.details.fields as { path: string }[]).map((f) => f.path))].sort();
const buildJobs = async () =>
  (
    await getJson<{ items: any[] }>(cluster, [
      'get',
      'jobs',
      '-n',
      ns,
      '-l',
      'app.kubernetes.io/component=aikit-build',
    ])
  ).items;

describe('pre-made models', () => {
  it('GET /aikit/models lists the published images', async () => {
    const { status, body } = await api.request('/api/aikit/models');
    expect(status).toBe(200);
    const parsed = AikitModelsResponseSchema.parse(body);
    expect(parsed.total).toBe(parsed.models.length);
    expect(parsed.models).toContainEqual({
      id: 'llama3.2-1b',
      modelName: 'Llama 3.2 1B',
      image: 'ghcr.io/kaito-project/aikit/llama3.2:1b',
      license: 'Llama',
      servedModelName: 'llama-3.2-1b-instruct',
    });
  });

  it('GET /aikit/models/:id, 404 for an unknown one, 400 for a malformed one', async () => {
    expect((await api.request('/api/aikit/models/phi4-14b')).body).toMatchObject({
      image: 'ghcr.io/kaito-project/aikit/phi4:14b',
      license: 'MIT',
    });
    const unknown = await api.request('/api/aikit/models/llama9-1t');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    const bad = await api.request('/api/aikit/models/Bad_ID!');
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['id']);
  });

  it('building a pre-made model is its image reference', async () => {
    const { status, body } = await post(api, '/api/aikit/build', {
      modelSource: 'premade',
      premadeModel: 'llama3.2-1b',
    });
    expect(status).toBe(200);
    expect(AikitBuildResponseSchema.parse(body)).toEqual({
      success: true,
      imageRef: 'ghcr.io/kaito-project/aikit/llama3.2:1b',
      buildTime: 0,
      wasPremade: true,
      message: 'Using the pre-made image of Llama 3.2 1B',
    });
    expect(
      (await post(api, '/api/aikit/build', { modelSource: 'premade', premadeModel: 'nope' })).status,
    ).toBe(404);
  });
});

describe('POST /aikit/build/preview', () => {
  it('pre-made: no build', async () => {
    const { body } = await post(api, '/api/aikit/build/preview', {
      modelSource: 'premade',
      premadeModel: 'phi4-14b',
    });
    expect(AikitBuildPreviewResponseSchema.parse(body)).toEqual({
      imageRef: 'ghcr.io/kaito-project/aikit/phi4:14b',
      wasPremade: true,
      requiresBuild: false,
      registryUrl: 'ghcr.io',
    });
  });

  it('a GGUF file: the image in the in-cluster registry, named as asked or after the repository and quantization', async () => {
    expect((await post(api, '/api/aikit/build/preview', gguf)).body).toEqual({
      imageRef: `${REGISTRY}/my-model:v1`,
      wasPremade: false,
      requiresBuild: true,
      registryUrl: REGISTRY,
    });
    const { imageName: _n, imageTag: _t, ...unnamed } = gguf;
    expect((await post(api, '/api/aikit/build/preview', unnamed)).body.imageRef).toBe(
      `${REGISTRY}/aikit-gemma-3-1b-it-gguf:q8_0`,
    );
  });

  it('invalid bodies → 400 with the field paths', async () => {
    const wrongSource = await post(api, '/api/aikit/build/preview', { modelSource: 'docker' });
    expect(wrongSource.status).toBe(400);
    expect(paths(wrongSource.body)).toEqual(['modelSource']);
    const bad = await post(api, '/api/aikit/build/preview', {
      modelSource: 'huggingface',
      modelId: 'org/../repo',
      ggufFile: '../secret.gguf',
      imageName: 'My Model',
      imageTag: '-latest',
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['ggufFile', 'imageName', 'imageTag', 'modelId']);
    const notGguf = await post(api, '/api/aikit/build', { ...gguf, ggufFile: 'model.safetensors' });
    expect(paths(notGguf.body)).toEqual(['ggufFile']);
  });
});

describe('build infrastructure', () => {
  it('before setup: not ready, and a build says what is missing (412) and starts nothing', async () => {
    const { body } = await api.request('/api/aikit/infrastructure/status');
    expect(BuildInfrastructureStatusSchema.parse(body)).toEqual({
      ready: false,
      registry: {
        ready: false,
        url: REGISTRY,
        message: `Registry is not set up (no Deployment registry in ${ns})`,
      },
      builder: {
        exists: false,
        ready: false,
        running: false,
        message: `BuildKit builder is not set up (no Deployment buildkit-airunway in ${ns})`,
      },
    });
    const build = await post(api, '/api/aikit/build', gguf);
    expect(build.status).toBe(412);
    expect(build.body).toMatchObject({
      code: 'BUILDER_UNAVAILABLE',
      details: { missing: ['registry not set up', 'builder not set up'], namespace: ns },
    });
    expect(build.body.error).toMatch(/POST \/api\/aikit\/infrastructure\/setup/);
    expect(await buildJobs()).toEqual([]);
  });

  it('setup applies the registry and BuildKit; the registry waits for its volume and says so', async () => {
    const { status, body } = await post(api, '/api/aikit/infrastructure/setup', {});
    expect(status).toBe(200);
    const setup = BuildInfrastructureSetupResponseSchema.parse(body);
    expect(setup.applied).toEqual([
      'PersistentVolumeClaim/registry-data',
      'Deployment/registry',
      'Service/registry',
      'Deployment/buildkit-airunway',
      'Service/buildkit-airunway',
      'NetworkPolicy/buildkit-airunway',
    ]);
    expect(setup).toMatchObject({ success: true, registry: { url: REGISTRY, ready: false } });
    expect(setup.builder.name).toBe('buildkit-airunway');

    const builder = await getJson(cluster, ['get', 'deployment', 'buildkit-airunway', '-n', ns]);
    const container = builder.spec.template.spec.containers[0];
    expect(container.image).toMatch(/^docker\.io\/moby\/buildkit:v[\d.]+-rootless$/);
    expect(container.securityContext).toMatchObject({ runAsUser: 1000 });
    expect(container.securityContext.privileged).toBeUndefined();

    await eventually(async () => {
      const state = (await api.request('/api/aikit/infrastructure/status')).body;
      expect(state.builder).toEqual({
        exists: true,
        ready: true,
        running: true,
        message: 'BuildKit builder is ready',
      });
      expect(state.registry.message).toBe(
        'Registry is waiting for its volume: PersistentVolumeClaim registry-data is Pending',
      );
    });
  });

  it(
    'once the volume binds, kwok runs the registry and everything is ready',
    async () => {
      await cluster.apply([
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: pv },
          spec: {
            capacity: { storage: '10Gi' },
            accessModes: ['ReadWriteOnce'],
            hostPath: { path: `/tmp/${pv}` },
            claimRef: { namespace: ns, name: 'registry-data' },
          },
        },
      ]);
      await eventually(async () => {
        const state = (await api.request('/api/aikit/infrastructure/status')).body;
        expect(state).toMatchObject({
          ready: true,
          registry: { ready: true, message: 'Registry is running' },
        });
      }, 90_000);
      // Setup again converges on the same objects and now reports ready.
      const again = await post(api, '/api/aikit/infrastructure/setup', {});
      expect(again.body).toMatchObject({
        success: true,
        message: 'Build infrastructure is ready',
        registry: { ready: true },
      });
    },
    2 * MINUTES,
  );
});

describe('POST /aikit/build from a GGUF file', () => {
  it(
    'starts a build Job and answers 202; the same request again waits for that Job, then 200',
    async () => {
      const first = await post(api, '/api/aikit/build', gguf);
      expect(first.status).toBe(202);
      const running = AikitBuildResponseSchema.parse(first.body);
      expect(running).toMatchObject({
        success: false,
        imageRef: `${REGISTRY}/my-model:v1`,
        wasPremade: false,
      });
      expect(running.message).toMatch(/send the same request again/);

      const [job] = await buildJobs();
      expect(job.metadata.name).toBe(running.buildJob);
      const container = job.spec.template.spec.containers[0];
      expect(container.command).toEqual(['buildctl']);
      expect(container.args).toContain(
        'build-arg:model=https://huggingface.co/bartowski/gemma-3-1b-it-GGUF/resolve/main/gemma-3-1b-it-Q8_0.gguf',
      );
      expect(container.args).toContain(
        `type=image,name=${REGISTRY}/my-model:v1,push=true,registry.insecure=true`,
      );
      expect(job.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('aikit-build');

      const done = await eventually(async () => {
        const again = await post(api, '/api/aikit/build', gguf);
        expect(again.status).toBe(200);
        return AikitBuildResponseSchema.parse(again.body);
      }, 90_000);
      expect(done).toMatchObject({
        success: true,
        imageRef: `${REGISTRY}/my-model:v1`,
        wasPremade: false,
        message: 'AIKit image built successfully',
        buildJob: running.buildJob,
      });
      expect(await buildJobs()).toHaveLength(1);
    },
    2 * MINUTES,
  );

  it(
    'with a longer wait, one request answers when the Job completes',
    async () => {
      const { status, body } = await post(patient, '/api/aikit/build', { ...gguf, imageTag: 'v2' });
      expect(status).toBe(200);
      expect(body).toMatchObject({ success: true, imageRef: `${REGISTRY}/my-model:v2` });
      expect(body.buildTime).toBeGreaterThanOrEqual(0);
    },
    2 * MINUTES,
  );
});

describe('authentication on', () => {
  it('status reads Deployments in the product namespace as the caller: bob may, alice may not', async () => {
    expect((await secured.request('/api/aikit/infrastructure/status', { token: bob })).body.ready).toBe(true);
    const refused = await secured.request('/api/aikit/infrastructure/status', { token: alice });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
  });

  it('setup is written with the caller’s token: admin may, bob and alice may not', async () => {
    for (const user of [bob, alice]) {
      const { status, body } = await post(secured, '/api/aikit/infrastructure/setup', {}, user);
      expect(status, user.name).toBe(403);
      expect(body.code).toBe('FORBIDDEN');
      expect(body.error).toMatch(new RegExp(`"${user.name}" cannot patch resource`));
    }
    expect((await post(secured, '/api/aikit/infrastructure/setup', {}, admin)).status).toBe(200);
  });

  it('a build Job is created with the caller’s token: bob is refused by the apiserver, admin is not', async () => {
    const asBob = await post(secured, '/api/aikit/build', { ...gguf, imageTag: 'bob' }, bob);
    expect(asBob.status).toBe(403);
    expect(asBob.body.error).toMatch(/"bob" cannot create resource "jobs"/);
    expect((await post(secured, '/api/aikit/build', { ...gguf, imageTag: 'bob' }, alice)).status).toBe(403);
    expect([200, 202]).toContain(
      (await post(secured, '/api/aikit/build', { ...gguf, imageTag: 'admin' }, admin)).status,
    );
    expect((await post(secured, '/api/aikit/build', gguf)).status).toBe(401);
  });
});
