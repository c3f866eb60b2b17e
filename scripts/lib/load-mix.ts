/** The traffic mix for load and concurrency checks against the seeded local stack: path → expected status. */
export const LOAD_MIX: readonly { name: string; path: string; status: number }[] = [
  { name: 'hit', path: '/hello', status: 200 },
  { name: 'hit (38 digits)', path: '/big-number', status: 200 },
  { name: 'hit (unicode id)', path: '/caf%C3%A9%20%E2%98%95', status: 200 },
  { name: 'miss', path: '/no-such-item', status: 404 },
  { name: 'bad encoding', path: '/%E0%A4%A', status: 400 },
  { name: 'oversized id', path: `/${'x'.repeat(1025)}`, status: 400 },
  { name: 'control character', path: '/a%00b', status: 400 },
];
