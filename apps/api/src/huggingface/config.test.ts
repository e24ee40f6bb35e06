import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.js';

describe('HuggingFace configuration', () => {
  it('reads HF_ENDPOINT, HF_CLIENT_ID and HF_SECRET_NAMESPACES', () => {
    expect(
      parseEnv({
        HF_ENDPOINT: 'https://hub.internal.example/hf/',
        HF_CLIENT_ID: 'my-oauth-app',
        HF_SECRET_NAMESPACES: ' kaito-workspace, airunway-system,,kaito-workspace ',
      }).huggingface,
    ).toEqual({
      endpoint: 'https://hub.internal.example/hf',
      clientId: 'my-oauth-app',
      secretNamespaces: ['kaito-workspace', 'airunway-system'],
    });
  });

  it('names a bad endpoint or namespace', () => {
    expect(() => parseEnv({ HF_ENDPOINT: 'ftp://x', HF_SECRET_NAMESPACES: 'ok,Not_OK' })).toThrow(
      /HF_ENDPOINT: must be an http or https URL\n {2}HF_SECRET_NAMESPACES\[1\]: must be a namespace name/,
    );
  });
});
