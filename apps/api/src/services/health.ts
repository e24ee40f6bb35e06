// Liveness of the API process and the build it runs.
import type { HealthResponse, VersionResponse } from '@airunway/schema';
import type { BuildInfo } from '../env.js';

export class HealthService {
  constructor(
    private readonly build: BuildInfo,
    private readonly now: () => Date = () => new Date(),
  ) {}

  health(): HealthResponse {
    return { status: 'healthy', timestamp: this.now().toISOString() };
  }

  version(): VersionResponse {
    return { ...this.build };
  }
}
