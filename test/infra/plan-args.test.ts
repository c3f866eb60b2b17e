import { expect } from 'chai';
import { parsePlanArgs } from '../../scripts/plan';

describe('npm run plan arguments', () => {
  const accepted: [argv: string[], expected: ReturnType<typeof parsePlanArgs>][] = [
    [[], { stacks: [], lock: true, lockTimeout: undefined }],
    [['dev', 'prod'], { stacks: ['dev', 'prod'], lock: true, lockTimeout: undefined }],
    [['--no-lock'], { stacks: [], lock: false, lockTimeout: undefined }],
    [['--lock-timeout=10m', 'dev'], { stacks: ['dev'], lock: true, lockTimeout: '10m' }],
  ];
  for (const [argv, expected] of accepted) {
    it(`reads ${JSON.stringify(argv)}`, () => {
      expect(parsePlanArgs(argv)).to.deep.equal(expected);
    });
  }

  const rejected: [argv: string[], error: RegExp][] = [
    [['--lock-timeout=soon'], /--lock-timeout must be a duration/],
    [['--no-lock', '--lock-timeout=1m'], /exclude each other/],
    [['--nolock'], /unknown option --nolock/],
  ];
  for (const [argv, error] of rejected) {
    it(`rejects ${JSON.stringify(argv)}`, () => {
      expect(() => parsePlanArgs(argv)).to.throw(error);
    });
  }
});
