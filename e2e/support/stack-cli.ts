// `npm run stack -w @airunway/e2e`: the e2e stack for looking at by hand. Prints the dashboard
// URL and an admin token to sign in with; Ctrl-C stops everything.
import { join } from 'node:path';
import { startStack } from './stack.js';

const stack = await startStack({
  artifactsDir: join(import.meta.dirname, '..', 'test-results'),
  log: (m) => {
    console.error(m);
  },
});
console.log(
  `dashboard  ${stack.webUrl}\nAPI        ${stack.apiUrl}\nkubeconfig ${stack.cluster.kubeconfigPath}\ntoken      ${stack.cluster.users.admin.token}`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void stack.stop().then(() => process.exit(0));
  });
