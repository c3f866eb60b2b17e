import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { HANDLER_DIST_DIR } from '#handler/bundle';
import { ItemsApiAlarms, SERVER_ERROR_MIN_REQUESTS } from '../../infra/alarms';
import { GetItemFunction } from '../../infra/get-item-function';
import { ItemsTable } from '../../infra/items-table';
import { RestApi } from '../../infra/rest-api';
import { Testing } from '../../infra/toolchain';
import {
  environment,
  expectProblem,
  expectResource,
  expectResourceExactly,
  ref,
  resourcesOf,
  type Synth,
  synthStack,
} from './synth';

const dev = environment('dev');
const ALARM = 'aws_cloudwatch_metric_alarm';

const stage = (s: Synth) => ({
  ApiName: ref(s, 'aws_api_gateway_rest_api', 'name'),
  Stage: ref(s, 'aws_api_gateway_stage', 'stage_name'),
});
const apiMetric = (s: Synth, metric_name: string) => ({
  namespace: 'AWS/ApiGateway',
  metric_name,
  dimensions: stage(s),
  period: 60,
  stat: 'Sum',
});
const fn = (s: Synth) => ({ FunctionName: ref(s, 'aws_lambda_function', 'function_name') });

/** Each alarm of the dev stack: what it watches and when it fires. Mutation-checked below. */
const ALARMS: readonly [name: string, properties: (s: Synth) => Record<string, unknown>][] = [
  [
    'api-5xx-rate',
    (s) => ({
      comparison_operator: 'GreaterThanThreshold',
      threshold: 1,
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
      metric_query: [
        { id: 'errors', metric: apiMetric(s, '5XXError'), return_data: false },
        { id: 'requests', metric: apiMetric(s, 'Count'), return_data: false },
        {
          id: 'rate',
          expression: `IF(requests >= ${SERVER_ERROR_MIN_REQUESTS}, 100 * errors / requests, 0)`,
          return_data: true,
        },
      ],
    }),
  ],
  [
    'api-latency-p99',
    (s) => ({
      namespace: 'AWS/ApiGateway',
      metric_name: 'Latency',
      dimensions: stage(s),
      extended_statistic: 'p99',
      period: 300,
      evaluation_periods: 3,
      datapoints_to_alarm: 2,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 1000,
      evaluate_low_sample_count_percentiles: 'ignore',
    }),
  ],
  [
    'function-errors',
    (s) => ({
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: fn(s),
      statistic: 'Sum',
      period: 60,
      evaluation_periods: 1,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
    }),
  ],
  [
    'function-throttles',
    (s) => ({
      namespace: 'AWS/Lambda',
      metric_name: 'Throttles',
      dimensions: fn(s),
      statistic: 'Sum',
      period: 60,
      evaluation_periods: 1,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
    }),
  ],
  [
    'function-duration',
    (s) => ({
      namespace: 'AWS/Lambda',
      metric_name: 'Duration',
      dimensions: fn(s),
      statistic: 'Maximum',
      period: 300,
      evaluation_periods: 1,
      comparison_operator: 'GreaterThanThreshold',
      // 80 % of the 6 s timeout.
      threshold: 4800,
    }),
  ],
  [
    'table-read-throttles',
    (s) => ({
      namespace: 'AWS/DynamoDB',
      metric_name: 'ThrottledRequests',
      dimensions: { TableName: ref(s, 'aws_dynamodb_table', 'name'), Operation: 'GetItem' },
      statistic: 'Sum',
      period: 60,
      evaluation_periods: 5,
      datapoints_to_alarm: 2,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
    }),
  ],
];

