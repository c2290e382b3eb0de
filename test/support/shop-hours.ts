/**
 * Business hours that put "now" after closing time, for tests over HTTP: the platform has no clock
 * to set, so the shop's hours are chosen instead. Open every day 00:00–00:01, in a fixed-offset
 * zone where it is now around noon: a case opened now is due at 00:01 the next local day, about
 * twelve hours away, whatever the hour the suite runs at.
 */
export function closedAtNoon() {
  const offset = 12 - new Date().getUTCHours(); // -11 … +12 hours from UTC
  // Etc/GMT zones count the other way: Etc/GMT-8 is UTC+8.
  return { timeZone: `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`, workingDays: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '00:01', holidays: [], extraWorkingDays: [] };
}
