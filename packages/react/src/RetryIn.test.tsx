import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import '../test/render.js';
import { RetryIn } from './RetryIn.js';

describe('RetryIn', () => {
  it.each([
    [4_000, 'in 4 s', '4'],
    [12_000, 'in 12 s', '12'],
    [95_000, 'in 1 min 35 s', null],
    [0, 'now', null],
    [-2_000, 'now', null],
  ])('%i ms ahead reads %s', (ahead, words, seconds) => {
    const { container } = render(<RetryIn retryAt={1_000_000 + ahead} now={1_000_000} />);
    expect(container.textContent).toBe(words);
    // Under a minute the seconds are their own element, for a fixed width: the text around does not shift.
    expect(container.querySelector('[data-tessera="retry-seconds"]')?.textContent ?? null).toBe(seconds);
  });
});
