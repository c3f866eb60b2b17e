import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BUNDLE_HANDLER_EXPORT } from '#handler/bundle';
import { LAMBDA_LIMITS } from '#handler/src/lambda-limits';
import { lambdaNodeBinary } from './lambda-node';

export interface LambdaProcessOptions {
  /** The built handler file, e.g. dist/handler/index.mjs. */
  readonly bundle: string;
  /** The function's whole environment: like Lambda, nothing is inherited but PATH. */
  readonly env: Readonly<Record<string, string>>;
  /** @default the lane's Node binary from lambdaNodeBinary() */
  readonly nodeBinary?: string;
  /** @default 6000, the infrastructure's default Lambda timeout */
  readonly timeoutMs?: number;
  /** Receives each line the function writes to stdout or stderr. @default lines are kept in `logs` only */
  readonly onLog?: (line: string) => void;
  /** How many of the latest lines `logs` keeps, so a long-running local stack stays flat. @default 10000 */
  readonly keepLogLines?: number;
  /** The array to keep log lines in, so one log can span a function's restarts. @default a new one */
  readonly logs?: string[];
}

/** Lambda's error types the gateway tells apart; any other failure is an integration failure. */
export const REQUEST_TOO_LARGE = 'RequestEntityTooLargeException';

/**
 * Raised when Lambda would not run the function (an event over its payload limit) or the function
 * throws, times out, returns too much or dies: API Gateway answers the first with 413 and all the
 * others with 502.
 */
export class LambdaInvokeError extends Error {
  constructor(
    message: string,
    readonly errorType: string,
  ) {
    super(message);
    this.name = 'LambdaInvokeError';
  }
}

type Pending = {
  resolve: (r: APIGatewayProxyResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
};

/** How a function process ended: its exit code, or the signal that killed it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * The built handler in its own Node 22 process, as on Lambda: init runs once, at start, and events
 * arrive one message at a time. Shared by `npm start`, the integration tests and the benchmarks.
 */
export class LambdaProcess {
  private readonly pending = new Map<number, Pending>();
  /** Messages waiting for the log bytes written before them, in the order they arrived. */
  private readonly waiting: { written: Written | undefined; then: () => void }[] = [];
  private nextId = 0;
  private exitedWith: ProcessExit | undefined;
  /** Settles when the process has exited, for whatever reason. */
  readonly exited: Promise<ProcessExit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly initMs: number,
    private readonly timeoutMs: number,
    /** The latest lines the function wrote (up to `keepLogLines`). */
    readonly logs: string[],
    private readonly output: { readonly received: Written; readonly arrivals: EventEmitter },
  ) {
    child.on('message', (message: RuntimeMessage) =>
      this.afterLogs(message.written, () => this.settle(message)),
    );
    output.arrivals.on('data', () => this.releaseWaiting());
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitedWith = { code, signal };
        // Results already received settle as results, not as the exit.
        this.releaseWaiting();
        for (const [id, pending] of this.pending) {
          clearTimeout(pending.timer);
          pending.reject(
            new LambdaInvokeError(`function process exited (${signal ?? code})`, 'Runtime.ExitError'),
          );
          this.pending.delete(id);
        }
        resolve({ code, signal });
      });
    });
  }

  static start(options: LambdaProcessOptions): Promise<LambdaProcess> {
    const logs = options.logs ?? [];
    const keep = options.keepLogLines ?? 10_000;
    const child = fork(
      path.join(__dirname, 'lambda-runtime.mjs'),
      [options.bundle, String(LAMBDA_LIMITS.responseBytes), BUNDLE_HANDLER_EXPORT],
      {
        execPath: options.nodeBinary ?? lambdaNodeBinary(),
        execArgv: [],
        cwd: path.dirname(options.bundle),
        env: { PATH: process.env.PATH ?? '', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    const received: Written = { stdout: 0, stderr: 0 };
    const arrivals = new EventEmitter();
    for (const [name, stream] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const) {
      const decoder = new StringDecoder('utf8');
      let buffered = '';
      stream?.on('data', (chunk: Buffer) => {
        received[name] += chunk.length;
        buffered += decoder.write(chunk);
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          logs.push(line);
          options.onLog?.(line);
        }
        // Trimmed in batches, so a busy function does not pay for a shift on every line.
        if (logs.length > 2 * keep) logs.splice(0, logs.length - keep);
        arrivals.emit('data');
      });
    }
    return new Promise((resolve, reject) => {
      child.once('message', (message: RuntimeMessage) => {
        if (message.type === 'ready') {
          resolve(
            new LambdaProcess(child, message.initMs, options.timeoutMs ?? 6000, logs, { received, arrivals }),
          );
        } else {
          reject(new Error(`function init failed: ${'message' in message ? message.message : message.type}`));
        }
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`function process exited during init (${code})`)));
    });
  }

  /** The function process's id, to read its memory use. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitedWith !== undefined;
  }

  invoke(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    if (this.exitedWith)
      return Promise.reject(new LambdaInvokeError('function process has exited', 'Runtime.ExitError'));
    // Lambda refuses an event over its request limit before any function runs.
    const eventBytes = Buffer.byteLength(JSON.stringify(event), 'utf8');
    if (eventBytes > LAMBDA_LIMITS.requestBytes) {
      return Promise.reject(
        new LambdaInvokeError(
          `${eventBytes} byte payload is too large for the RequestResponse invocation type (limit ${LAMBDA_LIMITS.requestBytes} bytes)`,
          REQUEST_TOO_LARGE,
        ),
      );
    }
    const invocationId = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(invocationId);
        reject(new LambdaInvokeError(`Task timed out after ${this.timeoutMs} ms`, 'Sandbox.Timedout'));
      }, this.timeoutMs + 100);
      this.pending.set(invocationId, { resolve, reject, timer });
      this.child.send({ type: 'invoke', invocationId, event, timeoutMs: this.timeoutMs });
    });
  }

  async stop(): Promise<void> {
    if (this.exitedWith) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }

  /**
   * Runs `then` once every byte the function had written when it sent a message has been read, so
   * an invocation settles with its log lines already in `logs`. The process exiting ends the wait.
   */
  private afterLogs(written: Written | undefined, then: () => void): void {
    this.waiting.push({ written, then });
    this.releaseWaiting();
  }

  private releaseWaiting(): void {
    const { received } = this.output;
    while (this.waiting.length > 0) {
      const { written, then } = this.waiting[0] as (typeof this.waiting)[number];
      const caughtUp =
        written === undefined ||
        this.exitedWith !== undefined ||
        (received.stdout >= written.stdout && received.stderr >= written.stderr);
      if (!caughtUp) return;
      this.waiting.shift();
      then();
    }
  }

  private settle(message: RuntimeMessage): void {
    if (message.type !== 'result' && message.type !== 'error') return;
    const pending = this.pending.get(message.invocationId);
    if (!pending) return;
    this.pending.delete(message.invocationId);
    clearTimeout(pending.timer);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new LambdaInvokeError(message.message, message.errorType));
  }
}

/** Bytes written to (by the function) or read from (by this side) its stdout and stderr. */
interface Written {
  stdout: number;
  stderr: number;
}

type RuntimeMessage = (
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; message: string }
  | { type: 'result'; invocationId: number; result: APIGatewayProxyResult; durationMs: number }
  | { type: 'error'; invocationId: number; errorType: string; message: string }
) & { written?: Written };
