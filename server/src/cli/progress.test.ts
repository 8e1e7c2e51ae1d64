import { describe, expect, it } from 'vitest';
import { startProgress } from './progress.ts';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, columns: 60, write: (text: string) => written.push(text) } };
}

describe('startProgress', () => {
  it('redraws a bar in place on a terminal, at most every 80 ms, and always the final state', () => {
    const { written, stream: s } = stream(true);
    let now = 0;
    const progress = startProgress(s, 'cancelling', 4, () => now);
    progress.advance(); // too soon after the first draw: not drawn
    now = 100;
    progress.advance();
    progress.advance();
    progress.advance();
    progress.finish();
    expect(written.every((w) => w.startsWith('\r') || w === '\n')).toBe(true);
    expect(written[0]).toMatch(/^\rcancelling \[-+\] 0\/4$/);
    expect(written[1]).toMatch(/^\rcancelling \[#+-+\] 2\/4$/);
    expect(written.at(-2)).toMatch(/^\rcancelling \[#+\] 4\/4$/);
    expect(written.at(-1)).toBe('\n');
    expect(written).toHaveLength(4);
  });

  it('writes a plain line at every tenth of the way elsewhere (logs, pipes)', () => {
    const { written, stream: s } = stream(false);
    const progress = startProgress(s, 'deleting', 100);
    for (let i = 0; i < 100; i++) progress.advance();
    progress.finish();
    expect(written).toEqual(Array.from({ length: 10 }, (_, i) => `deleting: ${(i + 1) * 10}/100\n`));
  });
});
