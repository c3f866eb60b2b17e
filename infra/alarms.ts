import { Construct } from 'constructs';
import { checkEmail, checkLatencyThresholdMs, checkPercent } from '#shared/rules';
import { Validator } from '#shared/validation';
import type { GetItemFunction } from './get-item-function';
import type { ItemsTable } from './items-table';
import type { RestApi } from './rest-api';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
  SnsTopic,
  SnsTopicSubscription,
} from './toolchain';

/** Where each alarm's description sends the reader; the anchors are headings in docs/operations.md. */
export const RUNBOOK = 'docs/operations.md';

/**
 * Below this many requests in a minute the 5XX rate is not evaluated: one failed request out of
 * three is 33 %, which says nothing. Crashes at low traffic still page through the function
 * errors alarm, and DynamoDB trouble through the throttle alarm.
 */
export const SERVER_ERROR_MIN_REQUESTS = 10;

/** What an environment may set about its alarms. */
export interface ItemsApiAlarmsSettings {
  /**
   * Share of requests answered 5XX, in percent per minute, above which the 5XX alarm fires.
   * @default 1
   */
  readonly serverErrorRatePercent?: number;
  /**
   * p99 of API latency over 5 minutes, in ms, above which the latency alarm fires. The default
   * sits well above a warm request (tens of ms) and a cold start (a few hundred ms), and well
   * below the handler's 3 s DynamoDB budget.
   * @default 1000
   */
  readonly latencyP99Ms?: number;
  /**
   * The longest invocation, as a share of the function timeout, above which the duration alarm fires.
   * @default 80
   */
  readonly durationPercentOfTimeout?: number;
  /**
   * Email address subscribed to an SNS topic that every alarm notifies, on ALARM and on OK
   * (confirm the mail AWS sends).
   * @default - no topic; the alarms only change state in CloudWatch
   */
  readonly email?: string;
}

export interface ItemsApiAlarmsProps extends ItemsApiAlarmsSettings {
  /** Prefix of every alarm name (and of the topic's), e.g. `item-api-dev`. */
  readonly namePrefix: string;
  /** The API whose stage is watched (5XX rate, latency). */
  readonly api: RestApi;
  /** The function whose errors, throttles and duration are watched. */
  readonly handler: GetItemFunction;
  /** The table whose GetItem throttles are watched. */
  readonly table: ItemsTable;
  /**
   * Tags on the alarms and the topic, on top of the provider's default tags.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const ITEMS_API_ALARMS_DEFAULTS = {
  serverErrorRatePercent: 1,
  latencyP99Ms: 1000,
  durationPercentOfTimeout: 80,
} as const;

export function validateItemsApiAlarmsSettings(settings: ItemsApiAlarmsSettings, at: Validator): void {
  at.check('serverErrorRatePercent', settings.serverErrorRatePercent, checkPercent)
    .check('latencyP99Ms', settings.latencyP99Ms, checkLatencyThresholdMs)
    .check('durationPercentOfTimeout', settings.durationPercentOfTimeout, checkPercent)
    .check('email', settings.email, checkEmail);
}

type AlarmSettings = Omit<CloudwatchMetricAlarmConfig, 'alarmName' | 'alarmDescription'>;

/**
 * The alarms that say GET /{id} is failing or about to: API 5XX rate and p99 latency, function
 * errors, throttles and duration near its timeout, and DynamoDB read throttles. Each description
 * links its runbook section.
 */
export class ItemsApiAlarms extends Construct {
  readonly serverErrorRate: CloudwatchMetricAlarm;
  readonly latencyP99: CloudwatchMetricAlarm;
  readonly functionErrors: CloudwatchMetricAlarm;
  readonly functionThrottles: CloudwatchMetricAlarm;
  readonly functionDuration: CloudwatchMetricAlarm;
  readonly tableThrottles: CloudwatchMetricAlarm;
  /** The notification topic, when `alarmEmail` is set. */
  readonly topic?: SnsTopic;

