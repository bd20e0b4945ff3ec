/**
 * Hours are kept as integer tenths: 1.5 hours is 15. Floats never hold a ledger value, so that
 * 59.9 + 0.1 is exactly 60.
 */
export type Tenths = number;

export const MAX_HOURS_PER_ENTRY = 500;

/** A JSON number with at most one decimal → tenths; null when it has more precision than that. */
export function hoursToTenths(hours: number): Tenths | null {
  if (!Number.isFinite(hours)) return null;
  const tenths = Math.round(hours * 10);
  return Math.abs(tenths - hours * 10) < 1e-6 ? tenths : null;
}

/** Tenths → the JSON number a client reads (15 → 1.5). Division by ten prints the exact decimal. */
export const tenthsToHours = (tenths: Tenths): number => tenths / 10;
