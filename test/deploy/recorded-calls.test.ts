import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { RELAYED_PIECE_LENGTH, readRecordedCalls } from './recorded-calls';

/**
 * Logs in the shape `TF_LOG=JSON` writes them (seen in a real apply against moto with hashicorp/aws
 * 5.100.0): a provider's request as one entry, and a request too long for Terraform's reader (a
 * CreateFunction body holding the zip) relayed as raw pieces of 65,536 characters and a shorter last
 * one, each with only @level, @message, @module and @timestamp.
 */
const PROVIDER = 'provider.terraform-provider-aws_v5.100.0_x5';

const requestLine = (operation: string, body = '{}') =>
  JSON.stringify({
    '@caller': 'github.com/hashicorp/aws-sdk-go-base/v2@v2.0.0-beta.65/logging/tf_logger.go:45',
    '@level': 'debug',
    '@message': 'HTTP Request Sent',
    '@module': 'aws',
    'aws.region': 'us-east-1',
    'http.method': 'POST',
    'http.url': `https://lambda.us-east-1.amazonaws.com/2015-03-31/${operation}`,
    'http.request.body': body,
    'rpc.method': operation,
    'rpc.service': 'Lambda',
  });

/** A line as Terraform relays it when it is longer than its reader's buffer. */
function relayedPieces(line: string): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < line.length; at += RELAYED_PIECE_LENGTH) {
    pieces.push(
      JSON.stringify({
        '@level': 'debug',
        '@message': line.slice(at, at + RELAYED_PIECE_LENGTH),
        '@module': PROVIDER,
        '@timestamp': '2026-12-03T08:39:17.916144Z',
      }),
    );
  }
  return pieces;
}

const terraformsOwn = JSON.stringify({
  '@caller': 'github.com/hashicorp/terraform/internal/terraform/graph.go:129',
  '@level': 'debug',
  '@message': 'walking the graph',
  '@module': 'terraform',
});

const LONG_BODY = JSON.stringify({ ZipFile: 'x'.repeat(3 * RELAYED_PIECE_LENGTH) });

describe('recorded calls: every request Terraform logged, long ones included', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'recorded-calls-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const operationsIn = (lines: readonly string[]) => {
    const file = path.join(dir, 'terraform.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    return readRecordedCalls(file).map((call) => call.operation);
  };

  const [first, ...rest] = relayedPieces(requestLine('CreateFunction', LONG_BODY));

  it('joins a request relayed in pieces, and reads the requests after it', () => {
    expect(rest).to.have.length.greaterThan(1);
    expect(
      operationsIn([requestLine('GetFunction'), first as string, ...rest, requestLine('AddPermission')]),
    ).to.deep.equal(['GetFunction', 'CreateFunction', 'AddPermission']);
  });

  it("keeps every request when Terraform's own entries come between the pieces", () => {
    const interleaved = [first as string, terraformsOwn, rest[0] as string, terraformsOwn, ...rest.slice(1)];
    expect(operationsIn([...interleaved, requestLine('AddPermission')])).to.deep.equal([
      'CreateFunction',
      'AddPermission',
    ]);
  });

  it('stops, rather than drop calls, when the log ends inside a long line or a line is not JSON', () => {
    expect(() => operationsIn([first as string, ...rest.slice(0, -1)])).to.throw(
      `Terraform's log ends inside a long line of ${PROVIDER}`,
    );
    expect(() => operationsIn([requestLine('GetFunction'), '{"@level":"debug","@mess'])).to.throw(
      /Terraform's log: line 2 is not JSON/,
    );
  });
});
