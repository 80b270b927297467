/** Progress display: the text, and the terminal bar, on a fake clock. */
import { Writable } from 'node:stream';
import { formatDuration, frameProgress, progressText, timeLeft } from '../../src/cli/progress';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  let text = '';
  const stream = new Writable({ write: (chunk, _encoding, done) => ((text += chunk.toString()), done()) });
  return Object.assign(stream, { isTTY, columns: 120, text: () => text }) as never;
}

describe('progress', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect([0, 7_400, 65_000, 3_725_000].map(formatDuration)).toEqual(['0:00', '0:07', '1:05', '1:02:05']);
  });

  it('time left: what the remaining tiles cost at the rate so far', () => {
    expect(timeLeft({ done: 0, total: 10, computed: 0 }, 1000)).toBeUndefined();
    expect(timeLeft({ done: 4, total: 10, computed: 2 }, 8000)).toBe(12_000);
    expect(progressText({ done: 4, total: 10, computed: 2 }, 8000)).toBe(
      '4/10 tiles, 2 computed, 0:08 elapsed, 0:12 left',
    );
    expect(progressText({ done: 10, total: 10, computed: 3 }, 20_000)).toBe('10/10 tiles, 3 computed, 0:20 elapsed');
  });

  it('not a terminal: one plain line when the frame ends', () => {
    let now = 1000;
    const stream = fakeStream(false);
    const progress = frameProgress('  a.png', { stream, clock: () => now });
    progress.update({ done: 1, total: 3, computed: 1 });
    now += 2000;
    progress.update({ done: 3, total: 3, computed: 2 });
    now += 500;
    expect(progress.finish()).toBe(2500);
    expect(stream.text()).toBe('  a.png: 3/3 tiles, 2 computed, 0:03 elapsed\n');
  });

  it('a terminal: a bar redrawn in place, ended by finish()', () => {
    jest.useFakeTimers(); // cli-progress redraws on a timer; finish() must stop it
    try {
      let now = 0;
      const stream = fakeStream(true);
      const progress = frameProgress('  b.png', { stream, clock: () => now });
      progress.update({ done: 0, total: 8, computed: 0 });
      now = 3000;
      progress.update({ done: 2, total: 8, computed: 1 });
      jest.advanceTimersByTime(200);
      expect(stream.text()).toContain(
        '  b.png ██████░░░░░░░░░░░░░░░░░░ 2/8 tiles, 1 computed, 0:03 elapsed, 0:09 left',
      );
      now = 12_000;
      progress.update({ done: 8, total: 8, computed: 5 });
      progress.finish();
      // The last state stays on screen, and the line ends.
      expect(stream.text()).toMatch(/ {2}b\.png █{24} 8\/8 tiles, 5 computed, 0:12 elapsed\u001b\[0K[^\n]*\n$/);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
