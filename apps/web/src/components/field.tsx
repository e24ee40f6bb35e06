'use client';
// A labelled form control with its hint and error, wired for assistive technology: the control
// gets the id, aria-describedby and aria-invalid through the render prop. TextField,
// NumberField, TextAreaField and SelectField are that frame around the usual controls, so a
// form field is one element; Field itself is for anything else.
import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import styles from './field.module.css';
import { Icon } from './icon';

export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

export function Field({ label, hint, error, optional, className, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={[styles.field, className].filter(Boolean).join(' ')}>
      <label className={styles.label} htmlFor={id}>
        {label}
        {optional && <span className={styles.optional}>(optional)</span>}
      </label>
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
      {hint && (
        <p className={styles.hint} id={hintId}>
          {hint}
        </p>
      )}
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </div>
  );
}

/** The frame's props, without the render prop. */
type FrameProps = Omit<FieldProps, 'children'>;

/** A control's own attributes, less what the frame and the field's value/onChange set. */
type Native<Attributes> = Omit<
  Attributes,
  'id' | 'className' | 'value' | 'onChange' | 'children' | 'aria-describedby' | 'aria-invalid'
>;

/** A field's props split into the frame's (label, hint, error…) and the control's own. */
function splitFrame<P extends FrameProps>({ label, hint, error, optional, className, ...control }: P) {
  return [{ label, hint, error, optional, className }, control] as const;
}

export function TextField(
  props: FrameProps &
    Native<InputHTMLAttributes<HTMLInputElement>> & { value: string; onChange: (value: string) => void },
) {
  const [frame, { value, onChange, ...input }] = splitFrame(props);
  return (
    <Field {...frame}>
      {(control) => (
        <input
          {...input}
          {...control}
          className="input"
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
          }}
        />
      )}
    </Field>
  );
}

/** A whole number; an empty box is NaN, so the schema (not the browser) says what is wrong. */
export function NumberField(
  props: FrameProps & { value: number; onChange: (value: number) => void; min: number; max: number },
) {
  const [frame, { value, onChange, min, max }] = splitFrame(props);
  return (
    <Field {...frame}>
      {(control) => (
        <input
          {...control}
          className="input"
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          value={Number.isFinite(value) ? value : ''}
          onChange={(e) => {
            onChange(e.target.value === '' ? Number.NaN : Number(e.target.value));
          }}
        />
      )}
    </Field>
  );
}

export function TextAreaField(
  props: FrameProps &
    Native<TextareaHTMLAttributes<HTMLTextAreaElement>> & {
      value: string;
      onChange: (value: string) => void;
    },
) {
  const [frame, { value, onChange, ...textarea }] = splitFrame(props);
  return (
    <Field {...frame}>
      {(control) => (
        <textarea
          {...textarea}
          {...control}
          className="textarea"
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
          }}
        />
      )}
    </Field>
  );
}

/** `options` are the <option>s; their values are the T the field holds. */
export function SelectField<T extends string>(
  props: FrameProps &
    Native<SelectHTMLAttributes<HTMLSelectElement>> & {
      value: T;
      onChange: (value: T) => void;
      options: readonly { value: T; label: ReactNode }[];
    },
) {
  const [frame, { value, onChange, options, ...select }] = splitFrame(props);
  return (
    <Field {...frame}>
      {(control) => (
        <select
          {...select}
          {...control}
          className="select"
          value={value}
          onChange={(e) => {
            onChange(e.target.value as T);
          }}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function FieldError({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p className={styles.error} id={id}>
      <Icon name="alert" size={13} />
      <span>{children}</span>
    </p>
  );
}

export interface SwitchProps {
  label: ReactNode;
  description?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  name?: string;
}

export function Switch({ label, description, checked, onChange, disabled, name }: SwitchProps) {
  const id = useId();
  return (
    <div className={styles.switchRow}>
      <input
        id={id}
        type="checkbox"
        role="switch"
        className={styles.switch}
        checked={checked}
        disabled={disabled}
        name={name}
        aria-describedby={description ? `${id}-description` : undefined}
        onChange={(e) => {
          onChange(e.target.checked);
        }}
      />
      <span className={styles.switchText}>
        <label htmlFor={id} className={styles.label}>
          {label}
        </label>
        {description && (
          <span className={styles.hint} id={`${id}-description`}>
            {description}
          </span>
        )}
      </span>
    </div>
  );
}
