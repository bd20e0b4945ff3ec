const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
/** The current day and the instant it ends: validation asks for today once per date it checks. */
let current = { day: '', endsAt: 0 };

/** Today's date in China (UTC+8, no daylight saving), where the ledger's dates are reckoned. */
export function todayInChina(now?: Date): string {
  if (now) return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  const time = Date.now();
  if (time >= current.endsAt || time < current.endsAt - DAY_MS) {
    const chinaTime = time + CHINA_OFFSET_MS;
    current = { day: new Date(chinaTime).toISOString().slice(0, 10), endsAt: chinaTime - (chinaTime % DAY_MS) + DAY_MS - CHINA_OFFSET_MS };
  }
  return current.day;
}

/** True for a real calendar date written YYYY-MM-DD (2023-02-29 is not one). */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
