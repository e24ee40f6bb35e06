// A cross-field validation rule, written once and enforced twice: as a CEL expression in
// the CRD (`x-kubernetes-validations`, checked by the kube-apiserver on every write) and as
// a TypeScript predicate that Zod runs (REST API, dashboard forms, operator). Both report
// the same message at the same field path, so a user sees one error whichever way they
// submit the object.
import { z } from 'zod';

/** The `reason` values the apiserver accepts on `x-kubernetes-validations`. */
export type ValidationReason = 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden';

export interface ValidationRule<Self> {
  /** Stable kebab-case name, e.g. `model-id-required`; Zod issues carry it in `params.rule`. */
  readonly id: string;
  /**
   * CEL expression, `self` being the object the rule is attached to. It is evaluated after
   * defaulting, so fields with a default are always present; optional fields need `has()`.
   */
  readonly cel: string;
  /** What the user reads when the rule fails, in terms of the fields they wrote. */
  readonly message: string;
  /** The field the message is about, relative to the object the rule is attached to. */
  readonly fieldPath?: readonly string[];
  /** How the apiserver classifies the error; `FieldValueInvalid` when omitted. */
  readonly reason?: ValidationReason;
  /** The same rule in TypeScript: true when `self` satisfies it. Receives the defaulted value. */
  readonly holds: (self: Self) => boolean;
}

/** One entry of `x-kubernetes-validations`, as the CRD spells it. */
export interface CrdValidationRule {
  readonly rule: string;
  readonly message: string;
  readonly fieldPath?: string;
  readonly reason?: ValidationReason;
}

/** Renders a field path the way `x-kubernetes-validations[].fieldPath` wants it: `.a.b`. */
export function celFieldPath(path: readonly string[]): string {
  return path.map((segment) => `.${segment}`).join('');
}

export function toCrdValidationRule(rule: ValidationRule<never>): CrdValidationRule {
  return {
    rule: rule.cel,
    message: rule.message,
    ...(rule.fieldPath && { fieldPath: celFieldPath(rule.fieldPath) }),
    ...(rule.reason && { reason: rule.reason }),
  };
}

/**
 * Attaches rules to a schema: Zod checks them on parse, and the JSON Schema (hence the CRD)
 * carries them as `x-kubernetes-validations` at the same node.
 */
export function withRules<S extends z.ZodType>(schema: S, rules: readonly ValidationRule<z.output<S>>[]): S {
  return schema
    .superRefine((value, ctx) => {
      for (const rule of rules) {
        if (rule.holds(value)) continue;
        ctx.addIssue({
          code: 'custom',
          message: rule.message,
          path: [...(rule.fieldPath ?? [])],
          params: { rule: rule.id },
        });
      }
    })
    .meta({ 'x-kubernetes-validations': rules.map((rule) => toCrdValidationRule(rule)) });
}