  constructor(scope: Construct, id: string, props: ItemsApiAlarmsProps) {
    super(scope, id);
    const validator = Validator.for('ItemsApiAlarms');
    validateItemsApiAlarmsSettings(props, validator);
    validator.throwIfInvalid('ItemsApiAlarms props');
    const errorRate = props.serverErrorRatePercent ?? ITEMS_API_ALARMS_DEFAULTS.serverErrorRatePercent;
    const latencyMs = props.latencyP99Ms ?? ITEMS_API_ALARMS_DEFAULTS.latencyP99Ms;
    const durationPercent =
      props.durationPercentOfTimeout ?? ITEMS_API_ALARMS_DEFAULTS.durationPercentOfTimeout;
    const { namePrefix: prefix, tags } = props;

    if (props.email !== undefined) {
      // No server-side encryption: CloudWatch cannot publish to a topic under the AWS managed key
      // (alias/aws/sns), whose key policy cannot grant it kms:GenerateDataKey, so every
      // notification would be dropped; a customer managed key is waived in SECURITY.md. The
      // messages are alarm state changes (names, metrics, thresholds), never item data.
      this.topic = new SnsTopic(this, 'topic', { name: `${prefix}-alarms`, tags });
      // Email subscriptions stay "pending confirmation" until the recipient clicks the link AWS sends.
      new SnsTopicSubscription(this, 'email', {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: props.email,
      });
    }
    const actions =
      this.topic === undefined ? {} : { alarmActions: [this.topic.arn], okActions: [this.topic.arn] };

    // The key names the alarm and is the heading anchor of its runbook section.
    const alarm = (key: string, description: string, settings: AlarmSettings) =>
      new CloudwatchMetricAlarm(this, key, {
        alarmName: `${prefix}-${key}`,
        alarmDescription: `${description} Runbook: ${RUNBOOK}#${key}`,
        // No traffic is no evidence of a problem; an idle API must not sit in ALARM or INSUFFICIENT_DATA.
        treatMissingData: 'notBreaching',
        ...actions,
        tags,
        ...settings,
      });

    const stage = { ApiName: props.api.apiName, Stage: props.api.stageName };
    const apiMetric = (metricName: string) => ({
      namespace: 'AWS/ApiGateway',
      metricName,
      dimensions: stage,
      period: 60,
      stat: 'Sum',
    });

    // Metric math rather than the 5XXError Average (also a rate): the IF keeps a handful of requests
    // from turning one failure into a page.
    this.serverErrorRate = alarm(
      'api-5xx-rate',
      `More than ${errorRate} % of requests answered 5XX in 3 of the last 5 minutes (evaluated from ${SERVER_ERROR_MIN_REQUESTS} requests a minute).`,
      {
        comparisonOperator: 'GreaterThanThreshold',
        threshold: errorRate,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        metricQuery: [
          { id: 'errors', metric: apiMetric('5XXError'), returnData: false },
          { id: 'requests', metric: apiMetric('Count'), returnData: false },
          {
            id: 'rate',
            label: '5XX responses (% of requests)',
            expression: `IF(requests >= ${SERVER_ERROR_MIN_REQUESTS}, 100 * errors / requests, 0)`,
            returnData: true,
          },
        ],
      },
    );

    this.latencyP99 = alarm(
      'api-latency-p99',
      `p99 API latency above ${latencyMs} ms in 2 of the last 3 five-minute periods.`,
      {
        namespace: 'AWS/ApiGateway',
        metricName: 'Latency',
        dimensions: stage,
        extendedStatistic: 'p99',
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: latencyMs,
        // A p99 of a few requests is their maximum: keep the previous state instead of judging it.
        evaluateLowSampleCountPercentiles: 'ignore',
      },
    );

    const fn = { FunctionName: props.handler.functionName };
    const lambdaMetric = (metricName: string, statistic: string, period: number) => ({
      namespace: 'AWS/Lambda',
      metricName,
      dimensions: fn,
      statistic,
      period,
    });

    const anyInAMinute = (metricName: string) => ({
      ...lambdaMetric(metricName, 'Sum', 60),
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 0,
    });

    // The handler catches everything and answers a status, so any Error is a crash, an
    // out-of-memory or a timeout: worth a look the first time.
    this.functionErrors = alarm(
      'function-errors',
      'The function failed (crash, out of memory or timeout) at least once in a minute; the handler itself never throws.',
      anyInAMinute('Errors'),
    );

    // Each throttled invocation is a failed request: API Gateway answers it with a 5XX.
    this.functionThrottles = alarm(
      'function-throttles',
      'Lambda refused invocations for lack of concurrency at least once in a minute.',
      anyInAMinute('Throttles'),
    );

    const timeoutMs = props.handler.timeoutSeconds * 1000;
    this.functionDuration = alarm(
      'function-duration',
      `An invocation took more than ${durationPercent} % of the ${props.handler.timeoutSeconds} s timeout in the last 5 minutes; past the timeout the client gets a 5XX instead of the handler's answer.`,
      {
        ...lambdaMetric('Duration', 'Maximum', 300),
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: Math.round((timeoutMs * durationPercent) / 100),
      },
    );

    // ThrottledRequests for GetItem, the one operation the function calls; ReadThrottleEvents would
    // also count reads by other tools. Two of five minutes, so one burst against a cold partition
    // (answered 503 with Retry-After) does not page.
    this.tableThrottles = alarm(
      'table-read-throttles',
      'DynamoDB throttled GetItem requests in 2 of the last 5 minutes; clients got 503 with Retry-After.',
      {
        namespace: 'AWS/DynamoDB',
        metricName: 'ThrottledRequests',
        dimensions: { TableName: props.table.tableName, Operation: 'GetItem' },
        statistic: 'Sum',
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 2,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
      },
    );
  }
}
