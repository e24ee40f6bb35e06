// Static-token users of the test control plane. Tokens are random per run; the
// kube-apiserver reads them from --token-auth-file, so TokenReview and RBAC work
// for them exactly as for real users.
import { randomBytes } from 'node:crypto';

export interface TestUser {
  readonly name: string;
  readonly token: string;
  readonly groups: readonly string[];
}

export interface TestUsers {
  /** Cluster admin (group system:masters); the control-plane components use it too. */
  readonly admin: TestUser;
  /** May edit everything in {@link ControlPlaneInfo.editorNamespace} and nothing elsewhere. */
  readonly editor: TestUser;
  /** May read (ClusterRole `view`) in every namespace and write nothing. */
  readonly viewer: TestUser;
}

const token = () => randomBytes(24).toString('base64url');

export function createUsers(): TestUsers {
  return {
    admin: { name: 'admin', token: token(), groups: ['system:masters'] },
    editor: { name: 'alice', token: token(), groups: ['airunway:editors'] },
    viewer: { name: 'bob', token: token(), groups: ['airunway:viewers'] },
  };
}

/** The CSV format of --token-auth-file: token,user,uid,"group1,group2". */
export function tokenAuthFile(users: TestUsers): string {
  return (
    [users.admin, users.editor, users.viewer]
      .map((u) => `${u.token},${u.name},uid-${u.name},"${u.groups.join(',')}"`)
      .join('\n') + '\n'
  );
}

export function kubeconfigYaml(
  server: string,
  caData: string,
  user: TestUser,
  namespace = 'default',
): string {
  // Written by hand (not via kubectl) so that creating a kubeconfig costs no process.
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'airunway-local', cluster: { server, 'certificate-authority-data': caData } }],
      users: [{ name: user.name, user: { token: user.token } }],
      contexts: [
        {
          name: `${user.name}@airunway-local`,
          context: { cluster: 'airunway-local', user: user.name, namespace },
        },
      ],
      'current-context': `${user.name}@airunway-local`,
    },
    null,
    2,
  );
}
