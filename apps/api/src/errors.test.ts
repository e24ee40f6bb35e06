import { KubeApiError, KubeConnectionError } from '@airunway/kube';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from './errors.js';

const kubeError = (
  reason: string,
  status: number,
  extra: Partial<ConstructorParameters<typeof KubeApiError>[0]> = {},
) => new KubeApiError({ status, reason, message: `${reason} message`, method: 'GET', path: '/x', ...extra });

describe('toApiError', () => {
  it.each([
    ['NotFound', 404, 'NOT_FOUND', 404],
    ['AlreadyExists', 409, 'CONFLICT', 409],
    ['Conflict', 409, 'CONFLICT', 409],
    ['Forbidden', 403, 'FORBIDDEN', 403],
    ['Unauthorized', 401, 'UNAUTHORIZED', 401],
    ['Invalid', 422, 'VALIDATION_ERROR', 400],
    ['TooManyRequests', 429, 'CLUSTER_UNAVAILABLE', 503],
    ['ServiceUnavailable', 503, 'CLUSTER_UNAVAILABLE', 503],
    ['MethodNotAllowed', 405, 'INTERNAL_ERROR', 500],
  ])('Kubernetes %s → %s', (reason, status, code, http) => {
    const err = toApiError(kubeError(reason, status));
    expect(err.code).toBe(code);
    expect(err.status).toBe(http);
    expect(err.details.reason).toBe(reason);
  });

  it("keeps the apiserver's message and turns its causes into fields", () => {
    const err = toApiError(
      kubeError('Invalid', 422, {
        message: 'ModelDeployment.airunway.ai "x" is invalid: spec.model.id: Required value',
        details: {
          kind: 'ModelDeployment',
          name: 'x',
          causes: [{ field: 'spec.model.id', message: 'Required value' }],
        },
      }),
    );
    expect(err.toBody()).toEqual({
      error: 'ModelDeployment.airunway.ai "x" is invalid: spec.model.id: Required value',
      code: 'VALIDATION_ERROR',
      details: {
        reason: 'Invalid',
        kind: 'ModelDeployment',
        name: 'x',
        fields: [{ path: 'spec.model.id', message: 'Required value' }],
      },
    });
  });

  it('an unreachable cluster is CLUSTER_UNAVAILABLE', () => {
    const err = toApiError(
      new KubeConnectionError('GET /api: connect ECONNREFUSED', { method: 'GET', path: '/api' }),
    );
    expect(err.code).toBe('CLUSTER_UNAVAILABLE');
    expect(err.status).toBe(503);
  });

  it("Hono's exceptions map to codes", () => {
    expect(toApiError(new HTTPException(400, { message: 'Malformed JSON in request body' })).code).toBe(
      'VALIDATION_ERROR',
    );
    expect(toApiError(new HTTPException(413)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('an unknown error does not leak its message', () => {
    const err = toApiError(new Error('secret detail from a stack'));
    expect(err.toBody()).toEqual({ error: 'Internal server error', code: 'INTERNAL_ERROR', details: {} });
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('ApiError passes through', () => {
    const original = ApiError.notFound('gone');
    expect(toApiError(original)).toBe(original);
  });
});
