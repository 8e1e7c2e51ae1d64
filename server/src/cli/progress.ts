import type { ProgressStream } from './cli-context.ts';

export interface Progress {
  /** One more item done. */
  advance(): void;
  /** Draws the final state and ends the line. */
  finish(): void;
}

/** A terminal redraws at most this often: a fast run must not spend its time painting. */
const redrawMs = 80;

/**
 * Progress of a long operation on stderr: on a terminal a bar redrawn in place; otherwise (a log,
 * a pipe, CI) a plain line at every tenth of the way, so logs stay short and readable.
 */
export function startProgress(stream: ProgressStream, label: string, total: number, clock: () => number = () => performance.now()): Progress {
  let done = 0;
  if (stream.isTTY) {
    let drawnAt = -Infinity;
    const draw = () => {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 2 * String(total).length - 6));
      const filled = total === 0 ? width : Math.round((done / total) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
      drawnAt = clock();
    };
    draw();
    return {
      advance() {
        done++;
        if (clock() - drawnAt >= redrawMs) draw();
      },
      finish() {
        draw();
        stream.write('\n');
      },
    };
  }
  let printedTenths = 0;
  let printedDone = -1;
  const line = () => {
    stream.write(`${label}: ${done}/${total}\n`);
    printedDone = done;
  };
  return {
    advance() {
      done++;
      const tenths = Math.floor((done * 10) / Math.max(total, 1));
      if (tenths > printedTenths) {
        printedTenths = tenths;
        line();
      }
    },
    finish() {
      if (printedDone !== done) line();
    },
  };
}
