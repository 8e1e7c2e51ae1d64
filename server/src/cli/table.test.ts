import { describe, expect, it } from 'vitest';
import { formatAge, formatSeconds } from './format.ts';
import { formatFields, formatTable } from './table.ts';

describe('formatTable', () => {
  it('aligns columns, numbers (and their header) to the right, without trailing spaces', () => {
    const table = formatTable(
      [{ header: 'ID', align: 'right' }, { header: 'NAME' }, { header: 'NOTE' }],
      [
        ['7', 'a', ''],
        ['123', 'longer name', 'free text of any length'],
      ],
    );
    expect(table.split('\n')).toEqual([' ID  NAME         NOTE', '  7  a', '123  longer name  free text of any length']);
  });

  it('aligns the values of key: value lines', () => {
    expect(formatFields([['id', '1'], ['custom id', '-']])).toBe('id:        1\ncustom id: -');
  });
});

describe('durations', () => {
  it.each([
    [0.25, '250ms'],
    [12.345, '12.3s'],
    [245, '4m05s'],
    [12_000, '3h20m'],
    [187_200, '2d04h'],
    [null, '-'],
  ])('formats %j seconds as %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });

  it('says how long ago, or never', () => {
    const now = new Date('2026-01-01T00:10:00Z');
    expect(formatAge('2026-01-01T00:09:57.500Z', now)).toBe('2s ago');
    expect(formatAge('2026-01-01T00:00:00Z', now)).toBe('10m00s ago');
    expect(formatAge(null, now)).toBe('never');
  });
});