const alarms = (s: Synth) => Object.values(resourcesOf(s, ALARM));

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to "-". */
const RUNBOOK_ANCHORS = new Set(
  readFileSync(path.join(__dirname, '../../docs/operations.md'), 'utf8')
    .split('\n')
    .filter((line) => /^#{2,4} /.test(line))
    .map((line) =>
      line
        .replace(/^#+ /, '')
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replaceAll(' ', '-'),
    ),
);

describe('alarms of the dev stack', () => {
  const synth = synthStack(dev);

  for (const [name, properties] of ALARMS) {
    it(`${name}: watches the right metric and fires at the right threshold`, () => {
      const expected = {
        alarm_name: `item-api-dev-${name}`,
        treat_missing_data: 'notBreaching',
        ...properties(synth),
      };
      expectResourceExactly(synth, ALARM, expected);
    });

    it(`${name}: links its runbook section`, () => {
      const alarm = alarms(synth).find((a) => a.alarm_name === `item-api-dev-${name}`);
      expect(alarm?.alarm_description).to.match(new RegExp(`Runbook: docs/operations\\.md#${name}$`));
      expect(RUNBOOK_ANCHORS.has(name), `docs/operations.md has a section #${name}`).to.equal(true);
    });
  }

  it('has exactly these alarms, so a new one gets a row above and a runbook section', () => {
    expect(alarms(synth).map((a) => a.alarm_name)).to.have.members(
      ALARMS.map(([name]) => `item-api-dev-${name}`),
    );
  });

  it('notifies nobody and creates no topic when no alarm email is configured', () => {
    expect(synth.config.resource).not.to.have.any.keys('aws_sns_topic', 'aws_sns_topic_subscription');
    for (const alarm of alarms(synth)) {
      expect(alarm, String(alarm.alarm_name)).not.to.have.any.keys('alarm_actions', 'ok_actions');
    }
    expect(synth.config.output).not.to.have.property('alarm_topic_arn');
  });
});

describe('alarms with an alarm email', () => {
  const synth = synthStack({ ...dev, alarms: { email: 'ops@example.com' } });

  it('create a topic named after the environment and subscribe the address', () => {
    expectResource(synth, 'aws_sns_topic', { name: 'item-api-dev-alarms' });
    expectResource(synth, 'aws_sns_topic_subscription', {
      topic_arn: ref(synth, 'aws_sns_topic', 'arn'),
      protocol: 'email',
      endpoint: 'ops@example.com',
    });
  });

  it('leave the topic off the AWS managed key, which CloudWatch cannot publish through', () => {
    const [topic] = Object.values(resourcesOf(synth, 'aws_sns_topic'));
    expect(topic).not.to.have.property('kms_master_key_id');
  });

  it('notify the topic from every alarm, on ALARM and on OK', () => {
    const topic = ref(synth, 'aws_sns_topic', 'arn');
    expect(alarms(synth)).to.have.lengthOf(ALARMS.length);
    for (const alarm of alarms(synth)) {
      expect(alarm, String(alarm.alarm_name)).to.deep.include({
        alarm_actions: [topic],
        ok_actions: [topic],
      });
    }
  });

  it('output the topic ARN', () => {
    expect(synth.config.output.alarm_topic_arn?.value).to.equal(ref(synth, 'aws_sns_topic', 'arn'));
  });
});

describe('alarm thresholds follow the configuration', () => {
  const CASES: readonly [title: string, change: Partial<typeof dev>, name: string, threshold: number][] = [
    ['duration: 80 % of a 9 s timeout', { fn: { timeoutSeconds: 9 } }, 'function-duration', 7200],
    ['latency: the configured p99', { alarms: { latencyP99Ms: 2500 } }, 'api-latency-p99', 2500],
  ];
  for (const [title, change, name, threshold] of CASES) {
    it(title, () => {
      const synth = synthStack({ ...dev, ...change });
      expectResource(synth, ALARM, { alarm_name: `item-api-dev-${name}`, threshold });
    });
  }
});

describe('alarm settings are validated', () => {
  const CONFIG: readonly [title: string, change: Partial<typeof dev>, message: RegExp][] = [
    [
      'an alarm email without "@"',
      { alarms: { email: 'ops.example.com' } },
      /^environments\.dev\.alarms\.email /,
    ],
    [
      'two alarm emails',
      { alarms: { email: 'a@example.com,b@example.com' } },
      /^environments\.dev\.alarms\.email /,
    ],
    [
      'a latency threshold past the 29 s integration timeout',
      { alarms: { latencyP99Ms: 29_000 } },
      /^environments\.dev\.alarms\.latencyP99Ms .*29000/,
    ],
    [
      'a fractional latency threshold',
      { alarms: { latencyP99Ms: 10.5 } },
      /^environments\.dev\.alarms\.latencyP99Ms /,
    ],
  ];
  for (const [title, change, message] of CONFIG) {
    it(`rejects ${title} in the config, naming the field`, () => {
      expectProblem({ ...dev, ...change }, message);
    });
  }

  const PROPS: readonly [title: string, props: Record<string, number>, message: RegExp][] = [
    ['a 0 % error rate', { serverErrorRatePercent: 0 }, /^- ItemsApiAlarms\.serverErrorRatePercent /m],
    [
      'a duration share of 100 %',
      { durationPercentOfTimeout: 100 },
      /^- ItemsApiAlarms\.durationPercentOfTimeout /m,
    ],
  ];
  for (const [title, props, message] of PROPS) {
    it(`rejects ${title} in the construct`, () => {
      expect(() =>
        Testing.synthScope((scope) => {
          const table = new ItemsTable(scope, 'table', { tableName: 'things' });
          const handler = new GetItemFunction(scope, 'fn', {
            table,
            functionName: 'things-get',
            bundleDir: HANDLER_DIST_DIR,
          });
          const api = new RestApi(scope, 'api', { handler, apiName: 'things-api' });
          new ItemsApiAlarms(scope, 'alarms', { namePrefix: 'things', api, handler, table, ...props });
        }),
      ).to.throw(message);
    });
  }
});
