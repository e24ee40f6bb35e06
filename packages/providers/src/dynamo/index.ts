// The NVIDIA Dynamo provider: a DynamoGraphDeployment (Frontend + engine workers) that the
// Dynamo operator, installed with the dynamo-platform Helm chart, runs.
import { PROVIDER_CATALOGUE } from '../catalogue.js';
import type { Provider } from '../provider.js';
import { renderDynamo, validateDynamo } from './render.js';
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
};
