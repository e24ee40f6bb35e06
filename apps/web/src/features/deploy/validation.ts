// Live validation of the Deploy form with the shared Zod schema of the create request — the
// same rules the API applies — plus what only the form can check (engine-arg lines).
import { CreateDeploymentRequestSchema, formatIssues, type FieldError } from '@airunway/schema';
import { formFieldOf, parseEngineArgs, type DeployForm } from '~/lib/deploy-form';

export type FieldErrors = Partial<Record<keyof DeployForm | 'yaml', string>>;

export function fieldErrorsOf(errors: readonly FieldError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) {
    const field = formFieldOf(error.path);
    const sub = error.path.includes('.') && field !== 'yaml' ? ` (${error.path})` : '';
    out[field] ??= field === 'yaml' ? `${error.path}: ${error.message}` : `${error.message}${sub}`;
  }
  return out;
}

export function validateDeployForm(
  form: DeployForm,
  request: unknown,
): { valid: boolean; errors: FieldErrors } {
  const result = CreateDeploymentRequestSchema.safeParse(request, { reportInput: true });
  const errors = result.success ? {} : fieldErrorsOf(formatIssues(result.error.issues));
  const { badLines } = parseEngineArgs(form.engineArgs);
  if (badLines.length > 0)
    errors.engineArgs ??= `Line ${badLines.join(', ')} is not a flag (name=value or --name value)`;
  if (form.contextLength.trim() && !/^\d+$/.test(form.contextLength.trim()))
    errors.contextLength = 'must be a whole number of tokens';
  return { valid: Object.keys(errors).length === 0, errors };
}
