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

/** True for a real calendar date written YYYY-MM-DD (2023-02-29 is not one). Checked twice an entry: no allocation. */
export function isRealDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  return day <= DAYS_IN_MONTH[month - 1] || (month === 2 && day === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the ASCII digits value[from..to), or -1 if any is not a digit. */
function digits(value: string, from: number, to: number): number {
  let number = 0;
  for (let at = from; at < to; at++) {
    const digit = value.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}
