/**
 * The server's log: one JSON object per line on stdout, each with `time` (ISO 8601, UTC),
 * `level` and `msg`, then fields. Lines below `CITA_LOG_LEVEL` (debug, info, warn, error; default
 * info) are dropped. What goes in fields is the caller's promise: never personal data, tokens or
 * query strings (the request log's rules are in server/http/middleware/request-log.ts).
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  /** Where each line goes (default: stdout). */
  write?: (line: string) => void;
  level?: Level;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const envLevel = process.env.CITA_LOG_LEVEL as Level | undefined;
  const min = RANK[options.level ?? (envLevel && envLevel in RANK ? envLevel : 'info')];
  const at =
    (level: Level) =>
    (msg: string, fields: Fields = {}): void => {
      if (RANK[level] < min) return;
      write(JSON.stringify({ time: now().toISOString(), level, msg, ...fields }));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
