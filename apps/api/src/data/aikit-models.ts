// The pre-made AIKit images (llama.cpp with the model baked in) published under
// ghcr.io/kaito-project/aikit. Only images that are published are listed; presets AIKit
// announces before publishing them are left out until they exist.

export interface AikitPremadeModel {
  readonly id: string;
  readonly modelName: string;
  readonly image: string;
  readonly license: string;
  /** The model name the image serves under (the `model` of an OpenAI request). */
  readonly servedModelName: string;
}

const IMAGE_REPOSITORY = 'ghcr.io/kaito-project/aikit';

const premade = (
  id: string,
  modelName: string,
  image: string,
  license: string,
  servedModelName: string,
): AikitPremadeModel => ({ id, modelName, image: `${IMAGE_REPOSITORY}/${image}`, license, servedModelName });

export const AIKIT_PREMADE_MODELS: readonly AikitPremadeModel[] = [
  premade('llama3.2-1b', 'Llama 3.2 1B', 'llama3.2:1b', 'Llama', 'llama-3.2-1b-instruct'),
  premade('llama3.2-3b', 'Llama 3.2 3B', 'llama3.2:3b', 'Llama', 'llama-3.2-3b-instruct'),
  premade('llama3.1-8b', 'Llama 3.1 8B', 'llama3.1:8b', 'Llama', 'llama-3.1-8b-instruct'),
  premade('llama3.3-70b', 'Llama 3.3 70B', 'llama3.3:70b', 'Llama', 'llama-3.3-70b-instruct'),
  premade('phi4-14b', 'Phi 4 14B', 'phi4:14b', 'MIT', 'phi-4-14b-instruct'),
  premade('gpt-oss-20b', 'GPT-OSS 20B', 'gpt-oss:20b', 'Apache 2.0', 'gpt-oss-20b'),
  premade('gpt-oss-120b', 'GPT-OSS 120B', 'gpt-oss:120b', 'Apache 2.0', 'gpt-oss-120b'),
];

export const PREMADE_REGISTRY = 'ghcr.io';
