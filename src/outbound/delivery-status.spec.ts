import { movesForward } from './delivery-status';

describe(movesForward.name, () => {
  it.each([
    ['queued', 'sent', true],
    ['accepted', 'queued', true],
    ['sent', 'delivered', true],
    ['queued', 'undelivered', true],
    ['delivered', 'read', true],
    ['sent', 'queued', false],
    ['delivered', 'sent', false],
    ['delivered', 'delivered', false],
    ['delivered', 'undelivered', false],
    ['failed', 'delivered', false],
    ['queued', 'exploded', false],
  ])('%s -> %s: %s', (current, next, expected) => {
    expect(movesForward(current, next)).toBe(expected);
  });
});
