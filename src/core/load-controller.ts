import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Where a `LoadController` is: not started (or aborted), running, done, or failed. */
export type LoadStatus = 'idle' | 'pending' | 'value' | 'error';

/** The async work of a `LoadController`: gets an abort signal, then the arguments of `run()`. */
export type LoadTask<T, A extends unknown[]> = (signal: AbortSignal, ...args: A) => Promise<T>;

export interface LoadOptions<T, A extends unknown[]> {
  /** The work; it must pass `signal` to every request it makes. */
  task: LoadTask<T, A>;
  /** Called with the result of the latest run (never with a superseded or aborted one). */
  onValue?: (value: T, ...args: A) => void;
  /** Called with the error of the latest run (never for an abort). */
  onError?: (error: unknown, ...args: A) => void;
}

/**
 * One async load of an element (the business and its services, a month of slots, a booking)
 * with its state, so every element loads, aborts and retries the same way:
 *
 * - `run(...args)` starts the task; a run still going is aborted first, and its result or error
 *   is dropped. Only the latest run reaches `onValue`/`onError`.
 * - `retry()` runs again with the arguments of the last run (the "Try again" button).
 * - `abort()` stops a run (its result is dropped; the status goes back to `idle`); disconnecting
 *   the host does the same, so no request outlives its element.
 * - `status`, `value` and `error` are read while rendering; every change requests an update.
 *
 * ```ts
 * readonly #slots = new LoadController(this, {
 *   task: (signal, month: YMD) => this.#client.getAvailability(query(month), { signal }),
 *   onValue: (availability) => (this.availability = availability),
 *   onError: (err) => this.#fail(err),
 * });
 * // later: this.#slots.run(month); render: this.#slots.pending ? skeleton : ...
 * ```
 */
export class LoadController<T, A extends unknown[] = []> implements ReactiveController {
  status: LoadStatus = 'idle';
  /** The result of the latest successful run (kept while a new run is pending). */
  value?: T;
  /** The error of the latest run, while `status` is `error`. */
  error?: unknown;

  readonly #host: ReactiveControllerHost;
  readonly #options: LoadOptions<T, A>;
  #abort?: AbortController;
  #args?: A;

  constructor(host: ReactiveControllerHost, options: LoadOptions<T, A>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** A run is going. */
  get pending(): boolean {
    return this.status === 'pending';
  }

  /** Starts the task (aborting a run still going); resolves once its outcome is applied. */
  async run(...args: A): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#args = args;
    this.#set('pending');
    try {
      const value = await this.#options.task(abort.signal, ...args);
      if (abort.signal.aborted) return;
      this.value = value;
      this.#set('value');
      this.#options.onValue?.(value, ...args);
    } catch (err) {
      if (abort.signal.aborted) return;
      this.#set('error', err);
      this.#options.onError?.(err, ...args);
    }
  }

  /** Runs again with the last run's arguments; does nothing before a first run. */
  retry(): Promise<void> {
    return this.#args ? this.run(...this.#args) : Promise.resolve();
  }

  /** Stops a run that is going; its outcome is dropped and the status goes back to `idle`. */
  abort(): void {
    const abort = this.#abort;
    if (!abort) return;
    this.#abort = undefined;
    abort.abort();
    if (this.pending) this.#set('idle');
  }

  hostDisconnected(): void {
    this.abort();
  }

  #set(status: LoadStatus, error?: unknown): void {
    this.status = status;
    this.error = error;
    if (status !== 'pending') this.#abort = undefined;
    this.#host.requestUpdate();
  }
}
