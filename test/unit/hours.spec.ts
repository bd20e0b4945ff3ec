import { hoursToTenths, tenthsToHours } from '../../src/common/hours.js';

describe('hours as integer tenths', () => {
  it.each([
    [1, 10],
    [1.5, 15],
    [0.1, 1],
    [59.9, 599],
    [500, 5000],
    [12.3, 123],
  ])('%d hours are %d tenths', (hours, tenths) => {
    expect(hoursToTenths(hours)).toBe(tenths);
  });

  it.each([1.25, 0.05, 59.99, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d (more than one decimal, or not finite)', (hours) => {
    expect(hoursToTenths(hours)).toBeNull();
  });

  it('adds exactly where floats would not: 59.9 + 0.1 = 60, 0.1 + 0.2 = 0.3', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(tenthsToHours(hoursToTenths(0.1)! + hoursToTenths(0.2)!)).toBe(0.3);
    expect(tenthsToHours(hoursToTenths(59.9)! + hoursToTenths(0.1)!)).toBe(60);
  });

  it('prints tenths back as the one-decimal number a client sent', () => {
    expect(tenthsToHours(15)).toBe(1.5);
    expect(tenthsToHours(-125)).toBe(-12.5);
    expect(JSON.stringify({ hours: tenthsToHours(3) })).toBe('{"hours":0.3}');
  });
});
