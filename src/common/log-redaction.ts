import pino from 'pino';

/**
 * Errors as log lines without the data they carry: a failed SQL statement is logged by its shape
 * (the statement with its `?` placeholders), never with its parameters, the driver's interpolated
 * SQL, or the values a driver message quotes (`Duplicate entry '…' for key …`).
 */
const QUOTED = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;

export const redactQuoted = (text: string): string => text.replace(QUOTED, "'…'");

const DROPPED = new Set(['parameters', 'sql', 'sqlMessage', 'values', 'driverError']);

export function safeErrorSerializer(error: unknown): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(serialized)) {
    if (DROPPED.has(key)) continue;
    safe[key] = typeof value === 'string' && key !== 'query' && key !== 'type' && key !== 'code' ? redactQuoted(value) : value;
  }
  const driver = (error as { driverError?: { code?: unknown; errno?: unknown } } | null)?.driverError;
  if (driver) safe.driver = { code: driver.code, errno: driver.errno };
  return safe;
}
