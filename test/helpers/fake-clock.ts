/** A clock the test can move forward (`clock.offset += ms`) to expire tokens without waiting. */
export function fakeClock(): { offset: number; now: () => number } {
  const c = { offset: 0, now: () => Date.now() + c.offset };
  return c;
}
