import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "db/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Limits against a hang, not speed checks: a machine with both cores busy is slow, not broken
    // (speed is measured in bench/).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
