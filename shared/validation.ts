import type { Check, Parsed } from './rules';

/** One invalid setting, at its path in the configuration (`environments.dev.fn.memoryMb`). */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** Every problem of a configuration at once, so one run shows everything to fix. */
export class ConfigValidationError extends Error {
  constructor(
    what: string,
    readonly problems: readonly Problem[],
  ) {
    super(`Invalid ${what}:\n${problems.map((p) => `- ${p.path} ${p.message}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * Collects problems under a path; `at` gives a validator for a part of the same configuration, so
 * a construct's own checks serve both its props (`GetItemFunction.memoryMb`) and the environment
 * config they come from (`environments.dev.fn.memoryMb`).
 */
export class Validator {
  private constructor(
    private readonly prefix: string,
    private readonly problems: Problem[],
  ) {}

  static for(root: string): Validator {
    return new Validator(root, []);
  }

  at(path: string): Validator {
    return new Validator(this.join(path), this.problems);
  }

  /** Runs `check` on `value` when it is set: an unset optional setting takes its default. */
  check<T>(path: string, value: T | undefined, check: Check<T>): this {
    if (value !== undefined) this.report(path, check(value));
    return this;
  }

  /** The value of a setting read from text; why it cannot be read is reported at `path`. */
  read<T>(path: string, parsed: Parsed<T>): T | undefined {
    this.report(path, parsed.problem);
    return parsed.value;
  }

  report(path: string, problem: string | undefined): this {
    if (problem !== undefined) this.problems.push({ path: this.join(path), message: problem });
    return this;
  }

  get valid(): boolean {
    return this.problems.length === 0;
  }

  throwIfInvalid(what: string): void {
    if (!this.valid) throw new ConfigValidationError(what, this.problems);
  }

  private join(path: string): string {
    if (path === '') return this.prefix;
    return this.prefix === '' ? path : `${this.prefix}.${path}`;
  }
}
