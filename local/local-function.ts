import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  LambdaInvokeError,
  LambdaProcess,
  type LambdaProcessOptions,
  type ProcessExit,
} from './lambda-process';

export interface LocalFunctionOptions extends LambdaProcessOptions {
  /** Receives the function host's own lines (restarts), not the function's. @default console.error */
  readonly log?: (line: string) => void;
}

/**
 * The local stack's function: a LambdaProcess that is replaced when it dies, as Lambda replaces a
 * crashed or killed execution environment with a new one (a cold start) instead of failing every
 * later request. A request in flight when the process died fails (API Gateway's 502); requests
 * that arrive while the new process initialises wait for it.
 */
export class LocalFunction {
  private current: Promise<LambdaProcess>;
  private stopping = false;
  /** Every line the function wrote, across restarts (up to `keepLogLines`). */
  readonly logs: string[];
  private latest: LambdaProcess;

  private constructor(
    first: LambdaProcess,
    private readonly options: LocalFunctionOptions,
  ) {
    this.latest = first;
    this.logs = first.logs;
    this.current = Promise.resolve(first);
    this.watch(first);
  }

  static async start(options: LocalFunctionOptions): Promise<LocalFunction> {
    const logs = options.logs ?? [];
    return new LocalFunction(await LambdaProcess.start({ ...options, logs }), { ...options, logs });
  }

  /** The live process's id (the latest one started). */
  get pid(): number | undefined {
    return this.latest.pid;
  }

  /** Init time of the latest process. */
  get initMs(): number {
    return this.latest.initMs;
  }

  async invoke(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    let fn: LambdaProcess;
    try {
      fn = await this.current;
    } catch (error) {
      // The last restart failed; try again for this request, as Lambda retries init.
      this.current = this.startNext();
      fn = await this.current.catch(() => {
        throw new LambdaInvokeError(`function init failed: ${String(error)}`, 'Runtime.InitError');
      });
    }
    return fn.invoke(event);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const fn = await this.current.catch(() => undefined);
    await fn?.stop();
  }

  private watch(fn: LambdaProcess): void {
    fn.exited.then((exit) => {
      if (this.stopping || fn !== this.latest) return;
      this.log(`function process ${fn.pid} exited (${describe(exit)}): starting a new one, as Lambda would`);
      this.current = this.startNext();
    });
  }

  private startNext(): Promise<LambdaProcess> {
    const next = LambdaProcess.start(this.options);
    next.then(
      (fn) => {
        if (this.stopping) {
          fn.stop();
          return;
        }
        this.latest = fn;
        this.log(`function process ${fn.pid} ready (init ${fn.initMs.toFixed(0)} ms)`);
        this.watch(fn);
      },
      (error: unknown) => this.log(`function process failed to start: ${String(error)}`),
    );
    return next;
  }

  private log(line: string): void {
    (this.options.log ?? ((text: string) => console.error(text)))(`[local] ${line}`);
  }
}

function describe(exit: ProcessExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}
