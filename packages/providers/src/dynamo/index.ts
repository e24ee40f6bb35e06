// The NVIDIA Dynamo provider: a DynamoGraphDeployment (Frontend + engine workers) that the
// Dynamo operator, installed with the dynamo-platform Helm chart, runs.
import { PROVIDER_CATALOGUE } from '../catalogue.js';
import type { Provider } from '../provider.js';
import { LABEL_COMPONENT, selectorLabels } from '../pod-spec.js';
import { DYNAMO_FRONTEND_PORT, renderDynamo, validateDynamo } from './render.js';
import { dynamoObservedFrom, dynamoStatus } from './status.js';

export * from './render.js';
export * from './status.js';

export const dynamoProvider: Provider = {
  id: 'dynamo',
  capabilities: PROVIDER_CATALOGUE.dynamo.capabilities,
  detection: PROVIDER_CATALOGUE.dynamo.detection,
  validate: validateDynamo,
  render: renderDynamo,
  status: (md, observed) => dynamoStatus(md, dynamoObservedFrom(md, observed)),
  // Workers carry the ModelDeployment's label too, but only the frontends serve HTTP.
  gatewayBackend: (md) => ({
    selector: { ...selectorLabels(md), [LABEL_COMPONENT]: 'frontend' },
    targetPort: DYNAMO_FRONTEND_PORT,
  }),
};
