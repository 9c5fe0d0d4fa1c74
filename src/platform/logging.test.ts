import { describe, expect, it } from "vitest";
import { loggedUrl, loggerOptions } from "./logging";

describe("log format", () => {
  it("is readable on a terminal and JSON lines otherwise, unless told", () => {
    expect("stream" in loggerOptions({ logLevel: "info", logFormat: "auto" }, true)).toBe(true);
    expect(loggerOptions({ logLevel: "info", logFormat: "auto" }, false)).toEqual({ level: "info" });
    expect(loggerOptions({ logLevel: "warn", logFormat: "json" }, true)).toEqual({ level: "warn" });
    expect("stream" in loggerOptions({ logLevel: "info", logFormat: "pretty" }, false)).toBe(true);
  });
});

describe("logged URLs", () => {
  it("leave out what a sign-in provider sends back, and nothing else", () => {
    expect(
      loggedUrl("/api/auth/sso/1/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj&iss=https%3A%2F%2Fop"),
    ).toBe("/api/auth/sso/1/callback?code=…&state=…&iss=https%3A%2F%2Fop");
    expect(loggedUrl("/api/search?q=code%3Dx&codes=1")).toBe("/api/search?q=code%3Dx&codes=1");
    expect(loggedUrl("/api/articles/1")).toBe("/api/articles/1");
  });
});
