// Which cloud an instance type belongs to, from the way each cloud names its sizes:
// Azure Standard_NC24ads_A100_v4, AWS p4d.24xlarge, GCP a2-highgpu-1g.
import type { CloudProvider } from '@airunway/schema';

const AZURE = /^(standard|basic)_[a-z0-9_]+$/i;
const AWS = /^[a-z][a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d*xlarge)(-\d+xl)?$/;
const GCP =
  /^[a-z][a-z0-9]*-(standard|highmem|highcpu|highgpu|megagpu|ultragpu|ultramem|megamem|custom|micro|small|medium)(-\d+g?)?(-lssd)?$/;

export function detectCloudProvider(instanceType: string): CloudProvider | undefined {
  if (AZURE.test(instanceType)) return 'azure';
  if (AWS.test(instanceType)) return 'aws';
  if (GCP.test(instanceType)) return 'gcp';
  return undefined;
}
