import pretty from "pino-pretty";
import type { Config } from "./config";

/**
 * The server's logger options: one readable line per event on a terminal (pino-pretty), JSON
 * lines when the output is not a terminal (a log collector) or when LOG_FORMAT=json.
 */
export function loggerOptions(config: Pick<Config, "logLevel" | "logFormat">, isTTY = process.stdout.isTTY === true) {
  const readable = config.logFormat === "pretty" || (config.logFormat === "auto" && isTTY);
  if (!readable) return { level: config.logLevel };
  return {
    level: config.logLevel,
    stream: pretty({
      singleLine: true,
      colorize: isTTY,
      translateTime: "HH:MM:ss",
      ignore: "pid,hostname,reqId,method,url,status,ms",
      sync: true,
    }),
  };
}

/** Query parameters whose values never reach a log: what an OAuth / OpenID provider sends back (the code, state…). */
const SECRET_PARAMS = /([?&](?:code|state|session_state|id_token|access_token|token)=)[^&#]*/gi;

/** A request URL as the request log shows it: the values of credential-like query parameters replaced by `…`. */
export function loggedUrl(url: string): string {
  return url.includes("?") ? url.replace(SECRET_PARAMS, "$1…") : url;
}
