// Just enough of the Kubernetes quantity grammar to do arithmetic on memory sizes.
import { QUANTITY } from '@airunway/schema';

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The value of a quantity (`16Gi`, `512M`, `1.5e9`, 8) as a number; undefined if it is not one. */
export function parseQuantity(quantity: string | number): number | undefined {
  if (typeof quantity === 'number') return quantity;
  if (!QUANTITY.test(quantity)) return undefined;
  const match = /^\+?([0-9.]+)(.*)$/.exec(quantity);
  if (!match) return undefined;
  const [, digits = '', suffix = ''] = match;
  const base = Number(digits);
  if (suffix === '') return base;
  if (suffix in BINARY) return base * (BINARY[suffix] ?? 1);
  if (suffix in DECIMAL) return base * (DECIMAL[suffix] ?? 1);
  if (/^[eE]/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  return undefined;
}

/** A byte count as a quantity in whole Gi when it divides evenly, else whole Mi (rounded down). */
export function formatBytes(bytes: number): string {
  if (bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30}Gi`;
  return `${Math.floor(bytes / 2 ** 20)}Mi`;
}

/** A quantity as the string Kubernetes would accept for it (numbers become strings). */
export function quantityString(quantity: string | number): string {
  return String(quantity);
}
