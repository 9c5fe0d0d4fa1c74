import { describe, expect, it } from "vitest";
import { loggerOptions } from "./logging";

describe("log format", () => {
  it("is readable on a terminal and JSON lines otherwise, unless told", () => {
    expect("stream" in loggerOptions({ logLevel: "info", logFormat: "auto" }, true)).toBe(true);
    expect(loggerOptions({ logLevel: "info", logFormat: "auto" }, false)).toEqual({ level: "info" });
    expect(loggerOptions({ logLevel: "warn", logFormat: "json" }, true)).toEqual({ level: "warn" });
    expect("stream" in loggerOptions({ logLevel: "info", logFormat: "pretty" }, false)).toBe(true);
  });
});
