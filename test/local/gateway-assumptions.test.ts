import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { GATEWAY_RESPONSES } from '#local/gateway-responses';
import { GATEWAY_ASSUMPTIONS } from '#shared/gateway-assumptions';
import { CONFORMANCE_CASES } from '../../.github/scripts/lib/conformance-cases';
import { tableRows } from '../support/markdown-table';
import { REPO_ROOT } from '../support/repo-root';

const PAGE = readFileSync(path.join(REPO_ROOT, 'docs', 'api-gateway-assumptions.md'), 'utf8');

const casesOf = (id: string) => CONFORMANCE_CASES.filter((c) => c.assumption === id).map((c) => c.id);

describe('the assumptions the local stack makes about API Gateway, written once', () => {
  it('docs/api-gateway-assumptions.md lists each, in order, with its status and the smoke cases that check it live', () => {
    const expected = Object.entries(GATEWAY_ASSUMPTIONS).map(([id, assumption]) => [
      `[${id}](#${id})`,
      assumption.status,
      casesOf(id).length > 0 ? casesOf(id).join(', ') : 'not checked live',
    ]);
    expect(
      tableRows(PAGE, 'Assumption').map((row) => row.map((cell) => cell.replaceAll('`', ''))),
    ).to.deep.equal(expected);
  });

  it('explains each under a heading of its own', () => {
    for (const id of Object.keys(GATEWAY_ASSUMPTIONS)) expect(PAGE, id).to.include(`\n### ${id}\n`);
  });

  it('says why an assumption no smoke case checks is not checked live, and only then', () => {
    for (const [id, assumption] of Object.entries(GATEWAY_ASSUMPTIONS)) {
      const reason = 'notCheckedLive' in assumption ? assumption.notCheckedLive : undefined;
      expect(reason === undefined, id).to.equal(casesOf(id).length > 0);
    }
  });

  it('says what is unverified about every unverified one', () => {
    for (const [id, assumption] of Object.entries(GATEWAY_ASSUMPTIONS)) {
      if (assumption.status === 'unverified') expect(assumption, id).to.have.property('caveat');
    }
  });

  it('names, for each answer the emulated gateway gives by itself, the assumption it rests on', () => {
    for (const [name, answer] of Object.entries(GATEWAY_RESPONSES)) {
      expect(GATEWAY_ASSUMPTIONS, name).to.have.property(answer.assumption);
    }
  });
});
