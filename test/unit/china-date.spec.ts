import { jest } from '@jest/globals';
import fc from 'fast-check';
import { isRealDate, todayInChina } from '../../src/common/china-date.js';

describe('dates in China (UTC+8)', () => {
  afterEach(() => jest.useRealTimers());

  it('turns the day at 16:00 UTC, also when today is remembered between calls', () => {
    jest.useFakeTimers({ now: new Date('2024-05-20T15:59:59.999Z') });
    expect(todayInChina()).toBe('2024-05-20');
    jest.setSystemTime(new Date('2024-05-20T16:00:00.000Z'));
    expect(todayInChina()).toBe('2024-05-21');
    jest.setSystemTime(new Date('2024-05-21T15:59:59.999Z'));
    expect(todayInChina()).toBe('2024-05-21');
    // A clock set back (by hand, or NTP) is followed, not outrun by the remembered day.
    jest.setSystemTime(new Date('2024-05-19T10:00:00.000Z'));
    expect(todayInChina()).toBe('2024-05-19');
  });

  it('answers for a given instant without remembering it', () => {
    expect(todayInChina(new Date('2023-12-31T16:00:00.000Z'))).toBe('2024-01-01');
    expect(todayInChina(new Date('2023-12-31T15:59:59.999Z'))).toBe('2023-12-31');
  });

  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-04-31', false],
    ['2024-4-30', false],
    ['2024-12-31', true],
  ])('%s is a real date: %s', (value, real) => {
    expect(isRealDate(value)).toBe(real);
  });

  it('agrees with the calendar on every day of 1899-2101 and on malformed text', () => {
    const byCalendar = (value: string) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (!match) return false;
      const [year, month, day] = match.slice(1).map(Number);
      const date = new Date(Date.UTC(year, month - 1, day));
      return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    };
    const disagreements: string[] = [];
    for (let year = 1899; year <= 2101; year++) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const value = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          if (isRealDate(value) !== byCalendar(value)) disagreements.push(value);
        }
      }
    }
    expect(disagreements).toEqual([]);
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (value) => isRealDate(value) === byCalendar(value)), { numRuns: 2000 });
    for (const value of ['2024/02/29', '２０２４-02-29', '2024-02-2a', ' 2024-02-29', '2024-02-29 ', '']) expect(isRealDate(value)).toBe(false);
  });
});
