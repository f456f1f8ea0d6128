import { SingleBar, Presets } from 'cli-progress';

/**
 * A progress reporter for long simulations: a bar on stderr, only when stderr is a terminal and only once the
 * run has taken longer than a second (short runs stay quiet). Uses cli-progress, a well-kept library.
 */
export function terminalProgress(label: string): { update: (fraction: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  let bar: SingleBar | undefined;
  return {
    update(fraction: number) {
      if (!bar) {
        if (Date.now() - started < 1000) return;
        bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {duration_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
        bar.start(1000, 0);
      }
      bar.update(Math.round(Math.min(1, Math.max(0, fraction)) * 1000));
    },
    stop() {
      if (bar) bar.stop();
    },
  };
}
