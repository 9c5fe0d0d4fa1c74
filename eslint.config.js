import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "web/dist/**", "data/**", "scratch/**", "db/migrations/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "Use named exports" }],
      // Prettier wraps code at 120 columns; this catches what it cannot wrap (comments). A string or
      // template literal may run longer: splitting a sentence or an SQL statement to fit hurts reading.
      "max-len": [
        "error",
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  {
    // The web app reaches the API through the typed client (call/urlFor/upload with routes.<feature>.<endpoint>):
    // no URL of the API is written by hand, so none can drift from the route table.
    files: ["web/src/**/*.ts", "web/src/**/*.tsx"],
    ignores: ["web/src/api.ts", "web/src/api-routes.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Use named exports" },
        {
          selector: "Literal[value=/^\\/api(\\/|\\?|$)/]",
          message: "Call the API with call(routes.<feature>.<endpoint>, …) or urlFor(…) from web/src/api.ts",
        },
        {
          selector: "TemplateElement[value.raw=/^\\/api(\\/|\\?|$)/]",
          message: "Call the API with call(routes.<feature>.<endpoint>, …) or urlFor(…) from web/src/api.ts",
        },
      ],
    },
  },
  {
    // Config files of tools that require a default export.
    files: ["**/*.config.ts", "test/support/global-setup.ts", "e2e/vitest.config.ts", "web/vite.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // domain/ is pure: no database, HTTP, file system or clock.
    files: ["src/domain/**/*.ts"],
    ignores: ["src/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: ["../../modules/*", "../../platform/*", "node:fs*", "node:http*", "drizzle-orm*", "fastify*", "pg"],
        },
      ],
    },
  },
);
